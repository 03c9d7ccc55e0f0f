package bargain

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomMixed builds a space with discrete issues of the given sizes and
// divisible issues on [0, 10], with random weights and evaluations (some
// divisible issues contested one way, some the other, some not at all).
func randomMixed(rng *rand.Rand, sizes []int, divisible int) *Space {
	s := &Space{Name: "mixed"}
	s.Parties[0] = Party{Name: "one", Discount: 1}
	s.Parties[1] = Party{Name: "two", Discount: 1}
	for i, m := range sizes {
		is := Issue{Name: "d" + string(rune('a'+i))}
		for k := range m {
			is.Values = append(is.Values, string(rune('p'+k)))
		}
		s.Issues = append(s.Issues, is)
		for p := range 2 {
			v := Valuation{Weight: rng.Float64()}
			for range m {
				v.Scores = append(v.Scores, float64(rng.IntN(5)))
			}
			normalise(v.Scores)
			s.Parties[p].Valuations = append(s.Parties[p].Valuations, v)
		}
	}
	for j := range divisible {
		s.Issues = append(s.Issues, Issue{Name: "x" + string(rune('a'+j)), Divisible: true, Min: 0, Max: 10})
		for p := range 2 {
			v := Valuation{Weight: rng.Float64(), AtMin: rng.Float64(), AtMax: rng.Float64()}
			s.Parties[p].Valuations = append(s.Parties[p].Valuations, v)
		}
	}
	return s
}

// bestU2From returns the most party 2 gets on the frontier among points
// giving party 1 at least x.
func bestU2From(f Frontier, x float64) float64 {
	best := math.Inf(-1)
	for _, p := range f {
		switch {
		case p.To.U1 < x:
		case p.From.U1 >= x:
			best = max(best, p.From.U2)
		default:
			best = max(best, p.At((x-p.From.U1)/(p.To.U1-p.From.U1)).U2)
		}
	}
	return best
}

// samples returns the utilities of every deal with the discrete values
// enumerated and each divisible amount on a grid of n+1 points.
func samples(s *Space, n int) []Point {
	deals := []Deal{{}}
	for _, is := range s.Issues {
		var opts []float64
		if is.Divisible {
			for k := 0; k <= n; k++ {
				opts = append(opts, is.Min+(is.Max-is.Min)*float64(k)/float64(n))
			}
		} else {
			for k := range is.Values {
				opts = append(opts, float64(k))
			}
		}
		var next []Deal
		for _, d := range deals {
			for _, o := range opts {
				next = append(next, append(append(Deal{}, d...), o))
			}
		}
		deals = next
	}
	pts := make([]Point, len(deals))
	for i, d := range deals {
		pts[i] = s.Utilities(d)
	}
	return pts
}

// TestMixedFrontierProperties checks the frontier of random spaces with
// both kinds of issues against a grid of their deals: no deal lies above
// the frontier, no deal dominates a point of it, and every piece's deals
// are worth its ends.
func TestMixedFrontierProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 40 {
		s := randomMixed(rng, []int{1 + rng.IntN(4), 1 + rng.IntN(4)}, 1+rng.IntN(3))
		a, err := Analyse(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		f := a.Frontier
		const tol = 1e-9
		for k, p := range f {
			if p.To.U1 < p.From.U1-tol || p.To.U2 > p.From.U2+tol {
				t.Fatalf("trial %d: piece %d runs the wrong way: %+v", trial, k, p)
			}
			if k > 0 && (p.From.U1 < f[k-1].To.U1-tol || p.From.U2 > f[k-1].To.U2+tol) {
				t.Fatalf("trial %d: piece %d (%v) is not after piece %d (%v)", trial, k, p.From, k-1, f[k-1].To)
			}
			for _, end := range []struct {
				pt Point
				d  Deal
			}{{p.From, p.FromDeal}, {p.To, p.ToDeal}} {
				if u := s.Utilities(end.d); !near(u.U1, end.pt.U1, tol) || !near(u.U2, end.pt.U2, tol) {
					t.Fatalf("trial %d: piece %d: deal %v is worth %v, not %v", trial, k, end.d, u, end.pt)
				}
			}
		}
		pts := samples(s, 10)
		for _, q := range pts {
			if b := bestU2From(f, q.U1-tol); b < q.U2-tol {
				t.Fatalf("trial %d: deal worth %v lies above the frontier (best u2 there %v)", trial, q, b)
			}
		}
		for k, p := range f {
			for _, x := range []Point{p.From, p.At(0.5), p.To} {
				for _, q := range pts {
					if q.U1 >= x.U1+tol && q.U2 >= x.U2+tol {
						t.Fatalf("trial %d: piece %d point %v is dominated by a deal worth %v", trial, k, x, q)
					}
				}
			}
		}
	}
}

// TestDivisibleWithoutTrade covers divisible issues both parties rank the
// same way: they add a constant and the frontier is the discrete one.
func TestDivisibleWithoutTrade(t *testing.T) {
	s := &Space{
		Issues: []Issue{
			{Name: "colour", Values: []string{"red", "blue"}},
			{Name: "budget", Divisible: true, Min: 0, Max: 100},
		},
		Parties: [2]Party{
			{Name: "a", Discount: 1, Valuations: []Valuation{{Weight: 0.5, Scores: []float64{1, 0}}, {Weight: 0.5, AtMin: 0, AtMax: 1}}},
			{Name: "b", Discount: 1, Valuations: []Valuation{{Weight: 0.5, Scores: []float64{0, 1}}, {Weight: 0.5, AtMin: 0.2, AtMax: 1}}},
		},
	}
	a, err := Analyse(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Frontier) != 2 || !nearPoint(a.Frontier[0].From, Point{0.5, 1}) || !nearPoint(a.Frontier[1].From, Point{1, 0.5}) {
		t.Fatalf("frontier = %+v, want (0.5, 1) and (1, 0.5)", a.Frontier)
	}
	if d := a.Frontier[0].FromDeal; d[0] != 1 || d[1] != 100 {
		t.Errorf("deal = %v, want blue with a budget of 100", d)
	}
	if got := s.DealString(a.Frontier[1].FromDeal); got != "colour=red, budget=100" {
		t.Errorf("deal = %q", got)
	}
	// The region of the budget is the segment from (0, 0.1) to (0.5, 0.5).
	if len(a.Region) != 2 || !nearPoint(a.Region[0], Point{0, 0.1}) || !nearPoint(a.Region[1], Point{0.5, 0.5}) {
		t.Errorf("region = %v", a.Region)
	}
}

// TestZOPA checks a single price: the seller's reservation 0.3 and the
// buyer's 0.4 leave prices from 30 to 60.
func TestZOPA(t *testing.T) {
	s := &Space{
		Issues: []Issue{{Name: "price", Divisible: true, Min: 0, Max: 100}},
		Parties: [2]Party{
			{Name: "seller", Reservation: 0.3, Discount: 1, Valuations: []Valuation{{Weight: 1, AtMin: 0, AtMax: 1}}},
			{Name: "buyer", Reservation: 0.4, Discount: 1, Valuations: []Valuation{{Weight: 1, AtMin: 1, AtMax: 0}}},
		},
	}
	a, err := Analyse(s, Options{Power: 0.75})
	if err != nil {
		t.Fatal(err)
	}
	z := a.ZOPA
	if z.Empty() || z.Inside != -1 || len(z.Frontier) != 1 {
		t.Fatalf("ZOPA = %+v", z)
	}
	if lo, hi := z.Frontier[0].FromDeal[0], z.Frontier[0].ToDeal[0]; !near(lo, 30, 1e-9) || !near(hi, 60, 1e-9) {
		t.Errorf("ZOPA prices %g to %g, want 30 to 60", lo, hi)
	}
	if !nearPoint(z.Ideal, Point{0.6, 0.7}) {
		t.Errorf("ideal = %v, want (0.6, 0.7)", z.Ideal)
	}
	// Nash splits the surplus 0.3 equally: price 45; with power 0.75 for the
	// seller, 0.3 + 0.75·0.3 = 0.525: price 52.5.
	// Every price is utilitarian (the sum is always 1); the tie goes to the
	// largest Nash product.
	want := map[string]float64{"Nash": 45, "asymmetric Nash (power 0.75)": 52.5, "Kalai–Smorodinsky": 45, "egalitarian": 45, "utilitarian": 45}
	for _, sol := range a.Solutions {
		if w, ok := want[sol.Name()]; ok && !near(sol.Deal[0], w, 1e-9) {
			t.Errorf("%s: price %g, want %g", sol.Name(), sol.Deal[0], w)
		}
	}
	if len(a.Solutions) != 5 {
		t.Errorf("%d solutions, want 5", len(a.Solutions))
	}
	// Discounting parties add the alternating-offers solution: the seller
	// proposes first and gets 0.3 + 0.3·(1 − 0.9)/(1 − 0.95·0.9).
	s.Parties[0].Discount, s.Parties[1].Discount = 0.95, 0.9
	a, err = Analyse(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	last := a.Solutions[len(a.Solutions)-1]
	if want := 0.3 + 0.3*0.1/(1-0.855); last.Concept != Rubinstein || !near(last.Point.U1, want, 1e-12) || !near(last.Deal[0], 100*want, 1e-9) {
		t.Errorf("alternating offers: %+v, want u1 = %g", last, want)
	}
	// Reservations that add up to more than the pie leave no ZOPA.
	s.Parties[0].Reservation, s.Parties[1].Reservation = 0.6, 0.6
	a, err = Analyse(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !a.ZOPA.Empty() || len(a.Solutions) != 0 {
		t.Errorf("reservations 0.6/0.6: ZOPA %+v, solutions %+v; want none", a.ZOPA, a.Solutions)
	}
}

// TestAssessDiscrete checks a Laptop deal against brute force.
func TestAssessDiscrete(t *testing.T) {
	s := readGeniusCase(t, geniusCases[0])
	a, err := Analyse(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.ParseDeal([]string{"Laptop=Dell", "Harddisk=120 Gb", "External Monitor=23'' LCD"})
	if err != nil {
		t.Fatal(err)
	}
	as, err := a.Assess(d)
	if err != nil {
		t.Fatal(err)
	}
	p := s.Utilities(d)
	dominating := 0
	for k := range a.Outcomes {
		q := s.Utilities(a.OutcomeDeal(k))
		if q.U1 >= p.U1 && q.U2 >= p.U2 && (q.U1 > p.U1 || q.U2 > p.U2) {
			dominating++
		}
	}
	if as.Efficient || as.Dominating != dominating || dominating == 0 || len(as.Improvements) != 4 {
		t.Errorf("assessment %+v, want %d dominating outcomes and the 4 Pareto points as improvements", as, dominating)
	}
	best := math.Inf(1)
	for _, pc := range a.Frontier {
		best = min(best, math.Hypot(pc.From.U1-p.U1, pc.From.U2-p.U2))
	}
	if !near(as.Distance, best, 1e-12) {
		t.Errorf("distance %g, want %g", as.Distance, best)
	}
	// A Pareto outcome is efficient.
	as, _ = a.Assess(a.Frontier[2].FromDeal)
	if !as.Efficient || as.Dominating != 0 || as.Distance != 0 {
		t.Errorf("Pareto outcome: %+v", as)
	}
}

func TestParseDeal(t *testing.T) {
	s := pie([]float64{0.6, 0.4}, []float64{0.2, 0.8})
	for _, c := range []struct {
		in   []string
		want string
	}{
		{[]string{"A=0.5"}, `leaves out "B"`},
		{[]string{"A=0.5", "B=2"}, "from 0 to 1"},
		{[]string{"A=0.5", "C=1"}, `no issue "C"`},
		{[]string{"A=0.5", "A=1"}, "given twice"},
		{[]string{"A"}, "ISSUE=VALUE"},
	} {
		if _, err := s.ParseDeal(c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: error %v, want one saying %q", c.in, err, c.want)
		}
	}
	d, err := s.ParseDeal([]string{"B = 0.25", "A=1"})
	if err != nil || d[0] != 1 || d[1] != 0.25 {
		t.Errorf("got %v, %v", d, err)
	}
}

func TestValidate(t *testing.T) {
	s := pie([]float64{0.6}, []float64{0.4})
	s.Issues = append(s.Issues, Issue{Name: "A", Values: []string{"x", "x"}}, Issue{Name: "C", Divisible: true, Min: 1, Max: 1})
	s.Parties[1].Discount = 0
	s.Parties[0].Reservation = math.NaN()
	err := s.Validate()
	for _, want := range []string{
		`issues[1].name: issue name "A" is already used by issues[0]`,
		`issues[1].values[1]: value "x" is already values[0]`,
		"issues[2]: a divisible issue needs finite bounds with min < max",
		"parties[0].reservation: must be a finite number",
		"parties[0].valuations: has 1 entries for 3 issues",
		"parties[1].discount: must be in (0, 1]",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to say %q", err, want)
		}
	}
}

// TestMixedTooLarge checks that a space whose mixed frontier would need too
// many pairwise comparisons is refused rather than left to run.
func TestMixedTooLarge(t *testing.T) {
	const n = MaxMixedPieces + 1
	s := &Space{Issues: []Issue{{Name: "d"}, {Name: "x", Divisible: true, Min: 0, Max: 1}}}
	v1, v2 := Valuation{Weight: 1}, Valuation{Weight: 1}
	for k := range n {
		s.Issues[0].Values = append(s.Issues[0].Values, fmt.Sprint("v", k))
		v1.Scores = append(v1.Scores, float64(k)/n)
		v2.Scores = append(v2.Scores, 1-float64(k)/n)
	}
	s.Parties[0] = Party{Name: "a", Discount: 1, Valuations: []Valuation{v1, {Weight: 0.5, AtMax: 1}}}
	s.Parties[1] = Party{Name: "b", Discount: 1, Valuations: []Valuation{v2, {Weight: 0.5, AtMin: 1}}}
	_, err := Analyse(s, Options{})
	if err == nil || !strings.Contains(err.Error(), "compares at most") {
		t.Errorf("error %v, want one about too many pieces", err)
	}
}
