package web

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/forecast"
	"github.com/parleyhq/parley/forecast/bdm"
	"github.com/parleyhq/parley/forecast/smp"
	"github.com/parleyhq/parley/forecast/uncertainty"
	"github.com/parleyhq/parley/game/bargain"
	"github.com/parleyhq/parley/game/ipd"
	"github.com/parleyhq/parley/game/normal"
)

// repoFile reads a file of the repository from its root.
func repoFile(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(p)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// postValues posts a form with repeated fields; htmx adds the htmx header.
func (ts *testServer) postValues(t *testing.T, p string, vals url.Values, htmx bool) *httptest.ResponseRecorder {
	t.Helper()
	q := req{method: "POST", path: p, body: strings.NewReader(vals.Encode()), ctype: "application/x-www-form-urlencoded"}
	if htmx {
		q.header = map[string]string{"HX-Request": "true"}
	}
	return ts.do(t, q)
}

// idAttr finds the form controls of a page and their ids.
var idAttr = regexp.MustCompile(`<(input|textarea|select)[^>]*\sid="([^"]+)"`)

func apiErr(t *testing.T, w *httptest.ResponseRecorder) wbAPIError {
	t.Helper()
	e := decode[wbAPIError](t, w)
	if e.Error == "" {
		t.Fatalf("an API error without a message: %s", w.Body.String())
	}
	return e
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

// TestWorkbenchExamplesAreTestData: each embedded example is its test data
// file byte for byte.
func TestWorkbenchExamplesAreTestData(t *testing.T) {
	for _, e := range wbExamples {
		if len(e.Files) != len(e.Sources) {
			t.Fatalf("%s: %d files, %d sources", e.Name, len(e.Files), len(e.Sources))
		}
		for i, f := range e.Files {
			got, err := examplesFS.ReadFile(path.Join("examples", f))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, repoFile(t, e.Sources[i])) {
				t.Errorf("%s differs from %s", f, e.Sources[i])
			}
		}
	}
}

func TestWorkbenchPages(t *testing.T) {
	ts := newServer(t, Config{})
	w := ts.get(t, "/workbench")
	want(t, w, http.StatusOK)
	for _, c := range wbCapabilities {
		if !strings.Contains(w.Body.String(), `href="`+c.Page+`"`) {
			t.Errorf("the index does not link %s", c.Page)
		}
	}
	for _, e := range wbExamples {
		if !strings.Contains(w.Body.String(), "/workbench/"+e.Capability+"?example="+e.Name) {
			t.Errorf("the index does not offer the example %s", e.Name)
		}
	}
	// every example's link shows its result
	links := regexp.MustCompile(`href="(/workbench/[a-z]+\?example=[^"]+)"`).FindAllStringSubmatch(w.Body.String(), -1)
	if len(links) != len(wbExamples) {
		t.Errorf("%d example links, want %d", len(links), len(wbExamples))
	}
	for _, m := range links {
		w := ts.get(t, strings.ReplaceAll(m[1], "&amp;", "&"))
		want(t, w, http.StatusOK)
		if !strings.Contains(w.Body.String(), `<div id="result" aria-live="polite">`+"\n<h2>") {
			t.Errorf("%s shows no result", m[1])
		}
	}
	// every page: its form, every input labelled, and the main nav links the workbench
	for _, c := range wbCapabilities {
		w := ts.get(t, c.Page)
		want(t, w, http.StatusOK)
		body := w.Body.String()
		if !strings.Contains(body, `action="`+c.Page+`"`) || !strings.Contains(body, `hx-post="`+c.Page+`"`) {
			t.Errorf("%s: no form posting to itself, with and without htmx", c.Page)
		}
		if !strings.Contains(body, `<a href="/workbench">Workbench</a>`) {
			t.Errorf("%s: the main navigation does not link the workbench", c.Page)
		}
		for _, m := range idAttr.FindAllStringSubmatch(body, -1) {
			tag, id := m[1], m[2]
			if (tag == "input" || tag == "textarea" || tag == "select") && !strings.Contains(body, `for="`+id+`"`) {
				t.Errorf("%s: the %s %q has no label", c.Page, tag, id)
			}
		}
	}
	w = ts.get(t, "/api/v1/workbench")
	want(t, w, http.StatusOK)
	idx := decode[wbIndexJSON](t, w)
	if len(idx.Capabilities) != len(wbCapabilities) || len(idx.Examples) != len(wbExamples) {
		t.Errorf("the API index has %d capabilities and %d examples", len(idx.Capabilities), len(idx.Examples))
	}
	w = ts.get(t, "/api/v1/workbench/strategies")
	want(t, w, http.StatusOK)
	var cat struct {
		Strategies []catalogueEntry `json:"strategies"`
		Default    []string         `json:"default_lineup"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &cat); err != nil {
		t.Fatal(err)
	}
	if len(cat.Strategies) != len(ipd.Catalogue()) || len(cat.Default) != 18 {
		t.Errorf("%d strategies, %d in the default line-up; want %d and 18", len(cat.Strategies), len(cat.Default), len(ipd.Catalogue()))
	}
}

// ---- tournament ----

func TestWorkbenchTournamentEqualsLibrary(t *testing.T) {
	ts := newServer(t, Config{})
	names := []string{"TitForTat", "Defector", "Cooperator", "Grudger", "Random(0.3)"}
	w := ts.sendJSON(t, "POST", "/api/v1/workbench/tournament", map[string]any{
		"strategies": names[:4], "lineup": "# one more\n  Random(0.3)\n", "turns": 50, "repetitions": 7, "noise": 0.05, "seed": 11, "ecology_steps": 50})
	want(t, w, http.StatusOK)
	got := decode[tournamentOut](t, w)

	var ps []*ipd.Strategy
	for _, n := range names {
		ps = append(ps, ipd.MustLookup(n))
	}
	tt := ipd.Tournament{Players: ps, Rules: ipd.Rules{Turns: 50, Noise: 0.05}, Repetitions: 7, Seed: 11}
	res, err := tt.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Standings) != len(res.Standings) {
		t.Fatalf("%d standings, want %d", len(got.Standings), len(res.Standings))
	}
	for i, st := range res.Standings {
		g := got.Standings[i]
		if g.Rank != st.Rank || g.Strategy != st.Name || g.Median != st.Median || g.Mean != st.Mean || g.TotalWins != st.TotalWins || g.Cooperation != st.Cooperation {
			t.Errorf("standing %d: %+v, want %+v", i, g, st)
		}
		for r := range st.Scores {
			if g.Scores[r] != st.Scores[r] {
				t.Errorf("%s repetition %d: %g, want %g", st.Name, r, g.Scores[r], st.Scores[r])
			}
		}
	}

	// the ecological dynamics on the same payoff matrix
	mean, _ := res.PayoffMatrix()
	eco := ipd.Ecology{Payoffs: mean, Seed: 11}
	shares, err := eco.Run(50)
	if err != nil {
		t.Fatal(err)
	}
	if got.Ecology == nil || got.Ecology.Steps != 50 || len(got.Ecology.Final) != len(names) {
		t.Fatalf("ecology %+v", got.Ecology)
	}
	for i, x := range shares[50] {
		if got.Ecology.Final[i].Strategy != names[i] || got.Ecology.Final[i].Share != x {
			t.Errorf("ecology: %+v, want %s %g", got.Ecology.Final[i], names[i], x)
		}
	}

	// the page, without JavaScript and with htmx, shows the same ranking
	vals := url.Values{"strategy": names[:4], "lineup": {"Random(0.3)"}, "turns": {"50"}, "repetitions": {"7"}, "noise": {"0.05"}, "seed": {"11"}}
	for _, htmx := range []bool{false, true} {
		w := ts.postValues(t, "/workbench/tournament", vals, htmx)
		want(t, w, http.StatusOK)
		body := w.Body.String()
		if htmx == strings.Contains(body, "<html") {
			t.Errorf("htmx %v: whole page %v", htmx, !htmx)
		}
		first := "<td>" + res.Standings[0].Name + "</td>"
		if !strings.Contains(body, first) || !strings.Contains(body, `<img src="data:image/svg`) {
			t.Errorf("htmx %v: no ranking led by %s or no chart", htmx, res.Standings[0].Name)
		}
		// the checked boxes stay checked
		if !strings.Contains(body, `value="Grudger" checked`) || strings.Contains(body, `value="Alternator" checked`) {
			t.Errorf("htmx %v: the form does not show the strategies picked", htmx)
		}
	}

	// the defaults: Axelrod's first tournament
	w = ts.sendJSON(t, "POST", "/api/v1/workbench/tournament", map[string]any{"repetitions": 1})
	want(t, w, http.StatusOK)
	if d := decode[tournamentOut](t, w); len(d.Players) != 18 || d.Turns != 200 || d.Seed != 1 {
		t.Errorf("defaults: %d players, %d turns, seed %d", len(d.Players), d.Turns, d.Seed)
	}
}

func TestWorkbenchTournamentBadInput(t *testing.T) {
	ts := newServer(t, Config{})
	for _, c := range []struct {
		name  string
		body  map[string]any
		field string
		has   string
		line  int
	}{
		{"unknown strategy", map[string]any{"strategies": []string{"TitForTat", "TitForTwat"}}, "strategies", "strategies[1]", 0},
		{"bad line-up line", map[string]any{"strategies": []string{"TitForTat"}, "lineup": "Defector\n   Random(2)\n"}, "lineup", "lineup:2:4", 2},
		{"machine file", map[string]any{"strategies": []string{"TitForTat"}, "lineup": "fsm:/etc/passwd"}, "lineup", "cannot be read here", 1},
		{"twice", map[string]any{"strategies": []string{"TitForTat"}, "lineup": "TitForTat"}, "lineup", "twice", 0},
		{"one strategy", map[string]any{"strategies": []string{"TitForTat"}}, "strategies", "from 2 to", 0},
		{"noise", map[string]any{"noise": 1.5}, "noise", "probability", 0},
		{"turns", map[string]any{"turns": 0}, "turns", "from 1 to", 0},
		{"too much work", map[string]any{"turns": 10000, "repetitions": 100}, "repetitions", "over the limit", 0},
		{"ecology", map[string]any{"ecology_steps": -1}, "ecology_steps", "from 0", 0},
	} {
		w := ts.sendJSON(t, "POST", "/api/v1/workbench/tournament", c.body)
		want(t, w, http.StatusBadRequest)
		e := apiErr(t, w)
		text := e.Error
		for _, p := range e.Problems {
			text += " " + p.Text
		}
		if e.Field != c.field || !strings.Contains(text, c.has) {
			t.Errorf("%s: field %q, %q; want field %q and %q", c.name, e.Field, text, c.field, c.has)
		}
		if c.line > 0 && (len(e.Problems) == 0 || e.Problems[0].Line != c.line) {
			t.Errorf("%s: problems %+v, want one at line %d", c.name, e.Problems, c.line)
		}
	}
	// unknown fields and a wrong method
	want(t, ts.sendJSON(t, "POST", "/api/v1/workbench/tournament", map[string]any{"turn": 3}), http.StatusBadRequest)
	want(t, ts.get(t, "/api/v1/workbench/tournament"), http.StatusMethodNotAllowed)

	// the page shows each problem beside its field, escaped
	vals := url.Values{"strategy": {"TitForTat"}, "lineup": {"Defector\n<script>alert(1)</script>"}, "turns": {"many"}}
	w := ts.postValues(t, "/workbench/tournament", vals, false)
	want(t, w, http.StatusBadRequest)
	body := w.Body.String()
	if !strings.Contains(body, `<div id="turns-err"><ul class="problems wb-err" role="alert">`) || !strings.Contains(body, "a whole number is expected") {
		t.Errorf("no problem beside the turns field:\n%s", body)
	}
	if !strings.Contains(body, `aria-invalid="true"`) {
		t.Error("the field in error is not marked invalid")
	}
	if strings.Contains(body, "<script>alert(1)</script>") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the line-up is not escaped")
	}
	vals.Set("turns", "20")
	w = ts.postValues(t, "/workbench/tournament", vals, true)
	want(t, w, http.StatusBadRequest)
	if !strings.Contains(w.Body.String(), `<div id="lineup-err"><ul class="problems wb-err" role="alert">`) || !strings.Contains(w.Body.String(), "line 2:1") {
		t.Errorf("no located problem beside the line-up:\n%s", w.Body.String())
	}
}

// TestWorkbenchQueue: the workbench shares the comparisons' slots; with
// every slot and queue place taken it answers 429 with Retry-After.
func TestWorkbenchQueue(t *testing.T) {
	ts := newServer(t, Config{MaxSimulations: 1, MaxQueued: -1})
	release, err := ts.runner.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	w := ts.sendJSON(t, "POST", "/api/v1/workbench/tournament", map[string]any{"repetitions": 1})
	want(t, w, http.StatusTooManyRequests)
	if w.Header().Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	for _, htmx := range []bool{false, true} {
		// the page keeps the form, with the message above it
		w = ts.postValues(t, "/workbench/tournament", url.Values{"strategy": {"TitForTat", "Defector"}}, htmx)
		want(t, w, http.StatusTooManyRequests)
		if body := w.Body.String(); !strings.Contains(body, "the queue is full") || !strings.Contains(body, `value="Defector" checked`) {
			t.Errorf("htmx %v: the busy page lacks the message or the form:\n%s", htmx, body)
		}
	}
	release()
	want(t, ts.sendJSON(t, "POST", "/api/v1/workbench/tournament", map[string]any{"repetitions": 1}), http.StatusOK)
	// a request that gives up while waiting leaves its place
	release, err = ts.runner.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ts2 := newServer(t, Config{MaxSimulations: 1, MaxQueued: 1})
	r2, err := ts2.runner.acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ts2.runner.acquire(ctx); err == nil {
		t.Error("a cancelled wait got a slot")
	}
	r2()
	if r3, err := ts2.runner.acquire(context.Background()); err != nil {
		t.Errorf("after a cancelled wait: %v", err)
	} else {
		r3()
	}
	release()
	ts2.runner.mu.Lock()
	if ts2.runner.inflight != 0 || ts2.runner.running != 0 || len(ts2.runner.waiting) != 0 {
		t.Errorf("left behind: %d in flight, %d running, %d waiting", ts2.runner.inflight, ts2.runner.running, len(ts2.runner.waiting))
	}
	ts2.runner.mu.Unlock()
}

// ---- match ----

func TestWorkbenchMatchEqualsLibrary(t *testing.T) {
	ts := newServer(t, Config{})
	w := ts.sendJSON(t, "POST", "/api/v1/workbench/match", map[string]any{"a": "GTFT(0.1)", "b": "Random(0.4)", "turns": 300, "noise": 0.02, "seed": 9})
	want(t, w, http.StatusOK)
	got := decode[matchOut](t, w)
	res, err := ipd.PlayMatch(ipd.MustLookup("GTFT(0.1)"), ipd.MustLookup("Random(0.4)"), ipd.Rules{Turns: 300, Noise: 0.02}, 9)
	if err != nil {
		t.Fatal(err)
	}
	if got.Moves[0] != ipd.FormatActions(res.Moves[0]) || got.Moves[1] != ipd.FormatActions(res.Moves[1]) || got.Scores != res.Scores {
		t.Errorf("the match differs from ipd.PlayMatch's")
	}
	if len(got.ByTurn) != 300 || got.ByTurn[299].TotalA != res.Scores[0] || got.ByTurn[299].TotalB != res.Scores[1] {
		t.Errorf("the per-turn totals do not add up to the scores")
	}
	if got.LongRun == nil {
		t.Fatal("two memory-one rules and no exact long run")
	}
	lr := ipd.ExactLongRun(mustMemoryOne(t, "GTFT(0.1)"), mustMemoryOne(t, "Random(0.4)"), ipd.DefaultPayoffs, 0.02)
	if got.LongRun.Scores != lr.Scores {
		t.Errorf("long run %v, want %v", got.LongRun.Scores, lr.Scores)
	}

	w = ts.postValues(t, "/workbench/match", url.Values{"a": {"TitForTat"}, "b": {"Alternator"}, "turns": {"4"}}, false)
	want(t, w, http.StatusOK)
	// TitForTat C C D C, Alternator C D C D: payoffs (3,3) (0,5) (5,0) (0,5)
	if !strings.Contains(w.Body.String(), `<td class="r">4</td><td>C</td><td>D</td><td class="r">0</td><td class="r">5</td><td class="r">8</td><td class="r">13</td>`) {
		t.Errorf("turn 4 of TitForTat against Alternator is not C D, 0 5, 8 13:\n%s", w.Body.String())
	}
	if !strings.Contains(w.Body.String(), `id="chart-data"`) {
		t.Error("no chart")
	}

	// other payoffs: (R,S,T,P) = (4,0,6,1) makes the four turns (4,4) (0,6) (6,0) (0,6)
	w = ts.sendJSON(t, "POST", "/api/v1/workbench/match", map[string]any{"a": "TitForTat", "b": "Alternator", "turns": 4,
		"payoffs": map[string]any{"R": 4, "S": 0, "T": 6, "P": 1}})
	want(t, w, http.StatusOK)
	if got := decode[matchOut](t, w); got.Scores != [2]float64{10, 16} {
		t.Errorf("scores %v with payoffs 4,0,6,1; want 10 and 16", got.Scores)
	}
	// payoffs that are not a dilemma need any_game
	notPD := map[string]any{"R": 3, "S": 0, "T": 2, "P": 1}
	w = ts.sendJSON(t, "POST", "/api/v1/workbench/match", map[string]any{"payoffs": notPD})
	want(t, w, http.StatusBadRequest)
	if e := apiErr(t, w); e.Field != "payoffs" {
		t.Errorf("field %q (%s), want payoffs", e.Field, e.Error)
	}
	notPD["any_game"] = true
	want(t, ts.sendJSON(t, "POST", "/api/v1/workbench/match", map[string]any{"payoffs": notPD}), http.StatusOK)
	w = ts.postValues(t, "/workbench/match", url.Values{"a": {"TitForTat"}, "b": {"Alternator"}, "payoff_t": {"2"}}, false)
	want(t, w, http.StatusBadRequest)
	if !strings.Contains(w.Body.String(), `<div id="payoffs-err"><ul class="problems wb-err"`) || !strings.Contains(w.Body.String(), `<details open><summary>Payoffs`) {
		t.Error("the payoffs' problem is not shown beside them, opened")
	}

	w = ts.sendJSON(t, "POST", "/api/v1/workbench/match", map[string]any{"a": "Nobody"})
	want(t, w, http.StatusBadRequest)
	if e := apiErr(t, w); e.Field != "a" {
		t.Errorf("field %q, want a", e.Field)
	}
	want(t, ts.sendJSON(t, "POST", "/api/v1/workbench/match", map[string]any{"turns": maxMatchTurns + 1}), http.StatusBadRequest)
	w = ts.postValues(t, "/workbench/match", url.Values{"a": {"TitForTat"}, "b": {"<b>bold</b>"}}, true)
	want(t, w, http.StatusBadRequest)
	if strings.Contains(w.Body.String(), "<b>bold</b>") {
		t.Error("the strategy name is not escaped")
	}
}

func mustMemoryOne(t *testing.T, name string) ipd.MemoryOneRule {
	m, ok := ipd.MustLookup(name).MemoryOne(ipd.DefaultPayoffs)
	if !ok {
		t.Fatalf("%s is not memory-one", name)
	}
	return m
}

// ---- bargaining ----

func TestWorkbenchBargainEqualsLibrary(t *testing.T) {
	ts := newServer(t, Config{})
	yamlSrc := repoFile(t, "game/bargain/testdata/yaml/Laptop.yaml")
	sp, err := bargain.LoadYAML("Laptop.yaml", yamlSrc)
	if err != nil {
		t.Fatal(err)
	}
	a, err := bargain.Analyse(sp, bargain.Options{Power: 0.7})
	if err != nil {
		t.Fatal(err)
	}
	gsp, err := bargain.ReadGenius(bargain.Source{Name: "d", Data: repoFile(t, "game/bargain/testdata/genius/Laptop/Laptop-C-domain.xml")},
		[2]bargain.Source{{Name: "Laptop-C-prof1", Data: repoFile(t, "game/bargain/testdata/genius/Laptop/Laptop-C-prof1.xml")},
			{Name: "Laptop-C-prof2", Data: repoFile(t, "game/bargain/testdata/genius/Laptop/Laptop-C-prof2.xml")}})
	if err != nil {
		t.Fatal(err)
	}
	ga, err := bargain.Analyse(gsp, bargain.Options{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, got bargainOut, a *bargain.Analysis) {
		t.Helper()
		if len(got.Solutions) != len(a.Solutions) || len(got.Frontier) != len(a.Frontier) || got.Outcomes != a.Outcomes {
			t.Fatalf("%s: %d solutions, %d frontier pieces, %d outcomes; want %d, %d, %d", name, len(got.Solutions), len(got.Frontier), got.Outcomes,
				len(a.Solutions), len(a.Frontier), a.Outcomes)
		}
		for i, s := range a.Solutions {
			g := got.Solutions[i]
			if g.Name != s.Name() || !near(g.U1, s.Point.U1) || !near(g.U2, s.Point.U2) || g.DealText != a.Space.DealString(s.Deal) {
				t.Errorf("%s: solution %d: %s (%g, %g) %s; want %s (%g, %g) %s", name, i, g.Name, g.U1, g.U2, g.DealText,
					s.Name(), s.Point.U1, s.Point.U2, a.Space.DealString(s.Deal))
			}
		}
	}
	// pasted YAML, with an asymmetric Nash solution
	w := ts.sendJSON(t, "POST", "/api/v1/workbench/bargain", map[string]any{"yaml": string(yamlSrc), "power": 0.7})
	want(t, w, http.StatusOK)
	check("yaml", decode[bargainOut](t, w), a)
	// the Genius example
	w = ts.sendJSON(t, "POST", "/api/v1/workbench/bargain", map[string]any{"example": "laptop-genius"})
	want(t, w, http.StatusOK)
	check("genius", decode[bargainOut](t, w), ga)

	// a proposed deal, assessed as the library assesses it
	deal := []string{"Laptop=Dell", "Harddisk=60 Gb", "External Monitor=19'' LCD"}
	d, err := sp.ParseDeal(deal)
	if err != nil {
		t.Fatal(err)
	}
	pa, err := a.Assess(d)
	if err != nil {
		t.Fatal(err)
	}
	w = ts.sendJSON(t, "POST", "/api/v1/workbench/bargain", map[string]any{"yaml": string(yamlSrc), "power": 0.7, "deal": deal})
	want(t, w, http.StatusOK)
	gp := decode[bargainOut](t, w).Proposal
	if gp == nil || gp.Efficient != pa.Efficient || gp.InZOPA != pa.InZOPA || !near(gp.Distance, pa.Distance) || !near(gp.U1, pa.Point.U1) ||
		(gp.Dominating == nil) != (pa.Dominating < 0) || (gp.Dominating != nil && *gp.Dominating != pa.Dominating) {
		t.Errorf("proposal %+v, want %+v", gp, pa)
	}
	if !pa.Efficient && (gp.Balanced == nil || !near(gp.Balanced.U1, pa.Balanced.Point.U1) || !near(gp.Balanced.U2, pa.Balanced.Point.U2)) {
		t.Errorf("balanced improvement %+v, want %+v", gp.Balanced, pa.Balanced.Point)
	}
	w = ts.postValues(t, "/workbench/bargain", url.Values{"yaml": {string(yamlSrc)}, "deal": {strings.Join(deal, "\n")}}, false)
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "<h2>The proposed deal</h2>") || !strings.Contains(w.Body.String(), "Laptop=Dell\nHarddisk=60 Gb\n") {
		t.Error("the page does not assess the deal or forgets it")
	}
	w = ts.sendJSON(t, "POST", "/api/v1/workbench/bargain", map[string]any{"example": "laptop", "deal": []string{"Laptop=Amiga"}})
	want(t, w, http.StatusBadRequest)
	if e := apiErr(t, w); e.Field != "deal" {
		t.Errorf("field %q (%s), want deal", e.Field, e.Error)
	}

	// the page: an example loaded by its link, then the same text posted
	w = ts.get(t, "/workbench/bargain?example=laptop")
	want(t, w, http.StatusOK)
	body := w.Body.String()
	if !strings.Contains(body, "name: Laptop-C-domain") || !strings.Contains(body, "<td>"+a.Solutions[0].Name()+"</td>") || !strings.Contains(body, `<img src="data:image/svg`) {
		t.Errorf("the example's page lacks its text, its solutions or its chart")
	}
	w = ts.postValues(t, "/workbench/bargain", url.Values{"yaml": {string(yamlSrc)}}, true)
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "Pareto frontier") {
		t.Error("no frontier table")
	}
}

func TestWorkbenchBargainBadInput(t *testing.T) {
	ts := newServer(t, Config{})
	bad := "name: broken\nissues:\n  - name: price\n    values: [low, high]\nparties:\n  - name: A\n    weights: {price: nope}\n"
	_, libErr := bargain.LoadYAML("yaml", []byte(bad))
	if libErr == nil {
		t.Fatal("the library accepts the broken deal space")
	}
	w := ts.sendJSON(t, "POST", "/api/v1/workbench/bargain", map[string]any{"yaml": bad})
	want(t, w, http.StatusBadRequest)
	e := apiErr(t, w)
	if e.Field != "yaml" || len(e.Problems) == 0 || e.Problems[0].Line == 0 {
		t.Fatalf("field %q, problems %+v; want located problems in yaml", e.Field, e.Problems)
	}
	// the same problems the library reports
	var texts []string
	for _, p := range e.Problems {
		texts = append(texts, p.Text)
	}
	if strings.Join(texts, "\n") != libErr.Error() {
		t.Errorf("problems\n%s\nwant the library's\n%s", strings.Join(texts, "\n"), libErr.Error())
	}
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{}, "yaml"},
		{map[string]any{"example": "nowhere"}, "example"},
		{map[string]any{"example": "laptop", "yaml": "name: x"}, ""},
		{map[string]any{"yaml": "<negotiation/>"}, "yaml"},
		{map[string]any{"genius": map[string]string{"domain": "<utility_space/>"}}, "profile1"},
		{map[string]any{"genius": map[string]string{"domain": "<utility_space", "profile1": "<x/>", "profile2": "<x/>"}}, "domain"},
		{map[string]any{"example": "laptop", "power": 1.5}, "power"},
	} {
		w := ts.sendJSON(t, "POST", "/api/v1/workbench/bargain", c.body)
		want(t, w, http.StatusBadRequest)
		if e := apiErr(t, w); e.Field != c.field {
			t.Errorf("%v: field %q (%s), want %q", c.body, e.Field, e.Error, c.field)
		}
	}
	// the page: the problem beside the field at its line, the text kept
	w = ts.postValues(t, "/workbench/bargain", url.Values{"yaml": {bad}}, false)
	want(t, w, http.StatusBadRequest)
	body := w.Body.String()
	if !strings.Contains(body, `<div id="yaml-err"><ul class="problems wb-err" role="alert">`) || !strings.Contains(body, "line "+itoa(int64(e.Problems[0].Line))) {
		t.Errorf("no located problem beside the YAML:\n%s", body)
	}
	if !strings.Contains(body, "weights: {price: nope}") {
		t.Error("the text typed is lost")
	}
	// user strings in a valid space are escaped
	evil := strings.ReplaceAll(string(repoFile(t, "game/bargain/testdata/yaml/Laptop.yaml")), "name: Laptop-C-domain", `name: "<img src=x onerror=alert(1)>"`)
	w = ts.postValues(t, "/workbench/bargain", url.Values{"yaml": {evil}}, false)
	want(t, w, http.StatusOK)
	if strings.Contains(w.Body.String(), "<img src=x") {
		t.Error("the deal space's name is not escaped")
	}
}

// ---- Rubinstein ----

func TestWorkbenchRubinsteinClosedForm(t *testing.T) {
	ts := newServer(t, Config{})
	for _, c := range []struct{ d1, d2 float64 }{{0.9, 0.8}, {0.5, 0.5}, {0.99, 0.3}, {0, 0.7}} {
		w := ts.sendJSON(t, "POST", "/api/v1/workbench/rubinstein", map[string]any{"d1": c.d1, "d2": c.d2})
		want(t, w, http.StatusOK)
		got := decode[rubinsteinOut](t, w)
		x1 := (1 - c.d2) / (1 - c.d1*c.d2)
		x2 := c.d2 * (1 - c.d1) / (1 - c.d1*c.d2)
		if !got.Unique || !near(got.Share1, x1) || !near(got.Share2, x2) || got.ClosedForm == "" {
			t.Errorf("δ = %g, %g: %g and %g (unique %v), want %g and %g", c.d1, c.d2, got.Share1, got.Share2, got.Unique, x1, x2)
		}
	}
	// a finite game: with two rounds party 1 offers party 2 what it gets as proposer in round 2, δ2
	w := ts.sendJSON(t, "POST", "/api/v1/workbench/rubinstein", map[string]any{"d1": 0.9, "d2": 0.6, "rounds": 2})
	want(t, w, http.StatusOK)
	got := decode[rubinsteinOut](t, w)
	if !near(got.Share1, 0.4) || len(got.ByRound) != 2 || got.ByRound[1].Share != 1 {
		t.Errorf("two rounds: %g, by round %+v; want 0.4 and [.., 1]", got.Share1, got.ByRound)
	}
	// an outside option that binds: party 2 gets w2
	w = ts.sendJSON(t, "POST", "/api/v1/workbench/rubinstein", map[string]any{"d1": 0.9, "d2": 0.9, "outside2": 0.6})
	want(t, w, http.StatusOK)
	if got := decode[rubinsteinOut](t, w); !got.Binds2 || !near(got.Share2, 0.6) {
		t.Errorf("binding outside option: %+v", got)
	}
	// the page shows the default game's split at once, and the form's
	w = ts.get(t, "/workbench/rubinstein")
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "0.714286") {
		t.Error("the page does not show x1 = 0.2/0.28 for δ = 0.9, 0.8")
	}
	w = ts.postValues(t, "/workbench/rubinstein", url.Values{"d1": {"0.5"}, "d2": {"0.5"}}, true)
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "0.666667") || !strings.Contains(w.Body.String(), `id="chart-data"`) {
		t.Error("δ = 0.5, 0.5 does not give 2/3 with a chart")
	}
	// bad input
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"d1": 1.5}, "d1"},
		{map[string]any{"d2": -0.1}, "d2"},
		{map[string]any{"c1": -1}, "c1"},
		{map[string]any{"rounds": maxRubinsteinRounds + 1}, "rounds"},
		{map[string]any{"outside1": 0.7, "outside2": 0.7}, "outside2"},
	} {
		w := ts.sendJSON(t, "POST", "/api/v1/workbench/rubinstein", c.body)
		want(t, w, http.StatusBadRequest)
		if e := apiErr(t, w); e.Field != c.field {
			t.Errorf("%v: field %q (%s), want %q", c.body, e.Field, e.Error, c.field)
		}
	}
	w = ts.postValues(t, "/workbench/rubinstein", url.Values{"d1": {"patient"}}, false)
	want(t, w, http.StatusBadRequest)
	if !strings.Contains(w.Body.String(), `<div id="d1-err"><ul class="problems wb-err"`) {
		t.Error("no problem beside d1")
	}
}

// ---- equilibria ----

func TestWorkbenchEquilibriaEqualLibrary(t *testing.T) {
	ts := newServer(t, Config{})
	for _, ex := range []struct {
		name, file string
		n          int
	}{{"pd", "pd.nfg", 1}, {"coord2", "coord2.nfg", 3}, {"6x6-75", "6x6_game_with_75_eq.nfg", 75}} {
		w := ts.sendJSON(t, "POST", "/api/v1/workbench/equilibria", map[string]any{"example": ex.name})
		want(t, w, http.StatusOK)
		got := decode[equilibriaOut](t, w)
		g, err := normal.Read(ex.file, repoFile(t, "game/normal/testdata/gambit/"+ex.file))
		if err != nil {
			t.Fatal(err)
		}
		eqs, err := normal.VertexEnumeration(context.Background(), g)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Equilibria) != ex.n || len(eqs) != ex.n {
			t.Fatalf("%s: %d equilibria, the library %d; want %d", ex.name, len(got.Equilibria), len(eqs), ex.n)
		}
		for k, e := range eqs {
			for i := range e.Strategies {
				for s, p := range e.Strategies[i] {
					if got.Equilibria[k].Probabilities[i][s] != p.RatString() {
						t.Errorf("%s: equilibrium %d, player %d, strategy %d: %s, want %s", ex.name, k, i, s, got.Equilibria[k].Probabilities[i][s], p.RatString())
					}
				}
				if got.Equilibria[k].Payoffs[i] != e.Payoffs[i].RatString() {
					t.Errorf("%s: equilibrium %d payoff %d: %s, want %s", ex.name, k, i, got.Equilibria[k].Payoffs[i], e.Payoffs[i].RatString())
				}
			}
		}
	}
	// the coordination game (3,2) (0,0) / (0,0) (2,2): in the mixed equilibrium
	// player 1 makes player 2 indifferent (2p = 2(1−p), p = 1/2) and player 2
	// player 1 (3q = 2(1−q), q = 2/5); the payoffs are 3·2/5 and 2·1/2
	want(t, ts.sendJSON(t, "POST", "/api/v1/workbench/equilibria", map[string]any{"game": string(repoFile(t, "game/normal/testdata/gambit/coord2.nfg")), "method": "lh"}), http.StatusOK)
	w := ts.sendJSON(t, "POST", "/api/v1/workbench/equilibria", map[string]any{"example": "coord2"})
	mixed := false
	for _, e := range decode[equilibriaOut](t, w).Equilibria {
		mixed = mixed || (e.Probabilities[0][0] == "1/2" && e.Probabilities[1][0] == "2/5" && e.Probabilities[1][1] == "3/5" && e.Payoffs[0] == "6/5" && e.Payoffs[1] == "1")
	}
	if !mixed {
		t.Error("no mixed equilibrium (1/2, 1/2), (2/5, 3/5) with payoffs 6/5 and 1 in the coordination game")
	}
	// dominance: in the prisoner's dilemma strategy 1 (cooperate) goes for both
	w = ts.sendJSON(t, "POST", "/api/v1/workbench/equilibria", map[string]any{"example": "pd", "dominance": "pure", "method": "pure"})
	want(t, w, http.StatusOK)
	if got := decode[equilibriaOut](t, w); len(got.Eliminated) != 2 || len(got.Equilibria) != 1 || got.Equilibria[0].Mixed[0] != `"2"` {
		t.Errorf("pd after dominance: %+v", got)
	}
	// three players, and an extensive form
	want(t, ts.sendJSON(t, "POST", "/api/v1/workbench/equilibria", map[string]any{"example": "2x2x2"}), http.StatusOK)
	w = ts.sendJSON(t, "POST", "/api/v1/workbench/equilibria", map[string]any{"example": "poker"})
	want(t, w, http.StatusOK)
	if got := decode[equilibriaOut](t, w); !got.Extensive || len(got.Equilibria) == 0 {
		t.Errorf("poker: extensive %v, %d equilibria", got.Extensive, len(got.Equilibria))
	}
	// the page: exact fractions in the table, and a chart
	w = ts.get(t, "/workbench/equilibria?example=coord2")
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "<td>1/2 &#34;1&#34; &#43; 1/2 &#34;2&#34;</td><td class=\"r\">6/5</td><td>2/5 &#34;1&#34; &#43; 3/5 &#34;2&#34;</td><td class=\"r\">1</td>") || !strings.Contains(w.Body.String(), `<img src="data:image/svg`) {
		t.Errorf("the page lacks the mixed equilibrium or the chart")
	}
	w = ts.postValues(t, "/workbench/equilibria", url.Values{"game": {string(repoFile(t, "game/normal/testdata/gambit/pd.nfg"))}, "method": {"pure"}}, true)
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "1 equilibrium") {
		t.Error("the prisoner's dilemma has not one equilibrium")
	}
}

func TestWorkbenchEquilibriaBadInput(t *testing.T) {
	ts := newServer(t, Config{})
	bad := "NFG 1 R \"broken\" { \"A\" \"B\" }\n\n{ { \"1\" \"2\" }\n{ \"1\" \"2\" }\n}\n\"\"\n\n{ oops }\n"
	_, libErr := normal.Read("game", []byte(bad))
	if libErr == nil {
		t.Fatal("the library reads the broken game")
	}
	w := ts.sendJSON(t, "POST", "/api/v1/workbench/equilibria", map[string]any{"game": bad})
	want(t, w, http.StatusBadRequest)
	e := apiErr(t, w)
	if e.Field != "game" || len(e.Problems) != 1 || e.Problems[0].Text != libErr.Error() || e.Problems[0].Line != 8 {
		t.Errorf("field %q, problems %+v; want the library's %q at line 8", e.Field, e.Problems, libErr)
	}
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{}, "game"},
		{map[string]any{"example": "pd", "method": "simplex"}, "method"},
		{map[string]any{"example": "pd", "dominance": "weak"}, "dominance"},
		{map[string]any{"example": "2x2x2", "method": "lh"}, "method"},
		{map[string]any{"example": "pd", "game": "NFG"}, "game"},
		{map[string]any{"example": "chess"}, "example"},
		{map[string]any{"game": bigGame(maxEnumStrategies + 1)}, "game"},
	} {
		w := ts.sendJSON(t, "POST", "/api/v1/workbench/equilibria", c.body)
		want(t, w, http.StatusBadRequest)
		if e := apiErr(t, w); e.Field != c.field {
			t.Errorf("%v: field %q (%s), want %q", c.body, e.Field, e.Error, c.field)
		}
	}
	w = ts.postValues(t, "/workbench/equilibria", url.Values{"game": {bad}}, false)
	want(t, w, http.StatusBadRequest)
	if body := w.Body.String(); !strings.Contains(body, `<div id="game-err"><ul class="problems wb-err"`) || !strings.Contains(body, `<button type="button" class="goto" data-target="game" data-line="8"`) {
		t.Errorf("no located problem beside the game:\n%s", body)
	}
}

// bigGame writes an n×n game in the .nfg payoff format.
func bigGame(n int) string {
	var b strings.Builder
	b.WriteString(`NFG 1 R "big" { "A" "B" } { ` + itoa(int64(n)) + " " + itoa(int64(n)) + " }\n")
	for k := 0; k < n*n; k++ {
		b.WriteString(big.NewInt(int64(k%7)).String() + " " + itoa(int64(k%5)) + " ")
	}
	return b.String()
}

// ---- forecast ----

func TestWorkbenchForecastEqualsLibrary(t *testing.T) {
	ts := newServer(t, Config{})
	src := repoFile(t, "forecast/testdata/bdm1d/eu_emissions_bdm1994.csv")
	in, err := forecast.Read("eu.csv", src, "")
	if err != nil {
		t.Fatal(err)
	}
	res, err := bdm.Run(context.Background(), in, bdm.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	w := ts.sendJSON(t, "POST", "/api/v1/workbench/forecast", map[string]any{"input": string(src), "model": "bdm"})
	want(t, w, http.StatusOK)
	got := decode[forecastOut](t, w)
	if got.Rounds != len(res.Rounds) || len(got.Trajectories) != 1 || got.Stop != res.Stop {
		t.Fatalf("%d rounds (%s), want %d (%s)", got.Rounds, got.Stop, len(res.Rounds), res.Stop)
	}
	final := res.Final()
	for i, a := range res.Actors {
		p := got.Trajectories[0].Positions[i]
		if got.Trajectories[0].Actors[i] != a || p[0] != res.Start[i] || p[len(p)-1] != final[i] {
			t.Errorf("%s: %v, want %g … %g", a, p, res.Start[i], final[i])
		}
	}

	// the replications' option sets give the library's results with them,
	// and a result that differs from the defaults'
	for _, preset := range []string{"masad", "mckibben"} {
		pres, err := bdm.Run(context.Background(), in, bdm.Presets[preset])
		if err != nil {
			t.Fatal(err)
		}
		w := ts.sendJSON(t, "POST", "/api/v1/workbench/forecast", map[string]any{"input": string(src), "model": "bdm", "bdm_preset": preset})
		want(t, w, http.StatusOK)
		got := decode[forecastOut](t, w)
		pf := pres.Final()
		if got.Rounds != len(pres.Rounds) || len(got.Trajectories) != 1 {
			t.Fatalf("%s: %d rounds, want %d", preset, got.Rounds, len(pres.Rounds))
		}
		differs := false
		for i := range pres.Actors {
			p := got.Trajectories[0].Positions[i]
			if p[len(p)-1] != pf[i] {
				t.Errorf("%s: %s ends at %g, want %g", preset, pres.Actors[i], p[len(p)-1], pf[i])
			}
			differs = differs || pf[i] != final[i]
		}
		if !differs && len(pres.Rounds) == len(res.Rounds) {
			t.Errorf("the %s options give the defaults' forecast: the test cannot tell them apart", preset)
		}
	}

	// the same model on perturbed copies: forecast/uncertainty's numbers
	w = ts.sendJSON(t, "POST", "/api/v1/workbench/forecast", map[string]any{"input": string(src), "model": "bdm", "runs": 300, "perturb": 0.1, "drop": 0.05, "runs_seed": 4})
	want(t, w, http.StatusOK)
	got = decode[forecastOut](t, w)
	um, err := uncertainty.BDM(in, bdm.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	sum, err := uncertainty.Run(context.Background(), in, um, uncertainty.Options{Runs: 300, Seed: 4,
		Perturbation: uncertainty.Perturbation{Position: 0.1, Salience: 0.1, Drop: 0.05}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Uncertainty == nil || got.Uncertainty.Runs != 300 || len(got.Uncertainty.Quantities) != len(sum.Stats) {
		t.Fatalf("uncertainty %+v", got.Uncertainty)
	}
	for k, st := range sum.Stats {
		q := got.Uncertainty.Quantities[k]
		if q.Count != st.Count() || q.Mean == nil || *q.Mean != st.Mean() || *q.Median != st.Quantile(0.5) || *q.Q95 != st.Quantile(0.95) {
			t.Errorf("%s: %+v, want mean %g, median %g", q.Name, q, st.Mean(), st.Quantile(0.5))
		}
	}

	// smp on a KTAB file of two dimensions
	src = repoFile(t, "forecast/testdata/ktab/SOE-Pol-Comp.csv")
	in, err = forecast.Read("soe.csv", src, "")
	if err != nil {
		t.Fatal(err)
	}
	opt, err := smp.FromInput(in)
	if err != nil {
		t.Fatal(err)
	}
	sres, err := smp.Run(context.Background(), in, opt)
	if err != nil {
		t.Fatal(err)
	}
	w = ts.sendJSON(t, "POST", "/api/v1/workbench/forecast", map[string]any{"example": "soe-pol-comp", "model": "smp"})
	want(t, w, http.StatusOK)
	got = decode[forecastOut](t, w)
	last := sres.States[len(sres.States)-1]
	if got.Rounds != len(sres.States)-1 || len(got.Trajectories) != 2 {
		t.Fatalf("%d turns on %d dimensions, want %d on 2", got.Rounds, len(got.Trajectories), len(sres.States)-1)
	}
	for k := range got.Trajectories {
		for i := range sres.Actors {
			p := got.Trajectories[k].Positions[i]
			if p[len(p)-1] != last.Positions[i][k] {
				t.Errorf("dimension %d actor %d ends at %g, want %g", k, i, p[len(p)-1], last.Positions[i][k])
			}
		}
	}

	// baselines
	w = ts.sendJSON(t, "POST", "/api/v1/workbench/forecast", map[string]any{"example": "dummy-3dim", "model": "baselines"})
	want(t, w, http.StatusOK)
	if got := decode[forecastOut](t, w); len(got.Baselines) != 3 {
		t.Errorf("%d baselines, want one per dimension (3)", len(got.Baselines))
	}
	// the pages
	w = ts.get(t, "/workbench/forecast?example=eu-emissions&model=bdm")
	want(t, w, http.StatusOK)
	if body := w.Body.String(); !strings.Contains(body, "Positions on") || !strings.Contains(body, `<img src="data:image/svg`) || !strings.Contains(body, "Netherlands") {
		t.Error("the forecast page lacks its table or its chart")
	}
	w = ts.postValues(t, "/workbench/forecast", url.Values{"input": {string(src)}, "model": {"smp"}, "max_turns": {"5"}, "runs": {"20"}, "perturb": {"0.05"}}, true)
	want(t, w, http.StatusOK)
	if body := w.Body.String(); !strings.Contains(body, "<th scope=\"col\" class=\"r\">5</th>") || !strings.Contains(body, "<h2>Uncertainty</h2>") {
		t.Error("five turns and 20 perturbed runs asked, no column 5 or no distribution")
	}
}

func TestWorkbenchForecastBadInput(t *testing.T) {
	ts := newServer(t, Config{})
	bad := "Actor,Capability,Position,Salience\nA,1,10,0.5\nB,lots,20,0.5\n"
	_, libErr := forecast.Read("input", []byte(bad), forecast.FormatTable)
	if libErr == nil {
		t.Fatal("the library reads the broken input")
	}
	w := ts.sendJSON(t, "POST", "/api/v1/workbench/forecast", map[string]any{"input": bad, "model": "baselines"})
	want(t, w, http.StatusBadRequest)
	e := apiErr(t, w)
	if e.Field != "input" || len(e.Problems) == 0 || e.Problems[0].Line != 3 || !strings.Contains(libErr.Error(), e.Problems[0].Text) {
		t.Errorf("field %q, problems %+v; want the library's (%v) at line 3", e.Field, e.Problems, libErr)
	}
	for _, c := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"model": "bdm"}, "input"},
		{map[string]any{"example": "soe-pol-comp", "model": "bdm"}, "dimension"},
		{map[string]any{"example": "soe-pol-comp", "model": "bdm", "dimension": "Economy"}, "dimension"},
		{map[string]any{"example": "eu-emissions", "model": "oracle"}, "model"},
		{map[string]any{"example": "eu-emissions", "model": "bdm", "bdm_preset": "scholz"}, "bdm_preset"},
		{map[string]any{"example": "eu-emissions", "format": "excel"}, "format"},
		{map[string]any{"example": "eu-emissions", "model": "smp", "max_turns": 0}, "max_turns"},
		{map[string]any{"example": "eu-emissions", "runs": -1}, "runs"},
		{map[string]any{"example": "eu-emissions", "runs": 10, "perturb": 2}, "perturb"},
		{map[string]any{"example": "eu-emissions", "runs": 10, "drop": 1}, "drop"},
	} {
		w := ts.sendJSON(t, "POST", "/api/v1/workbench/forecast", c.body)
		want(t, w, http.StatusBadRequest)
		if e := apiErr(t, w); e.Field != c.field {
			t.Errorf("%v: field %q (%s), want %q", c.body, e.Field, e.Error, c.field)
		}
	}
	w = ts.postValues(t, "/workbench/forecast", url.Values{"input": {bad}, "model": {"baselines"}}, false)
	want(t, w, http.StatusBadRequest)
	if body := w.Body.String(); !strings.Contains(body, `<div id="input-err"><ul class="problems wb-err"`) || !strings.Contains(body, "line 3") {
		t.Errorf("no located problem beside the input:\n%s", body)
	}
}

// TestWorkbenchTimeout: work past the deadline stops and says so (422),
// in the API and beside the form.
func TestWorkbenchTimeout(t *testing.T) {
	old := wbTimeout
	wbTimeout = time.Nanosecond
	t.Cleanup(func() { wbTimeout = old })
	ts := newServer(t, Config{})
	w := ts.sendJSON(t, "POST", "/api/v1/workbench/equilibria", map[string]any{"example": "6x6-75"})
	want(t, w, http.StatusUnprocessableEntity)
	if e := apiErr(t, w); !strings.Contains(e.Error, "took longer than") {
		t.Errorf("error %q", e.Error)
	}
	w = ts.postValues(t, "/workbench/tournament", url.Values{"strategy": {"TitForTat", "Defector"}}, false)
	want(t, w, http.StatusUnprocessableEntity)
	if !strings.Contains(w.Body.String(), "took longer than") || !strings.Contains(w.Body.String(), `value="Defector" checked`) {
		t.Error("the page lacks the message or the form")
	}
	// the slot was given back
	ts.runner.mu.Lock()
	defer ts.runner.mu.Unlock()
	if ts.runner.inflight != 0 || ts.runner.running != 0 {
		t.Errorf("%d in flight, %d running after the deadline", ts.runner.inflight, ts.runner.running)
	}
}

// ---- Moran ----

func TestWorkbenchMoranEqualsLibrary(t *testing.T) {
	ts := newServer(t, Config{})
	w := ts.sendJSON(t, "POST", "/api/v1/workbench/moran", map[string]any{"population": "TitForTat=6\n  Defector=2 # two of them\nGrudger", "turns": 20, "seed": 5, "runs": 40})
	want(t, w, http.StatusOK)
	got := decode[moranOut](t, w)
	var pop []*ipd.Strategy
	for _, c := range []struct {
		name string
		n    int
	}{{"TitForTat", 6}, {"Defector", 2}, {"Grudger", 1}} {
		for range c.n {
			pop = append(pop, ipd.MustLookup(c.name))
		}
	}
	m := ipd.Moran{Population: pop, Rules: ipd.Rules{Turns: 20}, MaxRounds: 1000, Seed: 5}
	res, err := m.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.Rounds != res.Rounds || got.Fixated != res.Fixated || len(got.Counts) != len(res.Counts) || got.Size != 9 {
		t.Fatalf("%d rounds (fixated %v), want %d (%v)", got.Rounds, got.Fixated, res.Rounds, res.Fixated)
	}
	for r := range res.Counts {
		for k := range res.Counts[r] {
			if got.Counts[r][k] != res.Counts[r][k] {
				t.Fatalf("round %d: %v, want %v", r, got.Counts[r], res.Counts[r])
			}
		}
	}
	many, err := m.RunMany(context.Background(), 40, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got.Many == nil || got.Many.Runs != 40 {
		t.Fatalf("many: %+v", got.Many)
	}
	for k, f := range got.Many.Fixations {
		if f.Runs != many.Fixations[k] {
			t.Errorf("%s took over %d times, want %d", f.Strategy, f.Runs, many.Fixations[k])
		}
	}
	// two types of deterministic rules: the exact fixation probabilities
	w = ts.sendJSON(t, "POST", "/api/v1/workbench/moran", map[string]any{"population": "TitForTat=4\nDefector=4", "turns": 10})
	want(t, w, http.StatusOK)
	got = decode[moranOut](t, w)
	m = ipd.Moran{Rules: ipd.Rules{Turns: 10}}
	for i := range 8 {
		m.Population = append(m.Population, ipd.MustLookup([]string{"TitForTat", "Defector"}[i/4]))
	}
	exact, ok := m.ExactFixation()
	if !ok || len(got.ExactFixation) != 2 || got.ExactFixation[0].Probability != exact[0] || got.ExactFixation[1].Probability != exact[1] {
		t.Errorf("exact fixation %+v, want %v", got.ExactFixation, exact)
	}
	if s := exact[0] + exact[1]; math.Abs(s-1) > 1e-9 {
		t.Errorf("the fixation probabilities add up to %g", s)
	}
	// the page, at once with its defaults and posted
	want(t, ts.get(t, "/workbench/moran"), http.StatusOK)
	w = ts.postValues(t, "/workbench/moran", url.Values{"population": {"TitForTat=9\nDefector"}, "turns": {"20"}}, true)
	want(t, w, http.StatusOK)
	if body := w.Body.String(); !strings.Contains(body, "took over after") || !strings.Contains(body, `<img src="data:image/svg`) || !strings.Contains(body, "Exact probability") {
		t.Errorf("the page lacks the outcome, the chart or the exact probability:\n%s", body)
	}
}

func TestWorkbenchMoranBadInput(t *testing.T) {
	ts := newServer(t, Config{})
	for _, c := range []struct {
		body      map[string]any
		field     string
		line, col int
	}{
		{map[string]any{"population": "TitForTat=9\n  Defektor"}, "population", 2, 3},
		{map[string]any{"population": "TitForTat=0\nDefector"}, "population", 1, 11},
		{map[string]any{"population": "TitForTat"}, "population", 0, 0},
		{map[string]any{"population": "TitForTat=101"}, "population", 1, 1},
		{map[string]any{"mode": "random"}, "mode", 0, 0},
		{map[string]any{"max_rounds": 0}, "max_rounds", 0, 0},
		{map[string]any{"runs": maxMoranRuns + 1}, "runs", 0, 0},
		{map[string]any{"mutation": 2}, "mutation", 0, 0},
		{map[string]any{"population": "TitForTat=50\nDefector=50", "max_rounds": 10000}, "max_rounds", 0, 0},
	} {
		w := ts.sendJSON(t, "POST", "/api/v1/workbench/moran", c.body)
		want(t, w, http.StatusBadRequest)
		e := apiErr(t, w)
		if e.Field != c.field {
			t.Errorf("%v: field %q (%s), want %q", c.body, e.Field, e.Error, c.field)
		}
		if c.line > 0 && (len(e.Problems) == 0 || e.Problems[0].Line != c.line || e.Problems[0].Column != c.col) {
			t.Errorf("%v: problems %+v, want one at %d:%d", c.body, e.Problems, c.line, c.col)
		}
	}
	w := ts.postValues(t, "/workbench/moran", url.Values{"population": {"TitForTat\n<i>x</i>"}}, false)
	want(t, w, http.StatusBadRequest)
	if body := w.Body.String(); strings.Contains(body, "<i>x</i>") || !strings.Contains(body, `data-target="population" data-line="2"`) {
		t.Errorf("the problem is not escaped or not located:\n%s", body)
	}
}

func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   []float64
	}{
		{0.9, 3.1, []float64{1, 1.5, 2, 2.5, 3}},
		{-1, 1, []float64{-1, -0.5, 0, 0.5, 1}},
		{0, 100, []float64{0, 20, 40, 60, 80, 100}},
		{5.5, 6.5, []float64{5.6, 5.8, 6, 6.2, 6.4}},
	} {
		got := niceTicks(c.lo, c.hi)
		if len(got) != len(c.want) {
			t.Errorf("niceTicks(%g, %g) = %v, want %v", c.lo, c.hi, got, c.want)
			continue
		}
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-12 {
				t.Errorf("niceTicks(%g, %g) = %v, want %v", c.lo, c.hi, got, c.want)
				break
			}
		}
	}
}
