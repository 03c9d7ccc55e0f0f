package cli

import (
	"bufio"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// gambitGame returns the absolute path of an example game of game/normal.
func gambitGame(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "game", "normal", "testdata", "gambit", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// solveJSON is the part of solve's JSON output the tests read.
type solveJSON struct {
	File      string `json:"file"`
	Title     string `json:"title"`
	Extensive bool   `json:"from_extensive_form"`
	Players   []struct {
		Name       string   `json:"name"`
		Strategies []string `json:"strategies"`
	} `json:"players"`
	Method     string `json:"method"`
	Exact      bool   `json:"exact"`
	Complete   bool   `json:"complete"`
	Eliminated []struct {
		Round    int      `json:"round"`
		Player   string   `json:"player"`
		Strategy string   `json:"strategy"`
		By       []string `json:"dominated_by"`
	} `json:"eliminated"`
	Equilibria []struct {
		Probabilities [][]string `json:"probabilities"`
		Payoffs       []string   `json:"payoffs"`
		Approximate   bool       `json:"approximate"`
		Labels        []struct {
			Player, Strategy string
		} `json:"labels"`
	} `json:"equilibria"`
}

func solveAsJSON(t *testing.T, args ...string) solveJSON {
	t.Helper()
	out := mustRun(t, t.TempDir(), append(append([]string{"solve"}, args...), "--format", "json")...)
	var r solveJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("solve's JSON does not decode: %v\n%.500s", err, out)
	}
	return r
}

// profiles returns each equilibrium as "p1 ; p2 ; ...", the oracle files' form.
func (r solveJSON) profiles() []string {
	var out []string
	for _, e := range r.Equilibria {
		var parts []string
		for _, p := range e.Probabilities {
			parts = append(parts, strings.Join(p, " "))
		}
		out = append(out, strings.Join(parts, " ; "))
	}
	return out
}

// TestSolve75 solves the 6×6 game with 75 equilibria through the command
// and compares with the oracle list: all of them, exactly, and no other.
func TestSolve75(t *testing.T) {
	r := solveAsJSON(t, gambitGame(t, "6x6_game_with_75_eq.nfg"))
	f, err := os.Open(gambitGame(t, "6x6_game_with_75_eq.equilibria.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			want = append(want, strings.Join(strings.Fields(line), " "))
		}
	}
	got := r.profiles()
	slices.Sort(got)
	slices.Sort(want)
	if len(want) != 75 || !slices.Equal(got, want) {
		t.Errorf("%d equilibria, want the oracle's %d:\ngot  %q\nwant %q", len(got), len(want), got, want)
	}
	if !r.Exact || !r.Complete || r.Method != "enum" {
		t.Errorf("exact %v complete %v method %q; want true true enum", r.Exact, r.Complete, r.Method)
	}
}

// TestSolveOracles checks every other example through the command, with
// each method that applies.
func TestSolveOracles(t *testing.T) {
	for _, tc := range []struct {
		file    string
		args    []string
		want    []string
		payoffs [][]string
	}{
		{"pd.nfg", nil, []string{"0 1 ; 0 1"}, [][]string{{"1", "1"}}},
		{"pd.nfg", []string{"--method", "lh"}, []string{"0 1 ; 0 1"}, nil},
		{"pd.nfg", []string{"--method", "pure"}, []string{"0 1 ; 0 1"}, nil},
		{"2x2.nfg", nil, []string{"1/2 1/2 ; 1/3 2/3"}, [][]string{{"2/3", "1/2"}}},
		{"2x2.nfg", []string{"--method", "pure"}, nil, nil},
		{"coord2.nfg", nil, []string{"1 0 ; 1 0", "1/2 1/2 ; 2/5 3/5", "0 1 ; 0 1"}, [][]string{{"3", "2"}, {"6/5", "1"}, {"2", "2"}}},
		{"coord2.nfg", []string{"--method", "pure"}, []string{"1 0 ; 1 0", "0 1 ; 0 1"}, nil},
		{"2x2x2_nfg_from_local_max_cut_2_pure_1_mixed_eq.nfg", []string{"--method", "pure"},
			[]string{"1 0 ; 0 1 ; 1 0", "0 1 ; 1 0 ; 0 1"}, [][]string{{"2", "4", "2"}, {"2", "4", "2"}}},
		{"2x2x2_nfg_from_local_max_cut_2_pure_1_mixed_eq.nfg", nil,
			[]string{"1 0 ; 0 1 ; 1 0", "1/2 1/2 ; 1/2 1/2 ; 1/2 1/2", "0 1 ; 1 0 ; 0 1"}, nil},
		{"stripped_down_poker.efg", nil, []string{"1/3 2/3 0 0 ; 2/3 1/3"}, [][]string{{"1/3", "-1/3"}}},
		{"stripped_down_poker.efg", []string{"--method", "lh", "--dominance", "mixed"}, []string{"1/3 2/3 0 0 ; 2/3 1/3"}, nil},
	} {
		t.Run(tc.file+strings.Join(tc.args, ""), func(t *testing.T) {
			r := solveAsJSON(t, append([]string{gambitGame(t, tc.file)}, tc.args...)...)
			if got := r.profiles(); !slices.Equal(got, tc.want) {
				t.Errorf("equilibria %q, want %q", got, tc.want)
			}
			for k, p := range tc.payoffs {
				if k < len(r.Equilibria) && !slices.Equal(r.Equilibria[k].Payoffs, p) {
					t.Errorf("equilibrium %d: payoffs %q, want %q", k+1, r.Equilibria[k].Payoffs, p)
				}
			}
			for _, e := range r.Equilibria {
				if e.Approximate {
					t.Errorf("%q is approximate", e.Probabilities)
				}
			}
		})
	}
}

// TestSolveLemkeHowsonLabels checks that Lemke–Howson reports, for every
// label, which equilibrium its path reaches: in coord2, dropping a strategy
// of either player leads to the pure equilibrium on that strategy.
func TestSolveLemkeHowsonLabels(t *testing.T) {
	r := solveAsJSON(t, gambitGame(t, "coord2.nfg"), "--method", "lh")
	if len(r.Equilibria) != 2 {
		t.Fatalf("%d equilibria, want 2", len(r.Equilibria))
	}
	for k, want := range [][2]string{{"Player 1", "1"}, {"Player 1", "2"}} {
		ls := r.Equilibria[k].Labels
		if len(ls) != 2 || ls[0].Player != want[0] || ls[0].Strategy != want[1] || ls[1].Player != "Player 2" || ls[1].Strategy != want[1] {
			t.Errorf("equilibrium %d: labels %+v, want strategy %s of both players", k+1, ls, want[1])
		}
	}
	if r.Complete {
		t.Error("Lemke–Howson claims to be complete")
	}
}

// TestSolveDominance checks the elimination report: in the prisoner's
// dilemma both players' first strategies go in round 1.
func TestSolveDominance(t *testing.T) {
	r := solveAsJSON(t, gambitGame(t, "pd.nfg"), "--dominance", "pure")
	if len(r.Eliminated) != 2 {
		t.Fatalf("%d eliminations, want 2", len(r.Eliminated))
	}
	for i, e := range r.Eliminated {
		if e.Round != 1 || e.Strategy != "1" || !slices.Equal(e.By, []string{"0", "1"}) || e.Player != r.Players[i].Name {
			t.Errorf("elimination %d: %+v", i+1, e)
		}
	}
	if got := r.profiles(); !slices.Equal(got, []string{"0 1 ; 0 1"}) {
		t.Errorf("equilibria %q", got)
	}
}

// TestSolveIrrational checks that an equilibrium with irrational
// probabilities is printed as an approximation, flagged as such.
func TestSolveIrrational(t *testing.T) {
	dir := t.TempDir()
	// player 1 indifferent when p2·p3 = 1/2, player 2 when p1 = p3, player 3
	// when p1 = p2: everyone plays a with probability 1/√2
	src := `NFG 1 R "irrational" { "1" "2" "3" }
{ { "a" "b" } { "a" "b" } { "a" "b" } }
1 1 1  1/2 0 0  0 1 1  1/2 1 0  0 1 1  1/2 0 1  0 0 0  1/2 0 0
`
	if err := os.WriteFile(filepath.Join(dir, "g.nfg"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, dir, "solve", "g.nfg", "--format", "json")
	var r solveJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range r.Equilibria {
		if !e.Approximate {
			continue
		}
		found = true
		for _, p := range e.Probabilities {
			x, ok := new(big.Rat).SetString(p[0])
			if f, _ := x.Float64(); !ok || f < 0.7071067 || f > 0.7071068 {
				t.Errorf("approximate equilibrium %q, want 1/√2 for each player", e.Probabilities)
			}
		}
	}
	if !found || r.Exact {
		t.Errorf("no approximate equilibrium (exact = %v): %q", r.Exact, r.profiles())
	}
	text := mustRun(t, dir, "solve", "g.nfg")
	if !strings.Contains(text, "≈0.7071067812 a") || !strings.Contains(text, "≈ marks an approximation") {
		t.Errorf("text output does not show the approximation:\n%s", text)
	}
}

func TestSolveGolden(t *testing.T) {
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"coord2.golden", []string{"coord2.nfg"}},
		{"coord2-lh.golden", []string{"coord2.nfg", "--method", "lh"}},
		{"poker.golden", []string{"stripped_down_poker.efg", "--dominance", "mixed"}},
		{"2x2x2.golden", []string{"2x2x2_nfg_from_local_max_cut_2_pure_1_mixed_eq.nfg"}},
		{"pd-json.golden", []string{"pd.nfg", "--dominance", "pure", "--format", "json"}},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			dir := t.TempDir()
			src, err := os.ReadFile(gambitGame(t, tc.args[0]))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, tc.args[0]), src, 0o644); err != nil {
				t.Fatal(err)
			}
			out := mustRun(t, dir, append([]string{"solve"}, tc.args...)...)
			checkGolden(t, filepath.Join("solve", tc.golden), []byte(out))
		})
	}
}

// TestSolveSaveNFG writes the strategic form of the poker tree and solves
// it again from the file written.
func TestSolveSaveNFG(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, dir, "solve", gambitGame(t, "stripped_down_poker.efg"), "--save-nfg", "poker.nfg", "-o", "out.txt")
	out := mustRun(t, dir, "solve", "poker.nfg", "--format", "json")
	var r solveJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if got := r.profiles(); !slices.Equal(got, []string{"1/3 2/3 0 0 ; 2/3 1/3"}) || r.Extensive {
		t.Errorf("equilibria %q (from extensive form %v)", got, r.Extensive)
	}
	if !slices.Equal(r.Players[0].Strategies, []string{"Bet/Bet", "Bet/Fold", "Fold/Bet", "Fold/Fold"}) {
		t.Errorf("strategies %q", r.Players[0].Strategies)
	}
}

func TestSolveStdin(t *testing.T) {
	src, err := os.ReadFile(gambitGame(t, "2x2.nfg"))
	if err != nil {
		t.Fatal(err)
	}
	r := runWith(t, t.Context(), &Env{Args: []string{"solve", "-"}, Stdin: strings.NewReader(string(src))}, commands)
	if r.code != ExitOK || !strings.Contains(r.stdout, "1/2 \"1\" + 1/2 \"2\"") || !strings.Contains(r.stdout, "stdin: strategic form") {
		t.Errorf("exit %d, stdout:\n%s", r.code, r.stdout)
	}
}

// TestSolveBadInput checks that input errors exit with 2 and say where the
// file goes wrong.
func TestSolveBadInput(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"bad.nfg":   "NFG 1 R \"x\" { \"a\" \"b\" } { 2 2 }\n1 2 3 x",
		"bad.efg":   "EFG 2 R \"x\" { \"a\" }\np \"\" 1 1 \"i\" { \"l\" \"r\" } 0\nt \"\" 0\n",
		"three.nfg": "NFG 1 R \"x\" { \"a\" \"b\" \"c\" } { 1 1 1 }\n1 2 3",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"bad.nfg"}, "bad.nfg:2:7: found \"x\" as payoff 4 of 8; expected a number"},
		{[]string{"bad.efg"}, "bad.efg:4:1: the file ends where a node should be"},
		{[]string{"missing.nfg"}, "no file missing.nfg"},
		{[]string{"."}, "is a directory"},
		{[]string{"three.nfg", "--method", "lh"}, "--method lh needs a two-player game, and this one has 3 players"},
		{[]string{"three.nfg", "--method", "best"}, `unknown --method "best", want one of enum|lh|pure`},
		{[]string{"three.nfg", "--dominance", "weak"}, `unknown --dominance "weak"`},
		{[]string{"three.nfg", "--format", "csv"}, `unknown format "csv"`},
		{[]string{}, "accepts 1 arg"},
	} {
		r := runIn(t, dir, append([]string{"solve"}, tc.args...)...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("parley solve %v: exit %d, stderr %q; want 2 and %q", tc.args, r.code, r.stderr, tc.want)
		}
		if r.stdout != "" {
			t.Errorf("parley solve %v: stdout %q, want nothing", tc.args, r.stdout)
		}
	}
}
