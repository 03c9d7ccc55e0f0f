package web

import (
	"bytes"
	"errors"
	"html/template"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/parleyhq/parley/scenario"
)

func tinySource(t *testing.T) string {
	t.Helper()
	src, ok := scenario.BuiltinSource("tiny")
	if !ok {
		t.Fatal("no built-in tiny")
	}
	return string(src)
}

// brokenTiny is tiny with two errors the loader reports with their lines:
// a prior above 1 and an unknown key.
func brokenTiny(t *testing.T) (string, []scenario.Problem) {
	t.Helper()
	src := strings.Replace(tinySource(t), "prior: 0.7", "prior: 1.7", 1)
	src = strings.Replace(src, "  round_length: 1 month", "  round_length: 1 month\n  colour: blue", 1)
	_, err := scenario.Load(editorFile, []byte(src))
	var se *scenario.Error
	if !errors.As(err, &se) || len(se.Problems) == 0 {
		t.Fatalf("the broken scenario loads: %v", err)
	}
	return src, se.Problems
}

func TestHomeRedirects(t *testing.T) {
	ts := newServer(t, Config{})
	w := ts.get(t, "/")
	want(t, w, http.StatusSeeOther)
	if loc := w.Header().Get("Location"); loc != "/scenarios" {
		t.Errorf("Location %q", loc)
	}
}

func TestLibraryPage(t *testing.T) {
	ts := newServer(t, Config{})
	w := ts.sendJSON(t, "POST", "/api/v1/scenarios", sourceBody{Source: tinySource(t)})
	want(t, w, http.StatusCreated)
	w = ts.get(t, "/scenarios")
	want(t, w, http.StatusOK)
	body := w.Body.String()
	for _, n := range scenario.BuiltinNames() {
		if !strings.Contains(body, `href="/scenarios/builtin:`+n+`"`) {
			t.Errorf("the library does not link the built-in %s", n)
		}
	}
	if !strings.Contains(body, `href="/scenarios/1"`) || !strings.Contains(body, "A guarantee for a freeze") {
		t.Error("the library does not list the user's scenario 1 with its title")
	}
	if strings.Contains(body, "None yet") {
		t.Error("the library says the user has no scenarios")
	}
}

func TestScenarioPage(t *testing.T) {
	ts := newServer(t, Config{})
	w := ts.get(t, "/scenarios/builtin:korea")
	want(t, w, http.StatusOK)
	sc, err := scenario.Builtin("korea")
	if err != nil {
		t.Fatal(err)
	}
	body := w.Body.String()
	for _, r := range sc.Roadmaps {
		if !strings.Contains(body, "<code>"+r.ID+"</code>") {
			t.Errorf("the page does not list roadmap %s", r.ID)
		}
	}
	for _, link := range []string{"/scenarios/builtin:korea/compare", "/scenarios/builtin:korea/audit", "/scenarios/builtin:korea/trace",
		"/api/v1/scenarios/builtin:korea/export", "/scenarios/new?from=builtin%3akorea"} {
		if !strings.Contains(body, `href="`+link+`"`) {
			t.Errorf("no link to %s", link)
		}
	}
	if strings.Contains(body, "/scenarios/builtin:korea/edit") || strings.Contains(body, "/delete") {
		t.Error("a built-in offers to be edited or deleted")
	}
	for _, path := range []string{"/scenarios/builtin:nope", "/scenarios/abc", "/scenarios/999", "/scenarios/0", "/scenarios/01", "/scenarios/-1",
		"/scenarios/builtin:..%2f..%2fgo.mod", "/scenarios/builtin:%2fetc%2fpasswd"} {
		w := ts.get(t, path)
		if w.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, w.Code)
		}
	}
}

func TestCreateEditDeletePages(t *testing.T) {
	ts := newServer(t, Config{})
	// the new-scenario editor starts from the smallest built-in
	w := ts.get(t, "/scenarios/new")
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "name: tiny") || !strings.Contains(w.Body.String(), `hx-post="/validate"`) {
		t.Error("the editor does not start from tiny or does not validate as you type")
	}
	w = ts.get(t, "/scenarios/new?from=builtin:korea")
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "name: korea") {
		t.Error("duplicating korea does not fill the editor with korea")
	}
	want(t, ts.get(t, "/scenarios/new?from=builtin:nope"), http.StatusNotFound)

	// create
	src := strings.Replace(tinySource(t), "title: A guarantee for a freeze", "title: My freeze", 1)
	w = ts.postForm(t, "/scenarios", map[string]string{"source": src})
	want(t, w, http.StatusSeeOther)
	if loc := w.Header().Get("Location"); loc != "/scenarios/1" {
		t.Fatalf("created at %q, want /scenarios/1", loc)
	}
	w = ts.get(t, "/scenarios/1")
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "<h1>My freeze</h1>") || !strings.Contains(w.Body.String(), `href="/scenarios/1/edit"`) {
		t.Error("the saved scenario's page lacks its title or the edit link")
	}

	// edit: invalid text is refused with the loader's messages at their lines
	w = ts.get(t, "/scenarios/1/edit")
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "title: My freeze") {
		t.Error("the editor does not hold the saved source")
	}
	bad, problems := brokenTiny(t)
	w = ts.postForm(t, "/scenarios/1", map[string]string{"source": bad})
	want(t, w, http.StatusUnprocessableEntity)
	checkProblemsHTML(t, w.Body.String(), problems)
	got, err := ts.store.GetScenario(t.Context(), 1)
	if err != nil || got.Source != src {
		t.Fatalf("a refused edit changed the stored scenario: %v", err)
	}
	// a valid edit is saved
	src2 := strings.Replace(src, "My freeze", "My second freeze", 1)
	w = ts.postForm(t, "/scenarios/1", map[string]string{"source": src2})
	want(t, w, http.StatusSeeOther)
	if got, _ := ts.store.GetScenario(t.Context(), 1); got.Source != src2 || got.Title != "My second freeze" {
		t.Errorf("the edit was not saved: %+v", got)
	}

	// built-ins are read-only
	w = ts.get(t, "/scenarios/builtin:korea/edit")
	want(t, w, http.StatusSeeOther)
	if loc := w.Header().Get("Location"); loc != "/scenarios/new?from=builtin:korea" {
		t.Errorf("editing a built-in leads to %q", loc)
	}
	want(t, ts.get(t, "/scenarios/builtin:nope/edit"), http.StatusNotFound)
	want(t, ts.postForm(t, "/scenarios/builtin:korea", map[string]string{"source": src}), http.StatusForbidden)
	want(t, ts.postForm(t, "/scenarios/builtin:korea/delete", nil), http.StatusForbidden)
	want(t, ts.postForm(t, "/scenarios/77", map[string]string{"source": src}), http.StatusNotFound)
	want(t, ts.get(t, "/scenarios/77/edit"), http.StatusNotFound)

	// an empty scenario is refused
	w = ts.postForm(t, "/scenarios", map[string]string{"source": "  \n"})
	want(t, w, http.StatusUnprocessableEntity)

	// delete
	w = ts.postForm(t, "/scenarios/1/delete", nil)
	want(t, w, http.StatusSeeOther)
	want(t, ts.get(t, "/scenarios/1"), http.StatusNotFound)
	want(t, ts.postForm(t, "/scenarios/1/delete", nil), http.StatusNotFound)
}

// A browser posts a text area with CRLF line breaks: the scenario is saved
// with LF, as it was typed, and a refused save reports its problems at the
// lines the as-you-type check (which posts LF) gave.
func TestEditorFormCRLF(t *testing.T) {
	ts := newServer(t, Config{})
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	bad, problems := brokenTiny(t)
	w := ts.postForm(t, "/scenarios", map[string]string{"source": crlf(bad)})
	want(t, w, http.StatusUnprocessableEntity)
	checkProblemsHTML(t, w.Body.String(), problems)
	src := tinySource(t)
	want(t, ts.postForm(t, "/scenarios", map[string]string{"source": crlf(src)}), http.StatusSeeOther)
	got, err := ts.store.GetScenario(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != src {
		t.Errorf("a scenario posted with CRLF is stored with %d CRs and %d bytes, want it as typed (LF, %d bytes)", strings.Count(got.Source, "\r"), len(got.Source), len(src))
	}
	want(t, ts.postForm(t, "/scenarios/1", map[string]string{"source": crlf(bad)}), http.StatusUnprocessableEntity)
	checkProblemsHTML(t, ts.postForm(t, "/scenarios/1", map[string]string{"source": crlf(bad)}).Body.String(), problems)
}

// checkProblemsHTML checks that a page shows every problem with its line,
// column and the loader's message, and the source line it is on.
func checkProblemsHTML(t *testing.T, body string, problems []scenario.Problem) {
	t.Helper()
	for _, p := range problems {
		loc := `data-line="` + strconv.Itoa(p.Line) + `" data-col="` + strconv.Itoa(p.Column) + `"`
		if !strings.Contains(body, loc) {
			t.Errorf("the page does not place a problem at line %d, column %d", p.Line, p.Column)
		}
		if !strings.Contains(body, htmlEscape(p.Msg)) {
			t.Errorf("the page lacks the loader's message %q", p.Msg)
		}
	}
	n := strconv.Itoa(len(problems))
	if !strings.Contains(body, n+" problem") {
		t.Errorf("the page does not count %s problems", n)
	}
}

// htmlEscape escapes s as html/template does in text.
func htmlEscape(s string) string {
	var b strings.Builder
	template.Must(template.New("").Parse("{{.}}")).Execute(&b, s)
	return b.String()
}

func TestImportFile(t *testing.T) {
	ts := newServer(t, Config{})
	upload := func(name, content string) *bytes.Buffer {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write([]byte(content))
		mw.Close()
		uploadType = mw.FormDataContentType()
		return &b
	}
	body := upload("mine.yaml", tinySource(t))
	w := ts.do(t, req{method: "POST", path: "/scenarios", body: body, ctype: uploadType})
	want(t, w, http.StatusSeeOther)
	got, err := ts.store.GetScenario(t.Context(), 1)
	if err != nil || got.Source != tinySource(t) || got.Name != "tiny" {
		t.Fatalf("the imported file was not stored as it was: %v", err)
	}
	bad, problems := brokenTiny(t)
	w = ts.do(t, req{method: "POST", path: "/scenarios", body: upload("bad.yaml", bad), ctype: uploadType})
	want(t, w, http.StatusUnprocessableEntity)
	checkProblemsHTML(t, w.Body.String(), problems)
}

var uploadType string

func TestValidateAsYouType(t *testing.T) {
	ts := newServer(t, Config{})
	bad, problems := brokenTiny(t)
	w := ts.do(t, req{method: "POST", path: "/validate", body: strings.NewReader("source=" + url.QueryEscape(bad)),
		ctype: "application/x-www-form-urlencoded", header: map[string]string{"HX-Request": "true"}})
	want(t, w, http.StatusOK)
	body := w.Body.String()
	if strings.Contains(body, "<html") {
		t.Error("the check answers a whole page, not a fragment")
	}
	checkProblemsHTML(t, body, problems)
	// the offending source line is quoted under its message
	lines := strings.Split(bad, "\n")
	for _, p := range problems {
		if !strings.Contains(body, htmlEscape(strings.TrimRight(lines[p.Line-1], "\r"))) {
			t.Errorf("the source line %d is not quoted", p.Line)
		}
	}
	w = ts.postForm(t, "/validate", map[string]string{"source": tinySource(t)})
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "Valid: 2 actors, 2 roadmaps.") {
		t.Errorf("a valid scenario is not reported as such: %s", w.Body.String())
	}
	// not YAML at all
	w = ts.postForm(t, "/validate", map[string]string{"source": "name: [unclosed"})
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "1 problem") {
		t.Errorf("a syntax error is not reported: %s", w.Body.String())
	}
}

func TestAPIScenarios(t *testing.T) {
	ts := newServer(t, Config{})
	// list: the built-ins come first
	w := ts.get(t, "/api/v1/scenarios")
	want(t, w, http.StatusOK)
	list := decode[struct{ Scenarios []scenarioDoc }](t, w)
	if len(list.Scenarios) != len(scenario.BuiltinNames()) || list.Scenarios[0].Key != "builtin:"+scenario.BuiltinNames()[0] {
		t.Fatalf("list = %+v", list.Scenarios)
	}

	// create
	w = ts.sendJSON(t, "POST", "/api/v1/scenarios", sourceBody{Source: tinySource(t)})
	want(t, w, http.StatusCreated)
	created := decode[scenarioDoc](t, w)
	if created.Key != "1" || created.Name != "tiny" || created.Builtin || created.Source != tinySource(t) ||
		strings.Join(created.Roadmaps, ",") != "peace-first,status-quo" || w.Header().Get("Location") != "/api/v1/scenarios/1" {
		t.Errorf("created = %+v, Location %q", created, w.Header().Get("Location"))
	}

	// invalid: 422 with the loader's problems, line and column included
	bad, problems := brokenTiny(t)
	w = ts.sendJSON(t, "POST", "/api/v1/scenarios", sourceBody{Source: bad})
	want(t, w, http.StatusUnprocessableEntity)
	e := decode[apiError](t, w)
	if len(e.Problems) != len(problems) {
		t.Fatalf("%d problems, want %d: %+v", len(e.Problems), len(problems), e.Problems)
	}
	for i, p := range problems {
		g := e.Problems[i]
		if g.Line != p.Line || g.Column != p.Column || g.Path != p.Path || g.Message != p.Msg || g.Text != p.String() {
			t.Errorf("problem %d = %+v, want %+v", i, g, p)
		}
		if g.Line == 0 {
			t.Errorf("problem %d has no line", i)
		}
	}
	if n, _ := ts.store.ListScenarios(t.Context()); len(n) != 1 {
		t.Errorf("an invalid scenario was stored (%d scenarios)", len(n))
	}

	// validate
	w = ts.sendJSON(t, "POST", "/api/v1/validate", sourceBody{Source: bad})
	want(t, w, http.StatusOK)
	v := decode[struct {
		Valid    bool
		Problems []problemJSON
	}](t, w)
	if v.Valid || len(v.Problems) != len(problems) || v.Problems[0].Line != problems[0].Line {
		t.Errorf("validate = %+v", v)
	}
	w = ts.sendJSON(t, "POST", "/api/v1/validate", sourceBody{Source: tinySource(t)})
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), `"valid": true`) || !strings.Contains(w.Body.String(), `"problems": []`) {
		t.Errorf("validating tiny: %s", w.Body.String())
	}

	// get
	w = ts.get(t, "/api/v1/scenarios/builtin:korea")
	want(t, w, http.StatusOK)
	k := decode[scenarioDoc](t, w)
	src, _ := scenario.BuiltinSource("korea")
	if !k.Builtin || k.Source != string(src) || len(k.Roadmaps) != 5 {
		t.Errorf("korea = key %s builtin %v roadmaps %v", k.Key, k.Builtin, k.Roadmaps)
	}
	want(t, ts.get(t, "/api/v1/scenarios/builtin:nope"), http.StatusNotFound)
	want(t, ts.get(t, "/api/v1/scenarios/42"), http.StatusNotFound)

	// update
	src2 := strings.Replace(tinySource(t), "A guarantee for a freeze", "Renamed", 1)
	w = ts.sendJSON(t, "PUT", "/api/v1/scenarios/1", sourceBody{Source: src2})
	want(t, w, http.StatusOK)
	if up := decode[scenarioDoc](t, w); up.Title != "Renamed" {
		t.Errorf("updated title %q", up.Title)
	}
	want(t, ts.sendJSON(t, "PUT", "/api/v1/scenarios/1", sourceBody{Source: bad}), http.StatusUnprocessableEntity)
	want(t, ts.sendJSON(t, "PUT", "/api/v1/scenarios/42", sourceBody{Source: src2}), http.StatusNotFound)
	want(t, ts.sendJSON(t, "PUT", "/api/v1/scenarios/builtin:tiny", sourceBody{Source: src2}), http.StatusForbidden)

	// duplicate and export
	w = ts.sendJSON(t, "POST", "/api/v1/scenarios/builtin:korea/duplicate", nil)
	want(t, w, http.StatusCreated)
	if d := decode[scenarioDoc](t, w); d.Key != "2" || d.Source != string(src) {
		t.Errorf("duplicate = key %s", d.Key)
	}
	want(t, ts.sendJSON(t, "POST", "/api/v1/scenarios/99/duplicate", nil), http.StatusNotFound)
	w = ts.get(t, "/api/v1/scenarios/2/export")
	want(t, w, http.StatusOK)
	if w.Body.String() != string(src) || w.Header().Get("Content-Disposition") != `attachment; filename="korea.yaml"` {
		t.Errorf("export: %q, %d bytes", w.Header().Get("Content-Disposition"), w.Body.Len())
	}
	want(t, ts.get(t, "/api/v1/scenarios/99/export"), http.StatusNotFound)

	// delete
	want(t, ts.sendJSON(t, "DELETE", "/api/v1/scenarios/2", nil), http.StatusNoContent)
	want(t, ts.sendJSON(t, "DELETE", "/api/v1/scenarios/2", nil), http.StatusNotFound)
	want(t, ts.sendJSON(t, "DELETE", "/api/v1/scenarios/builtin:korea", nil), http.StatusForbidden)
	want(t, ts.get(t, "/api/v1/scenarios/2"), http.StatusNotFound)
}

func TestAPIBadJSON(t *testing.T) {
	ts := newServer(t, Config{})
	for _, tc := range []struct {
		body, ctype string
		code        int
	}{
		{`{"source": `, "application/json", http.StatusBadRequest},
		{`{"source": 1}`, "application/json", http.StatusBadRequest},
		{`{"source": "x", "extra": 1}`, "application/json", http.StatusBadRequest},
		{`{"source": "x"} {}`, "application/json", http.StatusBadRequest},
		{`source=x`, "application/x-www-form-urlencoded", http.StatusUnsupportedMediaType},
		{``, "application/json", http.StatusUnprocessableEntity}, // no source at all
	} {
		w := ts.do(t, req{method: "POST", path: "/api/v1/scenarios", body: strings.NewReader(tc.body), ctype: tc.ctype})
		if w.Code != tc.code {
			t.Errorf("POST %q (%s): %d, want %d: %s", tc.body, tc.ctype, w.Code, tc.code, w.Body.String())
		}
		if !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") || !strings.Contains(w.Body.String(), `"error"`) {
			t.Errorf("POST %q: the error is not JSON: %s", tc.body, w.Body.String())
		}
	}
}

func TestEscapesHostileStrings(t *testing.T) {
	ts := newServer(t, Config{})
	const attack = `<script>alert("pwned")</script><img src=x onerror=alert(1)>`
	src := tinySource(t)
	src = strings.Replace(src, "title: A guarantee for a freeze", "title: '"+attack+"'", 1)
	src = strings.Replace(src, "label: Guarantee first, then the freeze", "label: '"+attack+"'", 1)
	src = strings.Replace(src, "label: security guarantee", "label: '"+attack+"'", 1)
	src = strings.Replace(src, "label: West", "label: '"+attack+"'", 1)
	w := ts.sendJSON(t, "POST", "/api/v1/scenarios", sourceBody{Source: src})
	want(t, w, http.StatusCreated)
	run := ts.startRun(t, "1", 200, 1)
	if r := ts.waitRun(t, run.ID); r.Status != "done" {
		t.Fatalf("run %s", r.Status)
	}
	// an invalid source with the attack on the offending line
	bad := strings.Replace(src, "prior: 0.7", "prior: 7 # "+attack, 1)
	pages := map[string]*strings.Builder{}
	for _, path := range []string{"/scenarios", "/scenarios/1", "/scenarios/1/edit", "/scenarios/1/compare", "/scenarios/1/audit",
		"/scenarios/1/trace?roadmap=peace-first", "/runs", "/runs/1"} {
		w := ts.get(t, path)
		want(t, w, http.StatusOK)
		pages[path] = &strings.Builder{}
		pages[path].WriteString(w.Body.String())
	}
	w = ts.postForm(t, "/validate", map[string]string{"source": bad})
	pages["/validate"] = &strings.Builder{}
	pages["/validate"].WriteString(w.Body.String())
	w = ts.postForm(t, "/scenarios", map[string]string{"source": bad})
	want(t, w, http.StatusUnprocessableEntity)
	pages["POST /scenarios"] = &strings.Builder{}
	pages["POST /scenarios"].WriteString(w.Body.String())
	for path, b := range pages {
		body := b.String()
		for _, raw := range []string{"<script>alert", "<img src=x", "onerror=alert(1)>"} {
			if strings.Contains(body, raw) {
				t.Errorf("%s contains the raw %q", path, raw)
			}
		}
	}
	for _, path := range []string{"/scenarios/1", "/scenarios/1/edit", "/runs/1", "/validate"} {
		if !strings.Contains(pages[path].String(), "&lt;script&gt;alert(") {
			t.Errorf("%s does not show the hostile text escaped", path)
		}
	}
}
