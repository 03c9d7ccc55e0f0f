package montecarlo_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/parleyhq/parley/internal/testkit"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/montecarlo"
	"github.com/parleyhq/parley/scenario"
)

// korea compiles every roadmap of the built-in korea scenario: four actors,
// several types each, and five roadmaps, the status quo among them.
func korea(t testing.TB) []*model.Roadmap {
	t.Helper()
	s, err := scenario.Builtin("korea")
	if err != nil {
		t.Fatal(err)
	}
	rs, err := model.CompileAll(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) < 3 {
		t.Fatalf("korea has %d roadmaps, want several", len(rs))
	}
	return rs
}

// noisy is a cheap two-actor scenario in which every source of randomness is
// on (type draws, logit decisions, noise, detection, misperception, a shock),
// with two roadmaps that order the same four moves differently.
func noisy(t testing.TB) []*model.Roadmap {
	t.Helper()
	a := testkit.Actor("A", 0.9,
		testkit.Type("rec", 0.6, scenario.Reciprocator),
		testkit.Type("hard", 0.4, scenario.Hardliner))
	b := testkit.Actor("B", 0.9,
		testkit.Type("rec", 0.5, scenario.Reciprocator),
		testkit.Type("opp", 0.5, scenario.Opportunist))
	a.LastingValue, b.LastingValue = 0.1, 0.1
	b.Insecurity, b.InsecurityWeight = 0.5, 1
	b.Response = scenario.Response{Kind: scenario.Grim}
	a1 := testkit.Move("a1", "A", 0.3, "B", 0.7)
	a1.Security = map[string]float64{"B": 0.4}
	a1.Reversible = 0.5
	b1 := testkit.Move("b1", "B", 0.3, "A", 0.7)
	b1.Verification = testkit.F(0.6)
	b1.SecurityRelevant = true
	a2 := testkit.Move("a2", "A", 0.4, "B", 0.8)
	a2.Reversible = 1
	b2 := testkit.Move("b2", "B", 0.4, "A", 0.8)
	b2.Verification = testkit.F(0.8)
	s := testkit.Scenario(12, []scenario.Actor{a, b}, []scenario.Move{a1, b1, a2, b2},
		testkit.Phase("a1", "b1"), testkit.Phase("a2", "b2"))
	s.Roadmaps = append(s.Roadmaps, scenario.Roadmap{ID: "seq", Phases: []scenario.Phase{
		{Moves: []string{"b1", "a1"}, Order: "sequential", Sequence: []string{"B", "A"}},
		{Moves: []string{"a2", "b2"}, Order: "sequential", Sequence: []string{"A", "B"}},
	}})
	s.Environment.Rationality = 8
	s.Environment.Noise = 0.05
	s.Environment.Misperception = 0.1
	s.Environment.ThreatResponse = 0.2
	s.Environment.Shocks = []scenario.Shock{{ID: "scare", Probability: 0.05, Target: "B", Insecurity: testkit.F(0.3)}}
	s.Milestones = []scenario.Milestone{{ID: "first", Moves: []string{"a1", "b1"}}, {ID: "all", Moves: []string{"a1", "b1", "a2", "b2"}}}
	rs, err := model.CompileAll(s)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// floatFields lists every []float64 field of a Summary by name, in declaration order.
func floatFields(s *montecarlo.Summary) map[string][]float64 {
	out := map[string][]float64{}
	v := reflect.ValueOf(s).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		if x, ok := v.Field(i).Interface().([]float64); ok {
			out[f.Name] = x
		}
	}
	return out
}

// integerFields are the fields that, with weight 1 per history, hold counts:
// their floating-point sums are exact whatever the order of addition.
var integerFields = []string{"MsReach", "MsBelieved", "TypeW"}

// near reports whether a and b agree to tol relative to the larger magnitude (absolute below 1).
func near(a, b, tol float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= tol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// sameCounts fails unless a and b hold the same histories, outcomes, causes,
// milestone rounds and type draws exactly, and every other sum within tol.
func sameCounts(t *testing.T, what string, a, b *montecarlo.Summary, tol float64) {
	t.Helper()
	if a.Count != b.Count || a.N != b.N {
		t.Errorf("%s: count %d/%v vs %d/%v", what, a.Count, a.N, b.Count, b.N)
	}
	if a.Status != b.Status {
		t.Errorf("%s: status %v vs %v", what, a.Status, b.Status)
	}
	if !reflect.DeepEqual(a.Causes, b.Causes) {
		t.Errorf("%s: causes %v vs %v", what, a.Causes, b.Causes)
	}
	if a.Rounds != b.Rounds || a.Rounds2 != b.Rounds2 {
		t.Errorf("%s: rounds %v/%v vs %v/%v", what, a.Rounds, a.Rounds2, b.Rounds, b.Rounds2)
	}
	fa, fb := floatFields(a), floatFields(b)
	exact := map[string]bool{}
	for _, n := range integerFields {
		exact[n] = true
	}
	for name, xa := range fa {
		xb := fb[name]
		if len(xa) != len(xb) {
			t.Errorf("%s: %s has %d vs %d entries", what, name, len(xa), len(xb))
			continue
		}
		for i := range xa {
			if exact[name] && xa[i] != xb[i] || !exact[name] && !near(xa[i], xb[i], tol) {
				t.Errorf("%s: %s[%d] = %v vs %v", what, name, i, xa[i], xb[i])
				break
			}
		}
	}
}
