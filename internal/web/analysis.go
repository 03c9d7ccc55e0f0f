package web

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/audit"
	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/report"
	"github.com/parleyhq/parley/scenario"
)

// compileOne compiles the roadmap called id, or answers 404 naming the ones there are.
func compileOne(sc *scenario.Scenario, id string) (*model.Roadmap, error) {
	if sc.RoadmapIndex(id) < 0 {
		return nil, errorf(http.StatusNotFound, "scenario %s has no roadmap %q; it has %s", sc.Name, id, strings.Join(roadmapIDs(sc), ", "))
	}
	return model.Compile(sc, id)
}

// auditResult is the audit of the roadmaps of one scenario.
type auditResult struct {
	Scenario    string          `json:"scenario"`
	AllProfiles bool            `json:"all_profiles"`
	Reports     []*audit.Report `json:"reports"`
}

// auditOf audits one roadmap (roadmap set) or every roadmap with phases.
func (s *Server) auditOf(r *http.Request) (*scenarioDoc, *auditResult, error) {
	d, err := s.lookup(r.Context(), r.PathValue("key"))
	if err != nil {
		return nil, nil, err
	}
	sc, err := d.loaded()
	if err != nil {
		return nil, nil, err
	}
	q := r.URL.Query()
	all := false
	if t := q.Get("all_profiles"); t != "" {
		if all, err = strconv.ParseBool(t); err != nil {
			return nil, nil, errorf(http.StatusBadRequest, "all_profiles must be true or false, got %q", t)
		}
	}
	var rs []*model.Roadmap
	if id := q.Get("roadmap"); id != "" {
		rm, err := compileOne(sc, id)
		if err != nil {
			return nil, nil, err
		}
		rs = []*model.Roadmap{rm}
	} else {
		all, err := model.CompileAll(sc)
		if err != nil {
			return nil, nil, err
		}
		for _, rm := range all {
			if len(rm.Phases) > 0 { // a baseline has nothing to audit
				rs = append(rs, rm)
			}
		}
	}
	res := &auditResult{Scenario: sc.Name, AllProfiles: all, Reports: []*audit.Report{}}
	for _, rm := range rs {
		rep, err := audit.Audit(rm, audit.Options{AllProfiles: all})
		if errors.Is(err, audit.ErrTooManyProfiles) {
			return nil, nil, errorf(http.StatusUnprocessableEntity, "roadmap %s: %v (at most %d); audit the most likely types instead", rm.ID, err, audit.MaxProfiles)
		}
		if err != nil {
			return nil, nil, err
		}
		res.Reports = append(res.Reports, rep)
	}
	return d, res, nil
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	d, res, err := s.auditOf(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "audit", "Audit of "+d.Name, map[string]any{
		"S": d, "Audit": res, "Roadmap": r.URL.Query().Get("roadmap"), "MaxProfilesShown": maxProfilesShown})
}

// maxProfilesShown bounds the profiles the audit page lays out per roadmap;
// the API returns them all.
const maxProfilesShown = 16

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	_, res, err := s.auditOf(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// traceResult is one seeded history told as a timeline.
type traceResult struct {
	Scenario string `json:"scenario"`
	Roadmap  string `json:"roadmap"`
	Seed     uint64 `json:"seed"`
	History  uint64 `json:"history"`
	Status   string `json:"status"`
	Cause    string `json:"cause,omitempty"`
	Rounds   int    `json:"rounds"`
	// Types is each actor's true type, in declaration order.
	Types []actorType `json:"types"`
	// Timeline is the story: an opening, one entry per round, the outcome.
	Timeline []timelineEntry `json:"timeline"`
}

type actorType struct {
	Actor    string  `json:"actor"`
	Type     string  `json:"type"`
	Utility  float64 `json:"utility"`
	Exposure float64 `json:"exposure"`
}

type timelineEntry struct {
	Title string   `json:"title"`
	Lines []string `json:"lines"`
}

// traceOf plays the history the query names (roadmap, seed, history) and
// tells it with report.Narrate.
func (s *Server) traceOf(r *http.Request) (*scenarioDoc, *traceResult, error) {
	d, err := s.lookup(r.Context(), r.PathValue("key"))
	if err != nil {
		return nil, nil, err
	}
	sc, err := d.loaded()
	if err != nil {
		return nil, nil, err
	}
	q := r.URL.Query()
	id := q.Get("roadmap")
	if id == "" {
		id = sc.Roadmaps[0].ID
	}
	rm, err := compileOne(sc, id)
	if err != nil {
		return nil, nil, err
	}
	seed, history := uint64(defaultSeed), uint64(0)
	for _, f := range []struct {
		name string
		p    *uint64
	}{{"seed", &seed}, {"history", &history}} {
		if t := strings.TrimSpace(q.Get(f.name)); t != "" {
			if *f.p, err = strconv.ParseUint(t, 10, 64); err != nil {
				return nil, nil, errorf(http.StatusBadRequest, "%s must be a whole number from 0 to 18446744073709551615, got %q", f.name, t)
			}
		}
	}
	h := engine.New(rm)
	rec := &engine.Recorder{}
	h.Tracer = rec
	var src engine.PCG
	src.Seed(seed, history)
	res := h.Run(&src)
	var b bytes.Buffer
	if err := report.Narrate(&b, rm, rec.Events, res); err != nil {
		return nil, nil, err
	}
	tr := &traceResult{Scenario: sc.Name, Roadmap: rm.ID, Seed: seed, History: history, Status: res.Status.String(),
		Cause: report.CauseText(rm, res.Cause), Rounds: res.Rounds, Timeline: timeline(b.String())}
	for a, ac := range rm.Actors {
		tr.Types = append(tr.Types, actorType{Actor: ac.ID, Type: ac.Types[res.Types[a]].ID, Utility: res.Utility[a], Exposure: res.Exposure[a]})
	}
	return d, tr, nil
}

// timeline cuts a narrated history into its paragraphs: the first line of
// each is its title, the others its lines.
func timeline(text string) []timelineEntry {
	var out []timelineEntry
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		lines := strings.Split(strings.TrimRight(para, "\n"), "\n")
		e := timelineEntry{Title: strings.TrimSuffix(strings.TrimSpace(lines[0]), ":"), Lines: []string{}}
		for _, l := range lines[1:] {
			if l = strings.TrimSpace(l); l != "" {
				e.Lines = append(e.Lines, l)
			}
		}
		out = append(out, e)
	}
	return out
}

func (s *Server) tracePage(w http.ResponseWriter, r *http.Request) {
	d, tr, err := s.traceOf(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "trace", "History "+strconv.FormatUint(tr.History, 10)+" of "+tr.Roadmap, map[string]any{"S": d, "Trace": tr})
}

func (s *Server) apiTrace(w http.ResponseWriter, r *http.Request) {
	_, tr, err := s.traceOf(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tr)
}
