package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type ecologyOut struct {
	Lineup        string      `json:"lineup"`
	Players       []string    `json:"players"`
	Steps         int         `json:"steps"`
	Sampled       bool        `json:"sampled"`
	PayoffMatrix  [][]float64 `json:"payoff_matrix"`
	PayoffStddevs [][]float64 `json:"payoff_stddevs"`
	Shares        [][]float64 `json:"shares"`
	Final         []struct {
		Strategy string  `json:"strategy"`
		Share    float64 `json:"share"`
	} `json:"final"`
}

func decodeEcology(t *testing.T, out string) *ecologyOut {
	t.Helper()
	var e ecologyOut
	if err := json.Unmarshal([]byte(out), &e); err != nil {
		t.Fatalf("ecology's JSON does not decode: %v\n%.500s", err, out)
	}
	return &e
}

func TestEcologyGolden(t *testing.T) {
	dir := t.TempDir()
	checkGolden(t, "ipd/ecology-axelrod-first.golden", []byte(mustRun(t, dir, "ecology")))
	out := mustRun(t, ipdData, "ecology", "--lineup", "three.txt", "--turns", "10", "--repetitions", "1", "--steps", "20", "--format", "csv")
	checkGolden(t, "ipd/ecology-three.csv.golden", []byte(out))
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 22 || strings.Join(rows[0], ",") != "step,Cooperator,Defector,TitForTat" {
		t.Errorf("CSV: %d rows, header %v, %v", len(rows), rows[0], err)
	}
}

// TestEcologyJSON: the shares sum to 1 at every step, the payoff matrix is
// the tournament's, and the final shares are ranked.
func TestEcologyJSON(t *testing.T) {
	dir := t.TempDir()
	e := decodeEcology(t, mustRun(t, dir, "ecology", "--noise", "0.05", "--repetitions", "5", "--steps", "50", "--format", "json"))
	if len(e.Shares) != 51 || e.Steps != 50 || len(e.Players) != 18 || e.Lineup != "axelrod-first" || e.Sampled {
		t.Fatalf("%d rows, %d players", len(e.Shares), len(e.Players))
	}
	for step, x := range e.Shares {
		s := 0.0
		for _, v := range x {
			s += v
		}
		if math.Abs(s-1) > 1e-12 {
			t.Fatalf("step %d: shares sum to %.15f", step, s)
		}
	}
	for k := 1; k < len(e.Final); k++ {
		if e.Final[k].Share > e.Final[k-1].Share {
			t.Fatalf("final shares not ranked: %+v", e.Final)
		}
	}
	tour := decodeTournament(t, mustRun(t, dir, "tournament", "--noise", "0.05", "--repetitions", "5", "--format", "json"))
	for i := range tour.PayoffMatrix {
		for j := range tour.PayoffMatrix {
			if math.Abs(tour.PayoffMatrix[i][j]-e.PayoffMatrix[i][j]) > 1e-12 {
				t.Fatalf("[%d][%d]: ecology %g, tournament %g", i, j, e.PayoffMatrix[i][j], tour.PayoffMatrix[i][j])
			}
		}
	}
	if e.PayoffStddevs[2][7] == 0 {
		t.Error("TitForTat's score against WinStayLoseShift does not vary under noise")
	}
}

// TestEcologyTitForTatDefector: over 10 turns TitForTat earns 3 against
// itself and 0.9 against Defector, which earns 1.4 against it and 1 against
// itself. The shares of TitForTat above x* = (1 − 0.9)/(3 − 0.9 − 1.4 + 1)
// = 1/17 grow to 1; equal shares start above it.
func TestEcologyTitForTatDefector(t *testing.T) {
	e := decodeEcology(t, mustRun(t, ipdData, "ecology", "--lineup", "tft-defector.txt", "--turns", "10", "--repetitions", "1", "--steps", "200", "--format", "json"))
	want := [][]float64{{3, 0.9}, {1.4, 1}}
	for i := range 2 {
		for j := range 2 {
			if math.Abs(e.PayoffMatrix[i][j]-want[i][j]) > 1e-12 {
				t.Fatalf("payoff matrix %v, want %v", e.PayoffMatrix, want)
			}
		}
	}
	// By hand, the first step: TitForTat earns (3 + 0.9)/2 = 1.95, Defector
	// (1.4 + 1)/2 = 1.2, so its share becomes 1.95/(1.95 + 1.2) = 13/21.
	if got := e.Shares[1][0]; math.Abs(got-13.0/21) > 1e-12 {
		t.Errorf("TitForTat after one step: %.15f, want 13/21", got)
	}
	if got := e.Shares[200][0]; got < 1-1e-9 {
		t.Errorf("TitForTat after 200 steps: %g, want 1", got)
	}
	for _, row := range e.PayoffStddevs {
		if row[0] != 0 || row[1] != 0 {
			t.Errorf("deviations %v, want 0 without noise", e.PayoffStddevs)
		}
	}
}

// TestEcologySample: drawing the payoffs is seeded.
func TestEcologySample(t *testing.T) {
	dir := t.TempDir()
	args := []string{"ecology", "--noise", "0.05", "--repetitions", "5", "--steps", "20", "--sample", "--format", "json"}
	a := decodeEcology(t, mustRun(t, dir, args...))
	b := decodeEcology(t, mustRun(t, dir, args...))
	c := decodeEcology(t, mustRun(t, dir, append(args, "--seed", "2")...))
	plain := decodeEcology(t, mustRun(t, dir, "ecology", "--noise", "0.05", "--repetitions", "5", "--steps", "20", "--format", "json"))
	if !a.Sampled || a.Shares[20][2] != b.Shares[20][2] || a.Shares[20][2] == c.Shares[20][2] || a.Shares[20][2] == plain.Shares[20][2] {
		t.Errorf("sampled %g, again %g, seed 2 %g, not sampled %g", a.Shares[20][2], b.Shares[20][2], c.Shares[20][2], plain.Shares[20][2])
	}
}

func TestEcologyChart(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "ecology", "--steps", "30", "--chart", "eco.svg", "-o", "eco.csv", "--format", "csv")
	svg := checkChartFile(t, filepath.Join(dir, "eco.svg"))
	if !bytes.Contains(svg, []byte("FirstByTidemanAndChieruzzi")) {
		t.Error("the chart's legend lacks a strategy")
	}
	if data, err := os.ReadFile(filepath.Join(dir, "eco.csv")); err != nil || !bytes.HasPrefix(data, []byte("step,Cooperator,")) {
		t.Errorf("eco.csv: %v", err)
	}
	mustRun(t, dir, "ecology", "--steps", "30", "--chart", "eco.png")
	checkChartFile(t, filepath.Join(dir, "eco.png"))
}

func TestEcologyBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"ecology", "--steps", "-1"}, "--steps must be between 0 and 1000000"},
		{[]string{"ecology", "--chart", "eco.gif"}, "--chart eco.gif: the file must end in .svg or .png"},
		{[]string{"ecology", "--payoffs", "3,-1,5,1", "--any-game"}, "--payoffs: the shares grow in proportion to the scores"},
		{[]string{"ecology", "--lineup", "nowhere.txt"}, `--lineup "nowhere.txt" is neither a built-in line-up`},
		{[]string{"ecology", "--repetitions", "0"}, "--repetitions must be at least 1"},
		{[]string{"ecology", "extra"}, "unknown command"},
		{[]string{"ecology", "--format", "markdown"}, `unknown format "markdown"`},
	} {
		r := runQuiet(t, dir, ExitUsage, c.args...)
		if !strings.HasPrefix(r.stderr, "parley: ") || !strings.Contains(r.stderr, c.want) {
			t.Errorf("parley %s: stderr %q, want it to contain %q", strings.Join(c.args, " "), r.stderr, c.want)
		}
		if r.stdout != "" {
			t.Errorf("parley %s: stdout %q, want nothing", strings.Join(c.args, " "), r.stdout)
		}
	}
	assertEmptyDir(t, dir)
}
