package sensitivity

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/parleyhq/parley/engine"
)

// Interval is an estimate with a bootstrap confidence interval.
type Interval struct {
	Est, Lo, Hi float64
}

// SobolIndices are the first-order and total Sobol indices of each factor.
type SobolIndices struct {
	First, Total []Interval
	// Variance is the output variance V over the points of A and B.
	Variance float64
}

// BootstrapOptions control the bootstrap intervals.
type BootstrapOptions struct {
	// Resamples is the number of bootstrap resamples (0: no intervals, Lo = Hi = Est).
	Resamples int
	// Level is the confidence level of the percentile intervals (default 0.95).
	Level float64
	// Seed seeds the resampling: resample b draws from the PCG stream seeded from (Seed, b).
	Seed uint64
}

// ErrConstantOutput is returned when the output does not vary over the
// sample, so that no index is defined.
var ErrConstantOutput = errors.New("the output is the same at every point of the sample: its variance is 0 and the indices are undefined")

// Sobol estimates first-order and total indices from the outputs y of a
// [Saltelli] design of dim factors, in the design's order: y[j(dim+2)] is
// f(A_j), y[j(dim+2)+i] is f(AB_j⁽ⁱ⁾) and y[j(dim+2)+dim+1] is f(B_j).
// With V the variance of the 2N outputs at A and B,
//
//	S_i  = (1/N) Σ_j f(B_j)·(f(AB_j⁽ⁱ⁾) − f(A_j)) / V        (Saltelli et al. 2010)
//	ST_i = (1/2N) Σ_j (f(A_j) − f(AB_j⁽ⁱ⁾))² / V             (Jansen 1999)
//
// The intervals are bootstrap percentile intervals over resampled rows.
func Sobol(y []float64, dim int, opt BootstrapOptions) (*SobolIndices, error) {
	w := dim + 2
	if dim < 1 || len(y)%w != 0 || len(y)/w < 2 {
		return nil, fmt.Errorf("a Saltelli design of %d factors has a multiple of %d points and at least two rows; got %d outputs", dim, w, len(y))
	}
	n := len(y) / w
	for k, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("output %d is %g; every output must be a finite number", k, v)
		}
	}
	rows := make([]int, n)
	for j := range rows {
		rows[j] = j
	}
	first, total, v := sobolOnce(y, dim, rows)
	if v == 0 {
		return nil, ErrConstantOutput
	}
	out := &SobolIndices{First: make([]Interval, dim), Total: make([]Interval, dim), Variance: v}
	bf, bt := bootstrap(opt, n, dim, func(rows []int) ([]float64, []float64, bool) {
		f, t, v := sobolOnce(y, dim, rows)
		return f, t, v > 0
	})
	for i := range dim {
		out.First[i] = interval(first[i], bf[i], opt.Level)
		out.Total[i] = interval(total[i], bt[i], opt.Level)
	}
	return out, nil
}

// sobolOnce computes the estimators over the given rows (with repeats).
func sobolOnce(y []float64, dim int, rows []int) (first, total []float64, v float64) {
	w := dim + 2
	n := float64(len(rows))
	// variance of f(A) and f(B) together, by a two-pass mean
	mean := 0.0
	for _, j := range rows {
		mean += y[j*w] + y[j*w+dim+1]
	}
	mean /= 2 * n
	for _, j := range rows {
		a, b := y[j*w]-mean, y[j*w+dim+1]-mean
		v += a*a + b*b
	}
	v /= 2 * n
	first = make([]float64, dim)
	total = make([]float64, dim)
	if v == 0 {
		return first, total, 0
	}
	for i := range dim {
		s1, st := 0.0, 0.0
		for _, j := range rows {
			fa, fb, fab := y[j*w], y[j*w+dim+1], y[j*w+1+i]
			s1 += fb * (fab - fa)
			st += (fa - fab) * (fa - fab)
		}
		first[i] = s1 / n / v
		total[i] = st / (2 * n) / v
	}
	return first, total, v
}

// bootstrap resamples n rows opt.Resamples times and collects the two sets of
// estimates per factor; resamples whose estimate is undefined are dropped.
func bootstrap(opt BootstrapOptions, n, dim int, est func(rows []int) ([]float64, []float64, bool)) (a, b [][]float64) {
	a = make([][]float64, dim)
	b = make([][]float64, dim)
	rows := make([]int, n)
	var src engine.PCG
	for r := 0; r < opt.Resamples; r++ {
		src.Seed(opt.Seed, uint64(r))
		for j := range rows {
			rows[j] = int(src.Float64() * float64(n))
		}
		x, y, ok := est(rows)
		if !ok {
			continue
		}
		for i := range dim {
			a[i] = append(a[i], x[i])
			if y != nil {
				b[i] = append(b[i], y[i])
			}
		}
	}
	return a, b
}

// interval is the estimate with the percentile interval of its bootstrap
// replicates (Lo = Hi = est without replicates).
func interval(est float64, reps []float64, level float64) Interval {
	if len(reps) == 0 {
		return Interval{est, est, est}
	}
	if level <= 0 || level >= 1 {
		level = 0.95
	}
	s := slices.Clone(reps)
	slices.Sort(s)
	alpha := (1 - level) / 2
	return Interval{Est: est, Lo: quantileSorted(s, alpha), Hi: quantileSorted(s, 1-alpha)}
}

// quantileSorted is the quantile q of sorted values, interpolating linearly
// between order statistics (type 7 of Hyndman and Fan, R's default).
func quantileSorted(s []float64, q float64) float64 {
	h := q * float64(len(s)-1)
	i := int(math.Floor(h))
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[i] + (h-float64(i))*(s[i+1]-s[i])
}
