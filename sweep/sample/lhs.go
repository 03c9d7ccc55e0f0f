package sample

import (
	"fmt"
	"math/bits"

	"github.com/parleyhq/parley/engine"
)

// LatinHypercube is a Latin hypercube sample of N points in Dim dimensions:
// in every dimension each of the N strata [i/N, (i+1)/N) holds exactly one
// point. Coordinate j of point k is (π_j(k) + u_kj)/N, where π_j is a
// pseudo-random permutation of 0..N-1 and u_kj a uniform draw, both derived
// from Seed alone, so any point can be computed without the others: a sample
// of any size takes constant memory and splits into shards freely.
//
// π_j is a balanced Feistel network of six rounds over the smallest domain of
// 2^(2h) ≥ N indices, restricted to 0..N-1 by cycle walking (applying the
// network again until the result falls below N); its round keys are the
// outputs of a PCG stream seeded from (Seed, 2^32 + j). The draws u_k· come
// from the stream seeded from (Seed, k), one per dimension in order (see
// engine.PCG for the seeding).
type LatinHypercube struct {
	n    uint64
	dim  int
	seed uint64
	half uint // h: bits of each half of the Feistel domain
	keys [][feistelRounds]uint64
}

const feistelRounds = 6

// NewLatinHypercube returns a Latin hypercube of n points in dim dimensions.
func NewLatinHypercube(n uint64, dim int, seed uint64) (*LatinHypercube, error) {
	if n < 1 || n > 1<<62 {
		return nil, fmt.Errorf("a Latin hypercube needs 1 to 2^62 points, not %d", n)
	}
	if dim < 1 {
		return nil, fmt.Errorf("a Latin hypercube needs at least one dimension")
	}
	l := &LatinHypercube{n: n, dim: dim, seed: seed}
	b := uint(bits.Len64(n - 1))
	l.half = max(1, (b+1)/2)
	l.keys = make([][feistelRounds]uint64, dim)
	var src engine.PCG
	for j := range l.keys {
		src.Seed(seed, 1<<32+uint64(j))
		for r := range feistelRounds {
			l.keys[j][r] = src.Uint64()
		}
	}
	return l, nil
}

// Dim is the number of dimensions; N the number of points.
func (l *LatinHypercube) Dim() int  { return l.dim }
func (l *LatinHypercube) N() uint64 { return l.n }

// Point writes point k (0 ≤ k < N) to dst[:Dim].
func (l *LatinHypercube) Point(k uint64, dst []float64) {
	if k >= l.n {
		panic("sample: Latin hypercube point index out of range")
	}
	var src engine.PCG
	src.Seed(l.seed, k)
	for j := 0; j < l.dim; j++ {
		dst[j] = (float64(l.permute(j, k)) + src.Float64()) / float64(l.n)
	}
}

// Stratum returns π_j(k), the stratum of point k in dimension j.
func (l *LatinHypercube) Stratum(j int, k uint64) uint64 { return l.permute(j, k) }

func (l *LatinHypercube) permute(j int, k uint64) uint64 {
	x := k
	for {
		x = l.feistel(j, x)
		if x < l.n {
			return x
		}
	}
}

// feistel is a bijection of 0..2^(2h)-1.
func (l *LatinHypercube) feistel(j int, x uint64) uint64 {
	h := l.half
	mask := uint64(1)<<h - 1
	left, right := x>>h, x&mask
	for r := range feistelRounds {
		left, right = right, left^(mix64(right^l.keys[j][r])&mask)
	}
	return left<<h | right
}

// mix64 is the finaliser of SplitMix64.
func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Uniform is N independent uniform points in Dim dimensions: point k holds
// the first Dim draws of the PCG stream seeded from (Seed, k).
type Uniform struct {
	n    uint64
	dim  int
	seed uint64
}

// NewUniform returns n independent uniform points in dim dimensions.
func NewUniform(n uint64, dim int, seed uint64) *Uniform {
	return &Uniform{n: n, dim: dim, seed: seed}
}

// Dim is the number of dimensions.
func (u *Uniform) Dim() int { return u.dim }

// Point writes point k to dst[:Dim].
func (u *Uniform) Point(k uint64, dst []float64) {
	var src engine.PCG
	src.Seed(u.seed, k)
	for j := 0; j < u.dim; j++ {
		dst[j] = src.Float64()
	}
}
