package scenario

import (
	"github.com/parleyhq/parley/diag"

	"cmp"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// Problem is one thing wrong with a scenario (see [diag.Problem]).
type Problem = diag.Problem

// Error lists every problem found in a scenario. Load and Validate return it
// (as *Error) for every problem with their input.
type Error = diag.Error

// LoadFile reads the file at path and loads it with [Load], naming it by path
// in messages. A file that cannot be read gives the error of the file system,
// not an *Error.
func LoadFile(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, data)
}

// Load parses data as a scenario file, fills the defaults documented in
// types.go and validates the result. name stands for the file in messages.
//
// Parsing is strict: unknown keys, values of the wrong type, duplicate keys,
// YAML tags and merge keys are errors. Problems of that kind are reported
// first, all at once; only when there are none is the scenario checked by
// [Validate], whose problems are again all reported at once, located at the
// line and column of the field they concern. The error is always an *Error.
func Load(name string, data []byte) (s *Scenario, err error) {
	defer func() {
		if r := recover(); r != nil {
			s = nil
			err = &Error{Problems: []Problem{{File: name, Msg: fmt.Sprintf("%s: %v; please report this with the file", internalErrorMsg, r)}}}
		}
	}()
	return load(name, data)
}

// internalErrorMsg opens the message of a recovered panic; the fuzz test
// looks for it.
const internalErrorMsg = "internal error while reading the scenario"

func load(name string, data []byte) (*Scenario, error) {
	data = diag.UnixLines(data)
	if p := guard(name, data); p != nil {
		return nil, &Error{Problems: []Problem{*p}}
	}
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, &Error{Problems: []Problem{syntaxProblem(name, err)}}
	}
	r := newReader(name)
	body := r.document(file)
	if body == nil {
		return nil, r.err()
	}
	r.collectAnchors(body)
	r.record("", nil, body)
	r.value(body, scenarioType, "")
	if len(r.problems) > 0 {
		return nil, r.err()
	}

	s := new(Scenario)
	if err := yaml.UnmarshalWithOptions(data, s, yaml.Strict()); err != nil {
		// The reader above accepts only what the decoder can read, so this
		// is a backstop: translate the decoder's message as well as we can.
		return nil, &Error{Problems: []Problem{decodeProblem(name, err)}}
	}
	r.applyDefaults(s)
	if vp := validate(s, true); len(vp) > 0 {
		for _, p := range vp {
			at := r.locate(p.path, p.onKey)
			if p.at != "" {
				at = r.locate(p.at, false)
			}
			r.add(at, p.path, p.msg)
		}
		return nil, r.err()
	}
	return s, nil
}

// applyDefaults fills the documented defaults of the fields the file left
// out. A field written with its zero value keeps it, so that Validate can
// reject, say, an explicit horizon of 0.
func (r *reader) applyDefaults(s *Scenario) {
	env := &s.Environment
	if !r.present("environment.horizon") {
		env.Horizon = DefaultHorizon
	}
	if !r.present("environment.rationality") {
		env.Rationality = DefaultRationality
	}
	if !r.present("environment.stalemate_rounds") {
		env.StalemateRounds = DefaultStalemateRounds
	}
	if env.RoundLength == "" {
		env.RoundLength = DefaultRoundLength
	}
	for i := range s.Actors {
		if s.Actors[i].Response.Kind == "" {
			s.Actors[i].Response = Response{Kind: TitForTat}
		}
	}
	for i := range s.Moves {
		if s.Moves[i].Align == "" {
			s.Moves[i].Align = AlignFirst
		}
	}
	for i := range s.Roadmaps {
		for j := range s.Roadmaps[i].Phases {
			p := &s.Roadmaps[i].Phases[j]
			if p.Order == "" {
				p.Order = OrderSimultaneous
			}
			if p.Reciprocation == "" {
				p.Reciprocation = ReciprocationRequired
			}
		}
	}
}

// Limits on the input, far beyond any real scenario. The YAML parser takes
// time quadratic in the depth of nesting, so deeply nested input is turned
// away after a linear scan of its tokens, before it is parsed.
const (
	maxFileSize = 2 << 20
	maxNesting  = 100
)

// guard returns a problem if data is too large or nested too deeply to be
// parsed in reasonable time.
func guard(name string, data []byte) *Problem {
	if len(data) > maxFileSize {
		return &Problem{File: name, Msg: fmt.Sprintf("the file has %d bytes; a scenario file may have at most %d (2 MiB)", len(data), maxFileSize)}
	}
	if p := textProblem(name, data); p != nil {
		return p
	}
	// depth counts open flow collections; chain counts indicators in a row
	// on one line ("- - - x", "&a &b x"), each of which nests a node.
	depth, line, chain, skip := 0, 0, 0, false
	for _, tk := range lexer.Tokenize(string(data)) {
		if tk == nil || tk.Position == nil {
			continue
		}
		if tk.Position.Line != line {
			line, chain = tk.Position.Line, 0
		}
		if skip { // the name after & or *
			skip = false
			continue
		}
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			depth++
		case token.SequenceEndType, token.MappingEndType:
			depth = max(depth-1, 0)
		}
		switch tk.Type {
		case token.SequenceEntryType, token.MappingKeyType, token.TagType:
			chain++
		case token.AnchorType, token.AliasType:
			chain++
			skip = true
		default:
			chain = 0
		}
		if depth > maxNesting || chain > maxNesting {
			return &Problem{File: name, Line: tk.Position.Line, Column: tk.Position.Column,
				Msg: fmt.Sprintf("the file nests lists, mappings, anchors or tags more than %d levels deep here; a scenario needs only a few levels", maxNesting)}
		}
	}
	return nil
}

// --- syntax and decoder errors ---

// syntaxHints turns the parser's messages into ones that say what was
// expected. The keys are substrings of the parser's messages.
var syntaxHints = []struct{ has, msg string }{
	{"already defined at", ""}, // handled in syntaxProblem
	{"tab character", "a tab cannot indent YAML; indent with spaces"},
	{"found character '\t'", "a tab cannot indent YAML; indent with spaces"},
	{"double-quoted text", `a double-quoted string is not closed; expected a closing "`},
	{"single-quoted text", "a single-quoted string is not closed; expected a closing '"},
	{"flow mapping end", "a { mapping is not closed; expected a closing }"},
	{"',' or ']' must be specified", "a [ list opened before this point is not closed; expected ',' or ]"},
	{"',' or '}' must be specified", "a { mapping opened before this point is not closed; expected ',' or }"},
	{"mapping value is not allowed", `a "key: value" pair is not allowed here; check the indentation, and quote values that contain ": "`},
	{"value is not allowed in this context", "unexpected value; check the indentation (keys of one mapping line up in the same column)"},
	{"is a reserved character", "a plain value cannot start with @ or `; quote the value"},
	{"invalid key for this map", "this mapping key is not valid; keys are plain names followed by ':'"},
}

var dupKeyRE = regexp.MustCompile(`mapping key "(.*)" already defined at \[(\d+):(\d+)\]`)

func syntaxProblem(file string, err error) Problem {
	p := Problem{File: file}
	var ye yaml.Error
	if !errors.As(err, &ye) {
		p.Msg = "invalid YAML: " + err.Error()
		return p
	}
	if tk := ye.GetToken(); tk != nil && tk.Position != nil {
		p.Line, p.Column = tk.Position.Line, tk.Position.Column
	}
	msg := ye.GetMessage()
	if m := dupKeyRE.FindStringSubmatch(msg); m != nil {
		p.Msg = fmt.Sprintf("duplicate key %q (first at line %s, column %s); a key may appear only once in a mapping", m[1], m[2], m[3])
		return p
	}
	for _, h := range syntaxHints {
		if h.msg != "" && strings.Contains(msg, h.has) {
			p.Msg = "invalid YAML: " + h.msg
			return p
		}
	}
	p.Msg = "invalid YAML: " + msg
	return p
}

func decodeProblem(file string, err error) Problem {
	p := Problem{File: file, Msg: "cannot read the scenario: " + err.Error()}
	var ye yaml.Error
	if errors.As(err, &ye) {
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			p.Line, p.Column = tk.Position.Line, tk.Position.Column
		}
		p.Msg = "cannot read the scenario: " + ye.GetMessage()
	}
	return p
}

// --- the strict reader ---

// The reader walks the YAML syntax tree alongside the Go types (by their yaml
// tags) before anything is decoded. It reports every unknown key, missing
// required key and value of the wrong type with its line and column, and it
// records where each field path sits in the file, so that the problems found
// later by Validate can be located too.
type reader struct {
	file     string
	problems []Problem
	index    map[string]place
	anchors  map[string][]anchorDef
	budget   int
}

// place is where a field path sits: its key (zero for list items and the
// root) and its value.
type place struct {
	key, value pos
}

type pos struct{ line, col int }

type anchorDef struct {
	offset int
	value  ast.Node
}

// readBudget caps the values the reader visits, aliases included, so that a
// small file cannot expand into an enormous one.
const readBudget = 1_000_000

func newReader(file string) *reader {
	return &reader{file: file, index: map[string]place{}, anchors: map[string][]anchorDef{}, budget: readBudget}
}

func (r *reader) err() error { return &Error{Problems: sortProblems(r.problems)} }

func (r *reader) add(at pos, path, msg string) {
	r.problems = append(r.problems, Problem{File: r.file, Line: at.line, Column: at.col, Path: path, Msg: msg})
}

func (r *reader) present(path string) bool {
	_, ok := r.index[path]
	return ok
}

// record notes where path sits; the first record of a path wins.
func (r *reader) record(path string, key, value ast.Node) {
	if _, ok := r.index[path]; ok {
		return
	}
	var pl place
	if key != nil {
		pl.key = tokenPos(key.GetToken())
	}
	pl.value = nodePos(value)
	r.index[path] = pl
}

// locate finds the position of a field path, falling back to the nearest
// enclosing path that the file holds.
func (r *reader) locate(path string, onKey bool) pos {
	for p := path; ; p = parentPath(p) {
		if pl, ok := r.index[p]; ok {
			if onKey && p == path && pl.key.line > 0 {
				return pl.key
			}
			return pl.value
		}
		if p == "" {
			return pos{}
		}
	}
}

// document returns the body of the only document, or nil after recording why
// there is none to read.
func (r *reader) document(f *ast.File) ast.Node {
	var docs []*ast.DocumentNode
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d)
		}
	}
	switch {
	case len(docs) == 0:
		r.add(pos{}, "", "the file is empty; expected a scenario with name, actors, moves and roadmaps")
		return nil
	case len(docs) > 1:
		at := nodePos(docs[1].Body)
		if docs[1].Start != nil {
			at = tokenPos(docs[1].Start)
		}
		r.add(at, "", fmt.Sprintf("a scenario file holds one YAML document, found %d; remove the second '---' and what follows it", len(docs)))
		return nil
	}
	return docs[0].Body
}

// collectAnchors records every anchor of the document by name and offset, so
// that an alias can be resolved to the closest anchor before it.
func (r *reader) collectAnchors(n ast.Node) {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return
	}
	switch x := n.(type) {
	case *ast.AnchorNode:
		if x.Name != nil && x.Start != nil && x.Start.Position != nil {
			name := x.Name.GetToken().Value
			r.anchors[name] = append(r.anchors[name], anchorDef{offset: x.Start.Position.Offset, value: x.Value})
		}
		r.collectAnchors(x.Value)
	case *ast.MappingNode:
		for _, mv := range x.Values {
			r.collectAnchors(mv)
		}
	case *ast.MappingValueNode:
		r.collectAnchors(x.Key)
		r.collectAnchors(x.Value)
	case *ast.MappingKeyNode:
		r.collectAnchors(x.Value)
	case *ast.SequenceNode:
		for _, v := range x.Values {
			r.collectAnchors(v)
		}
	case *ast.TagNode:
		r.collectAnchors(x.Value)
	}
}

// resolve strips anchors and follows aliases. It reports an alias without an
// anchor, and returns nil then.
func (r *reader) resolve(n ast.Node, path string) ast.Node {
	for range 64 {
		if isNil(n) {
			return nil
		}
		switch x := n.(type) {
		case *ast.AnchorNode:
			n = x.Value
		case *ast.AliasNode:
			name := ""
			if x.Value != nil && x.Value.GetToken() != nil {
				name = x.Value.GetToken().Value
			}
			var target ast.Node
			at := tokenPos(x.Start)
			offset := math.MaxInt
			if x.Start != nil && x.Start.Position != nil {
				offset = x.Start.Position.Offset
			}
			for _, d := range r.anchors[name] {
				if d.offset < offset {
					target = d.value
				}
			}
			if target == nil {
				r.add(at, path, fmt.Sprintf("alias *%s refers to no anchor &%s defined before it", name, name))
				return nil
			}
			n = target
		default:
			return n
		}
	}
	r.add(nodePos(n), path, "aliases refer to each other in a loop; write the value out")
	return nil
}

// value checks node n against the Go type t at path.
func (r *reader) value(n ast.Node, t reflect.Type, path string) {
	if r.budget--; r.budget == 0 {
		r.add(nodePos(n), path, fmt.Sprintf("the file expands to more than %d values through its aliases; write it out with fewer aliases", readBudget))
	}
	if r.budget <= 0 {
		return
	}
	at := nodePos(n)
	if n = r.resolve(n, path); n == nil {
		return
	}
	if tag, ok := n.(*ast.TagNode); ok {
		r.add(at, path, fmt.Sprintf("YAML tags such as %s are not supported; write the plain value", tagName(tag)))
		return
	}
	switch t {
	case rationalityType:
		r.rationality(n, at, path)
		return
	case responseType:
		r.response(n, at, path)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if _, null := n.(*ast.NullNode); !null {
			r.value(n, t.Elem(), path)
		}
	case reflect.Struct:
		r.object(n, at, t, path)
	case reflect.Slice:
		r.list(n, at, t, path)
	case reflect.Map:
		r.mapping(n, at, t, path)
	case reflect.Float64:
		r.number(n, at, path)
	case reflect.Int:
		r.integer(n, at, path, "an integer")
	case reflect.String:
		r.text(n, at, path)
	case reflect.Bool:
		if _, ok := n.(*ast.BoolNode); !ok {
			r.add(at, path, "must be true or false, got "+describeNode(n))
		}
	default:
		r.add(at, path, "cannot be read (unsupported Go type "+t.String()+")")
	}
}

func (r *reader) object(n ast.Node, at pos, t reflect.Type, path string) {
	info := structInfoOf(t)
	if _, null := n.(*ast.NullNode); null && len(info.required) == 0 {
		return
	}
	m, ok := n.(*ast.MappingNode)
	if !ok {
		if path == "" {
			r.add(at, path, fmt.Sprintf("the file must be a mapping with the keys of a scenario (%s, ...), got %s", strings.Join(info.required, ", "), describeNode(n)))
			return
		}
		r.add(at, path, fmt.Sprintf("must be a mapping describing %s, got %s", info.noun, describeNode(n)))
		return
	}
	seen := map[string]bool{}
	var unknown []ast.Node
	merged := false
	for _, mv := range m.Values {
		if mv == nil || isNil(mv.Key) {
			continue
		}
		name, ok := r.keyName(mv.Key, path)
		if !ok {
			_, merge := mv.Key.(*ast.MergeKeyNode)
			merged = merged || merge
			continue
		}
		if seen[name] {
			r.add(tokenPos(mv.Key.GetToken()), path, fmt.Sprintf("duplicate key %q; a key may appear only once in a mapping", name))
			continue
		}
		seen[name] = true
		f, ok := info.byName[name]
		if !ok {
			unknown = append(unknown, mv.Key)
			continue
		}
		child := joinField(path, name)
		r.record(child, mv.Key, mv.Value)
		r.value(mv.Value, f.typ, child)
	}
	var missing []string
	for _, name := range info.required {
		if !seen[name] {
			missing = append(missing, name)
		}
	}
	suggested := map[string]bool{}
	for _, k := range unknown {
		name := k.GetToken().Value
		msg := fmt.Sprintf("unknown field %q in %s", name, info.noun)
		// Prefer a required key that is missing, then any unused key.
		if s := closest(name, missing); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
			suggested[s] = true
		} else if s := closest(name, unusedNames(info.names, seen)); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		r.add(tokenPos(k.GetToken()), path, msg+"; expected one of: "+strings.Join(info.names, ", "))
	}
	for _, name := range missing {
		// Keys brought in by a (rejected) merge key would not be missing.
		if !suggested[name] && !merged {
			r.add(at, path, fmt.Sprintf("missing required field %q; %s needs %s", name, info.noun, andList(info.required)))
		}
	}
}

func (r *reader) list(n ast.Node, at pos, t reflect.Type, path string) {
	if _, null := n.(*ast.NullNode); null {
		return
	}
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		r.add(at, path, fmt.Sprintf("must be a list of %s, got %s", pluralNoun(t.Elem()), describeNode(n)))
		return
	}
	for i, e := range seq.Values {
		child := path + "[" + strconv.Itoa(i) + "]"
		r.record(child, nil, e)
		r.value(e, t.Elem(), child)
	}
}

func (r *reader) mapping(n ast.Node, at pos, t reflect.Type, path string) {
	if _, null := n.(*ast.NullNode); null {
		return
	}
	m, ok := n.(*ast.MappingNode)
	if !ok {
		r.add(at, path, fmt.Sprintf("must be a mapping of ids to %s, got %s", pluralNoun(t.Elem()), describeNode(n)))
		return
	}
	seen := map[string]bool{}
	for _, mv := range m.Values {
		if mv == nil || isNil(mv.Key) {
			continue
		}
		name, ok := r.keyName(mv.Key, path)
		if !ok {
			continue
		}
		if seen[name] {
			r.add(tokenPos(mv.Key.GetToken()), path, fmt.Sprintf("duplicate key %q; a key may appear only once in a mapping", name))
			continue
		}
		seen[name] = true
		child := joinKey(path, name)
		r.record(child, mv.Key, mv.Value)
		r.value(mv.Value, t.Elem(), child)
	}
}

// keyName returns the text of a mapping key that is a plain or quoted string.
func (r *reader) keyName(k ast.MapKeyNode, path string) (string, bool) {
	at := tokenPos(k.GetToken())
	switch x := k.(type) {
	case *ast.StringNode:
		return x.Value, true
	case *ast.MergeKeyNode:
		r.add(at, path, "merge keys (<<) are not supported; write the keys out")
	case *ast.MappingKeyNode:
		r.add(at, path, "complex keys (?) are not supported; keys are plain names")
	default:
		r.add(at, path, fmt.Sprintf("a key must be a name, got %s; quote it if it is an id (%q)", describeNode(k), k.GetToken().Value))
	}
	return "", false
}

// plainNumberRE matches the plain scalars that the decoder reads as numbers
// although the parser leaves them as strings (exponents, very long integers).
var plainNumberRE = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$`)

func (r *reader) number(n ast.Node, at pos, path string) {
	switch x := n.(type) {
	case *ast.IntegerNode, *ast.FloatNode:
		return
	case *ast.StringNode:
		if isPlain(x) && plainNumberRE.MatchString(x.Value) {
			if f, err := strconv.ParseFloat(strings.ReplaceAll(x.Value, "_", ""), 64); err == nil && !math.IsInf(f, 0) {
				return
			}
			r.add(at, path, fmt.Sprintf("%s is too large to be a number", x.Value))
			return
		}
	case *ast.InfinityNode, *ast.NanNode:
		r.add(at, path, "must be a finite number, got "+describeNode(n))
		return
	}
	r.add(at, path, "must be a number, got "+describeNode(n)+unquoteHint(n))
}

func (r *reader) integer(n ast.Node, at pos, path, what string) {
	switch x := n.(type) {
	case *ast.IntegerNode:
		if u, ok := x.Value.(uint64); ok && u > math.MaxInt64 {
			r.add(at, path, fmt.Sprintf("%s is too large", x.GetToken().Value))
		}
		return
	case *ast.StringNode:
		if isPlain(x) && plainNumberRE.MatchString(x.Value) && !strings.ContainsAny(x.Value, ".eE") {
			r.add(at, path, fmt.Sprintf("%s is too large", x.Value))
			return
		}
	}
	r.add(at, path, "must be "+what+", got "+describeNode(n)+unquoteHint(n))
}

func (r *reader) text(n ast.Node, at pos, path string) {
	switch n.(type) {
	case *ast.StringNode, *ast.LiteralNode:
		return
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		tk := n.GetToken()
		r.add(at, path, fmt.Sprintf("must be a string, got %s; quote it if it is meant as text: %q", describeNode(n), tk.Value))
		return
	}
	r.add(at, path, "must be a string, got "+describeNode(n))
}

func (r *reader) rationality(n ast.Node, at pos, path string) {
	switch x := n.(type) {
	case *ast.StringNode:
		if x.Value == infWord {
			return
		}
	case *ast.InfinityNode:
		return
	}
	sub := newReader(r.file)
	sub.number(n, at, path)
	if len(sub.problems) > 0 {
		r.add(at, path, fmt.Sprintf("must be a positive number or %s, got %s%s", infWord, describeNode(n), unquoteHint(n)))
	}
}

func (r *reader) response(n ast.Node, at pos, path string) {
	switch x := n.(type) {
	case *ast.StringNode:
		if _, err := responseNamed(x.Value); err != nil {
			r.add(at, path, err.Error())
		}
		return
	case *ast.MappingNode:
		if len(x.Values) != 1 {
			r.add(at, path, responseMappingSizeError(len(x.Values)).Error())
			return
		}
		mv := x.Values[0]
		name, ok := r.keyName(mv.Key, path)
		if !ok {
			return
		}
		child := joinKey(path, name)
		r.record(child, mv.Key, mv.Value)
		switch ResponseKind(name) {
		case Generous:
			r.value(mv.Value, reflect.TypeFor[float64](), child)
		case Patient:
			if v := r.resolve(mv.Value, child); v != nil {
				r.integer(v, nodePos(mv.Value), child, "a whole number of defections")
			}
		case Strategy:
			if v := r.resolve(mv.Value, child); v != nil {
				if sn, ok := v.(*ast.StringNode); !ok || strings.TrimSpace(sn.Value) == "" {
					r.add(nodePos(mv.Value), child, fmt.Sprintf("must name a rule of the iterated-game catalogue, such as TitForTat or GTFT (parley strategies lists them), got %s", describeNode(v)))
				}
			}
		default:
			_, err := responseWithParameter(name, nil)
			r.add(tokenPos(mv.Key.GetToken()), path, err.Error())
		}
		return
	}
	r.add(at, path, fmt.Sprintf("must be one of %s; got %s", responseForms, describeNode(n)))
}

// --- Go types by their yaml tags ---

var (
	scenarioType    = reflect.TypeFor[Scenario]()
	rationalityType = reflect.TypeFor[Rationality]()
	responseType    = reflect.TypeFor[Response]()
)

// nouns name the struct types in messages.
var nouns = map[reflect.Type][2]string{
	scenarioType:                   {"the scenario", "scenarios"},
	reflect.TypeFor[Environment](): {"the environment", "environments"},
	reflect.TypeFor[Shock]():       {"a shock", "shocks"},
	reflect.TypeFor[Actor]():       {"an actor", "actors"},
	reflect.TypeFor[Type]():        {"a type", "types"},
	reflect.TypeFor[Move]():        {"a move", "moves"},
	reflect.TypeFor[Roadmap]():     {"a roadmap", "roadmaps"},
	reflect.TypeFor[Phase]():       {"a phase", "phases"},
	reflect.TypeFor[Milestone]():   {"a milestone", "milestones"},
}

type fieldInfo struct {
	name     string
	typ      reflect.Type
	required bool
}

type structInfo struct {
	noun     string
	names    []string // in declaration order
	required []string
	byName   map[string]fieldInfo
}

// yamlFields lists the fields of a struct type by their yaml names; a field
// is required when its tag lacks omitempty.
func yamlFields(t reflect.Type) []fieldInfo {
	var out []fieldInfo
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out = append(out, fieldInfo{name: name, typ: f.Type, required: !slices.Contains(strings.Split(opts, ","), "omitempty")})
	}
	return out
}

var structInfos = map[reflect.Type]*structInfo{}

func init() {
	for t, n := range nouns {
		info := &structInfo{noun: n[0], byName: map[string]fieldInfo{}}
		for _, f := range yamlFields(t) {
			info.names = append(info.names, f.name)
			info.byName[f.name] = f
			if f.required {
				info.required = append(info.required, f.name)
			}
		}
		structInfos[t] = info
	}
}

func structInfoOf(t reflect.Type) *structInfo {
	if info, ok := structInfos[t]; ok {
		return info
	}
	// Not reached with the types of this package; kept total for safety.
	return &structInfo{noun: "a " + strings.ToLower(t.Name()), byName: map[string]fieldInfo{}}
}

// pluralNoun names the elements of a list or mapping in messages.
func pluralNoun(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n, ok := nouns[t]; ok {
		return n[1]
	}
	switch t.Kind() {
	case reflect.Float64:
		return "numbers"
	case reflect.Int:
		return "integers"
	case reflect.String:
		return "strings"
	case reflect.Map:
		return "mappings of ids to " + pluralNoun(t.Elem())
	}
	return t.String() + " values"
}

// --- paths ---

func joinField(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

var simpleKeyRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// joinKey adds a mapping key (an id) to a path; a key that would be
// ambiguous in a dotted path is quoted in brackets.
func joinKey(parent, key string) string {
	if simpleKeyRE.MatchString(key) {
		return joinField(parent, key)
	}
	return parent + "[" + strconv.Quote(key) + "]"
}

// parentPath drops the last element of a path ("" has no parent).
func parentPath(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndex(p, "["); i >= 0 {
			return p[:i]
		}
	}
	if i := strings.LastIndexAny(p, ".["); i >= 0 {
		return p[:i]
	}
	return ""
}

// --- positions and descriptions of nodes ---

func tokenPos(tk *token.Token) pos {
	if tk == nil || tk.Position == nil {
		return pos{}
	}
	return pos{tk.Position.Line, tk.Position.Column}
}

// nodePos is where a value starts: the first key of a block mapping, the
// opening token of a flow collection or block list, the value under an
// anchor, the token of a scalar.
func nodePos(n ast.Node) pos {
	if isNil(n) {
		return pos{}
	}
	switch x := n.(type) {
	case *ast.AnchorNode:
		if !isNil(x.Value) {
			return nodePos(x.Value)
		}
		return tokenPos(x.Start)
	case *ast.MappingNode:
		if !x.IsFlowStyle && len(x.Values) > 0 && x.Values[0] != nil && !isNil(x.Values[0].Key) {
			return tokenPos(x.Values[0].Key.GetToken())
		}
		return tokenPos(x.Start)
	case *ast.MappingValueNode:
		if !isNil(x.Key) {
			return tokenPos(x.Key.GetToken())
		}
	case *ast.SequenceNode:
		return tokenPos(x.Start)
	case *ast.LiteralNode:
		return tokenPos(x.Start)
	case *ast.TagNode:
		return tokenPos(x.Start)
	}
	return tokenPos(n.GetToken())
}

func isNil(n ast.Node) bool {
	if n == nil {
		return true
	}
	v := reflect.ValueOf(n)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

func isPlain(s *ast.StringNode) bool {
	tk := s.GetToken()
	return tk == nil || (tk.Type != token.SingleQuoteType && tk.Type != token.DoubleQuoteType)
}

// describeNode names a YAML value for a message.
func describeNode(n ast.Node) string {
	switch x := n.(type) {
	case *ast.NullNode:
		return "nothing (null)"
	case *ast.StringNode:
		if !isPlain(x) {
			return "the string " + strconv.Quote(x.Value)
		}
		return strconv.Quote(x.Value)
	case *ast.LiteralNode:
		return "a block of text"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.TagNode:
		return "a tagged value"
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return "an unreadable value"
}

// unquoteHint suggests removing the quotes of a quoted number.
func unquoteHint(n ast.Node) string {
	if s, ok := n.(*ast.StringNode); ok && !isPlain(s) && plainNumberRE.MatchString(s.Value) {
		return "; remove the quotes"
	}
	return ""
}

func tagName(t *ast.TagNode) string {
	if t.Start != nil {
		return t.Start.Value
	}
	return "!tag"
}

// --- small helpers for messages ---

// closest returns the candidate nearest to name in edit distance, if it is
// close enough to be a likely typo.
func closest(name string, candidates []string) string {
	best, bestD := "", math.MaxInt
	for _, c := range candidates {
		d := diag.EditDistance(strings.ToLower(name), c)
		if d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= max(1, min(2, len(name)/3)) {
		return best
	}
	// A key written without its suffix, such as "lasting" for "lasting_value".
	if len(name) >= 4 {
		for _, c := range candidates {
			if strings.HasPrefix(c, strings.ToLower(name)) {
				return c
			}
		}
	}
	return ""
}

func unusedNames(names []string, seen map[string]bool) []string {
	var out []string
	for _, n := range names {
		if !seen[n] {
			out = append(out, n)
		}
	}
	return out
}

// andList joins names as "a, b and c".
func andList(names []string) string {
	switch len(names) {
	case 0:
		return "nothing"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// sortProblems orders problems by line, column and path (numbers in paths
// compared as numbers), and drops exact duplicates.
func sortProblems(ps []Problem) []Problem {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column),
			comparePaths(a.Path, b.Path), strings.Compare(a.Msg, b.Msg))
	})
	return slices.Compact(ps)
}

// comparePaths compares paths so that "a[2]" sorts before "a[10]".
func comparePaths(a, b string) int {
	for a != "" && b != "" {
		ca, ra := nextChunk(a)
		cb, rb := nextChunk(b)
		da, db := isDigit(ca[0]), isDigit(cb[0])
		var c int
		switch {
		case da && db:
			c = cmp.Or(cmp.Compare(len(strings.TrimLeft(ca, "0")), len(strings.TrimLeft(cb, "0"))), strings.Compare(strings.TrimLeft(ca, "0"), strings.TrimLeft(cb, "0")))
		default:
			c = strings.Compare(ca, cb)
		}
		if c != 0 {
			return c
		}
		a, b = ra, rb
	}
	return cmp.Compare(len(a), len(b))
}

func nextChunk(s string) (string, string) {
	d := isDigit(s[0])
	i := 1
	for i < len(s) && isDigit(s[i]) == d {
		i++
	}
	return s[:i], s[i:]
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// textProblem reports the first byte sequence that is not UTF-8 text a YAML
// file may hold: invalid UTF-8, or a control character other than tab, line
// feed and carriage return (NUL among them). YAML streams are Unicode, and a
// store such as PostgreSQL cannot keep such text, so it is refused here with
// its line and column (counted in characters, from 1).
func textProblem(name string, data []byte) *Problem {
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return &Problem{File: name, Line: line, Column: col,
				Msg: fmt.Sprintf("byte 0x%02x is not UTF-8 text; save the file as UTF-8", data[i])}
		case r == '\n':
			line, col = line+1, 1
			i += size
			continue
		case r < 0x20 && r != '\t' && r != '\r', r == 0x7f:
			return &Problem{File: name, Line: line, Column: col,
				Msg: fmt.Sprintf("control character U+%04X is not allowed in a scenario file; remove it (only tab, line feed and carriage return may appear)", r)}
		}
		col++
		i += size
	}
	return nil
}
