package montecarlo_test

import (
	"math"
	"testing"

	"github.com/parleyhq/parley/montecarlo"
)

// z95 is the two-sided 95% normal quantile Φ⁻¹(0.975) = √2·erf⁻¹(0.95) =
// 1.95996398454005423552…, computed to 40 digits with mpmath; math.Erfinv
// gives it independently below.
const z95 = 1.959963984540054

// TestWilsonKnownValues checks the interval against references computed to
// 40 significant digits with mpmath (Python) in two ways that agree to every
// printed digit: the closed form (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²))/(1 + z²/n),
// and bisection for the two roots in q of the score test's boundary
// (p̂ − q)² = z²·q(1 − q)/n. Three of them also follow by hand:
// p̂ = ½ gives the centre ½ exactly; p̂ = 0 gives [0, z²/(n + z²)] and p̂ = 1
// gives [n/(n + z²), 1] (with z² = 3.8414588…, n = 10: 3.8414588/13.8414588 =
// 0.2775328).
func TestWilsonKnownValues(t *testing.T) {
	cases := []struct {
		p      float64
		n      int
		lo, hi float64
	}{
		{0.5, 100, 0.403831530365996, 0.596168469634004},
		{0, 10, 0, 0.277532799862889},
		{1, 10, 0.722467200137111, 1},
		{0.2, 50, 0.112437500157761, 0.330371059322254},
		{0.42, 4, 0.111522799604692, 0.806859734228044},
		{0.18, 4, 0.0255044471223991, 0.648025688208543},
		{0.7, 4, 0.26664622697552, 0.937397438442641},
		{1, 4, 0.510109163545403, 1},
		{0, 4, 0, 0.489890836454597},
	}
	for _, c := range cases {
		lo, hi := montecarlo.Wilson(c.p, c.n)
		if math.Abs(lo-c.lo) > 1e-13 || math.Abs(hi-c.hi) > 1e-13 {
			t.Errorf("Wilson(%v, %d) = [%.15f, %.15f], want [%.15f, %.15f]", c.p, c.n, lo, hi, c.lo, c.hi)
		}
	}
	// the ends at p̂ = 0 and p̂ = 1 are exact, not merely close
	if lo, _ := montecarlo.Wilson(0, 10); lo != 0 {
		t.Errorf("lower end at p = 0 is %v, want exactly 0", lo)
	}
	if _, hi := montecarlo.Wilson(1, 10); hi != 1 {
		t.Errorf("upper end at p = 1 is %v, want exactly 1", hi)
	}
}

// TestWilsonZ95 checks the built-in z against the normal quantile from math.Erfinv.
func TestWilsonZ95(t *testing.T) {
	z := math.Sqrt2 * math.Erfinv(0.95)
	if math.Abs(z-z95) > 1e-14 {
		t.Fatalf("√2·erf⁻¹(0.95) = %v, want %v", z, z95)
	}
	for _, n := range []int{1, 7, 100, 12345} {
		for _, p := range []float64{0, 0.03, 0.5, 0.97, 1} {
			lo1, hi1 := montecarlo.Wilson(p, n)
			lo2, hi2 := montecarlo.WilsonZ(p, n, z)
			if math.Abs(lo1-lo2) > 1e-15 || math.Abs(hi1-hi2) > 1e-15 {
				t.Errorf("Wilson(%v, %d) = [%v, %v], WilsonZ with erfinv's z = [%v, %v]", p, n, lo1, hi1, lo2, hi2)
			}
		}
	}
}

// wilsonQuadratic is the textbook second form of the interval:
// (2np̂ + z² ± z·√(z² + 4np̂(1 − p̂))) / (2(n + z²)).
func wilsonQuadratic(p float64, n int, z float64) (lo, hi float64) {
	fn := float64(n)
	r := z * math.Sqrt(z*z+4*fn*p*(1-p))
	d := 2 * (fn + z*z)
	return math.Max(0, (2*fn*p+z*z-r)/d), math.Min(1, (2*fn*p+z*z+r)/d)
}

// scoreRoot finds by bisection, between a and b, the point q where the score
// test |p̂ − q| ≤ z·√(q(1 − q)/n) changes from passing to failing (or back).
func scoreRoot(p float64, n int, z, a, b float64) float64 {
	pass := func(q float64) bool { return (p-q)*(p-q) <= z*z*q*(1-q)/float64(n) }
	pa := pass(a)
	for i := 0; i < 200 && a != b; i++ {
		m := (a + b) / 2
		if m == a || m == b {
			break
		}
		if pass(m) == pa {
			a = m
		} else {
			b = m
		}
	}
	return (a + b) / 2
}

// TestWilsonIsTheScoreInterval checks on a grid of p̂ and n that the interval
// is the set of q the score test accepts: its ends agree with the quadratic
// form and with bisection on the test itself, and it holds p̂.
func TestWilsonIsTheScoreInterval(t *testing.T) {
	for _, n := range []int{1, 2, 3, 5, 10, 37, 100, 1000, 20000, 1_000_000} {
		for k := 0; k <= 40; k++ {
			p := float64(k) / 40
			for _, z := range []float64{z95, 1, 2.5758293035489} {
				lo, hi := montecarlo.WilsonZ(p, n, z)
				qlo, qhi := wilsonQuadratic(p, n, z)
				if math.Abs(lo-qlo) > 1e-12 || math.Abs(hi-qhi) > 1e-12 {
					t.Errorf("WilsonZ(%v, %d, %v) = [%v, %v], quadratic form [%v, %v]", p, n, z, lo, hi, qlo, qhi)
				}
				blo, bhi := 0.0, 1.0
				if p > 0 {
					blo = scoreRoot(p, n, z, p, 0)
				}
				if p < 1 {
					bhi = scoreRoot(p, n, z, p, 1)
				}
				if math.Abs(lo-blo) > 1e-9 || math.Abs(hi-bhi) > 1e-9 {
					t.Errorf("WilsonZ(%v, %d, %v) = [%v, %v], score-test bisection [%v, %v]", p, n, z, lo, hi, blo, bhi)
				}
				if lo > p || p > hi || lo < 0 || hi > 1 {
					t.Errorf("WilsonZ(%v, %d, %v) = [%v, %v] does not hold p̂ inside [0, 1]", p, n, z, lo, hi)
				}
				// reflection: the interval of 1 − p̂ is the mirror image
				lo2, hi2 := montecarlo.WilsonZ(1-p, n, z)
				if math.Abs(lo-(1-hi2)) > 1e-12 || math.Abs(hi-(1-lo2)) > 1e-12 {
					t.Errorf("WilsonZ(%v, %d) = [%v, %v] is not the mirror of WilsonZ(%v) = [%v, %v]", p, n, lo, hi, 1-p, lo2, hi2)
				}
			}
		}
	}
}

func TestWilsonLimits(t *testing.T) {
	// no trials: nothing is known
	for _, n := range []int{0, -3} {
		if lo, hi := montecarlo.Wilson(0.3, n); lo != 0 || hi != 1 {
			t.Errorf("Wilson(0.3, %d) = [%v, %v], want [0, 1]", n, lo, hi)
		}
	}
	// z = 0: the interval shrinks to the point estimate
	if lo, hi := montecarlo.WilsonZ(0.37, 50, 0); math.Abs(lo-0.37) > 1e-15 || math.Abs(hi-0.37) > 1e-15 {
		t.Errorf("WilsonZ(0.37, 50, 0) = [%v, %v], want [0.37, 0.37]", lo, hi)
	}
	// the width falls like 1/√n: ×100 trials, ÷10 width (to first order)
	lo1, hi1 := montecarlo.Wilson(0.3, 10_000)
	lo2, hi2 := montecarlo.Wilson(0.3, 1_000_000)
	if r := (hi1 - lo1) / (hi2 - lo2); math.Abs(r-10) > 0.01 {
		t.Errorf("width ratio for 100× the trials is %v, want ≈ 10", r)
	}
	// and for large n the half-width is the normal approximation z·√(p(1−p)/n)
	if hw, want := (hi2-lo2)/2, z95*math.Sqrt(0.3*0.7/1e6); math.Abs(hw-want) > 1e-5*want {
		t.Errorf("half-width at n = 10⁶ is %v, normal approximation %v", hw, want)
	}
}
