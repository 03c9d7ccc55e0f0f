package ipd

import (
	"fmt"
	"math"
	"testing"
)

// TestTitForTatNoiseOracle checks theory.md §6: tit for tat against itself
// under any noise ε in (0,1) averages (R+S+T+P)/4 in the long run, because
// the chain is doubly stochastic.
func TestTitForTatNoiseOracle(t *testing.T) {
	tft := MustLookup("TitForTat")
	for _, p := range []Payoffs{DefaultPayoffs, {R: 9, S: 0, T: 10, P: 1}} {
		want := (p.R + p.S + p.T + p.P) / 4
		for _, eps := range []float64{1e-6, 0.01, 0.05, 0.3, 0.5, 0.9} {
			lr, ok := ExactLongRunOf(tft, tft, p, eps)
			if !ok || !lr.Ergodic {
				t.Fatalf("TitForTat is not memory-one, or the noisy chain is not ergodic")
			}
			for k := 0; k < 2; k++ {
				if !close(lr.Scores[k], want, 1e-9) {
					t.Errorf("%v, ε = %v: player %d long-run payoff %v, want %v", p, eps, k+1, lr.Scores[k], want)
				}
			}
			for s, f := range lr.Freq {
				if !close(f, 0.25, 1e-9) {
					t.Errorf("%v, ε = %v: frequency of %s = %v, want 1/4", p, eps, stateNames[s], f)
				}
			}
		}
	}
}

// TestExactNoiseless checks the long-run payoffs of noiseless pairs worked
// out by hand, including periodic and reducible chains whose limit depends
// on the opening.
func TestExactNoiseless(t *testing.T) {
	for _, c := range []struct {
		a, b   string
		s1, s2 float64
	}{
		{"TitForTat", "TitForTat", 3, 3},
		{"TitForTat", "SuspiciousTitForTat", 2.5, 2.5},       // CD, DC, CD, … alternate
		{"SuspiciousTitForTat", "SuspiciousTitForTat", 1, 1}, // DD for ever
		{"Cooperator", "Defector", 0, 5},
		{"WinStayLoseShift", "Defector", 0.5, 3}, // C, D, C, D against D: S and P in turn
		{"Alternator", "Cooperator", 4, 1.5},     // T and R in turn
		{"Bully", "Cooperator", 5, 0},
		{"Random(0.5)", "Random(0.5)", 2.25, 2.25},
		{"GTFT(0.3)", "Cooperator", 3, 3},
		{"FirmButFair", "Defector", 0.6, 2.6}, // DD → CD w.p. 2/3, CD → DD: DD 3/5, CD 2/5 of the time
	} {
		lr, ok := ExactLongRunOf(MustLookup(c.a), MustLookup(c.b), DefaultPayoffs, 0)
		if !ok {
			t.Fatalf("%s or %s is not memory-one", c.a, c.b)
		}
		if !close(lr.Scores[0], c.s1, 1e-12) || !close(lr.Scores[1], c.s2, 1e-12) {
			t.Errorf("%s vs %s: long-run payoffs %v, want %v %v", c.a, c.b, lr.Scores, c.s1, c.s2)
		}
	}
}

// TestGTFTForgiveness checks theory.md §6: Nowak and Sigmund's generosity is
// min{1 − (T−R)/(R−S), (R−P)/(T−P)} = 1/3 for 5,3,1,0, and GTFT plays it.
func TestGTFTForgiveness(t *testing.T) {
	if q := gtftForgiveness(DefaultPayoffs); !close(q, 1.0/3, 1e-15) {
		t.Errorf("forgiveness = %v, want 1/3", q)
	}
	m, _ := MustLookup("GTFT").MemoryOne(DefaultPayoffs)
	if m.P[0] != 1 || m.P[2] != 1 || !close(m.P[1], 1.0/3, 1e-15) || !close(m.P[3], 1.0/3, 1e-15) || m.Initial != 1 {
		t.Errorf("GTFT's rule = %v, want (1,1/3,1,1/3) start 1", m)
	}
	// Gambit's pd.nfg payoffs (T,R,P,S = 10,9,1,0): min(1 − 1/9, 8/9) = 8/9.
	if q := gtftForgiveness(Payoffs{R: 9, S: 0, T: 10, P: 1}); !close(q, 8.0/9, 1e-15) {
		t.Errorf("forgiveness for 10,9,1,0 = %v, want 8/9", q)
	}
}

// TestExtortionerEnforcesLinearRelation checks Press and Dyson's theorem:
// without noise, an extortioner with factor χ makes s_X − P = χ(s_Y − P)
// against any memory-one opponent.
func TestExtortionerEnforcesLinearRelation(t *testing.T) {
	opponents := []string{"Cooperator", "TitForTat", "WinStayLoseShift", "GTFT", "Random(0.7)",
		"MemoryOne(0.9,0.2,0.6,0.4)", "FirmButFair", "FirstByJoss"}
	for _, x := range []string{"Extortioner", "Extortioner(2,1/18)", "Extortioner(5,0.02)"} {
		ex := MustLookup(x)
		chi := map[string]float64{"Extortioner": 3, "Extortioner(2,1/18)": 2, "Extortioner(5,0.02)": 5}[x]
		for _, y := range opponents {
			lr, ok := ExactLongRunOf(ex, MustLookup(y), DefaultPayoffs, 0)
			if !ok {
				t.Fatal("not memory-one")
			}
			p := DefaultPayoffs.P
			if got, want := lr.Scores[0]-p, chi*(lr.Scores[1]-p); !close(got, want, 1e-9) {
				t.Errorf("%s vs %s: s_X − P = %v, χ(s_Y − P) = %v", x, y, got, want)
			}
		}
	}
	// The reference library's named zero-determinant rules, in Hilbe's form
	// s_Y − l = s·(s_X − l): ZDExtort2 (l = P, s = 1/2) and ZDGTFT2 (l = R, s = 1/2).
	for _, c := range []struct {
		name string
		l    float64
		want [4]float64
	}{
		{"ZDExtort2", DefaultPayoffs.P, [4]float64{8.0 / 9, 0.5, 1.0 / 3, 0}},
		{"ZDGTFT2", DefaultPayoffs.R, [4]float64{1, 1.0 / 8, 1, 1.0 / 4}},
	} {
		zd := MustLookup(c.name)
		m, _ := zd.MemoryOne(DefaultPayoffs)
		for k := range m.P {
			if !close(m.P[k], c.want[k], 1e-15) {
				t.Errorf("%s = %v, want %v", c.name, m.P, c.want)
			}
		}
		for _, y := range opponents {
			lr, _ := ExactLongRunOf(zd, MustLookup(y), DefaultPayoffs, 0)
			if got, want := lr.Scores[1]-c.l, 0.5*(lr.Scores[0]-c.l); !close(got, want, 1e-9) {
				t.Errorf("%s vs %s: s_Y − l = %v, s(s_X − l) = %v", c.name, y, got, want)
			}
		}
	}
	m, _ := MustLookup("Extortioner").MemoryOne(DefaultPayoffs)
	want := [4]float64{11.0 / 13, 0.5, 7.0 / 26, 0} // Press and Dyson's example
	for k := range want {
		if !close(m.P[k], want[k], 1e-15) {
			t.Errorf("Extortioner(3,1/26) = %v, want %v", m.P, want)
		}
	}
}

// TestWSLSNoise checks theory.md §6: WSLS against itself returns to CC two
// turns after an error, so its long-run payoff tends to R as ε → 0.
func TestWSLSNoise(t *testing.T) {
	w := MustLookup("WinStayLoseShift")
	prev := 0.0
	for _, eps := range []float64{0.1, 0.01, 0.001, 1e-5} {
		lr, _ := ExactLongRunOf(w, w, DefaultPayoffs, eps)
		if lr.Scores[0] <= prev || math.Abs(lr.Scores[0]-DefaultPayoffs.R) > 30*eps {
			t.Errorf("ε = %v: WSLS self-play payoff %v, want it rising towards 3 within 30ε", eps, lr.Scores[0])
		}
		prev = lr.Scores[0]
	}
}

// TestExactAgainstSimulation compares the exact long-run payoffs with the
// average of simulated matches for noisy pairs of memory-one rules. The
// simulation is 40 matches of 25,000 turns each; the tolerance is five
// standard errors of the mean over the matches, plus the bias of the
// opening (a few turns out of 25,000).
func TestExactAgainstSimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("long simulation")
	}
	pairs := [][2]string{
		{"TitForTat", "TitForTat"}, {"WinStayLoseShift", "TitForTat"}, {"GTFT", "Defector"},
		{"Extortioner", "GTFT"}, {"MemoryOne(0.9,0.2,0.6,0.4)", "FirmButFair"}, {"FirstByJoss", "Random(0.3)"},
		{"Bully", "Alternator"},
	}
	const matches, turns = 40, 25000
	for _, eps := range []float64{0.01, 0.1} {
		for _, pr := range pairs {
			s1, s2 := MustLookup(pr[0]), MustLookup(pr[1])
			lr, _ := ExactLongRunOf(s1, s2, DefaultPayoffs, eps)
			a, err := NewArena(Rules{Turns: turns, Noise: eps})
			if err != nil {
				t.Fatal(err)
			}
			p1, p2 := s1.New(), s2.New()
			for k := 0; k < 2; k++ {
				var sum, sum2 float64
				for m := 0; m < matches; m++ {
					o := a.Play(p1, p2, uint64(1000*m+7))
					x := o.Scores[k] / turns
					sum += x
					sum2 += x * x
				}
				mean := sum / matches
				se := math.Sqrt(max(0, sum2/matches-mean*mean) / (matches - 1))
				if tol := 5*se + 1e-3; math.Abs(mean-lr.Scores[k]) > tol {
					t.Errorf("%s vs %s, ε = %v, player %d: simulated %.5f, exact %.5f (tolerance %.5f)",
						pr[0], pr[1], eps, k+1, mean, lr.Scores[k], tol)
				}
			}
		}
	}
}

func ExampleExactLongRun() {
	gtft, _ := MustLookup("GTFT").MemoryOne(DefaultPayoffs)
	alld, _ := MustLookup("Defector").MemoryOne(DefaultPayoffs)
	lr := ExactLongRun(gtft, alld, DefaultPayoffs, 0)
	fmt.Printf("GTFT %.4f, Defector %.4f per turn\n", lr.Scores[0], lr.Scores[1])
	// Output: GTFT 0.6667, Defector 2.3333 per turn
}
