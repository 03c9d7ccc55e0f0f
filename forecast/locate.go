package forecast

import (
	"errors"
	"strings"
)

// pos is a place in a file, counting from 1.
type pos struct{ line, col int }

// collector gathers the problems of one file as a reader meets them, and
// remembers where each field of the input was read, so that the problems
// [Validate] finds later can be located too.
type collector struct {
	file     string
	problems []Problem
	at       map[string]pos    // field path -> where its value was read
	names    map[string]string // field path -> the path to show (tabular formats)
}

func newCollector(file string) *collector {
	return &collector{file: file, at: map[string]pos{}, names: map[string]string{}}
}

func (c *collector) add(at pos, path, msg string) {
	c.problems = append(c.problems, Problem{File: c.file, Line: at.line, Column: at.col, Path: path, Msg: msg})
}

// record notes that the value of path was read at p; shown, when not empty,
// is how messages name the field.
func (c *collector) record(path string, p pos, shown string) {
	c.at[path] = p
	if shown != "" {
		c.names[path] = shown
	}
}

// err returns the problems collected so far as an *Error, or nil.
func (c *collector) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	return &Error{Problems: c.problems}
}

// check validates in and locates each problem at the closest recorded
// field: "actors[2].salience[1]", else "actors[2].salience", else "actors[2]".
func (c *collector) check(in *Input) error {
	err := Validate(in)
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	for _, p := range e.Problems {
		p.File = c.file
		path := p.Path
		for q := path; q != ""; q = parent(q) {
			if at, ok := c.at[q]; ok {
				p.Line, p.Column = at.line, at.col
				break
			}
		}
		if shown, ok := c.names[path]; ok {
			p.Path = shown
		}
		c.problems = append(c.problems, p)
	}
	return c.err()
}

// parent strips the last element of a field path: "a[1].b" -> "a[1]" -> "a".
func parent(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i <= 0 {
		return ""
	}
	return path[:i]
}
