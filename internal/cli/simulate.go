package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/parleyhq/parley/audit"
	"github.com/parleyhq/parley/exact"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/montecarlo"
	"github.com/parleyhq/parley/report"
	"github.com/parleyhq/parley/scenario"
)

// simFlags are the flags shared by run and compare.
type simFlags struct {
	runs    int
	seed    uint64
	workers int
	horizon int
	format  Format
	output  string
	report  string
	charts  string
	sets    []string
	exact   bool
	limit   int
}

func (f *simFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.IntVar(&f.runs, "runs", 10000, "number of histories per roadmap")
	fl.Uint64Var(&f.seed, "seed", 1, "master seed: history n of every roadmap is seeded from (seed, n)")
	fl.IntVar(&f.workers, "workers", 0, "goroutines to use (0: every core); never changes the numbers")
	fl.IntVar(&f.horizon, "horizon", 0, "override the scenario's horizon, in rounds")
	addFormatFlag(cmd, &f.format, FormatText, AllFormats...)
	addOutputFlag(cmd, &f.output)
	addSetFlag(cmd, &f.sets)
	fl.BoolVar(&f.exact, "exact", false, "enumerate every history with its probability instead of sampling (small scenarios only)")
	fl.IntVar(&f.limit, "exact-limit", 1_000_000, "with --exact, give up after this many distinct histories per roadmap")
	fl.StringVar(&f.report, "report", "", "also write a self-contained HTML report (tables, audit, charts) to this `FILE`")
	fl.StringVar(&f.charts, "charts", "", "also write every chart, as SVG and as PNG, into this `DIR` (made if missing)")
}

func (f *simFlags) check(env *Env, cmd *cobra.Command) error {
	if f.exact {
		for _, name := range []string{"runs", "seed", "workers"} {
			if cmd.Flags().Changed(name) {
				return UsageErrorf("--exact enumerates every history: --%s does not apply", name)
			}
		}
		if f.limit < 1 {
			return UsageErrorf("--exact-limit must be at least 1, got %d", f.limit)
		}
	} else if cmd.Flags().Changed("exact-limit") {
		return UsageErrorf("--exact-limit needs --exact")
	}
	if f.charts != "" {
		if fi, err := os.Stat(env.path(f.charts)); err == nil && !fi.IsDir() {
			return UsageErrorf("--charts %s is a file; give a directory to write the charts into", f.charts)
		}
	}
	if f.runs < 1 {
		return UsageErrorf("--runs must be at least 1, got %d", f.runs)
	}
	if f.runs > maxRuns {
		return UsageErrorf("--runs must be at most %d, got %d", maxRuns, f.runs)
	}
	if f.workers < 0 {
		return UsageErrorf("--workers must be 0 (every core) or more, got %d", f.workers)
	}
	if f.horizon < 0 {
		return UsageErrorf("--horizon must be at least 1, got %d", f.horizon)
	}
	return nil
}

// addSetFlag registers --set PATH=VALUE, to change a scenario's numbers from the command line.
func addSetFlag(cmd *cobra.Command, p *[]string) {
	cmd.Flags().StringArrayVar(p, "set", nil, "change one number of the scenario, as `PATH=VALUE` (repeatable), e.g. actors.DPRK.insecurity=0.5")
}

// applySets applies --set assignments and validates the changed scenario.
func applySets(ls *loadedScenario, sets []string) error {
	if len(sets) == 0 {
		return nil
	}
	if err := scenario.SetAll(ls.Scenario, sets); err != nil {
		var se *scenario.Error
		if errors.As(err, &se) {
			return UsageError(fmt.Errorf("%s with --set is not a valid scenario:\n%w", ls.Source, err))
		}
		return UsageError(err)
	}
	return nil
}

// maxRuns bounds --runs so that counts stay exact in float64.
const maxRuns = 1 << 40

// maxHorizon bounds --horizon: every history keeps its trajectories for each round.
const maxHorizon = 10000

// applyHorizon overrides the horizon and validates the scenario again, so a
// horizon too short for a roadmap is reported like any other input error;
// only the roadmaps that will run (all when names is empty) must fit in it.
func applyHorizon(ls *loadedScenario, h int, names []string) error {
	if h == 0 {
		return nil
	}
	if h > maxHorizon {
		return UsageErrorf("--horizon must be at most %d rounds, got %d", maxHorizon, h)
	}
	ls.Scenario.Environment.Horizon = h
	err := scenario.Validate(ls.Scenario)
	var se *scenario.Error
	if err != nil && len(names) > 0 && errors.As(err, &se) {
		// the scenario was valid before: the only new problems are roadmaps too long for h
		keep := se.Problems[:0:0]
		for _, p := range se.Problems {
			i := -1
			if _, e := fmt.Sscanf(p.Path, "roadmaps[%d]", &i); e == nil && p.Path == fmt.Sprintf("roadmaps[%d]", i) && !slices.Contains(names, ls.Scenario.Roadmaps[i].ID) {
				continue
			}
			keep = append(keep, p)
		}
		err = nil
		if len(keep) > 0 {
			err = &scenario.Error{Problems: keep}
		}
	}
	if err != nil {
		return UsageError(fmt.Errorf("--horizon %d does not suit %s:\n%w", h, ls.Source, err))
	}
	return nil
}

// pickRoadmaps compiles the named roadmaps (all when names is empty).
func pickRoadmaps(ls *loadedScenario, names []string) ([]*model.Roadmap, error) {
	s := ls.Scenario
	if len(names) == 0 {
		rs, err := model.CompileAll(s)
		if err != nil {
			return nil, fmt.Errorf("compiling %s: %w", ls.Source, err)
		}
		return rs, nil
	}
	var out []*model.Roadmap
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			return nil, UsageErrorf("roadmap %q named twice", n)
		}
		seen[n] = true
		if s.RoadmapIndex(n) < 0 {
			return nil, UsageErrorf("%s has no roadmap %q; it has: %s", ls.Source, n, roadmapIDs(s))
		}
		r, err := model.Compile(s, n)
		if err != nil {
			return nil, fmt.Errorf("compiling %s: %w", ls.Source, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func roadmapIDs(s *scenario.Scenario) string {
	ids := make([]string, len(s.Roadmaps))
	for i, r := range s.Roadmaps {
		ids[i] = r.ID
	}
	return strings.Join(ids, ", ")
}

// simulate runs the roadmaps and writes the comparison in the chosen format,
// and the HTML report if asked; nothing is written unless the run succeeds.
func simulate(cmd *cobra.Command, env *Env, ls *loadedScenario, rs []*model.Roadmap, f *simFlags) error {
	if f.exact {
		var sums []*montecarlo.Summary
		for _, r := range rs {
			sum, err := exact.Solve(cmd.Context(), r, f.limit)
			if errors.Is(err, exact.ErrTooLarge) {
				return UsageError(fmt.Errorf("roadmap %s: %w; --exact is for small scenarios (raise --exact-limit, or sample with --runs)", r.ID, err))
			}
			if err != nil {
				return err
			}
			sums = append(sums, sum)
		}
		return writeResults(env, ls, rs, report.BuildComparison(sums, report.Meta{Exact: true}), f)
	}
	opt := montecarlo.Options{Runs: f.runs, Seed: f.seed, Workers: f.workers}
	var bar *progressbar.ProgressBar
	if env.IsTerminal && env.Getenv("CI") == "" {
		bar = progressbar.NewOptions64(int64(f.runs*len(rs)),
			progressbar.OptionSetWriter(env.Stderr),
			progressbar.OptionSetDescription("histories"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish())
		opt.Progress = func(done, total int) { _ = bar.Set64(int64(done)) }
	}
	sums, err := montecarlo.Compare(cmd.Context(), rs, opt)
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return err
	}
	return writeResults(env, ls, rs, report.BuildComparison(sums, report.Meta{Runs: f.runs, Seed: f.seed, Chunk: montecarlo.DefaultChunk}), f)
}

// writeResults renders the comparison (and the HTML report, if asked) and
// writes them, all or nothing.
func writeResults(env *Env, ls *loadedScenario, rs []*model.Roadmap, c *report.Comparison, f *simFlags) error {
	if ls.Builtin == "" {
		c.Scenario = ls.Source + " (" + c.Scenario + ")"
	}
	// render everything first, so that a failure writes nothing
	var out bytes.Buffer
	if err := writeComparison(&out, c, f.format); err != nil {
		return err
	}
	var html bytes.Buffer
	if f.report != "" {
		var sections []report.HTMLSection
		for _, r := range rs {
			if len(r.Phases) == 0 {
				continue
			}
			rep, err := audit.Audit(r, audit.Options{})
			if err != nil {
				return err
			}
			var b bytes.Buffer
			if err := rep.WriteText(&b); err != nil {
				return err
			}
			sections = append(sections, report.HTMLSection{Title: "Audit of " + r.ID, Text: b.String()})
		}
		if err := c.WriteHTML(&html, env.Version, sections); err != nil {
			return err
		}
	}
	files := map[string][]byte{}
	if f.report != "" {
		files[f.report] = html.Bytes()
	}
	if f.charts != "" {
		if err := chartFiles(c, f.charts, files); err != nil {
			return err
		}
		if err := os.MkdirAll(env.path(f.charts), 0o755); err != nil {
			return writeErr(f.charts, err)
		}
	}
	return writeAll(env, f.output, out.Bytes(), files)
}

// chartFiles draws every chart of the comparison, the line charts and then
// the bar charts, as DIR/NN-title.svg and DIR/NN-title.png.
func chartFiles(c *report.Comparison, dir string, files map[string][]byte) error {
	type drawer interface {
		SVG(io.Writer) error
		PNG(io.Writer) error
	}
	var all []drawer
	var titles []string
	for _, ch := range c.Charts() {
		all, titles = append(all, ch), append(titles, ch.Title)
	}
	for _, ch := range c.BarCharts() {
		all, titles = append(all, ch), append(titles, ch.Title)
	}
	for i, ch := range all {
		base := filepath.Join(dir, fmt.Sprintf("%02d-%s", i+1, fileSlug(titles[i])))
		var svg, png bytes.Buffer
		if err := ch.SVG(&svg); err != nil {
			return err
		}
		if err := ch.PNG(&png); err != nil {
			return err
		}
		files[base+".svg"], files[base+".png"] = svg.Bytes(), png.Bytes()
	}
	return nil
}

// fileSlug turns a chart's title into a file name: letters and digits kept
// (lower case), every other run of characters one hyphen, at most 60 bytes.
func fileSlug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if unicode.IsLetter(r) && r < unicode.MaxASCII || unicode.IsDigit(r) && r < unicode.MaxASCII {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.TrimSuffix(b.String(), "-")
	if len(s) > 60 {
		s = strings.TrimSuffix(s[:60], "-")
	}
	if s == "" {
		s = "chart"
	}
	return s
}

func writeComparison(w io.Writer, c *report.Comparison, f Format) error {
	switch f {
	case FormatMarkdown:
		return c.WriteMarkdown(w)
	case FormatCSV:
		return c.WriteCSV(w)
	case FormatJSON:
		return c.WriteJSON(w)
	default:
		return c.WriteText(w)
	}
}

// runRoadmaps applies --set and --horizon, then simulates the named
// roadmaps (every roadmap when names is empty).
func runRoadmaps(cmd *cobra.Command, env *Env, ls *loadedScenario, names []string, f *simFlags) error {
	if err := applySets(ls, f.sets); err != nil {
		return err
	}
	if err := applyHorizon(ls, f.horizon, names); err != nil {
		return err
	}
	rs, err := pickRoadmaps(ls, names)
	if err != nil {
		return err
	}
	return simulate(cmd, env, ls, rs, f)
}

func newCompareCmd(env *Env) *cobra.Command {
	var f simFlags
	var roadmaps []string
	cmd := &cobra.Command{
		Use:     "compare [SCENARIO]",
		GroupID: groupAnalysis,
		Short:   "Run every roadmap of a scenario on the same histories and compare them",
		Long: `Compare runs --runs seeded histories of every roadmap of a scenario (or of the
roadmaps named with --roadmap) and prints, side by side: how the histories
ended, why talks broke down or stalled, how often each milestone was reached
and when, and each actor's utility, exposure and leverage left, also by the
counterparts' true types. Shares come with 95% Wilson intervals.

History n of every roadmap is seeded from (--seed, n): every roadmap meets the
same draws, and the numbers are the same for any --workers.

` + scenarioUsage,
		Example: `  parley compare
  parley compare --runs 100000 --seed 7 --format markdown
  parley compare my-scenario.yaml --roadmap peace-first --roadmap grit --report out.html`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.check(env, cmd); err != nil {
				return err
			}
			ls, err := loadScenarioArgs(env, args)
			if err != nil {
				return err
			}
			return runRoadmaps(cmd, env, ls, roadmaps, &f)
		},
	}
	f.add(cmd)
	cmd.Flags().StringArrayVar(&roadmaps, "roadmap", nil, "compare only this roadmap (repeatable)")
	return cmd
}

func newRunCmd(env *Env) *cobra.Command {
	var f simFlags
	var roadmap string
	cmd := &cobra.Command{
		Use:     "run [SCENARIO] --roadmap ROADMAP",
		GroupID: groupAnalysis,
		Short:   "Run many seeded histories of one roadmap",
		Long: `Run runs --runs seeded histories of one roadmap and prints the same metrics as
compare for it alone. History n is seeded from (--seed, n), as in compare, so
its numbers for a roadmap are the same as compare's.

` + scenarioUsage,
		Example: `  parley run --roadmap peace-first
  parley run my-scenario.yaml --roadmap phased --runs 50000 --format json -o result.json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.check(env, cmd); err != nil {
				return err
			}
			ls, err := loadScenarioArgs(env, args)
			if err != nil {
				return err
			}
			if roadmap == "" {
				return UsageErrorf("--roadmap is required; %s has: %s", ls.Source, roadmapIDs(ls.Scenario))
			}
			if ls.Scenario.RoadmapIndex(roadmap) < 0 {
				return UsageErrorf("%s has no roadmap %q; it has: %s", ls.Source, roadmap, roadmapIDs(ls.Scenario))
			}
			return runRoadmaps(cmd, env, ls, []string{roadmap}, &f)
		},
	}
	f.add(cmd)
	cmd.Flags().StringVar(&roadmap, "roadmap", "", "the roadmap to run")
	return cmd
}
