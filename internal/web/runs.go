package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/store"
	"github.com/parleyhq/parley/report"
)

// Defaults of a comparison started from the web.
const (
	defaultRuns = 10000
	defaultSeed = 1
)

// parseRunsSeed reads the number of histories and the seed of a form or a
// query; empty fields take the defaults.
func (s *Server) parseRunsSeed(runsText, seedText string) (int, uint64, error) {
	runs, seed := defaultRuns, uint64(defaultSeed)
	if t := strings.TrimSpace(runsText); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 || n > s.cfg.MaxRuns {
			return 0, 0, errorf(http.StatusBadRequest, "runs must be a whole number from 1 to %d, got %q", s.cfg.MaxRuns, t)
		}
		runs = n
	}
	if t := strings.TrimSpace(seedText); t != "" {
		n, err := strconv.ParseUint(t, 10, 64)
		if err != nil {
			return 0, 0, errorf(http.StatusBadRequest, "seed must be a whole number from 0 to 18446744073709551615, got %q", t)
		}
		seed = n
	}
	return runs, seed, nil
}

// startCompare admits a comparison; a full queue is answered here with 429.
func (s *Server) startCompare(w http.ResponseWriter, r *http.Request, runsText, seedText string) (*store.Run, bool) {
	runs, seed, err := s.parseRunsSeed(runsText, seedText)
	if err != nil {
		s.failErr(w, r, err)
		return nil, false
	}
	d, err := s.lookup(r.Context(), r.PathValue("key"))
	if err != nil {
		s.failErr(w, r, err)
		return nil, false
	}
	run, err := s.runner.submit(r.Context(), d, runs, seed)
	if errors.Is(err, errBusy) {
		secs := int((s.cfg.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		s.fail(w, r, http.StatusTooManyRequests, fmt.Sprintf("%d comparisons are running and the queue is full; try again in %d seconds", s.cfg.MaxSimulations, secs))
		return nil, false
	}
	if err != nil {
		s.failErr(w, r, err)
		return nil, false
	}
	return run, true
}

// runID reads the {id} of a run's path; anything but a positive number is a 404.
func runID(r *http.Request) (int64, error) {
	t := r.PathValue("id")
	id, err := strconv.ParseInt(t, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != t {
		return 0, errorf(http.StatusNotFound, "no run %q", t)
	}
	return id, nil
}

// getRun loads the run a request's path names.
func (s *Server) getRun(r *http.Request) (*store.Run, error) {
	id, err := runID(r)
	if err != nil {
		return nil, err
	}
	run, err := s.cfg.Store.GetRun(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, errorf(http.StatusNotFound, "no run %d", id)
	}
	return run, err
}

// comparison decodes a finished run's results; a run that is not done is a 409.
func comparison(run *store.Run) (*report.Comparison, error) {
	if run.Status != store.StatusDone {
		return nil, errorf(http.StatusConflict, "run %d is %s: it has no results", run.ID, run.Status)
	}
	var c report.Comparison
	if err := json.Unmarshal(run.Results, &c); err != nil {
		return nil, fmt.Errorf("run %d: bad results in the store: %w", run.ID, err)
	}
	return &c, nil
}

// runJSON is a run as the API shows it.
type runJSON struct {
	ID           int64           `json:"id"`
	ScenarioRef  string          `json:"scenario"`
	ScenarioName string          `json:"scenario_name"`
	Seed         uint64          `json:"seed"`
	Runs         int             `json:"runs"`
	Version      string          `json:"version"`
	Status       string          `json:"status"`
	Error        string          `json:"error,omitempty"`
	Created      time.Time       `json:"created"`
	Finished     *time.Time      `json:"finished,omitempty"`
	Progress     *progress       `json:"progress,omitempty"`
	URL          string          `json:"url"`
	Snapshot     string          `json:"snapshot,omitempty"`
	Results      json.RawMessage `json:"results,omitempty"`
}

func (s *Server) runJSON(run *store.Run, full bool) runJSON {
	out := runJSON{ID: run.ID, ScenarioRef: run.ScenarioRef, ScenarioName: run.ScenarioName, Seed: run.Seed, Runs: run.Runs,
		Version: run.Version, Status: run.Status, Error: run.Error, Created: run.Created, URL: "/runs/" + itoa(run.ID)}
	if !run.Finished.IsZero() {
		f := run.Finished
		out.Finished = &f
	}
	if j := s.runner.job(run.ID); j != nil {
		p, _ := j.state()
		out.Progress = &p
		out.Status = p.Status
	}
	if full {
		out.Snapshot = run.Snapshot
		if len(run.Results) > 0 {
			out.Results = json.RawMessage(run.Results)
		}
	}
	return out
}

// ---- pages ----

func (s *Server) comparePage(w http.ResponseWriter, r *http.Request) {
	key := s.scenarioKey("compare", r.PathValue("key"))
	land, done := s.serveCached(w, r, key)
	if done {
		return
	}
	defer land()
	d, err := s.lookup(r.Context(), r.PathValue("key"))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	runs, err := s.runsOf(r.Context(), d.Key, 20)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.renderCached(w, r, key, "compare", "Compare "+d.Name, map[string]any{
		"S": d, "Runs": runs, "DefaultRuns": defaultRuns, "DefaultSeed": defaultSeed, "MaxRuns": s.cfg.MaxRuns})
}

func (s *Server) startComparePage(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.failErr(w, r, bodyError(err))
		return
	}
	run, ok := s.startCompare(w, r, r.PostForm.Get("runs"), r.PostForm.Get("seed"))
	if !ok {
		return
	}
	if r.Header.Get("HX-Request") == "true" {
		s.fragment(w, r, http.StatusAccepted, "progress", s.runJSON(run, false))
		return
	}
	http.Redirect(w, r, "/runs/"+itoa(run.ID), http.StatusSeeOther)
}

func (s *Server) runPage(w http.ResponseWriter, r *http.Request) {
	key := s.runKey(r.PathValue("id"))
	land, done := s.serveCached(w, r, key)
	if done {
		return
	}
	defer land()
	run, err := s.getRun(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	rj := s.runJSON(run, false)
	data := map[string]any{"Run": rj, "Snapshot": run.Snapshot}
	if run.Status == store.StatusDone {
		v, err := s.views.get(run)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		data["Tables"] = v.tables
		data["Charts"] = v.charts
		data["Bars"] = v.bars
	}
	title := fmt.Sprintf("Run %d: %s", run.ID, run.ScenarioName)
	if rj.Progress != nil || !store.Finished(run.Status) {
		// still going: its progress changes without the store
		s.render(w, r, http.StatusOK, "run", title, data)
		return
	}
	s.renderCached(w, r, key, "run", title, data)
}

func (s *Server) cancelRunPage(w http.ResponseWriter, r *http.Request) {
	run, err := s.getRun(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.runner.cancelRun(run.ID) // a run already over stays as it is
	redirect(w, r, "/runs/"+itoa(run.ID))
}

func (s *Server) deleteRunPage(w http.ResponseWriter, r *http.Request) {
	if err := s.deleteRun(r); err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/runs")
}

func (s *Server) deleteRun(r *http.Request) error {
	run, err := s.getRun(r)
	if err != nil {
		return err
	}
	if s.runner.job(run.ID) != nil {
		return errorf(http.StatusConflict, "run %d is still going; cancel it first", run.ID)
	}
	return s.cfg.Store.DeleteRun(r.Context(), run.ID)
}

// maxListedRuns bounds the run history shown at once.
const maxListedRuns = 500

func (s *Server) runsPage(w http.ResponseWriter, r *http.Request) {
	runs, err := s.cfg.Store.ListRuns(r.Context(), maxListedRuns)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	list := make([]runJSON, len(runs))
	var done []runJSON
	for i := range runs {
		list[i] = s.runJSON(&runs[i], false)
		if runs[i].Status == store.StatusDone {
			done = append(done, list[i])
		}
	}
	// preselect run A (from ?a=, else the newest) and B (the newest other)
	var a, b int64
	if len(done) > 0 {
		a = done[0].ID
	}
	if id, err := strconv.ParseInt(r.URL.Query().Get("a"), 10, 64); err == nil {
		a = id
	}
	for _, d := range done {
		if d.ID != a {
			b = d.ID
			break
		}
	}
	s.render(w, r, http.StatusOK, "runs", "Run history", map[string]any{"Runs": list, "Done": done, "A": a, "B": b})
}

func (s *Server) runsComparePage(w http.ResponseWriter, r *http.Request) {
	sb, err := s.sideBySide(r.Context(), r.URL.Query().Get("a"), r.URL.Query().Get("b"))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "runscompare", fmt.Sprintf("Runs %d and %d side by side", sb.A.ID, sb.B.ID), sb)
}

// runView is what the page of a finished run shows, worked out once: a
// finished run never changes.
type runView struct {
	tables []*report.Table
	// charts is the JSON of the charts, for the page's script element.
	// json.Marshal escapes <, > and &, so it cannot end the element early.
	charts template.JS
	// bars are the bar charts (breakdown causes; exposure and leverage by
	// the counterparts' types) as inline SVG, drawn on the server so that
	// they need no script; report.BarChart.SVG escapes what it embeds.
	bars []template.HTML
}

// viewCache keeps the views of the runs shown last, by id and finish time
// (the run itself is still read from the store on every request, so a
// deleted run is a 404 at once).
type viewCache struct {
	mu sync.Mutex
	m  map[viewKey]*runView
}

type viewKey struct {
	id       int64
	finished time.Time
}

// maxViews bounds the cache; when full it starts again empty.
const maxViews = 32

func (c *viewCache) get(run *store.Run) (*runView, error) {
	k := viewKey{run.ID, run.Finished}
	c.mu.Lock()
	v := c.m[k]
	c.mu.Unlock()
	if v != nil {
		return v, nil
	}
	cmp, err := comparison(run)
	if err != nil {
		return nil, err
	}
	charts, err := json.Marshal(chartsOf(cmp))
	if err != nil {
		return nil, err
	}
	v = &runView{tables: cmp.Tables(), charts: template.JS(charts)}
	for _, ch := range cmp.BarCharts() {
		var b strings.Builder
		if err := ch.SVG(&b); err != nil {
			return nil, err
		}
		v.bars = append(v.bars, template.HTML(b.String()))
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxViews {
		c.m = map[viewKey]*runView{}
	}
	c.m[k] = v
	c.mu.Unlock()
	return v, nil
}

// ---- side by side ----

// sideBySide compares two finished runs metric by metric.
type sideBySide struct {
	A            runJSON   `json:"a"`
	B            runJSON   `json:"b"`
	SameScenario bool      `json:"same_snapshot"`
	Rows         []diffRow `json:"rows"`
	// OnlyA and OnlyB list the roadmaps run in only one of them.
	OnlyA []string `json:"only_in_a"`
	OnlyB []string `json:"only_in_b"`
}

// diffRow is one metric of one roadmap in both runs.
type diffRow struct {
	Roadmap string  `json:"roadmap"`
	Metric  string  `json:"metric"`
	A       float64 `json:"a"`
	B       float64 `json:"b"`
	Diff    float64 `json:"b_minus_a"`
}

func (s *Server) sideBySide(ctx context.Context, aText, bText string) (*sideBySide, error) {
	var runs [2]*store.Run
	var cs [2]*report.Comparison
	for i, t := range []string{aText, bText} {
		id, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64)
		if err != nil || id <= 0 {
			return nil, errorf(http.StatusBadRequest, "choose two runs by their numbers (a=…&b=…), got %q", t)
		}
		run, err := s.cfg.Store.GetRun(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil, errorf(http.StatusNotFound, "no run %d", id)
		}
		if err != nil {
			return nil, err
		}
		if cs[i], err = comparison(run); err != nil {
			return nil, err
		}
		runs[i] = run
	}
	out := &sideBySide{A: s.runJSON(runs[0], false), B: s.runJSON(runs[1], false),
		SameScenario: runs[0].Snapshot == runs[1].Snapshot, Rows: []diffRow{}, OnlyA: []string{}, OnlyB: []string{}}
	inB := map[string]*report.RoadmapResult{}
	for i := range cs[1].Roadmaps {
		inB[cs[1].Roadmaps[i].ID] = &cs[1].Roadmaps[i]
	}
	inA := map[string]bool{}
	for i := range cs[0].Roadmaps {
		ra := &cs[0].Roadmaps[i]
		inA[ra.ID] = true
		rb, ok := inB[ra.ID]
		if !ok {
			out.OnlyA = append(out.OnlyA, ra.ID)
			continue
		}
		add := func(metric string, a, b float64) {
			out.Rows = append(out.Rows, diffRow{Roadmap: ra.ID, Metric: metric, A: a, B: b, Diff: b - a})
		}
		for _, o := range ra.Outcomes {
			add("P("+o.Name+")", o.P, rb.StatusShare(o.Name).P)
		}
		for _, ma := range ra.Milestones {
			for _, mb := range rb.Milestones {
				if mb.ID == ma.ID {
					add("P("+ma.ID+" reached)", ma.Reached.P, mb.Reached.P)
				}
			}
		}
		add("mean rounds", ra.Rounds.Mean, rb.Rounds.Mean)
	}
	for _, rb := range cs[1].Roadmaps {
		if !inA[rb.ID] {
			out.OnlyB = append(out.OnlyB, rb.ID)
		}
	}
	return out, nil
}

// ---- charts ----

// chartJSON is a chart as the page's script draws it with uPlot.
type chartJSON struct {
	Title  string       `json:"title"`
	XLabel string       `json:"xlabel"`
	YLabel string       `json:"ylabel"`
	YMin   float64      `json:"ymin"`
	YMax   float64      `json:"ymax"`
	X      []int        `json:"x"`
	Series []seriesJSON `json:"series"`
}

type seriesJSON struct {
	Name string    `json:"name"`
	Y    []float64 `json:"y"`
	Lo   []float64 `json:"lo,omitempty"`
	Hi   []float64 `json:"hi,omitempty"`
}

// chartsOf returns the comparison's charts (milestones, trust, insecurity)
// as data for uPlot.
func chartsOf(c *report.Comparison) []chartJSON {
	var out []chartJSON
	for _, ch := range c.Charts() {
		n := 0
		for _, l := range ch.Lines {
			n = max(n, len(l.Y))
		}
		cj := chartJSON{Title: ch.Title, XLabel: ch.XLabel, YLabel: ch.YLabel, YMin: ch.YMin, YMax: ch.YMax, X: make([]int, n)}
		for i := range cj.X {
			cj.X[i] = ch.X0 + i
		}
		for _, l := range ch.Lines {
			cj.Series = append(cj.Series, seriesJSON{Name: l.Name, Y: rounded(l.Y), Lo: rounded(l.Lo), Hi: rounded(l.Hi)})
		}
		out = append(out, cj)
	}
	return out
}

// rounded keeps four decimals, plenty for a chart and a quarter of the bytes;
// the tables and downloads keep every digit.
func rounded(ys []float64) []float64 {
	if ys == nil {
		return nil
	}
	out := make([]float64, len(ys))
	for i, y := range ys {
		out[i] = math.Round(y*1e4) / 1e4
	}
	return out
}

// ---- API ----

type compareBody struct {
	Runs *int    `json:"runs"`
	Seed *uint64 `json:"seed"`
}

func (s *Server) apiStartCompare(w http.ResponseWriter, r *http.Request) {
	var body compareBody
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &body); err != nil {
			s.failErr(w, r, err)
			return
		}
	}
	runsText, seedText := "", ""
	if body.Runs != nil {
		runsText = strconv.Itoa(*body.Runs)
	}
	if body.Seed != nil {
		seedText = strconv.FormatUint(*body.Seed, 10)
	}
	run, ok := s.startCompare(w, r, runsText, seedText)
	if !ok {
		return
	}
	w.Header().Set("Location", "/api/v1/runs/"+itoa(run.ID))
	writeJSON(w, http.StatusAccepted, s.runJSON(run, false))
}

func (s *Server) apiListRuns(w http.ResponseWriter, r *http.Request) {
	limit := 100
	if t := r.URL.Query().Get("limit"); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 || n > maxListedRuns {
			s.fail(w, r, http.StatusBadRequest, fmt.Sprintf("limit must be a whole number from 1 to %d, got %q", maxListedRuns, t))
			return
		}
		limit = n
	}
	runs, err := s.cfg.Store.ListRuns(r.Context(), limit)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	out := make([]runJSON, len(runs))
	for i := range runs {
		out[i] = s.runJSON(&runs[i], false)
	}
	writeJSON(w, http.StatusOK, map[string]any{"runs": out})
}

func (s *Server) apiGetRun(w http.ResponseWriter, r *http.Request) {
	run, err := s.getRun(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.runJSON(run, true))
}

func (s *Server) apiDeleteRun(w http.ResponseWriter, r *http.Request) {
	if err := s.deleteRun(r); err != nil {
		s.failErr(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiCancelRun(w http.ResponseWriter, r *http.Request) {
	run, err := s.getRun(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	if !s.runner.cancelRun(run.ID) {
		s.fail(w, r, http.StatusConflict, fmt.Sprintf("run %d is %s, not queued or running", run.ID, run.Status))
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"id": run.ID, "cancelling": true})
}

func (s *Server) apiRunResultsJSON(w http.ResponseWriter, r *http.Request) {
	run, err := s.getRun(r)
	if err == nil && run.Status != store.StatusDone {
		err = errorf(http.StatusConflict, "run %d is %s: it has no results", run.ID, run.Status)
	}
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="parley-run-%d.json"`, run.ID))
	w.Write(run.Results)
}

func (s *Server) apiRunResultsCSV(w http.ResponseWriter, r *http.Request) {
	run, err := s.getRun(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	c, err := comparison(run)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	var b bytes.Buffer
	if err := c.WriteCSV(&b); err != nil {
		s.failErr(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="parley-run-%d.csv"`, run.ID))
	w.Write(b.Bytes())
}

func (s *Server) apiCompareRuns(w http.ResponseWriter, r *http.Request) {
	sb, err := s.sideBySide(r.Context(), r.URL.Query().Get("a"), r.URL.Query().Get("b"))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sb)
}

// heartbeat is how often an idle event stream sends a comment.
var heartbeat = 15 * time.Second

// apiRunEvents streams a run's progress as server-sent events: "progress"
// events with {status, done, total} while it is queued or running, then one
// "end" event with {status, url} and the stream closes.
func (s *Server) apiRunEvents(w http.ResponseWriter, r *http.Request) {
	run, err := s.getRun(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func(event string, v any) bool {
		b, _ := json.Marshal(v)
		rc.SetWriteDeadline(time.Now().Add(heartbeat + 30*time.Second))
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	end := func() {
		status := run.Status
		if fresh, err := s.cfg.Store.GetRun(r.Context(), run.ID); err == nil {
			status = fresh.Status
		}
		send("end", map[string]any{"status": status, "url": "/runs/" + itoa(run.ID)})
	}
	var last progress
	for first := true; ; first = false {
		j := s.runner.job(run.ID)
		if j == nil {
			end()
			return
		}
		p, changed := j.state()
		if store.Finished(p.Status) {
			end()
			return
		}
		if first || p != last {
			if !send("progress", p) {
				return
			}
			last = p
		}
		select {
		case <-changed:
		case <-r.Context().Done():
			return
		case <-time.After(heartbeat):
			rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}
