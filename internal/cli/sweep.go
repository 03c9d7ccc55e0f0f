package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/parleyhq/parley/report"
	"github.com/parleyhq/parley/sweep"
)

func newSweepCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "sweep",
		GroupID: groupAnalysis,
		Short:   "Run a scenario over a grid or a sample of its numbers, locally or in shards on a cluster",
		Long: `A sweep file names a base scenario, the numbers to vary (by their paths, as
--set takes them), how to lay out their values (a grid, a Latin hypercube, the
Sobol sequence, or the designs of a sensitivity analysis), constraints that
tie them together, and the metrics to record. docs/sweeps.md describes it.

'sweep run' runs every point and writes one row per point; 'sweep plan' shows
the points and how they split into shards; 'sweep emit' writes the batch files
that run the shards on Slurm or Kubernetes; 'sweep merge' joins the shards into
the same bytes as one run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newSweepRunCmd(env), newSweepPlanCmd(env), newSweepMergeCmd(env), newSweepEmitCmd(env))
	return cmd
}

// loadSweep reads and checks the sweep file arg (relative to env.Dir); a
// relative base scenario path is resolved against the file's directory.
func loadSweep(env *Env, arg string) (*sweep.Plan, error) {
	path := env.path(arg)
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, UsageErrorf("no file %s", arg)
		}
		return nil, UsageErrorf("cannot read %s: %v", arg, unwrapPathError(err))
	}
	p, err := sweep.Load(arg, data, filepath.Dir(path))
	if err != nil {
		var se *sweep.Error
		if errors.As(err, &se) {
			n := len(se.Problems)
			noun := "problems"
			if n == 1 {
				noun = "problem"
			}
			return nil, UsageError(fmt.Errorf("%s is not a valid sweep file (%d %s):\n%w", arg, n, noun, err))
		}
		return nil, UsageError(err)
	}
	return p, nil
}

// shardSpec is what --shard says: shard Index of Count, or none.
type shardSpec struct {
	Index, Count int
	set          bool
}

// parseShard reads --shard I/N; I may be "auto", taken from
// SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX.
func parseShard(env *Env, s string) (shardSpec, error) {
	if s == "" {
		return shardSpec{}, nil
	}
	is, ns, ok := strings.Cut(s, "/")
	n, err := strconv.Atoi(ns)
	if !ok || err != nil || n < 1 {
		return shardSpec{}, UsageErrorf("--shard %s: expected I/N with N ≥ 1 shards and 0 ≤ I < N, e.g. 0/4, or auto/N", s)
	}
	if is == "auto" {
		for _, v := range []string{"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"} {
			if x := env.Getenv(v); x != "" {
				is = x
				break
			}
		}
		if is == "auto" {
			return shardSpec{}, UsageErrorf("--shard auto/%d takes the shard from SLURM_ARRAY_TASK_ID (a Slurm job array) or JOB_COMPLETION_INDEX (a Kubernetes Indexed Job), and neither is set", n)
		}
	}
	i, err := strconv.Atoi(is)
	if err != nil || i < 0 || i >= n {
		return shardSpec{}, UsageErrorf("--shard %s: the shard index must be a whole number from 0 to %d, got %q", s, n-1, is)
	}
	return shardSpec{Index: i, Count: n, set: true}, nil
}

// formatOf picks the output format: --format if given, else by the file's
// extension (.jsonl and .ndjson are JSONL; .parquet, or a path ending in /,
// is Parquet), else CSV.
func formatOf(flag, path string) (sweep.Format, error) {
	switch strings.ToLower(flag) {
	case "csv":
		return sweep.CSV, nil
	case "jsonl":
		return sweep.JSONL, nil
	case "parquet":
		return sweep.Parquet, nil
	case "":
		if strings.HasSuffix(path, "/") {
			return sweep.Parquet, nil
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".jsonl", ".ndjson":
			return sweep.JSONL, nil
		case ".parquet":
			return sweep.Parquet, nil
		}
		return sweep.CSV, nil
	}
	return "", UsageErrorf("unknown --format %q; want csv, jsonl or parquet", flag)
}

// checkOutputKind refuses an output path that does not suit format f before
// anything is written: Parquet output is a directory (never standard output,
// an existing file or a name ending in .csv or .jsonl), CSV and JSONL are files.
func checkOutputKind(env *Env, f sweep.Format, path string) error {
	toStdout := path == "" || path == "-"
	fi, statErr := os.Stat(env.path(path))
	isDir := statErr == nil && fi.IsDir()
	if f != sweep.Parquet {
		if !toStdout && isDir {
			return UsageErrorf("%s is a directory; %s output is one file (a directory is written with --format parquet)", path, f)
		}
		return nil
	}
	switch ext := strings.ToLower(filepath.Ext(path)); {
	case toStdout:
		return UsageErrorf("--format parquet writes a directory of part files, one per chunk of points, not standard output: give the directory with -o DIR")
	case statErr == nil && !isDir:
		return UsageErrorf("-o %s is a file; --format parquet writes a directory of part files: give a directory that does not exist yet (it is created) or one written by parley", path)
	case ext == ".csv" || ext == ".jsonl" || ext == ".ndjson":
		return UsageErrorf("-o %s: --format parquet writes a directory of part files, not a %s file: name the directory without %s (e.g. %s)", path, ext[1:], ext, strings.TrimSuffix(path, filepath.Ext(path))+".parquet")
	}
	return nil
}

// shardPlaceholder in -o stands for the shard's index.
const shardPlaceholder = "{shard}"

func newSweepRunCmd(env *Env) *cobra.Command {
	var output, format, shard string
	var resume bool
	var workers, chunk int
	cmd := &cobra.Command{
		Use:   "run SWEEP.yaml",
		Short: "Run every point of a sweep (or one shard of them) and write one row per point",
		Long: `Run runs every point of the sweep: the base scenario with the point's values,
--runs histories of each recorded roadmap, seeded from (seed, point) — and writes
one row per point, in point order, as it goes: the point, the parameters'
values and the recorded metrics (ROADMAP/METRIC columns). The first line of the
output names the sweep's plan (a fingerprint of everything that defines the
rows) and the points it holds.

Every point's scenario is checked before anything is written. Memory does not
grow with the number of points. The rows do not depend on --workers.

--resume continues an interrupted output (-o FILE): it checks that the file
belongs to this sweep, cuts off a torn last line and runs the missing points.
A file that does not exist yet is started.

--format parquet (or -o DIR.parquet) writes a directory of Parquet part files,
one per --chunk points, each a single row group: a part is written under a
temporary name and renamed when complete, so an interrupted run leaves only
complete parts, and --resume runs the points that no part holds.

--shard I/N runs shard I (from 0) of N: the points from ⌊I·P/N⌋ to
⌊(I+1)·P/N⌋ − 1 of the P points. --shard auto/N takes I from
SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX, and {shard} in -o stands for I.
'parley sweep merge' joins the shards' outputs into the bytes of one run.`,
		Example: `  parley sweep run study.yaml -o study.csv
  parley sweep run study.yaml -o study.csv --resume
  parley sweep run study.yaml --shard 2/8 -o study-shard-2-of-8.csv
  parley sweep run study.yaml --shard auto/8 -o 'out/study-{shard}.jsonl' --resume
  parley sweep run study.yaml --format parquet -o study.parquet --resume`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if workers < 0 {
				return UsageErrorf("--workers must be 0 (every core) or more, got %d", workers)
			}
			p, err := loadSweep(env, args[0])
			if err != nil {
				return err
			}
			sh, err := parseShard(env, shard)
			if err != nil {
				return err
			}
			h := p.FullHeader()
			if sh.set {
				h = p.ShardHeader(sh.Index, sh.Count)
				output = strings.ReplaceAll(output, shardPlaceholder, strconv.Itoa(sh.Index))
			} else if strings.Contains(output, shardPlaceholder) {
				return UsageErrorf("-o %s: %s stands for the shard's index, but no --shard is given", output, shardPlaceholder)
			}
			f, err := formatOf(format, output)
			if err != nil {
				return err
			}
			if err := checkChunk(cmd, f, chunk); err != nil {
				return err
			}
			if err := checkOutputKind(env, f, output); err != nil {
				return err
			}
			toStdout := output == "" || output == "-"
			if resume && toStdout {
				return UsageErrorf("--resume continues an output file: give it with -o FILE")
			}
			// check every point's scenario before writing anything
			if err := p.Check(cmd.Context(), h.From, h.To); err != nil {
				var pe *sweep.PointError
				if errors.As(err, &pe) {
					return UsageError(fmt.Errorf("%s: %w", args[0], err))
				}
				return err
			}
			if toStdout {
				w := sweep.NewWriter(env.Stdout, f, p)
				if err := w.WriteHeader(h); err != nil {
					return err
				}
				return p.Run(cmd.Context(), sweep.RunOptions{From: h.From, To: h.To, Workers: workers}, w.WriteRow)
			}
			if f == sweep.Parquet {
				return runToDir(cmd.Context(), env, p, h, output, resume, workers, chunk)
			}
			return runToFile(cmd.Context(), env, p, h, f, output, resume, workers)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&output, "output", "o", "", "write the rows to this `FILE` (default: standard output); {shard} stands for the shard's index")
	fl.StringVar(&format, "format", "", "output format: csv, jsonl or parquet (default: by the name: .jsonl, .ndjson, .parquet or a trailing /, else csv)")
	fl.IntVar(&chunk, "chunk", sweep.DefaultChunk, "parquet: points per part file (and row group)")
	fl.BoolVar(&resume, "resume", false, "continue the output of an interrupted run (or start it)")
	fl.StringVar(&shard, "shard", "", "run shard `I/N` (I from 0), or auto/N to take I from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX")
	fl.IntVar(&workers, "workers", 0, "goroutines to use (0: every core); never changes the rows")
	return cmd
}

// runToFile runs the points of h into the file at path, continuing it with
// resume; an interruption leaves complete rows that --resume continues.
func runToFile(ctx context.Context, env *Env, p *sweep.Plan, h sweep.Header, f sweep.Format, path string, resume bool, workers int) error {
	full := env.path(path)
	var file *os.File
	next := h.From
	if resume {
		var err error
		file, err = os.OpenFile(full, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return UsageErrorf("cannot open %s: %v", path, unwrapPathError(err))
		}
		next, err = sweep.Resume(file, p, h, f)
		if err != nil {
			file.Close()
			return UsageErrorf("cannot resume %s: %v", path, err)
		}
		if next == h.To {
			file.Close()
			fmt.Fprintf(env.Stderr, "%s already holds all %d points\n", path, h.To-h.From)
			return nil
		}
		if next > h.From {
			fmt.Fprintf(env.Stderr, "resuming %s at point %d (%d of %d done)\n", path, next, next-h.From, h.To-h.From)
		}
	} else {
		var err error
		file, err = os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			return UsageErrorf("%s exists: continue it with --resume, or remove it to start again", path)
		}
		if err != nil {
			return UsageErrorf("cannot create %s: %v", path, unwrapPathError(err))
		}
		if err := sweep.NewWriter(file, f, p).WriteHeader(h); err != nil {
			file.Close()
			return writeErr(path, err)
		}
	}
	w := sweep.NewWriter(file, f, p)
	opt := sweep.RunOptions{From: next, To: h.To, Workers: workers}
	bar := newPointBar(env, h.To-next)
	if bar != nil {
		opt.Progress = func(done, total int) { _ = bar.Set(done) }
	}
	done := next
	err := p.Run(ctx, opt, func(r *sweep.Row) error {
		if err := w.WriteRow(r); err != nil {
			return writeErr(path, err)
		}
		done = r.Point + 1
		return nil
	})
	if bar != nil {
		_ = bar.Finish()
	}
	if cerr := file.Close(); err == nil && cerr != nil {
		err = writeErr(path, cerr)
	}
	if err != nil && done < h.To {
		fmt.Fprintf(env.Stderr, "parley: %s holds points %d to %d; continue with --resume\n", path, h.From, done-1)
	}
	return err
}

// checkChunk checks --chunk, which applies to Parquet output.
func checkChunk(cmd *cobra.Command, f sweep.Format, chunk int) error {
	if !cmd.Flags().Changed("chunk") {
		return nil
	}
	if f != sweep.Parquet {
		return UsageErrorf("--chunk applies to --format parquet: it is the number of points of each part file")
	}
	if chunk < 1 {
		return UsageErrorf("--chunk must be at least 1 point per part, got %d", chunk)
	}
	return nil
}

// runToDir runs the points of h into the Parquet output directory at path,
// in parts of chunk points; with resume it runs only the points that no
// complete part holds. An interruption completes the part in progress with
// the rows done, so nothing finished is lost.
func runToDir(ctx context.Context, env *Env, p *sweep.Plan, h sweep.Header, path string, resume bool, workers, chunk int) error {
	full := env.path(path)
	todo := [][2]int{{h.From, h.To}}
	switch err := os.Mkdir(full, 0o755); {
	case err == nil:
	case errors.Is(err, fs.ErrExist):
		if resume {
			var rerr error
			if todo, rerr = sweep.ResumeDir(full, p, h); rerr != nil {
				return UsageErrorf("cannot resume %s: %v", path, rerr)
			}
			break
		}
		if es, rerr := os.ReadDir(full); rerr != nil || len(es) > 0 {
			return UsageErrorf("%s exists: continue it with --resume, or remove it to start again", path)
		}
	default:
		return UsageErrorf("cannot create %s: %v", path, unwrapPathError(err))
	}
	if len(todo) == 0 {
		fmt.Fprintf(env.Stderr, "%s already holds all %d points\n", path, h.To-h.From)
		return nil
	}
	total := 0
	for _, r := range todo {
		total += r[1] - r[0]
	}
	held := h.To - h.From - total
	if held > 0 {
		fmt.Fprintf(env.Stderr, "resuming %s: %d of %d points done, %d to run\n", path, held, h.To-h.From, total)
	}
	w, err := p.NewPartWriter(full, h, sweep.PartOptions{Chunk: chunk, Version: env.Version})
	if err != nil {
		return UsageErrorf("cannot write %s as Parquet: %v", path, err)
	}
	bar := newPointBar(env, total)
	for _, r := range todo {
		opt := sweep.RunOptions{From: r[0], To: r[1], Workers: workers}
		if bar != nil {
			base := w.Points()
			opt.Progress = func(d, _ int) { _ = bar.Set(base + d) }
		}
		err = p.Run(ctx, opt, func(row *sweep.Row) error {
			if err := w.WriteRow(row); err != nil {
				return writeErr(path, err)
			}
			return nil
		})
		// the rows done so far become a part, also when the run stopped
		if cerr := w.Close(); err == nil && cerr != nil {
			err = writeErr(path, cerr)
		}
		if err != nil {
			break
		}
	}
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "parley: %s holds %d of its %d points in complete parts; continue with --resume\n", path, held+w.Points(), h.To-h.From)
	}
	return err
}

// newPointBar returns a progress bar over points with an estimate of the
// time left, on a terminal only.
func newPointBar(env *Env, total int) *progressbar.ProgressBar {
	if !env.IsTerminal || env.Getenv("CI") != "" || total <= 0 {
		return nil
	}
	return progressbar.NewOptions(total,
		progressbar.OptionSetWriter(env.Stderr),
		progressbar.OptionSetDescription("points"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish())
}

func newSweepPlanCmd(env *Env) *cobra.Command {
	var shards int
	var points, check bool
	var format Format
	cmd := &cobra.Command{
		Use:   "plan SWEEP.yaml",
		Short: "Show a sweep's points, columns and shards without running it",
		Long: `Plan checks a sweep file and shows what 'sweep run' would do: the plan's
fingerprint, the parameters and their values, the constraints, the number of
points and histories, the recorded columns, and with --shards N how the points
split into N shards and the command that runs each. --points lists every
point's values as CSV instead; --check also builds and validates every point's
scenario.`,
		Example: `  parley sweep plan study.yaml
  parley sweep plan study.yaml --shards 8
  parley sweep plan study.yaml --points > points.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("shards") && shards < 1 {
				return UsageErrorf("--shards must be at least 1, got %d", shards)
			}
			p, err := loadSweep(env, args[0])
			if err != nil {
				return err
			}
			if check {
				if err := p.Check(cmd.Context(), 0, p.Len()); err != nil {
					return UsageError(fmt.Errorf("%s: %w", args[0], err))
				}
			}
			if points {
				return writePoints(env.Stdout, p)
			}
			var b bytes.Buffer
			if format == FormatJSON {
				if err := writePlanJSON(&b, args[0], p, shards); err != nil {
					return err
				}
			} else if err := writePlanText(&b, args[0], p, shards, check); err != nil {
				return err
			}
			_, err = env.Stdout.Write(b.Bytes())
			return err
		},
	}
	cmd.Flags().IntVar(&shards, "shards", 0, "show how the points split into `N` shards")
	cmd.Flags().BoolVar(&points, "points", false, "list every point's values as CSV")
	cmd.Flags().BoolVar(&check, "check", false, "build and validate every point's scenario")
	addFormatFlag(cmd, &format, FormatText, FormatText, FormatJSON)
	return cmd
}

// writePoints lists every point's parameter values as CSV.
func writePoints(w io.Writer, p *sweep.Plan) error {
	cw := csv.NewWriter(w)
	rec := []string{"point"}
	for i := range p.Params {
		rec = append(rec, p.Params[i].Name)
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	pt := p.NewPoint()
	for k := range p.Len() {
		p.At(k, pt)
		rec = append(rec[:0], strconv.Itoa(k))
		for i := range p.Params {
			rec = append(rec, p.Value(pt, i))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writePlanText(w io.Writer, arg string, p *sweep.Plan, shards int, checked bool) error {
	seeding := "point k's histories seeded from (seed, k)"
	if p.Seeding == sweep.Common {
		seeding = "every point with the same seed (common random numbers)"
	}
	design := string(p.Design.Method)
	switch p.Design.Method {
	case sweep.LHS, sweep.SobolSequence, sweep.Random:
		design += fmt.Sprintf(", %d samples", p.Design.Samples)
	case sweep.MorrisMethod:
		design += fmt.Sprintf(", %d trajectories on %d levels", p.Design.Trajectories, p.Design.Levels)
	case sweep.SaltelliMethod:
		design += fmt.Sprintf(", %d base rows from the %s sampler", p.Design.Samples, p.Design.Sampler)
	case sweep.OAT:
		sampled := false
		for i := range p.Params {
			sampled = sampled || !p.Params[i].Discrete()
		}
		if sampled {
			q := make([]string, len(p.Design.Quantiles))
			for i, x := range p.Design.Quantiles {
				q[i] = strconv.FormatFloat(x, 'g', -1, 64)
			}
			design += ", distributions at their quantiles " + strings.Join(q, ", ")
		}
	}
	histories := float64(p.Len()) * float64(p.Runs) * float64(len(p.Roadmaps))
	fmt.Fprintf(w, "Sweep %s (plan %s)\n", p.Name, p.Fingerprint())
	if p.Description != "" {
		fmt.Fprintf(w, "%s\n", strings.TrimSpace(p.Description))
	}
	fmt.Fprintf(w, "base %s; design %s\n", p.BaseRef, design)
	roadmaps := "roadmaps"
	if len(p.Roadmaps) == 1 {
		roadmaps = "roadmap"
	}
	fmt.Fprintf(w, "%d points × %d histories × %d %s = %.0f histories; seed %d, %s\n\n", p.Len(), p.Runs, len(p.Roadmaps), roadmaps, histories, p.Seed, seeding)
	t := &report.Table{Title: "Parameters", Header: []string{"name", "path", "base", "values"}}
	for i := range p.Params {
		base := p.Params[i].Base
		if base == "" {
			base = "—"
		}
		t.Rows = append(t.Rows, []string{p.Params[i].Name, p.Params[i].Path, base, p.Params[i].Describe()})
	}
	if err := t.Text(w); err != nil {
		return err
	}
	if len(p.Constraints) > 0 {
		fmt.Fprintf(w, "\nConstraints, applied in order\n")
		for _, c := range p.Constraints {
			switch c.Kind {
			case "normalize":
				fmt.Fprintf(w, "  normalize: %s scaled to sum to %g\n", strings.Join(c.Paths, ", "), c.Total)
			default:
				if len(c.Paths) == 1 {
					fmt.Fprintf(w, "  complement: %s = %g − (%s)\n", c.Paths[0], c.Total, strings.Join(c.Of, " + "))
				} else {
					fmt.Fprintf(w, "  complement: %s share %g − (%s) in proportion to their base values\n", strings.Join(c.Paths, ", "), c.Total, strings.Join(c.Of, " + "))
				}
			}
		}
	}
	fmt.Fprintf(w, "\nColumns (%d): %s\n", len(p.Columns()), strings.Join(p.Columns(), ", "))
	if checked {
		fmt.Fprintf(w, "\nEvery one of the %d points gives a valid scenario.\n", p.Len())
	}
	if shards > 0 {
		fmt.Fprintln(w)
		st := &report.Table{Title: fmt.Sprintf("Shards (%d)", shards), Header: []string{"shard", "points", "count", "command"}, Right: []bool{false, false, true, false}}
		for i := range shards {
			from, to := sweep.ShardRange(p.Len(), i, shards)
			span := "—"
			if to > from {
				span = fmt.Sprintf("%d–%d", from, to-1)
			}
			st.Rows = append(st.Rows, []string{fmt.Sprintf("%d/%d", i, shards), span, strconv.Itoa(to - from),
				fmt.Sprintf("parley sweep run %s --shard %d/%d -o %s", arg, i, shards, p.ShardFile(i, shards, sweep.CSV))})
		}
		if err := st.Text(w); err != nil {
			return err
		}
		fmt.Fprintf(w, "then: parley sweep merge -o %s.csv %s\n", p.Name, strings.Replace(p.ShardFile(0, shards, sweep.CSV), "-shard-0-", "-shard-*-", 1))
	}
	return nil
}

func writePlanJSON(w io.Writer, arg string, p *sweep.Plan, shards int) error {
	type param struct {
		Name   string   `json:"name"`
		Path   string   `json:"path"`
		Base   string   `json:"base,omitempty"`
		Levels []string `json:"levels,omitempty"`
		Dist   string   `json:"distribution,omitempty"`
	}
	type shard struct {
		Shard string `json:"shard"`
		From  int    `json:"from"`
		To    int    `json:"to"`
	}
	out := struct {
		Sweep       string             `json:"sweep"`
		Plan        string             `json:"plan"`
		Base        string             `json:"base"`
		Design      sweep.Design       `json:"design"`
		Points      int                `json:"points"`
		Runs        int                `json:"runs"`
		Seed        uint64             `json:"seed"`
		Seeding     sweep.Seeding      `json:"seeding"`
		Parameters  []param            `json:"parameters"`
		Constraints []sweep.Constraint `json:"constraints,omitempty"`
		Columns     []string           `json:"columns"`
		Shards      []shard            `json:"shards,omitempty"`
	}{Sweep: p.Name, Plan: p.Fingerprint(), Base: p.BaseRef, Design: p.Design, Points: p.Len(), Runs: p.Runs, Seed: p.Seed,
		Seeding: p.Seeding, Constraints: p.Constraints, Columns: p.Columns()}
	for i := range p.Params {
		x := param{Name: p.Params[i].Name, Path: p.Params[i].Path, Base: p.Params[i].Base, Levels: p.Params[i].Levels}
		if !p.Params[i].Discrete() {
			x.Levels, x.Dist = nil, p.Params[i].Describe()
		}
		out.Parameters = append(out.Parameters, x)
	}
	for i := range shards {
		from, to := sweep.ShardRange(p.Len(), i, shards)
		out.Shards = append(out.Shards, shard{fmt.Sprintf("%d/%d", i, shards), from, to})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func newSweepMergeCmd(env *Env) *cobra.Command {
	var output, format string
	var chunk int
	cmd := &cobra.Command{
		Use:   "merge -o OUTPUT SHARD...",
		Short: "Join the outputs of a sweep's shards into the output of one run",
		Long: `Merge joins the outputs of a sweep's shards, given in any order, into one
output: byte for byte what 'sweep run' writes for the whole sweep on one
machine. It refuses, listing every reason, when an output is incomplete (resume
it), belongs to another plan, is of another format or split, or when shards are
missing or given twice. The output is written only if the merge succeeds.

Parquet shards (directories) merge into a Parquet directory -o DIR of parts of
--chunk points, the parts of one run with that --chunk; or, with --format csv
or jsonl (or -o ending in .csv or .jsonl), into that one file.`,
		Example: `  parley sweep merge -o study.csv out/study-shard-*-of-8.csv
  parley sweep merge -o study.parquet out/study-shard-*-of-8.parquet
  parley sweep merge -o study.csv out/study-shard-*-of-8.parquet`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var dirs []string
			for _, a := range args {
				if fi, err := os.Stat(env.path(a)); err == nil && fi.IsDir() {
					dirs = append(dirs, a)
				}
			}
			if len(dirs) > 0 {
				if len(dirs) < len(args) {
					return UsageErrorf("%s is a directory (a Parquet output) but not every input is: merge outputs of one format", dirs[0])
				}
				return mergeParquet(cmd, env, args, output, format, chunk)
			}
			if cmd.Flags().Changed("chunk") {
				return UsageErrorf("--chunk applies to Parquet output: it is the number of points of each part file")
			}
			if format != "" {
				if f, err := formatOf(format, ""); err != nil {
					return err
				} else if f == sweep.Parquet {
					return UsageErrorf("--format parquet: CSV and JSONL shards merge into their own format; run the sweep with --format parquet for Parquet output")
				}
			}
			var ins []sweep.Input
			defer func() {
				for _, in := range ins {
					in.R.(*os.File).Close()
				}
			}()
			for _, a := range args {
				f, err := os.Open(env.path(a))
				if err != nil {
					return UsageErrorf("cannot open %s: %v", a, unwrapPathError(err))
				}
				ins = append(ins, sweep.Input{Name: a, R: f})
			}
			// check before writing anything: a refused merge leaves -o as it was
			if err := sweep.Merge(io.Discard, ins); err != nil {
				return mergeError(err)
			}
			if format != "" {
				want, _ := formatOf(format, "")
				if _, err := ins[0].R.Seek(0, io.SeekStart); err != nil {
					return err
				}
				if c, err := sweep.Inspect(ins[0].R); err == nil && c.Format != want {
					return UsageErrorf("--format %s: the shards are %s; CSV and JSONL shards merge into their own format", want, c.Format)
				}
			}
			return writeOutput(env, output, func(w io.Writer) error {
				if err := sweep.Merge(w, ins); err != nil {
					return mergeError(err)
				}
				return nil
			})
		},
	}
	addOutputFlag(cmd, &output)
	cmd.Flags().StringVar(&format, "format", "", "output format: for Parquet shards parquet (default), csv or jsonl; CSV and JSONL shards keep theirs")
	cmd.Flags().IntVar(&chunk, "chunk", sweep.DefaultChunk, "parquet: points per part file (and row group)")
	return cmd
}

// mergeParquet merges Parquet shard directories into a Parquet directory,
// or a CSV or JSONL file; nothing is written unless the merge succeeds.
func mergeParquet(cmd *cobra.Command, env *Env, args []string, output, format string, chunk int) error {
	f := sweep.Parquet
	if format != "" || output != "" && output != "-" {
		var err error
		if f, err = formatOf(format, output); err != nil {
			return err
		}
		if format == "" && f == sweep.CSV && filepath.Ext(output) == "" {
			f = sweep.Parquet // a name without an extension is the directory
		}
	}
	if err := checkChunk(cmd, f, chunk); err != nil {
		return err
	}
	if err := checkOutputKind(env, f, output); err != nil {
		return err
	}
	paths := make([]string, len(args))
	for i, a := range args {
		paths[i] = env.path(a)
	}
	s, err := sweep.CheckParquetMerge(paths, args)
	if err != nil {
		return mergeError(err)
	}
	if f != sweep.Parquet {
		// the whole output is written to a temporary file, renamed when done
		return writeOutput(env, output, func(w io.Writer) error { return s.WriteText(w, f) })
	}
	full := env.path(output)
	if es, err := os.ReadDir(full); err == nil && len(es) > 0 {
		return UsageErrorf("%s exists and is not empty: remove it, or merge into another directory", output)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(full), "."+filepath.Base(full)+".merge-")
	if err != nil {
		return writeErr(output, err)
	}
	if err := s.WriteParts(tmp, sweep.PartOptions{Chunk: chunk, Version: env.Version}); err != nil {
		os.RemoveAll(tmp)
		return writeErr(output, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return writeErr(output, err)
	}
	// rename replaces a directory that is empty
	if err := os.Rename(tmp, full); err != nil {
		os.RemoveAll(tmp)
		return writeErr(output, err)
	}
	return nil
}

func mergeError(err error) error {
	var me *sweep.MergeError
	if errors.As(err, &me) {
		return UsageError(fmt.Errorf("cannot merge:\n%w", err))
	}
	return err
}

func newSweepEmitCmd(env *Env) *cobra.Command {
	var o struct {
		shards, cpus, parallelism                                   int
		output, format, time, mem, partition, outDir, parley, image string
		claim, namespace                                            string
	}
	cmd := &cobra.Command{
		Use:   "emit slurm|k8s SWEEP.yaml --shards N",
		Short: "Write an sbatch script or a Kubernetes Indexed Job that runs a sweep in shards",
		Long: `Emit writes what runs a sweep's shards on a cluster.

'emit slurm' writes an sbatch script for a job array of N tasks, one shard
each, in the current directory (#SBATCH --chdir); each task runs
'parley sweep run --shard "$SLURM_ARRAY_TASK_ID/N" --resume' into --out-dir,
which emit creates. Submit it with sbatch, then merge the shards.

'emit k8s' writes a ConfigMap holding the sweep file (and its base scenario
file, which must sit in the sweep file's directory or below) and a batch/v1 Job
with completionMode Indexed and N completions; each pod runs
'parley sweep run --shard auto/N --resume' (its shard comes from
JOB_COMPLETION_INDEX) and writes to the PersistentVolumeClaim --claim at /out.
Apply it with kubectl, copy the shards out and merge them.`,
		Example: `  parley sweep emit slurm study.yaml --shards 16 --cpus 4 --time 2:00:00 -o study.sbatch
  parley sweep emit k8s study.yaml --shards 16 --image ghcr.io/me/parley:v1 -o study-job.yaml`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			target := args[0]
			if target != "slurm" && target != "k8s" {
				return UsageErrorf("unknown target %q; emit writes for slurm or k8s", target)
			}
			if o.shards < 1 {
				return UsageErrorf("--shards must be at least 1, got %d", o.shards)
			}
			if o.cpus < 1 {
				return UsageErrorf("--cpus must be at least 1, got %d", o.cpus)
			}
			p, err := loadSweep(env, args[1])
			if err != nil {
				return err
			}
			f, err := formatOf(o.format, "")
			if err != nil {
				return err
			}
			var b bytes.Buffer
			switch target {
			case "slurm":
				for _, name := range []string{"image", "claim", "namespace", "parallelism", "memory"} {
					if cmd.Flags().Changed(name) {
						return UsageErrorf("--%s applies to k8s", name)
					}
				}
				dir := env.Dir
				if dir == "" {
					if dir, err = os.Getwd(); err != nil {
						return err
					}
				}
				if o.outDir == "" {
					o.outDir = p.Name + "-shards"
				}
				err = p.EmitSlurm(&b, sweep.SlurmOptions{Sweep: args[1], Shards: o.shards, CPUs: o.cpus, Time: o.time, Memory: o.mem,
					Partition: o.partition, Dir: dir, OutDir: o.outDir, Parley: o.parley, Format: f})
				if err != nil {
					return UsageError(err)
				}
				// Slurm opens the tasks' log files before they start: the directory must exist
				if mkErr := os.MkdirAll(filepath.Join(dir, o.outDir), 0o755); mkErr != nil {
					return fmt.Errorf("creating %s: %w", o.outDir, unwrapPathError(mkErr))
				}
			case "k8s":
				for _, name := range []string{"time", "mem", "partition", "out-dir", "parley"} {
					if cmd.Flags().Changed(name) {
						return UsageErrorf("--%s applies to slurm", name)
					}
				}
				if o.image == "" {
					return UsageErrorf("emit k8s needs --image, the container image that holds parley")
				}
				data, rerr := os.ReadFile(env.path(args[1]))
				if rerr != nil {
					return rerr
				}
				err = p.EmitK8s(&b, sweep.K8sOptions{Shards: o.shards, Parallelism: o.parallelism, Image: o.image, CPUs: o.cpus, Memory: o.mem,
					Claim: o.claim, Namespace: o.namespace, Format: f, SweepData: data})
				if err != nil {
					return UsageError(err)
				}
			}
			if err != nil {
				return err
			}
			return writeOutput(env, o.output, func(w io.Writer) error { _, err := w.Write(b.Bytes()); return err })
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&o.shards, "shards", 0, "the number of shards (array tasks or completions)")
	fl.IntVar(&o.cpus, "cpus", 2, "CPUs per task or pod, and the workers of each shard")
	fl.StringVar(&o.format, "format", "csv", "the shards' output format: csv, jsonl or parquet (a directory of parts per shard)")
	fl.StringVar(&o.time, "time", "", "slurm: the tasks' time limit, e.g. 2:00:00")
	fl.StringVar(&o.mem, "mem", "", "slurm: memory per task, e.g. 2G")
	fl.StringVar(&o.mem, "memory", "", "k8s: memory per pod, e.g. 1Gi")
	fl.StringVar(&o.partition, "partition", "", "slurm: the partition")
	fl.StringVar(&o.outDir, "out-dir", "", "slurm: directory for the shards' outputs and logs (default NAME-shards)")
	fl.StringVar(&o.parley, "parley", "parley", "slurm: the command that runs parley on the nodes")
	fl.StringVar(&o.image, "image", "", "k8s: the container image that holds parley")
	fl.StringVar(&o.claim, "claim", "parley-sweeps", "k8s: the PersistentVolumeClaim the shards are written to (mounted at /out)")
	fl.StringVar(&o.namespace, "namespace", "", "k8s: the namespace")
	fl.IntVar(&o.parallelism, "parallelism", 0, "k8s: pods at once (default: all shards)")
	addOutputFlag(cmd, &o.output)
	return cmd
}
