package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/store"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/report"
	"github.com/parleyhq/parley/scenario"
)

// direct computes what a comparison of a built-in must give, without the server.
func direct(t *testing.T, name string, runs int, seed uint64) []byte {
	t.Helper()
	sc, err := scenario.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := model.CompileAll(sc)
	if err != nil {
		t.Fatal(err)
	}
	b, err := compare(context.Background(), rs, runs, seed, nil)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCompareSavesTheRun(t *testing.T) {
	ts := newServer(t, Config{Version: "v9.8.7"})
	w := ts.get(t, "/scenarios/builtin:tiny/compare")
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `hx-post="/scenarios/builtin:tiny/compare"`) {
		t.Error("the compare page has no form that posts the comparison")
	}
	run := ts.startRun(t, "builtin:tiny", 3000, 7)
	if run.ID != 1 || run.Status != store.StatusQueued && run.Status != store.StatusRunning || run.URL != "/runs/1" || run.Runs != 3000 || run.Seed != 7 {
		t.Errorf("started run = %+v", run)
	}
	done := ts.waitRun(t, run.ID)
	if done.Status != store.StatusDone || done.Version != "v9.8.7" || done.ScenarioRef != "builtin:tiny" || done.Finished.IsZero() {
		t.Fatalf("finished run = %+v", done)
	}
	src, _ := scenario.BuiltinSource("tiny")
	if done.Snapshot != string(src) {
		t.Error("the run's snapshot is not the scenario's text")
	}
	// the same numbers as the library computes (and as `parley compare --format json` prints)
	exp := direct(t, "tiny", 3000, 7)
	if !bytes.Equal(done.Results, exp) {
		t.Fatalf("saved results differ from a direct comparison:\n%s\nwant\n%s", done.Results, exp)
	}

	// the API
	w = ts.get(t, "/api/v1/runs/1")
	want(t, w, http.StatusOK)
	got := decode[runJSON](t, w)
	if got.Status != "done" || got.Snapshot != string(src) || !jsonEqual(t, got.Results, exp) || got.Finished == nil {
		t.Errorf("GET run: status %s, snapshot %v", got.Status, got.Snapshot == string(src))
	}
	w = ts.get(t, "/api/v1/runs/1/results.json")
	want(t, w, http.StatusOK)
	if !bytes.Equal(w.Body.Bytes(), exp) || w.Header().Get("Content-Disposition") != `attachment; filename="parley-run-1.json"` {
		t.Error("the JSON download is not the results")
	}
	var c report.Comparison
	json.Unmarshal(exp, &c)
	var csv bytes.Buffer
	c.WriteCSV(&csv)
	w = ts.get(t, "/api/v1/runs/1/results.csv")
	want(t, w, http.StatusOK)
	if w.Body.String() != csv.String() || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") {
		t.Errorf("the CSV download differs from the comparison's CSV")
	}
	if !strings.HasPrefix(w.Body.String(), "roadmap,metric,key,value,lo,hi\npeace-first,outcome,completed,") {
		t.Errorf("CSV starts %q", w.Body.String()[:60])
	}

	// the run's page: every table, the chart data, the downloads
	w = ts.get(t, "/runs/1")
	want(t, w, http.StatusOK)
	body := w.Body.String()
	for _, tb := range c.Tables() {
		if !strings.Contains(body, "<caption>"+htmlEscape(tb.Title)) {
			t.Errorf("the run page lacks the table %q", tb.Title)
		}
	}
	charts := chartsOf(&c)
	if len(charts) == 0 || !strings.Contains(body, `"title":"`+charts[0].Title+`"`) {
		t.Errorf("the chart data is missing (%d charts)", len(charts))
	}
	// the bar charts, drawn on the server, exactly as the report draws them
	bars := c.BarCharts()
	if len(bars) == 0 {
		t.Fatal("tiny's comparison has no bar charts to look for")
	}
	for _, ch := range bars {
		var svg strings.Builder
		if err := ch.SVG(&svg); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(body, "<figure>"+svg.String()+"</figure>") {
			t.Errorf("the run page lacks the bar chart %q", ch.Title)
		}
	}
	for _, s := range []string{`id="chart-data"`, `href="/api/v1/runs/1/results.csv"`, `href="/api/v1/runs/1/results.json"`} {
		if !strings.Contains(body, s) {
			t.Errorf("the run page lacks %s", s)
		}
	}

	// lists
	w = ts.get(t, "/api/v1/runs")
	want(t, w, http.StatusOK)
	list := decode[struct{ Runs []runJSON }](t, w)
	if len(list.Runs) != 1 || list.Runs[0].ID != 1 || list.Runs[0].Results != nil || list.Runs[0].Snapshot != "" {
		t.Errorf("run list = %+v", list.Runs)
	}
	want(t, ts.get(t, "/api/v1/runs?limit=0"), http.StatusBadRequest)
	want(t, ts.get(t, "/api/v1/runs?limit=x"), http.StatusBadRequest)
	w = ts.get(t, "/runs")
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `href="/runs/1"`) {
		t.Error("the history page does not link run 1")
	}
	w = ts.get(t, "/scenarios/builtin:tiny")
	if !strings.Contains(w.Body.String(), `href="/runs/1"`) {
		t.Error("the scenario page does not list its run")
	}

	// unknown and malformed ids
	for _, path := range []string{"/runs/2", "/runs/x", "/runs/0", "/api/v1/runs/2", "/api/v1/runs/-1", "/api/v1/runs/2/results.csv",
		"/api/v1/runs/2/results.json", "/api/v1/runs/2/events"} {
		if w := ts.get(t, path); w.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, w.Code)
		}
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}

func TestCompareBadInput(t *testing.T) {
	ts := newServer(t, Config{MaxRuns: 5000})
	for _, tc := range []struct {
		path string
		body any
		code int
	}{
		{"/api/v1/scenarios/builtin:nope/compare", nil, http.StatusNotFound},
		{"/api/v1/scenarios/12/compare", nil, http.StatusNotFound},
		{"/api/v1/scenarios/builtin:tiny/compare", map[string]any{"runs": 0}, http.StatusBadRequest},
		{"/api/v1/scenarios/builtin:tiny/compare", map[string]any{"runs": 5001}, http.StatusBadRequest},
		{"/api/v1/scenarios/builtin:tiny/compare", map[string]any{"seed": -1}, http.StatusBadRequest},
		{"/api/v1/scenarios/builtin:tiny/compare", map[string]any{"runs": "many"}, http.StatusBadRequest},
		{"/api/v1/scenarios/builtin:tiny/compare", map[string]any{"workers": 3}, http.StatusBadRequest},
	} {
		w := ts.sendJSON(t, "POST", tc.path, tc.body)
		if w.Code != tc.code {
			t.Errorf("POST %s %v: %d, want %d: %s", tc.path, tc.body, w.Code, tc.code, w.Body.String())
		}
	}
	// the page's form
	for _, tc := range []struct {
		form map[string]string
		code int
	}{
		{map[string]string{"runs": "-3"}, http.StatusBadRequest},
		{map[string]string{"runs": "10", "seed": "1e3"}, http.StatusBadRequest},
		{map[string]string{"runs": "10", "seed": "18446744073709551616"}, http.StatusBadRequest},
	} {
		if w := ts.postForm(t, "/scenarios/builtin:tiny/compare", tc.form); w.Code != tc.code {
			t.Errorf("form %v: %d, want %d", tc.form, w.Code, tc.code)
		}
	}
	want(t, ts.postForm(t, "/scenarios/builtin:nope/compare", nil), http.StatusNotFound)
	want(t, ts.get(t, "/scenarios/builtin:nope/compare"), http.StatusNotFound)
	if n, _ := ts.store.ListRuns(t.Context(), 0); len(n) != 0 {
		t.Errorf("refused requests created %d runs", len(n))
	}
	// an empty JSON body takes the defaults; the biggest seed is accepted
	w := ts.do(t, req{method: "POST", path: "/api/v1/scenarios/builtin:tiny/compare"})
	want(t, w, http.StatusAccepted)
	if r := decode[runJSON](t, w); r.Runs != defaultRuns || r.Seed != defaultSeed {
		t.Errorf("defaults: runs %d seed %d", r.Runs, r.Seed)
	}
	w = ts.postForm(t, "/scenarios/builtin:tiny/compare", map[string]string{"runs": "10", "seed": "18446744073709551615"})
	want(t, w, http.StatusSeeOther)
	if loc := w.Header().Get("Location"); loc != "/runs/2" {
		t.Errorf("the form leads to %q, want /runs/2", loc)
	}
	if r := ts.waitRun(t, 2); r.Seed != 18446744073709551615 || r.Status != store.StatusDone {
		t.Errorf("run 2: seed %d, status %s", r.Seed, r.Status)
	}
	ts.waitRun(t, 1)
}

// longRuns makes a comparison that takes far longer than any test waits for it.
const longRuns = 1_000_000

func TestQueueFullGives429(t *testing.T) {
	ts := newServer(t, Config{MaxSimulations: 1, MaxQueued: 1, RetryAfter: 3 * time.Second})
	a := ts.startRun(t, "builtin:korea", longRuns, 1)
	b := ts.startRun(t, "builtin:korea", longRuns, 2)
	// the second waits for the first
	deadline := time.Now().Add(10 * time.Second)
	for {
		ja, jb := ts.runner.job(a.ID), ts.runner.job(b.ID)
		pa, _ := ja.state()
		pb, _ := jb.state()
		if pa.Status == store.StatusRunning && pb.Status == store.StatusQueued {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("states %s and %s, want running and queued", pa.Status, pb.Status)
		}
		time.Sleep(10 * time.Millisecond)
	}
	for _, path := range []string{"/api/v1/scenarios/builtin:tiny/compare", "/scenarios/builtin:tiny/compare"} {
		var w interface {
			Header() http.Header
		}
		var code int
		if strings.HasPrefix(path, "/api") {
			rw := ts.sendJSON(t, "POST", path, map[string]any{"runs": 10})
			w, code = rw, rw.Code
			if !strings.Contains(rw.Body.String(), "queue is full") {
				t.Errorf("429 body: %s", rw.Body.String())
			}
		} else {
			rw := ts.postForm(t, path, map[string]string{"runs": "10"})
			w, code = rw, rw.Code
		}
		if code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "3" {
			t.Errorf("POST %s with a full queue: %d, Retry-After %q; want 429 and 3", path, code, w.Header().Get("Retry-After"))
		}
	}
	if runs, _ := ts.store.ListRuns(t.Context(), 0); len(runs) != 2 {
		t.Errorf("%d runs stored, want 2 (the refused one is not recorded)", len(runs))
	}
	// the page of a queued run shows its progress widget
	w := ts.get(t, "/runs/2")
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `data-events="/api/v1/runs/2/events"`) || !strings.Contains(w.Body.String(), `action="/runs/2/cancel"`) {
		t.Error("a queued run's page has no progress or cancel")
	}
	// a running run can neither be deleted nor give results
	want(t, ts.sendJSON(t, "DELETE", "/api/v1/runs/1", nil), http.StatusConflict)
	want(t, ts.get(t, "/api/v1/runs/1/results.csv"), http.StatusConflict)
	want(t, ts.get(t, "/api/v1/runs/1/results.json"), http.StatusConflict)

	// cancel both: the queued one through the page, the running one through the API
	w = ts.postForm(t, "/runs/2/cancel", nil)
	want(t, w, http.StatusSeeOther)
	// the page the cancel leads to already shows the run cancelled
	w = ts.get(t, w.Header().Get("Location"))
	if !strings.Contains(w.Body.String(), `<dd class="st-cancelled">cancelled</dd>`) || strings.Contains(w.Body.String(), "data-events") {
		t.Error("right after the cancel, the run's page does not show it cancelled")
	}
	want(t, ts.sendJSON(t, "POST", "/api/v1/runs/1/cancel", nil), http.StatusAccepted)
	for _, id := range []int64{a.ID, b.ID} {
		if r := ts.waitRun(t, id); r.Status != store.StatusCancelled || r.Results != nil {
			t.Errorf("run %d: %s, want cancelled without results", id, r.Status)
		}
	}
	want(t, ts.sendJSON(t, "POST", "/api/v1/runs/1/cancel", nil), http.StatusConflict)
	want(t, ts.sendJSON(t, "POST", "/api/v1/runs/9/cancel", nil), http.StatusNotFound)
	want(t, ts.postForm(t, "/runs/9/cancel", nil), http.StatusNotFound)
	// a slot is free again
	c := ts.startRun(t, "builtin:tiny", 100, 1)
	if r := ts.waitRun(t, c.ID); r.Status != store.StatusDone {
		t.Errorf("the run after the queue emptied: %s", r.Status)
	}
}

func TestEventsStreamProgressAndCancel(t *testing.T) {
	ts := newServer(t, Config{})
	hs := liveServer(t, ts)
	run := ts.startRun(t, "builtin:korea", longRuns, 5)
	resp, err := http.Get(hs.URL + "/api/v1/runs/" + strconv.FormatInt(run.ID, 10) + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	events := readEvents(resp.Body)
	var last progress
	var seen int
	for ev := range events {
		if ev.name != "progress" {
			t.Fatalf("event %q before any progress", ev.name)
		}
		if err := json.Unmarshal([]byte(ev.data), &last); err != nil {
			t.Fatal(err)
		}
		if last.Total != 5*longRuns {
			t.Fatalf("total %d, want %d (five roadmaps)", last.Total, 5*longRuns)
		}
		seen++
		if last.Done > 0 {
			break
		}
	}
	if last.Status != store.StatusRunning || last.Done <= 0 || last.Done%500 != 0 {
		t.Fatalf("progress %+v: want running with whole chunks of 500 done", last)
	}
	// cancel from another client; the stream ends with the verdict
	cr, err := http.Post(hs.URL+"/api/v1/runs/"+strconv.FormatInt(run.ID, 10)+"/cancel", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	cr.Body.Close()
	if cr.StatusCode != http.StatusAccepted {
		t.Fatalf("cancel: %d", cr.StatusCode)
	}
	var end sseEvent
	for ev := range events {
		if ev.name == "end" {
			end = ev
		} else if ev.name == "progress" {
			var p progress
			json.Unmarshal([]byte(ev.data), &p)
			if p.Done < last.Done {
				t.Errorf("progress went back from %d to %d", last.Done, p.Done)
			}
			last = p
		}
	}
	if end.data != `{"status":"cancelled","url":"/runs/1"}` {
		t.Errorf("end event %q", end.data)
	}
	if r := ts.waitRun(t, run.ID); r.Status != store.StatusCancelled {
		t.Errorf("stored status %s", r.Status)
	}
	// the stream of a run that is over says so at once
	resp2, err := http.Get(hs.URL + "/api/v1/runs/1/events")
	if err != nil {
		t.Fatal(err)
	}
	all, _ := io.ReadAll(resp2.Body)
	resp2.Body.Close()
	if string(all) != "event: end\ndata: {\"status\":\"cancelled\",\"url\":\"/runs/1\"}\n\n" {
		t.Errorf("stream of a finished run: %q", all)
	}
}

func TestEventsOfAFinishingRun(t *testing.T) {
	ts := newServer(t, Config{})
	hs := liveServer(t, ts)
	run := ts.startRun(t, "builtin:korea", 20000, 1)
	resp, err := http.Get(hs.URL + "/api/v1/runs/" + strconv.FormatInt(run.ID, 10) + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var names []string
	var end string
	for ev := range readEvents(resp.Body) {
		names = append(names, ev.name)
		if ev.name == "end" {
			end = ev.data
		}
	}
	if end != `{"status":"done","url":"/runs/1"}` {
		t.Errorf("end %q after events %v", end, names)
	}
	if r := ts.waitRun(t, run.ID); r.Status != store.StatusDone {
		t.Errorf("status %s", r.Status)
	}
}

func TestRunsSurviveARestart(t *testing.T) {
	ts := newServer(t, Config{})
	w := ts.sendJSON(t, "POST", "/api/v1/scenarios", sourceBody{Source: tinySource(t)})
	want(t, w, http.StatusCreated)
	run := ts.startRun(t, "1", 2000, 11)
	ts.waitRun(t, run.ID)
	before := ts.get(t, "/api/v1/runs/1").Body.String()
	page := ts.get(t, "/runs/1").Body.String()
	// a run still going when the server stops is recorded as interrupted
	long := ts.startRun(t, "builtin:korea", longRuns, 1)
	path := ts.path
	ts.shutdown()

	ts2 := openServer(t, path, Config{})
	if got := ts2.get(t, "/api/v1/runs/1").Body.String(); got != before {
		t.Errorf("run 1 changed across the restart:\n%s\nwant\n%s", got, before)
	}
	if got := ts2.get(t, "/runs/1").Body.String(); got != page {
		t.Error("the page of run 1 changed across the restart")
	}
	r, err := ts2.store.GetRun(t.Context(), long.ID)
	if err != nil || r.Status != store.StatusInterrupted {
		t.Errorf("the run cut short by the stop: %v, %v", r, err)
	}
	if sc, err := ts2.store.GetScenario(t.Context(), 1); err != nil || sc.Source != tinySource(t) {
		t.Errorf("the scenario did not survive: %v", err)
	}
	if err := ts2.store.IntegrityCheck(t.Context()); err != nil {
		t.Error(err)
	}
	// ids go on
	next := ts2.startRun(t, "builtin:tiny", 100, 1)
	if next.ID != long.ID+1 {
		t.Errorf("the next run got id %d, want %d", next.ID, long.ID+1)
	}
	ts2.waitRun(t, next.ID)
}

func TestRunsSideBySide(t *testing.T) {
	ts := newServer(t, Config{})
	a := ts.startRun(t, "builtin:tiny", 1000, 1)
	b := ts.startRun(t, "builtin:tiny", 1000, 2)
	ts.waitRun(t, a.ID)
	ts.waitRun(t, b.ID)
	w := ts.get(t, "/api/v1/runs/compare?a=1&b=2")
	want(t, w, http.StatusOK)
	sb := decode[sideBySide](t, w)
	if !sb.SameScenario || sb.A.ID != 1 || sb.B.ID != 2 || len(sb.OnlyA) != 0 || len(sb.OnlyB) != 0 {
		t.Errorf("side by side: %+v", sb)
	}
	var ca, cb report.Comparison
	json.Unmarshal(direct(t, "tiny", 1000, 1), &ca)
	json.Unmarshal(direct(t, "tiny", 1000, 2), &cb)
	found := false
	for _, row := range sb.Rows {
		if row.Roadmap == "peace-first" && row.Metric == "P(completed)" {
			found = true
			ra, rb := ca.Roadmaps[0].StatusShare("completed").P, cb.Roadmaps[0].StatusShare("completed").P
			if row.A != ra || row.B != rb || row.Diff != rb-ra {
				t.Errorf("P(completed): %+v, want a %v b %v", row, ra, rb)
			}
		}
	}
	if !found {
		t.Errorf("no P(completed) row for peace-first in %+v", sb.Rows)
	}
	w = ts.get(t, "/runs/compare?a=1&b=2")
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "Both ran the same scenario text.") || !strings.Contains(w.Body.String(), "P(completed)") {
		t.Error("the side-by-side page lacks its verdict or rows")
	}
	w = ts.get(t, "/runs")
	if !strings.Contains(w.Body.String(), `action="/runs/compare"`) {
		t.Error("the history page has no form to pick two runs")
	}
	for path, code := range map[string]int{
		"/api/v1/runs/compare?a=1&b=9": http.StatusNotFound, "/api/v1/runs/compare?a=x&b=2": http.StatusBadRequest,
		"/api/v1/runs/compare?a=1": http.StatusBadRequest, "/runs/compare?a=1&b=99": http.StatusNotFound,
	} {
		if w := ts.get(t, path); w.Code != code {
			t.Errorf("GET %s: %d, want %d", path, w.Code, code)
		}
	}
	// delete a run through the page and through the API
	want(t, ts.postForm(t, "/runs/2/delete", nil), http.StatusSeeOther)
	want(t, ts.get(t, "/runs/2"), http.StatusNotFound)
	want(t, ts.postForm(t, "/runs/2/delete", nil), http.StatusNotFound)
	want(t, ts.sendJSON(t, "DELETE", "/api/v1/runs/1", nil), http.StatusNoContent)
	want(t, ts.sendJSON(t, "DELETE", "/api/v1/runs/1", nil), http.StatusNotFound)
}
