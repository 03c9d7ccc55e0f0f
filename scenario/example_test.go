package scenario_test

import (
	"fmt"

	"github.com/parleyhq/parley/scenario"
)

func ExampleLoad() {
	src := []byte(`name: example
environment:
  horizon: 2
actors:
  - id: US
    discount: 0.9
    types:
      - {id: dove, prior: 0.6, disposition: reciprocator}
      - {id: hawk, prior: 0.3, disposition: opportunist}
  - id: DPRK
    discount: 0.9
    types: [{id: t, prior: 1, disposition: reciprocator}]
moves:
  - {id: declaration, by: US, cost: 1, benefit: {DPRK: 2}}
  - {id: freeze, by: DPRK, cost: 2, benefit: {US: 3}, tranches: 3}
roadmaps:
  - id: peace-first
    phases:
      - moves: [declaration]
      - moves: [freeze]
        order: sequential
        sequence: [US, DPRK]
`)
	_, err := scenario.Load("example.yaml", src)
	fmt.Println(err)
	// Output:
	// example.yaml:8:7: actors[0].types: the priors of actor US's types sum to 0.9; they must sum to 1
	// example.yaml:17:5: roadmaps[0]: roadmap peace-first needs 4 rounds after tranche expansion but horizon is 2; raise environment.horizon to at least 4, or use fewer phases or tranches
	// example.yaml:22:20: roadmaps[0].phases[1].sequence[0]: sequence names US, which has no move in this phase; list only the actors with a move in it (DPRK)
}

func ExampleBuiltin() {
	s, err := scenario.Builtin("tiny")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Title)
	for _, r := range s.Roadmaps {
		fmt.Printf("%s: %d phases, baseline %v\n", r.ID, len(r.Phases), r.Baseline)
	}
	fmt.Println("horizon", s.Environment.Horizon, "rationality", s.Environment.Rationality)
	// Output:
	// A guarantee for a freeze
	// peace-first: 2 phases, baseline false
	// status-quo: 0 phases, baseline true
	// horizon 10 rationality 20
}
