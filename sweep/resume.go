package sweep

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// HeaderBytes are the header lines an output of p with header h starts with.
func (p *Plan) HeaderBytes(h Header, f Format) ([]byte, error) {
	var b bytes.Buffer
	if err := NewWriter(&b, f, p).WriteHeader(h); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Resume prepares f, an output of p that should hold the points of header
// h in format ft, for a run to continue: an empty file, or one whose header
// was cut short, gets the header; otherwise the header must be h's exactly,
// the rows must be h's first points in order, and a torn last line is cut
// off. It returns the next point to run (h.To when all are there), with f's
// offset at the end of its last complete row.
func Resume(f *os.File, p *Plan, h Header, ft Format) (next int, err error) {
	want, err := p.HeaderBytes(h, ft)
	if err != nil {
		return 0, err
	}
	fresh := func() (int, error) {
		if err := f.Truncate(0); err != nil {
			return 0, err
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return 0, err
		}
		if _, err := f.Write(want); err != nil {
			return 0, err
		}
		return h.From, nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	c, err := Inspect(f)
	switch {
	case errors.Is(err, ErrNoHeader):
		return fresh()
	case err != nil:
		return 0, err
	}
	if c.Format != ft {
		return 0, fmt.Errorf("it holds %s output; resume it with --format %s", c.Format, c.Format)
	}
	if c.Header != h {
		return 0, mismatch(c.Header, h)
	}
	got := make([]byte, c.HeaderLen)
	if _, err := f.ReadAt(got, 0); err != nil {
		return 0, err
	}
	if !bytes.Equal(got, want) {
		return 0, fmt.Errorf("its column names differ from this sweep's although its plan is the same; it was edited, or written by another version of parley")
	}
	if err := f.Truncate(c.End); err != nil {
		return 0, err
	}
	if _, err := f.Seek(c.End, io.SeekStart); err != nil {
		return 0, err
	}
	return h.From + c.Rows, nil
}

// mismatch explains why an output's header is not the one expected.
func mismatch(got, want Header) error {
	switch {
	case got.Plan != want.Plan:
		return fmt.Errorf("it belongs to another plan (%s of sweep %s; this one is %s of sweep %s): the sweep file, its base scenario or the version of parley changed", got.Plan, got.Sweep, want.Plan, want.Sweep)
	case got.Shard != want.Shard || got.From != want.From || got.To != want.To:
		return fmt.Errorf("it holds %s; this run is %s", describeRange(got), describeRange(want))
	}
	return fmt.Errorf("its header differs from this run's")
}

func describeRange(h Header) string {
	s := fmt.Sprintf("points %d to %d", h.From, h.To-1)
	if h.To == h.From {
		s = "no points"
	}
	if h.Shard != "" {
		return "shard " + h.Shard + " (" + s + ")"
	}
	if h.From == 0 && h.To == h.Points {
		return "the whole sweep (" + s + ")"
	}
	return s
}

// Input is one output to merge.
type Input struct {
	// Name names it in messages.
	Name string
	R    io.ReadSeeker
}

// MergeError lists every reason the outputs cannot be merged.
type MergeError struct {
	Problems []string
}

func (e *MergeError) Error() string { return strings.Join(e.Problems, "\n") }

// Merge writes to w the output of the whole sweep made of the given outputs
// (typically its shards, in any order): the same bytes as one run of every
// point in the same format. It refuses, listing every reason, if an input is
// not a sweep's output or is incomplete, if they belong to different plans or
// formats, or if their points overlap or leave some out. Merge reads the
// inputs twice (to check, then to copy) and holds one line at a time.
func Merge(w io.Writer, inputs []Input) error {
	if len(inputs) == 0 {
		return &MergeError{Problems: []string{"no outputs to merge"}}
	}
	type in struct {
		Input
		c *Contents
	}
	var ins []in
	var probs []string
	for _, x := range inputs {
		if _, err := x.R.Seek(0, io.SeekStart); err != nil {
			return err
		}
		c, err := Inspect(x.R)
		if err != nil {
			probs = append(probs, fmt.Sprintf("%s: %v", x.Name, err))
			continue
		}
		if !c.Complete() {
			msg := fmt.Sprintf("%s: %s is incomplete: it holds %d of its %d points", x.Name, describeRange(c.Header), c.Rows, c.Header.To-c.Header.From)
			if c.Torn {
				msg += " and a torn last line"
			}
			msg += "; finish it with parley sweep run --resume"
			if c.Header.Shard != "" {
				msg += " --shard " + c.Header.Shard
			}
			probs = append(probs, msg)
		}
		ins = append(ins, in{x, c})
	}
	if len(ins) == 0 {
		return &MergeError{Problems: probs}
	}
	items := make([]mergeItem, len(ins))
	for i, x := range ins {
		items[i] = mergeItem{x.Name, x.c.Header, x.c.Format, x.c.Columns}
	}
	if probs = append(probs, agreeMerge(items)...); len(probs) > 0 {
		return &MergeError{Problems: probs}
	}
	order, probs := tileMerge(items)
	if len(probs) > 0 {
		return &MergeError{Problems: probs}
	}
	sorted := make([]in, len(ins))
	for i, j := range order {
		sorted[i] = ins[j]
	}
	ins = sorted
	ref := ins[0]
	points := ref.c.Header.Points
	// write
	full := ref.c.Header
	full.From, full.To, full.Shard = 0, points, ""
	hb := new(bytes.Buffer)
	switch ref.c.Format {
	case CSV:
		fmt.Fprintf(hb, "%s%s\n%s\n", csvMagic, mustJSON(full), ref.c.Columns)
	case JSONL:
		fmt.Fprintf(hb, "%s%s%s\n", jsonlMagic, mustJSON(full), ref.c.Columns)
	}
	if _, err := w.Write(hb.Bytes()); err != nil {
		return err
	}
	for _, x := range ins {
		if _, err := x.R.Seek(x.c.HeaderLen, io.SeekStart); err != nil {
			return err
		}
		if _, err := io.CopyN(w, x.R, x.c.End-x.c.HeaderLen); err != nil {
			return fmt.Errorf("copying %s: %w", x.Name, err)
		}
	}
	return nil
}

// mergeItem is what checkMerge needs of an output to merge.
type mergeItem struct {
	name    string
	h       Header
	format  Format
	columns string
}

// agreeMerge checks that outputs belong together: one plan, format, set of
// columns and split. It returns every problem found.
func agreeMerge(items []mergeItem) (probs []string) {
	ref := items[0]
	for _, x := range items[1:] {
		switch {
		case x.h.Plan != ref.h.Plan || x.h.Points != ref.h.Points:
			probs = append(probs, fmt.Sprintf("%s belongs to another plan (%s of sweep %s) than %s (%s of sweep %s): outputs of different sweeps cannot be merged",
				x.name, x.h.Plan, x.h.Sweep, ref.name, ref.h.Plan, ref.h.Sweep))
		case x.format != ref.format:
			probs = append(probs, fmt.Sprintf("%s is %s and %s is %s: merge outputs of one format", x.name, x.format, ref.name, ref.format))
		case x.columns != ref.columns:
			probs = append(probs, fmt.Sprintf("%s has other columns than %s although their plan is the same", x.name, ref.name))
		case shardCount(x.h) != shardCount(ref.h):
			probs = append(probs, fmt.Sprintf("%s is %s and %s is %s: merge the shards of one split", x.name, describeRange(x.h), ref.name, describeRange(ref.h)))
		}
	}
	return probs
}

// tileMerge checks that the ranges of outputs that agree tile the whole
// sweep: it returns the order of their ranges, or every problem found.
func tileMerge(items []mergeItem) (order []int, probs []string) {
	ref := items[0]
	order = make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return items[a].h.From - items[b].h.From })
	points := ref.h.Points
	first := items[order[0]].h.Shard
	at := 0
	for i, j := range order {
		h := items[j].h
		if h.From == h.To {
			continue
		}
		if h.From < at {
			prev := items[order[i-1]]
			if h == prev.h {
				probs = append(probs, fmt.Sprintf("%s and %s both hold %s", prev.name, items[j].name, describeRange(h)))
			} else {
				probs = append(probs, fmt.Sprintf("%s (%s) overlaps %s (%s)", items[j].name, describeRange(h), prev.name, describeRange(prev.h)))
			}
		} else if h.From > at {
			probs = append(probs, "missing: "+missing(at, h.From, points, first))
		}
		at = max(at, h.To)
	}
	if at < points {
		probs = append(probs, "missing: "+missing(at, points, points, first))
	}
	return order, probs
}

// missing describes the points [from, to) that no input holds, by shard
// when the inputs are shards of n.
func missing(from, to, points int, shard string) string {
	var n int
	if _, err := fmt.Sscanf(shard, "%d/%d", new(int), &n); err == nil && n > 0 {
		var names []string
		for i := range n {
			a, b := ShardRange(points, i, n)
			if a < to && b > from && a < b {
				names = append(names, fmt.Sprintf("shard %d/%d (points %d to %d)", i, n, a, b-1))
			}
		}
		if len(names) > 0 {
			return strings.Join(names, ", ")
		}
	}
	return fmt.Sprintf("points %d to %d", from, to-1)
}

// shardCount is N of a shard's "I/N", 0 for an output that is not a shard.
func shardCount(h Header) int {
	var i, n int
	if _, err := fmt.Sscanf(h.Shard, "%d/%d", &i, &n); err != nil {
		return 0
	}
	return n
}
