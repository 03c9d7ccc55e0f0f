package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/parleyhq/parley/forecast"
	"github.com/parleyhq/parley/forecast/baseline"
	"github.com/parleyhq/parley/forecast/bdm"
	"github.com/parleyhq/parley/forecast/chart"
	"github.com/parleyhq/parley/forecast/smp"
)

// FormatKTAB is the layout of the summary KTAB's smpc prints (smp only).
const FormatKTAB Format = "ktab"

// forecastModels lists the values of --model, in the order help shows them.
var forecastModels = []string{"baselines", "mean", "median", "condorcet", "bdm", "smp"}

// forecastFlags are the flags of the forecast command.
type forecastFlags struct {
	model       string
	inputFormat string
	trace       bool
	format      Format
	output      string
	weights     string
	ballot      string
	smpOpts     []string
	bdmOpts     []string
	bdmPreset   string
	dimension   string
	seed        uint64
	maxTurns    int
	stopRatio   float64
	chart       string
	// Monte Carlo over the inputs
	runs            int
	perturb         float64
	perturbSalience float64
	drop            float64
	workers         int
}

func newForecastCmd(env *Env) *cobra.Command {
	var f forecastFlags
	cmd := &cobra.Command{
		Use:     "forecast FILE [--model baselines|mean|median|condorcet|bdm|smp] [--trace] [--runs N --perturb X [--drop P]]",
		GroupID: groupWorkbench,
		Short:   "Forecast where stakeholders settle: baselines, the expected-utility model and KTAB's SMP",
		Long: `Forecast reads the stakeholders of an issue — each with a capability and, per
dimension, a position and a salience — and forecasts where they settle.

FILE is a KTAB SMP file (CSV or XML), a CSV table with the columns Actor,
Capability, Position and Salience, or parley's YAML form; - reads standard
input. The format follows from the file's name and content, or --input-format.

Models (--model):
  baselines  the three below, side by side (default)
  mean       the capability × salience weighted mean of each dimension
  median     the weighted median of each dimension
  condorcet  the position that wins every pairwise vote, where one exists
  bdm        Bueno de Mesquita's expected-utility model (one dimension), as
             reconstructed by Scholz, Calbert & Smith (2011), round by round
  smp        KTAB's Spatial Model of Politics, turn by turn until it settles

The bdm model's open choices are options: --bdm NAME=VALUE (repeatable) sets
reference, probability, votes, perspective, accept, range, q, t, max-rounds or
epsilon; --bdm-preset masad or mckibben reproduces those replications. On a
file with several dimensions, --dimension names the one to model.

The SMP takes KTAB's defaults; a KTAB XML file's ModelParameters change them,
and --smp NAME=VALUE (KTAB's names, repeatable) changes them again. With the
default deterministic transitions it reproduces KTAB's runs exactly; the
stochastic ones are drawn from --seed. --trace adds every challenge, bargain
and choice of every turn (bdm: every proposal and move of every round). --format ktab prints the SMP run in the layout of
KTAB's own summary. --chart FILE.svg or FILE.png draws every actor's
position over the rounds (bdm) or turns (smp).

--runs N runs the model N times on perturbed copies of the input and reports
the distribution of its forecast (mean, sd, quantiles, histogram): every
position moves uniformly within ±X of its dimension's scale (--perturb X,
clipped to the scale), every salience within ±X on the 0-1 scale
(--perturb-salience, default X; clipped to 0-1, an actor's saliences scaled
down to sum to at most 1), and each actor stays away with probability
--drop P. Run n is seeded from (--seed, n), so the numbers do not depend on
--workers. With --runs, --chart draws the histograms. docs/forecasting.md
has every option.`,
		Example: `  parley forecast eu_emissions.csv
  parley forecast dummyData_3Dim.csv --model smp
  parley forecast SOE-Pol-Comp.csv --model smp --format ktab
  parley forecast smpExample.xml --model smp --smp StateTransitions=Deterministic --trace
  parley forecast issue.yaml --model median --weights capability --format json
  parley forecast eu_emissions.csv --model bdm --bdm accept=highest-eu --trace
  parley forecast eu_emissions.csv --model bdm --bdm-preset mckibben --bdm max-rounds=10
  parley forecast SOE-Pol-Comp.csv --model smp --chart soe.svg
  parley forecast eu_emissions.csv --runs 10000 --perturb 0.1 --drop 0.05 --chart eu.png
  parley forecast SOE-Pol-Comp.csv --model smp --runs 1000 --perturb 0.05 --seed 7 --format json`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runForecast(cmd, env, args[0], &f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.model, "model", "baselines", "the model: "+strings.Join(forecastModels, "|"))
	fl.StringVar(&f.inputFormat, "input-format", "", "read FILE as "+formatNames()+" (default: from its name and content)")
	fl.BoolVar(&f.trace, "trace", false, "bdm and smp: show what happens in every round or turn")
	fl.StringVar(&f.weights, "weights", string(baseline.CapabilitySalience), "baselines: weigh actors by capability-salience or capability")
	fl.StringVar(&f.ballot, "ballot", string(baseline.Proportional), "condorcet: proportional (vote in proportion to the distance saved) or majority")
	fl.StringArrayVar(&f.smpOpts, "smp", nil, "smp: set a KTAB model parameter, as `NAME=VALUE` (repeatable), e.g. VotingRule=PropCbc")
	fl.StringArrayVar(&f.bdmOpts, "bdm", nil, "bdm: set an option, as `NAME=VALUE` (repeatable), e.g. accept=highest-eu or q=0.9")
	fl.StringVar(&f.bdmPreset, "bdm-preset", "default", "bdm: start from the options of default, masad or mckibben")
	fl.StringVar(&f.dimension, "dimension", "", "bdm: the `NAME` of the dimension to model (needed when the file has several)")
	fl.Uint64Var(&f.seed, "seed", smp.DefaultSeed, "smp: seed of the stochastic transitions (default KTAB's, or the XML file's); with --runs: the master seed (default 1)")
	fl.Lookup("seed").DefValue = "0" // the usage says the defaults; pflag shows none for "0"
	fl.IntVar(&f.maxTurns, "max-turns", 100, "smp: stop after this many turns at most")
	fl.Float64Var(&f.stopRatio, "stop-ratio", 0.02, "smp: stop when a turn moves the positions less than this fraction of the first turn's move")
	fl.StringVar(&f.chart, "chart", "", "also draw a chart to this `FILE`, .svg or .png: bdm and smp positions over the rounds, or with --runs the histograms")
	fl.IntVar(&f.runs, "runs", 0, "run the model this many times on perturbed inputs and report the distribution of the forecast")
	fl.Float64Var(&f.perturb, "perturb", 0, "with --runs: move each position uniformly within ±`X` of its dimension's scale (and each salience, see --perturb-salience)")
	fl.Float64Var(&f.perturbSalience, "perturb-salience", 0, "with --runs: move each salience uniformly within ±`X` on the 0-1 scale (default: --perturb)")
	fl.Float64Var(&f.drop, "drop", 0, "with --runs: leave each actor out of a run with probability `P`")
	fl.IntVar(&f.workers, "workers", 0, "with --runs: goroutines to use (0: every core); never changes the numbers")
	addFormatFlag(cmd, &f.format, FormatText, FormatText, FormatCSV, FormatJSON, FormatKTAB)
	addOutputFlag(cmd, &f.output)
	return cmd
}

func formatNames() string {
	s := make([]string, len(forecast.Formats))
	for i, f := range forecast.Formats {
		s[i] = string(f)
	}
	return strings.Join(s, "|")
}

func runForecast(cmd *cobra.Command, env *Env, arg string, f *forecastFlags) error {
	model := strings.ToLower(f.model)
	known := false
	for _, m := range forecastModels {
		known = known || m == model
	}
	if !known {
		return UsageErrorf("unknown model %q; use one of %s", f.model, strings.Join(forecastModels, ", "))
	}
	changed := cmd.Flags().Changed
	mc := changed("runs")
	only := map[string][]string{
		"smp": {"smp", "seed", "max-turns", "stop-ratio"},
		"bdm": {"bdm", "bdm-preset", "dimension"},
	}
	for _, m := range []string{"bdm", "smp"} {
		if model == m {
			continue
		}
		for _, name := range only[m] {
			if name == "seed" && mc {
				continue
			}
			if changed(name) {
				if name == "seed" {
					return UsageErrorf("--seed applies to --model smp only (or, with --runs, to any model)")
				}
				return UsageErrorf("--%s applies to --model %s only", name, m)
			}
		}
	}
	if err := checkMCFlags(f, changed); err != nil {
		return err
	}
	if f.chart != "" {
		if ext := strings.ToLower(filepath.Ext(f.chart)); ext != ".svg" && ext != ".png" {
			return UsageErrorf("--chart %s: the file must end in .svg or .png, which says what to draw", f.chart)
		}
		if !mc && model != "bdm" && model != "smp" {
			return UsageErrorf("--chart draws the positions of --model bdm and smp, or with --runs the distribution of any model's forecast")
		}
	}
	if changed("trace") && model != "smp" && model != "bdm" {
		return UsageErrorf("--trace applies to --model bdm and smp only")
	}
	if f.format == FormatKTAB && model != "smp" {
		return UsageErrorf("--format ktab applies to --model smp only")
	}
	if model == "smp" || model == "bdm" {
		for _, name := range []string{"weights", "ballot"} {
			if changed(name) {
				return UsageErrorf("--%s applies to the baselines, not to --model %s", name, model)
			}
		}
	}
	var inFormat forecast.Format
	if f.inputFormat != "" {
		var err error
		if inFormat, err = forecast.ParseFormat(f.inputFormat); err != nil {
			return UsageError(err)
		}
	}
	in, source, err := loadForecastInput(env, arg, inFormat)
	if err != nil {
		return err
	}
	var out bytes.Buffer
	var drawing *chart.Chart
	if mc {
		if drawing, err = runForecastMC(cmd, env, in, source, model, f, &out); err != nil {
			return err
		}
	} else if model == "bdm" {
		res, err := runBDM(cmd, in, source, f)
		if err != nil {
			return err
		}
		if f.chart != "" {
			drawing = chart.BDM(res, fmt.Sprintf("Expected-utility model on %s: positions by round", filepath.Base(source)))
		}
		switch f.format {
		case FormatCSV:
			err = writeBDMCSV(&out, res)
		case FormatJSON:
			err = writeBDMJSON(&out, in, source, res, f.trace)
		default:
			err = writeBDMText(&out, in, source, res, f.trace)
		}
		if err != nil {
			return err
		}
	} else if model == "smp" {
		opt, err := smpOptions(in, f, changed("seed"))
		if err != nil {
			return err
		}
		opt.Trace = f.trace
		res, err := smp.Run(cmd.Context(), in, opt)
		if errors.Is(err, smp.ErrScale) {
			return UsageErrorf("%s: %v", source, err)
		}
		if err != nil {
			return err
		}
		if f.chart != "" {
			drawing = chart.SMP(res, fmt.Sprintf("Spatial Model of Politics on %s: positions by turn", filepath.Base(source)))
		}
		switch f.format {
		case FormatKTAB:
			err = smp.WriteKTABSummary(&out, res)
		case FormatCSV:
			err = writeSMPCSV(&out, res)
		case FormatJSON:
			err = writeSMPJSON(&out, in, source, res)
		default:
			err = writeSMPText(&out, in, source, res)
		}
		if err != nil {
			return err
		}
	} else {
		w, b, err := baselineChoices(f)
		if err != nil {
			return err
		}
		fs, err := baseline.All(in, w, b)
		if err != nil {
			return UsageErrorf("%s: %v", source, err)
		}
		cols := baselineColumns(model)
		switch f.format {
		case FormatCSV:
			err = writeBaselinesCSV(&out, fs, cols)
		case FormatJSON:
			err = writeBaselinesJSON(&out, in, source, fs, cols, w, b)
		default:
			err = writeBaselinesText(&out, in, source, fs, cols, w, b)
		}
		if err != nil {
			return err
		}
	}
	files := map[string][]byte{}
	if drawing != nil {
		var img bytes.Buffer
		write := drawing.WriteSVG
		if strings.EqualFold(filepath.Ext(f.chart), ".png") {
			write = drawing.WritePNG
		}
		if err := write(&img); err != nil {
			return err
		}
		files[f.chart] = img.Bytes()
	}
	return writeAll(env, f.output, out.Bytes(), files)
}

// baselineChoices reads --weights and --ballot.
func baselineChoices(f *forecastFlags) (baseline.Weights, baseline.Ballot, error) {
	w := baseline.Weights(f.weights)
	if w != baseline.CapabilitySalience && w != baseline.CapabilityOnly {
		return "", "", UsageErrorf("unknown --weights %q; use %s or %s", f.weights, baseline.CapabilitySalience, baseline.CapabilityOnly)
	}
	b := baseline.Ballot(f.ballot)
	if b != baseline.Proportional && b != baseline.Majority {
		return "", "", UsageErrorf("unknown --ballot %q; use %s or %s", f.ballot, baseline.Proportional, baseline.Majority)
	}
	return w, b, nil
}

// baselineColumns lists the baselines --model names.
func baselineColumns(model string) []string {
	if model == "baselines" {
		return []string{"mean", "median", "condorcet"}
	}
	return []string{model}
}

// smpOptions builds the SMP's options: KTAB's defaults, the XML file's
// parameters and seed, --smp, --max-turns, --stop-ratio and, when
// useSeed, --seed.
func smpOptions(in *forecast.Input, f *forecastFlags, useSeed bool) (smp.Options, error) {
	opt, err := smp.FromInput(in)
	if err != nil {
		return opt, UsageError(err)
	}
	for _, s := range f.smpOpts {
		name, value, ok := strings.Cut(s, "=")
		if !ok {
			return opt, UsageErrorf("--smp wants NAME=VALUE, got %q", s)
		}
		if err := opt.Set(strings.TrimSpace(name), strings.TrimSpace(value)); err != nil {
			return opt, UsageErrorf("--smp %s: %v", s, err)
		}
	}
	if useSeed {
		opt.Seed = f.seed
	}
	if f.maxTurns < 1 {
		return opt, UsageErrorf("--max-turns must be at least 1, got %d", f.maxTurns)
	}
	if !(f.stopRatio >= 0) || math.IsInf(f.stopRatio, 0) {
		return opt, UsageErrorf("--stop-ratio must be a number, 0 or more, got %g", f.stopRatio)
	}
	opt.MaxTurns = f.maxTurns
	opt.MinTurns = min(opt.MinTurns, opt.MaxTurns)
	opt.StopRatio = f.stopRatio
	return opt, nil
}

// loadForecastInput reads FILE (or standard input for -); every problem
// with it is a usage error.
func loadForecastInput(env *Env, arg string, format forecast.Format) (*forecast.Input, string, error) {
	var data []byte
	name := arg
	if arg == stdinArg {
		var err error
		data, err = io.ReadAll(io.LimitReader(env.Stdin, maxStdinBytes))
		if err != nil {
			return nil, "", fmt.Errorf("reading standard input: %w", err)
		}
		name = stdinName
	} else {
		fi, err := os.Stat(env.path(arg))
		if err != nil {
			return nil, "", UsageErrorf("cannot read %s: %v", arg, unwrapPathError(err))
		}
		if fi.IsDir() {
			return nil, "", UsageErrorf("%s is a directory, not an input file", arg)
		}
		if data, err = os.ReadFile(env.path(arg)); err != nil {
			return nil, "", UsageErrorf("cannot read %s: %v", arg, unwrapPathError(err))
		}
	}
	in, err := forecast.Read(name, data, format)
	if err != nil {
		var fe *forecast.Error
		if errors.As(err, &fe) && len(fe.Problems) > 1 {
			return nil, "", UsageError(fmt.Errorf("%s is not a valid input (%d problems):\n%w", name, len(fe.Problems), err))
		}
		return nil, "", UsageError(err)
	}
	return in, name, nil
}

// decimals is how many decimals show a position on a dimension: one on a
// 0-100 scale, as KTAB prints, more on narrower ones.
func decimals(d forecast.Dimension, in *forecast.Input, k int) int {
	span := d.Max - d.Min
	if !d.Bounded {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, a := range in.Actors {
			lo, hi = math.Min(lo, a.Position[k]), math.Max(hi, a.Position[k])
		}
		span = hi - lo
	}
	if !(span > 0) {
		return 1
	}
	return max(1, min(6, 1+int(math.Ceil(-math.Log10(span/100)))))
}

func describeInput(in *forecast.Input, source string) string {
	name := ""
	if in.Name != "" {
		name = " (" + in.Name + ")"
	}
	return fmt.Sprintf("%s%s: %d actors, %d %s", source, name, len(in.Actors), len(in.Dimensions), plural(len(in.Dimensions), "dimension", "dimensions"))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// --- baselines ---

func baselineValue(f baseline.Forecast, col string) (float64, bool) {
	switch col {
	case "mean":
		return f.Mean, true
	case "median":
		return f.Median, true
	}
	return f.Condorcet.Winner, f.Condorcet.Found
}

func writeBaselinesText(w io.Writer, in *forecast.Input, source string, fs []baseline.Forecast, cols []string, wt baseline.Weights, b baseline.Ballot) error {
	weights := "capability × salience"
	if wt == baseline.CapabilityOnly {
		weights = "capability"
	}
	fmt.Fprintf(w, "Baseline forecasts for %s\n", describeInput(in, source))
	fmt.Fprintf(w, "Actors weighted by %s", weights)
	for _, c := range cols {
		if c == "condorcet" {
			fmt.Fprintf(w, "; pairwise votes %s", b)
		}
	}
	fmt.Fprintf(w, ".\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "DIMENSION\t")
	for _, c := range cols {
		fmt.Fprintf(tw, "%s\t", strings.ToUpper(c))
	}
	fmt.Fprintln(tw)
	for _, f := range fs {
		fmt.Fprintf(tw, "%s\t", f.Dimension)
		for _, c := range cols {
			v, ok := baselineValue(f, c)
			switch {
			case !ok:
				fmt.Fprintf(tw, "none\t")
			case c == "mean":
				fmt.Fprintf(tw, "%.6f\t", v)
			default:
				fmt.Fprintf(tw, "%s\t", fmtG(v))
			}
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, c := range cols {
		if c == "condorcet" {
			_, err := fmt.Fprintln(w, "\nCONDORCET: the position held by an actor that wins a pairwise vote against every other one; none when no position does.")
			return err
		}
	}
	return nil
}

func writeBaselinesCSV(w io.Writer, fs []baseline.Forecast, cols []string) error {
	cw := csv.NewWriter(w)
	cw.Write(append([]string{"dimension"}, cols...))
	for _, f := range fs {
		row := []string{f.Dimension}
		for _, c := range cols {
			v, ok := baselineValue(f, c)
			if ok {
				row = append(row, fmtG(v))
			} else {
				row = append(row, "")
			}
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

type baselineJSON struct {
	Dimension string       `json:"dimension"`
	Mean      *float64     `json:"mean,omitempty"`
	Median    *float64     `json:"median,omitempty"`
	Condorcet *condorcetJS `json:"condorcet,omitempty"`
}

type condorcetJS struct {
	Winner     *float64  `json:"winner"`
	Candidates []float64 `json:"candidates"`
}

func writeBaselinesJSON(w io.Writer, in *forecast.Input, source string, fs []baseline.Forecast, cols []string, wt baseline.Weights, b baseline.Ballot) error {
	doc := struct {
		Input     inputJSON      `json:"input"`
		Weights   string         `json:"weights"`
		Ballot    string         `json:"ballot,omitempty"`
		Forecasts []baselineJSON `json:"forecasts"`
	}{Input: describeInputJSON(in, source), Weights: string(wt)}
	for _, f := range fs {
		j := baselineJSON{Dimension: f.Dimension}
		for _, c := range cols {
			switch c {
			case "mean":
				j.Mean = &f.Mean
			case "median":
				j.Median = &f.Median
			case "condorcet":
				doc.Ballot = string(b)
				cj := &condorcetJS{Candidates: f.Condorcet.Candidates}
				if f.Condorcet.Found {
					cj.Winner = &f.Condorcet.Winner
				}
				j.Condorcet = cj
			}
		}
		doc.Forecasts = append(doc.Forecasts, j)
	}
	return writeJSON(w, doc)
}

type inputJSON struct {
	Source     string   `json:"source"`
	Name       string   `json:"name,omitempty"`
	Format     string   `json:"format"`
	Actors     []string `json:"actors"`
	Dimensions []string `json:"dimensions"`
}

func describeInputJSON(in *forecast.Input, source string) inputJSON {
	j := inputJSON{Source: source, Name: in.Name, Format: string(in.Format), Dimensions: in.DimensionNames()}
	for _, a := range in.Actors {
		j.Actors = append(j.Actors, a.Name)
	}
	return j
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// --- smp ---

func smpOptionsLine(o smp.Options) string {
	parts := make([]string, 0, len(smp.ParameterNames))
	for _, p := range smp.ParameterNames {
		parts = append(parts, p+"="+o.Get(p))
	}
	return strings.Join(parts, " ")
}

func coordText(p []float64, dec []int) string {
	s := make([]string, len(p))
	for k, x := range p {
		s[k] = strconv.FormatFloat(x, 'f', dec[k], 64)
	}
	return "(" + strings.Join(s, ", ") + ")"
}

func writeSMPText(w io.Writer, in *forecast.Input, source string, res *smp.Result) error {
	o := res.Options
	turns := len(res.States) - 1
	dec := make([]int, len(in.Dimensions))
	for k, d := range in.Dimensions {
		dec[k] = decimals(d, in, k)
	}
	fmt.Fprintf(w, "Spatial Model of Politics (KTAB-compatible) on %s\n", describeInput(in, source))
	fmt.Fprintf(w, "Options: %s", smpOptionsLine(o))
	if o.Transitions == smp.Stochastic {
		fmt.Fprintf(w, " seed=%d", o.Seed)
	}
	fmt.Fprintln(w)
	last := res.Changes[len(res.Changes)-1]
	if turns >= o.MaxTurns && !(last < o.StopRatio) {
		fmt.Fprintf(w, "Stopped at the cap of %d turns; the last turn moved the positions %.4f times as far as the first (target %.4f).\n\n", turns, last, o.StopRatio)
	} else {
		fmt.Fprintf(w, "Settled after %d turns: the last turn moved the positions %.4f times as far as the first (target %.4f).\n\n", turns, last, o.StopRatio)
	}

	final := res.States[turns]
	fmt.Fprintf(w, "Positions after turn %d, and the probability that each actor's position wins:\n", turns)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "ACTOR\t")
	for _, d := range res.Dimensions {
		fmt.Fprintf(tw, "%s\t", d)
	}
	fmt.Fprintf(tw, "PROB\t\n")
	for i, a := range res.Actors {
		fmt.Fprintf(tw, "%s\t", a)
		for k, x := range final.Positions[i] {
			fmt.Fprintf(tw, "%.*f\t", dec[k], x)
		}
		fmt.Fprintf(tw, "%.4f\t\n", final.Prob[i])
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nPositions by turn (turn 0 is the start):\n")
	tw = tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "ACTOR\tDIMENSION\t")
	for t := range res.States {
		fmt.Fprintf(tw, "%d\t", t)
	}
	fmt.Fprintln(tw)
	for i, a := range res.Actors {
		for k, d := range res.Dimensions {
			fmt.Fprintf(tw, "%s\t%s\t", a, d)
			for _, s := range res.States {
				fmt.Fprintf(tw, "%.*f\t", dec[k], s.Positions[i][k])
			}
			fmt.Fprintln(tw)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(w, "\nProbability that each actor's position wins, by turn:\n")
	tw = tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "ACTOR\t")
	for t := range res.States {
		fmt.Fprintf(tw, "%d\t", t)
	}
	fmt.Fprintln(tw)
	for i, a := range res.Actors {
		fmt.Fprintf(tw, "%s\t", a)
		for _, s := range res.States {
			fmt.Fprintf(tw, "%.4f\t", s.Prob[i])
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	if len(res.Turns) > 0 {
		name := func(i int) string { return res.Actors[i] }
		for k := range dec {
			dec[k]++ // bargains are rounded finer than KTAB prints positions
		}
		for t, tr := range res.Turns {
			fmt.Fprintf(w, "\nTurn %d (change %.4f)\n", t+1, res.Changes[t])
			if len(tr.Challenges) == 0 {
				fmt.Fprintf(w, "  no actor has an advantageous target\n")
			}
			for _, c := range tr.Challenges {
				fmt.Fprintf(w, "  %s challenges %s: p(win) %.4f, gain %+.4f; %s sees p %.4f, gain to %s %+.4f\n",
					name(c.Initiator), name(c.Target), c.ByInitiator.Prob, c.ByInitiator.Gain,
					name(c.Target), c.ByTarget.Prob, name(c.Initiator), c.ByTarget.Gain)
				for _, b := range c.Bargains {
					fmt.Fprintf(w, "    bargain #%d: %s to %s, %s to %s\n", b.ID,
						name(b.Initiator), coordText(b.ForInitiator, dec), name(b.Target), coordText(b.ForTarget, dec))
				}
			}
			for _, c := range tr.Choices {
				id := c.Options[c.Chosen]
				what := "keeps its position"
				if id != 0 {
					what = fmt.Sprintf("takes bargain #%d", id)
				}
				fmt.Fprintf(w, "  %s %s (p %.4f among %d) -> %s\n", name(c.Actor), what, c.Probs[c.Chosen], len(c.Options),
					coordText(res.States[t+1].Positions[c.Actor], dec))
			}
		}
	}
	return nil
}

// writeSMPCSV writes one row per turn, actor and dimension.
func writeSMPCSV(w io.Writer, res *smp.Result) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"turn", "actor", "dimension", "position", "ideal", "risk", "prob"})
	for t, s := range res.States {
		for i, a := range res.Actors {
			for k, d := range res.Dimensions {
				cw.Write([]string{strconv.Itoa(t), a, d, fmtG(s.Positions[i][k]), fmtG(s.Ideals[i][k]), fmtG(s.Risk[i]), fmtG(s.Prob[i])})
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

type smpStateJSON struct {
	Turn   int                 `json:"turn"`
	Change *float64            `json:"change,omitempty"`
	Actors []smpActorStateJSON `json:"actors"`
	// Trace is what happened in the turn that led to this state.
	Trace *smpTraceJSON `json:"trace,omitempty"`
}

type smpTraceJSON struct {
	Challenges []smpChallengeJSON `json:"challenges"`
	Choices    []smpChoiceJSON    `json:"choices"`
}

type smpEstimateJSON struct {
	Prob       float64 `json:"prob"`
	Gain       float64 `json:"gain"`
	TargetGain float64 `json:"target_gain"`
}

type smpBargainJSON struct {
	ID                int       `json:"id"`
	InitiatorPosition []float64 `json:"initiator_position"`
	TargetPosition    []float64 `json:"target_position"`
}

type smpChallengeJSON struct {
	Initiator   string           `json:"initiator"`
	Target      string           `json:"target"`
	ByInitiator smpEstimateJSON  `json:"by_initiator"`
	ByTarget    smpEstimateJSON  `json:"by_target"`
	Bargains    []smpBargainJSON `json:"bargains"`
}

type smpChoiceJSON struct {
	Actor   string    `json:"actor"`
	Options []int     `json:"options"`
	Probs   []float64 `json:"probs"`
	Chosen  int       `json:"chosen"`
}

func smpTraceOf(res *smp.Result, tr smp.Turn) *smpTraceJSON {
	est := func(e smp.Estimate) smpEstimateJSON {
		return smpEstimateJSON{Prob: e.Prob, Gain: e.Gain, TargetGain: e.TargetGain}
	}
	out := &smpTraceJSON{Challenges: []smpChallengeJSON{}, Choices: []smpChoiceJSON{}}
	for _, c := range tr.Challenges {
		cj := smpChallengeJSON{Initiator: res.Actors[c.Initiator], Target: res.Actors[c.Target],
			ByInitiator: est(c.ByInitiator), ByTarget: est(c.ByTarget)}
		for _, b := range c.Bargains {
			cj.Bargains = append(cj.Bargains, smpBargainJSON{ID: b.ID, InitiatorPosition: b.ForInitiator, TargetPosition: b.ForTarget})
		}
		out.Challenges = append(out.Challenges, cj)
	}
	for _, c := range tr.Choices {
		out.Choices = append(out.Choices, smpChoiceJSON{Actor: res.Actors[c.Actor], Options: c.Options, Probs: c.Probs, Chosen: c.Options[c.Chosen]})
	}
	return out
}

type smpActorStateJSON struct {
	Actor    string    `json:"actor"`
	Position []float64 `json:"position"`
	Ideal    []float64 `json:"ideal"`
	Risk     float64   `json:"risk"`
	Prob     float64   `json:"prob"`
}

func writeSMPJSON(w io.Writer, in *forecast.Input, source string, res *smp.Result) error {
	opts := map[string]string{}
	for _, p := range smp.ParameterNames {
		opts[p] = res.Options.Get(p)
	}
	doc := struct {
		Input     inputJSON         `json:"input"`
		Model     string            `json:"model"`
		Options   map[string]string `json:"options"`
		Seed      uint64            `json:"seed"`
		MaxTurns  int               `json:"max_turns"`
		StopRatio float64           `json:"stop_ratio"`
		Turns     int               `json:"turns"`
		States    []smpStateJSON    `json:"states"`
	}{Input: describeInputJSON(in, source), Model: "smp", Options: opts, Seed: res.Options.Seed,
		MaxTurns: res.Options.MaxTurns, StopRatio: res.Options.StopRatio, Turns: len(res.States) - 1}
	for t, s := range res.States {
		sj := smpStateJSON{Turn: t}
		if t > 0 {
			sj.Change = &res.Changes[t-1]
			if len(res.Turns) >= t {
				sj.Trace = smpTraceOf(res, res.Turns[t-1])
			}
		}
		for i, a := range res.Actors {
			sj.Actors = append(sj.Actors, smpActorStateJSON{Actor: a, Position: s.Positions[i], Ideal: s.Ideals[i], Risk: s.Risk[i], Prob: s.Prob[i]})
		}
		doc.States = append(doc.States, sj)
	}
	return writeJSON(w, doc)
}

// --- bdm ---

func runBDM(cmd *cobra.Command, in *forecast.Input, source string, f *forecastFlags) (*bdm.Result, error) {
	opt, err := bdmOptions(in, source, f)
	if err != nil {
		return nil, err
	}
	res, err := bdm.Run(cmd.Context(), in, opt)
	if err != nil {
		return nil, UsageErrorf("%s: %v", source, err)
	}
	return res, nil
}

// bdmOptions builds the expected-utility model's options from
// --bdm-preset, --bdm and --dimension.
func bdmOptions(in *forecast.Input, source string, f *forecastFlags) (bdm.Options, error) {
	opt, ok := bdm.Presets[strings.ToLower(f.bdmPreset)]
	if !ok {
		return opt, UsageErrorf("unknown --bdm-preset %q; use default, masad or mckibben", f.bdmPreset)
	}
	for _, s := range f.bdmOpts {
		name, value, ok := strings.Cut(s, "=")
		if !ok {
			return opt, UsageErrorf("--bdm wants NAME=VALUE, got %q", s)
		}
		if err := opt.Set(name, value); err != nil {
			return opt, UsageErrorf("--bdm %s: %v", s, err)
		}
	}
	if err := opt.Check(); err != nil {
		return opt, UsageErrorf("--bdm: %v", err)
	}
	switch {
	case f.dimension != "":
		opt.Dimension = -1
		for k, d := range in.Dimensions {
			if d.Name == f.dimension {
				opt.Dimension = k
			}
		}
		if opt.Dimension < 0 {
			return opt, UsageErrorf("%s has no dimension %q; it has: %s", source, f.dimension, strings.Join(in.DimensionNames(), ", "))
		}
	case len(in.Dimensions) > 1:
		return opt, UsageErrorf("the bdm model is one-dimensional and %s has %d dimensions; name one with --dimension (%s)",
			source, len(in.Dimensions), strings.Join(in.DimensionNames(), ", "))
	}
	return opt, nil
}

func bdmStopText(res *bdm.Result) string {
	n := len(res.Rounds)
	switch res.Stop {
	case "converged":
		return fmt.Sprintf("Converged after %d %s: no position moved by more than %g times the starting range in the last.", n, plural(n, "round", "rounds"), res.Options.Epsilon)
	case "no range":
		return fmt.Sprintf("Every actor holds the same position after %d %s; nothing is left to negotiate.", n, plural(n, "round", "rounds"))
	}
	return fmt.Sprintf("Stopped at the cap of %d rounds; positions were still moving (the model need not converge).", n)
}

func writeBDMText(w io.Writer, in *forecast.Input, source string, res *bdm.Result, trace bool) error {
	o := res.Options
	k := o.Dimension
	dec := decimals(in.Dimensions[k], in, k)
	fx := func(x float64) string { return strconv.FormatFloat(x, 'f', dec, 64) }
	fmt.Fprintf(w, "Expected-utility model (Bueno de Mesquita, after Scholz, Calbert & Smith 2011) on %s\n", describeInput(in, source))
	fmt.Fprintf(w, "Dimension %s. Options: %s; at most %d rounds, epsilon %g.\n", res.Dimension, o, o.MaxRounds, o.Epsilon)
	fmt.Fprintf(w, "%s\n\n", bdmStopText(res))
	last := res.Median
	lastMean := res.Mean
	if n := len(res.Rounds); n > 0 {
		last, lastMean = res.Rounds[n-1].Median, res.Rounds[n-1].Mean
	}
	fmt.Fprintf(w, "Forecast (capability × salience weighted median): %s at the start, %s after round %d (weighted mean %s, then %s).\n\n",
		fx(res.Median), fx(last), len(res.Rounds), fx(res.Mean), fx(lastMean))

	fmt.Fprintf(w, "Positions by round (round 0 is the start):\n")
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "ACTOR\t0\t")
	for r := range res.Rounds {
		fmt.Fprintf(tw, "%d\t", r+1)
	}
	fmt.Fprintln(tw)
	for i, a := range res.Actors {
		fmt.Fprintf(tw, "%s\t%s\t", a, fx(res.Start[i]))
		for _, r := range res.Rounds {
			fmt.Fprintf(tw, "%s\t", fx(r.Positions[i]))
		}
		fmt.Fprintln(tw)
	}
	fmt.Fprintf(tw, "MEDIAN\t%s\t", fx(res.Median))
	for _, r := range res.Rounds {
		fmt.Fprintf(tw, "%s\t", fx(r.Median))
	}
	fmt.Fprintln(tw)
	fmt.Fprintf(tw, "MEAN\t%s\t", fx(res.Mean))
	for _, r := range res.Rounds {
		fmt.Fprintf(tw, "%s\t", fx(r.Mean))
	}
	fmt.Fprintln(tw)
	if err := tw.Flush(); err != nil {
		return err
	}
	if !trace {
		return nil
	}
	prev := res.Start
	for ri, r := range res.Rounds {
		fmt.Fprintf(w, "\nRound %d (d = %s, reference point %s)\n", ri+1, fmtG(r.Range), fx(r.Reference))
		fmt.Fprintf(w, "  risk exponents:")
		for i, a := range res.Actors {
			fmt.Fprintf(w, " %s %.3f", a, r.Risk[i])
			if i < len(res.Actors)-1 {
				fmt.Fprint(w, ",")
			}
		}
		fmt.Fprintln(w)
		if len(r.Proposals) == 0 {
			fmt.Fprintf(w, "  no actor expects to gain from a challenge\n")
		}
		for _, p := range r.Proposals {
			what := "no move"
			if p.Kind != bdm.NoMove {
				what = "would move " + res.Actors[p.To] + " to " + fx(p.Position)
			}
			fmt.Fprintf(w, "  %s -> %s: %s (EU of sender %+.4f, of receiver %+.4f), %s\n",
				res.Actors[p.From], res.Actors[p.To], p.Kind, p.SenderEU, p.ReceiverEU, what)
		}
		for j, q := range r.Accepted {
			if q < 0 {
				continue
			}
			p := r.Proposals[q]
			fmt.Fprintf(w, "  %s takes %s's %s: %s -> %s\n", res.Actors[j], res.Actors[p.From], p.Kind, fx(prev[j]), fx(r.Positions[j]))
		}
		prev = r.Positions
	}
	return nil
}

func writeBDMCSV(w io.Writer, res *bdm.Result) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"round", "actor", "position", "risk", "median", "mean"})
	for i, a := range res.Actors {
		cw.Write([]string{"0", a, fmtG(res.Start[i]), "", fmtG(res.Median), fmtG(res.Mean)})
	}
	for r, rd := range res.Rounds {
		for i, a := range res.Actors {
			cw.Write([]string{strconv.Itoa(r + 1), a, fmtG(rd.Positions[i]), fmtG(rd.Risk[i]), fmtG(rd.Median), fmtG(rd.Mean)})
		}
	}
	cw.Flush()
	return cw.Error()
}

type bdmProposalJSON struct {
	From       string  `json:"from"`
	To         string  `json:"to"`
	Kind       string  `json:"kind"`
	SenderEU   float64 `json:"sender_eu"`
	ReceiverEU float64 `json:"receiver_eu"`
	Position   float64 `json:"position"`
	Accepted   bool    `json:"accepted"`
}

type bdmRoundJSON struct {
	Round     int               `json:"round"`
	Range     float64           `json:"range"`
	Reference float64           `json:"reference"`
	Positions []float64         `json:"positions"`
	Risk      []float64         `json:"risk,omitempty"`
	Median    float64           `json:"median"`
	Mean      float64           `json:"mean"`
	Proposals []bdmProposalJSON `json:"proposals,omitempty"`
}

func writeBDMJSON(w io.Writer, in *forecast.Input, source string, res *bdm.Result, trace bool) error {
	o := res.Options
	doc := struct {
		Input     inputJSON      `json:"input"`
		Model     string         `json:"model"`
		Dimension string         `json:"dimension"`
		Options   map[string]any `json:"options"`
		Stop      string         `json:"stop"`
		Rounds    []bdmRoundJSON `json:"rounds"`
	}{Input: describeInputJSON(in, source), Model: "bdm", Dimension: res.Dimension, Stop: res.Stop,
		Options: map[string]any{"reference": o.Reference, "probability": o.Probability, "votes": o.Votes, "perspective": o.Perspective,
			"accept": o.Accept, "range": o.Range, "q": o.Q, "t": o.T, "max_rounds": o.MaxRounds, "epsilon": o.Epsilon}}
	doc.Rounds = append(doc.Rounds, bdmRoundJSON{Round: 0, Positions: res.Start, Median: res.Median, Mean: res.Mean})
	for r, rd := range res.Rounds {
		rj := bdmRoundJSON{Round: r + 1, Range: rd.Range, Reference: rd.Reference, Positions: rd.Positions, Risk: rd.Risk, Median: rd.Median, Mean: rd.Mean}
		if trace {
			for q, p := range rd.Proposals {
				rj.Proposals = append(rj.Proposals, bdmProposalJSON{From: res.Actors[p.From], To: res.Actors[p.To], Kind: string(p.Kind),
					SenderEU: p.SenderEU, ReceiverEU: p.ReceiverEU, Position: p.Position, Accepted: rd.Accepted[p.To] == q})
			}
		}
		doc.Rounds = append(doc.Rounds, rj)
	}
	return writeJSON(w, doc)
}
