package normal

import (
	"context"
	"fmt"
	"math/big"
)

// Dominance says which strict dominations [EliminateDominated] looks for.
type Dominance int

const (
	// ByPure removes a strategy when another pure strategy earns strictly
	// more against every profile of the others' remaining strategies.
	ByPure Dominance = iota
	// ByMixed also removes a strategy when a mixture of the player's other
	// remaining strategies earns strictly more against every such profile;
	// each case is decided by an exact linear program.
	ByMixed
)

func (d Dominance) String() string {
	if d == ByMixed {
		return "mixed"
	}
	return "pure"
}

// Elimination records one strategy removed as strictly dominated.
type Elimination struct {
	// Round counts the rounds of elimination from 1; all strategies found
	// dominated in one round are removed together.
	Round int
	// Player and Strategy name the removed strategy, both as indices into
	// the original game.
	Player, Strategy int
	// By is a strategy of the same player, mixed over the original game's
	// strategies, that strictly dominates it in the game of that round; it
	// is a pure strategy whenever one dominates.
	By []*big.Rat
}

// Reduction is the result of iterated elimination of strictly dominated
// strategies.
type Reduction struct {
	// Game is what remains: each player keeps at least one strategy.
	Game *Game
	// Kept[i][j] is the index in the original game of strategy j of player i
	// in Game.
	Kept [][]int
	// Steps lists the strategies removed, round by round.
	Steps []Elimination
}

// Expand maps an equilibrium of the reduced game to the original game, where
// the removed strategies get probability 0. Removing strictly dominated
// strategies keeps the set of Nash equilibria, so the result is an
// equilibrium of the original game.
func (r *Reduction) Expand(e Equilibrium, original *Game) Equilibrium {
	s := make([][]*big.Rat, len(original.Players))
	for i, p := range original.Players {
		s[i] = make([]*big.Rat, len(p.Strategies))
		for j := range s[i] {
			s[i][j] = new(big.Rat)
		}
		for j, k := range r.Kept[i] {
			s[i][k].Set(e.Strategies[i][j])
		}
	}
	return Equilibrium{Strategies: s, Payoffs: cloneRats(e.Payoffs)}
}

// EliminateDominated removes strictly dominated strategies round after round
// until none is left. Strict dominance gives the same result in whatever
// order strategies are removed; here every dominated strategy of every
// player found in a round is removed at the end of that round.
func EliminateDominated(ctx context.Context, g *Game, d Dominance) (*Reduction, error) {
	kept := make([][]int, len(g.Players))
	for i, p := range g.Players {
		kept[i] = make([]int, len(p.Strategies))
		for j := range kept[i] {
			kept[i][j] = j
		}
	}
	red := &Reduction{Game: g.Clone(), Kept: kept}
	for round := 1; ; round++ {
		cur := red.Game
		var steps []Elimination
		drop := make([][]bool, len(cur.Players))
		for i, p := range cur.Players {
			drop[i] = make([]bool, len(p.Strategies))
			u := playerTable(cur, i)
			for s := range p.Strategies {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				by := dominatedByPure(u, s)
				if by == nil && d == ByMixed {
					by = dominatedByMixed(u, s)
				}
				if by == nil {
					continue
				}
				drop[i][s] = true
				full := make([]*big.Rat, len(g.Players[i].Strategies))
				for k := range full {
					full[k] = new(big.Rat)
				}
				for j, x := range by {
					full[red.Kept[i][j]].Set(x)
				}
				steps = append(steps, Elimination{Round: round, Player: i, Strategy: red.Kept[i][s], By: full})
			}
		}
		if len(steps) == 0 {
			return red, nil
		}
		red.Steps = append(red.Steps, steps...)
		keep := make([][]int, len(cur.Players))
		for i := range cur.Players {
			var nk []int
			for s, dropped := range drop[i] {
				if !dropped {
					keep[i] = append(keep[i], s)
					nk = append(nk, red.Kept[i][s])
				}
			}
			red.Kept[i] = nk
		}
		sub, err := cur.Restrict(keep)
		if err != nil {
			return nil, err
		}
		red.Game = sub
	}
}

// Restrict returns the game in which player i may play only the strategies
// keep[i] (indices into g, in the order given). The result lists payoffs,
// not outcomes.
func (g *Game) Restrict(keep [][]int) (*Game, error) {
	if len(keep) != len(g.Players) {
		return nil, fmt.Errorf("restrict: %d strategy lists for %d players", len(keep), len(g.Players))
	}
	players := make([]Player, len(g.Players))
	for i, p := range g.Players {
		if len(keep[i]) == 0 {
			return nil, fmt.Errorf("restrict: player %d keeps no strategy", i+1)
		}
		players[i] = Player{Name: p.Name}
		for _, s := range keep[i] {
			if s < 0 || s >= len(p.Strategies) {
				return nil, fmt.Errorf("restrict: player %d has no strategy %d", i+1, s)
			}
			players[i].Strategies = append(players[i].Strategies, p.Strategies[s])
		}
	}
	sub, err := New(g.Title, players)
	if err != nil {
		return nil, err
	}
	sub.Comment = g.Comment
	prof := make([]int, len(players))
	for k := range sub.Payoffs {
		q := sub.Profile(k)
		for i, s := range q {
			prof[i] = keep[i][s]
		}
		for i, x := range g.Payoffs[g.Index(prof)] {
			sub.Payoffs[k][i].Set(x)
		}
	}
	return sub, nil
}

// playerTable returns u[s][o]: player i's payoff from strategy s against the
// o-th profile of the other players' strategies.
func playerTable(g *Game, i int) [][]*big.Rat {
	ns := len(g.Players[i].Strategies)
	no := len(g.Payoffs) / ns
	u := make([][]*big.Rat, ns)
	for s := range u {
		u[s] = make([]*big.Rat, 0, no)
	}
	for k, v := range g.Payoffs {
		s := g.Profile(k)[i]
		u[s] = append(u[s], v[i])
	}
	return u
}

// dominatedByPure returns a pure strategy (as a probability vector) that
// strictly dominates s in the table u, or nil.
func dominatedByPure(u [][]*big.Rat, s int) []*big.Rat {
next:
	for t := range u {
		if t == s {
			continue
		}
		for o := range u[s] {
			if u[t][o].Cmp(u[s][o]) <= 0 {
				continue next
			}
		}
		by := make([]*big.Rat, len(u))
		for k := range by {
			by[k] = new(big.Rat)
		}
		by[t].SetInt64(1)
		return by
	}
	return nil
}

// dominatedByMixed returns a mixture of the strategies other than s that
// strictly dominates s in the table u, or nil if there is none.
//
// With every payoff made a positive integer (a positive affine change that
// keeps dominance), s is strictly dominated exactly when the linear program
// min Σ p_t subject to Σ_t p_t u[t][o] ≥ u[s][o] for every o, p ≥ 0, has
// value below 1: then p / Σp dominates s. The program is solved through its
// dual, max Σ_o u[s][o] q_o subject to Σ_o u[t][o] q_o ≤ 1 for every t,
// q ≥ 0, whose origin is feasible, by the simplex method with integer
// pivoting and the lexicographic rule; p is read off the dual prices.
func dominatedByMixed(u [][]*big.Rat, s int) []*big.Rat {
	if len(u) < 2 {
		return nil
	}
	ui := positiveIntegers(u)
	others := make([]int, 0, len(u)-1)
	for t := range u {
		if t != s {
			others = append(others, t)
		}
	}
	no := len(u[s])
	m := make([][]*big.Int, len(others))
	for r, t := range others {
		m[r] = ui[t]
	}
	ones := make([]*big.Int, len(others))
	for r := range ones {
		ones[r] = big.NewInt(1)
	}
	tab := newTableau(m, ones)
	cost := func(v int) *big.Int {
		if v < no {
			return ui[s][v]
		}
		return nil
	}
	rc, t := new(big.Int), new(big.Int)
	for {
		enter := -1
		for j := range tab.cols - 1 {
			if tab.rowOf[j] >= 0 {
				continue
			}
			// det times the reduced cost of j
			rc.SetInt64(0)
			if c := cost(j); c != nil {
				rc.Mul(c, &tab.det)
			}
			for r, v := range tab.basis {
				if c := cost(v); c != nil {
					rc.Sub(rc, t.Mul(c, tab.at(r, j)))
				}
			}
			if rc.Sign() > 0 {
				enter = j
				break
			}
		}
		if enter < 0 {
			break
		}
		r := tab.leaving(enter)
		if r < 0 {
			return nil // cannot happen: the feasible set is bounded
		}
		tab.pivot(r, enter)
	}
	obj := new(big.Int)
	for r, v := range tab.basis {
		if c := cost(v); c != nil {
			obj.Add(obj, t.Mul(c, tab.rhs(r)))
		}
	}
	if obj.Cmp(&tab.det) >= 0 {
		return nil
	}
	p := make([]*big.Int, len(others))
	for k := range others {
		p[k] = new(big.Int)
		for r, v := range tab.basis {
			if c := cost(v); c != nil {
				p[k].Add(p[k], t.Mul(c, tab.at(r, no+k)))
			}
		}
	}
	sigma := normalize(p)
	by := make([]*big.Rat, len(u))
	for k := range by {
		by[k] = new(big.Rat)
	}
	for k, t := range others {
		by[t] = sigma[k]
	}
	return by
}
