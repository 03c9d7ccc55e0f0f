package smp

import "testing"

// The benchmarks run KTAB's examples with KTAB's default options. KTAB
// itself needs, on the same kind of machine: 0.9 s for dummyData_3Dim, 11 s
// for SOE-Pol-Comp, 77 s for SOE-Policy, 227 s for dummyData_6Dim, and did
// not finish dummyData-a040 or SOE-Competitive in 300 s.

func benchmarkRun(b *testing.B, file string) {
	in := read(b, file)
	opt := Defaults()
	b.ResetTimer()
	for b.Loop() {
		run(b, in, opt)
	}
}

func BenchmarkDummyData3Dim(b *testing.B)  { benchmarkRun(b, "dummyData_3Dim.csv") }
func BenchmarkSOEPolComp(b *testing.B)     { benchmarkRun(b, "SOE-Pol-Comp.csv") }
func BenchmarkSOEPolicy(b *testing.B)      { benchmarkRun(b, "SOE-Policy.csv") }
func BenchmarkDummyData6Dim(b *testing.B)  { benchmarkRun(b, "dummyData_6Dim.csv") }
func BenchmarkDummyDataA040(b *testing.B)  { benchmarkRun(b, "dummyData-a040.csv") }
func BenchmarkSOECompetitive(b *testing.B) { benchmarkRun(b, "SOE-Competitive.csv") }
