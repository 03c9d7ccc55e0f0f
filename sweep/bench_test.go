package sweep

import (
	"context"
	"testing"
)

// BenchmarkPointScenario measures building and validating one point's
// scenario of korea (what Plan.Check does per point).
func BenchmarkPointScenario(b *testing.B) {
	p, err := LoadFile("testdata/korea-file.yaml")
	if err != nil {
		b.Fatal(err)
	}
	pt := p.NewPoint()
	for i := 0; b.Loop(); i++ {
		p.At(i%p.Len(), pt)
		if _, err := p.Scenario(pt); err != nil {
			b.Fatal(err)
		}
	}
}

// benchmarkSweep runs 8 points of korea-file (two roadmaps) with 1,000
// histories each and reports points and histories per second.
func benchmarkSweep(b *testing.B, workers int) {
	p, err := LoadFile("testdata/korea-file.yaml")
	if err != nil {
		b.Fatal(err)
	}
	p.Runs = 1000
	const points = 8
	b.ResetTimer()
	for b.Loop() {
		if err := p.Run(context.Background(), RunOptions{To: points, Workers: workers}, func(*Row) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(points*b.N)/b.Elapsed().Seconds(), "points/s")
	b.ReportMetric(float64(points*b.N*p.Runs*len(p.Roadmaps))/b.Elapsed().Seconds(), "histories/s")
}

func BenchmarkSweepKorea1Worker(b *testing.B)  { benchmarkSweep(b, 1) }
func BenchmarkSweepKorea2Workers(b *testing.B) { benchmarkSweep(b, 2) }
