package normal

import (
	"context"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestReducedStrategicFormPoker(t *testing.T) {
	g := readGame(t, "stripped_down_poker.efg")
	if g.Title != "A simple Poker game" || g.Players[0].Name != "Alice" || g.Players[1].Name != "Bob" {
		t.Errorf("title %q players %q %q", g.Title, g.Players[0].Name, g.Players[1].Name)
	}
	wantA := []string{"Bet/Bet", "Bet/Fold", "Fold/Bet", "Fold/Fold"}
	wantB := []string{"Call", "Fold"}
	if !slices.Equal(g.Players[0].Strategies, wantA) || !slices.Equal(g.Players[1].Strategies, wantB) {
		t.Fatalf("strategies %q and %q, want %q and %q", g.Players[0].Strategies, g.Players[1].Strategies, wantA, wantB)
	}
	// Alice bets both hands, Bob calls: she wins 2 with the king, loses 2 with the queen
	checkPayoffs(t, "Bet/Bet vs Call", g.Payoffs[g.Index([]int{0, 0})], "0", "0")
	// Alice bets the king and folds the queen, Bob folds: 1/2·1 + 1/2·(−1)
	checkPayoffs(t, "Bet/Fold vs Fold", []*big.Rat{g.Payoff([]int{1, 1}, 0), g.Payoff([]int{1, 1}, 1)}, "0", "0")
	// Alice bluffs the queen only, Bob calls: 1/2·(−1) + 1/2·(−2)
	checkPayoffs(t, "Fold/Bet vs Call", []*big.Rat{g.Payoff([]int{2, 0}, 0)}, "-3/2")

	eqs, err := VertexEnumeration(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1/3 2/3 0 0 ; 2/3 1/3"}
	if got := keys(eqs); !slices.Equal(got, want) {
		t.Fatalf("equilibria %q, want %q", got, want)
	}
	checkPayoffs(t, "equilibrium", eqs[0].Payoffs, "1/3", "-1/3")
}

// TestReducedStrategicFormMerges checks the reduction: a player who can end
// the game at once has one strategy for that choice, whatever it would do
// later.
func TestReducedStrategicFormMerges(t *testing.T) {
	src := `EFG 2 R "centipede" { "A" "B" }
p "" 1 1 "a1" { "stop" "go" } 0
t "" 1 "s1" { 1 0 }
p "" 2 1 "b1" { "stop" "go" } 0
t "" 2 "s2" { 0 2 }
p "" 1 2 "a2" { "stop" "go" } 0
t "" 3 "s3" { 3 1 }
t "" 4 "end" { 2 4 }
`
	e, err := ReadEFG("c.efg", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	g, err := e.ReducedStrategicForm()
	if err != nil {
		t.Fatal(err)
	}
	wantA := []string{"stop/*", "go/stop", "go/go"}
	if !slices.Equal(g.Players[0].Strategies, wantA) || !slices.Equal(g.Players[1].Strategies, []string{"stop", "go"}) {
		t.Fatalf("strategies %q %q", g.Players[0].Strategies, g.Players[1].Strategies)
	}
	for _, tc := range []struct {
		a, b int
		want []string
	}{
		{0, 0, []string{"1", "0"}}, {0, 1, []string{"1", "0"}},
		{1, 0, []string{"0", "2"}}, {1, 1, []string{"3", "1"}}, {2, 1, []string{"2", "4"}},
	} {
		checkPayoffs(t, strings.Join([]string{wantA[tc.a], g.Players[1].Strategies[tc.b]}, " vs "), g.Payoffs[g.Index([]int{tc.a, tc.b})], tc.want...)
	}
}

// TestEFGOutcomesAddUp checks that payoffs at inner nodes add to those at
// the leaves, and that chance probabilities weight them.
func TestEFGOutcomesAddUp(t *testing.T) {
	src := `EFG 2 R "stages" { "P" } "comment"
c "" 1 "coin" { "h" 1/4 "t" 3/4 } 1 "entry" { 10 }
t "" 2 "h" { 4 }
p "" 1 1 "" { "x" "y" } 3 "mid" { -1 }
t "" 2
t "" 0
`
	e, err := ReadEFG("s.efg", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	g, err := e.ReducedStrategicForm()
	if err != nil {
		t.Fatal(err)
	}
	if g.Comment != "comment" || !slices.Equal(g.Players[0].Strategies, []string{"x", "y"}) {
		t.Errorf("comment %q strategies %q", g.Comment, g.Players[0].Strategies)
	}
	// x: 10 + 1/4·4 + 3/4·(−1 + 4) = 13.25; y: 10 + 1 + 3/4·(−1) = 10.25
	checkPayoffs(t, "x", g.Payoffs[0], "53/4")
	checkPayoffs(t, "y", g.Payoffs[1], "41/4")
}

func TestReadEFGErrors(t *testing.T) {
	head := "EFG 2 R \"g\" { \"A\" \"B\" }\n"
	for _, tc := range []struct{ name, src, want string }{
		{"nfg", `NFG 1 R "x"`, `bad.efg:1:1: this is a strategic-form game (NFG)`},
		{"version", `EFG 1 R "x"`, `bad.efg:1:5: found the number 1 as the format version; expected 2`},
		{"not efg", `GAME 2 R`, `bad.efg:1:1: found "GAME" at the start of the file; expected EFG, the mark of a Gambit extensive-form game`},
		{"type", `EFG 2 Q "x"`, `bad.efg:1:7: found "Q" as the number type; expected R (or the obsolete D)`},
		{"no players", `EFG 2 R "x" { }`, `bad.efg:1:15: the list of players is empty; expected at least one player name in double quotes`},
		{"player name", `EFG 2 R "x" { "a" 3 }`, `bad.efg:1:19: found the number 3 in the list of players; expected a player name in double quotes or "}"`},
		{"no tree", head, `bad.efg:2:1: the file ends where a node should be`},
		{"node kind", head + `x "" 1`, `bad.efg:2:1: found "x" where a node should start; expected c (chance), p (player) or t (terminal)`},
		{"node name", head + `t 1`, `bad.efg:2:3: found the number 1; expected the node's name in double quotes`},
		{"no player", head + `p "" 3 1 "i" { "a" } 0`, `bad.efg:2:6: player 3 does not exist; expected a number from 1 to 2`},
		{"undefined infoset", head + `p "" 1 1 0`, `bad.efg:2:10: information set 1 of player 1 is used before it is defined`},
		{"missing child", head + `p "" 1 1 "i" { "a" "b" } 0` + "\nt \"\" 0\n", `bad.efg:4:1: the file ends where a node should be`},
		{"extra node", head + `t "" 0` + "\nt \"\" 0\n", `bad.efg:3:1: found "t" after the last node of the tree; expected the end of the file`},
		{"probabilities", head + `c "" 1 "e" { "a" 1/2 "b" 1/3 } 0`, `bad.efg:2:12: the probabilities of chance event 1 sum to 5/6; expected 1`},
		{"negative probability", head + `c "" 1 "e" { "a" -1 "b" 2 } 0`, `bad.efg:2:18: probability -1 of action "a" is outside 0..1`},
		{"outcome payoffs", head + `t "" 1 "o" { 1 }`, `bad.efg:2:16: found "}" in outcome 1; expected the payoff of player 2 ("B")`},
		{"undefined outcome", head + `t "" 4`, `bad.efg:2:7: outcome 4 is used before it is defined`},
		{"null outcome named", head + `t "" 0 "o" { 1 2 }`, `bad.efg:2:8: outcome 0 is the null outcome and takes no name or payoffs`},
		{"redefined outcome", head + `p "" 1 1 "i" { "a" "b" } 0` + "\nt \"\" 1 \"o\" { 1 2 }\nt \"\" 1 \"o\" { 1 3 }\n", `bad.efg:4:8: outcome 1 is defined again differently`},
		{"redefined infoset", head + `p "" 1 1 "i" { "a" } 0` + "\np \"\" 1 1 \"i\" { \"b\" } 0\nt \"\" 0\n", `bad.efg:3:10: information set 1 of player 1 is defined again differently`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadEFG("bad.efg", []byte(tc.src))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T %v, want *SyntaxError", err, err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error\n  %s\nwant it to start with\n  %s", err, tc.want)
			}
		})
	}
}

// FuzzReadEFG feeds Read arbitrary bytes starting like an extensive game:
// it must return a game that passes Check or a *SyntaxError, never panic.
func FuzzReadEFG(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.efg"))
	for _, n := range files {
		src, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		g, err := Read("fuzz.efg", src)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 || se.Column < 1 || se.Msg == "" {
				t.Fatalf("error %T %v, want a *SyntaxError with a position", err, err)
			}
			return
		}
		if err := g.Check(); err != nil {
			t.Fatal(err)
		}
	})
}
