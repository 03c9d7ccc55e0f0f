package normal

import (
	"context"
	"math/big"
)

// PureEquilibria returns every Nash equilibrium in pure strategies of a game
// with any number of players, in the order of the profiles (player 1's
// strategy changing fastest). A profile is an equilibrium when no player
// gains by changing strategy alone; payoffs are compared exactly.
func PureEquilibria(ctx context.Context, g *Game) ([]Equilibrium, error) {
	shape := g.Shape()
	np := len(shape)
	// isEq[k] stays true while every player checked so far plays a best
	// response in profile k.
	isEq := make([]bool, len(g.Payoffs))
	for k := range isEq {
		isEq[k] = true
	}
	stride := 1
	for i := range np {
		s := shape[i]
		// the profiles that differ only in player i's strategy are
		// base + j*stride for j = 0..s-1, where base has player i at 0
		for base := range g.Payoffs {
			if (base/stride)%s != 0 {
				continue
			}
			if base%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			var max *big.Rat
			for j := range s {
				if v := g.Payoffs[base+j*stride][i]; max == nil || v.Cmp(max) > 0 {
					max = v
				}
			}
			for j := range s {
				if g.Payoffs[base+j*stride][i].Cmp(max) < 0 {
					isEq[base+j*stride] = false
				}
			}
		}
		stride *= s
	}
	var out []Equilibrium
	for k, ok := range isEq {
		if !ok {
			continue
		}
		prof := g.Profile(k)
		s := make([][]*big.Rat, np)
		for i, si := range prof {
			s[i] = make([]*big.Rat, shape[i])
			for j := range s[i] {
				s[i][j] = new(big.Rat)
			}
			s[i][si].SetInt64(1)
		}
		out = append(out, Equilibrium{Strategies: s, Payoffs: cloneRats(g.Payoffs[k])})
	}
	return out, nil
}
