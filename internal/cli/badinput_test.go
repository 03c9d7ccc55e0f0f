package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/parleyhq/parley/scenario"
)

// badScenarioFiles are malformed scenarios from testdata/bad (copies of files
// in scenario/testdata/bad) with every problem the loader finds in each, as
// file:line:col: path: message with FILE standing for the file's name. Each
// line:column was checked by eye against the file: it points at the token
// the message is about (for a missing field, at the mapping that lacks it;
// for an unclosed [ list, at the line where the parser gave up).
var badScenarioFiles = []struct {
	name string // testdata/bad/NAME.yaml
	want string
}{
	{"bad-ids", `FILE:1:7: name: "korea 2018" is not a valid name; use only letters, digits, '-' and '_'
FILE:3:9: actors[0].id: "United States" is not a valid id; use only letters, digits, '-', '_' and '.'
FILE:5:18: actors[0].types[0].id: the type has no id; give it one of letters, digits, '-', '_' and '.'
FILE:8:18: actors[1].types[0].id: "t/1" is not a valid id; use only letters, digits, '-', '_' and '.'
FILE:10:10: moves[0].id: the move has no id; give it one of letters, digits, '-', '_' and '.'
FILE:12:10: roadmaps[0].id: "peace first" is not a valid id; use only letters, digits, '-', '_' and '.'`},
	{"beliefs", `FILE:6:45: actors[0].beliefs.DPRK.dove: unknown type "dove" of actor DPRK; expected one of: reformer, hardliner
FILE:7:7: actors[0].beliefs.US: an actor holds no beliefs about itself; list only the others (DPRK)
FILE:8:7: actors[0].beliefs.ROK: unknown actor "ROK"; expected one of: DPRK
FILE:13:11: actors[1].beliefs.US: the beliefs about US sum to 0.5; they must sum to 1`},
	{"bounds", `FILE:5:24: actors[0].insecurity_weight: must be 0 or more, got -1
FILE:6:15: actors[0].symbolic: must be 0 or more, got -0.5
FILE:7:20: actors[0].lasting_value: must be 0 or more, got -2
FILE:9:61: actors[0].types[0].symbolic: must be 0 or more, got -1
FILE:9:80: actors[0].types[0].lasting_value: must be 0 or more, got -1
FILE:12:44: actors[1].types[0].disposition: unknown disposition "nice"; expected reciprocator, opportunist or hardliner`},
	{"comments-only", `FILE: the file is empty; expected a scenario with name, actors, moves and roadmaps`},
	{"discount-lasting-value", `FILE:4:15: actors[0].discount: a discount of 1 makes a positive lasting value (lasting_value 2) worth an infinite amount; use a discount below 1, such as 0.95, or drop the lasting value
FILE:8:15: actors[1].discount: a discount of 1 makes a positive lasting value (lasting_value 0.5 of type reformer) worth an infinite amount; use a discount below 1, such as 0.95, or drop the lasting value
FILE:13:15: actors[2].discount: must be greater than 0 and at most 1, got 0
FILE:16:15: actors[3].discount: must be greater than 0 and at most 1, got 1.5`},
	{"duplicate-ids", `FILE:5:12: environment.shocks[1].id: duplicate shock id "s" (also environment.shocks[0]); ids must be unique
FILE:11:14: actors[0].types[1].id: duplicate type id "t" (also actors[0].types[0]); ids must be unique
FILE:12:9: actors[1].id: duplicate actor id "US" (also actors[0]); ids must be unique
FILE:17:10: moves[1].id: duplicate move id "m" (also moves[0]); ids must be unique
FILE:20:10: roadmaps[1].id: duplicate roadmap id "r" (also roadmaps[0]); ids must be unique
FILE:23:10: milestones[1].id: duplicate milestone id "x" (also milestones[0]); ids must be unique`},
	{"empty", `FILE: the file is empty; expected a scenario with name, actors, moves and roadmaps`},
	{"explicit-zeros", `FILE:3:12: environment.horizon: must be at least 1 round, got 0
FILE:4:16: environment.rationality: must be greater than 0 (or inf for the deterministic rules), got 0
FILE:5:21: environment.stalemate_rounds: must be at least 1 round, got 0
FILE:14:39: moves[0].tranches: must be at least 1, got 0
FILE:17:18: roadmaps[0].persistence: must be at least 1 unanswered invitation, got 0`},
	{"horizon-phases", `FILE:16:5: roadmaps[0]: roadmap three has 3 phases but horizon is 2; raise environment.horizon to at least 3, or use fewer phases`},
	{"horizon-tranches", `FILE:23:5: roadmaps[1]: roadmap long needs 14 rounds after tranche expansion but horizon is 10; raise environment.horizon to at least 14, or use fewer phases or tranches`},
	{"infinities", `FILE:3:10: environment.noise: must be a finite number, got .nan
FILE:6:15: actors[0].discount: must be a finite number, got .inf
FILE:9:26: moves[0].cost: 1e999 is too large to be a number
FILE:9:43: moves[0].tranches: 99999999999999999999 is too large`},
	{"invited-phases", `FILE:19:20: roadmaps[0].phases[0].initiator: an initiator belongs to an invited phase only; remove it or set reciprocation: invited
FILE:20:15: roadmaps[0].phases[0].wait: wait belongs to an invited phase only; remove it or set reciprocation: invited
FILE:21:9: roadmaps[0].phases[1]: an invited phase needs a move by an actor other than its initiator US, to be reciprocated; add one or make the phase required
FILE:25:20: roadmaps[0].phases[2].initiator: initiator US has no move in this phase; the initiator delivers a move of its own (one of DPRK)
FILE:28:20: roadmaps[0].phases[3].initiator: unknown actor "Seoul"; expected one of the actors with a move in this phase: US
FILE:29:15: roadmaps[0].phases[3].wait: must be at least 1 round, got 0`},
	{"milestones", `FILE:15:12: milestones[0].moves: the milestone has no moves; list at least one move id
FILE:17:16: milestones[1].moves[1]: move "m" is listed twice; list each move once
FILE:17:19: milestones[1].moves[2]: unknown move "n"; expected one of: m`},
	{"missing-required", `FILE:3:5: actors[0]: missing required field "discount"; an actor needs id, types and discount
FILE:5:9: actors[0].types[0]: missing required field "disposition"; a type needs id, prior and disposition
FILE:6:5: actors[1]: missing required field "id"; an actor needs id, types and discount
FILE:9:5: moves[0]: missing required field "by"; a move needs id, by and cost
FILE:12:5: roadmaps[0]: missing required field "id"; a roadmap needs id
FILE:13:9: roadmaps[0].phases[0]: missing required field "moves"; a phase needs moves`},
	{"move-used-twice", `FILE:15:33: roadmaps[0].phases[0].moves[2]: move "relief" is already in this phase; a roadmap uses each move at most once
FILE:16:17: roadmaps[0].phases[1].moves[0]: move "freeze" is already in phases[0]; a roadmap uses each move at most once`},
	{"negative-cost", `FILE:9:25: actors[0].types[0].costs.relief: negative cost -2 is not allowed; a cost must be 0 or more (model a gain to the mover as a lower cost of 0)
FILE:10:28: actors[0].types[0].benefits.freeze: negative benefit -1 is not allowed; a benefit must be 0 or more (model a loss to the recipient as a cost to it)
FILE:15:32: moves[0].cost: negative cost -1 is not allowed; a cost must be 0 or more (model a gain to the mover as a lower cost of 0)
FILE:16:51: moves[1].benefit.US: negative benefit -3 is not allowed; a benefit must be 0 or more (model a loss to the recipient as a cost to it)`},
	{"no-roadmaps", `FILE:3:3: actors: the scenario has 1 actor; it needs at least two
FILE:5:12: actors[0].types: actor US has no types; give it at least one, with prior 1
FILE:7:11: roadmaps: the scenario has no roadmaps; it needs at least one`},
	{"not-a-mapping", `FILE:1:1: the file must be a mapping with the keys of a scenario (name, actors, moves, roadmaps, ...), got a list`},
	{"null-values", `FILE:3:11: environment.horizon: must be an integer, got nothing (null)
FILE:8:5: actors[1]: must be a mapping describing an actor, got nothing (null)
FILE:12:10: moves[0].cost: must be a number, got nothing (null)
FILE:14:43: roadmaps[0].label: must be a string, got nothing (null)`},
	{"priors-sum", `FILE:6:7: actors[0].types: the priors of actor US's types sum to 0.9; they must sum to 1
FILE:11:7: actors[1].types: the priors of actor DPRK's types sum to 1.4; they must sum to 1`},
	{"rationality-quoted", `FILE:3:16: environment.rationality: must be a positive number or inf, got the string "20"; remove the quotes`},
	{"response-forms", `FILE:5:15: actors[0].response: unknown response "nice"; expected grim, tit-for-tat, generous, patient, {generous: G}, {patient: K} or {strategy: NAME}
FILE:13:15: actors[2].response: a response mapping has exactly one key, such as {generous: 0.3} or {patient: 2}; got 2 keys
FILE:17:16: actors[3].response: grim takes no parameter; write response: grim
FILE:21:15: actors[4].response: must be one of grim, tit-for-tat, generous, patient, {generous: G}, {patient: K} or {strategy: NAME}; got 3
FILE:25:25: actors[5].response.patient: must be a whole number of defections, got 1.5
FILE:29:26: actors[6].response.generous: must be a number, got "lots"
FILE:33:15: actors[7].response: must be one of grim, tit-for-tat, generous, patient, {generous: G}, {patient: K} or {strategy: NAME}; got a list`},
	{"self-benefit", `FILE:13:15: moves[0].benefit.US: move relief is made by US, so it cannot benefit US; list only the other actors (DPRK)
FILE:14:16: moves[0].security.US: move relief is made by US, so it cannot cut the insecurity of US; list only the other actors (DPRK)`},
	{"sequence-no-move", `FILE:21:19: roadmaps[0].phases[0].sequence: sequence omits ROK, which has a move in this phase; add it in its turn
FILE:21:24: roadmaps[0].phases[0].sequence[1]: sequence names DPRK, which has no move in this phase; list only the actors with a move in it (US, ROK)
FILE:24:26: roadmaps[0].phases[1].sequence[1]: sequence names DPRK twice; name each actor once`},
	{"syntax-duplicate-key", `FILE:4:1: duplicate key "name" (first at line 1, column 1); a key may appear only once in a mapping`},
	{"syntax-indentation", `FILE:4:2: invalid YAML: unexpected value; check the indentation (keys of one mapping line up in the same column)`},
	{"syntax-tab", `FILE:3:1: invalid YAML: a tab cannot indent YAML; indent with spaces`},
	{"syntax-unclosed-list", `FILE:8:1: invalid YAML: a [ list opened before this point is not closed; expected ',' or ]`},
	{"syntax-unterminated-string", `FILE:2:8: invalid YAML: a double-quoted string is not closed; expected a closing "`},
	{"two-documents", `FILE:5:1: a scenario file holds one YAML document, found 2; remove the second '---' and what follows it`},
	{"unknown-key-move", `FILE:12:5: moves[0]: unknown field "cosst" in a move (did you mean "cost"?); expected one of: id, label, by, cost, benefit, security, security_relevant, reversible, verification, tranches, align, tags`},
	{"unknown-key-top", `FILE:2:1: unknown field "actor" in the scenario (did you mean "actors"?); expected one of: name, title, description, environment, actors, moves, roadmaps, milestones
FILE:8:1: unknown field "author" in the scenario; expected one of: name, title, description, environment, actors, moves, roadmaps, milestones`},
	{"unknown-move", `FILE:9:17: actors[0].types[0].costs.freeze: unknown move "freeze"; expected one of US's moves: relief
FILE:19:25: roadmaps[0].phases[0].moves[1]: unknown move "dismantel"; expected one of: relief, dismantle
FILE:21:35: milestones[0].moves[1]: unknown move "inspections"; expected one of: relief, dismantle`},
	{"wrong-type-horizon", `FILE:5:12: environment.horizon: must be an integer, got "forty"`},
	{"wrong-types", `FILE:4:12: actors[0].label: must be a string, got 1994; quote it if it is meant as text: "1994"
FILE:7:24: actors[0].types[0].prior: must be a number, got the string "0.5"; remove the quotes
FILE:8:42: actors[0].types[1].disposition: must be a string, got a list
FILE:10:15: actors[1].discount: must be a number, got "high"
FILE:11:12: actors[1].types: must be a list of types, got a mapping
FILE:16:24: moves[0].security_relevant: must be true or false, got "yes"
FILE:17:15: moves[0].tranches: must be an integer, got 2.5
FILE:18:11: moves[0].tags: must be a list of strings, got "nuclear"
FILE:19:14: moves[0].benefit: must be a mapping of ids to numbers, got a list
FILE:20:11: roadmaps: must be a list of roadmaps, got a mapping`},
	{"yaml-features", `FILE:2:1: unknown field "base" in the scenario; expected one of: name, title, description, environment, actors, moves, roadmaps, milestones
FILE:4:5: actors[0]: merge keys (<<) are not supported; write the keys out
FILE:6:28: actors[0].types[0].prior: YAML tags such as !!float are not supported; write the plain value
FILE:8:15: actors[1].discount: alias *undefined refers to no anchor &undefined defined before it`},
}

// TestCompareBadScenarioFiles runs each bad file through the real command,
// asking for both outputs, and checks the exit code, the whole message and
// that nothing was written.
func TestCompareBadScenarioFiles(t *testing.T) {
	if len(badScenarioFiles) < 25 {
		t.Fatalf("only %d bad files; keep at least 25", len(badScenarioFiles))
	}
	for _, tc := range badScenarioFiles {
		t.Run(tc.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "bad", tc.name+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, "in"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "in", tc.name+".yaml"), data, 0o644); err != nil {
				t.Fatal(err)
			}
			// the file is named as the user wrote it, relative to the working directory
			file := "in/" + tc.name + ".yaml"
			r := runQuiet(t, dir, ExitUsage, "compare", file, "--runs", "10", "-o", "out.json", "--report", "out.html")
			problems := strings.ReplaceAll(tc.want, "FILE", file)
			n := strings.Count(problems, "\n") + 1
			noun := "problems"
			if n == 1 {
				noun = "problem"
			}
			want := "parley: " + file + " is not a valid scenario (" + strconv.Itoa(n) + " " + noun + "):\n" + problems + "\n"
			if r.stderr != want {
				t.Errorf("stderr:\n%s\nwant:\n%s", r.stderr, want)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %.200q, want nothing", r.stdout)
			}
			if names := dirEntries(t, dir); len(names) != 1 || names[0] != "in" {
				t.Errorf("the directory holds %v, want nothing written beside in/", names)
			}
		})
	}
}

// TestBadScenarioFilesAreCopies keeps testdata/bad in step with the table
// and with the loader's own bad files.
func TestBadScenarioFilesAreCopies(t *testing.T) {
	names, err := filepath.Glob(filepath.Join("testdata", "bad", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, tc := range badScenarioFiles {
		listed[tc.name] = true
	}
	if len(names) != len(listed) {
		t.Errorf("testdata/bad holds %d files, the table lists %d", len(names), len(listed))
	}
	for _, n := range names {
		name := strings.TrimSuffix(filepath.Base(n), ".yaml")
		if !listed[name] {
			t.Errorf("testdata/bad/%s.yaml is not in the table", name)
		}
		ours, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := os.ReadFile(filepath.Join("..", "..", "scenario", "testdata", "bad", name+".yaml"))
		if err != nil {
			t.Logf("the loader no longer has %s.yaml: %v", name, err)
			continue
		}
		if string(ours) != string(theirs) {
			t.Errorf("testdata/bad/%s.yaml differs from scenario/testdata/bad/%s.yaml; copy it again and check the table", name, name)
		}
	}
}

// TestBadFlags checks that each bad flag or argument of compare, run, audit
// and trace exits 2 with a message that says what is wrong (and what would
// be right), and that no output file is written.
func TestBadFlags(t *testing.T) {
	roadmaps := strings.Join(koreaRoadmaps, ", ")
	noRoadmap := `parley: builtin:korea has no roadmap "nope"; it has: ` + roadmaps + "\n"
	horizon3 := "parley: --horizon 3 does not suit builtin:korea:\n" +
		"roadmaps[0]: roadmap denuclearization-first needs 11 rounds after tranche expansion but horizon is 3; raise environment.horizon to at least 11, or use fewer phases or tranches\n" +
		"roadmaps[1]: roadmap peace-first needs 8 rounds after tranche expansion but horizon is 3; raise environment.horizon to at least 8, or use fewer phases or tranches\n" +
		"roadmaps[2]: roadmap grand-bargain needs 4 rounds after tranche expansion but horizon is 3; raise environment.horizon to at least 4, or use fewer phases or tranches\n" +
		"roadmaps[3]: roadmap grit needs 9 rounds after tranche expansion but horizon is 3; raise environment.horizon to at least 9, or use fewer phases or tranches\n"
	sim := []string{"--runs", "10", "-o", "out.json", "--report", "out.html"}
	out := []string{"-o", "out.txt"}
	tests := []struct {
		name string
		args []string
		want string // the whole of stderr, or with prefix, its beginning
		// prefix: want is only the beginning of stderr
		prefix bool
	}{
		{"runs zero", []string{"compare", "--runs", "0", "-o", "out.json", "--report", "out.html"},
			"parley: --runs must be at least 1, got 0\n", false},
		{"runs negative", []string{"compare", "--runs", "-5", "-o", "out.json", "--report", "out.html"},
			"parley: --runs must be at least 1, got -5\n", false},
		{"runs too many", []string{"compare", "--runs", "1099511627777", "-o", "out.json", "--report", "out.html"},
			"parley: --runs must be at most 1099511627776, got 1099511627777\n", false},
		{"runs not a number", []string{"compare", "--runs", "many", "-o", "out.json"},
			"parley: invalid value \"many\" for --runs: expected a whole number\nRun 'parley compare --help' for usage.\n", false},
		{"workers negative", append([]string{"compare", "--workers", "-1"}, sim...),
			"parley: --workers must be 0 (every core) or more, got -1\n", false},
		{"run workers negative", append([]string{"run", "--roadmap", "grit", "--workers", "-1"}, sim...),
			"parley: --workers must be 0 (every core) or more, got -1\n", false},
		{"horizon too short", append([]string{"compare", "--horizon", "3"}, sim...), horizon3, false},
		{"run horizon too short", append([]string{"run", "--roadmap", "peace-first", "--horizon", "3"}, sim...),
			"parley: --horizon 3 does not suit builtin:korea:\n" +
				"roadmaps[1]: roadmap peace-first needs 8 rounds after tranche expansion but horizon is 3; raise environment.horizon to at least 8, or use fewer phases or tranches\n", false},
		{"horizon too long", append([]string{"compare", "--horizon", "10001"}, sim...),
			"parley: --horizon must be at most 10000 rounds, got 10001\n", false},
		{"horizon negative", append([]string{"compare", "--horizon", "-1"}, sim...),
			"parley: --horizon must be at least 1, got -1\n", false},
		{"unknown roadmap", append([]string{"compare", "--roadmap", "nope"}, sim...), noRoadmap, false},
		{"run unknown roadmap", append([]string{"run", "--roadmap", "nope"}, sim...), noRoadmap, false},
		{"roadmap twice", append([]string{"compare", "--roadmap", "grit", "--roadmap", "grit"}, sim...),
			"parley: roadmap \"grit\" named twice\n", false},
		{"run without roadmap", append([]string{"run"}, sim...),
			"parley: --roadmap is required; builtin:korea has: " + roadmaps + "\n", false},
		{"format xml", append([]string{"compare", "--format", "xml"}, sim...),
			"parley: invalid argument \"xml\" for \"--format\" flag: unknown format \"xml\", want one of text|markdown|csv|json\nRun 'parley compare --help' for usage.\n", false},
		{"two scenarios", append([]string{"compare", "builtin:korea", "builtin:tiny"}, sim...),
			"parley: accepts at most 1 arg(s), received 2\nRun 'parley compare --help' for usage.\n", false},
		{"run two scenarios", append([]string{"run", "--roadmap", "grit", "a.yaml", "b.yaml"}, sim...),
			"parley: accepts at most 1 arg(s), received 2\nRun 'parley run --help' for usage.\n", false},
		{"missing file", append([]string{"compare", "missing.yaml"}, sim...),
			"parley: no file missing.yaml\n", false},
		{"bare built-in name", append([]string{"compare", "korea"}, sim...),
			"parley: no file korea; for the built-in scenario write builtin:korea\n", false},
		{"unknown built-in", append([]string{"compare", "builtin:nope"}, sim...),
			`parley: no built-in scenario "nope"; the built-ins are ` + strings.Join(scenario.BuiltinNames(), ", ") + "\n", false},
		{"set out of range", append([]string{"compare", "--set", "actors.DPRK.insecurity=7"}, sim...),
			"parley: builtin:korea with --set is not a valid scenario:\nactors[1].insecurity: must be a fraction between 0 and 1, got 7\n", false},

		{"audit unknown type", append([]string{"audit", "--profile", "US=nobody"}, out...),
			"parley: --profile: US has no type \"nobody\"; its types are engager, congress-bound, opportunist\n", false},
		{"audit unknown actor", append([]string{"audit", "--profile", "nobody=x"}, out...),
			"parley: --profile: unknown actor \"nobody\"; the actors are US, DPRK, ROK, China\n", false},
		{"audit profile and all profiles", append([]string{"audit", "--profile", "US=engager", "--all-profiles"}, out...),
			"parley: --profile and --all-profiles cannot be used together\n", false},
		{"audit profile without type", append([]string{"audit", "--profile", "US"}, out...),
			"parley: --profile: \"US\" is not ACTOR=TYPE\n", false},
		{"audit actor twice", append([]string{"audit", "--profile", "US=engager,US=opportunist"}, out...),
			"parley: --profile: actor \"US\" named twice\n", false},
		{"audit unknown roadmap", append([]string{"audit", "--roadmap", "nope"}, out...), noRoadmap, false},
		{"audit format csv", append([]string{"audit", "--format", "csv"}, out...),
			"parley: invalid argument \"csv\" for \"--format\" flag: unknown format \"csv\", want one of text|markdown|json\nRun 'parley audit --help' for usage.\n", false},
		{"audit missing file", append([]string{"audit", "missing.yaml"}, out...),
			"parley: no file missing.yaml\n", false},

		{"trace unknown roadmap", append([]string{"trace", "--roadmap", "nope"}, out...), noRoadmap, false},
		{"trace format csv", append([]string{"trace", "--format", "csv"}, out...),
			"parley: invalid argument \"csv\" for \"--format\" flag: unknown format \"csv\", want one of text|json\nRun 'parley trace --help' for usage.\n", false},
		{"trace negative history", append([]string{"trace", "--history", "-1"}, out...),
			"parley: invalid value \"-1\" for --history: expected a whole number, 0 or more\nRun 'parley trace --help' for usage.\n", false},
		{"trace two scenarios", append([]string{"trace", "builtin:korea", "builtin:tiny"}, out...),
			"parley: accepts at most 1 arg(s), received 2\nRun 'parley trace --help' for usage.\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			r := runQuiet(t, dir, ExitUsage, tc.args...)
			if tc.prefix {
				if !strings.HasPrefix(r.stderr, tc.want) || strings.Count(r.stderr, "parley: ") != 1 {
					t.Errorf("stderr = %q, want one message starting %q", r.stderr, tc.want)
				}
			} else if r.stderr != tc.want {
				t.Errorf("stderr:\n%s\nwant:\n%s", r.stderr, tc.want)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %.200q, want nothing", r.stdout)
			}
			assertEmptyDir(t, dir)
		})
	}
}

func TestScenarioDirectoryIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "scenarios"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"compare", "audit", "trace"} {
		r := runQuiet(t, dir, ExitUsage, cmd, "scenarios", "-o", "out.txt")
		if r.stderr != "parley: scenarios is a directory, not a scenario file\n" {
			t.Errorf("%s: stderr = %q", cmd, r.stderr)
		}
	}
	if names := dirEntries(t, dir); len(names) != 1 {
		t.Errorf("the directory holds %v, want only scenarios/", names)
	}
}

// TestHorizonTooShortNamesRoadmap: the message for a --horizon too short
// should name the roadmap that does not fit by its id, as the user knows it,
// not only by its index in the file.
func TestHorizonTooShortNamesRoadmap(t *testing.T) {
	dir := t.TempDir()
	r := runQuiet(t, dir, ExitUsage, "run", "--roadmap", "peace-first", "--horizon", "3", "--runs", "10", "-o", "out.json")
	if !strings.Contains(r.stderr, "needs 8 rounds after tranche expansion but horizon is 3") {
		t.Errorf("stderr = %q, want it to say peace-first needs 8 rounds", r.stderr)
	}
	assertEmptyDir(t, dir)
	if !strings.Contains(r.stderr, "peace-first") {
		t.Errorf("the message does not name the roadmap peace-first: %q", r.stderr)
	}
}

// TestHorizonOnlyForChosenRoadmaps: --horizon 5 suits grand-bargain, which
// needs 4 rounds, so running that roadmap alone should work even though
// other roadmaps of korea need more.
func TestHorizonOnlyForChosenRoadmaps(t *testing.T) {
	dir := t.TempDir()
	r := runQuiet(t, dir, -1, "run", "--roadmap", "grand-bargain", "--horizon", "5", "--runs", "10", "--format", "json")
	if r.code != ExitOK {
		t.Fatalf("exit %d, stderr %q; want 0", r.code, r.stderr)
	}
	if c := decodeComparison(t, r.stdout); c.Horizon != 5 {
		t.Errorf("horizon %d, want 5", c.Horizon)
	}
}

// TestUnwritableOutputWritesNothing: when -o cannot be written, the
// command fails and the --report file is not left behind either.
func TestUnwritableOutputWritesNothing(t *testing.T) {
	dir := t.TempDir()
	r := runQuiet(t, dir, ExitFailure, "compare", "--runs", "10", "--report", "out.html", "-o", "missing/out.json")
	if !strings.HasPrefix(r.stderr, "parley: writing ") || !strings.Contains(r.stderr, "no such file or directory") {
		t.Errorf("stderr = %q, want it to say the output cannot be written", r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("stdout = %.200q, want nothing", r.stdout)
	}
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Errorf("the directory holds %v, want nothing", names)
	}
}
