package bargain

import (
	"math"
	"strings"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// TestRubinsteinClosedForm checks x1 = (1 − δ2)/(1 − δ1δ2) against the
// oracles of theory.md §3.
func TestRubinsteinClosedForm(t *testing.T) {
	for _, c := range []struct {
		d1, d2, want float64
	}{
		{0.9, 0.9, 0.526316},
		{0.9, 0.8, 0.714286},
		{0.8, 0.9, 0.357143},
		{0.5, 0.5, 2.0 / 3},
		{0, 0, 1},   // the responder values nothing later: take all
		{1, 0.5, 1}, // a patient party 1 gets everything
		{0.5, 1, 0}, // a patient party 2 gets everything
	} {
		s, err := Alternating{Delta1: c.d1, Delta2: c.d2}.Solve()
		if err != nil {
			t.Fatalf("δ = %g/%g: %v", c.d1, c.d2, err)
		}
		if !near(s.Share1, c.want, 5e-7) || !near(s.Share1+s.Share2, 1, 1e-15) || !s.Unique {
			t.Errorf("δ = %g/%g: shares %.6f/%.6f unique %v, want %.6f for party 1", c.d1, c.d2, s.Share1, s.Share2, s.Unique, c.want)
		}
		if exact := (1 - c.d2) / (1 - c.d1*c.d2); c.d1*c.d2 < 1 && !near(s.Share1, exact, 1e-15) {
			t.Errorf("δ = %g/%g: share %.17g, formula %.17g", c.d1, c.d2, s.Share1, exact)
		}
	}
	if x, err := RubinsteinShare(0.9, 0.9); err != nil || !near(x, 1/1.9, 1e-15) {
		t.Errorf("RubinsteinShare(0.9, 0.9) = %v, %v", x, err)
	}
	if _, err := RubinsteinShare(1, 1); err == nil {
		t.Error("RubinsteinShare(1, 1): no error, want one (every split is an equilibrium)")
	}
}

// TestRubinsteinOutsideOption checks the outside option principle: with
// equal δ, party 2 gets max(δ/(1+δ), w2).
func TestRubinsteinOutsideOption(t *testing.T) {
	for _, c := range []struct {
		d, w2, want2 float64
		binds        bool
	}{
		{0.9, 0.3, 0.473684, false},
		{0.9, 0.6, 0.6, true},
		{0.9, 0.473684210526, 0.473684, true}, // at the threshold
		{0.5, 0.2, 1.0 / 3, false},
		{0.5, 0.9, 0.9, true},
	} {
		s, err := Alternating{Delta1: c.d, Delta2: c.d, Outside2: c.w2}.Solve()
		if err != nil {
			t.Fatal(err)
		}
		want := math.Max(c.d/(1+c.d), c.w2)
		if !near(s.Share2, c.want2, 5e-7) || !near(s.Share2, want, 1e-9) || s.Binds2 != c.binds || s.Binds1 {
			t.Errorf("δ = %g, w2 = %g: party 2 gets %.6f (binds %v/%v), want %.6f (binds %v)", c.d, c.w2, s.Share2, s.Binds1, s.Binds2, c.want2, c.binds)
		}
	}
	// Party 1's option binds when party 1 responds: δ = 0.9, w1 = 0.6 gives
	// party 2 as proposer 0.4, so party 1 as proposer 1 − 0.9·0.4 = 0.64.
	s, err := Alternating{Delta1: 0.9, Delta2: 0.9, Outside1: 0.6}.Solve()
	if err != nil || !near(s.Share1, 0.64, 1e-12) || !s.Binds1 || s.Binds2 {
		t.Errorf("w1 = 0.6: %+v, %v; want party 1 to get 0.64 with its option binding", s, err)
	}
	// Both bind: w1 = 0.5, w2 = 0.5 with δ = 0.9 leaves x = 0.5.
	s, err = Alternating{Delta1: 0.9, Delta2: 0.9, Outside1: 0.5, Outside2: 0.5}.Solve()
	if err != nil || !near(s.Share1, 0.5, 1e-12) || !s.Binds1 || !s.Binds2 {
		t.Errorf("w = 0.5/0.5: %+v, %v; want 0.5 with both binding", s, err)
	}
}

// TestRubinsteinFixedCosts checks Rubinstein's fixed-cost case: party 1
// gets 1 if c1 < c2, c2 if c1 > c2, and anything from c to 1 if equal.
func TestRubinsteinFixedCosts(t *testing.T) {
	for _, c := range []struct {
		c1, c2, lo, hi float64
	}{
		{0.1, 0.2, 1, 1},
		{0.2, 0.1, 0.1, 0.1},
		{0.3, 0.05, 0.05, 0.05},
		{0.1, 0.1, 0.1, 1},
		{0.25, 0.25, 0.25, 1},
	} {
		s, err := Alternating{Delta1: 1, Delta2: 1, Cost1: c.c1, Cost2: c.c2}.Solve()
		if err != nil {
			t.Fatal(err)
		}
		if !near(s.Share1Min, c.lo, 1e-12) || !near(s.Share1Max, c.hi, 1e-12) || s.Unique != (c.lo == c.hi) {
			t.Errorf("c = %g/%g: party 1 gets [%g, %g] unique %v, want [%g, %g]", c.c1, c.c2, s.Share1Min, s.Share1Max, s.Unique, c.lo, c.hi)
		}
	}
	// No discounting and no costs: every split is an equilibrium.
	s, err := Alternating{Delta1: 1, Delta2: 1}.Solve()
	if err != nil || s.Unique || s.Share1Min != 0 || s.Share1Max != 1 {
		t.Errorf("δ = 1, c = 0: %+v, %v; want every split", s, err)
	}
	// Costs with discounting, by hand: δ = 0.9, c1 = 0, c2 = 0.05:
	// x = (1 − δ + c2)/(1 − δ²) = 0.15/0.19.
	s, err = Alternating{Delta1: 0.9, Delta2: 0.9, Cost2: 0.05}.Solve()
	if err != nil || !near(s.Share1, 0.15/0.19, 1e-12) {
		t.Errorf("δ = 0.9, c2 = 0.05: %+v, %v; want %g", s, err, 0.15/0.19)
	}
}

// TestRubinsteinFiniteHorizon checks backward induction against shares
// worked out by hand.
func TestRubinsteinFiniteHorizon(t *testing.T) {
	for _, c := range []struct {
		name string
		g    Alternating
		want []float64 // the proposer's share from round 1 on
	}{
		{"one round: ultimatum", Alternating{Delta1: 0.9, Delta2: 0.9, Rounds: 1}, []float64{1}},
		// Round 2: party 2 takes all; round 1: party 2 must get δ2·1.
		{"two rounds", Alternating{Delta1: 0.9, Delta2: 0.8, Rounds: 2}, []float64{0.2, 1}},
		// Round 3: 1; round 2: 1 − 0.9 = 0.1; round 1: 1 − 0.9·0.1 = 0.91.
		{"three rounds", Alternating{Delta1: 0.9, Delta2: 0.9, Rounds: 3}, []float64{0.91, 0.1, 1}},
		// Round 4: 1; 3: 1 − 0.9 = 0.1; 2: 1 − 0.9·0.1 = 0.91; 1: 1 − 0.9·0.91 = 0.181.
		{"four rounds", Alternating{Delta1: 0.9, Delta2: 0.9, Rounds: 4}, []float64{0.181, 0.91, 0.1, 1}},
		// Costs without discounting: round 3: 1; round 2: 1 − (1 − 0.1) = 0.1;
		// round 1: 1 − (0.1 − 0.2) clipped at 0 → 1.
		{"costs", Alternating{Delta1: 1, Delta2: 1, Cost1: 0.1, Cost2: 0.2, Rounds: 3}, []float64{1, 0.1, 1}},
		// Outside option of party 2 (0.3) binds in round 1 of a 2-round game
		// with δ2 = 0.2: rejecting is worth 0.2.
		{"outside option", Alternating{Delta1: 0.9, Delta2: 0.2, Outside2: 0.3, Rounds: 2}, []float64{0.7, 1}},
	} {
		s, err := c.g.Solve()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(s.Rounds) != len(c.want) {
			t.Fatalf("%s: %d rounds, want %d", c.name, len(s.Rounds), len(c.want))
		}
		for i, r := range s.Rounds {
			if r.Round != i+1 || r.Proposer != 1+i%2 || !near(r.Share, c.want[i], 1e-12) {
				t.Errorf("%s: round %d = %+v, want proposer %d share %g", c.name, i+1, r, 1+i%2, c.want[i])
			}
		}
		if s.Share1 != s.Rounds[0].Share || !near(s.Share2, 1-s.Share1, 1e-15) {
			t.Errorf("%s: shares %g/%g do not match round 1", c.name, s.Share1, s.Share2)
		}
	}
	// A long game approaches the endless one.
	s, err := Alternating{Delta1: 0.9, Delta2: 0.8, Rounds: 501}.Solve()
	if err != nil || !near(s.Share1, 0.2/0.28, 1e-12) {
		t.Errorf("501 rounds: %g, %v; want %g", s.Share1, err, 0.2/0.28)
	}
}

func TestAlternatingCheck(t *testing.T) {
	for _, c := range []struct {
		g    Alternating
		want string
	}{
		{Alternating{Delta1: 1.1, Delta2: 0.9}, "discount factor of party 1"},
		{Alternating{Delta1: 0.9, Delta2: math.NaN()}, "discount factor of party 2"},
		{Alternating{Delta1: 0.9, Delta2: 0.9, Cost1: -1}, "per-round cost of party 1"},
		{Alternating{Delta1: 0.9, Delta2: 0.9, Outside2: 1.5}, "outside option of party 2"},
		{Alternating{Delta1: 0.9, Delta2: 0.9, Outside1: 0.6, Outside2: 0.6}, "add up to 1.2"},
		{Alternating{Delta1: 0.9, Delta2: 0.9, Rounds: -1}, "number of rounds"},
	} {
		_, err := c.g.Solve()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one saying %q", c.g, err, c.want)
		}
	}
}
