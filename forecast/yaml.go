package forecast

import (
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/parleyhq/parley/diag"
)

// ReadYAML parses data as parley's YAML form of a forecasting input, named
// name in messages:
//
//	name: EU car emissions                  # optional
//	description: when the standards apply   # optional
//	dimensions:                             # optional; default one unbounded dimension "position"
//	  - name: years
//	    min: 0                              # optional scale, both or neither
//	    max: 20
//	actors:
//	  - name: Netherlands
//	    description: ...                    # optional
//	    capability: 0.08                    # positive, any scale
//	    position: 4                         # a number, or a list with one per dimension
//	    salience: 0.8                       # 0-1, a number or a list; at most 1 in all
//
// Unknown keys, duplicate keys and values of the wrong kind are errors;
// every problem is reported at its line and column in an *Error.
func ReadYAML(name string, data []byte) (*Input, error) {
	c := newCollector(name)
	data = diag.UnixLines(data)
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		at := pos{}
		msg := err.Error()
		if se, ok := err.(interface{ GetToken() *token.Token }); ok && se.GetToken() != nil && se.GetToken().Position != nil {
			at = pos{line: se.GetToken().Position.Line, col: se.GetToken().Position.Column}
		}
		if m, ok := err.(interface{ GetMessage() string }); ok {
			msg = m.GetMessage()
		}
		c.add(at, "", "YAML syntax: "+msg)
		return nil, c.err()
	}
	var body ast.Node
	for _, d := range file.Docs {
		if d != nil && d.Body != nil {
			if body != nil {
				c.add(nodePos(d.Body), "", "the file holds more than one YAML document; keep one")
				return nil, c.err()
			}
			body = d.Body
		}
	}
	if body == nil {
		c.add(pos{}, "", "the file is empty; expected a mapping with actors (and optionally name, description, dimensions)")
		return nil, c.err()
	}
	y := &yamlReader{c: c}
	in := &Input{Format: FormatYAML}
	top := y.mapping(body, "", []string{"name", "description", "dimensions", "actors"})
	if top == nil {
		return nil, c.err()
	}
	if n, ok := top["name"]; ok {
		in.Name = y.str(n, "name")
	}
	if n, ok := top["description"]; ok {
		in.Description = y.str(n, "description")
	}
	if n, ok := top["dimensions"]; ok {
		for k, dn := range y.seq(n, "dimensions") {
			p := fmt.Sprintf("dimensions[%d]", k)
			c.record(p, nodePos(dn), "")
			m := y.mapping(dn, p, []string{"name", "min", "max"})
			if m == nil {
				in.Dimensions = append(in.Dimensions, Dimension{})
				continue
			}
			d := Dimension{}
			if v, ok := m["name"]; ok {
				d.Name = y.str(v, p+".name")
				c.record(p+".name", nodePos(v), "")
			}
			lo, hasLo := m["min"]
			hi, hasHi := m["max"]
			switch {
			case hasLo && hasHi:
				d.Min, d.Max, d.Bounded = y.num(lo, p+".min"), y.num(hi, p+".max"), true
			case hasLo || hasHi:
				c.add(nodePos(dn), p, "give both min and max, or neither")
			}
			in.Dimensions = append(in.Dimensions, d)
		}
	} else {
		in.Dimensions = []Dimension{{Name: "position"}}
	}
	if n, ok := top["actors"]; ok {
		c.record("actors", nodePos(n), "")
		for i, an := range y.seq(n, "actors") {
			p := fmt.Sprintf("actors[%d]", i)
			c.record(p, nodePos(an), "")
			m := y.mapping(an, p, []string{"name", "description", "capability", "position", "salience"})
			a := Actor{}
			if m != nil {
				for _, key := range []string{"name", "capability", "position", "salience"} {
					if _, ok := m[key]; !ok {
						c.add(nodePos(an), p, "missing "+key)
					}
				}
				if v, ok := m["name"]; ok {
					a.Name = y.str(v, p+".name")
					c.record(p+".name", nodePos(v), "")
				}
				if v, ok := m["description"]; ok {
					a.Description = y.str(v, p+".description")
				}
				if v, ok := m["capability"]; ok {
					a.Capability = y.num(v, p+".capability")
					c.record(p+".capability", nodePos(v), "")
				}
				if v, ok := m["position"]; ok {
					a.Position = y.nums(v, p+".position")
				}
				if v, ok := m["salience"]; ok {
					a.Salience = y.nums(v, p+".salience")
				}
			}
			in.Actors = append(in.Actors, a)
		}
	} else {
		c.add(nodePos(body), "actors", "missing actors: list each actor with name, capability, position and salience")
	}
	if len(c.problems) > 0 {
		return nil, c.err()
	}
	if err := c.check(in); err != nil {
		return nil, err
	}
	return in, nil
}

// yamlReader reads values out of a YAML syntax tree, reporting what does
// not fit.
type yamlReader struct{ c *collector }

func nodePos(n ast.Node) pos {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return pos{}
	}
	if m, ok := n.(*ast.MappingNode); ok && len(m.Values) > 0 && !m.IsFlowStyle {
		return nodePos(m.Values[0].Key)
	}
	if mv, ok := n.(*ast.MappingValueNode); ok {
		return nodePos(mv.Key)
	}
	t := n.GetToken()
	if t == nil || t.Position == nil {
		return pos{}
	}
	return pos{line: t.Position.Line, col: t.Position.Column}
}

// unwrap removes comments, tags and anchors around a value.
func unwrap(n ast.Node) ast.Node {
	for {
		switch x := n.(type) {
		case *ast.CommentNode:
			return nil
		case *ast.AnchorNode:
			n = x.Value
		default:
			return n
		}
	}
}

// mapping returns the values of a mapping by key, reporting unknown and
// repeated keys; nil when n is not a mapping.
func (y *yamlReader) mapping(n ast.Node, path string, keys []string) map[string]ast.Node {
	n = unwrap(n)
	var pairs []*ast.MappingValueNode
	switch x := n.(type) {
	case *ast.MappingNode:
		pairs = x.Values
	case *ast.MappingValueNode:
		pairs = []*ast.MappingValueNode{x}
	default:
		y.c.add(nodePos(n), path, "expected a mapping of "+strings.Join(keys, ", "))
		return nil
	}
	out := map[string]ast.Node{}
	for _, mv := range pairs {
		k := mv.Key.GetToken().Value
		kp := k
		if path != "" {
			kp = path + "." + k
		}
		if !oneOf(k, keys) {
			y.c.add(nodePos(mv.Key), kp, "unknown key; expected one of "+strings.Join(keys, ", "))
			continue
		}
		if _, dup := out[k]; dup {
			y.c.add(nodePos(mv.Key), kp, "the key is given twice")
			continue
		}
		out[k] = mv.Value
		y.c.record(kp, nodePos(mv.Value), "")
	}
	return out
}

func (y *yamlReader) seq(n ast.Node, path string) []ast.Node {
	n = unwrap(n)
	s, ok := n.(*ast.SequenceNode)
	if !ok {
		y.c.add(nodePos(n), path, "expected a list")
		return nil
	}
	return s.Values
}

func (y *yamlReader) str(n ast.Node, path string) string {
	n = unwrap(n)
	switch x := n.(type) {
	case *ast.StringNode:
		return x.Value
	case *ast.LiteralNode:
		return x.Value.Value
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return x.GetToken().Value
	}
	y.c.add(nodePos(n), path, "expected a text")
	return ""
}

func (y *yamlReader) num(n ast.Node, path string) float64 {
	n = unwrap(n)
	switch x := n.(type) {
	case *ast.IntegerNode:
		switch v := x.Value.(type) {
		case int64:
			return float64(v)
		case uint64:
			return float64(v)
		}
	case *ast.FloatNode:
		return x.Value
	case *ast.InfinityNode, *ast.NanNode:
		y.c.add(nodePos(n), path, "expected a finite number")
		return math.NaN()
	}
	y.c.add(nodePos(n), path, "expected a number")
	return math.NaN()
}

// nums reads a number or a list of numbers, recording where each was read.
func (y *yamlReader) nums(n ast.Node, path string) []float64 {
	n = unwrap(n)
	if s, ok := n.(*ast.SequenceNode); ok {
		out := make([]float64, len(s.Values))
		for k, v := range s.Values {
			p := fmt.Sprintf("%s[%d]", path, k)
			y.c.record(p, nodePos(v), "")
			out[k] = y.num(v, p)
		}
		return out
	}
	y.c.record(path+"[0]", nodePos(n), path)
	return []float64{y.num(n, path)}
}
