package ipd

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/diag"
)

// Family is a rule of the catalogue before its parameters are chosen.
type Family struct {
	// Name is the canonical name, the one the reference library uses
	// where it has the rule.
	Name string
	// Aliases are other names accepted by [Lookup].
	Aliases []string
	// Params names the parameters, e.g. "p" or "chi,phi"; empty for none.
	Params string
	// Defaults describes what the rule does without parameters, e.g.
	// "p = 0.5"; empty when the parameters must be given.
	Defaults string
	// Example is a full name with parameters, for families that need them.
	Example string
	// Reference marks the 18 deterministic rules of the reference list.
	Reference bool
	// build makes the strategy from its arguments (nil: the defaults).
	build func(args []string) (*Strategy, error)
}

// Syntax returns how the family is written with its parameters, e.g. "Random(p)".
func (f *Family) Syntax() string {
	if f.Params == "" {
		return f.Name
	}
	return f.Name + "(" + f.Params + ")"
}

// NeedsParams reports whether the family has no default parameters.
func (f *Family) NeedsParams() bool { return f.Params != "" && f.Defaults == "" }

// Families returns the catalogue's families: the reference list first,
// then the others. The slice is shared; do not modify it.
func Families() []*Family { return families }

// Catalogue returns one strategy per family that can play without
// parameters, with its defaults, in the order of [Families].
func Catalogue() []*Strategy {
	var out []*Strategy
	for _, f := range families {
		if f.NeedsParams() {
			continue
		}
		s, err := f.make(nil)
		if err != nil {
			panic("ipd: default of " + f.Name + ": " + err.Error())
		}
		out = append(out, s)
	}
	return out
}

// make builds the strategy and names it.
func (f *Family) make(args []string) (*Strategy, error) {
	s, err := f.build(args)
	if err != nil {
		return nil, err
	}
	s.Family = f.Name
	s.Name = f.Name
	if args != nil {
		s.Name += "(" + strings.Join(args, ",") + ")"
	}
	return s, nil
}

// UnknownError is returned by [Lookup] for a name that is not in the catalogue.
type UnknownError struct {
	Name string
	// Near lists the catalogue's names closest to Name, best first.
	Near []string
}

func (e *UnknownError) Error() string {
	if len(e.Near) == 0 {
		return fmt.Sprintf("unknown strategy %q ('parley strategies' lists them)", e.Name)
	}
	return fmt.Sprintf("unknown strategy %q; did you mean %s?", e.Name, strings.Join(e.Near, ", "))
}

// Lookup returns the strategy written spec: a name of the catalogue
// (any case, or one of its aliases), optionally followed by its parameters in
// parentheses separated by commas, e.g. "TitForTat", "Random(0.3)",
// "MemoryOne(1,0.1,1,0.1)", "Extortioner(3,1/26)", "Cycler(CCD)". A
// probability may be written as a fraction a/b. The error is an
// [*UnknownError] for an unknown name.
func Lookup(spec string) (*Strategy, error) {
	if strings.HasPrefix(strings.TrimSpace(spec), MachinePrefix) {
		return nil, fmt.Errorf("%s names a finite-state machine file, which cannot be read here", strings.TrimSpace(spec))
	}
	name, args, err := splitSpec(spec)
	if err != nil {
		return nil, err
	}
	f := family(name)
	if f == nil {
		return nil, &UnknownError{Name: name, Near: nearNames(name)}
	}
	if args != nil && f.Params == "" {
		return nil, fmt.Errorf("%s takes no parameters, got %q", f.Name, spec)
	}
	if args == nil && f.NeedsParams() {
		return nil, fmt.Errorf("%s needs its parameters: write it %s", f.Name, f.Syntax())
	}
	s, err := f.make(args)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", strings.TrimSpace(spec), err)
	}
	return s, nil
}

// MustLookup is [Lookup] for names known to be good; it panics otherwise.
func MustLookup(spec string) *Strategy {
	s, err := Lookup(spec)
	if err != nil {
		panic(err)
	}
	return s
}

// splitSpec splits "Name(a, b)" into the name and its trimmed arguments
// (nil without parentheses).
func splitSpec(spec string) (string, []string, error) {
	s := strings.TrimSpace(spec)
	open := strings.IndexByte(s, '(')
	if open < 0 {
		if s == "" {
			return "", nil, errors.New("empty strategy name")
		}
		if strings.ContainsAny(s, ") ,\t") {
			return "", nil, fmt.Errorf("bad strategy name %q", spec)
		}
		return s, nil, nil
	}
	name := strings.TrimSpace(s[:open])
	if name == "" || !strings.HasSuffix(s, ")") || strings.Count(s, "(") != 1 || strings.Count(s, ")") != 1 {
		return "", nil, fmt.Errorf("bad strategy %q: write it Name or Name(parameters)", spec)
	}
	args := strings.Split(s[open+1:len(s)-1], ",")
	for i := range args {
		args[i] = strings.TrimSpace(args[i])
		if args[i] == "" {
			return "", nil, fmt.Errorf("bad strategy %q: empty parameter %d", spec, i+1)
		}
	}
	return name, args, nil
}

// family finds a family by name or alias, ignoring case.
func family(name string) *Family {
	for _, f := range families {
		if strings.EqualFold(f.Name, name) {
			return f
		}
		for _, a := range f.Aliases {
			if strings.EqualFold(a, name) {
				return f
			}
		}
	}
	return nil
}

// nearNames returns up to five catalogue names close to name: within a
// small edit distance, or containing it, or contained in it.
func nearNames(name string) []string {
	type cand struct {
		name string
		d    int
	}
	low := strings.ToLower(name)
	var cs []cand
	for _, f := range families {
		best := -1
		for _, n := range append([]string{f.Name}, f.Aliases...) {
			ln := strings.ToLower(n)
			d := diag.EditDistance(low, ln)
			if d > max(2, len(low)/3) {
				if len(low) >= 3 && (strings.Contains(ln, low) || strings.Contains(low, ln)) {
					d = 100 + abs(len(ln)-len(low))
				} else {
					continue
				}
			}
			if best < 0 || d < best {
				best = d
			}
		}
		if best >= 0 {
			cs = append(cs, cand{f.Name, best})
		}
	}
	slices.SortStableFunc(cs, func(a, b cand) int { return a.d - b.d })
	var out []string
	for i := 0; i < len(cs) && i < 5; i++ {
		out = append(out, cs[i].name)
	}
	return out
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// parseNumber reads a decimal number or a fraction a/b.
func parseNumber(s string) (float64, error) {
	if num, den, ok := strings.Cut(s, "/"); ok {
		a, err1 := strconv.ParseFloat(strings.TrimSpace(num), 64)
		b, err2 := strconv.ParseFloat(strings.TrimSpace(den), 64)
		if err1 != nil || err2 != nil || b == 0 {
			return 0, fmt.Errorf("%q is not a number or a fraction a/b", s)
		}
		return a / b, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return v, nil
}

// parseProbs reads n probabilities named by names.
func parseProbs(args []string, names ...string) ([]float64, error) {
	if len(args) != len(names) {
		return nil, fmt.Errorf("want %d parameters (%s), got %d", len(names), strings.Join(names, ","), len(args))
	}
	out := make([]float64, len(args))
	for i, a := range args {
		v, err := parseNumber(a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", names[i], err)
		}
		if v < 0 || v > 1 {
			return nil, fmt.Errorf("%s must be a probability between 0 and 1, got %s", names[i], a)
		}
		out[i] = v
	}
	return out, nil
}

// Lineups are the built-in tournament line-ups, by name.
var lineups = map[string][]string{
	// The 18 deterministic strategies of the reference list, in the
	// order of the reference matches.
	"axelrod-first": {"Cooperator", "Defector", "TitForTat", "Grudger", "TitFor2Tats", "TwoTitsForTat",
		"SuspiciousTitForTat", "WinStayLoseShift", "Alternator", "Bully", "Prober", "Adaptive",
		"FirstByTidemanAndChieruzzi", "FirstByNydegger", "FirstByShubik", "FirstBySteinAndRapoport",
		"FirstByDavis", "FirstByDowning"},
}

// LineupNames returns the names of the built-in line-ups.
func LineupNames() []string {
	var ns []string
	for n := range lineups {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	return ns
}

// Lineup returns a built-in line-up, and false if there is none of that name.
func Lineup(name string) ([]*Strategy, bool) {
	names, ok := lineups[name]
	if !ok {
		return nil, false
	}
	out := make([]*Strategy, len(names))
	for i, n := range names {
		out[i] = MustLookup(n)
	}
	return out, true
}

// LineError is a problem at a place in a line-up file.
type LineError struct {
	File      string
	Line, Col int
	Err       error
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d:%d: %v", e.File, e.Line, e.Col, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// ParseLineup reads a line-up: one strategy per line as [Lookup] accepts
// it; blank lines and everything after a # are ignored. A strategy may
// appear only once. file names the input in errors, which are
// [*LineError]s; all the problems are reported, joined. Machine files
// (fsm:PATH) need [Resolver.ParseLineup].
func ParseLineup(r io.Reader, file string) ([]*Strategy, error) {
	return Resolver{}.ParseLineup(r, file)
}

// ParseLineup is [ParseLineup] with machine files read by rs: a line
// fsm:PATH reads PATH with rs.ReadFile, the path as written.
func (rs Resolver) ParseLineup(r io.Reader, file string) ([]*Strategy, error) {
	var out []*Strategy
	var errs []error
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		spec := strings.TrimSpace(line)
		if spec == "" {
			continue
		}
		col := strings.Index(line, spec) + 1
		s, err := rs.Lookup(spec)
		if err != nil {
			errs = append(errs, &LineError{file, n, col, err})
			continue
		}
		if first, dup := seen[s.Name]; dup {
			errs = append(errs, &LineError{file, n, col, fmt.Errorf("%s is already in the line-up (line %d)", s.Name, first)})
			continue
		}
		seen[s.Name] = n
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(out) < 2 {
		return nil, fmt.Errorf("%s: a line-up needs at least 2 strategies, found %d", file, len(out))
	}
	return out, nil
}
