package bargain

import (
	"strconv"
	"strings"
)

// Problem is one thing wrong with a deal space or with a file describing one.
type Problem struct {
	// File is the name the file was given (empty for a space built in Go).
	File string
	// Line and Column locate the offending token, counting from 1; both are
	// 0 when unknown.
	Line, Column int
	// Path is the field path, such as "parties[1].weights.Price"; empty for
	// syntax errors and problems with the file as a whole.
	Path string
	// Msg says what is wrong and what would be right.
	Msg string
}

// String formats the problem as "file:line:col: path: msg", leaving out the
// parts that are empty or zero.
func (p Problem) String() string {
	loc := p.File
	if p.Line > 0 {
		if loc != "" {
			loc += ":"
		}
		loc += strconv.Itoa(p.Line)
		if p.Column > 0 {
			loc += ":" + strconv.Itoa(p.Column)
		}
	}
	parts := make([]string, 0, 3)
	for _, s := range []string{loc, p.Path, p.Msg} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ": ")
}

// Error lists every problem found. The loaders and [Space.Validate] return
// it (as *Error) for every problem with their input.
type Error struct {
	Problems []Problem
}

// Error prints one problem per line.
func (e *Error) Error() string {
	if len(e.Problems) == 0 {
		return "bargain: no problems recorded"
	}
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// errorOf returns nil for no problems and an *Error otherwise.
func errorOf(ps []Problem) error {
	if len(ps) == 0 {
		return nil
	}
	return &Error{Problems: ps}
}
