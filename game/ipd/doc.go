// Package ipd plays repeated two-player games such as the iterated prisoner's dilemma: matches, round-robin tournaments, a catalogue of strategies, and exact long-run payoffs of memory-one players.
package ipd
