package bargain

import (
	"fmt"
	"math"
	"sort"
)

// Rubinstein names the alternating-offers solution of a deal space: the
// subgame-perfect agreement of Rubinstein's game played on its frontier with
// the parties' discount factors (see [Frontier.AlternatingOffers]). Unlike
// the concepts of [Concepts] it needs the discount factors, so
// [Frontier.Solve] does not compute it.
const Rubinstein Concept = "rubinstein"

// maxOfferRounds bounds the fixed-point iteration of AlternatingOffers.
const maxOfferRounds = 10_000_000

// AlternatingOffers returns party 1's proposal in the subgame-perfect
// equilibrium of Rubinstein's alternating-offers game played on the
// frontier: party 1 proposes a deal in rounds 1, 3, …, party 2 in rounds 2,
// 4, …, and a deal agreed in round t gives party i d_i + δ_i^(t−1)·(u_i − d_i)
// — the disagreement point d is what each gets while they disagree, and
// what is discounted is the gain over it. Each proposer offers the
// responder exactly the discounted value of the responder's own next
// proposal:
//
//	u2(x) − d2 = δ2·(u2(y) − d2),   u1(y) − d1 = δ1·(u1(x) − d1),
//
// x being party 1's proposal (accepted at once) and y party 2's. On the
// frontier u1 + u2 = 1 with d = 0 this is Rubinstein's x1 = (1 − δ2)/(1 − δ1·δ2);
// as both δ tend to 1 it tends to the Nash solution.
//
// It is solved by iterating the two equations, which contract by δ1·δ2 on a
// concave frontier. ok is false when no point of the frontier gives both
// parties d, or when the part that does is not one continuous stretch
// (discrete issues: the game then need not have such an equilibrium).
func (f Frontier) AlternatingOffers(d Point, delta1, delta2 float64) (loc Location, ok bool, err error) {
	for i, x := range []float64{delta1, delta2} {
		if !(x >= 0 && x <= 1) {
			return Location{}, false, fmt.Errorf("the discount factor of party %d must be in [0, 1], got %g", i+1, x)
		}
	}
	if delta1*delta2 >= 1 {
		return Location{}, false, fmt.Errorf("without discounting every deal of the frontier is an equilibrium; give a discount factor below 1")
	}
	spans := f.individuallyRational(d)
	if len(spans) == 0 {
		return Location{}, false, nil
	}
	tol := tolerance(max(scaleOf(f), math.Abs(d.U1), math.Abs(d.U2)))
	// The vertices of the stretch inside the zone, as gains over d.
	type vertex struct {
		g1, g2 float64
		k      int     // the frontier piece that starts here
		lo, hi float64 // its part inside the zone
	}
	var vs []vertex
	for i, sp := range spans {
		pc := f[sp.k]
		from, to := pc.At(sp.lo), pc.At(sp.hi)
		if i > 0 {
			prev := f[spans[i-1].k].At(spans[i-1].hi)
			if math.Hypot(prev.U1-from.U1, prev.U2-from.U2) > 2*tol {
				return Location{}, false, nil // a gap
			}
		}
		if pc.IsPoint() && len(spans) > 1 {
			return Location{}, false, nil
		}
		vs = append(vs, vertex{from.U1 - d.U1, from.U2 - d.U2, sp.k, sp.lo, sp.hi})
		if i == len(spans)-1 {
			vs = append(vs, vertex{to.U1 - d.U1, to.U2 - d.U2, -1, 0, 0})
		}
	}
	if len(vs) == 2 && vs[0].k >= 0 && f[vs[0].k].IsPoint() {
		p := f[vs[0].k].From
		return Location{Piece: vs[0].k, Point: p}, true, nil
	}
	// h2 gives party 2's gain where party 1 gains g1; h1 the converse.
	h2 := func(g1 float64) float64 {
		j := sort.Search(len(vs)-1, func(j int) bool { return vs[j+1].g1 >= g1 })
		j = min(j, len(vs)-2)
		a, b := vs[j], vs[j+1]
		if b.g1 == a.g1 {
			return a.g2
		}
		return a.g2 + (b.g2-a.g2)*(g1-a.g1)/(b.g1-a.g1)
	}
	h1 := func(g2 float64) float64 {
		j := sort.Search(len(vs)-1, func(j int) bool { return vs[j+1].g2 <= g2 })
		j = min(j, len(vs)-2)
		a, b := vs[j], vs[j+1]
		if b.g2 == a.g2 {
			return a.g1
		}
		return a.g1 + (b.g1-a.g1)*(g2-a.g2)/(b.g2-a.g2)
	}
	g1 := vs[len(vs)-1].g1 // start from party 1's best
	for range maxOfferRounds {
		y2 := h2(delta1 * g1)
		next := h1(delta2 * y2)
		if math.Abs(next-g1) <= 1e-15*max(1, g1) {
			g1 = next
			break
		}
		g1 = next
	}
	// Locate party 1's proposal on the frontier.
	for j := 0; j < len(vs)-1; j++ {
		a, b := vs[j], vs[j+1]
		if g1 <= b.g1 || j == len(vs)-2 {
			s := 0.0
			if b.g1 > a.g1 {
				s = min(1, max(0, (g1-a.g1)/(b.g1-a.g1)))
			}
			t := a.lo + s*(a.hi-a.lo)
			return Location{Piece: a.k, T: t, Point: f[a.k].At(t)}, true, nil
		}
	}
	return Location{}, false, nil
}
