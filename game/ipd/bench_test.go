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

// BenchmarkMoranNoisy runs 100 rounds of a Moran process of 20 individuals
// of the reference list's rules (200 turns, noise 0.05, mutation 0.01, kept
// going): 190 matches a round, 3.8 million turns in all.
//
//	go test -run '^$' -bench Moran -benchmem ./game/ipd/
func BenchmarkMoranNoisy(b *testing.B) {
	players, _ := Lineup("axelrod-first")
	pop := append(players, players[2], players[3]) // 20 individuals
	m := Moran{Population: pop, Rules: Rules{Turns: 200, Noise: 0.05}, Mutation: 0.01, KeepGoing: true, MaxRounds: 100, Seed: 1}
	for b.Loop() {
		if _, err := m.Run(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(100*190*200*float64(b.N)/b.Elapsed().Seconds(), "turns/s")
}

// BenchmarkMoranNeutralRuns plays 1,000 runs of the neutral process of the
// tests (nine TitForTats and a Cooperator, matches played once and
// cached) on one core.
func BenchmarkMoranNeutralRuns(b *testing.B) {
	m := Moran{Population: []*Strategy{}, Rules: Rules{Turns: 200}, Seed: 1}
	for range 9 {
		m.Population = append(m.Population, MustLookup("TitForTat"))
	}
	m.Population = append(m.Population, MustLookup("Cooperator"))
	for b.Loop() {
		if _, err := m.RunMany(context.Background(), 1000, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEcology runs 1,000 steps of the dynamics on the payoff matrix of
// the 42 rules of the catalogue.
func BenchmarkEcology(b *testing.B) {
	n := len(opponents())
	a := make([][]float64, n)
	for i := range a {
		a[i] = make([]float64, n)
		for j := range a[i] {
			a[i][j] = float64((i*7+j*3)%11) / 2
		}
	}
	e := Ecology{Payoffs: a}
	for b.Loop() {
		if _, err := e.Run(1000); err != nil {
			b.Fatal(err)
		}
	}
}
