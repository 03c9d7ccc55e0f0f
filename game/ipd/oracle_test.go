package ipd

import (
	"encoding/csv"
	"os"
	"strconv"
	"testing"
)

// TestAxelrodOracle replays every row of the reference library's ten-turn
// matches (testdata/axelrod) and checks both move strings and both scores.
func TestAxelrodOracle(t *testing.T) {
	f, err := os.Open("testdata/axelrod/matches-10-turns.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 325 {
		t.Fatalf("%d rows, want a header and 324 matches", len(rows))
	}
	matched := 0
	for _, row := range rows[1:] {
		turns, _ := strconv.Atoi(row[0])
		s1, s2 := MustLookup(row[1]), MustLookup(row[2])
		res, err := PlayMatch(s1, s2, Rules{Turns: turns}, 1)
		if err != nil {
			t.Fatal(err)
		}
		want1, _ := strconv.ParseFloat(row[5], 64)
		want2, _ := strconv.ParseFloat(row[6], 64)
		got1, got2 := FormatActions(res.Moves[0]), FormatActions(res.Moves[1])
		if got1 != row[7] || got2 != row[8] || res.Scores != [2]float64{want1, want2} {
			t.Errorf("%s vs %s: got %s %s (%v), want %s %s (%v %v)", row[1], row[2], got1, got2, res.Scores, row[7], row[8], want1, want2)
			continue
		}
		matched++
	}
	t.Logf("%d of %d reference matches reproduced move for move", matched, len(rows)-1)
}
