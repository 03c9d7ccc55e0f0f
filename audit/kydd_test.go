package audit_test

import (
	"math"
	"testing"

	"github.com/parleyhq/parley/audit"
	"github.com/parleyhq/parley/model"
)

// model.md §9 check 2: Kydd's stage game with CC = 1, DD = 0, sucker −c,
// temptation t; a trustworthy type cooperates iff trust ≥ c/(1 + c − t).
func TestKyddStageGame(t *testing.T) {
	for _, tc := range []struct{ c, t, threshold float64 }{
		{1, 0.5, 2.0 / 3},
		{1, 0, 0.5},
		{2, 0.5, 2 / 2.5},
		{0.5, 0.9, 0.5 / 0.6},
	} {
		if got := model.KyddThreshold(tc.c, tc.t); math.Abs(got-tc.threshold) > tol {
			t.Errorf("threshold(c=%v, t=%v) = %v, want %v", tc.c, tc.t, got, tc.threshold)
		}
		if !audit.KyddCooperates(tc.threshold, tc.c, tc.t) {
			t.Errorf("c=%v t=%v: does not cooperate at its threshold %v", tc.c, tc.t, tc.threshold)
		}
		if audit.KyddCooperates(tc.threshold-0.01, tc.c, tc.t) {
			t.Errorf("c=%v t=%v: cooperates below its threshold", tc.c, tc.t)
		}
		// the definition: cooperating is worth trust − (1 − trust)·c, defecting trust·t
		for _, p := range []float64{0, 0.1, 0.3, 0.5, 0.6, 0.7, 0.9, 1} {
			want := p-(1-p)*tc.c >= p*tc.t-1e-12
			if got := audit.KyddCooperates(p, tc.c, tc.t); got != want {
				t.Errorf("c=%v t=%v trust=%v: cooperates=%v, payoffs say %v", tc.c, tc.t, p, got, want)
			}
		}
	}
	// c = 1, t = 0.5: 2/3 cooperates, 0.66 does not
	if !audit.KyddCooperates(2.0/3, 1, 0.5) || audit.KyddCooperates(0.66, 1, 0.5) {
		t.Error("c = 1, t = 0.5 must cooperate at 2/3 and not at 0.66")
	}
	// a greedy type (t > 1) never cooperates short of certainty, and not even then when t > 1
	for _, p := range []float64{0, 0.5, 0.99, 1} {
		if audit.KyddCooperates(p, 1, 1.5) || audit.KyddCooperates(p, 0.2, 3) {
			t.Errorf("greedy type cooperates at trust %v", p)
		}
	}
	// the threshold rises in fear c and in temptation t
	if !(model.KyddThreshold(2, 0.5) > model.KyddThreshold(1, 0.5) && model.KyddThreshold(1, 0.8) > model.KyddThreshold(1, 0.5)) {
		t.Error("the threshold must rise in c and t")
	}
}

// The engine's trust threshold L/(N + L) is Kydd's with c = L/N and t = 0:
// the reciprocator's rule and the stage game agree for every trust.
func TestKyddIsTheEngineThreshold(t *testing.T) {
	for _, nl := range [][2]float64{{1, 1}, {1.7, 0.6}, {0.3, 2}, {5, 0.01}} {
		n, l := nl[0], nl[1]
		tm := model.Terms{B: n + 0.4, C: 0.4, L: l}
		if got, want := tm.TrustThreshold(), model.KyddThreshold(l/n, 0); math.Abs(got-want) > tol {
			t.Errorf("N=%v L=%v: L/(N+L) = %v, Kydd(L/N, 0) = %v", n, l, got, want)
		}
		for p := 0.0; p <= 1; p += 0.01 {
			tm.P = p
			// both sides scaled by 1/N: p·N − (1 − p)·L ≥ 0 ⇔ p − (1 − p)·L/N ≥ 0
			engine := tm.ReciprocatorMargin() >= -model.Tolerance*n
			if kydd := audit.KyddCooperates(p, l/n, 0); kydd != engine {
				t.Errorf("N=%v L=%v p=%v: Kydd %v, engine %v", n, l, p, kydd, engine)
			}
		}
	}
}
