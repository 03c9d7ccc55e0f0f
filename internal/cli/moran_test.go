package cli

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ipdData is the folder of the iterated-game test files.
var ipdData = filepath.Join("testdata", "ipd")

type moranOut struct {
	Population    []string           `json:"population"`
	Types         []string           `json:"types"`
	Mode          string             `json:"mode"`
	Mutation      float64            `json:"mutation"`
	Seed          uint64             `json:"seed"`
	Rounds        int                `json:"rounds"`
	Fixated       bool               `json:"fixated"`
	Winner        *string            `json:"winner"`
	Populations   [][]int            `json:"populations"`
	ExactFixation map[string]float64 `json:"exact_fixation"`
	Runs          *struct {
		Count     int            `json:"count"`
		Fixations map[string]int `json:"fixations"`
		Unfixated int            `json:"unfixated"`
		Winners   []*string      `json:"winners"`
		Rounds    []int          `json:"rounds"`
	} `json:"runs"`
}

func decodeMoran(t *testing.T, out string) *moranOut {
	t.Helper()
	var m moranOut
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("moran's JSON does not decode: %v\n%.500s", err, out)
	}
	return &m
}

// checkChartFile checks that path holds a well-formed SVG or a decodable
// PNG, by its extension, and returns its contents.
func checkChartFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".png") {
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s does not decode as PNG: %v", path, err)
		}
		if img.Bounds().Dx() < 400 || img.Bounds().Dy() < 200 {
			t.Errorf("%s is %v", path, img.Bounds())
		}
		return data
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", path, err)
		}
	}
	if !bytes.HasPrefix(data, []byte("<svg ")) {
		t.Errorf("%s does not start with <svg", path)
	}
	return data
}

func TestMoranGolden(t *testing.T) {
	dir := t.TempDir()
	checkGolden(t, "ipd/moran-tft-defector.golden", []byte(mustRun(t, dir, "moran", "TitForTat=9", "Defector")))
	checkGolden(t, "ipd/moran-four.golden", []byte(mustRun(t, dir, "moran", "TitForTat", "Cooperator", "Defector", "Grudger", "--seed", "3")))
	checkGolden(t, "ipd/moran-runs.golden", []byte(mustRun(t, dir, "moran", "TitForTat=5", "Defector=5", "--turns", "10", "--runs", "400")))
}

// TestMoranJSON checks the record of one process.
func TestMoranJSON(t *testing.T) {
	dir := t.TempDir()
	m := decodeMoran(t, mustRun(t, dir, "moran", "TitForTat=4", "Random=3", "WinStayLoseShift=3", "--noise", "0.05", "--turns", "50", "--seed", "7", "--format", "json"))
	if len(m.Population) != 10 || len(m.Types) != 3 || m.Mode != "bd" || m.Seed != 7 || m.ExactFixation != nil || m.Runs != nil {
		t.Fatalf("got %+v", m)
	}
	if len(m.Populations) != m.Rounds+1 || !m.Fixated || m.Winner == nil {
		t.Fatalf("%d populations for %d rounds, fixated %v", len(m.Populations), m.Rounds, m.Fixated)
	}
	for r, p := range m.Populations {
		if p[0]+p[1]+p[2] != 10 {
			t.Fatalf("round %d: %v", r, p)
		}
	}
	last := m.Populations[m.Rounds]
	for k, name := range m.Types {
		if (name == *m.Winner) != (last[k] == 10) {
			t.Errorf("winner %s, last population %v", *m.Winner, last)
		}
	}
	if m.Populations[0][0] != 4 || m.Populations[0][1] != 3 {
		t.Errorf("initial population %v", m.Populations[0])
	}
	// The same seed gives the same process; another seed another one.
	again := mustRun(t, dir, "moran", "TitForTat=4", "Random=3", "WinStayLoseShift=3", "--noise", "0.05", "--turns", "50", "--seed", "7", "--format", "json")
	other := mustRun(t, dir, "moran", "TitForTat=4", "Random=3", "WinStayLoseShift=3", "--noise", "0.05", "--turns", "50", "--seed", "8", "--format", "json")
	if m2 := decodeMoran(t, again); m2.Rounds != m.Rounds || *m2.Winner != *m.Winner {
		t.Error("the same seed gives another process")
	}
	if m3 := decodeMoran(t, other); m3.Rounds == m.Rounds && len(m3.Populations) == len(m.Populations) && *m3.Winner == *m.Winner &&
		equalInts(m3.Populations, m.Populations) {
		t.Error("seeds 7 and 8 give the same process")
	}
}

func equalInts(a, b [][]int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

// TestMoranNeutralThroughCLI: one Cooperator among nine TitForTats is
// neutral (nobody ever defects), so it takes over with probability 1/10:
// 2,000 runs give 200 fixations within four standard deviations (±54); the
// exact probability is 1/10; and the runs do not depend on --workers.
func TestMoranNeutralThroughCLI(t *testing.T) {
	dir := t.TempDir()
	args := []string{"moran", "TitForTat=9", "Cooperator", "--turns", "20", "--runs", "2000", "--format", "json"}
	out := mustRun(t, dir, append(args, "--workers", "1")...)
	m := decodeMoran(t, out)
	if m.Runs == nil || m.Runs.Count != 2000 || len(m.Runs.Winners) != 2000 || m.Runs.Unfixated != 0 {
		t.Fatalf("runs %+v", m.Runs)
	}
	k := m.Runs.Fixations["Cooperator"]
	if math.Abs(float64(k)-200) > 4*math.Sqrt(2000*0.1*0.9) {
		t.Errorf("the Cooperator took over %d times in 2000 runs, want 200 ± 54", k)
	}
	if p := m.ExactFixation["Cooperator"]; math.Abs(p-0.1) > 1e-12 {
		t.Errorf("exact fixation %g, want 0.1", p)
	}
	if got := mustRun(t, dir, append(args, "--workers", "3")...); got != out {
		t.Error("--workers changes the runs")
	}
}

// TestMoranMutationThroughCLI: with mutation and --keep-going the process
// runs every round it is given.
func TestMoranMutationThroughCLI(t *testing.T) {
	m := decodeMoran(t, mustRun(t, t.TempDir(), "moran", "TitForTat=3", "Defector=3", "--turns", "10", "--mutation", "0.1",
		"--keep-going", "--max-rounds", "300", "--mode", "db", "--format", "json"))
	if m.Rounds != 300 || len(m.Populations) != 301 || m.Mode != "db" || m.Mutation != 0.1 || m.ExactFixation != nil {
		t.Errorf("rounds %d, %d populations, mode %s, mutation %g", m.Rounds, len(m.Populations), m.Mode, m.Mutation)
	}
}

func TestMoranChart(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "moran", "TitForTat=3", "Defector=3", "Cooperator=2", "--chart", "pop.svg", "-o", "out.json", "--format", "json")
	svg := checkChartFile(t, filepath.Join(dir, "pop.svg"))
	if !bytes.Contains(svg, []byte("Moran process")) {
		t.Error("the chart has no title")
	}
	decodeMoran(t, string(must(os.ReadFile(filepath.Join(dir, "out.json")))))
	mustRun(t, dir, "moran", "TitForTat=3", "Defector=3", "--chart", "pop.png")
	checkChartFile(t, filepath.Join(dir, "pop.png"))
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestMoranBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"moran"}, "moran needs the population"},
		{[]string{"moran", "TitForTat=0", "Defector"}, `"TitForTat=0": the count after = must be a whole number, at least 1`},
		{[]string{"moran", "TitForTat=x", "Defector"}, "the count after = must be a whole number"},
		{[]string{"moran", "Grudgr", "Defector"}, `unknown strategy "Grudgr"; did you mean Grudger?`},
		{[]string{"moran", "TitForTat"}, "population: a Moran process needs at least 2 individuals, got 1"},
		{[]string{"moran", "TitForTat=2", "--mutation", "0.1"}, "--mutation: a mutant takes another type of the initial population"},
		{[]string{"moran", "TitForTat", "Defector", "--mutation", "1.5"}, "--mutation: must be a probability between 0 and 1, got 1.5"},
		{[]string{"moran", "TitForTat", "Defector", "--mode", "dd"}, "--mode must be bd (birth then death) or db"},
		{[]string{"moran", "TitForTat", "Defector", "--max-rounds", "0"}, "--max-rounds must be at least 1"},
		{[]string{"moran", "TitForTat", "Defector", "--runs", "0"}, "--runs must be at least 1"},
		{[]string{"moran", "TitForTat", "Defector", "--chart", "pop.jpg"}, "--chart pop.jpg: the file must end in .svg or .png"},
		{[]string{"moran", "TitForTat", "Defector", "--payoffs", "3,-1,5,1", "--any-game"}, "--payoffs: the parent is drawn in proportion to its score, so the payoffs may not be negative"},
		{[]string{"moran", "TitForTat", "Defector", "--noise", "2"}, "--noise: must be a probability between 0 and 1"},
		{[]string{"moran", "TitForTat=999", "Defector=2"}, "at most 1000 individuals"},
		{[]string{"moran", "fsm:nothing.fsm", "Defector"}, "fsm:nothing.fsm: cannot read nothing.fsm"},
		{[]string{"moran", "TitForTat", "Defector", "--format", "csv"}, `unknown format "csv"`},
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

// TestMachineFilesInCommands reads finite-state machines wherever a
// strategy is named: match arguments, line-up files (paths relative to the
// line-up) and Moran populations.
func TestMachineFilesInCommands(t *testing.T) {
	// The machine tit for tat plays TitForTat's moves against a noisy
	// opponent, from the same seed.
	machine := decodeMatch(t, mustRun(t, ipdData, "match", "fsm:machines/tft.fsm", "Random", "--noise", "0.1", "--format", "json"))
	rule := decodeMatch(t, mustRun(t, ipdData, "match", "TitForTat", "Random", "--noise", "0.1", "--format", "json"))
	if machine.Moves != rule.Moves || machine.Players[0] != "MachineTitForTat" {
		t.Errorf("machine %v %v, rule %v", machine.Players, machine.Moves, rule.Moves)
	}
	tour := decodeTournament(t, mustRun(t, ipdData, "tournament", "--lineup", "machines-lineup.txt", "--turns", "20", "--repetitions", "1", "--format", "json"))
	if len(tour.Players) != 4 || tour.Players[2] != "MachineTitForTat" || tour.Players[3] != "Fortress3" {
		t.Errorf("players %v", tour.Players)
	}
	// The machine and the rule score the same against each opponent.
	for j := range 4 {
		if j != 0 && j != 2 && tour.PayoffMatrix[0][j] != tour.PayoffMatrix[2][j] {
			t.Errorf("against %s: TitForTat %g, the machine %g", tour.Players[j], tour.PayoffMatrix[0][j], tour.PayoffMatrix[2][j])
		}
	}
	m := decodeMoran(t, mustRun(t, ipdData, "moran", "fsm:machines/fortress.fsm=3", "TitForTat=3", "--turns", "10", "--format", "json"))
	if m.Types[0] != "Fortress3" || m.Populations[0][0] != 3 || m.ExactFixation == nil {
		t.Errorf("types %v, initial %v, exact %v", m.Types, m.Populations[0], m.ExactFixation)
	}
	// A bad machine is reported with its place, inside the line-up's.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bad.fsm"), []byte("start: a C\na C -> a X\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "lineup.txt"), []byte("TitForTat\nfsm:bad.fsm\n"), 0o644)
	r := runQuiet(t, dir, ExitUsage, "tournament", "--lineup", "lineup.txt")
	if !strings.Contains(r.stderr, "lineup.txt:2:1: bad.fsm:2:10: the move to play must be C or D, got \"X\"") {
		t.Errorf("stderr %q", r.stderr)
	}
	r = runQuiet(t, dir, ExitUsage, "match", "fsm:bad.fsm", "TFT")
	if !strings.Contains(r.stderr, "bad.fsm:2:10:") {
		t.Errorf("stderr %q", r.stderr)
	}
}
