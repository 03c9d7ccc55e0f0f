package sweep

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/scenario"
)

// checker checks a parsed sweep against its base scenario.
type checker struct {
	r        *reader
	p        *Plan
	recordAt entry
	// badParam marks the parameters with problems, which are not probed;
	// badConstraints says that a constraint has problems, so nothing is.
	badParam       map[int]bool
	badConstraints bool
}

func (c *checker) check() {
	p, r := c.p, c.r
	p.byPath = map[string]int{}
	p.fixed = map[string]float64{}
	names := map[string]int{}
	for i := range p.Params {
		prm := &p.Params[i]
		path := index("parameters", i)
		before := len(r.problems)
		f, err := lookup(p.Base, prm.Path)
		if err != nil {
			r.add(prm.pathAt, path+".path", "%s: %v", prm.Path, err)
			c.badParam[i] = true
			continue
		}
		if j, dup := p.byPath[prm.Path]; dup {
			r.add(prm.pathAt, path+".path", "%s is already varied by parameters[%d]; a path may be varied once", prm.Path, j)
			c.badParam[i] = true
			continue
		}
		p.byPath[prm.Path] = i
		if j, dup := names[prm.Name]; dup {
			r.add(prm.at, path, "parameters[%d] has the same column name %q; give one of them a name", j, prm.Name)
		}
		names[prm.Name] = i
		prm.Kind = f.kind
		prm.BaseNum = f.baseNum
		if f.hasBase {
			prm.Base = f.base
		}
		c.levels(prm, path, f)
		if len(r.problems) > before {
			c.badParam[i] = true
		}
	}
	before := len(r.problems)
	c.constraints()
	c.badConstraints = len(r.problems) > before
	c.record()
	c.designFits()
}

// levels checks a parameter's values against the kind of its field.
func (c *checker) levels(prm *Param, path string, f field) {
	r := c.r
	shapePath := prm.shape.path
	if !prm.Discrete() || prm.Range != nil {
		if prm.Kind == Choice {
			r.add(prm.shape.key, shapePath, "%s holds %s: give it a list of values, not a %s", prm.Path, kindNoun(f), strings.TrimPrefix(shapePath, path+"."))
			return
		}
	}
	if prm.Range != nil {
		if prm.Kind == Integer {
			for _, x := range []float64{prm.Range.From, prm.Range.Step} {
				if x != math.Trunc(x) {
					r.add(prm.shape.at(), shapePath, "%s holds a whole number: from and step must be whole numbers, got %g", prm.Path, x)
					return
				}
			}
		}
		c.trySet(prm, shapePath, prm.Levels[0], prm.shape.at())
		c.trySet(prm, shapePath, prm.Levels[len(prm.Levels)-1], prm.shape.at())
		return
	}
	if !prm.Discrete() {
		return
	}
	if prm.Kind != Choice {
		prm.Numbers = make([]float64, len(prm.Levels))
	}
	for j, v := range prm.Levels {
		vp := index(shapePath, j)
		switch prm.Kind {
		case Number:
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(x) {
				r.add(prm.valueAt[j], vp, "%s holds a number, got %q", prm.Path, v)
				continue
			}
			prm.Numbers[j] = x
		case Integer:
			n, err := strconv.Atoi(v)
			if err != nil {
				r.add(prm.valueAt[j], vp, "%s holds a whole number, got %q", prm.Path, v)
				continue
			}
			prm.Numbers[j] = float64(n)
		}
		if slices.Index(prm.Levels, v) < j {
			r.add(prm.valueAt[j], vp, "%s is listed twice", v)
			continue
		}
		c.trySet(prm, vp, v, prm.valueAt[j])
	}
}

func kindNoun(f field) string {
	switch f.typ.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	}
	return "a value that is not a number"
}

// trySet checks that scenario.Set takes the value.
func (c *checker) trySet(prm *Param, path, value string, at pos) bool {
	s := clone(c.p.Base)
	if err := scenario.Set(s, prm.Path, value); err != nil {
		c.r.add(at, path, "%v", err)
		return false
	}
	return true
}

// inputRange is the smallest and largest value a constraint input takes, and
// whether it can be exactly 0.
func (c *checker) inputRange(path string) (lo, hi float64, canBeZero bool, ok bool) {
	p := c.p
	if i, isParam := p.byPath[path]; isParam {
		prm := &p.Params[i]
		if prm.Kind == Choice {
			return 0, 0, false, false
		}
		if prm.Discrete() {
			lo, hi = math.Inf(1), math.Inf(-1)
			for _, x := range prm.Numbers {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
				canBeZero = canBeZero || x == 0
			}
		} else {
			lo, hi = prm.Dist.Bounds()
			canBeZero = (lo == 0 || hi == 0) && (p.Design.Method == MorrisMethod || prm.Kind == Integer)
		}
		if p.Design.Method == OAT && !math.IsNaN(prm.BaseNum) {
			lo, hi = math.Min(lo, prm.BaseNum), math.Max(hi, prm.BaseNum)
			canBeZero = canBeZero || prm.BaseNum == 0
		}
		return lo, hi, canBeZero, true
	}
	x := p.fixed[path]
	return x, x, x == 0, true
}

func (c *checker) constraints() {
	p, r := c.p, c.r
	outputs := map[string]string{}
	for ci := range p.Constraints {
		k := &p.Constraints[ci]
		good := true
		// every path: a numeric parameter, or a number of the base scenario
		check := func(paths []string, at []pos, key string) {
			for j, q := range paths {
				fp := index(k.path+"."+key, j)
				if i, ok := p.byPath[q]; ok {
					if p.Params[i].Kind == Choice {
						r.add(at[j], fp, "%s is not a number and cannot be constrained", q)
						good = false
					}
					continue
				}
				f, err := lookup(p.Base, q)
				if err != nil {
					r.add(at[j], fp, "%s: %v", q, err)
					good = false
					continue
				}
				if f.kind != Number {
					r.add(at[j], fp, "%s holds %s; a constraint works on numbers", q, f.kind)
					good = false
					continue
				}
				if !f.hasBase {
					r.add(at[j], fp, "%s has no value in the base scenario to start from; make it a parameter or give it a value there", q)
					good = false
					continue
				}
				p.fixed[q] = f.baseNum
			}
		}
		key := k.Kind
		check(k.Paths, k.pathAt, key)
		check(k.Of, k.ofAt, "of")
		for j, q := range k.Paths {
			fp := index(k.path+"."+key, j)
			if prev, dup := outputs[q]; dup {
				r.add(k.pathAt[j], fp, "%s is already set by %s; a path may be the result of one constraint only", q, prev)
				good = false
			}
			outputs[q] = k.path
			if key == "complement" {
				if _, isParam := p.byPath[q]; isParam {
					r.add(k.pathAt[j], fp, "%s is a parameter; complement computes its paths from the others, so they cannot be parameters too", q)
					good = false
				}
			}
			if slices.Contains(k.Of, q) {
				r.add(k.pathAt[j], fp, "%s is both in complement and in of", q)
				good = false
			}
		}
		if !good {
			continue
		}
		switch key {
		case "normalize":
			allZero := true
			for j, q := range k.Paths {
				lo, _, zero, _ := c.inputRange(q)
				if lo < 0 {
					r.add(k.pathAt[j], index(k.path+".normalize", j), "%s can be %g; normalize scales values that are never negative", q, lo)
					good = false
				}
				allZero = allZero && zero
			}
			if good && allZero {
				r.add(k.at, k.path, "unsatisfiable: %s can all be 0 at once, and then cannot be scaled to sum to %g; keep one of them above 0", strings.Join(k.Paths, ", "), k.Total)
			}
		case "complement":
			maxSum, minSum := 0.0, 0.0
			for j, q := range k.Of {
				lo, hi, _, _ := c.inputRange(q)
				if lo < 0 {
					r.add(k.ofAt[j], index(k.path+".of", j), "%s can be %g; complement needs values that are never negative", q, lo)
					good = false
				}
				maxSum += hi
				minSum += lo
			}
			if good && maxSum > k.Total*(1+1e-12) {
				r.add(k.at, k.path, "unsatisfiable: %s can sum to %g, more than the total %g, and leave nothing for %s; narrow their values", strings.Join(k.Of, " + "), maxSum, k.Total, strings.Join(k.Paths, ", "))
			}
			for j, q := range k.Paths {
				if p.fixed[q] < 0 {
					r.add(k.pathAt[j], index(k.path+".complement", j), "%s is %g in the base scenario; complement shares the rest in proportion to base values, which must not be negative", q, p.fixed[q])
				}
			}
			_ = minSum
		}
	}
}

func (c *checker) record() {
	p, r := c.p, c.r
	s := p.Base
	if len(p.Roadmaps) == 0 {
		for _, rm := range s.Roadmaps {
			p.Roadmaps = append(p.Roadmaps, rm.ID)
		}
	}
	seen := map[string]bool{}
	for i, id := range p.Roadmaps {
		if i >= len(p.roadmapAt) {
			break
		}
		fp := index("record.roadmaps", i)
		if s.RoadmapIndex(id) < 0 {
			ids := make([]string, len(s.Roadmaps))
			for j, rm := range s.Roadmaps {
				ids[j] = rm.ID
			}
			r.add(p.roadmapAt[i], fp, "the base scenario has no roadmap %q; it has %s", id, strings.Join(ids, ", "))
		}
		if seen[id] {
			r.add(p.roadmapAt[i], fp, "roadmap %s is listed twice", id)
		}
		seen[id] = true
	}
	for i, m := range p.Metrics {
		fp := index("record.metrics", i)
		switch m.Kind {
		case "milestone":
			var ids []string
			found := false
			for _, ms := range s.Milestones {
				ids = append(ids, ms.ID)
				found = found || ms.ID == m.Arg
			}
			if !found {
				if len(ids) == 0 {
					r.add(p.metricAt[i], fp, "the base scenario has no milestones")
				} else {
					r.add(p.metricAt[i], fp, "the base scenario has no milestone %q; it has %s", m.Arg, strings.Join(ids, ", "))
				}
			}
			if m.By > s.Environment.Horizon {
				r.add(p.metricAt[i], fp, "round %d is after the horizon (%d rounds)", m.By, s.Environment.Horizon)
			}
		case "utility", "exposure", "leverage":
			if s.ActorIndex(m.Arg) < 0 {
				ids := make([]string, len(s.Actors))
				for j, a := range s.Actors {
					ids[j] = a.ID
				}
				r.add(p.metricAt[i], fp, "the base scenario has no actor %q; it has %s", m.Arg, strings.Join(ids, ", "))
			}
		}
	}
}

// designFits checks that the parameters suit the design's method.
func (c *checker) designFits() {
	p, r := c.p, c.r
	for i := range p.Params {
		prm := &p.Params[i]
		switch {
		case p.Design.Method == Grid && !prm.Discrete():
			r.add(prm.shape.key, prm.shape.path, "a distribution is sampled: use design method lhs, sobol, random, morris, saltelli or oat; the grid takes lists and ranges")
		case p.Design.Method == MorrisMethod && !prm.Discrete():
			if lo, hi := prm.Dist.Bounds(); math.IsInf(lo, 0) || math.IsInf(hi, 0) {
				r.add(prm.shape.key, prm.shape.path, "Morris moves each parameter between its lowest and highest value; give this %s a min and a max", prm.Dist.Name())
			}
		}
	}
	if p.Design.Method == SaltelliMethod && p.Design.Sampler == SobolSequence && 2*len(p.Params) > 1024 {
		r.add(pos{}, "design", "saltelli with the Sobol sequence takes at most 512 parameters")
	}
}

// probe checks that each parameter keeps the scenario valid at its extreme
// values, the others staying at the base: every value of a list, both ends
// of a range, and the lowest and highest values of a distribution.
func (c *checker) probe() {
	p := c.p
	pt := p.NewPoint()
	for i := range p.Params {
		prm := &p.Params[i]
		if c.badParam[i] {
			continue
		}
		type probe struct {
			text string
			num  float64
			at   pos
			path string
			what string
		}
		var probes []probe
		switch {
		case prm.Range != nil:
			n := len(prm.Levels)
			probes = append(probes, probe{prm.Levels[0], prm.Numbers[0], prm.shape.at(), prm.shape.path, "from"},
				probe{prm.Levels[n-1], prm.Numbers[n-1], prm.shape.at(), prm.shape.path, "its last value"})
		case prm.Discrete():
			for j, v := range prm.Levels {
				probes = append(probes, probe{v, prm.numberAt(j), prm.valueAt[j], index(prm.shape.path, j), ""})
			}
		default:
			for _, u := range []float64{0, 1} {
				x := prm.fromDist(u)
				what := "its lowest value"
				if u == 1 {
					what = "its highest value"
				}
				if lo, hi := prm.Dist.Bounds(); (u == 0 && math.IsInf(lo, -1)) || (u == 1 && math.IsInf(hi, 1)) {
					what += " in a sample (at probability 2^-53 from the end; an untruncated " + prm.Dist.Name() + " is unbounded: give min and max to truncate it)"
				}
				probes = append(probes, probe{formatNum(x), x, prm.shape.at(), prm.shape.path, what})
			}
			if p.Design.Method == OAT {
				for _, l := range p.oatLevels(i) {
					x, _ := strconv.ParseFloat(l, 64)
					probes = append(probes, probe{l, x, prm.shape.at(), prm.shape.path, "the oat quantile"})
				}
			}
		}
		for _, pr := range probes {
			for j := range p.Params {
				pt.Text[j], pt.Num[j] = "", p.Params[j].BaseNum
			}
			pt.Text[i], pt.Num[i] = pr.text, pr.num
			s := clone(p.Base)
			err := p.apply(s, pt)
			if err == nil {
				err = scenario.Validate(s)
			}
			if err == nil {
				continue
			}
			what := ""
			if pr.what != "" {
				what = " (" + pr.what + ")"
			}
			c.r.add(pr.at, pr.path, "with %s = %s%s the scenario is not valid: %s", prm.Path, pr.text, what, flatten(err))
		}
	}
}

// flatten joins a scenario error's problems on one line.
func flatten(err error) string {
	var se *scenario.Error
	if errors.As(err, &se) {
		parts := make([]string, len(se.Problems))
		for i, q := range se.Problems {
			parts[i] = q.String()
		}
		return strings.Join(parts, "; ")
	}
	return fmt.Sprint(err)
}
