package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"

	"github.com/parleyhq/parley/montecarlo"
	"github.com/parleyhq/parley/scenario"
	"github.com/parleyhq/parley/sweep/sample"
	"github.com/parleyhq/parley/sweep/sensitivity"
)

// Plan is a checked sweep: the base scenario, the parameters and the layout
// of their points, the constraints, what to record and how many histories to
// run at each point. Point k is defined by the plan and k alone, so any
// range of points can run anywhere.
type Plan struct {
	// Name names the sweep (default: the file's name); Description says what it is for.
	Name        string
	Description string
	// File is the name the sweep file was loaded under.
	File string
	// BaseRef is the base scenario as written: builtin:NAME or a path
	// relative to the sweep file; BaseFile is that path resolved and
	// BaseData the file's bytes (both empty for a built-in).
	BaseRef  string
	BaseFile string
	BaseData []byte
	// Base is the base scenario; every point changes a copy of it.
	Base *scenario.Scenario
	// Runs is the number of histories per roadmap at each point; Seed and
	// Seeding say how they are seeded.
	Runs    int
	Seed    uint64
	Seeding Seeding
	Design  Design
	Params  []Param
	// Constraints are applied in order after the parameters are set.
	Constraints []Constraint
	// Roadmaps are the ids of the recorded roadmaps (all when the file names none).
	Roadmaps []string
	Metrics  []Metric

	roadmapAt []pos
	metricAt  []pos

	n           uint64
	radix       []uint64 // grid: levels per parameter
	oatOffset   []uint64 // oat: the first point of each parameter
	unit        func(k uint64, u, scratch []float64)
	fingerprint string
	// constraint inputs that are not parameters: their base values
	fixed map[string]float64
	// params by path
	byPath map[string]int
}

// Len is the number of points.
func (p *Plan) Len() int { return int(p.n) }

// Fingerprint identifies the plan: a hash of everything that defines its
// rows (the base scenario, parameters, design, constraints, metrics, runs
// and seeds), but not of its name, description or file paths.
func (p *Plan) Fingerprint() string { return p.fingerprint }

// Columns are the names of the recorded numbers, ROADMAP/METRIC, roadmap by
// roadmap.
func (p *Plan) Columns() []string {
	out := make([]string, 0, len(p.Roadmaps)*len(p.Metrics))
	for _, r := range p.Roadmaps {
		for _, m := range p.Metrics {
			out = append(out, r+"/"+m.Name)
		}
	}
	return out
}

// PointSeed is the master seed of point k's histories: with per-point
// seeding, the (k+1)-th output of SplitMix64 started at Seed, that is
// mix(Seed + (k+1)·0x9e3779b97f4a7c15) with SplitMix64's finaliser mix;
// with common seeding, Seed itself. History n of every roadmap at point k
// is then seeded from (PointSeed(k), n) as in montecarlo.
func (p *Plan) PointSeed(k int) uint64 {
	if p.Seeding == Common {
		return p.Seed
	}
	return mix64(p.Seed + uint64(k)*0x9e3779b97f4a7c15)
}

// mix64 is SplitMix64's step: add the golden gamma, then finalise.
func mix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Point is the values of the parameters at one point.
type Point struct {
	Index int
	// Text is each parameter's value as scenario.Set reads it; "" leaves
	// the base scenario's value (the parameters that an oat point does not move).
	Text []string
	// Num is each parameter's value as a number (NaN for a choice, the
	// base value where Text is "").
	Num []float64
	// Unit is the point's coordinates in the unit cube for the sampled
	// designs (nil for grid and oat).
	Unit []float64
}

// Value is parameter i's value at the point as text: the base value where
// the point leaves it.
func (p *Plan) Value(pt *Point, i int) string {
	if pt.Text[i] == "" {
		return p.Params[i].Base
	}
	return pt.Text[i]
}

// prepare sets up the layout of the points and counts them.
func (p *Plan) prepare() error {
	d := len(p.Params)
	switch p.Design.Method {
	case Grid:
		p.n = 1
		p.radix = make([]uint64, d)
		for i := range p.Params {
			p.radix[i] = uint64(len(p.Params[i].Levels))
			if p.n > MaxPoints/p.radix[i] {
				return fmt.Errorf("the grid has more than %d points; sample it with method lhs or sobol instead", uint64(MaxPoints))
			}
			p.n *= p.radix[i]
		}
	case OAT:
		p.n = 1
		p.oatOffset = make([]uint64, d)
		for i := range p.Params {
			p.oatOffset[i] = p.n
			p.n += uint64(len(p.oatLevels(i)))
		}
	case LHS:
		l, err := sample.NewLatinHypercube(uint64(p.Design.Samples), d, p.Design.Seed)
		if err != nil {
			return err
		}
		p.n = uint64(p.Design.Samples)
		p.unit = func(k uint64, u, _ []float64) { l.Point(k, u) }
	case Random:
		g := sample.NewUniform(uint64(p.Design.Samples), d, p.Design.Seed)
		p.n = uint64(p.Design.Samples)
		p.unit = func(k uint64, u, _ []float64) { g.Point(k, u) }
	case SobolSequence:
		s, err := sample.NewSobol(d)
		if err != nil {
			return err
		}
		p.n = uint64(p.Design.Samples)
		if p.n >= sample.MaxSobolPoints {
			return fmt.Errorf("a Sobol sample has fewer than 2^32 points")
		}
		p.unit = func(k uint64, u, _ []float64) { s.Point(k+1, u) }
	case MorrisMethod:
		m := p.morris()
		if err := m.Check(); err != nil {
			return err
		}
		p.n = m.Len()
		if p.n > MaxPoints {
			return fmt.Errorf("the Morris design has %d points; at most %d", p.n, uint64(MaxPoints))
		}
		p.unit = func(k uint64, u, _ []float64) { m.Point(k, u) }
	case SaltelliMethod:
		s, err := p.saltelli()
		if err != nil {
			return err
		}
		p.n = s.Len()
		if p.n > MaxPoints {
			return fmt.Errorf("the Saltelli design has %d points; at most %d", p.n, uint64(MaxPoints))
		}
		p.unit = func(k uint64, u, scratch []float64) { s.Point(k, u, scratch) }
	}
	return nil
}

// Morris returns the Morris design of a morris plan.
func (p *Plan) morris() *sensitivity.Morris {
	return &sensitivity.Morris{R: uint64(p.Design.Trajectories), Dim: len(p.Params), Levels: p.Design.Levels, Seed: p.Design.Seed}
}

// MorrisDesign is the design of a morris plan (nil for other methods).
func (p *Plan) MorrisDesign() *sensitivity.Morris {
	if p.Design.Method != MorrisMethod {
		return nil
	}
	return p.morris()
}

func (p *Plan) saltelli() (*sensitivity.Saltelli, error) {
	d := len(p.Params)
	n := uint64(p.Design.Samples)
	s := &sensitivity.Saltelli{N: n, Dim: d}
	switch p.Design.Sampler {
	case LHS:
		l, err := sample.NewLatinHypercube(n, 2*d, p.Design.Seed)
		if err != nil {
			return nil, err
		}
		s.Base = l
	case Random:
		s.Base = sample.NewUniform(n, 2*d, p.Design.Seed)
	default:
		q, err := sample.NewSobol(2 * d)
		if err != nil {
			return nil, fmt.Errorf("saltelli with the Sobol sequence takes at most %d parameters: %v", sample.MaxSobolDim/2, err)
		}
		if n >= sample.MaxSobolPoints {
			return nil, fmt.Errorf("a Sobol sample has fewer than 2^32 points")
		}
		s.Base, s.First = q, 1
	}
	return s, nil
}

// oatLevels are the values parameter i takes in an oat design: its list or
// range, or its distribution's quantiles at design.quantiles.
func (p *Plan) oatLevels(i int) []string {
	prm := &p.Params[i]
	if prm.Discrete() {
		return prm.Levels
	}
	out := make([]string, len(p.Design.Quantiles))
	for j, q := range p.Design.Quantiles {
		out[j] = formatNum(prm.fromDist(q))
	}
	return out
}

// OATLevel says which parameter point k (≥ 1) of an oat plan moves and to
// which of its levels; point 0 is the base scenario (param −1).
func (p *Plan) OATLevel(k int) (param, level int) {
	if k == 0 || p.Design.Method != OAT {
		return -1, -1
	}
	for i := len(p.oatOffset) - 1; i >= 0; i-- {
		if uint64(k) >= p.oatOffset[i] {
			return i, k - int(p.oatOffset[i])
		}
	}
	return -1, -1
}

// OATLevels are the levels of parameter i in an oat plan, as text.
func (p *Plan) OATLevels(i int) []string { return p.oatLevels(i) }

// fromDist maps u ∈ [0, 1] through the parameter's distribution; an unbounded
// side keeps u off 0 or 1, and a whole-number field gets the nearest integer.
func (prm *Param) fromDist(u float64) float64 {
	lo, hi := prm.Dist.Bounds()
	if math.IsInf(lo, -1) {
		u = math.Max(u, 0x1p-53)
	}
	if math.IsInf(hi, 1) {
		u = math.Min(u, 1-0x1p-53)
	}
	x := prm.Dist.Quantile(u)
	if prm.Kind == Integer {
		x = math.Round(x)
	}
	return x
}

// fromUnit sets the parameter's value at coordinate u of the unit cube:
// level ⌊u·n⌋ of a list or range of n values, or the quantile of a distribution.
func (prm *Param) fromUnit(u float64) (string, float64) {
	if prm.Discrete() {
		n := len(prm.Levels)
		i := min(int(u*float64(n)), n-1)
		return prm.Levels[i], prm.numberAt(i)
	}
	x := prm.fromDist(u)
	return formatNum(x), x
}

func (prm *Param) numberAt(i int) float64 {
	if prm.Numbers == nil {
		return math.NaN()
	}
	return prm.Numbers[i]
}

// NewPoint returns a Point with room for the plan's parameters.
func (p *Plan) NewPoint() *Point {
	d := len(p.Params)
	pt := &Point{Text: make([]string, d), Num: make([]float64, d)}
	if p.unit != nil {
		pt.Unit = make([]float64, d)
	}
	return pt
}

// At fills pt with point k (0 ≤ k < Len).
func (p *Plan) At(k int, pt *Point) {
	if k < 0 || uint64(k) >= p.n {
		panic(fmt.Sprintf("sweep: point %d out of range [0, %d)", k, p.n))
	}
	pt.Index = k
	switch p.Design.Method {
	case Grid:
		r := uint64(k)
		for i := len(p.Params) - 1; i >= 0; i-- {
			j := int(r % p.radix[i])
			r /= p.radix[i]
			pt.Text[i], pt.Num[i] = p.Params[i].Levels[j], p.Params[i].numberAt(j)
		}
	case OAT:
		for i := range p.Params {
			pt.Text[i], pt.Num[i] = "", p.Params[i].BaseNum
		}
		if i, l := p.OATLevel(k); i >= 0 {
			prm := &p.Params[i]
			if prm.Discrete() {
				pt.Text[i], pt.Num[i] = prm.Levels[l], prm.numberAt(l)
			} else {
				x := prm.fromDist(p.Design.Quantiles[l])
				pt.Text[i], pt.Num[i] = formatNum(x), x
			}
		}
	default:
		scratch := make([]float64, 2*len(p.Params))
		p.unit(uint64(k), pt.Unit, scratch)
		for i := range p.Params {
			pt.Text[i], pt.Num[i] = p.Params[i].fromUnit(pt.Unit[i])
		}
	}
}

// PointError is a point whose scenario is not valid.
type PointError struct {
	Point int
	// Values describes the point: "name=value" for each parameter.
	Values string
	Err    error
}

func (e *PointError) Error() string {
	return fmt.Sprintf("point %d (%s): %v", e.Point, e.Values, e.Err)
}

func (e *PointError) Unwrap() error { return e.Err }

func (p *Plan) describe(pt *Point) string {
	parts := make([]string, len(p.Params))
	for i := range p.Params {
		parts[i] = p.Params[i].Name + "=" + p.Value(pt, i)
	}
	return strings.Join(parts, ", ")
}

// Scenario builds the scenario of a point: a copy of the base with the
// parameters set and the constraints applied, validated. An invalid
// scenario gives a *PointError.
func (p *Plan) Scenario(pt *Point) (*scenario.Scenario, error) {
	s := clone(p.Base)
	if err := p.apply(s, pt); err != nil {
		return nil, &PointError{Point: pt.Index, Values: p.describe(pt), Err: err}
	}
	if err := scenario.Validate(s); err != nil {
		return nil, &PointError{Point: pt.Index, Values: p.describe(pt), Err: fmt.Errorf("the scenario is not valid:\n%w", err)}
	}
	return s, nil
}

// apply sets the point's values and the constraints' results in s.
func (p *Plan) apply(s *scenario.Scenario, pt *Point) error {
	for i := range p.Params {
		if pt.Text[i] == "" {
			continue
		}
		if err := scenario.Set(s, p.Params[i].Path, pt.Text[i]); err != nil {
			return err
		}
	}
	// the current value of a path: a parameter's, a fixed base value, or one set by an earlier constraint
	set := map[string]float64{}
	value := func(path string) float64 {
		if x, ok := set[path]; ok {
			return x
		}
		if i, ok := p.byPath[path]; ok {
			return pt.Num[i]
		}
		return p.fixed[path]
	}
	for _, c := range p.Constraints {
		switch c.Kind {
		case "normalize":
			sum := 0.0
			for _, q := range c.Paths {
				sum += value(q)
			}
			if !(sum > 0) {
				return fmt.Errorf("constraint %s: the values of %s sum to %g and cannot be scaled to sum to %g", c.path, strings.Join(c.Paths, ", "), sum, c.Total)
			}
			for _, q := range c.Paths {
				set[q] = value(q) * c.Total / sum
			}
		case "complement":
			sum := 0.0
			for _, q := range c.Of {
				sum += value(q)
			}
			rest := c.Total - sum
			if rest < 0 {
				if rest < -1e-12*c.Total {
					return fmt.Errorf("constraint %s: %s sum to %g, more than the total %g", c.path, strings.Join(c.Of, ", "), sum, c.Total)
				}
				rest = 0
			}
			w := 0.0
			for _, q := range c.Paths {
				w += p.fixed[q]
			}
			for _, q := range c.Paths {
				share := 1 / float64(len(c.Paths))
				if w > 0 {
					share = p.fixed[q] / w
				}
				set[q] = rest * share
			}
		}
		for _, q := range c.Paths {
			if err := scenario.Set(s, q, formatNum(set[q])); err != nil {
				return err
			}
		}
	}
	return nil
}

// computeFingerprint hashes the canonical JSON of everything that defines
// the rows.
func (p *Plan) computeFingerprint() string {
	type dist struct {
		Name   string            `json:"name"`
		Params map[string]string `json:"params"`
	}
	type param struct {
		Path   string   `json:"path"`
		Name   string   `json:"name"`
		Levels []string `json:"levels,omitempty"`
		Dist   *dist    `json:"dist,omitempty"`
	}
	var params []param
	for _, prm := range p.Params {
		x := param{Path: prm.Path, Name: prm.Name, Levels: prm.Levels}
		if prm.Dist != nil {
			m := map[string]string{}
			v := reflect.ValueOf(prm.Dist)
			for i := 0; i < v.NumField(); i++ {
				m[v.Type().Field(i).Name] = formatNum(v.Field(i).Float())
			}
			x.Dist = &dist{Name: prm.Dist.Name(), Params: m}
		}
		params = append(params, x)
	}
	canon := struct {
		Format      int                `json:"format"`
		Base        *scenario.Scenario `json:"base"`
		Runs        int                `json:"runs"`
		Chunk       int                `json:"chunk"`
		Seed        uint64             `json:"seed"`
		Seeding     Seeding            `json:"seeding"`
		Design      Design             `json:"design"`
		Params      []param            `json:"parameters"`
		Constraints []Constraint       `json:"constraints"`
		Roadmaps    []string           `json:"roadmaps"`
		Metrics     []Metric           `json:"metrics"`
	}{1, p.Base, p.Runs, montecarlo.DefaultChunk, p.Seed, p.Seeding, p.Design, params, p.Constraints, p.Roadmaps, p.Metrics}
	b, err := json.Marshal(canon)
	if err != nil {
		// every field is plain data; a failure here is a bug
		panic(fmt.Sprintf("sweep: fingerprint: %v", err))
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:10])
}
