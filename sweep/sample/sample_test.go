package sample

import (
	"errors"
	"math"
	"slices"
	"testing"
)

// The first eight points of the unscrambled three-dimensional sequence, as
// SciPy's qmc.Sobol(d=3, scramble=False) and Joe and Kuo's generator give them.
func TestSobolFirstPoints(t *testing.T) {
	want := [][]float64{
		{0, 0, 0}, {0.5, 0.5, 0.5}, {0.75, 0.25, 0.25}, {0.25, 0.75, 0.75},
		{0.375, 0.375, 0.625}, {0.875, 0.875, 0.125}, {0.625, 0.125, 0.875}, {0.125, 0.625, 0.375},
	}
	s, err := NewSobol(3)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]float64, 3)
	for k, w := range want {
		s.Point(uint64(k), got)
		if !slices.Equal(got, w) {
			t.Errorf("point %d = %v, want %v", k, got, w)
		}
	}
}

// Every coordinate of the first 2^m points of a Sobol sequence hits each
// interval [i/2^m, (i+1)/2^m) once; this holds in every dimension only if
// the table was read and expanded right (every m_k odd).
func TestSobolStratifiesEveryDimension(t *testing.T) {
	s, err := NewSobol(MaxSobolDim)
	if err != nil {
		t.Fatal(err)
	}
	const m = 10
	n := 1 << m
	seen := make([][]bool, MaxSobolDim)
	for j := range seen {
		seen[j] = make([]bool, n)
	}
	x := make([]float64, MaxSobolDim)
	for k := range n {
		s.Point(uint64(k), x)
		for j, v := range x {
			c := int(v * float64(n))
			if seen[j][c] {
				t.Fatalf("dimension %d: two of the first %d points in cell %d", j+1, n, c)
			}
			seen[j][c] = true
		}
	}
}

// Dimensions 1 and 2 form a (0, 2)-sequence: each elementary box of area
// 2^-m (2^a × 2^(m-a) cells) holds exactly one of the first 2^m points.
func TestSobolTwoDimensionalNet(t *testing.T) {
	s, _ := NewSobol(2)
	const m = 8
	n := 1 << m
	pts := make([][2]float64, n)
	x := make([]float64, 2)
	for k := range n {
		s.Point(uint64(k), x)
		pts[k] = [2]float64{x[0], x[1]}
	}
	for a := 0; a <= m; a++ {
		cnt := map[[2]int]int{}
		for _, p := range pts {
			cnt[[2]int{int(p[0] * float64(int(1)<<a)), int(p[1] * float64(int(1)<<(m-a)))}]++
		}
		if len(cnt) != n {
			t.Errorf("boxes 2^-%d × 2^-%d: %d of %d hold a point", a, m-a, len(cnt), n)
		}
	}
}

// Quasi-Monte Carlo integration of Sobol's g-function in 8 dimensions,
// ∫ Π (|4x−2| + a_j)/(1 + a_j) dx = 1, is far more accurate than Monte Carlo.
func TestSobolIntegratesGFunction(t *testing.T) {
	a := []float64{0, 1, 4.5, 9, 99, 99, 99, 99}
	s, _ := NewSobol(len(a))
	x := make([]float64, len(a))
	const n = 1 << 14
	sum := 0.0
	for k := 1; k <= n; k++ {
		s.Point(uint64(k), x)
		p := 1.0
		for j, v := range x {
			p *= (math.Abs(4*v-2) + a[j]) / (1 + a[j])
		}
		sum += p
	}
	if err := math.Abs(sum/n - 1); err > 2e-3 {
		t.Errorf("QMC estimate %g, error %g; want below 2e-3", sum/n, err)
	}
}

func TestSobolDimensionLimits(t *testing.T) {
	for _, d := range []int{0, MaxSobolDim + 1} {
		if _, err := NewSobol(d); err == nil {
			t.Errorf("NewSobol(%d): no error", d)
		}
	}
}

// The table's polynomials are distinct and ordered by degree.
func TestSobolTableIsConsistent(t *testing.T) {
	if _, err := NewSobol(1); err != nil {
		t.Fatal(err)
	}
	if len(directions) != MaxSobolDim {
		t.Fatalf("%d dimensions", len(directions))
	}
}

func TestLatinHypercubeStratifies(t *testing.T) {
	for _, n := range []uint64{1, 2, 7, 64, 1000, 4097} {
		l, err := NewLatinHypercube(n, 4, 42)
		if err != nil {
			t.Fatal(err)
		}
		seen := make([][]bool, 4)
		for j := range seen {
			seen[j] = make([]bool, n)
		}
		x := make([]float64, 4)
		for k := range n {
			l.Point(k, x)
			for j, v := range x {
				c := uint64(v * float64(n))
				if v < 0 || v >= 1 || seen[j][c] {
					t.Fatalf("n=%d: point %d coordinate %d = %g falls in a taken or invalid stratum", n, k, j, v)
				}
				seen[j][c] = true
			}
		}
	}
}

func TestLatinHypercubeDependsOnSeedOnly(t *testing.T) {
	a, _ := NewLatinHypercube(100, 3, 1)
	b, _ := NewLatinHypercube(100, 3, 1)
	c, _ := NewLatinHypercube(100, 3, 2)
	x, y, z := make([]float64, 3), make([]float64, 3), make([]float64, 3)
	same := 0
	for k := range uint64(100) {
		a.Point(k, x)
		b.Point(k, y)
		c.Point(k, z)
		if !slices.Equal(x, y) {
			t.Fatalf("same seed, point %d: %v and %v", k, x, y)
		}
		if a.Stratum(0, k) == c.Stratum(0, k) {
			same++
		}
	}
	if same > 10 {
		t.Errorf("seeds 1 and 2 put %d of 100 points in the same stratum of dimension 1", same)
	}
}

func TestUniformPointsInUnitCube(t *testing.T) {
	u := NewUniform(1000, 3, 9)
	x := make([]float64, 3)
	mean := 0.0
	for k := range uint64(1000) {
		u.Point(k, x)
		for _, v := range x {
			if v < 0 || v >= 1 {
				t.Fatalf("point %d: %v", k, x)
			}
			mean += v / 3000
		}
	}
	if math.Abs(mean-0.5) > 0.03 {
		t.Errorf("mean %g", mean)
	}
}

func TestQuantiles(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct {
		d    Dist
		u    float64
		want float64
	}{
		{UniformDist{2, 4}, 0.25, 2.5},
		{NormalDist{0, 1, -inf, inf}, 0.975, 1.959963984540054},
		{NormalDist{10, 2, -inf, inf}, 0.5, 10},
		// truncated to [0, ∞): the median is Φ⁻¹(0.75) = 0.6744897501960817
		{NormalDist{0, 1, 0, inf}, 0.5, 0.6744897501960817},
		// truncated to (−∞, 0]: mirror image
		{NormalDist{0, 1, -inf, 0}, 0.5, -0.6744897501960817},
		// far in the upper tail: [8, 9] of a unit normal (median by mpmath at 30 digits)
		{NormalDist{0, 1, 8, 9}, 0.5, 8.084888899018166},
		{BetaDist{1, 1, 0, 1}, 0.3, 0.3},
		{BetaDist{2, 2, 0, 10}, 0.5, 5},
		// beta(2, 1) has F(x) = x², so the quantile is √u
		{BetaDist{2, 1, 0, 1}, 0.25, 0.5},
		{TriangularDist{0, 0.3, 1}, 0.3, 0.3},
		{TriangularDist{0, 0.5, 1}, 0.125, 0.25},
		{TriangularDist{0, 0.5, 1}, 0.875, 0.75},
	} {
		if got := c.d.Quantile(c.u); math.Abs(got-c.want) > 1e-6*math.Max(1, math.Abs(c.want)) {
			t.Errorf("%s %+v at %g = %.12g, want %.12g", c.d.Name(), c.d, c.u, got, c.want)
		}
	}
}

func TestDistChecks(t *testing.T) {
	inf := math.Inf(1)
	for _, c := range []struct {
		d     Dist
		param string
	}{
		{UniformDist{1, 1}, "max"},
		{UniformDist{math.NaN(), 1}, "min"},
		{NormalDist{0, 0, -inf, inf}, "sd"},
		{NormalDist{0, -1, -inf, inf}, "sd"},
		{NormalDist{0, 1, 2, 1}, "max"},
		{NormalDist{0, 1, 40, 41}, "min"},
		{BetaDist{0, 1, 0, 1}, "alpha"},
		{BetaDist{1, -2, 0, 1}, "beta"},
		{BetaDist{1, 1, 1, 0}, "max"},
		{TriangularDist{0, 2, 1}, "mode"},
		{TriangularDist{0, 0, 0}, "max"},
	} {
		err := c.d.Check()
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Param != c.param {
			t.Errorf("%s %+v: error %v, want one about %s", c.d.Name(), c.d, err, c.param)
		}
	}
	for _, d := range []Dist{UniformDist{0, 1}, NormalDist{0, 1, -inf, inf}, BetaDist{2, 5, 0, 1}, TriangularDist{0, 0, 1}} {
		if err := d.Check(); err != nil {
			t.Errorf("%+v: %v", d, err)
		}
	}
}

func BenchmarkSobolPoint10(b *testing.B) {
	s, _ := NewSobol(10)
	x := make([]float64, 10)
	for i := 0; b.Loop(); i++ {
		s.Point(uint64(i), x)
	}
}

func BenchmarkLatinHypercubePoint10(b *testing.B) {
	l, _ := NewLatinHypercube(1_000_000, 10, 1)
	x := make([]float64, 10)
	for i := 0; b.Loop(); i++ {
		l.Point(uint64(i%1_000_000), x)
	}
}
