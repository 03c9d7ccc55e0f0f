package normal

import (
	"context"
	"errors"
	"fmt"
	"math/big"
)

// LemkeHowson follows the Lemke–Howson path of a two-player game that starts
// at the artificial equilibrium (0, 0) by dropping label k, and returns the
// equilibrium at its end, exactly. Labels 0..m-1 are player 1's strategies
// and m..m+n-1 player 2's, for an m×n game.
//
// The path alternates pivots in the tableaus of the best-response polytopes
// P = {x ≥ 0 : Bᵀx ≤ 1} and Q = {y ≥ 0 : Ay ≤ 1}: the variable with the
// missing label enters one tableau, the variable that leaves it carries the
// duplicate label, which then enters the other. Integer pivoting keeps the
// arithmetic exact and the lexicographic ratio test keeps degenerate games
// from cycling.
func LemkeHowson(g *Game, k int) (Equilibrium, error) {
	a, b, err := g.matrices()
	if err != nil {
		return Equilibrium{}, err
	}
	m, n := len(a), len(a[0])
	if k < 0 || k >= m+n {
		return Equilibrium{}, fmt.Errorf("label %d is out of range; the game has labels 0 to %d", k, m+n-1)
	}
	ai, bi := positiveIntegers(a), positiveIntegers(b)
	bt := make([][]*big.Int, n)
	for j := range n {
		bt[j] = make([]*big.Int, m)
		for i := range m {
			bt[j][i] = bi[i][j]
		}
	}
	ones := func(r int) []*big.Int {
		v := make([]*big.Int, r)
		for i := range v {
			v[i] = big.NewInt(1)
		}
		return v
	}
	tp := newTableau(bt, ones(n)) // x_i: variable i, label i; s_j: variable m+j, label m+j
	tq := newTableau(ai, ones(m)) // y_j: variable j, label m+j; r_i: variable n+i, label i
	varQ := func(l int) int {
		if l >= m {
			return l - m
		}
		return n + l
	}
	labelQ := func(v int) int {
		if v < n {
			return m + v
		}
		return v - n
	}
	inP, enter := k < m, k
	// A path visits each almost complementary basis pair at most once.
	for steps := 0; ; steps++ {
		if steps > 1<<24 {
			return Equilibrium{}, errors.New("Lemke–Howson: the path is too long")
		}
		var left int
		if inP {
			r := tp.leaving(enter)
			if r < 0 {
				return Equilibrium{}, errors.New("Lemke–Howson: unbounded ray (internal error)")
			}
			left = tp.basis[r]
			tp.pivot(r, enter)
		} else {
			c := varQ(enter)
			r := tq.leaving(c)
			if r < 0 {
				return Equilibrium{}, errors.New("Lemke–Howson: unbounded ray (internal error)")
			}
			left = labelQ(tq.basis[r])
			tq.pivot(r, c)
		}
		if left == k {
			break
		}
		enter, inP = left, !inP
	}
	x := make([]*big.Int, m)
	for i := range m {
		x[i] = tp.value(i)
	}
	y := make([]*big.Int, n)
	for j := range n {
		y[j] = tq.value(j)
	}
	return g.newEquilibrium([][]*big.Rat{normalize(x), normalize(y)}), nil
}

// LHEquilibrium is an equilibrium found by Lemke–Howson with the labels
// whose paths end there.
type LHEquilibrium struct {
	Equilibrium
	// Labels lists the starting labels, in increasing order: 0..m-1 are
	// player 1's strategies, m..m+n-1 player 2's.
	Labels []int
}

// LemkeHowsonAll runs [LemkeHowson] from every label and returns the
// distinct equilibria found, in the order of the first label that reaches
// each.
func LemkeHowsonAll(ctx context.Context, g *Game) ([]LHEquilibrium, error) {
	if len(g.Players) != 2 {
		return nil, fmt.Errorf("%w: the game has %d players", ErrNotTwoPlayer, len(g.Players))
	}
	total := len(g.Players[0].Strategies) + len(g.Players[1].Strategies)
	var out []LHEquilibrium
	index := map[string]int{}
	for k := range total {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		e, err := LemkeHowson(g, k)
		if err != nil {
			return nil, err
		}
		key := e.String()
		if i, ok := index[key]; ok {
			out[i].Labels = append(out[i].Labels, k)
			continue
		}
		index[key] = len(out)
		out = append(out, LHEquilibrium{Equilibrium: e, Labels: []int{k}})
	}
	return out, nil
}
