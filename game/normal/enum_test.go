package normal

import (
	"bufio"
	"context"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readGame reads a game from testdata/gambit.
func readGame(t testing.TB, name string) *Game {
	t.Helper()
	path := filepath.Join("testdata", "gambit", name)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	g, err := Read(name, src)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// parseProfile parses "1/2 1/2 ; 1/3 2/3".
func parseProfile(t testing.TB, s string) [][]*big.Rat {
	t.Helper()
	var out [][]*big.Rat
	for _, part := range strings.Split(s, ";") {
		var v []*big.Rat
		for _, f := range strings.Fields(part) {
			x, ok := new(big.Rat).SetString(f)
			if !ok {
				t.Fatalf("bad number %q in %q", f, s)
			}
			v = append(v, x)
		}
		out = append(out, v)
	}
	return out
}

// profileKey is a canonical text form of a mixed profile.
func profileKey(s [][]*big.Rat) string {
	return Equilibrium{Strategies: s}.String()
}

// oracleEquilibria reads the profiles listed in the 6×6 oracle file.
func oracleEquilibria(t testing.TB) []string {
	f, err := os.Open(filepath.Join("testdata", "gambit", "6x6_game_with_75_eq.equilibria.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, profileKey(parseProfile(t, line)))
	}
	return out
}

func TestVertexEnumeration75(t *testing.T) {
	g := readGame(t, "6x6_game_with_75_eq.nfg")
	eqs, err := VertexEnumeration(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	want := oracleEquilibria(t)
	if len(want) != 75 {
		t.Fatalf("oracle lists %d equilibria, want 75", len(want))
	}
	got := map[string]bool{}
	for _, e := range eqs {
		k := profileKey(e.Strategies)
		if got[k] {
			t.Errorf("equilibrium %s found twice", k)
		}
		got[k] = true
		if err := g.CheckNash(e.Strategies); err != nil {
			t.Errorf("%s is not an equilibrium: %v", k, err)
		}
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("missing equilibrium %s", w)
		}
		delete(got, w)
	}
	for k := range got {
		t.Errorf("equilibrium %s is not in the oracle's list", k)
	}
	if len(eqs) != 75 {
		t.Errorf("found %d equilibria, want 75", len(eqs))
	}
}
