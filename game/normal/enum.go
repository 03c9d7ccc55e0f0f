package normal

import (
	"context"
	"math/big"
)

// VertexEnumeration returns every extreme Nash equilibrium of a two-player
// game, exactly. Every Nash equilibrium of the game is a convex combination
// of extreme ones within a product of faces (a "maximal Nash subset"), and a
// nondegenerate game has only extreme equilibria, finitely many.
//
// The method is that of Mangasarian and of Avis, Rosenberg, Savani and von
// Stengel: after making the payoffs positive integers, it lists every vertex
// of the best-response polytopes P = {x ≥ 0 : Bᵀx ≤ 1} and Q = {y ≥ 0 :
// Ay ≤ 1}, and keeps the pairs other than (0, 0) that are completely
// labelled — each pure strategy either unused or a best response. Vertices
// are found by exact integer pivoting (see [polytopeVertices]), so
// degenerate games lose none.
//
// The result is sorted (player 1's probabilities, high first, then player
// 2's). ctx is checked now and then; on cancellation its error is returned.
func VertexEnumeration(ctx context.Context, g *Game) ([]Equilibrium, error) {
	a, b, err := g.matrices()
	if err != nil {
		return nil, err
	}
	m, n := len(a), len(a[0])
	ai, bi := positiveIntegers(a), positiveIntegers(b)
	// P: rows j = 0..n-1 of Bᵀ, structural variables x_0..x_{m-1}
	bt := make([][]*big.Int, n)
	for j := range n {
		bt[j] = make([]*big.Int, m)
		for i := range m {
			bt[j][i] = bi[i][j]
		}
	}
	pv, err := polytopeVertices(ctx, bt)
	if err != nil {
		return nil, err
	}
	qv, err := polytopeVertices(ctx, ai)
	if err != nil {
		return nil, err
	}
	// Labels 0..m-1 are player 1's strategies, m..m+n-1 player 2's. In P,
	// variable x_i carries label i and slack s_j label m+j; in Q, y_j
	// carries m+j and slack r_i carries i.
	full := newBitset(m + n)
	for l := range m + n {
		full.set(l)
	}
	plab := make([]bitset, 0, len(pv))
	pkeep := make([]vertex, 0, len(pv))
	for _, v := range pv {
		if isZero(v.num) {
			continue
		}
		l := newBitset(m + n)
		for x := range m + n {
			if v.zero.has(x) {
				l.set(x)
			}
		}
		plab = append(plab, l)
		pkeep = append(pkeep, v)
	}
	qlab := make([]bitset, 0, len(qv))
	qkeep := make([]vertex, 0, len(qv))
	for _, v := range qv {
		if isZero(v.num) {
			continue
		}
		l := newBitset(m + n)
		for j := range n {
			if v.zero.has(j) {
				l.set(m + j)
			}
		}
		for i := range m {
			if v.zero.has(n + i) {
				l.set(i)
			}
		}
		qlab = append(qlab, l)
		qkeep = append(qkeep, v)
	}
	var out []Equilibrium
	for i, lp := range plab {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for j, lq := range qlab {
			if !complete(lp, lq, full) {
				continue
			}
			s := [][]*big.Rat{normalize(pkeep[i].num), normalize(qkeep[j].num)}
			out = append(out, g.newEquilibrium(s))
		}
	}
	sortEquilibria(out)
	return out, nil
}

// complete reports whether a ∪ b = full.
func complete(a, b, full bitset) bool {
	for w := range full {
		if a[w]|b[w] != full[w] {
			return false
		}
	}
	return true
}

func isZero(v []*big.Int) bool {
	for _, x := range v {
		if x.Sign() != 0 {
			return false
		}
	}
	return true
}

// normalize scales a non-negative, non-zero vector to sum 1.
func normalize(v []*big.Int) []*big.Rat {
	sum := new(big.Int)
	for _, x := range v {
		sum.Add(sum, x)
	}
	out := make([]*big.Rat, len(v))
	for i, x := range v {
		out[i] = new(big.Rat).SetFrac(x, sum)
	}
	return out
}

// positiveIntegers maps a rational matrix to a positive integer one by a
// positive affine transformation — multiply by the common denominator,
// then shift so the smallest entry is 1 — which changes no player's best
// responses.
func positiveIntegers(a [][]*big.Rat) [][]*big.Int {
	lcm := big.NewInt(1)
	g := new(big.Int)
	for _, row := range a {
		for _, x := range row {
			d := x.Denom()
			g.GCD(nil, nil, lcm, d)
			lcm.Mul(lcm, new(big.Int).Quo(d, g))
		}
	}
	out := make([][]*big.Int, len(a))
	var min *big.Int
	for i, row := range a {
		out[i] = make([]*big.Int, len(row))
		for j, x := range row {
			v := new(big.Int).Mul(x.Num(), new(big.Int).Quo(lcm, x.Denom()))
			out[i][j] = v
			if min == nil || v.Cmp(min) < 0 {
				min = v
			}
		}
	}
	shift := new(big.Int).Sub(big.NewInt(1), min)
	for _, row := range out {
		for _, v := range row {
			v.Add(v, shift)
		}
	}
	return out
}
