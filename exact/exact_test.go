package exact_test

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/exact"
	"github.com/parleyhq/parley/internal/testkit"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/montecarlo"
	"github.com/parleyhq/parley/scenario"
)

// small builds a two-actor scenario with two types each, up to three phases
// and a horizon of six, with every source of randomness switched on.
func small(lambda float64, response scenario.Response, invited bool) *scenario.Scenario {
	a := testkit.Actor("A", 0.9,
		testkit.Type("rec", 0.6, scenario.Reciprocator),
		testkit.Type("hard", 0.4, scenario.Hardliner))
	b := testkit.Actor("B", 0.85,
		testkit.Type("rec", 0.5, scenario.Reciprocator),
		testkit.Type("opp", 0.5, scenario.Opportunist))
	a.Response, b.Response = response, response
	a.Symbolic = testkit.F(0.3)
	b.Insecurity, b.InsecurityWeight = 0.6, 1
	a.LastingValue, b.LastingValue = 0.05, 0.05
	a.Beliefs = map[string]map[string]float64{"B": {"rec": 0.7, "opp": 0.3}}
	pledge := testkit.Move("pledge", "A", 0.2, "B", 0.5)
	pledge.Security = map[string]float64{"B": 0.5}
	pledge.Reversible = 0.5
	freeze := testkit.Move("freeze", "B", 0.4, "A", 0.6)
	freeze.SecurityRelevant = true
	freeze.Verification = testkit.F(0.6)
	relief := testkit.Move("relief", "A", 0.5, "B", 0.8)
	relief.Reversible = 1
	dismantle := testkit.Move("dismantle", "B", 0.6, "A", 1)
	dismantle.SecurityRelevant = true
	dismantle.Verification = testkit.F(0.8)
	p1 := testkit.Phase("pledge")
	if invited {
		p1 = scenario.Phase{Moves: []string{"pledge", "freeze"}, Reciprocation: "invited", Initiator: "A", Wait: testkit.I(1)}
	}
	p2 := scenario.Phase{Moves: []string{"relief", "dismantle"}, Order: "sequential", Sequence: []string{"B", "A"}}
	phases := []scenario.Phase{p1, p2}
	if !invited {
		phases = []scenario.Phase{p1, testkit.Phase("freeze"), p2}
	}
	s := testkit.Scenario(6, []scenario.Actor{a, b}, []scenario.Move{pledge, freeze, relief, dismantle}, phases...)
	s.Environment.Rationality = scenario.Rationality(lambda)
	s.Environment.Noise = 0.1
	s.Environment.Misperception = 0.2
	if !math.IsInf(lambda, 1) {
		// logit decisions branch at every step: keep the tree small enough to enumerate
		s.Environment.Misperception = 0
		s.Environment.Horizon = 5
	}
	s.Environment.ThreatResponse = 0.3
	s.Environment.StalemateRounds = 2
	s.Environment.Shocks = []scenario.Shock{{ID: "scare", Probability: 0.1, Target: "B", Trust: testkit.F(0.5)}}
	s.Milestones = []scenario.Milestone{{ID: "freeze", Moves: []string{"freeze"}}, {ID: "all", Moves: []string{"pledge", "freeze", "relief", "dismantle"}}}
	if invited {
		s.Roadmaps[0].Persistence = testkit.I(1)
	}
	return s
}

func TestMonteCarloAgreesWithExact(t *testing.T) {
	inf := math.Inf(1)
	cases := []struct {
		name string
		s    *scenario.Scenario
	}{
		{"deterministic tit-for-tat", small(inf, scenario.Response{Kind: scenario.TitForTat}, false)},
		{"logit generous", small(3, scenario.Response{Kind: scenario.Generous, Forgiveness: 0.3}, false)},
		{"deterministic grim invited", small(inf, scenario.Response{Kind: scenario.Grim}, true)},
		{"logit patient invited", small(5, scenario.Response{Kind: scenario.Patient, Tolerance: 1}, true)},
	}
	const runs = 20000
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := model.Compile(tc.s, "r")
			if err != nil {
				t.Fatal(err)
			}
			ex, err := exact.Solve(context.Background(), r, 2_000_000)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(ex.N-1) > 1e-9 {
				t.Fatalf("exact probabilities sum to %v", ex.N)
			}
			mc, err := montecarlo.Run(context.Background(), r, montecarlo.Options{Runs: runs, Seed: 7, Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			type pair struct {
				what     string
				exact, m float64
			}
			var ps []pair
			for st := engine.Status(0); st < engine.NumStatus; st++ {
				ps = append(ps, pair{"P(" + st.String() + ")", ex.Prob(st), mc.Prob(st)})
			}
			for m := range r.Milestones {
				for tt := 1; tt <= r.Horizon; tt++ {
					ps = append(ps, pair{r.Milestones[m].ID + " by round", ex.MilestoneBy(m, tt), mc.MilestoneBy(m, tt)})
					ps = append(ps, pair{r.Milestones[m].ID + " believed by round", ex.MilestoneBelievedBy(m, tt), mc.MilestoneBelievedBy(m, tt)})
				}
			}
			z := distuv.UnitNormal.Quantile(1 - 0.01/2/float64(len(ps)))
			nontrivial := 0
			for _, p := range ps {
				sd := math.Sqrt(p.exact * (1 - p.exact) / runs)
				if sd == 0 {
					if p.m != p.exact {
						t.Errorf("%s: exact %v is certain, Monte Carlo %v", p.what, p.exact, p.m)
					}
					continue
				}
				nontrivial++
				if math.Abs(p.m-p.exact) > z*sd {
					t.Errorf("%s: Monte Carlo %.5f, exact %.5f, beyond %.2f sd (%.5f)", p.what, p.m, p.exact, z, z*sd)
				}
			}
			if nontrivial < 5 {
				t.Errorf("only %d uncertain probabilities: the scenario does not exercise the engine", nontrivial)
			}
			t.Logf("%d distinct histories; %d probabilities checked (z = %.2f); P(completed) = %.4f", ex.Count, len(ps), z, ex.Prob(engine.Completed))
		})
	}
}
