package normal

import (
	"context"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// strictlyDominates checks the definition: the mixture by earns player i
// strictly more than strategy s against every profile of the others.
func strictlyDominates(g *Game, i int, by []*big.Rat, s int) bool {
	u := playerTable(g, i)
	for o := range u[s] {
		v := new(big.Rat)
		for t, p := range by {
			v.Add(v, new(big.Rat).Mul(p, u[t][o]))
		}
		if v.Cmp(u[s][o]) <= 0 {
			return false
		}
	}
	return true
}

func TestEliminateDominated(t *testing.T) {
	for _, tc := range []struct {
		name  string
		a, b  [][]int64
		d     Dominance
		kept  [][]int
		steps int
	}{
		// the prisoner's dilemma: cooperation is dominated for both
		{"pd", [][]int64{{9, 0}, {10, 1}}, [][]int64{{9, 10}, {0, 1}}, ByPure, [][]int{{1}, {1}}, 2},
		// the bottom row is beaten by an even mix of the top two only
		{"mixed only, pure", [][]int64{{3, 0}, {0, 3}, {1, 1}}, [][]int64{{0, 0}, {0, 0}, {0, 0}}, ByPure, [][]int{{0, 1, 2}, {0, 1}}, 0},
		{"mixed only, mixed", [][]int64{{3, 0}, {0, 3}, {1, 1}}, [][]int64{{0, 0}, {0, 0}, {0, 0}}, ByMixed, [][]int{{0, 1}, {0, 1}}, 1},
		// ties are not strict: nothing goes
		{"weak", [][]int64{{1, 1}, {1, 0}}, [][]int64{{1, 1}, {1, 1}}, ByMixed, [][]int{{0, 1}, {0, 1}}, 0},
		// Gibbons's example, three rounds: Right goes (Middle beats it),
		// then Down (Up beats it), then Left (Middle beats it)
		{"iterated", [][]int64{{1, 1, 0}, {0, 0, 2}}, [][]int64{{0, 2, 1}, {3, 1, 0}},
			ByPure, [][]int{{0}, {1}}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := bimatrix(t, tc.a, tc.b)
			red, err := EliminateDominated(context.Background(), g, tc.d)
			if err != nil {
				t.Fatal(err)
			}
			if tc.kept != nil {
				for i := range tc.kept {
					if !slices.Equal(red.Kept[i], tc.kept[i]) {
						t.Errorf("player %d keeps %v, want %v", i+1, red.Kept[i], tc.kept[i])
					}
				}
			}
			if tc.steps >= 0 && len(red.Steps) != tc.steps {
				t.Errorf("%d eliminations, want %d", len(red.Steps), tc.steps)
			}
			for k, st := range red.Steps {
				if tc.name == "iterated" && st.Round != k+1 {
					t.Errorf("step %d is in round %d, want %d", k+1, st.Round, k+1)
				}
			}
			checkReduction(t, g, red)
		})
	}
}

// checkReduction checks every elimination's witness against the game of
// its round, and that the reduced game's equilibria, expanded, are exactly
// the original game's.
func checkReduction(t *testing.T, g *Game, red *Reduction) {
	t.Helper()
	// replay the rounds
	kept := make([][]int, len(g.Players))
	for i, p := range g.Players {
		for j := range p.Strategies {
			kept[i] = append(kept[i], j)
		}
	}
	for round, k := 1, 0; k < len(red.Steps); round++ {
		cur, err := g.Restrict(kept)
		if err != nil {
			t.Fatal(err)
		}
		start := k
		for ; k < len(red.Steps) && red.Steps[k].Round == round; k++ {
			st := red.Steps[k]
			pos := slices.Index(kept[st.Player], st.Strategy)
			by := make([]*big.Rat, len(kept[st.Player]))
			for j, orig := range kept[st.Player] {
				by[j] = st.By[orig]
			}
			if pos < 0 || !strictlyDominates(cur, st.Player, by, pos) {
				t.Errorf("round %d: player %d's strategy %d is not strictly dominated by %v", round, st.Player+1, st.Strategy+1, st.By)
			}
		}
		if k == start {
			t.Fatalf("no step in round %d", round)
		}
		for _, st := range red.Steps[start:k] {
			kept[st.Player] = slices.DeleteFunc(kept[st.Player], func(s int) bool { return s == st.Strategy })
		}
	}
	for i := range kept {
		if !slices.Equal(kept[i], red.Kept[i]) {
			t.Errorf("replaying the steps keeps %v for player %d, the reduction says %v", kept[i], i+1, red.Kept[i])
		}
	}
	if len(g.Players) != 2 {
		return
	}
	all, err := VertexEnumeration(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := VertexEnumeration(context.Background(), red.Game)
	if err != nil {
		t.Fatal(err)
	}
	var expanded []Equilibrium
	for _, e := range sub {
		expanded = append(expanded, red.Expand(e, g))
	}
	sortEquilibria(expanded)
	if got, want := keys(expanded), keys(all); !slices.Equal(got, want) {
		t.Errorf("equilibria of the reduced game %q, of the whole game %q", got, want)
	}
}

// TestEliminateDominatedRandom runs both kinds of elimination on random
// games with few distinct payoffs and checks each step and the equilibria.
func TestEliminateDominatedRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	removedMixed := 0
	for range 200 {
		m, n := 1+r.IntN(4), 1+r.IntN(4)
		a, b := make([][]int64, m), make([][]int64, m)
		for i := range m {
			a[i], b[i] = make([]int64, n), make([]int64, n)
			for j := range n {
				a[i][j], b[i][j] = r.Int64N(6), r.Int64N(6)
			}
		}
		g := bimatrix(t, a, b)
		pure, err := EliminateDominated(context.Background(), g, ByPure)
		if err != nil {
			t.Fatal(err)
		}
		checkReduction(t, g, pure)
		mixed, err := EliminateDominated(context.Background(), g, ByMixed)
		if err != nil {
			t.Fatal(err)
		}
		checkReduction(t, g, mixed)
		if len(mixed.Steps) < len(pure.Steps) {
			t.Errorf("A=%v B=%v: mixed dominance removes %d strategies, pure %d", a, b, len(mixed.Steps), len(pure.Steps))
		}
		removedMixed += len(mixed.Steps) - len(pure.Steps)
	}
	if removedMixed == 0 {
		t.Error("no game had a strategy dominated only by a mixture; the test does not exercise the linear program")
	}
}

// TestEliminateDominated3Players checks pure dominance in a three-player
// game where player 3's second strategy is dominated.
func TestEliminateDominated3Players(t *testing.T) {
	g := readGame(t, "2x2x2_nfg_from_local_max_cut_2_pure_1_mixed_eq.nfg")
	red, err := EliminateDominated(context.Background(), g, ByMixed)
	if err != nil {
		t.Fatal(err)
	}
	if len(red.Steps) != 0 {
		t.Errorf("the max-cut game has no dominated strategy, but %d were removed", len(red.Steps))
	}
	h := g.Clone()
	for k := range h.Payoffs {
		if h.Profile(k)[2] == 1 {
			h.Payoffs[k][2].Sub(h.Payoffs[k][2], big.NewRat(10, 1))
		}
	}
	red, err = EliminateDominated(context.Background(), h, ByPure)
	if err != nil {
		t.Fatal(err)
	}
	if len(red.Steps) == 0 || red.Steps[0].Player != 2 || red.Steps[0].Strategy != 1 {
		t.Fatalf("steps %+v, want player 3's strategy 2 removed first", red.Steps)
	}
	checkReduction(t, h, red)
}
