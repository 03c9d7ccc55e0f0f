package bargain

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// DefaultMaxOutcomes is how many combinations of discrete values [Analyse]
// enumerates at most unless told otherwise: each costs 16 bytes and a share
// of one sort.
const DefaultMaxOutcomes = 10_000_000

// Options tune [Analyse].
type Options struct {
	// Power, if not 0, adds the asymmetric Nash solution in which party 1
	// has this bargaining power, strictly between 0 and 1.
	Power float64
	// MaxOutcomes caps the combinations of discrete values enumerated; 0
	// means DefaultMaxOutcomes.
	MaxOutcomes int
}

// Analysis is what [Analyse] finds in a deal space.
type Analysis struct {
	Space *Space
	// Outcomes is the number of combinations of values of the discrete
	// issues (1 when every issue is divisible).
	Outcomes int
	// U1 and U2 hold both parties' utilities from the discrete issues of
	// every combination, in mixed-radix order with the last discrete issue
	// changing fastest (see [Analysis.OutcomeDeal]). When every issue is
	// discrete these are the utilities of the outcomes.
	U1, U2 []float64
	// Region is the convex polygon, counter-clockwise, of the utilities the
	// divisible issues can add (nil when there are none): the feasible set
	// is every point of (U1, U2) plus every point of Region.
	Region []Point
	// Frontier is the exact Pareto frontier of the feasible set.
	Frontier Frontier
	// Disagreement is the pair of reservation values.
	Disagreement Point
	// ZOPA is the zone of possible agreement.
	ZOPA ZOPA
	// Solutions holds the bargaining solutions, in the order of
	// [Concepts], with the asymmetric Nash solution after the symmetric one
	// when Options.Power asks for it, and last the alternating-offers
	// solution ([Rubinstein]) when a party discounts and the frontier inside
	// the ZOPA is one continuous stretch. It is empty when the ZOPA is.
	Solutions []Solution

	discrete []int      // indices of the discrete issues
	div      *divisible // the divisible issues' contribution, nil without any
}

// ZOPA is the zone of possible agreement: the deals that give both parties
// at least their reservation values.
type ZOPA struct {
	// Frontier is the part of the Pareto frontier inside the zone; it is
	// empty when there is no zone of possible agreement.
	Frontier Frontier
	// Inside counts the outcomes in the zone when every issue is discrete,
	// and is -1 otherwise.
	Inside int
	// Ideal is the most each party can get inside the zone: the ideal point
	// of the Kalai–Smorodinsky solution. It is zero when the zone is empty.
	Ideal Point
}

// Empty reports whether no deal gives both parties their reservation values.
func (z ZOPA) Empty() bool { return len(z.Frontier) == 0 }

// Solution is one bargaining solution of a deal space.
type Solution struct {
	Concept Concept
	// Power is party 1's bargaining power (Nash only).
	Power float64
	Location
	// Deal is a deal that realises the solution.
	Deal Deal
}

// Name returns the solution's name, with the power of an asymmetric Nash
// solution.
func (s Solution) Name() string {
	if s.Concept == Nash && s.Power != 0.5 {
		return fmt.Sprintf("asymmetric Nash (power %g)", s.Power)
	}
	return s.Concept.String()
}

// Analyse enumerates the deal space, computes its exact Pareto frontier,
// its zone of possible agreement and its bargaining solutions, with the
// reservation values as the disagreement point.
//
// The frontier of the discrete issues comes from one sort of their
// combinations' utilities; that of the divisible issues from logrolling:
// starting from the deal party 2 likes best, the issues are conceded to
// party 1 in decreasing order of what party 1 gains per unit of utility
// party 2 gives up. With both kinds of issues, the frontier is that of the
// union of the divisible frontier translated to each undominated discrete
// combination, found by comparing every pair of its pieces.
func Analyse(s *Space, opt Options) (*Analysis, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if opt.Power != 0 {
		if err := checkPower(opt.Power); err != nil {
			return nil, err
		}
	}
	maxOut := opt.MaxOutcomes
	if maxOut <= 0 {
		maxOut = DefaultMaxOutcomes
	}
	a := &Analysis{Space: s, Disagreement: s.Disagreement(), Outcomes: 1}
	for i, is := range s.Issues {
		if !is.Divisible {
			a.discrete = append(a.discrete, i)
			n := len(is.Values)
			if a.Outcomes > maxOut/n {
				return nil, fmt.Errorf("the discrete issues combine into more than %d outcomes; parley enumerates at most %d", maxOut, maxOut)
			}
			a.Outcomes *= n
		}
	}
	a.enumerate()
	if len(a.discrete) < len(s.Issues) {
		a.div = s.logroll()
		a.Region = a.div.region
	}
	f, err := a.frontier()
	if err != nil {
		return nil, err
	}
	a.Frontier = f
	a.ZOPA = a.zopa()
	if !a.ZOPA.Empty() {
		type want struct {
			c Concept
			p float64
		}
		wants := []want{{Nash, 0.5}}
		if opt.Power != 0 && opt.Power != 0.5 {
			wants = append(wants, want{Nash, opt.Power})
		}
		wants = append(wants, want{KalaiSmorodinsky, 0}, want{Egalitarian, 0}, want{Utilitarian, 0})
		for _, w := range wants {
			loc, ok, err := a.Frontier.Solve(w.c, a.Disagreement, w.p)
			if err != nil {
				return nil, err
			}
			if ok {
				a.Solutions = append(a.Solutions, Solution{Concept: w.c, Power: w.p, Location: loc, Deal: a.Frontier.Deal(loc)})
			}
		}
		if d1, d2 := s.Parties[0].Discount, s.Parties[1].Discount; d1*d2 < 1 {
			loc, ok, err := a.Frontier.AlternatingOffers(a.Disagreement, d1, d2)
			if err != nil {
				return nil, err
			}
			if ok {
				a.Solutions = append(a.Solutions, Solution{Concept: Rubinstein, Location: loc, Deal: a.Frontier.Deal(loc)})
			}
		}
	}
	return a, nil
}

// enumerate fills U1 and U2 with the discrete issues' contributions. Each
// sum is built in issue order, so equal contributions give equal sums, and
// rounded to 12 decimal places, so that sums of the same numbers in another
// order compare equal too.
func (a *Analysis) enumerate() {
	u1, u2 := []float64{0}, []float64{0}
	for _, i := range a.discrete {
		v1, v2 := a.Space.Parties[0].Valuations[i], a.Space.Parties[1].Valuations[i]
		m := len(a.Space.Issues[i].Values)
		n1, n2 := make([]float64, len(u1)*m), make([]float64, len(u1)*m)
		for j := range u1 {
			for k := 0; k < m; k++ {
				n1[j*m+k] = u1[j] + v1.Weight*v1.Scores[k]
				n2[j*m+k] = u2[j] + v2.Weight*v2.Scores[k]
			}
		}
		u1, u2 = n1, n2
	}
	for j := range u1 {
		u1[j] = snap(u1[j])
		u2[j] = snap(u2[j])
	}
	a.U1, a.U2 = u1, u2
}

// snap rounds x to 12 decimal places.
func snap(x float64) float64 {
	if math.Abs(x) >= 1e6 {
		return x
	}
	return math.Round(x*1e12) / 1e12
}

// OutcomeDeal returns the deal of the k-th combination of discrete values,
// with every divisible issue at its Min.
func (a *Analysis) OutcomeDeal(k int) Deal {
	d := make(Deal, len(a.Space.Issues))
	for i, is := range a.Space.Issues {
		if is.Divisible {
			d[i] = is.Min
		}
	}
	for j := len(a.discrete) - 1; j >= 0; j-- {
		i := a.discrete[j]
		m := len(a.Space.Issues[i].Values)
		d[i] = float64(k % m)
		k /= m
	}
	return d
}

// divisible is what the divisible issues can add to the utilities.
type divisible struct {
	// base is the frontier's start: every contested issue at the end party
	// 2 prefers, every other at the end both weakly prefer.
	base    Point
	issues  []int     // the indices of the divisible issues
	amounts []float64 // the amounts at base, by issue index (0 for discrete issues)
	steps   []divStep // the contested issues, in the order they are conceded to party 1
	region  []Point
}

// divStep concedes one contested issue to party 1.
type divStep struct {
	issue int
	to    float64 // the amount after the step
	delta Point   // party 1 gains delta.U1 > 0, party 2 loses −delta.U2 > 0
}

// logroll builds the frontier of the divisible issues alone.
func (s *Space) logroll() *divisible {
	dv := &divisible{amounts: make([]float64, len(s.Issues))}
	var gens []Point
	lo := Point{}
	for i, is := range s.Issues {
		if !is.Divisible {
			continue
		}
		dv.issues = append(dv.issues, i)
		v1, v2 := s.Parties[0].Valuations[i], s.Parties[1].Valuations[i]
		pLo := Point{v1.Weight * v1.AtMin, v2.Weight * v2.AtMin}
		pHi := Point{v1.Weight * v1.AtMax, v2.Weight * v2.AtMax}
		d := Point{pHi.U1 - pLo.U1, pHi.U2 - pLo.U2}
		lo.U1 += pLo.U1
		lo.U2 += pLo.U2
		if d != (Point{}) {
			gens = append(gens, d)
		}
		switch {
		case d.U1 >= 0 && d.U2 >= 0 && d != (Point{}): // both prefer more
			dv.amounts[i] = is.Max
			dv.base.U1 += pHi.U1
			dv.base.U2 += pHi.U2
		case d.U1 <= 0 && d.U2 <= 0: // both prefer less, or do not care
			dv.amounts[i] = is.Min
			dv.base.U1 += pLo.U1
			dv.base.U2 += pLo.U2
		case d.U1 > 0: // party 1 wants more, party 2 less
			dv.amounts[i] = is.Min
			dv.base.U1 += pLo.U1
			dv.base.U2 += pLo.U2
			dv.steps = append(dv.steps, divStep{issue: i, to: is.Max, delta: d})
		default: // party 1 wants less, party 2 more
			dv.amounts[i] = is.Max
			dv.base.U1 += pHi.U1
			dv.base.U2 += pHi.U2
			dv.steps = append(dv.steps, divStep{issue: i, to: is.Min, delta: Point{-d.U1, -d.U2}})
		}
	}
	// Concede first the issues on which party 1 gains most per unit party
	// 2 loses: a_i/b_i > a_j/b_j  ⇔  a_i·b_j > a_j·b_i.
	slices.SortStableFunc(dv.steps, func(x, y divStep) int {
		return cmp.Compare(y.delta.U1*-x.delta.U2, x.delta.U1*-y.delta.U2)
	})
	dv.region = zonotope(lo, gens)
	return dv
}

// zonotope returns the polygon, counter-clockwise from its lowest point, of
// the set {lo + Σ t_i·g_i : t_i in [0, 1]}.
func zonotope(lo Point, gens []Point) []Point {
	// Point every generator into the upper half-plane, moving the start.
	up := make([]Point, len(gens))
	for i, g := range gens {
		if g.U2 < 0 || (g.U2 == 0 && g.U1 < 0) {
			lo.U1 += g.U1
			lo.U2 += g.U2
			g = Point{-g.U1, -g.U2}
		}
		up[i] = g
	}
	slices.SortStableFunc(up, func(x, y Point) int {
		return cmp.Compare(math.Atan2(x.U2, x.U1), math.Atan2(y.U2, y.U1))
	})
	poly := []Point{lo}
	p := lo
	for _, g := range up {
		p = Point{p.U1 + g.U1, p.U2 + g.U2}
		poly = append(poly, p)
	}
	for _, g := range up[:max(len(up)-1, 0)] {
		p = Point{p.U1 - g.U1, p.U2 - g.U2}
		poly = append(poly, p)
	}
	return poly
}

// pieces returns the divisible frontier translated by (at, deal): deal
// gives the discrete issues' values.
func (dv *divisible) pieces(at Point, deal Deal) []Piece {
	cur := Point{at.U1 + dv.base.U1, at.U2 + dv.base.U2}
	d := slices.Clone(deal)
	for _, i := range dv.issues {
		d[i] = dv.amounts[i]
	}
	if len(dv.steps) == 0 {
		return []Piece{{From: cur, To: cur, FromDeal: d, ToDeal: d}}
	}
	out := make([]Piece, 0, len(dv.steps))
	for _, st := range dv.steps {
		next := Point{cur.U1 + st.delta.U1, cur.U2 + st.delta.U2}
		nd := slices.Clone(d)
		nd[st.issue] = st.to
		out = append(out, Piece{From: cur, To: next, FromDeal: d, ToDeal: nd})
		cur, d = next, nd
	}
	return out
}

// MaxMixedPieces bounds the pieces combined into the frontier of a space
// with both kinds of issues (undominated discrete combinations times
// contested divisible issues): they are compared pair by pair, which takes
// about 1.5 s for 5,000 pieces that overlap widely.
const MaxMixedPieces = 5_000

// frontier computes the exact Pareto frontier.
func (a *Analysis) frontier() (Frontier, error) {
	idx := ParetoIndices(a.U1, a.U2)
	// Group the undominated combinations by their utilities.
	var pts []Piece
	for i := 0; i < len(idx); {
		j := i + 1
		for j < len(idx) && a.U1[idx[j]] == a.U1[idx[i]] && a.U2[idx[j]] == a.U2[idx[i]] {
			j++
		}
		p := Point{a.U1[idx[i]], a.U2[idx[i]]}
		d := a.OutcomeDeal(idx[i])
		pc := Piece{From: p, To: p, FromDeal: d, ToDeal: d}
		for _, k := range idx[i+1 : j] {
			pc.Ties = append(pc.Ties, a.OutcomeDeal(k))
		}
		pts = append(pts, pc)
		i = j
	}
	if a.div == nil {
		return pts, nil
	}
	if len(a.div.steps) == 0 {
		// The divisible issues only add a constant: nothing to trade.
		for k := range pts {
			ties := pts[k].Ties
			pts[k] = a.div.pieces(pts[k].From, pts[k].FromDeal)[0]
			for _, t := range ties {
				pts[k].Ties = append(pts[k].Ties, a.div.pieces(Point{}, t)[0].FromDeal)
			}
		}
		return pts, nil
	}
	if n := len(pts) * len(a.div.steps); n > MaxMixedPieces {
		return nil, fmt.Errorf("the frontier combines %d undominated discrete combinations with %d contested divisible issues, %d pieces; parley compares at most %d pairwise", len(pts), len(a.div.steps), n, MaxMixedPieces)
	}
	var cands []Piece
	for _, p := range pts {
		cands = append(cands, a.div.pieces(p.From, p.FromDeal)...)
	}
	if len(pts) == 1 {
		return cands, nil
	}
	return paretoOfPieces(cands), nil
}

// zopa computes the zone of possible agreement.
func (a *Analysis) zopa() ZOPA {
	z := ZOPA{Frontier: a.Frontier.clipAbove(a.Disagreement), Inside: -1}
	if a.div == nil {
		z.Inside = 0
		d := a.Disagreement
		for k := range a.U1 {
			if a.U1[k] >= d.U1 && a.U2[k] >= d.U2 {
				z.Inside++
			}
		}
	}
	if n := len(z.Frontier); n > 0 {
		z.Ideal = Point{z.Frontier[n-1].To.U1, z.Frontier[0].From.U2}
	}
	return z
}

// clipAbove returns the parts of the frontier that give both parties at
// least p.
func (f Frontier) clipAbove(p Point) Frontier {
	var out Frontier
	for _, sp := range f.individuallyRational(p) {
		out = append(out, subPiece(f[sp.k], sp.lo, sp.hi))
	}
	return out
}

// Assessment says how good a proposed deal is.
type Assessment struct {
	Deal  Deal
	Point Point
	// InZOPA reports whether the deal gives both parties at least their
	// reservation values.
	InZOPA bool
	// Efficient reports whether the deal is on the Pareto frontier: no deal
	// is at least as good for both parties and better for one.
	Efficient bool
	// Distance is the Euclidean distance, in utility, from the deal to the
	// nearest point of the frontier, Nearest.
	Distance float64
	Nearest  Location
	// Improvements is the part of the frontier that gives both parties at
	// least what the deal gives: the efficient Pareto improvements on it,
	// empty when the deal is efficient.
	Improvements Frontier
	// Balanced is the improvement that raises the smaller of the two gains
	// most (the egalitarian solution with the deal as the disagreement
	// point), a location on Improvements; it is meaningful only when the
	// deal is not efficient.
	Balanced Location
	// Dominating counts the outcomes that give both parties at least as
	// much as the deal and one more, when every issue is discrete; it is
	// -1 otherwise.
	Dominating int
}

// Assess places deal d against the frontier and the reservation values.
func (a *Analysis) Assess(d Deal) (*Assessment, error) {
	s := a.Space
	if len(d) != len(s.Issues) {
		return nil, fmt.Errorf("the deal has %d values for %d issues", len(d), len(s.Issues))
	}
	for i, is := range s.Issues {
		x := d[i]
		if is.Divisible && !(x >= is.Min && x <= is.Max) {
			return nil, fmt.Errorf("issue %q: amount %g is outside [%g, %g]", is.Name, x, is.Min, is.Max)
		}
		if !is.Divisible && (x != math.Trunc(x) || x < 0 || int(x) >= len(is.Values)) {
			return nil, fmt.Errorf("issue %q: %g is not the index of one of its %d values", is.Name, x, len(is.Values))
		}
	}
	p := s.Utilities(d)
	as := &Assessment{Deal: d, Point: p, Dominating: -1, Distance: math.Inf(1)}
	as.InZOPA = p.U1 >= a.Disagreement.U1 && p.U2 >= a.Disagreement.U2
	for k, pc := range a.Frontier {
		if dist, t := distToPieceAt(p, pc); dist < as.Distance {
			as.Distance = dist
			as.Nearest = Location{Piece: k, T: t, Point: pc.At(t)}
		}
	}
	tol := tolerance(max(scaleOf(a.Frontier), math.Abs(p.U1), math.Abs(p.U2)))
	as.Efficient = true
	for _, pc := range a.Frontier.clipAbove(p) {
		if distToPiece(pc.From, Piece{From: p, To: p}) > 2*tol || distToPiece(pc.To, Piece{From: p, To: p}) > 2*tol {
			as.Efficient = false
			break
		}
	}
	if as.Efficient {
		as.Distance = 0
	} else {
		as.Improvements = a.Frontier.clipAbove(p)
		as.Balanced, _, _ = as.Improvements.Solve(Egalitarian, p, 0)
	}
	if a.div == nil {
		as.Dominating = 0
		q := Point{snap(p.U1), snap(p.U2)}
		for k := range a.U1 {
			if a.U1[k] >= q.U1 && a.U2[k] >= q.U2 && (a.U1[k] > q.U1 || a.U2[k] > q.U2) {
				as.Dominating++
			}
		}
	}
	return as, nil
}
