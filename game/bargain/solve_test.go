package bargain

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestCurveOracle checks the oracle of theory.md §4: on u2 = 1 − u1² with
// d = 0, Nash is (1/√3, 2/3) and Kalai–Smorodinsky = egalitarian =
// ((√5−1)/2, (√5−1)/2).
func TestCurveOracle(t *testing.T) {
	cv := Curve{Lo: 0, Hi: 1, F: func(u float64) float64 { return 1 - u*u }}
	phi := (math.Sqrt(5) - 1) / 2
	for _, c := range []struct {
		c       Concept
		want    Point
		tol     float64
		printed Point // the oracle as theory.md prints it
	}{
		{Nash, Point{1 / math.Sqrt(3), 2.0 / 3}, 1e-7, Point{0.577350, 0.666667}},
		{KalaiSmorodinsky, Point{phi, phi}, 1e-15, Point{0.618034, 0.618034}},
		{Egalitarian, Point{phi, phi}, 1e-15, Point{0.618034, 0.618034}},
		{Utilitarian, Point{0.5, 0.75}, 1e-7, Point{0.5, 0.75}},
	} {
		got, ok, err := cv.Solve(c.c, Point{}, 0.5)
		if err != nil || !ok {
			t.Fatalf("%s: %v, %v", c.c, ok, err)
		}
		if !near(got.U1, c.want.U1, c.tol) || !near(got.U2, c.want.U2, c.tol) ||
			!near(got.U1, c.printed.U1, 5e-7) || !near(got.U2, c.printed.U2, 5e-7) {
			t.Errorf("%s = (%.9f, %.9f), want (%.9f, %.9f)", c.c, got.U1, got.U2, c.want.U1, c.want.U2)
		}
	}
	// Asymmetric Nash: maximise u^α (1−u²)^(1−α) ⇒ u² = α/(2 − α).
	got, _, _ := cv.Solve(Nash, Point{}, 0.7)
	if want := math.Sqrt(0.7 / 1.3); !near(got.U1, want, 1e-7) {
		t.Errorf("asymmetric Nash (0.7) u1 = %.9f, want %.9f", got.U1, want)
	}
	// A disagreement point beyond the curve leaves nothing.
	if _, ok, _ := cv.Solve(Nash, Point{0.9, 0.5}, 0.5); ok {
		t.Error("d = (0.9, 0.5) is above the curve, yet a solution was found")
	}
}

// TestPolylineMatchesCurve solves a fine polyline through u2 = 1 − u1²
// exactly and compares with the curve's solutions.
func TestPolylineMatchesCurve(t *testing.T) {
	const n = 10000
	cv := Curve{Lo: 0, Hi: 1, F: func(u float64) float64 { return 1 - u*u }}
	var f Frontier
	for i := range n {
		a, b := float64(i)/n, float64(i+1)/n
		f = append(f, Piece{From: Point{a, cv.F(a)}, To: Point{b, cv.F(b)}})
	}
	for _, d := range []Point{{}, {0.2, 0.1}, {0.5, 0}} {
		for _, c := range Concepts {
			want, _, _ := cv.Solve(c, d, 0.5)
			loc, ok, err := f.Solve(c, d, 0.5)
			if err != nil || !ok {
				t.Fatalf("%s: %v %v", c, ok, err)
			}
			if !near(loc.Point.U1, want.U1, 2.0/n) || !near(loc.Point.U2, want.U2, 2.0/n) {
				t.Errorf("d = %v, %s: polyline (%.6f, %.6f), curve (%.6f, %.6f)", d, c, loc.Point.U1, loc.Point.U2, want.U1, want.U2)
			}
		}
	}
}

// TestLinearFrontier checks the closed forms on u1 + u2 = 1: Nash gives
// u_i = d_i + (1 − d1 − d2)/2, the asymmetric Nash u1 = d1 + α(1 − d1 − d2).
func TestLinearFrontier(t *testing.T) {
	f := Frontier{{From: Point{0, 1}, To: Point{1, 0}}}
	for _, d := range []Point{{0, 0}, {0.2, 0.3}, {0.6, 0.1}} {
		surplus := 1 - d.U1 - d.U2
		for _, alpha := range []float64{0.5, 0.25, 0.9} {
			loc, ok, err := f.Solve(Nash, d, alpha)
			if err != nil || !ok || !near(loc.Point.U1, d.U1+alpha*surplus, 1e-12) {
				t.Errorf("d = %v, α = %g: Nash %v, want u1 = %g", d, alpha, loc.Point, d.U1+alpha*surplus)
			}
		}
		// Kalai–Smorodinsky: ideal (1 − d2, 1 − d1) makes it the midpoint too.
		for _, c := range []Concept{KalaiSmorodinsky, Egalitarian} {
			loc, _, _ := f.Solve(c, d, 0)
			if !near(loc.Point.U1, d.U1+surplus/2, 1e-12) {
				t.Errorf("d = %v: %s %v, want u1 = %g", d, c, loc.Point, d.U1+surplus/2)
			}
		}
	}
	if _, ok, _ := f.Solve(Nash, Point{0.6, 0.6}, 0.5); ok {
		t.Error("d = (0.6, 0.6): a solution was found, but no split gives both 0.6")
	}
	if _, _, err := f.Solve(Nash, Point{}, 1); err == nil {
		t.Error("power 1: no error")
	}
	if _, _, err := f.Solve("median", Point{}, 0); err == nil {
		t.Error("unknown concept: no error")
	}
}

// pie builds a space of divisible issues from 0 to 1, each the share of
// party 1, with party 1's weights a and party 2's b.
func pie(a, b []float64) *Space {
	s := &Space{Name: "pie"}
	for i := range a {
		s.Issues = append(s.Issues, Issue{Name: string(rune('A' + i)), Divisible: true, Min: 0, Max: 1})
		s.Parties[0].Valuations = append(s.Parties[0].Valuations, Valuation{Weight: a[i], AtMin: 0, AtMax: 1})
		s.Parties[1].Valuations = append(s.Parties[1].Valuations, Valuation{Weight: b[i], AtMin: 1, AtMax: 0})
	}
	s.Parties[0].Name, s.Parties[1].Name = "A", "B"
	s.Parties[0].Discount, s.Parties[1].Discount = 1, 1
	return s
}

// TestLogrolling checks theory.md §4: weights (0.6, 0.4) and (0.2, 0.8)
// logroll to (0.6, 0.8), A taking issue 1 and B issue 2, which dominates
// the 50/50 split (0.5, 0.5).
func TestLogrolling(t *testing.T) {
	s := pie([]float64{0.6, 0.4}, []float64{0.2, 0.8})
	a, err := Analyse(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := Frontier{
		{From: Point{0, 1}, To: Point{0.6, 0.8}, FromDeal: Deal{0, 0}, ToDeal: Deal{1, 0}},
		{From: Point{0.6, 0.8}, To: Point{1, 0}, FromDeal: Deal{1, 0}, ToDeal: Deal{1, 1}},
	}
	if len(a.Frontier) != len(want) {
		t.Fatalf("frontier = %+v, want %+v", a.Frontier, want)
	}
	for k := range want {
		g, w := a.Frontier[k], want[k]
		if !nearPoint(g.From, w.From) || !nearPoint(g.To, w.To) || !slices.Equal(g.FromDeal, w.FromDeal) || !slices.Equal(g.ToDeal, w.ToDeal) {
			t.Errorf("piece %d = %+v, want %+v", k, g, w)
		}
	}
	sols := map[Concept]Solution{}
	for _, sol := range a.Solutions {
		sols[sol.Concept] = sol
	}
	for c, w := range map[Concept]Point{Nash: {0.6, 0.8}, Utilitarian: {0.6, 0.8}, KalaiSmorodinsky: {2.0 / 3, 2.0 / 3}, Egalitarian: {2.0 / 3, 2.0 / 3}} {
		if got := sols[c]; !nearPoint(got.Point, w) || !nearPoint(s.Utilities(got.Deal), w) {
			t.Errorf("%s = %v with deal %v, want %v", c, got.Point, got.Deal, w)
		}
	}
	as, err := a.Assess(Deal{0.5, 0.5})
	if err != nil {
		t.Fatal(err)
	}
	if !nearPoint(as.Point, Point{0.5, 0.5}) || as.Efficient || !as.InZOPA || as.Dominating != -1 {
		t.Errorf("50/50: %+v", as)
	}
	// The nearest frontier point to (0.5, 0.5) is on u2 = 2 − 2·u1: its
	// distance is |0.5 + 2·0.5 − 2|/√5.
	if want := 0.5 / math.Sqrt(5); !near(as.Distance, want, 1e-12) {
		t.Errorf("distance = %g, want %g", as.Distance, want)
	}
	// The improvements are the frontier above (0.5, 0.5): from (0.5, 5/6)
	// on the first segment, through the logroll, to (0.75, 0.5) on the second.
	imp := as.Improvements
	if len(imp) != 2 || !nearPoint(imp[0].From, Point{0.5, 5.0 / 6}) || !nearPoint(imp[0].To, Point{0.6, 0.8}) || !nearPoint(imp[1].To, Point{0.75, 0.5}) {
		t.Errorf("improvements = %+v, want (0.5, 5/6) – (0.6, 0.8) – (0.75, 0.5)", imp)
	}
	if d := imp[1].ToDeal; d[0] != 1 || !near(d[1], 0.375, 1e-12) {
		t.Errorf("the last improvement's deal = %v, want A taking 3/8 of issue 2", imp[1].ToDeal)
	}
	if !nearPoint(as.Balanced.Point, Point{2.0 / 3, 2.0 / 3}) {
		t.Errorf("balanced improvement = %v, want (2/3, 2/3)", as.Balanced.Point)
	}
	as, _ = a.Assess(Deal{1, 0})
	if !as.Efficient || as.Distance != 0 || len(as.Improvements) != 0 {
		t.Errorf("the logroll: %+v, want efficient", as)
	}
}

func nearPoint(a, b Point) bool { return near(a.U1, b.U1, 1e-12) && near(a.U2, b.U2, 1e-12) }

// TestParetoIndicesBruteForce compares the sort-based frontier with the
// quadratic definition on random points with many ties.
func TestParetoIndicesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 1 + rng.IntN(60)
		u1, u2 := make([]float64, n), make([]float64, n)
		for i := range n {
			u1[i], u2[i] = float64(rng.IntN(8)), float64(rng.IntN(8))
		}
		var want []int
		for i := range n {
			dominated := false
			for j := range n {
				if u1[j] >= u1[i] && u2[j] >= u2[i] && (u1[j] > u1[i] || u2[j] > u2[i]) {
					dominated = true
				}
			}
			if !dominated {
				want = append(want, i)
			}
		}
		slices.SortStableFunc(want, func(a, b int) int {
			if u1[a] != u1[b] {
				if u1[a] < u1[b] {
					return -1
				}
				return 1
			}
			return a - b
		})
		if got := ParetoIndices(u1, u2); !slices.Equal(got, want) {
			t.Fatalf("trial %d: got %v, want %v (u1 %v, u2 %v)", trial, got, want, u1, u2)
		}
	}
}

// TestAlternatingOffersOnFrontier checks the alternating-offers solution on
// a frontier against Rubinstein's closed form and its Nash limit.
func TestAlternatingOffersOnFrontier(t *testing.T) {
	pie := Frontier{{From: Point{0, 1}, To: Point{1, 0}}}
	for _, c := range []struct{ d1, d2 float64 }{{0.9, 0.9}, {0.9, 0.8}, {0.8, 0.9}, {0.5, 0.99}} {
		loc, ok, err := pie.AlternatingOffers(Point{}, c.d1, c.d2)
		want := (1 - c.d2) / (1 - c.d1*c.d2)
		if err != nil || !ok || !near(loc.Point.U1, want, 1e-12) {
			t.Errorf("δ = %g/%g: %v %v %v, want u1 = %g", c.d1, c.d2, loc.Point, ok, err, want)
		}
	}
	// With a disagreement point the surplus over it is what is split.
	loc, _, _ := pie.AlternatingOffers(Point{0.3, 0.4}, 0.95, 0.9)
	if want := 0.3 + 0.3*(1-0.9)/(1-0.95*0.9); !near(loc.Point.U1, want, 1e-12) {
		t.Errorf("with d: u1 = %.12f, want %.12f", loc.Point.U1, want)
	}
	// On a concave frontier, patient parties approach the Nash solution.
	var f Frontier
	const n = 200
	for i := range n {
		a, b := float64(i)/n, float64(i+1)/n
		f = append(f, Piece{From: Point{a, 1 - a*a}, To: Point{b, 1 - b*b}})
	}
	nash, _, _ := f.Solve(Nash, Point{}, 0.5)
	loc, ok, err := f.AlternatingOffers(Point{}, 0.9999, 0.9999)
	if err != nil || !ok || !near(loc.Point.U1, nash.Point.U1, 1e-3) {
		t.Errorf("δ → 1: %v, Nash %v", loc.Point, nash.Point)
	}
	// The proposal is worth to party 2 exactly δ2 times what party 2 would
	// propose for itself.
	loc, _, _ = f.AlternatingOffers(Point{}, 0.7, 0.6)
	x := loc.Point
	yU1 := 0.7 * x.U1
	yU2 := bestU2From(f, yU1)
	if !near(x.U2, 0.6*yU2, 1e-9) {
		t.Errorf("u2(x) = %g, δ2·u2(y) = %g", x.U2, 0.6*yU2)
	}
	// Discrete frontiers have no such equilibrium in general.
	pts := Frontier{{From: Point{0, 1}, To: Point{0, 1}}, {From: Point{1, 0}, To: Point{1, 0}}}
	if _, ok, _ := pts.AlternatingOffers(Point{}, 0.9, 0.9); ok {
		t.Error("a discrete frontier gave an alternating-offers solution")
	}
	if _, _, err := pie.AlternatingOffers(Point{}, 1, 1); err == nil {
		t.Error("δ = 1: no error")
	}
}
