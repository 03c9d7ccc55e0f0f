package montecarlo_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/montecarlo"
)

func TestMeanSD(t *testing.T) {
	cases := []struct {
		name           string
		w, sum, sum2   float64
		mean, sd       float64
		nanMean, nanSD bool
	}{
		// 1, 2, 3, 4: mean 5/2, population variance 30/4 − 25/4 = 5/4
		{name: "1..4", w: 4, sum: 10, sum2: 30, mean: 2.5, sd: math.Sqrt(1.25)},
		// 0 with weight 1 and 1 with weight 3: mean 3/4, variance 3/4 − 9/16 = 3/16
		{name: "weighted", w: 4, sum: 3, sum2: 3, mean: 0.75, sd: math.Sqrt(3.0 / 16)},
		// probabilities as weights: 2 w.p. 0.25, −2 w.p. 0.75: mean −1, E[x²] = 4, variance 3
		{name: "probabilities", w: 1, sum: 0.25*2 - 0.75*2, sum2: 4, mean: -1, sd: math.Sqrt(3)},
		// one history: no spread
		{name: "single", w: 1, sum: 7, sum2: 49, mean: 7, sd: 0},
		// nothing observed
		{name: "empty", w: 0, nanMean: true, nanSD: true},
	}
	for _, c := range cases {
		m, sd := montecarlo.MeanSD(c.w, c.sum, c.sum2)
		if c.nanMean != math.IsNaN(m) || c.nanSD != math.IsNaN(sd) {
			t.Errorf("%s: MeanSD = %v, %v; want NaN: %v, %v", c.name, m, sd, c.nanMean, c.nanSD)
			continue
		}
		if !c.nanMean && (math.Abs(m-c.mean) > 1e-15 || math.Abs(sd-c.sd) > 1e-15) {
			t.Errorf("%s: MeanSD = %v, %v; want %v, %v", c.name, m, sd, c.mean, c.sd)
		}
	}
}

// TestMeanSDOfAConstantIsZero sums a constant the way a Summary does (with
// weight 1, or with probabilities as weights) and wants a standard deviation
// of exactly 0. Σx² and (Σx)²/n round differently, and without a floor the
// square root turns a variance of 1e-16 relative into an sd of 1e-8: the
// korea status-quo roadmap reported trust 0.6 ± 6.1e-8 from 20 000 histories.
func TestMeanSDOfAConstantIsZero(t *testing.T) {
	for _, x := range []float64{0.6, 0.7, 0.1, 1.0 / 3, 0.123456789, 6, 2.9, -1.7} {
		for _, n := range []int{3, 1000, 20000} {
			var w, s, s2 float64
			for c := 0; c < n; c += 500 { // chunked, then merged, like Compare
				var cw, cs, cs2 float64
				for i := c; i < min(n, c+500); i++ {
					cw++
					cs += x
					cs2 += x * x
				}
				w, s, s2 = w+cw, s+cs, s2+cs2
			}
			if m, sd := montecarlo.MeanSD(w, s, s2); sd != 0 || math.Abs(m-x) > 1e-12*math.Abs(x) {
				t.Errorf("constant %v, %d times: MeanSD = %v, %v; want %v, 0", x, n, m, sd, x)
			}
		}
		// weights that are probabilities, as from the exact solver: 0.42 + 0.18 + 0.28 + 0.12
		var w, s, s2 float64
		for _, p := range []float64{0.6 * 0.7, 0.6 * 0.3, 0.4 * 0.7, 0.4 * 0.3} {
			w += p
			s += p * x
			s2 += p * x * x
		}
		if m, sd := montecarlo.MeanSD(w, s, s2); sd != 0 || math.Abs(m-x) > 1e-12*math.Abs(x) {
			t.Errorf("constant %v under probability weights: MeanSD = %v, %v; want %v, 0", x, m, sd, x)
		}
	}
	// a small but real spread is kept: 0.7 and 0.7001 half and half, sd 5e-5
	if _, sd := montecarlo.MeanSD(2, 0.7+0.7001, 0.7*0.7+0.7001*0.7001); math.Abs(sd-5e-5) > 1e-11 {
		t.Errorf("sd of {0.7, 0.7001} = %v, want 5e-5", sd)
	}
}

// history is the part of an engine.Result that a Summary aggregates, copied
// out of the engine's reused buffers.
type history struct {
	status   engine.Status
	cause    engine.Cause
	rounds   int
	types    []int
	util     []float64
	expo     []float64
	lev      []float64
	msTrue   []int
	msBelief [][]int
	trust    [][][]float64 // [t][o][j]
	insec    [][]float64   // [t][a]
}

func copyResult(r *model.Roadmap, res *engine.Result) history {
	na, hor := len(r.Actors), r.Horizon
	h := history{status: res.Status, cause: res.Cause, rounds: res.Rounds,
		types: append([]int(nil), res.Types...), util: append([]float64(nil), res.Utility...),
		expo: append([]float64(nil), res.Exposure...), lev: append([]float64(nil), res.Leverage...),
		msTrue: append([]int(nil), res.MilestoneTrue...)}
	for _, b := range res.MilestoneBelieved {
		h.msBelief = append(h.msBelief, append([]int(nil), b...))
	}
	for t := 0; t <= hor; t++ {
		tr := make([][]float64, na)
		in := make([]float64, na)
		for o := 0; o < na; o++ {
			in[o] = res.InsecurityAt(t, o)
			tr[o] = make([]float64, na)
			for j := 0; j < na; j++ {
				tr[o][j] = res.TrustAt(t, o, j)
			}
		}
		h.trust = append(h.trust, tr)
		h.insec = append(h.insec, in)
	}
	return h
}

// play runs histories lo..hi−1 of roadmap r with seed 1.
func play(r *model.Roadmap, lo, hi int, f func(n int, res *engine.Result)) {
	e := engine.New(r)
	var src engine.PCG
	for n := lo; n < hi; n++ {
		src.Seed(1, uint64(n))
		f(n, e.Run(&src))
	}
}

// TestAddAgainstDirectSums recomputes every entry of a Summary from copies
// of the histories, straight from the definitions, and compares.
func TestAddAgainstDirectSums(t *testing.T) {
	for _, r := range append(noisy(t), korea(t)[1]) {
		const n = 400
		var hs []history
		s := montecarlo.NewSummary(r)
		// uneven weights, as from the exact solver
		weight := func(i int) float64 { return 1 + float64(i%3)/4 }
		play(r, 0, n, func(i int, res *engine.Result) {
			hs = append(hs, copyResult(r, res))
			s.Add(res, weight(i))
		})
		na, hor, nm := len(r.Actors), r.Horizon, len(r.Milestones)
		mt := 0
		for _, a := range r.Actors {
			mt = max(mt, len(a.Types))
		}
		var N float64
		var status [engine.NumStatus]float64
		causes := map[engine.Cause]float64{}
		msReach := make([]float64, nm*(hor+1))
		msBel := make([]float64, nm*(hor+1))
		typeW := make([]float64, na*na*mt)
		util := make([]float64, na*na*mt)
		lev2 := make([]float64, na*na*mt)
		utilAll := make([]float64, na)
		expoAll2 := make([]float64, na)
		trust := make([]float64, (hor+1)*na*na)
		insec2 := make([]float64, (hor+1)*na)
		var rounds float64
		for i, h := range hs {
			w := weight(i)
			N += w
			status[h.status] += w
			if h.cause.Kind != engine.NoCause {
				causes[h.cause] += w
			}
			rounds += w * float64(h.rounds)
			for m := 0; m < nm; m++ {
				if h.msTrue[m] > 0 {
					msReach[m*(hor+1)+h.msTrue[m]] += w
				}
				// believed by all: the last actor's round, if every actor came to believe it
				last := 0
				for _, b := range h.msBelief[m] {
					if b == 0 {
						last = 0
						break
					}
					last = max(last, b)
				}
				if last > 0 {
					msBel[m*(hor+1)+last] += w
				}
			}
			for a := 0; a < na; a++ {
				utilAll[a] += w * h.util[a]
				expoAll2[a] += w * h.expo[a] * h.expo[a]
				for j := 0; j < na; j++ {
					k := (a*na+j)*mt + h.types[j]
					typeW[k] += w
					util[k] += w * h.util[a]
					lev2[k] += w * h.lev[a] * h.lev[a]
				}
			}
			for tt := 0; tt <= hor; tt++ {
				for o := 0; o < na; o++ {
					insec2[tt*na+o] += w * h.insec[tt][o] * h.insec[tt][o]
					for j := 0; j < na; j++ {
						trust[(tt*na+o)*na+j] += w * h.trust[tt][o][j]
					}
				}
			}
		}
		if s.Count != n || s.N != N || s.Status != status || s.Rounds != rounds {
			t.Errorf("%s: count %d N %v status %v rounds %v; want %d %v %v %v", r.ID, s.Count, s.N, s.Status, s.Rounds, n, N, status, rounds)
		}
		if !reflect.DeepEqual(s.Causes, causes) {
			t.Errorf("%s: causes %v, want %v", r.ID, s.Causes, causes)
		}
		// the weights 1, 1.25 and 1.5 are dyadic: counts stay exact; other
		// sums are compared to rounding (a compiler may fuse w·x + s)
		for _, c := range []struct {
			name      string
			got, want []float64
			tol       float64
		}{{"MsReach", s.MsReach, msReach, 0}, {"MsBelieved", s.MsBelieved, msBel, 0}, {"TypeW", s.TypeW, typeW, 0},
			{"Util", s.Util, util, 1e-13}, {"Lev2", s.Lev2, lev2, 1e-13}, {"UtilAll", s.UtilAll, utilAll, 1e-13},
			{"ExpoAll2", s.ExpoAll2, expoAll2, 1e-13}, {"Trust", s.Trust, trust, 1e-13}, {"Insecurit2", s.Insecurit2, insec2, 1e-13}} {
			if len(c.got) != len(c.want) {
				t.Errorf("%s: %s has %d entries, want %d", r.ID, c.name, len(c.got), len(c.want))
				continue
			}
			for i := range c.got {
				if c.tol == 0 && c.got[i] != c.want[i] || !near(c.got[i], c.want[i], c.tol) {
					t.Errorf("%s: %s[%d] = %v, want %v", r.ID, c.name, i, c.got[i], c.want[i])
					break
				}
			}
		}
		// the derived shares hang together
		total := 0.0
		for st := engine.Status(0); st < engine.NumStatus; st++ {
			total += s.Prob(st)
		}
		if math.Abs(total-1) > 1e-12 {
			t.Errorf("%s: outcome shares sum to %v", r.ID, total)
		}
		for m := 0; m < nm; m++ {
			prev := 0.0
			for tt := 0; tt <= hor+2; tt++ {
				p := s.MilestoneBy(m, tt)
				if p < prev || p > 1+1e-12 || s.MilestoneBelievedBy(m, tt) > 1+1e-12 {
					t.Errorf("%s: milestone %d by round %d: %v after %v", r.ID, m, tt, p, prev)
				}
				prev = p
			}
			// the mean round, from the direct sums
			c, sum := 0.0, 0.0
			for tt := 1; tt <= hor; tt++ {
				c += msReach[m*(hor+1)+tt]
				sum += float64(tt) * msReach[m*(hor+1)+tt]
			}
			if got := s.MilestoneRounds(m); c > 0 && math.Abs(got-sum/c) > 1e-12 || c == 0 && !math.IsNaN(got) {
				t.Errorf("%s: milestone %d mean round %v, want %v", r.ID, m, got, sum/c)
			}
			if c > 0 && math.Abs(s.MilestoneBy(m, hor)-c/N) > 1e-12 {
				t.Errorf("%s: milestone %d by the horizon %v, want %v", r.ID, m, s.MilestoneBy(m, hor), c/N)
			}
		}
	}
}

// summarise adds histories lo..hi−1 of r to a fresh summary.
func summarise(r *model.Roadmap, lo, hi int) *montecarlo.Summary {
	s := montecarlo.NewSummary(r)
	play(r, lo, hi, func(_ int, res *engine.Result) { s.Add(res, 1) })
	return s
}

// TestMergeOfHalvesEqualsAddOfAll: merging changes the order of the
// floating-point additions, so sums of non-integers agree to rounding only;
// counts (histories, outcomes, causes, milestone rounds, type draws) agree
// exactly.
func TestMergeOfHalvesEqualsAddOfAll(t *testing.T) {
	for _, r := range append(noisy(t), korea(t)...) {
		const n = 300
		all := summarise(r, 0, n)
		a, b := summarise(r, 0, 137), summarise(r, 137, n)
		a.Merge(b)
		sameCounts(t, r.ID, a, all, 1e-12)
	}
}

// TestMergeIntoEmpty: 0 + x = x exactly, so merging into an empty summary copies it.
func TestMergeIntoEmpty(t *testing.T) {
	r := noisy(t)[0]
	s := summarise(r, 0, 250)
	e := montecarlo.NewSummary(r)
	e.Merge(s)
	if !reflect.DeepEqual(e, s) {
		t.Errorf("merge into an empty summary is not a copy")
	}
	// and merging an empty summary changes nothing
	before := summarise(r, 0, 250)
	s.Merge(montecarlo.NewSummary(r))
	if !reflect.DeepEqual(before, s) {
		t.Errorf("merging an empty summary changed it")
	}
	if len(s.Causes) == 0 {
		t.Errorf("no causes: the test does not exercise the merge of causes")
	}
}

// TestReset: a reset summary is a new one, and refilling it gives the same sums.
func TestReset(t *testing.T) {
	r := noisy(t)[1]
	s := summarise(r, 0, 200)
	s.Reset()
	if !reflect.DeepEqual(s, montecarlo.NewSummary(r)) {
		t.Fatalf("a reset summary differs from a new one")
	}
	play(r, 0, 200, func(_ int, res *engine.Result) { s.Add(res, 1) })
	if !reflect.DeepEqual(s, summarise(r, 0, 200)) {
		t.Errorf("a refilled summary differs from a fresh one")
	}
}
