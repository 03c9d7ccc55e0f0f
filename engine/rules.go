package engine

import "github.com/parleyhq/parley/game/ipd"

// Catalogue responses (model.md §3). An actor whose response names a rule of
// the iterated-game catalogue plays one repeated game with each counterpart:
// in every round in which both have a step in the current phase, it asks the
// rule for its move before anyone decides, and declines openly if the rule
// says D to any counterpart; at the end of the round it feeds the rule its
// own move (C if it believes all its steps of the phase delivered) and the
// counterpart's (C if it believes all of the counterpart's steps of the phase
// delivered). The rule is told that the length is unknown, plays with the
// payoffs R, S, T, P = 3, 0, 5, 1, and replaces the response policies.

// resetPlayers starts every rule afresh, seeding the random streams of
// stochastic rules from the history's own stream.
func (h *History) resetPlayers() {
	sd, _ := h.src.(seeder)
	for k, p := range h.players {
		if p == nil {
			continue
		}
		v := &h.views[k]
		v.Own, v.Opp = v.Own[:0], v.Opp[:0]
		v.OwnDefections, v.OppDefections = 0, 0
		if sd != nil && h.R.Actors[k/h.na].Strategy.Stochastic {
			h.prand[k].Seed(sd.Uint64(), uint64(k))
		} else {
			h.prand[k].Seed(0, uint64(k))
		}
		p.Reset(v)
	}
}

// ruleMoves asks every rule for its move this round.
func (h *History) ruleMoves() {
	if !h.anyPlayers {
		return // forced and playing stay false
	}
	ph := &h.R.Phases[h.phase]
	na := h.na
	for i := 0; i < na; i++ {
		h.forced[i] = false
	}
	for k, p := range h.players {
		h.playing[k] = false
		if p == nil {
			continue
		}
		i, j := k/na, k%na
		if !ph.HasMove[i] || !ph.HasMove[j] {
			continue
		}
		h.playing[k] = true
		if p.Move(&h.views[k]) == ipd.D {
			if !h.forced[i] {
				if h.Tracer != nil {
					h.emit(Event{Kind: EvRule, Actor: i, Other: j, Step: -1})
				}
			}
			h.forced[i] = true
		}
	}
}

// feedRules tells every rule that played this round what both sides did, as its actor believes.
func (h *History) feedRules() {
	if !h.anyPlayers {
		return
	}
	ph := &h.R.Phases[h.phase]
	na := h.na
	for k, p := range h.players {
		if p == nil || !h.playing[k] {
			continue
		}
		i, j := k/na, k%na
		own, opp := ipd.C, ipd.C
		for _, st := range ph.StepsBy[i] {
			if h.status[st] != dropped && !h.sees(i, st) {
				own = ipd.D
				break
			}
		}
		for _, st := range ph.StepsBy[j] {
			if h.status[st] != dropped && !h.sees(i, st) {
				opp = ipd.D
				break
			}
		}
		v := &h.views[k]
		v.Own = append(v.Own, own)
		v.Opp = append(v.Opp, opp)
		if own == ipd.D {
			v.OwnDefections++
		}
		if opp == ipd.D {
			v.OppDefections++
		}
	}
}
