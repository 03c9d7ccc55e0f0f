package smp

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/parleyhq/parley/forecast"
)

// threeActors is the hand-worked example: one dimension, every salience
// 100, positions 0, 50 and 100, capabilities 1, 2 and 1.
func threeActors() *forecast.Input {
	return &forecast.Input{
		Dimensions: []forecast.Dimension{{Name: "x", Min: 0, Max: 100, Bounded: true}},
		Actors: []forecast.Actor{
			{Name: "A", Capability: 1, Position: []float64{0}, Salience: []float64{1}},
			{Name: "B", Capability: 2, Position: []float64{50}, Salience: []float64{1}},
			{Name: "C", Capability: 1, Position: []float64{100}, Salience: []float64{1}},
		},
	}
}

// TestHandWorked checks the first state of the three-actor example against
// values worked out by hand.
//
// Risk-neutral utilities are 1 - d: A values the positions (1, .5, 0), B
// (.5, 1, .5), C (0, .5, 1). Votes weighted by capability give B over A
// 1.5 to .5, A against C 1 to 1, B over C 1.5 to .5, so P(B>A) = P(B>C) =
// 3/4 and P(A>C) = 1/2; the conditional election gives A, B, C
// (1/2·1/4·1/2, 3/4·1/2·3/4, 1/2·1/4·1/2) normalised: (2, 9, 2)/13. The Mid
// range turns these into risk attitudes R = (-1/2, 1, -1/2).
//
// With risk, B values A's and C's positions at (1 - 1/2)(1 + 1/2) = 3/4 and
// A and C value B's at (1/2)(1 - 1/4) = 3/8; the election of the reported
// probabilities then has P(B>A) = (2·1/4 + 3/8)/(2·1/4 + 3/8 + 5/8) = 7/12,
// giving (5/48, 49/288, 5/48) normalised: (30, 49, 30)/109.
//
// A's view of challenging B, with A's estimates of the others' attitudes
// (2R_A + R_i)/3, R^A = (-1/2, 0, -1/2): A's own weight 1 votes
// 1 - 3/8 = 5/8 for itself, B's weight 2 votes 2(1 - 1/2) = 1 for itself.
// C values A at 0 and B at 3/8: in the little contest it joins B, so A
// wins it with 5/8 / 2 = 5/16; with semi-commitment C compares
// 5/16·(0+0+1) + 11/16·(3·3/8) = 139/128 with 11/16·(3/8+3/8+1) = 154/128 and
// votes 15/128 for B. So P(A>B) = (5/8)/(5/8 + 1 + 15/128) = 80/223, and the
// expected gain is 80/223·2 + 143/223·3/4 - (1 + 3/8) = -39.375/223.
func TestHandWorked(t *testing.T) {
	in := threeActors()
	m := &model{opt: Defaults(), n: 3, nd: 1, cap: []float64{1, 2, 1}, wsal: []float64{1, 2, 1},
		sal: [][]float64{{1}, {1}, {1}}, lo: []float64{0}, span: []float64{100}}
	s := &state{pos: [][]float64{{0}, {0.5}, {1}}}
	s.ideal = clone(s.pos)
	if err := m.setup(s); err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{-0.5, 1, -0.5} {
		if math.Abs(s.risk[i]-want) > 1e-7 {
			t.Errorf("R[%d] = %g, want %g", i, s.risk[i], want)
		}
	}
	p, gain := m.challenge(s, 0, 0, 0, 1)
	if math.Abs(p-80.0/223) > 1e-9 || math.Abs(gain+39.375/223) > 1e-9 {
		t.Errorf("A's view of A challenging B: p %.10f gain %.10f, want %.10f %.10f", p, gain, 80.0/223, -39.375/223)
	}
	res, err := Run(context.Background(), in, Defaults())
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{30.0 / 109, 49.0 / 109, 30.0 / 109} {
		if math.Abs(res.States[0].Prob[i]-want) > 1e-7 {
			t.Errorf("prob[%d] = %g, want %g", i, res.States[0].Prob[i], want)
		}
	}
}

// optionSets are option combinations the invariants are checked under.
func optionSets() map[string]Options {
	sets := map[string]Options{"defaults": Defaults()}
	for _, p := range ParameterNames {
		for _, v := range Values(p) {
			o := Defaults()
			if err := o.Set(p, v); err != nil {
				panic(err)
			}
			sets[p+"="+v] = o
		}
	}
	return sets
}

// TestInvariants runs the KTAB examples under every single change of
// KTAB's defaults and checks what must hold whatever the options: every
// election's probabilities sum to 1, positions stay within each
// dimension's range of starting positions (bargains interpolate dimension
// by dimension), the run stops by the stated rule, and a seeded run
// repeats exactly.
//
// KTAB's other examples — SOE-Policy, SOE-Competitive, dummyData_6Dim and
// dummyData-a040, whose reference outputs are not available here — are
// checked the same way, except for the second run (with -short, under
// KTAB's defaults only).
func TestInvariants(t *testing.T) {
	files := []string{"dummyData_3Dim.csv", "SOE-Pol-Comp.csv", "smpExample_alice52.8.xml",
		"SOE-Policy.csv", "SOE-Competitive.csv", "dummyData_6Dim.csv", "dummyData-a040.csv"}
	for fi, file := range files {
		in := read(t, file)
		sets := optionSets()
		if testing.Short() && fi >= 3 {
			sets = map[string]Options{"defaults": Defaults()}
		}
		for name, opt := range sets {
			opt.Trace = true
			t.Run(file+"/"+name, func(t *testing.T) {
				res := run(t, in, opt)
				lo := append([]float64(nil), res.States[0].Positions[0]...)
				hi := append([]float64(nil), lo...)
				for _, p := range res.States[0].Positions {
					for k, x := range p {
						lo[k], hi[k] = math.Min(lo[k], x), math.Max(hi[k], x)
					}
				}
				for ti, st := range res.States {
					for i, p := range st.Positions {
						for k, x := range p {
							if x < lo[k]-1e-9 || x > hi[k]+1e-9 {
								t.Fatalf("state %d: actor %d dimension %d at %g, outside [%g, %g]", ti, i, k, x, lo[k], hi[k])
							}
						}
						if !(st.Prob[i] >= 0 && st.Prob[i] <= 1+1e-12) {
							t.Fatalf("state %d: prob %g", ti, st.Prob[i])
						}
					}
				}
				for ti, tr := range res.Turns {
					for _, c := range tr.Choices {
						if s := sum(c.Probs); math.Abs(s-1) > 1e-9 {
							t.Fatalf("turn %d: actor %d's election sums to %.12f", ti, c.Actor, s)
						}
					}
				}
				turns := len(res.Changes)
				if turns != len(res.States)-1 || turns < opt.MinTurns || turns > opt.MaxTurns {
					t.Fatalf("%d turns, %d states", turns, len(res.States))
				}
				for ti, c := range res.Changes[:turns-1] {
					if ti+1 >= opt.MinTurns && c < opt.StopRatio {
						t.Fatalf("turn %d: change %g below %g but the run went on", ti+1, c, opt.StopRatio)
					}
				}
				if last := res.Changes[turns-1]; turns < opt.MaxTurns && !(last < opt.StopRatio) {
					t.Fatalf("stopped after %d turns with change %g", turns, last)
				}
				if fi >= 3 {
					return // repeatability is checked on the smaller files
				}
				again := run(t, in, opt)
				if !reflect.DeepEqual(res, again) {
					t.Fatal("a second run with the same options differs")
				}
			})
		}
	}
}

// TestStochasticSeeds: the stochastic transitions follow the seed.
func TestStochasticSeeds(t *testing.T) {
	in := read(t, "SOE-Pol-Comp.csv")
	opt := Defaults()
	opt.Transitions = Stochastic
	a := run(t, in, opt)
	b := run(t, in, opt)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different runs")
	}
	opt.Seed++
	c := run(t, in, opt)
	if reflect.DeepEqual(a.States, c.States) {
		t.Error("seeds 15455440707583219804 and ...805 gave the same run")
	}
}

func TestFromInput(t *testing.T) {
	in := read(t, "smpExample_alice52.8.xml")
	o, err := FromInput(in)
	if err != nil {
		t.Fatal(err)
	}
	if o.PCE != MarkovIncentive || o.Transitions != Stochastic || o.VotingRule != PropCbc || o.Seed != 3507583219545544127 {
		t.Errorf("options %+v", o)
	}
	if o.Get("VotingRule") != "PropCbc" {
		t.Errorf("Get(VotingRule) = %s", o.Get("VotingRule"))
	}
	if err := o.Set("VotingRule", "Quadratic"); err == nil {
		t.Error("no error for an unknown value")
	}
	if err := o.Set("Mood", "Calm"); err == nil {
		t.Error("no error for an unknown parameter")
	}
}

// TestAccommodation: with KTAB's ideal adjustment, ideals lag behind the
// positions as the matrix says.
func TestAccommodation(t *testing.T) {
	in := read(t, "smpExample_alice52.8.xml")
	opt := Defaults()
	res := run(t, in, opt)
	s1 := res.States[1]
	// Alice keeps 0.87 of her new position and 0.13 of her old ideal
	for k := range s1.Ideals[0] {
		want := (0.87*s1.Positions[0][k]/100 + 0.13*res.States[0].Ideals[0][k]/100) * 100
		if math.Abs(s1.Ideals[0][k]-want) > 1e-9 {
			t.Errorf("Alice's ideal on dimension %d: %g, want %g", k, s1.Ideals[0][k], want)
		}
	}
	// Ellie (identity row) keeps her position as her ideal
	if !reflect.DeepEqual(s1.Ideals[4], s1.Positions[4]) {
		t.Errorf("Ellie's ideal %v, position %v", s1.Ideals[4], s1.Positions[4])
	}
}

func TestUnboundedDimension(t *testing.T) {
	in := threeActors()
	in.Dimensions[0].Bounded = false
	if _, err := Run(context.Background(), in, Defaults()); err == nil {
		t.Error("no error for a dimension without scale")
	}
}
