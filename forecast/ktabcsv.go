package forecast

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ReadKTABCSV parses data as a KTAB SMP CSV file, named name in messages.
//
// Line 1 holds the scenario's name, its description, the number of actors
// and the number of dimensions (fields after these are ignored, as KTAB
// does). Line 2 is the header: Actor, Description, a capability column, then
// a position and a salience column per dimension; the position columns name
// the dimensions. Then comes one row per actor: name, description,
// capability, and a (position, salience) pair per dimension, both on 0-100.
// An actor's saliences sum to at most 100. Empty trailing fields are
// allowed on every line; anything else out of place is an error.
//
// Positions are kept on the 0-100 scale (every dimension is bounded by 0 and
// 100); saliences are divided by 100. Every problem is reported, at its
// line and column, in an *Error.
func ReadKTABCSV(name string, data []byte) (*Input, error) {
	c := newCollector(name)
	rows, err := readCSV(c, data)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		c.add(pos{}, "", "the file is empty; expected a KTAB CSV file (scenario line, header, one row per actor)")
		return nil, c.err()
	}
	in := &Input{Format: FormatKTABCSV}

	// line 1: name, description, number of actors, number of dimensions
	first := rows[0]
	if len(first.fields) < 4 {
		c.add(first.pos(len(first.fields)), "", fmt.Sprintf("line 1 must hold the scenario name, description, number of actors and number of dimensions; found %d fields", len(first.fields)))
		return nil, c.err()
	}
	in.Name = strings.TrimSpace(first.fields[0])
	in.Description = strings.TrimSpace(first.fields[1])
	nActors, okA := first.count(c, 2, "number of actors", 1)
	nDims, okD := first.count(c, 3, "number of dimensions", 1)
	if !okA || !okD {
		return nil, c.err()
	}
	if len(rows) < 2 {
		c.add(pos{line: first.line + 1, col: 1}, "", "the header line is missing: Actor, Description, Power, then a position and a salience column per dimension")
		return nil, c.err()
	}

	// line 2: the header
	head := rows[1]
	hf := trimTrailingEmpty(head.fields)
	want := 3 + 2*nDims
	if len(hf) != want {
		c.add(head.pos(0), "", fmt.Sprintf("the header has %d columns but line 1 says %d dimensions, which need %d: Actor, Description, Power and a position and a salience column per dimension", len(hf), nDims, want))
		return nil, c.err()
	}
	for k := 0; k < nDims; k++ {
		dn := strings.TrimSpace(hf[3+2*k])
		if dn == "" {
			c.add(head.pos(3+2*k), "", fmt.Sprintf("the position column of dimension %d has no name", k+1))
		}
		in.Dimensions = append(in.Dimensions, Dimension{Name: dn, Min: 0, Max: 100, Bounded: true})
		c.record(fmt.Sprintf("dimensions[%d]", k), head.pos(3+2*k), "")
		c.record(fmt.Sprintf("dimensions[%d].name", k), head.pos(3+2*k), "")
	}

	// the actor rows
	body := rows[2:]
	for len(body) > 0 && body[len(body)-1].blank() {
		body = body[:len(body)-1]
	}
	if len(body) != nActors {
		at := pos{line: head.line + 1, col: 1}
		if len(body) > nActors {
			at = body[nActors].pos(0)
		}
		c.add(at, "", fmt.Sprintf("line 1 says %d actors but the file has %d actor rows", nActors, len(body)))
	}
	for i, r := range body {
		if i >= nActors {
			break
		}
		f := trimTrailingEmpty(r.fields)
		if len(f) != want {
			c.add(r.pos(min(len(f), len(r.fields)-1)), "", fmt.Sprintf("an actor row needs %d fields (name, description, capability and a position and a salience per dimension), found %d", want, len(f)))
			continue
		}
		a := Actor{Name: strings.TrimSpace(f[0]), Description: strings.TrimSpace(f[1])}
		label := a.Name
		if label == "" {
			label = fmt.Sprintf("row %d", i+1)
		}
		p := fmt.Sprintf("actors[%d]", i)
		c.record(p, r.pos(0), "")
		c.record(p+".name", r.pos(0), label+"."+colName(hf, 0))
		cap, ok := r.number(c, 2, label+"."+colName(hf, 2))
		if ok {
			a.Capability = cap
		}
		c.record(p+".capability", r.pos(2), label+"."+colName(hf, 2))
		total := 0.0
		good := ok
		for k := 0; k < nDims; k++ {
			pc, sc := 3+2*k, 4+2*k
			x, okx := r.number(c, pc, label+"."+colName(hf, pc))
			s, oks := r.number(c, sc, label+"."+colName(hf, sc))
			if okx && (x < 0 || x > 100) {
				c.add(r.pos(pc), label+"."+colName(hf, pc), fmt.Sprintf("position %s is outside 0-100", strings.TrimSpace(f[pc])))
				okx = false
			}
			if oks && (s < 0 || s > 100) {
				c.add(r.pos(sc), label+"."+colName(hf, sc), fmt.Sprintf("salience %s is outside 0-100", strings.TrimSpace(f[sc])))
				oks = false
			}
			good = good && okx && oks
			total += s
			a.Position = append(a.Position, x)
			a.Salience = append(a.Salience, s/100)
			c.record(fmt.Sprintf("%s.position[%d]", p, k), r.pos(pc), label+"."+colName(hf, pc))
			c.record(fmt.Sprintf("%s.salience[%d]", p, k), r.pos(sc), label+"."+colName(hf, sc))
		}
		c.record(p+".salience", r.pos(4), label+" saliences")
		if good && total > 100+1e-9 {
			c.add(r.pos(4), label, fmt.Sprintf("the saliences sum to %g; an actor's saliences must sum to at most 100", total))
		}
		in.Actors = append(in.Actors, a)
	}
	if len(c.problems) > 0 {
		return nil, c.err()
	}
	if err := c.check(in); err != nil {
		return nil, err
	}
	return in, nil
}

// colName returns the header's name of column i, or "column N".
func colName(head []string, i int) string {
	if i < len(head) {
		if s := strings.TrimSpace(head[i]); s != "" {
			return s
		}
	}
	return fmt.Sprintf("column %d", i+1)
}

// csvRow is one record of a CSV file with where each field starts.
type csvRow struct {
	line   int
	fields []string
	cols   []int
}

func (r csvRow) pos(i int) pos {
	if i < 0 || len(r.cols) == 0 {
		return pos{line: r.line, col: 1}
	}
	if i >= len(r.cols) {
		i = len(r.cols) - 1
	}
	return pos{line: r.line, col: r.cols[i]}
}

func (r csvRow) blank() bool {
	for _, f := range r.fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// number parses field i as a finite number, reporting a problem otherwise.
func (r csvRow) number(c *collector, i int, path string) (float64, bool) {
	if i >= len(r.fields) {
		c.add(r.pos(i), path, "missing value; expected a number")
		return 0, false
	}
	s := strings.TrimSpace(r.fields[i])
	if s == "" {
		c.add(r.pos(i), path, "empty field; expected a number")
		return 0, false
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || !finite(x) {
		c.add(r.pos(i), path, fmt.Sprintf("%q is not a number", s))
		return 0, false
	}
	return x, true
}

// count parses field i as a whole number of at least lo.
func (r csvRow) count(c *collector, i int, what string, lo int) (int, bool) {
	s := strings.TrimSpace(r.fields[i])
	n, err := strconv.Atoi(s)
	if err != nil || n < lo {
		c.add(r.pos(i), "", fmt.Sprintf("the %s must be a whole number, at least %d; got %q", what, lo, s))
		return 0, false
	}
	if n > maxCount {
		c.add(r.pos(i), "", fmt.Sprintf("the %s must be at most %d; got %d", what, maxCount, n))
		return 0, false
	}
	return n, true
}

// maxCount bounds the numbers of actors and dimensions a file may declare.
const maxCount = 100000

// trimTrailingEmpty drops the empty fields at the end of a record.
func trimTrailingEmpty(f []string) []string {
	n := len(f)
	for n > 0 && strings.TrimSpace(f[n-1]) == "" {
		n--
	}
	return f[:n]
}

// readCSV reads every record of data, with positions. A syntax error is
// reported at its place.
func readCSV(c *collector, data []byte) ([]csvRow, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var rows []csvRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				c.add(pos{line: pe.Line, col: pe.Column}, "", "CSV syntax: "+pe.Err.Error())
			} else {
				c.add(pos{}, "", "CSV syntax: "+err.Error())
			}
			return nil, c.err()
		}
		r := csvRow{fields: rec}
		for i := range rec {
			l, col := cr.FieldPos(i)
			if i == 0 {
				r.line = l
			}
			r.cols = append(r.cols, col)
		}
		rows = append(rows, r)
	}
	return rows, nil
}
