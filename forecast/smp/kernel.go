package smp

import (
	"fmt"
	"math"
)

// The functions in this file are the arithmetic of KTAB's SMP. Each keeps
// the order of KTAB's floating-point operations, so that deterministic runs
// agree with KTAB's to the last bit, not only to the printed digits: a
// bargain is rounded to 4 decimals, and a different last bit can round it
// the other way.

// distance is the salience-weighted Euclidean distance from ideal to p,
// normalised by the saliences: sqrt(Σ (s_k d_k)² / Σ s_k²).
func distance(ideal, p, sal []float64) float64 {
	ds, ss := 0.0, 0.0
	for k := range ideal {
		d := (ideal[k] - p[k]) * sal[k]
		ds = ds + d*d
		ss = ss + sal[k]*sal[k]
	}
	return math.Sqrt(ds / ss)
}

// utility is (1 - d)(1 + d R) for a distance d in [0, 1] and a risk
// attitude R; beyond 1 (rounding only) it is (1 - d)(1 + R).
func utility(d, r float64) float64 {
	if d <= 1 {
		return (1 - d) * (1 + d*r)
	}
	return (1 - d) * (1 + r)
}

// vote is the vote of an actor of weight w for option a over option b,
// worth ua and ub to it.
func vote(vr VotingRule, w, ua, ub float64) float64 {
	du := ua - ub
	bin := du / 1e-8
	if bin > 1 {
		bin = 1
	}
	if bin < -1 {
		bin = -1
	}
	switch vr {
	case BinaryVote:
		return w * bin
	case PropBin:
		return w * ((1-0.2)*du + 0.2*bin)
	case Proportional:
		return w * du
	case PropCbc:
		return w * ((1-0.5)*du + 0.5*(du*du*du))
	case Cubic:
		return w * (du * du * du)
	case ASymProsp:
		switch {
		case du < 0:
			return w * du
		case du > 0:
			return (2 * w * du) / 3
		}
		return 0
	}
	panic(fmt.Sprintf("smp: voting rule %d", vr))
}

// victory returns the probabilities that coalitions of strengths s1 and s2
// win against each other.
func victory(m VictoryProb, s1, s2 float64) (float64, float64) {
	var x1, x2 float64
	switch m {
	case Linear:
		x1, x2 = s1, s2
	case Square:
		x1, x2 = s1*s1, s2*s2
	case Quartic:
		x1, x2 = s1*s1*s1*s1, s2*s2*s2*s2
	case Octic:
		q1, q2 := s1*s1*s1*s1, s2*s2*s2*s2
		x1, x2 = q1*q1, q2*q2
	case BinaryVictory:
		const thresh, minX = 1.10, 1e-6
		switch {
		case s1 >= thresh*s2:
			x1, x2 = 1, minX
		case s2 >= thresh*s1:
			x1, x2 = minX, 1
		default:
			r := s1 / (s1 + s2)
			p := (r*(thresh+1) - 1) / (thresh - 1)
			x1, x2 = p, 1-p
		}
	default:
		panic(fmt.Sprintf("smp: victory model %d", m))
	}
	return x1 / (x1 + x2), x2 / (x1 + x2)
}

// matrix is a square matrix stored by rows.
type matrix struct {
	n int
	a []float64
}

func newMatrix(n int) matrix             { return matrix{n: n, a: make([]float64, n*n)} }
func (m matrix) at(i, j int) float64     { return m.a[i*m.n+j] }
func (m matrix) set(i, j int, x float64) { m.a[i*m.n+j] = x }

// coalitions returns c with c(i,j) the strength of the coalition for
// option i against option j: 1e-8 plus the sum of the positive votes
// vote(k, i, j) over the actors k.
func coalitions(nAct, nOpt int, vote func(k, i, j int) float64) matrix {
	const minC = 1e-8
	c := newMatrix(nOpt)
	for i := 0; i < nOpt; i++ {
		for j := 0; j < i; j++ {
			cij, cji := minC, minC
			for k := 0; k < nAct; k++ {
				v := vote(k, i, j)
				if v > 0 {
					cij = cij + v
				}
				if v < 0 {
					cji = cji - v
				}
			}
			c.set(i, j, cij)
			c.set(j, i, cji)
		}
		c.set(i, i, minC)
	}
	return c
}

// victoryMatrix returns p with p(i,j) the probability that option i beats
// option j, given the coalition strengths.
func victoryMatrix(m VictoryProb, c matrix) matrix {
	p := newMatrix(c.n)
	for i := 0; i < c.n; i++ {
		for j := 0; j < i; j++ {
			a, b := victory(m, c.at(i, j), c.at(j, i))
			p.set(i, j, a)
			p.set(j, i, b)
		}
		p.set(i, i, 0.5)
	}
	return p
}

// ErrElection reports a Markov election (PCEModel MarkovIncentive or
// MarkovUniform) that did not settle within KTAB's bound of iterations.
var ErrElection = fmt.Errorf("the Markov election did not converge in %d iterations", maxMarkov)

// maxMarkov bounds the iterations of the Markov elections (KTAB: 1000).
const maxMarkov = 1000

// election returns the probability that each option wins a probabilistic
// Condorcet election with the given coalition strengths.
func election(pcm PCE, vpm VictoryProb, c matrix) ([]float64, error) {
	n := c.n
	pv := victoryMatrix(vpm, c)
	switch pcm {
	case Conditional:
		p := make([]float64, n)
		for i := 0; i < n; i++ {
			pi := 1.0
			for j := 0; j < n; j++ {
				pi = pi * pv.at(i, j)
			}
			p[i] = pi
		}
		s := sum(p)
		for i := range p {
			p[i] = p[i] / s
		}
		return p, nil
	case MarkovUniform:
		p := uniform(n)
		q := make([]float64, n)
		for iter := 0; ; iter++ {
			if iter >= maxMarkov {
				return nil, ErrElection
			}
			change := 0.0
			for i := 0; i < n; i++ {
				pi := 0.0
				for j := 0; j < n; j++ {
					pi = pi + pv.at(i, j)*(p[i]+p[j])
				}
				q[i] = pi / float64(n)
				change = math.Max(change, math.Abs(q[i]-p[i]))
			}
			for i := range p {
				p[i] = (p[i] + q[i]) / 2
			}
			if !(1e-6 < change) {
				return p, nil
			}
		}
	case MarkovIncentive:
		inc := newMatrix(n)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				x := c.at(i, j) * pv.at(i, j)
				if i == j {
					x = x + 1e-10
				}
				inc.set(i, j, x)
			}
		}
		chlg := newMatrix(n)
		for j := 0; j < n; j++ {
			s := 0.0
			for k := 0; k < n; k++ {
				s = s + inc.at(k, j)
			}
			for i := 0; i < n; i++ {
				chlg.set(i, j, inc.at(i, j)/s)
			}
		}
		p := uniform(n)
		q := make([]float64, n)
		ct := newMatrix(n)
		for iter := 0; ; iter++ {
			if iter >= maxMarkov {
				return nil, ErrElection
			}
			for i := 0; i < n; i++ {
				for j := 0; j < n; j++ {
					ct.set(i, j, p[i]*chlg.at(j, i))
				}
			}
			change := 0.0
			for i := 0; i < n; i++ {
				qi := 0.0
				for j := 0; j < n; j++ {
					qi = qi + pv.at(i, j)*(ct.at(i, j)+ct.at(j, i))
				}
				q[i] = qi
				change = math.Max(change, math.Abs(q[i]-p[i]))
			}
			for i := range p {
				p[i] = (p[i] + q[i]) / 2
			}
			if !(1e-8 < change) {
				return p, nil
			}
		}
	}
	panic(fmt.Sprintf("smp: PCE model %d", pcm))
}

func uniform(n int) []float64 {
	p := make([]float64, n)
	for i := range p {
		p[i] = 1.0 / float64(n)
	}
	return p
}

func sum(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s = s + v
	}
	return s
}

// riskFromProb infers risk attitudes from the probability that each
// actor's position wins: the most likely is the most risk-averse.
func riskFromProb(p []float64, rr RiskRange) []float64 {
	pMin, pMax := 1.0, 0.0
	for _, x := range p {
		if x < pMin {
			pMin = x
		}
		if x > pMax {
			pMax = x
		}
	}
	r := make([]float64, len(p))
	if !(pMax > pMin) {
		// every position equally likely: KTAB divides by zero here; parley
		// treats every actor as risk-neutral
		return r
	}
	for i, x := range p {
		switch rr {
		case RangeMin:
			r[i] = (x - pMin) / (pMax - pMin)
		case RangeMid:
			r[i] = (3*x - (pMax + 2*pMin)) / (2 * (pMax - pMin))
		case RangeMax:
			r[i] = (2*x - (pMax + pMin)) / (pMax - pMin)
		}
	}
	return r
}

// estimateRisk is h's estimate of i's risk attitude.
func estimateRisk(rh, ri float64, ra RiskAdjust) float64 {
	switch ra {
	case AdjustFull:
		return ri
	case AdjustTwoThirds:
		return (rh + (2.0 * ri)) / 3.0
	case AdjustHalf:
		return (rh + ri) / 2
	case AdjustOneThird:
		return ((2.0 * rh) + ri) / 3.0
	case AdjustNone:
		return rh
	}
	panic(fmt.Sprintf("smp: risk adjustment %d", ra))
}

// littleContest is the probability that i wins the three-actor contest in
// which third party n (of weight w, valuing i's and j's positions at ui
// and uj) joins the principals' own contributions ci and cj.
func littleContest(vr VotingRule, w, ui, uj, ci, cj float64) float64 {
	v := vote(vr, w, ui, uj)
	cni, cnj := ci, cj
	if v > 0 {
		cni = ci + v
	}
	if v < 0 {
		cnj = cj - v
	}
	return cni / (cni + cnj)
}

// thirdPartyVote is the vote of third party k (weight w) in the contest of
// i against j, given the probabilities pi and pj that i and j win with k's
// help, k's utilities of i's, j's and its own position, and how committed k
// expects to be.
func thirdPartyVote(w float64, vr VotingRule, tp ThirdParty, pi, pj, uki, ukj, ukk float64) float64 {
	var ikDefJ, jDefIK, iDefJK, jkDefI float64
	switch tp {
	case FullCommit:
		ikDefJ = uki + uki + uki
		jDefIK = ukj + ukj + ukj
		iDefJK = uki + uki + uki
		jkDefI = ukj + ukj + ukj
	case SemiCommit:
		ikDefJ = uki + uki + ukk
		jDefIK = ukj + ukj + ukj
		iDefJK = uki + uki + uki
		jkDefI = ukj + ukj + ukk
	case NoCommit:
		ikDefJ = uki + uki + ukk
		jDefIK = ukj + ukj + ukk
		iDefJK = uki + uki + ukk
		jkDefI = ukj + ukj + ukk
	default:
		panic(fmt.Sprintf("smp: third-party commitment %d", tp))
	}
	withI := (pi * ikDefJ) + (pj * jDefIK)
	withJ := (pi * iDefJK) + (pj * jkDefI)
	return vote(vr, w, withI, withJ)
}

// round4 rounds a coordinate to 4 decimals the way KTAB does (half up, for
// the non-negative coordinates of the 0-1 scale).
func round4(x float64) float64 {
	const s = 10000.0
	y := int64(0.5 + x*s)
	return float64(y) / s
}

// interpolate returns the bargain of initiator i and receiver j on one
// dimension: their positions ti and tj, saliences si and sj, and the
// probabilities pi and pj used as weights. It returns the coordinates
// offered to i and to j.
func interpolate(ivb Interpolation, ti, si, pi, tj, sj, pj float64) (float64, float64) {
	const minW = 1e-6
	switch ivb {
	case S1P1, S2P2:
		var wi, wj float64
		if ivb == S1P1 {
			wi, wj = si*pi, sj*pj
		} else {
			wi, wj = (si*si)*(pi*pi), (sj*sj)*(pj*pj)
		}
		bi := round4(((wi+minW)*ti + wj*tj) / (wi + minW + wj))
		bj := round4((wi*ti + (minW+wj)*tj) / (wi + minW + wj))
		return bi, bj
	case S2PMax:
		di, dj := 0.0, 0.0
		if pj > pi {
			di = pj - pi
		}
		if pi > pj {
			dj = pi - pj
		}
		si2, sj2 := si*si, sj*sj
		dik := (di * sj2) / ((di * sj2) + minW + ((1 - di) * si2))
		djk := (dj * si2) / ((dj * si2) + minW + ((1 - dj) * sj2))
		return ti + dik*(tj-ti), tj + djk*(ti-tj)
	}
	panic(fmt.Sprintf("smp: interpolation %d", ivb))
}
