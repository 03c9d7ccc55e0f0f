// Package scenario reads, checks and embeds the YAML files that describe a negotiation: actors, moves, roadmaps and milestones.
package scenario
