package sensitivity

import (
	"fmt"
	"math"
)

// MorrisMeasures are the statistics of each factor's elementary effects.
type MorrisMeasures struct {
	// Mu is the mean of the elementary effects, MuStar the mean of their
	// absolute values (with a bootstrap interval), Sigma their standard
	// deviation (divisor r − 1).
	Mu     []float64
	MuStar []Interval
	Sigma  []float64
	// Effects[i] are factor i's elementary effects, one per trajectory.
	Effects [][]float64
}

// MorrisEffects computes the elementary effects from the outputs y of design
// m, in the design's order. When factor i moves at step s of a trajectory,
// its effect is dir_i·(y_s − y_(s−1))/Δ: the change of the output per unit
// of the factor's range (the unit cube's side), as if the factor moved up.
func MorrisEffects(m *Morris, y []float64, opt BootstrapOptions) (*MorrisMeasures, error) {
	if err := m.Check(); err != nil {
		return nil, err
	}
	if uint64(len(y)) != m.Len() {
		return nil, fmt.Errorf("a Morris design of %d trajectories and %d factors has %d points; got %d outputs", m.R, m.Dim, m.Len(), len(y))
	}
	for k, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("output %d is %g; every output must be a finite number", k, v)
		}
	}
	d := m.Dim
	delta := m.Delta()
	ee := make([][]float64, d)
	for t := uint64(0); t < m.R; t++ {
		_, dir, order := m.Trajectory(t)
		base := int(t) * (d + 1)
		for s, i := range order {
			ee[i] = append(ee[i], float64(dir[i])*(y[base+s+1]-y[base+s])/delta)
		}
	}
	out := &MorrisMeasures{Mu: make([]float64, d), MuStar: make([]Interval, d), Sigma: make([]float64, d), Effects: ee}
	r := int(m.R)
	meanAbs := func(e []float64, rows []int) float64 {
		s := 0.0
		for _, t := range rows {
			s += math.Abs(e[t])
		}
		return s / float64(len(rows))
	}
	all := make([]int, r)
	for t := range all {
		all[t] = t
	}
	bs, _ := bootstrap(opt, r, d, func(rows []int) ([]float64, []float64, bool) {
		x := make([]float64, d)
		for i := range d {
			x[i] = meanAbs(ee[i], rows)
		}
		return x, nil, true
	})
	for i, e := range ee {
		mu := 0.0
		for _, v := range e {
			mu += v
		}
		mu /= float64(r)
		ss := 0.0
		for _, v := range e {
			ss += (v - mu) * (v - mu)
		}
		out.Mu[i] = mu
		out.Sigma[i] = math.Sqrt(ss / float64(r-1))
		out.MuStar[i] = interval(meanAbs(e, all), bs[i], opt.Level)
	}
	return out, nil
}
