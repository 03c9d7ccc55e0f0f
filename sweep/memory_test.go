package sweep

import (
	"context"
	"io"
	"runtime"
	"runtime/metrics"
	"testing"
)

// liveHeap collects garbage and returns the bytes of the heap that are
// still reachable.
func liveHeap() uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// The memory a run holds does not grow with its number of points: when the
// last row of a run of 200 points and of one of 2,000 points is written,
// the live heap is the same within 256 KiB. At that moment every worker has
// finished its points and waits for more, so what is live is the plan, the
// run's reorder window and the writer, and nothing in flight; a run that
// kept anything per point (its rows, its scenarios) would hold at least
// 1,800 more of it. Not a timing: bytes counted by the garbage collector.
func TestRunMemoryDoesNotGrowWithPoints(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 2,200 points of korea")
	}
	p, err := loadString(t, `name: memory
base: builtin:korea
runs: 2
design: {method: lhs, samples: 2000}
parameters:
  - {path: actors.DPRK.types.security-seeker.prior, uniform: {min: 0.1, max: 0.7}}
  - {path: actors.DPRK.insecurity, uniform: {min: 0.4, max: 0.95}}
constraints:
  - complement: [actors.DPRK.types.opportunist.prior, actors.DPRK.types.hardliner.prior]
    of: [actors.DPRK.types.security-seeker.prior]
record:
  roadmaps: [peace-first]
  metrics: [completed, milestone:denuclearized, exposure:US, rounds]
`)
	if err != nil {
		t.Fatal(err)
	}
	live := func(points int) uint64 {
		h := p.FullHeader()
		h.To = points
		w := NewWriter(io.Discard, CSV, p)
		if err := w.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		var at uint64
		err := p.Run(context.Background(), RunOptions{To: points, Workers: 2}, func(r *Row) error {
			if err := w.WriteRow(r); err != nil {
				return err
			}
			if r.Point == points-1 {
				at = liveHeap()
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	live(20) // the first run fills what the runtime and the libraries keep once
	small, large := live(200), live(2000)
	t.Logf("live heap at the last row: %d bytes after 200 points, %d bytes after 2,000", small, large)
	if large > small+256<<10 {
		t.Errorf("the live heap grew by %d bytes from 200 to 2,000 points (%d → %d), more than 256 KiB: something is kept per point",
			large-small, small, large)
	}
}
