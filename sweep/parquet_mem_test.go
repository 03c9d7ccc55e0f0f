package sweep

import (
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"
)

// BenchmarkParquetParts writes 20,000 synthetic rows of 2 parameters and 100
// metrics in parts of 1,000 points (the default) or 10,000, and reports the
// peak heap in use, sampled every 97 rows: the writer's memory bound, which
// depends on the chunk and the columns but not on the number of points.
func BenchmarkParquetParts(b *testing.B) {
	for _, chunk := range []int{DefaultChunk, 10 * DefaultChunk} {
		b.Run("chunk="+strconv.Itoa(chunk), func(b *testing.B) {
			const rows, cols = 20000, 100
			l := layout{params: []string{"a", "b"}, kinds: []Kind{Number, Integer}}
			for c := range cols {
				l.cols = append(l.cols, "r/m"+strconv.Itoa(c))
			}
			h := Header{Sweep: "mem", Plan: "x", Points: rows, To: rows}
			var peak uint64
			var ms runtime.MemStats
			for b.Loop() {
				w, err := newPartWriter(b.TempDir(), h, l, nil, PartOptions{Chunk: chunk})
				if err != nil {
					b.Fatal(err)
				}
				rng := rand.New(rand.NewPCG(1, 2))
				r := &Row{Values: make([]string, 2), Nums: make([]float64, 2), Metrics: make([]float64, cols)}
				for k := range rows {
					r.Point, r.Nums[0], r.Nums[1] = k, rng.Float64(), float64(k%7)
					r.Values[0], r.Values[1] = formatNum(r.Nums[0]), formatNum(r.Nums[1])
					for c := range r.Metrics {
						r.Metrics[c] = rng.Float64()
					}
					if err := w.WriteRow(r); err != nil {
						b.Fatal(err)
					}
					if k%97 == 0 {
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapInuse)
					}
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
