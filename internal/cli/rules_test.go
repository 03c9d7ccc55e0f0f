package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const ruleScenarioYAML = `name: rules
environment: {horizon: 8, rationality: inf}
actors:
  - id: A
    discount: 0.9
    response: {strategy: SuspiciousTitForTat}
    types: [{id: rec, prior: 1, disposition: reciprocator}]
  - id: B
    discount: 0.9
    types: [{id: rec, prior: 1, disposition: reciprocator}]
moves:
  - {id: a1, by: A, cost: 0.5, benefit: {B: 1}}
  - {id: b1, by: B, cost: 0.5, benefit: {A: 1}}
roadmaps:
  - id: r
    phases: [{moves: [a1, b1]}]
`

// A scenario file naming a catalogue rule runs through the commands: the
// suspicious opening costs one round, and the trace says why.
func TestCatalogueRuleThroughCommands(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "rules.yaml"), []byte(ruleScenarioYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	trace := mustRun(t, dir, "trace", "rules.yaml")
	for _, want := range []string{
		"A follows its rule SuspiciousTitForTat, which answers B with D: it declines this round",
		"Outcome: completed after 2 rounds.",
	} {
		if !strings.Contains(trace, want) {
			t.Errorf("the trace lacks %q:\n%s", want, trace)
		}
	}
	c := decodeComparison(t, mustRun(t, dir, "compare", "rules.yaml", "--exact", "--format", "json"))
	if got := c.Roadmaps[0].Outcomes[0]; got.Name != "completed" || got.P != 1 {
		t.Errorf("first outcome %+v, want completed with probability 1", got)
	}
	bad := strings.Replace(ruleScenarioYAML, "SuspiciousTitForTat", "SuspiciousTitForTatt", 1)
	if err := os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runQuiet(t, dir, ExitUsage, "compare", "bad.yaml")
	if want := `bad.yaml:6:26: actors[0].response.strategy: unknown strategy "SuspiciousTitForTatt"; did you mean SuspiciousTitForTat`; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr %q, want it to contain %q", r.stderr, want)
	}
}
