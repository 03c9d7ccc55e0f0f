// Package model compiles a scenario's roadmap into flat phase and step tables and evaluates the formulas of parley's model (trust thresholds, continuation values, self-enforcement margins, decision probabilities).
package model
