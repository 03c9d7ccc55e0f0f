package cli

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/parleyhq/parley/forecast"
	"github.com/parleyhq/parley/forecast/baseline"
	"github.com/parleyhq/parley/forecast/chart"
	"github.com/parleyhq/parley/forecast/smp"
	"github.com/parleyhq/parley/forecast/uncertainty"
)

// mcDefaultSeed is the master seed of --runs when --seed is not given.
const mcDefaultSeed = 1

// mcQuantiles are the quantiles every output shows.
var mcQuantiles = []float64{0.05, 0.25, 0.5, 0.75, 0.95}

// checkMCFlags checks the flags of the Monte Carlo over the inputs: they
// need --runs, and --runs excludes what describes a single run.
func checkMCFlags(f *forecastFlags, changed func(string) bool) error {
	if !changed("runs") {
		for _, name := range []string{"perturb", "perturb-salience", "drop", "workers"} {
			if changed(name) {
				return UsageErrorf("--%s applies with --runs only", name)
			}
		}
		return nil
	}
	switch {
	case f.runs < 1 || f.runs > maxRuns:
		return UsageErrorf("--runs must be between 1 and %d, got %d", maxRuns, f.runs)
	case f.trace:
		return UsageErrorf("--trace shows a single run; it does not go with --runs")
	case f.format == FormatKTAB:
		return UsageErrorf("--format ktab shows a single run; it does not go with --runs")
	case f.workers < 0:
		return UsageErrorf("--workers must be 0 (every core) or more, got %d", f.workers)
	case !(f.perturb >= 0) || math.IsInf(f.perturb, 0):
		return UsageErrorf("--perturb must be a number, 0 or more, got %g", f.perturb)
	case !(f.drop >= 0 && f.drop < 1):
		return UsageErrorf("--drop must be a probability below 1, got %g", f.drop)
	}
	if !changed("perturb-salience") {
		f.perturbSalience = math.Min(f.perturb, 1)
	}
	if !(f.perturbSalience >= 0 && f.perturbSalience <= 1) {
		return UsageErrorf("--perturb-salience must be between 0 and 1 (saliences are shares), got %g", f.perturbSalience)
	}
	return nil
}

// runForecastMC runs the chosen model --runs times on perturbed inputs and
// writes the distribution of its forecast to out; it returns the chart of
// the histograms when --chart asks for one.
func runForecastMC(cmd *cobra.Command, env *Env, in *forecast.Input, source, model string, f *forecastFlags, out *bytes.Buffer) (*chart.Chart, error) {
	var m *uncertainty.Model
	var err error
	var about string // what the model is, for people
	opts := map[string]any{}
	switch model {
	case "bdm":
		opt, err2 := bdmOptions(in, source, f)
		if err2 != nil {
			return nil, err2
		}
		if m, err = uncertainty.BDM(in, opt); err != nil {
			return nil, UsageErrorf("%s: %v", source, err)
		}
		about = fmt.Sprintf("the expected-utility model on dimension %s (%s; at most %d rounds)", in.Dimensions[opt.Dimension].Name, opt, opt.MaxRounds)
		opts = map[string]any{"dimension": in.Dimensions[opt.Dimension].Name, "reference": opt.Reference, "probability": opt.Probability,
			"votes": opt.Votes, "perspective": opt.Perspective, "accept": opt.Accept, "range": opt.Range, "q": opt.Q, "t": opt.T,
			"max_rounds": opt.MaxRounds, "epsilon": opt.Epsilon}
	case "smp":
		opt, err2 := smpOptions(in, f, false)
		if err2 != nil {
			return nil, err2
		}
		if m, err = uncertainty.SMP(in, opt); err != nil {
			if errors.Is(err, smp.ErrScale) {
				return nil, UsageErrorf("%s: %v", source, err)
			}
			return nil, err
		}
		about = "KTAB's Spatial Model of Politics (" + smpOptionsLine(opt)
		if opt.Transitions == smp.Stochastic {
			about += "; each run draws its own transitions"
		}
		about += ")"
		for _, p := range smp.ParameterNames {
			opts[p] = opt.Get(p)
		}
		opts["max_turns"], opts["stop_ratio"] = opt.MaxTurns, opt.StopRatio
	default:
		w, b, err2 := baselineChoices(f)
		if err2 != nil {
			return nil, err2
		}
		cols := baselineColumns(model)
		if m, err = uncertainty.Baselines(in, cols, w, b); err != nil {
			return nil, err
		}
		weights := "capability × salience"
		if w == baseline.CapabilityOnly {
			weights = "capability"
		}
		about = strings.Join(cols, ", ") + " (actors weighted by " + weights
		opts["weights"] = string(w)
		if model == "baselines" || model == "condorcet" {
			about += "; pairwise votes " + string(b)
			opts["ballot"] = string(b)
		}
		about += ")"
	}
	seed := f.seed
	if !cmd.Flags().Changed("seed") {
		seed = mcDefaultSeed
	}
	opt := uncertainty.Options{Runs: f.runs, Seed: seed, Workers: f.workers,
		Perturbation: uncertainty.Perturbation{Position: f.perturb, Salience: f.perturbSalience, Drop: f.drop}}
	var bar *progressbar.ProgressBar
	if env.IsTerminal && env.Getenv("CI") == "" {
		bar = progressbar.NewOptions64(int64(f.runs), progressbar.OptionSetWriter(env.Stderr),
			progressbar.OptionSetDescription("runs"), progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
		opt.Progress = func(done, _ int) { _ = bar.Set64(int64(done)) }
	}
	s, err := uncertainty.Run(cmd.Context(), in, m, opt)
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return nil, err
	}
	switch f.format {
	case FormatCSV:
		err = writeMCCSV(out, s)
	case FormatJSON:
		err = writeMCJSON(out, in, source, s, opts)
	default:
		err = writeMCText(out, in, source, s, about)
	}
	if err != nil || f.chart == "" {
		return nil, err
	}
	return chart.Distribution(s, fmt.Sprintf("Distribution of the %s forecast on %s", s.Model, filepath.Base(source))), nil
}

// quantityName names a quantity for people: "Policy: mean", or "rounds".
func quantityName(s *uncertainty.Summary, q int) (dim, name string) {
	qt := s.Quantities[q]
	if qt.Dimension >= 0 {
		return s.Dimensions[qt.Dimension], qt.Name
	}
	return "", qt.Name
}

// mcFormat returns how to write the values of quantity q: with a
// position's decimals plus one, or, for a count, whole values without
// decimals and the rest with one.
func mcFormat(in *forecast.Input, s *uncertainty.Summary, q int) func(float64) string {
	qt := s.Quantities[q]
	dec := 1
	if qt.Dimension >= 0 {
		dec = decimals(in.Dimensions[qt.Dimension], in, qt.Dimension) + 1
	}
	return func(v float64) string {
		switch {
		case math.IsNaN(v):
			return "none"
		case qt.Integer && v == math.Trunc(v):
			return strconv.FormatFloat(v, 'f', 0, 64)
		}
		return strconv.FormatFloat(v, 'f', dec, 64)
	}
}

func perturbationText(in *forecast.Input, s *uncertainty.Summary) string {
	p := s.Perturbation
	var parts []string
	if p.Position > 0 {
		bounded, open := 0, 0
		for _, d := range in.Dimensions {
			if d.Bounded {
				bounded++
			} else {
				open++
			}
		}
		of := "its dimension's scale (clipped to it)"
		switch {
		case open > 0 && bounded == 0:
			of = "the range of the actors' positions on its dimension"
		case open > 0:
			of = "its dimension's scale (clipped to it), or on a dimension without one of the range of the actors' positions"
		}
		parts = append(parts, fmt.Sprintf("each position moved uniformly within ±%g of %s", p.Position, of))
	}
	if p.Salience > 0 {
		parts = append(parts, fmt.Sprintf("each salience within ±%g (clipped to 0-1; an actor's scaled down to sum to at most 1)", p.Salience))
	}
	if p.Drop > 0 {
		parts = append(parts, fmt.Sprintf("each actor left out with probability %g", p.Drop))
	}
	if len(parts) == 0 {
		return "the input unchanged"
	}
	return strings.Join(parts, ", ")
}

func writeMCText(w io.Writer, in *forecast.Input, source string, s *uncertainty.Summary, about string) error {
	fmt.Fprintf(w, "Monte Carlo over the inputs of %s\n", describeInput(in, source))
	fmt.Fprintf(w, "Model: %s.\n", about)
	fmt.Fprintf(w, "%d runs, seed %d: %s.\n", s.Runs, s.Seed, perturbationText(in, s))
	switch s.Void {
	case 0:
		fmt.Fprintf(w, "Every run gave a forecast.\n")
	default:
		fmt.Fprintf(w, "%d %s gave no forecast (fewer than two actors left, or none caring about the dimension).\n", s.Void, plural(s.Void, "run", "runs"))
	}
	if len(s.Stops) > 0 {
		parts := make([]string, len(s.Stops))
		for i, st := range s.Stops {
			parts[i] = fmt.Sprintf("%s %d", st.Label, st.Runs)
		}
		fmt.Fprintf(w, "Runs ended: %s (unperturbed: %s).\n", strings.Join(parts, ", "), s.DetStop)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "DIMENSION\tFORECAST\tUNPERTURBED\tRUNS\tMEAN\tSD\tMIN\t5%%\t25%%\tMEDIAN\t75%%\t95%%\tMAX\tNONE\t\n")
	for q, st := range s.Stats {
		dim, name := quantityName(s, q)
		if dim == "" {
			dim = "-"
		}
		fx := mcFormat(in, s, q)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t", dim, name, fx(s.Deterministic[q]), st.Count(), fx(st.Mean()), fx(st.SD()), fx(st.Min()))
		for _, p := range mcQuantiles {
			fmt.Fprintf(tw, "%s\t", fx(st.Quantile(p)))
		}
		fmt.Fprintf(tw, "%s\t%d\t\n", fx(st.Max()), st.None())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nQuantiles are exact where the runs' values in their bin of a fine grid are equal, and within one bin width otherwise.\n")
	fmt.Fprintf(w, "NONE: runs that gave a forecast but no value here (no Condorcet winner, no actor caring about the dimension).\n")
	for q, st := range s.Stats {
		dim, name := quantityName(s, q)
		title := name
		if dim != "" {
			title = dim + ", " + name
		}
		bins := st.Histogram(15)
		if len(bins) == 0 {
			fmt.Fprintf(w, "\n%s: no value in any run.\n", title)
			continue
		}
		fmt.Fprintf(w, "\n%s (%d runs):\n", title, st.Count())
		most := 0
		labels := make([]string, len(bins))
		lw, cw := 0, 0
		for i, b := range bins {
			most = max(most, b.Count)
			labels[i] = fmt.Sprintf("[%s, %s)", fmtG(b.Lo), fmtG(b.Hi))
			if b.Lo == b.Hi {
				labels[i] = fmtG(b.Lo)
			}
			lw, cw = max(lw, len(labels[i])), max(cw, len(strconv.Itoa(b.Count)))
		}
		for i, b := range bins {
			bar := strings.Repeat("#", int(math.Round(40*float64(b.Count)/float64(most))))
			if bar != "" {
				bar = "  " + bar
			}
			if _, err := fmt.Fprintf(w, "  %-*s  %*d%s\n", lw, labels[i], cw, b.Count, bar); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeMCCSV writes one row per statistic: dimension, forecast,
// statistic, value, and for histogram bins their bounds.
func writeMCCSV(w io.Writer, s *uncertainty.Summary) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"dimension", "forecast", "statistic", "value", "lo", "hi"})
	cw.Write([]string{"", "", "runs", strconv.Itoa(s.Runs), "", ""})
	cw.Write([]string{"", "", "no forecast", strconv.Itoa(s.Void), "", ""})
	for _, st := range s.Stops {
		cw.Write([]string{"", "", "ended " + st.Label, strconv.Itoa(st.Runs), "", ""})
	}
	num := func(v float64) string {
		if math.IsNaN(v) {
			return ""
		}
		return fmtG(v)
	}
	for q, st := range s.Stats {
		dim, name := quantityName(s, q)
		row := func(stat, value string) { cw.Write([]string{dim, name, stat, value, "", ""}) }
		row("unperturbed", num(s.Deterministic[q]))
		row("count", strconv.Itoa(st.Count()))
		row("none", strconv.Itoa(st.None()))
		row("mean", num(st.Mean()))
		row("sd", num(st.SD()))
		row("min", num(st.Min()))
		for _, p := range mcQuantiles {
			row("q"+fmtG(p), num(st.Quantile(p)))
		}
		row("max", num(st.Max()))
		row("bin width", num(st.BinWidth()))
		for _, b := range st.Histogram(30) {
			cw.Write([]string{dim, name, "bin", strconv.Itoa(b.Count), fmtG(b.Lo), fmtG(b.Hi)})
		}
	}
	cw.Flush()
	return cw.Error()
}

type mcBinJSON struct {
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
	Count int     `json:"count"`
}

type mcQuantityJSON struct {
	Dimension   string             `json:"dimension,omitempty"`
	Forecast    string             `json:"forecast"`
	Unperturbed *float64           `json:"unperturbed"`
	Count       int                `json:"count"`
	None        int                `json:"none"`
	Mean        *float64           `json:"mean"`
	SD          *float64           `json:"sd"`
	Min         *float64           `json:"min"`
	Max         *float64           `json:"max"`
	Quantiles   map[string]float64 `json:"quantiles"`
	BinWidth    float64            `json:"bin_width"`
	Histogram   []mcBinJSON        `json:"histogram"`
}

type mcStopJSON struct {
	Label string `json:"label"`
	Runs  int    `json:"runs"`
}

func writeMCJSON(w io.Writer, in *forecast.Input, source string, s *uncertainty.Summary, opts map[string]any) error {
	ptr := func(v float64) *float64 {
		if math.IsNaN(v) {
			return nil
		}
		return &v
	}
	doc := struct {
		Input        inputJSON          `json:"input"`
		Model        string             `json:"model"`
		Options      map[string]any     `json:"options"`
		Runs         int                `json:"runs"`
		Seed         uint64             `json:"seed"`
		Perturbation map[string]float64 `json:"perturbation"`
		NoForecast   int                `json:"no_forecast"`
		Stops        []mcStopJSON       `json:"stops,omitempty"`
		Unperturbed  string             `json:"unperturbed_stop,omitempty"`
		Forecasts    []mcQuantityJSON   `json:"forecasts"`
	}{Input: describeInputJSON(in, source), Model: s.Model, Options: opts, Runs: s.Runs, Seed: s.Seed,
		Perturbation: map[string]float64{"position": s.Perturbation.Position, "salience": s.Perturbation.Salience, "drop": s.Perturbation.Drop},
		NoForecast:   s.Void, Unperturbed: s.DetStop}
	for _, st := range s.Stops {
		doc.Stops = append(doc.Stops, mcStopJSON{Label: st.Label, Runs: st.Runs})
	}
	for q, st := range s.Stats {
		dim, name := quantityName(s, q)
		j := mcQuantityJSON{Dimension: dim, Forecast: name, Unperturbed: ptr(s.Deterministic[q]), Count: st.Count(), None: st.None(),
			Mean: ptr(st.Mean()), SD: ptr(st.SD()), Min: ptr(st.Min()), Max: ptr(st.Max()), Quantiles: map[string]float64{},
			BinWidth: st.BinWidth(), Histogram: []mcBinJSON{}}
		if st.Count() > 0 {
			for _, p := range mcQuantiles {
				j.Quantiles[fmtG(p)] = st.Quantile(p)
			}
		}
		for _, b := range st.Histogram(30) {
			j.Histogram = append(j.Histogram, mcBinJSON{Lo: b.Lo, Hi: b.Hi, Count: b.Count})
		}
		doc.Forecasts = append(doc.Forecasts, j)
	}
	return writeJSON(w, doc)
}
