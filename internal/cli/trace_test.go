package cli

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// traceJSON is trace's JSON output.
type traceJSON struct {
	Scenario string            `json:"scenario"`
	Roadmap  string            `json:"roadmap"`
	Seed     uint64            `json:"seed"`
	History  uint64            `json:"history"`
	Status   string            `json:"status"`
	Cause    string            `json:"cause"`
	Rounds   int               `json:"rounds"`
	Types    map[string]string `json:"types"`
	Utility  []float64         `json:"utility"`
	Exposure []float64         `json:"exposure"`
	Leverage []float64         `json:"leverage"`
	Events   []struct {
		Round int      `json:"round"`
		Phase int      `json:"phase"`
		Kind  string   `json:"kind"`
		Actor string   `json:"actor"`
		Other string   `json:"other"`
		Step  string   `json:"step"`
		From  *float64 `json:"from"`
		To    *float64 `json:"to"`
	} `json:"events"`
}

func decodeTrace(t *testing.T, out string) *traceJSON {
	t.Helper()
	var tr traceJSON
	if err := json.Unmarshal([]byte(out), &tr); err != nil {
		t.Fatalf("trace's JSON does not decode: %v\n%.500s", err, out)
	}
	return &tr
}

// statuses are the ways a history can end (engine.Status).
var statuses = []string{"completed", "completed-but-cheated", "breakdown", "partial", "stalemate", "horizon", "baseline"}

func TestTraceGolden(t *testing.T) {
	out := mustRun(t, t.TempDir(), "trace", "--roadmap", "peace-first", "--seed", "3")
	checkGolden(t, "trace-peace-first-seed3.golden", []byte(out))
}

// TestTraceTextAgreesWithJSON checks the story against the JSON of the same
// history: the header, the true types, the rounds and the outcome.
func TestTraceTextAgreesWithJSON(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"trace", "--roadmap", "peace-first", "--seed", "3"},
		{"trace", "--roadmap", "grand-bargain", "--seed", "11", "--history", "7"},
		{"trace", "builtin:tiny", "--history", "2"},
	} {
		text := mustRun(t, dir, args...)
		tr := decodeTrace(t, mustRun(t, dir, append(args, "--format", "json")...))
		lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
		if want := "Roadmap " + tr.Roadmap + " ("; !strings.HasPrefix(lines[0], want) {
			t.Errorf("%v: first line %q, want it to start %q", args, lines[0], want)
		}
		for actor, typ := range tr.Types {
			if !strings.Contains(text, "\n"+actor+" is in truth of type "+typ+" (") {
				t.Errorf("%v: the story does not say %s is of type %s", args, actor, typ)
			}
		}
		// the last round told is the history's last round
		rounds := regexp.MustCompile(`(?m)^Round (\d+) `).FindAllStringSubmatch(text, -1)
		if len(rounds) == 0 {
			t.Fatalf("%v: no round in the story", args)
		}
		if last, _ := strconv.Atoi(rounds[len(rounds)-1][1]); last != tr.Rounds {
			t.Errorf("%v: the story's last round is %d, the history has %d rounds", args, last, tr.Rounds)
		}
		n := fmt.Sprintf("%d rounds", tr.Rounds)
		if tr.Rounds == 1 {
			n = "1 round"
		}
		outcome := "Outcome: " + tr.Status + " after " + n
		if tr.Cause != "" {
			outcome += " (" + tr.Cause + ")"
		}
		outcome += "."
		i := strings.Index(text, "\n\n"+outcome+"\n")
		if i < 0 {
			t.Fatalf("%v: no line %q", args, outcome)
		}
		// after the outcome: one line per actor, then one per milestone
		tail := strings.Split(text[i+2:], "\n")[1:]
		tail = tail[:len(tail)-1]
		if len(tail) < len(tr.Types) {
			t.Fatalf("%v: %d lines after the outcome, want at least one per actor", args, len(tail))
		}
		for a, l := range tail[:len(tr.Types)] {
			want := fmt.Sprintf("utility %.3f, exposure %.3f, leverage left %.3f", tr.Utility[a], tr.Exposure[a], tr.Leverage[a])
			if !strings.Contains(l, want) {
				t.Errorf("%v: actor line %q, want %q", args, l, want)
			}
		}
		for _, l := range tail[len(tr.Types):] {
			if !strings.HasPrefix(l, "  milestone ") {
				t.Errorf("%v: line %q after the actors, want a milestone", args, l)
			}
		}
	}
}

func TestTraceJSON(t *testing.T) {
	dir := t.TempDir()
	out := mustRun(t, dir, "trace", "--roadmap", "peace-first", "--seed", "3", "--format", "json")
	tr := decodeTrace(t, out)
	if tr.Scenario != "korea" || tr.Roadmap != "peace-first" || tr.Seed != 3 || tr.History != 0 {
		t.Errorf("scenario %q roadmap %q seed %d history %d; want korea peace-first 3 0", tr.Scenario, tr.Roadmap, tr.Seed, tr.History)
	}
	if !slices.Contains(statuses, tr.Status) {
		t.Errorf("status %q is not one of %v", tr.Status, statuses)
	}
	if tr.Rounds < 1 || tr.Rounds > 40 {
		t.Errorf("rounds = %d, want 1..40", tr.Rounds)
	}
	if len(tr.Types) != 4 || len(tr.Utility) != 4 || len(tr.Exposure) != 4 || len(tr.Leverage) != 4 {
		t.Errorf("types %v, %d utilities, %d exposures, %d leverages; want 4 of each", tr.Types, len(tr.Utility), len(tr.Exposure), len(tr.Leverage))
	}
	if len(tr.Events) == 0 {
		t.Fatal("no events")
	}
	if last := tr.Events[len(tr.Events)-1]; last.Kind != "end" || last.Round != tr.Rounds {
		t.Errorf("last event %+v, want the end in round %d", last, tr.Rounds)
	}
	types := map[string]string{}
	prev := 0
	for i, e := range tr.Events {
		if e.Kind == "" {
			t.Errorf("event %d has no kind", i)
		}
		if e.Round < prev {
			t.Errorf("event %d is in round %d, after round %d", i, e.Round, prev)
		}
		prev = e.Round
		if e.Kind == "type" {
			types[e.Actor] = e.Other
		}
		if (e.Kind == "trust" || e.Kind == "insecurity") && (e.From == nil || e.To == nil || *e.To < 0 || *e.To > 1) {
			t.Errorf("event %d (%s) has from %v to %v, want two numbers, to within [0, 1]", i, e.Kind, e.From, e.To)
		}
	}
	if fmt.Sprint(types) != fmt.Sprint(tr.Types) {
		t.Errorf("the type events draw %v, the result says %v", types, tr.Types)
	}
	// the same history again: the very same bytes
	if again := mustRun(t, dir, "trace", "--roadmap", "peace-first", "--seed", "3", "--format", "json"); again != out {
		t.Error("trace twice with the same seed gives different output")
	}
	// another history of the seed is another history
	if other := mustRun(t, dir, "trace", "--roadmap", "peace-first", "--seed", "3", "--history", "1", "--format", "json"); other == out {
		t.Error("--history 1 gives the same output as --history 0")
	}
}

func TestTraceDefaultsToFirstRoadmap(t *testing.T) {
	dir := t.TempDir()
	tr := decodeTrace(t, mustRun(t, dir, "trace", "--format", "json"))
	if tr.Roadmap != koreaRoadmaps[0] || tr.Seed != 1 || tr.History != 0 {
		t.Errorf("roadmap %q seed %d history %d; want %s 1 0", tr.Roadmap, tr.Seed, tr.History, koreaRoadmaps[0])
	}
	if mustRun(t, dir, "trace") != mustRun(t, dir, "trace", "builtin:korea", "--roadmap", koreaRoadmaps[0], "--seed", "1", "--history", "0") {
		t.Error("trace without flags differs from trace of korea's first roadmap, seed 1, history 0")
	}
}

// TestTraceTellsTheHistoriesCompareCounts plays histories 0..n-1 one by one
// with trace and checks that they add up to compare's numbers for the same
// seed: every outcome share, every cause, the mean length, each actor's mean
// utility and how often each type is drawn.
func TestTraceTellsTheHistoriesCompareCounts(t *testing.T) {
	const n = 200
	const seed = "17"
	for _, roadmap := range []string{"peace-first", "grit"} {
		t.Run(roadmap, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			var c struct {
				Roadmaps []struct {
					Outcomes []shareJSON `json:"outcomes"`
					Causes   []shareJSON `json:"causes"`
					Rounds   struct {
						Mean float64 `json:"mean"`
					} `json:"rounds"`
					Actors []struct {
						ID      string `json:"id"`
						Utility struct {
							Mean float64 `json:"mean"`
						} `json:"utility"`
						ByType []struct {
							Counterpart string  `json:"counterpart"`
							Type        string  `json:"type"`
							Share       float64 `json:"share"`
						} `json:"by_counterpart_type"`
					} `json:"actors"`
				} `json:"roadmaps"`
			}
			out := mustRun(t, dir, "run", "--roadmap", roadmap, "--runs", strconv.Itoa(n), "--seed", seed, "--format", "json")
			if err := json.Unmarshal([]byte(out), &c); err != nil || len(c.Roadmaps) != 1 {
				t.Fatalf("run's JSON: %v, %d roadmaps", err, len(c.Roadmaps))
			}
			want := c.Roadmaps[0]

			status := map[string]int{}
			cause := map[string]int{}
			types := map[string]int{} // "actor type"
			rounds := 0
			utility := make([]float64, len(want.Actors))
			for h := 0; h < n; h++ {
				tr := decodeTrace(t, mustRun(t, dir, "trace", "--roadmap", roadmap, "--seed", seed, "--history", strconv.Itoa(h), "--format", "json"))
				if !slices.Contains(statuses, tr.Status) {
					t.Fatalf("history %d: status %q is not one of %v", h, tr.Status, statuses)
				}
				status[tr.Status]++
				if tr.Cause != "" {
					cause[tr.Cause]++
				}
				for a, ty := range tr.Types {
					types[a+" "+ty]++
				}
				rounds += tr.Rounds
				for a := range utility {
					utility[a] += tr.Utility[a]
				}
			}

			count := func(p float64) int { return int(math.Round(p * n)) }
			seen := 0
			for _, o := range want.Outcomes {
				if got := status[o.Name]; got != count(o.P) {
					t.Errorf("%d traced histories end %s, run counts %d (p = %v)", got, o.Name, count(o.P), o.P)
				}
				seen += status[o.Name]
			}
			if seen != n {
				t.Errorf("only %d of the %d traced statuses are among run's outcomes (%v)", seen, n, status)
			}
			listed := 0
			for _, cs := range want.Causes {
				if got := cause[cs.Name]; got != count(cs.P) {
					t.Errorf("cause %q: %d traced histories, run counts %d", cs.Name, got, count(cs.P))
				}
				listed += cause[cs.Name]
			}
			total := 0
			for _, k := range cause {
				total += k
			}
			if listed != total {
				t.Errorf("run lists causes for %d histories, trace gives a cause for %d: %v", listed, total, cause)
			}
			if mean := float64(rounds) / n; math.Abs(mean-want.Rounds.Mean) > 1e-9 {
				t.Errorf("traced histories last %v rounds on average, run says %v", mean, want.Rounds.Mean)
			}
			for a, ar := range want.Actors {
				if mean := utility[a] / n; math.Abs(mean-ar.Utility.Mean) > 1e-9 {
					t.Errorf("%s: mean traced utility %v, run says %v", ar.ID, mean, ar.Utility.Mean)
				}
			}
			// how often each type was drawn, as the first actor sees its counterparts
			checked := 0
			for _, bt := range want.Actors[0].ByType {
				if got := types[bt.Counterpart+" "+bt.Type]; got != count(bt.Share) {
					t.Errorf("%s of type %s in %d traced histories, run says %d", bt.Counterpart, bt.Type, got, count(bt.Share))
				}
				checked++
			}
			if checked == 0 {
				t.Error("run gives no shares by counterpart type")
			}
		})
	}
}

func TestTraceOutputFile(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"text", "json"} {
		args := []string{"trace", "--roadmap", "grit", "--seed", "5", "--format", f}
		stdout := mustRun(t, dir, args...)
		if r := runQuiet(t, dir, ExitOK, append(args, "-o", "trace."+f)...); r.stdout != "" {
			t.Errorf("with -o, stdout = %.100q", r.stdout)
		}
		got, err := os.ReadFile(filepath.Join(dir, "trace."+f))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != stdout {
			t.Errorf("%s: -o writes other bytes than stdout", f)
		}
	}
}

func TestTraceBaseline(t *testing.T) {
	dir := t.TempDir()
	tr := decodeTrace(t, mustRun(t, dir, "trace", "--roadmap", "status-quo", "--format", "json"))
	if tr.Status != "baseline" || tr.Rounds != 40 || tr.Cause != "" {
		t.Errorf("status %q after %d rounds, cause %q; want baseline after 40, no cause", tr.Status, tr.Rounds, tr.Cause)
	}
	for a, u := range tr.Utility {
		if u != 0 {
			t.Errorf("actor %d has utility %v in the status quo, want 0", a, u)
		}
	}

	r := runQuiet(t, dir, -1, "trace", "--roadmap", "status-quo")
	if r.code != ExitOK || !strings.Contains(r.stdout, "\nOutcome: baseline after 40 rounds.\n") {
		t.Errorf("exit %d, stdout %.300q; want 0 and the baseline's outcome", r.code, r.stdout)
	}
}
