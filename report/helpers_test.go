package report_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/parleyhq/parley/exact"
	"github.com/parleyhq/parley/internal/testkit"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/montecarlo"
	"github.com/parleyhq/parley/report"
	"github.com/parleyhq/parley/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// tinyScenario has no randomness but the type draws (λ = inf, no noise, no
// misperception, no shocks). A is a reciprocator (0.6) or a hardliner (0.4),
// B a reciprocator (0.7) or a hardliner (0.3); δ = 0.9 for both. Two
// simultaneous phases exchange a1 for b1, then a2 for b2; each move costs
// its mover 1 and gives the other 2; a hardliner's bound is the default
// 0.5, so a hardliner declines every move. Roadmap "r" holds the phases,
// "sq" is the status quo. Milestones: a1, b1 and all four moves.
//
// A reciprocator moves in phase 1: A's trust in B is 0.7 and its margin
// p·N − (1 − p)·L = 0.7·(2 − 1 + 0.9·0.7·(2 − 1)) − 0.3·1 = 0.841 ≥ 0;
// B's is 0.6·(1 + 0.9·0.6) − 0.4 = 0.524 ≥ 0. So the four type profiles
// play out as follows (stalemate after 4 rounds without progress; the
// horizon 6 is never reached; tit-for-tat cannot take back a1 or b1, r = 0):
//
//	A, B        prob  end                       rounds  utility A, B  leverage left A, B
//	rec, rec    0.42  completed                 2       1.9, 1.9      0, 0
//	rec, hard   0.18  stalemate, B declines b1  5       −1, 2         2, 4
//	hard, rec   0.28  stalemate, A declines a1  5       2, −1         4, 2
//	hard, hard  0.12  stalemate, A declines a1  4       0, 0          4, 4
//
// (1.9 = 1 + 0.9·1; in the last row both decline in round 1, then the
// retried phase is played in declaration order and B waits for A.)
func tinyScenario() *scenario.Scenario {
	a := testkit.Actor("A", 0.9, testkit.Type("rec", 0.6, scenario.Reciprocator), testkit.Type("hard", 0.4, scenario.Hardliner))
	b := testkit.Actor("B", 0.9, testkit.Type("rec", 0.7, scenario.Reciprocator), testkit.Type("hard", 0.3, scenario.Hardliner))
	moves := []scenario.Move{
		testkit.Move("a1", "A", 1, "B", 2), testkit.Move("b1", "B", 1, "A", 2),
		testkit.Move("a2", "A", 1, "B", 2), testkit.Move("b2", "B", 1, "A", 2),
	}
	s := testkit.Scenario(6, []scenario.Actor{a, b}, moves, testkit.Phase("a1", "b1"), testkit.Phase("a2", "b2"))
	s.Title = "two moves each"
	s.Roadmaps = append(s.Roadmaps, scenario.Roadmap{ID: "sq", Baseline: true})
	s.Milestones = []scenario.Milestone{
		{ID: "a1", Moves: []string{"a1"}},
		{ID: "b1", Moves: []string{"b1"}},
		{ID: "all", Moves: []string{"a1", "b1", "a2", "b2"}},
	}
	return s
}

func compileAll(t *testing.T, s *scenario.Scenario) []*model.Roadmap {
	t.Helper()
	rs, err := model.CompileAll(s)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// tinyExact solves every roadmap of the tiny scenario exactly.
func tinyExact(t *testing.T) []*montecarlo.Summary {
	t.Helper()
	var out []*montecarlo.Summary
	for _, r := range compileAll(t, tinyScenario()) {
		s, err := exact.Solve(context.Background(), r, 100)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// tinyComparison is the comparison built from the exact solutions.
func tinyComparison(t *testing.T) *report.Comparison {
	t.Helper()
	return report.BuildComparison(tinyExact(t), report.Meta{Runs: 4, Seed: 1, Chunk: 500})
}
