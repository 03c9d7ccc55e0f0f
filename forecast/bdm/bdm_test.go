package bdm

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/parleyhq/parley/forecast"
)

func readEU(t testing.TB) *forecast.Input {
	t.Helper()
	in, err := forecast.ReadFile("../testdata/bdm1d/eu_emissions_bdm1994.csv", "")
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func run(t testing.TB, in *forecast.Input, o Options) *Result {
	t.Helper()
	res, err := Run(context.Background(), in, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestReplications runs the EU data under the options of the two open
// replications and compares ten rounds of positions, and every round's
// risk exponents, with what their own code computes (run in Python 3:
// Masad's GroupDecisionModel.py with xmin 4 and xmax 10; McKibben's
// bdm_scholz_model.py with its capitulation test corrected to
// |EU_ij| > EU_ji). Actors in file order: Netherlands, Belgium,
// Luxembourg, Germany, France, Italy, UK, Ireland, Denmark, Greece.
func TestReplications(t *testing.T) {
	tests := []struct {
		preset    string
		positions [][]float64
		risk1     []float64
	}{
		{"masad", [][]float64{
			{4, 7, 10, 4, 10, 10, 10, 7.188031155980, 4, 7},
			{4, 7, 4, 4, 10, 10, 10, 7.123687964481, 4, 7},
			{4, 7, 10, 4, 10, 10, 10, 6.966525059790, 4, 7},
			{4, 7, 4, 4, 10, 10, 10, 7.153747411268, 4, 7},
			{4, 7, 10, 4, 10, 10, 10, 6.991446452735, 4, 7},
			{4, 7, 4, 4, 10, 10, 10, 7.180411409451, 4, 7},
			{4, 7, 10, 4, 10, 10, 10, 7.013619059285, 4, 7},
			{4, 7, 4, 4, 10, 10, 10, 7.204045045775, 4, 7},
			{4, 7, 10, 4, 10, 10, 10, 7.033324972075, 4, 7},
			{4, 7, 4, 4, 10, 10, 10, 7.224985020712, 4, 7},
		}, []float64{1.127198046301, 0.780917839132, 0.5, 1.127198046301, 1.077892298924, 1.077892298924, 2, 0.524782172174, 1.471696544982, 1.140479448018}},
		{"mckibben", [][]float64{
			{4, 8.415932315427, 7, 4, 10, 10, 10, 4, 4, 7},
			{4, 9.610859134120, 8.415932315427, 4, 10, 10, 10, 7, 4, 7},
			{4, 9.961979590401, 9.610859134120, 4, 10, 10, 10, 8.415932315427, 4, 7},
			{4, 4.800881140633, 9.961979590401, 4, 10, 10, 10, 9.610859134120, 4, 7},
			{4, 5.524237694197, 4.800881140633, 4, 10, 10, 10, 9.961979590401, 4, 7},
			{4, 7.472046361916, 5.524237694197, 4, 10, 10, 10, 5.524237694197, 4, 7},
			{4, 8.824593855262, 7.472046361916, 4, 10, 10, 10, 7.472046361916, 4, 7},
			{4, 9.671129769802, 8.824593855262, 4, 10, 10, 10, 8.824593855262, 4, 7},
			{4, 4.144849062501, 9.671129769802, 4, 10, 10, 10, 9.671129769802, 4, 7},
			{4, 4.291541224980, 4.144849062501, 4, 10, 10, 10, 4.144849062501, 4, 7},
		}, []float64{1.405652784218, 0.754195927244, 0.508863791027, 1.405652784218, 1.046523896057, 1.046523896057, 1.964898229507, 0.5, 2, 1.112124970858}},
	}
	for _, tt := range tests {
		t.Run(tt.preset, func(t *testing.T) {
			o := Presets[tt.preset]
			o.MaxRounds = 10
			res := run(t, readEU(t), o)
			if len(res.Rounds) != 10 {
				t.Fatalf("%d rounds (%s)", len(res.Rounds), res.Stop)
			}
			for r, want := range tt.positions {
				for i, x := range want {
					if got := res.Rounds[r].Positions[i]; math.Abs(got-x) > 1e-11 {
						t.Errorf("round %d: %s at %.12f, replication %.12f", r+1, res.Actors[i], got, x)
					}
				}
			}
			for i, x := range tt.risk1 {
				if got := res.Rounds[0].Risk[i]; math.Abs(got-x) > 1e-11 {
					t.Errorf("round 1: %s's risk exponent %.12f, replication %.12f", res.Actors[i], got, x)
				}
			}
		})
	}
}

// TestHandWorked checks P and EU by hand on the EU data. France (10)
// against Germany (4), d = 6: the actors at 4 vote -w, those at 7 nothing,
// those at 10 +w, with w = c·s. For France: FR+IT+UK = .096+.096+.144 =
// .336; against: NL+LU+DE+DK = .064+.006+.128+.05 = .248; P = .336/.584.
// With r = 1, U_succ = 2δ, U_fail = -2δ, U_sq = 0, so EU = 2δ(1 - 2 s_j
// (1 - P)) with δ = 1 and s_DE = .8.
func TestHandWorked(t *testing.T) {
	in := readEU(t)
	m := &model{opt: Defaults(), n: 10}
	x := make([]float64, 10)
	for i, a := range in.Actors {
		m.c = append(m.c, a.Capability)
		m.s = append(m.s, a.Salience[0])
		m.w = append(m.w, a.Capability*a.Salience[0])
		x[i] = a.Position[0]
	}
	ones := make([]float64, 10)
	for i := range ones {
		ones[i] = 1
	}
	const fr, de = 4, 3
	p := m.probabilities(x, 6, ones)
	wantP := 0.336 / 0.584
	if math.Abs(p[fr][de]-wantP) > 1e-12 {
		t.Errorf("P(FR>DE) = %.15f, want %.15f", p[fr][de], wantP)
	}
	// P(DE>FR) is the complement under the share formula
	if math.Abs(p[de][fr]-(1-wantP)) > 1e-12 {
		t.Errorf("P(DE>FR) = %.15f, want %.15f", p[de][fr], 1-wantP)
	}
	wantEU := 2 * (1 - 2*0.8*(1-wantP))
	if got := m.eu(x, 6, 7, p, fr, de, 1); math.Abs(got-wantEU) > 1e-12 {
		t.Errorf("EU(FR→DE) = %.15f, want %.15f", got, wantEU)
	}
	// the net formula: (.336 - .248)/.584
	m.opt.Probability = ProbNet
	if got := m.probabilities(x, 6, ones)[fr][de]; math.Abs(got-0.088/0.584) > 1e-12 {
		t.Errorf("net P(FR>DE) = %.15f, want %.15f", got, 0.088/0.584)
	}
}

// TestInvariants: under every combination of the discrete options, on
// every bdm1d data set: positions stay within the starting range,
// probabilities within [0, 1], exponents within [1/2, 2], the run stops by
// the stated rule, and repeats exactly.
func TestInvariants(t *testing.T) {
	files := []string{"eu_emissions_bdm1994.csv", "china_dmasad.csv", "honduras_dmasad.csv", "sultan_jmckib.csv"}
	var combos []Options
	for _, ref := range []Reference{RefMedian, RefMean} {
		for _, pr := range []Probability{ProbShare, ProbNet, ProbGlobal} {
			for _, v := range []Votes{VotesLinear, VotesRisk} {
				for _, pe := range []Perspective{PerspectiveOwner, PerspectiveEvaluator} {
					for _, ac := range []Accept{AcceptSmallestMove, AcceptHighestEU, AcceptByKind} {
						for _, rg := range []Range{RangeRound, RangeInitial} {
							o := Defaults()
							o.Reference, o.Probability, o.Votes, o.Perspective, o.Accept, o.Range = ref, pr, v, pe, ac, rg
							o.Q, o.T = 0.8, 0.6
							o.MaxRounds = 8
							combos = append(combos, o)
						}
					}
				}
			}
		}
	}
	for _, f := range files {
		in, err := forecast.ReadFile("../testdata/bdm1d/"+f, "")
		if err != nil {
			t.Fatal(err)
		}
		for ci, o := range combos {
			res := run(t, in, o)
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, x := range res.Start {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
			for ri, r := range res.Rounds {
				for i := range r.Positions {
					if r.Positions[i] < lo-1e-12 || r.Positions[i] > hi+1e-12 || r.Risk[i] < 0.5-1e-12 || r.Risk[i] > 2+1e-12 {
						t.Fatalf("%s %v round %d: actor %d at %g, r %g", f, o, ri+1, i, r.Positions[i], r.Risk[i])
					}
					for j := range r.Prob[i] {
						if p := r.Prob[i][j]; !(p >= 0 && p <= 1) {
							t.Fatalf("%s %v round %d: P = %g", f, o, ri+1, p)
						}
					}
				}
			}
			switch res.Stop {
			case "cap":
				if len(res.Rounds) != o.MaxRounds {
					t.Fatalf("%s: stopped at the cap after %d rounds", f, len(res.Rounds))
				}
			case "converged", "no range":
			default:
				t.Fatalf("%s: stop %q", f, res.Stop)
			}
			if ci%17 != 0 {
				continue
			}
			if again := run(t, in, o); !reflect.DeepEqual(res, again) {
				t.Fatalf("%s %v: a second run differs", f, o)
			}
		}
	}
}

func TestConvergence(t *testing.T) {
	// two actors who agree: no range, no round
	in := &forecast.Input{Dimensions: []forecast.Dimension{{Name: "x"}}, Actors: []forecast.Actor{
		{Name: "A", Capability: 1, Position: []float64{3}, Salience: []float64{0.5}},
		{Name: "B", Capability: 2, Position: []float64{3}, Salience: []float64{0.5}},
	}}
	res := run(t, in, Defaults())
	if res.Stop != "no range" || len(res.Rounds) != 0 || res.Median != 3 {
		t.Errorf("stop %q after %d rounds, median %g", res.Stop, len(res.Rounds), res.Median)
	}
}

func TestOptionsSet(t *testing.T) {
	o := Defaults()
	if err := o.Set("Accept", "Highest-EU"); err != nil || o.Accept != AcceptHighestEU {
		t.Errorf("Set: %v, %v", err, o.Accept)
	}
	if err := o.Set("accept", "largest"); err == nil {
		t.Error("no error for an unknown value")
	}
	if err := o.Set("mood", "calm"); err == nil {
		t.Error("no error for an unknown option")
	}
	o.MaxRounds = 0
	if _, err := Run(context.Background(), readEU(t), o); err == nil {
		t.Error("no error for MaxRounds 0")
	}
}

func BenchmarkEUDefaults(b *testing.B) {
	in := readEU(b)
	for b.Loop() {
		run(b, in, Defaults())
	}
}
