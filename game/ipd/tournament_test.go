package ipd

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestTournamentByHand checks the conventions on a line-up small enough to
// score by hand: Cooperator, Defector and TitForTat, 3 turns.
//
//	Cooperator–Defector 0–15, Cooperator–TitForTat 9–9, Defector–TitForTat 7–2;
//	self-play 9, 3 and 9 per copy.
//
// Normalised scores (per turn, mean over the two others): Cooperator
// (0+3)/2 = 1.5, Defector (5+7/3)/2 = 11/3, TitForTat (3+2/3)/2 = 11/6.
func TestTournamentByHand(t *testing.T) {
	players := []*Strategy{MustLookup("Cooperator"), MustLookup("Defector"), MustLookup("TitForTat")}
	tour := Tournament{Players: players, Rules: Rules{Turns: 3}, Repetitions: 3, Seed: 1, Workers: 2}
	res, err := tour.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Matches) != 3 || len(res.Matches[2]) != 6 {
		t.Fatalf("%d repetitions of %d matches, want 3 of 6 (self-play included)", len(res.Matches), len(res.Matches[0]))
	}
	want := []struct {
		name                          string
		median, wins, coop, self, tot float64
	}{
		{"Defector", 11.0 / 3, 2, 0, 1, 3 * 22},
		{"TitForTat", 11.0 / 6, 0, 4.0 / 6, 3, 3 * 11},
		{"Cooperator", 1.5, 0, 1, 3, 3 * 9},
	}
	for k, w := range want {
		s := res.Standings[k]
		if s.Rank != k+1 || s.Name != w.name || !close(s.Median, w.median, 1e-12) || s.MedianWins != w.wins ||
			!close(s.Cooperation, w.coop, 1e-12) || s.SelfPlay != w.self || s.TotalScore != w.tot ||
			s.Min != s.Max || len(s.Scores) != 3 {
			t.Errorf("rank %d: got %+v, want %+v", k+1, s, w)
		}
	}
	if res.Standings[0].TotalWins != 6 {
		t.Errorf("Defector won %d matches in all, want 6", res.Standings[0].TotalWins)
	}
	m := res.MeanPayoffs()
	if m[1][2] != 7.0/3 || m[2][1] != 2.0/3 || m[1][1] != 1 {
		t.Errorf("mean payoffs %v", m)
	}
}

// TestTournamentIndependentOfWorkers runs a noisy tournament with
// probabilistic ending and stochastic players on 1, 2 and 5 workers.
func TestTournamentIndependentOfWorkers(t *testing.T) {
	var players []*Strategy
	for _, n := range []string{"TitForTat", "Random(0.4)", "GTFT", "FirstByTidemanAndChieruzzi", "Adaptive", "Extortioner", "WinStayLoseShift"} {
		players = append(players, MustLookup(n))
	}
	var first *Results
	for _, w := range []int{1, 2, 5} {
		tour := Tournament{Players: players, Rules: Rules{ProbEnd: 0.02, Noise: 0.05}, Repetitions: 7, Seed: 42, Workers: w}
		res, err := tour.Run(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = res
			continue
		}
		if !reflect.DeepEqual(res.Matches, first.Matches) || !reflect.DeepEqual(res.Standings, first.Standings) {
			t.Errorf("%d workers give other results than 1", w)
		}
	}
	// lengths vary with a per-turn ending probability, and noise makes repetitions differ
	lengths := map[int]bool{}
	for _, ms := range first.Matches {
		for _, m := range ms {
			lengths[m.Turns] = true
		}
	}
	if len(lengths) < 10 {
		t.Errorf("only %d distinct match lengths with prob_end 0.02", len(lengths))
	}
	// another seed gives other matches
	tour := Tournament{Players: players, Rules: Rules{ProbEnd: 0.02, Noise: 0.05}, Repetitions: 7, Seed: 43}
	other, _ := tour.Run(context.Background())
	if reflect.DeepEqual(other.Matches, first.Matches) {
		t.Error("seeds 42 and 43 give the same matches")
	}
}

// TestProbEndLength checks the mean drawn length, 1/p, within 5 standard errors.
func TestProbEndLength(t *testing.T) {
	const p, n = 0.1, 20000
	a, _ := NewArena(Rules{ProbEnd: p})
	pl := MustLookup("Cooperator").New()
	sum := 0.0
	for k := 0; k < n; k++ {
		o := a.Play(pl, pl, uint64(k))
		sum += float64(o.Turns)
	}
	mean, sd := sum/n, 9.49/141.42 // sd of a geometric law: √(1−p)/p; /√n
	if mean < 1/p-5*sd || mean > 1/p+5*sd {
		t.Errorf("mean length %v, want %v", mean, 1/p)
	}
	// the cap
	a, _ = NewArena(Rules{ProbEnd: 0.001, Turns: 50})
	for k := 0; k < 100; k++ {
		if o := a.Play(pl, pl, uint64(k)); o.Turns > 50 || o.Turns < 1 {
			t.Fatalf("length %d beyond the cap 50", o.Turns)
		}
	}
}

// TestNoiseFlipsMoves checks that noise flips about ε of the moves, that
// both players see the flipped moves, and that noise 1 flips every move.
func TestNoiseFlipsMoves(t *testing.T) {
	a, _ := NewArena(Rules{Turns: 100000, Noise: 0.1})
	o := a.Play(MustLookup("Cooperator").New(), MustLookup("Defector").New(), 5)
	if f := float64(o.Cooperations[0]) / 1e5; f < 0.895 || f > 0.905 {
		t.Errorf("Cooperator cooperated %v of the time with noise 0.1, want 0.9", f)
	}
	if f := float64(o.Cooperations[1]) / 1e5; f < 0.095 || f > 0.105 {
		t.Errorf("Defector cooperated %v of the time with noise 0.1, want 0.1", f)
	}
	a, _ = NewArena(Rules{Turns: 10, Noise: 1})
	a.Play(MustLookup("TitForTat").New(), MustLookup("Cooperator").New(), 5)
	x, y := a.Moves()
	// Cooperator's C always arrives as D; TitForTat copies what it sees
	// (D), flipped into C — except turn 1's C, flipped into D.
	if FormatActions(x) != "DCCCCCCCCC" || FormatActions(y) != "DDDDDDDDDD" {
		t.Errorf("noise 1: %s %s", FormatActions(x), FormatActions(y))
	}
}

// TestMatchAllocatesNothing plays matches on a warm arena and counts allocations.
func TestMatchAllocatesNothing(t *testing.T) {
	players, _ := Lineup("axelrod-first")
	for _, n := range []string{"Random", "GTFT", "Extortioner", "ContriteTitForTat", "Gradual", "GoByMajority(5)"} {
		players = append(players, MustLookup(n))
	}
	for _, rules := range []Rules{{Turns: 200, Noise: 0.05}, {ProbEnd: 0.01, Turns: 400}} {
		a, _ := NewArena(rules)
		ps := make([]Player, len(players))
		qs := make([]Player, len(players))
		for i, s := range players {
			ps[i], qs[i] = s.New(), s.New()
		}
		a.Play(ps[0], qs[0], 0) // warm up the buffers
		seed := uint64(0)
		allocs := testing.AllocsPerRun(5, func() {
			for i := range ps {
				for j := range qs {
					seed++
					a.Play(ps[i], qs[j], seed)
				}
			}
		})
		if allocs != 0 {
			t.Errorf("%+v: %v allocations per round of matches, want 0", rules, allocs)
		}
	}
}

func TestRulesValidate(t *testing.T) {
	for _, c := range []struct {
		rules Rules
		field string
	}{
		{Rules{Turns: 0}, "turns"},
		{Rules{Turns: -3, ProbEnd: 0.1}, "turns"},
		{Rules{Turns: MaxTurns + 1}, "turns"},
		{Rules{Turns: 10, Noise: 1.5}, "noise"},
		{Rules{Turns: 10, Noise: -0.1}, "noise"},
		{Rules{Turns: 10, ProbEnd: 2}, "prob_end"},
		{Rules{Turns: 10, Payoffs: Payoffs{R: 3, S: 0, T: 2, P: 1}}, "payoffs"},
		{Rules{Turns: 10, Payoffs: Payoffs{R: 3, S: 0, T: 7, P: 1}}, "payoffs"}, // 2R < T+S
	} {
		err := c.rules.Validate()
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("%+v: error %v, want one about %s", c.rules, err, c.field)
		}
	}
	ok := Rules{Turns: 10, Payoffs: Payoffs{R: 3, S: 0, T: 7, P: 1}, AllowAnyPayoffs: true}
	if err := ok.Validate(); err != nil {
		t.Errorf("AllowAnyPayoffs: %v", err)
	}
	if err := (&Rules{Turns: 1, Payoffs: Payoffs{R: 2, S: -1, T: 3, P: 0}}).Validate(); err != nil {
		t.Errorf("a dilemma with a negative S: %v", err)
	}
}

func TestLookup(t *testing.T) {
	for _, c := range []struct{ spec, name, err string }{
		{"TitForTat", "TitForTat", ""},
		{" titfortat ", "TitForTat", ""},
		{"TFT", "TitForTat", ""},
		{"Random( 0.3 )", "Random(0.3)", ""},
		{"Extortioner(3,1/26)", "Extortioner(3,1/26)", ""},
		{"TitForTwoTat", "", `unknown strategy "TitForTwoTat"; did you mean TitFor2Tats`},
		{"Titfortatt", "", "did you mean TitForTat"},
		{"Grim Trigger", "", "bad strategy name"},
		{"Random(1.5)", "", "p must be a probability between 0 and 1"},
		{"Random(x)", "", `"x" is not a number`},
		{"Random(0.1,0.2)", "", "want 1 parameters"},
		{"TitForTat(1)", "", "TitForTat takes no parameters"},
		{"MemoryOne", "", "MemoryOne needs its parameters: write it MemoryOne(p1,p2,p3,p4)"},
		{"MemoryOne(1,0,1)", "", "want 4 parameters"},
		{"Cycler(CXD)", "", "string of C and D"},
		{"Extortioner(3,0.5)", "", "phi may be at most 0.0769"},
		{"Extortioner(0.5,0.01)", "", "chi must be at least 1"},
		{"GoByMajority(-1)", "", "n must be a whole number"},
		{"Random(0.3", "", "bad strategy"},
		{"", "", "empty strategy name"},
	} {
		s, err := Lookup(c.spec)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("Lookup(%q): %v", c.spec, err)
		case c.err == "" && s.Name != c.name:
			t.Errorf("Lookup(%q).Name = %q, want %q", c.spec, s.Name, c.name)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("Lookup(%q): error %v, want it to contain %q", c.spec, err, c.err)
		}
	}
	var ue *UnknownError
	if _, err := Lookup("Nope"); !errors.As(err, &ue) {
		t.Errorf("unknown name: error %T, want *UnknownError", err)
	}
}

func TestCatalogue(t *testing.T) {
	ref := 0
	for _, f := range Families() {
		if f.Reference {
			ref++
		}
	}
	if ref != 18 {
		t.Errorf("%d reference families, want 18", ref)
	}
	lineup, _ := Lineup("axelrod-first")
	if len(lineup) != 18 {
		t.Errorf("axelrod-first has %d players, want 18", len(lineup))
	}
	names := map[string]bool{}
	for _, f := range Families() {
		for _, n := range append([]string{f.Name}, f.Aliases...) {
			if names[strings.ToLower(n)] {
				t.Errorf("name %s used twice", n)
			}
			names[strings.ToLower(n)] = true
		}
	}
}

func TestParseLineup(t *testing.T) {
	src := "# my line-up\nTitForTat\n  Random(0.3)  # noisy\n\nNope\nTFT\nRandom(2)\n"
	_, err := ParseLineup(strings.NewReader(src), "lineup.txt")
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`lineup.txt:5:1: unknown strategy "Nope"`,
		"lineup.txt:6:1: TitForTat is already in the line-up (line 2)",
		"lineup.txt:7:1: Random(2): p must be a probability",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	ps, err := ParseLineup(strings.NewReader("TitForTat\n  Random(0.3)  # noisy\n"), "x")
	if err != nil || len(ps) != 2 || ps[1].Name != "Random(0.3)" {
		t.Errorf("got %v, %v", ps, err)
	}
	if _, err := ParseLineup(strings.NewReader("TitForTat\n"), "one.txt"); err == nil || !strings.Contains(err.Error(), "at least 2") {
		t.Errorf("one player: %v", err)
	}
}

func TestTournamentValidate(t *testing.T) {
	tft := MustLookup("TitForTat")
	for _, c := range []struct {
		tour  Tournament
		field string
	}{
		{Tournament{Players: []*Strategy{tft}, Rules: Rules{Turns: 5}, Repetitions: 1}, "players"},
		{Tournament{Players: []*Strategy{tft, tft}, Rules: Rules{Turns: 5}, Repetitions: 1}, "players[1]"},
		{Tournament{Players: []*Strategy{tft, MustLookup("Defector")}, Rules: Rules{Turns: 5}, Repetitions: 0}, "repetitions"},
		{Tournament{Players: []*Strategy{tft, MustLookup("GTFT")}, Rules: Rules{Turns: 5, AllowAnyPayoffs: true,
			Payoffs: Payoffs{R: 1, S: 0, T: 5, P: 2}}, Repetitions: 1}, "players[1]"},
	} {
		_, err := c.tour.Run(context.Background())
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != c.field {
			t.Errorf("error %v, want one about %s", err, c.field)
		}
	}
}

func TestTournamentCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	players, _ := Lineup("axelrod-first")
	tour := Tournament{Players: players, Rules: Rules{Turns: 200, Noise: 0.1}, Repetitions: 5}
	if _, err := tour.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}
