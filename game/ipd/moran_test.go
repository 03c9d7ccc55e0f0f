package ipd

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
)

// population makes a population of counts[k] individuals of names[k].
func population(names []string, counts []int) []*Strategy {
	var out []*Strategy
	for k, n := range names {
		s := MustLookup(n)
		for range counts[k] {
			out = append(out, s)
		}
	}
	return out
}

// within checks that k successes out of n are within z standard deviations
// of n·p, and reports the interval.
func within(t *testing.T, what string, k, n int, p, z float64) {
	t.Helper()
	mu, sd := float64(n)*p, math.Sqrt(float64(n)*p*(1-p))
	lo, hi := mu-z*sd, mu+z*sd
	if float64(k) < lo || float64(k) > hi {
		t.Errorf("%s: %d of %d, want within [%.1f, %.1f] (%.0f ± %g·%.2f)", what, k, n, lo, hi, mu, z, sd)
	} else {
		t.Logf("%s: %d of %d, interval [%.1f, %.1f]", what, k, n, lo, hi)
	}
}

// TestMoranNeutralMutant: one Cooperator among N−1 TitForTats never meets a
// defection, so everybody always has the same fitness and the mutant is
// neutral. It takes over with probability 1/N in both orders of birth and
// death: 4,000 seeded runs must give 400 fixations within four standard
// deviations (±76).
func TestMoranNeutralMutant(t *testing.T) {
	const N, runs = 10, 4000
	for _, mode := range []MoranMode{BirthDeath, DeathBirth} {
		m := Moran{Population: population([]string{"TitForTat", "Cooperator"}, []int{N - 1, 1}),
			Rules: Rules{Turns: 20}, Mode: mode, Seed: 11}
		res, err := m.RunMany(context.Background(), runs, 0)
		if err != nil {
			t.Fatal(err)
		}
		if res.Fixations[0]+res.Fixations[1] != runs {
			t.Errorf("%v: %v fixations in %d runs", mode, res.Fixations, runs)
		}
		within(t, "neutral mutant, "+mode.String(), res.Fixations[1], runs, 1.0/N, 4)
		if p, ok := m.ExactFixation(); !ok || math.Abs(p[1]-1.0/N) > 1e-12 {
			t.Errorf("%v: exact fixation %v, %v, want 1/%d", mode, p, ok, N)
		}
	}
}

// TestMoranAgainstExactFixation: TitForTat and Defector in 10-turn matches
// (scores per turn 3, 0.9, 1.4 and 1) make a frequency-dependent process
// whose fixation probabilities follow from the birth-death chain; 4,000
// runs from 1, 2 and 3 TitForTats among 8 agree within four standard
// deviations, in both orders.
func TestMoranAgainstExactFixation(t *testing.T) {
	const N, runs = 8, 4000
	want := map[int]float64{1: 0.18667700371036583, 2: 0.40594840489397016, 3: 0.6095575631358884} // worked out by hand, birth-death
	for _, mode := range []MoranMode{BirthDeath, DeathBirth} {
		for i := 1; i <= 3; i++ {
			m := Moran{Population: population([]string{"TitForTat", "Defector"}, []int{i, N - i}),
				Rules: Rules{Turns: 10}, Mode: mode, Seed: uint64(100 + i)}
			p, ok := m.ExactFixation()
			if !ok || math.Abs(p[0]+p[1]-1) > 1e-12 {
				t.Fatalf("exact: %v %v", p, ok)
			}
			if mode == BirthDeath && math.Abs(p[0]-want[i]) > 1e-12 {
				t.Errorf("exact fixation of %d TitForTats: %.15f, want %.15f", i, p[0], want[i])
			}
			res, err := m.RunMany(context.Background(), runs, 0)
			if err != nil {
				t.Fatal(err)
			}
			within(t, mode.String()+" TitForTat from "+string(rune('0'+i)), res.Fixations[0], runs, p[0], 4)
		}
	}
}

// TestFixationProbabilityClosedForms: with a constant relative fitness r a
// single mutant takes over with probability (1 − 1/r)/(1 − 1/rᴺ), and a
// neutral one with i/N.
func TestFixationProbabilityClosedForms(t *testing.T) {
	for _, c := range []struct{ r float64 }{{1.5}, {0.8}, {3}} {
		const N = 10
		pay := [2][2]float64{{c.r, c.r}, {1, 1}}
		want := (1 - 1/c.r) / (1 - math.Pow(1/c.r, N))
		if got := FixationProbability(pay, N, 1, BirthDeath, nil); math.Abs(got-want) > 1e-12 {
			t.Errorf("r = %g: %.15f, want %.15f", c.r, got, want)
		}
	}
	neutral := [2][2]float64{{2, 2}, {2, 2}}
	for i := 0; i <= 7; i++ {
		for _, mode := range []MoranMode{BirthDeath, DeathBirth} {
			if got := FixationProbability(neutral, 7, i, mode, nil); math.Abs(got-float64(i)/7) > 1e-12 {
				t.Errorf("neutral %v from %d: %g", mode, i, got)
			}
		}
	}
	// A type that never earns anything never reproduces.
	if got := FixationProbability([2][2]float64{{0, 0}, {5, 1}}, 5, 4, BirthDeath, nil); got != 0 {
		t.Errorf("zero fitness: %g", got)
	}
	// Very strong selection does not overflow: the single B of relative
	// fitness 10⁶ loses only if it dies before it reproduces.
	strong := [2][2]float64{{1, 1}, {1e6, 1e6}}
	if got, want := FixationProbability(strong, 200, 199, BirthDeath, nil), 1-(1-1e-6)/(1-math.Pow(1e-6, 200)); math.Abs(got-want) > 1e-15 {
		t.Errorf("strong selection from 199: %g, want %g", got, want)
	}
	if got := FixationProbability(strong, 200, 1, BirthDeath, nil); !(got >= 0 && got < 1e-300) {
		t.Errorf("strong selection from 1: %g", got)
	}
	// A fitness function 1 − w + w·score with w = 0 makes any game neutral.
	flat := func(float64) float64 { return 1 }
	if got := FixationProbability([2][2]float64{{3, 0}, {5, 1}}, 6, 2, BirthDeath, flat); math.Abs(got-2.0/6) > 1e-12 {
		t.Errorf("w = 0: %g", got)
	}
}

// TestMoranTwoIndividuals checks the two orders on the smallest population
// by hand. Birth-death: the Cooperator earns 0 against the Defector, so
// the Defector is always the parent, and the round changes something only
// when the Cooperator dies (probability 1/2): the Defector takes over
// after a geometric number of rounds of mean 2. Death-birth: whoever
// survives is the parent, so each takes over after one round, with
// probability 1/2.
func TestMoranTwoIndividuals(t *testing.T) {
	const runs = 2000
	m := Moran{Population: population([]string{"Cooperator", "Defector"}, []int{1, 1}), Rules: Rules{Turns: 5}, Seed: 3}
	res, err := m.RunMany(context.Background(), runs, 2)
	if err != nil {
		t.Fatal(err)
	}
	if res.Fixations[1] != runs {
		t.Errorf("birth-death: the Defector took over %d times of %d", res.Fixations[1], runs)
	}
	total := 0
	for _, r := range res.Rounds {
		total += r
	}
	// Rounds is geometric with p = 1/2: mean 2, standard deviation √2.
	if mean := float64(total) / runs; math.Abs(mean-2) > 4*math.Sqrt2/math.Sqrt(runs) {
		t.Errorf("birth-death: mean rounds %g, want 2", mean)
	}
	m.Mode = DeathBirth
	res, err = m.RunMany(context.Background(), runs, 2)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Max(res.Rounds) != 1 || slices.Min(res.Rounds) != 1 {
		t.Errorf("death-birth: rounds from %d to %d, want 1", slices.Min(res.Rounds), slices.Max(res.Rounds))
	}
	within(t, "death-birth, Cooperator", res.Fixations[0], runs, 0.5, 4)
}

// TestMoranHistory checks one run's record: the counts sum to N, change by
// one individual at most per round, and end in fixation.
func TestMoranHistory(t *testing.T) {
	m := Moran{Population: population([]string{"TitForTat", "Defector", "Random", "WinStayLoseShift"}, []int{3, 3, 2, 2}),
		Rules: Rules{Turns: 50, Noise: 0.05}, Seed: 5}
	res, err := m.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Counts) != res.Rounds+1 || !res.Fixated || res.Winner < 0 || len(res.Types) != 4 {
		t.Fatalf("rounds %d, %d records, fixated %v winner %d", res.Rounds, len(res.Counts), res.Fixated, res.Winner)
	}
	if !slices.Equal(res.Counts[0], []int{3, 3, 2, 2}) {
		t.Errorf("initial counts %v", res.Counts[0])
	}
	for r, c := range res.Counts {
		sum, moved := 0, 0
		for k, v := range c {
			sum += v
			if r > 0 {
				moved += abs(v - res.Counts[r-1][k])
			}
		}
		if sum != 10 || (moved != 0 && moved != 2) {
			t.Fatalf("round %d: counts %v", r, c)
		}
	}
	if last := res.Counts[res.Rounds]; last[res.Winner] != 10 {
		t.Errorf("winner %d, last counts %v", res.Winner, last)
	}
	for _, sh := range res.Shares() {
		s := 0.0
		for _, v := range sh {
			s += v
		}
		if math.Abs(s-1) > 1e-12 {
			t.Fatalf("shares %v", sh)
		}
	}
	// The same seed gives the same history; RunMany's run 0 is Run.
	again, _ := m.Run(context.Background())
	if again.Rounds != res.Rounds || !slices.EqualFunc(again.Counts, res.Counts, slices.Equal) {
		t.Error("the same seed gives another history")
	}
	many, err := m.RunMany(context.Background(), 3, 1)
	if err != nil || many.Winners[0] != res.Winner || many.Rounds[0] != res.Rounds {
		t.Errorf("RunMany run 0: %+v, %v; Run: winner %d after %d", many, err, res.Winner, res.Rounds)
	}
	// Results do not depend on the number of workers.
	one, _ := m.RunMany(context.Background(), 24, 1)
	three, _ := m.RunMany(context.Background(), 24, 3)
	if !slices.Equal(one.Winners, three.Winners) || !slices.Equal(one.Rounds, three.Rounds) {
		t.Error("RunMany depends on the number of workers")
	}
}

// TestMoranMutation: with mutation the process runs all its rounds when
// told to keep going, with the initial types only; a mutant is always of
// another type, each with the same probability.
func TestMoranMutation(t *testing.T) {
	m := Moran{Population: population([]string{"TitForTat", "Defector", "Cooperator"}, []int{2, 2, 2}),
		Rules: Rules{Turns: 10}, Mutation: 0.1, KeepGoing: true, MaxRounds: 500, Seed: 8}
	res, err := m.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Rounds != 500 || len(res.Counts) != 501 {
		t.Errorf("rounds %d, want 500", res.Rounds)
	}
	// Without KeepGoing it stops at the first fixation, like the reference library.
	m.KeepGoing = false
	if res, _ := m.Run(context.Background()); res.Fixated && res.Rounds == 500 {
		t.Errorf("stopped after %d rounds, fixated %v", res.Rounds, res.Fixated)
	}
	st, _ := m.setup()
	m.Mutation = 1
	r := m.newRun(st, 1)
	var hits [3][3]int
	for range 30000 {
		for from := range 3 {
			hits[from][r.offspring(from)]++
		}
	}
	for from := range 3 {
		if hits[from][from] != 0 {
			t.Errorf("a mutant of type %d kept its type", from)
		}
		for to := range 3 {
			if to != from {
				within(t, "mutation", hits[from][to], 30000, 0.5, 4)
			}
		}
	}
	m.Mutation = 0
	r = m.newRun(st, 1)
	if r.offspring(2) != 2 {
		t.Error("an offspring mutated without mutation")
	}
}

func TestMoranValidate(t *testing.T) {
	tft := MustLookup("TitForTat")
	for _, c := range []struct {
		m     Moran
		field string
	}{
		{Moran{Population: []*Strategy{tft}, Rules: Rules{Turns: 5}}, "population"},
		{Moran{Population: []*Strategy{tft, nil}, Rules: Rules{Turns: 5}}, "population[1]"},
		{Moran{Population: []*Strategy{tft, tft}, Rules: Rules{Turns: 5}, Mutation: 0.1}, "mutation"},
		{Moran{Population: []*Strategy{tft, tft}, Rules: Rules{Turns: 5}, Mutation: 1.5}, "mutation"},
		{Moran{Population: []*Strategy{tft, tft}, Rules: Rules{Turns: 5}, MaxRounds: -1}, "max_rounds"},
		{Moran{Population: []*Strategy{tft, tft}, Rules: Rules{Turns: 0}}, "turns"},
		{Moran{Population: []*Strategy{tft, tft}, Rules: Rules{Turns: 5, AllowAnyPayoffs: true, Payoffs: Payoffs{R: 3, S: -1, T: 5, P: 1}}}, "payoffs"},
		{Moran{Population: []*Strategy{tft, tft}, Rules: Rules{Turns: 5}, Mode: 7}, "mode"},
	} {
		_, err := c.m.Run(context.Background())
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("error %v, want one about %s", err, c.field)
		}
	}
	// A negative fitness is refused when it happens.
	m := Moran{Population: population([]string{"TitForTat", "Defector"}, []int{1, 1}), Rules: Rules{Turns: 5},
		Fitness: func(s float64) float64 { return s - 100 }}
	if _, err := m.Run(context.Background()); err == nil {
		t.Error("a negative fitness was accepted")
	}
	// A population of one type has taken over before the first round.
	one := Moran{Population: []*Strategy{tft, tft, tft}, Rules: Rules{Turns: 5}}
	if res, err := one.Run(context.Background()); err != nil || !res.Fixated || res.Rounds != 0 || res.Winner != 0 {
		t.Errorf("one type: %+v, %v", res, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	long := Moran{Population: population([]string{"TitForTat", "Cooperator"}, []int{50, 50}), Rules: Rules{Turns: 5}}
	if _, err := long.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestIntN(t *testing.T) {
	var r Rand
	r.Seed(1, 2)
	var hits [7]int
	for range 70000 {
		hits[r.intN(7)]++
	}
	for k, h := range hits {
		within(t, "intN bucket "+string(rune('0'+k)), h, 70000, 1.0/7, 4)
	}
}
