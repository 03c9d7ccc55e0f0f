package ipd

import "fmt"

// MemoryOneRule is a rule that looks only at the previous turn. P[k] is the
// probability of cooperating after outcome k seen from the player's side,
// own move first: P[0] after CC, P[1] after CD (the opponent defected
// against its C), P[2] after DC, P[3] after DD. Initial is the probability
// of cooperating on turn 1.
type MemoryOneRule struct {
	P       [4]float64
	Initial float64
}

// String writes the rule as "(p1,p2,p3,p4) start p0".
func (m MemoryOneRule) String() string {
	return fmt.Sprintf("(%s,%s,%s,%s) start %s", fmtNum(m.P[0]), fmtNum(m.P[1]), fmtNum(m.P[2]), fmtNum(m.P[3]), fmtNum(m.Initial))
}

// stochastic reports whether the rule ever draws a random number.
func (m MemoryOneRule) stochastic() bool {
	for _, p := range append(m.P[:], m.Initial) {
		if p > 0 && p < 1 {
			return true
		}
	}
	return false
}

// depth is the rule's memory depth: 0 if it ignores the past.
func (m MemoryOneRule) depth() int {
	if m.P[0] == m.P[1] && m.P[1] == m.P[2] && m.P[2] == m.P[3] {
		return 0
	}
	return 1
}

// gtftForgiveness is Nowak and Sigmund's generosity for generous tit for
// tat: the largest probability of forgiving a defection that still leaves
// defection unprofitable, min{1 − (T−R)/(R−S), (R−P)/(T−P)}; 1/3 for the
// default payoffs.
func gtftForgiveness(p Payoffs) float64 {
	return min(1-(p.T-p.R)/(p.R-p.S), (p.R-p.P)/(p.T-p.P))
}

// extortion returns Press and Dyson's extortionate memory-one rule with
// extortion factor chi ≥ 1 and scale phi > 0, which enforces
// s_X − P = chi·(s_Y − P) between the long-run payoffs of the extortioner
// X and any opponent Y:
//
//	p1 = 1 − φ(χ−1)(R−P)/(P−S)   p2 = 1 − φ(1 + χ(T−P)/(P−S))
//	p3 = φ(χ + (T−P)/(P−S))      p4 = 0
//
// The rule exists (all four in [0,1]) iff 0 < φ ≤ (P−S)/((P−S) + χ(T−P)).
func extortion(chi, phi float64, p Payoffs) MemoryOneRule {
	k := (p.T - p.P) / (p.P - p.S)
	return MemoryOneRule{P: [4]float64{
		1 - phi*(chi-1)*(p.R-p.P)/(p.P-p.S),
		1 - phi*(1+chi*k),
		phi * (chi + k),
		0,
	}, Initial: 1}
}

// checkRule reports a probability of the rule outside [0,1].
func checkRule(m MemoryOneRule) error {
	for k, q := range m.P {
		if !(q >= -1e-12 && q <= 1+1e-12) {
			return fmt.Errorf("its probability of cooperating after %s would be %s, outside [0,1]", stateNames[k], fmtNum(q))
		}
	}
	return nil
}

// clampRule removes rounding errors that put a probability just outside [0,1].
func clampRule(m MemoryOneRule) MemoryOneRule {
	for k, q := range m.P {
		m.P[k] = min(1, max(0, q))
	}
	return m
}

// linearRelation is Hilbe, Nowak and Sigmund's parametrisation of the
// memory-one rules that enforce s_Y − l = s·(s_X − l) between the long-run
// payoffs of the player X and any opponent Y, with baseline l, slope s and
// scale phi (the reference library's LRPlayer):
//
//	p1 = 1 − φ(1−s)(R−l)   p2 = 1 − φ(s(l−S) + (T−l))
//	p3 = φ((l−S) + s(T−l))  p4 = φ(1−s)(l−P)
func linearRelation(l, s, phi float64, p Payoffs) MemoryOneRule {
	return MemoryOneRule{P: [4]float64{
		1 - phi*(1-s)*(p.R-l),
		1 - phi*(s*(l-p.S)+(p.T-l)),
		phi * ((l - p.S) + s*(p.T-l)),
		phi * (1 - s) * (l - p.P),
	}, Initial: 1}
}
