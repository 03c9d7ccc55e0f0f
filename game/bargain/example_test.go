package bargain_test

import (
	"fmt"

	"github.com/parleyhq/parley/game/bargain"
)

// Two issues that are shares of a pie, valued differently: each party
// takes the issue it cares about more (logrolling).
func ExampleAnalyse() {
	s := &bargain.Space{
		Issues: []bargain.Issue{
			{Name: "fund", Divisible: true, Min: 0, Max: 1},
			{Name: "trade", Divisible: true, Min: 0, Max: 1},
		},
		Parties: [2]bargain.Party{
			{Name: "A", Discount: 1, Valuations: []bargain.Valuation{{Weight: 0.6, AtMax: 1}, {Weight: 0.4, AtMax: 1}}},
			{Name: "B", Discount: 1, Valuations: []bargain.Valuation{{Weight: 0.2, AtMin: 1}, {Weight: 0.8, AtMin: 1}}},
		},
	}
	a, err := bargain.Analyse(s, bargain.Options{})
	if err != nil {
		panic(err)
	}
	for _, pc := range a.Frontier {
		fmt.Printf("(%.1f, %.1f) to (%.1f, %.1f)\n", pc.From.U1, pc.From.U2, pc.To.U1, pc.To.U2)
	}
	for _, sol := range a.Solutions {
		fmt.Printf("%s: (%.3f, %.3f) %s\n", sol.Name(), sol.Point.U1, sol.Point.U2, s.DealString(sol.Deal))
	}
	// Output:
	// (0.0, 1.0) to (0.6, 0.8)
	// (0.6, 0.8) to (1.0, 0.0)
	// Nash: (0.600, 0.800) fund=1, trade=0
	// Kalai–Smorodinsky: (0.667, 0.667) fund=1, trade=0.166667
	// egalitarian: (0.667, 0.667) fund=1, trade=0.166667
	// utilitarian: (0.600, 0.800) fund=1, trade=0
}

func ExampleAlternating() {
	for _, g := range []bargain.Alternating{
		{Delta1: 0.9, Delta2: 0.8},
		{Delta1: 0.9, Delta2: 0.9, Outside2: 0.6},
		{Delta1: 1, Delta2: 1, Cost1: 0.2, Cost2: 0.1},
		{Delta1: 0.9, Delta2: 0.9, Rounds: 3},
	} {
		s, err := g.Solve()
		if err != nil {
			panic(err)
		}
		fmt.Printf("%.6f %.6f\n", s.Share1, s.Share2)
	}
	// Output:
	// 0.714286 0.285714
	// 0.400000 0.600000
	// 0.100000 0.900000
	// 0.910000 0.090000
}

// A frontier given as a function: u2 = 1 − u1².
func ExampleCurve() {
	c := bargain.Curve{Lo: 0, Hi: 1, F: func(u float64) float64 { return 1 - u*u }}
	for _, concept := range []bargain.Concept{bargain.Nash, bargain.KalaiSmorodinsky} {
		p, _, _ := c.Solve(concept, bargain.Point{}, 0.5)
		fmt.Printf("%s: (%.6f, %.6f)\n", concept, p.U1, p.U2)
	}
	// Output:
	// Nash: (0.577350, 0.666667)
	// Kalai–Smorodinsky: (0.618034, 0.618034)
}
