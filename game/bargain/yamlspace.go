package bargain

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/parleyhq/parley/diag"
)

// maxYAMLSize bounds a deal-space file.
const maxYAMLSize = 8 << 20

// LoadYAML reads a deal space written in parley's YAML form (see
// docs/bargaining.md); name stands for the file in messages. Scores are
// divided by the best score of their issue for that party, as Genius does,
// so that an issue's weight is the most it can bring.
//
// Every problem found is reported at once in an *Error, each as
// file:line:col: path: message.
func LoadYAML(name string, data []byte) (*Space, error) {
	fail := func(line, col int, msg string) error {
		return &Error{Problems: []Problem{{File: name, Line: line, Column: col, Msg: msg}}}
	}
	if len(data) > maxYAMLSize {
		return nil, fail(0, 0, fmt.Sprintf("the file has %d bytes; a deal space may have at most %d", len(data), maxYAMLSize))
	}
	data = diag.UnixLines(data)
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) {
			line, col := 0, 0
			if tk := ye.GetToken(); tk != nil && tk.Position != nil {
				line, col = tk.Position.Line, tk.Position.Column
			}
			return nil, fail(line, col, "invalid YAML: "+ye.GetMessage())
		}
		return nil, fail(0, 0, "invalid YAML: "+err.Error())
	}
	var docs []*ast.DocumentNode
	for _, d := range file.Docs {
		if d != nil && !isNilNode(d.Body) {
			docs = append(docs, d)
		}
	}
	switch {
	case len(docs) == 0:
		return nil, fail(0, 0, "the file is empty; expected a deal space with issues and parties")
	case len(docs) > 1:
		l, c := nodePos(docs[1].Body)
		return nil, fail(l, c, fmt.Sprintf("a deal-space file holds one YAML document, found %d", len(docs)))
	}
	r := &yreader{file: name}
	s := r.space(docs[0].Body)
	if len(r.ps) > 0 {
		slices.SortStableFunc(r.ps, func(a, b Problem) int {
			if a.Line != b.Line {
				return a.Line - b.Line
			}
			return a.Column - b.Column
		})
		return nil, &Error{Problems: r.ps}
	}
	if err := s.Validate(); err != nil {
		return nil, err // a backstop: the reader checks everything Validate does
	}
	return s, nil
}

// yreader walks the YAML tree of a deal space, collecting problems.
type yreader struct {
	file string
	ps   []Problem
}

func (r *yreader) add(n ast.Node, path, format string, a ...any) {
	l, c := nodePos(n)
	r.ps = append(r.ps, Problem{File: r.file, Line: l, Column: c, Path: path, Msg: fmt.Sprintf(format, a...)})
}

// entry is one key of a mapping.
type entry struct {
	key   string
	knode ast.Node
	value ast.Node
}

// resolve strips anchors and rejects aliases and tags.
func (r *yreader) resolve(n ast.Node, path string) ast.Node {
	for {
		switch x := n.(type) {
		case *ast.AnchorNode:
			n = x.Value
			continue
		case *ast.AliasNode:
			r.add(n, path, "aliases (*name) are not supported in deal-space files; write the value out")
			return nil
		case *ast.TagNode:
			r.add(n, path, "YAML tags such as %s are not supported; write the plain value", x.Start.Value)
			return nil
		}
		if isNilNode(n) {
			return nil
		}
		return n
	}
}

// mapping returns the entries of a mapping, reporting duplicate keys; what
// names the expected content for messages.
func (r *yreader) mapping(n ast.Node, path, what string) ([]entry, bool) {
	n = r.resolve(n, path)
	if n == nil {
		return nil, false
	}
	var mvs []*ast.MappingValueNode
	switch x := n.(type) {
	case *ast.MappingNode:
		mvs = x.Values
	case *ast.MappingValueNode:
		mvs = []*ast.MappingValueNode{x}
	default:
		r.add(n, path, "must be a mapping of %s, got %s", what, describe(n))
		return nil, false
	}
	var out []entry
	seen := map[string]bool{}
	for _, mv := range mvs {
		if mv == nil || isNilNode(mv.Key) {
			continue
		}
		k, ok := scalarText(mv.Key)
		if !ok {
			r.add(mv.Key, path, "a key must be a plain name, got %s", describe(mv.Key))
			continue
		}
		if seen[k] {
			r.add(mv.Key, path, "duplicate key %q; a key may appear only once in a mapping", k)
			continue
		}
		seen[k] = true
		out = append(out, entry{key: k, knode: mv.Key, value: mv.Value})
	}
	return out, true
}

// fields checks a mapping's keys against the allowed ones and returns the
// values by key; required keys that are missing are reported.
func (r *yreader) fields(n ast.Node, path, what string, allowed, required []string) (map[string]entry, bool) {
	es, ok := r.mapping(n, path, what)
	if !ok {
		return nil, false
	}
	out := map[string]entry{}
	for _, e := range es {
		if !contains(allowed, e.key) {
			r.add(e.knode, path, "unknown field %q in %s; expected one of: %s", e.key, what, strings.Join(allowed, ", "))
			continue
		}
		out[e.key] = e
	}
	for _, k := range required {
		if _, ok := out[k]; !ok {
			r.add(n, path, "missing required field %q; %s needs %s", k, what, strings.Join(required, " and "))
		}
	}
	return out, true
}

func (r *yreader) list(n ast.Node, path, what string) ([]ast.Node, bool) {
	n = r.resolve(n, path)
	if n == nil {
		r.add(n, path, "must be a list of %s", what)
		return nil, false
	}
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		r.add(n, path, "must be a list of %s, got %s", what, describe(n))
		return nil, false
	}
	return seq.Values, true
}

// plainNumber matches plain scalars that are numbers although the parser
// may leave them as strings (exponents, long integers).
var plainNumber = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$`)

func (r *yreader) number(n ast.Node, path string) (float64, bool) {
	at := n
	n = r.resolve(n, path)
	if n == nil {
		if at == nil || isNilNode(at) {
			r.add(at, path, "must be a number, got nothing")
		}
		return 0, false
	}
	var text string
	switch x := n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		text = x.GetToken().Value
	case *ast.StringNode:
		if isPlain(x) && plainNumber.MatchString(x.Value) {
			text = x.Value
		}
	}
	if text != "" {
		f, err := strconv.ParseFloat(strings.ReplaceAll(text, "_", ""), 64)
		if err == nil && finite(f) {
			return f, true
		}
		if i, err := strconv.ParseInt(strings.ReplaceAll(text, "_", ""), 0, 64); err == nil {
			return float64(i), true
		}
	}
	r.add(n, path, "must be a finite number, got %s", describe(n))
	return 0, false
}

func (r *yreader) text(n ast.Node, path string) (string, bool) {
	n = r.resolve(n, path)
	if n == nil {
		r.add(n, path, "must be a name, got nothing")
		return "", false
	}
	s, ok := scalarText(n)
	if !ok {
		r.add(n, path, "must be a name, got %s", describe(n))
		return "", false
	}
	if strings.TrimSpace(s) == "" {
		r.add(n, path, "must not be empty")
		return "", false
	}
	return s, true
}

// space reads the whole file.
func (r *yreader) space(root ast.Node) *Space {
	s := &Space{}
	top, ok := r.fields(root, "", "a deal space", []string{"name", "issues", "parties"}, []string{"issues", "parties"})
	if !ok {
		return s
	}
	if e, ok := top["name"]; ok {
		s.Name, _ = r.text(e.value, "name")
	}
	issuesOK := false
	if e, ok := top["issues"]; ok {
		before := len(r.ps)
		r.issues(s, e)
		issuesOK = len(r.ps) == before
	}
	if e, ok := top["parties"]; ok {
		items, ok := r.list(e.value, "parties", "the two parties")
		if ok && len(items) != 2 {
			r.add(e.value, "parties", "a deal space has exactly two parties, got %d", len(items))
		}
		for p, it := range items {
			if p < 2 {
				s.Parties[p] = r.party(s, it, fmt.Sprintf("parties[%d]", p), issuesOK)
			}
		}
	}
	return s
}

func (r *yreader) issues(s *Space, e entry) {
	items, ok := r.list(e.value, "issues", "issues")
	if !ok {
		return
	}
	if len(items) == 0 {
		r.add(e.value, "issues", "a deal space needs at least one issue")
	}
	names := map[string]int{}
	for i, it := range items {
		path := fmt.Sprintf("issues[%d]", i)
		f, ok := r.fields(it, path, "an issue", []string{"name", "values", "range"}, []string{"name"})
		if !ok {
			continue
		}
		is := Issue{}
		if e, ok := f["name"]; ok {
			is.Name, _ = r.text(e.value, path+".name")
			if j, dup := names[is.Name]; dup && is.Name != "" {
				r.add(e.value, path+".name", "issue name %q is already used by issues[%d]; names must differ", is.Name, j)
			}
			names[is.Name] = i
		}
		ve, hasValues := f["values"]
		re, hasRange := f["range"]
		switch {
		case hasValues && hasRange:
			r.add(re.knode, path, "an issue has either values (discrete) or a range (divisible), not both")
		case hasValues:
			vals, ok := r.list(ve.value, path+".values", "values")
			if ok && len(vals) == 0 {
				r.add(ve.value, path+".values", "a discrete issue needs at least one value")
			}
			seen := map[string]int{}
			for k, v := range vals {
				vp := fmt.Sprintf("%s.values[%d]", path, k)
				name, ok := r.text(v, vp)
				if !ok {
					continue
				}
				if j, dup := seen[name]; dup {
					r.add(v, vp, "value %q is already values[%d]; values must differ", name, j)
					continue
				}
				seen[name] = k
				is.Values = append(is.Values, name)
			}
		case hasRange:
			is.Divisible = true
			bounds, ok := r.list(re.value, path+".range", "two numbers, [min, max]")
			if !ok {
				break
			}
			if len(bounds) != 2 {
				r.add(re.value, path+".range", "must be [min, max], got %d numbers", len(bounds))
				break
			}
			lo, ok1 := r.number(bounds[0], path+".range[0]")
			hi, ok2 := r.number(bounds[1], path+".range[1]")
			if ok1 && ok2 && lo >= hi {
				r.add(re.value, path+".range", "min %g must be below max %g", lo, hi)
			}
			is.Min, is.Max = lo, hi
		default:
			r.add(it, path, "an issue needs values (a list, for a discrete issue) or range ([min, max], for a divisible one)")
		}
		s.Issues = append(s.Issues, is)
	}
}

func (r *yreader) party(s *Space, n ast.Node, path string, issuesOK bool) Party {
	pa := Party{Discount: 1, Valuations: make([]Valuation, len(s.Issues))}
	f, ok := r.fields(n, path, "a party", []string{"name", "reservation", "discount", "weights", "scores"}, []string{"name", "weights", "scores"})
	if !ok {
		return pa
	}
	if e, ok := f["name"]; ok {
		pa.Name, _ = r.text(e.value, path+".name")
	}
	if e, ok := f["reservation"]; ok {
		pa.Reservation, _ = r.number(e.value, path+".reservation")
	}
	if e, ok := f["discount"]; ok {
		if x, ok := r.number(e.value, path+".discount"); ok {
			if !(x > 0 && x <= 1) {
				r.add(e.value, path+".discount", "must be in (0, 1] (1: no discounting), got %g", x)
			}
			pa.Discount = x
		}
	}
	index := map[string]int{}
	for i, is := range s.Issues {
		index[is.Name] = i
	}
	// byIssue reads a mapping keyed by issue names, reporting unknown and
	// (when the issues are sound) missing ones.
	byIssue := func(key string, read func(i int, e entry, path string)) {
		e, ok := f[key]
		if !ok {
			return
		}
		es, ok := r.mapping(e.value, path+"."+key, "issue names")
		if !ok {
			return
		}
		got := make([]bool, len(s.Issues))
		for _, ie := range es {
			i, ok := index[ie.key]
			if !ok {
				if issuesOK {
					r.add(ie.knode, path+"."+key, "no issue %q; the issues are %s", ie.key, s.issueList())
				}
				continue
			}
			got[i] = true
			read(i, ie, path+"."+key+pathKey(ie.key))
		}
		if !issuesOK {
			return
		}
		var missing []string
		for i, g := range got {
			if !g {
				missing = append(missing, strconv.Quote(s.Issues[i].Name))
			}
		}
		if len(missing) > 0 {
			r.add(e.value, path+"."+key, "no entry for issue %s; give one for every issue", strings.Join(missing, ", "))
		}
	}
	byIssue("weights", func(i int, e entry, p string) {
		if x, ok := r.number(e.value, p); ok {
			if x < 0 {
				r.add(e.value, p, "a weight must not be negative, got %g", x)
			}
			pa.Valuations[i].Weight = x
		}
	})
	byIssue("scores", func(i int, e entry, p string) {
		r.scores(s.Issues[i], &pa.Valuations[i], e, p)
	})
	return pa
}

// scores reads one party's scores for one issue.
func (r *yreader) scores(is Issue, v *Valuation, e entry, path string) {
	if is.Divisible {
		f, ok := r.fields(e.value, path, "the scores at the ends of a divisible issue", []string{"min", "max"}, []string{"min", "max"})
		if !ok {
			return
		}
		ends := [2]float64{}
		for k, key := range []string{"min", "max"} {
			if fe, ok := f[key]; ok {
				if x, ok := r.number(fe.value, path+"."+key); ok {
					if x < 0 {
						r.add(fe.value, path+"."+key, "a score must not be negative, got %g", x)
					}
					ends[k] = x
				}
			}
		}
		normalise(ends[:])
		v.AtMin, v.AtMax = ends[0], ends[1]
		return
	}
	es, ok := r.mapping(e.value, path, "the issue's values to their scores")
	if !ok {
		return
	}
	v.Scores = make([]float64, len(is.Values))
	got := make([]bool, len(is.Values))
	for _, se := range es {
		k := -1
		for j, name := range is.Values {
			if name == se.key {
				k = j
			}
		}
		if k < 0 {
			r.add(se.knode, path, "issue %q has no value %q; its values are %s", is.Name, se.key, quoteList(is.Values))
			continue
		}
		got[k] = true
		if x, ok := r.number(se.value, path+pathKey(se.key)); ok {
			if x < 0 {
				r.add(se.value, path+pathKey(se.key), "a score must not be negative, got %g", x)
			}
			v.Scores[k] = x
		}
	}
	var missing []string
	for k, g := range got {
		if !g {
			missing = append(missing, strconv.Quote(is.Values[k]))
		}
	}
	if len(missing) > 0 {
		r.add(e.value, path, "no score for %s; give every value of issue %q a score", strings.Join(missing, ", "), is.Name)
	}
	normalise(v.Scores)
}

// pathKey writes a mapping key as a path segment: .key for simple names,
// ["key"] otherwise.
func pathKey(k string) string {
	if simpleName.MatchString(k) {
		return "." + k
	}
	return "[" + strconv.Quote(k) + "]"
}

var simpleName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// scalarText returns the text of a scalar node as written.
func scalarText(n ast.Node) (string, bool) {
	switch x := n.(type) {
	case *ast.StringNode:
		return x.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return x.GetToken().Value, true
	}
	return "", false
}

func isNilNode(n ast.Node) bool {
	if n == nil {
		return true
	}
	if _, null := n.(*ast.NullNode); null {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

func isPlain(s *ast.StringNode) bool {
	tk := s.GetToken()
	return tk == nil || (tk.Type != token.SingleQuoteType && tk.Type != token.DoubleQuoteType)
}

// nodePos is where a node starts, (0, 0) when unknown.
func nodePos(n ast.Node) (int, int) {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return 0, 0
	}
	var tk *token.Token
	switch x := n.(type) {
	case *ast.MappingNode:
		if !x.IsFlowStyle && len(x.Values) > 0 && x.Values[0] != nil && !isNilNode(x.Values[0].Key) {
			tk = x.Values[0].Key.GetToken()
		} else {
			tk = x.Start
		}
	case *ast.MappingValueNode:
		if !isNilNode(x.Key) {
			tk = x.Key.GetToken()
		}
	case *ast.SequenceNode:
		tk = x.Start
	case *ast.AnchorNode:
		tk = x.Start
	case *ast.TagNode:
		tk = x.Start
	default:
		tk = n.GetToken()
	}
	if tk == nil || tk.Position == nil {
		return 0, 0
	}
	return tk.Position.Line, tk.Position.Column
}

// describe names a YAML value for a message.
func describe(n ast.Node) string {
	switch x := n.(type) {
	case *ast.NullNode:
		return "nothing"
	case *ast.StringNode:
		if !isPlain(x) {
			return "the string " + strconv.Quote(x.Value)
		}
		return strconv.Quote(x.Value)
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.LiteralNode:
		return "a block of text"
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return "an unreadable value"
}

// WriteYAML writes the space in parley's YAML form, which [LoadYAML] reads
// back into the same utilities: an issue whose best score for a party is
// below 1 has its scores scaled up to 1 and its weight down by the same
// factor. This is how Genius files become one editable file.
func (s *Space) WriteYAML(w io.Writer) error {
	var b strings.Builder
	b.WriteString("# A deal space for parley: parley bargain FILE\n")
	if s.Name != "" {
		fmt.Fprintf(&b, "name: %s\n", yamlString(s.Name))
	}
	b.WriteString("issues:\n")
	for _, is := range s.Issues {
		fmt.Fprintf(&b, "  - name: %s\n", yamlString(is.Name))
		if is.Divisible {
			fmt.Fprintf(&b, "    range: [%s, %s]\n", yamlNumber(is.Min), yamlNumber(is.Max))
			continue
		}
		vals := make([]string, len(is.Values))
		for k, v := range is.Values {
			vals[k] = yamlString(v)
		}
		fmt.Fprintf(&b, "    values: [%s]\n", strings.Join(vals, ", "))
	}
	b.WriteString("parties:\n")
	for _, pa := range s.Parties {
		fmt.Fprintf(&b, "  - name: %s\n", yamlString(pa.Name))
		fmt.Fprintf(&b, "    reservation: %s\n", yamlNumber(pa.Reservation))
		fmt.Fprintf(&b, "    discount: %s\n", yamlNumber(pa.Discount))
		b.WriteString("    weights:\n")
		type scaled struct {
			weight float64
			scores []float64
		}
		sc := make([]scaled, len(s.Issues))
		for i, is := range s.Issues {
			v := pa.Valuations[i]
			xs := v.Scores
			if is.Divisible {
				xs = []float64{v.AtMin, v.AtMax}
			}
			m := 0.0
			for _, x := range xs {
				m = max(m, x)
			}
			sc[i] = scaled{v.Weight, append([]float64(nil), xs...)}
			if m > 0 && m != 1 {
				sc[i].weight *= m
				for k := range sc[i].scores {
					sc[i].scores[k] /= m
				}
			}
			fmt.Fprintf(&b, "      %s: %s\n", yamlString(is.Name), yamlNumber(sc[i].weight))
		}
		b.WriteString("    scores:\n")
		for i, is := range s.Issues {
			var parts []string
			if is.Divisible {
				parts = []string{"min: " + yamlNumber(sc[i].scores[0]), "max: " + yamlNumber(sc[i].scores[1])}
			} else {
				for k, v := range is.Values {
					parts = append(parts, yamlString(v)+": "+yamlNumber(sc[i].scores[k]))
				}
			}
			fmt.Fprintf(&b, "      %s: {%s}\n", yamlString(is.Name), strings.Join(parts, ", "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func yamlNumber(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// plainSafe matches text that YAML reads back as the same plain string.
var plainSafe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_ .()/-]*$`)

// yamlString writes s plain when that is safe, else double-quoted.
func yamlString(s string) string {
	switch strings.ToLower(s) {
	case "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~", "nan", "inf":
		return strconv.Quote(s)
	}
	if plainSafe.MatchString(s) && !strings.HasSuffix(s, " ") && !strings.Contains(s, "  ") {
		return s
	}
	return strconv.Quote(s)
}
