package forecast

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// KTABParameters lists the model parameters a KTAB XML file may set under
// ModelParameters, each with the values KTAB accepts, in KTAB's order.
var KTABParameters = []struct {
	Name   string
	Values []string
}{
	{"VictoryProbModel", []string{"Linear", "Square", "Quartic", "Octic", "Binary"}},
	{"PCEModel", []string{"Conditional", "MarkovIncentive", "MarkovUniform"}},
	{"StateTransitions", []string{"Deterministic", "Stochastic"}},
	{"VotingRule", []string{"Binary", "PropBin", "Prop", "PropCbc", "Cubic", "ASymProsp"}},
	{"BigRAdjust", []string{"None", "OneThird", "Half", "TwoThirds", "Full"}},
	{"BigRRange", []string{"Min", "Mid", "Max"}},
	{"ThirdPartyCommit", []string{"NoCommit", "SemiCommit", "FullCommit"}},
	{"InterVecBrgn", []string{"S1P1", "S2P2", "S2PMax"}},
	{"BargnModel", []string{"InitOnlyInterp", "InitRcvrInterp", "PWCompInterp"}},
}

// element is one XML element with where it starts.
type element struct {
	name     string
	text     string
	at       pos
	children []*element
}

func (e *element) all(name string) []*element {
	var out []*element
	for _, c := range e.children {
		if c.name == name {
			out = append(out, c)
		}
	}
	return out
}

func (e *element) first(name string) *element {
	for _, c := range e.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

// parseXML reads data into a tree of elements, with line and column.
func parseXML(c *collector, data []byte) *element {
	lines := newLineIndex(data)
	d := xml.NewDecoder(bytes.NewReader(data))
	var stack []*element
	var root *element
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				c.add(pos{line: se.Line}, "", "XML syntax: "+se.Msg)
			} else {
				l, col := d.InputPos()
				c.add(pos{line: l, col: col}, "", "XML syntax: "+err.Error())
			}
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			e := &element{name: t.Name.Local, at: lines.pos(off)}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, e)
			} else if root == nil {
				root = e
			}
			stack = append(stack, e)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		}
	}
	if root == nil {
		c.add(pos{}, "", "the file holds no XML element; expected a KTAB <Scenario>")
	}
	return root
}

// lineIndex turns byte offsets into lines and columns.
type lineIndex []int

func newLineIndex(data []byte) lineIndex {
	idx := lineIndex{0}
	for i, b := range data {
		if b == '\n' {
			idx = append(idx, i+1)
		}
	}
	return idx
}

func (l lineIndex) pos(off int64) pos {
	lo, hi := 0, len(l)
	for hi-lo > 1 {
		m := (lo + hi) / 2
		if int64(l[m]) <= off {
			lo = m
		} else {
			hi = m
		}
	}
	return pos{line: lo + 1, col: int(off) - l[lo] + 1}
}

// ReadKTABXML parses data as a KTAB SMP XML file (smpSchema.xsd), named
// name in messages: Scenario with name, desc, prngSeed, an optional
// ModelParameters block, Dimensions, Actors (name, description,
// capability, Position of dCoord, Salience of dSal, both on 0-100) and an
// optional IdealAdjustment block of iaPair (adjustingIdeal, referencePos,
// adjust). An actor's saliences sum to at most 100. Model parameters are
// checked against [KTABParameters] and kept in Input.SMP; the ideal
// adjustments become Input.Accommodation (the identity, changed where a
// pair says otherwise).
func ReadKTABXML(name string, data []byte) (*Input, error) {
	c := newCollector(name)
	root := parseXML(c, data)
	if root == nil {
		return nil, c.err()
	}
	if root.name != "Scenario" {
		c.add(root.at, root.name, "the root element must be Scenario")
		return nil, c.err()
	}
	in := &Input{Format: FormatKTABXML}
	text := func(e *element) string { return strings.TrimSpace(e.text) }
	need := func(parent *element, child, path string) *element {
		e := parent.first(child)
		if e == nil {
			c.add(parent.at, path, fmt.Sprintf("%s has no <%s> element", parent.name, child))
		}
		return e
	}
	number := func(e *element, path string) (float64, bool) {
		s := text(e)
		if s == "" {
			c.add(e.at, path, fmt.Sprintf("<%s> is empty; expected a number", e.name))
			return 0, false
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil || !finite(x) {
			c.add(e.at, path, fmt.Sprintf("%q is not a number", s))
			return 0, false
		}
		return x, true
	}
	if e := root.first("name"); e != nil {
		in.Name = text(e)
	}
	if e := root.first("desc"); e != nil {
		in.Description = text(e)
	}
	if e := root.first("prngSeed"); e != nil && text(e) != "" {
		s, err := strconv.ParseUint(text(e), 10, 64)
		if err != nil {
			c.add(e.at, "prngSeed", fmt.Sprintf("%q is not a whole number from 0 to %d", text(e), uint64(1<<64-1)))
		} else {
			in.Seed = s
		}
	}
	if mp := root.first("ModelParameters"); mp != nil {
		in.SMP = map[string]string{}
		for _, par := range KTABParameters {
			e := need(mp, par.Name, "ModelParameters."+par.Name)
			if e == nil {
				continue
			}
			v := text(e)
			if !oneOf(v, par.Values) {
				c.add(e.at, "ModelParameters."+par.Name, fmt.Sprintf("unknown value %q; KTAB accepts %s", v, strings.Join(par.Values, ", ")))
				continue
			}
			in.SMP[par.Name] = v
		}
	}
	dims := need(root, "Dimensions", "Dimensions")
	if dims != nil {
		for k, d := range dims.all("dName") {
			in.Dimensions = append(in.Dimensions, Dimension{Name: text(d), Min: 0, Max: 100, Bounded: true})
			c.record(fmt.Sprintf("dimensions[%d]", k), d.at, fmt.Sprintf("Dimensions.dName[%d]", k))
			c.record(fmt.Sprintf("dimensions[%d].name", k), d.at, fmt.Sprintf("Dimensions.dName[%d]", k))
		}
		if len(in.Dimensions) == 0 {
			c.add(dims.at, "Dimensions", "there must be at least one <dName>")
		}
	}
	nd := len(in.Dimensions)
	acts := need(root, "Actors", "Actors")
	if acts != nil {
		for i, ae := range acts.all("Actor") {
			p := fmt.Sprintf("Actors.Actor[%d]", i)
			ip := fmt.Sprintf("actors[%d]", i)
			a := Actor{}
			if e := need(ae, "name", p+".name"); e != nil {
				a.Name = text(e)
				c.record(ip+".name", e.at, p+".name")
			}
			if e := ae.first("description"); e != nil {
				a.Description = text(e)
			}
			if e := need(ae, "capability", p+".capability"); e != nil {
				if x, ok := number(e, p+".capability"); ok {
					a.Capability = x
				}
				c.record(ip+".capability", e.at, p+".capability")
			}
			c.record(ip, ae.at, p)
			if pe := need(ae, "Position", p+".Position"); pe != nil {
				coords := pe.all("dCoord")
				if nd > 0 && len(coords) != nd {
					c.add(pe.at, p+".Position", fmt.Sprintf("expected %d <dCoord>, one per dimension, found %d", nd, len(coords)))
				}
				for k, e := range coords {
					x, ok := number(e, fmt.Sprintf("%s.Position.dCoord[%d]", p, k))
					if ok && (x < 0 || x > 100) {
						c.add(e.at, fmt.Sprintf("%s.Position.dCoord[%d]", p, k), fmt.Sprintf("position %g is outside 0-100", x))
					}
					a.Position = append(a.Position, x)
					c.record(fmt.Sprintf("%s.position[%d]", ip, k), e.at, fmt.Sprintf("%s.Position.dCoord[%d]", p, k))
				}
				c.record(ip+".position", pe.at, p+".Position")
			}
			if se := need(ae, "Salience", p+".Salience"); se != nil {
				sals := se.all("dSal")
				if nd > 0 && len(sals) != nd {
					c.add(se.at, p+".Salience", fmt.Sprintf("expected %d <dSal>, one per dimension, found %d", nd, len(sals)))
				}
				total := 0.0
				good := true
				for k, e := range sals {
					s, ok := number(e, fmt.Sprintf("%s.Salience.dSal[%d]", p, k))
					if ok && (s < 0 || s > 100) {
						c.add(e.at, fmt.Sprintf("%s.Salience.dSal[%d]", p, k), fmt.Sprintf("salience %g is outside 0-100", s))
						ok = false
					}
					good = good && ok
					total += s
					a.Salience = append(a.Salience, s/100)
					c.record(fmt.Sprintf("%s.salience[%d]", ip, k), e.at, fmt.Sprintf("%s.Salience.dSal[%d]", p, k))
				}
				if good && total > 100+1e-9 {
					c.add(se.at, p+".Salience", fmt.Sprintf("the saliences sum to %g; an actor's saliences must sum to at most 100", total))
				}
				c.record(ip+".salience", se.at, p+".Salience")
			}
			in.Actors = append(in.Actors, a)
		}
	}
	if ia := root.first("IdealAdjustment"); ia != nil && len(c.problems) == 0 {
		n := len(in.Actors)
		in.Accommodation = make([][]float64, n)
		for i := range in.Accommodation {
			in.Accommodation[i] = make([]float64, n)
			in.Accommodation[i][i] = 1
		}
		for q, pe := range ia.all("iaPair") {
			p := fmt.Sprintf("IdealAdjustment.iaPair[%d]", q)
			who := func(child string) int {
				e := need(pe, child, p+"."+child)
				if e == nil {
					return -1
				}
				i := in.ActorIndex(text(e))
				if i < 0 {
					c.add(e.at, p+"."+child, fmt.Sprintf("no actor is called %q", text(e)))
				}
				return i
			}
			i, j := who("adjustingIdeal"), who("referencePos")
			e := need(pe, "adjust", p+".adjust")
			if e == nil || i < 0 || j < 0 {
				continue
			}
			if x, ok := number(e, p+".adjust"); ok {
				in.Accommodation[i][j] = x
				c.record(fmt.Sprintf("accommodation[%d][%d]", i, j), e.at, p+".adjust")
				if _, seen := c.at[fmt.Sprintf("accommodation[%d]", i)]; !seen {
					c.record(fmt.Sprintf("accommodation[%d]", i), pe.at, fmt.Sprintf("IdealAdjustment of %s", in.Actors[i].Name))
				}
			}
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
