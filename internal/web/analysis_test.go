package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/parleyhq/parley/audit"
	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/report"
	"github.com/parleyhq/parley/scenario"
)

func TestAudit(t *testing.T) {
	ts := newServer(t, Config{})
	sc, _ := scenario.Builtin("korea")
	rm, err := model.Compile(sc, "denuclearization-first")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := audit.Audit(rm, audit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := ts.get(t, "/api/v1/scenarios/builtin:korea/audit?roadmap=denuclearization-first")
	want(t, w, http.StatusOK)
	var got struct {
		Scenario string
		Reports  []json.RawMessage
	}
	json.Unmarshal(w.Body.Bytes(), &got)
	exp, _ := json.Marshal(rep)
	if got.Scenario != "korea" || len(got.Reports) != 1 || !jsonEqual(t, got.Reports[0], exp) {
		t.Fatalf("the audit differs from audit.Audit's")
	}
	// every roadmap with phases: the baseline has none
	w = ts.get(t, "/api/v1/scenarios/builtin:korea/audit")
	want(t, w, http.StatusOK)
	all := decode[auditResult](t, w)
	if len(all.Reports) != 4 {
		t.Errorf("%d reports, want 4 (five roadmaps, one baseline)", len(all.Reports))
	}
	w = ts.get(t, "/api/v1/scenarios/builtin:tiny/audit?all_profiles=true")
	want(t, w, http.StatusOK)
	if a := decode[auditResult](t, w); !a.AllProfiles || len(a.Reports) != 1 || len(a.Reports[0].Profiles) != 4 {
		t.Errorf("tiny with every profile: %+v", a)
	}

	// the page highlights the flagged steps and shows the levers
	w = ts.get(t, "/scenarios/builtin:korea/audit?roadmap=denuclearization-first")
	want(t, w, http.StatusOK)
	body := w.Body.String()
	if rep.Profiles[0].Failures == 0 {
		t.Fatal("expected denuclearization-first to be flagged")
	}
	if got := strings.Count(body, `<tr class="fail">`); got == 0 {
		t.Error("no row is highlighted")
	}
	for _, ph := range rep.Profiles[0].Phases {
		for _, row := range ph.Rows {
			for _, f := range row.Failures {
				if !strings.Contains(body, htmlEscape(f.Message)) {
					t.Errorf("the page lacks the failure %q", f.Message)
				}
				for _, l := range f.Levers {
					if !strings.Contains(body, htmlEscape(l.Text)) {
						t.Errorf("the page lacks the lever %q", l.Text)
					}
				}
			}
		}
	}
	for path, code := range map[string]int{
		"/api/v1/scenarios/builtin:korea/audit?roadmap=nope":       http.StatusNotFound,
		"/api/v1/scenarios/builtin:korea/audit?all_profiles=maybe": http.StatusBadRequest,
		"/api/v1/scenarios/builtin:nope/audit":                     http.StatusNotFound,
		"/scenarios/builtin:korea/audit?roadmap=nope":              http.StatusNotFound,
	} {
		if w := ts.get(t, path); w.Code != code {
			t.Errorf("GET %s: %d, want %d", path, w.Code, code)
		}
	}
}

func TestTrace(t *testing.T) {
	ts := newServer(t, Config{})
	sc, _ := scenario.Builtin("korea")
	rm, _ := model.Compile(sc, "peace-first")
	h := engine.New(rm)
	rec := &engine.Recorder{}
	h.Tracer = rec
	var src engine.PCG
	src.Seed(3, 5)
	res := h.Run(&src)
	var story bytes.Buffer
	report.Narrate(&story, rm, rec.Events, res)

	w := ts.get(t, "/api/v1/scenarios/builtin:korea/trace?roadmap=peace-first&seed=3&history=5")
	want(t, w, http.StatusOK)
	tr := decode[traceResult](t, w)
	if tr.Status != res.Status.String() || tr.Rounds != res.Rounds || tr.Seed != 3 || tr.History != 5 || len(tr.Types) != 4 {
		t.Errorf("trace = %s after %d rounds, want %s after %d", tr.Status, tr.Rounds, res.Status, res.Rounds)
	}
	// the timeline is the narration, paragraph by paragraph
	var rebuilt []string
	for _, e := range tr.Timeline {
		rebuilt = append(rebuilt, e.Title)
		rebuilt = append(rebuilt, e.Lines...)
	}
	var want1 []string
	for _, l := range strings.Split(story.String(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			want1 = append(want1, strings.TrimSuffix(l, ":"))
		}
	}
	if strings.Join(rebuilt, "\n") != strings.Join(want1, "\n") {
		t.Errorf("the timeline is not the narration:\n%s\nwant\n%s", strings.Join(rebuilt, "\n"), strings.Join(want1, "\n"))
	}
	if !strings.HasPrefix(tr.Timeline[1].Title, "Round 1 — ") || !strings.HasPrefix(tr.Timeline[len(tr.Timeline)-1].Title, "Outcome: ") {
		t.Errorf("timeline starts %q and ends %q", tr.Timeline[1].Title, tr.Timeline[len(tr.Timeline)-1].Title)
	}
	// defaults: the first roadmap, seed 1, history 0
	w = ts.get(t, "/api/v1/scenarios/builtin:korea/trace")
	want(t, w, http.StatusOK)
	if d := decode[traceResult](t, w); d.Roadmap != sc.Roadmaps[0].ID || d.Seed != 1 || d.History != 0 {
		t.Errorf("defaults: %s %d %d", d.Roadmap, d.Seed, d.History)
	}
	w = ts.get(t, "/scenarios/builtin:korea/trace?roadmap=peace-first&seed=3&history=5")
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `<ol class="timeline">`) || strings.Count(w.Body.String(), `<h2 class="h3">Round `) != res.Rounds {
		t.Errorf("the page does not show %d rounds on a timeline", res.Rounds)
	}
	for path, code := range map[string]int{
		"/api/v1/scenarios/builtin:korea/trace?roadmap=nope": http.StatusNotFound,
		"/api/v1/scenarios/builtin:korea/trace?seed=-1":      http.StatusBadRequest,
		"/api/v1/scenarios/builtin:korea/trace?history=1.5":  http.StatusBadRequest,
		"/api/v1/scenarios/7/trace":                          http.StatusNotFound,
		"/scenarios/builtin:korea/trace?seed=x":              http.StatusBadRequest,
	} {
		if w := ts.get(t, path); w.Code != code {
			t.Errorf("GET %s: %d, want %d", path, w.Code, code)
		}
	}
}
