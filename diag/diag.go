// Package diag describes the problems found in an input, each located by file, line, column and field path, so that every reader of parley reports them the same way.
package diag

import (
	"bytes"
	"strconv"
	"strings"
)

// Problem is one thing wrong with an input.
type Problem struct {
	// File is the name the input was read under (empty for an input built in Go).
	File string
	// Line and Column locate the offending token, counting from 1; both are
	// 0 when unknown.
	Line, Column int
	// Path is the field path, such as "actors[1].types[0].prior" or, in a
	// CSV file, the column's name; empty for syntax errors and for problems
	// with the input as a whole.
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

// Error lists every problem found in an input; readers return it (as *Error)
// so that a caller can show them all at once.
type Error struct {
	Problems []Problem
}

// Error prints one problem per line.
func (e *Error) Error() string {
	if len(e.Problems) == 0 {
		return "no problems recorded"
	}
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// EditDistance is the Levenshtein distance between a and b, in runes: the
// least number of insertions, deletions and substitutions that turn one into
// the other. Readers use it to suggest the name a typo was meant to be.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := prev[j-1]
			if ra[i-1] != rb[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// UnixLines returns data with every CRLF line break turned into LF, and data
// itself when it has none. YAML reads both as one line break, but the YAML
// parser parley uses counts one line too many after a folded block with CRLF
// ends, which would put every later problem on the wrong line; the readers
// parse what UnixLines returns. Columns do not change, since a CR only ever
// precedes the LF at the end of a line.
func UnixLines(data []byte) []byte {
	if !bytes.Contains(data, []byte("\r\n")) {
		return data
	}
	return bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
}
