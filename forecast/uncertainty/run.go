package uncertainty

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"

	"github.com/parleyhq/parley/forecast"
)

// DefaultChunk is the number of runs a worker does at a time.
const DefaultChunk = 64

// Options control the Monte Carlo runs.
type Options struct {
	// Runs is the number of runs (at least 1).
	Runs int
	// Seed is the master seed: run n draws its perturbation, and the seed
	// of the model's own random choices, from a stream seeded with (Seed,
	// n) alone.
	Seed uint64
	// Perturbation says how each run changes the input.
	Perturbation Perturbation
	// Workers is the number of goroutines (0: GOMAXPROCS). Chunk is the
	// number of runs a worker does at a time (0: DefaultChunk). Neither
	// changes the result: the runs' forecasts are folded into the summary
	// one by one, in the order of the runs.
	Workers, Chunk int
	// Progress, when set, is called with the number of runs done so far,
	// from one goroutine at a time.
	Progress func(done, total int)
}

// Summary is the distribution of a model's forecast over the runs.
type Summary struct {
	// Model is the model's name; Quantities its quantities, with the
	// ranges of positions filled in; Dimensions the names of the input's
	// dimensions, which Quantity.Dimension indexes.
	Model      string
	Quantities []Quantity
	Dimensions []string
	// Deterministic is the forecast of the unperturbed input (NaN where the
	// model gives none), with its end.
	Deterministic []float64
	DetStop       string
	// Runs is the number of runs; Void the number of them that gave no
	// forecast (fewer than two actors left, or ErrNoForecast).
	Runs, Void int
	// Stats holds the distribution of each quantity over the other runs.
	Stats []*Stats
	// Stops counts how the runs that gave a forecast ended, by label in
	// alphabetical order (empty when the model does not say).
	Stops []Stop
	// Seed and Perturbation are the options of the runs.
	Seed         uint64
	Perturbation Perturbation
}

// Stop is the number of runs that ended one way.
type Stop struct {
	Label string
	Runs  int
}

// ErrRuns reports a number of runs below 1.
var ErrRuns = errors.New("the number of runs must be at least 1")

// chunkResult is what a worker hands back for a chunk of runs: every
// run's quantities in run order, whether it gave a forecast and how it
// ended.
type chunkResult struct {
	index  int
	values []float64
	void   []bool
	stops  []string
}

// Run runs model m opt.Runs times on perturbed copies of in and returns
// the distribution of its forecast. Workers do chunks of runs in parallel,
// and at most a few chunks per worker wait to be folded in, so memory does
// not grow with the number of runs. The result depends only on in, m and
// opt.Seed, opt.Runs and opt.Perturbation.
func Run(ctx context.Context, in *forecast.Input, m *Model, opt Options) (*Summary, error) {
	if opt.Runs < 1 {
		return nil, ErrRuns
	}
	if err := opt.Perturbation.check(); err != nil {
		return nil, err
	}
	if err := forecast.Validate(in); err != nil {
		return nil, err
	}
	if opt.Chunk <= 0 {
		opt.Chunk = DefaultChunk
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunks := (opt.Runs + opt.Chunk - 1) / opt.Chunk
	workers = min(workers, chunks)

	nq := len(m.Quantities)
	sum := &Summary{Model: m.Name, Runs: opt.Runs, Seed: opt.Seed, Perturbation: opt.Perturbation,
		Quantities: append([]Quantity(nil), m.Quantities...), Dimensions: in.DimensionNames(), Deterministic: make([]float64, nq)}
	ranges := positionRanges(in, opt.Perturbation)
	for q := range sum.Quantities {
		qt := &sum.Quantities[q]
		if qt.Dimension >= 0 {
			qt.Min, qt.Max = ranges[qt.Dimension][0], ranges[qt.Dimension][1]
		}
		sum.Stats = append(sum.Stats, newStats(qt.Min, qt.Max, qt.Integer))
	}
	stop, err := m.Forecast(ctx, in, 0, sum.Deterministic)
	switch {
	case errors.Is(err, ErrNoForecast):
		for q := range sum.Deterministic {
			sum.Deterministic[q] = math.NaN()
		}
	case err != nil:
		return nil, err
	}
	sum.DetStop = stop

	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// A token is taken for each chunk handed out and given back once the
	// chunk is folded in: at most `window` chunks are in flight.
	window := 2 * workers
	tokens := make(chan struct{}, window)
	work := make(chan int)
	done := make(chan chunkResult, window)
	var failOnce sync.Once
	var failure error
	fail := func(err error) {
		failOnce.Do(func() { failure = err })
		cancel()
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					fail(fmt.Errorf("internal error in a run of %s: %v", m.Name, p))
				}
			}()
			pt := newPerturber(in, opt.Perturbation)
			var r stream
			for c := range work {
				lo := c * opt.Chunk
				hi := min(lo+opt.Chunk, opt.Runs)
				res := chunkResult{index: c, values: make([]float64, (hi-lo)*nq), void: make([]bool, hi-lo), stops: make([]string, hi-lo)}
				for n := lo; n < hi; n++ {
					r.seed(opt.Seed, uint64(n))
					pin, kept := pt.draw(&r)
					seed := r.g.Uint64() | 1 // never 0, which means the model's own seed
					k := n - lo
					if kept < 2 {
						res.void[k] = true
						continue
					}
					s, err := m.Forecast(ctx, pin, seed, res.values[k*nq:(k+1)*nq])
					switch {
					case errors.Is(err, ErrNoForecast):
						res.void[k] = true
					case err != nil:
						if ctx.Err() == nil {
							fail(fmt.Errorf("run %d: %w", n, err))
						}
						return
					}
					res.stops[k] = s
				}
				select {
				case done <- res:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(work)
		for c := range chunks {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case work <- c:
			case <-ctx.Done():
				return
			}
		}
	}()

	stops := map[string]int{}
	pending := make(map[int]chunkResult, window)
	next, runs := 0, 0
merge:
	for next < chunks {
		select {
		case res := <-done:
			pending[res.index] = res
			for {
				p, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				for k, void := range p.void {
					if void {
						sum.Void++
						continue
					}
					for q, st := range sum.Stats {
						st.add(p.values[k*nq+q])
					}
					if p.stops[k] != "" {
						stops[p.stops[k]]++
					}
				}
				runs += len(p.void)
				next++
				<-tokens
				if opt.Progress != nil {
					opt.Progress(runs, opt.Runs)
				}
			}
		case <-ctx.Done():
			break merge
		}
	}
	cancel()
	wg.Wait() // after which failure is safe to read
	if failure != nil {
		return nil, failure
	}
	if next < chunks {
		return nil, parent.Err()
	}
	for label, n := range stops {
		sum.Stops = append(sum.Stops, Stop{Label: label, Runs: n})
	}
	sort.Slice(sum.Stops, func(i, j int) bool { return sum.Stops[i].Label < sum.Stops[j].Label })
	return sum, nil
}

// positionRanges returns, for each dimension, the range forecasts on it
// fall in: the scale, or without one the range of the actors' positions
// widened by the perturbation on both sides.
func positionRanges(in *forecast.Input, p Perturbation) [][2]float64 {
	out := make([][2]float64, len(in.Dimensions))
	for k, d := range in.Dimensions {
		if d.Bounded {
			out[k] = [2]float64{d.Min, d.Max}
			continue
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, a := range in.Actors {
			lo, hi = math.Min(lo, a.Position[k]), math.Max(hi, a.Position[k])
		}
		a := p.Position * (hi - lo)
		out[k] = [2]float64{lo - a, hi + a}
	}
	return out
}
