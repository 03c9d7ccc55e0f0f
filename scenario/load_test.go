package scenario

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The expectations below were written by reading each file and checking that
// every line:column points at the token the message is about.
var badFiles = []struct {
	file string // under testdata/bad
	want string // the full error text
}{
	{"bad-ids.yaml", `testdata/bad/bad-ids.yaml:1:7: name: "korea 2018" is not a valid name; use only letters, digits, '-' and '_'
testdata/bad/bad-ids.yaml:3:9: actors[0].id: "United States" is not a valid id; use only letters, digits, '-', '_' and '.'
testdata/bad/bad-ids.yaml:5:18: actors[0].types[0].id: the type has no id; give it one of letters, digits, '-', '_' and '.'
testdata/bad/bad-ids.yaml:8:18: actors[1].types[0].id: "t/1" is not a valid id; use only letters, digits, '-', '_' and '.'
testdata/bad/bad-ids.yaml:10:10: moves[0].id: the move has no id; give it one of letters, digits, '-', '_' and '.'
testdata/bad/bad-ids.yaml:12:10: roadmaps[0].id: "peace first" is not a valid id; use only letters, digits, '-', '_' and '.'`},
	{"beliefs.yaml", `testdata/bad/beliefs.yaml:6:45: actors[0].beliefs.DPRK.dove: unknown type "dove" of actor DPRK; expected one of: reformer, hardliner
testdata/bad/beliefs.yaml:7:7: actors[0].beliefs.US: an actor holds no beliefs about itself; list only the others (DPRK)
testdata/bad/beliefs.yaml:8:7: actors[0].beliefs.ROK: unknown actor "ROK"; expected one of: DPRK
testdata/bad/beliefs.yaml:13:11: actors[1].beliefs.US: the beliefs about US sum to 0.5; they must sum to 1`},
	{"bounds.yaml", `testdata/bad/bounds.yaml:5:24: actors[0].insecurity_weight: must be 0 or more, got -1
testdata/bad/bounds.yaml:6:15: actors[0].symbolic: must be 0 or more, got -0.5
testdata/bad/bounds.yaml:7:20: actors[0].lasting_value: must be 0 or more, got -2
testdata/bad/bounds.yaml:9:61: actors[0].types[0].symbolic: must be 0 or more, got -1
testdata/bad/bounds.yaml:9:80: actors[0].types[0].lasting_value: must be 0 or more, got -1
testdata/bad/bounds.yaml:12:44: actors[1].types[0].disposition: unknown disposition "nice"; expected reciprocator, opportunist or hardliner`},
	{"comments-only.yaml", `testdata/bad/comments-only.yaml: the file is empty; expected a scenario with name, actors, moves and roadmaps`},
	{"discount-lasting-value.yaml", `testdata/bad/discount-lasting-value.yaml:4:15: actors[0].discount: a discount of 1 makes a positive lasting value (lasting_value 2) worth an infinite amount; use a discount below 1, such as 0.95, or drop the lasting value
testdata/bad/discount-lasting-value.yaml:8:15: actors[1].discount: a discount of 1 makes a positive lasting value (lasting_value 0.5 of type reformer) worth an infinite amount; use a discount below 1, such as 0.95, or drop the lasting value
testdata/bad/discount-lasting-value.yaml:13:15: actors[2].discount: must be greater than 0 and at most 1, got 0
testdata/bad/discount-lasting-value.yaml:16:15: actors[3].discount: must be greater than 0 and at most 1, got 1.5`},
	{"duplicate-ids.yaml", `testdata/bad/duplicate-ids.yaml:5:12: environment.shocks[1].id: duplicate shock id "s" (also environment.shocks[0]); ids must be unique
testdata/bad/duplicate-ids.yaml:11:14: actors[0].types[1].id: duplicate type id "t" (also actors[0].types[0]); ids must be unique
testdata/bad/duplicate-ids.yaml:12:9: actors[1].id: duplicate actor id "US" (also actors[0]); ids must be unique
testdata/bad/duplicate-ids.yaml:17:10: moves[1].id: duplicate move id "m" (also moves[0]); ids must be unique
testdata/bad/duplicate-ids.yaml:20:10: roadmaps[1].id: duplicate roadmap id "r" (also roadmaps[0]); ids must be unique
testdata/bad/duplicate-ids.yaml:23:10: milestones[1].id: duplicate milestone id "x" (also milestones[0]); ids must be unique`},
	{"empty.yaml", `testdata/bad/empty.yaml: the file is empty; expected a scenario with name, actors, moves and roadmaps`},
	{"explicit-zeros.yaml", `testdata/bad/explicit-zeros.yaml:3:12: environment.horizon: must be at least 1 round, got 0
testdata/bad/explicit-zeros.yaml:4:16: environment.rationality: must be greater than 0 (or inf for the deterministic rules), got 0
testdata/bad/explicit-zeros.yaml:5:21: environment.stalemate_rounds: must be at least 1 round, got 0
testdata/bad/explicit-zeros.yaml:14:39: moves[0].tranches: must be at least 1, got 0
testdata/bad/explicit-zeros.yaml:17:18: roadmaps[0].persistence: must be at least 1 unanswered invitation, got 0`},
	{"horizon-phases.yaml", `testdata/bad/horizon-phases.yaml:16:5: roadmaps[0]: roadmap three has 3 phases but horizon is 2; raise environment.horizon to at least 3, or use fewer phases`},
	{"horizon-tranches.yaml", `testdata/bad/horizon-tranches.yaml:23:5: roadmaps[1]: roadmap long needs 14 rounds after tranche expansion but horizon is 10; raise environment.horizon to at least 14, or use fewer phases or tranches`},
	{"infinities.yaml", `testdata/bad/infinities.yaml:3:10: environment.noise: must be a finite number, got .nan
testdata/bad/infinities.yaml:6:15: actors[0].discount: must be a finite number, got .inf
testdata/bad/infinities.yaml:9:26: moves[0].cost: 1e999 is too large to be a number
testdata/bad/infinities.yaml:9:43: moves[0].tranches: 99999999999999999999 is too large`},
	{"invited-phases.yaml", `testdata/bad/invited-phases.yaml:19:20: roadmaps[0].phases[0].initiator: an initiator belongs to an invited phase only; remove it or set reciprocation: invited
testdata/bad/invited-phases.yaml:20:15: roadmaps[0].phases[0].wait: wait belongs to an invited phase only; remove it or set reciprocation: invited
testdata/bad/invited-phases.yaml:21:9: roadmaps[0].phases[1]: an invited phase needs a move by an actor other than its initiator US, to be reciprocated; add one or make the phase required
testdata/bad/invited-phases.yaml:25:20: roadmaps[0].phases[2].initiator: initiator US has no move in this phase; the initiator delivers a move of its own (one of DPRK)
testdata/bad/invited-phases.yaml:28:20: roadmaps[0].phases[3].initiator: unknown actor "Seoul"; expected one of the actors with a move in this phase: US
testdata/bad/invited-phases.yaml:29:15: roadmaps[0].phases[3].wait: must be at least 1 round, got 0`},
	{"milestones.yaml", `testdata/bad/milestones.yaml:15:12: milestones[0].moves: the milestone has no moves; list at least one move id
testdata/bad/milestones.yaml:17:16: milestones[1].moves[1]: move "m" is listed twice; list each move once
testdata/bad/milestones.yaml:17:19: milestones[1].moves[2]: unknown move "n"; expected one of: m`},
	{"missing-required.yaml", `testdata/bad/missing-required.yaml:3:5: actors[0]: missing required field "discount"; an actor needs id, types and discount
testdata/bad/missing-required.yaml:5:9: actors[0].types[0]: missing required field "disposition"; a type needs id, prior and disposition
testdata/bad/missing-required.yaml:6:5: actors[1]: missing required field "id"; an actor needs id, types and discount
testdata/bad/missing-required.yaml:9:5: moves[0]: missing required field "by"; a move needs id, by and cost
testdata/bad/missing-required.yaml:12:5: roadmaps[0]: missing required field "id"; a roadmap needs id
testdata/bad/missing-required.yaml:13:9: roadmaps[0].phases[0]: missing required field "moves"; a phase needs moves`},
	{"move-used-twice.yaml", `testdata/bad/move-used-twice.yaml:15:33: roadmaps[0].phases[0].moves[2]: move "relief" is already in this phase; a roadmap uses each move at most once
testdata/bad/move-used-twice.yaml:16:17: roadmaps[0].phases[1].moves[0]: move "freeze" is already in phases[0]; a roadmap uses each move at most once`},
	{"negative-cost.yaml", `testdata/bad/negative-cost.yaml:9:25: actors[0].types[0].costs.relief: negative cost -2 is not allowed; a cost must be 0 or more (model a gain to the mover as a lower cost of 0)
testdata/bad/negative-cost.yaml:10:28: actors[0].types[0].benefits.freeze: negative benefit -1 is not allowed; a benefit must be 0 or more (model a loss to the recipient as a cost to it)
testdata/bad/negative-cost.yaml:15:32: moves[0].cost: negative cost -1 is not allowed; a cost must be 0 or more (model a gain to the mover as a lower cost of 0)
testdata/bad/negative-cost.yaml:16:51: moves[1].benefit.US: negative benefit -3 is not allowed; a benefit must be 0 or more (model a loss to the recipient as a cost to it)`},
	{"no-roadmaps.yaml", `testdata/bad/no-roadmaps.yaml:3:3: actors: the scenario has 1 actor; it needs at least two
testdata/bad/no-roadmaps.yaml:5:12: actors[0].types: actor US has no types; give it at least one, with prior 1
testdata/bad/no-roadmaps.yaml:7:11: roadmaps: the scenario has no roadmaps; it needs at least one`},
	{"not-a-mapping.yaml", `testdata/bad/not-a-mapping.yaml:1:1: the file must be a mapping with the keys of a scenario (name, actors, moves, roadmaps, ...), got a list`},
	{"null-values.yaml", `testdata/bad/null-values.yaml:3:11: environment.horizon: must be an integer, got nothing (null)
testdata/bad/null-values.yaml:8:5: actors[1]: must be a mapping describing an actor, got nothing (null)
testdata/bad/null-values.yaml:12:10: moves[0].cost: must be a number, got nothing (null)
testdata/bad/null-values.yaml:14:43: roadmaps[0].label: must be a string, got nothing (null)`},
	{"phases-and-baseline.yaml", `testdata/bad/phases-and-baseline.yaml:12:5: roadmaps[0].phases: the roadmap has no phases; add phases, or mark it baseline: true if it stands for the status quo
testdata/bad/phases-and-baseline.yaml:17:7: roadmaps[1].phases: a baseline roadmap has no phases; remove them or remove baseline: true
testdata/bad/phases-and-baseline.yaml:20:16: roadmaps[2].phases[0].moves: the phase has no moves; list at least one move id`},
	{"priors-sum.yaml", `testdata/bad/priors-sum.yaml:6:7: actors[0].types: the priors of actor US's types sum to 0.9; they must sum to 1
testdata/bad/priors-sum.yaml:11:7: actors[1].types: the priors of actor DPRK's types sum to 1.4; they must sum to 1`},
	{"probability-range.yaml", `testdata/bad/probability-range.yaml:3:10: environment.noise: must be a probability between 0 and 1, got 1.5
testdata/bad/probability-range.yaml:4:18: environment.misperception: must be a probability between 0 and 1, got -0.5
testdata/bad/probability-range.yaml:5:20: environment.threat_response: must be a probability between 0 and 1, got 2
testdata/bad/probability-range.yaml:9:17: actors[0].insecurity: must be a fraction between 0 and 1, got 1.2
testdata/bad/probability-range.yaml:11:27: actors[0].types[0].prior: must be a probability between 0 and 1, got 1.25
testdata/bad/probability-range.yaml:12:27: actors[0].types[1].prior: must be a probability between 0 and 1, got -0.25
testdata/bad/probability-range.yaml:21:22: moves[0].security.DPRK: must be a fraction between 0 and 1, got 2
testdata/bad/probability-range.yaml:22:17: moves[0].reversible: must be a fraction between 0 and 1, got -0.1
testdata/bad/probability-range.yaml:23:19: moves[0].verification: must be a probability between 0 and 1, got 1.2`},
	{"rationality-negative.yaml", `testdata/bad/rationality-negative.yaml:3:16: environment.rationality: must be greater than 0 (or inf for the deterministic rules), got -2`},
	{"rationality-quoted.yaml", `testdata/bad/rationality-quoted.yaml:3:16: environment.rationality: must be a positive number or inf, got the string "20"; remove the quotes`},
	{"rationality-word.yaml", `testdata/bad/rationality-word.yaml:3:16: environment.rationality: must be a positive number or inf, got "infinite"`},
	{"response-forms.yaml", `testdata/bad/response-forms.yaml:5:15: actors[0].response: unknown response "nice"; expected grim, tit-for-tat, generous, patient, {generous: G}, {patient: K} or {strategy: NAME}
testdata/bad/response-forms.yaml:13:15: actors[2].response: a response mapping has exactly one key, such as {generous: 0.3} or {patient: 2}; got 2 keys
testdata/bad/response-forms.yaml:17:16: actors[3].response: grim takes no parameter; write response: grim
testdata/bad/response-forms.yaml:21:15: actors[4].response: must be one of grim, tit-for-tat, generous, patient, {generous: G}, {patient: K} or {strategy: NAME}; got 3
testdata/bad/response-forms.yaml:25:25: actors[5].response.patient: must be a whole number of defections, got 1.5
testdata/bad/response-forms.yaml:29:26: actors[6].response.generous: must be a number, got "lots"
testdata/bad/response-forms.yaml:33:15: actors[7].response: must be one of grim, tit-for-tat, generous, patient, {generous: G}, {patient: K} or {strategy: NAME}; got a list`},
	{"response-strategy.yaml", `testdata/bad/response-strategy.yaml:5:26: actors[0].response.strategy: unknown strategy "TitForTwoTatz"; did you mean TitFor2Tats, TitForTat?
testdata/bad/response-strategy.yaml:9:26: actors[1].response.strategy: Random(2): p must be a probability between 0 and 1, got 2`},
	{"response-ranges.yaml", `testdata/bad/response-ranges.yaml:5:26: actors[0].response.generous: generous forgiveness must be a probability between 0 and 1, got 1.5
testdata/bad/response-ranges.yaml:10:16: actors[1].response.patient: patient tolerance must be at least 1 defection (patient 0 would be grim), got 0`},
	{"self-benefit.yaml", `testdata/bad/self-benefit.yaml:13:15: moves[0].benefit.US: move relief is made by US, so it cannot benefit US; list only the other actors (DPRK)
testdata/bad/self-benefit.yaml:14:16: moves[0].security.US: move relief is made by US, so it cannot cut the insecurity of US; list only the other actors (DPRK)`},
	{"sequence-and-order.yaml", `testdata/bad/sequence-and-order.yaml:10:57: moves[0].align: unknown align "middle"; expected first or last
testdata/bad/sequence-and-order.yaml:17:16: roadmaps[0].phases[0].sequence: a sequential phase needs a sequence naming each actor with a move in it once, in the order they move (US)
testdata/bad/sequence-and-order.yaml:19:19: roadmaps[0].phases[1].sequence: a simultaneous phase takes no sequence; remove it or set order: sequential
testdata/bad/sequence-and-order.yaml:21:16: roadmaps[0].phases[2].order: unknown order "parallel"; expected simultaneous or sequential
testdata/bad/sequence-and-order.yaml:22:24: roadmaps[0].phases[2].reciprocation: unknown reciprocation "optional"; expected required or invited`},
	{"sequence-no-move.yaml", `testdata/bad/sequence-no-move.yaml:21:19: roadmaps[0].phases[0].sequence: sequence omits ROK, which has a move in this phase; add it in its turn
testdata/bad/sequence-no-move.yaml:21:24: roadmaps[0].phases[0].sequence[1]: sequence names DPRK, which has no move in this phase; list only the actors with a move in it (US, ROK)
testdata/bad/sequence-no-move.yaml:24:26: roadmaps[0].phases[1].sequence[1]: sequence names DPRK twice; name each actor once`},
	{"shock-effects.yaml", `testdata/bad/shock-effects.yaml:4:7: environment.shocks[0]: the shock has no effect; give it insecurity: X or trust: X (a fraction between 0 and 1)
testdata/bad/shock-effects.yaml:7:7: environment.shocks[1]: the shock has two effects; give it either insecurity or trust, not both (use two shocks for both)
testdata/bad/shock-effects.yaml:13:20: environment.shocks[2].probability: must be a probability between 0 and 1, got 1.1
testdata/bad/shock-effects.yaml:15:19: environment.shocks[2].insecurity: must be a fraction between 0 and 1, got 1.5
testdata/bad/shock-effects.yaml:16:58: environment.shocks[3].trust: must be a fraction between 0 and 1, got -0.5`},
	{"syntax-duplicate-key.yaml", `testdata/bad/syntax-duplicate-key.yaml:4:1: duplicate key "name" (first at line 1, column 1); a key may appear only once in a mapping`},
	{"syntax-indentation.yaml", `testdata/bad/syntax-indentation.yaml:4:2: invalid YAML: unexpected value; check the indentation (keys of one mapping line up in the same column)`},
	{"syntax-tab.yaml", `testdata/bad/syntax-tab.yaml:3:1: invalid YAML: a tab cannot indent YAML; indent with spaces`},
	{"syntax-unclosed-list.yaml", `testdata/bad/syntax-unclosed-list.yaml:8:1: invalid YAML: a [ list opened before this point is not closed; expected ',' or ]`},
	{"syntax-unterminated-string.yaml", `testdata/bad/syntax-unterminated-string.yaml:2:8: invalid YAML: a double-quoted string is not closed; expected a closing "`},
	{"two-documents.yaml", `testdata/bad/two-documents.yaml:5:1: a scenario file holds one YAML document, found 2; remove the second '---' and what follows it`},
	{"type-overrides.yaml", `testdata/bad/type-overrides.yaml:9:17: actors[0].types[0].costs.freeze: move "freeze" is made by DPRK; a cost override names a move by US itself (relief)
testdata/bad/type-overrides.yaml:10:20: actors[0].types[0].benefits.relief: move "relief" is US's own move; a benefit override names a move by another actor (freeze)
testdata/bad/type-overrides.yaml:10:42: actors[0].types[0].benefits.summit: unknown move "summit"; expected one of the other actors' moves: freeze
testdata/bad/type-overrides.yaml:13:66: actors[1].types[0].costs.nothing: unknown move "nothing"; expected one of DPRK's moves: freeze
testdata/bad/type-overrides.yaml:16:66: actors[2].types[0].costs.relief: China makes no moves, so its types have no costs to override; remove "relief"`},
	{"unknown-actor.yaml", `testdata/bad/unknown-actor.yaml:4:41: environment.shocks[0].target: unknown actor "ROK"; expected one of: US, DPRK
testdata/bad/unknown-actor.yaml:13:18: moves[0].by: unknown actor "USA"; expected one of: US, DPRK
testdata/bad/unknown-actor.yaml:14:50: moves[1].benefit.Japan: unknown actor "Japan"; expected one of: US
testdata/bad/unknown-actor.yaml:14:72: moves[1].security.China: unknown actor "China"; expected one of: US
testdata/bad/unknown-actor.yaml:20:20: roadmaps[0].phases[0].sequence[0]: unknown actor "Russia"; expected one of the actors with a move in this phase: DPRK`},
	{"unknown-key-deep.yaml", `testdata/bad/unknown-key-deep.yaml:9:7: environment.shocks[0]: unknown field "severity" in a shock; expected one of: id, label, probability, target, insecurity, trust
testdata/bad/unknown-key-deep.yaml:17:9: actors[0].types[0]: unknown field "priors" in a type; expected one of: id, label, prior, disposition, symbolic, lasting_value, costs, benefits
testdata/bad/unknown-key-deep.yaml:27:9: roadmaps[0].phases[0]: unknown field "ordering" in a phase; expected one of: label, moves, order, sequence, reciprocation, initiator, wait
testdata/bad/unknown-key-deep.yaml:29:28: milestones[0]: unknown field "when" in a milestone; expected one of: id, label, moves`},
	{"unknown-key-move.yaml", `testdata/bad/unknown-key-move.yaml:12:5: moves[0]: unknown field "cosst" in a move (did you mean "cost"?); expected one of: id, label, by, cost, benefit, security, security_relevant, reversible, verification, tranches, align, tags`},
	{"unknown-key-top.yaml", `testdata/bad/unknown-key-top.yaml:2:1: unknown field "actor" in the scenario (did you mean "actors"?); expected one of: name, title, description, environment, actors, moves, roadmaps, milestones
testdata/bad/unknown-key-top.yaml:8:1: unknown field "author" in the scenario; expected one of: name, title, description, environment, actors, moves, roadmaps, milestones`},
	{"unknown-move.yaml", `testdata/bad/unknown-move.yaml:9:17: actors[0].types[0].costs.freeze: unknown move "freeze"; expected one of US's moves: relief
testdata/bad/unknown-move.yaml:19:25: roadmaps[0].phases[0].moves[1]: unknown move "dismantel"; expected one of: relief, dismantle
testdata/bad/unknown-move.yaml:21:35: milestones[0].moves[1]: unknown move "inspections"; expected one of: relief, dismantle`},
	{"wrong-type-horizon.yaml", `testdata/bad/wrong-type-horizon.yaml:5:12: environment.horizon: must be an integer, got "forty"`},
	{"wrong-types.yaml", `testdata/bad/wrong-types.yaml:4:12: actors[0].label: must be a string, got 1994; quote it if it is meant as text: "1994"
testdata/bad/wrong-types.yaml:7:24: actors[0].types[0].prior: must be a number, got the string "0.5"; remove the quotes
testdata/bad/wrong-types.yaml:8:42: actors[0].types[1].disposition: must be a string, got a list
testdata/bad/wrong-types.yaml:10:15: actors[1].discount: must be a number, got "high"
testdata/bad/wrong-types.yaml:11:12: actors[1].types: must be a list of types, got a mapping
testdata/bad/wrong-types.yaml:16:24: moves[0].security_relevant: must be true or false, got "yes"
testdata/bad/wrong-types.yaml:17:15: moves[0].tranches: must be an integer, got 2.5
testdata/bad/wrong-types.yaml:18:11: moves[0].tags: must be a list of strings, got "nuclear"
testdata/bad/wrong-types.yaml:19:14: moves[0].benefit: must be a mapping of ids to numbers, got a list
testdata/bad/wrong-types.yaml:20:11: roadmaps: must be a list of roadmaps, got a mapping`},
	{"yaml-features.yaml", `testdata/bad/yaml-features.yaml:2:1: unknown field "base" in the scenario; expected one of: name, title, description, environment, actors, moves, roadmaps, milestones
testdata/bad/yaml-features.yaml:4:5: actors[0]: merge keys (<<) are not supported; write the keys out
testdata/bad/yaml-features.yaml:6:28: actors[0].types[0].prior: YAML tags such as !!float are not supported; write the plain value
testdata/bad/yaml-features.yaml:8:15: actors[1].discount: alias *undefined refers to no anchor &undefined defined before it`},
}

func TestLoadBadFiles(t *testing.T) {
	for _, tc := range badFiles {
		t.Run(strings.TrimSuffix(tc.file, ".yaml"), func(t *testing.T) {
			path := filepath.Join("testdata", "bad", tc.file)
			s, err := LoadFile(path)
			if s != nil {
				t.Errorf("LoadFile returned a scenario with the error")
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("LoadFile error = %T %v, want *Error", err, err)
			}
			if got := err.Error(); got != tc.want {
				t.Errorf("LoadFile error:\n%s\nwant:\n%s", got, tc.want)
			}
			for _, p := range e.Problems {
				if p.File != path {
					t.Errorf("problem %q: File = %q, want %q", p, p.File, path)
				}
			}
		})
	}
}

// TestBadFilesAllListed keeps the table and the directory in step.
func TestBadFilesAllListed(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("testdata", "bad", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var files, listed []string
	for _, n := range names {
		files = append(files, filepath.Base(n))
	}
	for _, tc := range badFiles {
		listed = append(listed, tc.file)
	}
	slices.Sort(listed)
	if !slices.Equal(files, listed) {
		t.Errorf("testdata/bad holds %v\nthe table lists %v", files, listed)
	}
	if len(files) < 30 {
		t.Errorf("only %d bad files; keep at least 30", len(files))
	}
}

func goodFiles(t testing.TB) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "good", "*.yaml"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no good files: %v", err)
	}
	return names
}

func TestLoadGoodFiles(t *testing.T) {
	for _, path := range goodFiles(t) {
		s, err := LoadFile(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if err := Validate(s); err != nil {
			t.Errorf("%s: Validate after Load: %v", path, err)
		}
	}
}

func fp(x float64) *float64 { return &x }
func ip(x int) *int         { return &x }

// TestLoadMinimal shows the defaults that Load fills in, and that optional
// pointer fields stay nil.
func TestLoadMinimal(t *testing.T) {
	s, err := LoadFile(filepath.Join("testdata", "good", "minimal.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	one := []Type{{ID: "only", Prior: 1, Disposition: Reciprocator}}
	want := &Scenario{
		Name: "minimal",
		Environment: Environment{
			Horizon: 40, RoundLength: "1 round", Rationality: 20, StalemateRounds: 4,
		},
		Actors: []Actor{
			{ID: "a", Discount: 0.9, Types: one, Response: Response{Kind: TitForTat}},
			{ID: "b", Discount: 0.9, Types: one, Response: Response{Kind: TitForTat}},
		},
		Moves: []Move{
			{ID: "give", By: "a", Cost: 1, Benefit: map[string]float64{"b": 2}, Align: "first"},
			{ID: "take", By: "b", Cost: 1, Benefit: map[string]float64{"a": 2}, Align: "first"},
		},
		Roadmaps: []Roadmap{{ID: "swap", Phases: []Phase{
			{Moves: []string{"give", "take"}, Order: "simultaneous", Reciprocation: "required"},
		}}},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("Load(minimal.yaml) =\n%#v\nwant\n%#v", s, want)
	}
	m := &s.Moves[0]
	if m.VerificationOf() != 1 || m.TranchesOf() != 1 || s.Actors[0].SymbolicOf(&s.Actors[0].Types[0]) != 0.5 {
		t.Errorf("accessor defaults: verification %v, tranches %v, symbolic %v", m.VerificationOf(), m.TranchesOf(), s.Actors[0].SymbolicOf(nil))
	}
	if s.Roadmaps[0].PersistenceOf() != 3 || s.Roadmaps[0].Phases[0].WaitOf() != 2 {
		t.Errorf("accessor defaults: persistence %v, wait %v", s.Roadmaps[0].PersistenceOf(), s.Roadmaps[0].Phases[0].WaitOf())
	}
}

// TestLoadFull checks that every key of the format lands in its field.
func TestLoadFull(t *testing.T) {
	s, err := LoadFile(filepath.Join("testdata", "good", "full.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := &Scenario{
		Name:        "full_example-2",
		Title:       "Every key of the format",
		Description: "A made-up negotiation that uses every key once, so that the tests can check\neach one is read into the right field.\n",
		Environment: Environment{
			Horizon: 30, RoundLength: "1 month", Noise: 0.05, Misperception: 0.1, ThreatResponse: 0.25,
			Rationality: Rationality(math.Inf(1)), StalemateRounds: 6,
			Shocks: []Shock{
				{ID: "incident", Label: "border incident", Probability: 0.02, Target: "north", Insecurity: fp(0.3)},
				{ID: "leak", Probability: 0.01, Target: "south", Trust: fp(0.5)},
			},
		},
		Actors: []Actor{
			{
				ID: "north", Label: "North", Discount: 0.9, Insecurity: 0.7, InsecurityWeight: 1.5,
				Symbolic: fp(0.4), Response: Response{Kind: Grim}, LastingValue: 0.5,
				Beliefs: map[string]map[string]float64{
					"south":    {"dove": 0.2, "hawk": 0.5, "stubborn": 0.3},
					"mediator": {"neutral": 1},
				},
				Types: []Type{
					{ID: "seeker", Label: "security seeker", Prior: 0.5, Disposition: Reciprocator,
						Costs: map[string]float64{"dismantle": 4}, Benefits: map[string]float64{"sanctions-relief": 3}},
					{ID: "greedy", Prior: 0.3, Disposition: Opportunist, LastingValue: fp(0)},
					{ID: "hardline", Prior: 0.2, Disposition: Hardliner, Symbolic: fp(0.1)},
				},
			},
			{
				ID: "south", Discount: 0.95, Response: Response{Kind: Generous, Forgiveness: 0.25},
				Types: []Type{
					{ID: "dove", Prior: 0.6, Disposition: Reciprocator},
					{ID: "hawk", Prior: 0.3, Disposition: Opportunist},
					{ID: "stubborn", Prior: 0.1, Disposition: Hardliner},
				},
			},
			{
				ID: "mediator", Discount: 0.8, Response: Response{Kind: Patient, Tolerance: 3},
				Types: []Type{{ID: "neutral", Prior: 1, Disposition: Reciprocator}},
			},
		},
		Moves: []Move{
			{ID: "declaration", Label: "end-of-war declaration", By: "south", Cost: 0.5,
				Benefit: map[string]float64{"north": 1}, Security: map[string]float64{"north": 0.3},
				Reversible: 0.2, Align: "first", Tags: []string{"symbolic", "security"}},
			{ID: "sanctions-relief", By: "south", Cost: 1, Benefit: map[string]float64{"north": 2},
				Reversible: 1, Tranches: ip(3), Align: "last"},
			{ID: "dismantle", Label: "dismantle the test site", By: "north", Cost: 3,
				Benefit: map[string]float64{"south": 4, "mediator": 1}, SecurityRelevant: true,
				Verification: fp(0.6), Tranches: ip(2), Align: "first"},
			{ID: "good-offices", By: "mediator", Cost: 0.1, Benefit: map[string]float64{"north": 0.1, "south": 0.1},
				Verification: fp(1), Align: "first"},
		},
		Roadmaps: []Roadmap{
			{ID: "sequenced", Label: "Declaration first", Description: "The declaration opens, the rest follows in tranches.",
				Persistence: ip(2), Phases: []Phase{
					{Label: "opening", Moves: []string{"good-offices", "declaration"}, Order: "sequential",
						Sequence: []string{"mediator", "south"}, Reciprocation: "required"},
					{Moves: []string{"sanctions-relief", "dismantle"}, Order: "simultaneous",
						Reciprocation: "invited", Initiator: "south", Wait: ip(3)},
				}},
			{ID: "status-quo", Baseline: true},
		},
		Milestones: []Milestone{
			{ID: "denuclearised", Label: "Test site gone", Moves: []string{"dismantle"}},
			{ID: "all", Moves: []string{"declaration", "sanctions-relief", "dismantle", "good-offices"}},
		},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("Load(full.yaml) =\n%#v\nwant\n%#v", s, want)
	}
}

// TestLoadAnchors checks that aliases give the values of their anchors.
func TestLoadAnchors(t *testing.T) {
	s, err := LoadFile(filepath.Join("testdata", "good", "anchors.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.Actors[0].Types, s.Actors[1].Types) || len(s.Actors[1].Types) != 2 {
		t.Errorf("aliased types differ: %v vs %v", s.Actors[0].Types, s.Actors[1].Types)
	}
	if got := s.Moves[3].Benefit; !reflect.DeepEqual(got, map[string]float64{"right": 2}) {
		t.Errorf("aliased benefit = %v", got)
	}
	if s.Actors[0].Response != (Response{Kind: Patient, Tolerance: 2}) || s.Actors[1].Response != (Response{Kind: Generous, Forgiveness: 0.3}) {
		t.Errorf("bare patient/generous = %+v, %+v; want the default parameters", s.Actors[0].Response, s.Actors[1].Response)
	}
	if s.Environment.Rationality != 12.5 || s.Environment.RoundLength != "1 week" {
		t.Errorf("environment = %+v", s.Environment)
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, err := LoadFile(filepath.Join("testdata", "no-such-file.yaml"))
	var e *Error
	if err == nil || errors.As(err, &e) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadFile(missing) error = %T %v, want a file-system error", err, err)
	}
}

func TestLoadInline(t *testing.T) {
	const base = `name: x
actors:
  - {id: a, discount: 0.9, types: [{id: t, prior: 1, disposition: reciprocator}]}
  - {id: b, discount: 0.9, types: [{id: t, prior: 1, disposition: reciprocator}]}
moves: [{id: m, by: a, cost: 1}]
roadmaps: [{id: r, phases: [{moves: [m]}]}]
`
	tests := []struct {
		name, src, want string
	}{
		{"anonymous", base + "title: 7\n", `7:8: title: must be a string, got 7; quote it if it is meant as text: "7"`},
		{"exponent number", base + "environment: {noise: 5e-2}\n", ""},
		{"plain big number", base + "environment: {rationality: 1e3}\n", ""},
		{"inf rationality", base + "environment: {rationality: .inf}\n", ""},
		{"negative inf rationality", base + "environment: {rationality: -.inf}\n",
			"7:28: environment.rationality: must be greater than 0 (or inf for the deterministic rules), got -Inf"},
		{"quoted inf", base + "environment: {rationality: \"inf\"}\n", ""},
		{"integer key", base + "milestones: [{id: z, moves: [m], 3: x}]\n",
			`7:34: milestones[0]: a key must be a name, got 3; quote it if it is an id ("3")`},
		{"duplicate key", base + "roadmaps: []\n", "7:1: duplicate key \"roadmaps\" (first at line 6, column 1); a key may appear only once in a mapping"},
		{"document marker", "---\n" + base, ""},
		{"scalar document", "just text\n", `1:1: the file must be a mapping with the keys of a scenario (name, actors, moves, roadmaps, ...), got "just text"`},
		{"environment null", base + "environment:\n", ""},
		{"block text", base + "description: |\n  line one\n  line two\n", ""},
		{"NUL in a comment", base + "# note \x00\n", "7:8: control character U+0000 is not allowed in a scenario file; remove it (only tab, line feed and carriage return may appear)"},
		{"invalid UTF-8", base + "title: \"Pe\xe9ce\"\n", "7:11: byte 0xe9 is not UTF-8 text; save the file as UTF-8"},
		{"non-ASCII text", base + "title: \"Paix – 평화\"\n", ""},
		{"CRLF line ends", strings.ReplaceAll(base, "\n", "\r\n"), ""},
	}
	for _, tc := range tests {
		s, err := Load("", []byte(tc.src))
		if tc.want == "" {
			if err != nil || s == nil {
				t.Errorf("%s: Load error %v", tc.name, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: Load succeeded, want %q", tc.name, tc.want)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("%s: Load error\n%s\nwant\n%s", tc.name, err, tc.want)
		}
	}
}

func TestAliasExpansionCapped(t *testing.T) {
	// Each level multiplies the phases by ten through aliases; the reader
	// must give up with a message, not run out of memory.
	src := `name: x
actors:
  - {id: a, discount: 0.9, types: [{id: t, prior: 1, disposition: reciprocator}]}
  - {id: b, discount: 0.9, types: [{id: t, prior: 1, disposition: reciprocator}]}
moves: [{id: m, by: a, cost: 1}]
roadmaps:
  - &r {id: r, phases: [&p {moves: &ms [m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m, m]}, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p, *p]}
` + strings.Repeat("  - *r\n", 500)
	_, err := Load("bomb.yaml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), "expands to more than") {
		t.Errorf("Load(alias bomb) error = %v, want the expansion cap", firstLine(err))
	}
}

// TestLoadGuards checks that input too large or nested too deeply for the
// parser (whose time grows with the square of the depth) is turned away
// before parsing, quickly.
func TestLoadGuards(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"flow nesting", "name: " + strings.Repeat("[", 100_000),
			"deep.yaml:1:107: the file nests lists, mappings, anchors or tags more than 100 levels deep here; a scenario needs only a few levels"},
		{"flow nesting over lines", "name:\n" + strings.Repeat("  {a:\n", 200),
			"deep.yaml:102:3: the file nests lists, mappings, anchors or tags more than 100 levels deep here; a scenario needs only a few levels"},
		{"nested lists on one line", "name: x\nactors:\n" + strings.Repeat("- ", 100_000) + "x\n",
			"deep.yaml:3:201: the file nests lists, mappings, anchors or tags more than 100 levels deep here; a scenario needs only a few levels"},
		{"size", "name: x\n" + strings.Repeat("#", 2<<20),
			"deep.yaml: the file has 2097160 bytes; a scenario file may have at most 2097152 (2 MiB)"},
	}
	for _, tc := range tests {
		_, err := Load("deep.yaml", []byte(tc.src))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: Load error\n%v\nwant\n%s", tc.name, err, tc.want)
		}
	}
}

func firstLine(err error) string {
	if err == nil {
		return "<nil>"
	}
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{File: "k.yaml", Line: 12, Column: 5, Path: "moves[2]", Msg: "bad"}, "k.yaml:12:5: moves[2]: bad"},
		{Problem{File: "k.yaml", Line: 12, Msg: "bad"}, "k.yaml:12: bad"},
		{Problem{File: "k.yaml", Msg: "empty"}, "k.yaml: empty"},
		{Problem{Path: "actors", Msg: "too few"}, "actors: too few"},
		{Problem{Line: 3, Column: 1, Msg: "syntax"}, "3:1: syntax"},
		{Problem{Msg: "only"}, "only"},
	}
	for _, tc := range tests {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%#v.String() = %q, want %q", tc.p, got, tc.want)
		}
	}
	e := &Error{Problems: []Problem{tests[0].p, tests[3].p}}
	if got, want := e.Error(), "k.yaml:12:5: moves[2]: bad\nactors: too few"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestComparePaths(t *testing.T) {
	paths := []string{"actors[10].id", "actors[2].id", "actors", "actors[2]", "moves[0]", "actors[2].types[0]", ""}
	slices.SortFunc(paths, comparePaths)
	want := []string{"", "actors", "actors[2]", "actors[2].id", "actors[2].types[0]", "actors[10].id", "moves[0]"}
	if !slices.Equal(paths, want) {
		t.Errorf("sorted paths = %q, want %q", paths, want)
	}
}

// TestCRLFFilesReportTheSameLines checks that a file saved with CRLF line
// ends (as Windows editors and browsers' text areas write them) loads to the
// same scenario as with LF, and that its problems are reported at the same
// lines and columns, also after a folded block such as tiny's description.
func TestCRLFFilesReportTheSameLines(t *testing.T) {
	src, err := builtinFS.ReadFile(builtinDir + "/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	crlf := func(b []byte) []byte { return []byte(strings.ReplaceAll(string(b), "\n", "\r\n")) }
	lf, err := Load("tiny.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	cr, err := Load("tiny.yaml", crlf(src))
	if err != nil {
		t.Fatalf("the CRLF copy of tiny does not load: %v", err)
	}
	if !reflect.DeepEqual(lf, cr) {
		t.Errorf("the CRLF copy of tiny loads to another scenario:\n%#v\nwant\n%#v", cr, lf)
	}
	bad := []byte(strings.Replace(string(src), "disposition: reciprocator\n", "disposition: reciprocatorx\n", 1))
	_, errLF := Load("bad.yaml", bad)
	_, errCR := Load("bad.yaml", crlf(bad))
	if errLF == nil || errCR == nil {
		t.Fatalf("the broken copies loaded: %v, %v", errLF, errCR)
	}
	if !strings.Contains(errLF.Error(), `unknown disposition "reciprocatorx"`) {
		t.Fatalf("the LF copy's error %q is not about the disposition", errLF)
	}
	if errCR.Error() != errLF.Error() {
		t.Errorf("CRLF error\n%s\nLF error\n%s", errCR, errLF)
	}
}
