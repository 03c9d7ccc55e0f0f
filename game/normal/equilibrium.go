package normal

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// Equilibrium is a profile of mixed strategies, one per player, with each
// player's expected payoff under it.
type Equilibrium struct {
	// Strategies[i][s] is the probability that player i plays strategy s.
	Strategies [][]*big.Rat
	// Payoffs[i] is player i's expected payoff.
	Payoffs []*big.Rat
	// Approximate is set when the probabilities are floating-point
	// approximations of an equilibrium whose exact probabilities are not
	// small fractions (possibly irrational): only [SupportEnumeration] of a
	// game with three or more players returns such profiles.
	Approximate bool
}

// String writes the profile as "1/2 1/2 ; 1/3 2/3", one player after the
// other, the form used by the test oracles.
func (e Equilibrium) String() string {
	parts := make([]string, len(e.Strategies))
	for i, s := range e.Strategies {
		f := make([]string, len(s))
		for j, x := range s {
			f[j] = x.RatString()
		}
		parts[i] = strings.Join(f, " ")
	}
	return strings.Join(parts, " ; ")
}

// StrategyPayoffs returns, for each pure strategy of player i, i's expected
// payoff from playing it while the others play their parts of the mixed
// profile s. Player i's own part of s is ignored.
func (g *Game) StrategyPayoffs(s [][]*big.Rat, i int) []*big.Rat {
	out := make([]*big.Rat, len(g.Players[i].Strategies))
	for j := range out {
		out[j] = new(big.Rat)
	}
	shape := g.Shape()
	prof := make([]int, len(shape))
	w, t := new(big.Rat), new(big.Rat)
	for k := range g.Payoffs {
		w.SetInt64(1)
		for p, sp := range prof {
			if p != i {
				w.Mul(w, s[p][sp])
				if w.Sign() == 0 {
					break
				}
			}
		}
		if w.Sign() != 0 {
			out[prof[i]].Add(out[prof[i]], t.Mul(w, g.Payoffs[k][i]))
		}
		// next profile, player 1's strategy fastest
		for p := range prof {
			prof[p]++
			if prof[p] < shape[p] {
				break
			}
			prof[p] = 0
		}
	}
	return out
}

// ExpectedPayoffs returns every player's expected payoff under the mixed
// profile s.
func (g *Game) ExpectedPayoffs(s [][]*big.Rat) []*big.Rat {
	out := make([]*big.Rat, len(g.Players))
	t := new(big.Rat)
	for i := range g.Players {
		out[i] = new(big.Rat)
		for j, v := range g.StrategyPayoffs(s, i) {
			out[i].Add(out[i], t.Mul(v, s[i][j]))
		}
	}
	return out
}

// CheckMixed reports whether s is a mixed profile of g: one probability
// vector per player, of the right length, non-negative and summing to 1.
func (g *Game) CheckMixed(s [][]*big.Rat) error {
	if len(s) != len(g.Players) {
		return fmt.Errorf("the profile has %d strategies for %d players", len(s), len(g.Players))
	}
	one := big.NewRat(1, 1)
	for i, p := range s {
		if len(p) != len(g.Players[i].Strategies) {
			return fmt.Errorf("player %d's mixed strategy has %d probabilities for %d strategies", i+1, len(p), len(g.Players[i].Strategies))
		}
		sum := new(big.Rat)
		for j, x := range p {
			if x == nil || x.Sign() < 0 {
				return fmt.Errorf("player %d's probability of strategy %d is missing or negative", i+1, j+1)
			}
			sum.Add(sum, x)
		}
		if sum.Cmp(one) != 0 {
			return fmt.Errorf("player %d's probabilities sum to %s, not 1", i+1, sum.RatString())
		}
	}
	return nil
}

// CheckNash reports, exactly, whether s is a Nash equilibrium of g: it
// returns nil when every strategy that a player plays with positive
// probability is a best response to the others, and otherwise an error that
// names a player, a better strategy and the gain.
func (g *Game) CheckNash(s [][]*big.Rat) error {
	if err := g.CheckMixed(s); err != nil {
		return err
	}
	for i := range g.Players {
		v := g.StrategyPayoffs(s, i)
		best := 0
		for j := range v {
			if v[j].Cmp(v[best]) > 0 {
				best = j
			}
		}
		for j, x := range s[i] {
			if x.Sign() > 0 && v[j].Cmp(v[best]) < 0 {
				gain := new(big.Rat).Sub(v[best], v[j])
				return fmt.Errorf("player %d plays strategy %q, but %q earns %s more", i+1,
					g.Players[i].Strategies[j], g.Players[i].Strategies[best], gain.RatString())
			}
		}
	}
	return nil
}

// sortEquilibria orders equilibria canonically: by player 1's probabilities
// of strategies 1, 2, ... from high to low, then player 2's, and so on.
func sortEquilibria(es []Equilibrium) {
	slices.SortStableFunc(es, func(a, b Equilibrium) int {
		for i := range a.Strategies {
			for j := range a.Strategies[i] {
				if c := b.Strategies[i][j].Cmp(a.Strategies[i][j]); c != 0 {
					return c
				}
			}
		}
		return 0
	})
}

// newEquilibrium completes a profile with its payoffs.
func (g *Game) newEquilibrium(s [][]*big.Rat) Equilibrium {
	return Equilibrium{Strategies: s, Payoffs: g.ExpectedPayoffs(s)}
}
