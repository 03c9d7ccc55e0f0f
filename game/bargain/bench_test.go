package bargain

import (
	"math/rand/v2"
	"testing"
)

// millionSpace has six discrete issues of ten values: 10^6 outcomes.
func millionSpace() *Space {
	rng := rand.New(rand.NewPCG(3, 5))
	return randomMixed(rng, []int{10, 10, 10, 10, 10, 10}, 0)
}

// BenchmarkParetoIndices1e6 finds the undominated points among 10^6
// random ones (about 0.04 s on the development machine).
func BenchmarkParetoIndices1e6(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	const n = 1_000_000
	u1, u2 := make([]float64, n), make([]float64, n)
	for i := range n {
		u1[i], u2[i] = rng.Float64(), rng.Float64()
	}
	b.ReportAllocs()
	for b.Loop() {
		ParetoIndices(u1, u2)
	}
}

// BenchmarkAnalyse1e6 enumerates a deal space of 10^6 discrete outcomes,
// finds its exact Pareto frontier, ZOPA and solutions.
func BenchmarkAnalyse1e6(b *testing.B) {
	s := millionSpace()
	b.ReportAllocs()
	for b.Loop() {
		a, err := Analyse(s, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if a.Outcomes != 1_000_000 || len(a.Frontier) == 0 {
			b.Fatalf("%d outcomes, %d frontier points", a.Outcomes, len(a.Frontier))
		}
	}
}

// BenchmarkParetoIndices1e6Undominated is the worst case: 10^6 points on
// the line u1 + u2 = 1, all undominated, so the pivots drop none and every
// point is sorted.
func BenchmarkParetoIndices1e6Undominated(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	const n = 1_000_000
	u1, u2 := make([]float64, n), make([]float64, n)
	for i := range n {
		u1[i] = rng.Float64()
		u2[i] = 1 - u1[i]
	}
	b.ReportAllocs()
	for b.Loop() {
		if got := ParetoIndices(u1, u2); len(got) != n {
			b.Fatalf("%d undominated points, want %d", len(got), n)
		}
	}
}
