package ipd

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
)

// tournamentOf plays a round robin of the named strategies.
func tournamentOf(t *testing.T, rules Rules, reps int, names ...string) *Results {
	t.Helper()
	var ps []*Strategy
	for _, n := range names {
		ps = append(ps, MustLookup(n))
	}
	res, err := (&Tournament{Players: ps, Rules: rules, Repetitions: reps, Seed: 1}).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestEcologySharesSumToOne runs random non-negative games from random
// starts: the shares stay non-negative and sum to 1 at every step.
func TestEcologySharesSumToOne(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 2 + rng.IntN(9)
		a := make([][]float64, n)
		init := make([]float64, n)
		for i := range a {
			a[i] = make([]float64, n)
			for j := range a[i] {
				a[i][j] = 5 * rng.Float64()
			}
			init[i] = rng.Float64()
		}
		shares, err := (&Ecology{Payoffs: a, Initial: init}).Run(50)
		if err != nil {
			t.Fatal(err)
		}
		for step, x := range shares {
			s := 0.0
			for _, v := range x {
				if v < 0 {
					t.Fatalf("trial %d step %d: negative share %v", trial, step, x)
				}
				s += v
			}
			if math.Abs(s-1) > 1e-12 {
				t.Fatalf("trial %d step %d: shares sum to %.15f", trial, step, s)
			}
		}
	}
}

// TestEcologyMixedEquilibrium: in the 2×2 game A = [[1, 3], [2, 1]] each
// strategy does best against the other (a hawk-dove game); the interior
// rest point, where both earn the same, is x* = (d − b)/(a − b − c + d) =
// 2/3, and it attracts every interior start.
func TestEcologyMixedEquilibrium(t *testing.T) {
	a := [][]float64{{1, 3}, {2, 1}}
	for _, x0 := range []float64{0.01, 0.3, 0.9, 0.999} {
		shares, err := (&Ecology{Payoffs: a, Initial: []float64{x0, 1 - x0}}).Run(400)
		if err != nil {
			t.Fatal(err)
		}
		if x := shares[400][0]; math.Abs(x-2.0/3) > 1e-9 {
			t.Errorf("from %g: share %.12f after 400 steps, want 2/3", x0, x)
		}
		// On the way the share moves towards x* and never crosses it.
		for k := 1; k < len(shares); k++ {
			prev, x := shares[k-1][0], shares[k][0]
			if (prev-2.0/3)*(x-2.0/3) < 0 || math.Abs(x-2.0/3) > math.Abs(prev-2.0/3)+1e-15 {
				t.Fatalf("from %g: step %d goes from %g to %g", x0, k, prev, x)
			}
		}
	}
	// Shares of exactly 0 stay 0.
	shares, _ := (&Ecology{Payoffs: a, Initial: []float64{0, 1}}).Run(10)
	if shares[10][0] != 0 {
		t.Errorf("an absent strategy grew to %g", shares[10][0])
	}
}

// TestEcologyIPD runs the dynamics on real tournaments. Defector dominates
// Cooperator, so its share rises every step towards 1. TitForTat against
// Defector over n turns earns a = 3, b = (n−1)/n, c = (n+4)/n, d = 1: both
// pure states attract, divided by x* = (d − b)/(a − b − c + d) = 1/(2n − 3)
// shares of TitForTat.
func TestEcologyIPD(t *testing.T) {
	res := tournamentOf(t, Rules{Turns: 10}, 1, "Cooperator", "Defector")
	mean, _ := res.PayoffMatrix()
	shares, err := (&Ecology{Payoffs: mean}).Run(100)
	if err != nil {
		t.Fatal(err)
	}
	for k := 1; k < len(shares); k++ {
		if shares[k][1] <= shares[k-1][1] && shares[k-1][1] < 1 {
			t.Fatalf("step %d: Defector's share went from %g to %g", k, shares[k-1][1], shares[k][1])
		}
	}
	if shares[100][1] < 1-1e-9 {
		t.Errorf("Defector's share after 100 steps: %g", shares[100][1])
	}

	const n = 10
	res = tournamentOf(t, Rules{Turns: n}, 1, "TitForTat", "Defector")
	mean, _ = res.PayoffMatrix()
	want := [][]float64{{3, float64(n-1) / n}, {float64(n+4) / n, 1}}
	for i := range 2 {
		for j := range 2 {
			if math.Abs(mean[i][j]-want[i][j]) > 1e-12 {
				t.Fatalf("payoff matrix %v, want %v", mean, want)
			}
		}
	}
	xs := 1.0 / (2*n - 3)
	for _, c := range []struct {
		x0, end float64
	}{{xs + 0.01, 1}, {xs - 0.01, 0}, {0.5, 1}, {0.02, 0}} {
		shares, err := (&Ecology{Payoffs: mean, Initial: []float64{c.x0, 1 - c.x0}}).Run(300)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(shares[300][0]-c.end) > 1e-9 {
			t.Errorf("TitForTat from %g: %g after 300 steps, want %g", c.x0, shares[300][0], c.end)
		}
	}
	// x* itself is a rest point (an unstable one: rounding errors grow, so
	// only a few steps are checked).
	shares, _ = (&Ecology{Payoffs: mean, Initial: []float64{xs, 1 - xs}}).Run(5)
	if math.Abs(shares[5][0]-xs) > 1e-12 {
		t.Errorf("from x* = %g: %g after 5 steps", xs, shares[5][0])
	}
}

// TestPayoffMatrix checks the reference library's payoff matrix and its
// deviations on a noisy tournament, against the match records.
func TestPayoffMatrix(t *testing.T) {
	res := tournamentOf(t, Rules{Turns: 20, Noise: 0.1}, 4, "TitForTat", "Random", "Defector")
	mean, sd := res.PayoffMatrix()
	// Player 1 (Random) against player 2 (Defector): match (1, 2) in each
	// repetition, Random in the first seat.
	var vals []float64
	for _, ms := range res.Matches {
		for _, m := range ms {
			if m.I == 1 && m.J == 2 {
				vals = append(vals, m.Scores[0]/float64(m.Turns))
			}
		}
	}
	mu := (vals[0] + vals[1] + vals[2] + vals[3]) / 4
	v := 0.0
	for _, x := range vals {
		v += (x - mu) * (x - mu)
	}
	if math.Abs(mean[1][2]-mu) > 1e-12 || math.Abs(sd[1][2]-math.Sqrt(v/4)) > 1e-12 || sd[1][2] == 0 {
		t.Errorf("entry [1][2]: %g ± %g, want %g ± %g", mean[1][2], sd[1][2], mu, math.Sqrt(v/4))
	}
	// With a fixed length the mean is MeanPayoffs.
	mp := res.MeanPayoffs()
	for i := range mean {
		for j := range mean {
			if math.Abs(mean[i][j]-mp[i][j]) > 1e-12 {
				t.Errorf("[%d][%d]: %g, MeanPayoffs %g", i, j, mean[i][j], mp[i][j])
			}
		}
	}
	// Without noise deterministic rules do not vary.
	_, sd = tournamentOf(t, Rules{Turns: 20}, 3, "TitForTat", "Defector").PayoffMatrix()
	if sd[0][1] != 0 || sd[0][0] != 0 {
		t.Errorf("deviations %v", sd)
	}
}

// TestEcologySampling: drawing the payoffs from their spread is seeded, and
// zero deviations change nothing.
func TestEcologySampling(t *testing.T) {
	res := tournamentOf(t, Rules{Turns: 50, Noise: 0.05}, 5, "TitForTat", "WinStayLoseShift", "Defector", "Random")
	mean, sd := res.PayoffMatrix()
	run := func(seed uint64, dev [][]float64) [][]float64 {
		shares, err := (&Ecology{Payoffs: mean, Deviations: dev, Seed: seed}).Run(30)
		if err != nil {
			t.Fatal(err)
		}
		return shares
	}
	a, b, c := run(1, sd), run(1, sd), run(2, sd)
	if a[30][0] != b[30][0] || a[30][0] == c[30][0] {
		t.Errorf("seeded sampling: %g %g %g", a[30][0], b[30][0], c[30][0])
	}
	zero := make([][]float64, len(sd))
	for i := range zero {
		zero[i] = make([]float64, len(sd))
	}
	if d, e := run(1, zero), run(1, nil); d[30][2] != e[30][2] {
		t.Errorf("zero deviations: %g, none: %g", d[30][2], e[30][2])
	}
}

func TestEcologyErrors(t *testing.T) {
	good := [][]float64{{1, 2}, {3, 4}}
	for _, c := range []struct {
		e     Ecology
		steps int
		field string
	}{
		{Ecology{}, 1, "payoffs"},
		{Ecology{Payoffs: [][]float64{{1, 2}, {3}}}, 1, "payoffs[1]"},
		{Ecology{Payoffs: [][]float64{{1, -2}, {3, 4}}}, 1, "payoffs[0][1]"},
		{Ecology{Payoffs: [][]float64{{1, math.NaN()}, {3, 4}}}, 1, "payoffs[0][1]"},
		{Ecology{Payoffs: good, Initial: []float64{1}}, 1, "initial"},
		{Ecology{Payoffs: good, Initial: []float64{0, 0}}, 1, "initial"},
		{Ecology{Payoffs: good, Initial: []float64{-1, 2}}, 1, "initial[0]"},
		{Ecology{Payoffs: good, Deviations: [][]float64{{0, 0}}}, 1, "deviations"},
		{Ecology{Payoffs: good, Deviations: [][]float64{{0, 0}, {0, -1}}}, 1, "deviations[1][1]"},
		{Ecology{Payoffs: good}, -1, "steps"},
	} {
		_, err := c.e.Run(c.steps)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("error %v, want one about %s", err, c.field)
		}
	}
	if _, err := (&Ecology{Payoffs: [][]float64{{0, 0}, {0, 0}}}).Run(1); err == nil {
		t.Error("a population without fitness went on")
	}
	// A fitness function may shift negative payoffs.
	shifted, err := (&Ecology{Payoffs: [][]float64{{-1, 2}, {1, -1}}, Fitness: func(f float64) float64 { return f + 2 }}).Run(3)
	if err != nil || len(shifted) != 4 {
		t.Errorf("shifted: %v, %v", shifted, err)
	}
}
