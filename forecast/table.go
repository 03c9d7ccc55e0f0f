package forecast

import (
	"fmt"
	"strings"
)

// Column names ReadTable recognises, case-insensitively.
var (
	nameColumns       = []string{"actor", "stakeholder", "name"}
	capabilityColumns = []string{"capability", "resources", "power", "influence", "clout"}
	positionColumns   = []string{"position"}
	salienceColumns   = []string{"salience"}
	descColumns       = []string{"description"}
)

// ReadTable parses data as a one-dimensional actor table, the layout of the
// data sets of the expected-utility literature: a header line, then one row
// per actor. The header names the columns; the actor column may be called
// Actor, Stakeholder or Name, the capability column Capability, Resources,
// Power, Influence or Clout, and Position and Salience are required too (a
// Description column is optional, other columns are errors). Column order
// is free and names are matched without regard to case.
//
// Positions may be on any scale (the dimension is left unbounded and named
// "position"). Saliences are read as shares from 0 to 1 when every one of
// them is at most 1, and as percentages from 0 to 100 otherwise (then
// divided by 100).
func ReadTable(name string, data []byte) (*Input, error) {
	c := newCollector(name)
	rows, err := readCSV(c, data)
	if err != nil {
		return nil, err
	}
	for len(rows) > 0 && rows[len(rows)-1].blank() {
		rows = rows[:len(rows)-1]
	}
	if len(rows) == 0 {
		c.add(pos{}, "", "the file is empty; expected a header (Actor, Capability, Position, Salience) and one row per actor")
		return nil, c.err()
	}
	head := rows[0]
	hf := trimTrailingEmpty(head.fields)
	col := map[string]int{}
	for i, h := range hf {
		key := ""
		l := strings.ToLower(strings.TrimSpace(h))
		switch {
		case oneOf(l, nameColumns):
			key = "name"
		case oneOf(l, capabilityColumns):
			key = "capability"
		case oneOf(l, positionColumns):
			key = "position"
		case oneOf(l, salienceColumns):
			key = "salience"
		case oneOf(l, descColumns):
			key = "description"
		default:
			c.add(head.pos(i), "", fmt.Sprintf("unknown column %q; a table has the columns Actor, Capability, Position and Salience (and optionally Description)", strings.TrimSpace(h)))
			continue
		}
		if j, dup := col[key]; dup {
			c.add(head.pos(i), "", fmt.Sprintf("column %q repeats the %s column %q", strings.TrimSpace(h), key, strings.TrimSpace(hf[j])))
			continue
		}
		col[key] = i
	}
	for _, k := range []string{"name", "capability", "position", "salience"} {
		if _, ok := col[k]; !ok {
			c.add(head.pos(0), "", fmt.Sprintf("the header has no %s column", k))
		}
	}
	if len(c.problems) > 0 {
		return nil, c.err()
	}
	in := &Input{Format: FormatTable, Dimensions: []Dimension{{Name: "position"}}}
	type sal struct {
		at    pos
		path  string
		value float64
	}
	var sals []sal
	for i, r := range rows[1:] {
		f := trimTrailingEmpty(r.fields)
		if len(f) > len(hf) {
			c.add(r.pos(len(hf)), "", fmt.Sprintf("the row has %d fields but the header names %d columns", len(f), len(hf)))
			continue
		}
		a := Actor{Name: cell(f, col["name"])}
		if j, ok := col["description"]; ok {
			a.Description = cell(f, j)
		}
		label := a.Name
		if label == "" {
			label = fmt.Sprintf("row %d", i+1)
		}
		p := fmt.Sprintf("actors[%d]", i)
		c.record(p, r.pos(0), "")
		c.record(p+".name", r.pos(col["name"]), label+"."+colName(hf, col["name"]))
		capPath := label + "." + colName(hf, col["capability"])
		posPath := label + "." + colName(hf, col["position"])
		salPath := label + "." + colName(hf, col["salience"])
		if x, ok := r.number(c, col["capability"], capPath); ok {
			a.Capability = x
		}
		x, _ := r.number(c, col["position"], posPath)
		s, ok := r.number(c, col["salience"], salPath)
		if ok {
			sals = append(sals, sal{r.pos(col["salience"]), salPath, s})
		}
		a.Position = []float64{x}
		a.Salience = []float64{s}
		c.record(p+".capability", r.pos(col["capability"]), capPath)
		c.record(p+".position", r.pos(col["position"]), posPath)
		c.record(p+".position[0]", r.pos(col["position"]), posPath)
		c.record(p+".salience", r.pos(col["salience"]), salPath)
		c.record(p+".salience[0]", r.pos(col["salience"]), salPath)
		in.Actors = append(in.Actors, a)
	}
	// the scale of the saliences
	percent := false
	for _, s := range sals {
		if s.value > 1 {
			percent = true
		}
	}
	for _, s := range sals {
		if s.value < 0 || (percent && s.value > 100) {
			c.add(s.at, s.path, fmt.Sprintf("salience %g is outside %s", s.value, map[bool]string{false: "0-1", true: "0-100"}[percent]))
		}
	}
	if percent {
		for i := range in.Actors {
			in.Actors[i].Salience[0] /= 100
		}
	}
	if len(c.problems) > 0 {
		return nil, c.err()
	}
	if err := c.check(in); err != nil {
		return nil, err
	}
	return in, nil
}

func oneOf(s string, set []string) bool {
	for _, x := range set {
		if s == x {
			return true
		}
	}
	return false
}

func cell(f []string, i int) string {
	if i < len(f) {
		return strings.TrimSpace(f[i])
	}
	return ""
}
