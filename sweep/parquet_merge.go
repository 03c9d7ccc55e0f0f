package sweep

import (
	"errors"
	"fmt"
	"io"
)

// ParquetSet is the Parquet outputs of a sweep's shards, checked to make up
// the whole sweep, ready to be written as one output.
type ParquetSet struct {
	// Header is the whole sweep's header.
	Header Header
	// Version is the version of parley that wrote the first shard.
	Version string
	dirs    []string
	cs      []*DirContents
}

// CheckParquetMerge reads the Parquet outputs in dirs (named in messages by
// names) and checks that they make up one sweep, as [Merge] does for CSV and
// JSONL: it refuses, listing every reason, an output that is not a sweep's
// or is incomplete, outputs of different plans, columns or splits, and
// points missing or held twice.
func CheckParquetMerge(dirs, names []string) (*ParquetSet, error) {
	if len(dirs) == 0 {
		return nil, &MergeError{Problems: []string{"no outputs to merge"}}
	}
	var probs []string
	var items []mergeItem
	var kept []int
	var cs []*DirContents
	for i, d := range dirs {
		c, err := InspectDir(d)
		if errors.Is(err, ErrNoHeader) {
			probs = append(probs, fmt.Sprintf("%s holds no complete part", names[i]))
			continue
		}
		if err != nil {
			probs = append(probs, fmt.Sprintf("%s: %v", names[i], err))
			continue
		}
		if !c.Complete() {
			msg := fmt.Sprintf("%s: %s is incomplete: it holds %d of its %d points", names[i], describeRange(c.Header), c.Rows, c.Header.To-c.Header.From)
			if len(c.Temps) > 0 {
				msg += " and a part in progress"
			}
			msg += "; finish it with parley sweep run --format parquet --resume"
			if c.Header.Shard != "" {
				msg += " --shard " + c.Header.Shard
			}
			probs = append(probs, msg)
		}
		items = append(items, mergeItem{names[i], c.Header, Parquet, c.Columns})
		kept = append(kept, i)
		cs = append(cs, c)
	}
	if len(items) == 0 {
		return nil, &MergeError{Problems: probs}
	}
	if probs = append(probs, agreeMerge(items)...); len(probs) > 0 {
		return nil, &MergeError{Problems: probs}
	}
	order, probs := tileMerge(items)
	if len(probs) > 0 {
		return nil, &MergeError{Problems: probs}
	}
	s := &ParquetSet{}
	for _, j := range order {
		s.dirs = append(s.dirs, dirs[kept[j]])
		s.cs = append(s.cs, cs[j])
	}
	s.Header = s.cs[0].Header
	s.Header.From, s.Header.To, s.Header.Shard = 0, s.Header.Points, ""
	s.Version = s.cs[0].Version
	return s, nil
}

// Rows passes every row of the sweep to emit, in point order.
func (s *ParquetSet) Rows(emit func(*Row) error) error {
	for i, c := range s.cs {
		if err := c.ReadRows(s.dirs[i], emit); err != nil {
			return fmt.Errorf("%s: %w", s.dirs[i], err)
		}
	}
	return nil
}

// WriteParts writes the whole sweep as a Parquet output into the directory
// dir (which must exist, empty): the same parts, of opt.Chunk points, as one
// run of the sweep writes.
func (s *ParquetSet) WriteParts(dir string, opt PartOptions) error {
	c := s.cs[0]
	w, err := newPartWriter(dir, s.Header, c.l, c.spell, opt)
	if err != nil {
		return err
	}
	if err := s.Rows(w.WriteRow); err != nil {
		w.Abort()
		return err
	}
	return w.Close()
}

// WriteText writes the whole sweep to w in format f (CSV or JSONL): the
// bytes that one run of the sweep writes in that format.
func (s *ParquetSet) WriteText(w io.Writer, f Format) error {
	tw := &Writer{w: w, f: f, l: s.cs[0].l}
	if err := tw.WriteHeader(s.Header); err != nil {
		return err
	}
	return s.Rows(tw.WriteRow)
}
