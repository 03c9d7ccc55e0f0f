package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/report"
	"github.com/parleyhq/parley/scenario"
)

// update rewrites the golden files under testdata/ instead of comparing:
//
//	go test ./internal/cli -update
var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// koreaRoadmaps are the roadmaps of the built-in korea scenario, in order.
var koreaRoadmaps = []string{"denuclearization-first", "peace-first", "grand-bargain", "grit", "status-quo"}

// checkGolden compares got with testdata/name, or rewrites the file with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(gl), len(wl)); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("output differs from %s at line %d:\ngot:  %q\nwant: %q\n(%d lines vs %d; if the change is intended, run go test ./internal/cli -update and review the diff)",
				path, i+1, g, w, len(gl), len(wl))
		}
	}
}

// runQuiet is runIn without logging the whole output, for tests that run
// parley many times or produce large outputs; it reports the output only
// when the exit code is not want (any code will do when want is negative).
func runQuiet(t *testing.T, dir string, want int, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), &Env{Args: args, Dir: dir, Stdout: &stdout, Stderr: &stderr, Version: "test"}, commands)
	r := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	if want >= 0 && code != want {
		t.Errorf("parley %s → exit %d, want %d\nstderr:\n%s\nstdout (first 2000 bytes):\n%.2000s",
			strings.Join(args, " "), code, want, r.stderr, r.stdout)
	}
	return r
}

// mustRun runs parley quietly and stops the test unless it exits 0 with
// nothing on stderr.
func mustRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	r := runQuiet(t, dir, ExitOK, args...)
	if r.code != ExitOK {
		t.FailNow()
	}
	if r.stderr != "" {
		t.Fatalf("parley %s: stderr = %q, want nothing", strings.Join(args, " "), r.stderr)
	}
	return r.stdout
}

// assertEmptyDir fails unless dir holds no file at all (not even a
// temporary one left behind).
func assertEmptyDir(t *testing.T, dir string) {
	t.Helper()
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Errorf("%s holds %v, want nothing written", dir, names)
	}
}

// comparisonJSON is the part of compare's JSON output the tests check.
type comparisonJSON struct {
	Scenario string `json:"scenario"`
	Runs     int    `json:"runs"`
	Seed     uint64 `json:"seed"`
	Exact    bool   `json:"exact"`
	Horizon  int    `json:"horizon"`
	Roadmaps []struct {
		ID       string      `json:"id"`
		Baseline bool        `json:"baseline"`
		Phases   int         `json:"phases"`
		Outcomes []shareJSON `json:"outcomes"`
		Causes   []shareJSON `json:"causes"`
		Rounds   struct {
			Mean float64 `json:"mean"`
			SD   float64 `json:"sd"`
		} `json:"rounds"`
		Actors []struct {
			ID      string `json:"id"`
			Utility struct {
				Mean float64 `json:"mean"`
			} `json:"utility"`
		} `json:"actors"`
	} `json:"roadmaps"`
}

type shareJSON struct {
	Name string  `json:"name"`
	P    float64 `json:"p"`
	Lo   float64 `json:"lo"`
	Hi   float64 `json:"hi"`
}

func decodeComparison(t *testing.T, out string) *comparisonJSON {
	t.Helper()
	var c comparisonJSON
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatalf("compare's JSON does not decode: %v\n%.500s", err, out)
	}
	return &c
}

// roadmapObjects returns the JSON object of each roadmap of a comparison,
// compacted, by id.
func roadmapObjects(t *testing.T, out string) map[string]string {
	t.Helper()
	var c struct {
		Roadmaps []json.RawMessage `json:"roadmaps"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, raw := range c.Roadmaps {
		var id struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(raw, &id); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := json.Compact(&b, raw); err != nil {
			t.Fatal(err)
		}
		m[id.ID] = b.String()
	}
	return m
}

func TestCompareSameForAnyWorkers(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"compare", []string{"compare", "--runs", "3000", "--seed", "42", "--format", "json"}},
		{"run", []string{"run", "--roadmap", "peace-first", "--runs", "3000", "--seed", "42", "--format", "json"}},
		{"compare text", []string{"compare", "--runs", "1000", "--seed", "42"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var first string
			for _, w := range []string{"1", "2", "8"} {
				out := mustRun(t, dir, append(slices.Clone(tc.args), "--workers", w)...)
				if first == "" {
					first = out
					continue
				}
				if out != first {
					t.Errorf("--workers %s gives different output than --workers 1", w)
				}
			}
		})
	}
}

func TestRunEqualsCompareForItsRoadmap(t *testing.T) {
	dir := t.TempDir()
	cmp := roadmapObjects(t, mustRun(t, dir, "compare", "--runs", "3000", "--seed", "42", "--format", "json"))
	if len(cmp) != len(koreaRoadmaps) {
		t.Fatalf("compare gave %d roadmaps, want %d", len(cmp), len(koreaRoadmaps))
	}
	for _, id := range []string{"peace-first", "grit", "status-quo"} {
		out := mustRun(t, dir, "run", "--roadmap", id, "--runs", "3000", "--seed", "42", "--format", "json", "--workers", "3")
		got := roadmapObjects(t, out)
		if len(got) != 1 {
			t.Fatalf("run --roadmap %s gave roadmaps %v, want only it", id, got)
		}
		if got[id] == "" || got[id] != cmp[id] {
			t.Errorf("run --roadmap %s differs from compare's numbers for it:\nrun:     %.300s\ncompare: %.300s", id, got[id], cmp[id])
		}
	}
	// --roadmap on compare picks the same histories as well
	sub := roadmapObjects(t, mustRun(t, dir, "compare", "--roadmap", "grit", "--roadmap", "peace-first", "--runs", "3000", "--seed", "42", "--format", "json"))
	if len(sub) != 2 || sub["grit"] != cmp["grit"] || sub["peace-first"] != cmp["peace-first"] {
		t.Errorf("compare --roadmap grit --roadmap peace-first differs from the full comparison")
	}
}

func TestCompareSeedMatters(t *testing.T) {
	dir := t.TempDir()
	a := mustRun(t, dir, "compare", "--runs", "500", "--seed", "42", "--format", "json")
	b := mustRun(t, dir, "compare", "--runs", "500", "--seed", "43", "--format", "json")
	if a == b {
		t.Fatal("--seed 42 and --seed 43 give the same output")
	}
	ca, cb := roadmapObjects(t, a), roadmapObjects(t, b)
	for _, id := range []string{"peace-first", "grand-bargain", "grit"} {
		if ca[id] == cb[id] {
			t.Errorf("roadmap %s: the same numbers for --seed 42 and --seed 43", id)
		}
	}
	// and the same seed again gives the same output
	if again := mustRun(t, dir, "compare", "--runs", "500", "--seed", "42", "--format", "json"); again != a {
		t.Error("--seed 42 twice gives different output")
	}
	// the default seed is 1
	if mustRun(t, dir, "compare", "--runs", "200", "--format", "json") != mustRun(t, dir, "compare", "--runs", "200", "--seed", "1", "--format", "json") {
		t.Error("compare without --seed differs from --seed 1")
	}
}

func TestCompareGolden(t *testing.T) {
	out := mustRun(t, t.TempDir(), "compare", "--runs", "2000", "--seed", "1")
	checkGolden(t, "compare-korea.golden", []byte(out))
}

// section returns the lines of the text table headed by title: from the
// line after the title and its note up to the next blank line.
func section(t *testing.T, out, title string) []string {
	t.Helper()
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if l != title {
			continue
		}
		var rows []string
		for _, r := range lines[i+1:] {
			if r == "" {
				break
			}
			rows = append(rows, r)
		}
		return rows
	}
	t.Fatalf("no section %q in\n%s", title, out)
	return nil
}

func TestCompareDefaultsToKorea(t *testing.T) {
	dir := t.TempDir()
	r := runIn(t, dir, "compare", "--runs", "300")
	if r.code != ExitOK || r.stderr != "" {
		t.Fatalf("exit %d, stderr %q; want 0 and nothing", r.code, r.stderr)
	}
	if !strings.HasPrefix(r.stdout, "Scenario korea — ") {
		t.Errorf("output starts %.60q, want the korea scenario", r.stdout)
	}
	if !strings.Contains(r.stdout, "300 histories per roadmap, seed 1, horizon 40 rounds of 1 month") {
		t.Errorf("the heading does not give runs, seed and horizon:\n%.300s", r.stdout)
	}
	rows := section(t, r.stdout, "Outcomes")
	// a note, a header, then one row per roadmap
	if len(rows) != 2+len(koreaRoadmaps) {
		t.Fatalf("Outcomes has %d lines, want a note, a header and %d roadmaps:\n%s", len(rows), len(koreaRoadmaps), strings.Join(rows, "\n"))
	}
	if !strings.HasPrefix(rows[1], "roadmap ") || !strings.Contains(rows[1], "completed") || !strings.HasSuffix(rows[1], "mean rounds") {
		t.Errorf("Outcomes header = %q", rows[1])
	}
	for i, id := range koreaRoadmaps {
		if f := strings.Fields(rows[2+i]); f[0] != id {
			t.Errorf("Outcomes row %d is %q, want roadmap %s", i+1, rows[2+i], id)
		}
	}
	for _, title := range []string{"Why talks ended early", "Milestones", "Actors", "Exposure and leverage by the counterpart's true type"} {
		section(t, r.stdout, title)
	}
	// the same as naming the built-in
	if named := mustRun(t, dir, "compare", "builtin:korea", "--runs", "300"); named != r.stdout {
		t.Error("compare builtin:korea differs from compare without a scenario")
	}
	assertEmptyDir(t, dir)
}

func TestCompareJSON(t *testing.T) {
	out := mustRun(t, t.TempDir(), "compare", "--runs", "1000", "--seed", "9", "--format", "json")
	c := decodeComparison(t, out)
	if c.Scenario != "korea" || c.Runs != 1000 || c.Seed != 9 || c.Horizon != 40 {
		t.Errorf("scenario %q, runs %d, seed %d, horizon %d; want korea, 1000, 9, 40", c.Scenario, c.Runs, c.Seed, c.Horizon)
	}
	var ids []string
	for _, r := range c.Roadmaps {
		ids = append(ids, r.ID)
		if len(r.Outcomes) == 0 {
			t.Errorf("%s: no outcomes", r.ID)
		}
		sum := 0.0
		for _, o := range r.Outcomes {
			sum += o.P
			if !(0 <= o.Lo && o.Lo <= o.P && o.P <= o.Hi && o.Hi <= 1) {
				t.Errorf("%s: outcome %s p %v not within its interval [%v, %v] in [0, 1]", r.ID, o.Name, o.P, o.Lo, o.Hi)
			}
			// every share is a whole number of the 1000 histories
			if k := o.P * 1000; math.Abs(k-math.Round(k)) > 1e-6 {
				t.Errorf("%s: outcome %s p %v is not a count over 1000 histories", r.ID, o.Name, o.P)
			}
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("%s: outcome shares sum to %.15g, want 1", r.ID, sum)
		}
		if r.Baseline != (r.ID == "status-quo") {
			t.Errorf("%s: baseline = %v", r.ID, r.Baseline)
		}
		if r.Baseline {
			if len(r.Outcomes) != 1 || r.Outcomes[0].Name != "baseline" || r.Outcomes[0].P != 1 {
				t.Errorf("the baseline's outcomes are %+v, want baseline with p 1", r.Outcomes)
			}
			if r.Rounds.Mean != 40 || r.Rounds.SD != 0 {
				t.Errorf("the baseline lasts %v ± %v rounds, want the horizon 40 ± 0", r.Rounds.Mean, r.Rounds.SD)
			}
			for _, a := range r.Actors {
				if a.Utility.Mean != 0 {
					t.Errorf("the baseline gives %s utility %v, want 0", a.ID, a.Utility.Mean)
				}
			}
		} else if r.Rounds.Mean < 1 || r.Rounds.Mean > 40 {
			t.Errorf("%s: mean rounds %v outside 1..40", r.ID, r.Rounds.Mean)
		}
		if len(r.Actors) != 4 {
			t.Errorf("%s: %d actors, want 4", r.ID, len(r.Actors))
		}
	}
	if !slices.Equal(ids, koreaRoadmaps) {
		t.Errorf("roadmaps %v, want %v", ids, koreaRoadmaps)
	}
}

func TestCompareCSV(t *testing.T) {
	out := mustRun(t, t.TempDir(), "compare", "--runs", "400", "--format", "csv")
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("compare's CSV does not parse: %v", err)
	}
	if got := strings.Join(recs[0], ","); got != "roadmap,metric,key,value,lo,hi" {
		t.Fatalf("CSV header = %q, want roadmap,metric,key,value,lo,hi", got)
	}
	outcomes := map[string]float64{}
	metrics := map[string]bool{}
	for i, rec := range recs[1:] {
		if !slices.Contains(koreaRoadmaps, rec[0]) {
			t.Errorf("row %d: roadmap %q is not one of korea's", i+2, rec[0])
		}
		metrics[rec[1]] = true
		v, err := strconv.ParseFloat(rec[3], 64)
		if err != nil {
			t.Errorf("row %d: value %q is not a number", i+2, rec[3])
		}
		for _, s := range rec[4:] {
			if _, err := strconv.ParseFloat(s, 64); s != "" && err != nil {
				t.Errorf("row %d: interval bound %q is not a number", i+2, s)
			}
		}
		if rec[1] == "outcome" {
			outcomes[rec[0]] += v
		}
	}
	for _, m := range []string{"outcome", "cause", "rounds", "milestone", "utility", "exposure", "leverage"} {
		if !metrics[m] {
			t.Errorf("no %s rows", m)
		}
	}
	for _, id := range koreaRoadmaps {
		if math.Abs(outcomes[id]-1) > 1e-9 {
			t.Errorf("%s: outcome rows sum to %v, want 1", id, outcomes[id])
		}
	}
}

func TestCompareMarkdown(t *testing.T) {
	out := mustRun(t, t.TempDir(), "compare", "--runs", "400", "--format", "markdown")
	if !strings.HasPrefix(out, "## Scenario korea") {
		t.Errorf("Markdown starts %.40q, want a heading", out)
	}
	sep := regexp.MustCompile(`^\|(\s*:?-{3,}:?\s*\|)+$`)
	var tables, cols int
	var rows []string // of the current table
	for _, l := range append(strings.Split(out, "\n"), "") {
		if strings.HasPrefix(l, "|") {
			n := strings.Count(l, "|") - 1
			switch {
			case len(rows) == 0:
				cols = n
			case len(rows) == 1 && !sep.MatchString(l):
				t.Errorf("table %d: second line %q is not a separator", tables+1, l)
			case n != cols:
				t.Errorf("table %d: line %q has %d cells, the header %d", tables+1, l, n, cols)
			}
			rows = append(rows, l)
			continue
		}
		if len(rows) > 0 {
			tables++
			if tables == 1 { // Outcomes
				if len(rows) != 2+len(koreaRoadmaps) {
					t.Errorf("the Outcomes table has %d lines, want %d", len(rows), 2+len(koreaRoadmaps))
				}
				for i, id := range koreaRoadmaps {
					if i+2 < len(rows) && !strings.HasPrefix(rows[i+2], "| "+id+" |") {
						t.Errorf("Outcomes row %q, want roadmap %s", rows[i+2], id)
					}
				}
			}
			rows = nil
		}
	}
	if tables != 5 {
		t.Errorf("%d Markdown tables, want 5 (outcomes, causes, milestones, actors, by type)", tables)
	}
}

func TestCompareOutputFileHasStdoutBytes(t *testing.T) {
	for _, f := range AllFormats {
		t.Run(string(f), func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"compare", "--runs", "300", "--seed", "5", "--format", string(f)}
			stdout := mustRun(t, dir, args...)
			if r := runQuiet(t, dir, ExitOK, append(args, "-o", "out.txt")...); r.stdout != "" {
				t.Errorf("with -o, stdout = %.100q, want nothing", r.stdout)
			}
			got, err := os.ReadFile(filepath.Join(dir, "out.txt"))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != stdout {
				t.Errorf("-o out.txt holds %d bytes that differ from the %d on stdout", len(got), len(stdout))
			}
			if names := dirEntries(t, dir); !slices.Equal(names, []string{"out.txt"}) {
				t.Errorf("the directory holds %v, want only out.txt", names)
			}
			// "-" is standard output
			if r := runQuiet(t, dir, ExitOK, append(args, "-o", "-")...); r.stdout != stdout {
				t.Error("-o - differs from stdout")
			}
		})
	}
}

// htmlScenario has markup in every free-text field that reaches the report.
const htmlScenario = `name: markup
title: '<script>alert("title")</script> & <b>co</b>'
description: '<script>alert("description")</script>'
actors:
  - id: a
    label: '<i>Alpha</i>'
    discount: 0.95
    types:
      - {id: dove, label: '<u>dove</u>', prior: 1, disposition: reciprocator}
  - id: b
    discount: 0.9
    types:
      - {id: dove, prior: 0.6, disposition: reciprocator}
      - {id: hawk, prior: 0.4, disposition: opportunist}
moves:
  - id: pledge
    label: '<script>alert("move")</script>'
    by: a
    cost: 1
    benefit: {b: 2}
  - id: freeze
    label: freeze "<now>"
    by: b
    cost: 1
    benefit: {a: 2}
roadmaps:
  - id: swap
    label: '<script>alert("roadmap")</script>'
    phases:
      - label: '<script>alert("phase")</script>'
        moves: [pledge, freeze]
  - id: status-quo
    baseline: true
milestones:
  - id: done
    label: '<script>alert("milestone")</script>'
    moves: [freeze]
`

func TestCompareHTMLReportEscapes(t *testing.T) {
	dir := writeFiles(t, map[string]string{"markup.yaml": htmlScenario})
	stdout := mustRun(t, dir, "compare", "markup.yaml", "--runs", "200", "--report", "out.html")
	if !strings.HasPrefix(stdout, "Scenario markup.yaml (markup) — <script>") {
		t.Errorf("the text output should show the title as written; it starts %.80q", stdout)
	}
	data, err := os.ReadFile(filepath.Join(dir, "out.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(data)
	if !strings.HasPrefix(html, "<!doctype html>") || !strings.HasSuffix(html, "</html>\n") {
		t.Errorf("the report is not one whole HTML page: %.60q … %q", html, html[max(0, len(html)-20):])
	}
	for _, bad := range []string{"<script", "<b>", "<i>", "<u>", "<now>"} {
		if strings.Contains(html, bad) {
			i := strings.Index(html, bad)
			t.Errorf("the report holds unescaped %q: …%s…", bad, html[max(0, i-80):min(len(html), i+80)])
		}
	}
	for _, want := range []string{
		`&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; &amp; &lt;b&gt;co&lt;/b&gt;`, // <title> and <h1>
		`Audit of swap</h2>`,
		`&lt;script&gt;alert(&#34;roadmap&#34;)&lt;/script&gt;`, // the audit names the roadmap by its label
		"<svg",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Contains(html, "Audit of status-quo") {
		t.Error("the report audits the baseline, which has no phases")
	}
}

func TestCompareHTMLReportKorea(t *testing.T) {
	dir := t.TempDir()
	stdout := mustRun(t, dir, "compare", "--runs", "300", "--report", "report.html", "-o", "out.json", "--format", "json")
	if stdout != "" {
		t.Errorf("stdout = %.100q, want nothing with -o", stdout)
	}
	data, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(data)
	if n := strings.Count(html, "<svg"); n < 7 {
		t.Errorf("the report has %d charts, want at least one per milestone (7)", n)
	}
	for _, id := range koreaRoadmaps[:4] {
		if !strings.Contains(html, "<h2>Audit of "+id+"</h2>") {
			t.Errorf("the report has no audit of %s", id)
		}
	}
	if !strings.Contains(html, "Phase 1 of 8: source phase 1 &#34;Peace declaration&#34;") {
		t.Error("the audit section does not hold the audit's text")
	}
	if !strings.Contains(html, "Made by parley test.") {
		t.Error("the report does not name the version that made it")
	}
	if _, err := os.Stat(filepath.Join(dir, "out.json")); err != nil {
		t.Error(err)
	}
}

func TestRunNeedsRoadmap(t *testing.T) {
	dir := t.TempDir()
	r := runQuiet(t, dir, ExitUsage, "run", "--runs", "10", "-o", "out.json")
	want := "parley: --roadmap is required; builtin:korea has: " + strings.Join(koreaRoadmaps, ", ") + "\n"
	if r.stderr != want {
		t.Errorf("stderr = %q, want %q", r.stderr, want)
	}
	assertEmptyDir(t, dir)
}

func TestRunText(t *testing.T) {
	out := mustRun(t, t.TempDir(), "run", "--roadmap", "grit", "--runs", "500")
	rows := section(t, out, "Outcomes")
	if len(rows) != 3 || !strings.HasPrefix(rows[2], "grit ") {
		t.Errorf("Outcomes of run --roadmap grit:\n%s\nwant one row, grit's", strings.Join(rows, "\n"))
	}
}

func TestCompareFromStdin(t *testing.T) {
	dir := writeFiles(t, map[string]string{"s.yaml": goodScenario})
	fromFile := mustRun(t, dir, "compare", "s.yaml", "--runs", "100", "--format", "json")
	env := &Env{Args: []string{"compare", "-", "--runs", "100", "--format", "json"}, Dir: dir, Stdin: strings.NewReader(goodScenario)}
	r := runWith(t, context.Background(), env, commands)
	if r.code != ExitOK {
		t.Fatalf("exit %d", r.code)
	}
	// the same numbers; only the scenario's name says where it came from
	a, b := roadmapObjects(t, fromFile), roadmapObjects(t, r.stdout)
	if len(a) != 2 || a["swap"] != b["swap"] || a["status-quo"] != b["status-quo"] {
		t.Error("compare - differs from compare FILE for the same scenario")
	}
	if c := decodeComparison(t, r.stdout); c.Scenario != "stdin (tiny)" {
		t.Errorf("scenario = %q, want %q", c.Scenario, "stdin (tiny)")
	}
}

func TestCompareHorizonFlag(t *testing.T) {
	dir := t.TempDir()
	c := decodeComparison(t, mustRun(t, dir, "compare", "--runs", "200", "--horizon", "12", "--format", "json"))
	if c.Horizon != 12 {
		t.Errorf("horizon = %d, want 12", c.Horizon)
	}
	for _, r := range c.Roadmaps {
		if r.Rounds.Mean > 12 {
			t.Errorf("%s: mean rounds %v beyond the horizon 12", r.ID, r.Rounds.Mean)
		}
		if r.Baseline && r.Rounds.Mean != 12 {
			t.Errorf("the baseline lasts %v rounds, want the horizon 12", r.Rounds.Mean)
		}
	}
}

func TestCompareCancelled(t *testing.T) {
	args := []string{"compare", "--runs", "50000000", "-o", "out.json", "--report", "out.html"}
	t.Run("before", func(t *testing.T) {
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		start := time.Now()
		r := runWith(t, ctx, &Env{Args: args, Dir: dir}, commands)
		if r.code != ExitInterrupted || r.stderr != "parley: interrupted\n" || r.stdout != "" {
			t.Errorf("exit %d, stderr %q, stdout %.100q; want 130, %q and nothing", r.code, r.stderr, r.stdout, "parley: interrupted\n")
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("took %v to notice the cancellation", d)
		}
		assertEmptyDir(t, dir)
	})
	t.Run("while", func(t *testing.T) {
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		timer := time.AfterFunc(100*time.Millisecond, cancel)
		defer timer.Stop()
		start := time.Now()
		r := runWith(t, ctx, &Env{Args: args, Dir: dir}, commands)
		if r.code != ExitInterrupted || r.stderr != "parley: interrupted\n" || r.stdout != "" {
			t.Errorf("exit %d, stderr %q, stdout %.100q; want 130, %q and nothing", r.code, r.stderr, r.stdout, "parley: interrupted\n")
		}
		if d := time.Since(start); d > 20*time.Second {
			t.Errorf("took %v to stop after the cancellation", d)
		}
		assertEmptyDir(t, dir)
	})
}

// TestKoreaRoadmapsList keeps koreaRoadmaps in step with the built-in.
func TestKoreaRoadmapsList(t *testing.T) {
	s, err := scenario.Builtin("korea")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range s.Roadmaps {
		ids = append(ids, r.ID)
	}
	if !slices.Equal(ids, koreaRoadmaps) {
		t.Errorf("korea's roadmaps are %v, the tests expect %v", ids, koreaRoadmaps)
	}
}

// --charts writes every chart of the comparison, line charts then bar
// charts, as SVG (exactly the report package's drawing of the comparison
// printed with it) and as PNG (a picture of the chart's size).
func TestCompareCharts(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "compare", "builtin:tiny", "--runs", "300", "--charts", "figs", "-o", "out.json", "--format", "json")
	data, err := os.ReadFile(filepath.Join(dir, "out.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c report.Comparison
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	type chart struct {
		title string
		svg   func(io.Writer) error
	}
	var want []chart
	for _, ch := range c.Charts() {
		want = append(want, chart{ch.Title, ch.SVG})
	}
	for _, ch := range c.BarCharts() {
		want = append(want, chart{ch.Title, ch.SVG})
	}
	if len(c.BarCharts()) == 0 {
		t.Fatal("tiny's comparison has no bar chart to write")
	}
	entries, err := os.ReadDir(filepath.Join(dir, "figs"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2*len(want) {
		t.Fatalf("%d files in figs, want an SVG and a PNG for each of %d charts", len(entries), len(want))
	}
	for i, w := range want {
		base := filepath.Join(dir, "figs", fmt.Sprintf("%02d-%s", i+1, fileSlug(w.title)))
		got, err := os.ReadFile(base + ".svg")
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := w.svg(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, b.Bytes()) {
			t.Errorf("%s.svg is not the chart %q", base, w.title)
		}
		f, err := os.Open(base + ".png")
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width < 300 || cfg.Height < 100 {
			t.Errorf("%s.png: %dx%d, %v", base, cfg.Width, cfg.Height, err)
		}
	}

	// a file where the directory should be: a usage error, nothing written
	if err := os.WriteFile(filepath.Join(dir, "taken"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runQuiet(t, dir, ExitUsage, "compare", "builtin:tiny", "--runs", "10", "--charts", "taken", "-o", "again.json")
	if r.stderr != "parley: --charts taken is a file; give a directory to write the charts into\n" {
		t.Errorf("stderr %q", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "again.json")); !os.IsNotExist(err) {
		t.Errorf("again.json was written (%v)", err)
	}
}

func TestFileSlug(t *testing.T) {
	for in, want := range map[string]string{
		"P(peace-declared reached by round)": "p-peace-declared-reached-by-round",
		"US's trust in DPRK":                 "us-s-trust-in-dprk",
		"  <script> & ..":                    "script",
		"평화":                                 "chart",
		strings.Repeat("ab ", 40):            strings.TrimSuffix(strings.Repeat("ab-", 20), "-"),
	} {
		if got := fileSlug(in); got != want {
			t.Errorf("fileSlug(%q) = %q, want %q", in, got, want)
		}
	}
}
