package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parleyhq/parley/report"
	"github.com/parleyhq/parley/sweep"
	"github.com/parleyhq/parley/sweep/chart"
	"github.com/parleyhq/parley/sweep/sensitivity"
)

func newSensitivityCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "sensitivity",
		GroupID: groupAnalysis,
		Short:   "Measure how a sweep's metrics move with its parameters: tornado, Sobol indices, Morris effects, response curves, heat maps",
		Long: `Sensitivity analyses the rows of a sweep — read from its output with --results,
or computed on the spot by running the sweep.

'analyze' follows the sweep's design: a one-at-a-time (oat) sweep gives each
parameter's swing of each metric (a tornado chart), a saltelli sweep the
first-order and total Sobol indices with bootstrap intervals, a morris sweep
the elementary effects (μ*, μ, σ). 'response' shows a metric against one
parameter, with a band; 'heatmap' shows a metric, or the difference between two
roadmaps, over two parameters. docs/sweeps.md gives the formulas.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newSensitivityAnalyzeCmd(env), newSensitivityResponseCmd(env), newSensitivityHeatmapCmd(env))
	return cmd
}

// resultFlags are the flags shared by the sensitivity commands.
type resultFlags struct {
	results string
	workers int
	chart   string
	output  string
	format  Format
}

func (f *resultFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.results, "results", "", "read the sweep's rows from this `FILE` (its complete output: a CSV or JSONL file, or a Parquet directory) instead of running it")
	fl.IntVar(&f.workers, "workers", 0, "without --results: goroutines to run the sweep with (0: every core)")
	fl.StringVar(&f.chart, "chart", "", "also draw the chart to this `FILE` (.svg or .png)")
	addFormatFlag(cmd, &f.format, FormatText, AllFormats...)
	addOutputFlag(cmd, &f.output)
}

// results loads the sweep and its rows: read from --results, or run.
func (f *resultFlags) load(cmd *cobra.Command, env *Env, arg string) (*sweep.Results, error) {
	if f.workers < 0 {
		return nil, UsageErrorf("--workers must be 0 (every core) or more, got %d", f.workers)
	}
	if f.chart != "" {
		if ext := strings.ToLower(filepath.Ext(f.chart)); ext != ".svg" && ext != ".png" {
			return nil, UsageErrorf("--chart %s: the chart is written as SVG or PNG; name the file .svg or .png", f.chart)
		}
	}
	p, err := loadSweep(env, arg)
	if err != nil {
		return nil, err
	}
	if f.results != "" {
		if fi, err := os.Stat(env.path(f.results)); err == nil && fi.IsDir() {
			res, err := sweep.ReadResultsDir(env.path(f.results), p)
			if err != nil {
				return nil, UsageErrorf("%s is not the complete output of %s: %v", f.results, arg, err)
			}
			return res, nil
		}
		file, err := os.Open(env.path(f.results))
		if err != nil {
			return nil, UsageErrorf("cannot open %s: %v", f.results, unwrapPathError(err))
		}
		defer file.Close()
		res, err := sweep.ReadResults(file, p)
		if err != nil {
			return nil, UsageErrorf("%s is not the complete output of %s: %v", f.results, arg, err)
		}
		return res, nil
	}
	if err := p.Check(cmd.Context(), 0, p.Len()); err != nil {
		return nil, UsageError(fmt.Errorf("%s: %w", arg, err))
	}
	res, add := sweep.NewResults(p)
	opt := sweep.RunOptions{To: p.Len(), Workers: f.workers}
	if bar := newPointBar(env, p.Len()); bar != nil {
		opt.Progress = func(done, total int) { _ = bar.Set(done) }
		defer bar.Finish()
	}
	if err := p.Run(cmd.Context(), opt, add); err != nil {
		return nil, err
	}
	return res, nil
}

// write renders the tables (and the JSON value for --format json) and the
// chart, then writes them all or nothing.
func (f *resultFlags) write(env *Env, tables []*report.Table, js any, c *chart.Canvas) error {
	var out bytes.Buffer
	switch f.format {
	case FormatJSON:
		b, err := json.MarshalIndent(js, "", "  ")
		if err != nil {
			return err
		}
		out.Write(append(b, '\n'))
	case FormatCSV:
		// one CSV: the tables share their header
		for i, t := range tables {
			if i > 0 {
				t = &report.Table{Rows: t.Rows}
				cw := &bytes.Buffer{}
				if err := t.CSV(cw); err != nil {
					return err
				}
				out.Write(bytes.TrimPrefix(cw.Bytes(), []byte("\n")))
				continue
			}
			if err := t.CSV(&out); err != nil {
				return err
			}
		}
	default:
		for i, t := range tables {
			if i > 0 && f.format == FormatText {
				out.WriteString("\n")
			}
			var err error
			if f.format == FormatMarkdown {
				err = t.Markdown(&out)
			} else {
				err = t.Text(&out)
			}
			if err != nil {
				return err
			}
		}
	}
	files := map[string][]byte{}
	if f.chart != "" && c != nil {
		var b bytes.Buffer
		var err error
		if strings.ToLower(filepath.Ext(f.chart)) == ".png" {
			err = c.WritePNG(&b)
		} else {
			err = c.WriteSVG(&b)
		}
		if err != nil {
			return err
		}
		files[f.chart] = b.Bytes()
	}
	return writeAll(env, f.output, out.Bytes(), files)
}

// g formats a number with four significant digits.
func g(x float64) string {
	if math.IsNaN(x) {
		return "—"
	}
	if x == 0 || math.Abs(x) < 5e-13 {
		return "0"
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

func interval(iv sensitivity.Interval) string {
	if iv.Lo == iv.Hi {
		return "—"
	}
	return "[" + g(iv.Lo) + ", " + g(iv.Hi) + "]"
}

func newSensitivityAnalyzeCmd(env *Env) *cobra.Command {
	var f resultFlags
	var metrics []string
	var resamples int
	var level float64
	var seed uint64
	cmd := &cobra.Command{
		Use:   "analyze SWEEP.yaml",
		Short: "One-at-a-time swings, Sobol indices or Morris effects, as the sweep's design calls for",
		Long: `Analyze computes, for each recorded column (or those named with --metric):

  design oat       each parameter's swing: the metric with the parameter at its
                   lowest and highest value, the others at the base (tornado);
  design saltelli  first-order (Saltelli 2010) and total (Jansen) Sobol
                   indices with bootstrap percentile intervals;
  design morris    the elementary effects' μ* (with a bootstrap interval), μ
                   and σ, per unit of each parameter's range.

--chart draws the first column's chart: a tornado, or the indices or μ* with
their intervals.`,
		Example: `  parley sensitivity analyze oat.yaml --metric peace-first/completed --chart tornado.svg
  parley sensitivity analyze sobol.yaml --results sobol.csv --bootstrap 2000
  parley sensitivity analyze morris.yaml --format markdown`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if resamples < 0 {
				return UsageErrorf("--bootstrap must be 0 or more, got %d", resamples)
			}
			if level <= 0 || level >= 1 {
				return UsageErrorf("--level must lie strictly between 0 and 1, got %g", level)
			}
			res, err := f.load(cmd, env, args[0])
			if err != nil {
				return err
			}
			p := res.Plan
			cols, err := res.Columns(metrics)
			if err != nil {
				return UsageError(err)
			}
			bo := sensitivity.BootstrapOptions{Resamples: resamples, Level: level, Seed: seed}
			pct := fmt.Sprintf("%g%%", 100*level)
			var tables []*report.Table
			var js []any
			var canvas *chart.Canvas
			for ci, c := range cols {
				name := p.Columns()[c]
				switch p.Design.Method {
				case sweep.OAT:
					a, err := res.OneAtATime(c)
					if err != nil {
						return err
					}
					t := &report.Table{Title: fmt.Sprintf("One at a time: %s (base %s)", name, g(a.Base)),
						Note:   "Each parameter alone at its lowest and highest value, the others at the base; widest swing first.",
						Header: []string{"column", "parameter", "lowest value", "metric", "highest value", "metric", "swing"}, Right: []bool{false, false, true, true, true, true, true}}
					tb := &chart.Tornado{Title: name + ": one parameter at a time", Metric: name, Base: a.Base}
					for _, b := range a.Bars {
						lo, hi := b.Levels[0], b.Levels[len(b.Levels)-1]
						t.Rows = append(t.Rows, []string{name, b.Name, lo.Value, g(lo.Metric), hi.Value, g(hi.Metric), g(b.Swing.Range)})
						tb.Bars = append(tb.Bars, chart.TornadoBar{Label: b.Name, Low: lo.Metric, High: hi.Metric, LowLabel: lo.Value, HighLabel: hi.Value})
					}
					tables = append(tables, t)
					js = append(js, a)
					if ci == 0 {
						canvas = tb.Canvas()
					}
				case sweep.SaltelliMethod:
					s, err := res.Sobol(c, bo)
					if err != nil {
						if errors.Is(err, sensitivity.ErrConstantOutput) {
							return fmt.Errorf("%s: %w", name, err)
						}
						return err
					}
					t := &report.Table{Title: "Sobol indices: " + name,
						Note: fmt.Sprintf("Output variance %s over %d base rows; %s bootstrap intervals from %d resamples. First order: the share of the variance due to the parameter alone; total: with all its interactions.",
							g(s.Variance), p.Design.Samples, pct, resamples),
						Header: []string{"column", "parameter", "first order", pct, "total", pct}, Right: []bool{false, false, true, true, true, true}}
					iv := &chart.Intervals{Title: "Sobol indices: " + name, XLabel: "share of the output's variance", Series: []string{"first order", "total"}}
					type idx struct {
						Parameter string               `json:"parameter"`
						First     sensitivity.Interval `json:"first"`
						Total     sensitivity.Interval `json:"total"`
					}
					var rows []idx
					for i := range p.Params {
						t.Rows = append(t.Rows, []string{name, p.Params[i].Name, g(s.First[i].Est), interval(s.First[i]), g(s.Total[i].Est), interval(s.Total[i])})
						iv.Rows = append(iv.Rows, chart.IntervalRow{Label: p.Params[i].Name, Est: []float64{s.First[i].Est, s.Total[i].Est},
							Lo: []float64{s.First[i].Lo, s.Total[i].Lo}, Hi: []float64{s.First[i].Hi, s.Total[i].Hi}})
						rows = append(rows, idx{p.Params[i].Name, s.First[i], s.Total[i]})
					}
					tables = append(tables, t)
					js = append(js, map[string]any{"column": name, "variance": s.Variance, "indices": rows})
					if ci == 0 {
						canvas = iv.Canvas()
					}
				case sweep.MorrisMethod:
					m, err := res.Morris(c, bo)
					if err != nil {
						return err
					}
					t := &report.Table{Title: "Elementary effects: " + name,
						Note: fmt.Sprintf("%d trajectories on %d levels; effects per unit of each parameter's range (its whole range = 1); %s bootstrap intervals of μ* from %d resamples.",
							p.Design.Trajectories, p.Design.Levels, pct, resamples),
						Header: []string{"column", "parameter", "μ*", pct, "μ", "σ"}, Right: []bool{false, false, true, true, true, true}}
					iv := &chart.Intervals{Title: "Elementary effects: " + name, XLabel: "μ*, the mean absolute effect per unit of range", Series: []string{"μ*"}}
					type eff struct {
						Parameter string               `json:"parameter"`
						MuStar    sensitivity.Interval `json:"mu_star"`
						Mu        float64              `json:"mu"`
						Sigma     float64              `json:"sigma"`
					}
					var rows []eff
					for i := range p.Params {
						t.Rows = append(t.Rows, []string{name, p.Params[i].Name, g(m.MuStar[i].Est), interval(m.MuStar[i]), g(m.Mu[i]), g(m.Sigma[i])})
						iv.Rows = append(iv.Rows, chart.IntervalRow{Label: p.Params[i].Name, Est: []float64{m.MuStar[i].Est}, Lo: []float64{m.MuStar[i].Lo}, Hi: []float64{m.MuStar[i].Hi}})
						rows = append(rows, eff{p.Params[i].Name, m.MuStar[i], m.Mu[i], m.Sigma[i]})
					}
					tables = append(tables, t)
					js = append(js, map[string]any{"column": name, "effects": rows})
					if ci == 0 {
						canvas = iv.Canvas()
					}
				default:
					return UsageErrorf("%s has design method %s; analyze needs oat, saltelli or morris (for a grid or a sample, see 'parley sensitivity response' and 'heatmap')", args[0], p.Design.Method)
				}
			}
			// the column is in the title of text and Markdown tables; only CSV needs it in each row
			if f.format != FormatCSV {
				for _, t := range tables {
					t.Header = t.Header[1:]
					t.Right = t.Right[1:]
					for i := range t.Rows {
						t.Rows[i] = t.Rows[i][1:]
					}
				}
			}
			return f.write(env, tables, js, canvas)
		},
	}
	f.add(cmd)
	cmd.Flags().StringArrayVar(&metrics, "metric", nil, "analyse this column, ROADMAP/METRIC, or METRIC for every roadmap (repeatable; default all)")
	cmd.Flags().IntVar(&resamples, "bootstrap", 1000, "bootstrap resamples for the intervals (0: none)")
	cmd.Flags().Float64Var(&level, "level", 0.95, "confidence level of the intervals")
	cmd.Flags().Uint64Var(&seed, "bootstrap-seed", 1, "seed of the bootstrap resampling")
	return cmd
}

func newSensitivityResponseCmd(env *Env) *cobra.Command {
	var f resultFlags
	var param string
	var metrics []string
	var bins int
	cmd := &cobra.Command{
		Use:   "response SWEEP.yaml --param NAME",
		Short: "A metric against one parameter, with a band",
		Long: `Response groups the sweep's points by one parameter's value — its listed
values, or --bins equal bins of a sampled parameter's range — and gives each
chosen column's mean over each group with a band: the 10th to 90th percentile
of the group's points (their spread over the other parameters), or, for a group
of one point and a share of histories, its 95% Wilson interval.

--metric METRIC draws one curve per recorded roadmap; --metric ROADMAP/METRIC
one curve.`,
		Example: `  parley sensitivity response grid.yaml --param seeker --metric completed --chart response.svg`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if param == "" {
				return UsageErrorf("--param is required: the parameter (name or path) to draw the metric against")
			}
			if bins < 1 {
				return UsageErrorf("--bins must be at least 1, got %d", bins)
			}
			res, err := f.load(cmd, env, args[0])
			if err != nil {
				return err
			}
			p := res.Plan
			pi, err := p.Param(param)
			if err != nil {
				return UsageError(err)
			}
			cols, err := res.Columns(metrics)
			if err != nil {
				return UsageError(err)
			}
			groups := res.Groups(pi, bins)
			pname := p.Params[pi].Name
			t := &report.Table{Title: "Response to " + pname,
				Note:   "Mean over the points with each value, and the band: 10th–90th percentile over the points, or the 95% Wilson interval of a single point's share.",
				Header: []string{pname, "points"}, Right: []bool{false, true}}
			lines := &chart.Lines{Title: "Response to " + pname, XLabel: p.Params[pi].Path, YLabel: strings.Join(metricNames(p, cols), ", ")}
			type point struct {
				Value string   `json:"value"`
				X     float64  `json:"x"`
				N     int      `json:"points"`
				Mean  float64  `json:"mean"`
				Lo    *float64 `json:"lo"`
				Hi    *float64 `json:"hi"`
			}
			js := map[string][]point{}
			for _, c := range cols {
				t.Header = append(t.Header, p.Columns()[c], "band")
				t.Right = append(t.Right, true, true)
				s := chart.Series{Name: p.Columns()[c]}
				for _, gr := range groups {
					sm := res.Summarise(c, gr.Points)
					s.X, s.Y, s.Lo, s.Hi = append(s.X, gr.X), append(s.Y, sm.Mean), append(s.Lo, orMean(sm.Lo, sm.Mean)), append(s.Hi, orMean(sm.Hi, sm.Mean))
					js[p.Columns()[c]] = append(js[p.Columns()[c]], point{gr.Label, gr.X, sm.N, sm.Mean, orNil(sm.Lo), orNil(sm.Hi)})
				}
				lines.Series = append(lines.Series, s)
			}
			for _, gr := range groups {
				row := []string{gr.Label, strconv.Itoa(len(gr.Points))}
				for _, c := range cols {
					sm := res.Summarise(c, gr.Points)
					band := "—"
					if !math.IsNaN(sm.Lo) {
						band = "[" + g(sm.Lo) + ", " + g(sm.Hi) + "]"
					}
					row = append(row, g(sm.Mean), band)
				}
				t.Rows = append(t.Rows, row)
			}
			if p.Params[pi].Kind == sweep.Choice {
				lines.XLabel += " (by the order of its values: " + groupLabels(groups) + ")"
			}
			return f.write(env, []*report.Table{t}, js, lines.Canvas())
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&param, "param", "", "the parameter, by its name or path")
	cmd.Flags().StringArrayVar(&metrics, "metric", nil, "the column, ROADMAP/METRIC, or METRIC for every roadmap (repeatable; default all)")
	cmd.Flags().IntVar(&bins, "bins", 10, "bins of a sampled parameter's range")
	return cmd
}

func metricNames(p *sweep.Plan, cols []int) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range cols {
		_, m, _ := strings.Cut(p.Columns()[c], "/")
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out
}

func groupLabels(gs []sweep.Group) string {
	l := make([]string, len(gs))
	for i, gr := range gs {
		l[i] = gr.Label
	}
	return strings.Join(l, ", ")
}

func orMean(x, mean float64) float64 {
	if math.IsNaN(x) {
		return mean
	}
	return x
}

// orNil is x, or nil (JSON null) for NaN.
func orNil(x float64) *float64 {
	if math.IsNaN(x) {
		return nil
	}
	return &x
}

func newSensitivityHeatmapCmd(env *Env) *cobra.Command {
	var f resultFlags
	var px, py, metric, roadmap, versus string
	var bins int
	cmd := &cobra.Command{
		Use:   "heatmap SWEEP.yaml --x NAME --y NAME --metric METRIC",
		Short: "A metric, or the difference between two roadmaps, over two parameters",
		Long: `Heatmap groups the sweep's points by two parameters' values (their listed
values, or --bins bins of a sampled range) and gives, in each cell, the mean of
ROADMAP/METRIC over the cell's points — or, with --versus OTHER, the mean of
ROADMAP/METRIC − OTHER/METRIC: where one roadmap beats the other. The chart's
colours diverge from 0 (blue: the first roadmap higher).`,
		Example: `  parley sensitivity heatmap grid.yaml --x seeker --y verification --metric completed \
      --roadmap peace-first --versus denuclearization-first --chart diff.svg`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if px == "" || py == "" || metric == "" {
				return UsageErrorf("heatmap needs --x, --y and --metric")
			}
			if bins < 1 {
				return UsageErrorf("--bins must be at least 1, got %d", bins)
			}
			res, err := f.load(cmd, env, args[0])
			if err != nil {
				return err
			}
			p := res.Plan
			xi, err := p.Param(px)
			if err != nil {
				return UsageError(err)
			}
			yi, err := p.Param(py)
			if err != nil {
				return UsageError(err)
			}
			if xi == yi {
				return UsageErrorf("--x and --y name the same parameter")
			}
			if roadmap == "" {
				if len(p.Roadmaps) != 1 && !strings.Contains(metric, "/") {
					return UsageErrorf("give --roadmap: the sweep records %s", strings.Join(p.Roadmaps, ", "))
				}
				if len(p.Roadmaps) == 1 {
					roadmap = p.Roadmaps[0]
				}
			}
			colName := metric
			if roadmap != "" {
				colName = roadmap + "/" + metric
			}
			a, err := res.Column(colName)
			if err != nil {
				return UsageError(err)
			}
			b := -1
			title := colName
			if versus != "" {
				_, m, _ := strings.Cut(colName, "/")
				if b, err = res.Column(versus + "/" + m); err != nil {
					return UsageError(err)
				}
				title = fmt.Sprintf("%s − %s: %s", strings.SplitN(colName, "/", 2)[0], versus, m)
			}
			gx, gy := res.Groups(xi, bins), res.Groups(yi, bins)
			inX := map[int]int{}
			for i, gr := range gx {
				for _, k := range gr.Points {
					inX[k] = i
				}
			}
			hm := &chart.Heatmap{Title: title, XLabel: p.Params[xi].Name, YLabel: p.Params[yi].Name, ValueLabel: "mean over the cell's points"}
			t := &report.Table{Title: title, Note: fmt.Sprintf("Mean over the points of each cell; rows: %s, columns: %s.", p.Params[yi].Name, p.Params[xi].Name),
				Header: []string{p.Params[yi].Name + " \\ " + p.Params[xi].Name}}
			for _, gr := range gx {
				hm.X = append(hm.X, gr.Label)
				t.Header = append(t.Header, gr.Label)
				t.Right = append(t.Right, true)
			}
			t.Right = append([]bool{false}, t.Right...)
			cells := make([][][]int, len(gy))
			for j, gr := range gy {
				cells[j] = make([][]int, len(gx))
				for _, k := range gr.Points {
					i := inX[k]
					cells[j][i] = append(cells[j][i], k)
				}
			}
			var z [][]float64
			for j, gr := range gy {
				hm.Y = append(hm.Y, gr.Label)
				row := make([]float64, len(gx))
				cellsText := []string{gr.Label}
				for i := range gx {
					var s sweep.Summary
					if b >= 0 {
						s = res.Difference(a, b, cells[j][i])
					} else {
						s = res.Summarise(a, cells[j][i])
					}
					row[i] = s.Mean
					cellsText = append(cellsText, g(s.Mean))
				}
				z = append(z, row)
				t.Rows = append(t.Rows, cellsText)
			}
			hm.Z = z
			// the table shows the highest row first, as the chart does
			for l, r := 0, len(t.Rows)-1; l < r; l, r = l+1, r-1 {
				t.Rows[l], t.Rows[r] = t.Rows[r], t.Rows[l]
			}
			jz := make([][]any, len(z))
			for j := range z {
				for _, v := range z[j] {
					if math.IsNaN(v) {
						jz[j] = append(jz[j], nil)
					} else {
						jz[j] = append(jz[j], v)
					}
				}
			}
			js := map[string]any{"title": title, "x": p.Params[xi].Name, "y": p.Params[yi].Name, "x_values": hm.X, "y_values": hm.Y, "mean": jz}
			return f.write(env, []*report.Table{t}, js, hm.Canvas())
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&px, "x", "", "the parameter across, by name or path")
	cmd.Flags().StringVar(&py, "y", "", "the parameter up, by name or path")
	cmd.Flags().StringVar(&metric, "metric", "", "the metric (e.g. completed), or a column ROADMAP/METRIC")
	cmd.Flags().StringVar(&roadmap, "roadmap", "", "the roadmap of the metric (needed when the sweep records several)")
	cmd.Flags().StringVar(&versus, "versus", "", "show the difference from this roadmap")
	cmd.Flags().IntVar(&bins, "bins", 6, "bins of a sampled parameter's range")
	return cmd
}
