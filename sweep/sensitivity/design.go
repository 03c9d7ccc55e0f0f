package sensitivity

import (
	"errors"
	"fmt"
	"math"

	"github.com/parleyhq/parley/engine"
)

// Sampler gives point j of a sample of the unit cube; sample.Sobol,
// sample.LatinHypercube and sample.Uniform are samplers.
type Sampler interface {
	Point(j uint64, dst []float64)
}

// Saltelli is the design of Saltelli's scheme for first-order and total
// Sobol indices of Dim factors from N base rows. Row j of the base sample,
// a point of the 2·Dim-dimensional unit cube, gives two points: A_j (its
// first Dim coordinates) and B_j (the others). The design evaluates, for
// each row in turn, A_j, then AB_j⁽¹⁾ … AB_j⁽ᴰ⁾ (A_j with coordinate i taken
// from B_j), then B_j: N·(Dim+2) points, point k being block k mod (Dim+2)
// of row k div (Dim+2).
type Saltelli struct {
	N    uint64
	Dim  int
	Base Sampler // of dimension 2·Dim; row j is Base.Point(First+j)
	// First is the index of the base sample's first row (1 for a Sobol
	// sequence, whose point 0 is the origin).
	First uint64
}

// Len is the number of points of the design.
func (s *Saltelli) Len() uint64 { return s.N * uint64(s.Dim+2) }

// Point writes point k of the design to dst[:Dim]; scratch must hold 2·Dim values.
func (s *Saltelli) Point(k uint64, dst, scratch []float64) {
	d := uint64(s.Dim + 2)
	j, b := k/d, int(k%d)
	s.Base.Point(s.First+j, scratch[:2*s.Dim])
	a, bb := scratch[:s.Dim], scratch[s.Dim:2*s.Dim]
	switch {
	case b == 0:
		copy(dst, a)
	case b == s.Dim+1:
		copy(dst, bb)
	default:
		copy(dst, a)
		dst[b-1] = bb[b-1]
	}
}

// Morris is the design of Morris's elementary effects: R trajectories of
// Dim+1 points on a grid of Levels (an even number p ≥ 2) values
// {0, 1/(p−1), …, 1} in each dimension, with the jump Δ = p/(2(p−1)).
// Trajectory t starts at a base point whose coordinates are drawn uniformly
// from the p/2 lowest levels; factor i moves up from there if its direction
// is +1, or starts Δ higher and moves down if it is −1; the factors move one
// at a time, in a random order. The base point, the directions and the order
// of trajectory t are drawn from the PCG stream seeded from (Seed, t): first
// the Dim base levels, then the Dim directions, then a Fisher–Yates shuffle
// of the order. Point k of the design is step k mod (Dim+1) of trajectory
// k div (Dim+1).
type Morris struct {
	R      uint64
	Dim    int
	Levels int
	Seed   uint64
}

// Delta is the jump Δ = p/(2(p−1)).
func (m *Morris) Delta() float64 { return float64(m.Levels) / (2 * float64(m.Levels-1)) }

// Len is the number of points of the design.
func (m *Morris) Len() uint64 { return m.R * uint64(m.Dim+1) }

// Check reports an unusable number of levels or trajectories.
func (m *Morris) Check() error {
	if m.Levels < 2 || m.Levels%2 != 0 {
		return fmt.Errorf("levels must be an even number of at least 2, got %d", m.Levels)
	}
	if m.R < 2 {
		return fmt.Errorf("trajectories must be at least 2, got %d", m.R)
	}
	if m.Dim < 1 {
		return errors.New("a Morris design needs at least one factor")
	}
	return nil
}

// Trajectory describes trajectory t: its starting point, each factor's
// direction (+1 or −1) and the order in which the factors move.
func (m *Morris) Trajectory(t uint64) (start []float64, dir []int, order []int) {
	var src engine.PCG
	src.Seed(m.Seed, t)
	half := m.Levels / 2
	step := 1 / float64(m.Levels-1)
	start = make([]float64, m.Dim)
	dir = make([]int, m.Dim)
	order = make([]int, m.Dim)
	base := make([]float64, m.Dim)
	for i := range base {
		base[i] = float64(int(src.Float64()*float64(half))) * step
	}
	delta := m.Delta()
	for i := range dir {
		dir[i] = 1
		if src.Float64() < 0.5 {
			dir[i] = -1
		}
		start[i] = base[i]
		if dir[i] < 0 {
			start[i] = snap(base[i]+delta, m.Levels)
		}
	}
	for i := range order {
		order[i] = i
	}
	for i := m.Dim - 1; i > 0; i-- {
		j := int(src.Float64() * float64(i+1))
		order[i], order[j] = order[j], order[i]
	}
	return start, dir, order
}

// Point writes point k of the design to dst[:Dim].
func (m *Morris) Point(k uint64, dst []float64) {
	d := uint64(m.Dim + 1)
	t, s := k/d, int(k%d)
	start, dir, order := m.Trajectory(t)
	copy(dst, start)
	delta := m.Delta()
	for _, i := range order[:s] {
		dst[i] = snap(start[i]+float64(dir[i])*delta, m.Levels)
	}
}

// snap rounds x to the nearest level i/(p−1), so that coordinates are exact
// grid values.
func snap(x float64, p int) float64 {
	return math.Round(x*float64(p-1)) / float64(p-1)
}
