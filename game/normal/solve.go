package normal

import (
	"context"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Method names an algorithm of Solve.
type Method string

// The methods of Solve.
const (
	// MethodEnum finds every extreme equilibrium: vertex enumeration for two
	// players, support enumeration (numerical) for more, pure profiles for one.
	MethodEnum Method = "enum"
	// MethodLH runs Lemke–Howson from each starting label (two players only).
	MethodLH Method = "lh"
	// MethodPure finds every pure-strategy equilibrium.
	MethodPure Method = "pure"
)

// Methods lists the methods of Solve.
var Methods = []Method{MethodEnum, MethodLH, MethodPure}

// Elimination choices of Solve.
const (
	EliminateNone  = "none"  // solve the game as it is
	EliminatePure  = "pure"  // first remove strategies strictly dominated by a pure strategy
	EliminateMixed = "mixed" // first remove strategies strictly dominated by a pure or mixed strategy
)

// SolveOptions says how Solve works.
type SolveOptions struct {
	Method Method
	// Eliminate is EliminateNone (or empty), EliminatePure or EliminateMixed.
	Eliminate string
}

// Solution is what Solve found, in the strategies of the game it was given
// (a strategy removed as dominated has probability 0).
type Solution struct {
	// Algorithm says in words what was run.
	Algorithm string
	// Exact: every equilibrium is exact (support enumeration for three or
	// more players may give approximate ones).
	Exact bool
	// Complete: the method finds every (extreme) equilibrium, and did.
	Complete bool
	// Eliminated lists the strategies removed before solving, round by round.
	Eliminated []Elimination
	Equilibria []Equilibrium
	// Labels gives, for MethodLH, the starting labels that led to each
	// equilibrium, numbered 0..m−1 for the first player's strategies and
	// m..m+n−1 for the second's.
	Labels [][]int
	// Unresolved lists the supports (per player, strategy indices) that
	// support enumeration could not settle; Supports is how many it tried.
	Unresolved [][][]int
	Supports   int
}

// Solve runs a method on g, after removing strictly dominated strategies if
// asked, and maps what it finds back to g's strategies. MethodLH on a game
// that does not have two players gives ErrNotTwoPlayer; support enumeration
// of a game too large for it gives ErrTooManySupports.
func Solve(ctx context.Context, g *Game, opt SolveOptions) (*Solution, error) {
	np := len(g.Players)
	if opt.Method == MethodLH && np != 2 {
		return nil, fmt.Errorf("%w: Lemke–Howson needs two players, and this game has %d", ErrNotTwoPlayer, np)
	}
	sol := &Solution{Exact: true, Complete: true}
	work := g
	var red *Reduction
	switch opt.Eliminate {
	case "", EliminateNone:
	case EliminatePure, EliminateMixed:
		d := ByPure
		if opt.Eliminate == EliminateMixed {
			d = ByMixed
		}
		var err error
		if red, err = EliminateDominated(ctx, g, d); err != nil {
			return nil, err
		}
		work, sol.Eliminated = red.Game, red.Steps
	default:
		return nil, fmt.Errorf("unknown elimination %q; expected %s, %s or %s", opt.Eliminate, EliminateNone, EliminatePure, EliminateMixed)
	}
	var eqs []Equilibrium
	var err error
	switch {
	case opt.Method == MethodPure || np == 1:
		sol.Algorithm = "every pure-strategy equilibrium"
		eqs, err = PureEquilibria(ctx, work)
	case opt.Method == MethodLH:
		total := len(work.Players[0].Strategies) + len(work.Players[1].Strategies)
		sol.Algorithm = fmt.Sprintf("Lemke–Howson from each of the %d starting labels (one equilibrium per path, not necessarily all)", total)
		sol.Complete = false
		var lh []LHEquilibrium
		lh, err = LemkeHowsonAll(ctx, work)
		for _, e := range lh {
			eqs = append(eqs, e.Equilibrium)
			sol.Labels = append(sol.Labels, e.Labels)
		}
	case opt.Method != MethodEnum:
		return nil, fmt.Errorf("unknown method %q; expected %s, %s or %s", opt.Method, MethodEnum, MethodLH, MethodPure)
	case np == 2:
		sol.Algorithm = "vertex enumeration of the best-response polytopes (every extreme equilibrium)"
		eqs, err = VertexEnumeration(ctx, work)
	default:
		sol.Algorithm = "support enumeration with a numerical solver"
		var sr *SupportResult
		sr, err = SupportEnumeration(ctx, work)
		if sr != nil {
			eqs, sol.Unresolved, sol.Supports = sr.Equilibria, sr.Unresolved, sr.Supports
			sol.Complete = len(sr.Unresolved) == 0
		}
	}
	if err != nil {
		return nil, err
	}
	for _, e := range eqs {
		if red != nil {
			e = red.Expand(e, g)
		}
		if e.Approximate {
			sol.Exact = false
		}
		sol.Equilibria = append(sol.Equilibria, e)
	}
	if red != nil {
		// supports and labels number the reduced game's strategies
		for _, sup := range sol.Unresolved {
			for i := range sup {
				for k, s := range sup[i] {
					sup[i][k] = red.Kept[i][s]
				}
			}
		}
		m, m0 := 0, 0
		if np == 2 {
			m, m0 = len(red.Kept[0]), len(g.Players[0].Strategies)
		}
		for _, ls := range sol.Labels {
			for k, l := range ls {
				if l < m {
					ls[k] = red.Kept[0][l]
				} else {
					ls[k] = m0 + red.Kept[1][l-m]
				}
			}
		}
	}
	return sol, nil
}

// StrategyName names strategy s of player i for people: its name, quoted
// when it could be mistaken for a number or has blanks, commas, plus signs
// or quotes, or "#n" (its number from 1) when it has no name.
func (g *Game) StrategyName(i, s int) string {
	n := g.Players[i].Strategies[s]
	switch {
	case n == "":
		return "#" + strconv.Itoa(s+1)
	case strings.ContainsAny(n, " \t\n+,\"") || strings.ContainsAny(n[:1], "0123456789+-./"):
		return strconv.Quote(n)
	}
	return n
}

// RatText writes an exact probability or payoff as a fraction, or an
// approximate one as a decimal of ten significant digits marked "≈".
func RatText(x *big.Rat, approx bool) string {
	if approx {
		f, _ := x.Float64()
		return "≈" + strconv.FormatFloat(f, 'g', 10, 64)
	}
	return x.RatString()
}

// MixText writes player i's mixed strategy p as "1/3 A + 2/3 B", or as the
// strategy's name alone when it is pure and exact.
func (g *Game) MixText(i int, p []*big.Rat, approx bool) string {
	var parts []string
	for s, x := range p {
		if x.Sign() == 0 {
			continue
		}
		if x.Cmp(big.NewRat(1, 1)) == 0 && !approx {
			return g.StrategyName(i, s)
		}
		parts = append(parts, RatText(x, approx)+" "+g.StrategyName(i, s))
	}
	return strings.Join(parts, " + ")
}
