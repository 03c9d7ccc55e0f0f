// Package smp is a Spatial Model of Politics compatible with KAPSARC's KTAB: actors with positions and saliences on several dimensions challenge one another, strike bargains by interpolation and settle, turn by turn, through probabilistic Condorcet elections; with KTAB's default options it reproduces KTAB's runs exactly.
package smp
