package normal

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// update rewrites the golden files under testdata/ instead of comparing:
//
//	go test ./game/normal -update
var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./game/normal -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (if the change is intended, run go test ./game/normal -update and review the diff)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestReadNFG(t *testing.T) {
	for _, tc := range []struct {
		file       string
		title      string
		players    []string
		shape      []int
		strategies [][]string
		outcomes   int
		payoffs    map[int][]string // profile → payoffs
	}{
		{"pd.nfg", "Two person Prisoner's Dilemma game", []string{"Player 1", "Player 2"}, []int{2, 2},
			[][]string{{"1", "2"}, {"1", "2"}}, 4,
			map[int][]string{0: {"9", "9"}, 1: {"10", "0"}, 2: {"0", "10"}, 3: {"1", "1"}}},
		{"2x2.nfg", "Two person 2 x 2 game with unique mixed equilibrium", []string{"Player 1", "Player 2"}, []int{2, 2},
			nil, 4, map[int][]string{0: {"2", "0"}, 3: {"1", "0"}}},
		{"coord2.nfg", "Two person 2x2 coordination game with 3 Nash equilibria", []string{"Player 1", "Player 2"}, []int{2, 2},
			nil, 0, map[int][]string{0: {"3", "2"}, 1: {"0", "0"}, 3: {"2", "2"}}},
		{"2x2x2_nfg_from_local_max_cut_2_pure_1_mixed_eq.nfg", "2x2x2 game with 2 pure and 1 mixed equilibrium",
			[]string{"Player 1", "Player 2", "Player 3"}, []int{2, 2, 2}, [][]string{{"1", "2"}, {"1", "2"}, {"1", "2"}}, 0,
			map[int][]string{1: {"1", "2", "-1"}, 2: {"2", "4", "2"}, 7: {"0", "0", "0"}}},
		{"6x6_game_with_75_eq.nfg", "von Stengel's 6x6 bimatrix game with 75 equilibria", []string{"1", "2"}, []int{6, 6},
			nil, 0, map[int][]string{0: {"9504", "72336"}, 35: {"-300036", "31680"}}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			g := readGame(t, tc.file)
			if g.Title != tc.title {
				t.Errorf("title %q, want %q", g.Title, tc.title)
			}
			for i, p := range g.Players {
				if i >= len(tc.players) || p.Name != tc.players[i] {
					t.Errorf("player %d is %q, want %q", i+1, p.Name, tc.players)
				}
				if tc.strategies != nil && strings.Join(p.Strategies, ",") != strings.Join(tc.strategies[i], ",") {
					t.Errorf("player %d's strategies %q, want %q", i+1, p.Strategies, tc.strategies[i])
				}
			}
			if got := g.Shape(); len(got) != len(tc.shape) || !equalInts(got, tc.shape) {
				t.Errorf("shape %v, want %v", got, tc.shape)
			}
			if len(g.Outcomes) != tc.outcomes {
				t.Errorf("%d outcomes, want %d", len(g.Outcomes), tc.outcomes)
			}
			for k, want := range tc.payoffs {
				checkPayoffs(t, fmt.Sprint("profile ", k), g.Payoffs[k], want...)
			}
			if err := g.Check(); err != nil {
				t.Error(err)
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestNFGRoundTrip writes each example game and reads it back: the game is
// the same, and writing it again gives the same bytes.
func TestNFGRoundTrip(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "gambit", "*.nfg"))
	files = append(files, filepath.Join("testdata", "nfg", "quoting.nfg"))
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			g, err := ReadNFG(f, src)
			if err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := WriteNFG(&out, g); err != nil {
				t.Fatal(err)
			}
			h, err := ReadNFG("written", out.Bytes())
			if err != nil {
				t.Fatalf("reading what was written: %v\n%s", err, out.String())
			}
			if err := sameGame(g, h); err != nil {
				t.Fatalf("%v\nwritten:\n%s", err, out.String())
			}
			var again bytes.Buffer
			if err := WriteNFG(&again, h); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), again.Bytes()) {
				t.Errorf("writing twice differs:\n%s\n---\n%s", out.String(), again.String())
			}
		})
	}
}

// TestWriteNFGGolden pins the written form of both versions of the format.
func TestWriteNFGGolden(t *testing.T) {
	for _, name := range []string{"pd.nfg", "coord2.nfg"} {
		g := readGame(t, name)
		var out bytes.Buffer
		if err := WriteNFG(&out, g); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, filepath.Join("nfg", "written-"+name), out.Bytes())
	}
}

// sameGame says how a and b differ, or returns nil.
func sameGame(a, b *Game) error {
	if a.Title != b.Title || a.Comment != b.Comment {
		return errors.New("title or comment differ")
	}
	if len(a.Players) != len(b.Players) {
		return errors.New("numbers of players differ")
	}
	for i := range a.Players {
		if a.Players[i].Name != b.Players[i].Name || strings.Join(a.Players[i].Strategies, "\x00") != strings.Join(b.Players[i].Strategies, "\x00") {
			return errors.New("player or strategy names differ")
		}
	}
	for k := range a.Payoffs {
		for i := range a.Payoffs[k] {
			if a.Payoffs[k][i].Cmp(b.Payoffs[k][i]) != 0 {
				return errors.New("payoffs differ")
			}
		}
	}
	if (a.Outcomes == nil) != (b.Outcomes == nil) || len(a.Outcomes) != len(b.Outcomes) {
		return errors.New("outcomes differ")
	}
	for j := range a.Outcomes {
		if a.Outcomes[j].Name != b.Outcomes[j].Name {
			return errors.New("outcome names differ")
		}
	}
	if !equalInts(a.ProfileOutcomes, b.ProfileOutcomes) {
		return errors.New("outcome numbers differ")
	}
	return nil
}

func TestReadNFGNumbersAndNames(t *testing.T) {
	src := `NFG 1 D "t" { "A \"the first\"" "B\\C" } { 2 2 } 1.5, -3/4 +2 1e-2 .5 -0.25e1 1. 0`
	g, err := ReadNFG("x.nfg", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if g.Players[0].Name != `A "the first"` || g.Players[1].Name != `B\C` {
		t.Errorf("names %q %q", g.Players[0].Name, g.Players[1].Name)
	}
	checkPayoffs(t, "profile 1", g.Payoffs[0], "3/2", "-3/4")
	checkPayoffs(t, "profile 2", g.Payoffs[1], "2", "1/100")
	checkPayoffs(t, "profile 3", g.Payoffs[2], "1/2", "-5/2")
	checkPayoffs(t, "profile 4", g.Payoffs[3], "1", "0")
	if g.Comment != "" || g.Players[0].Strategies[1] != "2" {
		t.Errorf("comment %q, strategies %q", g.Comment, g.Players[0].Strategies)
	}
	src = `NFG 1 R "t" { "A" "B" } { { "x" } { "y" } } "c" { { "o" 1 2 } } 0`
	g, err = ReadNFG("x.nfg", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	checkPayoffs(t, "null outcome", g.Payoffs[0], "0", "0")
}

// TestReadNFGErrors checks that malformed files give one error with the
// position of the problem and a message saying what was expected.
func TestReadNFGErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"empty", ``, `bad.nfg:1:1: found the end of the file at the start of the file; expected NFG`},
		{"not nfg", `GAME 1 R`, `bad.nfg:1:1: found "GAME" at the start of the file; expected NFG`},
		{"efg", `EFG 2 R "x" { "a" }`, `bad.nfg:1:1: this is an extensive-form game (EFG)`},
		{"version", `NFG 2 R "x"`, `bad.nfg:1:5: found the number 2 as the format version; expected 1`},
		{"type", `NFG 1 Q "x"`, `bad.nfg:1:7: found "Q" as the number type; expected R`},
		{"title", `NFG 1 R { "a" }`, `bad.nfg:1:9: found "{"; expected the game's title in double quotes`},
		{"unclosed string", "NFG 1 R \"x\" {\n \"a }", `bad.nfg:2:2: the text opened here is never closed; expected a closing "`},
		{"no players", `NFG 1 R "x" { }`, `bad.nfg:1:15: the list of players is empty`},
		{"player not quoted", `NFG 1 R "x" { Alice }`, `bad.nfg:1:15: found "Alice" in the list of players; expected a player name in double quotes or "}"`},
		{"zero strategies", `NFG 1 R "x" { "a" "b" } { 2 0 }`, `bad.nfg:1:29: player 2 ("b") has 0 strategies; expected a whole number, 1 or more`},
		{"fraction strategies", `NFG 1 R "x" { "a" } { 3/2 }`, `bad.nfg:1:23: player 1 ("a") has 3/2 strategies`},
		{"too few counts", `NFG 1 R "x" { "a" "b" } { 2 }`, `bad.nfg:1:29: found "}"; expected the number of strategies of player 2 ("b")`},
		{"too many counts", `NFG 1 R "x" { "a" } { 2 2 }`, `bad.nfg:1:25: more strategy counts than the 1 players; expected "}" closing the list opened at 1:21`},
		{"too big", `NFG 1 R "x" { "a" "b" } { 100000 100000 }`, `bad.nfg:1:41: game too large: more than 16777216 strategy profiles`},
		{"strategy list", "NFG 1 R \"x\" { \"a\" \"b\" }\n{ { \"1\" \"2\" }\n 3 }", `bad.nfg:3:2: found the number 3; expected "{" opening the strategy names of player 2 ("b")`},
		{"empty strategy list", "NFG 1 R \"x\" { \"a\" }\n{ { } }", `bad.nfg:2:5: player 1 ("a") has no strategies`},
		{"strategy not quoted", "NFG 1 R \"x\" { \"a\" }\n{ { \"1\" two } }", `bad.nfg:2:9: found "two" among the strategies of player 1 ("a")`},
		{"strategies open", `NFG 1 R "x" { "a" } "c"`, `bad.nfg:1:21: found the text "c"; expected "{" opening the strategies`},
		{"strategies content", `NFG 1 R "x" { "a" } { "c" }`, `bad.nfg:1:23: found the text "c" after the "{" opening the strategies`},
		{"no payoffs", `NFG 1 R "x" { "a" } { 2 } "c"`, `bad.nfg:1:30: found the end of the file; expected the payoffs (numbers) or a "{" opening the list of outcomes`},
		{"too few payoffs", "NFG 1 R \"x\" { \"a\" \"b\" } { 2 1 }\n1 2 3", `bad.nfg:2:6: the file ends after 3 of the 4 payoffs; expected 4 (2 players × 2 strategy profiles)`},
		{"too many payoffs", "NFG 1 R \"x\" { \"a\" } { 2 }\n1 2 3", `bad.nfg:2:5: found the number 3 after the last of the 2 payoffs the game needs; expected the end of the file`},
		{"word payoff", "NFG 1 R \"x\" { \"a\" } { 2 }\n1 x", `bad.nfg:2:3: found "x" as payoff 2 of 2; expected a number`},
		{"bad number", "NFG 1 R \"x\" { \"a\" } { 2 }\n1 1.2.3", `bad.nfg:2:3: "1.2.3" is not a valid payoff; expected a number such as 3, -2.5, 1e3 or 3/4`},
		{"zero denominator", "NFG 1 R \"x\" { \"a\" } { 2 }\n1 1/0", `bad.nfg:2:3: "1/0" is not a valid payoff; the denominator of a fraction must not be zero`},
		{"huge exponent", "NFG 1 R \"x\" { \"a\" } { 2 }\n1 1e999999999", `bad.nfg:2:3: "1e999999999" is not a valid payoff; the exponent is too large`},
		{"outcome not braced", "NFG 1 R \"x\" { \"a\" } { { \"1\" } }\n{ \"o\" 1 }", `bad.nfg:2:3: found the text "o" in the list of outcomes; expected "{" opening an outcome, or "}" closing the list opened at 2:1`},
		{"outcome name", "NFG 1 R \"x\" { \"a\" } { { \"1\" } }\n{ { 1 } }", `bad.nfg:2:5: found the number 1; expected the name of outcome 1 in double quotes`},
		{"outcome short", "NFG 1 R \"x\" { \"a\" \"b\" } { 1 1 }\n{ { \"o\" 1 } }", `bad.nfg:2:11: found "}" in outcome 1; expected the payoff of player 2 ("b")`},
		{"outcome long", "NFG 1 R \"x\" { \"a\" } { 1 }\n{ { \"o\" 1 2 } }", `bad.nfg:2:11: found the number 2 in outcome 1; expected "}" after its 1 payoffs`},
		{"outcome index", "NFG 1 R \"x\" { \"a\" } { 2 }\n{ { \"o\" 1 } }\n1 2", `bad.nfg:3:3: "2" is not an outcome; expected a whole number from 1 to 1, or 0 for the null outcome`},
		{"negative outcome", "NFG 1 R \"x\" { \"a\" } { 2 }\n{ { \"o\" 1 } }\n1 -1", `bad.nfg:3:3: "-1" is not an outcome`},
		{"missing outcome numbers", "NFG 1 R \"x\" { \"a\" } { 2 }\n{ { \"o\" 1 } }\n1", `bad.nfg:3:2: the file ends after 1 of the 2 outcome numbers`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := ReadNFG("bad.nfg", []byte(tc.src))
			if err == nil {
				t.Fatalf("no error; read %+v", g)
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T, want *SyntaxError: %v", err, err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error\n  %s\nwant it to start with\n  %s", err, tc.want)
			}
		})
	}
}

// FuzzReadNFG feeds ReadNFG arbitrary bytes: it must return a game that
// passes Check and survives a round trip through WriteNFG, or a
// *SyntaxError with a position and a message — never panic.
func FuzzReadNFG(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.nfg"))
	for _, n := range files {
		src, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(`NFG 1 R "x" { "a" "b" } { 2 1 } 1/2 -3 1e3 .5`))
	f.Fuzz(func(t *testing.T, src []byte) {
		g, err := ReadNFG("fuzz.nfg", src)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T, want *SyntaxError: %v", err, err)
			}
			if se.Line < 1 || se.Column < 1 || se.Msg == "" || se.File != "fuzz.nfg" {
				t.Fatalf("malformed error %#v", se)
			}
			return
		}
		if err := g.Check(); err != nil {
			t.Fatalf("accepted a game that fails Check: %v", err)
		}
		var out bytes.Buffer
		if err := WriteNFG(&out, g); err != nil {
			t.Fatal(err)
		}
		h, err := ReadNFG("written", out.Bytes())
		if err != nil {
			t.Fatalf("cannot read back what was written: %v\n%s", err, out.String())
		}
		if err := sameGame(g, h); err != nil {
			t.Fatal(err)
		}
	})
}
