package uncertainty

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/parleyhq/parley/forecast"
	"github.com/parleyhq/parley/forecast/baseline"
	"github.com/parleyhq/parley/forecast/bdm"
	"github.com/parleyhq/parley/forecast/smp"
)

// seedFlag is the master seed of the statistical tests; their tolerances
// hold for any seed with overwhelming probability (-uncertainty.seed N to
// try another).
var seedFlag = flag.Uint64("uncertainty.seed", 1, "master seed of the statistical tests")

func read(t testing.TB, file string) *forecast.Input {
	t.Helper()
	in, err := forecast.ReadFile("../testdata/"+file, "")
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func run(t testing.TB, in *forecast.Input, m *Model, opt Options) *Summary {
	t.Helper()
	s, err := Run(context.Background(), in, m, opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func baselines(t testing.TB, in *forecast.Input, kinds ...string) *Model {
	t.Helper()
	if len(kinds) == 0 {
		kinds = []string{Mean, Median, Condorcet}
	}
	m, err := Baselines(in, kinds, baseline.CapabilitySalience, baseline.Proportional)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// render writes everything a summary says, so that two summaries can be
// compared (NaN equals NaN here, unlike under reflect.DeepEqual).
func render(s *Summary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s runs %d void %d det %v %s stops %v\n", s.Model, s.Runs, s.Void, s.Deterministic, s.DetStop, s.Stops)
	for q, st := range s.Stats {
		fmt.Fprintf(&b, "%+v n %d none %d mean %v sd %v min %v max %v q", s.Quantities[q], st.Count(), st.None(), st.Mean(), st.SD(), st.Min(), st.Max())
		for _, p := range []float64{0, 0.05, 0.25, 0.5, 0.75, 0.95, 1} {
			fmt.Fprintf(&b, " %v", st.Quantile(p))
		}
		fmt.Fprintf(&b, " hist %v\n", st.Histogram(20))
	}
	return b.String()
}

// allEqual checks that every run of s gave the deterministic forecast.
func allEqual(t *testing.T, s *Summary) {
	t.Helper()
	if s.Void != 0 {
		t.Errorf("%d void runs", s.Void)
	}
	for q, st := range s.Stats {
		det := s.Deterministic[q]
		if math.IsNaN(det) {
			if st.Count() != 0 || st.None() != s.Runs {
				t.Errorf("%+v: no deterministic value, but %d values", s.Quantities[q], st.Count())
			}
			continue
		}
		if st.Count() != s.Runs || st.Min() != det || st.Max() != det || st.Mean() != det || st.SD() != 0 {
			t.Errorf("%+v: %d values in [%v, %v], mean %v sd %v; deterministic %v", s.Quantities[q], st.Count(), st.Min(), st.Max(), st.Mean(), st.SD(), det)
		}
		for _, p := range []float64{0, 0.05, 0.5, 0.95, 1} {
			if v := st.Quantile(p); v != det {
				t.Errorf("%+v: quantile %v is %v, deterministic %v", s.Quantities[q], p, v, det)
			}
		}
		if h := st.Histogram(20); len(h) != 1 || h[0].Count != s.Runs || h[0].Lo != det {
			t.Errorf("%+v: histogram %v", s.Quantities[q], h)
		}
	}
}

// TestNoPerturbation: without perturbation and drops every run equals the
// deterministic forecast, for every model.
func TestNoPerturbation(t *testing.T) {
	eu := read(t, "bdm1d/eu_emissions_bdm1994.csv")
	soe := read(t, "ktab/SOE-Pol-Comp.csv")
	dummy := read(t, "ktab/dummyData_3Dim.csv")
	opt := Options{Runs: 150, Seed: 3, Chunk: 7}
	t.Run("baselines", func(t *testing.T) {
		s := run(t, eu, baselines(t, eu), opt)
		allEqual(t, s)
		if math.Abs(s.Deterministic[0]-7.389956) > 5e-7 || s.Deterministic[1] != 7 || s.Deterministic[2] != 7 {
			t.Errorf("deterministic %v", s.Deterministic)
		}
		allEqual(t, run(t, soe, baselines(t, soe), opt))
	})
	t.Run("bdm", func(t *testing.T) {
		for _, preset := range []string{"default", "masad", "mckibben"} {
			m, err := BDM(eu, bdm.Presets[preset])
			if err != nil {
				t.Fatal(err)
			}
			s := run(t, eu, m, opt)
			allEqual(t, s)
			res, err := bdm.Run(context.Background(), eu, bdm.Presets[preset])
			if err != nil {
				t.Fatal(err)
			}
			last := res.Rounds[len(res.Rounds)-1]
			if s.Deterministic[0] != last.Median || s.Deterministic[1] != last.Mean || s.Deterministic[2] != float64(len(res.Rounds)) {
				t.Errorf("%s: deterministic %v, run %v %v %d", preset, s.Deterministic, last.Median, last.Mean, len(res.Rounds))
			}
			if len(s.Stops) != 1 || s.Stops[0] != (Stop{res.Stop, s.Runs}) {
				t.Errorf("%s: stops %v, deterministic %s", preset, s.Stops, res.Stop)
			}
		}
	})
	t.Run("smp", func(t *testing.T) {
		m, err := SMP(dummy, smp.Defaults())
		if err != nil {
			t.Fatal(err)
		}
		s := run(t, dummy, m, Options{Runs: 20, Seed: 3, Chunk: 3})
		allEqual(t, s)
		res, err := smp.Run(context.Background(), dummy, smp.Defaults())
		if err != nil {
			t.Fatal(err)
		}
		// KTAB: 10 turns; the likeliest actor's final position
		last := res.States[len(res.States)-1]
		best := 0
		for i, p := range last.Prob {
			if p > last.Prob[best] {
				best = i
			}
		}
		if s.Deterministic[6] != 10 || s.Deterministic[0] != last.Positions[best][0] || s.Deterministic[4] != last.Positions[best][2] {
			t.Errorf("deterministic %v", s.Deterministic)
		}
	})
}

// TestWorkers: the summary is the same for any number of workers and any
// chunk size.
func TestWorkers(t *testing.T) {
	soe := read(t, "ktab/SOE-Pol-Comp.csv")
	eu := read(t, "bdm1d/eu_emissions_bdm1994.csv")
	p := Perturbation{Position: 0.1, Salience: 0.1, Drop: 0.1}
	mb, err := BDM(eu, bdm.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	ms, err := SMP(soe, smp.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		in   *forecast.Input
		m    *Model
		runs int
	}{
		{"baselines", soe, baselines(t, soe), 1000},
		{"bdm", eu, mb, 300},
		{"smp", soe, ms, 24},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := render(run(t, c.in, c.m, Options{Runs: c.runs, Seed: 9, Perturbation: p, Workers: 1}))
			for _, o := range []Options{{Workers: 2}, {Workers: 3, Chunk: 5}, {Workers: 8, Chunk: 1}, {Workers: 2, Chunk: 1000}} {
				o.Runs, o.Seed, o.Perturbation = c.runs, 9, p
				if got := render(run(t, c.in, c.m, o)); got != want {
					t.Errorf("workers %d chunk %d:\n%s\nwant\n%s", o.Workers, o.Chunk, got, want)
				}
			}
		})
	}
}

// TestSeeded: run n depends on (seed, n) alone — a short job's runs are
// the first runs of a long one — and another seed gives other runs.
func TestSeeded(t *testing.T) {
	eu := read(t, "bdm1d/eu_emissions_bdm1994.csv")
	m := baselines(t, eu, Mean)
	p := Perturbation{Position: 0.2, Salience: 0.2, Drop: 0.1}
	// record each run's model seed (drawn from its stream) with its
	// forecast
	record := func(seen map[uint64]float64) *Model {
		var mu sync.Mutex
		return &Model{Name: "recorded", Quantities: m.Quantities, Forecast: func(ctx context.Context, in *forecast.Input, seed uint64, out []float64) (string, error) {
			stop, err := m.Forecast(ctx, in, seed, out)
			if seed != 0 {
				mu.Lock()
				seen[seed] = out[0]
				mu.Unlock()
			}
			return stop, err
		}}
	}
	short, long := map[uint64]float64{}, map[uint64]float64{}
	a := run(t, eu, record(short), Options{Runs: 50, Seed: 4, Perturbation: p, Workers: 1})
	run(t, eu, record(long), Options{Runs: 3000, Seed: 4, Perturbation: p, Workers: 2, Chunk: 9})
	if len(short) != 50-a.Void {
		t.Fatalf("%d runs recorded", len(short))
	}
	for seed, v := range short {
		if w, ok := long[seed]; !ok || w != v {
			t.Fatalf("a run of the short job (model seed %d, forecast %v) is not in the long one", seed, v)
		}
	}
	other := run(t, eu, m, Options{Runs: 50, Seed: 5, Perturbation: p})
	if other.Stats[0].Mean() == a.Stats[0].Mean() {
		t.Error("seeds 4 and 5 gave the same runs")
	}
}

// lineInput is an input on one dimension without a scale, so that
// perturbed positions are never clipped.
func lineInput() *forecast.Input {
	return &forecast.Input{
		Dimensions: []forecast.Dimension{{Name: "x"}},
		Actors: []forecast.Actor{
			{Name: "A", Capability: 3, Position: []float64{0}, Salience: []float64{0.9}},
			{Name: "B", Capability: 1, Position: []float64{10}, Salience: []float64{0.5}},
			{Name: "C", Capability: 2, Position: []float64{4}, Salience: []float64{0.7}},
			{Name: "D", Capability: 5, Position: []float64{7}, Salience: []float64{0.2}},
			{Name: "E", Capability: 1, Position: []float64{2.5}, Salience: []float64{1}},
		},
	}
}

// TestMeanClosedForm: with every position moved independently and
// uniformly by up to ±a (no clipping: the dimension has no scale), the
// weighted mean Σ w_i x_i / Σ w_i has the unperturbed mean as its
// expectation and the variance Σ w_i² σ² / (Σ w_i)², σ² = a²/3.
func TestMeanClosedForm(t *testing.T) {
	in := lineInput()
	const runs = 40000
	p := Perturbation{Position: 0.1} // a = 0.1 × the range 10 = 1
	s := run(t, in, baselines(t, in, Mean), Options{Runs: runs, Seed: *seedFlag, Perturbation: p})
	var sw, sw2, swx float64
	for _, a := range in.Actors {
		w := a.Capability * a.Salience[0]
		sw += w
		sw2 += w * w
		swx += w * a.Position[0]
	}
	a := 1.0
	mu := swx / sw
	variance := sw2 * a * a / 3 / (sw * sw)
	st := s.Stats[0]
	if s.Deterministic[0] != mu {
		t.Errorf("deterministic %v, want %v", s.Deterministic[0], mu)
	}
	// the sample mean within 4 standard errors
	if se := math.Sqrt(variance / runs); math.Abs(st.Mean()-mu) > 4*se {
		t.Errorf("mean %v, want %v ± %v", st.Mean(), mu, 4*se)
	}
	// the sample variance: its standard error is about
	// sqrt((κ - 1)/n) σ² with a kurtosis κ below 3, so below 0.8% here;
	// allow 4%
	if v := st.SD() * st.SD(); math.Abs(v/variance-1) > 0.04 {
		t.Errorf("variance %v, want %v within 4%%", v, variance)
	}
	// the distribution is symmetric about mu: its median is within a few
	// standard errors of it, and the range within ±a of it
	if med := st.Quantile(0.5); math.Abs(med-mu) > 4*1.26*math.Sqrt(variance/runs)+st.BinWidth() {
		t.Errorf("median %v, want %v", med, mu)
	}
	if st.Min() < mu-a || st.Max() > mu+a {
		t.Errorf("range [%v, %v] beyond %v ± %v", st.Min(), st.Max(), mu, a)
	}
	t.Logf("mean %.5f (exact %.5f), sd %.5f (exact %.5f)", st.Mean(), mu, st.SD(), math.Sqrt(variance))
}

// TestDropClosedForm: each of two actors dropped with probability d
// leaves fewer than two actors in 1 - (1 - d)² of the runs, which give no
// forecast; the rest give the unperturbed one.
func TestDropClosedForm(t *testing.T) {
	in := lineInput()
	in.Actors = in.Actors[:2]
	const runs, d = 20000, 0.3
	s := run(t, in, baselines(t, in), Options{Runs: runs, Seed: *seedFlag, Perturbation: Perturbation{Drop: d}})
	p := 1 - (1-d)*(1-d)
	se := math.Sqrt(p * (1 - p) / runs)
	if got := float64(s.Void) / runs; math.Abs(got-p) > 4*se {
		t.Errorf("%d void runs of %d: %v, want %v ± %v", s.Void, runs, got, p, 4*se)
	}
	for q, st := range s.Stats {
		if st.Count()+st.None() != runs-s.Void || st.Min() != st.Max() {
			t.Errorf("%+v: %d values in [%v, %v]", s.Quantities[q], st.Count(), st.Min(), st.Max())
		}
	}
}

// TestPerturbedInputs: every perturbed copy is a valid input — positions
// within the scale, saliences within 0-1 summing to at most 1 — and
// saliences are scaled down only when they sum to more than 1.
func TestPerturbedInputs(t *testing.T) {
	in := read(t, "ktab/dummyData_6Dim.csv")
	p := Perturbation{Position: 0.3, Salience: 0.3, Drop: 0.2}
	pt := newPerturber(in, p)
	var r stream
	scaled, dropped := 0, 0
	for n := range 2000 {
		r.seed(7, uint64(n))
		cp, kept := pt.draw(&r)
		dropped += len(in.Actors) - kept
		if kept < 2 {
			continue
		}
		if err := forecast.Validate(cp); err != nil {
			t.Fatalf("run %d: %v", n, err)
		}
		for _, a := range cp.Actors {
			sum := 0.0
			for _, s := range a.Salience {
				sum += s
			}
			if math.Abs(sum-1) < 1e-12 {
				scaled++
			}
		}
	}
	if scaled == 0 || dropped == 0 {
		t.Errorf("%d saliences scaled, %d actors dropped: the test does not test", scaled, dropped)
	}
	// the same stream gives the same copy
	r.seed(7, 11)
	a, _ := pt.draw(&r)
	first := fmt.Sprint(a.Actors)
	r.seed(7, 11)
	b, _ := pt.draw(&r)
	if fmt.Sprint(b.Actors) != first {
		t.Error("the same stream gave two copies")
	}
}

// TestAccommodationKept: dropping actors keeps the rows and columns of the
// others in KTAB's accommodation matrix.
func TestAccommodationKept(t *testing.T) {
	in := read(t, "ktab/smpExample_alice52.8.xml")
	pt := newPerturber(in, Perturbation{Drop: 0.5})
	var r stream
	for n := range 200 {
		r.seed(1, uint64(n))
		cp, kept := pt.draw(&r)
		if len(cp.Accommodation) != kept {
			t.Fatalf("run %d: %d rows for %d actors", n, len(cp.Accommodation), kept)
		}
		for i, a := range cp.Actors {
			for j, b := range cp.Actors {
				want := in.Accommodation[in.ActorIndex(a.Name)][in.ActorIndex(b.Name)]
				if cp.Accommodation[i][j] != want {
					t.Fatalf("run %d: %s→%s %v, want %v", n, a.Name, b.Name, cp.Accommodation[i][j], want)
				}
			}
		}
	}
}

// TestSMPStochasticRuns: with stochastic transitions each run draws its
// own, so even unperturbed runs spread; the unperturbed reference run
// uses the options' seed.
func TestSMPStochasticRuns(t *testing.T) {
	in := read(t, "ktab/smpExample_alice52.8.xml")
	opt, err := smp.FromInput(in)
	if err != nil {
		t.Fatal(err)
	}
	m, err := SMP(in, opt)
	if err != nil {
		t.Fatal(err)
	}
	s := run(t, in, m, Options{Runs: 40, Seed: 2})
	if s.Stats[0].Min() == s.Stats[0].Max() {
		t.Error("stochastic transitions gave 40 equal runs")
	}
	res, err := smp.Run(context.Background(), in, opt)
	if err != nil {
		t.Fatal(err)
	}
	if s.Deterministic[len(s.Deterministic)-1] != float64(len(res.States)-1) {
		t.Errorf("reference run of %v turns, the options' seed gives %d", s.Deterministic[len(s.Deterministic)-1], len(res.States)-1)
	}
}

// TestStreaming: memory does not grow with the number of runs. A cheap
// model is run 300,000 times; keeping its values would take 2.4 MB.
func TestStreaming(t *testing.T) {
	if testing.Short() {
		t.Skip("300,000 runs")
	}
	in := lineInput()
	m := baselines(t, in, Mean)
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	var early, late uint64
	_ = run(t, in, m, Options{Runs: 300000, Seed: 1, Perturbation: Perturbation{Position: 0.1}, Workers: 2, Progress: func(done, total int) {
		switch {
		case early == 0 && done >= 20000:
			early = heap()
		case late == 0 && done >= 290000:
			late = heap()
		}
	}})
	if late > early+512<<10 {
		t.Errorf("the heap grew from %d to %d bytes between 20,000 and 290,000 runs", early, late)
	}
	t.Logf("heap %d bytes after 20,000 runs, %d after 290,000", early, late)
}

func TestCancel(t *testing.T) {
	in := read(t, "ktab/SOE-Pol-Comp.csv")
	m, err := SMP(in, smp.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	_, err = Run(ctx, in, m, Options{Runs: 100000, Progress: func(done, _ int) { cancel() }})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// TestModelError: an error of the model stops the runs and names the run.
func TestModelError(t *testing.T) {
	in := lineInput()
	boom := errors.New("boom")
	m := &Model{Name: "failing", Quantities: []Quantity{{Name: "x", Dimension: 0}},
		Forecast: func(_ context.Context, _ *forecast.Input, seed uint64, out []float64) (string, error) {
			if seed != 0 && seed%5 == 0 {
				return "", boom
			}
			out[0] = 1
			return "", nil
		}}
	if _, err := Run(context.Background(), in, m, Options{Runs: 1000}); !errors.Is(err, boom) || !strings.Contains(err.Error(), "run ") {
		t.Errorf("got %v", err)
	}
	panicky := &Model{Name: "panicky", Quantities: m.Quantities,
		Forecast: func(_ context.Context, _ *forecast.Input, seed uint64, _ []float64) (string, error) {
			if seed != 0 {
				panic("oops")
			}
			return "", nil
		}}
	if _, err := Run(context.Background(), in, panicky, Options{Runs: 10}); err == nil || !strings.Contains(err.Error(), "oops") {
		t.Errorf("got %v", err)
	}
}

func TestOptionsChecked(t *testing.T) {
	in := lineInput()
	m := baselines(t, in, Mean)
	for _, o := range []Options{{Runs: 0}, {Runs: 1, Perturbation: Perturbation{Position: -1}},
		{Runs: 1, Perturbation: Perturbation{Salience: 2}}, {Runs: 1, Perturbation: Perturbation{Drop: 1}},
		{Runs: 1, Perturbation: Perturbation{Position: math.NaN()}}} {
		if _, err := Run(context.Background(), in, m, o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	if _, err := Baselines(in, []string{"mode"}, baseline.CapabilitySalience, baseline.Proportional); err == nil {
		t.Error("no error for an unknown baseline")
	}
	if _, err := SMP(in, smp.Defaults()); !errors.Is(err, smp.ErrScale) {
		t.Errorf("smp on a dimension without scale: %v", err)
	}
}
