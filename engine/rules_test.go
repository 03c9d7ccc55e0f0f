package engine_test

import (
	"context"
	"errors"
	"testing"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/exact"
	"github.com/parleyhq/parley/internal/testkit"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/scenario"
)

// ruleScenario: A follows a catalogue rule, B is a plain reciprocator; two
// simultaneous phases in which both pay 0.5 and receive 1, irreversibly.
func ruleScenario(rule string) *scenario.Scenario {
	a := testkit.Actor("A", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
	a.Response = scenario.Response{Kind: scenario.Strategy, StrategyName: rule}
	b := testkit.Actor("B", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
	moves := []scenario.Move{
		testkit.Move("a1", "A", 0.5, "B", 1), testkit.Move("b1", "B", 0.5, "A", 1),
		testkit.Move("a2", "A", 0.5, "B", 1), testkit.Move("b2", "B", 0.5, "A", 1),
	}
	return testkit.Scenario(8, []scenario.Actor{a, b}, moves, testkit.Phase("a1", "b1"), testkit.Phase("a2", "b2"))
}

func kinds(ev []engine.Event, actor int, k engine.EventKind) []int {
	var rounds []int
	for _, e := range ev {
		if e.Kind == k && e.Actor == actor {
			rounds = append(rounds, e.Round)
		}
	}
	return rounds
}

// A suspicious tit-for-tat opens with D, so A declines in round 1 although it
// trusts B fully; then it copies B's cooperation and the roadmap completes.
func TestCatalogueRuleSuspiciousTitForTat(t *testing.T) {
	res, ev := run(t, ruleScenario("SuspiciousTitForTat"), &script{t: t})
	if got := kinds(ev, 0, engine.EvRule); len(got) != 1 || got[0] != 1 {
		t.Errorf("A's rule said D in rounds %v, want [1]", got)
	}
	if got := kinds(ev, 0, engine.EvDecline); len(got) != 1 || got[0] != 1 {
		t.Errorf("A declined in rounds %v, want [1]", got)
	}
	if got := kinds(ev, 0, engine.EvDeliver); len(got) != 2 || got[0] != 2 || got[1] != 3 {
		t.Errorf("A delivered in rounds %v, want [2 3]", got)
	}
	if res.Status != engine.Completed || res.Rounds != 3 {
		t.Errorf("%v after %d rounds, want completed after 3", res.Status, res.Rounds)
	}
	// the rule replaces the response policies: B's decline-free history aside,
	// A never withdraws anything
	if got := kinds(ev, 0, engine.EvWithdraw); len(got) != 0 {
		t.Errorf("A withdrew in rounds %v, want never", got)
	}
}

// A defector never delivers; the talks stall (B's delivery in round 1 is
// progress, then four rounds without any end them after round 5), and B
// learns nothing about A's type from declines that every type of A would make.
func TestCatalogueRuleDefector(t *testing.T) {
	s := ruleScenario("Defector")
	s.Actors[0].Types = []scenario.Type{testkit.Type("rec", 0.5, scenario.Reciprocator), testkit.Type("opp", 0.5, scenario.Opportunist)}
	res, ev := run(t, s, &script{t: t, cats: []int{0}})
	if res.Status != engine.Stalemate || res.Rounds != 5 {
		t.Errorf("%v after %d rounds, want a stalemate after 5", res.Status, res.Rounds)
	}
	if got := kinds(ev, 0, engine.EvDeliver); len(got) != 0 {
		t.Errorf("A delivered in rounds %v, want never", got)
	}
	for r := 0; r <= res.Rounds; r++ {
		if got := res.TrustAt(r, 1, 0); got != 0.5 {
			t.Errorf("B's trust in A after round %d is %v, want the prior 0.5", r, got)
		}
	}
}

// The exact solver enumerates deterministic rules and refuses stochastic ones.
func TestExactWithCatalogueRules(t *testing.T) {
	r, err := model.Compile(ruleScenario("TitForTat"), "r")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := exact.Solve(context.Background(), r, 1000)
	if err != nil || sum.Prob(engine.Completed) != 1 {
		t.Errorf("TitForTat: %v, P(completed) = %v; want 1", err, sum.Prob(engine.Completed))
	}
	r, err = model.Compile(ruleScenario("Random(0.5)"), "r")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exact.Solve(context.Background(), r, 1000); !errors.Is(err, exact.ErrStochasticRule) {
		t.Errorf("Random(0.5): error %v, want ErrStochasticRule", err)
	}
}

// A stochastic rule draws from a stream seeded by the history: the same
// seed gives the same history, and histories differ.
func TestCatalogueRuleRandomIsSeeded(t *testing.T) {
	r, err := model.Compile(ruleScenario("Random(0.5)"), "r")
	if err != nil {
		t.Fatal(err)
	}
	h := engine.New(r)
	var src engine.PCG
	rounds := map[int]int{}
	for n := uint64(0); n < 200; n++ {
		src.Seed(9, n)
		a := h.Run(&src).Rounds
		src.Seed(9, n)
		if b := h.Run(&src).Rounds; a != b {
			t.Fatalf("history %d: %d then %d rounds", n, a, b)
		}
		rounds[a]++
	}
	if len(rounds) < 2 {
		t.Errorf("every history lasted the same: %v", rounds)
	}
}

// Histories with catalogue rules allocate nothing either, for a deterministic
// and a stochastic rule with memory.
func TestCatalogueRulesAllocateNothing(t *testing.T) {
	for _, rule := range []string{"TitForTat", "Gradual", "GTFT(0.3)", "FirstByDowning"} {
		r, err := model.Compile(ruleScenario(rule), "r")
		if err != nil {
			t.Fatal(err)
		}
		h := engine.New(r)
		var src engine.PCG
		n := uint64(0)
		h.Run(&src)
		allocs := testing.AllocsPerRun(100, func() {
			src.Seed(3, n)
			n++
			h.Run(&src)
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per history, want 0", rule, allocs)
		}
	}
}
