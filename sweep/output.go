package sweep

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Format is the format of a sweep's output.
type Format string

// The output formats. Both are one line per point after a header, written
// a whole line at a time, so an interrupted output ends with at most one
// torn line and can be resumed.
const (
	CSV   Format = "csv"
	JSONL Format = "jsonl"
)

// Header is the first line of an output: which plan its rows belong to and
// which of its points they are.
type Header struct {
	// Sweep is the sweep's name; Plan its fingerprint.
	Sweep string `json:"sweep"`
	Plan  string `json:"plan"`
	// Points is the number of points of the whole plan; the file holds
	// points From to To − 1.
	Points int `json:"points"`
	From   int `json:"from"`
	To     int `json:"to"`
	// Shard is "I/N" for the output of shard I of N, empty otherwise.
	Shard string `json:"shard,omitempty"`
}

// FullHeader is the header of an output that holds every point of p.
func (p *Plan) FullHeader() Header {
	return Header{Sweep: p.Name, Plan: p.Fingerprint(), Points: p.Len(), From: 0, To: p.Len()}
}

// ShardHeader is the header of shard i of n.
func (p *Plan) ShardHeader(i, n int) Header {
	from, to := ShardRange(p.Len(), i, n)
	return Header{Sweep: p.Name, Plan: p.Fingerprint(), Points: p.Len(), From: from, To: to, Shard: fmt.Sprintf("%d/%d", i, n)}
}

// ShardRange is the points [from, to) of shard i of n (0 ≤ i < n) of a
// plan of the given number of points: from = ⌊i·points/n⌋, so the shards are
// contiguous, in order, and differ in size by at most one point.
func ShardRange(points, i, n int) (from, to int) {
	from = int(uint64(i) * uint64(points) / uint64(n))
	to = int(uint64(i+1) * uint64(points) / uint64(n))
	return from, to
}

const (
	csvMagic   = "# parley-sweep "
	jsonlMagic = `{"parley-sweep":`
)

// layout is the columns of an output after the point: the parameters'
// names and kinds, then the metric columns (ROADMAP/METRIC).
type layout struct {
	params []string
	kinds  []Kind
	cols   []string
}

// layout is p's columns.
func (p *Plan) layout() layout {
	l := layout{params: make([]string, len(p.Params)), kinds: make([]Kind, len(p.Params)), cols: p.Columns()}
	for i := range p.Params {
		l.params[i], l.kinds[i] = p.Params[i].Name, p.Params[i].Kind
	}
	return l
}

// Writer writes a sweep's output, each line with a single Write.
type Writer struct {
	w   io.Writer
	f   Format
	l   layout
	buf bytes.Buffer
}

// NewWriter returns a writer of p's rows in format f (CSV or JSONL) to w.
func NewWriter(w io.Writer, f Format, p *Plan) *Writer {
	return &Writer{w: w, f: f, l: p.layout()}
}

// WriteHeader writes the header lines: the header, then for CSV the
// column names (point, the parameters, then ROADMAP/METRIC columns).
func (w *Writer) WriteHeader(h Header) error {
	w.buf.Reset()
	hj, err := json.Marshal(h)
	if err != nil {
		return err
	}
	names := w.l.params
	switch w.f {
	case CSV:
		w.buf.WriteString(csvMagic)
		w.buf.Write(hj)
		w.buf.WriteByte('\n')
		cw := csv.NewWriter(&w.buf)
		_ = cw.Write(append(append([]string{"point"}, names...), w.l.cols...))
		cw.Flush()
	case JSONL:
		pj, _ := json.Marshal(names)
		cj, _ := json.Marshal(w.l.cols)
		fmt.Fprintf(&w.buf, `%s%s,"parameters":%s,"metrics":%s}`+"\n", jsonlMagic, hj, pj, cj)
	default:
		return fmt.Errorf("unknown output format %q", w.f)
	}
	_, err = w.w.Write(w.buf.Bytes())
	return err
}

// WriteRow writes one row as one line.
func (w *Writer) WriteRow(r *Row) error {
	w.buf.Reset()
	switch w.f {
	case CSV:
		rec := make([]string, 0, 1+len(r.Values)+len(r.Metrics))
		rec = append(rec, strconv.Itoa(r.Point))
		rec = append(rec, r.Values...)
		for _, x := range r.Metrics {
			rec = append(rec, formatMetric(x))
		}
		cw := csv.NewWriter(&w.buf)
		_ = cw.Write(rec)
		cw.Flush()
	case JSONL:
		fmt.Fprintf(&w.buf, `{"point":%d,"values":{`, r.Point)
		for i, name := range w.l.params {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			k, _ := json.Marshal(name)
			w.buf.Write(k)
			w.buf.WriteByte(':')
			if w.l.kinds[i] == Choice || math.IsNaN(r.Nums[i]) || math.IsInf(r.Nums[i], 0) {
				v, _ := json.Marshal(r.Values[i])
				w.buf.Write(v)
			} else {
				w.buf.WriteString(r.Values[i])
			}
		}
		w.buf.WriteString(`},"metrics":{`)
		for i, c := range w.l.cols {
			if i > 0 {
				w.buf.WriteByte(',')
			}
			k, _ := json.Marshal(c)
			w.buf.Write(k)
			w.buf.WriteByte(':')
			x := r.Metrics[i]
			if math.IsNaN(x) || math.IsInf(x, 0) {
				w.buf.WriteString("null")
			} else {
				w.buf.WriteString(formatMetric(x))
			}
		}
		w.buf.WriteString("}}\n")
	}
	_, err := w.w.Write(w.buf.Bytes())
	return err
}

func formatMetric(x float64) string {
	if math.IsNaN(x) {
		return "NaN"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// Contents describes an output file as read back.
type Contents struct {
	Format Format
	Header Header
	// HeaderLen is the length in bytes of the header lines (the header, and
	// for CSV the column names).
	HeaderLen int64
	// Columns is the line of column names (CSV) or the header line's lists (JSONL).
	Columns string
	// Rows is the number of complete rows, points From to From+Rows−1;
	// End is the offset just past the last of them.
	Rows int
	End  int64
	// Torn says that an incomplete line follows End (the last line of an
	// interrupted run).
	Torn bool
}

// Complete reports whether the output holds all its points and nothing torn.
func (c *Contents) Complete() bool { return !c.Torn && c.Header.From+c.Rows == c.Header.To }

// ErrNotOutput is returned by [Inspect] for a file that is not a sweep's output.
var ErrNotOutput = errors.New("not the output of a parley sweep")

// ErrNoHeader is returned by [Inspect] for an empty file or one whose header
// lines were cut short: nothing of it can be kept.
var ErrNoHeader = errors.New("the output holds no complete header")

// Inspect reads an output back: its header, and its rows, checking that
// they are the points From, From+1, ... in order, without gaps. It reads
// one line at a time, so its memory does not grow with the file.
func Inspect(r io.Reader) (*Contents, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	first, err := br.ReadString('\n')
	if err == io.EOF {
		if first == "" || strings.HasPrefix(csvMagic, first) || strings.HasPrefix(first, csvMagic) || strings.HasPrefix(jsonlMagic, first) || strings.HasPrefix(first, jsonlMagic) {
			return nil, ErrNoHeader
		}
		return nil, ErrNotOutput
	}
	if err != nil {
		return nil, err
	}
	c := &Contents{}
	line := strings.TrimSuffix(first, "\n")
	switch {
	case strings.HasPrefix(line, csvMagic):
		c.Format = CSV
		if err := json.Unmarshal([]byte(line[len(csvMagic):]), &c.Header); err != nil {
			return nil, fmt.Errorf("%w: its header is not readable: %v", ErrNotOutput, err)
		}
		cols, err := br.ReadString('\n')
		if err == io.EOF {
			return nil, ErrNoHeader
		}
		if err != nil {
			return nil, err
		}
		c.Columns = strings.TrimSuffix(cols, "\n")
		c.HeaderLen = int64(len(first) + len(cols))
	case strings.HasPrefix(line, jsonlMagic):
		c.Format = JSONL
		var h struct {
			Header     Header   `json:"parley-sweep"`
			Parameters []string `json:"parameters"`
			Metrics    []string `json:"metrics"`
		}
		if err := json.Unmarshal([]byte(line), &h); err != nil {
			return nil, fmt.Errorf("%w: its header is not readable: %v", ErrNotOutput, err)
		}
		c.Header = h.Header
		if i := strings.Index(line, `,"parameters":`); i >= 0 {
			c.Columns = line[i:]
		}
		c.HeaderLen = int64(len(first))
	default:
		return nil, ErrNotOutput
	}
	h := c.Header
	if h.Plan == "" || h.Points < 0 || h.From < 0 || h.From > h.To || h.To > h.Points {
		return nil, fmt.Errorf("%w: its header is inconsistent", ErrNotOutput)
	}
	c.End = c.HeaderLen
	for {
		l, err := br.ReadString('\n')
		if err == io.EOF {
			c.Torn = l != ""
			return c, nil
		}
		if err != nil {
			return nil, err
		}
		k, ok := pointOf(l, c.Format)
		want := h.From + c.Rows
		if !ok {
			return nil, fmt.Errorf("row %d (after the header) is not a row of a sweep: %.40q", c.Rows+1, l)
		}
		if k != want || want >= h.To {
			return nil, fmt.Errorf("row %d (after the header) is point %d where point %d was expected; the file holds points %d to %d in order", c.Rows+1, k, want, h.From, h.To-1)
		}
		c.Rows++
		c.End += int64(len(l))
	}
}

// pointOf reads the point number at the start of a row.
func pointOf(line string, f Format) (int, bool) {
	var rest string
	switch f {
	case CSV:
		rest = line
	case JSONL:
		var ok bool
		if rest, ok = strings.CutPrefix(line, `{"point":`); !ok {
			return 0, false
		}
	}
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	if i == 0 || i == len(rest) {
		return 0, false
	}
	if f == CSV && rest[i] != ',' || f == JSONL && rest[i] != ',' {
		return 0, false
	}
	n, err := strconv.Atoi(rest[:i])
	return n, err == nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
