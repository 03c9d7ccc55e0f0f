package uncertainty

import (
	"context"
	"testing"

	"github.com/parleyhq/parley/forecast/bdm"
	"github.com/parleyhq/parley/forecast/smp"
)

// The benchmarks run the Monte Carlo with positions and saliences moved by
// up to ±0.1 of their scales and actors dropped with probability 0.05,
// with every core, and report the time per run.

func benchmarkRuns(b *testing.B, file string, model func(b *testing.B) *Model, runs int) {
	in := read(b, file)
	m := model(b)
	opt := Options{Runs: runs, Seed: 1, Perturbation: Perturbation{Position: 0.1, Salience: 0.1, Drop: 0.05}}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Run(context.Background(), in, m, opt); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*runs), "ns/run")
}

func BenchmarkBaselinesEU(b *testing.B) {
	file := "bdm1d/eu_emissions_bdm1994.csv"
	benchmarkRuns(b, file, func(b *testing.B) *Model { return baselines(b, read(b, file)) }, 10000)
}

func BenchmarkBaselinesSOECompetitive(b *testing.B) {
	file := "ktab/SOE-Competitive.csv"
	benchmarkRuns(b, file, func(b *testing.B) *Model { return baselines(b, read(b, file)) }, 10000)
}

func BenchmarkBDMEU(b *testing.B) {
	file := "bdm1d/eu_emissions_bdm1994.csv"
	benchmarkRuns(b, file, func(b *testing.B) *Model {
		m, err := BDM(read(b, file), bdm.Defaults())
		if err != nil {
			b.Fatal(err)
		}
		return m
	}, 1000)
}

func benchmarkSMP(b *testing.B, file string, runs int) {
	benchmarkRuns(b, file, func(b *testing.B) *Model {
		m, err := SMP(read(b, file), smp.Defaults())
		if err != nil {
			b.Fatal(err)
		}
		return m
	}, runs)
}

func BenchmarkSMPDummyData3Dim(b *testing.B) { benchmarkSMP(b, "ktab/dummyData_3Dim.csv", 1000) }
func BenchmarkSMPSOEPolComp(b *testing.B)    { benchmarkSMP(b, "ktab/SOE-Pol-Comp.csv", 200) }
