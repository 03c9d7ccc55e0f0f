package model_test

import (
	"math"
	"testing"

	"github.com/parleyhq/parley/internal/testkit"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/scenario"
)

const tol = 1e-9

// selfEnforcing builds model.md §9 check 4: both sides move in every phase,
// each paying c and receiving b, δ = 0.9, d = 1, r = 0.
func selfEnforcing(t *testing.T, phases int, c, b, lasting float64) [][]model.Terms {
	t.Helper()
	var moves []scenario.Move
	var ph []scenario.Phase
	for k := 0; k < phases; k++ {
		ma := testkit.Move(string(rune('a'+k))+"A", "A", c, "B", b)
		mb := testkit.Move(string(rune('a'+k))+"B", "B", c, "A", b)
		moves = append(moves, ma, mb)
		ph = append(ph, testkit.Phase(ma.ID, mb.ID))
	}
	a := testkit.Actor("A", 0.9, testkit.Type("o", 1, scenario.Opportunist))
	bb := testkit.Actor("B", 0.9, testkit.Type("o", 1, scenario.Opportunist))
	a.LastingValue, bb.LastingValue = lasting, lasting
	s := testkit.Scenario(40, []scenario.Actor{a, bb}, moves, ph...)
	r, err := model.Compile(s, "r")
	if err != nil {
		t.Fatal(err)
	}
	terms, _ := r.PathTerms([]int{0, 0})
	return terms
}

func TestSelfEnforcementMargins(t *testing.T) {
	cases := []struct {
		name    string
		phases  int
		c, b    float64
		lasting float64
		want    []float64
	}{
		{"three phases", 3, 1, 2, 0, []float64{0.71, -0.1, -1}},
		{"six half phases", 6, 0.5, 1, 0, []float64{1.34, 1.05, 0.72, 0.355, -0.05, -0.5}},
		{"three phases, lasting value 0.2", 3, 1, 2, 0.2, []float64{0.71 + 1.458, -0.1 + 1.62, -1 + 1.8}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			terms := selfEnforcing(t, tc.phases, tc.c, tc.b, tc.lasting)
			K := tc.phases
			for k, doc := range tc.want {
				// closed form: (b − c)·Σ_{j=1..K−k} δ^j + δ^(K−k+1)·lasting/(1 − δ) − c
				exact := -tc.c
				for j := 1; j <= K-(k+1); j++ {
					exact += (tc.b - tc.c) * math.Pow(0.9, float64(j))
				}
				exact += math.Pow(0.9, float64(K-k)) * tc.lasting / 0.1
				for a := 0; a < 2; a++ {
					got := terms[k][a].OpportunistMargin()
					if math.Abs(got-exact) > 1e-12 {
						t.Errorf("phase %d actor %d: margin %.6f, closed form %.6f", k+1, a, got, exact)
					}
					// model.md quotes these to two or three decimals
					if math.Abs(got-doc) > 0.005 {
						t.Errorf("phase %d actor %d: margin %.6f, model.md says %.3f", k+1, a, got, doc)
					}
					if holds := got >= 0; holds != (doc >= 0) {
						t.Errorf("phase %d actor %d: holds=%v, model.md says %v", k+1, a, holds, doc >= 0)
					}
				}
			}
		})
	}
}

func TestThresholds(t *testing.T) {
	tm := model.Terms{C: 1, B: 2, L: 1}
	if got := tm.TrustThreshold(); math.Abs(got-0.5) > tol {
		t.Errorf("trust threshold %v, want 1/2", got)
	}
	for _, tc := range []struct{ c, t, want float64 }{{1, 0.5, 2.0 / 3}, {1, 0, 0.5}} {
		if got := model.KyddThreshold(tc.c, tc.t); math.Abs(got-tc.want) > tol {
			t.Errorf("Kydd(c=%v, t=%v) = %v, want %v", tc.c, tc.t, got, tc.want)
		}
	}
	// The engine's threshold L/(N+L) is Kydd's with c = L/N and t = 0.
	n, l := 1.7, 0.6
	tm = model.Terms{B: n + 0.4, C: 0.4, L: l}
	if got, want := tm.TrustThreshold(), model.KyddThreshold(l/n, 0); math.Abs(got-want) > tol {
		t.Errorf("L/(N+L) = %v, Kydd(L/N, 0) = %v", got, want)
	}
	// p*(c) rises in fear and in temptation.
	if !(model.KyddThreshold(2, 0.5) > model.KyddThreshold(1, 0.5) && model.KyddThreshold(1, 0.8) > model.KyddThreshold(1, 0.5)) {
		t.Error("Kydd threshold must rise in c and in t")
	}
}

func TestChoose(t *testing.T) {
	inf := math.Inf(1)
	if model.Choose(0, 1, inf) != 1 || model.Choose(-1e-9, 1, inf) != 0 || model.Choose(-1e-13, 1, inf) != 1 {
		t.Error("deterministic rule must keep iff m ≥ −1e-12")
	}
	if got := model.Choose(0.1, 2, 20); math.Abs(got-1/(1+math.Exp(-1))) > tol {
		t.Errorf("σ(λm/S) = %v", got)
	}
	if model.Choose(5, 0, 20) != 1 {
		t.Error("S = 0 must use the deterministic rule")
	}
}

func TestLogisticShortcutIsExact(t *testing.T) {
	for _, x := range []float64{37, 37.5, 40, 100, 700} {
		if got, want := model.Logistic(x), 1/(1+math.Exp(-x)); got != want {
			t.Errorf("Logistic(%v) = %v, the formula gives %v", x, got, want)
		}
	}
}
