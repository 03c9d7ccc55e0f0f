package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type tournamentOut struct {
	Lineup      string   `json:"lineup"`
	Players     []string `json:"players"`
	Repetitions int      `json:"repetitions"`
	Standings   []struct {
		Rank        int       `json:"rank"`
		Strategy    string    `json:"strategy"`
		Median      float64   `json:"median_score"`
		Scores      []float64 `json:"scores"`
		MedianWins  float64   `json:"median_wins"`
		Cooperation float64   `json:"cooperation_rating"`
		SelfPlay    float64   `json:"self_play_score"`
	} `json:"standings"`
	PayoffMatrix [][]float64 `json:"payoff_matrix"`
}

func decodeTournament(t *testing.T, out string) *tournamentOut {
	t.Helper()
	var r tournamentOut
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("tournament's JSON does not decode: %v\n%.500s", err, out)
	}
	return &r
}

func TestTournamentGolden(t *testing.T) {
	out := mustRun(t, t.TempDir(), "tournament", "--turns", "200", "--repetitions", "1")
	checkGolden(t, "ipd/tournament-axelrod-first.golden", []byte(out))
	out = mustRun(t, t.TempDir(), "tournament", "--noise", "0.05", "--repetitions", "5", "--seed", "2", "--format", "csv")
	checkGolden(t, "ipd/tournament-noise.csv.golden", []byte(out))
}

// TestTournamentByHand checks the command on the line-up scored by hand in
// game/ipd: Cooperator, Defector, TitForTat, 3 turns.
func TestTournamentByHand(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "three.txt")
	os.WriteFile(file, []byte("# scored by hand\nCooperator\nDefector   # always D\n\nTFT\n"), 0o644)
	r := decodeTournament(t, mustRun(t, dir, "tournament", "--lineup", "three.txt", "--turns", "3", "--repetitions", "2", "--format", "json"))
	want := []struct {
		name                     string
		median, wins, coop, self float64
	}{{"Defector", 11.0 / 3, 2, 0, 1}, {"TitForTat", 11.0 / 6, 0, 4.0 / 6, 3}, {"Cooperator", 1.5, 0, 1, 3}}
	for k, w := range want {
		s := r.Standings[k]
		if s.Rank != k+1 || s.Strategy != w.name || !near(s.Median, w.median) || s.MedianWins != w.wins ||
			!near(s.Cooperation, w.coop) || s.SelfPlay != w.self || len(s.Scores) != 2 {
			t.Errorf("rank %d: %+v, want %+v", k+1, s, w)
		}
	}
	if r.Lineup != "three.txt" || r.PayoffMatrix[1][2] != 7.0/3 {
		t.Errorf("line-up %q, payoff matrix %v", r.Lineup, r.PayoffMatrix)
	}
}

func near(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 }

// TestTournamentWorkers checks that --workers never changes the results of
// a noisy tournament with probabilistic ending.
func TestTournamentWorkers(t *testing.T) {
	dir := t.TempDir()
	args := []string{"tournament", "--noise", "0.05", "--prob-end", "0.01", "--repetitions", "4", "--seed", "9", "--format", "json"}
	one := mustRun(t, dir, append(args, "--workers", "1")...)
	for _, w := range []string{"2", "7"} {
		if got := mustRun(t, dir, append(args, "--workers", w)...); got != one {
			t.Errorf("--workers %s gives other results than --workers 1", w)
		}
	}
	if other := mustRun(t, dir, append(args[:len(args)-2], "--seed", "10", "--format", "json")...); other == one {
		t.Error("another seed gives the same results")
	}
}

func TestTournamentOutputFile(t *testing.T) {
	dir := t.TempDir()
	if out := mustRun(t, dir, "tournament", "--turns", "20", "--repetitions", "1", "--format", "csv", "-o", "res.csv"); out != "" {
		t.Errorf("stdout %q, want nothing", out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "res.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
	if err != nil || len(rows) != 19 || strings.Join(rows[0], ",") != strings.Join(tournamentCSVHeader, ",") {
		t.Errorf("%d rows, header %v, error %v", len(rows), rows[0], err)
	}
}

func TestTournamentBadInput(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bad.txt"), []byte("TitForTat\n  Grudgr\nTFT\nRandom(7)\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "one.txt"), []byte("TitForTat\n"), 0o644)
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"tournament", "--lineup", "bad.txt"}, []string{
			`bad.txt:2:3: unknown strategy "Grudgr"; did you mean Grudger?`,
			"bad.txt:3:1: TitForTat is already in the line-up (line 1)",
			"bad.txt:4:1: Random(7): p must be a probability"}},
		{[]string{"tournament", "--lineup", "one.txt"}, []string{"a line-up needs at least 2 strategies"}},
		{[]string{"tournament", "--lineup", "axelrod-second"}, []string{`--lineup "axelrod-second" is neither a built-in line-up (axelrod-first) nor a file`}},
		{[]string{"tournament", "--repetitions", "0"}, []string{"--repetitions must be at least 1, got 0"}},
		{[]string{"tournament", "--workers", "-1"}, []string{"--workers must be 0"}},
		{[]string{"tournament", "--noise", "-1"}, []string{"--noise: must be a probability"}},
		{[]string{"tournament", "--prob-end", "1.5"}, []string{"--prob-end: must be a probability"}},
		{[]string{"tournament", "--turns", "-5"}, []string{"--turns: must be at least 1"}},
		{[]string{"tournament", "extra"}, []string{"unknown command"}},
	} {
		r := runQuiet(t, dir, ExitUsage, append(c.args, "-o", "out.txt")...)
		for _, w := range c.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("parley %s: stderr %q, want it to contain %q", strings.Join(c.args, " "), r.stderr, w)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "out.txt")); err == nil {
			t.Errorf("parley %s wrote its output file", strings.Join(c.args, " "))
		}
	}
}

func TestTournamentStdinLineup(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr strings.Builder
	env := &Env{Args: []string{"tournament", "--lineup", "-", "--turns", "3", "--repetitions", "1", "--format", "csv"},
		Dir: dir, Stdin: strings.NewReader("Cooperator\nDefector\n"), Stdout: &stdout, Stderr: &stderr}
	if code := Run(t.Context(), env); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "1,Defector,5,") {
		t.Errorf("stdout %q", stdout.String())
	}
}

// TestTournamentCharts draws the box plot and the heat map with the
// results, as SVG and PNG, and refuses other extensions before playing.
func TestTournamentCharts(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "tournament", "--noise", "0.05", "--repetitions", "5", "--chart", "scores.svg", "--heatmap", "payoffs.svg", "-o", "out.csv", "--format", "csv")
	box := checkChartFile(t, filepath.Join(dir, "scores.svg"))
	heat := checkChartFile(t, filepath.Join(dir, "payoffs.svg"))
	if !strings.Contains(string(box), "Normalised scores of 18 strategies") || !strings.Contains(string(heat), "Payoff matrix") {
		t.Error("chart titles missing")
	}
	if _, err := os.Stat(filepath.Join(dir, "out.csv")); err != nil {
		t.Error(err)
	}
	mustRun(t, dir, "tournament", "--repetitions", "2", "--chart", "scores.png", "--heatmap", "payoffs.png")
	checkChartFile(t, filepath.Join(dir, "scores.png"))
	checkChartFile(t, filepath.Join(dir, "payoffs.png"))
	empty := t.TempDir()
	for _, args := range [][]string{{"--chart", "scores.pdf"}, {"--heatmap", "payoffs"}} {
		r := runQuiet(t, empty, ExitUsage, append([]string{"tournament"}, args...)...)
		if !strings.Contains(r.stderr, "the file must end in .svg or .png") {
			t.Errorf("%v: stderr %q", args, r.stderr)
		}
	}
	assertEmptyDir(t, empty)
}
