package uncertainty

import (
	"math"
	"reflect"
	"slices"
	"testing"
)

func TestGridWidth(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		w      float64
	}{
		{0, 100, 0.05}, // 2,000 bins
		{0, 12, 0.005},
		{0, 1, 0.0005},
		{-5, 5, 0.005},
		{2020, 2040, 0.005},
		{0, 40000, 10},
		{3, 3, 0.000001}, // no range: the grid covers a thousandth of the value
	} {
		s := newStats(c.lo, c.hi, false)
		if math.Abs(s.BinWidth()/c.w-1) > 1e-12 || len(s.count) > gridBins+2 {
			t.Errorf("[%v, %v]: width %v with %d bins, want %v", c.lo, c.hi, s.BinWidth(), len(s.count), c.w)
		}
	}
}

// TestQuantilesExact: with one distinct value per bin, quantiles are the
// order statistics: the value of rank ceil(q n).
func TestQuantilesExact(t *testing.T) {
	s := newStats(0, 100, false)
	for v := 100; v >= 1; v-- {
		s.add(float64(v))
	}
	s.add(math.NaN())
	for _, c := range []struct{ q, want float64 }{{0, 1}, {0.01, 1}, {0.05, 5}, {0.25, 25}, {0.5, 50}, {0.505, 51}, {0.95, 95}, {1, 100}} {
		if got := s.Quantile(c.q); got != c.want {
			t.Errorf("quantile %v = %v, want %v", c.q, got, c.want)
		}
	}
	if s.Count() != 100 || s.None() != 1 || s.Mean() != 50.5 || s.Min() != 1 || s.Max() != 100 {
		t.Errorf("count %d none %d mean %v range [%v, %v]", s.Count(), s.None(), s.Mean(), s.Min(), s.Max())
	}
	if sd := s.SD(); math.Abs(sd-math.Sqrt(101*100/12.0)) > 1e-12 {
		t.Errorf("sd %v", sd)
	}
	want := []Bin{{0, 20, 19}, {20, 40, 20}, {40, 60, 20}, {60, 80, 20}, {80, 100, 20}, {100, 120, 1}}
	if h := s.Histogram(10); !reflect.DeepEqual(h, want) {
		t.Errorf("histogram %v, want %v", h, want)
	}
	if h := s.Histogram(100); len(h) != 100 || h[0] != (Bin{1, 2, 1}) || h[99] != (Bin{100, 101, 1}) {
		t.Errorf("histogram of 100 bins: %d bins, %v ... %v", len(h), h[0], h[len(h)-1])
	}
}

// TestQuantilesInterpolated: values sharing a bin give quantiles within a
// bin width of the order statistics, and exactly the extremes.
func TestQuantilesInterpolated(t *testing.T) {
	s := newStats(0, 1, false)
	var vals []float64
	r := stream{}
	r.seed(1, 1)
	for range 10000 {
		v := r.uniform() * r.uniform()
		vals = append(vals, v)
		s.add(v)
	}
	slices.Sort(vals)
	for _, q := range []float64{0, 0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999, 1} {
		rank := max(1, int(math.Ceil(q*float64(len(vals)))))
		want := vals[rank-1]
		got := s.Quantile(q)
		if math.Abs(got-want) > s.BinWidth() {
			t.Errorf("quantile %v = %v, order statistic %v, bin width %v", q, got, want, s.BinWidth())
		}
		if (q == 0 || q == 1) && got != want {
			t.Errorf("quantile %v = %v, want exactly %v", q, got, want)
		}
	}
	total := 0
	for _, b := range s.Histogram(25) {
		total += b.Count
	}
	if total != 10000 {
		t.Errorf("histogram counts %d values", total)
	}
}

// TestHistogramNegativeAndWhole: bins of a range below 0, and of a
// whole-number quantity, which are never narrower than 1.
func TestHistogramNegativeAndWhole(t *testing.T) {
	s := newStats(-5, 5, false)
	for _, v := range []float64{-4.5, -0.01, 0, 0.01, 4.99} {
		s.add(v)
	}
	want := []Bin{{-5, -4, 1}, {-4, -3, 0}, {-3, -2, 0}, {-2, -1, 0}, {-1, 0, 1}, {0, 1, 2}, {1, 2, 0}, {2, 3, 0}, {3, 4, 0}, {4, 5, 1}}
	if h := s.Histogram(10); !reflect.DeepEqual(h, want) {
		t.Errorf("histogram %v, want %v", h, want)
	}
	r := newStats(0, 20, true)
	for _, v := range []float64{3, 4, 4, 5, 7} {
		r.add(v)
	}
	want = []Bin{{3, 4, 1}, {4, 5, 2}, {5, 6, 1}, {6, 7, 0}, {7, 8, 1}}
	if h := r.Histogram(40); !reflect.DeepEqual(h, want) {
		t.Errorf("whole-number histogram %v, want %v", h, want)
	}
	if q := r.Quantile(0.5); q != 4 {
		t.Errorf("median %v", q)
	}
}

// TestEmptyAndSingle: no value, and a single value, everywhere.
func TestEmptyAndSingle(t *testing.T) {
	s := newStats(0, 10, false)
	if !math.IsNaN(s.Mean()) || !math.IsNaN(s.SD()) || !math.IsNaN(s.Quantile(0.5)) || s.Histogram(10) != nil {
		t.Error("statistics of no value")
	}
	for range 3 {
		s.add(7.3)
	}
	if s.SD() != 0 || s.Quantile(0.3) != 7.3 || !reflect.DeepEqual(s.Histogram(10), []Bin{{7.3, 7.3, 3}}) {
		t.Errorf("sd %v q %v hist %v", s.SD(), s.Quantile(0.3), s.Histogram(10))
	}
	// a value outside the range goes to an end bin and stays exact
	s.add(12)
	if s.Quantile(1) != 12 || s.Max() != 12 {
		t.Errorf("max %v", s.Quantile(1))
	}
}
