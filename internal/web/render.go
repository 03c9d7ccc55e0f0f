package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/store"
	"github.com/parleyhq/parley/report"
)

// pageTemplate is one page: the layout, the shared partials and the page's own blocks.
type pageTemplate struct{ t *template.Template }

var funcs = template.FuncMap{
	"pct": func(p float64) string {
		return strconv.FormatFloat(100*p, 'f', 1, 64) + "%"
	},
	"num": func(x float64) string {
		if math.Abs(x) >= 1000 || x == math.Trunc(x) {
			return strconv.FormatFloat(x, 'f', 0, 64)
		}
		return strconv.FormatFloat(x, 'f', 3, 64)
	},
	"signed": func(x float64) string {
		return strconv.FormatFloat(100*x, 'f', 1, 64)
	},
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.UTC().Format("2006-01-02 15:04:05 UTC")
	},
	"iso":      func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"right":    func(t *report.Table, i int) bool { return i < len(t.Right) && t.Right[i] },
	"finished": store.Finished,
	"add":      func(a, b int) int { return a + b },
	"deref": func(p *float64) float64 {
		if p == nil {
			return 0
		}
		return *p
	},
}

// parseTemplates parses every page in templates/ together with the layout
// and the partials.
func parseTemplates() (map[string]*pageTemplate, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*pageTemplate{}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" || base == "partials" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", n)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", n, err)
		}
		pages[base] = &pageTemplate{t}
	}
	// the partials alone, for htmx fragments
	t, err := template.New("partials").Funcs(funcs).ParseFS(templateFS, "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("web: partials: %w", err)
	}
	pages["partials"] = &pageTemplate{t}
	return pages, nil
}

// pageData is what every page gets: its title and its own data.
type pageData struct {
	Title   string
	Version string
	Auth    bool // a token is required (show the log-out hint)
	Data    any
}

// render writes a whole page with the given status; it renders into a
// buffer first so that a template error never sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) {
	b := getBuffer()
	defer putBuffer(b)
	if err := s.execute(b, page, title, data); err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// execute renders a whole page into b.
func (s *Server) execute(b *bytes.Buffer, page, title string, data any) error {
	p, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	return p.t.ExecuteTemplate(b, "layout", pageData{Title: title, Version: s.cfg.Version, Auth: s.cfg.Token != "", Data: data})
}

// fragment writes one named block of the partials, for htmx.
func (s *Server) fragment(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	b := getBuffer()
	defer putBuffer(b)
	if err := s.pages["partials"].t.ExecuteTemplate(b, name, data); err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// isAPI reports whether a request is for the JSON API.
func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// apiError is the body of every API error.
type apiError struct {
	Error    string        `json:"error"`
	Problems []problemJSON `json:"problems,omitempty"`
}

// writeJSON writes v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		http.Error(w, "encoding the response failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
	w.Write([]byte("\n"))
}

// fail answers with an error: JSON for the API, a page otherwise.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if isAPI(r) {
		writeJSON(w, status, apiError{Error: msg})
		return
	}
	if r.Header.Get("HX-Request") == "true" {
		s.fragment(w, r, status, "error", msg)
		return
	}
	s.render(w, r, status, "error", http.StatusText(status), map[string]any{"Status": status, "Message": msg})
}

// internal logs an unexpected error and answers 500 without its details.
func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	s.cfg.Logf("web: %s %s: %v", r.Method, r.URL.Path, err)
	if isAPI(r) {
		writeJSON(w, http.StatusInternalServerError, apiError{Error: "internal error; the server's log has the details"})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	w.Write([]byte("internal error; the server's log has the details\n"))
}

// failErr answers with the status an error calls for: 404 for what does not
// exist, 413 for a body over the cap, 500 otherwise.
func (s *Server) failErr(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	var he *httpError
	switch {
	case errors.As(err, &he):
		s.fail(w, r, he.status, he.msg)
	case errors.Is(err, store.ErrNotFound):
		s.fail(w, r, http.StatusNotFound, "not found")
	case errors.As(err, &mbe):
		s.fail(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is over the limit of %d bytes", mbe.Limit))
	default:
		s.internal(w, r, err)
	}
}

// httpError is an error with the status it should be answered with.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func errorf(status int, format string, a ...any) error {
	return &httpError{status: status, msg: fmt.Sprintf(format, a...)}
}

// bodyError turns an error from reading a request body into an httpError.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errorf(http.StatusRequestEntityTooLarge, "the request body is over the limit of %d bytes", mbe.Limit)
	}
	return errorf(http.StatusBadRequest, "reading the request: %v", err)
}

// decodeJSON reads a JSON request body into v, strictly.
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return errorf(http.StatusUnsupportedMediaType, "expected a JSON body (Content-Type: application/json), got %s", ct)
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil // an empty body: every field takes its default
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return bodyError(err)
		}
		return errorf(http.StatusBadRequest, "the request body is not the JSON expected: %v", err)
	}
	if dec.More() {
		return errorf(http.StatusBadRequest, "the request body has data after the JSON object")
	}
	return nil
}

// redirect sends the browser to path after a form; htmx gets HX-Redirect.
func redirect(w http.ResponseWriter, r *http.Request, path string) {
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", path)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
}

// localPath returns p if it is a path on this server, else "/".
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return "/"
	}
	return p
}
