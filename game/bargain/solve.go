package bargain

import (
	"fmt"
	"math"
)

// Concept names a bargaining solution.
type Concept string

// The bargaining solutions. Each is computed on the part of the frontier
// that gives both parties at least the disagreement point d.
const (
	// Nash maximises the product of the gains over d, each raised to its
	// party's bargaining power: (u1−d1)^α·(u2−d2)^(1−α); α = 1/2 is the
	// symmetric solution.
	Nash Concept = "nash"
	// KalaiSmorodinsky maximises the smaller of the gains, each as a share
	// of the most that party could gain (the ideal point a minus d); on a
	// continuous frontier it is where the gains are in proportion to a − d.
	KalaiSmorodinsky Concept = "kalai-smorodinsky"
	// Egalitarian maximises the smaller of the two gains over d; on a
	// continuous frontier it is where the gains are equal.
	Egalitarian Concept = "egalitarian"
	// Utilitarian maximises the sum of the utilities.
	Utilitarian Concept = "utilitarian"
)

// Concepts lists the solution concepts in the order reports show them.
var Concepts = []Concept{Nash, KalaiSmorodinsky, Egalitarian, Utilitarian}

// String returns the concept's name as people write it.
func (c Concept) String() string {
	switch c {
	case Nash:
		return "Nash"
	case KalaiSmorodinsky:
		return "Kalai–Smorodinsky"
	case Egalitarian:
		return "egalitarian"
	case Utilitarian:
		return "utilitarian"
	case Rubinstein:
		return "alternating offers (Rubinstein)"
	}
	return string(c)
}

// ParseConcept returns the concept named s, as in the constants.
func ParseConcept(s string) (Concept, error) {
	for _, c := range Concepts {
		if string(c) == s {
			return c, nil
		}
	}
	return "", fmt.Errorf("unknown solution concept %q, want one of nash, kalai-smorodinsky, egalitarian, utilitarian", s)
}

// checkPower checks a Nash bargaining power.
func checkPower(power float64) error {
	if !(power > 0 && power < 1) {
		return fmt.Errorf("the bargaining power of party 1 must be strictly between 0 and 1, got %g", power)
	}
	return nil
}

// span is the part [lo, hi] of piece k that gives both parties at least d.
type irSpan struct {
	k      int
	lo, hi float64
}

// individuallyRational returns the parts of the frontier's pieces that give
// both parties at least d, in the frontier's order.
func (f Frontier) individuallyRational(d Point) []irSpan {
	tol := tolerance(max(scaleOf(f), math.Abs(d.U1), math.Abs(d.U2)))
	var out []irSpan
	for k, p := range f {
		D := Point{p.To.U1 - p.From.U1, p.To.U2 - p.From.U2}
		lo, hi := 0.0, 1.0
		clip(&lo, &hi, -1, 0, p.From, D, -d.U1, tol) // u1 ≥ d1
		clip(&lo, &hi, 0, -1, p.From, D, -d.U2, tol) // u2 ≥ d2
		if lo > hi+slack(D, tol) {
			continue
		}
		if lo > hi {
			lo, hi = (lo+hi)/2, (lo+hi)/2
		}
		out = append(out, irSpan{k, max(lo, 0), min(hi, 1)})
	}
	return out
}

// Solve finds solution concept c on the frontier with disagreement point d;
// power is party 1's bargaining power for Nash (1/2 for the symmetric
// solution) and is ignored by the other concepts. ok is false when no point
// of the frontier gives both parties at least d. A tie goes to the point
// with the smallest utility for party 1, except that among utilitarian
// points the one with the largest (symmetric) Nash product wins.
//
// Every piece is searched exactly: the optimum on a segment is at an end, or
// where the two gains cross (Kalai–Smorodinsky, egalitarian), or where the
// weighted logarithms of the gains are stationary (Nash).
func (f Frontier) Solve(c Concept, d Point, power float64) (loc Location, ok bool, err error) {
	if c == Nash {
		if err := checkPower(power); err != nil {
			return Location{}, false, err
		}
	} else if _, err := ParseConcept(string(c)); err != nil {
		return Location{}, false, err
	}
	spans := f.individuallyRational(d)
	if len(spans) == 0 {
		return Location{}, false, nil
	}
	// The ideal point: the most each party can get without leaving the other
	// below d.
	first, last := spans[0], spans[len(spans)-1]
	ideal := Point{f[last.k].At(last.hi).U1, f[first.k].At(first.lo).U2}
	r1, r2 := 1.0, 1.0
	if c == KalaiSmorodinsky {
		r1, r2 = ideal.U1-d.U1, ideal.U2-d.U2
	}
	score := func(p Point) float64 {
		g1, g2 := max(p.U1-d.U1, 0), max(p.U2-d.U2, 0)
		switch c {
		case Nash:
			return math.Pow(g1, power) * math.Pow(g2, 1-power)
		case Utilitarian:
			return p.U1 + p.U2
		default:
			// A party that can gain nothing inside the zone does not
			// constrain the other.
			s1, s2 := math.Inf(1), math.Inf(1)
			if r1 > 0 {
				s1 = g1 / r1
			}
			if r2 > 0 {
				s2 = g2 / r2
			}
			if math.IsInf(s1, 1) && math.IsInf(s2, 1) {
				return 0
			}
			return min(s1, s2)
		}
	}
	// Along a stretch where the sum of utilities is constant (a pie divided
	// one for one), every point is utilitarian; the tie goes to the point
	// with the largest Nash product.
	tieTol := tolerance(scaleOf(f))
	nash := func(p Point) float64 { return max(p.U1-d.U1, 0) * max(p.U2-d.U2, 0) }
	best, bestTie := math.Inf(-1), math.Inf(-1)
	for _, sp := range spans {
		p := f[sp.k]
		// Gains along the piece: g_i(t) = A_i + B_i·t.
		A1, B1 := p.From.U1-d.U1, p.To.U1-p.From.U1
		A2, B2 := p.From.U2-d.U2, p.To.U2-p.From.U2
		cands := []float64{sp.lo}
		switch c {
		case Nash:
			if den := B1 * B2; den != 0 {
				cands = append(cands, -(power*B1*A2+(1-power)*B2*A1)/den)
			}
		case KalaiSmorodinsky, Egalitarian:
			if r1 > 0 && r2 > 0 {
				if den := B1/r1 - B2/r2; den != 0 {
					cands = append(cands, (A2/r2-A1/r1)/den)
				}
			}
		case Utilitarian:
			if den := B1 * B2; den != 0 && math.Abs(B1+B2) <= tieTol {
				cands = append(cands, -(B1*A2+B2*A1)/(2*den))
			}
		}
		cands = append(cands, sp.hi)
		for _, t := range cands {
			if !(t >= sp.lo && t <= sp.hi) {
				continue
			}
			pt := p.At(t)
			v := score(pt)
			if c == Utilitarian && math.Abs(v-best) <= tieTol {
				if tie := nash(pt); tie > bestTie {
					best, bestTie = max(v, best), tie
					loc = Location{Piece: sp.k, T: t, Point: pt}
				}
				continue
			}
			if v > best {
				best, bestTie = v, nash(pt)
				loc = Location{Piece: sp.k, T: t, Point: pt}
			}
		}
	}
	return loc, true, nil
}
