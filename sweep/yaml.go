package sweep

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/diag"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/parleyhq/parley/scenario"
)

// Problem is one thing wrong with a sweep file: its file, line and column,
// field path and message, printed as "file:line:col: path: message".
type Problem = scenario.Problem

// Error lists every problem found in a sweep file.
type Error struct {
	Problems []Problem
}

// Error prints one problem per line.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// pos is a line and column in the file (0 when unknown).
type pos struct{ line, col int }

// reader walks the YAML syntax tree of a sweep file and collects problems.
type reader struct {
	file     string
	problems []Problem
}

func (r *reader) add(at pos, path, format string, a ...any) {
	r.problems = append(r.problems, Problem{File: r.file, Line: at.line, Column: at.col, Path: path, Msg: fmt.Sprintf(format, a...)})
}

// entry is one key of a mapping with its value.
type entry struct {
	key  pos
	val  ast.Node
	path string
}

func (e entry) at() pos { return nodePos(e.val) }

// parse reads the only document of data; it reports syntax errors, empty
// files, several documents, anchors, aliases and tags.
func (r *reader) parse(data []byte) ast.Node {
	if len(data) > maxFileSize {
		r.add(pos{}, "", "the file has %d bytes; a sweep file may have at most %d", len(data), maxFileSize)
		return nil
	}
	data = diag.UnixLines(data)
	if at, deep := tooDeep(data); deep {
		r.add(at, "", "the file nests lists or mappings more than %d levels deep here; a sweep file needs only a few", maxNesting)
		return nil
	}
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		p := Problem{File: r.file, Msg: "invalid YAML: " + err.Error()}
		var ye yaml.Error
		if errors.As(err, &ye) {
			if tk := ye.GetToken(); tk != nil && tk.Position != nil {
				p.Line, p.Column = tk.Position.Line, tk.Position.Column
			}
			p.Msg = "invalid YAML: " + syntaxHint(ye.GetMessage())
		}
		r.problems = append(r.problems, p)
		return nil
	}
	var docs []ast.Node
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d.Body)
		}
	}
	switch {
	case len(docs) == 0:
		r.add(pos{}, "", "the file is empty; expected a sweep with base, parameters and record")
		return nil
	case len(docs) > 1:
		r.add(nodePos(docs[1]), "", "a sweep file holds one YAML document, found %d", len(docs))
		return nil
	}
	ok := true
	ast.Walk(visitor(func(n ast.Node) {
		switch x := n.(type) {
		case *ast.AnchorNode, *ast.AliasNode:
			r.add(nodePos(x), "", "anchors and aliases (& and *) are not supported in sweep files; write the values out")
			ok = false
		case *ast.TagNode:
			r.add(nodePos(x), "", "YAML tags such as %s are not supported; write the plain value", x.Start.Value)
			ok = false
		case *ast.MergeKeyNode:
			r.add(nodePos(x), "", "merge keys (<<) are not supported; write the keys out")
			ok = false
		}
	}), docs[0])
	if !ok {
		return nil
	}
	return docs[0]
}

const (
	maxFileSize = 1 << 20
	maxNesting  = 64
)

// tooDeep scans the tokens of data, in linear time, for nesting deeper than
// maxNesting: the YAML parser takes time quadratic in the depth. It counts
// open flow collections, and list dashes and keys in a row on one line.
func tooDeep(data []byte) (pos, bool) {
	depth, line, chain := 0, 0, 0
	for _, tk := range lexer.Tokenize(string(data)) {
		if tk == nil || tk.Position == nil {
			continue
		}
		if tk.Position.Line != line {
			line, chain = tk.Position.Line, 0
		}
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			depth++
		case token.SequenceEndType, token.MappingEndType:
			depth = max(depth-1, 0)
		}
		switch tk.Type {
		case token.SequenceEntryType, token.MappingKeyType, token.AnchorType, token.AliasType, token.TagType:
			chain++
		default:
			chain = 0
		}
		if depth > maxNesting || chain > maxNesting {
			return pos{tk.Position.Line, tk.Position.Column}, true
		}
	}
	return pos{}, false
}

type visitor func(ast.Node)

func (v visitor) Visit(n ast.Node) ast.Visitor {
	if n != nil {
		v(n)
	}
	return v
}

// fields reads a mapping whose keys must be among allowed; it reports
// unknown and duplicate keys and a value that is not a mapping, and returns
// the entries by key. what describes the mapping in messages ("a parameter").
func (r *reader) fields(n ast.Node, path, what string, allowed []string) (map[string]entry, bool) {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		if mv, isMV := n.(*ast.MappingValueNode); isMV {
			m = &ast.MappingNode{BaseNode: &ast.BaseNode{}, Values: []*ast.MappingValueNode{mv}}
			ok = true
		}
	}
	if !ok {
		r.add(nodePos(n), path, "must be a mapping describing %s (keys %s), got %s", what, strings.Join(allowed, ", "), describe(n))
		return nil, false
	}
	out := map[string]entry{}
	for _, mv := range m.Values {
		if mv == nil || mv.Key == nil {
			continue
		}
		kp := nodePos(mv.Key)
		s, isStr := mv.Key.(*ast.StringNode)
		if !isStr {
			r.add(kp, path, "a key must be a name, got %s", describe(mv.Key))
			continue
		}
		name := s.Value
		if _, dup := out[name]; dup {
			r.add(kp, path, "duplicate key %q; a key may appear only once", name)
			continue
		}
		if !slices.Contains(allowed, name) {
			msg := fmt.Sprintf("unknown field %q in %s", name, what)
			if c := closest(name, allowed); c != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", c)
			}
			r.add(kp, path, "%s; expected one of: %s", msg, strings.Join(allowed, ", "))
			continue
		}
		out[name] = entry{key: kp, val: mv.Value, path: join(path, name)}
	}
	return out, true
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// list returns the items of a sequence.
func (r *reader) list(e entry, what string) ([]entry, bool) {
	s, ok := e.val.(*ast.SequenceNode)
	if !ok {
		r.add(e.at(), e.path, "must be a list of %s, got %s", what, describe(e.val))
		return nil, false
	}
	out := make([]entry, len(s.Values))
	for i, v := range s.Values {
		out[i] = entry{key: nodePos(v), val: v, path: index(e.path, i)}
	}
	return out, true
}

// text reads a string scalar.
func (r *reader) text(e entry) (string, bool) {
	switch x := e.val.(type) {
	case *ast.StringNode:
		return x.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		r.add(e.at(), e.path, "must be a string, got %s; quote it if it is meant as text", x.GetToken().Value)
		return "", false
	}
	r.add(e.at(), e.path, "must be a string, got %s", describe(e.val))
	return "", false
}

var plainNumberRE = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$`)

// number reads a finite number.
func (r *reader) number(e entry) (float64, bool) {
	x, ok := numberOf(e.val)
	if !ok {
		r.add(e.at(), e.path, "must be a number, got %s", describe(e.val))
		return 0, false
	}
	return x, true
}

func numberOf(n ast.Node) (float64, bool) {
	var x float64
	switch v := n.(type) {
	case *ast.IntegerNode:
		switch i := v.Value.(type) {
		case int64:
			x = float64(i)
		case uint64:
			x = float64(i)
		default:
			return 0, false
		}
	case *ast.FloatNode:
		x = v.Value
	case *ast.StringNode:
		if v.GetToken().Type != token.StringType || !plainNumberRE.MatchString(v.Value) {
			return 0, false
		}
		f, err := strconv.ParseFloat(strings.ReplaceAll(v.Value, "_", ""), 64)
		if err != nil {
			return 0, false
		}
		x = f
	default:
		return 0, false
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false
	}
	return x, true
}

// integer reads a whole number in [lo, hi].
func (r *reader) integer(e entry, lo, hi int64) (int64, bool) {
	if v, ok := e.val.(*ast.IntegerNode); ok {
		var n int64
		switch i := v.Value.(type) {
		case int64:
			n = i
		case uint64:
			if i > math.MaxInt64 {
				r.add(e.at(), e.path, "%d is too large", i)
				return 0, false
			}
			n = int64(i)
		}
		if n < lo || n > hi {
			r.add(e.at(), e.path, "must be between %d and %d, got %d", lo, hi, n)
			return 0, false
		}
		return n, true
	}
	r.add(e.at(), e.path, "must be a whole number, got %s", describe(e.val))
	return 0, false
}

// uinteger reads a non-negative whole number up to 2^64 − 1.
func (r *reader) uinteger(e entry) (uint64, bool) {
	if v, ok := e.val.(*ast.IntegerNode); ok {
		switch i := v.Value.(type) {
		case int64:
			if i >= 0 {
				return uint64(i), true
			}
		case uint64:
			return i, true
		}
	}
	r.add(e.at(), e.path, "must be a whole number from 0 to 18446744073709551615, got %s", describe(e.val))
	return 0, false
}

// scalarText is the text of a value as scenario.Set reads it: a scalar as
// written, a mapping of scalars as a flow mapping "{k: v}".
func scalarText(n ast.Node) (string, bool) {
	switch x := n.(type) {
	case *ast.StringNode:
		return x.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode:
		return x.GetToken().Value, true
	case *ast.MappingNode:
		parts := make([]string, 0, len(x.Values))
		for _, mv := range x.Values {
			k, ok1 := scalarText(mv.Key)
			v, ok2 := scalarText(mv.Value)
			if !ok1 || !ok2 {
				return "", false
			}
			parts = append(parts, k+": "+v)
		}
		return "{" + strings.Join(parts, ", ") + "}", true
	case *ast.MappingValueNode:
		k, ok1 := scalarText(x.Key)
		v, ok2 := scalarText(x.Value)
		return "{" + k + ": " + v + "}", ok1 && ok2
	}
	return "", false
}

func nodePos(n ast.Node) pos {
	if n == nil {
		return pos{}
	}
	if m, ok := n.(*ast.MappingNode); ok && !m.IsFlowStyle && len(m.Values) > 0 && m.Values[0] != nil && m.Values[0].Key != nil {
		return nodePos(m.Values[0].Key)
	}
	if mv, ok := n.(*ast.MappingValueNode); ok && mv.Key != nil {
		return nodePos(mv.Key)
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return pos{}
	}
	return pos{tk.Position.Line, tk.Position.Column}
}

func describe(n ast.Node) string {
	switch x := n.(type) {
	case nil:
		return "nothing"
	case *ast.NullNode:
		return "nothing (null)"
	case *ast.StringNode:
		return strconv.Quote(x.Value)
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return "an unreadable value"
}

// closest returns the candidate nearest to name, if close enough to be a typo.
func closest(name string, candidates []string) string {
	best, bestD := "", math.MaxInt
	for _, c := range candidates {
		if d := diag.EditDistance(strings.ToLower(name), c); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= max(1, min(2, len(name)/3)) {
		return best
	}
	return ""
}

// syntaxHint rewords the parser's messages that do not say what to do.
func syntaxHint(msg string) string {
	for _, h := range []struct{ has, say string }{
		{"',' or ']' must be specified", "a list opened with [ before this point is not closed; expected ',' or ]"},
		{"',' or '}' must be specified", "a mapping opened with { before this point is not closed; expected ',' or }"},
		{"tab character", "YAML is indented with spaces, not tabs"},
		{"found character '\t'", "YAML is indented with spaces, not tabs"},
		{"mapping value is not allowed", `a "key: value" is not allowed here; check the indentation, and quote a value that contains ": "`},
		{"could not find end character of double-quoted text", `a "quoted string is not closed`},
		{"could not find end character of single-quoted text", "a 'quoted string is not closed"},
	} {
		if strings.Contains(msg, h.has) {
			return h.say
		}
	}
	return msg
}
