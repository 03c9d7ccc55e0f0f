package ipd

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"
)

// readCSV reads a reference file of testdata/axelrod, header included.
func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open("testdata/axelrod/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// replay plays a reference match and compares moves and scores.
func replay(t *testing.T, p1, p2 string, turns int, known bool, score1, score2, moves1, moves2 string) bool {
	t.Helper()
	s1, s2 := MustLookup(p1), MustLookup(p2)
	a, err := NewArena(Rules{Turns: turns})
	if err != nil {
		t.Fatal(err)
	}
	a.hideLength = !known
	o := a.Play(s1.New(), s2.New(), 1)
	x, y := a.Moves()
	want1, _ := strconv.ParseFloat(score1, 64)
	want2, _ := strconv.ParseFloat(score2, 64)
	got1, got2 := FormatActions(x), FormatActions(y)
	if got1 != moves1 || got2 != moves2 || o.Scores != [2]float64{want1, want2} {
		t.Errorf("%s vs %s, %d turns (known %v):\ngot  %s\n     %s (%v)\nwant %s\n     %s (%v %v)",
			p1, p2, turns, known, got1, got2, o.Scores, moves1, moves2, want1, want2)
		return false
	}
	return true
}

// TestAxelrodOracle replays every row of the reference library's ten-turn
// matches (shared/oracles/axelrod, copied to testdata/axelrod): both move
// strings and both scores must agree.
func TestAxelrodOracle(t *testing.T) {
	rows := readCSV(t, "matches-10-turns.csv")
	if len(rows) != 325 {
		t.Fatalf("%d rows, want a header and 324 matches", len(rows))
	}
	matched := 0
	for _, r := range rows[1:] {
		turns, _ := strconv.Atoi(r[0])
		if replay(t, r[1], r[2], turns, true, r[5], r[6], r[7], r[8]) {
			matched++
		}
	}
	t.Logf("%d of %d reference matches reproduced move for move", matched, len(rows)-1)
}

// TestAxelrodLongMatches replays 200-turn matches written by the reference
// library (testdata/axelrod/generate.py): every ordered pair of the 18
// reference rules and of the deterministic further rules, with the length
// known, and the 18 reference rules with the length hidden from the players
// (as with a per-turn ending probability). They exercise what ten turns do
// not: Davis from turn 11, Adaptive from turn 12, Stein and Rapoport's test
// every 15 turns, Tideman and Chieruzzi's fresh starts.
func TestAxelrodLongMatches(t *testing.T) {
	for _, file := range []string{"matches-200-turns.csv", "matches-200-turns-unknown-length.csv"} {
		rows := readCSV(t, file)
		matched := 0
		for _, r := range rows[1:] {
			turns, _ := strconv.Atoi(r[0])
			if replay(t, r[2], r[3], turns, r[1] == "1", r[4], r[5], r[6], r[7]) {
				matched++
			}
		}
		t.Logf("%s: %d of %d reference matches reproduced", file, matched, len(rows)-1)
	}
}

// TestAxelrodTournament compares the standings of a noise-free 200-turn
// round robin of the 18 reference rules with the reference library's
// summary: ranks, median normalised scores, wins, cooperation ratings and
// self-play scores.
func TestAxelrodTournament(t *testing.T) {
	rows := readCSV(t, "tournament-200-turns.csv")
	players, _ := Lineup("axelrod-first")
	for _, workers := range []int{1, 3} {
		tour := Tournament{Players: players, Rules: Rules{Turns: 200}, Repetitions: 2, Seed: 7, Workers: workers}
		res, err := tour.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for k, r := range rows[1:] {
			s := res.Standings[k]
			rank, _ := strconv.Atoi(r[0])
			median, _ := strconv.ParseFloat(r[2], 64)
			wins, _ := strconv.ParseFloat(r[3], 64)
			coop, _ := strconv.ParseFloat(r[4], 64)
			self, _ := strconv.ParseFloat(r[5], 64)
			if s.Rank != rank || s.Name != r[1] || !close(s.Median, median, 1e-12) || s.MedianWins != wins ||
				!close(s.Cooperation, coop, 1e-12) || !close(s.SelfPlay, self, 1e-12) {
				t.Errorf("rank %d: got %s median %v wins %v cooperation %v self %v; want %s %v %v %v %v",
					s.Rank, s.Name, s.Median, s.MedianWins, s.Cooperation, s.SelfPlay, r[1], median, wins, coop, self)
			}
		}
	}
}

func close(a, b, tol float64) bool { return math.Abs(a-b) <= tol }
