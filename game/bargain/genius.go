package bargain

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Source is the content of an input file and the name that stands for it
// in messages.
type Source struct {
	Name string
	Data []byte
}

// ReadSource reads the file at path into a Source named by path.
func ReadSource(path string) (Source, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Source{}, err
	}
	return Source{Name: path, Data: data}, nil
}

// ReadGenius builds a deal space from a Genius domain file and the
// preference profiles of its two parties (Genius's additive utility spaces,
// the XML of the ANAC competitions), as NegMAS also reads them.
//
// Discrete issues keep their values; each value's evaluation is divided by
// the issue's largest, and the issue weights are used as written (not
// rescaled to sum to 1). Integer issues become discrete issues with one
// value per whole number, real issues divisible ones; both need a linear
// evaluator, whose evaluation Genius clips to [0, 1]. A profile's
// <reservation> is the party's reservation value (default 0) and its
// <discount_factor> the party's discount factor (default 1; Genius reads 0
// as 1). The parties are named after their profile files.
//
// Every problem found is reported at once, as file:line:col, in an *Error.
func ReadGenius(domain Source, profiles [2]Source) (*Space, error) {
	var ps []Problem
	droot, err := parseXML(domain)
	if err != nil {
		return nil, err
	}
	s := &Space{Name: strings.TrimSuffix(filepath.Base(domain.Name), filepath.Ext(domain.Name))}
	issues, dps := readDomain(domain.Name, droot)
	ps = append(ps, dps...)
	if len(ps) > 0 {
		return nil, errorOf(ps)
	}
	for _, di := range issues {
		s.Issues = append(s.Issues, di.issue)
	}
	for p, src := range profiles {
		root, err := parseXML(src)
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				ps = append(ps, e.Problems...)
				continue
			}
			return nil, err
		}
		party, pps := readProfile(src.Name, root, issues)
		ps = append(ps, pps...)
		party.Name = strings.TrimSuffix(filepath.Base(src.Name), filepath.Ext(src.Name))
		s.Parties[p] = party
	}
	if len(ps) > 0 {
		return nil, errorOf(ps)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// xnode is an XML element with where it starts.
type xnode struct {
	name      string
	attrs     []xml.Attr
	kids      []*xnode
	line, col int
}

func (n *xnode) attr(name string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

func (n *xnode) children(name string) []*xnode {
	var out []*xnode
	for _, k := range n.kids {
		if k.name == name {
			out = append(out, k)
		}
	}
	return out
}

// Limits on XML input, far beyond any real domain.
const (
	maxXMLSize  = 32 << 20
	maxXMLDepth = 64
)

// parseXML reads src into a tree of elements, or returns an *Error placed
// at the line and column where the XML breaks.
func parseXML(src Source) (*xnode, error) {
	fail := func(line, col int, format string, a ...any) error {
		return &Error{Problems: []Problem{{File: src.Name, Line: line, Column: col, Msg: fmt.Sprintf(format, a...)}}}
	}
	if len(src.Data) > maxXMLSize {
		return nil, fail(0, 0, "the file has %d bytes; parley reads Genius files of at most %d", len(src.Data), maxXMLSize)
	}
	dec := xml.NewDecoder(bytes.NewReader(src.Data))
	dec.Strict = true
	var root *xnode
	var stack []*xnode
	for {
		line, col := dec.InputPos()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			msg := err.Error()
			if errors.As(err, &se) {
				msg = se.Msg
				if se.Line != line {
					_, col = dec.InputPos()
					line = se.Line
				}
			}
			return nil, fail(line, col, "invalid XML: %s", msg)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: t.Name.Local, attrs: t.Copy().Attr, line: line, col: col}
			if len(stack) == 0 {
				if root != nil {
					return nil, fail(line, col, "invalid XML: a second root element <%s>; a file holds one", n.name)
				}
				root = n
			} else {
				top := stack[len(stack)-1]
				top.kids = append(top.kids, n)
			}
			stack = append(stack, n)
			if len(stack) > maxXMLDepth {
				return nil, fail(line, col, "elements nest more than %d deep; a Genius file needs a few levels", maxXMLDepth)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 && len(bytes.TrimSpace(t)) > 0 {
				return nil, fail(line, col, "invalid XML: text outside the root element")
			}
		}
	}
	if root == nil {
		return nil, fail(0, 0, "the file has no XML element; expected a Genius domain or profile")
	}
	return root, nil
}

// domainIssue is an issue of a Genius domain with what identifies it.
type domainIssue struct {
	issue Issue
	index string // the index attribute, "" when absent
	kind  string // discrete, integer or real
	lo    int    // the first value of an integer issue
}

// problems collects the problems of one file.
type problems struct {
	file string
	ps   []Problem
}

func (p *problems) add(n *xnode, format string, a ...any) {
	pr := Problem{File: p.file, Msg: fmt.Sprintf(format, a...)}
	if n != nil {
		pr.Line, pr.Column = n.line, n.col
	}
	p.ps = append(p.ps, pr)
}

// objective finds the element that holds the issues: the first <objective>
// under root, or reports why there is none.
func objective(pr *problems, root *xnode, what string) *xnode {
	var find func(n *xnode) *xnode
	find = func(n *xnode) *xnode {
		if n.name == "objective" {
			return n
		}
		for _, k := range n.kids {
			if o := find(k); o != nil {
				return o
			}
		}
		return nil
	}
	o := find(root)
	if o == nil {
		pr.add(root, "no <objective> element; a Genius %s lists its issues inside <utility_space><objective>", what)
		return nil
	}
	for _, k := range o.kids {
		if k.name == "objective" {
			pr.add(k, "nested objectives are not supported; parley reads flat, additive Genius spaces")
		}
	}
	return o
}

func readDomain(file string, root *xnode) ([]domainIssue, []Problem) {
	pr := &problems{file: file}
	if root.name != "negotiation_template" && root.name != "utility_space" {
		pr.add(root, "the root element is <%s>; a Genius domain starts with <negotiation_template> or <utility_space>", root.name)
		return nil, pr.ps
	}
	o := objective(pr, root, "domain")
	if o == nil {
		return nil, pr.ps
	}
	var out []domainIssue
	names := map[string]bool{}
	for _, n := range o.children("issue") {
		name, ok := n.attr("name")
		if !ok || strings.TrimSpace(name) == "" {
			pr.add(n, "<issue> needs a name attribute")
			continue
		}
		if names[name] {
			pr.add(n, "issue %q is defined twice", name)
			continue
		}
		names[name] = true
		di := domainIssue{issue: Issue{Name: name}, kind: issueKind(n)}
		di.index, _ = n.attr("index")
		switch di.kind {
		case "discrete":
			seen := map[string]bool{}
			for _, it := range n.children("item") {
				v, ok := it.attr("value")
				if !ok {
					pr.add(it, "<item> of issue %q needs a value attribute", name)
					continue
				}
				if seen[v] {
					pr.add(it, "issue %q lists value %q twice", name, v)
					continue
				}
				seen[v] = true
				di.issue.Values = append(di.issue.Values, v)
			}
			if len(di.issue.Values) == 0 && len(n.children("item")) == 0 {
				pr.add(n, "discrete issue %q has no <item> values", name)
			}
		case "integer":
			lo, hi, ok := bounds(pr, n, name, true)
			if !ok {
				continue
			}
			if hi-lo >= 1_000_000 {
				pr.add(n, "integer issue %q has %g values; parley enumerates at most 1000000 per issue", name, hi-lo+1)
				continue
			}
			di.lo = int(lo)
			for v := int(lo); v <= int(hi); v++ {
				di.issue.Values = append(di.issue.Values, strconv.Itoa(v))
			}
		case "real":
			lo, hi, ok := bounds(pr, n, name, false)
			if !ok {
				continue
			}
			di.issue.Divisible, di.issue.Min, di.issue.Max = true, lo, hi
		default:
			pr.add(n, "issue %q has type %q; parley reads discrete, integer and real issues", name, di.kind)
			continue
		}
		out = append(out, di)
	}
	if len(out) == 0 && len(pr.ps) == 0 {
		pr.add(o, "the domain has no <issue>")
	}
	return out, pr.ps
}

// issueKind returns an issue element's type: its type, vtype or etype
// attribute, discrete when none is given.
func issueKind(n *xnode) string {
	for _, a := range []string{"type", "vtype", "etype"} {
		if v, ok := n.attr(a); ok && v != "" {
			return strings.ToLower(v)
		}
	}
	return "discrete"
}

// bounds reads the lowerbound and upperbound of an integer or real issue,
// from its attributes or from a <range> child.
func bounds(pr *problems, n *xnode, name string, integer bool) (lo, hi float64, ok bool) {
	at := n
	if _, has := n.attr("lowerbound"); !has {
		if r := n.children("range"); len(r) > 0 {
			at = r[0]
		}
	}
	ls, lok := at.attr("lowerbound")
	hs, hok := at.attr("upperbound")
	if !lok || !hok {
		pr.add(n, "issue %q needs lowerbound and upperbound attributes", name)
		return 0, 0, false
	}
	var err1, err2 error
	lo, err1 = strconv.ParseFloat(strings.TrimSpace(ls), 64)
	hi, err2 = strconv.ParseFloat(strings.TrimSpace(hs), 64)
	switch {
	case err1 != nil || err2 != nil || !finite(lo) || !finite(hi):
		pr.add(at, "issue %q: the bounds %q and %q must be numbers", name, ls, hs)
		return 0, 0, false
	case integer && (lo != math.Trunc(lo) || hi != math.Trunc(hi)):
		pr.add(at, "integer issue %q: the bounds %q and %q must be whole numbers", name, ls, hs)
		return 0, 0, false
	case lo > hi || (!integer && lo == hi):
		pr.add(at, "issue %q: lowerbound %q must be below upperbound %q", name, ls, hs)
		return 0, 0, false
	}
	return lo, hi, true
}

// number parses attribute name of n as a finite number.
func number(pr *problems, n *xnode, name, what string) (float64, bool) {
	s, ok := n.attr(name)
	if !ok {
		pr.add(n, "%s needs a %s attribute", what, name)
		return 0, false
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || !finite(x) {
		pr.add(n, "%s: %s=%q is not a number", what, name, s)
		return 0, false
	}
	return x, true
}

func readProfile(file string, root *xnode, issues []domainIssue) (Party, []Problem) {
	pr := &problems{file: file}
	party := Party{Discount: 1, Valuations: make([]Valuation, len(issues))}
	if root.name != "utility_space" {
		pr.add(root, "the root element is <%s>; a Genius profile starts with <utility_space>", root.name)
		return party, pr.ps
	}
	for _, n := range root.children("reservation") {
		if x, ok := number(pr, n, "value", "<reservation>"); ok {
			party.Reservation = x
		}
	}
	for _, n := range root.children("discount_factor") {
		if x, ok := number(pr, n, "value", "<discount_factor>"); ok {
			switch {
			case x == 0:
				party.Discount = 1 // Genius reads 0 as no discounting
			case x < 0 || x > 1:
				pr.add(n, "<discount_factor> must be in [0, 1] (0 and 1: no discounting), got %g", x)
			default:
				party.Discount = x
			}
		}
	}
	o := objective(pr, root, "profile")
	if o == nil {
		return party, pr.ps
	}
	weights := map[string]*xnode{}
	for _, w := range o.children("weight") {
		idx, ok := w.attr("index")
		if !ok {
			pr.add(w, "<weight> needs an index attribute naming its issue")
			continue
		}
		weights[idx] = w
	}
	// Weights may also sit beside the objective, as in some old files.
	for _, w := range root.children("weight") {
		if idx, ok := w.attr("index"); ok && weights[idx] == nil {
			weights[idx] = w
		}
	}
	found := make([]bool, len(issues))
	for _, n := range o.children("issue") {
		name, _ := n.attr("name")
		index, _ := n.attr("index")
		k := -1
		for j, di := range issues {
			if (name != "" && di.issue.Name == name) || (name == "" && index != "" && di.index == index) {
				k = j
			}
		}
		if k < 0 {
			pr.add(n, "issue %q is not in the domain; the domain's issues are %s", name, domainNames(issues))
			continue
		}
		if found[k] {
			pr.add(n, "issue %q is valued twice", issues[k].issue.Name)
			continue
		}
		found[k] = true
		v := &party.Valuations[k]
		if index == "" {
			index = issues[k].index
		}
		if w := weights[index]; w == nil {
			pr.add(n, "issue %q has no <weight index=%q>", issues[k].issue.Name, index)
		} else if x, ok := number(pr, w, "value", "<weight>"); ok {
			if x < 0 {
				pr.add(w, "<weight> of issue %q must not be negative, got %g", issues[k].issue.Name, x)
			}
			v.Weight = x
		}
		readEvaluation(pr, n, issues[k], v)
	}
	for k, ok := range found {
		if !ok {
			pr.add(o, "issue %q of the domain is not valued in this profile", issues[k].issue.Name)
		}
	}
	return party, pr.ps
}

func domainNames(issues []domainIssue) string {
	names := make([]string, len(issues))
	for i, di := range issues {
		names[i] = di.issue.Name
	}
	return quoteList(names)
}

// readEvaluation reads how a profile evaluates one issue into v.
func readEvaluation(pr *problems, n *xnode, di domainIssue, v *Valuation) {
	name := di.issue.Name
	if di.kind == "discrete" {
		v.Scores = make([]float64, len(di.issue.Values))
		got := make([]bool, len(di.issue.Values))
		for _, it := range n.children("item") {
			val, _ := it.attr("value")
			k := -1
			for j, x := range di.issue.Values {
				if x == val {
					k = j
				}
			}
			if k < 0 {
				pr.add(it, "issue %q has no value %q in the domain; its values are %s", name, val, quoteList(di.issue.Values))
				continue
			}
			x, ok := number(pr, it, "evaluation", fmt.Sprintf("<item value=%q>", val))
			if !ok {
				continue
			}
			if x < 0 {
				pr.add(it, "<item value=%q>: the evaluation must not be negative, got %g", val, x)
				continue
			}
			v.Scores[k], got[k] = x, true
		}
		var missing []string
		for k, ok := range got {
			if !ok {
				missing = append(missing, di.issue.Values[k])
			}
		}
		if len(missing) > 0 {
			pr.add(n, "issue %q: no evaluation for %s", name, quoteList(missing))
		}
		normalise(v.Scores)
		return
	}
	ev := n.children("evaluator")
	if len(ev) == 0 {
		pr.add(n, "%s issue %q needs an <evaluator ftype=\"linear\">", di.kind, name)
		return
	}
	e := ev[0]
	if ft, _ := e.attr("ftype"); ft != "linear" {
		pr.add(e, "issue %q: evaluator ftype %q is not supported; parley reads linear evaluators", name, ft)
		return
	}
	slope, offset := "slope", "offset"
	if _, ok := e.attr("slope"); !ok {
		slope, offset = "parameter1", "parameter0"
	}
	a, ok1 := number(pr, e, slope, "<evaluator>")
	b, ok2 := number(pr, e, offset, "<evaluator>")
	if !ok1 || !ok2 {
		return
	}
	eval := func(x float64) float64 { return min(1, max(0, a*x+b)) }
	if di.kind == "integer" {
		v.Scores = make([]float64, len(di.issue.Values))
		for k := range v.Scores {
			v.Scores[k] = eval(float64(di.lo + k))
		}
		return
	}
	lo, hi := di.issue.Min, di.issue.Max
	if raw := []float64{a*lo + b, a*hi + b}; raw[0] < 0 || raw[0] > 1 || raw[1] < 0 || raw[1] > 1 {
		pr.add(e, "issue %q: the evaluation runs from %g to %g over the range, and Genius clips it to [0, 1], which is no longer linear; parley needs it within [0, 1]", name, raw[0], raw[1])
		return
	}
	v.AtMin, v.AtMax = eval(lo), eval(hi)
}

// normalise divides the scores by the largest, if it is positive.
func normalise(xs []float64) {
	m := 0.0
	for _, x := range xs {
		m = max(m, x)
	}
	if m > 0 {
		for i := range xs {
			xs[i] /= m
		}
	}
}
