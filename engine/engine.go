package engine

import (
	"math"

	"github.com/parleyhq/parley/game/ipd"
	"github.com/parleyhq/parley/model"
)

type stepStatus uint8

const (
	owed stepStatus = iota
	done
	claimed   // claimed delivered by a cheat that has not been detected
	suspended // withdrawn in a tit-for-tat response, waiting for the defector
	dropped   // invited and unanswered
)

type outcome uint8

const (
	outNone outcome = iota
	outDelivered
	outClaimed
	outFailed
	outDetected
	outDeclined
)

// History plays histories of one compiled roadmap. It holds every buffer a
// history needs, so that after the first call Run allocates nothing. A
// History is not safe for concurrent use; give each worker its own.
type History struct {
	R      *model.Roadmap
	Tracer Tracer // optional

	src                 Source
	pcg                 *PCG // src, when it is the Monte Carlo source
	na, ns, nk, mt, hor int
	nw                  int // words of a step bitset
	lambda              float64

	bel    []float64 // [(o*na+j)*mt+t] o's belief that j is of type t
	tr     []float64 // [o*na+j] o's belief that j is a reciprocator (0 for o == j)
	s      []float64 // insecurity by actor
	status []stepStatus
	seen   []uint64  // [o*nw+st/64] bit st%64: o believes st delivered (see sees)
	paid   []float64 // cost paid for a step when delivered
	cut    []bool    // the step's security cut has been applied (it stays if the step is withdrawn)
	susp   []int     // defector a suspended step waits for
	nSusp  int       // number of suspended steps
	out    []outcome // outcome of each step this round
	util   []float64
	flow   []float64 // utility without lasting value
	disc   []float64 // [a*(hor+2)+t] δ_a^t

	flag     []bool // [o*na+j] o saw j defect this round
	flagged  bool   // some flag is set
	flagStep []int
	defects  []int // [o*na+j] defections counted by patient responses

	phase, round, attempt, stall, waitCount, unanswered int
	ended, walked                                       bool
	lastDecl, lastDeclStep                              int
	lastKind                                            CauseKind

	// ver counts changes of the state that predictions of the current phase
	// read (statuses, sightings, insecurity, the phase and its attempt)
	ver        uint64
	predNow    []float64 // [j*mt+t] predictNow, valid when predNowVer matches ver
	predNowVer []uint64
	// msDirty records a change of a sighting since the last milestone check;
	// a step becomes done (or stops being done) only with a change of sightings
	msDirty   bool
	msSettled []bool // milestone reached in truth and believed by every actor

	// caches of model.md §3's predictions, rebuilt when the state changes
	dirty     bool
	refPhase  int       // the phase the caches were built for
	refProj   []float64 // [j] the projection of j's insecurity to the next phase they were built from
	memoKey   []float64 // [(k*na+j)*memoSlots+m]
	memoSlots int       // entries per phase and actor, a power of 2
	memoLast  []uint8   // [i/2] which slot of the pair i was used last
	memoUsed  []bool
	memo      []float64 // the records of the memo slots (see refreshActor), recStride each
	slot      []int     // [j] offset in memo of actor j's current record

	// flat copies of the compiled roadmap's tables, for the inner loops
	pt        []phaseTerm // [(l*na+j)*mt+t]
	detect    []float64   // [l*na+j] model.Phase.Detect
	cutFactor []float64   // [l*na+j] model.Phase.CutFactor
	hasMove   []bool      // [l*na+j] model.Phase.HasMove
	movers    [][]int     // [l] the actors with a move in phase l, in index order
	cutOf     []float64   // [st*na+j] model.Step.Cut
	ben       []float64   // [(st*na+j)*mt+t] model.Step.Benefit
	shown     []int       // the steps of an act that observers can see (execute)
	phMask    []uint64    // [l*nw+w] bitset of the steps of phase l
	byMask    []uint64    // [(l*na+a)*nw+w] bitset of a's steps in phase l
	msMask    []uint64    // [m*nw+w] bitset of the steps of milestone m
	dropBits  []uint64    // bitset of the dropped steps
	ntypes    []int       // [j] number of types
	recTypes  [][]int     // [j] its reciprocator types
	bel0, tr0 []float64   // bel and tr at the start of every history
	rho       []float64   // [l] the decider's ρ
	acts      []act       // the decisions of a round, one per actor at most

	// catalogue responses (model.md §3): one player of the iterated-game rule
	// per actor that follows one and each counterpart, indexed [i*na+j]
	players    []ipd.Player
	views      []ipd.View
	prand      []ipd.Rand
	playing    []bool // the pair plays a turn this round
	anyPlayers bool   // some actor follows a catalogue rule
	forced     []bool // [i]: its rule says D to some counterpart this round
	within     []bool // [t*ns+st] hardliner type t's bound admits step st
	terms      []model.Terms
	likeL      []float64 // likelihoods by type of the mover (see bayes)
	likeTab    []float64 // [sig*maxTypes+t] likelihoods by pattern of sightings
	shownN     int       // h.shown[:shownN] are the steps of the current act that observers can see

	lm *model.LogisticMemo // the decision rules' σ, remembered across histories

	// plain computes everything afresh, remembering nothing across histories
	// (for the tests that check the memos change no result)
	plain bool

	// the decision memo (see decisionMemo)
	dkey      []uint64
	dkeyLen   int      // the longest key
	dm        []uint64 // entry i at [i*dmStride]: its key's length (0: empty), keepT and cheatT by type (float64 bits), the key
	dmStride  int
	dmBits    int // log2 of the number of entries
	dmMaxBits int // what it grows to (see Run)
	runs      int // histories run

	res Result
}

// New prepares a History for a compiled roadmap.
func New(r *model.Roadmap) *History {
	h := &History{R: r, na: len(r.Actors), ns: len(r.Steps), nk: len(r.Phases), hor: r.Horizon, lambda: r.Lambda}
	for _, a := range r.Actors {
		if len(a.Types) > h.mt {
			h.mt = len(a.Types)
		}
	}
	na, ns, nk, mt := h.na, h.ns, h.nk, h.mt
	h.bel = make([]float64, na*na*mt)
	h.tr = make([]float64, na*na)
	h.s = make([]float64, na)
	h.status = make([]stepStatus, ns)
	h.nw = (ns + 63) / 64
	h.seen = make([]uint64, na*h.nw)
	h.dropBits = make([]uint64, h.nw)
	h.paid = make([]float64, ns)
	h.cut = make([]bool, ns)
	h.susp = make([]int, ns)
	h.out = make([]outcome, ns)
	h.util = make([]float64, na)
	h.flow = make([]float64, na)
	h.disc = make([]float64, na*(h.hor+2))
	for a := range r.Actors {
		d := 1.0
		for t := 0; t <= h.hor+1; t++ {
			h.disc[a*(h.hor+2)+t] = d
			d *= r.Actors[a].Discount
		}
	}
	h.flag = make([]bool, na*na)
	h.flagStep = make([]int, na*na)
	h.defects = make([]int, na*na)
	h.refProj = make([]float64, na)
	// memo sizes: as many entries as fit a budget, so that big scenarios stay small
	h.memoSlots = maxMemoSlots
	for h.memoSlots > 2 && nk*na*h.memoSlots*h.recStride()*8 > memoBudget {
		h.memoSlots /= 2
	}
	slots := nk * na * h.memoSlots
	h.memoKey = make([]float64, slots)
	h.memoUsed = make([]bool, slots)
	h.memoLast = make([]uint8, slots/2+1)
	h.memo = make([]float64, slots*h.recStride())
	h.slot = make([]int, na)
	h.flatten()
	h.lm = model.NewLogisticMemo()
	maxSteps := 0
	for l := range r.Phases {
		maxSteps = max(maxSteps, len(r.Phases[l].Steps))
	}
	h.dkeyLen = 1 + na + maxSteps/16 + 1 + na*h.nw + na*mt
	h.dkey = make([]uint64, h.dkeyLen)
	h.dmMaxBits = maxDecMemoBits
	for h.dmMaxBits > 4 && (1<<h.dmMaxBits)*(1+2*mt+h.dkeyLen)*8 > memoBudget {
		h.dmMaxBits--
	}
	h.sizeDecisionMemo(min(h.dmMaxBits, 8))
	h.recTypes = make([][]int, na)
	for j := range r.Actors {
		for t, ty := range r.Actors[j].Types {
			if ty.Disposition == model.Reciprocator {
				h.recTypes[j] = append(h.recTypes[j], t)
			}
		}
	}
	// the beliefs and trust every history starts from
	h.bel0 = make([]float64, na*na*mt)
	for o := 0; o < na; o++ {
		for j := 0; j < na; j++ {
			if j != o {
				copy(h.bel0[(o*na+j)*mt:], r.Actors[o].Beliefs[j])
			}
		}
	}
	copy(h.bel, h.bel0)
	h.tr0 = make([]float64, na*na)
	for o := 0; o < na; o++ {
		for j := 0; j < na; j++ {
			if j != o {
				h.tr0[o*na+j] = h.trustOf(o, j)
			}
		}
	}
	h.rho = make([]float64, nk+1)
	h.acts = make([]act, na)
	h.players = make([]ipd.Player, na*na)
	h.views = make([]ipd.View, na*na)
	h.prand = make([]ipd.Rand, na*na)
	h.playing = make([]bool, na*na)
	h.forced = make([]bool, na)
	for i := range r.Actors {
		st := r.Actors[i].Strategy
		if st == nil {
			continue
		}
		for j := range r.Actors {
			if j == i {
				continue
			}
			k := i*na + j
			h.anyPlayers = true
			h.players[k] = st.New()
			h.views[k] = ipd.View{Own: make([]ipd.Action, 0, h.hor+1), Opp: make([]ipd.Action, 0, h.hor+1),
				Payoffs: ipd.DefaultPayoffs, Rand: &h.prand[k]}
		}
	}
	h.predNow = make([]float64, na*mt)
	h.predNowVer = make([]uint64, na*mt)
	h.msSettled = make([]bool, len(r.Milestones))
	h.within = make([]bool, mt*ns)
	h.terms = make([]model.Terms, mt)
	h.likeL = make([]float64, mt)
	h.likeTab = make([]float64, (1<<likeTabBits)*maxTypes)
	h.res = Result{
		Types:             make([]int, na),
		Utility:           make([]float64, na),
		Exposure:          make([]float64, na),
		Leverage:          make([]float64, na),
		MilestoneTrue:     make([]int, len(r.Milestones)),
		MilestoneBelieved: make([][]int, len(r.Milestones)),
		Trust:             make([]float64, (h.hor+1)*na*na),
		Insecurity:        make([]float64, (h.hor+1)*na),
		n:                 na,
	}
	for m := range r.Milestones {
		h.res.MilestoneBelieved[m] = make([]int, na)
	}
	return h
}

// sizeDecisionMemo makes an empty decision memo of 2^bits entries.
func (h *History) sizeDecisionMemo(bits int) {
	h.dmBits = bits
	h.dmStride = 1 + 2*h.mt + h.dkeyLen
	h.dm = make([]uint64, (1<<bits)*h.dmStride)
}

// decMemoGrowAt is the history at which the decision memo grows to its full
// size: in long runs only (a sweep point of 1,000 histories keeps the small
// table, and allocates little).
const decMemoGrowAt = 2048

// phaseTerm holds model.Phase's precomputed sums for one actor and type.
type phaseTerm struct{ ben, costBase, costSec, lossBase, lossSec, tempt float64 }

// flatten copies the compiled roadmap's per-phase tables into flat arrays.
func (h *History) flatten() {
	r := h.R
	na, ns, nk, mt := h.na, h.ns, h.nk, h.mt
	h.pt = make([]phaseTerm, nk*na*mt)
	h.detect = make([]float64, nk*na)
	h.cutFactor = make([]float64, nk*na)
	h.hasMove = make([]bool, nk*na)
	h.movers = make([][]int, nk)
	h.cutOf = make([]float64, ns*na)
	h.ntypes = make([]int, na)
	for j := range r.Actors {
		h.ntypes[j] = len(r.Actors[j].Types)
	}
	h.ben = make([]float64, ns*na*mt)
	h.shown = make([]int, 0, ns)
	for st := range r.Steps {
		copy(h.cutOf[st*na:(st+1)*na], r.Steps[st].Cut)
		for j := 0; j < na; j++ {
			copy(h.ben[(st*na+j)*mt:], r.Steps[st].Benefit[j])
		}
	}
	nw := h.nw
	h.phMask = make([]uint64, nk*nw)
	h.byMask = make([]uint64, nk*na*nw)
	h.msMask = make([]uint64, len(r.Milestones)*nw)
	for l := range r.Phases {
		for _, st := range r.Phases[l].Steps {
			h.phMask[l*nw+st>>6] |= 1 << (st & 63)
			a := r.Steps[st].Mover
			h.byMask[(l*na+a)*nw+st>>6] |= 1 << (st & 63)
		}
	}
	for m := range r.Milestones {
		for _, st := range r.Milestones[m].Steps {
			h.msMask[m*nw+st>>6] |= 1 << (st & 63)
		}
	}
	for l := range r.Phases {
		p := &r.Phases[l]
		for j := 0; j < na; j++ {
			h.detect[l*na+j] = p.Detect[j]
			h.cutFactor[l*na+j] = p.CutFactor[j]
			h.hasMove[l*na+j] = p.HasMove[j]
			if p.HasMove[j] {
				h.movers[l] = append(h.movers[l], j)
			}
			for t := 0; t < h.ntypes[j]; t++ {
				h.pt[(l*na+j)*mt+t] = phaseTerm{ben: p.Benefit[j][t], costBase: p.CostBase[j][t], costSec: p.CostSec[j][t],
					lossBase: p.LossBase[j][t], lossSec: p.LossSec[j][t], tempt: p.Tempt[j][t]}
			}
		}
	}
}

func (h *History) emit(e Event) {
	if h.Tracer != nil {
		e.Round, e.Phase = h.round, h.phase
		h.Tracer.Event(e)
	}
}

// draw decides an event of probability p, asking the Source only when p is uncertain.
func (h *History) draw(p float64) bool {
	if p <= 0 {
		return false
	}
	if p >= 1 {
		return true
	}
	if h.pcg != nil {
		return h.pcg.Bernoulli(p) // the same draw, without the interface call
	}
	return h.src.Bernoulli(p)
}

// Run plays one history with the given random source and returns its result,
// which stays valid until the next call.
func (h *History) Run(src Source) *Result {
	if h.runs++; h.runs == decMemoGrowAt && h.dmBits < h.dmMaxBits {
		// a long run: a bigger table pays for itself (a short one, such as an
		// exact enumeration's, does not need it)
		h.sizeDecisionMemo(h.dmMaxBits)
	}
	h.src = src
	h.pcg, _ = src.(*PCG)
	h.reset()
	r := h.R
	for a := range r.Actors {
		h.res.Types[a] = h.pick(r.Actors[a].Prior)
		if h.Tracer != nil {
			h.emit(Event{Kind: EvTypes, Actor: a, Other: h.res.Types[a], Step: -1})
		}
	}
	h.resetPlayers()
	h.record(0)
	for h.round = 1; h.round <= h.hor && !h.ended; h.round++ {
		if h.Tracer != nil {
			h.emit(Event{Kind: EvRound, Actor: -1, Other: -1, Step: -1})
		}
		h.shocks()
		if r.Baseline || h.nk == 0 {
			h.record(h.round)
			if h.round == h.hor {
				h.finish(Baseline, Cause{Kind: NoCause, Actor: -1, Other: -1, Step: -1})
			}
			continue
		}
		h.playRound()
		h.record(h.round)
	}
	if !h.ended {
		h.round = h.hor
		h.finish(Horizon, Cause{Kind: NoCause, Actor: -1, Other: -1, Step: -1})
	}
	return &h.res
}

func (h *History) pick(w []float64) int {
	pos, last := 0, 0
	for i, x := range w {
		if x > 0 {
			pos++
			last = i
		}
	}
	if pos <= 1 {
		return last
	}
	return h.src.Categorical(w)
}

func (h *History) reset() {
	na := h.na
	for o := 0; o < na; o++ {
		h.s[o] = h.R.Actors[o].Insecurity
		h.util[o], h.flow[o] = 0, 0
	}
	clear(h.defects)
	clear(h.flag)
	h.flagged = false
	copy(h.bel, h.bel0)
	copy(h.tr, h.tr0)
	clear(h.status) // owed
	clear(h.paid)
	clear(h.cut)
	clear(h.out) // outNone
	for i := range h.susp {
		h.susp[i] = -1
	}
	h.nSusp = 0
	clear(h.seen)
	clear(h.dropBits)
	for m := range h.res.MilestoneTrue {
		h.msSettled[m] = false
		h.res.MilestoneTrue[m] = 0
		for a := range h.res.MilestoneBelieved[m] {
			h.res.MilestoneBelieved[m][a] = 0
		}
	}
	h.phase, h.round, h.attempt, h.stall, h.waitCount, h.unanswered = 0, 0, 0, 0, 0, 0
	h.ended, h.walked = false, false
	h.lastDecl, h.lastDeclStep = -1, -1
	h.dirty, h.refPhase = true, -1
	h.ver++
	h.msDirty = false
	h.res.Status, h.res.Cause, h.res.Rounds = Horizon, Cause{Kind: NoCause, Actor: -1, Other: -1, Step: -1}, 0
}

// sees reports whether o believes step st delivered.
func (h *History) sees(o, st int) bool { return h.seen[o*h.nw+st>>6]>>(st&63)&1 != 0 }

// see makes o believe step st delivered.
func (h *History) see(o, st int) {
	h.seen[o*h.nw+st>>6] |= 1 << (st & 63)
	h.msDirty = true
}

// unsee makes o no longer believe step st delivered.
func (h *History) unsee(o, st int) {
	h.seen[o*h.nw+st>>6] &^= 1 << (st & 63)
	h.msDirty = true
}

// seesAll reports whether o believes every step of the bitset mask delivered.
func (h *History) seesAll(o int, mask []uint64) bool {
	row := h.seen[o*h.nw : (o+1)*h.nw]
	for w, m := range mask {
		if row[w]&m != m {
			return false
		}
	}
	return true
}

// trust is o's belief that j is a reciprocator, kept up to date by retrust.
func (h *History) trust(o, j int) float64 { return h.tr[o*h.na+j] }

// retrust recomputes o's trust in j after its belief about j changed.
func (h *History) retrust(o, j int) { h.tr[o*h.na+j] = h.trustOf(o, j) }

func (h *History) trustOf(o, j int) float64 {
	v := 0.0
	b := h.bel[(o*h.na+j)*h.mt:]
	for _, t := range h.recTypes[j] {
		v += b[t]
	}
	return v
}

func (h *History) record(t int) {
	na := h.na
	copy(h.res.Insecurity[t*na:(t+1)*na], h.s)
	copy(h.res.Trust[t*na*na:(t+1)*na*na], h.tr)
	h.res.Rounds = t
}

func (h *History) setInsecurity(a int, v float64, because int) {
	if v == h.s[a] {
		return
	}
	if h.Tracer != nil {
		h.emit(Event{Kind: EvInsecurity, Actor: a, Other: because, Step: -1, From: h.s[a], To: v})
	}
	h.s[a] = v
	h.dirty = true
	h.ver++
}

func (h *History) shocks() {
	r := h.R
	for i := range r.Shocks {
		sh := &r.Shocks[i]
		if !h.draw(sh.Probability) {
			continue
		}
		if !sh.IsTrust {
			from := h.s[sh.Target]
			h.s[sh.Target] = from + sh.Insecurity*(1-from)
			h.dirty = true
			if h.Tracer != nil {
				h.emit(Event{Kind: EvShock, Actor: sh.Target, Other: -1, Step: i, From: from, To: h.s[sh.Target]})
			}
			continue
		}
		j := sh.Target
		for o := 0; o < h.na; o++ {
			if o == j {
				continue
			}
			from := h.trust(o, j)
			h.scaleTrust(o, j, 1-sh.Trust)
			h.retrust(o, j)
			if h.Tracer != nil {
				h.emit(Event{Kind: EvShock, Actor: j, Other: o, Step: i, From: from, To: h.trust(o, j)})
			}
		}
	}
}

// scaleTrust multiplies o's belief in j's reciprocator types by f and gives
// the mass taken to the other types in proportion to their belief (to their
// prior belief if they hold none).
func (h *History) scaleTrust(o, j int, f float64) {
	ts := h.R.Actors[j].Types
	b := h.bel[(o*h.na+j)*h.mt : (o*h.na+j)*h.mt+len(ts)]
	rec, other, otherPrior := 0.0, 0.0, 0.0
	for t, ty := range ts {
		if ty.Disposition == model.Reciprocator {
			rec += b[t]
		} else {
			other += b[t]
			otherPrior += h.R.Actors[o].Beliefs[j][t]
		}
	}
	if rec == 0 || (other == 0 && otherPrior == 0) {
		// nothing to scale, or no other type to move the mass to
		return
	}
	moved := rec * (1 - f)
	for t, ty := range ts {
		if ty.Disposition == model.Reciprocator {
			b[t] *= f
		} else if other > 0 {
			b[t] += moved * b[t] / other
		} else {
			b[t] += moved * h.R.Actors[o].Beliefs[j][t] / otherPrior
		}
	}
}

// ----- predictions (model.md §2–3) -----

// stepCost is a's cost of step st as type t at insecurity s.
func (h *History) stepCost(st, t int, s float64) float64 { return h.R.StepCost(st, t, s) }

// refresh rebuilds the projected insecurities, the complete-information
// continuation values and the predicted keeping of every type in every later phase.
func (h *History) refresh() {
	if !h.dirty {
		return
	}
	h.dirty = false
	na, k, K := h.na, h.phase, h.nk
	if k != h.refPhase {
		h.refPhase = k
		for j := range h.refProj {
			h.refProj[j] = -1
		}
	}
	if k+1 >= K {
		// no later phase: only the lasting value remains, set for every actor
		for j := 0; j < na; j++ {
			if h.refProj[j] != 0 {
				h.refProj[j] = 0
				h.refreshActor(j, 0)
			}
		}
		return
	}
	ph := &h.R.Phases[k]
	for j := 0; j < na; j++ {
		// Everything cached for j depends only on j's insecurity projected to the
		// next phase; a delivered security move cuts s_j and leaves that projection alone.
		f := h.s[j]
		for _, st := range ph.Steps {
			if !h.cut[st] {
				f *= 1 - h.cutOf[st*na+j]
			}
		}
		if f == h.refProj[j] {
			continue
		}
		h.refProj[j] = f
		h.refreshActor(j, f)
	}
}

// maxMemoSlots is the most projections remembered per phase and actor, in a
// direct-mapped table; memoBudget is the most bytes each memo of a History takes.
const (
	maxMemoSlots = 64
	memoBudget   = 2 << 20
)

// The record of one memo slot, for phases l < K and types t < mt: the
// projected insecurity, the net flow b − c of phase l at that insecurity, the
// complete-information continuation value seen from phase l, and the
// predicted keeping in phase l.
func (h *History) recNet(j, l, t int) int    { return h.slot[j] + h.nk + l*h.mt + t }
func (h *History) recAfter(j, l, t int) int  { return h.slot[j] + h.nk*(1+h.mt) + l*h.mt + t }
func (h *History) recStride() int            { return h.nk * (1 + 3*h.mt) }
func (h *History) afterNow(j, t int) float64 { return h.memo[h.recAfter(j, h.phase, t)] }

// refreshActor points actor j at the record of its projected insecurities,
// complete-information continuation values and predicted keeping for the
// phases after the current one, key being its insecurity projected to the
// next phase (0 in the last phase). The record depends only on the phase and
// on the key, and histories meet the same few projections again and again,
// so records are remembered per phase and actor (across histories) and used
// again when they come up again.
func (h *History) refreshActor(j int, key float64) {
	na, k := h.na, h.phase
	// two-way: the projection's bits choose a pair of slots; a new key takes
	// the one not used last
	bits := math.Float64bits(key)
	m := int((bits^bits>>29^bits>>47)*0x9e3779b97f4a7c15>>58%uint64(h.memoSlots)) &^ 1
	base := (k*na + j) * h.memoSlots
	for i := base + m; i < base+m+2 && !h.plain; i++ {
		if h.memoUsed[i] && h.memoKey[i] == key {
			h.slot[j] = i * h.recStride()
			h.memoLast[i>>1] = uint8(i & 1)
			return
		}
	}
	i := base + m + 1 - int(h.memoLast[(base+m)>>1])
	h.memoLast[i>>1] = uint8(i & 1)
	h.slot[j] = i * h.recStride()
	h.memoUsed[i], h.memoKey[i] = true, key
	h.computeActor(j, key)
}

// computeActor fills actor j's record (see refreshActor).
func (h *History) computeActor(j int, key float64) {
	r := h.R
	na, mt, k, K := h.na, h.mt, h.phase, h.nk
	rec := h.memo[h.slot[j] : h.slot[j]+h.recStride()]
	proj := rec[:K]
	net := rec[K : K+K*mt]
	after := rec[K+K*mt : K+2*K*mt]
	pred := rec[K+2*K*mt:]
	if k+1 < K {
		proj[k+1] = key
	}
	for l := k + 2; l < K; l++ {
		proj[l] = proj[l-1] * h.cutFactor[(l-1)*na+j]
	}
	a := &r.Actors[j]
	d := a.Discount
	for t := range a.Types {
		lv := 0.0
		if a.Types[t].LastingValue > 0 {
			lv = d * a.Types[t].LastingValue / (1 - d)
		}
		after[(K-1)*mt+t] = lv
		for l := K - 2; l >= k; l-- {
			n := l + 1
			pt := &h.pt[(n*na+j)*mt+t]
			s := proj[n]
			x := pt.ben - (pt.costBase + pt.costSec*s)
			net[n*mt+t] = x
			after[l*mt+t] = d * (x + after[n*mt+t])
		}
	}
	for l := k + 1; l < K; l++ {
		pl := &r.Phases[l]
		if !pl.HasMove[j] {
			continue
		}
		s := proj[l]
		for t, ty := range a.Types {
			var p float64
			if ty.Disposition == model.Hardliner {
				p = 1
				for _, st := range pl.StepsBy[j] {
					if !model.WithinBound(h.stepCost(st, t, s), ty.Symbolic) {
						p = 0
						break
					}
				}
			} else {
				tm := h.phaseTerms(l, j, t, s, after[l*mt+t])
				p = h.lm.PredictKeep(ty.Disposition, &tm, h.lambda)
			}
			pred[l*mt+t] = p
		}
	}
}

// phaseTerms is model.Phase.Terms from the flat tables.
func (h *History) phaseTerms(l, a, t int, s, v float64) model.Terms {
	pt := &h.pt[(l*h.na+a)*h.mt+t]
	return model.Terms{
		C: pt.costBase + pt.costSec*s,
		B: pt.ben,
		V: v,
		L: pt.lossBase + pt.lossSec*s,
		D: h.detect[l*h.na+a],
		G: pt.tempt,
	}
}

// rhoLater fills h.rho[l] for l > phase with i's probability that every counterpart keeps in phase l.
func (h *History) rhoLater(i int) {
	na, mt := h.na, h.mt
	predOff := h.nk * (1 + 2*mt)
	for l := h.phase + 1; l < h.nk; l++ {
		p := 1.0
		for _, j := range h.movers[l] {
			if j == i {
				continue
			}
			bel := h.bel[(i*na+j)*mt:][:h.ntypes[j]]
			pred := h.memo[h.slot[j]+predOff+l*mt:]
			q := 0.0
			for t, b := range bel {
				q += b * pred[t]
			}
			p *= q
		}
		h.rho[l] = p
	}
}

// trustV is model.md §2's V_i(k+1) for actor i of type t, weighted by h.rho.
func (h *History) trustV(i, t int) float64 {
	a := &h.R.Actors[i]
	d := a.Discount
	mt := h.mt
	v, q, w := 0.0, 1.0, 1.0
	net := h.memo[h.recNet(i, 0, t):]
	for l := h.phase + 1; l < h.nk; l++ {
		w *= d
		q *= h.rho[l]
		v += w * q * net[l*mt]
	}
	if lv := a.Types[t].LastingValue; lv > 0 {
		v += w * d * q * lv / (1 - d)
	}
	return v
}

// sequentialNow reports whether the current attempt of the phase is played in order.
func (h *History) sequentialNow() bool {
	return h.R.Phases[h.phase].Sequential || h.attempt > 0
}

func (h *History) position(a int) int { return h.R.Phases[h.phase].Pos[a] }

// termsNow are the terms of actor a of type t in the current phase, over its
// owed steps; V is the complete-information value unless trustV says otherwise.
//
// G, which only an opportunist's rule reads, is left at 0 for other types.
func (h *History) termsNow(a, t int, v float64) model.Terms {
	r := h.R
	ph := &r.Phases[h.phase]
	s := h.s[a]
	if h.attempt == 0 {
		// First attempt: every step of a is owed and nothing a later mover owes
		// is delivered yet, so the phase's precomputed sums are the terms.
		return h.phaseTerms(h.phase, a, t, s, v)
	}
	var tm model.Terms
	keep := 1.0
	for _, st := range ph.StepsBy[a] {
		if h.status[st] != owed {
			continue
		}
		c := h.stepCost(st, t, s)
		tm.C += c
		tm.L += (1 - r.Steps[st].Rev) * c
		keep *= 1 - r.Steps[st].Verif
	}
	tm.D = 1 - keep
	tm.B = ph.Benefit[a][t]
	tm.V = v
	if r.Actors[a].Types[t].Disposition != model.Opportunist {
		return tm
	}
	seq := h.sequentialNow()
	pos := ph.Pos
	pa := pos[a]
	for _, st := range ph.Steps {
		x := &r.Steps[st]
		if x.Mover == a {
			continue
		}
		b := x.Benefit[a][t]
		if seq && pos[x.Mover] > pa && !h.sees(a, st) {
			tm.G += b
		} else {
			tm.G += x.Rev * b
		}
	}
	tm.V = v
	return tm
}

func (h *History) owes(a int) bool {
	for _, st := range h.R.Phases[h.phase].StepsBy[a] {
		if h.status[st] == owed {
			return true
		}
	}
	return false
}

// predictNow is the probability that j of type t keeps its owed steps in the
// current phase, as others predict it; it is remembered until the state changes.
func (h *History) predictNow(j, t int) float64 {
	i := j*h.mt + t
	if h.predNowVer[i] != h.ver {
		h.predNow[i] = h.predictNowFresh(j, t)
		h.predNowVer[i] = h.ver
	}
	return h.predNow[i]
}

func (h *History) predictNowFresh(j, t int) float64 {
	r := h.R
	ty := &r.Actors[j].Types[t]
	if ty.Disposition == model.Hardliner {
		for _, st := range r.Phases[h.phase].StepsBy[j] {
			if h.status[st] == owed && !model.WithinBound(h.stepCost(st, t, h.s[j]), ty.Symbolic) {
				return 0
			}
		}
		return 1
	}
	tm := h.termsNow(j, t, h.afterNow(j, t))
	return h.lm.PredictKeep(ty.Disposition, &tm, h.lambda)
}

// pNow is i's probability that every counterpart still to move keeps its side.
func (h *History) pNow(i int) float64 {
	r := h.R
	ph := &r.Phases[h.phase]
	seq := h.sequentialNow()
	pi := h.position(i)
	p := 1.0
	for k, j := range ph.Order {
		if j == i || (seq && k < pi) || !h.owes(j) {
			continue
		}
		q := 0.0
		for t := range r.Actors[j].Types {
			q += h.bel[(i*h.na+j)*h.mt+t] * h.predictNow(j, t)
		}
		p *= q
	}
	return p
}
