package sweep

import (
	"context"
	"io"
	"runtime"
	"runtime/metrics"
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

// benchPoints is how many points of korea-big the sweep benchmarks run: a
// multiple of both worker counts, so that no worker idles at the end.
const benchPoints = 16

// benchmarkSweep runs the first benchPoints points of korea-big (the
// sweep of the performance goal: all five roadmaps, 1,000 histories each)
// with the given workers, writing CSV rows to nowhere, and reports points
// and histories per second of wall-clock time, the CPU time of the process
// per point and the cores it got (CPU time over wall-clock time). The ratio
// of the 2-worker to the 1-worker points/s is the scaling; on a machine
// that other work loads it is below what the code allows, because the
// 2-worker run does not get both cores whole: cpu-ms/point staying the same
// says that the second worker does no extra work, and idle-% how long the
// workers left a core they had unused.
func benchmarkSweep(b *testing.B, workers int) {
	p, err := LoadFile("testdata/korea-big.yaml")
	if err != nil {
		b.Fatal(err)
	}
	h := p.FullHeader()
	h.To = benchPoints
	cpu0, sched0 := cpuTime(), schedTimes()
	for b.Loop() {
		w := NewWriter(io.Discard, CSV, p)
		if err := w.WriteHeader(h); err != nil {
			b.Fatal(err)
		}
		if err := p.Run(context.Background(), RunOptions{To: benchPoints, Workers: workers}, w.WriteRow); err != nil {
			b.Fatal(err)
		}
	}
	cpu, sched := cpuTime()-cpu0, schedTimes()
	points := float64(benchPoints * b.N)
	b.ReportMetric(points/b.Elapsed().Seconds(), "points/s")
	b.ReportMetric(points*float64(p.Runs*len(p.Roadmaps))/b.Elapsed().Seconds(), "histories/s")
	if cpu > 0 {
		b.ReportMetric(cpu.Seconds()*1000/points, "cpu-ms/point")
		b.ReportMetric(cpu.Seconds()/b.Elapsed().Seconds(), "cores")
	}
	if total := sched[0] - sched0[0]; total > 0 {
		b.ReportMetric(100*(sched[1]-sched0[1])/total, "idle-%")
		b.ReportMetric(100*(sched[2]-sched0[2])/total, "gc-%")
	}
}

// schedTimes returns the Go scheduler's total, idle and garbage collection
// times of its processors (GOMAXPROCS of them) in seconds. A processor is
// idle when it has no goroutine to run, not when the operating system runs
// another process on its thread, so the idle share says how well the
// workers keep the processors busy whatever the load of the machine.
func schedTimes() [3]float64 {
	runtime.GC() // the scheduler brings these up to date at collections
	s := []metrics.Sample{{Name: "/cpu/classes/total:cpu-seconds"}, {Name: "/cpu/classes/idle:cpu-seconds"}, {Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(s)
	return [3]float64{s[0].Value.Float64(), s[1].Value.Float64(), s[2].Value.Float64()}
}

func BenchmarkSweepKorea1Worker(b *testing.B)  { benchmarkSweep(b, 1) }
func BenchmarkSweepKorea2Workers(b *testing.B) { benchmarkSweep(b, 2) }
