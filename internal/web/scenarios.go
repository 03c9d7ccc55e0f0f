package web

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/store"
	"github.com/parleyhq/parley/scenario"
)

// builtinPrefix marks the key of a built-in scenario, as on the command line.
const builtinPrefix = "builtin:"

// editorFile names the text of the editor in the loader's messages.
const editorFile = "scenario.yaml"

// scenarioDoc is a scenario as the pages and the API see it: a built-in
// (key "builtin:NAME", read-only) or one of the user's (key: its id).
type scenarioDoc struct {
	Key     string    `json:"key"`
	Builtin bool      `json:"builtin"`
	Name    string    `json:"name"`
	Title   string    `json:"title,omitempty"`
	Updated time.Time `json:"updated,omitzero"`
	Source  string    `json:"source,omitempty"`
	// Roadmaps lists the roadmap ids (only when the source was loaded).
	Roadmaps []string `json:"roadmaps,omitempty"`
	// Problems lists what is wrong with a stored source that no longer loads.
	Problems []problemJSON `json:"problems,omitempty"`

	parsed *scenario.Scenario
}

// problemJSON is one of the loader's problems.
type problemJSON struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Path    string `json:"path,omitempty"`
	Message string `json:"message"`
	// Text is the whole message as the command line prints it: file:line:col: path: message.
	Text string `json:"text"`
	// Excerpt is the source line the problem is on (not in JSON).
	Excerpt string `json:"-"`
}

// loadSource loads YAML text, returning the scenario or its problems with
// the offending source lines. Valid scenarios are remembered (see
// [parsedCache]): the result must be treated as read-only.
func loadSource(name, src string) (*scenario.Scenario, []problemJSON) {
	if sc := parsed.get(name, src); sc != nil {
		return sc, nil
	}
	sc, err := scenario.Load(name, []byte(src))
	if err == nil {
		parsed.put(name, src, sc)
	}
	if err == nil {
		return sc, nil
	}
	var se *scenario.Error
	if !errors.As(err, &se) {
		return nil, []problemJSON{{Message: err.Error(), Text: err.Error()}}
	}
	lines := strings.Split(src, "\n")
	out := make([]problemJSON, 0, len(se.Problems))
	for _, p := range se.Problems {
		pj := problemJSON{Line: p.Line, Column: p.Column, Path: p.Path, Message: p.Msg, Text: p.String()}
		if p.Line >= 1 && p.Line <= len(lines) {
			pj.Excerpt = strings.TrimRight(lines[p.Line-1], "\r")
		}
		out = append(out, pj)
	}
	return nil, out
}

// parsedCache remembers the scenarios parsed from the texts seen last, by
// the hash of their name and text: loading korea takes milliseconds, and
// every page of a scenario needs it. Nothing in this package changes a
// parsed scenario.
type parsedCache struct {
	mu sync.Mutex
	m  map[[32]byte]*scenario.Scenario
}

// maxParsed bounds the cache; when full it starts again empty.
const maxParsed = 64

var parsed = &parsedCache{m: map[[32]byte]*scenario.Scenario{}}

func parsedKey(name, src string) [32]byte {
	return sha256.Sum256([]byte(name + "\x00" + src))
}

func (c *parsedCache) get(name, src string) *scenario.Scenario {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[parsedKey(name, src)]
}

func (c *parsedCache) put(name, src string, sc *scenario.Scenario) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxParsed {
		clear(c.m)
	}
	c.m[parsedKey(name, src)] = sc
}

func roadmapIDs(sc *scenario.Scenario) []string {
	ids := make([]string, len(sc.Roadmaps))
	for i, r := range sc.Roadmaps {
		ids[i] = r.ID
	}
	return ids
}

// lookup finds the scenario a key names and loads its source. A stored
// scenario that no longer loads comes back with its problems and no parsed
// scenario. Unknown keys give a 404.
func (s *Server) lookup(ctx context.Context, key string) (*scenarioDoc, error) {
	var d *scenarioDoc
	if name, ok := strings.CutPrefix(key, builtinPrefix); ok {
		src, ok := scenario.BuiltinSource(name)
		if !ok {
			return nil, errorf(http.StatusNotFound, "no built-in scenario %q; the built-ins are %s", name, strings.Join(scenario.BuiltinNames(), ", "))
		}
		d = &scenarioDoc{Key: key, Builtin: true, Name: name, Source: string(src)}
	} else {
		id, err := strconv.ParseInt(key, 10, 64)
		if err != nil || id <= 0 || strconv.FormatInt(id, 10) != key {
			return nil, errorf(http.StatusNotFound, "no scenario %q: a scenario is builtin:NAME or the number of one of yours", key)
		}
		sc, err := s.cfg.Store.GetScenario(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil, errorf(http.StatusNotFound, "no scenario %d", id)
		}
		if err != nil {
			return nil, err
		}
		d = &scenarioDoc{Key: key, Name: sc.Name, Title: sc.Title, Updated: sc.Updated, Source: sc.Source}
	}
	sc, problems := loadSource(d.fileName(), d.Source)
	if sc != nil {
		d.parsed = sc
		d.Name, d.Title = sc.Name, sc.Title
		d.Roadmaps = roadmapIDs(sc)
	}
	d.Problems = problems
	return d, nil
}

// fileName is the name the loader gives the scenario in messages.
func (d *scenarioDoc) fileName() string {
	if d.Builtin {
		return strings.TrimPrefix(d.Key, builtinPrefix) + ".yaml"
	}
	return editorFile
}

// loaded returns the parsed scenario, or a 422 when the stored source no longer loads.
func (d *scenarioDoc) loaded() (*scenario.Scenario, error) {
	if d.parsed == nil {
		return nil, errorf(http.StatusUnprocessableEntity, "scenario %s does not load; fix it in the editor first", d.Key)
	}
	return d.parsed, nil
}

// library returns the built-ins, then the user's scenarios.
func (s *Server) library(ctx context.Context) ([]scenarioDoc, error) {
	var out []scenarioDoc
	for _, n := range scenario.BuiltinNames() {
		d := scenarioDoc{Key: builtinPrefix + n, Builtin: true, Name: n}
		src, _ := scenario.BuiltinSource(n)
		if sc, _ := loadSource(n+".yaml", string(src)); sc != nil {
			d.Title = sc.Title
		}
		out = append(out, d)
	}
	mine, err := s.cfg.Store.ListScenarios(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range mine {
		out = append(out, scenarioDoc{Key: strconv.FormatInt(m.ID, 10), Name: m.Name, Title: m.Title, Updated: m.Updated})
	}
	return out, nil
}

// invalid is the error of a source that does not load: 422 with the problems.
type invalid struct{ problems []problemJSON }

func (e *invalid) Error() string {
	return fmt.Sprintf("the scenario is not valid (%d problems)", len(e.problems))
}

// save validates src and stores it as a new scenario (id 0) or over scenario id.
func (s *Server) save(ctx context.Context, id int64, src string) (*store.Scenario, error) {
	if strings.TrimSpace(src) == "" {
		return nil, &invalid{[]problemJSON{{Message: "the scenario is empty", Text: editorFile + ": the scenario is empty"}}}
	}
	sc, problems := loadSource(editorFile, src)
	if sc == nil {
		return nil, &invalid{problems}
	}
	rec := &store.Scenario{ID: id, Name: sc.Name, Title: sc.Title, Source: src}
	var err error
	if id == 0 {
		err = s.cfg.Store.CreateScenario(ctx, rec)
	} else {
		err = s.cfg.Store.UpdateScenario(ctx, rec)
	}
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// userID returns the id of a user scenario's key; built-ins are read-only (403).
func userID(key string) (int64, error) {
	if strings.HasPrefix(key, builtinPrefix) {
		return 0, errorf(http.StatusForbidden, "built-in scenarios cannot be changed; duplicate %s and edit the copy", key)
	}
	id, err := strconv.ParseInt(key, 10, 64)
	if err != nil || id <= 0 {
		return 0, errorf(http.StatusNotFound, "no scenario %q", key)
	}
	return id, nil
}

// ---- pages ----

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/scenarios", http.StatusSeeOther)
}

func (s *Server) libraryPage(w http.ResponseWriter, r *http.Request) {
	key := "library s" + strconv.FormatUint(s.changes.scenarios.Load(), 10)
	land, done := s.serveCached(w, r, key)
	if done {
		return
	}
	defer land()
	lib, err := s.library(r.Context())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.renderCached(w, r, key, "library", "Scenarios", map[string]any{"Scenarios": lib})
}

// editorData is what the editor page shows.
type editorData struct {
	Action   string // where the form posts
	Key      string // the scenario being edited; empty for a new one
	Name     string
	Source   string
	Problems []problemJSON
	Checked  bool // Problems come from a check (else none was made)
	Roadmaps int
	Actors   int
}

func (s *Server) newScenarioPage(w http.ResponseWriter, r *http.Request) {
	ed := editorData{Action: "/scenarios", Source: starterScenario()}
	if from := r.URL.Query().Get("from"); from != "" {
		d, err := s.lookup(r.Context(), from)
		if err != nil {
			s.failErr(w, r, err)
			return
		}
		ed.Source, ed.Name = d.Source, d.Name
	}
	s.editor(w, r, http.StatusOK, "New scenario", ed)
}

func (s *Server) editor(w http.ResponseWriter, r *http.Request, status int, title string, ed editorData) {
	sc, problems := loadSource(editorFile, ed.Source)
	ed.Problems, ed.Checked = problems, true
	if sc != nil {
		ed.Roadmaps, ed.Actors = len(sc.Roadmaps), len(sc.Actors)
	}
	s.render(w, r, status, "editor", title, ed)
}

// formSource reads the scenario text of a form: the field "source", or the
// uploaded file "file" of a multipart form (the import). A browser sends a
// text area's line breaks as CRLF; they are made LF again, so that the
// scenario is stored as it was typed and its problems are reported at the
// lines the editor's check (which posts LF) gave.
func formSource(r *http.Request) (string, error) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return "", bodyError(err)
		}
		if f, _, err := r.FormFile("file"); err == nil {
			defer f.Close()
			b, err := io.ReadAll(f)
			if err != nil {
				return "", bodyError(err)
			}
			return string(b), nil
		}
		return lf(r.FormValue("source")), nil
	}
	if err := r.ParseForm(); err != nil {
		return "", bodyError(err)
	}
	return lf(r.PostForm.Get("source")), nil
}

// lf turns the CRLF line breaks of a form's text area into LF.
func lf(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func (s *Server) createScenarioPage(w http.ResponseWriter, r *http.Request) {
	src, err := formSource(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	rec, err := s.save(r.Context(), 0, src)
	var inv *invalid
	if errors.As(err, &inv) {
		s.editor(w, r, http.StatusUnprocessableEntity, "New scenario", editorData{Action: "/scenarios", Source: src})
		return
	}
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/scenarios/"+itoa(rec.ID))
}

func (s *Server) scenarioPage(w http.ResponseWriter, r *http.Request) {
	key := s.scenarioKey("scenario", r.PathValue("key"))
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
	runs, err := s.runsOf(r.Context(), d.Key, 10)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	title := d.Name
	if d.Title != "" {
		title = d.Title
	}
	s.renderCached(w, r, key, "scenario", title, map[string]any{"S": d, "Runs": runs, "Parsed": d.parsed,
		"Editor": editorData{Problems: d.Problems, Checked: true}})
}

func (s *Server) editScenarioPage(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	if strings.HasPrefix(key, builtinPrefix) {
		if _, err := s.lookup(r.Context(), key); err != nil {
			s.failErr(w, r, err)
			return
		}
		// a built-in is edited as a copy
		http.Redirect(w, r, "/scenarios/new?from="+key, http.StatusSeeOther)
		return
	}
	d, err := s.lookup(r.Context(), key)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.editor(w, r, http.StatusOK, "Edit "+d.Name, editorData{Action: "/scenarios/" + d.Key, Key: d.Key, Name: d.Name, Source: d.Source})
}

func (s *Server) saveScenarioPage(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	id, err := userID(key)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	src, err := formSource(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	_, err = s.save(r.Context(), id, src)
	var inv *invalid
	if errors.As(err, &inv) {
		s.editor(w, r, http.StatusUnprocessableEntity, "Edit scenario "+key, editorData{Action: "/scenarios/" + key, Key: key, Source: src})
		return
	}
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/scenarios/"+key)
}

func (s *Server) deleteScenarioPage(w http.ResponseWriter, r *http.Request) {
	id, err := userID(r.PathValue("key"))
	if err == nil {
		err = s.cfg.Store.DeleteScenario(r.Context(), id)
	}
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	redirect(w, r, "/scenarios")
}

// validateFragment checks the editor's text as the user types and answers
// with the list of problems, for htmx.
func (s *Server) validateFragment(w http.ResponseWriter, r *http.Request) {
	src, err := formSource(r)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	ed := editorData{Source: src, Checked: true}
	sc, problems := loadSource(editorFile, src)
	ed.Problems = problems
	if sc != nil {
		ed.Roadmaps, ed.Actors = len(sc.Roadmaps), len(sc.Actors)
	}
	s.fragment(w, r, http.StatusOK, "problems", ed)
}

// ---- API ----

func (s *Server) apiListScenarios(w http.ResponseWriter, r *http.Request) {
	lib, err := s.library(r.Context())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"scenarios": lib})
}

type sourceBody struct {
	Source string `json:"source"`
}

func (s *Server) apiCreateScenario(w http.ResponseWriter, r *http.Request) {
	var body sourceBody
	if err := decodeJSON(r, &body); err != nil {
		s.failErr(w, r, err)
		return
	}
	s.apiSave(w, r, 0, body.Source, http.StatusCreated)
}

func (s *Server) apiSave(w http.ResponseWriter, r *http.Request, id int64, src string, status int) {
	rec, err := s.save(r.Context(), id, src)
	var inv *invalid
	if errors.As(err, &inv) {
		writeJSON(w, http.StatusUnprocessableEntity, apiError{Error: "the scenario is not valid", Problems: inv.problems})
		return
	}
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	d, err := s.lookup(r.Context(), itoa(rec.ID))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/scenarios/"+d.Key)
	writeJSON(w, status, d)
}

func (s *Server) apiValidate(w http.ResponseWriter, r *http.Request) {
	var body sourceBody
	if err := decodeJSON(r, &body); err != nil {
		s.failErr(w, r, err)
		return
	}
	sc, problems := loadSource(editorFile, body.Source)
	out := map[string]any{"valid": sc != nil, "problems": problems}
	if problems == nil {
		out["problems"] = []problemJSON{}
	}
	if sc != nil {
		out["name"], out["roadmaps"] = sc.Name, roadmapIDs(sc)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiGetScenario(w http.ResponseWriter, r *http.Request) {
	d, err := s.lookup(r.Context(), r.PathValue("key"))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) apiUpdateScenario(w http.ResponseWriter, r *http.Request) {
	id, err := userID(r.PathValue("key"))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	var body sourceBody
	if err := decodeJSON(r, &body); err != nil {
		s.failErr(w, r, err)
		return
	}
	s.apiSave(w, r, id, body.Source, http.StatusOK)
}

func (s *Server) apiDeleteScenario(w http.ResponseWriter, r *http.Request) {
	id, err := userID(r.PathValue("key"))
	if err == nil {
		err = s.cfg.Store.DeleteScenario(r.Context(), id)
	}
	if errors.Is(err, store.ErrNotFound) {
		err = errorf(http.StatusNotFound, "no scenario %s", r.PathValue("key"))
	}
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiDuplicateScenario(w http.ResponseWriter, r *http.Request) {
	d, err := s.lookup(r.Context(), r.PathValue("key"))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	s.apiSave(w, r, 0, d.Source, http.StatusCreated)
}

func (s *Server) apiExportScenario(w http.ResponseWriter, r *http.Request) {
	d, err := s.lookup(r.Context(), r.PathValue("key"))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", safeFileName(d.Name)+".yaml"))
	io.WriteString(w, d.Source)
}

// safeFileName keeps the letters, digits, '-' and '_' of a name for a download's file name.
func safeFileName(name string) string {
	b := []rune{}
	for _, c := range name {
		if c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			b = append(b, c)
		}
	}
	if len(b) == 0 {
		return "scenario"
	}
	return string(b)
}

// runsOf returns the newest runs of one scenario.
func (s *Server) runsOf(ctx context.Context, key string, n int) ([]store.Run, error) {
	all, err := s.cfg.Store.ListRuns(ctx, 200)
	if err != nil {
		return nil, err
	}
	out := slices.DeleteFunc(all, func(r store.Run) bool { return r.ScenarioRef != key })
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// starterScenario is what a new scenario starts from: the smallest built-in,
// a worked example of the format.
func starterScenario() string {
	src, _ := scenario.BuiltinSource("tiny")
	return string(src)
}
