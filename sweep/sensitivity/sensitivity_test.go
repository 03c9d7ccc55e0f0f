package sensitivity

import (
	"math"
	"testing"

	"github.com/parleyhq/parley/sweep/sample"
)

// ishigami is f(x) = sin x₁ + a sin² x₂ + b x₃⁴ sin x₁ with x uniform on
// [−π, π]³, here from the unit cube.
func ishigami(u []float64) float64 {
	const a, b = 7, 0.1
	x1, x2, x3 := math.Pi*(2*u[0]-1), math.Pi*(2*u[1]-1), math.Pi*(2*u[2]-1)
	return math.Sin(x1) + a*math.Sin(x2)*math.Sin(x2) + b*math.Pow(x3, 4)*math.Sin(x1)
}

// The analytic indices of the Ishigami function with a = 7, b = 0.1:
// V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2, V₁ = (1 + bπ⁴/5)²/2, V₂ = a²/8,
// V₁₃ = b²π⁸(1/18 − 1/50), so S = (0.3139, 0.4424, 0) and
// ST = (0.5576, 0.4424, 0.2437).
func ishigamiIndices() (first, total [3]float64) {
	const a, b = 7.0, 0.1
	p4, p8 := math.Pow(math.Pi, 4), math.Pow(math.Pi, 8)
	v := a*a/8 + b*p4/5 + b*b*p8/18 + 0.5
	v1 := (1 + b*p4/5) * (1 + b*p4/5) / 2
	v2 := a * a / 8
	v13 := b * b * p8 * (1.0/18 - 1.0/50)
	return [3]float64{v1 / v, v2 / v, 0}, [3]float64{(v1 + v13) / v, v2 / v, v13 / v}
}

func TestIshigamiAnalyticValues(t *testing.T) {
	first, total := ishigamiIndices()
	want1, wantT := [3]float64{0.3139, 0.4424, 0}, [3]float64{0.5576, 0.4424, 0.2437}
	for i := range 3 {
		if math.Abs(first[i]-want1[i]) > 5e-5 || math.Abs(total[i]-wantT[i]) > 5e-5 {
			t.Errorf("factor %d: analytic S = %.5f, ST = %.5f; published %.4f, %.4f", i+1, first[i], total[i], want1[i], wantT[i])
		}
	}
}

func TestSobolIshigami(t *testing.T) {
	base, err := sample.NewSobol(6)
	if err != nil {
		t.Fatal(err)
	}
	d := &Saltelli{N: 1 << 13, Dim: 3, Base: base, First: 1}
	y := make([]float64, d.Len())
	x, scratch := make([]float64, 3), make([]float64, 6)
	for k := range d.Len() {
		d.Point(k, x, scratch)
		y[k] = ishigami(x)
	}
	got, err := Sobol(y, 3, BootstrapOptions{Resamples: 500, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	first, total := ishigamiIndices()
	for i := range 3 {
		t.Logf("x%d: S = %.4f [%.4f, %.4f] (exact %.4f), ST = %.4f [%.4f, %.4f] (exact %.4f)", i+1,
			got.First[i].Est, got.First[i].Lo, got.First[i].Hi, first[i], got.Total[i].Est, got.Total[i].Lo, got.Total[i].Hi, total[i])
		if e := math.Abs(got.First[i].Est - first[i]); e > 0.003 {
			t.Errorf("x%d: first-order index %.4f, exact %.4f", i+1, got.First[i].Est, first[i])
		}
		if e := math.Abs(got.Total[i].Est - total[i]); e > 0.003 {
			t.Errorf("x%d: total index %.4f, exact %.4f", i+1, got.Total[i].Est, total[i])
		}
		for _, c := range []struct {
			iv    Interval
			exact float64
		}{{got.First[i], first[i]}, {got.Total[i], total[i]}} {
			if !(c.iv.Lo <= c.iv.Est && c.iv.Est <= c.iv.Hi) || c.iv.Hi-c.iv.Lo > 0.1 {
				t.Errorf("x%d: interval [%g, %g] around %g", i+1, c.iv.Lo, c.iv.Hi, c.iv.Est)
			}
		}
	}
}

// With independent uniform points instead of the Sobol sequence the
// estimates are noisier but still close, and the intervals cover the truth.
func TestSobolIshigamiMonteCarlo(t *testing.T) {
	d := &Saltelli{N: 1 << 14, Dim: 3, Base: sample.NewUniform(1<<14, 6, 5)}
	y := make([]float64, d.Len())
	x, scratch := make([]float64, 3), make([]float64, 6)
	for k := range d.Len() {
		d.Point(k, x, scratch)
		y[k] = ishigami(x)
	}
	got, err := Sobol(y, 3, BootstrapOptions{Resamples: 300, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	first, total := ishigamiIndices()
	for i := range 3 {
		for _, c := range []struct {
			name  string
			iv    Interval
			exact float64
		}{{"S", got.First[i], first[i]}, {"ST", got.Total[i], total[i]}} {
			if math.Abs(c.iv.Est-c.exact) > 0.03 || c.exact < c.iv.Lo || c.exact > c.iv.Hi {
				t.Errorf("x%d %s: %.4f [%.4f, %.4f], exact %.4f", i+1, c.name, c.iv.Est, c.iv.Lo, c.iv.Hi, c.exact)
			}
		}
	}
}

func TestSobolRejectsBadInput(t *testing.T) {
	if _, err := Sobol(make([]float64, 10), 3, BootstrapOptions{}); err != ErrConstantOutput {
		t.Errorf("constant output: %v", err)
	}
	if _, err := Sobol(make([]float64, 7), 3, BootstrapOptions{}); err == nil {
		t.Error("7 outputs for 3 factors: no error")
	}
	y := []float64{1, 2, 3, 4, 5, 6, 7, math.NaN(), 9, 10}
	if _, err := Sobol(y, 3, BootstrapOptions{}); err == nil {
		t.Error("NaN output: no error")
	}
}

func TestSaltelliDesignLayout(t *testing.T) {
	base, _ := sample.NewSobol(4)
	d := &Saltelli{N: 3, Dim: 2, Base: base, First: 1}
	raw := make([]float64, 4)
	x, scratch := make([]float64, 2), make([]float64, 4)
	for j := uint64(0); j < 3; j++ {
		base.Point(j+1, raw)
		a, b := raw[:2], raw[2:]
		want := [][]float64{{a[0], a[1]}, {b[0], a[1]}, {a[0], b[1]}, {b[0], b[1]}}
		for blk, w := range want {
			d.Point(j*4+uint64(blk), x, scratch)
			if x[0] != w[0] || x[1] != w[1] {
				t.Errorf("row %d block %d: %v, want %v", j, blk, x, w)
			}
		}
	}
}

func morrisOutputs(m *Morris, f func([]float64) float64) []float64 {
	y := make([]float64, m.Len())
	x := make([]float64, m.Dim)
	for k := range m.Len() {
		m.Point(k, x)
		y[k] = f(x)
	}
	return y
}

// A linear function has constant elementary effects: its coefficients.
func TestMorrisLinear(t *testing.T) {
	m := &Morris{R: 20, Dim: 4, Levels: 4, Seed: 3}
	y := morrisOutputs(m, func(x []float64) float64 { return 2*x[0] - 0.5*x[1] + 0*x[2] + 10*x[3] })
	got, err := MorrisEffects(m, y, BootstrapOptions{Resamples: 200, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []float64{2, -0.5, 0, 10} {
		if math.Abs(got.Mu[i]-c) > 1e-12 || math.Abs(got.MuStar[i].Est-math.Abs(c)) > 1e-12 || got.Sigma[i] > 1e-12 {
			t.Errorf("factor %d: μ = %g, μ* = %g, σ = %g; want %g, %g, 0", i, got.Mu[i], got.MuStar[i].Est, got.Sigma[i], c, math.Abs(c))
		}
	}
}

// f = x₁ + x₂² + x₁x₃: with p = 4 levels, Δ = 2/3 and base levels {0, 1/3},
// the effect of x₂ is 2x₂ + Δ ∈ {2/3, 4/3} (mean 1), that of x₁ is 1 + x₃
// with x₃ on the grid, and that of x₃ is x₁; factor 4 does nothing.
func TestMorrisKnownEffects(t *testing.T) {
	m := &Morris{R: 4000, Dim: 4, Levels: 4, Seed: 11}
	y := morrisOutputs(m, func(x []float64) float64 { return x[0] + x[1]*x[1] + x[0]*x[2] })
	got, err := MorrisEffects(m, y, BootstrapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// every grid level of x₃ (and of x₁) is equally likely where the others move: mean 1/2
	want := []float64{1.5, 1, 0.5, 0}
	for i, w := range want {
		if math.Abs(got.Mu[i]-w) > 0.03 {
			t.Errorf("factor %d: μ = %.4f, want %.4f", i, got.Mu[i], w)
		}
	}
	// x₂'s effect is 2/3 or 4/3 with equal chance: σ = 1/3
	if math.Abs(got.Sigma[1]-1.0/3) > 0.01 {
		t.Errorf("σ₂ = %.4f, want 1/3", got.Sigma[1])
	}
	if got.Sigma[3] != 0 || got.Mu[3] != 0 {
		t.Errorf("factor 4: μ = %g, σ = %g, want 0", got.Mu[3], got.Sigma[3])
	}
}

func TestMorrisTrajectoriesStayOnTheGrid(t *testing.T) {
	m := &Morris{R: 50, Dim: 5, Levels: 6, Seed: 1}
	x, prev := make([]float64, 5), make([]float64, 5)
	for k := range m.Len() {
		m.Point(k, x)
		for _, v := range x {
			if l := v * 5; v < 0 || v > 1 || math.Abs(l-math.Round(l)) > 1e-12 {
				t.Fatalf("point %d: %v is off the grid", k, x)
			}
		}
		if k%6 != 0 {
			moved := 0
			for i := range x {
				if x[i] != prev[i] {
					moved++
					if math.Abs(math.Abs(x[i]-prev[i])-m.Delta()) > 1e-12 {
						t.Fatalf("point %d: factor %d jumps by %g", k, i, x[i]-prev[i])
					}
				}
			}
			if moved != 1 {
				t.Fatalf("point %d: %d factors moved", k, moved)
			}
		}
		copy(prev, x)
	}
}

func TestMorrisChecks(t *testing.T) {
	for _, m := range []*Morris{{R: 5, Dim: 2, Levels: 3}, {R: 1, Dim: 2, Levels: 4}, {R: 5, Dim: 0, Levels: 4}} {
		if m.Check() == nil {
			t.Errorf("%+v: no error", m)
		}
	}
}

func TestOneAtATime(t *testing.T) {
	// base 0.42; factor 4 has one level, on one side of the base
	got := OneAtATime(0.42, [][]float64{{0.4, 0.5, 0.45}, {0.9, 0.1}, {0.5, 0.5}, {0.2, 0.6}, {0.3}})
	want := []Swing{
		{Factor: 1, Low: 0.9, High: 0.1, Min: 0.1, Max: 0.9, Range: 0.8},
		{Factor: 3, Low: 0.2, High: 0.6, Min: 0.2, Max: 0.6, Range: 0.39999999999999997},
		{Factor: 4, Low: 0.3, High: 0.3, Min: 0.3, Max: 0.42, Range: 0.12},
		{Factor: 0, Low: 0.4, High: 0.45, Min: 0.4, Max: 0.5, Range: 0.09999999999999998},
		{Factor: 2, Low: 0.5, High: 0.5, Min: 0.42, Max: 0.5, Range: 0.08000000000000002},
	}
	if len(got) != len(want) {
		t.Fatalf("%v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("bar %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func BenchmarkSobolIndices(b *testing.B) {
	base, _ := sample.NewSobol(20)
	d := &Saltelli{N: 4096, Dim: 10, Base: base, First: 1}
	y := make([]float64, d.Len())
	x, scratch := make([]float64, 10), make([]float64, 20)
	for k := range d.Len() {
		d.Point(k, x, scratch)
		y[k] = x[0] + x[1]*x[2]
	}
	for b.Loop() {
		if _, err := Sobol(y, 10, BootstrapOptions{Resamples: 100}); err != nil {
			b.Fatal(err)
		}
	}
}
