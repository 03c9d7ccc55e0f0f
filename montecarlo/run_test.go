package montecarlo_test

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/montecarlo"
)

func compare(t *testing.T, rs []*model.Roadmap, opt montecarlo.Options) []*montecarlo.Summary {
	t.Helper()
	out, err := montecarlo.Compare(context.Background(), rs, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(rs) {
		t.Fatalf("%d summaries for %d roadmaps", len(out), len(rs))
	}
	return out
}

// TestCompareIsTheSameForAnyWorkers: for a fixed Chunk, the summaries are
// identical, bit for bit, whatever the number of workers. 433 runs in chunks
// of 50 leave a short last chunk.
func TestCompareIsTheSameForAnyWorkers(t *testing.T) {
	rs := korea(t)
	for _, chunk := range []int{50, 0} {
		ref := compare(t, rs, montecarlo.Options{Runs: 433, Seed: 11, Workers: 1, Chunk: chunk})
		for i, s := range ref {
			if s.Count != 433 {
				t.Fatalf("%s: %d histories, want 433", rs[i].ID, s.Count)
			}
		}
		for _, w := range []int{2, 3, 8} {
			// yielding to the scheduler between histories changes nothing either
			got := compare(t, rs, montecarlo.Options{Runs: 433, Seed: 11, Workers: w, Chunk: chunk, Yield: w == 3})
			for i := range rs {
				if !reflect.DeepEqual(got[i], ref[i]) {
					t.Errorf("chunk %d, %d workers (yield %v): roadmap %s differs from 1 worker", chunk, w, w == 3, rs[i].ID)
					sameCounts(t, rs[i].ID, got[i], ref[i], 0)
				}
			}
		}
	}
}

// TestCompareChunkSizes: the chunk size changes the order of the
// floating-point additions only; counts are exact, other sums agree to rounding.
func TestCompareChunkSizes(t *testing.T) {
	rs := korea(t)
	const runs = 600
	ref := compare(t, rs, montecarlo.Options{Runs: runs, Seed: 5, Workers: 2, Chunk: runs}) // one chunk: plain Add
	for _, chunk := range []int{1, 7, 64, montecarlo.DefaultChunk, 10 * runs} {
		got := compare(t, rs, montecarlo.Options{Runs: runs, Seed: 5, Workers: 2, Chunk: chunk})
		for i := range rs {
			sameCounts(t, rs[i].ID, got[i], ref[i], 1e-9)
		}
	}
	// a single chunk is exactly the plain sum of the histories in order
	plain := summarise(rs[1], 0, 0)
	e := engine.New(rs[1])
	var src engine.PCG
	for n := 0; n < runs; n++ {
		src.Seed(5, uint64(n))
		plain.Add(e.Run(&src), 1)
	}
	if !reflect.DeepEqual(plain, ref[1]) {
		t.Errorf("one chunk differs from adding the histories in order")
	}
}

// TestCommonRandomNumbers: history n of every roadmap draws the same true
// types, so the weight of each type of each actor is the same in every
// roadmap of a comparison, though the roadmaps end differently.
func TestCommonRandomNumbers(t *testing.T) {
	rs := korea(t)
	sums := compare(t, rs, montecarlo.Options{Runs: 1000, Seed: 3, Chunk: 64})
	for i := 1; i < len(rs); i++ {
		if !reflect.DeepEqual(sums[i].TypeW, sums[0].TypeW) {
			t.Errorf("type weights of %s differ from %s:\n%v\n%v", rs[i].ID, rs[0].ID, sums[i].TypeW, sums[0].TypeW)
		}
		if sums[i].Status == sums[0].Status {
			t.Errorf("%s and %s end alike: the roadmaps do not differ", rs[i].ID, rs[0].ID)
		}
	}
	// the type draws are random: another seed gives other weights, and every
	// type of positive prior turns up
	other := compare(t, rs[:1], montecarlo.Options{Runs: 1000, Seed: 4, Chunk: 64})
	if reflect.DeepEqual(other[0].TypeW, sums[0].TypeW) {
		t.Errorf("seeds 3 and 4 draw the same types")
	}
	na := len(rs[0].Actors)
	mt := len(sums[0].TypeW) / (na * na)
	for a, ac := range rs[0].Actors {
		for ty, p := range ac.Prior {
			if w := sums[0].TypeW[(a*na+a)*mt+ty]; p > 0 && w == 0 {
				t.Errorf("%s's type %s (prior %v) never drawn", ac.ID, ac.Types[ty].ID, p)
			}
		}
	}
	// and, history by history, straight from the engine
	hs := make([]*engine.History, len(rs))
	for i, r := range rs {
		hs[i] = engine.New(r)
	}
	var src engine.PCG
	for n := uint64(0); n < 300; n++ {
		var first []int
		for i, h := range hs {
			src.Seed(3, n)
			res := h.Run(&src)
			if i == 0 {
				first = append([]int(nil), res.Types...)
			} else if !reflect.DeepEqual(res.Types, first) {
				t.Fatalf("history %d: %s draws types %v, %s %v", n, rs[i].ID, res.Types, rs[0].ID, first)
			}
		}
	}
}

// TestRunIsCompareEntry: running one roadmap alone gives its entry of the comparison.
func TestRunIsCompareEntry(t *testing.T) {
	rs := noisy(t)
	opt := montecarlo.Options{Runs: 1500, Seed: 9, Chunk: 100}
	sums := compare(t, rs, opt)
	for i, r := range rs {
		s, err := montecarlo.Run(context.Background(), r, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(s, sums[i]) {
			t.Errorf("Run(%s) differs from Compare's entry", r.ID)
		}
	}
}

func TestErrRuns(t *testing.T) {
	rs := noisy(t)
	for _, n := range []int{0, -1} {
		if out, err := montecarlo.Compare(context.Background(), rs, montecarlo.Options{Runs: n}); !errors.Is(err, montecarlo.ErrRuns) || out != nil {
			t.Errorf("Compare with %d runs: %v, %v; want ErrRuns", n, out, err)
		}
		if out, err := montecarlo.Run(context.Background(), rs[0], montecarlo.Options{Runs: n}); !errors.Is(err, montecarlo.ErrRuns) || out != nil {
			t.Errorf("Run with %d runs: %v, %v; want ErrRuns", n, out, err)
		}
	}
	// one run is enough
	if s, err := montecarlo.Run(context.Background(), rs[0], montecarlo.Options{Runs: 1}); err != nil || s.Count != 1 {
		t.Errorf("Run with 1 run: %v", err)
	}
}

// settle waits for the number of goroutines to fall back to n.
func settle(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines left, %d before:\n%s", runtime.NumGoroutine(), n, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestCancel: a run far too long to finish stops soon after its context is
// cancelled, returns context.Canceled and leaves no goroutine behind.
func TestCancel(t *testing.T) {
	rs := korea(t)
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	var done atomic.Int64
	cancelled := make(chan time.Time, 1)
	opt := montecarlo.Options{Runs: 1 << 30, Seed: 1, Workers: 4, Chunk: 100,
		Progress: func(d, _ int) {
			if done.Load() == 0 {
				go func() {
					time.Sleep(20 * time.Millisecond)
					cancelled <- time.Now()
					cancel()
				}()
			}
			done.Store(int64(d))
		}}
	type answer struct {
		out []*montecarlo.Summary
		err error
		at  time.Time
	}
	ch := make(chan answer, 1)
	go func() {
		out, err := montecarlo.Compare(ctx, rs, opt)
		ch <- answer{out, err, time.Now()}
	}()
	var a answer
	select {
	case a = <-ch:
	case <-time.After(60 * time.Second):
		t.Fatal("Compare did not return within a minute of starting")
	}
	if !errors.Is(a.err, context.Canceled) || a.out != nil {
		t.Fatalf("cancelled Compare returned %v, %v", a.out, a.err)
	}
	// promptly: what is in flight is at most 2 × 4 jobs of 100 korea
	// histories, a few milliseconds each
	if d := a.at.Sub(<-cancelled); d > 5*time.Second {
		t.Errorf("Compare returned %v after the cancellation", d)
	} else {
		t.Logf("returned %v after the cancellation, %d histories done", d, done.Load())
	}
	if done.Load() == 0 {
		t.Fatal("no progress before the cancellation")
	}
	settle(t, before)

	// a context that ends by its deadline reports that
	dctx, dcancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer dcancel()
	start := time.Now()
	_, err := montecarlo.Compare(dctx, rs, montecarlo.Options{Runs: 1 << 30, Seed: 1, Chunk: 100})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Compare past its deadline returned %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Compare returned %v after a 30 ms deadline", d)
	}
	settle(t, before)

	// an already cancelled context: nothing is returned
	cctx, ccancel := context.WithCancel(context.Background())
	ccancel()
	if out, err := montecarlo.Compare(cctx, rs, montecarlo.Options{Runs: 1 << 30, Seed: 1, Chunk: 100}); !errors.Is(err, context.Canceled) || out != nil {
		t.Errorf("Compare with a cancelled context returned %v, %v", out, err)
	}
	settle(t, before)
}

// TestPanicInAHistory: a history that panics ends the run with an error,
// not a crash or a hang.
func TestPanicInAHistory(t *testing.T) {
	rs := noisy(t)
	broken := *rs[0]
	broken.Steps = nil // the phases refer to steps that are not there
	before := runtime.NumGoroutine()
	_, err := montecarlo.Compare(context.Background(), []*model.Roadmap{rs[1], &broken}, montecarlo.Options{Runs: 5000, Seed: 1, Chunk: 50})
	if err == nil || !strings.Contains(err.Error(), "internal error") {
		t.Fatalf("Compare of a broken roadmap returned %v", err)
	}
	settle(t, before)
}

// TestProgress: the callback is called once per chunk, never at once from two
// goroutines, with a count that only grows and ends at the total.
func TestProgress(t *testing.T) {
	rs := noisy(t)
	const runs, chunk = 1030, 100
	var calls []int
	var busy atomic.Bool
	total := -1
	opt := montecarlo.Options{Runs: runs, Seed: 2, Workers: 3, Chunk: chunk, Progress: func(done, tot int) {
		if !busy.CompareAndSwap(false, true) {
			t.Error("Progress called concurrently")
		}
		defer busy.Store(false)
		if total >= 0 && tot != total {
			t.Errorf("total changed from %d to %d", total, tot)
		}
		total = tot
		calls = append(calls, done)
	}}
	compare(t, rs, opt)
	if want := runs * len(rs); total != want {
		t.Errorf("total %d, want %d", total, want)
	}
	if want := len(rs) * ((runs + chunk - 1) / chunk); len(calls) != want {
		t.Errorf("%d calls, want one per chunk: %d", len(calls), want)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i] <= calls[i-1] {
			t.Errorf("progress went from %d to %d", calls[i-1], calls[i])
		}
	}
	if len(calls) == 0 || calls[len(calls)-1] != total {
		t.Errorf("progress ends at %v, want %d", calls[len(calls)-1:], total)
	}
}

// TestSummarySizeDoesNotGrowWithRuns: a summary's buffers are sized by the
// scenario (actors, types, milestones, horizon), not by the number of histories.
func TestSummarySizeDoesNotGrowWithRuns(t *testing.T) {
	rs := noisy(t)
	small := compare(t, rs, montecarlo.Options{Runs: 100, Seed: 1})
	large := compare(t, rs, montecarlo.Options{Runs: 20000, Seed: 1})
	for i, r := range rs {
		fs, fl, fe := floatFields(small[i]), floatFields(large[i]), floatFields(montecarlo.NewSummary(r))
		for name, x := range fe {
			if len(fs[name]) != len(x) || len(fl[name]) != len(x) || cap(fl[name]) != cap(x) {
				t.Errorf("%s: %s has %d / %d entries after 100 / 20000 runs, %d when new", r.ID, name, len(fs[name]), len(fl[name]), len(x))
			}
		}
		// causes: at most one per kind, actor, counterpart and step
		na, ns := len(r.Actors), len(r.Steps)
		if bound := int(engine.NumCauseKind) * (na + 1) * (na + 1) * (ns + 1); len(large[i].Causes) > bound {
			t.Errorf("%s: %d causes, more than the %d possible", r.ID, len(large[i].Causes), bound)
		}
	}
}

// TestAllocationsDoNotGrowWithRuns counts the allocations of a whole Compare
// (every goroutine's) at 10 000 and 100 000 runs. A history allocates nothing
// and adding it to a summary allocates nothing, so the difference comes from
// the 90 000 / 500 = 180 extra chunks per roadmap: a fresh summary per chunk
// (its two dozen buffers and its map of causes), new causes met in the chunk,
// sorting them when merging. At most 64 per extra chunk is allowed; a single
// allocation per history would add 90 000 per roadmap, 8 times the bound.
func TestAllocationsDoNotGrowWithRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 110 000 histories per roadmap")
	}
	rs := noisy(t)
	allocs := func(runs int) float64 {
		return testing.AllocsPerRun(1, func() {
			if _, err := montecarlo.Compare(context.Background(), rs, montecarlo.Options{Runs: runs, Seed: 1, Workers: 2, Chunk: montecarlo.DefaultChunk}); err != nil {
				t.Fatal(err)
			}
		})
	}
	a1, a2 := allocs(10_000), allocs(100_000)
	extraChunks := float64(len(rs) * (100_000 - 10_000) / montecarlo.DefaultChunk)
	t.Logf("allocations: %v at 10 000 runs, %v at 100 000 (%d roadmaps): %.1f per extra chunk", a1, a2, len(rs), (a2-a1)/extraChunks)
	if a2-a1 > 64*extraChunks {
		t.Errorf("allocations grow by %v from 10 000 to 100 000 runs, more than 64 per extra chunk (%v)", a2-a1, 64*extraChunks)
	}
	if a1 > 64*float64(len(rs)*10_000/montecarlo.DefaultChunk)+5000 {
		t.Errorf("%v allocations for 10 000 runs", a1)
	}
}
