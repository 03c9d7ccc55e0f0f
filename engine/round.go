package engine

import (
	"math"
	"math/bits"
	"slices"

	"github.com/parleyhq/parley/model"
)

// playRound plays one round of the current phase (model.md §4–5).
func (h *History) playRound() {
	r := h.R
	ph := &r.Phases[h.phase]
	if h.flagged {
		clear(h.flag)
		h.flagged = false
	}
	before := h.believedByMovers()
	h.reobserve()
	h.redeliver()
	h.ver++
	h.ruleMoves()
	for _, st := range ph.Steps {
		h.out[st] = outNone
	}
	if !h.sequentialNow() {
		// simultaneous first attempt: every actor decides on the same state
		n := 0
		for _, a := range ph.Order {
			if h.owes(a) {
				h.decide(a, &h.acts[n])
				n++
			}
		}
		for i := 0; i < n; i++ {
			h.execute(&h.acts[i])
		}
		// every move of the round is on the table before anyone judges a defection
		for i := 0; i < n; i++ {
			h.defections(h.acts[i].actor)
		}
	} else {
		for _, a := range ph.Order {
			if !h.owes(a) {
				continue
			}
			if w := h.waitingFor(a); w >= 0 {
				if h.Tracer != nil {
					h.emit(Event{Kind: EvWait, Actor: a, Other: w, Step: -1})
				}
				continue
			}
			ac := &h.acts[0]
			h.decide(a, ac)
			h.execute(ac)
			h.defections(a)
		}
	}
	if h.ended {
		return
	}
	h.feedRules()
	h.respond()
	if h.ended {
		return
	}
	h.attempt++
	h.ver++
	progress := h.believedByMovers() > before
	waiting := false
	if ph.Invited && h.initiatorDone() {
		h.waitCount++
		waiting = true
	}
	if h.phaseDone() {
		h.completePhase(false)
		return
	}
	if ph.Invited && waiting && h.waitCount >= ph.Wait {
		h.completePhase(true)
		return
	}
	h.checkMilestones()
	if progress || waiting {
		h.stall = 0
		return
	}
	h.stall++
	if h.stall >= r.Stalemate {
		c := Cause{Kind: Waiting, Actor: -1, Other: -1, Step: -1}
		if h.lastDecl >= 0 {
			c = Cause{Kind: h.lastKind, Actor: h.lastDecl, Other: -1, Step: h.lastDeclStep}
		}
		h.finish(Stalemate, c)
	}
}

// act is one actor's decision in a round.
type act struct {
	actor int
	keep  bool
	cheat bool
	s     float64 // the mover's insecurity when it decided: the price of its security-relevant moves
	// forced marks a decline that the actor's catalogue rule imposes on every type
	forced bool
	// probabilities by type of the mover, for the observers' Bayes updates
	keepT, cheatT [maxTypes]float64
}

// maxTypes bounds the number of types of an actor.
const maxTypes = model.MaxTypes

// believedByMovers counts the steps of the phase that every actor with a move in it believes delivered.
func (h *History) believedByMovers() int {
	ph := &h.R.Phases[h.phase]
	nw := h.nw
	n := 0
	for w := 0; w < nw; w++ {
		all := h.phMask[h.phase*nw+w]
		for _, a := range ph.Order {
			all &= h.seen[a*nw+w]
		}
		n += bits.OnesCount64(all)
	}
	return n
}

// reobserve gives every observer that does not yet believe a delivered or claimed step a new look at it.
func (h *History) reobserve() {
	r := h.R
	if r.Mis <= 0 {
		return
	}
	for _, st := range r.Phases[h.phase].Steps {
		if h.status[st] != done && h.status[st] != claimed {
			continue
		}
		m := r.Steps[st].Mover
		for o := 0; o < h.na; o++ {
			if o == m || h.sees(o, st) {
				continue
			}
			if h.draw(1 - r.Mis) {
				h.see(o, st)
				if h.Tracer != nil {
					h.emit(Event{Kind: EvSeen, Actor: m, Other: o, Step: st})
				}
			} else {
				if h.Tracer != nil {
					h.emit(Event{Kind: EvMissed, Actor: m, Other: o, Step: st})
				}
			}
		}
	}
}

// redeliver re-delivers the steps withdrawn in response to a defector that
// the withdrawing actor now believes has delivered.
func (h *History) redeliver() {
	if h.nSusp == 0 {
		return
	}
	r := h.R
	ph := &r.Phases[h.phase]
	for _, st := range ph.Steps {
		if h.status[st] != suspended {
			continue
		}
		x := &r.Steps[st]
		o, j := x.Mover, h.susp[st]
		ok := true
		for _, js := range ph.StepsBy[j] {
			if h.status[js] != suspended && !h.sees(o, js) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		h.status[st] = done
		h.nSusp--
		h.susp[st] = -1
		h.transfer(st, x.Rev, +1)
		for a := 0; a < h.na; a++ {
			h.see(a, st)
		}
		if h.Tracer != nil {
			h.emit(Event{Kind: EvRedeliver, Actor: o, Other: j, Step: st})
		}
	}
}

// transfer books the share f of step st's cost and benefits in the current
// round: sign +1 delivers, −1 withdraws (refunds the mover).
func (h *History) transfer(st int, f float64, sign float64) {
	r := h.R
	x := &r.Steps[st]
	m := x.Mover
	w := h.disc[m*(h.hor+2)+h.round-1]
	c := f * h.paid[st]
	h.util[m] -= sign * w * c
	h.flow[m] -= sign * w * c
	ben := h.ben[st*h.na*h.mt:]
	for a := 0; a < h.na; a++ {
		if a == m {
			continue
		}
		b := f * ben[a*h.mt+h.res.Types[a]]
		if b == 0 {
			continue
		}
		wa := h.disc[a*(h.hor+2)+h.round-1]
		h.util[a] += sign * wa * b
		h.flow[a] += sign * wa * b
	}
}

// waitingFor returns a predecessor of a in the phase's order whose steps a
// does not believe delivered, or -1.
func (h *History) waitingFor(a int) int {
	ph := &h.R.Phases[h.phase]
	for _, j := range ph.Order {
		if j == a {
			return -1
		}
		for _, st := range ph.StepsBy[j] {
			if h.status[st] == suspended || h.status[st] == dropped {
				continue
			}
			if !h.sees(a, st) {
				return j
			}
		}
	}
	return -1
}

// decide computes actor a's decision in the current phase.
func (h *History) decide(a int, ac *act) {
	r := h.R
	ph := &r.Phases[h.phase]
	// keepT and cheatT are set below for every type of a (and read for no other)
	ac.actor, ac.s, ac.keep, ac.cheat, ac.forced = a, h.s[a], false, false, false
	if h.forced[a] {
		// the catalogue rule says D: every type declines, so nothing is learnt
		ac.forced = true
		if h.Tracer != nil {
			h.emit(Event{Kind: EvDecide, Actor: a, Other: h.res.Types[a], Step: -1})
		}
		return
	}
	types := r.Actors[a].Types
	if h.plain {
		h.decideTypes(a, ac)
	} else if e, hit := h.decisionMemo(a); hit {
		n := len(types)
		for t := 0; t < n; t++ {
			ac.keepT[t], ac.cheatT[t] = math.Float64frombits(e[t]), math.Float64frombits(e[n+t])
		}
		for t, ty := range types {
			if ty.Disposition == model.Hardliner {
				for _, st := range ph.StepsBy[a] {
					h.within[t*h.ns+st] = model.WithinBound(h.stepCost(st, t, h.s[a]), ty.Symbolic)
				}
			}
		}
	} else {
		h.decideTypes(a, ac)
		n := len(types)
		for t := 0; t < n; t++ {
			e[t], e[n+t] = math.Float64bits(ac.keepT[t]), math.Float64bits(ac.cheatT[t])
		}
	}
	tt := h.res.Types[a]
	if h.Tracer != nil {
		h.emit(Event{Kind: EvDecide, Actor: a, Other: tt, Step: -1, From: ac.keepT[tt], To: ac.cheatT[tt]})
	}
	if types[tt].Disposition == model.Hardliner {
		ac.keep = true // per-step, by the bound
		return
	}
	ac.keep = h.draw(ac.keepT[tt])
	if !ac.keep && ac.cheatT[tt] > 0 {
		ac.cheat = h.draw(ac.cheatT[tt] / (1 - ac.keepT[tt]))
	}
}

// decideTypes sets the probabilities of keeping and cheating of every type of a.
func (h *History) decideTypes(a int, ac *act) {
	r := h.R
	ph := &r.Phases[h.phase]
	h.refresh()
	h.rhoLater(a)
	p := h.pNow(a)
	initiator := ph.Invited && a == ph.Initiator
	for t, ty := range r.Actors[a].Types {
		if t >= maxTypes {
			break
		}
		ac.keepT[t], ac.cheatT[t] = 0, 0
		if ty.Disposition == model.Hardliner {
			all := true
			for _, st := range ph.StepsBy[a] {
				w := model.WithinBound(h.stepCost(st, t, h.s[a]), ty.Symbolic)
				h.within[t*h.ns+st] = w
				if h.status[st] == owed && !w {
					all = false
				}
			}
			if all {
				ac.keepT[t] = 1
			}
			continue
		}
		tm := h.termsNow(a, t, h.trustV(a, t))
		tm.P = p
		ac.keepT[t], ac.cheatT[t] = h.lm.Acts(ty.Disposition, &tm, h.lambda, initiator)
	}
}

// Decisions repeat across histories: the probabilities decideTypes computes
// are a function of the decider, the phase, whether this is its first
// attempt, every actor's insecurity, the status and security cut of the
// phase's steps, who believes which of them delivered, and the decider's
// beliefs. decisionMemo keeps them in a direct-mapped table keyed by exactly
// these values (compared in full, so a hit gives the same bits), of at most
// 2^maxDecMemoBits entries.
const maxDecMemoBits = 14

// decisionMemo builds the key of a's decision in h.dkey and returns its
// entry's values (the bits of keepT then cheatT by type) and whether the entry
// holds them; on a miss the entry is taken over for the key, to be filled by the caller.
func (h *History) decisionMemo(a int) ([]uint64, bool) {
	na, mt, nw := h.na, h.mt, h.nw
	k := h.dkey
	att := uint64(0)
	if h.attempt > 0 {
		att = 1
	}
	k[0] = uint64(a) | uint64(h.phase)<<16 | att<<48
	n := 1
	ks := k[n : n+len(h.s)]
	for i, x := range h.s {
		ks[i] = math.Float64bits(x)
	}
	n += len(ks)
	var w uint64
	for i, st := range h.R.Phases[h.phase].Steps {
		c := uint64(h.status[st])
		if h.cut[st] {
			c |= 8
		}
		w |= c << (4 * (i & 15))
		if i&15 == 15 {
			k[n] = w
			n++
			w = 0
		}
	}
	k[n] = w
	n++
	if nw == 1 {
		m := h.phMask[h.phase]
		kw := k[n : n+len(h.seen)]
		for i, x := range h.seen {
			kw[i] = x & m
		}
		n += len(kw)
	} else {
		mask := h.phMask[h.phase*nw : (h.phase+1)*nw]
		for o := 0; o < na; o++ {
			for i, m := range mask {
				k[n] = h.seen[o*nw+i] & m
				n++
			}
		}
	}
	// a's beliefs (its row about itself, and the rows' padding, are always 0)
	bel := h.bel[a*na*mt : (a+1)*na*mt]
	kb := k[n : n+len(bel)]
	for i, x := range bel {
		kb[i] = math.Float64bits(x)
	}
	n += len(kb)
	k = k[:n]
	hs := uint64(0)
	for _, x := range k {
		hs = (hs ^ x) * 0x9e3779b97f4a7c15
	}
	hs ^= hs >> 32
	hs *= 0xbf58476d1ce4e5b9
	i := int(hs >> (64 - h.dmBits))
	e := h.dm[i*h.dmStride : (i+1)*h.dmStride]
	ev, ek := e[1:1+2*mt], e[1+2*mt:1+2*mt+n]
	if e[0] == uint64(n) && slices.Equal(ek, k) {
		return ev, true
	}
	e[0] = uint64(n)
	copy(ek, k)
	return ev, false
}

// execute carries out a decision: noise, detection, observation, beliefs,
// insecurity and the defections the observers see.
func (h *History) execute(ac *act) {
	r := h.R
	ph := &r.Phases[h.phase]
	a := ac.actor
	tt := h.res.Types[a]
	hard := r.Actors[a].Types[tt].Disposition == model.Hardliner
	na, ns := h.na, h.ns
	for _, st := range ph.StepsBy[a] {
		if h.status[st] != owed {
			h.out[st] = outNone
			continue
		}
		x := &r.Steps[st]
		keep, cheat := ac.keep, ac.cheat
		if hard && !ac.forced {
			keep = h.within[tt*ns+st]
			cheat = false
		}
		switch {
		case keep:
			if h.draw(r.Noise) {
				h.out[st] = outFailed
				h.lastDecl, h.lastDeclStep, h.lastKind = a, st, Failed
				if h.Tracer != nil {
					h.emit(Event{Kind: EvFail, Actor: a, Other: -1, Step: st})
				}
				continue
			}
			h.out[st] = outDelivered
			h.status[st] = done
			h.paid[st] = h.stepCost(st, tt, ac.s)
			h.transfer(st, 1, +1)
			h.see(a, st)
			if h.Tracer != nil {
				h.emit(Event{Kind: EvDeliver, Actor: a, Other: -1, Step: st})
			}
			if !h.cut[st] {
				h.cut[st] = true
				h.dirty = true
				for o := 0; o < na; o++ {
					if x.Cut[o] > 0 {
						h.setInsecurity(o, h.s[o]*(1-x.Cut[o]), -1)
					}
				}
			}
		case cheat:
			if h.draw(x.Verif) {
				h.out[st] = outDetected
				h.lastDecl, h.lastDeclStep, h.lastKind = a, st, Detected
				if h.Tracer != nil {
					h.emit(Event{Kind: EvDetect, Actor: a, Other: -1, Step: st})
				}
				continue
			}
			h.out[st] = outClaimed
			h.status[st] = claimed
			h.see(a, st)
			if h.Tracer != nil {
				h.emit(Event{Kind: EvCheat, Actor: a, Other: -1, Step: st})
			}
		default:
			h.out[st] = outDeclined
			h.lastDecl, h.lastDeclStep, h.lastKind = a, st, Declined
			if h.Tracer != nil {
				h.emit(Event{Kind: EvDecline, Actor: a, Other: -1, Step: st})
			}
		}
	}
	h.ver++
	// first observation by every other actor
	shown := h.shown[:0]
	for _, st := range ph.StepsBy[a] {
		if h.out[st] == outDelivered || h.out[st] == outClaimed {
			shown = append(shown, st)
		}
	}
	for o := 0; o < na && len(shown) > 0; o++ {
		if o == a {
			continue
		}
		for _, st := range shown {
			if h.draw(1 - r.Mis) {
				h.see(o, st)
			} else {
				if h.Tracer != nil {
					h.emit(Event{Kind: EvMissed, Actor: a, Other: o, Step: st})
				}
			}
		}
	}
	h.shownN = len(shown)
	if h.hasOutcome(a) && h.informative(ac) {
		h.bayes(ac)
	}
	h.ver++
}

// hasOutcome reports whether some step of a has an outcome this round.
func (h *History) hasOutcome(a int) bool {
	for _, st := range h.R.Phases[h.phase].StepsBy[a] {
		if h.out[st] != outNone {
			return true
		}
	}
	return false
}

// defections lets every other actor judge what the mover a did this round.
func (h *History) defections(a int) {
	for o := 0; o < h.na; o++ {
		if o != a {
			h.defection(o, a)
		}
	}
}

// informative reports whether the mover's types differ in how they act here;
// when every type keeps, cheats and declines with the same probabilities
// (a cheap step that every type takes, say), nothing can be learnt from the
// act and no observer's belief changes, so the updates are skipped.
func (h *History) informative(ac *act) bool {
	if ac.forced {
		return false
	}
	r := h.R
	a := ac.actor
	types := r.Actors[a].Types
	if len(types) < 2 {
		return false
	}
	var k0, c0 float64
	for t, ty := range types {
		k, c := ac.keepT[t], ac.cheatT[t]
		if ty.Disposition == model.Hardliner {
			// a hardliner that pays every owed step acts like a sure keeper
			for _, st := range r.Phases[h.phase].StepsBy[a] {
				if h.out[st] != outNone && !h.within[t*h.ns+st] {
					return true
				}
			}
			k, c = 1, 0
		}
		if t == 0 {
			k0, c0 = k, c
		} else if k != k0 || c != c0 {
			return true
		}
	}
	return false
}

// bayes updates every observer's belief about the mover's type on what it
// saw of the mover's act. Observers differ only in which of the shown
// (delivered or claimed) steps they saw, so with at most likeTabBits shown
// steps the likelihoods of the mover's types are computed once per pattern of
// sightings.
func (h *History) bayes(ac *act) {
	a := ac.actor
	na, mt, nw := h.na, h.mt, h.nw
	n := h.ntypes[a]
	shown := h.shown[:h.shownN]
	tab := len(shown) <= likeTabBits
	filled := 0
	rec := h.recTypes[a]
	var post [maxTypes]float64
	for o := 0; o < na; o++ {
		if o == a {
			continue
		}
		var like []float64
		if tab {
			sig := 0
			seen := h.seen[o*nw:]
			for i, st := range shown {
				if seen[st>>6]>>(st&63)&1 != 0 {
					sig |= 1 << i
				}
			}
			like = h.likeTab[sig*maxTypes:][:n]
			if filled&(1<<sig) == 0 {
				h.likelihoods(o, ac, like)
				filled |= 1 << sig
			}
		} else {
			like = h.likeL[:n]
			h.likelihoods(o, ac, like)
		}
		b := h.bel[(o*na+a)*mt:][:n]
		p := post[:n]
		tot := 0.0
		for t, x := range b {
			p[t] = x * like[t]
			tot += p[t]
		}
		if tot <= 0 {
			continue // no type could have produced this: keep the belief
		}
		from := h.tr[o*na+a]
		for t := range b {
			b[t] = p[t] / tot
		}
		v := 0.0
		for _, t := range rec {
			v += b[t]
		}
		h.tr[o*na+a] = v // retrust
		if h.Tracer != nil && v != from {
			h.emit(Event{Kind: EvBelief, Actor: o, Other: a, Step: -1, From: from, To: v})
		}
	}
}

// likelihoods sets like[t] to the probability of what o saw of the mover's
// act if the mover is of type t.
func (h *History) likelihoods(o int, ac *act, like []float64) {
	r := h.R
	eps, mu := r.Noise, r.Mis
	ns := h.ns
	steps := r.Phases[h.phase].StepsBy[ac.actor]
	// likelihoods of the observations under keeping, cheating and declining everything
	lk, lc, ld := 1.0, 1.0, 1.0
	for _, st := range steps {
		out := h.out[st]
		if out == outNone {
			continue
		}
		d := r.Steps[st].Verif
		switch out {
		case outFailed:
			lk *= eps
			lc, ld = 0, 0
		case outDetected:
			lc *= d
			lk, ld = 0, 0
		case outDeclined:
			lk, lc = 0, 0
		default:
			ld = 0
			if h.sees(o, st) {
				lk *= (1 - eps) * (1 - mu)
				lc *= (1 - d) * (1 - mu)
			} else {
				lk *= (1 - eps) * mu
				lc *= (1 - d) * mu
			}
		}
	}
	for t, ty := range r.Actors[ac.actor].Types {
		var l float64
		if ty.Disposition == model.Hardliner {
			l = 1
			for _, st := range steps {
				out := h.out[st]
				if out == outNone {
					continue
				}
				if h.within[t*ns+st] {
					switch out {
					case outFailed:
						l *= eps
					case outDelivered, outClaimed:
						if h.sees(o, st) {
							l *= (1 - eps) * (1 - mu)
						} else {
							l *= (1 - eps) * mu
						}
					default:
						l = 0
					}
				} else if out != outDeclined {
					l = 0
				}
			}
		} else {
			k, c := ac.keepT[t], ac.cheatT[t]
			l = k*lk + c*lc + (1-k-c)*ld
		}
		like[t] = l
	}
}

// defection flags, raises insecurity for, what o sees as a defection by a this round.
func (h *History) defection(o, a int) {
	r := h.R
	ph := &r.Phases[h.phase]
	invitedDecline := ph.Invited && a != ph.Initiator
	oDelivered := false
	for _, st := range ph.StepsBy[o] {
		if h.status[st] == done || h.status[st] == claimed {
			oDelivered = true
			break
		}
	}
	step := -1
	for _, st := range ph.StepsBy[a] {
		x := &r.Steps[st]
		switch h.out[st] {
		case outDetected:
			if x.Recipient[o] || oDelivered {
				step = st
			}
		case outDelivered, outClaimed:
			if x.Recipient[o] && !h.sees(o, st) {
				step = st
			}
		case outFailed, outDeclined:
			if oDelivered && !invitedDecline {
				step = st
			}
		}
		if step >= 0 {
			break
		}
	}
	if step < 0 || h.flag[o*h.na+a] {
		return
	}
	h.flag[o*h.na+a] = true
	h.flagged = true
	h.flagStep[o*h.na+a] = step
	h.setInsecurity(o, h.s[o]+r.Threat*(1-h.s[o]), a)
}

// respond applies every observer's response to the defections it saw this round.
func (h *History) respond() {
	if !h.flagged {
		return
	}
	r := h.R
	na := h.na
	for o := 0; o < na; o++ {
		ac := &r.Actors[o]
		if ac.Response == model.StrategyResponse {
			continue // its catalogue rule is its only response (fed in feedRules)
		}
		for j := 0; j < na; j++ {
			if !h.flag[o*na+j] {
				continue
			}
			step := h.flagStep[o*na+j]
			switch ac.Response {
			case model.Grim:
				h.walkAway(o, j, step)
				return
			case model.Patient:
				h.defects[o*na+j]++
				if h.defects[o*na+j] > ac.Tolerance {
					h.walkAway(o, j, step)
					return
				}
				if h.Tracer != nil {
					h.emit(Event{Kind: EvForgive, Actor: o, Other: j, Step: step})
				}
				continue
			case model.Generous:
				if h.draw(ac.Forgiveness) {
					if h.Tracer != nil {
						h.emit(Event{Kind: EvForgive, Actor: o, Other: j, Step: step})
					}
					continue
				}
			}
			h.withdraw(o, j)
		}
	}
}

// withdraw is tit-for-tat: o takes back its steps delivered in the phase until it believes j has delivered.
func (h *History) withdraw(o, j int) {
	r := h.R
	for _, st := range r.Phases[h.phase].StepsBy[o] {
		x := &r.Steps[st]
		if h.status[st] != done || x.Rev <= 0 {
			continue
		}
		h.transfer(st, x.Rev, -1)
		h.status[st] = suspended
		h.nSusp++
		h.susp[st] = j
		h.ver++
		for a := 0; a < h.na; a++ {
			h.unsee(a, st)
		}
		if h.Tracer != nil {
			h.emit(Event{Kind: EvWithdraw, Actor: o, Other: j, Step: st})
		}
	}
}

func (h *History) walkAway(o, j, step int) {
	r := h.R
	if h.Tracer != nil {
		h.emit(Event{Kind: EvWalkAway, Actor: o, Other: j, Step: step})
	}
	for st := range r.Steps {
		if h.status[st] == done && r.Steps[st].Rev > 0 {
			h.transfer(st, r.Steps[st].Rev, -1)
		}
	}
	h.walked = true
	h.checkMilestones()
	h.finish(Breakdown, Cause{Kind: WalkedAway, Actor: o, Other: j, Step: step})
}

// initiatorDone reports whether everyone believes the initiator's steps of an invited phase delivered.
func (h *History) initiatorDone() bool {
	ph := &h.R.Phases[h.phase]
	mask := h.byMask[(h.phase*h.na+ph.Initiator)*h.nw : (h.phase*h.na+ph.Initiator+1)*h.nw]
	for a := 0; a < h.na; a++ {
		if ph.Party[a] && !h.seesAll(a, mask) {
			return false
		}
	}
	return true
}

// phaseDone reports whether every party of the phase believes every step delivered.
func (h *History) phaseDone() bool {
	ph := &h.R.Phases[h.phase]
	nw := h.nw
	for a := 0; a < h.na; a++ {
		if !ph.Party[a] {
			continue
		}
		for w := 0; w < nw; w++ {
			need := h.phMask[h.phase*nw+w] &^ h.dropBits[w]
			if h.seen[a*nw+w]&need != need {
				return false
			}
		}
	}
	return true
}

// completePhase ends the current phase; dropInvited drops the invited steps still owed.
func (h *History) completePhase(dropInvited bool) {
	r := h.R
	ph := &r.Phases[h.phase]
	if dropInvited {
		answered := false
		for _, st := range ph.Steps {
			if r.Steps[st].Mover == ph.Initiator {
				continue
			}
			if h.status[st] == owed || h.status[st] == suspended {
				if h.status[st] == suspended {
					h.nSusp--
				}
				h.status[st] = dropped
				h.dropBits[st>>6] |= 1 << (st & 63)
				if h.Tracer != nil {
					h.emit(Event{Kind: EvDropped, Actor: r.Steps[st].Mover, Other: -1, Step: st})
				}
			} else {
				answered = true
			}
		}
		if !answered {
			h.unanswered++
		} else {
			h.unanswered = 0
		}
	} else if ph.Invited {
		h.unanswered = 0
	}
	if h.Tracer != nil {
		h.emit(Event{Kind: EvPhaseDone, Actor: -1, Other: -1, Step: -1})
	}
	h.checkMilestones()
	if dropInvited && h.unanswered >= r.Persistence {
		h.finish(Stalemate, Cause{Kind: Unanswered, Actor: ph.Initiator, Other: -1, Step: -1})
		return
	}
	h.stall, h.attempt, h.waitCount = 0, 0, 0
	h.ver++
	h.lastDecl, h.lastDeclStep = -1, -1
	h.phase++
	h.dirty = true
	if h.phase < h.nk {
		return
	}
	h.phase--
	status := Completed
	for st := range r.Steps {
		switch h.status[st] {
		case dropped:
			status = Partial
		case claimed:
			if status == Completed {
				status = CompletedButCheated
			}
		}
	}
	if status == Completed {
		for a := range r.Actors {
			ac := &r.Actors[a]
			if lv := ac.Types[h.res.Types[a]].LastingValue; lv > 0 {
				h.util[a] += h.disc[a*(h.hor+2)+h.round] * lv / (1 - ac.Discount)
			}
		}
	}
	h.finish(status, Cause{Kind: NoCause, Actor: -1, Other: -1, Step: -1})
}

// checkMilestones records the rounds at which milestones are first reached, in truth and as believed.
func (h *History) checkMilestones() {
	if !h.msDirty {
		return // nothing was delivered, withdrawn or seen since the last check
	}
	h.msDirty = false
	r := h.R
	// only the current phase's steps change: only its milestones can move
	for _, m := range r.Phases[h.phase].Milestones {
		ms := &r.Milestones[m]
		if h.msSettled[m] {
			continue
		}
		if h.res.MilestoneTrue[m] == 0 {
			all := true
			for _, st := range ms.Steps {
				if h.status[st] != done {
					all = false
					break
				}
			}
			if all {
				h.res.MilestoneTrue[m] = h.round
			}
		}
		believed := h.res.MilestoneBelieved[m]
		settled := h.res.MilestoneTrue[m] != 0
		if h.nw == 1 {
			mask := h.msMask[m]
			seen := h.seen[:len(believed)]
			for a, b := range believed {
				if b == 0 {
					if seen[a]&mask == mask {
						believed[a] = h.round
					} else {
						settled = false
					}
				}
			}
		} else {
			for a, b := range believed {
				if b == 0 {
					if h.seesAll(a, h.msMask[m*h.nw:(m+1)*h.nw]) {
						believed[a] = h.round
					} else {
						settled = false
					}
				}
			}
		}
		h.msSettled[m] = settled // reached and believed by all: nothing more to record
	}
}

func (h *History) finish(s Status, c Cause) {
	if h.ended {
		return
	}
	r := h.R
	h.ended = true
	h.res.Status, h.res.Cause = s, c
	h.record(h.round)
	for a := range r.Actors {
		h.res.Utility[a] = h.util[a]
		e := 0.0
		if h.flow[a] < 0 {
			e = -h.flow[a]
		}
		h.res.Exposure[a] = e
		h.res.Leverage[a] = 0
	}
	// each mover's leverage adds up its steps in order, as if summed mover by mover
	na, mt := h.na, h.mt
	for st := range r.Steps {
		x := &r.Steps[st]
		share := 1.0
		switch {
		case h.status[st] == suspended:
			share = x.Rev // the recipients keep the irreversible part
		case h.status[st] == done && h.walked:
			share = x.Rev // taken back when the talks broke down
		case h.status[st] == done:
			continue
		}
		a := x.Mover
		lev := h.res.Leverage[a]
		ben := h.ben[st*na*mt : (st+1)*na*mt]
		for o, t := range h.res.Types {
			if o != a {
				lev += share * ben[o*mt+t]
			}
		}
		h.res.Leverage[a] = lev
	}
	if h.Tracer != nil {
		h.emit(Event{Kind: EvEnd, Actor: c.Actor, Other: c.Other, Step: c.Step})
	}
}

// likeTabBits is the most shown steps of an act whose patterns of sightings have a row in likeTab.
const likeTabBits = 4
