package scenario

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

// goScenario is a valid scenario built in Go, with the zero values that
// stand for defaults (horizon, rationality, order, response, ...).
func goScenario() *Scenario {
	types := func() []Type {
		return []Type{{ID: "dove", Prior: 0.7, Disposition: Reciprocator}, {ID: "hawk", Prior: 0.3, Disposition: Opportunist}}
	}
	return &Scenario{
		Name: "go-built",
		Actors: []Actor{
			{ID: "US", Discount: 0.9, Types: types()},
			{ID: "DPRK", Discount: 0.9, Insecurity: 0.8, InsecurityWeight: 1, Types: types(),
				Beliefs: map[string]map[string]float64{"US": {"dove": 0.1, "hawk": 0.9}}},
		},
		Moves: []Move{
			{ID: "declaration", By: "US", Cost: 1, Benefit: map[string]float64{"DPRK": 1}, Security: map[string]float64{"DPRK": 0.5}},
			{ID: "freeze", By: "DPRK", Cost: 2, Benefit: map[string]float64{"US": 3}, SecurityRelevant: true},
		},
		Roadmaps: []Roadmap{
			{ID: "peace-first", Phases: []Phase{{Moves: []string{"declaration"}}, {Moves: []string{"freeze"}}}},
			{ID: "status-quo", Baseline: true},
		},
	}
}

func TestValidateGoBuilt(t *testing.T) {
	tests := []struct {
		name   string
		change func(s *Scenario)
		want   string // "" for valid
	}{
		{"zero values stand for defaults", func(s *Scenario) {}, ""},
		{"explicit values", func(s *Scenario) {
			s.Environment = Environment{Horizon: 2, Rationality: Rationality(math.Inf(1)), StalemateRounds: 1, RoundLength: "1 year"}
			s.Actors[0].Response = Response{Kind: Generous, Forgiveness: 0}
			s.Actors[1].Response = Response{Kind: Patient, Tolerance: 1}
			s.Roadmaps[0].Phases[0].Order = OrderSimultaneous
			s.Roadmaps[0].Phases[1].Reciprocation = ReciprocationRequired
		}, ""},
		{"beliefs summing to 1 up to rounding", func(s *Scenario) {
			s.Actors[0].Types = []Type{{ID: "a", Prior: 0.1, Disposition: Reciprocator}, {ID: "b", Prior: 0.2, Disposition: Opportunist}, {ID: "c", Prior: 0.7, Disposition: Hardliner}}
			s.Actors[1].Beliefs["US"] = map[string]float64{"a": 0.1, "b": 0.2, "c": 0.7}
		}, ""},
		{"invited sequential phase starts with its sequence", func(s *Scenario) {
			s.Roadmaps[0].Phases = []Phase{{Moves: []string{"declaration", "freeze"}, Order: OrderSequential,
				Sequence: []string{"DPRK", "US"}, Reciprocation: ReciprocationInvited, Wait: ip(1)}}
		}, ""},
		{"negative horizon", func(s *Scenario) { s.Environment.Horizon = -1 },
			"environment.horizon: must be at least 1 round, got -1"},
		{"NaN rationality", func(s *Scenario) { s.Environment.Rationality = Rationality(math.NaN()) },
			"environment.rationality: must be greater than 0 (or inf for the deterministic rules), got NaN"},
		{"default horizon is too short", func(s *Scenario) {
			s.Roadmaps[0].Phases = nil
			for i := range 41 {
				id := fmt.Sprintf("m%d", i)
				s.Moves = append(s.Moves, Move{ID: id, By: "US", Cost: 1})
				s.Roadmaps[0].Phases = append(s.Roadmaps[0].Phases, Phase{Moves: []string{id}})
			}
		}, "roadmaps[0]: roadmap peace-first has 41 phases but horizon is 40; raise environment.horizon to at least 41, or use fewer phases"},
		{"tranches count against the default horizon", func(s *Scenario) {
			s.Moves[0].Tranches = ip(39)
			s.Moves[1].Tranches = ip(2)
		}, "roadmaps[0]: roadmap peace-first needs 41 rounds after tranche expansion but horizon is 40; raise environment.horizon to at least 41, or use fewer phases or tranches"},
		{"response parameters on the wrong kinds", func(s *Scenario) {
			s.Actors[0].Response = Response{Kind: Grim, Forgiveness: 0.5}
			s.Actors[1].Response = Response{Tolerance: 3}
		}, strings.Join([]string{
			"actors[0].response: forgiveness 0.5 applies only to generous, but the response is grim",
			"actors[1].response: tolerance 3 applies only to patient, but the response is tit-for-tat",
		}, "\n")},
		{"bad responses", func(s *Scenario) {
			s.Actors[0].Response = Response{Kind: "nice"}
			s.Actors[1].Response = Response{Kind: Patient}
		}, strings.Join([]string{
			`actors[0].response: unknown response "nice"; expected grim, tit-for-tat, generous, patient or a strategy`,
			"actors[1].response.patient: patient tolerance must be at least 1 defection (patient 0 would be grim), got 0",
		}, "\n")},
		{"empty references", func(s *Scenario) {
			s.Moves[0].By = ""
			s.Environment.Shocks = []Shock{{ID: "s", Probability: 0.5, Insecurity: fp(0.1)}}
			s.Actors[0].Types[0].Disposition = ""
		}, strings.Join([]string{
			"actors[0].types[0].disposition: the type has no disposition; expected reciprocator, opportunist or hardliner",
			"environment.shocks[0].target: is empty; expected the actor the shock is about, one of: US, DPRK",
			"moves[0].by: is empty; expected the actor making the move, one of: US, DPRK",
		}, "\n")},
		{"non-finite numbers", func(s *Scenario) {
			s.Moves[0].Cost = math.NaN()
			s.Moves[1].Benefit["US"] = math.Inf(1)
			s.Actors[0].LastingValue = math.Inf(1)
			s.Actors[1].Types[0].Prior = math.NaN()
		}, strings.Join([]string{
			"actors[0].lasting_value: must be a finite number of 0 or more, got +Inf",
			"actors[1].types[0].prior: must be a probability between 0 and 1, got NaN",
			"moves[0].cost: must be a finite number of 0 or more, got NaN",
			"moves[1].benefit.US: must be a finite number of 0 or more, got +Inf",
		}, "\n")},
		{"nothing at all", func(s *Scenario) { *s = Scenario{} }, strings.Join([]string{
			"actors: the scenario has no actors; it needs at least two",
			"name: the scenario has no name; give it a short one of letters, digits, '-' and '_'",
			"roadmaps: the scenario has no roadmaps; it needs at least one",
		}, "\n")},
		{"ids with dots are quoted in paths", func(s *Scenario) {
			s.Actors[1].ID = "D.P.R.K"
			s.Moves[0].Benefit = map[string]float64{"D.P.R.K": -1}
			s.Moves[0].Security = nil
			s.Moves[1].By = "D.P.R.K"
			s.Actors[1].Beliefs = nil
		}, `moves[0].benefit["D.P.R.K"]: negative benefit -1 is not allowed; a benefit must be 0 or more (model a loss to the recipient as a cost to it)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := goScenario()
			tc.change(s)
			err := Validate(s)
			if tc.want == "" {
				if err != nil {
					t.Errorf("Validate:\n%v\nwant nil", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Validate = %T %v, want *Error", err, err)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("Validate:\n%s\nwant:\n%s", got, tc.want)
			}
			for _, p := range e.Problems {
				if p.File != "" || p.Line != 0 || p.Column != 0 {
					t.Errorf("problem %q has a position; a scenario built in Go has none", p)
				}
			}
		})
	}
}

// TestValidateSortsPathsNaturally checks that actors[2] comes before
// actors[10] in the list of problems.
func TestValidateSortsPathsNaturally(t *testing.T) {
	s := goScenario()
	for i := range 10 {
		s.Actors = append(s.Actors, Actor{ID: fmt.Sprintf("a%d", i), Discount: 0.5, Types: []Type{{ID: "t", Prior: 1, Disposition: Hardliner}}})
	}
	s.Actors[10].Discount = 2
	s.Actors[2].Discount = 0
	want := "actors[2].discount: must be greater than 0 and at most 1, got 0\n" +
		"actors[10].discount: must be greater than 0 and at most 1, got 2"
	if err := Validate(s); err == nil || err.Error() != want {
		t.Errorf("Validate:\n%v\nwant:\n%s", err, want)
	}
}

func TestValidateNil(t *testing.T) {
	if err := Validate(nil); err == nil || err.Error() != "no scenario (nil)" {
		t.Errorf("Validate(nil) = %v", err)
	}
}

func TestValidateDoesNotChangeTheScenario(t *testing.T) {
	s := goScenario()
	s.Roadmaps[0].Phases[0].Moves = append(s.Roadmaps[0].Phases[0].Moves, "unknown")
	before := goScenario()
	before.Roadmaps[0].Phases[0].Moves = append(before.Roadmaps[0].Phases[0].Moves, "unknown")
	_ = Validate(s)
	if !reflect.DeepEqual(s, before) {
		t.Errorf("Validate changed the scenario")
	}
}

// TestLoadedScenariosValidate: whatever Load accepts, Validate accepts too.
func TestLoadedScenariosValidate(t *testing.T) {
	for _, name := range BuiltinNames() {
		s, err := Builtin(name)
		if err != nil {
			continue // reported by TestBuiltinsLoad
		}
		if err := Validate(s); err != nil {
			t.Errorf("%s: Validate after Load: %v", name, err)
		}
	}
}
