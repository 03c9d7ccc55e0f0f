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

// readDir reads every file of dir.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, name := range partNames(t, dir) {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = data
	}
	return out
}

func sameDirs(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !bytes.Equal(b[k], v) {
			return false
		}
	}
	return true
}

// A run interrupted with a part in progress (its temporary file left) and
// its last complete parts lost resumes into the parts of an uninterrupted
// run, byte for byte: nothing lost, nothing written twice. A part missing in
// the middle is filled in too.
func TestParquetResume(t *testing.T) {
	p := mustLoad(t, "testdata/tiny-grid.yaml")
	h := p.FullHeader()
	want := t.TempDir()
	runParquet(t, p, h, want, 4)
	wantFiles := readDir(t, want)
	if len(wantFiles) != 7 {
		t.Fatalf("%d parts of 27 points by 4, want 7", len(wantFiles))
	}
	for _, c := range []struct {
		name    string
		drop    []string
		missing [][2]int
	}{
		{"last part lost", []string{"points-24-26.parquet"}, [][2]int{{24, 27}}},
		{"last two lost", []string{"points-20-23.parquet", "points-24-26.parquet"}, [][2]int{{20, 27}}},
		{"one in the middle", []string{"points-08-11.parquet"}, [][2]int{{8, 12}}},
		{"all lost", slices.Collect(func(yield func(string) bool) {
			for k := range wantFiles {
				if !yield(k) {
					return
				}
			}
		}), [][2]int{{0, 27}}},
	} {
		dir := t.TempDir()
		for name, data := range wantFiles {
			if !slices.Contains(c.drop, name) {
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		// the torn part in progress of a killed run
		torn := filepath.Join(dir, ".points-24-123456.tmp")
		if err := os.WriteFile(torn, wantFiles["points-24-26.parquet"][:100], 0o644); err != nil {
			t.Fatal(err)
		}
		missing, err := ResumeDir(dir, p, h)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !slices.Equal(missing, c.missing) {
			t.Errorf("%s: missing %v, want %v", c.name, missing, c.missing)
		}
		if _, err := os.Stat(torn); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: the part in progress is still there", c.name)
		}
		w, err := p.NewPartWriter(dir, h, PartOptions{Chunk: 4, Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range missing {
			if err := p.Run(context.Background(), RunOptions{From: m[0], To: m[1], Workers: 2}, w.WriteRow); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
		}
		if got := readDir(t, dir); !sameDirs(got, wantFiles) {
			t.Errorf("%s: resumed parts %v differ from an uninterrupted run's", c.name, slices.Sorted(func(yield func(string) bool) {
				for k := range got {
					if !yield(k) {
						return
					}
				}
			}))
		}
		if m, err := ResumeDir(dir, p, h); err != nil || len(m) != 0 {
			t.Errorf("%s: after the resume, missing %v, %v", c.name, m, err)
		}
	}
}

// A run stopped between two rows (Ctrl-C) keeps its rows as a shorter part;
// resuming continues after it.
func TestParquetCloseKeepsRows(t *testing.T) {
	p := mustLoad(t, "testdata/tiny-grid.yaml")
	h := p.FullHeader()
	dir := t.TempDir()
	w, err := p.NewPartWriter(dir, h, PartOptions{Chunk: 10, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	err = p.Run(context.Background(), RunOptions{From: 0, To: 27, Workers: 1}, func(r *Row) error {
		if r.Point == 13 {
			return stop
		}
		return w.WriteRow(r)
	})
	if !errors.Is(err, stop) {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := partNames(t, dir); !slices.Equal(got, []string{"points-00-09.parquet", "points-10-12.parquet"}) {
		t.Errorf("parts %v", got)
	}
	m, err := ResumeDir(dir, p, h)
	if err != nil || !slices.Equal(m, [][2]int{{13, 27}}) {
		t.Errorf("missing %v, %v", m, err)
	}
}

// Resuming refuses a directory of another plan or shard, or one that holds
// something else than parts; reading refuses a damaged part.
func TestParquetResumeRefuses(t *testing.T) {
	p := mustLoad(t, "testdata/tiny-grid.yaml")
	other, err := loadString(t, mixedSweep)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	runParquet(t, p, p.ShardHeader(1, 3), dir, 4)
	for _, c := range []struct {
		p    *Plan
		h    Header
		want string
	}{
		{p, p.FullHeader(), "it holds shard 1/3 (points 9 to 17); this run is the whole sweep (points 0 to 26)"},
		{p, p.ShardHeader(2, 3), "it holds shard 1/3 (points 9 to 17); this run is shard 2/3 (points 18 to 26)"},
		{other, other.ShardHeader(1, 3), "it belongs to another plan"},
	} {
		if _, err := ResumeDir(dir, c.p, c.h); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
	if _, err := ReadResultsDir(dir, p); err == nil || !strings.Contains(err.Error(), "not the whole sweep: merge the shards first") {
		t.Errorf("reading a shard for analysis: %v", err)
	}
	// a stray file
	stray := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(stray, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ResumeDir(dir, p, p.ShardHeader(1, 3)); err == nil || !strings.Contains(err.Error(), "notes.txt is not a part of a sweep's Parquet output") {
		t.Errorf("a stray file: %v", err)
	}
	os.Remove(stray)
	// a damaged part under a complete part's name
	name := filepath.Join(dir, "points-13-16.parquet")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data[:len(data)-20], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ResumeDir(dir, p, p.ShardHeader(1, 3)); err == nil || !strings.Contains(err.Error(), "points-13-16.parquet: not a complete Parquet file") {
		t.Errorf("a damaged part: %v", err)
	}
}

// The Parquet outputs of a sweep's shards, for several numbers of shards,
// merge into the parts of one run on one machine, byte for byte; as CSV,
// into that run's CSV. A missing, doubled or foreign shard is refused.
func TestParquetMergeShards(t *testing.T) {
	p := mustLoad(t, "testdata/tiny-grid.yaml")
	whole := t.TempDir()
	runParquet(t, p, p.FullHeader(), whole, 5)
	wantFiles := readDir(t, whole)
	wantCSV := runRange(t, p, CSV, p.FullHeader(), 1)
	for _, n := range []int{1, 2, 3, 4, 7, 40} {
		var dirs, names []string
		for i := range n {
			d := t.TempDir()
			runParquet(t, p, p.ShardHeader(i, n), d, 5)
			dirs = append(dirs, d)
			names = append(names, "shard-"+strconv.Itoa(i))
		}
		// given in any order
		slices.Reverse(dirs)
		slices.Reverse(names)
		s, err := CheckParquetMerge(dirs, names)
		if err != nil {
			t.Fatalf("%d shards: %v", n, err)
		}
		out := t.TempDir()
		if err := s.WriteParts(out, PartOptions{Chunk: 5, Version: "test"}); err != nil {
			t.Fatal(err)
		}
		if !sameDirs(readDir(t, out), wantFiles) {
			t.Errorf("%d shards: the merged parts %v differ from one run's %v", n, partNames(t, out), partNames(t, whole))
		}
		var b bytes.Buffer
		if err := s.WriteText(&b, CSV); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), wantCSV) {
			t.Errorf("%d shards: merged as CSV, differ from the CSV run", n)
		}
	}
	// refusals
	shard := func(i, n int) string {
		d := t.TempDir()
		runParquet(t, p, p.ShardHeader(i, n), d, 5)
		return d
	}
	other, err := loadString(t, mixedSweep)
	if err != nil {
		t.Fatal(err)
	}
	foreign := t.TempDir()
	runParquet(t, other, other.ShardHeader(1, 3), foreign, 5)
	s0, s1, s2 := shard(0, 3), shard(1, 3), shard(2, 3)
	incomplete := shard(2, 3)
	if err := os.Remove(filepath.Join(incomplete, "points-23-26.parquet")); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	for _, c := range []struct {
		dirs  []string
		names []string
		want  []string
	}{
		{[]string{s0, s2}, []string{"a", "c"}, []string{"missing: shard 1/3 (points 9 to 17)"}},
		{[]string{s0, s1, s1, s2}, []string{"a", "b", "b2", "c"}, []string{"b and b2 both hold shard 1/3 (points 9 to 17)"}},
		{[]string{s0, foreign, s2}, []string{"a", "f", "c"}, []string{"f belongs to another plan"}},
		{[]string{s0, s1, incomplete}, []string{"a", "b", "c"}, []string{"c: shard 2/3 (points 18 to 26) is incomplete: it holds 5 of its 9 points; finish it with parley sweep run --format parquet --resume --shard 2/3"}},
		{[]string{s0, s1, s2, empty}, []string{"a", "b", "c", "e"}, []string{"e holds no complete part"}},
	} {
		_, err := CheckParquetMerge(c.dirs, c.names)
		var me *MergeError
		if !errors.As(err, &me) {
			t.Errorf("%v: error %v, want a MergeError", c.names, err)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: error %q, want %q", c.names, err, w)
			}
		}
	}
}

// A part damaged in its second half, where its metadata is (its lowest bit
// flipped, at every byte), gives an error or reads: parquet-go panics on
// some damaged files (here on about 35 of them), and no panic may reach a user.
func TestParquetDamagedPart(t *testing.T) {
	p := mustLoad(t, "testdata/tiny-grid.yaml")
	src := t.TempDir()
	runParquet(t, p, p.FullHeader(), src, 30)
	data, err := os.ReadFile(filepath.Join(src, "points-00-26.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	errs := 0
	d := t.TempDir()
	for off := len(data) / 2; off < len(data); off++ {
		b := append([]byte(nil), data...)
		b[off] ^= 0x01
		if err := os.WriteFile(filepath.Join(d, "points-00-26.parquet"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("byte %d changed: panic %v", off, r)
				}
			}()
			c, err := InspectDir(d)
			if err == nil {
				err = c.ReadRows(d, func(*Row) error { return nil })
			}
			if err != nil {
				errs++
			}
		}()
	}
	if errs == 0 {
		t.Error("no damage was found")
	}
}
