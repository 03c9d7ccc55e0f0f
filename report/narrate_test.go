package report_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/internal/testkit"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/report"
	"github.com/parleyhq/parley/scenario"
)

// script is an engine.Source that plays a history chosen in advance: each
// categorical draw takes the next index of cat, each Bernoulli the next
// answer of yes. It records the probabilities it was asked about.
type script struct {
	t     *testing.T
	cat   []int
	yes   []bool
	asked []string
}

func (s *script) Bernoulli(p float64) bool {
	if len(s.yes) == 0 {
		s.t.Fatalf("unscripted Bernoulli(%v) after %q", p, s.asked)
	}
	v := s.yes[0]
	s.yes = s.yes[1:]
	s.asked = append(s.asked, fmt.Sprintf("B(%.3g)=%v", p, v))
	return v
}

func (s *script) Categorical(w []float64) int {
	if len(s.cat) == 0 {
		s.t.Fatalf("unscripted Categorical(%v) after %q", w, s.asked)
	}
	v := s.cat[0]
	s.cat = s.cat[1:]
	s.asked = append(s.asked, fmt.Sprintf("C(%v)=%d", w, v))
	return v
}

// done fails unless the whole script was used.
func (s *script) done() {
	if len(s.cat) > 0 || len(s.yes) > 0 {
		s.t.Errorf("script not used up: categorical %v, Bernoulli %v left after %q", s.cat, s.yes, s.asked)
	}
}

func narrate(t *testing.T, r *model.Roadmap, src *script) string {
	t.Helper()
	h := engine.New(r)
	rec := &engine.Recorder{}
	h.Tracer = rec
	res := h.Run(src)
	src.done()
	var b bytes.Buffer
	if err := report.Narrate(&b, r, rec.Events, res); err != nil {
		t.Fatal(err)
	}
	t.Logf("draws: %s", strings.Join(src.asked, " "))
	return b.String()
}

func eventful() *scenario.Scenario {
	a := testkit.Actor("US", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
	b := testkit.Actor("DPRK", 0.9, testkit.Type("rec", 0.5, scenario.Reciprocator), testkit.Type("opp", 0.5, scenario.Opportunist))
	b.Insecurity, b.InsecurityWeight = 0.6, 1
	relief := testkit.Move("relief", "US", 0.5, "DPRK", 2)
	relief.Label = "sanctions relief"
	relief.Reversible = 0.5
	relief.Security = map[string]float64{"DPRK": 0.5}
	freeze := testkit.Move("freeze", "DPRK", 1, "US", 2)
	freeze.Label = "Yongbyon freeze"
	freeze.Verification = testkit.F(0.5)
	freeze.SecurityRelevant = true
	freeze.Tranches = testkit.I(2)
	s := testkit.Scenario(8, []scenario.Actor{a, b}, []scenario.Move{relief, freeze}, testkit.Phase("relief", "freeze"))
	s.Roadmaps[0].Label = "relief for a freeze"
	s.Roadmaps[0].Phases[0].Label = "first exchange"
	s.Environment.Noise = 0.1
	s.Environment.Misperception = 0.2
	s.Environment.ThreatResponse = 0.3
	s.Environment.RoundLength = "1 month"
	s.Environment.Shocks = []scenario.Shock{{ID: "test", Label: "missile test", Probability: 0.1, Target: "DPRK", Trust: testkit.F(0.5)}}
	s.Milestones = []scenario.Milestone{{ID: "frozen", Moves: []string{"freeze"}}}
	return s
}

// TestNarrateDecline: in the tiny scenario with A a reciprocator and B a
// hardliner (the two type draws scripted), A delivers a1 and learns from
// B's decline that B is a hardliner; B declines b1 for four more rounds and
// the talks end in a stalemate after 5 rounds, A down the cost of a1.
func TestNarrateDecline(t *testing.T) {
	r := compileAll(t, tinyScenario())[0]
	golden(t, "narrate-decline.golden", narrate(t, r, &script{t: t, cat: []int{0, 1}}))
}

// TestNarrateCheat: DPRK is an opportunist (scripted) and claims the first
// tranche of the freeze without delivering it. The draws, in the order of
// model.md §8: round 1 — no shock, no noise on the US relief, DPRK sees it,
// the cheat is not detected, the US misses the claim (a defection in its
// eyes: it withdraws half the relief, tit-for-tat); round 2 — the shock
// hits, the US sees the claim on a second look and restores the relief,
// which ends part 1; round 3 — no shock, DPRK claims the second tranche,
// undetected, unseen (a reciprocator would have declined it, so the US's
// trust drops to 0); rounds 4–7: no shock, still unseen: stalemate.
// Utilities: US −0.5 + 0.25 (refund) − 0.9·0.25 (restored) = −0.475;
// DPRK 2 − 1 + 0.9·1 = 1.9.
func TestNarrateCheat(t *testing.T) {
	r, err := model.Compile(eventful(), "r")
	if err != nil {
		t.Fatal(err)
	}
	yes := []bool{
		false, false, true, false, false, // round 1: shock, noise, DPRK sees, detection, US sees
		true, true, // round 2: shock, US's second look
		false, false, false, // round 3: shock, detection, US sees
		false, false, false, false, false, false, false, false, // rounds 4–7: shock, US's look
	}
	golden(t, "narrate-cheat.golden", narrate(t, r, &script{t: t, cat: []int{1}, yes: yes}))
}

// TestNarrateWalkAway: the same scenario with a grim US. Round 1: no shock,
// the US relief fails by noise in plain view, DPRK's cheat is detected: the
// US walks away at once (breakdown after 1 round) and nobody has paid or
// received anything.
func TestNarrateWalkAway(t *testing.T) {
	sc := eventful()
	sc.Actors[0].Response = scenario.Response{Kind: scenario.Grim}
	r, err := model.Compile(sc, "r")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "narrate-walkaway.golden", narrate(t, r, &script{t: t, cat: []int{1}, yes: []bool{false, true, true}}))
}

func TestCauseText(t *testing.T) {
	r, err := model.Compile(eventful(), "r")
	if err != nil {
		t.Fatal(err)
	}
	// steps: relief, then the two tranches of the freeze
	for _, c := range []struct {
		cause engine.Cause
		want  string
	}{
		{engine.Cause{Kind: engine.NoCause, Actor: -1, Other: -1, Step: -1}, ""},
		{engine.Cause{Kind: engine.Declined, Actor: 0, Other: -1, Step: 0}, "US declines relief"},
		{engine.Cause{Kind: engine.Detected, Actor: 1, Other: -1, Step: 2}, "DPRK's cheat on freeze 2/2 detected"},
		{engine.Cause{Kind: engine.Failed, Actor: 1, Other: -1, Step: 1}, "DPRK's delivery of freeze 1/2 failed"},
		{engine.Cause{Kind: engine.Waiting, Actor: -1, Other: -1, Step: -1}, "moves withheld or never seen"},
		{engine.Cause{Kind: engine.Unanswered, Actor: 0, Other: -1, Step: -1}, "US's initiatives unanswered"},
		{engine.Cause{Kind: engine.WalkedAway, Actor: 0, Other: 1, Step: 1}, "US walks away over DPRK's freeze 1/2"},
		{engine.Cause{Kind: engine.Declined, Actor: 7, Other: -1, Step: 9}, "? declines ?"},
	} {
		if got := report.CauseText(r, c.cause); got != c.want {
			t.Errorf("CauseText(%+v) = %q, want %q", c.cause, got, c.want)
		}
	}
}
