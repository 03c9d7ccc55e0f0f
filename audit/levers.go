package audit

import (
	"fmt"
	"math"
	"strings"

	"github.com/parleyhq/parley/model"
)

// leverCtx holds what the levers of one actor in one phase need. Cost and
// exposure are linear in the actor's insecurity s: c = cb + cs·s, L = lb + ls·s.
type leverCtx struct {
	x       *auditor
	k, a, t int
	tm      model.Terms
	s       float64
	cb, cs  float64
	lb, ls  float64
	delta   float64
	// w is the weight of the lasting value in V(k+1): δ^(K−k)/(1 − δ) for a
	// 0-based phase k of K; 0 when δ ≥ 1 (no lasting value allowed).
	w       float64
	lasting float64
}

func (x *auditor) leverCtx(k, a, t int, tm model.Terms) *leverCtx {
	r := x.r
	ph := &r.Phases[k]
	ac := &r.Actors[a]
	c := &leverCtx{x: x, k: k, a: a, t: t, tm: tm, s: x.insec[k][a],
		cb: ph.CostBase[a][t], cs: ph.CostSec[a][t], lb: ph.LossBase[a][t], ls: ph.LossSec[a][t],
		delta: ac.Discount, lasting: ac.Types[t].LastingValue}
	if c.delta < 1 {
		c.w = math.Pow(c.delta, float64(len(r.Phases)-k)) / (1 - c.delta)
	}
	return c
}

func ptr(v float64) *float64 { return &v }

// marginLevers address an opportunist's negative self-enforcement margin.
func (c *leverCtx) marginLevers() []Lever {
	tm := c.tm
	out := []Lever{c.verification()}
	n, worst, ok := c.split(func(cn, bn, ln, gn, v float64) float64 { return tm.D*(v+gn) - cn })
	// last round: D·(V + G/n) − c/n ≥ 0  ⇔  n·D·V ≥ c − D·G
	out = append(out, c.trancheLever(n, worst, ok, tm.D*tm.V, tm.C-tm.D*tm.G, "D·V", false))
	out = append(out, c.escrow())
	m := tm.OpportunistMargin()
	out = append(out, c.lastingLever(tm.D, -m, "the margin"))
	if l, ok := c.security(tm.D*(tm.V+tm.G)-c.cb, c.cs, "margin"); ok {
		out = append(out, l)
	}
	return out
}

// netLevers address a reciprocator whose phase has N < 0.
func (c *leverCtx) netLevers() []Lever {
	tm := c.tm
	var out []Lever
	need := tm.C - tm.V
	out = append(out, Lever{Kind: LeverRebalance, Now: tm.B, Needed: ptr(need), Feasible: true,
		Text: fmt.Sprintf("rebalance the phase: a gain b ≥ c − V = %s (now %s), or a cost c ≤ b + V = %s (now %s)",
			num(need), num(tm.B), num(tm.B+tm.V), num(tm.C))})
	out = append(out, c.lastingLever(1, -tm.Net(), "N"))
	if l, ok := c.security(tm.B+tm.V-c.cb, c.cs, "N"); ok {
		out = append(out, l)
	}
	return out
}

// trustLevers address a reciprocator whose prior trust is below its threshold (N ≥ 0).
func (c *leverCtx) trustLevers() []Lever {
	tm := c.tm
	p := tm.P
	var out []Lever
	// reversibility: L/(N + L) = p  ⇔  L = p·N/(1 − p)
	if tm.C > 0 && p < 1 {
		lstar := p * tm.Net() / (1 - p)
		rstar := 1 - lstar/tm.C
		out = append(out, Lever{Kind: LeverReversibility, Now: 1 - tm.L/tm.C, Needed: ptr(rstar), Feasible: rstar <= 1+model.Tolerance,
			Text: fmt.Sprintf("reversibility or escrow: make its moves here reversible (or hold their cost in escrow) to a share ≥ %s (now %s); L falls to %s and the threshold to its prior trust %s",
				num(rstar), num(1-tm.L/tm.C), num(lstar), num(p))})
	}
	// lasting value: p·N − (1 − p)·L ≥ 0  ⇔  N ≥ (1 − p)·L/p
	if p > 0 {
		out = append(out, c.lastingLever(p, -tm.ReciprocatorMargin(), "p·N − (1 − p)·L"))
	} else {
		out = append(out, Lever{Kind: LeverLasting, Now: c.lasting,
			Text: "a lasting value cannot help: its prior trust is 0, so only L = 0 (full reversibility or escrow) lets it move"})
	}
	n, worst, ok := c.split(func(cn, bn, ln, gn, v float64) float64 { return p*(bn-cn+v) - (1-p)*ln })
	// last round: p·((b − c)/n + V) − (1 − p)·L/n ≥ 0  ⇔  n·p·V ≥ (1 − p)·L − p·(b − c)
	out = append(out, c.trancheLever(n, worst, ok, p*tm.V, (1-p)*tm.L-p*(tm.B-tm.C), "p·V", true))
	if l, ok := c.security(p*(tm.B+tm.V-c.cb)-(1-p)*c.lb, p*c.cs+(1-p)*c.ls, "p·N − (1 − p)·L"); ok {
		out = append(out, l)
	}
	return out
}

// boundLevers address a hardliner's step above its bound.
func (c *leverCtx) boundLevers(st int) []Lever {
	r := c.x.r
	sp := &r.Steps[st]
	ty := &r.Actors[c.a].Types[c.t]
	bound := ty.Symbolic
	cost := r.StepCost(st, c.t, c.s)
	var out []Lever
	tr := Lever{Kind: LeverTranches, Now: float64(sp.Of)}
	if bound > 0 {
		whole := cost * float64(sp.Of)
		n := math.Ceil(whole/bound - 1e-9)
		tr.Needed, tr.Feasible = ptr(n), true
		tr.Text = fmt.Sprintf("smaller tranches: deliver %s in at least %d tranches (now %d), each costing %s ≤ %s at this insecurity",
			sp.MoveID, int(n), sp.Of, num(whole/n), num(bound))
	} else {
		tr.Text = fmt.Sprintf("smaller tranches cannot help: the bound is %s", num(bound))
	}
	out = append(out, tr)
	kappa := r.Actors[c.a].Kappa
	if sp.SecRelevant && kappa > 0 && c.s > 0 {
		base := sp.Cost[c.t]
		l := Lever{Kind: LeverSecurity, Now: c.s}
		if base <= bound+model.Tolerance {
			sstar := 0.0
			if base > 0 {
				sstar = (bound/base - 1) / kappa
			}
			l.Needed, l.Feasible = ptr(sstar), true
			l.Text = fmt.Sprintf("an earlier security move: at insecurity 0 the step would cost %s ≤ %s; insecurity ≤ %s (now %s) is enough%s",
				num(base), num(bound), num(sstar), num(c.s), c.candidates(sstar))
		} else {
			l.Text = fmt.Sprintf("an earlier security move cannot fix it alone: even at insecurity 0 the step costs %s > %s", num(base), num(bound))
		}
		out = append(out, l)
	}
	return out
}

// verification is the detection D that makes the margin zero: D = c/(V + G).
func (c *leverCtx) verification() Lever {
	tm := c.tm
	l := Lever{Kind: LeverVerification, Now: tm.D}
	vg := tm.V + tm.G
	if vg <= 0 {
		l.Text = fmt.Sprintf("more verification cannot help: V + G = %s ≤ 0, so being caught costs it nothing", num(vg))
		return l
	}
	d := tm.C / vg
	l.Needed = ptr(d)
	if d > 1+model.Tolerance {
		l.Text = fmt.Sprintf("more verification cannot fix it alone: it would need D = c/(V + G) = %s > 1", num(d))
		return l
	}
	l.Feasible = true
	l.Text = fmt.Sprintf("more verification: detection D ≥ c/(V + G) = %s (now %s)", num(d), num(tm.D))
	if m := len(c.x.r.Phases[c.k].StepsBy[c.a]); m > 1 {
		l.Text += fmt.Sprintf(", e.g. d ≥ %s on each of its %d steps", num(1-math.Pow(1-d, 1/float64(m))), m)
	}
	return l
}

// escrow is the share of the benefits received in the phase that must be
// withdrawn on detection (so count in G) for the margin to be zero.
func (c *leverCtx) escrow() Lever {
	tm := c.tm
	l := Lever{Kind: LeverEscrow}
	if tm.B > 0 {
		l.Now = tm.G / tm.B
	}
	switch {
	case tm.D <= 0:
		l.Text = "escrow cannot help: nothing it owes here is verified (D = 0)"
		return l
	case tm.B <= 0:
		l.Text = "escrow cannot help: it receives nothing in this phase"
		return l
	}
	g := tm.C/tm.D - tm.V
	share := g / tm.B
	l.Needed = ptr(share)
	if share > 1+model.Tolerance {
		l.Text = fmt.Sprintf("reversibility or escrow cannot fix it alone: it would need G = c/D − V = %s, more than all it receives here (b = %s)", num(g), num(tm.B))
		return l
	}
	l.Feasible = true
	l.Text = fmt.Sprintf("reversibility or escrow: put a share ≥ %s of what it receives here (now %s) at stake — reversible or held in escrow until it delivers — so that G ≥ c/D − V = %s",
		num(share), num(l.Now), num(g))
	return l
}

// lastingLever is the lasting value per round that lifts a failing quantity
// by gap, when a unit of lasting value lifts it by factor·w.
func (c *leverCtx) lastingLever(factor, gap float64, what string) Lever {
	l := Lever{Kind: LeverLasting, Now: c.lasting}
	if c.w <= 0 {
		l.Text = "a lasting value cannot help: with δ = 1 none is allowed"
		return l
	}
	if factor <= 0 {
		l.Text = "a lasting value cannot help: nothing it does here is verified (D = 0)"
		return l
	}
	lv := c.lasting + gap/(factor*c.w)
	l.Needed, l.Feasible = ptr(lv), true
	K := len(c.x.r.Phases)
	l.Text = fmt.Sprintf("a lasting value: ≥ %s per round once the roadmap is complete (now %s); each unit adds δ^%d/(1 − δ) = %s to V and %s to %s",
		num(lv), num(c.lasting), K-c.k, num(c.w), num(factor*c.w), what)
	return l
}

// security is the earlier-security-move lever for a quantity that falls
// linearly in the actor's insecurity: value(s) = at0 − slope·s. It is absent
// when the cost is not inflated by insecurity.
func (c *leverCtx) security(at0, slope float64, what string) (Lever, bool) {
	if c.cs*c.s <= model.Tolerance || slope <= 0 {
		return Lever{}, false
	}
	l := Lever{Kind: LeverSecurity, Now: c.s}
	pre := fmt.Sprintf("at insecurity 0 its cost would be %s (now %s at insecurity %s)", num(c.cb), num(c.tm.C), num(c.s))
	if at0 < -model.Tolerance {
		l.Text = fmt.Sprintf("an earlier security move cannot fix it alone: %s, and %s would still be %s < 0", pre, what, num(at0))
		return l, true
	}
	sstar := at0 / slope
	l.Needed, l.Feasible = ptr(sstar), true
	l.Text = fmt.Sprintf("an earlier security move: %s; insecurity ≤ %s is enough%s", pre, num(sstar), c.candidates(sstar))
	return l, true
}

// candidates names the later moves that cut the actor's insecurity and what
// its insecurity would be if all of them came before this phase.
func (c *leverCtx) candidates(target float64) string {
	r := c.x.r
	var names []string
	seen := map[string]bool{}
	s := c.s
	for l := c.k + 1; l < len(r.Phases); l++ {
		for _, st := range r.Phases[l].Steps {
			sp := &r.Steps[st]
			if sp.Cut[c.a] <= 0 {
				continue
			}
			s *= 1 - sp.Cut[c.a]
			if !seen[sp.MoveID] {
				seen[sp.MoveID] = true
				names = append(names, fmt.Sprintf("%s (phase %d)", sp.MoveID, l+1))
			}
		}
	}
	if len(names) == 0 {
		return "; no later move of this roadmap cuts its insecurity"
	}
	verdict := "enough"
	if s > target+model.Tolerance {
		verdict = "not enough"
	}
	return fmt.Sprintf("; later moves that cut it: %s — all of them first would bring it to %s, %s", strings.Join(names, ", "), num(s), verdict)
}

// split finds the smallest n in 2..MaxTranches for which every one of n
// equal rounds of the phase passes: round j has cost c/n, gain b/n, exposure
// L/n, stake G/n, the same D, and continuation V_j = δ·((b − c)/n + V_(j+1))
// with V_n = V. It returns n and the tightest margin of the n rounds.
func (c *leverCtx) split(margin func(cn, bn, ln, gn, v float64) float64) (int, float64, bool) {
	tm := c.tm
	for n := 2; n <= MaxTranches; n++ {
		fn := float64(n)
		cn, bn, ln, gn := tm.C/fn, tm.B/fn, tm.L/fn, tm.G/fn
		v := tm.V
		worst := math.Inf(1)
		for j := n; j >= 1; j-- {
			worst = min(worst, margin(cn, bn, ln, gn, v))
			v = c.delta * (bn - cn + v)
		}
		if holds(worst) {
			return n, worst, true
		}
	}
	return 0, 0, false
}

// trancheLever reports the result of split. When no n works it says why:
// the last round needs n·a ≥ k (a = D·V for an opportunist, p·V for a
// reciprocator), and the rounds before it lose value to the delay of the
// later phases.
func (c *leverCtx) trancheLever(n int, worst float64, ok bool, a, k float64, aName string, trustFixed bool) Lever {
	l := Lever{Kind: LeverTranches, Now: 1}
	fixed := ""
	if trustFixed {
		fixed = ", its prior trust held fixed"
	}
	if !ok {
		why := ""
		switch {
		case a <= 0:
			why = fmt.Sprintf("the last round would need %s > 0, and it is %s", aName, num(a))
		case k/a > MaxTranches:
			why = fmt.Sprintf("the last round alone would need n ≥ %s", num(k/a))
		default:
			why = fmt.Sprintf("the last round needs n ≥ %s, but then the delay of the later phases costs the first rounds more than the split saves", num(k/a))
		}
		l.Text = fmt.Sprintf("smaller tranches cannot fix it alone: no split into n ≤ %d rounds passes (%s%s)", MaxTranches, why, fixed)
		return l
	}
	l.Needed, l.Feasible = ptr(float64(n)), true
	l.Text = fmt.Sprintf("smaller tranches: split every move of this phase into %d equal tranches, one round each — the temptation per round falls to c/%d = %s and the tightest round keeps a margin of %s%s",
		n, n, num(c.tm.C/float64(n)), num(worst), fixed)
	return l
}
