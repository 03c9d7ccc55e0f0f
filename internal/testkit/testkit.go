// Package testkit builds small scenarios in Go for the tests of the engine, the audit and the Monte Carlo.
package testkit

import (
	"math"

	"github.com/parleyhq/parley/scenario"
)

// F returns a pointer to v.
func F(v float64) *float64 { return &v }

// I returns a pointer to v.
func I(v int) *int { return &v }

// Type is a type with a prior and a disposition.
func Type(id string, prior float64, d scenario.Disposition) scenario.Type {
	return scenario.Type{ID: id, Prior: prior, Disposition: d}
}

// Actor is an actor with the given discount and types.
func Actor(id string, discount float64, types ...scenario.Type) scenario.Actor {
	return scenario.Actor{ID: id, Discount: discount, Types: types, Response: scenario.Response{Kind: scenario.TitForTat}}
}

// Move is a move by `by` with a cost and a benefit to one recipient, fully verified and irreversible.
func Move(id, by string, cost float64, to string, benefit float64) scenario.Move {
	return scenario.Move{ID: id, By: by, Cost: cost, Benefit: map[string]float64{to: benefit}}
}

// Phase is a simultaneous phase.
func Phase(moves ...string) scenario.Phase { return scenario.Phase{Moves: moves} }

// Scenario assembles a scenario with deterministic rules (λ = inf), no noise
// and the given horizon; one roadmap "r" holds the phases.
func Scenario(horizon int, actors []scenario.Actor, moves []scenario.Move, phases ...scenario.Phase) *scenario.Scenario {
	return &scenario.Scenario{
		Name: "test",
		Environment: scenario.Environment{
			Horizon:         horizon,
			Rationality:     scenario.Rationality(math.Inf(1)),
			StalemateRounds: 4,
			RoundLength:     "1 round",
		},
		Actors:   actors,
		Moves:    moves,
		Roadmaps: []scenario.Roadmap{{ID: "r", Phases: phases}},
	}
}
