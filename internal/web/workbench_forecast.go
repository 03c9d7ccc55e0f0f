package web

import (
	"context"
	"errors"
	"html/template"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/forecast"
	"github.com/parleyhq/parley/forecast/baseline"
	"github.com/parleyhq/parley/forecast/bdm"
	"github.com/parleyhq/parley/forecast/chart"
	"github.com/parleyhq/parley/forecast/smp"
	"github.com/parleyhq/parley/forecast/uncertainty"
)

// Caps of the forecasts one request may ask for.
const (
	maxForecastActors     = 200
	maxForecastDimensions = 12
	maxSMPTurns           = 100
	// maxForecastRuns caps the perturbed runs of one request; the deadline
	// bounds their time.
	maxForecastRuns = 10_000
)

var forecastWebModels = []string{"baselines", "bdm", "smp"}

// bdmPresetNames are the option sets of the bdm model, in the order the
// form offers them.
var bdmPresetNames = []string{"default", "masad", "mckibben"}

type forecastReq struct {
	// Example names one of the examples; or Input is the input file's text.
	Example string `json:"example,omitempty"`
	Input   string `json:"input,omitempty"`
	// Format is the input's format; empty to detect it.
	Format string `json:"format,omitempty"`
	// Model is baselines, bdm or smp.
	Model string `json:"model"`
	// Dimension names the dimension the bdm model works on (needed when
	// the input has several).
	Dimension string `json:"dimension,omitempty"`
	// Preset is the bdm model's option set: default, masad or mckibben (the
	// two open replications, as parley forecast --bdm-preset); empty is
	// default.
	Preset string `json:"bdm_preset,omitempty"`
	// MaxTurns bounds the turns of the smp model.
	MaxTurns int `json:"max_turns"`
	// Runs, when not 0, also runs the model this many times on perturbed
	// copies of the input (forecast/uncertainty): every position moves
	// uniformly within ±Perturb of its dimension's scale, every salience
	// within ±Perturb (at most 1) on the 0-1 scale, and each actor stays
	// away with probability Drop. Run n is seeded from (RunsSeed, n).
	Runs     int     `json:"runs"`
	Perturb  float64 `json:"perturb"`
	Drop     float64 `json:"drop"`
	RunsSeed uint64  `json:"runs_seed"`
}

// quantityOut is the distribution of one number of the forecast over the
// perturbed runs.
type quantityOut struct {
	Dimension string `json:"dimension,omitempty"`
	Name      string `json:"forecast"`
	// Unperturbed is the forecast of the input as given (null: none).
	Unperturbed *float64 `json:"unperturbed"`
	Count       int      `json:"count"`
	Mean        *float64 `json:"mean"`
	SD          *float64 `json:"sd"`
	Min         *float64 `json:"min"`
	Q05         *float64 `json:"q05"`
	Median      *float64 `json:"median"`
	Q95         *float64 `json:"q95"`
	Max         *float64 `json:"max"`
}

type uncertaintyOut struct {
	Runs     int     `json:"runs"`
	Seed     uint64  `json:"seed"`
	Perturb  float64 `json:"perturb"`
	Salience float64 `json:"perturb_salience"`
	Drop     float64 `json:"drop"`
	// NoForecast counts the runs that gave none (fewer than two actors left).
	NoForecast int           `json:"no_forecast"`
	Quantities []quantityOut `json:"quantities"`

	Chart template.URL `json:"-"`
}

type baselineOut struct {
	Dimension string   `json:"dimension"`
	Mean      float64  `json:"mean"`
	Median    float64  `json:"median"`
	Condorcet *float64 `json:"condorcet"` // null when no position beats every other
}

// trajectoryOut is every actor's position on one dimension over the rounds
// (bdm) or turns (smp), the start first.
type trajectoryOut struct {
	Dimension string      `json:"dimension"`
	Actors    []string    `json:"actors"`
	Positions [][]float64 `json:"positions"` // [actor][round]
	// Median and Mean are the bdm model's weighted median and mean after
	// each round (bdm only).
	Median []float64 `json:"median,omitempty"`
	Mean   []float64 `json:"mean,omitempty"`

	Decimals int `json:"-"`
}

type forecastOut struct {
	Name       string   `json:"name"`
	Format     string   `json:"format"`
	Model      string   `json:"model"`
	Actors     []string `json:"actors"`
	Dimensions []string `json:"dimensions"`
	// Baselines holds the three baselines per dimension (model baselines).
	Baselines []baselineOut `json:"baselines,omitempty"`
	// Rounds counts the rounds (bdm) or turns (smp) after the start; Stop
	// says why the run ended.
	Rounds       int             `json:"rounds,omitempty"`
	Stop         string          `json:"stop,omitempty"`
	Trajectories []trajectoryOut `json:"trajectories,omitempty"`
	// Uncertainty is the distribution over perturbed runs, when asked for.
	Uncertainty *uncertaintyOut `json:"uncertainty,omitempty"`

	Chart template.URL `json:"-"`
	Steps []int        `json:"-"` // 0, 1, …, Rounds: the columns of the tables
}

// Fmt formats a position with the decimals of its dimension, for the template.
func (t trajectoryOut) Fmt(x float64) string { return strconv.FormatFloat(x, 'f', t.Decimals, 64) }

// posDecimals is how many decimals show a position on dimension k: one on a
// scale of 50 or more (KTAB's 0-100), more on narrower ones.
func posDecimals(in *forecast.Input, k int) int {
	d := in.Dimensions[k]
	span := d.Max - d.Min
	if !d.Bounded {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, a := range in.Actors {
			lo, hi = min(lo, a.Position[k]), max(hi, a.Position[k])
		}
		span = hi - lo
	}
	switch {
	case span >= 50:
		return 1
	case span >= 5:
		return 2
	default:
		return 3
	}
}

func runForecast(s *Server, ctx context.Context, q *forecastReq) (*forecastOut, error) {
	if !slices.Contains(forecastWebModels, q.Model) {
		return nil, badField("model", "unknown model %q; use one of %s", q.Model, strings.Join(forecastWebModels, ", "))
	}
	switch {
	case q.Runs < 0 || q.Runs > maxForecastRuns:
		return nil, badField("runs", "must be from 0 (none) to %d, got %d", maxForecastRuns, q.Runs)
	case !(q.Perturb >= 0 && q.Perturb <= 1):
		return nil, badField("perturb", "must be from 0 to 1 (a share of each dimension's scale), got %g", q.Perturb)
	case !(q.Drop >= 0 && q.Drop < 1):
		return nil, badField("drop", "must be a probability below 1, got %g", q.Drop)
	}
	var format forecast.Format
	if q.Format != "" {
		var err error
		if format, err = forecast.ParseFormat(q.Format); err != nil {
			return nil, badField("format", "%v", err)
		}
	}
	switch {
	case q.Example != "" && strings.TrimSpace(q.Input) != "":
		return nil, badField("input", "give an input or an example, not both")
	case q.Example != "":
		ex, texts, err := example("forecast", "example", q.Example)
		if err != nil {
			return nil, err
		}
		q.Input, q.Example = texts[0], ""
		if q.Format == "" {
			format = forecast.DetectFormat(ex.Files[0], []byte(q.Input))
			q.Format = string(format)
		}
	case strings.TrimSpace(q.Input) == "":
		return nil, badField("input", "paste a forecast input (KTAB CSV or XML, a table with Actor, Capability, Position and Salience, or parley's YAML), or pick an example")
	}
	if len(q.Input) > maxWBText {
		return nil, badField("input", "the text has %d bytes; at most %d are accepted", len(q.Input), maxWBText)
	}
	if format == "" {
		format = detectFormat(q.Input)
	}
	in, err := forecast.Read("input", []byte(q.Input), format)
	if err != nil {
		return nil, badFile("input", "the input", err, q.Input)
	}
	if len(in.Actors) > maxForecastActors {
		return nil, badField("input", "the input has %d actors; at most %d are modelled here", len(in.Actors), maxForecastActors)
	}
	if len(in.Dimensions) > maxForecastDimensions {
		return nil, badField("input", "the input has %d dimensions; at most %d are modelled here", len(in.Dimensions), maxForecastDimensions)
	}
	out := &forecastOut{Name: in.Name, Format: string(in.Format), Model: q.Model, Dimensions: in.DimensionNames()}
	for _, a := range in.Actors {
		out.Actors = append(out.Actors, a.Name)
	}
	switch q.Model {
	case "baselines":
		fs, err := baseline.All(in, baseline.CapabilitySalience, baseline.Proportional)
		if err != nil {
			return nil, badField("input", "%v", err)
		}
		for _, f := range fs {
			b := baselineOut{Dimension: f.Dimension, Mean: f.Mean, Median: f.Median}
			if f.Condorcet.Found {
				w := f.Condorcet.Winner
				b.Condorcet = &w
			}
			out.Baselines = append(out.Baselines, b)
		}
		return s.withUncertainty(ctx, q, in, out, func() (*uncertainty.Model, error) {
			return uncertainty.Baselines(in, []string{uncertainty.Mean, uncertainty.Median, uncertainty.Condorcet}, baseline.CapabilitySalience, baseline.Proportional)
		})
	case "bdm":
		preset := q.Preset
		if preset == "" {
			preset = "default"
		}
		opt, ok := bdm.Presets[preset]
		if !ok {
			return nil, badField("bdm_preset", "unknown preset %q; use %s", q.Preset, strings.Join(bdmPresetNames, ", "))
		}
		switch {
		case q.Dimension != "":
			opt.Dimension = slices.Index(in.DimensionNames(), q.Dimension)
			if opt.Dimension < 0 {
				return nil, badField("dimension", "the input has no dimension %q; it has %s", q.Dimension, quoteList(in.DimensionNames()))
			}
		case len(in.Dimensions) > 1:
			return nil, badField("dimension", "the expected-utility model is one-dimensional and the input has %d dimensions; name one: %s",
				len(in.Dimensions), quoteList(in.DimensionNames()))
		}
		var res *bdm.Result
		err := s.heavy(ctx, func(ctx context.Context) error {
			var err error
			res, err = bdm.Run(ctx, in, opt)
			return err
		})
		if err != nil {
			return nil, forecastErr(err)
		}
		if out, err = bdmOf(out, in, res); err != nil {
			return nil, err
		}
		return s.withUncertainty(ctx, q, in, out, func() (*uncertainty.Model, error) { return uncertainty.BDM(in, opt) })
	default:
		if q.MaxTurns < 1 || q.MaxTurns > maxSMPTurns {
			return nil, badField("max_turns", "must be from 1 to %d, got %d", maxSMPTurns, q.MaxTurns)
		}
		opt, err := smp.FromInput(in)
		if err != nil {
			return nil, badField("input", "%v", err)
		}
		opt.MaxTurns = q.MaxTurns
		opt.MinTurns = min(opt.MinTurns, opt.MaxTurns)
		var res *smp.Result
		err = s.heavy(ctx, func(ctx context.Context) error {
			var err error
			res, err = smp.Run(ctx, in, opt)
			return err
		})
		if errors.Is(err, smp.ErrScale) {
			return nil, badField("input", "%v", err)
		}
		if err != nil {
			return nil, forecastErr(err)
		}
		if out, err = smpOf(out, in, res); err != nil {
			return nil, err
		}
		return s.withUncertainty(ctx, q, in, out, func() (*uncertainty.Model, error) { return uncertainty.SMP(in, opt) })
	}
}

// withUncertainty adds, when the request asks for runs, the distribution
// of the model's forecast over perturbed copies of the input.
func (s *Server) withUncertainty(ctx context.Context, q *forecastReq, in *forecast.Input, out *forecastOut, model func() (*uncertainty.Model, error)) (*forecastOut, error) {
	if q.Runs == 0 {
		return out, nil
	}
	m, err := model()
	if err != nil {
		return nil, badField("input", "%v", err)
	}
	opt := uncertainty.Options{Runs: q.Runs, Seed: q.RunsSeed, Workers: 1,
		Perturbation: uncertainty.Perturbation{Position: q.Perturb, Salience: min(q.Perturb, 1), Drop: q.Drop}}
	var sum *uncertainty.Summary
	err = s.heavy(ctx, func(ctx context.Context) error {
		var err error
		sum, err = uncertainty.Run(ctx, in, m, opt)
		return err
	})
	if err != nil {
		return nil, forecastErr(err)
	}
	ptr := func(v float64) *float64 {
		if math.IsNaN(v) {
			return nil
		}
		return &v
	}
	u := &uncertaintyOut{Runs: sum.Runs, Seed: sum.Seed, Perturb: sum.Perturbation.Position, Salience: sum.Perturbation.Salience,
		Drop: sum.Perturbation.Drop, NoForecast: sum.Void, Quantities: []quantityOut{}}
	for k, st := range sum.Stats {
		qt := sum.Quantities[k]
		qo := quantityOut{Name: qt.Name, Unperturbed: ptr(sum.Deterministic[k]), Count: st.Count()}
		if qt.Dimension >= 0 {
			qo.Dimension = sum.Dimensions[qt.Dimension]
		}
		if st.Count() > 0 {
			qo.Mean, qo.SD, qo.Min, qo.Max = ptr(st.Mean()), ptr(st.SD()), ptr(st.Min()), ptr(st.Max())
			qo.Q05, qo.Median, qo.Q95 = ptr(st.Quantile(0.05)), ptr(st.Quantile(0.5)), ptr(st.Quantile(0.95))
		}
		u.Quantities = append(u.Quantities, qo)
	}
	if u.Chart, err = svgImage(chart.Distribution(sum, "Distribution of the "+sum.Model+" forecast over the perturbed runs").WriteSVG); err != nil {
		return nil, err
	}
	out.Uncertainty = u
	return out, nil
}

// forecastErr passes on what is not about the input, and reports the rest as bad input.
func forecastErr(err error) error {
	var we *wbError
	if errors.As(err, &we) || errors.Is(err, errBusy) || errors.Is(err, context.Canceled) {
		return err
	}
	var he *httpError
	if errors.As(err, &he) {
		return err
	}
	return badField("input", "%v", err)
}

func bdmOf(out *forecastOut, in *forecast.Input, res *bdm.Result) (*forecastOut, error) {
	out.Rounds, out.Stop = len(res.Rounds), res.Stop
	t := trajectoryOut{Dimension: res.Dimension, Actors: res.Actors, Median: []float64{res.Median}, Mean: []float64{res.Mean},
		Decimals: posDecimals(in, res.Options.Dimension)}
	for i := range res.Actors {
		p := []float64{res.Start[i]}
		for _, r := range res.Rounds {
			p = append(p, r.Positions[i])
		}
		t.Positions = append(t.Positions, p)
	}
	for _, r := range res.Rounds {
		t.Median = append(t.Median, r.Median)
		t.Mean = append(t.Mean, r.Mean)
	}
	out.Trajectories = []trajectoryOut{t}
	out.Steps = steps(out.Rounds)
	var err error
	out.Chart, err = svgImage(chart.BDM(res, "Expected-utility model: positions by round").WriteSVG)
	return out, err
}

func smpOf(out *forecastOut, in *forecast.Input, res *smp.Result) (*forecastOut, error) {
	out.Rounds = len(res.States) - 1
	out.Stop = "converged"
	if out.Rounds >= res.Options.MaxTurns {
		out.Stop = "cap"
	}
	for k, d := range res.Dimensions {
		t := trajectoryOut{Dimension: d, Actors: res.Actors, Decimals: posDecimals(in, k)}
		for i := range res.Actors {
			p := make([]float64, len(res.States))
			for n, st := range res.States {
				p[n] = st.Positions[i][k]
			}
			t.Positions = append(t.Positions, p)
		}
		out.Trajectories = append(out.Trajectories, t)
	}
	out.Steps = steps(out.Rounds)
	var err error
	out.Chart, err = svgImage(chart.SMP(res, "Spatial Model of Politics: positions by turn").WriteSVG)
	return out, err
}

// detectFormat tells the format of a pasted input, which has no file name
// to go by: a first line with commas and no colon is a CSV file.
func detectFormat(text string) forecast.Format {
	first := strings.TrimSpace(text)
	if i := strings.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	name := "input"
	if strings.Contains(first, ",") && !strings.Contains(first, ":") {
		name = "input.csv"
	}
	return forecast.DetectFormat(name, []byte(text))
}

func steps(n int) []int {
	s := make([]int, n+1)
	for i := range s {
		s[i] = i
	}
	return s
}

func formatNamesList() []string {
	out := make([]string, len(forecast.Formats))
	for i, f := range forecast.Formats {
		out[i] = string(f)
	}
	return out
}

var forecastCap = &wbCap[forecastReq, *forecastOut]{
	page: "workbench-forecast", title: "Forecast",
	defaults: func() forecastReq { return forecastReq{Model: "bdm", MaxTurns: maxSMPTurns, RunsSeed: 1} },
	fromForm: func(f *wbForm, q *forecastReq) {
		q.Example = f.get("example")
		q.Input = f.text("input")
		q.Format = f.get("format")
		if m := f.get("model"); m != "" {
			q.Model = m
		}
		q.Dimension = f.get("dimension")
		q.Preset = f.get("bdm_preset")
		f.intField("max_turns", &q.MaxTurns)
		f.intField("runs", &q.Runs)
		f.floatField("perturb", &q.Perturb)
		f.floatField("drop", &q.Drop)
		f.uintField("runs_seed", &q.RunsSeed)
	},
	fromQuery: func(s *Server, v url.Values, q *forecastReq) bool {
		q.Example = strings.TrimSpace(v.Get("example"))
		if m := strings.TrimSpace(v.Get("model")); m != "" {
			q.Model = m
		}
		q.Dimension = strings.TrimSpace(v.Get("dimension"))
		return q.Example != ""
	},
	run: runForecast,
	extra: func(s *Server) map[string]any {
		return map[string]any{"Examples": examplesOf("forecast"), "Models": forecastWebModels, "Presets": bdmPresetNames, "Formats": formatNamesList(), "MaxTurns": maxSMPTurns, "MaxRuns": maxForecastRuns}
	},
}
