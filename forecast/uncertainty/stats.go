package uncertainty

import (
	"math"
)

// gridBins bounds the number of fine bins of a quantity's grid.
const gridBins = 4000

// Stats is the distribution of one quantity over the runs, kept in memory
// that does not grow with their number: the count, mean and variance
// (Welford's updates, value by value in run order), the extremes, and the
// count, least and greatest value in each bin of a fine grid over the
// quantity's range (at most 4,001 bins, each 1 or 5 times a power of ten
// wide). Quantiles come from the grid: exact when the values in the bin
// where the quantile falls are all equal, else interpolated between that
// bin's least and greatest value, so never off by more than one bin width.
type Stats struct {
	n, none      int
	mean, m2     float64
	min, max     float64
	mant, exp    int     // bin width w = mant × 10^exp, mant 1 or 5
	w            float64 // the width as a float
	first        int     // the index (value / w, rounded down) of bin 0
	count        []int
	lo, hi       []float64
	integer      bool
	used0, used1 int // the first and last bins holding values
}

// newStats makes the statistics of a quantity whose values are expected
// within [lo, hi]; values outside go into the end bins.
func newStats(lo, hi float64, integer bool) *Stats {
	s := &Stats{integer: integer, min: math.Inf(1), max: math.Inf(-1), used0: -1}
	span := hi - lo
	if !(span > 0) {
		span = 1e-3 * math.Max(1, math.Abs(lo))
	}
	// the narrowest width 1 or 5 times a power of ten that covers the span
	// with at most gridBins bins
	s.exp = int(math.Floor(math.Log10(span / gridBins)))
	s.mant = 1
	for float64(s.mant)*math.Pow(10, float64(s.exp))*gridBins < span {
		if s.mant == 1 {
			s.mant = 5
		} else {
			s.mant, s.exp = 1, s.exp+1
		}
	}
	s.w = s.edge(1)
	s.first = s.index(lo)
	nb := s.index(hi) - s.first + 1
	s.count = make([]int, nb)
	s.lo = make([]float64, nb)
	s.hi = make([]float64, nb)
	return s
}

// edge returns j bin widths, j × mant × 10^exp, rounded once, so that
// edges print as the decimals they are.
func (s *Stats) edge(j int) float64 {
	v := float64(j * s.mant)
	if s.exp < 0 {
		return v / math.Pow(10, float64(-s.exp))
	}
	return v * math.Pow(10, float64(s.exp))
}

// index returns the number of the bin of the whole grid (not counted from
// s.first) holding v. The nudge of 1e-7 bin puts a value that is a whole
// number of widths, such as 7 with widths of 0.005, in the bin it starts,
// not in the one before by rounding; the index grows with v.
func (s *Stats) index(v float64) int {
	return int(math.Floor(v/s.w + 1e-7))
}

// add counts one run's value; NaN is a run that gave none.
func (s *Stats) add(v float64) {
	if math.IsNaN(v) {
		s.none++
		return
	}
	s.n++
	d := v - s.mean
	s.mean += d / float64(s.n)
	s.m2 += d * (v - s.mean)
	s.min, s.max = math.Min(s.min, v), math.Max(s.max, v)
	b := min(max(s.index(v)-s.first, 0), len(s.count)-1)
	if s.count[b] == 0 {
		s.lo[b], s.hi[b] = v, v
	} else {
		s.lo[b], s.hi[b] = math.Min(s.lo[b], v), math.Max(s.hi[b], v)
	}
	s.count[b]++
	if s.used0 < 0 || b < s.used0 {
		s.used0 = b
	}
	s.used1 = max(s.used1, b)
}

// Count returns the number of runs that gave a value.
func (s *Stats) Count() int { return s.n }

// None returns the number of runs in which the model gave no value (no
// Condorcet winner, no actor caring about the dimension), not counting the
// runs that gave no forecast at all.
func (s *Stats) None() int { return s.none }

// Mean returns the mean of the values (NaN without any).
func (s *Stats) Mean() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	return s.mean
}

// SD returns the sample standard deviation, with n - 1 in the
// denominator (0 for one value, NaN for none).
func (s *Stats) SD() float64 {
	switch s.n {
	case 0:
		return math.NaN()
	case 1:
		return 0
	}
	return math.Sqrt(s.m2 / float64(s.n-1))
}

// Min returns the least value (NaN without any).
func (s *Stats) Min() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	return s.min
}

// Max returns the greatest value (NaN without any).
func (s *Stats) Max() float64 {
	if s.n == 0 {
		return math.NaN()
	}
	return s.max
}

// BinWidth returns the width of the fine grid's bins, the most by which
// a quantile can be off.
func (s *Stats) BinWidth() float64 { return s.w }

// Quantile returns the q-quantile: the value of rank ceil(q n) (at least
// 1) among the n values in ascending order, the inverse of their empirical
// distribution function, so the median of an even number of values is the
// lower middle one. It is exact when the values sharing its bin of the
// fine grid are all equal (always so for a forecast that takes few
// distinct values), and within one bin width otherwise. NaN without any
// value.
func (s *Stats) Quantile(q float64) float64 {
	if s.n == 0 || math.IsNaN(q) {
		return math.NaN()
	}
	r := min(max(int(math.Ceil(q*float64(s.n))), 1), s.n)
	below := 0
	for b := s.used0; b <= s.used1; b++ {
		c := s.count[b]
		if below+c < r {
			below += c
			continue
		}
		k := r - below // rank within the bin, 1..c
		switch {
		case k == 1:
			return s.lo[b]
		case k == c:
			return s.hi[b]
		}
		return s.lo[b] + (s.hi[b]-s.lo[b])*float64(k-1)/float64(c-1)
	}
	return s.max
}

// Bin is one bar of a histogram: Count values in [Lo, Hi), or, for the one
// bar of a quantity that took a single value, Lo = Hi = that value.
type Bin struct {
	Lo, Hi float64
	Count  int
}

// Histogram returns the histogram of the values in at most maxBins bins
// (at least 1) of equal width, 1, 2 or 5 times a power of ten (at least 1
// for a whole-number quantity), from the bin holding the least value to
// the bin holding the greatest; empty bins in between are kept. A quantity
// that took a single value has one bin, at that value.
func (s *Stats) Histogram(maxBins int) []Bin {
	if s.n == 0 {
		return nil
	}
	if s.min == s.max {
		return []Bin{{Lo: s.min, Hi: s.max, Count: s.n}}
	}
	maxBins = max(maxBins, 1)
	a, b := s.first+s.used0, s.first+s.used1 // grid indices of the used range
	// widths m fine bins wide, m running through 1, 2, 5, 10, ... for
	// widths 10^k (1, 2, 4, 10, 20, 40, ... for 5 × 10^k), so that every
	// width is 1, 2 or 5 times a power of ten and a whole number of fine
	// bins
	ladder := []int{1, 2, 5}
	if s.mant == 5 {
		ladder = []int{1, 2, 4}
	}
	m := 1
	for step := 0; ; step++ {
		m = ladder[step%3]
		for range step / 3 {
			m *= 10
		}
		if s.integer && s.edge(m) < 1-1e-9 {
			continue
		}
		if floorDiv(b, m)-floorDiv(a, m)+1 <= maxBins {
			break
		}
	}
	j0, j1 := floorDiv(a, m), floorDiv(b, m)
	out := make([]Bin, j1-j0+1)
	for j := range out {
		out[j] = Bin{Lo: s.edge((j0 + j) * m), Hi: s.edge((j0 + j + 1) * m)}
	}
	for bin := s.used0; bin <= s.used1; bin++ {
		out[floorDiv(s.first+bin, m)-j0].Count += s.count[bin]
	}
	return out
}

// floorDiv is a / m rounded down, for m > 0.
func floorDiv(a, m int) int {
	q := a / m
	if a%m != 0 && a < 0 {
		q--
	}
	return q
}
