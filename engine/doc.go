// Package engine plays one history of a compiled roadmap: private types, decisions, noise, verification, Bayesian beliefs, insecurity, responses and the clock.
package engine
