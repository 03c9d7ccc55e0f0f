package normal

import (
	"context"
	"errors"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// profiles writes equilibria as "a b ; c d" strings, sorted, to compare sets.
func profiles(eqs []Equilibrium) []string {
	var out []string
	for _, e := range eqs {
		var ps []string
		for _, s := range e.Strategies {
			var xs []string
			for _, x := range s {
				xs = append(xs, x.RatString())
			}
			ps = append(ps, strings.Join(xs, " "))
		}
		out = append(out, strings.Join(ps, " ; "))
	}
	slices.Sort(out)
	return out
}

// Removing strictly dominated strategies keeps the set of Nash equilibria:
// on random bimatrix games with dominated strategies, Solve after either
// elimination gives, in the original game's strategies, exactly the
// equilibria it gives without one; each is an equilibrium of the original
// game; and Lemke–Howson's labels, renumbered, name strategies that were kept.
func TestSolveEliminationKeepsTheEquilibria(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 9))
	tried := 0
	for range 200 {
		m, n := 2+rng.IntN(3), 2+rng.IntN(3)
		a, b := make([][]int64, m), make([][]int64, m)
		for i := range m {
			a[i], b[i] = make([]int64, n), make([]int64, n)
			for j := range n {
				a[i][j], b[i][j] = rng.Int64N(7), rng.Int64N(7)
			}
		}
		g := bimatrix(t, a, b)
		plain, err := Solve(ctx, g, SolveOptions{Method: MethodEnum})
		if err != nil {
			t.Fatal(err)
		}
		for _, el := range []string{EliminatePure, EliminateMixed} {
			sol, err := Solve(ctx, g, SolveOptions{Method: MethodEnum, Eliminate: el})
			if err != nil {
				t.Fatal(err)
			}
			if len(sol.Eliminated) == 0 {
				continue
			}
			tried++
			if got, want := profiles(sol.Equilibria), profiles(plain.Equilibria); !slices.Equal(got, want) {
				t.Errorf("game %v / %v, elimination %s: the equilibria %v, without it %v", a, b, el, got, want)
			}
			for _, e := range sol.Equilibria {
				if len(e.Strategies[0]) != m || len(e.Strategies[1]) != n {
					t.Fatalf("an equilibrium of the reduced game was not expanded: %d × %d strategies", len(e.Strategies[0]), len(e.Strategies[1]))
				}
				for _, st := range sol.Eliminated {
					if e.Strategies[st.Player][st.Strategy].Sign() != 0 {
						t.Errorf("a removed strategy has probability %s", e.Strategies[st.Player][st.Strategy].RatString())
					}
				}
			}
			lh, err := Solve(ctx, g, SolveOptions{Method: MethodLH, Eliminate: el})
			if err != nil {
				t.Fatal(err)
			}
			removed := map[int]bool{}
			for _, st := range lh.Eliminated {
				removed[st.Player*m+st.Strategy] = true
			}
			if len(lh.Labels) != len(lh.Equilibria) {
				t.Fatalf("%d label lists for %d equilibria", len(lh.Labels), len(lh.Equilibria))
			}
			for _, ls := range lh.Labels {
				for _, l := range ls {
					if l < 0 || l >= m+n || l < m && removed[l] || l >= m && removed[m+(l-m)] {
						t.Errorf("label %d names no kept strategy of the %d×%d game (removed %v)", l, m, n, lh.Eliminated)
					}
				}
			}
			// Lemke–Howson ends at extreme equilibria, which the plain
			// enumeration lists
			for _, e := range profiles(lh.Equilibria) {
				if !slices.Contains(profiles(plain.Equilibria), e) {
					t.Errorf("game %v / %v: Lemke–Howson after elimination %s gave %s, not among %v", a, b, el, e, profiles(plain.Equilibria))
				}
			}
		}
	}
	if tried < 50 {
		t.Fatalf("only %d random games had a dominated strategy; the test needs more", tried)
	}
}

func TestSolveRefusals(t *testing.T) {
	ctx := context.Background()
	g3 := readGame(t, "2x2x2_nfg_from_local_max_cut_2_pure_1_mixed_eq.nfg")
	if _, err := Solve(ctx, g3, SolveOptions{Method: MethodLH}); !errors.Is(err, ErrNotTwoPlayer) {
		t.Errorf("Lemke–Howson on three players: %v, want ErrNotTwoPlayer", err)
	}
	pd := readGame(t, "pd.nfg")
	if _, err := Solve(ctx, pd, SolveOptions{Method: "simplex"}); err == nil || !strings.Contains(err.Error(), `unknown method "simplex"`) {
		t.Errorf("an unknown method: %v", err)
	}
	if _, err := Solve(ctx, pd, SolveOptions{Method: MethodEnum, Eliminate: "weak"}); err == nil || !strings.Contains(err.Error(), `unknown elimination "weak"`) {
		t.Errorf("an unknown elimination: %v", err)
	}
	// the prisoner's dilemma: both cooperations go, one pure equilibrium stays
	sol, err := Solve(ctx, pd, SolveOptions{Method: MethodEnum, Eliminate: EliminatePure})
	if err != nil {
		t.Fatal(err)
	}
	if len(sol.Eliminated) != 2 || len(sol.Equilibria) != 1 || !sol.Exact || !sol.Complete {
		t.Fatalf("pd: %d removed, %d equilibria, exact %v, complete %v", len(sol.Eliminated), len(sol.Equilibria), sol.Exact, sol.Complete)
	}
	e := sol.Equilibria[0]
	if got := pd.MixText(0, e.Strategies[0], false) + " / " + pd.MixText(1, e.Strategies[1], false); got != `"2" / "2"` {
		t.Errorf("pd's equilibrium reads %q", got)
	}
}

func TestStrategyNamesAndMixes(t *testing.T) {
	g := &Game{Players: []Player{{Name: "A", Strategies: []string{"Up", "", "1st", "a b", "x+y"}}}}
	for s, want := range []string{"Up", "#2", `"1st"`, `"a b"`, `"x+y"`} {
		if got := g.StrategyName(0, s); got != want {
			t.Errorf("StrategyName(0, %d) = %s, want %s", s, got, want)
		}
	}
	r := func(a, b int64) *big.Rat { return big.NewRat(a, b) }
	mix := []*big.Rat{r(1, 3), r(0, 1), r(2, 3), r(0, 1), r(0, 1)}
	if got := g.MixText(0, mix, false); got != `1/3 Up + 2/3 "1st"` {
		t.Errorf("MixText = %s", got)
	}
	if got := g.MixText(0, []*big.Rat{r(0, 1), r(1, 1), r(0, 1), r(0, 1), r(0, 1)}, false); got != "#2" {
		t.Errorf("a pure strategy reads %s, want its name alone", got)
	}
	if got := g.MixText(0, mix, true); got != `≈0.3333333333 Up + ≈0.6666666667 "1st"` {
		t.Errorf("an approximate mix reads %s", got)
	}
}
