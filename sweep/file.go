package sweep

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/scenario"
	"github.com/parleyhq/parley/sweep/sample"
)

// Method is how a sweep lays out its points.
type Method string

// The methods of a design.
const (
	// Grid is every combination of the parameters' values (lists and ranges).
	Grid Method = "grid"
	// LHS is a Latin hypercube sample of the parameters.
	LHS Method = "lhs"
	// SobolSequence samples the parameters at the points of the Sobol sequence.
	SobolSequence Method = "sobol"
	// Random samples the parameters independently.
	Random Method = "random"
	// OAT moves each parameter alone from the base scenario (one-at-a-time sensitivity).
	OAT Method = "oat"
	// MorrisMethod lays out Morris trajectories (elementary effects).
	MorrisMethod Method = "morris"
	// SaltelliMethod lays out Saltelli's design for Sobol indices.
	SaltelliMethod Method = "saltelli"
)

var methods = []Method{Grid, LHS, SobolSequence, Random, OAT, MorrisMethod, SaltelliMethod}

// Seeding says how the points' histories are seeded.
type Seeding string

// The seedings.
const (
	// PerPoint seeds point k's histories from (seed, k): the points are independent.
	PerPoint Seeding = "point"
	// Common gives every point the same seed: common random numbers, which
	// take the sampling noise out of differences between points.
	Common Seeding = "common"
)

// Design is the layout of a sweep's points.
type Design struct {
	Method Method `json:"method"`
	// Samples is the number of points of lhs, sobol and random, and the
	// number of base rows N of saltelli.
	Samples int `json:"samples,omitempty"`
	// Trajectories and Levels shape a Morris design.
	Trajectories int `json:"trajectories,omitempty"`
	Levels       int `json:"levels,omitempty"`
	// Sampler is the base sample of saltelli: sobol (default), lhs or random.
	Sampler Method `json:"sampler,omitempty"`
	// Quantiles are the levels of a distribution in an oat design (default 0.05 and 0.95).
	Quantiles []float64 `json:"quantiles,omitempty"`
	// Seed seeds the random designs (lhs, random, morris, saltelli with lhs
	// or random); by default it is derived from the sweep's seed.
	Seed uint64 `json:"seed"`
}

// Range is an arithmetic sequence of values from From to To (included when
// it is reached within rounding) by Step.
type Range struct {
	From float64 `json:"from"`
	To   float64 `json:"to"`
	Step float64 `json:"step"`
}

// Param is one parameter of a sweep: a path into the scenario and the values
// it takes.
type Param struct {
	// Path addresses the value in the scenario, as scenario.Set reads it.
	Path string `json:"path"`
	// Name heads the parameter's column (default: the path).
	Name string `json:"name"`
	// Kind is the kind of value at Path.
	Kind Kind `json:"-"`
	// Levels are the values of a list or range, as text for scenario.Set;
	// Numbers are the same values as numbers (nil for choices).
	Levels  []string  `json:"levels,omitempty"`
	Numbers []float64 `json:"-"`
	// Range is the range the levels come from, if any.
	Range *Range `json:"range,omitempty"`
	// Dist is the distribution of a sampled parameter.
	Dist sample.Dist `json:"-"`
	// Base is the base scenario's value as text ("" if it has none);
	// BaseNum is the same as a number (NaN if none).
	Base    string  `json:"-"`
	BaseNum float64 `json:"-"`

	at      pos   // the parameter's item
	pathAt  pos   // its path value
	valueAt []pos // each level (values) or the range/distribution
	shape   entry // the values, range or distribution entry
}

// Discrete reports whether the parameter takes a list of levels.
func (p *Param) Discrete() bool { return p.Dist == nil }

// Describe says in a few words which values the parameter takes.
func (p *Param) Describe() string {
	switch d := p.Dist.(type) {
	case nil:
		if p.Range != nil {
			return fmt.Sprintf("range %s to %s by %s (%d values)", formatNum(p.Range.From), formatNum(p.Range.To), formatNum(p.Range.Step), len(p.Levels))
		}
		return "values " + strings.Join(p.Levels, ", ")
	case sample.UniformDist:
		return fmt.Sprintf("uniform on [%s, %s]", formatNum(d.Min), formatNum(d.Max))
	case sample.NormalDist:
		s := fmt.Sprintf("normal, mean %s, sd %s", formatNum(d.Mean), formatNum(d.SD))
		if !math.IsInf(d.Min, -1) || !math.IsInf(d.Max, 1) {
			s += fmt.Sprintf(", truncated to [%s, %s]", bound(d.Min), bound(d.Max))
		}
		return s
	case sample.BetaDist:
		return fmt.Sprintf("beta(%s, %s) on [%s, %s]", formatNum(d.Alpha), formatNum(d.Beta), formatNum(d.Min), formatNum(d.Max))
	case sample.TriangularDist:
		return fmt.Sprintf("triangular on [%s, %s], mode %s", formatNum(d.Min), formatNum(d.Max), formatNum(d.Mode))
	}
	return p.Dist.Name()
}

func bound(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "∞"
	case math.IsInf(x, -1):
		return "−∞"
	}
	return formatNum(x)
}

// Constraint ties parameters (or other values of the scenario) together.
type Constraint struct {
	// Kind is "normalize" (Paths are scaled to sum to Total) or "complement"
	// (Paths share Total − Σ Of in proportion to their base values).
	Kind  string   `json:"kind"`
	Paths []string `json:"paths"`
	Of    []string `json:"of,omitempty"`
	Total float64  `json:"total"`

	at     pos
	pathAt []pos
	ofAt   []pos
	path   string // field path of the constraint in the file
}

// Metric is one number recorded for each roadmap at each point.
type Metric struct {
	// Kind is a status name (the share of histories that end so), "milestone"
	// (the share that reach it by round By), "utility", "exposure" or
	// "leverage" (an actor's mean), or "rounds" (the mean length).
	Kind string `json:"kind"`
	// Arg is the milestone's or the actor's id.
	Arg string `json:"arg,omitempty"`
	// By is the round of a milestone metric (0: the horizon).
	By int `json:"by,omitempty"`
	// Name is the metric as written in record.metrics, canonical.
	Name string `json:"name"`
}

// The metric kinds that take an actor.
var actorMetrics = []string{"utility", "exposure", "leverage"}

var metricForms = "completed, completed-but-cheated, breakdown, partial, stalemate, horizon, rounds, milestone:ID, milestone:ID@ROUND, utility:ACTOR, exposure:ACTOR or leverage:ACTOR"

// Defaults and limits.
const (
	DefaultRuns   = 1000
	DefaultSeed   = 1
	DefaultLevels = 4
	// MaxPoints bounds the number of points of a sweep.
	MaxPoints = 1 << 32
	maxRuns   = 1 << 40
	maxLevels = 1_000_000
)

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// columnNameRE is what a parameter's column name may hold (no separators of CSV).
var columnNameRE = regexp.MustCompile(`^[^\s,"']+$`)

var topKeys = []string{"name", "description", "base", "runs", "seed", "seeding", "design", "parameters", "constraints", "record"}

// LoadFile reads the sweep file at path; a relative base scenario path is
// resolved against the file's directory.
func LoadFile(path string) (*Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, data, filepath.Dir(path))
}

// Load parses data as a sweep file called name, loads its base scenario
// (builtin:NAME, or a file relative to dir) and checks everything against
// it: that every path addresses a value of the scenario, that every value has
// the right type and keeps the scenario valid, that the distributions'
// parameters are sound, that the constraints can be met and that the
// recorded roadmaps and metrics exist. Every problem is reported at once, as
// an *Error whose problems carry the file's line and column and the field
// path; only an unreadable base file gives another error.
func Load(name string, data []byte, dir string) (*Plan, error) {
	r := &reader{file: name}
	root := r.parse(data)
	if root == nil {
		return nil, r.err()
	}
	top, ok := r.fields(root, "", "a sweep", topKeys)
	if !ok {
		return nil, r.err()
	}
	p := &Plan{File: name, Runs: DefaultRuns, Seed: DefaultSeed, Seeding: PerPoint, Design: Design{Method: Grid}}
	for _, req := range []string{"base", "parameters", "record"} {
		if _, ok := top[req]; !ok {
			r.add(nodePos(root), "", "missing required field %q; a sweep needs base, parameters and record", req)
		}
	}
	p.Name = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	if e, ok := top["name"]; ok {
		if s, ok := r.text(e); ok {
			if !nameRE.MatchString(s) {
				r.add(e.at(), e.path, "%q is not a valid name; use letters, digits, '-' and '_'", s)
			}
			p.Name = s
		}
	}
	if !nameRE.MatchString(p.Name) {
		p.Name = "sweep"
	}
	if e, ok := top["description"]; ok {
		p.Description, _ = r.text(e)
	}
	var baseEntry entry
	if e, ok := top["base"]; ok {
		baseEntry = e
		p.BaseRef, _ = r.text(e)
	}
	if e, ok := top["runs"]; ok {
		if n, ok := r.integer(e, 1, maxRuns); ok {
			p.Runs = int(n)
		}
	}
	if e, ok := top["seed"]; ok {
		p.Seed, _ = r.uinteger(e)
	}
	p.Design.Seed = mix64(p.Seed ^ designSeedSalt)
	if e, ok := top["seeding"]; ok {
		if s, ok := r.text(e); ok {
			switch Seeding(s) {
			case PerPoint, Common:
				p.Seeding = Seeding(s)
			default:
				r.add(e.at(), e.path, "must be point (each point's histories seeded from (seed, point)) or common (every point with the same seed), got %q", s)
			}
		}
	}
	if e, ok := top["design"]; ok {
		r.design(e, &p.Design)
	}
	if e, ok := top["parameters"]; ok {
		if items, ok := r.list(e, "parameters"); ok {
			if len(items) == 0 {
				r.add(e.at(), e.path, "the sweep has no parameters; give at least one")
			}
			for _, it := range items {
				if prm, ok := r.param(it); ok {
					p.Params = append(p.Params, prm)
				}
			}
		}
	}
	if e, ok := top["constraints"]; ok {
		if items, ok := r.list(e, "constraints"); ok {
			for _, it := range items {
				if c, ok := r.constraint(it); ok {
					p.Constraints = append(p.Constraints, c)
				}
			}
		}
	}
	var recordEntry entry
	if e, ok := top["record"]; ok {
		recordEntry = e
		r.record(e, p)
	}
	if len(r.problems) > 0 {
		return nil, r.err()
	}

	// the base scenario
	base, data2, file, err := loadBase(p.BaseRef, dir)
	if err != nil {
		if se, ok := err.(*scenario.Error); ok {
			r.add(baseEntry.at(), baseEntry.path, "%s is not a valid scenario:\n%s", p.BaseRef, se.Error())
			return nil, r.err()
		}
		if pe, ok := err.(*baseError); ok {
			r.add(baseEntry.at(), baseEntry.path, "%s", pe.msg)
			return nil, r.err()
		}
		return nil, err
	}
	p.Base, p.BaseData, p.BaseFile = base, data2, file

	c := &checker{r: r, p: p, recordAt: recordEntry, badParam: map[int]bool{}}
	c.check()
	// the values of the parameters that passed are probed even when others
	// failed, so that every problem is reported at once
	if !c.badConstraints {
		c.probe()
	}
	if len(r.problems) > 0 {
		return nil, r.err()
	}
	if err := p.prepare(); err != nil {
		r.add(nodePos(root), "design", "%v", err)
		return nil, r.err()
	}
	p.fingerprint = p.computeFingerprint()
	return p, nil
}

// designSeedSalt separates the design's random streams from the histories'.
const designSeedSalt = 0x6a09e667f3bcc909

func (r *reader) err() error {
	ps := slices.Clone(r.problems)
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	return &Error{Problems: slices.Compact(ps)}
}

type baseError struct{ msg string }

func (e *baseError) Error() string { return e.msg }

// loadBase loads the base scenario: builtin:NAME or a file relative to dir.
func loadBase(ref, dir string) (*scenario.Scenario, []byte, string, error) {
	if name, ok := strings.CutPrefix(ref, "builtin:"); ok {
		if !slices.Contains(scenario.BuiltinNames(), name) {
			return nil, nil, "", &baseError{fmt.Sprintf("no built-in scenario %q; the built-ins are %s", name, strings.Join(scenario.BuiltinNames(), ", "))}
		}
		s, err := scenario.Builtin(name)
		return s, nil, "", err
	}
	if ref == "" {
		return nil, nil, "", &baseError{"the base is empty; give builtin:NAME or the path of a scenario file"}
	}
	path := ref
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			msg := fmt.Sprintf("no file %s", ref)
			if !filepath.IsAbs(ref) && dir != "" && dir != "." {
				msg += " (relative to the sweep file's directory, " + dir + ")"
			}
			if slices.Contains(scenario.BuiltinNames(), ref) {
				msg += "; for the built-in scenario write builtin:" + ref
			}
			return nil, nil, "", &baseError{msg}
		}
		return nil, nil, "", &baseError{fmt.Sprintf("cannot read %s: %v", ref, err)}
	}
	s, err := scenario.Load(ref, data)
	if err != nil {
		return nil, nil, "", err
	}
	return s, data, path, nil
}

var designKeys = []string{"method", "samples", "trajectories", "levels", "sampler", "quantiles", "seed"}

// design reads the design mapping; which keys apply depends on the method.
func (r *reader) design(e entry, d *Design) {
	f, ok := r.fields(e.val, e.path, "the design", designKeys)
	if !ok {
		return
	}
	if m, ok := f["method"]; ok {
		if s, ok := r.text(m); ok {
			if !slices.Contains(methods, Method(s)) {
				names := make([]string, len(methods))
				for i, x := range methods {
					names[i] = string(x)
				}
				msg := fmt.Sprintf("unknown method %q; the methods are %s", s, strings.Join(names, ", "))
				if c := closest(s, names); c != "" {
					msg = fmt.Sprintf("unknown method %q (did you mean %q?); the methods are %s", s, c, strings.Join(names, ", "))
				}
				r.add(m.at(), m.path, "%s", msg)
				return
			}
			d.Method = Method(s)
		}
	} else {
		r.add(e.at(), e.path, "missing required field \"method\"")
		return
	}
	applies := map[Method][]string{
		Grid:           {"method"},
		LHS:            {"method", "samples", "seed"},
		SobolSequence:  {"method", "samples"},
		Random:         {"method", "samples", "seed"},
		OAT:            {"method", "quantiles"},
		MorrisMethod:   {"method", "trajectories", "levels", "seed"},
		SaltelliMethod: {"method", "samples", "sampler", "seed"},
	}[d.Method]
	for _, k := range designKeys {
		if x, ok := f[k]; ok && !slices.Contains(applies, k) {
			r.add(x.key, x.path, "%s does not apply to the %s method (it takes %s)", k, d.Method, strings.Join(applies[1:], ", "))
		}
	}
	need := func(k string) {
		if _, ok := f[k]; !ok {
			r.add(e.at(), e.path, "the %s method needs %s", d.Method, k)
		}
	}
	switch d.Method {
	case LHS, SobolSequence, Random:
		need("samples")
	case MorrisMethod:
		need("trajectories")
	case SaltelliMethod:
		need("samples")
	}
	if x, ok := f["samples"]; ok {
		lo := int64(1)
		if d.Method == SaltelliMethod {
			lo = 2
		}
		if n, ok := r.integer(x, lo, MaxPoints); ok {
			d.Samples = int(n)
		}
	}
	if x, ok := f["trajectories"]; ok {
		if n, ok := r.integer(x, 2, MaxPoints); ok {
			d.Trajectories = int(n)
		}
	}
	d.Levels = DefaultLevels
	if d.Method != MorrisMethod {
		d.Levels = 0
	}
	if x, ok := f["levels"]; ok {
		if n, ok := r.integer(x, 2, 1000); ok {
			if n%2 != 0 {
				r.add(x.at(), x.path, "must be even (Morris's jump is levels/(2(levels−1))), got %d", n)
			}
			d.Levels = int(n)
		}
	}
	if d.Method == SaltelliMethod {
		d.Sampler = SobolSequence
	}
	if x, ok := f["sampler"]; ok {
		if s, ok := r.text(x); ok {
			switch Method(s) {
			case SobolSequence, LHS, Random:
				d.Sampler = Method(s)
			default:
				r.add(x.at(), x.path, "must be sobol, lhs or random, got %q", s)
			}
		}
	}
	if d.Method == OAT {
		d.Quantiles = []float64{0.05, 0.95}
	}
	if x, ok := f["quantiles"]; ok {
		if items, ok := r.list(x, "probabilities"); ok {
			d.Quantiles = nil
			for _, it := range items {
				if q, ok := r.number(it); ok {
					if q <= 0 || q >= 1 {
						r.add(it.at(), it.path, "must lie strictly between 0 and 1, got %g", q)
					} else if len(d.Quantiles) > 0 && q <= d.Quantiles[len(d.Quantiles)-1] {
						r.add(it.at(), it.path, "the quantiles must increase; %g follows %g", q, d.Quantiles[len(d.Quantiles)-1])
					}
					d.Quantiles = append(d.Quantiles, q)
				}
			}
			if len(items) == 0 {
				r.add(x.at(), x.path, "give at least one quantile")
			}
		}
	}
	if x, ok := f["seed"]; ok {
		if n, ok := r.uinteger(x); ok {
			d.Seed = n
		}
		if d.Method == SaltelliMethod && d.Sampler == SobolSequence {
			r.add(x.key, x.path, "the Sobol sequence is not random: seed applies only with sampler lhs or random")
		}
	}
}

var paramShapes = []string{"values", "range", "uniform", "normal", "beta", "triangular"}

// param reads one item of parameters.
func (r *reader) param(it entry) (Param, bool) {
	before := len(r.problems)
	f, ok := r.fields(it.val, it.path, "a parameter", append([]string{"path", "name"}, paramShapes...))
	if !ok {
		return Param{}, false
	}
	unknownKeys := len(r.problems) > before
	p := Param{at: it.at()}
	good := true
	if e, ok := f["path"]; ok {
		p.pathAt = e.at()
		if s, ok := r.text(e); ok {
			p.Path = strings.TrimSpace(s)
		} else {
			good = false
		}
	} else {
		r.add(it.at(), it.path, "missing required field \"path\": the scenario value to vary, e.g. actors.DPRK.insecurity")
		good = false
	}
	p.Name = p.Path
	if e, ok := f["name"]; ok {
		if s, ok := r.text(e); ok {
			if !columnNameRE.MatchString(s) {
				r.add(e.at(), e.path, "%q cannot head a column: use no spaces, commas or quotes", s)
			}
			p.Name = s
		}
	}
	var shapes []string
	for _, k := range paramShapes {
		if _, ok := f[k]; ok {
			shapes = append(shapes, k)
		}
	}
	switch len(shapes) {
	case 0:
		if !unknownKeys {
			r.add(it.at(), it.path, "a parameter needs its values: one of %s", strings.Join(paramShapes, ", "))
		}
		return p, false
	case 1:
	default:
		r.add(f[shapes[1]].key, it.path, "a parameter takes one of %s; this one has %s", strings.Join(paramShapes, ", "), strings.Join(shapes, " and "))
		return p, false
	}
	e := f[shapes[0]]
	p.shape = e
	switch shapes[0] {
	case "values":
		items, ok := r.list(e, "values")
		if !ok {
			return p, false
		}
		if len(items) == 0 {
			r.add(e.at(), e.path, "give at least one value")
			return p, false
		}
		if len(items) > maxLevels {
			r.add(e.at(), e.path, "a list may hold at most %d values", maxLevels)
			return p, false
		}
		for _, v := range items {
			s, ok := scalarText(v.val)
			if !ok || s == "" {
				r.add(v.at(), v.path, "must be a value (a number, a word or a mapping such as {generous: 0.2}), got %s", describe(v.val))
				good = false
				continue
			}
			p.Levels = append(p.Levels, s)
			p.valueAt = append(p.valueAt, v.at())
		}
	case "range":
		rf, ok := r.fields(e.val, e.path, "a range", []string{"from", "to", "step"})
		if !ok {
			return p, false
		}
		var rg Range
		for _, k := range []string{"from", "to", "step"} {
			x, ok := rf[k]
			if !ok {
				r.add(e.at(), e.path, "a range needs from, to and step; %s is missing", k)
				good = false
				continue
			}
			v, ok := r.number(x)
			good = good && ok
			switch k {
			case "from":
				rg.From = v
			case "to":
				rg.To = v
			case "step":
				rg.Step = v
			}
		}
		if !good {
			return p, false
		}
		switch {
		case rg.Step <= 0:
			r.add(rf["step"].at(), rf["step"].path, "must be positive, got %g", rg.Step)
			return p, false
		case rg.To < rg.From:
			r.add(rf["to"].at(), rf["to"].path, "must not be below from (%g), got %g", rg.From, rg.To)
			return p, false
		}
		n := math.Floor((rg.To-rg.From)/rg.Step+1e-9) + 1
		if n > maxLevels {
			r.add(e.at(), e.path, "the range has %.0f values; at most %d", n, maxLevels)
			return p, false
		}
		p.Range = &rg
		for i := 0; i < int(n); i++ {
			x := roundTo(rg.From+float64(i)*rg.Step, 12)
			p.Levels = append(p.Levels, formatNum(x))
			p.Numbers = append(p.Numbers, x)
			p.valueAt = append(p.valueAt, e.at())
		}
	default:
		d, ok := r.dist(shapes[0], e)
		if !ok {
			return p, false
		}
		p.Dist = d
		p.valueAt = []pos{e.at()}
	}
	return p, good
}

// roundTo rounds x to the given number of significant digits, so that a
// range's values print as written (0.3, not 0.30000000000000004).
func roundTo(x float64, digits int) float64 {
	y, err := strconv.ParseFloat(strconv.FormatFloat(x, 'g', digits, 64), 64)
	if err != nil {
		return x
	}
	return y
}

// dist reads a distribution's parameters.
func (r *reader) dist(kind string, e entry) (sample.Dist, bool) {
	keys := map[string][]string{
		"uniform":    {"min", "max"},
		"normal":     {"mean", "sd", "min", "max"},
		"beta":       {"alpha", "beta", "min", "max"},
		"triangular": {"min", "mode", "max"},
	}[kind]
	required := map[string][]string{
		"uniform":    {"min", "max"},
		"normal":     {"mean", "sd"},
		"beta":       {"alpha", "beta"},
		"triangular": {"min", "mode", "max"},
	}[kind]
	f, ok := r.fields(e.val, e.path, "a "+kind+" distribution", keys)
	if !ok {
		return nil, false
	}
	v := map[string]float64{}
	good := true
	for _, k := range keys {
		x, ok := f[k]
		if !ok {
			if slices.Contains(required, k) {
				r.add(e.at(), e.path, "a %s distribution needs %s; %s is missing", kind, strings.Join(required, ", "), k)
				good = false
			}
			continue
		}
		n, ok := r.number(x)
		good = good && ok
		v[k] = n
	}
	if !good {
		return nil, false
	}
	get := func(k string, def float64) float64 {
		if x, ok := v[k]; ok {
			return x
		}
		return def
	}
	var d sample.Dist
	switch kind {
	case "uniform":
		d = sample.UniformDist{Min: v["min"], Max: v["max"]}
	case "normal":
		d = sample.NormalDist{Mean: v["mean"], SD: v["sd"], Min: get("min", math.Inf(-1)), Max: get("max", math.Inf(1))}
	case "beta":
		d = sample.BetaDist{Alpha: v["alpha"], Beta: v["beta"], Min: get("min", 0), Max: get("max", 1)}
	case "triangular":
		d = sample.TriangularDist{Min: v["min"], Mode: v["mode"], Max: v["max"]}
	}
	if err := d.Check(); err != nil {
		if pe, ok := err.(*sample.ParamError); ok {
			at, path := e.at(), e.path
			if x, ok := f[pe.Param]; ok {
				at, path = x.at(), x.path
			}
			r.add(at, path, "%s", pe.Msg)
		} else {
			r.add(e.at(), e.path, "%v", err)
		}
		return nil, false
	}
	return d, true
}

// constraint reads one item of constraints.
func (r *reader) constraint(it entry) (Constraint, bool) {
	f, ok := r.fields(it.val, it.path, "a constraint", []string{"normalize", "complement", "of", "total"})
	if !ok {
		return Constraint{}, false
	}
	c := Constraint{at: it.at(), Total: 1, path: it.path}
	_, hasN := f["normalize"]
	_, hasC := f["complement"]
	switch {
	case hasN && hasC:
		r.add(it.at(), it.path, "a constraint is either normalize or complement, not both")
		return c, false
	case !hasN && !hasC:
		r.add(it.at(), it.path, "a constraint needs normalize: [PATHS] (scale them to sum to total) or complement: [PATHS] with of: [PATHS] (they share total minus the sum of the others)")
		return c, false
	}
	key := "normalize"
	if hasC {
		key = "complement"
	}
	c.Kind = key
	paths := func(e entry) ([]string, []pos, bool) {
		items, ok := r.list(e, "scenario paths")
		if !ok {
			return nil, nil, false
		}
		var out []string
		var at []pos
		good := true
		for _, x := range items {
			s, ok := r.text(x)
			good = good && ok
			out = append(out, strings.TrimSpace(s))
			at = append(at, x.at())
		}
		return out, at, good
	}
	good := true
	var ok2 bool
	c.Paths, c.pathAt, ok2 = paths(f[key])
	good = good && ok2
	if key == "normalize" && len(c.Paths) < 2 {
		r.add(f[key].at(), f[key].path, "normalize needs at least two paths")
		good = false
	}
	if key == "complement" && len(c.Paths) < 1 {
		r.add(f[key].at(), f[key].path, "complement needs at least one path")
		good = false
	}
	if e, ok := f["of"]; ok {
		if key != "complement" {
			r.add(e.key, e.path, "of applies only to complement")
			good = false
		} else {
			c.Of, c.ofAt, ok2 = paths(e)
			good = good && ok2
			if len(c.Of) == 0 {
				r.add(e.at(), e.path, "give at least one path")
				good = false
			}
		}
	} else if key == "complement" {
		r.add(it.at(), it.path, "complement needs of: the paths whose sum the complement paths make up to total")
		good = false
	}
	if e, ok := f["total"]; ok {
		if x, ok := r.number(e); ok {
			if x <= 0 {
				r.add(e.at(), e.path, "must be positive, got %g", x)
				good = false
			}
			c.Total = x
		} else {
			good = false
		}
	}
	return c, good
}

// record reads what to record.
func (r *reader) record(e entry, p *Plan) {
	f, ok := r.fields(e.val, e.path, "what to record", []string{"roadmaps", "metrics"})
	if !ok {
		return
	}
	if x, ok := f["roadmaps"]; ok {
		if items, ok := r.list(x, "roadmap ids"); ok {
			for _, it := range items {
				if s, ok := r.text(it); ok {
					p.Roadmaps = append(p.Roadmaps, s)
					p.roadmapAt = append(p.roadmapAt, it.at())
				}
			}
			if len(items) == 0 {
				r.add(x.at(), x.path, "give at least one roadmap, or leave roadmaps out to record them all")
			}
		}
	}
	x, ok := f["metrics"]
	if !ok {
		r.add(e.at(), e.path, "missing required field \"metrics\": %s", metricForms)
		return
	}
	items, ok := r.list(x, "metrics")
	if !ok {
		return
	}
	if len(items) == 0 {
		r.add(x.at(), x.path, "give at least one metric: %s", metricForms)
	}
	seen := map[string]bool{}
	for _, it := range items {
		// a metric is text, "milestone:frozen", or a one-key mapping, {milestone: frozen}
		s, ok := "", false
		if mv, isMap := it.val.(*ast.MappingNode); isMap && len(mv.Values) == 1 {
			k, ok1 := scalarText(mv.Values[0].Key)
			v, ok2 := scalarText(mv.Values[0].Value)
			s, ok = k+":"+v, ok1 && ok2
		} else if mv, isMV := it.val.(*ast.MappingValueNode); isMV {
			k, ok1 := scalarText(mv.Key)
			v, ok2 := scalarText(mv.Value)
			s, ok = k+":"+v, ok1 && ok2
		}
		if !ok {
			if s, ok = r.text(it); !ok {
				continue
			}
		}
		m, err := parseMetric(s)
		if err != nil {
			r.add(it.at(), it.path, "%v", err)
			continue
		}
		if seen[m.Name] {
			r.add(it.at(), it.path, "metric %s is listed twice", m.Name)
			continue
		}
		seen[m.Name] = true
		p.Metrics = append(p.Metrics, m)
		p.metricAt = append(p.metricAt, it.at())
	}
}

// parseMetric reads a metric: a status name, rounds, milestone:ID[@ROUND],
// or utility|exposure|leverage:ACTOR.
func parseMetric(s string) (Metric, error) {
	s = strings.TrimSpace(s)
	kind, arg, hasArg := strings.Cut(s, ":")
	if !hasArg {
		if kind == "rounds" {
			return Metric{Kind: kind, Name: s}, nil
		}
		for st := engine.Status(0); st < engine.NumStatus; st++ {
			if st.String() == kind {
				return Metric{Kind: kind, Name: s}, nil
			}
		}
		return Metric{}, fmt.Errorf("unknown metric %q; the metrics are %s", s, metricForms)
	}
	if arg == "" {
		return Metric{}, fmt.Errorf("metric %q names no id after ':'", s)
	}
	switch {
	case kind == "milestone":
		id, round, hasRound := strings.Cut(arg, "@")
		m := Metric{Kind: kind, Arg: id, Name: s}
		if hasRound {
			n, err := strconv.Atoi(round)
			if err != nil || n < 1 {
				return Metric{}, fmt.Errorf("metric %q: the round after @ must be a whole number of at least 1", s)
			}
			m.By = n
		}
		return m, nil
	case slices.Contains(actorMetrics, kind):
		return Metric{Kind: kind, Arg: arg, Name: s}, nil
	}
	return Metric{}, fmt.Errorf("unknown metric %q; the metrics are %s", s, metricForms)
}

// keep the ast import used by entry in this file's helpers
var _ ast.Node
