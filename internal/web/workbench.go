package web

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/diag"
	"github.com/parleyhq/parley/game/ipd"
	"github.com/parleyhq/parley/game/normal"
)

// The workbench: one page and one API route per model of the library that
// stands on its own (tournaments and matches of iterated games, bargaining
// over deal spaces, Rubinstein's alternating offers, equilibria of games in
// strategic form, forecasts of where stakeholders settle). Every page is a
// form that works without JavaScript (a POST answered with the whole page)
// and, with htmx, without a reload (the same POST answered with the form and
// its result only). The page and the API share one code path: the form is
// read into the API's request body, and both run the same function.

// wbTimeout bounds the work of one workbench request; the models take a
// context, so a request past it stops where it is.
var wbTimeout = 30 * time.Second // a variable so that a test can shorten it

// maxWBText caps a pasted file (a deal space, a game, a forecast input).
const maxWBText = 1 << 20

// wbError is bad input to a workbench model: what is wrong, the field it
// is in ("" for the request as a whole) and, for a file, every problem the
// library located in it.
type wbError struct {
	status   int
	field    string
	msg      string
	problems []problemJSON
}

func (e *wbError) Error() string { return e.msg }

// badField is a 400 about one field.
func badField(field, format string, a ...any) *wbError {
	return &wbError{status: http.StatusBadRequest, field: field, msg: fmt.Sprintf(format, a...)}
}

// badFile is a 400 about a file in a field: the library's message and its
// located problems, each with the source line it is on.
func badFile(field, what string, err error, src string) *wbError {
	ps := problemsOf(err, src)
	msg := what + " is not valid"
	if len(ps) == 1 {
		msg += ": " + ps[0].Text
	} else {
		msg += fmt.Sprintf(" (%d problems)", len(ps))
	}
	return &wbError{status: http.StatusBadRequest, field: field, msg: msg, problems: ps}
}

// problemsOf lists the problems of a library error, located where the
// library located them.
func problemsOf(err error, src string) []problemJSON {
	var out []problemJSON
	var walk func(error)
	walk = func(err error) {
		if m, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range m.Unwrap() {
				walk(e)
			}
			return
		}
		var de *diag.Error
		var se *normal.SyntaxError
		var le *ipd.LineError
		switch {
		case errors.As(err, &de):
			for _, p := range de.Problems {
				out = append(out, problemJSON{Line: p.Line, Column: p.Column, Path: p.Path, Message: p.Msg, Text: p.String()})
			}
		case errors.As(err, &se):
			out = append(out, problemJSON{Line: se.Line, Column: se.Column, Message: se.Msg, Text: se.Error()})
		case errors.As(err, &le):
			out = append(out, problemJSON{Line: le.Line, Column: le.Col, Message: le.Err.Error(), Text: le.Error()})
		default:
			out = append(out, problemJSON{Message: err.Error(), Text: err.Error()})
		}
	}
	walk(err)
	lines := strings.Split(src, "\n")
	for i := range out {
		if l := out[i].Line; l >= 1 && l <= len(lines) {
			out[i].Excerpt = strings.TrimRight(lines[l-1], "\r")
		}
	}
	return out
}

// wbAPIError is the body of a workbench API error.
type wbAPIError struct {
	Error    string        `json:"error"`
	Field    string        `json:"field,omitempty"`
	Problems []problemJSON `json:"problems,omitempty"`
}

// heavy runs f in a simulation slot, within wbTimeout.
func (s *Server) heavy(ctx context.Context, f func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, wbTimeout)
	defer cancel()
	release, err := s.runner.acquire(ctx)
	if err != nil {
		return timedOut(err)
	}
	defer release()
	return timedOut(f(ctx))
}

// timedOut rewords a deadline reached as an answer for the user.
func timedOut(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return &wbError{status: http.StatusUnprocessableEntity,
			msg: fmt.Sprintf("the computation took longer than %s and was stopped; give it a smaller input", wbTimeout)}
	}
	return err
}

// ---- one capability: its page, its form and its API route ----

// wbForm is a submitted form: its values as typed and the problems found
// in them, by field.
type wbForm struct {
	vals url.Values
	errs map[string][]problemJSON
}

func (f *wbForm) get(name string) string { return strings.TrimSpace(f.vals.Get(name)) }

// text returns a field as typed (a pasted file), capped.
func (f *wbForm) text(name string) string {
	t := f.vals.Get(name)
	if len(t) > maxWBText {
		f.fail(badField(name, "the text has %d bytes; at most %d are accepted", len(t), maxWBText))
		return ""
	}
	return strings.ReplaceAll(t, "\r\n", "\n")
}

func (f *wbForm) fail(e *wbError) {
	if len(e.problems) > 0 {
		f.errs[e.field] = append(f.errs[e.field], e.problems...)
		return
	}
	f.errs[e.field] = append(f.errs[e.field], problemJSON{Message: e.msg, Text: e.msg})
}

func (f *wbForm) intField(name string, p *int) {
	if t := f.get(name); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil {
			f.fail(badField(name, "a whole number is expected, got %q", t))
			return
		}
		*p = n
	}
}

func (f *wbForm) uintField(name string, p *uint64) {
	if t := f.get(name); t != "" {
		n, err := strconv.ParseUint(t, 10, 64)
		if err != nil {
			f.fail(badField(name, "a whole number from 0 to 18446744073709551615 is expected, got %q", t))
			return
		}
		*p = n
	}
}

func (f *wbForm) floatField(name string, p *float64) {
	if t := f.get(name); t != "" {
		x, err := strconv.ParseFloat(t, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			f.fail(badField(name, "a number is expected, got %q", t))
			return
		}
		*p = x
	}
}

// wbCap describes one capability: Q is its request (the API's JSON body,
// which the form fills), R its result.
type wbCap[Q, R any] struct {
	page, title string
	// defaults returns a request with every field at its default.
	defaults func() Q
	// fromForm fills q from a submitted form, noting what it cannot read.
	fromForm func(f *wbForm, q *Q)
	// fromQuery, if set, fills q from the query of a GET (an example to
	// load); it reports whether the page should show a result at once.
	fromQuery func(s *Server, v url.Values, q *Q) bool
	// run computes the result; bad input is a *wbError.
	run func(s *Server, ctx context.Context, q *Q) (R, error)
	// extra, if set, adds what the form needs besides the request (the
	// catalogue to pick from, the examples).
	extra func(s *Server) map[string]any
}

// wbView is what a workbench page's template gets.
type wbView struct {
	Q      any
	Vals   url.Values // the form as typed, to show again
	Errs   map[string][]problemJSON
	Result any
	Extra  map[string]any
	// Example is the example a GET loaded, to show it chosen.
	Example string
}

// fieldProblems are the problems of one field, for the template.
type fieldProblems struct {
	Field    string // the id of the field's control
	Problems []problemJSON
}

// Err returns the problems of a field, for the template; it is empty (false
// in an if) when there are none.
func (v *wbView) Err(field string) *fieldProblems {
	if len(v.Errs[field]) == 0 {
		return nil
	}
	return &fieldProblems{Field: field, Problems: v.Errs[field]}
}

// Val returns a field as typed, or def when the form did not have it.
func (v *wbView) Val(field string, def any) string {
	if vs, ok := v.Vals[field]; ok && len(vs) > 0 {
		return vs[0]
	}
	switch d := def.(type) {
	case float64:
		return strconv.FormatFloat(d, 'g', -1, 64)
	case nil:
		return ""
	default:
		return fmt.Sprint(d)
	}
}

// Has reports whether a checkbox or option was chosen in the form.
func (v *wbView) Has(field, value string) bool { return slices.Contains(v.Vals[field], value) }

func (c *wbCap[Q, R]) view(r *http.Request, s *Server, q *Q, vals url.Values, errs map[string][]problemJSON, res any) *wbView {
	v := &wbView{Q: q, Vals: vals, Errs: errs, Result: res}
	if r.Method == http.MethodGet {
		v.Example = r.URL.Query().Get("example")
	}
	if v.Errs == nil {
		v.Errs = map[string][]problemJSON{}
	}
	if c.extra != nil {
		v.Extra = c.extra(s)
	}
	return v
}

// show writes the page, or only its form and result for htmx.
func (c *wbCap[Q, R]) show(s *Server, w http.ResponseWriter, r *http.Request, status int, v *wbView) {
	if r.Header.Get("HX-Request") != "true" {
		s.render(w, r, status, c.page, c.title, v)
		return
	}
	p, ok := s.pages[c.page]
	if !ok {
		s.internal(w, r, fmt.Errorf("no page template %q", c.page))
		return
	}
	var b bytes.Buffer
	if err := p.t.ExecuteTemplate(&b, "body", v); err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// get shows the form with its defaults, or with an example loaded.
func (c *wbCap[Q, R]) get(s *Server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := c.defaults()
		vals := url.Values{}
		if c.fromQuery != nil && c.fromQuery(s, r.URL.Query(), &q) {
			c.answer(s, w, r, &q, vals, map[string][]problemJSON{})
			return
		}
		c.show(s, w, r, http.StatusOK, c.view(r, s, &q, vals, nil, nil))
	}
}

// post reads the form, runs the model and shows the result or the problems.
func (c *wbCap[Q, R]) post(s *Server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			s.failErr(w, r, bodyError(err))
			return
		}
		q := c.defaults()
		f := &wbForm{vals: r.PostForm, errs: map[string][]problemJSON{}}
		c.fromForm(f, &q)
		if len(f.errs) > 0 {
			c.show(s, w, r, http.StatusBadRequest, c.view(r, s, &q, r.PostForm, f.errs, nil))
			return
		}
		c.answer(s, w, r, &q, r.PostForm, f.errs)
	}
}

func (c *wbCap[Q, R]) answer(s *Server, w http.ResponseWriter, r *http.Request, q *Q, vals url.Values, errs map[string][]problemJSON) {
	res, err := c.run(s, r.Context(), q)
	if err == nil {
		c.show(s, w, r, http.StatusOK, c.view(r, s, q, vals, errs, res))
		return
	}
	var we *wbError
	if !errors.As(err, &we) {
		status, msg, ok := s.wbTrouble(w, err)
		if !ok {
			s.internal(w, r, err)
			return
		}
		we = &wbError{status: status, msg: msg}
	}
	// the form again, with the problem beside its field
	f := &wbForm{errs: errs}
	f.fail(we)
	c.show(s, w, r, we.status, c.view(r, s, q, vals, f.errs, nil))
}

// wbTrouble turns the errors that are not about the input — a full queue
// (429, with Retry-After), a shutdown, a request given up — into a status
// and a message; ok is false for an unexpected error.
func (s *Server) wbTrouble(w http.ResponseWriter, err error) (status int, msg string, ok bool) {
	var he *httpError
	switch {
	case errors.Is(err, errBusy):
		secs := int((s.cfg.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		return http.StatusTooManyRequests, fmt.Sprintf("%d simulations are running and the queue is full; try again in %d seconds", s.cfg.MaxSimulations, secs), true
	case errors.As(err, &he):
		return he.status, he.msg, true
	case errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable, "the request was cancelled", true
	}
	return 0, "", false
}

// api reads the JSON body over the defaults, runs the model and answers JSON.
func (c *wbCap[Q, R]) api(s *Server) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := c.defaults()
		if err := decodeJSON(r, &q); err != nil {
			s.failErr(w, r, err)
			return
		}
		res, err := c.run(s, r.Context(), &q)
		if err != nil {
			var we *wbError
			if errors.As(err, &we) {
				writeJSON(w, we.status, wbAPIError{Error: we.msg, Field: we.field, Problems: we.problems})
				return
			}
			if status, msg, ok := s.wbTrouble(w, err); ok {
				writeJSON(w, status, wbAPIError{Error: msg})
				return
			}
			s.internal(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, res)
	}
}

// ---- the index ----

// wbCapability is one entry of the workbench index.
type wbCapability struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Page    string `json:"page"`
	API     string `json:"api"`
	Summary string `json:"summary"`
}

// capability is an entry of the index; its page and API route are named
// after its id.
func capability(id, title, summary string) wbCapability {
	return wbCapability{ID: id, Title: title, Page: "/workbench/" + id, API: "/api/v1/workbench/" + id, Summary: summary}
}

var wbCapabilities = []wbCapability{
	capability("tournament", "Tournament",
		"A round robin of iterated prisoner's dilemmas between strategies of the catalogue: the ranking, the spread of each strategy's scores and Axelrod's ecological dynamics."),
	capability("match", "Match",
		"One iterated prisoner's dilemma between two strategies, turn by turn, with the exact long-run payoffs of memory-one rules."),
	capability("moran", "Moran process",
		"Evolution in a finite population of strategies: who takes over and when, the exact fixation probability of two types, and the share of many processes each type wins."),
	capability("bargain", "Bargaining",
		"A two-party deal space (parley's YAML or Genius XML): its Pareto frontier, zone of possible agreement and the Nash, Kalai–Smorodinsky, egalitarian and utilitarian solutions."),
	capability("rubinstein", "Rubinstein",
		"Alternating offers over a pie of 1: the subgame-perfect split from the discount factors, costs, outside options and a last round."),
	capability("equilibria", "Equilibria",
		"A finite game in Gambit's .nfg or .efg format: its Nash equilibria as exact fractions, after removing dominated strategies if asked."),
	capability("forecast", "Forecast",
		"Stakeholders' capabilities, positions and saliences: the baselines, the expected-utility model round by round, or KTAB's Spatial Model of Politics."),
}

func (s *Server) workbenchPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "workbench-index", "Workbench", map[string]any{"Capabilities": wbCapabilities, "Examples": wbExamples})
}

type wbIndexJSON struct {
	Capabilities []wbCapability `json:"capabilities"`
	Examples     []wbExampleRef `json:"examples"`
}

type wbExampleRef struct {
	Capability string   `json:"capability"`
	Name       string   `json:"name"`
	Title      string   `json:"title"`
	Files      []string `json:"files"`
}

func (s *Server) apiWorkbench(w http.ResponseWriter, r *http.Request) {
	out := wbIndexJSON{Capabilities: wbCapabilities, Examples: []wbExampleRef{}}
	for _, e := range wbExamples {
		out.Examples = append(out.Examples, wbExampleRef{Capability: e.Capability, Name: e.Name, Title: e.Title, Files: e.Files})
	}
	writeJSON(w, http.StatusOK, out)
}

// ---- charts ----

// svgImage makes an SVG drawing an image for an <img> element: drawn as an
// image, an SVG runs no script and loads nothing, whatever text is in it.
func svgImage(write func(io.Writer) error) (template.URL, error) {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return "", err
	}
	return template.URL("data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(b.Bytes())), nil
}

// wbChart is a line chart as the page's script draws it with uPlot (the
// shape of chartJSON, with any x values).
type wbChart struct {
	Title  string       `json:"title"`
	XLabel string       `json:"xlabel"`
	YLabel string       `json:"ylabel"`
	YMin   float64      `json:"ymin"`
	YMax   float64      `json:"ymax"`
	X      []float64    `json:"x"`
	Series []seriesJSON `json:"series"`
}
