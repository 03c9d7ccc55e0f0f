package web

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/store"
)

// hits records, for every route pattern, whether a test reached it with a
// success (2xx or 3xx); TestMain then checks that every route was.
var (
	hitsMu sync.Mutex
	hits   = map[string]bool{}
)

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" {
		if missing := unreachedRoutes(); len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "no test reached these routes with a success:\n  %s\n", strings.Join(missing, "\n  "))
			code = 1
		}
	}
	os.Exit(code)
}

// unreachedRoutes lists the registered routes no test reached with a success.
func unreachedRoutes() []string {
	dir, err := os.MkdirTemp("", "parley-routes")
	if err != nil {
		return []string{"(cannot list the routes: " + err.Error() + ")"}
	}
	defer os.RemoveAll(dir)
	st, err := store.OpenSQLite(context.Background(), filepath.Join(dir, "routes.db"))
	if err != nil {
		return []string{"(cannot list the routes: " + err.Error() + ")"}
	}
	defer st.Close()
	s, err := New(context.Background(), Config{Store: st})
	if err != nil {
		return []string{"(cannot list the routes: " + err.Error() + ")"}
	}
	defer s.Close()
	var missing []string
	for _, p := range s.Routes() {
		if !hits[p] {
			missing = append(missing, p)
		}
	}
	return missing
}

// testServer is a Server on a fresh SQLite file.
type testServer struct {
	*Server
	store *store.SQLite
	path  string
}

func newServer(t testing.TB, cfg Config) *testServer {
	t.Helper()
	path := filepath.Join(t.TempDir(), "parley.db")
	return openServer(t, path, cfg)
}

func openServer(t testing.TB, path string, cfg Config) *testServer {
	t.Helper()
	st, err := store.OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Store = st
	if cfg.Version == "" {
		cfg.Version = "v0.0.0-test"
	}
	cfg.Logf = t.Logf
	s, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{Server: s, store: st, path: path}
	t.Cleanup(func() { ts.shutdown() })
	return ts
}

var shutdownOnce sync.Map

func (ts *testServer) shutdown() {
	if _, done := shutdownOnce.LoadOrStore(ts, true); done {
		return
	}
	ts.Close()
	ts.store.Close()
}

// req describes a request to send.
type req struct {
	method, path string
	body         io.Reader
	ctype        string
	header       map[string]string
}

// do sends a request straight to the handler, as from a browser on this machine.
func (ts *testServer) do(t *testing.T, q req) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(q.method, q.path, q.body)
	r.Host = "127.0.0.1:8080"
	if q.ctype != "" {
		r.Header.Set("Content-Type", q.ctype)
	}
	for k, v := range q.header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	ts.ServeHTTP(w, r)
	record(ts.Server, r, w.Code)
	return w
}

// record notes which route a request reached and how it ended.
func record(s *Server, r *http.Request, code int) {
	_, pattern := s.mux.Handler(r)
	if pattern != "" && code < 400 {
		hitsMu.Lock()
		hits[pattern] = true
		hitsMu.Unlock()
	}
}

func (ts *testServer) get(t *testing.T, path string) *httptest.ResponseRecorder {
	t.Helper()
	return ts.do(t, req{method: "GET", path: path})
}

func (ts *testServer) postForm(t *testing.T, path string, form map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	vals := url.Values{}
	for k, v := range form {
		vals.Set(k, v)
	}
	return ts.do(t, req{method: "POST", path: path, body: strings.NewReader(vals.Encode()), ctype: "application/x-www-form-urlencoded"})
}

func (ts *testServer) sendJSON(t *testing.T, method, path string, v any) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if v != nil {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		body = strings.NewReader(string(b))
	}
	return ts.do(t, req{method: method, path: path, body: body, ctype: "application/json"})
}

// want checks a response's status, showing its body when it is wrong.
func want(t *testing.T, w *httptest.ResponseRecorder, code int) {
	t.Helper()
	if w.Code != code {
		body := w.Body.String()
		if len(body) > 2000 {
			body = body[:2000] + "…"
		}
		t.Fatalf("status %d, want %d; body:\n%s", w.Code, code, body)
	}
}

func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("response is not the JSON expected: %v\n%s", err, w.Body.String())
	}
	return v
}

// waitRun waits until a run has ended and returns it.
func (ts *testServer) waitRun(t *testing.T, id int64) *store.Run {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		r, err := ts.store.GetRun(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if store.Finished(r.Status) && ts.runner.job(id) == nil {
			return r
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("run %d did not end in time", id)
	return nil
}

// startRun starts a comparison through the API and returns the run.
func (ts *testServer) startRun(t *testing.T, key string, runs int, seed uint64) runJSON {
	t.Helper()
	w := ts.sendJSON(t, "POST", "/api/v1/scenarios/"+key+"/compare", map[string]any{"runs": runs, "seed": seed})
	want(t, w, http.StatusAccepted)
	return decode[runJSON](t, w)
}

// sseEvent is one server-sent event.
type sseEvent struct{ name, data string }

// readEvents reads events from a stream and sends them on a channel, closed at the end.
func readEvents(body io.Reader) <-chan sseEvent {
	ch := make(chan sseEvent, 1000)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.name != "" {
					ch <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data = strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return ch
}

// liveServer serves ts on a real loopback port, for streams, recording routes.
func liveServer(t *testing.T, ts *testServer) *httptest.Server {
	t.Helper()
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, code: 200}
		ts.ServeHTTP(rec, r)
		record(ts.Server, r, rec.code)
	}))
	t.Cleanup(hs.Close)
	return hs
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
