package bdm

import (
	"context"
	"fmt"
	"math"

	"github.com/parleyhq/parley/forecast"
	"github.com/parleyhq/parley/forecast/baseline"
)

// Kind is how a receiver reads a proposal.
type Kind string

const (
	// Conflict: both would challenge, and the receiver expects to lose; it
	// moves to the sender's position.
	Conflict Kind = "conflict"
	// Compromise: the receiver would not challenge and loses less than the
	// sender gains; it moves part of the way, |EU_ji / EU_ij|.
	Compromise Kind = "compromise"
	// Capitulation: the receiver would lose more by resisting than the
	// sender gains; it moves to the sender's position.
	Capitulation Kind = "capitulation"
	// NoMove: the receiver expects to win, or neither side gains.
	NoMove Kind = "none"
)

// Proposal is one actor's demand that another move to its position.
type Proposal struct {
	From, To int
	// SenderEU and ReceiverEU are EU_ij and EU_ji as the receiver weighs
	// them (see [Perspective]).
	SenderEU, ReceiverEU float64
	Kind                 Kind
	// Position is where the receiver would move if it took the proposal;
	// SenderPosition is where the sender stands.
	Position, SenderPosition float64
}

// Round is one round of the model.
type Round struct {
	// Range is the distance scale d, Reference the point μ.
	Range, Reference float64
	// Risk[i] is actor i's risk exponent r_i, in [1/2, 2].
	Risk []float64
	// Prob[i][j] is P_ij; EU[i][j] is EU_ij valued with r_i (0 when i = j).
	Prob, EU [][]float64
	// Proposals lists every proposal, by sender then receiver.
	Proposals []Proposal
	// Accepted[j] is the index in Proposals of the proposal actor j acted
	// on, or -1.
	Accepted []int
	// Positions are the positions after the round; Median and Mean the
	// capability×salience weighted median and mean of them.
	Positions    []float64
	Median, Mean float64
}

// Result is a run of the model.
type Result struct {
	Actors    []string
	Dimension string
	// Start holds the starting positions, with their weighted median and
	// mean.
	Start        []float64
	Median, Mean float64
	Rounds       []Round
	// Stop says why the run ended: "converged", "cap" or "no range" (every
	// actor at the same position).
	Stop    string
	Options Options
}

// Final returns the positions after the last round.
func (r *Result) Final() []float64 {
	if len(r.Rounds) == 0 {
		return r.Start
	}
	return r.Rounds[len(r.Rounds)-1].Positions
}

type model struct {
	opt  Options
	n    int
	c, s []float64
	w    []float64 // c × s
	d0   float64
}

// Run runs the model on dimension opt.Dimension of in.
func Run(ctx context.Context, in *forecast.Input, opt Options) (*Result, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	if err := forecast.Validate(in); err != nil {
		return nil, err
	}
	k := opt.Dimension
	if k < 0 || k >= len(in.Dimensions) {
		return nil, fmt.Errorf("the input has %d dimensions; there is no dimension %d", len(in.Dimensions), k)
	}
	m := &model{opt: opt, n: len(in.Actors)}
	res := &Result{Dimension: in.Dimensions[k].Name, Options: opt}
	x := make([]float64, m.n)
	for i, a := range in.Actors {
		res.Actors = append(res.Actors, a.Name)
		m.c = append(m.c, a.Capability)
		m.s = append(m.s, a.Salience[k])
		m.w = append(m.w, a.Capability*a.Salience[k])
		x[i] = a.Position[k]
	}
	if sum(m.w) <= 0 {
		return nil, fmt.Errorf("no actor gives dimension %q any salience", res.Dimension)
	}
	res.Start = append([]float64(nil), x...)
	res.Median, res.Mean = baseline.WeightedMedian(x, m.w), baseline.WeightedMean(x, m.w)
	m.d0 = spread(x)
	for round := 1; ; round++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if spread(x) == 0 {
			res.Stop = "no range"
			break
		}
		r := m.round(x)
		res.Rounds = append(res.Rounds, r)
		moved := 0.0
		for i := range x {
			moved = math.Max(moved, math.Abs(r.Positions[i]-x[i]))
		}
		x = r.Positions
		if moved <= opt.Epsilon*m.d0 {
			res.Stop = "converged"
			break
		}
		if round >= opt.MaxRounds {
			res.Stop = "cap"
			break
		}
	}
	return res, nil
}

func spread(x []float64) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range x {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return hi - lo
}

func sum(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s
}

// round plays one round from positions x.
func (m *model) round(x []float64) Round {
	n := m.n
	d := m.d0
	if m.opt.Range == RangeRound {
		d = spread(x)
	}
	mu := baseline.WeightedMedian(x, m.w)
	if m.opt.Reference == RefMean {
		mu = baseline.WeightedMean(x, m.w)
	}
	r := Round{Range: d, Reference: mu, Risk: make([]float64, n)}

	// 1. every exponent 1: how exposed is each actor?
	for i := range r.Risk {
		r.Risk[i] = 1
	}
	prob := m.probabilities(x, d, r.Risk)
	danger := make([]float64, n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i != j {
				danger[j] += m.eu(x, d, mu, prob, i, j, 1)
			}
		}
	}
	sMin, sMax := math.Inf(1), math.Inf(-1)
	for _, v := range danger {
		sMin, sMax = math.Min(sMin, v), math.Max(sMax, v)
	}
	for i := range r.Risk {
		bigR := 0.0
		if sMax > sMin {
			bigR = (2*danger[i] - sMax - sMin) / (sMax - sMin)
		}
		r.Risk[i] = (1 - bigR/3) / (1 + bigR/3)
	}

	// 2. again with the inferred exponents
	r.Prob = m.probabilities(x, d, r.Risk)
	r.EU = make([][]float64, n)
	for i := 0; i < n; i++ {
		r.EU[i] = make([]float64, n)
		for j := 0; j < n; j++ {
			if i != j {
				r.EU[i][j] = m.eu(x, d, mu, r.Prob, i, j, r.Risk[i])
			}
		}
	}

	// 3. proposals, read by their receivers
	byReceiver := make([][]int, n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i == j || x[i] == x[j] {
				continue
			}
			a, b := r.EU[i][j], r.EU[j][i]
			if m.opt.Perspective == PerspectiveEvaluator {
				a = m.eu(x, d, mu, r.Prob, i, j, r.Risk[j])
			}
			if !(a > 0) {
				continue // i does not challenge j, as the receiver sees it
			}
			p := Proposal{From: i, To: j, SenderEU: a, ReceiverEU: b, Kind: NoMove, Position: x[j], SenderPosition: x[i]}
			switch {
			case b > 0 && b < a:
				p.Kind, p.Position = Conflict, x[i]
			case b < 0 && -b < a:
				p.Kind, p.Position = Compromise, x[j]+(x[i]-x[j])*math.Abs(b/a)
			case b < 0 && -b > a:
				p.Kind, p.Position = Capitulation, x[i]
			}
			byReceiver[j] = append(byReceiver[j], len(r.Proposals))
			r.Proposals = append(r.Proposals, p)
		}
	}

	// 4. each receiver acts on one proposal
	r.Accepted = make([]int, n)
	r.Positions = append([]float64(nil), x...)
	for j := 0; j < n; j++ {
		r.Accepted[j] = m.pick(r.Proposals, byReceiver[j], x[j])
		if q := r.Accepted[j]; q >= 0 {
			r.Positions[j] = r.Proposals[q].Position
		}
	}
	r.Median, r.Mean = baseline.WeightedMedian(r.Positions, m.w), baseline.WeightedMean(r.Positions, m.w)
	return r
}

// pick returns the index of the proposal actor j (now at xj) acts on, or
// -1.
func (m *model) pick(ps []Proposal, mine []int, xj float64) int {
	best := -1
	move := func(q int) float64 { return math.Abs(ps[q].Position - xj) }
	closest := func(kinds ...Kind) int {
		b := -1
		for _, q := range mine {
			ok := false
			for _, k := range kinds {
				ok = ok || ps[q].Kind == k
			}
			if ok && (b < 0 || move(q) < move(b)) {
				b = q
			}
		}
		return b
	}
	switch m.opt.Accept {
	case AcceptSmallestMove:
		best = closest(Conflict, Compromise, Capitulation)
	case AcceptHighestEU:
		dist := func(q int) float64 { return math.Abs(ps[q].SenderPosition - xj) }
		for _, q := range mine {
			if best < 0 || ps[q].SenderEU > ps[best].SenderEU ||
				(ps[q].SenderEU == ps[best].SenderEU && dist(q) < dist(best)) {
				best = q
			}
		}
		if best >= 0 && ps[best].Kind == NoMove {
			best = -1
		}
	case AcceptByKind:
		if best = closest(Conflict); best < 0 {
			for _, q := range mine {
				if ps[q].Kind != Compromise {
					continue
				}
				if best < 0 || weighted(ps[q], xj) < weighted(ps[best], xj) {
					best = q
				}
			}
		}
		if best < 0 {
			best = closest(Capitulation)
		}
	}
	return best
}

// weighted is the EU-weighted average of the receiver's and the sender's
// positions by which Scholz et al.'s code ranks compromises.
func weighted(p Proposal, xj float64) float64 {
	return (math.Abs(p.ReceiverEU)*xj + math.Abs(p.SenderEU)*p.SenderPosition) / (math.Abs(p.ReceiverEU) + math.Abs(p.SenderEU))
}

// probabilities returns P_ij for every pair, with voters' exponents r.
func (m *model) probabilities(x []float64, d float64, r []float64) [][]float64 {
	n := m.n
	dist := func(k int, y float64) float64 {
		v := math.Abs(x[k]-y) / d
		if m.opt.Votes == VotesRisk {
			v = math.Pow(v, r[k])
		}
		return v
	}
	vote := func(k, i, j int) float64 { return m.w[k] * (dist(k, x[j]) - dist(k, x[i])) }
	global := 0.0
	if m.opt.Probability == ProbGlobal {
		for k := 0; k < n; k++ {
			for a := 0; a < n; a++ {
				for b := 0; b < n; b++ {
					global += math.Abs(vote(k, a, b))
				}
			}
		}
	}
	p := make([][]float64, n)
	for i := 0; i < n; i++ {
		p[i] = make([]float64, n)
		for j := 0; j < n; j++ {
			if i == j || x[i] == x[j] {
				continue
			}
			pos, all, net := 0.0, 0.0, 0.0
			for k := 0; k < n; k++ {
				v := vote(k, i, j)
				if v > 0 {
					pos += v
				}
				all += math.Abs(v)
				net += v
			}
			switch m.opt.Probability {
			case ProbShare:
				if all > 0 {
					p[i][j] = pos / all
				}
			case ProbNet:
				if all > 0 {
					p[i][j] = math.Max(0, net) / all
				}
			case ProbGlobal:
				if global > 0 {
					p[i][j] = pos / global
				}
			}
		}
	}
	return p
}

// eu is EU_ij, i's expected utility of challenging j, valued with
// exponent r.
func (m *model) eu(x []float64, d, mu float64, prob [][]float64, i, j int, r float64) float64 {
	dij := math.Abs(x[i]-x[j]) / d
	dmu := (math.Abs(x[i]-mu) + math.Abs(x[i]-x[j])) / d
	u := func(v float64) float64 { return 2 - 4*math.Pow(v, r) }
	us, uf := u(0.5-0.5*dij), u(0.5+0.5*dij)
	usq := u(0.5)
	p, sj, q, t := prob[i][j], m.s[j], m.opt.Q, m.opt.T
	if q == 1 {
		// (1 - q)(...) is 0 and q usq is usq, to the bit: skip the
		// utilities of a better or worse status quo (the default)
		return sj*(p*us+(1-p)*uf) + (1-sj)*us - usq
	}
	ub, uw := u(math.Max(0, 0.5-0.25*dmu)), u(0.5+0.25*dmu)
	return sj*(p*us+(1-p)*uf) + (1-sj)*us - (q*usq + (1-q)*(t*ub+(1-t)*uw))
}
