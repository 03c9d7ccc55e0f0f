package ipd

import (
	"context"
	"testing"
)

// BenchmarkReferenceTournament plays the reference tournament of issue 3 —
// the 18 rules of the reference list, 200 turns, 50 repetitions, noise
// 0.05 — on one core, and reports turns per second (one turn is both
// players' moves).
//
//	go test -run '^$' -bench ReferenceTournament -benchmem ./game/ipd/
func BenchmarkReferenceTournament(b *testing.B) {
	players, _ := Lineup("axelrod-first")
	tour := Tournament{Players: players, Rules: Rules{Turns: 200, Noise: 0.05}, Repetitions: 50, Seed: 1, Workers: 1}
	turns := 0
	for b.Loop() {
		res, err := tour.Run(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		turns = 0
		for _, ms := range res.Matches {
			for _, m := range ms {
				turns += m.Turns
			}
		}
	}
	b.ReportMetric(float64(turns)*float64(b.N)/b.Elapsed().Seconds(), "turns/s")
}

// BenchmarkMatch plays one 200-turn noisy match of two stateful rules.
func BenchmarkMatch(b *testing.B) {
	a, _ := NewArena(Rules{Turns: 200, Noise: 0.05})
	p1, p2 := MustLookup("FirstByTidemanAndChieruzzi").New(), MustLookup("FirstByDowning").New()
	seed := uint64(0)
	for b.Loop() {
		seed++
		a.Play(p1, p2, seed)
	}
	b.ReportMetric(200*float64(b.N)/b.Elapsed().Seconds(), "turns/s")
}
