package cli

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"testing"
)

type matchOut struct {
	Players     [2]string  `json:"players"`
	Turns       int        `json:"turns"`
	LengthKnown bool       `json:"length_known"`
	Seed        uint64     `json:"seed"`
	Moves       [2]string  `json:"moves"`
	Scores      [2]float64 `json:"scores"`
	PerTurn     [2]float64 `json:"per_turn"`
	Cooperation [2]float64 `json:"cooperation"`
	Winner      *int       `json:"winner"`
	LongRun     *struct {
		Scores   [2]float64         `json:"scores"`
		Outcomes map[string]float64 `json:"outcomes"`
	} `json:"long_run"`
}

func decodeMatch(t *testing.T, out string) *matchOut {
	t.Helper()
	var m matchOut
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatalf("match's JSON does not decode: %v\n%.500s", err, out)
	}
	return &m
}

// scoreMoves recomputes both scores from the move strings with 3,0,5,1.
func scoreMoves(a, b string) (float64, float64) {
	pay := map[string][2]float64{"CC": {3, 3}, "CD": {0, 5}, "DC": {5, 0}, "DD": {1, 1}}
	var s1, s2 float64
	for i := range a {
		p := pay[a[i:i+1]+b[i:i+1]]
		s1 += p[0]
		s2 += p[1]
	}
	return s1, s2
}

func TestMatchGolden(t *testing.T) {
	out := mustRun(t, t.TempDir(), "match", "TitForTat", "FirstByTidemanAndChieruzzi", "--turns", "120")
	checkGolden(t, "ipd/match-tft-tideman.golden", []byte(out))
	out = mustRun(t, t.TempDir(), "match", "WinStayLoseShift", "GTFT", "--noise", "0.05", "--turns", "60", "--seed", "3")
	checkGolden(t, "ipd/match-wsls-gtft-noise.golden", []byte(out))
}

// TestMatchReference checks a row of the reference library's ten-turn
// matches through the command.
func TestMatchReference(t *testing.T) {
	m := decodeMatch(t, mustRun(t, t.TempDir(), "match", "Prober", "FirstByDowning", "--turns", "10", "--format", "json"))
	// matches-10-turns.csv: 10,Prober,FirstByDowning,…,8,18,DCCDDDDDDD,DDDDDDDDDD
	if m.Moves != [2]string{"DCCDDDDDDD", "DDDDDDDDDD"} || m.Scores != [2]float64{8, 18} {
		t.Errorf("moves %v, scores %v; want DCCDDDDDDD DDDDDDDDDD, 8 and 18", m.Moves, m.Scores)
	}
	s1, s2 := scoreMoves(m.Moves[0], m.Moves[1])
	if m.Scores != [2]float64{s1, s2} || m.Turns != 10 || !m.LengthKnown {
		t.Errorf("scores %v, turns %d, known %v; moves give %v %v", m.Scores, m.Turns, m.LengthKnown, s1, s2)
	}
}

func TestMatchJSON(t *testing.T) {
	dir := t.TempDir()
	m := decodeMatch(t, mustRun(t, dir, "match", "Grudger", "Random(0.9)", "--prob-end", "0.02", "--noise", "0.01", "--seed", "5", "--format", "json"))
	if m.LengthKnown || m.Turns != len(m.Moves[0]) || m.Turns != len(m.Moves[1]) || m.Turns < 1 {
		t.Errorf("prob-end: known %v, turns %d, moves of %d and %d", m.LengthKnown, m.Turns, len(m.Moves[0]), len(m.Moves[1]))
	}
	if s1, s2 := scoreMoves(m.Moves[0], m.Moves[1]); m.Scores != [2]float64{s1, s2} {
		t.Errorf("scores %v, moves give %v %v", m.Scores, s1, s2)
	}
	if c := float64(strings.Count(m.Moves[0], "C")) / float64(m.Turns); c != m.Cooperation[0] {
		t.Errorf("cooperation %v, moves give %v", m.Cooperation[0], c)
	}
	if m.LongRun != nil {
		t.Error("long_run reported for a rule that is not memory-one")
	}
	// with --prob-end, an explicit --turns bounds the drawn length
	for seed := 1; seed <= 5; seed++ {
		c := decodeMatch(t, mustRun(t, dir, "match", "TFT", "Cooperator", "--prob-end", "0.001", "--turns", "30",
			"--seed", strconv.Itoa(seed), "--format", "json"))
		if c.Turns < 1 || c.Turns > 30 || c.LengthKnown {
			t.Errorf("--prob-end 0.001 --turns 30: %d turns, length known %v", c.Turns, c.LengthKnown)
		}
	}
	// same seed, same match; another seed, another match
	again := decodeMatch(t, mustRun(t, dir, "match", "Grudger", "Random(0.9)", "--prob-end", "0.02", "--noise", "0.01", "--seed", "5", "--format", "json"))
	other := decodeMatch(t, mustRun(t, dir, "match", "Grudger", "Random(0.9)", "--prob-end", "0.02", "--noise", "0.01", "--seed", "6", "--format", "json"))
	if again.Moves != m.Moves || other.Moves == m.Moves {
		t.Error("the seed does not decide the match")
	}
	// TitForTat against itself with noise: the exact long-run payoff is (R+S+T+P)/4
	m = decodeMatch(t, mustRun(t, dir, "match", "TFT", "TFT", "--noise", "0.1", "--turns", "20000", "--format", "json"))
	if m.LongRun == nil || math.Abs(m.LongRun.Scores[0]-2.25) > 1e-12 || math.Abs(m.LongRun.Outcomes["CD"]-0.25) > 1e-12 {
		t.Fatalf("long_run %+v, want payoffs 2.25 and outcomes 1/4 each", m.LongRun)
	}
	if math.Abs(m.PerTurn[0]-2.25) > 0.05 {
		t.Errorf("20,000 noisy turns average %v per turn, want about 2.25", m.PerTurn[0])
	}
	if m.Players != [2]string{"TitForTat", "TitForTat"} {
		t.Errorf("players %v", m.Players)
	}
}

func TestMatchBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"match", "TitForTat"}, "match needs two strategies"},
		{[]string{"match", "TitForTat", "Grudgr"}, `unknown strategy "Grudgr"; did you mean Grudger?`},
		{[]string{"match", "TitForTwoTat", "TFT"}, "did you mean TitFor2Tats, TitForTat"},
		{[]string{"match", "Random(1.2)", "TFT"}, "Random(1.2): p must be a probability between 0 and 1, got 1.2"},
		{[]string{"match", "MemoryOne", "TFT"}, "MemoryOne needs its parameters: write it MemoryOne(p1,p2,p3,p4)"},
		{[]string{"match", "TFT", "TFT", "--noise", "1.5"}, "--noise: must be a probability between 0 and 1, got 1.5"},
		{[]string{"match", "TFT", "TFT", "--noise", "lots"}, `invalid value "lots" for --noise: expected a number`},
		{[]string{"match", "TFT", "TFT", "--prob-end", "-0.1"}, "--prob-end: must be a probability between 0 and 1"},
		{[]string{"match", "TFT", "TFT", "--turns", "0"}, "--turns: must be at least 1, got 0"},
		{[]string{"match", "TFT", "TFT", "--turns", "20000000"}, "--turns: must be at most 10000000"},
		{[]string{"match", "TFT", "TFT", "--payoffs", "3,0,5"}, "--payoffs wants four numbers R,S,T,P"},
		{[]string{"match", "TFT", "TFT", "--payoffs", "3,0,7,1"}, "need 2R > T + S"},
		{[]string{"match", "TFT", "GTFT", "--payoffs", "1,0,5,2", "--any-game"}, "GTFT: Nowak and Sigmund's forgiveness is"},
		{[]string{"match", "TFT", "Extortioner(3,0.2)"}, "phi may be at most"},
		{[]string{"match", "TFT", "TFT", "--format", "csv"}, `unknown format "csv"`},
	} {
		r := runQuiet(t, dir, ExitUsage, c.args...)
		if !strings.HasPrefix(r.stderr, "parley: ") || !strings.Contains(r.stderr, c.want) {
			t.Errorf("parley %s: stderr %q, want it to contain %q", strings.Join(c.args, " "), r.stderr, c.want)
		}
		if r.stdout != "" {
			t.Errorf("parley %s: stdout %q, want nothing", strings.Join(c.args, " "), r.stdout)
		}
	}
	// a game that is not a dilemma is played when asked
	mustRun(t, dir, "match", "TFT", "Defector", "--payoffs", "3,0,7,1", "--any-game")
}
