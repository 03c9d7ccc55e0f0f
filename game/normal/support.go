package normal

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
)

// SupportResult is what [SupportEnumeration] found.
type SupportResult struct {
	// Equilibria are the equilibria found, sorted. Those whose
	// probabilities are rational with small denominators are exact (checked
	// with [Game.CheckNash]); the others are marked Approximate.
	Equilibria []Equilibrium
	// Supports is the number of support profiles examined.
	Supports int
	// Unresolved lists the support profiles (the strategies each player
	// uses) whose equations the method could not settle, typically because
	// their solutions form a continuum; equilibria with those supports may
	// be missing.
	Unresolved [][][]int
}

// Limits of SupportEnumeration.
const (
	// MaxSupports bounds the number of support profiles of a game.
	MaxSupports = 1 << 20
	// maxSupportVars bounds the number of unknowns of one support's system.
	maxSupportVars = 12
	// maxBoxes bounds the boxes examined for one support profile.
	maxBoxes = 1 << 14
)

// ErrTooManySupports is returned by SupportEnumeration for games too large
// for it.
var ErrTooManySupports = errors.New("too many support profiles for support enumeration")

// SupportEnumeration looks for the Nash equilibria of a game with any number
// of players by enumerating support profiles — a set of strategies for each
// player — and solving, for each, the equations that make every strategy in
// a player's support earn the same against the others' mixtures.
//
// For two players those equations are linear; for more they are polynomial,
// of degree one in each player's probabilities. They are solved numerically
// by subdivision: the probability simplices are cut into boxes; a box is
// discarded when some equation cannot vanish on it, or some strategy outside
// the supports beats the supports all over it (the range of such a function
// over a box is spanned by its values at the box's corners, so the test is
// exact up to rounding); the Krawczyk test discards small boxes without a
// root and certifies those with exactly one, which Newton's method then
// finds; boxes too small to split further are handed to Newton's method
// uncertified. A solution is kept if its probabilities are non-negative and
// no strategy earns more than the supports' strategies; it is then rounded
// to nearby fractions and, if those pass the exact best-response test
// ([Game.CheckNash]), reported exactly, and otherwise as an approximation
// with Approximate set (equilibria of games with three or more players are
// often irrational).
//
// The method finds the isolated equilibria, up to floating-point precision,
// but proves nothing: a support profile whose solutions are not isolated
// (a continuum, as in degenerate games), or that needs more than a fixed
// budget of boxes, is listed in Unresolved, and equilibria with that support
// may be missing. The number of support profiles is the product over the
// players of 2^(number of strategies) − 1, so the method suits small games:
// a 3×3×3 or 2×2×2×2×2 game takes milliseconds, a 4×4×4 game about ten
// seconds. For two players, [VertexEnumeration] is exact and complete.
func SupportEnumeration(ctx context.Context, g *Game) (*SupportResult, error) {
	shape := g.Shape()
	total := 1
	for _, s := range shape {
		if s > 20 {
			return nil, fmt.Errorf("%w: a player has %d strategies", ErrTooManySupports, s)
		}
		total *= (1 << s) - 1
		if total > MaxSupports {
			return nil, fmt.Errorf("%w: more than %d", ErrTooManySupports, MaxSupports)
		}
	}
	scale := new(big.Rat)
	for _, v := range g.Payoffs {
		for _, x := range v {
			if a := new(big.Rat).Abs(x); a.Cmp(scale) > 0 {
				scale = a
			}
		}
	}
	if scale.Sign() == 0 {
		scale.SetInt64(1)
	}
	pay := make([][]float64, len(g.Payoffs))
	for k, v := range g.Payoffs {
		pay[k] = make([]float64, len(v))
		for i, x := range v {
			pay[k][i], _ = new(big.Rat).Quo(x, scale).Float64()
		}
	}
	res := &SupportResult{}
	seen := map[string]bool{}
	masks := make([]int, len(shape))
	for i := range masks {
		masks[i] = 1
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res.Supports++
		sup := make([][]int, len(shape))
		for i, m := range masks {
			for s := range shape[i] {
				if m&(1<<s) != 0 {
					sup[i] = append(sup[i], s)
				}
			}
		}
		sys := newSupportSystem(ctx, g, pay, sup)
		sols, ok := sys.solve()
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !ok {
			res.Unresolved = append(res.Unresolved, sup)
		}
		for _, z := range sols {
			sigma := sys.sigma(z, shape)
			e := g.settle(sigma)
			key := e.String()
			if e.Approximate {
				key = approxKey(sigma)
			}
			if !seen[key] {
				seen[key] = true
				res.Equilibria = append(res.Equilibria, e)
			}
		}
		// next support profile
		i := 0
		for ; i < len(masks); i++ {
			masks[i]++
			if masks[i] < 1<<shape[i] {
				break
			}
			masks[i] = 1
		}
		if i == len(masks) {
			break
		}
	}
	sortEquilibria(res.Equilibria)
	return res, nil
}

// supportSystem is the system of indifference equations of one support
// profile, with the inequalities an equilibrium must also meet.
//
// Its unknowns z are, for each player j, the probabilities of the
// strategies of j's support but the first, which gets the rest. The
// functions are, for each player i and strategy t other than the first
// strategy s0 of i's support, i's gain from t over s0 against the others'
// mixtures: it must be 0 for t in the support (an equation) and at most 0
// outside (an inequality). Each is a sum over the others' support profiles
// of a payoff difference times one probability per other player.
type supportSystem struct {
	ctx   context.Context
	np    int
	sup   [][]int
	off   []int     // off[j]: where player j's support starts in the flat vector
	vars  [][]int   // vars[j]: the unknowns of player j, in order
	funcs []sfunc   // the equations first, then the inequalities
	neq   int       // number of equations (= number of unknowns)
	nz    int       // number of unknowns
	sv    []float64 // scratch: the flat vector of support probabilities
}

// sfunc is one gain function: Σ coef[k] · Π_j sv[pos[k·w+j]].
type sfunc struct {
	player int
	coef   []float64
	pos    []int // w = np-1 positions per term
}

// newSupportSystem builds the system of the support profile sup.
func newSupportSystem(ctx context.Context, g *Game, pay [][]float64, sup [][]int) *supportSystem {
	np := len(sup)
	s := &supportSystem{ctx: ctx, np: np, sup: sup, off: make([]int, np), vars: make([][]int, np)}
	n := 0
	for j, sp := range sup {
		s.off[j] = n
		n += len(sp)
		for range sp[1:] {
			s.vars[j] = append(s.vars[j], s.nz)
			s.nz++
		}
	}
	s.sv = make([]float64, n)
	var eqs, ineqs []sfunc
	for i, sp := range sup {
		for t := range len(g.Players[i].Strategies) {
			if t == sp[0] {
				continue
			}
			f := s.gain(g, pay, i, t)
			if slices.Contains(sp, t) {
				eqs = append(eqs, f)
			} else {
				ineqs = append(ineqs, f)
			}
		}
	}
	s.neq = len(eqs)
	s.funcs = append(eqs, ineqs...)
	return s
}

// gain builds player i's gain from strategy t over the first of its
// support.
func (s *supportSystem) gain(g *Game, pay [][]float64, i, t int) sfunc {
	f := sfunc{player: i}
	prof := make([]int, s.np)
	idx := make([]int, s.np)
	for j := range prof {
		prof[j] = s.sup[j][0]
	}
	for {
		prof[i] = t
		c := pay[g.Index(prof)][i]
		prof[i] = s.sup[i][0]
		c -= pay[g.Index(prof)][i]
		if c != 0 {
			f.coef = append(f.coef, c)
			for j := range s.np {
				if j != i {
					f.pos = append(f.pos, s.off[j]+idx[j])
				}
			}
		}
		j := 0
		for ; j < s.np; j++ {
			if j == i {
				continue
			}
			idx[j]++
			if idx[j] < len(s.sup[j]) {
				prof[j] = s.sup[j][idx[j]]
				break
			}
			idx[j] = 0
			prof[j] = s.sup[j][0]
		}
		if j == s.np {
			return f
		}
	}
}

// setPlayer fills player j's part of the flat vector from z.
func (s *supportSystem) setPlayer(j int, z []float64) {
	o := s.off[j]
	rest := 1.0
	for r, v := range s.vars[j] {
		s.sv[o+1+r] = z[v]
		rest -= z[v]
	}
	s.sv[o] = rest
}

// value evaluates f at the flat vector.
func (s *supportSystem) value(f *sfunc) float64 {
	w := s.np - 1
	sum := 0.0
	for k, c := range f.coef {
		p := c
		for _, q := range f.pos[k*w : (k+1)*w] {
			p *= s.sv[q]
		}
		sum += p
	}
	return sum
}

// eval returns the equations' values at z.
func (s *supportSystem) eval(z []float64) []float64 {
	for j := range s.np {
		s.setPlayer(j, z)
	}
	f := make([]float64, s.neq)
	for e := range f {
		f[e] = s.value(&s.funcs[e])
	}
	return f
}

// sigma returns the mixed profile, over each player's whole strategy set,
// for the values z of the unknowns.
func (s *supportSystem) sigma(z []float64, shape []int) [][]float64 {
	out := make([][]float64, s.np)
	for j := range s.np {
		s.setPlayer(j, z)
		out[j] = make([]float64, shape[j])
		for r, t := range s.sup[j] {
			out[j][t] = s.sv[s.off[j]+r]
		}
	}
	return out
}

// solve returns the solutions of the system that are equilibria, as values
// of the unknowns, and false if it could not settle the system.
func (s *supportSystem) solve() ([][]float64, bool) {
	k := s.nz
	if k == 0 {
		// a pure profile: an equilibrium if no gain is positive
		if s.isEquilibrium(nil) {
			return [][]float64{nil}, true
		}
		return nil, true
	}
	if k > maxSupportVars {
		return nil, false
	}
	lo, hi := make([]float64, k), make([]float64, k)
	for j := range hi {
		hi[j] = 1
	}
	var roots [][]float64
	boxes := 0
	ok := true
	var search func(lo, hi []float64)
	search = func(lo, hi []float64) {
		if !ok {
			return
		}
		if boxes++; boxes > maxBoxes || (boxes%64 == 0 && s.ctx.Err() != nil) {
			ok = false
			return
		}
		if s.excluded(lo, hi) {
			return
		}
		widest, w := 0, 0.0
		for j := range lo {
			if hi[j]-lo[j] > w {
				widest, w = j, hi[j]-lo[j]
			}
		}
		// The test rarely decides a large box, where it costs as much.
		if w <= 1.0/8 {
			switch r, verdict := s.krawczyk(lo, hi); verdict {
			case noRoot:
				return
			case oneRoot:
				for _, q := range roots {
					if dist(q, r) < 1e-7 {
						return
					}
				}
				roots = append(roots, r)
				return
			}
		}
		if w <= 1.0/32 {
			z := make([]float64, k)
			for j := range z {
				z[j] = (lo[j] + hi[j]) / 2
			}
			if r, conv := s.newton(z); conv {
				for _, q := range roots {
					if dist(q, r) < 1e-7 {
						return
					}
				}
				roots = append(roots, r)
			}
			return
		}
		mid := (lo[widest] + hi[widest]) / 2
		h1 := append([]float64(nil), hi...)
		h1[widest] = mid
		search(lo, h1)
		l2 := append([]float64(nil), lo...)
		l2[widest] = mid
		search(l2, hi)
	}
	search(lo, hi)
	if len(roots) > 64 {
		ok = false // a continuum, most likely
	}
	for _, z := range roots {
		if s.singular(z) {
			// The root is not isolated (or not simple): the solutions
			// likely form a continuum, whose points are not extreme.
			ok = false
		}
	}
	if !ok {
		return nil, false
	}
	var out [][]float64
	for _, z := range roots {
		if s.isEquilibrium(z) {
			out = append(out, z)
		}
	}
	return out, true
}

func dist(a, b []float64) float64 {
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

// tolerance of the numerical tests, relative to payoffs scaled into [-1, 1].
const tol = 1e-9

// excluded reports whether the box [lo, hi] holds no equilibrium: it lies
// outside the simplices, some equation keeps one sign on it, or some
// strategy outside the supports earns more than the supports' strategies
// all over it. Each of these functions is affine in each unknown
// separately, so its extreme values over the box are among its values at
// the corners; and a player's functions depend on the other players'
// unknowns only, so only their corners are visited.
func (s *supportSystem) excluded(lo, hi []float64) bool {
	// each player's free probabilities must leave room for the first
	for j := range s.np {
		sum := 0.0
		for _, v := range s.vars[j] {
			sum += lo[v]
		}
		if sum > 1+tol {
			return true
		}
	}
	z := make([]float64, s.nz)
	var others []int
	for i := range s.np {
		others = others[:0]
		for j := range s.np {
			if j != i {
				others = append(others, s.vars[j]...)
			}
		}
		var fs []int
		for f := range s.funcs {
			if s.funcs[f].player == i {
				fs = append(fs, f)
			}
		}
		if len(fs) == 0 {
			continue
		}
		minv := make([]float64, len(fs))
		maxv := make([]float64, len(fs))
		for e := range fs {
			minv[e], maxv[e] = math.Inf(1), math.Inf(-1)
		}
		for c := 0; c < 1<<len(others); c++ {
			for b, v := range others {
				if c&(1<<b) != 0 {
					z[v] = hi[v]
				} else {
					z[v] = lo[v]
				}
			}
			for j := range s.np {
				if j != i {
					s.setPlayer(j, z)
				}
			}
			for e, f := range fs {
				x := s.value(&s.funcs[f])
				minv[e] = math.Min(minv[e], x)
				maxv[e] = math.Max(maxv[e], x)
			}
		}
		for e, f := range fs {
			if minv[e] > tol || (f < s.neq && maxv[e] < -tol) {
				return true
			}
		}
	}
	return false
}

// Verdicts of the Krawczyk test.
const (
	undecided = iota
	noRoot
	oneRoot
)

// krawczyk applies the Krawczyk test to the box [lo, hi]: with y its centre,
// Y an inverse of the Jacobian at y and J the range of the Jacobian over the
// box, the box K = y − Y·f(y) + (I − Y·J)·([lo, hi] − y) holds every root of
// the box. If K misses the box there is no root; if K lies inside it there
// is exactly one, which Newton's method from y then finds. The range of
// each partial derivative — itself affine in each other unknown — is again
// spanned by its values at the corners.
func (s *supportSystem) krawczyk(lo, hi []float64) ([]float64, int) {
	k := s.nz
	y := make([]float64, k)
	rad := make([]float64, k)
	for j := range y {
		y[j] = (lo[j] + hi[j]) / 2
		rad[j] = (hi[j] - lo[j]) / 2
	}
	jy := s.jacobian(append([]float64(nil), y...))
	inv, ok := invert(jy)
	if !ok {
		return nil, undecided
	}
	fy := make([]float64, k)
	for e := range fy {
		fy[e] = -jy[e][k]
	}
	jlo, jhi := s.jacobianRange(lo, hi)
	for a := range k {
		c := y[a]
		for e := range k {
			c -= inv[a][e] * fy[e]
		}
		spread := 0.0
		for b := range k {
			// the entry (a, b) of I − Y·J, an interval
			mlo, mhi := 0.0, 0.0
			if a == b {
				mlo, mhi = 1, 1
			}
			for e := range k {
				p, q := inv[a][e]*jlo[e][b], inv[a][e]*jhi[e][b]
				mlo -= math.Max(p, q)
				mhi -= math.Min(p, q)
			}
			spread += math.Max(math.Abs(mlo), math.Abs(mhi)) * rad[b]
		}
		klo, khi := c-spread, c+spread
		if khi < lo[a]-tol || klo > hi[a]+tol {
			return nil, noRoot
		}
		if klo <= lo[a] || khi >= hi[a] {
			ok = false
		}
	}
	if !ok {
		return nil, undecided
	}
	r, conv := s.newton(y)
	if !conv {
		return nil, undecided
	}
	for j := range r {
		if r[j] < lo[j]-tol || r[j] > hi[j]+tol {
			return nil, undecided
		}
	}
	return r, oneRoot
}

// jacobianRange returns bounds on every partial derivative of the
// equations over the box [lo, hi].
func (s *supportSystem) jacobianRange(lo, hi []float64) (jlo, jhi [][]float64) {
	k := s.nz
	jlo, jhi = make([][]float64, k), make([][]float64, k)
	for e := range k {
		jlo[e], jhi[e] = make([]float64, k), make([]float64, k)
		for j := range k {
			jlo[e][j], jhi[e][j] = math.Inf(1), math.Inf(-1)
		}
	}
	z := make([]float64, k)
	var others []int
	for i := range s.np {
		others = others[:0]
		for j := range s.np {
			if j != i {
				others = append(others, s.vars[j]...)
			}
		}
		var fs []int
		for f := range s.neq {
			if s.funcs[f].player == i {
				fs = append(fs, f)
			}
		}
		if len(fs) == 0 {
			continue
		}
		for _, f := range fs {
			for _, v := range s.vars[i] {
				jlo[f][v], jhi[f][v] = 0, 0 // i's gains do not depend on i's own unknowns
			}
		}
		for c := 0; c < 1<<len(others); c++ {
			for b, v := range others {
				if c&(1<<b) != 0 {
					z[v] = hi[v]
				} else {
					z[v] = lo[v]
				}
			}
			for _, v := range others {
				keep := z[v]
				z[v] = 1
				s.setAllBut(i, z)
				f1 := make([]float64, len(fs))
				for e, f := range fs {
					f1[e] = s.value(&s.funcs[f])
				}
				z[v] = 0
				s.setAllBut(i, z)
				for e, f := range fs {
					d := f1[e] - s.value(&s.funcs[f])
					jlo[f][v] = math.Min(jlo[f][v], d)
					jhi[f][v] = math.Max(jhi[f][v], d)
				}
				z[v] = keep
			}
		}
	}
	return jlo, jhi
}

// setAllBut fills the flat vector from z for every player but i.
func (s *supportSystem) setAllBut(i int, z []float64) {
	for j := range s.np {
		if j != i {
			s.setPlayer(j, z)
		}
	}
}

// invert returns the inverse of the k×k left part of a, or false if it is
// numerically singular.
func invert(a [][]float64) ([][]float64, bool) {
	k := len(a)
	m := make([][]float64, k)
	for r := range k {
		m[r] = make([]float64, 2*k)
		copy(m[r], a[r][:k])
		m[r][k+r] = 1
	}
	for c := range k {
		p := c
		for r := c + 1; r < k; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		if math.Abs(m[p][c]) < 1e-12 {
			return nil, false
		}
		m[c], m[p] = m[p], m[c]
		d := m[c][c]
		for j := range m[c] {
			m[c][j] /= d
		}
		for r := range k {
			if r != c && m[r][c] != 0 {
				f := m[r][c]
				for j := range m[r] {
					m[r][j] -= f * m[c][j]
				}
			}
		}
	}
	out := make([][]float64, k)
	for r := range k {
		out[r] = m[r][k:]
	}
	return out, true
}

// newton refines z towards a root of the equations and reports whether it
// converged.
func (s *supportSystem) newton(z []float64) ([]float64, bool) {
	z = append([]float64(nil), z...)
	for range 60 {
		f := s.eval(z)
		norm := 0.0
		for _, x := range f {
			norm = math.Max(norm, math.Abs(x))
		}
		if norm < 1e-14 {
			return z, true
		}
		dz, ok := gaussSolve(s.jacobian(z))
		if !ok {
			return nil, false
		}
		for j := range z {
			z[j] += dz[j]
			if math.IsNaN(z[j]) || math.Abs(z[j]) > 10 {
				return nil, false
			}
		}
	}
	for _, x := range s.eval(z) {
		if math.Abs(x) > 1e-11 {
			return nil, false
		}
	}
	return z, true
}

// jacobian returns the Jacobian of the equations at z, augmented with
// −f(z). It is exact: each equation is affine in each unknown, so a partial
// derivative is the difference of the values at 1 and at 0.
func (s *supportSystem) jacobian(z []float64) [][]float64 {
	k := len(z)
	f := s.eval(z)
	jac := make([][]float64, k)
	for e := range jac {
		jac[e] = make([]float64, k+1)
		jac[e][k] = -f[e]
	}
	for j := range k {
		keep := z[j]
		z[j] = 1
		f1 := s.eval(z)
		z[j] = 0
		f0 := s.eval(z)
		z[j] = keep
		for e := range k {
			jac[e][j] = f1[e] - f0[e]
		}
	}
	return jac
}

// singular reports whether the Jacobian at z is numerically singular.
func (s *supportSystem) singular(z []float64) bool {
	jac := s.jacobian(append([]float64(nil), z...))
	k := len(z)
	for c := range k {
		p := c
		for r := c + 1; r < k; r++ {
			if math.Abs(jac[r][c]) > math.Abs(jac[p][c]) {
				p = r
			}
		}
		if math.Abs(jac[p][c]) < 1e-9 {
			return true
		}
		jac[c], jac[p] = jac[p], jac[c]
		for r := c + 1; r < k; r++ {
			f := jac[r][c] / jac[c][c]
			for j := c; j < k; j++ {
				jac[r][j] -= f * jac[c][j]
			}
		}
	}
	return false
}

// gaussSolve solves the augmented system a (k rows, k+1 columns) by Gaussian
// elimination with partial pivoting.
func gaussSolve(a [][]float64) ([]float64, bool) {
	k := len(a)
	for c := range k {
		p := c
		for r := c + 1; r < k; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-13 {
			return nil, false
		}
		a[c], a[p] = a[p], a[c]
		for r := c + 1; r < k; r++ {
			f := a[r][c] / a[c][c]
			for j := c; j <= k; j++ {
				a[r][j] -= f * a[c][j]
			}
		}
	}
	x := make([]float64, k)
	for r := k - 1; r >= 0; r-- {
		v := a[r][k]
		for j := r + 1; j < k; j++ {
			v -= a[r][j] * x[j]
		}
		x[r] = v / a[r][r]
	}
	return x, true
}

// isEquilibrium checks, with tolerance, that z gives non-negative
// probabilities and that no strategy earns more than the first of its
// player's support.
func (s *supportSystem) isEquilibrium(z []float64) bool {
	for j := range s.np {
		s.setPlayer(j, z)
	}
	for _, p := range s.sv {
		if p < -tol {
			return false
		}
	}
	for f := range s.funcs {
		if s.value(&s.funcs[f]) > tol {
			return false
		}
	}
	return true
}

// settle turns a numerical equilibrium into an exact one when rounding each
// probability to a nearby fraction gives a profile that passes the exact
// best-response test; otherwise it keeps the floating-point values, marked
// Approximate.
func (g *Game) settle(sigma [][]float64) Equilibrium {
	// Try ever finer roundings; the exact test makes a wrong guess harmless.
	for _, eps := range []float64{1e-8, 1e-10, 1e-12} {
		exact := make([][]*big.Rat, len(sigma))
		for i, p := range sigma {
			// round all but the largest probability, which takes the rest
			big1 := 0
			for j, x := range p {
				if x > p[big1] {
					big1 = j
				}
			}
			exact[i] = make([]*big.Rat, len(p))
			rest := big.NewRat(1, 1)
			for j, x := range p {
				if j != big1 {
					exact[i][j] = nearFraction(x, eps, 1e9)
					rest.Sub(rest, exact[i][j])
				}
			}
			exact[i][big1] = rest
		}
		if g.CheckNash(exact) == nil {
			return g.newEquilibrium(exact)
		}
	}
	approx := make([][]*big.Rat, len(sigma))
	for i, p := range sigma {
		approx[i] = make([]*big.Rat, len(p))
		sum := 0.0
		for _, x := range p {
			sum += math.Max(x, 0)
		}
		for j, x := range p {
			approx[i][j] = new(big.Rat)
			approx[i][j].SetFloat64(math.Max(x, 0) / sum)
		}
	}
	e := g.newEquilibrium(approx)
	e.Approximate = true
	return e
}

// nearFraction returns the fraction with the smallest denominator (at most
// maxDen) within eps of x, found from the continued fraction of x, or the
// exact value of x if there is none.
func nearFraction(x, eps float64, maxDen int64) *big.Rat {
	if x < 0 {
		if x > -eps {
			return new(big.Rat)
		}
		return new(big.Rat).Neg(nearFraction(-x, eps, maxDen))
	}
	// convergents h/k of the continued fraction
	h0, h1 := int64(0), int64(1)
	k0, k1 := int64(1), int64(0)
	r := x
	for range 64 {
		a := math.Floor(r)
		if a > 1e12 {
			break
		}
		ai := int64(a)
		h0, h1 = h1, ai*h1+h0
		k0, k1 = k1, ai*k1+k0
		if k1 > maxDen {
			break
		}
		if math.Abs(float64(h1)/float64(k1)-x) <= eps {
			return big.NewRat(h1, k1)
		}
		if r-a < 1e-15 {
			break
		}
		r = 1 / (r - a)
	}
	return new(big.Rat).SetFloat64(x)
}

// approxKey identifies a numerical profile up to rounding.
func approxKey(sigma [][]float64) string {
	var b strings.Builder
	for _, p := range sigma {
		for _, x := range p {
			fmt.Fprintf(&b, "%.6f ", math.Max(x, 0))
		}
		b.WriteByte(';')
	}
	return b.String()
}
