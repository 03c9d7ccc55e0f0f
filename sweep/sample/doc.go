// Package sample generates points of the unit cube by index — the Sobol sequence with Joe–Kuo direction numbers, Latin hypercubes and independent uniforms — and maps them through probability distributions.
package sample
