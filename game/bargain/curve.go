package bargain

import (
	"fmt"
	"math"
)

// Curve is a continuous Pareto frontier given by a function: party 2 gets
// F(u1) when party 1 gets u1, for u1 from Lo to Hi. F must be continuous and
// decreasing, and concave — the feasible set convex — as the cooperative
// solutions assume; frontiers that are not piecewise linear, such as
// u2 = 1 − u1², are written this way.
type Curve struct {
	Lo, Hi float64
	F      func(u1 float64) float64
}

// Solve finds solution concept c on the curve with disagreement point d
// (power as in [Frontier.Solve]); ok is false when no point of the curve
// gives both parties at least d. Kalai–Smorodinsky and egalitarian points
// are found by bisection, to the precision of float64; the Nash and
// utilitarian points by golden-section search, to about 1e-8 in u1 (the
// objective is flat at its maximum).
func (cv Curve) Solve(c Concept, d Point, power float64) (p Point, ok bool, err error) {
	if c == Nash {
		if err := checkPower(power); err != nil {
			return Point{}, false, err
		}
	} else if _, err := ParseConcept(string(c)); err != nil {
		return Point{}, false, err
	}
	if !(cv.Lo <= cv.Hi) || cv.F == nil {
		return Point{}, false, fmt.Errorf("a curve needs Lo ≤ Hi and a function, got [%g, %g]", cv.Lo, cv.Hi)
	}
	// The part of the curve that gives both at least d: [a, b].
	a := max(cv.Lo, d.U1)
	if a > cv.Hi || cv.F(a) < d.U2 {
		return Point{}, false, nil
	}
	b := cv.Hi
	if cv.F(b) < d.U2 {
		b = bisect(a, b, func(u float64) bool { return cv.F(u) < d.U2 })
	}
	at := func(u float64) Point { return Point{u, cv.F(u)} }
	switch c {
	case Nash:
		return at(goldenMax(a, b, func(u float64) float64 {
			g1, g2 := u-d.U1, cv.F(u)-d.U2
			if g1 <= 0 || g2 <= 0 {
				return math.Inf(-1)
			}
			return power*math.Log(g1) + (1-power)*math.Log(g2)
		})), true, nil
	case Utilitarian:
		return at(goldenMax(a, b, func(u float64) float64 { return u + cv.F(u) })), true, nil
	}
	r1, r2 := 1.0, 1.0
	if c == KalaiSmorodinsky {
		r1, r2 = b-d.U1, cv.F(a)-d.U2
	}
	if r1 <= 0 || r2 <= 0 {
		return at(a), true, nil
	}
	// The normalised gain of party 1 rises along the curve, party 2's falls:
	// find where party 1's overtakes.
	u := bisect(a, b, func(u float64) bool { return (u-d.U1)/r1 >= (cv.F(u)-d.U2)/r2 })
	return at(u), true, nil
}

// bisect returns the point in [a, b] where pred, false at a and true at b,
// turns true, to the precision of float64.
func bisect(a, b float64, pred func(float64) bool) float64 {
	if pred(a) {
		return a
	}
	for range 200 {
		m := a + (b-a)/2
		if m <= a || m >= b {
			break
		}
		if pred(m) {
			b = m
		} else {
			a = m
		}
	}
	return a + (b-a)/2
}

// goldenMax returns the maximiser of a unimodal function on [a, b].
func goldenMax(a, b float64, f func(float64) float64) float64 {
	const invPhi = 0.6180339887498949
	x1, x2 := b-invPhi*(b-a), a+invPhi*(b-a)
	f1, f2 := f(x1), f(x2)
	for range 200 {
		if b-a <= 1e-15*max(1, math.Abs(a)+math.Abs(b)) {
			break
		}
		if f1 < f2 {
			a, x1, f1 = x1, x2, f2
			x2 = a + invPhi*(b-a)
			f2 = f(x2)
		} else {
			b, x2, f2 = x2, x1, f1
			x1 = b - invPhi*(b-a)
			f1 = f(x1)
		}
	}
	return a + (b-a)/2
}
