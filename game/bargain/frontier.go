package bargain

import (
	"cmp"
	"math"
	"slices"
)

// Piece is a part of a Pareto frontier: a single point (From == To) or the
// straight segment from From to To, along which party 1's utility rises and
// party 2's falls.
type Piece struct {
	From, To Point
	// FromDeal and ToDeal are deals worth From and To, when the frontier
	// comes from a deal space; along a segment they differ only in the
	// amount of one divisible issue, which changes linearly.
	FromDeal, ToDeal Deal
	// Ties lists further deals worth exactly From to both parties: a
	// discrete space may reach one point of its frontier by several deals.
	Ties []Deal
}

// IsPoint reports whether the piece is a single point.
func (p Piece) IsPoint() bool { return p.From == p.To }

// At returns the point a fraction t of the way from From to To.
func (p Piece) At(t float64) Point {
	if t == 0 {
		return p.From
	}
	if t == 1 {
		return p.To
	}
	return Point{p.From.U1 + t*(p.To.U1-p.From.U1), p.From.U2 + t*(p.To.U2-p.From.U2)}
}

// DealAt returns the deal a fraction t of the way from FromDeal to ToDeal,
// or nil when the piece carries no deals.
func (p Piece) DealAt(t float64) Deal {
	if p.FromDeal == nil {
		return nil
	}
	d := make(Deal, len(p.FromDeal))
	for i := range d {
		a, b := p.FromDeal[i], p.ToDeal[i]
		d[i] = a
		if a != b {
			d[i] = a + t*(b-a)
		}
	}
	return d
}

// Frontier is a Pareto frontier: its pieces in order of increasing utility
// for party 1 (so of decreasing utility for party 2). Segments that share
// an end form a continuous stretch; isolated points come from discrete
// issues.
type Frontier []Piece

// Location is a point of a frontier: a fraction T of the way along the
// piece with index Piece.
type Location struct {
	Piece int
	T     float64
	Point Point
}

// Deal returns the deal at l, or nil when the frontier carries no deals.
func (f Frontier) Deal(l Location) Deal {
	if l.Piece < 0 || l.Piece >= len(f) {
		return nil
	}
	return f[l.Piece].DealAt(l.T)
}

// ParetoIndices returns the indices of the points (u1[k], u2[k]) that no
// other point dominates — none is at least as good for both parties and
// better for one — in order of increasing u1; equal points are all kept,
// next to each other in increasing order of index. The utilities must not
// be NaN, and there must be fewer than 2^31 points.
//
// It takes O(n log n) time: a linear pass first drops the points dominated
// by a few undominated pivots (the best points for several weightings of
// the two utilities), which in practice leaves few to sort; one sweep of the
// survivors, sorted by u1, then keeps each point that beats every u2 seen.
func ParetoIndices(u1, u2 []float64) []int {
	type pt struct {
		u1, u2 float64
		i      int32
	}
	n := len(u1)
	if n == 0 {
		return nil
	}
	// Pivots: the maximisers of λ·u1 + (1−λ)·u2 for λ strictly between 0
	// and 1 are undominated.
	const np = 7
	var piv [np]int
	var best [np]float64
	for j := range best {
		best[j] = math.Inf(-1)
	}
	for i := range n {
		for j := range np {
			l := float64(j+1) / (np + 1)
			if v := l*u1[i] + (1-l)*u2[i]; v > best[j] {
				best[j], piv[j] = v, i
			}
		}
	}
	pts := make([]pt, 0, min(n, 1024))
	for i := range n {
		a, b := u1[i], u2[i]
		dominated := false
		for _, k := range piv {
			if x, y := u1[k], u2[k]; x >= a && y >= b && (x > a || y > b) {
				dominated = true
				break
			}
		}
		if !dominated {
			pts = append(pts, pt{a, b, int32(i)})
		}
	}
	// Best for party 1 first; among equals, best for party 2 first.
	slices.SortFunc(pts, func(a, b pt) int {
		switch {
		case a.u1 > b.u1:
			return -1
		case a.u1 < b.u1:
			return 1
		case a.u2 > b.u2:
			return -1
		case a.u2 < b.u2:
			return 1
		}
		return int(a.i - b.i)
	})
	// Sweeping from the right, a point is undominated when it beats every
	// u2 seen so far, or equals the last undominated point.
	var out []int
	top := math.Inf(-1)
	var last pt
	for _, p := range pts {
		switch {
		case p.u2 > top:
			out = append(out, int(p.i))
			top, last = p.u2, p
		case len(out) > 0 && p.u1 == last.u1 && p.u2 == last.u2:
			out = append(out, int(p.i))
		}
	}
	// Reverse into increasing u1, keeping each group of equal points in
	// increasing order of index.
	slices.Reverse(out)
	for i := 0; i < len(out); {
		j := i + 1
		for j < len(out) && u1[out[j]] == u1[out[i]] && u2[out[j]] == u2[out[i]] {
			j++
		}
		slices.Reverse(out[i:j])
		i = j
	}
	return out
}

// tolerance returns the tolerance used in geometric tests on pieces whose
// utilities are at most scale in absolute value.
func tolerance(scale float64) float64 {
	return 1e-12 * max(1, scale)
}

// scaleOf returns the largest absolute utility of the pieces.
func scaleOf(ps []Piece) float64 {
	s := 0.0
	for _, p := range ps {
		s = max(s, math.Abs(p.From.U1), math.Abs(p.From.U2), math.Abs(p.To.U1), math.Abs(p.To.U2))
	}
	return s
}

// clip narrows [*lo, *hi] to the t for which the point P + t·D lies in the
// half-plane a·p ≤ b. The bounds are exact; tol only decides whether a
// piece parallel to the boundary lies inside. It leaves *lo > *hi when
// nothing is left; see [slack] for deciding whether that is by rounding.
func clip(lo, hi *float64, a1, a2 float64, P, D Point, b, tol float64) {
	num := b - (a1*P.U1 + a2*P.U2)
	den := a1*D.U1 + a2*D.U2
	switch {
	case den > 0:
		*hi = min(*hi, num/den)
	case den < 0:
		*lo = max(*lo, num/den)
	case num < -tol:
		*lo, *hi = 1, 0
	}
}

// slack returns how far apart, as fractions of a piece with direction D,
// clipped bounds may be in the wrong order and still count as touching.
func slack(D Point, tol float64) float64 {
	if l := math.Hypot(D.U1, D.U2); l > 0 {
		return tol / l
	}
	return 0
}

// onPiece reports whether p lies on piece t, within tol.
func onPiece(p Point, t Piece, tol float64) bool {
	return distToPiece(p, t) <= tol
}

// distToPiece returns the Euclidean distance from p to piece t and the
// fraction along t of the nearest point.
func distToPieceAt(p Point, t Piece) (float64, float64) {
	d1, d2 := t.To.U1-t.From.U1, t.To.U2-t.From.U2
	s := 0.0
	if l2 := d1*d1 + d2*d2; l2 > 0 {
		s = ((p.U1-t.From.U1)*d1 + (p.U2-t.From.U2)*d2) / l2
		s = min(1, max(0, s))
	}
	q := t.At(s)
	return math.Hypot(p.U1-q.U1, p.U2-q.U2), s
}

func distToPiece(p Point, t Piece) float64 {
	d, _ := distToPieceAt(p, t)
	return d
}

// paretoOfPieces returns the Pareto frontier of the union of pieces, each a
// point or a segment of negative slope. A part of a piece is dropped when
// another piece strictly dominates it; where two pieces coincide, a segment
// is kept in preference to a point and an earlier piece to a later one. It
// compares every pair of pieces, so it takes O(n²) time.
func paretoOfPieces(cands []Piece) Frontier {
	tol := tolerance(scaleOf(cands))
	// In order of the left ends, with the running maximum of the right ends
	// from the left and of the tops from the right, the pieces that can
	// dominate part of a piece are found without looking at all of them:
	// leftwards only while some piece still reaches its left end, rightwards
	// only while some piece is still as high as its bottom.
	cands = slices.Clone(cands)
	slices.SortStableFunc(cands, func(a, b Piece) int { return cmp.Compare(a.From.U1, b.From.U1) })
	n := len(cands)
	reach, top := make([]float64, n), make([]float64, n)
	for j := range n {
		reach[j] = cands[j].To.U1
		if j > 0 {
			reach[j] = max(reach[j], reach[j-1])
		}
	}
	for j := n - 1; j >= 0; j-- {
		top[j] = cands[j].From.U2
		if j < n-1 {
			top[j] = max(top[j], top[j+1])
		}
	}
	var out Frontier
	type span struct{ lo, hi float64 }
	for i, s := range cands {
		D := Point{s.To.U1 - s.From.U1, s.To.U2 - s.From.U2}
		var removed []span
		whole := false
		var others []int
		for j := i - 1; j >= 0 && reach[j] >= s.From.U1-tol; j-- {
			others = append(others, j)
		}
		for j := i + 1; j < n && top[j] >= s.To.U2-tol; j++ {
			others = append(others, j)
		}
		for _, j := range others {
			t := cands[j]
			if t.To.U1 < s.From.U1-tol || t.From.U2 < s.To.U2-tol {
				continue // t is nowhere at least as good as s for both
			}
			// The points t dominates or touches form a convex region: left
			// of t's right end, below its top, and below its line.
			lo, hi := 0.0, 1.0
			clip(&lo, &hi, 1, 0, s.From, D, t.To.U1, tol)
			clip(&lo, &hi, 0, 1, s.From, D, t.From.U2, tol)
			if !t.IsPoint() {
				e1, e2 := t.To.U1-t.From.U1, t.To.U2-t.From.U2
				n := math.Hypot(e1, e2)
				a1, a2 := -e2/n, e1/n
				clip(&lo, &hi, a1, a2, s.From, D, a1*t.From.U1+a2*t.From.U2, tol)
			}
			if lo > hi+slack(D, tol) {
				continue
			}
			if lo > hi {
				lo, hi = (lo+hi)/2, (lo+hi)/2
			}
			lo, hi = max(lo, 0), min(hi, 1)
			if onPiece(s.At(lo), t, 2*tol) && onPiece(s.At(hi), t, 2*tol) {
				// The two coincide there: keep one of them.
				keepS := false
				switch {
				case s.IsPoint() && !t.IsPoint():
				case !s.IsPoint() && t.IsPoint():
					keepS = true
				default:
					keepS = i < j
				}
				if keepS {
					continue
				}
			}
			if s.IsPoint() || (lo <= 0 && hi >= 1) {
				whole = true
				break
			}
			removed = append(removed, span{lo, hi})
		}
		if whole {
			continue
		}
		if s.IsPoint() {
			out = append(out, s)
			continue
		}
		slices.SortFunc(removed, func(a, b span) int { return cmp.Compare(a.lo, b.lo) })
		length := math.Hypot(D.U1, D.U2)
		from := 0.0
		keep := func(a, b float64) {
			if (b-a)*length > tol {
				out = append(out, subPiece(s, a, b))
			}
		}
		for _, r := range removed {
			if r.lo > from {
				keep(from, r.lo)
			}
			from = max(from, r.hi)
		}
		if from < 1 {
			keep(from, 1)
		}
	}
	slices.SortStableFunc(out, func(a, b Piece) int {
		if c := cmp.Compare(a.From.U1, b.From.U1); c != 0 {
			return c
		}
		return cmp.Compare(b.From.U2, a.From.U2)
	})
	return out
}

// subPiece returns the part of s from fraction a to fraction b.
func subPiece(s Piece, a, b float64) Piece {
	if a == 0 && b == 1 {
		return s
	}
	return Piece{From: s.At(a), To: s.At(b), FromDeal: s.DealAt(a), ToDeal: s.DealAt(b)}
}
