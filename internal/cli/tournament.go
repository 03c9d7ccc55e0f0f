package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/parleyhq/parley/game/ipd"
)

// defaultLineup is the built-in line-up used without --lineup.
const defaultLineup = "axelrod-first"

func newTournamentCmd(env *Env) *cobra.Command {
	var (
		g           gameFlags
		lineup      string
		repetitions int
		workers     int
		format      Format
		output      string
		chart       string
		heatmap     string
	)
	cmd := &cobra.Command{
		Use:     "tournament [--lineup axelrod-first|FILE] [--turns N] [--repetitions N] [--noise E] [--prob-end P]",
		GroupID: groupWorkbench,
		Short:   "Play a round-robin tournament of iterated prisoner's dilemmas",
		Long: `Tournament plays a round robin with the conventions of the Python Axelrod
library: every pair of strategies meets once per repetition, and each
strategy also meets a copy of itself. Self-play is reported (SELF) but left
out of everything else.

A strategy's normalised score in one repetition is its mean score per turn
against the other strategies. Strategies are ranked by the median of their
normalised scores over the repetitions (ties keep line-up order); MIN and MAX
show the spread. WINS is the median number of matches per repetition it won
outright; COOP the fraction of its moves that were C.

--lineup is a built-in line-up (axelrod-first: the 18 rules of the reference
list) or a file with one strategy per line as 'parley strategies' names them;
blank lines and text after # are ignored; - reads standard input.

Match (i, j) of repetition r is seeded from (--seed, i, j, r) alone, so the
results do not depend on --workers.

--chart draws the normalised scores as a box plot, strategies in the order
of the ranking; --heatmap draws the payoff matrix (mean score per turn of
each strategy against each other) as a heat map. Each is SVG or PNG by the
file's extension.`,
		Example: `  parley tournament
  parley tournament --noise 0.05 --repetitions 50 --seed 3
  parley tournament --lineup my-lineup.txt --prob-end 0.01 --format csv -o results.csv
  parley tournament --noise 0.05 --repetitions 50 --chart scores.svg --heatmap payoffs.png`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			rules, err := g.rules(cmd)
			if err != nil {
				return err
			}
			players, source, err := loadLineup(env, lineup)
			if err != nil {
				return err
			}
			if repetitions < 1 {
				return UsageErrorf("--repetitions must be at least 1, got %d", repetitions)
			}
			if workers < 0 {
				return UsageErrorf("--workers must be 0 (every core) or more, got %d", workers)
			}
			if err := checkChartPath("--chart", chart); err != nil {
				return err
			}
			if err := checkChartPath("--heatmap", heatmap); err != nil {
				return err
			}
			t := ipd.Tournament{Players: players, Rules: rules, Repetitions: repetitions, Seed: g.seed, Workers: workers}
			var bar *progressbar.ProgressBar
			if env.IsTerminal && env.Getenv("CI") == "" {
				bar = progressbar.NewOptions(1, progressbar.OptionSetWriter(env.Stderr),
					progressbar.OptionSetDescription("matches"), progressbar.OptionShowCount(),
					progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
				t.Progress = func(done, total int) { bar.ChangeMax(total); _ = bar.Set(done) }
			}
			res, err := t.Run(cmd.Context())
			if bar != nil {
				_ = bar.Finish()
			}
			if err != nil {
				return flagError(err)
			}
			var out bytes.Buffer
			switch format {
			case FormatCSV:
				err = writeTournamentCSV(&out, res)
			case FormatJSON:
				err = writeTournamentJSON(&out, res, source)
			default:
				err = writeTournamentText(&out, res, source)
			}
			if err != nil {
				return err
			}
			charts := map[string]*ipd.Chart{}
			if chart != "" {
				charts[chart] = res.BoxPlot()
			}
			if heatmap != "" {
				charts[heatmap] = res.Heatmap()
			}
			return writeWithCharts(env, output, out.Bytes(), charts)
		},
	}
	g.add(cmd)
	cmd.Flags().StringVar(&chart, "chart", "", "also draw a box plot of the normalised scores to this `FILE`, .svg or .png")
	cmd.Flags().StringVar(&heatmap, "heatmap", "", "also draw the payoff matrix as a heat map to this `FILE`, .svg or .png")
	cmd.Flags().StringVar(&lineup, "lineup", defaultLineup, "the strategies: a built-in line-up ("+strings.Join(ipd.LineupNames(), ", ")+") or a `FILE`")
	cmd.Flags().IntVar(&repetitions, "repetitions", 10, "repetitions of the round robin")
	cmd.Flags().IntVar(&workers, "workers", 0, "goroutines to use (0: every core); never changes the results")
	addFormatFlag(cmd, &format, FormatText, FormatText, FormatCSV, FormatJSON)
	addOutputFlag(cmd, &output)
	return cmd
}

// loadLineup resolves --lineup: a built-in name, "-" for standard input,
// or a file. It returns the players and how to name the line-up.
func loadLineup(env *Env, arg string) ([]*ipd.Strategy, string, error) {
	if ps, ok := ipd.Lineup(arg); ok {
		return ps, arg, nil
	}
	var data []byte
	name := arg
	switch {
	case arg == stdinArg:
		var err error
		data, err = io.ReadAll(io.LimitReader(env.Stdin, maxStdinBytes))
		if err != nil {
			return nil, "", fmt.Errorf("reading the line-up from standard input: %w", err)
		}
		name = stdinName
	default:
		fi, err := os.Stat(env.path(arg))
		if err != nil {
			return nil, "", UsageErrorf("--lineup %q is neither a built-in line-up (%s) nor a file", arg, strings.Join(ipd.LineupNames(), ", "))
		}
		if fi.IsDir() {
			return nil, "", UsageErrorf("--lineup %s is a directory, not a line-up file", arg)
		}
		if data, err = os.ReadFile(env.path(arg)); err != nil {
			return nil, "", UsageErrorf("cannot read %s: %v", arg, unwrapPathError(err))
		}
	}
	dir := ""
	if arg != stdinArg {
		dir = filepath.Dir(arg)
	}
	ps, err := machineResolver(env, dir).ParseLineup(bytes.NewReader(data), name)
	if err != nil {
		return nil, "", UsageErrorf("bad line-up:\n%w", err)
	}
	return ps, name, nil
}

// machineResolver looks strategies up and reads the machine files of
// fsm:PATH specs, a relative PATH taken from dir (the working directory
// when dir is empty).
func machineResolver(env *Env, dir string) ipd.Resolver {
	return ipd.Resolver{ReadFile: func(p string) ([]byte, error) {
		if !filepath.IsAbs(p) && dir != "" {
			p = filepath.Join(dir, p)
		}
		fi, err := os.Stat(env.path(p))
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", p, unwrapPathError(err))
		}
		if fi.IsDir() {
			return nil, fmt.Errorf("%s is a directory, not a machine file", p)
		}
		data, err := os.ReadFile(env.path(p))
		if err != nil {
			return nil, fmt.Errorf("cannot read %s: %w", p, unwrapPathError(err))
		}
		return data, nil
	}}
}

func writeTournamentText(w io.Writer, res *ipd.Results, source string) error {
	fmt.Fprintf(w, "Round robin of %d strategies (%s), %d repetition(s), seed %d\n", len(res.Players), source, res.Repetitions, res.Seed)
	fmt.Fprintf(w, "%s\n\n", describeRules(res.Rules))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	width := len("STRATEGY")
	for _, s := range res.Standings {
		width = max(width, len(s.Name))
	}
	fmt.Fprintf(tw, "RANK\t%-*s\tMEDIAN\tMIN\tMAX\tWINS\tCOOP\tSELF\t\n", width, "STRATEGY")
	for _, s := range res.Standings {
		fmt.Fprintf(tw, "%d\t%-*s\t%.4f\t%.4f\t%.4f\t%s\t%.1f%%\t%.3f\t\n", s.Rank, width, s.Name, s.Median, s.Min, s.Max,
			fmtG(s.MedianWins), 100*s.Cooperation, s.SelfPlay)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "\nMEDIAN, MIN, MAX: normalised score (mean score per turn per opponent, self-play excluded) over the repetitions;\n"+
		"WINS: median matches won per repetition; COOP: share of C moves; SELF: score per turn against its own copy.")
	return err
}

var tournamentCSVHeader = []string{"rank", "strategy", "median_score", "mean_score", "min_score", "q1_score", "q3_score", "max_score",
	"median_wins", "total_wins", "cooperation_rating", "self_play_score", "total_score"}

func writeTournamentCSV(w io.Writer, res *ipd.Results) error {
	cw := csv.NewWriter(w)
	cw.Write(tournamentCSVHeader)
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for _, s := range res.Standings {
		cw.Write([]string{strconv.Itoa(s.Rank), s.Name, f(s.Median), f(s.Mean), f(s.Min), f(s.Q1), f(s.Q3), f(s.Max),
			f(s.MedianWins), strconv.Itoa(s.TotalWins), f(s.Cooperation), f(s.SelfPlay), f(s.TotalScore)})
	}
	cw.Flush()
	return cw.Error()
}

// tournamentJSON is the tournament's summary with the line-up it came from.
type tournamentJSON struct {
	Lineup string `json:"lineup"`
	ipd.TournamentSummary
}

func writeTournamentJSON(w io.Writer, res *ipd.Results, source string) error {
	out := tournamentJSON{Lineup: source, TournamentSummary: res.Summary()}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
