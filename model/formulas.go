package model

import "math"

// Terms are the quantities of model.md §2 for one actor in one phase.
type Terms struct {
	C float64 // cost of its own moves still owed, after the insecurity multiplier
	B float64 // what it receives from the others' moves in the phase
	V float64 // continuation value V(k+1)
	L float64 // loss if it moves and nobody else does: Σ (1 − r)·c
	D float64 // probability that a cheat on its owed moves is detected
	G float64 // what detection costs an opportunist besides V
	P float64 // probability that every counterpart still to move keeps its side
}

// Net is N = b − c + V, the phase's value if everyone keeps their side.
func (t Terms) Net() float64 { return t.B - t.C + t.V }

// Scale is S = c + b + |V|, the unit that makes λ unit-free.
func (t Terms) Scale() float64 { return t.C + t.B + math.Abs(t.V) }

// ReciprocatorMargin is p·N − (1 − p)·L.
func (t Terms) ReciprocatorMargin() float64 { return t.P*t.Net() - (1-t.P)*t.L }

// TrustThreshold is t = L/(N + L): the least p at which a reciprocator moves.
// It is 0 when L = 0 and N ≥ 0, and +Inf when no p ≤ 1 suffices.
func (t Terms) TrustThreshold() float64 {
	n := t.Net()
	switch {
	case t.L <= 0 && n >= 0:
		return 0
	case n+t.L <= 0 || n < 0:
		return math.Inf(1)
	}
	return t.L / (n + t.L)
}

// OpportunistMargin is D·(V + G) − c, the self-enforcement margin.
func (t Terms) OpportunistMargin() float64 { return t.D*(t.V+t.G) - t.C }

// CheatValue is (1 − D)·(b + V) − D·G: what a covert cheat is worth to an opportunist.
func (t Terms) CheatValue() float64 { return (1-t.D)*(t.B+t.V) - t.D*t.G }

// Tolerance is the margin below which the deterministic rules count a margin as negative.
const Tolerance = 1e-12

// Choose is the probability of acting on a margin m with scale S under
// rationality λ: σ(λ·m/S), or the step function m ≥ −1e-12 when λ = +Inf or S = 0.
func Choose(m, scale, lambda float64) float64 { return (*LogisticMemo)(nil).Choose(m, scale, lambda) }

// Logistic is σ(x) = 1/(1 + e^−x).
func Logistic(x float64) float64 {
	if x >= 37 {
		return 1 // 1/(1 + e^−x) rounds to exactly 1 here: skip the exponential
	}
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// Acts returns the probabilities that a reciprocator or an opportunist keeps
// its side and (for an opportunist) cheats; the rest is an open decline.
// initiator marks the initiator of an invited phase, which skips the trust test.
func Acts(d Disposition, t Terms, lambda float64, initiator bool) (keep, cheat float64) {
	return (*LogisticMemo)(nil).Acts(d, &t, lambda, initiator)
}

// PredictKeep is how another actor predicts that a type keeps its side
// (model.md §3, "predicting others"): a reciprocator keeps on N ≥ 0, an
// opportunist on its margin, under the same rationality rule; hardliners are
// handled by the caller (their bound is per move).
func PredictKeep(d Disposition, t Terms, lambda float64) float64 {
	return (*LogisticMemo)(nil).PredictKeep(d, &t, lambda)
}

// LogisticMemo remembers values of Logistic in a direct-mapped table, for a
// simulation that meets the same arguments again and again; its results are
// exactly those of Logistic, and its methods are the rules above computed
// with it. A nil *LogisticMemo computes every value afresh. Its zero value is
// not ready: use NewLogisticMemo. It is not safe for concurrent use.
type LogisticMemo struct {
	e [logisticMemoSize]struct{ x, y float64 }
}

// logisticMemoSize is the number of entries of a LogisticMemo, a power of 2.
const logisticMemoSize = 1 << logisticMemoBits

const logisticMemoBits = 12

// NewLogisticMemo returns an empty memo.
func NewLogisticMemo() *LogisticMemo {
	c := new(LogisticMemo)
	// every entry starts out holding a true value, so no entry can be wrong
	for i := range c.e {
		c.e[i].x, c.e[i].y = 0, 0.5
	}
	return c
}

// Logistic is Logistic(x).
func (c *LogisticMemo) Logistic(x float64) float64 {
	if x >= 37 {
		return 1
	}
	if c == nil {
		return Logistic(x)
	}
	b := math.Float64bits(x)
	e := &c.e[(b^b>>29^b>>47)*0x9e3779b97f4a7c15>>(64-logisticMemoBits)]
	if math.Float64bits(e.x) == b {
		return e.y
	}
	y := Logistic(x)
	e.x, e.y = x, y
	return y
}

// Choose is Choose with c's memo.
func (c *LogisticMemo) Choose(m, scale, lambda float64) float64 {
	if math.IsInf(lambda, 1) || scale <= 0 {
		if m >= -Tolerance {
			return 1
		}
		return 0
	}
	return c.Logistic(lambda * m / scale)
}

// Acts is Acts with c's memo.
func (c *LogisticMemo) Acts(d Disposition, t *Terms, lambda float64, initiator bool) (keep, cheat float64) {
	switch d {
	case Reciprocator:
		m := t.ReciprocatorMargin()
		if initiator {
			m = t.Net()
		}
		return c.Choose(m, t.Scale(), lambda), 0
	case Opportunist:
		keep = c.Choose(t.OpportunistMargin(), t.Scale(), lambda)
		if keep == 1 {
			return 1, 0
		}
		cheat = (1 - keep) * c.Choose(t.CheatValue(), t.Scale(), lambda)
		return keep, cheat
	}
	return 0, 0
}

// PredictKeep is PredictKeep with c's memo.
func (c *LogisticMemo) PredictKeep(d Disposition, t *Terms, lambda float64) float64 {
	switch d {
	case Reciprocator:
		return c.Choose(t.Net(), t.Scale(), lambda)
	case Opportunist:
		return c.Choose(t.OpportunistMargin(), t.Scale(), lambda)
	}
	return 0
}

// KyddThreshold is the trust a trustworthy type needs to cooperate in Kydd's
// stage game with mutual cooperation 1, mutual defection 0, sucker payoff −c
// and temptation t: c/(1 + c − t).
func KyddThreshold(c, t float64) float64 { return c / (1 + c - t) }

// WithinBound reports whether a hardliner with the given bound pays a step
// of the given cost (after the insecurity multiplier): cost ≤ bound, up to
// the rounding tolerance.
func WithinBound(cost, bound float64) bool { return cost <= bound+Tolerance }
