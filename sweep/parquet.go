package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"
)

// Parquet is a directory of Parquet part files, one per chunk of points.
const Parquet Format = "parquet"

// DefaultChunk is the number of points of each part file of a Parquet output
// (the last part of a run may hold fewer).
const DefaultChunk = 1000

// The key-value metadata of every part file.
const (
	// metaHeader is the output's header as JSON, the same text as the first
	// line of a CSV output after "# parley-sweep ".
	metaHeader = "parley.sweep"
	// metaPlan is the plan's fingerprint (also in metaHeader).
	metaPlan = "parley.plan"
	// metaVersion is the version of parley that wrote the part.
	metaVersion = "parley.version"
	// metaColumns is {"parameters":[...],"metrics":[...]}, as in a JSONL header.
	metaColumns = "parley.columns"
	// metaPart is the part's points: {"from":F,"to":T}, points F to T − 1.
	metaPart = "parley.part"
	// metaSpelling maps, for each numeric parameter whose values the sweep
	// file spells otherwise than in the shortest form (0.50 for 0.5), the
	// shortest form to the file's spelling, so that the text of a value is
	// what a CSV output holds. Absent when there is no such value.
	metaSpelling = "parley.spelling"
)

// partPattern is the name of a complete part: points-FROM-LAST.parquet.
var partPattern = regexp.MustCompile(`^points-([0-9]+)-([0-9]+)\.parquet$`)

// emptyPart is the one part of an output of no points (a shard of a sweep
// split into more shards than it has points): it holds no rows, only the
// metadata that identifies the output.
const emptyPart = "points-none.parquet"

// A part in progress is written to a name that starts with tempPrefix and
// ends with tempSuffix, and renamed when it is complete. Readers of Parquet
// datasets (Arrow, DuckDB, Spark) skip names that start with a dot.
const (
	tempPrefix = ".points-"
	tempSuffix = ".tmp"
)

// partName is the name of the part holding the points [from, to) of an
// output of the given header: the numbers are zero-padded to the width of
// the plan's last point, so the names sort in point order.
func partName(h Header, from, to int) string {
	if from == to {
		return emptyPart
	}
	w := len(strconv.Itoa(max(h.Points-1, 0)))
	return fmt.Sprintf("points-%0*d-%0*d.parquet", w, from, w, to-1)
}

// isTemp reports whether name is the name of a part in progress.
func isTemp(name string) bool {
	return strings.HasPrefix(name, tempPrefix) && strings.HasSuffix(name, tempSuffix)
}

// columnsJSON is the metaColumns of a layout.
func (l layout) columnsJSON() string {
	return string(mustJSON(struct {
		Parameters []string `json:"parameters"`
		Metrics    []string `json:"metrics"`
	}{l.params, l.cols}))
}

// orderedGroup is a Parquet group whose columns keep the order they are
// given in (parquet.Group sorts them by name), so that the columns of a
// part are those of a CSV output in the same order.
type orderedGroup []parquet.Field

type namedNode struct {
	parquet.Node
	name string
}

func (f *namedNode) Name() string                           { return f.name }
func (f *namedNode) Value(base reflect.Value) reflect.Value { return reflect.Value{} }

func (g orderedGroup) ID() int                     { return 0 }
func (g orderedGroup) String() string              { return parquet.NewSchema("sweep", g).String() }
func (g orderedGroup) Type() parquet.Type          { return parquet.Group(nil).Type() }
func (g orderedGroup) Optional() bool              { return false }
func (g orderedGroup) Repeated() bool              { return false }
func (g orderedGroup) Required() bool              { return true }
func (g orderedGroup) Leaf() bool                  { return false }
func (g orderedGroup) Fields() []parquet.Field     { return g }
func (g orderedGroup) Encoding() encoding.Encoding { return nil }
func (g orderedGroup) Compression() compress.Codec { return nil }
func (g orderedGroup) GoType() reflect.Type        { return reflect.TypeFor[[]parquet.Value]() }

// kindNode is the column type of a parameter of kind k.
func kindNode(k Kind) parquet.Node {
	switch k {
	case Integer:
		return parquet.Int(64)
	case Choice:
		return parquet.String()
	}
	return parquet.Leaf(parquet.DoubleType)
}

// schema is the Parquet schema of a layout: point (int64), the parameters
// (a number as a double, a whole number as an int64, a choice as a string),
// then the metrics (doubles), every column required.
func (l layout) schema() (*parquet.Schema, error) {
	g := orderedGroup{&namedNode{parquet.Int(64), "point"}}
	seen := map[string]bool{"point": true}
	add := func(name string, n parquet.Node) error {
		if seen[name] {
			return fmt.Errorf("two columns are named %q: a Parquet output needs distinct column names; rename the parameter", name)
		}
		seen[name] = true
		g = append(g, &namedNode{n, name})
		return nil
	}
	for i, name := range l.params {
		if err := add(name, kindNode(l.kinds[i])); err != nil {
			return nil, err
		}
	}
	for _, c := range l.cols {
		if err := add(c, parquet.Leaf(parquet.DoubleType)); err != nil {
			return nil, err
		}
	}
	return parquet.NewSchema("sweep", g), nil
}

// spelling is the metaSpelling of p: for each numeric parameter, the
// values (its levels and base value) not written in the shortest form.
func (p *Plan) spelling() map[string]map[string]string {
	out := map[string]map[string]string{}
	for i := range p.Params {
		prm := &p.Params[i]
		if prm.Kind == Choice {
			continue
		}
		note := func(text string, x float64) {
			if text == "" || math.IsNaN(x) {
				return
			}
			if c := formatNum(x); c != text {
				if out[prm.Name] == nil {
					out[prm.Name] = map[string]string{}
				}
				if _, ok := out[prm.Name][c]; !ok {
					out[prm.Name][c] = text
				}
			}
		}
		note(prm.Base, prm.BaseNum)
		if prm.Discrete() {
			for j, v := range prm.Levels {
				note(v, prm.numberAt(j))
			}
		}
	}
	return out
}

// PartOptions say how a Parquet output is cut into parts.
type PartOptions struct {
	// Chunk is the number of points of each part (DefaultChunk when 0).
	// Each part is one row group, so a writer holds at most Chunk rows.
	Chunk int
	// Version is parley's version, recorded in each part's metadata.
	Version string
}

// PartWriter writes a Parquet output: a directory of part files of Chunk
// points each. A part is written under a temporary name and renamed when it
// is complete, so the directory holds only complete parts and at most one
// part in progress.
type PartWriter struct {
	dir    string
	h      Header
	l      layout
	opt    PartOptions
	schema *parquet.Schema
	meta   [][2]string
	spell  map[string]map[string]string
	// the part in progress
	f      *os.File
	pw     *parquet.GenericWriter[any]
	from   int
	n      int
	row    parquet.Row
	chunks int
	points int
}

// NewPartWriter returns a writer of p's rows, of an output with header h,
// into the directory dir (which must exist).
func (p *Plan) NewPartWriter(dir string, h Header, opt PartOptions) (*PartWriter, error) {
	return newPartWriter(dir, h, p.layout(), p.spelling(), opt)
}

func newPartWriter(dir string, h Header, l layout, spell map[string]map[string]string, opt PartOptions) (*PartWriter, error) {
	if opt.Chunk <= 0 {
		opt.Chunk = DefaultChunk
	}
	s, err := l.schema()
	if err != nil {
		return nil, err
	}
	w := &PartWriter{dir: dir, h: h, l: l, opt: opt, schema: s, spell: spell}
	w.meta = [][2]string{
		{metaHeader, string(mustJSON(h))},
		{metaPlan, h.Plan},
		{metaVersion, opt.Version},
		{metaColumns, l.columnsJSON()},
	}
	if len(spell) > 0 {
		w.meta = append(w.meta, [2]string{metaSpelling, string(mustJSON(spell))})
	}
	return w, nil
}

// Parts is the number of parts completed so far, Points the number of
// points they hold.
func (w *PartWriter) Parts() int  { return w.chunks }
func (w *PartWriter) Points() int { return w.points }

// WriteRow adds a row to the part in progress, starting one if there is
// none and completing it when it holds Chunk points. Rows must come in point
// order.
func (w *PartWriter) WriteRow(r *Row) error {
	if w.pw == nil {
		if err := w.start(r.Point); err != nil {
			return err
		}
	}
	if r.Point != w.from+w.n {
		return fmt.Errorf("row of point %d where point %d was expected", r.Point, w.from+w.n)
	}
	row, err := w.encode(r)
	if err != nil {
		return err
	}
	if _, err := w.pw.WriteRows([]parquet.Row{row}); err != nil {
		return w.fail(err)
	}
	w.n++
	if w.n == w.opt.Chunk || w.from+w.n == w.h.To {
		return w.finish()
	}
	return nil
}

// Close completes the part in progress, if any: after an interruption, the
// rows written so far become a shorter part. For an output of no points, it
// writes the part that holds no rows.
func (w *PartWriter) Close() error {
	if w.pw == nil && w.h.From == w.h.To && w.chunks == 0 {
		if err := w.start(w.h.From); err != nil {
			return err
		}
	}
	if w.pw == nil {
		return nil
	}
	return w.finish()
}

// Abort removes the part in progress, if any.
func (w *PartWriter) Abort() {
	if w.f != nil {
		w.f.Close()
		os.Remove(w.f.Name())
		w.f, w.pw = nil, nil
	}
}

func (w *PartWriter) start(from int) error {
	f, err := os.CreateTemp(w.dir, fmt.Sprintf("%s%d-*%s", tempPrefix, from, tempSuffix))
	if err != nil {
		return err
	}
	opts := []parquet.WriterOption{w.schema, parquet.Compression(&parquet.Snappy),
		parquet.MaxRowsPerRowGroup(int64(w.opt.Chunk)), parquet.PageBufferSize(pageBuffer(w.opt.Chunk)),
		// parquet-go leaves out the space before "(build"
		parquet.CreatedBy("parley", w.opt.Version+" ", "parquet-go")}
	for _, kv := range w.meta {
		opts = append(opts, parquet.KeyValueMetadata(kv[0], kv[1]))
	}
	w.f, w.pw, w.from, w.n = f, parquet.NewGenericWriter[any](f, opts...), from, 0
	return nil
}

// pageBuffer is the size of each column's page buffer: room for a chunk's
// numbers (8 bytes each, twice over), between 4 KiB and parquet-go's default
// of 256 KiB, which it allocates for every column of every part.
func pageBuffer(chunk int) int {
	return min(max(16*chunk, 4<<10), parquet.DefaultPageBufferSize)
}

// finish completes the part in progress: its footer, a sync, the rename.
func (w *PartWriter) finish() error {
	to := w.from + w.n
	w.pw.SetKeyValueMetadata(metaPart, fmt.Sprintf(`{"from":%d,"to":%d}`, w.from, to))
	if err := w.pw.Close(); err != nil {
		return w.fail(err)
	}
	if err := w.f.Sync(); err != nil {
		return w.fail(err)
	}
	if err := w.f.Close(); err != nil {
		return w.fail(err)
	}
	if err := os.Rename(w.f.Name(), filepath.Join(w.dir, partName(w.h, w.from, to))); err != nil {
		return w.fail(err)
	}
	w.f, w.pw = nil, nil
	w.chunks++
	w.points += to - w.from
	// make the rename durable where the system allows it
	if d, err := os.Open(w.dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

func (w *PartWriter) fail(err error) error {
	w.Abort()
	return err
}

// encode is the Parquet row of r. A value that would not read back as the
// text a CSV output holds is an error rather than a silent change.
func (w *PartWriter) encode(r *Row) (parquet.Row, error) {
	if len(r.Values) != len(w.l.params) || len(r.Metrics) != len(w.l.cols) {
		return nil, fmt.Errorf("row of point %d has %d values and %d metrics, want %d and %d", r.Point, len(r.Values), len(r.Metrics), len(w.l.params), len(w.l.cols))
	}
	row := w.row[:0]
	row = append(row, parquet.Int64Value(int64(r.Point)).Level(0, 0, 0))
	c := 1
	for i, name := range w.l.params {
		var v parquet.Value
		switch w.l.kinds[i] {
		case Choice:
			v = parquet.ByteArrayValue([]byte(r.Values[i]))
		case Integer:
			x := r.Nums[i]
			if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
				return nil, fmt.Errorf("point %d: %s = %s is not a whole number for an int64 column", r.Point, name, r.Values[i])
			}
			v = parquet.Int64Value(int64(x))
		default:
			v = parquet.DoubleValue(r.Nums[i])
		}
		if w.l.kinds[i] != Choice {
			if got := w.text(i, r.Nums[i]); got != r.Values[i] {
				return nil, fmt.Errorf("point %d: %s = %s would read back from Parquet as %s; write the sweep file's values of %s in one spelling per number", r.Point, name, r.Values[i], got, name)
			}
		}
		row = append(row, v.Level(0, 0, c))
		c++
	}
	for _, x := range r.Metrics {
		row = append(row, parquet.DoubleValue(x).Level(0, 0, c))
		c++
	}
	w.row = row
	return row, nil
}

// text is the text of numeric parameter i's value x, as a CSV output holds it.
func (w *PartWriter) text(i int, x float64) string {
	return spell(w.spell, w.l.params[i], x)
}

func spell(s map[string]map[string]string, name string, x float64) string {
	c := formatNum(x)
	if t, ok := s[name][c]; ok {
		return t
	}
	return c
}

// Part is one complete part file of a Parquet output.
type Part struct {
	// Name is the file's name in the directory.
	Name string
	// From and To delimit its points [From, To).
	From, To int
}

// DirContents describes a Parquet output directory as read back.
type DirContents struct {
	Header Header
	// Columns is the metaColumns of its parts; Schema their schema.
	Columns string
	Schema  *parquet.Schema
	// Version is the version of parley that wrote its first part.
	Version string
	// Parts are its complete parts in point order; they never overlap.
	Parts []Part
	// Temps are the names of parts in progress left by an interrupted run.
	Temps []string
	// Rows is the number of points its parts hold.
	Rows  int
	spell map[string]map[string]string
	l     layout
}

// Missing is the points of the header's range that no part holds, as
// ranges [from, to) in order.
func (c *DirContents) Missing() [][2]int {
	var out [][2]int
	at := c.Header.From
	for _, p := range c.Parts {
		if p.From > at {
			out = append(out, [2]int{at, p.From})
		}
		at = p.To
	}
	if at < c.Header.To {
		out = append(out, [2]int{at, c.Header.To})
	}
	return out
}

// Complete reports whether the parts hold every point of the header's range.
func (c *DirContents) Complete() bool { return c.Rows == c.Header.To-c.Header.From }

// InspectDir reads a Parquet output directory back: the metadata of every
// part, which must agree, and each part's point column, which must be the
// part's points in order. It returns [ErrNoHeader] for a directory that
// holds no complete part (it may hold parts in progress), and refuses a
// directory with files that are neither parts nor parts in progress.
func InspectDir(dir string) (*DirContents, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	c := &DirContents{}
	var header string
	for _, e := range entries {
		name := e.Name()
		if isTemp(name) && e.Type().IsRegular() {
			c.Temps = append(c.Temps, name)
			continue
		}
		m := partPattern.FindStringSubmatch(name)
		if m == nil && name != emptyPart || !e.Type().IsRegular() {
			return nil, fmt.Errorf("%s is not a part of a sweep's Parquet output (points-FIRST-LAST.parquet): the directory should hold nothing else", name)
		}
		from, last := -1, -2
		if m != nil {
			from, _ = strconv.Atoi(m[1])
			last, _ = strconv.Atoi(m[2])
		}
		part, err := openPart(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		if header == "" {
			header = part.header
			if err := json.Unmarshal([]byte(header), &c.Header); err != nil {
				return nil, fmt.Errorf("%s: %w: its %s metadata is not readable: %v", name, ErrNotOutput, metaHeader, err)
			}
			h := c.Header
			if h.Plan == "" || h.Points < 0 || h.From < 0 || h.From > h.To || h.To > h.Points {
				return nil, fmt.Errorf("%s: %w: its header is inconsistent", name, ErrNotOutput)
			}
			c.Columns, c.Schema, c.Version, c.spell, c.l = part.columns, part.file.Schema(), part.version, part.spell, part.l
		} else if part.header != header {
			return nil, fmt.Errorf("%s belongs to another output (%s) than the directory's other parts (%s)", name, part.header, header)
		} else if part.columns != c.Columns || !parquet.EqualNodes(part.file.Schema(), c.Schema) {
			return nil, fmt.Errorf("%s has other columns than the directory's other parts", name)
		}
		if name == emptyPart {
			from, last = part.from, part.to-1
			if c.Header.From != c.Header.To || part.from != c.Header.From || part.to != c.Header.To {
				return nil, fmt.Errorf("%s: an output of %s holds no empty part", name, describeRange(c.Header))
			}
		} else if part.from >= part.to {
			return nil, fmt.Errorf("%s: its metadata says it holds points %d to %d", name, part.from, part.to-1)
		}
		if part.from != from || part.to != last+1 || name != partName(c.Header, from, last+1) {
			return nil, fmt.Errorf("%s: its metadata says it holds points %d to %d", name, part.from, part.to-1)
		}
		if part.from < c.Header.From || part.to > c.Header.To {
			return nil, fmt.Errorf("%s: points %d to %d are not within the output's %s", name, part.from, part.to-1, describeRange(c.Header))
		}
		if err := part.checkPoints(); err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		c.Parts = append(c.Parts, Part{Name: name, From: part.from, To: part.to})
		c.Rows += part.to - part.from
	}
	if len(c.Parts) == 0 {
		return c, ErrNoHeader
	}
	slices.SortFunc(c.Parts, func(a, b Part) int { return a.From - b.From })
	for i := 1; i < len(c.Parts); i++ {
		if a, b := c.Parts[i-1], c.Parts[i]; b.From < a.To {
			return nil, fmt.Errorf("%s and %s overlap: remove one of them", a.Name, b.Name)
		}
	}
	return c, nil
}

// part is an open part file.
type part struct {
	path                     string
	file                     *parquet.File
	header, columns, version string
	from, to                 int
	spell                    map[string]map[string]string
	l                        layout
}

// openPart opens a part file and reads its metadata; the caller closes it.
func openPart(path string) (*part, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	p, err := readPart(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	p.path = path
	// the metadata is all read; rows reopens the file
	f.Close()
	return p, nil
}

// damaged turns a panic of parquet-go, which a corrupted file can cause,
// into an error.
func damaged(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("the file is damaged (%v): remove it and run again with --resume", r)
	}
}

func readPart(f *os.File) (_ *part, err error) {
	defer damaged(&err)
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	pf, err := parquet.OpenFile(f, st.Size(), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, fmt.Errorf("not a complete Parquet file (%v): remove it and run again with --resume", err)
	}
	p := &part{file: pf}
	var ok bool
	if p.header, ok = pf.Lookup(metaHeader); !ok {
		return nil, fmt.Errorf("%w: it has no %s metadata", ErrNotOutput, metaHeader)
	}
	p.version, _ = pf.Lookup(metaVersion)
	p.columns, _ = pf.Lookup(metaColumns)
	var cols struct {
		Parameters []string `json:"parameters"`
		Metrics    []string `json:"metrics"`
	}
	if err := json.Unmarshal([]byte(p.columns), &cols); err != nil {
		return nil, fmt.Errorf("%w: its %s metadata is not readable: %v", ErrNotOutput, metaColumns, err)
	}
	var rng struct{ From, To int }
	ps, _ := pf.Lookup(metaPart)
	if err := json.Unmarshal([]byte(ps), &rng); err != nil {
		return nil, fmt.Errorf("%w: its %s metadata is not readable: %v", ErrNotOutput, metaPart, err)
	}
	p.from, p.to = rng.From, rng.To
	if s, ok := pf.Lookup(metaSpelling); ok {
		if err := json.Unmarshal([]byte(s), &p.spell); err != nil {
			return nil, fmt.Errorf("%w: its %s metadata is not readable: %v", ErrNotOutput, metaSpelling, err)
		}
	}
	// the columns: point, the parameters with their kinds, the metrics
	fields := pf.Schema().Fields()
	if len(fields) != 1+len(cols.Parameters)+len(cols.Metrics) || fields[0].Name() != "point" {
		return nil, fmt.Errorf("%w: its columns are not point, its parameters and its metrics", ErrNotOutput)
	}
	p.l = layout{params: cols.Parameters, cols: cols.Metrics, kinds: make([]Kind, len(cols.Parameters))}
	want := func(i int, name string, t parquet.Kind) error {
		f := fields[i]
		if f.Name() != name || !f.Leaf() || f.Type().Kind() != t || !f.Required() {
			return fmt.Errorf("%w: its column %d is %s %s where %s (%s) was expected", ErrNotOutput, i+1, f.Name(), f.Type(), name, t)
		}
		return nil
	}
	if err := want(0, "point", parquet.Int64); err != nil {
		return nil, err
	}
	for i, name := range cols.Parameters {
		switch fields[1+i].Type().Kind() {
		case parquet.Int64:
			p.l.kinds[i] = Integer
		case parquet.ByteArray:
			p.l.kinds[i] = Choice
		default:
			p.l.kinds[i] = Number
		}
		if err := want(1+i, name, kindNode(p.l.kinds[i]).Type().Kind()); err != nil {
			return nil, err
		}
	}
	for i, name := range cols.Metrics {
		if err := want(1+len(cols.Parameters)+i, name, parquet.Double); err != nil {
			return nil, err
		}
	}
	if pf.NumRows() != int64(p.to-p.from) {
		return nil, fmt.Errorf("it holds %d rows where its metadata says points %d to %d", pf.NumRows(), p.from, p.to-1)
	}
	return p, nil
}

// rows passes the part's rows, decoded, to emit, in order.
func (p *part) rows(emit func(*Row) error) (err error) {
	defer damaged(&err)
	f, err := os.Open(p.path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	pf, err := parquet.OpenFile(f, st.Size(), parquet.SkipBloomFilters(true))
	if err != nil {
		return err
	}
	buf := make([]parquet.Row, 64)
	for _, rg := range pf.RowGroups() {
		rs := rg.Rows()
		for {
			n, err := rs.ReadRows(buf)
			for _, row := range buf[:n] {
				r, derr := p.decode(row)
				if derr != nil {
					rs.Close()
					return derr
				}
				if derr := emit(r); derr != nil {
					rs.Close()
					return derr
				}
			}
			if err != nil {
				rs.Close()
				if errors.Is(err, io.EOF) {
					break
				}
				return err
			}
			if n == 0 {
				rs.Close()
				break
			}
		}
	}
	return nil
}

// decode is the row of a Parquet row: the values' text as a CSV output holds it.
func (p *part) decode(row parquet.Row) (*Row, error) {
	np, nc := len(p.l.params), len(p.l.cols)
	if len(row) != 1+np+nc {
		return nil, fmt.Errorf("a row has %d values, want %d", len(row), 1+np+nc)
	}
	r := &Row{Point: int(row[0].Int64()), Values: make([]string, np), Nums: make([]float64, np), Metrics: make([]float64, nc)}
	for i := range np {
		v := row[1+i]
		switch p.l.kinds[i] {
		case Choice:
			r.Values[i], r.Nums[i] = string(v.ByteArray()), math.NaN()
		case Integer:
			r.Nums[i] = float64(v.Int64())
			r.Values[i] = spell(p.spell, p.l.params[i], r.Nums[i])
		default:
			r.Nums[i] = v.Double()
			r.Values[i] = spell(p.spell, p.l.params[i], r.Nums[i])
		}
	}
	for c := range nc {
		r.Metrics[c] = row[1+np+c].Double()
	}
	return r, nil
}

// checkPoints checks that the part's rows are its points in order.
func (p *part) checkPoints() error {
	k := p.from
	err := p.rows(func(r *Row) error {
		if r.Point != k {
			return fmt.Errorf("row %d is point %d where point %d was expected", k-p.from+1, r.Point, k)
		}
		k++
		return nil
	})
	if err == nil && k != p.to {
		err = fmt.Errorf("it holds points %d to %d where its metadata says %d to %d", p.from, k-1, p.from, p.to-1)
	}
	return err
}

// Rows passes the rows of the directory's parts to emit, in point order.
func (c *DirContents) ReadRows(dir string, emit func(*Row) error) error {
	for _, pt := range c.Parts {
		p := &part{path: filepath.Join(dir, pt.Name), from: pt.From, to: pt.To, spell: c.spell, l: c.l}
		if err := p.rows(emit); err != nil {
			return fmt.Errorf("%s: %w", pt.Name, err)
		}
	}
	return nil
}

// ResumeDir prepares dir, a Parquet output of p that should hold the points
// of header h, for a run to continue: it checks that its parts belong to h
// and have p's columns, removes the parts in progress of an interrupted run,
// and returns the ranges of points [from, to) that no part holds, in order
// (none when all are there). A directory that holds no part yet is started:
// its one range is every point, even when there are none.
func ResumeDir(dir string, p *Plan, h Header) ([][2]int, error) {
	c, err := InspectDir(dir)
	switch {
	case errors.Is(err, ErrNoHeader):
		for _, t := range c.Temps {
			if err := os.Remove(filepath.Join(dir, t)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
		}
		// nothing done yet (for an output of no points, its empty part)
		return [][2]int{{h.From, h.To}}, nil
	case err != nil:
		return nil, err
	}
	if c.Header != h {
		return nil, mismatch(c.Header, h)
	}
	if c.Columns != p.layout().columnsJSON() {
		return nil, fmt.Errorf("its column names differ from this sweep's although its plan is the same; it was edited, or written by another version of parley")
	}
	for _, t := range c.Temps {
		if err := os.Remove(filepath.Join(dir, t)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return c.Missing(), nil
}

// ReadResultsDir reads the complete Parquet output of p (every point, as
// one run or a merge writes it), checking that it belongs to p.
func ReadResultsDir(dir string, p *Plan) (*Results, error) {
	c, err := InspectDir(dir)
	if err != nil {
		return nil, err
	}
	h := c.Header
	if h.Plan != p.Fingerprint() {
		return nil, mismatch(h, p.FullHeader())
	}
	if h.From != 0 || h.To != p.Len() {
		return nil, fmt.Errorf("it holds %s, not the whole sweep: merge the shards first (parley sweep merge)", describeRange(h))
	}
	if !c.Complete() {
		return nil, fmt.Errorf("it holds %d of the sweep's %d points: finish it with parley sweep run --resume", c.Rows, p.Len())
	}
	if c.Columns != p.layout().columnsJSON() {
		return nil, fmt.Errorf("its columns differ from this sweep's although its plan is the same")
	}
	res, add := NewResults(p)
	if err := c.ReadRows(dir, add); err != nil {
		return nil, err
	}
	return res, nil
}
