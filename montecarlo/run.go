package montecarlo

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/model"
)

// DefaultChunk is the number of histories aggregated together before merging.
const DefaultChunk = 500

// Options control a Monte Carlo run.
type Options struct {
	// Runs is the number of histories per roadmap (≥ 1).
	Runs int
	// Seed is the master seed; history n of every roadmap is seeded from (Seed, n).
	Seed uint64
	// Workers is the number of goroutines (default: GOMAXPROCS). It never changes the results.
	Workers int
	// Chunk is the number of histories per chunk (default DefaultChunk). It is part of
	// the definition of the result: the same Chunk gives byte-identical results for any Workers.
	Chunk int
	// Progress, if set, is called with the number of histories done so far
	// (all roadmaps together), from one goroutine at a time.
	Progress func(done, total int)
	// Yield makes each worker yield to the scheduler every eight histories,
	// so that the other goroutines of the process (a web server's handlers)
	// get a core within about a tenth of a millisecond instead of waiting
	// for the scheduler to preempt a worker. It costs almost nothing when
	// every core has a worker, but slows a run that leaves a core idle
	// (the yielding worker then hops between threads), so it is off by
	// default. It never changes the results.
	Yield bool
}

// ErrRuns is returned for a non-positive number of runs.
var ErrRuns = errors.New("the number of runs must be at least 1")

// Run runs opt.Runs histories of one roadmap.
func Run(ctx context.Context, r *model.Roadmap, opt Options) (*Summary, error) {
	out, err := Compare(ctx, []*model.Roadmap{r}, opt)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// yieldEvery+1 is how many histories a worker runs between two yields to
// the scheduler with Options.Yield (a power of two).
const yieldEvery = 7

type job struct {
	index   int // global order: chunk-major, then roadmap
	roadmap int
	chunk   int
	sum     *Summary
}

// Compare runs opt.Runs histories of every roadmap with common random
// numbers: history n of each roadmap uses the stream seeded from (Seed, n), so
// every roadmap meets the same draws of the actors' types. Each roadmap's
// histories are aggregated in chunks of opt.Chunk and merged in chunk order,
// so the result is the same for any number of workers.
func Compare(ctx context.Context, rs []*model.Roadmap, opt Options) ([]*Summary, error) {
	if opt.Runs < 1 {
		return nil, ErrRuns
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opt.Chunk <= 0 {
		opt.Chunk = DefaultChunk
	}
	w := opt.Workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	nc := (opt.Runs + opt.Chunk - 1) / opt.Chunk
	nj := nc * len(rs)
	if w > nj {
		w = nj
	}
	out := make([]*Summary, len(rs))
	for i, r := range rs {
		out[i] = NewSummary(r)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// at most `window` jobs are handed out and not yet merged: memory stays bounded
	window := 2 * w
	tokens := make(chan struct{}, window)
	jobs := make(chan job)
	results := make(chan job, window)
	var wg sync.WaitGroup
	var panicErr error
	var panicOnce sync.Once
	for i := 0; i < w; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					panicOnce.Do(func() { panicErr = fmt.Errorf("internal error in a history: %v", p) })
					cancel()
				}
			}()
			hs := make([]*engine.History, len(rs))
			var src engine.PCG
			for j := range jobs {
				if hs[j.roadmap] == nil {
					hs[j.roadmap] = engine.New(rs[j.roadmap])
				}
				h := hs[j.roadmap]
				j.sum = NewSummary(rs[j.roadmap])
				lo := j.chunk * opt.Chunk
				hi := min(lo+opt.Chunk, opt.Runs)
				for n := lo; n < hi; n++ {
					src.Seed(opt.Seed, uint64(n))
					j.sum.Add(h.Run(&src), 1)
					if opt.Yield && n&yieldEvery == yieldEvery {
						runtime.Gosched()
					}
				}
				select {
				case results <- j:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := 0; i < nj; i++ {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- job{index: i, roadmap: i % len(rs), chunk: i / len(rs)}:
			case <-ctx.Done():
				return
			}
		}
	}()
	pending := make(map[int]job, window)
	next, done := 0, 0
	total := opt.Runs * len(rs)
	var err error
	for next < nj {
		select {
		case j := <-results:
			pending[j.index] = j
			for {
				p, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				out[p.roadmap].Merge(p.sum)
				done += p.sum.Count
				next++
				<-tokens
				if opt.Progress != nil {
					opt.Progress(done, total)
				}
			}
		case <-ctx.Done():
			err = ctx.Err()
		}
		if err != nil {
			break
		}
	}
	cancel()
	wg.Wait()
	if panicErr != nil {
		return nil, panicErr
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}
