package sweep

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/montecarlo"
	"github.com/parleyhq/parley/sweep/sensitivity"
)

// Results are the rows of every point of a plan, held in memory for analysis.
type Results struct {
	Plan *Plan
	// Nums[k][i] is parameter i's value at point k as a number (NaN for a
	// choice), Values[k][i] the same as text.
	Values [][]string
	Nums   [][]float64
	// Metrics[k][c] is column c (of Plan.Columns) at point k.
	Metrics [][]float64
}

// NewResults returns empty results of p and the function that adds a row
// to them, to pass to [Plan.Run].
func NewResults(p *Plan) (*Results, func(*Row) error) {
	res := &Results{Plan: p}
	return res, func(r *Row) error {
		if r.Point != len(res.Metrics) {
			return fmt.Errorf("row of point %d where point %d was expected", r.Point, len(res.Metrics))
		}
		res.Values = append(res.Values, r.Values)
		res.Nums = append(res.Nums, r.Nums)
		res.Metrics = append(res.Metrics, r.Metrics)
		return nil
	}
}

// ReadResults reads the complete output of p (every point, as one run or a
// merge writes it), checking that it belongs to p.
func ReadResults(r io.Reader, p *Plan) (*Results, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	first, err := br.ReadString('\n')
	if err != nil && err != io.EOF {
		return nil, err
	}
	var h Header
	var f Format
	switch {
	case strings.HasPrefix(first, csvMagic):
		f = CSV
		err = json.Unmarshal([]byte(strings.TrimSpace(first[len(csvMagic):])), &h)
	case strings.HasPrefix(first, jsonlMagic):
		f = JSONL
		var x struct {
			H Header `json:"parley-sweep"`
		}
		err = json.Unmarshal([]byte(first), &x)
		h = x.H
	default:
		return nil, ErrNotOutput
	}
	if err != nil {
		return nil, fmt.Errorf("%w: its header is not readable: %v", ErrNotOutput, err)
	}
	if h.Plan != p.Fingerprint() {
		return nil, mismatch(h, p.FullHeader())
	}
	if h.From != 0 || h.To != p.Len() {
		return nil, fmt.Errorf("it holds %s, not the whole sweep: merge the shards first (parley sweep merge)", describeRange(h))
	}
	res, add := NewResults(p)
	nc := len(p.Columns())
	np := len(p.Params)
	row := func(k int, vals []string, mets []float64) error {
		nums := make([]float64, np)
		for i, v := range vals {
			nums[i] = math.NaN()
			if p.Params[i].Kind != Choice {
				if x, err := strconv.ParseFloat(v, 64); err == nil {
					nums[i] = x
				}
			}
		}
		return add(&Row{Point: k, Values: vals, Nums: nums, Metrics: mets})
	}
	switch f {
	case CSV:
		cr := csv.NewReader(br)
		cr.FieldsPerRecord = 1 + np + nc
		cr.ReuseRecord = false
		if _, err := cr.Read(); err != nil {
			return nil, fmt.Errorf("reading the column names: %w", err)
		}
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			k, err := strconv.Atoi(rec[0])
			if err != nil {
				return nil, fmt.Errorf("row %d: point %q is not a number", len(res.Metrics)+1, rec[0])
			}
			mets := make([]float64, nc)
			for c := range mets {
				if mets[c], err = strconv.ParseFloat(rec[1+np+c], 64); err != nil {
					return nil, fmt.Errorf("point %d: %s = %q is not a number", k, p.Columns()[c], rec[1+np+c])
				}
			}
			if err := row(k, rec[1:1+np], mets); err != nil {
				return nil, err
			}
		}
	case JSONL:
		cols := p.Columns()
		for {
			line, err := br.ReadString('\n')
			if line != "" && !strings.HasSuffix(line, "\n") {
				return nil, fmt.Errorf("the last line is torn: resume the sweep first")
			}
			if line != "" {
				var x struct {
					Point   int                        `json:"point"`
					Values  map[string]json.RawMessage `json:"values"`
					Metrics map[string]*float64        `json:"metrics"`
				}
				if err := json.Unmarshal([]byte(line), &x); err != nil {
					return nil, fmt.Errorf("row %d: %v", len(res.Metrics)+1, err)
				}
				vals := make([]string, np)
				for i := range p.Params {
					raw := x.Values[p.Params[i].Name]
					var s string
					if json.Unmarshal(raw, &s) != nil {
						s = string(raw)
					}
					vals[i] = s
				}
				mets := make([]float64, nc)
				for c, name := range cols {
					v, ok := x.Metrics[name]
					switch {
					case !ok:
						return nil, fmt.Errorf("point %d has no %s", x.Point, name)
					case v == nil:
						mets[c] = math.NaN()
					default:
						mets[c] = *v
					}
				}
				if err := row(x.Point, vals, mets); err != nil {
					return nil, err
				}
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
		}
	}
	if len(res.Metrics) != p.Len() {
		return nil, fmt.Errorf("it holds %d of the sweep's %d points: finish it with parley sweep run --resume", len(res.Metrics), p.Len())
	}
	return res, nil
}

// Column finds a column by its name, ROADMAP/METRIC.
func (res *Results) Column(name string) (int, error) {
	cols := res.Plan.Columns()
	if i := slices.Index(cols, name); i >= 0 {
		return i, nil
	}
	return -1, fmt.Errorf("the sweep records no column %q; it records %s", name, strings.Join(cols, ", "))
}

// Columns expands names into column indices: a full name ROADMAP/METRIC, or
// a metric alone for that metric of every recorded roadmap; none means all.
func (res *Results) Columns(names []string) ([]int, error) {
	cols := res.Plan.Columns()
	if len(names) == 0 {
		out := make([]int, len(cols))
		for i := range out {
			out[i] = i
		}
		return out, nil
	}
	var out []int
	for _, n := range names {
		if i := slices.Index(cols, n); i >= 0 {
			out = append(out, i)
			continue
		}
		found := false
		for i, c := range cols {
			if strings.HasSuffix(c, "/"+n) {
				out = append(out, i)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("the sweep records no metric %q; it records %s", n, strings.Join(cols, ", "))
		}
	}
	return out, nil
}

func (res *Results) column(c int) []float64 {
	y := make([]float64, len(res.Metrics))
	for k, m := range res.Metrics {
		y[k] = m[c]
	}
	return y
}

// OATLevel is one level of a parameter in a one-at-a-time analysis.
type OATLevel struct {
	Value  string  // the parameter's value
	Metric float64 // the metric with the parameter at that value
}

// OATBar is what moving one parameter alone does to a metric.
type OATBar struct {
	Param int
	Name  string
	// Levels are in increasing order of the parameter's value (as written
	// for a choice); Swing summarises them (Low and High at the first and last).
	Levels []OATLevel
	Swing  sensitivity.Swing
}

// OATAnalysis is a one-at-a-time analysis of one column.
type OATAnalysis struct {
	Column string
	// Base is the metric at the base scenario (point 0).
	Base float64
	// Bars come widest first, as in a tornado chart.
	Bars []OATBar
}

// OneAtATime analyses column c of an oat sweep.
func (res *Results) OneAtATime(c int) (*OATAnalysis, error) {
	p := res.Plan
	if p.Design.Method != OAT {
		return nil, fmt.Errorf("a one-at-a-time analysis needs a sweep of design method oat, not %s", p.Design.Method)
	}
	y := res.column(c)
	out := &OATAnalysis{Column: p.Columns()[c], Base: y[0]}
	ys := make([][]float64, len(p.Params))
	levels := make([][]OATLevel, len(p.Params))
	for i := range p.Params {
		ls := p.oatLevels(i)
		type lv struct {
			x   float64
			lev OATLevel
		}
		var v []lv
		for l, text := range ls {
			x, err := strconv.ParseFloat(text, 64)
			if err != nil || p.Params[i].Kind == Choice {
				x = float64(l)
			}
			v = append(v, lv{x, OATLevel{text, y[int(p.oatOffset[i])+l]}})
		}
		slices.SortStableFunc(v, func(a, b lv) int { return cmp.Compare(a.x, b.x) })
		for _, e := range v {
			levels[i] = append(levels[i], e.lev)
			ys[i] = append(ys[i], e.lev.Metric)
		}
	}
	for _, s := range sensitivity.OneAtATime(out.Base, ys) {
		out.Bars = append(out.Bars, OATBar{Param: s.Factor, Name: p.Params[s.Factor].Name, Levels: levels[s.Factor], Swing: s})
	}
	return out, nil
}

// Sobol estimates the Sobol indices of column c of a saltelli sweep.
func (res *Results) Sobol(c int, opt sensitivity.BootstrapOptions) (*sensitivity.SobolIndices, error) {
	p := res.Plan
	if p.Design.Method != SaltelliMethod {
		return nil, fmt.Errorf("Sobol indices need a sweep of design method saltelli, not %s", p.Design.Method)
	}
	return sensitivity.Sobol(res.column(c), len(p.Params), opt)
}

// Morris computes the elementary effects of column c of a morris sweep.
func (res *Results) Morris(c int, opt sensitivity.BootstrapOptions) (*sensitivity.MorrisMeasures, error) {
	p := res.Plan
	if p.Design.Method != MorrisMethod {
		return nil, fmt.Errorf("elementary effects need a sweep of design method morris, not %s", p.Design.Method)
	}
	return sensitivity.MorrisEffects(p.morris(), res.column(c), opt)
}

// Group is the points that share a parameter's value (or fall in one bin of
// a sampled parameter's range).
type Group struct {
	Label  string
	X      float64 // the value (a choice's index); the bin's mean value
	Points []int
}

// Groups splits the points by parameter i's value: one group per level of
// a list or range (levels that no point takes are left out), or bins of
// equal width over the sampled values of a distribution.
func (res *Results) Groups(i, bins int) []Group {
	p := res.Plan
	prm := &p.Params[i]
	var out []Group
	if prm.Discrete() {
		idx := map[string]int{}
		levels := prm.Levels
		if p.Design.Method == OAT {
			levels = p.oatLevels(i)
		}
		for l, v := range levels {
			idx[v] = l
		}
		if prm.Base != "" {
			if _, ok := idx[prm.Base]; !ok {
				levels = append(slices.Clone(levels), prm.Base)
				idx[prm.Base] = len(levels) - 1
			}
		}
		groups := make([]Group, len(levels))
		for l, v := range levels {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil || prm.Kind == Choice {
				x = float64(l)
			}
			groups[l] = Group{Label: v, X: x}
		}
		for k, vals := range res.Values {
			if l, ok := idx[vals[i]]; ok {
				groups[l].Points = append(groups[l].Points, k)
			}
		}
		for _, g := range groups {
			if len(g.Points) > 0 {
				out = append(out, g)
			}
		}
		if prm.Kind != Choice {
			slices.SortStableFunc(out, func(a, b Group) int { return cmp.Compare(a.X, b.X) })
		}
		return out
	}
	if bins < 1 {
		bins = 10
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, n := range res.Nums {
		lo, hi = math.Min(lo, n[i]), math.Max(hi, n[i])
	}
	if hi == lo {
		bins = 1
	}
	groups := make([]Group, bins)
	sums := make([]float64, bins)
	for k, n := range res.Nums {
		b := 0
		if hi > lo {
			b = min(int((n[i]-lo)/(hi-lo)*float64(bins)), bins-1)
		}
		groups[b].Points = append(groups[b].Points, k)
		sums[b] += n[i]
	}
	w := (hi - lo) / float64(bins)
	for b := range groups {
		if len(groups[b].Points) == 0 {
			continue
		}
		g := groups[b]
		g.X = sums[b] / float64(len(g.Points))
		g.Label = fmt.Sprintf("%s–%s", trim(lo+w*float64(b)), trim(lo+w*float64(b+1)))
		out = append(out, g)
	}
	return out
}

func trim(x float64) string { return strconv.FormatFloat(x, 'g', 3, 64) }

// Summary is a metric over a group of points: its mean and a band.
type Summary struct {
	N            int
	Mean, Lo, Hi float64
}

// Summarise is the mean of column c over the points and its band: the 10th
// and 90th percentiles of the points' values when there are several (the
// spread over the other parameters), or for a single point of a share
// metric its 95% Wilson interval over the point's histories.
func (res *Results) Summarise(c int, points []int) Summary {
	s := Summary{N: len(points), Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	if len(points) == 0 {
		return s
	}
	v := make([]float64, len(points))
	for j, k := range points {
		v[j] = res.Metrics[k][c]
	}
	s.Mean = mean(v)
	if len(v) == 1 {
		if res.Plan.share(c) {
			s.Lo, s.Hi = montecarlo.Wilson(v[0], res.Plan.Runs)
		}
		return s
	}
	slices.Sort(v)
	s.Lo, s.Hi = percentile(v, 0.1), percentile(v, 0.9)
	return s
}

// share reports whether column c is a share of histories.
func (p *Plan) share(c int) bool {
	m := p.Metrics[c%len(p.Metrics)]
	switch m.Kind {
	case "rounds", "utility", "exposure", "leverage":
		return false
	}
	return true
}

// Difference summarises column a minus column b over the points (mean only).
func (res *Results) Difference(a, b int, points []int) Summary {
	s := Summary{N: len(points), Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	if len(points) == 0 {
		return s
	}
	v := make([]float64, len(points))
	for j, k := range points {
		v[j] = res.Metrics[k][a] - res.Metrics[k][b]
	}
	s.Mean = mean(v)
	if len(v) > 1 {
		slices.Sort(v)
		s.Lo, s.Hi = percentile(v, 0.1), percentile(v, 0.9)
	}
	return s
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// percentile interpolates linearly between the order statistics of sorted v.
func percentile(v []float64, q float64) float64 {
	h := q * float64(len(v)-1)
	i := int(h)
	if i+1 >= len(v) {
		return v[len(v)-1]
	}
	return v[i] + (h-float64(i))*(v[i+1]-v[i])
}

// Param finds a parameter by its name or path.
func (p *Plan) Param(name string) (int, error) {
	for i := range p.Params {
		if p.Params[i].Name == name || p.Params[i].Path == name {
			return i, nil
		}
	}
	names := make([]string, len(p.Params))
	for i := range p.Params {
		names[i] = p.Params[i].Name
	}
	return -1, fmt.Errorf("the sweep has no parameter %q; it has %s", name, strings.Join(names, ", "))
}
