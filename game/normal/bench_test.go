package normal

import (
	"context"
	"math/big"
	"math/rand/v2"
	"testing"
)

// randomBimatrix returns an m×n game with integer payoffs drawn uniformly
// from 0..99 by a generator seeded with seed.
func randomBimatrix(tb testing.TB, m, n int, seed uint64) *Game {
	tb.Helper()
	r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	a, b := make([][]*big.Rat, m), make([][]*big.Rat, m)
	for i := range m {
		a[i], b[i] = make([]*big.Rat, n), make([]*big.Rat, n)
		for j := range n {
			a[i][j] = big.NewRat(r.Int64N(100), 1)
			b[i][j] = big.NewRat(r.Int64N(100), 1)
		}
	}
	g, err := Bimatrix("random", a, b)
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

// BenchmarkVertexEnumeration10x10 finds every equilibrium of a random 10×10
// bimatrix game with payoffs uniform on 0..99 (seed 1), exactly. The issue's
// goal is under one second on one core.
func BenchmarkVertexEnumeration10x10(b *testing.B) {
	g := randomBimatrix(b, 10, 10, 1)
	var n int
	for b.Loop() {
		eqs, err := VertexEnumeration(context.Background(), g)
		if err != nil {
			b.Fatal(err)
		}
		n = len(eqs)
	}
	b.ReportMetric(float64(n), "equilibria")
}

// BenchmarkLemkeHowson10x10 runs Lemke–Howson from all 20 labels of the same
// random 10×10 game.
func BenchmarkLemkeHowson10x10(b *testing.B) {
	g := randomBimatrix(b, 10, 10, 1)
	for b.Loop() {
		if _, err := LemkeHowsonAll(context.Background(), g); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSupportEnumeration3x3x3 solves a random three-player game with
// three strategies each (payoffs uniform on 0..99, seed 1).
func BenchmarkSupportEnumeration3x3x3(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	players := []Player{{"1", numberedNames(3)}, {"2", numberedNames(3)}, {"3", numberedNames(3)}}
	g, err := New("random", players)
	if err != nil {
		b.Fatal(err)
	}
	for _, v := range g.Payoffs {
		for _, x := range v {
			x.SetInt64(r.Int64N(100))
		}
	}
	var n int
	for b.Loop() {
		res, err := SupportEnumeration(context.Background(), g)
		if err != nil {
			b.Fatal(err)
		}
		n = len(res.Equilibria)
	}
	b.ReportMetric(float64(n), "equilibria")
}
