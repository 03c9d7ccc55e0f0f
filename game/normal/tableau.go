package normal

import (
	"math/big"
)

// tableau is a simplex tableau kept in integers ("integer pivoting"): it holds
// det·B⁻¹·[A | b] for the current basis B, where det is the determinant of B
// up to sign, so every entry stays an integer and no fraction is ever
// reduced. Each pivot divides exactly by the previous determinant.
//
// Columns 0..nvars-1 belong to the variables, column nvars to the right-hand
// side. The slack variables of the initial basis sit in the columns listed in
// lex; their columns hold det·B⁻¹, which the lexicographic ratio test uses to
// break ties, so degenerate problems neither cycle nor lose vertices.
type tableau struct {
	rows, cols int // cols = nvars + 1
	a          []big.Int
	det        big.Int
	basis      []int // basis[r] is the variable basic in row r
	rowOf      []int // rowOf[v] is the row where v is basic, or -1
	lex        []int // tie-breaking columns, the initial basis in order
	t1, t2     big.Int
}

// newTableau makes the tableau of {x ≥ 0 : Mx + s = rhs, s ≥ 0} with the
// slacks s basic: m has one row per constraint and one column per structural
// variable; the slack of row r is variable len(m[0])+r.
func newTableau(m [][]*big.Int, rhs []*big.Int) *tableau {
	rows, d := len(m), len(m[0])
	nv := d + rows
	t := &tableau{rows: rows, cols: nv + 1, a: make([]big.Int, rows*(nv+1)),
		basis: make([]int, rows), rowOf: make([]int, nv), lex: make([]int, rows)}
	t.det.SetInt64(1)
	for v := range t.rowOf {
		t.rowOf[v] = -1
	}
	for r := range rows {
		for j := range d {
			t.at(r, j).Set(m[r][j])
		}
		t.at(r, d+r).SetInt64(1)
		t.at(r, nv).Set(rhs[r])
		t.basis[r] = d + r
		t.rowOf[d+r] = r
		t.lex[r] = d + r
	}
	return t
}

func (t *tableau) at(r, c int) *big.Int { return &t.a[r*t.cols+c] }

// rhs returns the entry of row r in the right-hand side column: det times the
// value of the variable basic in row r.
func (t *tableau) rhs(r int) *big.Int { return t.at(r, t.cols-1) }

// pivot makes variable c basic in row r. The pivot entry must be positive.
func (t *tableau) pivot(r, c int) {
	p := new(big.Int).Set(t.at(r, c))
	rowR := t.a[r*t.cols : (r+1)*t.cols]
	for i := range t.rows {
		if i == r {
			continue
		}
		row := t.a[i*t.cols : (i+1)*t.cols]
		f := new(big.Int).Set(&row[c])
		if f.Sign() == 0 {
			for j := range row {
				if row[j].Sign() != 0 {
					row[j].Mul(&row[j], p)
					row[j].Quo(&row[j], &t.det)
				}
			}
			continue
		}
		for j := range row {
			t.t1.Mul(&row[j], p)
			if rowR[j].Sign() != 0 {
				t.t2.Mul(f, &rowR[j])
				t.t1.Sub(&t.t1, &t.t2)
			}
			row[j].Quo(&t.t1, &t.det)
		}
	}
	t.det.Set(p)
	old := t.basis[r]
	t.rowOf[old] = -1
	t.basis[r] = c
	t.rowOf[c] = r
}

// leaving returns the row that leaves the basis when variable c enters, by
// the lexicographic minimum ratio test, or -1 if c can increase without
// bound.
func (t *tableau) leaving(c int) int {
	best := -1
	for r := range t.rows {
		if t.at(r, c).Sign() <= 0 {
			continue
		}
		if best < 0 || t.lexLess(r, best, c) {
			best = r
		}
	}
	return best
}

// lexLess reports whether row r's ratio vector (right-hand side, then the
// lex columns) divided by its entry in column c is lexicographically smaller
// than row s's. Both entries in column c are positive.
func (t *tableau) lexLess(r, s, c int) bool {
	cr, cs := t.at(r, c), t.at(s, c)
	if k := t.cmpRatio(r, s, t.cols-1, cr, cs); k != 0 {
		return k < 0
	}
	for _, col := range t.lex {
		if k := t.cmpRatio(r, s, col, cr, cs); k != 0 {
			return k < 0
		}
	}
	return false
}

// cmpRatio compares a[r][col]/cr with a[s][col]/cs for positive cr, cs.
func (t *tableau) cmpRatio(r, s, col int, cr, cs *big.Int) int {
	x, y := t.at(r, col), t.at(s, col)
	if x.Sign() == 0 && y.Sign() == 0 {
		return 0
	}
	t.t1.Mul(x, cs)
	t.t2.Mul(y, cr)
	return t.t1.Cmp(&t.t2)
}

// value returns det times the value of variable v (0 when nonbasic).
func (t *tableau) value(v int) *big.Int {
	if r := t.rowOf[v]; r >= 0 {
		return t.rhs(r)
	}
	return new(big.Int)
}
