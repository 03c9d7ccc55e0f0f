package smp

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/parleyhq/parley/forecast"
)

// posTol is the distance, on the 0-1 scale, below which two positions count
// as the same (KTAB: 1e-3, a tenth of a point on 0-100).
const posTol = 1e-3

// minSigGain is the smallest expected gain for which an actor challenges
// (KTAB: 1e-5).
const minSigGain = 1e-5

// Result is a run of the model.
type Result struct {
	// Dimensions are the names of the dimensions.
	Dimensions []string
	// Actors are the names of the actors.
	Actors []string
	// States holds the state before the first turn and after each turn.
	States []State
	// Changes[t] is the stopping statistic after turn t+1: how far the
	// positions moved in that turn, as a fraction of how far they moved in
	// the first (see [Options.StopRatio]).
	Changes []float64
	// Turns holds what happened in each turn when [Options.Trace] is set:
	// Turns[t] leads from States[t] to States[t+1].
	Turns []Turn
	// Options are the options of the run.
	Options Options
}

// State is the situation at the start of a turn.
type State struct {
	// Positions[i][k] is actor i's position on dimension k, in the input's
	// units.
	Positions [][]float64
	// Ideals[i] is actor i's ideal point, in the input's units; it equals
	// the position unless the input's accommodation matrix says otherwise.
	Ideals [][]float64
	// Risk[i] is actor i's inferred risk attitude.
	Risk []float64
	// Prob[i] is the probability that actor i's position (counting every
	// position within 0.1 point of it as the same) wins the election among
	// the distinct positions, each actor judging by its own utilities.
	// Actors sharing a position share its probability, so the column can
	// sum to more than 1; it is KTAB's "prob".
	Prob []float64
}

// Turn is what happened in one turn.
type Turn struct {
	// Challenges holds each actor's best challenge, in actor order; actors
	// with no worthwhile target are left out.
	Challenges []Challenge
	// Choices holds, for each actor, the bargains it could take and the one
	// it took.
	Choices []Choice
}

// Challenge is one actor's most advantageous challenge.
type Challenge struct {
	Initiator, Target int
	// ByInitiator and ByTarget are the two principals' estimates of the
	// contest; the initiator picked the target with the largest
	// ByInitiator.Gain.
	ByInitiator, ByTarget Estimate
	// Bargains are the bargains the challenge puts on the table.
	Bargains []Bargain
}

// Estimate is one actor's view of a challenge.
type Estimate struct {
	// Prob is the probability that the initiator wins.
	Prob float64
	// Gain and TargetGain are the expected gains, over the status quo, to
	// the initiator and to the target.
	Gain, TargetGain float64
}

// Bargain is a proposed pair of positions.
type Bargain struct {
	// ID numbers the bargains of a run from 1, in the order they are made.
	ID                int
	Initiator, Target int
	// ForInitiator and ForTarget are the positions each would take, in the
	// input's units.
	ForInitiator, ForTarget []float64
}

// Choice is how one actor settled its queue of bargains.
type Choice struct {
	Actor int
	// Options lists the IDs of the bargains in the actor's queue; 0 stands
	// for keeping its position (the status quo).
	Options []int
	// Probs[m] is the probability that option m wins the actors' election.
	Probs []float64
	// Chosen is the index in Options of the bargain taken.
	Chosen int
}

// model is the fixed data of a run.
type model struct {
	opt   Options
	n, nd int
	cap   []float64   // capability
	wsal  []float64   // capability × total salience, the weight in a challenge
	sal   [][]float64 // salience per dimension
	lo    []float64   // scale of each dimension
	span  []float64
	acc   [][]float64 // accommodation; nil for the identity
	rng   *rand.Rand
	nextB int
	turn  int // the turn being played, from 1
}

// state is a state on the 0-1 scale with everything derived from it.
type state struct {
	pos, ideal [][]float64
	risk       []float64
	util       []matrix // util[h](i,j): h's estimate of i's utility for j's position
	uniq       []int    // first actor of each distinct position
}

// ErrScale reports an input dimension without a scale.
var ErrScale = errors.New("smp needs a scale on every dimension")

// Run runs the model on in with options opt until it stops. Positions are
// mapped from each dimension's [Min, Max] onto [0, 1] (KTAB's 0-100 onto
// 0-1) and back for the result. Cancelling ctx stops the run between turns.
func Run(ctx context.Context, in *forecast.Input, opt Options) (*Result, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	if err := forecast.Validate(in); err != nil {
		return nil, err
	}
	m := &model{opt: opt, n: len(in.Actors), nd: len(in.Dimensions)}
	for _, d := range in.Dimensions {
		if !d.Bounded {
			return nil, fmt.Errorf("%w: dimension %q has none (give min and max)", ErrScale, d.Name)
		}
		m.lo = append(m.lo, d.Min)
		m.span = append(m.span, d.Max-d.Min)
	}
	s0 := &state{}
	for _, a := range in.Actors {
		m.cap = append(m.cap, a.Capability)
		m.wsal = append(m.wsal, sum(a.Salience)*a.Capability)
		m.sal = append(m.sal, a.Salience)
		p := make([]float64, m.nd)
		for k, x := range a.Position {
			p[k] = (x - m.lo[k]) / m.span[k]
		}
		s0.pos = append(s0.pos, p)
	}
	if in.Accommodation != nil && !identity(in.Accommodation) {
		m.acc = in.Accommodation
	}
	m.rng = rand.New(rand.NewPCG(opt.Seed, 0x5350_4d5f_6b746162)) // "SPM_ktab"
	s0.ideal = clone(s0.pos)
	if err := m.setup(s0); err != nil {
		return nil, err
	}

	res := &Result{Options: opt}
	for _, d := range in.Dimensions {
		res.Dimensions = append(res.Dimensions, d.Name)
	}
	for _, a := range in.Actors {
		res.Actors = append(res.Actors, a.Name)
	}
	hist := []*state{s0}
	for turn := 1; ; turn++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		s := hist[len(hist)-1]
		m.turn = turn
		next, tr, err := m.step(s)
		if err != nil {
			return nil, fmt.Errorf("turn %d: %w", turn, err)
		}
		if opt.Trace {
			res.Turns = append(res.Turns, tr)
		}
		hist = append(hist, next)
		d01 := stateDist(hist[0], hist[1]) + 1e-4
		ratio := stateDist(next, s) / d01
		res.Changes = append(res.Changes, ratio)
		if turn >= opt.MaxTurns || (turn >= opt.MinTurns && ratio < opt.StopRatio) {
			break
		}
	}
	for _, s := range hist {
		st, err := m.report(s)
		if err != nil {
			return nil, err
		}
		res.States = append(res.States, st)
	}
	return res, nil
}

func identity(a [][]float64) bool {
	for i, row := range a {
		for j, x := range row {
			if (i == j && x != 1) || (i != j && x != 0) {
				return false
			}
		}
	}
	return true
}

func clone(p [][]float64) [][]float64 {
	out := make([][]float64, len(p))
	for i := range p {
		out[i] = append([]float64(nil), p[i]...)
	}
	return out
}

// norm is the Euclidean distance between a and b.
func norm(a, b []float64) float64 {
	s := 0.0
	for k := range a {
		d := a[k] - b[k]
		s = s + d*d
	}
	return math.Sqrt(s)
}

func stateDist(a, b *state) float64 {
	d := 0.0
	for i := range a.pos {
		d = d + norm(a.pos[i], b.pos[i])
	}
	return d
}

// setup infers the risk attitudes of a state and every actor's estimate of
// every actor's utilities, and finds the distinct positions.
func (m *model) setup(s *state) error {
	n := m.n
	dist := newMatrix(n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			dist.set(i, j, distance(s.ideal[i], s.pos[j], m.sal[i]))
		}
	}
	// risk-neutral values, the election over the actors' positions, and
	// the risk attitudes inferred from it
	neutral := newMatrix(n)
	for i := range neutral.a {
		neutral.a[i] = utility(dist.a[i], 0)
	}
	c := coalitions(n, n, func(k, i, j int) float64 {
		return vote(m.opt.VotingRule, m.cap[k], neutral.at(k, i), neutral.at(k, j))
	})
	p, err := election(m.opt.PCE, m.opt.VictoryProb, c)
	if err != nil {
		return err
	}
	s.risk = riskFromProb(p, m.opt.RiskRange)
	s.util = make([]matrix, n)
	for h := 0; h < n; h++ {
		u := newMatrix(n)
		for i := 0; i < n; i++ {
			r := estimateRisk(s.risk[h], s.risk[i], m.opt.RiskAdjust)
			for j := 0; j < n; j++ {
				u.set(i, j, utility(dist.at(i, j), r))
			}
		}
		s.util[h] = u
	}
	s.uniq = s.uniq[:0]
	for i := 0; i < n; i++ {
		found := false
		for _, u := range s.uniq {
			if norm(s.pos[i], s.pos[u]) < posTol {
				found = true
				break
			}
		}
		if !found {
			s.uniq = append(s.uniq, i)
		}
	}
	return nil
}

// challenge is h's estimate of the contest in which i challenges j: the
// probability that i wins and the expected gain to k over the status quo.
func (m *model) challenge(s *state, h, k, i, j int) (float64, float64) {
	vr := m.opt.VotingRule
	u := s.util[h]
	uii, uij, uji, ujj := u.at(i, i), u.at(i, j), u.at(j, i), u.at(j, j)
	euSQ := u.at(k, i) + u.at(k, j)
	uhkij := u.at(k, i) + u.at(k, i)
	uhkji := u.at(k, j) + u.at(k, j)
	sj := sum(m.sal[j])

	const minCltn = 1e-10
	ci := vote(vr, m.wsal[i], uii, uij)
	cj := vote(vr, m.wsal[j], uji, ujj)
	chij, chji := minCltn, minCltn
	if ci > 0 {
		chij = chij + ci
	}
	if ci < 0 {
		chji = chji - ci
	}
	if cj > 0 {
		chij = chij + cj
	}
	if cj < 0 {
		chji = chji - cj
	}
	ownI, ownJ := chij, chji
	for n := 0; n < m.n; n++ {
		if n == i || n == j {
			continue
		}
		uni, unj, unn := u.at(n, i), u.at(n, j), u.at(n, n)
		pin := littleContest(vr, m.wsal[n], uni, unj, ownI, ownJ)
		v := thirdPartyVote(m.wsal[n], vr, m.opt.ThirdParty, pin, 1.0-pin, uni, unj, unn)
		if v > 0 {
			chij = chij + v
		}
		if v < 0 {
			chji = chji - v
		}
	}
	phij := chij / (chij + chji)
	phji := chji / (chij + chji)
	euCntst := phij*uhkij + phji*uhkji
	euChlg := (1-sj)*uhkij + sj*euCntst
	return phij, euChlg - euSQ
}

// bargain is a proposal with the positions on the 0-1 scale.
type bargain struct {
	id         int
	init, rcvr int
	pi, pr     []float64
}

func (m *model) interpolate(s *state, i, j int, pi, pj float64) *bargain {
	m.nextB++
	b := &bargain{id: m.nextB, init: i, rcvr: j, pi: make([]float64, m.nd), pr: make([]float64, m.nd)}
	for k := 0; k < m.nd; k++ {
		b.pi[k], b.pr[k] = interpolate(m.opt.Interpolation, s.pos[i][k], m.sal[i][k], pi, s.pos[j][k], m.sal[j][k], pj)
	}
	return b
}

// step plays one turn from s and returns the next state.
func (m *model) step(s *state) (*state, Turn, error) {
	n := m.n
	var tr Turn
	queues := make([][]*bargain, n)
	made := make([][]*bargain, n) // bargains initiated by each actor
	for i := 0; i < n; i++ {
		best, bestP, bestEU := -1, 0.0, -1.0
		for j := 0; j < n; j++ {
			if j == i {
				continue
			}
			p, eu := m.challenge(s, i, i, i, j)
			if minSigGain < eu && bestEU < eu {
				best, bestP, bestEU = j, p, eu
			}
		}
		if best < 0 {
			continue
		}
		j := best
		// j's estimate of the effect on i; KTAB passes its expected gain,
		// not its probability, to the receiver's interpolation, and so
		// does parley
		pj, euj := m.challenge(s, j, i, i, j)
		var bs []*bargain
		switch m.opt.BargainModel {
		case InitOnlyInterp:
			bs = []*bargain{m.interpolate(s, i, j, bestP, 1-bestP)}
		case InitRcvrInterp:
			bs = []*bargain{m.interpolate(s, i, j, bestP, 1-bestP), m.interpolate(s, i, j, euj, 1-euj)}
		case PWCompInterp:
			bi := m.interpolate(s, i, j, bestP, 1-bestP)
			bj := m.interpolate(s, i, j, euj, 1-euj)
			// KTAB weighs the receiver's interpolation by the initiator's
			// capability times the receiver's salience; parley follows
			wi := m.cap[i] * sum(m.sal[i])
			wj := m.cap[i] * sum(m.sal[j])
			c := &bargain{id: bj.id + 1, init: i, rcvr: j, pi: make([]float64, m.nd), pr: make([]float64, m.nd)}
			m.nextB++
			for k := 0; k < m.nd; k++ {
				c.pi[k] = (wi*bi.pi[k] + wj*bj.pi[k]) / (wi + wj)
				c.pr[k] = (wi*bi.pr[k] + wj*bj.pr[k]) / (wi + wj)
			}
			bs = []*bargain{c}
		}
		made[i] = bs
		if m.opt.Trace {
			_, ij := m.challenge(s, i, j, i, j)
			_, jj := m.challenge(s, j, j, i, j)
			ch := Challenge{Initiator: i, Target: j,
				ByInitiator: Estimate{Prob: bestP, Gain: bestEU, TargetGain: ij},
				ByTarget:    Estimate{Prob: pj, Gain: euj, TargetGain: jj}}
			for _, b := range bs {
				ch.Bargains = append(ch.Bargains, m.export(b))
			}
			tr.Challenges = append(tr.Challenges, ch)
		}
	}
	// queues: the status quo first, then every bargain naming the actor,
	// by initiator
	for k := 0; k < n; k++ {
		queues[k] = append(queues[k], &bargain{init: k, rcvr: k})
	}
	for i := 0; i < n; i++ {
		for _, b := range made[i] {
			queues[i] = append(queues[i], b)
			queues[b.rcvr] = append(queues[b.rcvr], b)
		}
	}
	// KTAB lists each actor's queue in the order its threads happen to
	// finish; parley sorts it: status quo, then by initiator and bargain.
	for k := 0; k < n; k++ {
		q := queues[k][1:]
		for a := 1; a < len(q); a++ {
			for b := a; b > 0 && q[b].id < q[b-1].id; b-- {
				q[b], q[b-1] = q[b-1], q[b]
			}
		}
	}

	next := &state{pos: make([][]float64, n)}
	for k := 0; k < n; k++ {
		q := queues[k]
		nb := len(q)
		u := make([]float64, n*nb) // u[a*nb+b]: actor a's mean utility if bargain b is struck
		for a := 0; a < n; a++ {
			for bi, b := range q {
				avg := 0.0
				if b.init == b.rcvr {
					for x := 0; x < n; x++ {
						avg = avg + s.util[a].at(a, x)
					}
				} else {
					avg = avg + utility(distance(s.ideal[a], b.pi, m.sal[a]), s.risk[a])
					avg = avg + utility(distance(s.ideal[a], b.pr, m.sal[a]), s.risk[a])
					for x := 0; x < n; x++ {
						if x != b.init && x != b.rcvr {
							avg = avg + s.util[a].at(a, x)
						}
					}
				}
				u[a*nb+bi] = avg / float64(n)
			}
		}
		c := coalitions(n, nb, func(a, i, j int) float64 {
			return vote(m.opt.VotingRule, m.cap[a], u[a*nb+i], u[a*nb+j])
		})
		p, err := election(m.opt.PCE, m.opt.VictoryProb, c)
		if err != nil {
			return nil, tr, err
		}
		chosen := 0
		switch {
		case m.opt.choose != nil:
			pairs := make([][2]int, nb)
			for bi, b := range q {
				pairs[bi] = [2]int{b.init, b.rcvr}
			}
			if chosen = m.opt.choose(m.turn, k, pairs, p); chosen < 0 || chosen >= nb {
				return nil, tr, fmt.Errorf("actor %d: a replayed choice %d out of %d bargains", k, chosen, nb)
			}
		case m.opt.Transitions == Deterministic:
			best := -1.0
			for b, x := range p {
				if best < math.Abs(x) {
					chosen, best = b, math.Abs(x)
				}
			}
		case m.opt.Transitions == Stochastic:
			r := m.rng.Float64()
			chosen = -1
			acc := 0.0
			for b, x := range p {
				acc = acc + x
				if r <= acc {
					chosen = b
					break
				}
			}
			if chosen < 0 {
				chosen = nb - 1
			}
		}
		b := q[chosen]
		switch {
		case b.init == b.rcvr:
			next.pos[k] = append([]float64(nil), s.pos[k]...)
		case b.init == k:
			next.pos[k] = append([]float64(nil), b.pi...)
		default:
			next.pos[k] = append([]float64(nil), b.pr...)
		}
		if m.opt.Trace {
			ch := Choice{Actor: k, Probs: p, Chosen: chosen}
			for _, b := range q {
				ch.Options = append(ch.Options, b.id)
			}
			tr.Choices = append(tr.Choices, ch)
		}
	}
	next.ideal = m.newIdeals(s.ideal, next.pos)
	if err := m.setup(next); err != nil {
		return nil, tr, err
	}
	return next, tr, nil
}

// newIdeals moves each ideal point towards the new positions as the
// accommodation matrix says; with the identity, the ideal is the position.
func (m *model) newIdeals(old, pos [][]float64) [][]float64 {
	if m.acc == nil {
		return clone(pos)
	}
	out := make([][]float64, m.n)
	for i := 0; i < m.n; i++ {
		si := 0.0
		p := make([]float64, m.nd)
		for j := 0; j < m.n; j++ {
			a := m.acc[i][j]
			si = si + a
			for k := range p {
				p[k] = p[k] + a*pos[j][k]
			}
		}
		if si > 1 {
			si = 1
		}
		lag := 1.0 - si
		for k := range p {
			p[k] = p[k] + lag*old[i][k]
		}
		out[i] = p
	}
	return out
}

// report turns a state into its public form, with KTAB's probabilities of
// the distinct positions.
func (m *model) report(s *state) (State, error) {
	n := m.n
	nu := len(s.uniq)
	c := coalitions(n, nu, func(k, i, j int) float64 {
		u := s.util[k]
		return vote(m.opt.VotingRule, m.cap[k], u.at(k, s.uniq[i]), u.at(k, s.uniq[j]))
	})
	p, err := election(m.opt.PCE, m.opt.VictoryProb, c)
	if err != nil {
		return State{}, err
	}
	st := State{Risk: append([]float64(nil), s.risk...), Prob: make([]float64, n)}
	for i := 0; i < n; i++ {
		k := -1
		for j, u := range s.uniq {
			if norm(s.pos[i], s.pos[u]) < posTol {
				k = j
			}
		}
		st.Prob[i] = p[k]
		st.Positions = append(st.Positions, m.toUnits(s.pos[i]))
		st.Ideals = append(st.Ideals, m.toUnits(s.ideal[i]))
	}
	return st, nil
}

func (m *model) toUnits(p []float64) []float64 {
	out := make([]float64, len(p))
	for k, x := range p {
		out[k] = m.lo[k] + x*m.span[k]
	}
	return out
}

func (m *model) export(b *bargain) Bargain {
	return Bargain{ID: b.id, Initiator: b.init, Target: b.rcvr, ForInitiator: m.toUnits(b.pi), ForTarget: m.toUnits(b.pr)}
}
