package smp

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

var (
	reQueue  = regexp.MustCompile(`^Bargains involving actor +(\d+): (.*)$`)
	reEntry  = regexp.MustCompile(`\[(\d+), (\d+):(\d+)\]`)
	rePCE    = regexp.MustCompile(`^Doing scalarPCE for the (\d+) bargains of actor (\d+)`)
	reChosen = regexp.MustCompile(`^Chosen bargain \( Stochastic \): (\d+) `)
)

// ktabChoice is what KTAB's log says about one actor's settlement in one
// turn: its queue as (initiator, receiver) pairs, the probability of each
// (as printed, 4 decimals) and the pair it drew.
type ktabChoice struct {
	queue  [][2]int
	probs  []string
	chosen [2]int
}

// parseChoices reads every settlement of a KTAB log, by turn (from 1) and
// actor.
func parseChoices(t *testing.T, lines []string) map[int]map[int]*ktabChoice {
	t.Helper()
	out := map[int]map[int]*ktabChoice{}
	turn, actor := 0, -1
	ids := map[int]map[string][2]int{} // actor -> bargain ID -> pair, this turn
	for l := 0; l < len(lines); l++ {
		line := lines[l]
		switch {
		case reIter.MatchString(line):
			turn = atoi(reIter.FindStringSubmatch(line)[1])
			out[turn] = map[int]*ktabChoice{}
			ids = map[int]map[string][2]int{}
		case reQueue.MatchString(line):
			m := reQueue.FindStringSubmatch(line)
			k := atoi(m[1])
			c := &ktabChoice{}
			ids[k] = map[string][2]int{}
			for _, e := range reEntry.FindAllStringSubmatch(m[2], -1) {
				pair := [2]int{atoi(e[2]), atoi(e[3])}
				c.queue = append(c.queue, pair)
				ids[k][e[1]] = pair
			}
			out[turn][k] = c
		case rePCE.MatchString(line):
			m := rePCE.FindStringSubmatch(line)
			actor = atoi(m[2])
			nb := atoi(m[1])
			for ; l < len(lines) && lines[l] != "Probability Opt_i"; l++ {
			}
			c := out[turn][actor]
			for q := 1; q <= nb; q++ {
				c.probs = append(c.probs, strings.TrimSpace(lines[l+q]))
			}
		case reChosen.MatchString(line) && actor >= 0:
			id := reChosen.FindStringSubmatch(line)[1]
			pair, ok := ids[actor][id]
			if !ok {
				t.Fatalf("line %d: bargain %s is not in actor %d's queue", l+1, id, actor)
			}
			out[turn][actor].chosen = pair
			actor = -1
		}
	}
	return out
}

// TestKTABReplaySMPExample replays KTAB's full log of its smpExample run
// (5 actors, 3 dimensions, with the file's non-default options — PropCbc
// voting, the MarkovIncentive election, stochastic transitions — and its
// ideal-point adjustment). KTAB's stochastic draws cannot be repeated, so
// each actor is made to take the bargain KTAB drew; everything else must
// follow: every actor's queue of bargains and each bargain's probability,
// every state's risk attitudes, every challenge with its estimates and
// bargain, every position and ideal point, every stopping statistic, and
// KTAB's summary of the positions and probabilities of all 15 states.
func TestKTABReplaySMPExample(t *testing.T) {
	lines := readLog(t, "smpExample.log")
	choices := parseChoices(t, lines)
	in := read(t, "smpExample_alice52.8.xml")
	opt, err := FromInput(in)
	if err != nil {
		t.Fatal(err)
	}
	opt.Trace = true
	checked := 0
	opt.choose = func(turn, k int, queue [][2]int, probs []float64) int {
		c := choices[turn][k]
		if c == nil {
			t.Fatalf("turn %d: KTAB's log has no settlement for actor %d", turn, k)
		}
		if len(c.queue) != len(queue) || len(c.probs) != len(queue) {
			t.Fatalf("turn %d actor %d: queue %v, KTAB's %v", turn, k, queue, c.queue)
		}
		chosen := -1
		for q, pair := range queue {
			found := false
			for r, kp := range c.queue {
				if kp == pair {
					found = true
					if got := fmt.Sprintf("%.4f", probs[q]); got != c.probs[r] {
						t.Errorf("turn %d actor %d: bargain %d:%d has probability %s, KTAB %s", turn, k, pair[0], pair[1], got, c.probs[r])
					}
					checked++
				}
			}
			if !found {
				t.Fatalf("turn %d actor %d: bargain %d:%d is not in KTAB's queue %v", turn, k, pair[0], pair[1], c.queue)
			}
			if pair == c.chosen {
				chosen = q
			}
		}
		return chosen
	}
	res := run(t, in, opt)
	checked += checkKTABLog(t, res, lines)

	// the stopping statistic of every turn
	var changes []string
	for _, l := range lines {
		if strings.HasPrefix(l, "Fractional change") {
			changes = append(changes, l)
		}
	}
	if len(changes) != len(res.Changes) {
		t.Fatalf("%d turns, KTAB %d", len(res.Changes), len(changes))
	}
	for i, c := range res.Changes {
		if got := fmt.Sprintf("Fractional change compared to first step: %.4f  (target=%.4f)", c, opt.StopRatio); got != changes[i] {
			t.Errorf("turn %d: %q, KTAB %q", i+1, got, changes[i])
		}
		checked++
	}

	// KTAB's closing summary, from "There were 15 states" on
	var got strings.Builder
	if err := WriteKTABSummary(&got, res); err != nil {
		t.Fatal(err)
	}
	gl := strings.Split(strings.TrimRight(got.String(), "\n"), "\n")
	from := func(ls []string) []string {
		for i := len(ls) - 1; i >= 0; i-- {
			if strings.HasPrefix(ls[i], "There were") {
				return ls[i:]
			}
		}
		return nil
	}
	g := from(gl)
	var w []string
	for _, l := range from(lines) {
		if strings.HasPrefix(l, "SMPModel:") {
			break
		}
		w = append(w, l)
	}
	if len(g) != len(w) || len(g) == 0 {
		t.Fatalf("summary of %d lines, KTAB's %d", len(g), len(w))
	}
	for i := range g {
		if strings.TrimRight(g[i], " ") != w[i] {
			t.Errorf("summary line %d:\n got %q\nwant %q", i+1, g[i], w[i])
		}
		checked++
	}
	t.Logf("%d values and lines checked against KTAB's log", checked)
}
