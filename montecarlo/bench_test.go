package montecarlo_test

import (
	"context"
	"testing"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/montecarlo"
)

// BenchmarkCompareKorea compares every roadmap of the built-in korea
// scenario, 20 000 histories each, on all cores, as `parley compare korea`
// does; it reports histories (all roadmaps together) per second.
func BenchmarkCompareKorea(b *testing.B) {
	rs := korea(b)
	const runs = 20_000
	opt := montecarlo.Options{Runs: runs, Seed: 1}
	b.ReportAllocs()
	ops := 0
	for b.Loop() {
		if _, err := montecarlo.Compare(context.Background(), rs, opt); err != nil {
			b.Fatal(err)
		}
		ops++
	}
	b.ReportMetric(float64(ops*runs*len(rs))/b.Elapsed().Seconds(), "histories/s")
}

// BenchmarkAdd adds one history of korea's peace-first roadmap (four actors,
// 40 rounds of trust and insecurity) to a summary.
func BenchmarkAdd(b *testing.B) {
	rs := korea(b)
	r := rs[1]
	e := engine.New(r)
	var src engine.PCG
	var res *engine.Result
	// a history that ended early, so that its cause is counted too
	for n := uint64(0); ; n++ {
		src.Seed(1, n)
		res = e.Run(&src)
		if res.Cause.Kind != engine.NoCause {
			break
		}
	}
	s := montecarlo.NewSummary(r)
	b.ReportAllocs()
	for b.Loop() {
		s.Add(res, 1)
	}
}

// BenchmarkMerge merges one chunk's summary of korea's peace-first roadmap into a total.
func BenchmarkMerge(b *testing.B) {
	rs := korea(b)
	r := rs[1]
	chunk := summarise(r, 0, montecarlo.DefaultChunk)
	total := montecarlo.NewSummary(r)
	b.ReportAllocs()
	for b.Loop() {
		total.Merge(chunk)
	}
}
