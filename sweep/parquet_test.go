package sweep

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// mixedSweep varies a choice, a whole number and numbers spelt otherwise
// than in their shortest form.
const mixedSweep = `name: mixed
base: builtin:tiny
runs: 100
seed: 11
parameters:
  - {path: actors.west.types.dove.disposition, name: dove, values: [reciprocator, opportunist]}
  - {path: environment.horizon, values: [8, 10]}
  - {path: moves.guarantee.cost, name: cost, values: [0.40, 1.0, 0.7]}
record: {metrics: [completed, utility:east, rounds, milestone:frozen]}
`

// lhsSweep samples numbers from distributions.
const lhsSweep = `name: lhs
base: builtin:tiny
runs: 50
seed: 5
design: {method: lhs, samples: 23, seed: 9}
parameters:
  - {path: actors.east.insecurity, uniform: {min: 0.1, max: 0.9}}
  - {path: moves.guarantee.cost, beta: {alpha: 2, beta: 3, min: 0.2, max: 1.4}}
  - {path: environment.horizon, uniform: {min: 6, max: 14}}
record: {metrics: [completed, utility:east, exposure:east]}
`

// runParquet runs the points of h into dir in parts of chunk points.
func runParquet(t *testing.T, p *Plan, h Header, dir string, chunk int) {
	t.Helper()
	w, err := p.NewPartWriter(dir, h, PartOptions{Chunk: chunk, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Run(context.Background(), RunOptions{From: h.From, To: h.To, Workers: 2}, w.WriteRow); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// partNames lists the names in dir.
func partNames(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// The Parquet output, read back with parquet-go alone, holds exactly the
// CSV output's values: the same columns in the same order with their types,
// every whole number and string equal, every float equal bit for bit; its
// metadata names the plan and parley's version.
func TestParquetRoundTrip(t *testing.T) {
	for _, c := range []struct {
		text   string
		chunk  int
		parts  []string
		kinds  []parquet.Kind // of the parameters
		spellt string
	}{
		{mixedSweep, 5, []string{"points-00-04.parquet", "points-05-09.parquet", "points-10-11.parquet"},
			[]parquet.Kind{parquet.ByteArray, parquet.Int64, parquet.Double}, `{"cost":{"0.4":"0.40","1":"1.0"}}`},
		{lhsSweep, 7, []string{"points-00-06.parquet", "points-07-13.parquet", "points-14-20.parquet", "points-21-22.parquet"},
			[]parquet.Kind{parquet.Double, parquet.Double, parquet.Int64}, ""},
	} {
		p, err := loadString(t, c.text)
		if err != nil {
			t.Fatal(err)
		}
		csvOut := runRange(t, p, CSV, p.FullHeader(), 1)
		dir := t.TempDir()
		runParquet(t, p, p.FullHeader(), dir, c.chunk)
		if got := partNames(t, dir); !slices.Equal(got, c.parts) {
			t.Fatalf("%s: parts %v, want %v", p.Name, got, c.parts)
		}
		first, rest, _ := strings.Cut(string(csvOut), "\n")
		recs, err := csv.NewReader(strings.NewReader(rest)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		header, recs := recs[0], recs[1:]
		np := len(p.Params)
		k := 0
		for _, name := range c.parts {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			for key, want := range map[string]string{"parley.plan": p.Fingerprint(), "parley.version": "test", "parley.sweep": strings.TrimPrefix(first, csvMagic), "parley.spelling": c.spellt} {
				if got, _ := f.Lookup(key); got != want {
					t.Errorf("%s %s: metadata %s = %q, want %q", p.Name, name, key, got, want)
				}
			}
			if len(f.RowGroups()) != 1 {
				t.Errorf("%s %s: %d row groups, want 1", p.Name, name, len(f.RowGroups()))
			}
			fields := f.Schema().Fields()
			var names []string
			for i, fl := range fields {
				names = append(names, fl.Name())
				want := parquet.Double
				switch {
				case i == 0:
					want = parquet.Int64
				case i <= np:
					want = c.kinds[i-1]
				}
				if fl.Type().Kind() != want {
					t.Errorf("%s: column %s is %v, want %v", p.Name, fl.Name(), fl.Type().Kind(), want)
				}
			}
			if !slices.Equal(names, header) {
				t.Fatalf("%s: columns %v, want the CSV header %v", p.Name, names, header)
			}
			rows := make([]parquet.Row, 100)
			rs := f.RowGroups()[0].Rows()
			n, err := rs.ReadRows(rows)
			if err != nil && !errors.Is(err, io.EOF) {
				t.Fatal(err)
			}
			rs.Close()
			for _, row := range rows[:n] {
				rec := recs[k]
				for i, v := range row {
					switch v.Kind() {
					case parquet.Int64:
						if strconv.FormatInt(v.Int64(), 10) != rec[i] {
							t.Errorf("%s row %d %s: %d, CSV %s", p.Name, k, header[i], v.Int64(), rec[i])
						}
					case parquet.ByteArray:
						if string(v.ByteArray()) != rec[i] {
							t.Errorf("%s row %d %s: %q, CSV %s", p.Name, k, header[i], v.ByteArray(), rec[i])
						}
					default:
						x, err := strconv.ParseFloat(rec[i], 64)
						if err != nil {
							t.Fatal(err)
						}
						if math.Float64bits(v.Double()) != math.Float64bits(x) && !(math.IsNaN(x) && math.IsNaN(v.Double())) {
							t.Errorf("%s row %d %s: %v (%#x), CSV %s (%#x)", p.Name, k, header[i], v.Double(), math.Float64bits(v.Double()), rec[i], math.Float64bits(x))
						}
					}
				}
				k++
			}
		}
		if k != len(recs) {
			t.Errorf("%s: %d rows, CSV %d", p.Name, k, len(recs))
		}
		// written back as CSV and JSONL: the bytes of those runs
		s, err := CheckParquetMerge([]string{dir}, []string{"out"})
		if err != nil {
			t.Fatal(err)
		}
		for _, ft := range []Format{CSV, JSONL} {
			var b bytes.Buffer
			if err := s.WriteText(&b, ft); err != nil {
				t.Fatal(err)
			}
			want := csvOut
			if ft == JSONL {
				want = runRange(t, p, JSONL, p.FullHeader(), 1)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s: the Parquet output written as %s differs from the %s run:\n%s\nwant\n%s", p.Name, ft, ft, b.Bytes(), want)
			}
		}
		// and read for analysis: the same results as from the CSV
		fromCSV, err := ReadResults(bytes.NewReader(csvOut), p)
		if err != nil {
			t.Fatal(err)
		}
		fromParquet, err := ReadResultsDir(dir, p)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.EqualFunc(fromCSV.Values, fromParquet.Values, slices.Equal) || !slices.EqualFunc(fromCSV.Metrics, fromParquet.Metrics, sameFloats) || !slices.EqualFunc(fromCSV.Nums, fromParquet.Nums, sameFloats) {
			t.Errorf("%s: results read from Parquet differ from those read from CSV", p.Name)
		}
	}
}

func sameFloats(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool {
		return math.Float64bits(x) == math.Float64bits(y) || math.IsNaN(x) && math.IsNaN(y)
	})
}
