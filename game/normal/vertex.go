package normal

import (
	"context"
	"math/big"
)

// vertex is a vertex of a polytope {z ≥ 0 : Mz ≤ 1}: the numerators of its
// structural coordinates over a common positive denominator, and the set
// of variables (structural and slack) that are zero there.
type vertex struct {
	num  []*big.Int
	zero bitset
}

// polytopeVertices returns every vertex of {z ≥ 0 : Mz ≤ 1} for a matrix m
// with positive entries (so the polytope is bounded and full-dimensional).
//
// It walks the graph of lexicographically feasible bases depth first from
// the basis of the slacks: the lexicographic rule perturbs the right-hand
// side symbolically, which makes the polytope simple, so every vertex —
// degenerate ones included — is reached and each basis is visited once.
// Pivots are undone on the way back, so only the visited set grows.
func polytopeVertices(ctx context.Context, m [][]*big.Int) ([]vertex, error) {
	k, d := len(m), len(m[0])
	ones := make([]*big.Int, k)
	for i := range ones {
		ones[i] = big.NewInt(1)
	}
	t := newTableau(m, ones)
	nv := d + k
	seenBasis := map[string]bool{}
	seenVertex := map[string]bool{}
	var out []vertex
	cur := newBitset(nv)
	for _, v := range t.basis {
		cur.set(v)
	}
	seenBasis[cur.key()] = true
	steps := 0

	record := func() {
		z := newBitset(nv)
		for v := range nv {
			if t.value(v).Sign() == 0 {
				z.set(v)
			}
		}
		key := z.key()
		if seenVertex[key] {
			return
		}
		seenVertex[key] = true
		num := make([]*big.Int, d)
		for j := range d {
			num[j] = new(big.Int).Set(t.value(j))
		}
		out = append(out, vertex{num: num, zero: z})
	}

	var visit func() error
	visit = func() error {
		record()
		for c := range nv {
			if t.rowOf[c] >= 0 {
				continue
			}
			r := t.leaving(c)
			if r < 0 {
				continue
			}
			old := t.basis[r]
			cur.clear(old)
			cur.set(c)
			key := cur.key()
			if !seenBasis[key] {
				seenBasis[key] = true
				if steps++; steps%256 == 0 {
					if err := ctx.Err(); err != nil {
						return err
					}
				}
				t.pivot(r, c)
				if err := visit(); err != nil {
					return err
				}
				t.pivot(r, old)
			}
			cur.clear(c)
			cur.set(old)
		}
		return nil
	}
	if err := visit(); err != nil {
		return nil, err
	}
	return out, nil
}

// bitset is a set of small non-negative integers.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int)      { b[i/64] |= 1 << (i % 64) }
func (b bitset) clear(i int)    { b[i/64] &^= 1 << (i % 64) }
func (b bitset) has(i int) bool { return b[i/64]&(1<<(i%64)) != 0 }
func (b bitset) key() string {
	s := make([]byte, 8*len(b))
	for i, w := range b {
		for j := range 8 {
			s[8*i+j] = byte(w >> (8 * j))
		}
	}
	return string(s)
}
