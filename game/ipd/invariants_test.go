package ipd

import (
	"slices"
	"testing"
)

// TestInvariantsAllPairs plays every ordered pair of the catalogue (with
// defaults, and MemoryOne's example) under three sets of rules and checks
// what must hold whatever the rules: the scores and cooperation counts
// recomputed from the moves, and — for deterministic pairs without noise —
// mirror symmetry: B against A plays A against B's moves swapped.
func TestInvariantsAllPairs(t *testing.T) {
	players := append(Catalogue(), MustLookup("MemoryOne(1,0.1,1,0.1)"))
	tab := DefaultPayoffs.table()
	for _, rules := range []Rules{{Turns: 150}, {Turns: 150, Noise: 0.05}, {ProbEnd: 0.02, Noise: 0.01}} {
		a, _ := NewArena(rules)
		b, _ := NewArena(rules)
		for i, s1 := range players {
			for j, s2 := range players {
				seed := MatchSeed(5, i, j, 0)
				o := a.Play(s1.New(), s2.New(), seed)
				x, y := a.Moves()
				if len(x) != o.Turns || len(y) != o.Turns {
					t.Fatalf("%s vs %s: %d turns but %d and %d moves", s1.Name, s2.Name, o.Turns, len(x), len(y))
				}
				var sc [2]float64
				var co [2]int
				for k := range x {
					sc[0] += tab[state(x[k], y[k])]
					sc[1] += tab[state(y[k], x[k])]
					co[0] += int(1 - x[k])
					co[1] += int(1 - y[k])
				}
				if sc != o.Scores || co != o.Cooperations {
					t.Errorf("%s vs %s %+v: outcome %+v, moves give scores %v and cooperations %v", s1.Name, s2.Name, rules, o, sc, co)
				}
				if rules.Noise == 0 && !s1.Stochastic && !s2.Stochastic {
					b.Play(s2.New(), s1.New(), seed)
					bx, by := b.Moves()
					if !slices.Equal(bx, y) || !slices.Equal(by, x) {
						t.Errorf("%s vs %s is not the mirror of %s vs %s", s2.Name, s1.Name, s1.Name, s2.Name)
					}
				}
			}
		}
	}
}
