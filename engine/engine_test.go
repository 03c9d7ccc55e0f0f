package engine_test

import (
	"math"
	"testing"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/internal/testkit"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/scenario"
)

// script is a Source that replays fixed outcomes and fails the test if the
// engine asks for more than it holds.
type script struct {
	t     *testing.T
	bools []bool
	cats  []int
	asked []float64
}

func (s *script) Bernoulli(p float64) bool {
	s.asked = append(s.asked, p)
	if len(s.bools) == 0 {
		s.t.Fatalf("unexpected Bernoulli(%v)", p)
	}
	b := s.bools[0]
	s.bools = s.bools[1:]
	return b
}

func (s *script) Categorical(w []float64) int {
	if len(s.cats) == 0 {
		s.t.Fatalf("unexpected Categorical(%v)", w)
	}
	c := s.cats[0]
	s.cats = s.cats[1:]
	return c
}

func compile(t *testing.T, s *scenario.Scenario) *model.Roadmap {
	t.Helper()
	r, err := model.Compile(s, "r")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func run(t *testing.T, s *scenario.Scenario, src engine.Source) (*engine.Result, []engine.Event) {
	t.Helper()
	h := engine.New(compile(t, s))
	rec := &engine.Recorder{}
	h.Tracer = rec
	return h.Run(src), rec.Events
}

func delivered(ev []engine.Event, actor, round int) bool {
	for _, e := range ev {
		if e.Kind == engine.EvDeliver && e.Actor == actor && e.Round == round {
			return true
		}
	}
	return false
}

// Check 1: a reciprocator with c = 1, b = 2, r = 0, V = 0 has threshold 1/2.
func TestTrustThresholdInEngine(t *testing.T) {
	for _, tc := range []struct {
		pi   float64
		move bool
	}{{0.5, true}, {0.49, false}, {0.51, true}} {
		a := testkit.Actor("A", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
		b := testkit.Actor("B", 0.9,
			testkit.Type("rec", 0.5, scenario.Reciprocator),
			testkit.Type("opp", 0.5, scenario.Opportunist))
		a.Beliefs = map[string]map[string]float64{"B": {"rec": tc.pi, "opp": 1 - tc.pi}}
		moves := []scenario.Move{testkit.Move("mA", "A", 1, "B", 2), testkit.Move("mB", "B", 1, "A", 2)}
		s := testkit.Scenario(1, []scenario.Actor{a, b}, moves, testkit.Phase("mA", "mB"))
		// B is drawn a reciprocator (category 0)
		_, ev := run(t, s, &script{t: t, cats: []int{0}})
		if got := delivered(ev, 0, 1); got != tc.move {
			t.Errorf("π = %v: A delivers = %v, want %v", tc.pi, got, tc.move)
		}
	}
}

// Check 3: Bayes on deliveries seen and cheats detected.
func TestBayesTrust(t *testing.T) {
	build := func(phases int) *scenario.Scenario {
		a := testkit.Actor("A", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
		b := testkit.Actor("B", 0.9,
			testkit.Type("rec", 0.5, scenario.Reciprocator),
			testkit.Type("opp", 0.5, scenario.Opportunist))
		var moves []scenario.Move
		var ph []scenario.Phase
		for k := 0; k < phases; k++ {
			m := testkit.Move(string(rune('a'+k)), "B", 1, "A", 1)
			m.Verification = testkit.F(0.5)
			// a free gesture by A gives B something to gain in every phase
			g := testkit.Move(string(rune('a'+k))+"-gift", "A", 0, "B", 1)
			moves = append(moves, m, g)
			ph = append(ph, testkit.Phase(m.ID, g.ID))
		}
		return testkit.Scenario(phases, []scenario.Actor{a, b}, moves, ph...)
	}
	// reciprocator B delivers twice: no random event but the type
	res, _ := run(t, build(2), &script{t: t, cats: []int{0}})
	if got := res.TrustAt(1, 0, 1); math.Abs(got-2.0/3) > 1e-12 {
		t.Errorf("one seen delivery: trust %v, want 2/3", got)
	}
	if got := res.TrustAt(2, 0, 1); math.Abs(got-0.8) > 1e-12 {
		t.Errorf("two seen deliveries: trust %v, want 0.8", got)
	}
	// opportunist B cheats; the detection draw (d = 0.5) comes out true
	res, ev := run(t, build(1), &script{t: t, cats: []int{1}, bools: []bool{true}})
	if got := res.TrustAt(1, 0, 1); got != 0 {
		t.Errorf("one detected cheat: trust %v, want 0", got)
	}
	found := false
	for _, e := range ev {
		found = found || e.Kind == engine.EvDetect
	}
	if !found {
		t.Error("no detection event")
	}
	// opportunist B cheats undetected: A's trust is 2/3 as for a seen delivery, the phase completes but cheated
	res, _ = run(t, build(1), &script{t: t, cats: []int{1}, bools: []bool{false}})
	if got := res.TrustAt(1, 0, 1); math.Abs(got-2.0/3) > 1e-12 {
		t.Errorf("undetected cheat: trust %v, want 2/3", got)
	}
	if res.Status != engine.CompletedButCheated {
		t.Errorf("status %v, want completed-but-cheated", res.Status)
	}
}

// Check 5: reciprocators with full trust complete a roadmap of K phases in K rounds.
func TestReciprocatorsCompleteInK(t *testing.T) {
	for K := 1; K <= 6; K++ {
		a := testkit.Actor("A", 0.95, testkit.Type("rec", 1, scenario.Reciprocator))
		b := testkit.Actor("B", 0.95, testkit.Type("rec", 1, scenario.Reciprocator))
		var moves []scenario.Move
		var ph []scenario.Phase
		for k := 0; k < K; k++ {
			ma := testkit.Move(string(rune('a'+k))+"A", "A", 0.5, "B", 1)
			mb := testkit.Move(string(rune('a'+k))+"B", "B", 0.5, "A", 1)
			ma.Reversible = 0.5
			moves = append(moves, ma, mb)
			p := testkit.Phase(ma.ID, mb.ID)
			if k%2 == 1 {
				p.Order, p.Sequence = "sequential", []string{"B", "A"}
			}
			ph = append(ph, p)
		}
		s := testkit.Scenario(K+3, []scenario.Actor{a, b}, moves, ph...)
		res, _ := run(t, s, &script{t: t})
		if res.Status != engine.Completed || res.Rounds != K {
			t.Errorf("K = %d: %v in %d rounds, want completed in %d", K, res.Status, res.Rounds, K)
		}
	}
}
