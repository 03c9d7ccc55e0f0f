package report

import (
	"fmt"
	"io"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/model"
)

// Narrate writes one history as a story, round by round, in plain language.
func Narrate(w io.Writer, r *model.Roadmap, events []engine.Event, res *engine.Result) error {
	n := &narrator{r: r, w: w}
	fmt.Fprintf(w, "Roadmap %s (%s), horizon %s of %s.\n", r.ID, labelOr(r.Label, r.ID), rounds(r.Horizon), r.RoundLength)
	for _, e := range events {
		n.event(e)
	}
	n.flush()
	fmt.Fprintf(w, "\nOutcome: %s after %s", res.Status, rounds(res.Rounds))
	if c := CauseText(r, res.Cause); c != "" {
		fmt.Fprintf(w, " (%s)", c)
	}
	fmt.Fprintln(w, ".")
	for a, ac := range r.Actors {
		fmt.Fprintf(w, "  %s (%s): utility %.3f, exposure %.3f, leverage left %.3f, final insecurity %.2f\n",
			ac.ID, ac.Types[res.Types[a]].ID, res.Utility[a], res.Exposure[a], res.Leverage[a], res.InsecurityAt(res.Rounds, a))
	}
	for m, ms := range r.Milestones {
		if t := res.MilestoneTrue[m]; t > 0 {
			fmt.Fprintf(w, "  milestone %s reached in round %d\n", ms.ID, t)
		} else {
			fmt.Fprintf(w, "  milestone %s not reached\n", ms.ID)
		}
	}
	return n.err
}

type narrator struct {
	r     *model.Roadmap
	w     io.Writer
	lines []string
	err   error
}

// rounds says "1 round", "2 rounds".
func rounds(n int) string {
	if n == 1 {
		return "1 round"
	}
	return fmt.Sprintf("%d rounds", n)
}

func labelOr(l, id string) string {
	if l == "" {
		return id
	}
	return l
}

func (n *narrator) say(format string, args ...any) {
	n.lines = append(n.lines, fmt.Sprintf(format, args...))
}

func (n *narrator) flush() {
	for _, l := range n.lines {
		if _, err := fmt.Fprintln(n.w, l); err != nil && n.err == nil {
			n.err = err
		}
	}
	n.lines = n.lines[:0]
}

func (n *narrator) actor(a int) string { return n.r.Actors[a].ID }

func (n *narrator) step(st int) string {
	x := &n.r.Steps[st]
	if x.Of > 1 {
		return fmt.Sprintf("%s (tranche %d of %d)", x.Label, x.Tranche, x.Of)
	}
	return x.Label
}

func (n *narrator) event(e engine.Event) {
	r := n.r
	switch e.Kind {
	case engine.EvTypes:
		n.say("%s is in truth of type %s (%s).", n.actor(e.Actor), r.Actors[e.Actor].Types[e.Other].ID, r.Actors[e.Actor].Types[e.Other].Disposition)
	case engine.EvRound:
		n.flush()
		if len(r.Phases) == 0 {
			fmt.Fprintf(n.w, "\nRound %d.\n", e.Round)
			return
		}
		ph := &r.Phases[e.Phase]
		sub := ""
		if ph.Subs > 1 {
			sub = fmt.Sprintf(", part %d of %d", ph.Sub, ph.Subs)
		}
		fmt.Fprintf(n.w, "\nRound %d — %s (phase %d of %d%s):\n", e.Round, ph.Label, e.Phase+1, len(r.Phases), sub)
	case engine.EvShock:
		sh := &r.Shocks[e.Step]
		if fmt.Sprintf("%.2f", e.From) == fmt.Sprintf("%.2f", e.To) {
			return // nothing visible at two decimals
		}
		if sh.IsTrust {
			n.say("  shock %q: %s's trust in %s %.2f → %.2f", sh.Label, n.actor(e.Other), n.actor(e.Actor), e.From, e.To)
		} else {
			n.say("  shock %q: %s's insecurity %.2f → %.2f", sh.Label, n.actor(e.Actor), e.From, e.To)
		}
	case engine.EvRule:
		st := r.Actors[e.Actor].Strategy
		name := "its rule"
		if st != nil {
			name = "its rule " + st.Name
		}
		n.say("  %s follows %s, which answers %s with D: it declines this round", n.actor(e.Actor), name, n.actor(e.Other))
	case engine.EvDecide:
		if r.Actors[e.Actor].Response == model.StrategyResponse && e.From == 0 && e.To == 0 {
			return // a decline imposed by the rule, told by the EvRule line
		}
		if e.To > 0 {
			n.say("  %s weighs its side: keeps with probability %.2f, cheats with %.2f", n.actor(e.Actor), e.From, e.To)
		} else {
			n.say("  %s weighs its side: keeps with probability %.2f", n.actor(e.Actor), e.From)
		}
	case engine.EvDeliver:
		n.say("  %s delivers %s", n.actor(e.Actor), n.step(e.Step))
	case engine.EvFail:
		n.say("  %s tries to deliver %s but it fails, in plain view", n.actor(e.Actor), n.step(e.Step))
	case engine.EvCheat:
		n.say("  %s claims %s without delivering it (a covert cheat)", n.actor(e.Actor), n.step(e.Step))
	case engine.EvDetect:
		n.say("  %s's cheat on %s is detected", n.actor(e.Actor), n.step(e.Step))
	case engine.EvDecline:
		n.say("  %s declines %s", n.actor(e.Actor), n.step(e.Step))
	case engine.EvWait:
		n.say("  %s waits: it has not seen %s deliver", n.actor(e.Actor), n.actor(e.Other))
	case engine.EvSeen:
		n.say("  %s now sees %s's %s", n.actor(e.Other), n.actor(e.Actor), n.step(e.Step))
	case engine.EvMissed:
		n.say("  %s does not see %s's %s", n.actor(e.Other), n.actor(e.Actor), n.step(e.Step))
	case engine.EvBelief:
		if fmt.Sprintf("%.2f", e.From) == fmt.Sprintf("%.2f", e.To) {
			return // too small to show at two decimals
		}
		n.say("  %s's trust in %s %.2f → %.2f", n.actor(e.Actor), n.actor(e.Other), e.From, e.To)
	case engine.EvInsecurity:
		why := ""
		if e.Other >= 0 {
			why = fmt.Sprintf(" (alarmed by %s)", n.actor(e.Other))
		}
		n.say("  %s's insecurity %.2f → %.2f%s", n.actor(e.Actor), e.From, e.To, why)
	case engine.EvWithdraw:
		n.say("  %s withdraws %s in response to %s", n.actor(e.Actor), n.step(e.Step), n.actor(e.Other))
	case engine.EvRedeliver:
		n.say("  %s restores %s", n.actor(e.Actor), n.step(e.Step))
	case engine.EvForgive:
		n.say("  %s overlooks %s's failure on %s", n.actor(e.Actor), n.actor(e.Other), n.step(e.Step))
	case engine.EvWalkAway:
		n.say("  %s walks away because of %s (%s)", n.actor(e.Actor), n.actor(e.Other), n.step(e.Step))
	case engine.EvDropped:
		n.say("  the invitation to %s lapses: %s is dropped", n.actor(e.Actor), n.step(e.Step))
	case engine.EvPhaseDone:
		n.say("  %s is complete", r.Phases[e.Phase].Label)
	}
}

// CauseText says in words why a history ended early ("" if it did not).
func CauseText(r *model.Roadmap, c engine.Cause) string {
	name := func(a int) string {
		if a < 0 || a >= len(r.Actors) {
			return "?"
		}
		return r.Actors[a].ID
	}
	step := func(st int) string {
		if st < 0 || st >= len(r.Steps) {
			return "?"
		}
		x := &r.Steps[st]
		if x.Of > 1 {
			return fmt.Sprintf("%s %d/%d", x.MoveID, x.Tranche, x.Of)
		}
		return x.MoveID
	}
	switch c.Kind {
	case engine.Declined:
		return fmt.Sprintf("%s declines %s", name(c.Actor), step(c.Step))
	case engine.Detected:
		return fmt.Sprintf("%s's cheat on %s detected", name(c.Actor), step(c.Step))
	case engine.Failed:
		return fmt.Sprintf("%s's delivery of %s failed", name(c.Actor), step(c.Step))
	case engine.Waiting:
		return "moves withheld or never seen"
	case engine.Unanswered:
		return fmt.Sprintf("%s's initiatives unanswered", name(c.Actor))
	case engine.WalkedAway:
		return fmt.Sprintf("%s walks away over %s's %s", name(c.Actor), name(c.Other), step(c.Step))
	}
	return ""
}
