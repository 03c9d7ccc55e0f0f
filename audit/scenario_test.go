package audit_test

import (
	"testing"

	"github.com/parleyhq/parley/internal/testkit"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/scenario"
)

// peaceFirst is the small two-party scenario of the golden files and of
// docs/audit.md: a peace declaration and a freeze, then sanctions relief and
// dismantlement in two tranches each.
func peaceFirst() *scenario.Scenario {
	us := testkit.Actor("US", 0.9,
		testkit.Type("rec", 0.6, scenario.Reciprocator),
		testkit.Type("opp", 0.4, scenario.Opportunist))
	dprk := testkit.Actor("DPRK", 0.9,
		testkit.Type("rec", 0.5, scenario.Reciprocator),
		testkit.Type("opp", 0.3, scenario.Opportunist),
		testkit.Type("hard", 0.2, scenario.Hardliner))
	dprk.Insecurity, dprk.InsecurityWeight = 0.6, 1
	us.LastingValue, dprk.LastingValue = 0.1, 0.1

	peace := testkit.Move("peace", "US", 0.4, "DPRK", 1)
	peace.Security = map[string]float64{"DPRK": 0.5}
	peace.Reversible = 0.5
	freeze := testkit.Move("freeze", "DPRK", 0.6, "US", 0.8)
	freeze.SecurityRelevant = true
	freeze.Verification = testkit.F(0.7)
	relief := testkit.Move("relief", "US", 0.8, "DPRK", 1.2)
	relief.Reversible = 0.8
	relief.Tranches = testkit.I(2)
	dismantle := testkit.Move("dismantle", "DPRK", 1.5, "US", 2)
	dismantle.SecurityRelevant = true
	dismantle.Verification = testkit.F(0.8)
	dismantle.Tranches = testkit.I(2)

	s := testkit.Scenario(20, []scenario.Actor{us, dprk},
		[]scenario.Move{peace, freeze, relief, dismantle},
		testkit.Phase("peace", "freeze"), testkit.Phase("relief", "dismantle"))
	s.Name = "peace-first"
	s.Roadmaps[0].Label = "peace first"
	return s
}

func compile(t *testing.T, s *scenario.Scenario) *model.Roadmap {
	t.Helper()
	r, err := model.Compile(s, "r")
	if err != nil {
		t.Fatal(err)
	}
	return r
}
