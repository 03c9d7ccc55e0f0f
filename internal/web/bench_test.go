package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// benchGet measures one page or API answer, served in-process.
func benchGet(b *testing.B, ts *testServer, path string) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("GET", path, nil)
		r.Host = "127.0.0.1:8080"
		w := httptest.NewRecorder()
		ts.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("GET %s: %d", path, w.Code)
		}
	}
}

// benchServer is a server with one finished korea run of 2,000 histories.
func benchServer(b *testing.B) *testServer {
	ts := newServer(b, Config{})
	run, err := ts.runner.submit(b.Context(), mustLookup(b, ts, "builtin:korea"), 2000, 1)
	if err != nil {
		b.Fatal(err)
	}
	for ts.runner.job(run.ID) != nil {
		time.Sleep(5 * time.Millisecond)
	}
	return ts
}

func mustLookup(b *testing.B, ts *testServer, key string) *scenarioDoc {
	d, err := ts.lookup(b.Context(), key)
	if err != nil {
		b.Fatal(err)
	}
	return d
}

func BenchmarkScenarioPage(b *testing.B) { benchGet(b, benchServer(b), "/scenarios/builtin:korea") }
func BenchmarkComparePage(b *testing.B) {
	benchGet(b, benchServer(b), "/scenarios/builtin:korea/compare")
}
func BenchmarkRunPage(b *testing.B) { benchGet(b, benchServer(b), "/runs/1") }
func BenchmarkRunResultsJSON(b *testing.B) {
	benchGet(b, benchServer(b), "/api/v1/runs/1/results.json")
}
func BenchmarkLibraryPage(b *testing.B) { benchGet(b, benchServer(b), "/scenarios") }

// The same pages rendered afresh, as the first request after a change to
// the store gets them (the finished run itself is still read from memory).
func BenchmarkScenarioPageRendered(b *testing.B) {
	benchRendered(b, "/scenarios/builtin:korea", func(s *Server) { s.changes.runs.Add(1) })
}
func BenchmarkComparePageRendered(b *testing.B) {
	benchRendered(b, "/scenarios/builtin:korea/compare", func(s *Server) { s.changes.runs.Add(1) })
}
func BenchmarkRunPageRendered(b *testing.B) {
	benchRendered(b, "/runs/1", func(s *Server) { s.changes.runEnds.Add(1) })
}

// benchRendered measures a page rendered afresh each time, as after a
// change to the store: the kept page is never found.
func benchRendered(b *testing.B, path string, change func(*Server)) {
	ts := benchServer(b)
	b.ReportAllocs()
	for b.Loop() {
		change(ts.Server)
		r := httptest.NewRequest("GET", path, nil)
		r.Host = "127.0.0.1:8080"
		w := httptest.NewRecorder()
		ts.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("GET %s: %d", path, w.Code)
		}
	}
}
