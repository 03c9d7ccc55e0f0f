package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// benchPost measures one workbench API answer, served in-process.
func benchPost(b *testing.B, path string, body map[string]any) {
	b.Helper()
	ts := newServer(b, Config{})
	data, err := json.Marshal(body)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("POST", path, strings.NewReader(string(data)))
		r.Host = "127.0.0.1:8080"
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		ts.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("POST %s: %d %s", path, w.Code, w.Body.String())
		}
	}
}

// Axelrod's 18 with noise, as the page offers them at first.
func BenchmarkWorkbenchTournament(b *testing.B) {
	benchPost(b, "/api/v1/workbench/tournament", map[string]any{"noise": 0.05})
}

// The largest tournament a request may ask for: 64 strategies (every
// catalogue entry and 23 parameter variants), 200 turns, 48 repetitions
// (2,080 matches × 200 turns × 48 = 19,968,000 turns), with noise.
func BenchmarkWorkbenchTournamentLargest(b *testing.B) {
	var names []string
	for _, s := range catalogue() {
		names = append(names, s.Name)
	}
	for k := 1; len(names) < maxTournamentPlayers; k++ {
		names = append(names, "Random(0."+itoa(int64(k))+")")
	}
	benchPost(b, "/api/v1/workbench/tournament", map[string]any{"strategies": names[:maxTournamentPlayers], "turns": 200, "repetitions": 48, "noise": 0.05})
}

func BenchmarkWorkbenchMatchLongest(b *testing.B) {
	benchPost(b, "/api/v1/workbench/match", map[string]any{"a": "GTFT", "b": "Random", "turns": maxMatchTurns, "noise": 0.05})
}

func BenchmarkWorkbenchBargainEnglandZimbabwe(b *testing.B) {
	benchPost(b, "/api/v1/workbench/bargain", map[string]any{"example": "england-zimbabwe"})
}

func BenchmarkWorkbenchEquilibria6x6(b *testing.B) {
	benchPost(b, "/api/v1/workbench/equilibria", map[string]any{"example": "6x6-75"})
}

func BenchmarkWorkbenchForecastSMP(b *testing.B) {
	benchPost(b, "/api/v1/workbench/forecast", map[string]any{"example": "soe-pol-comp", "model": "smp"})
}

func BenchmarkWorkbenchRubinstein(b *testing.B) {
	benchPost(b, "/api/v1/workbench/rubinstein", map[string]any{"d1": 0.9, "d2": 0.8})
}

func BenchmarkWorkbenchMoran(b *testing.B) {
	benchPost(b, "/api/v1/workbench/moran", map[string]any{"population": "TitForTat=9\nDefector", "runs": 100})
}
