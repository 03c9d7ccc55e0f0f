package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/parleyhq/parley/game/ipd"
)

// maxEcologySteps bounds --steps.
const maxEcologySteps = 1_000_000

// survivalShare is the share below which the text output counts a
// strategy as gone.
const survivalShare = 0.001

func newEcologyCmd(env *Env) *cobra.Command {
	var (
		g           gameFlags
		lineup      string
		repetitions int
		workers     int
		steps       int
		sample      bool
		chart       string
		format      Format
		output      string
	)
	cmd := &cobra.Command{
		Use:     "ecology [--lineup axelrod-first|FILE] [--turns N] [--repetitions N] [--noise E] [--steps N]",
		GroupID: groupWorkbench,
		Short:   "Run Axelrod's ecological variant: replicator dynamics on a tournament's payoff matrix",
		Long: `Ecology plays a round robin as 'parley tournament' does, then lets the
strategies compete as populations, as in Axelrod's ecological analysis and
the Python Axelrod library's Ecosystem. The population starts with equal
shares. In each step every strategy earns its mean score per turn against
the population — the payoff matrix weighted by the shares, its own share
included through self-play — and its share is multiplied by what it earned,
the shares then scaled to sum to 1 (discrete replicator dynamics). Strategies
that earn more than the average grow.

The payoff matrix is the mean over the repetitions of each pair's score per
turn. --sample draws each entry afresh at every step from a normal law with
the standard deviation over the repetitions, as the reference library does;
the draws come from --seed.

The text output ranks the strategies by their final share and shows their
shares on the way; --format csv gives one row per step and one column per
strategy; --format json adds the payoff matrix. --chart draws the shares
over the steps, as SVG or PNG by the file's extension.`,
		Example: `  parley ecology
  parley ecology --noise 0.05 --repetitions 20 --steps 500 --chart ecology.svg
  parley ecology --lineup my-lineup.txt --format csv -o shares.csv`,
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
			if steps < 0 || steps > maxEcologySteps {
				return UsageErrorf("--steps must be between 0 and %d, got %d", maxEcologySteps, steps)
			}
			if err := checkChartPath("--chart", chart); err != nil {
				return err
			}
			t := ipd.Tournament{Players: players, Rules: rules, Repetitions: repetitions, Seed: g.seed, Workers: workers}
			res, err := t.Run(cmd.Context())
			if err != nil {
				return flagError(err)
			}
			mean, sd := res.PayoffMatrix()
			eco := ipd.Ecology{Payoffs: mean, Seed: g.seed}
			if sample {
				eco.Deviations = sd
			}
			shares, err := eco.Run(steps)
			if err != nil {
				return ecologyError(err)
			}
			rep := ecologyReport{res: res, source: source, shares: shares, mean: mean, sd: sd, sample: sample}
			var out bytes.Buffer
			switch format {
			case FormatCSV:
				err = rep.writeCSV(&out)
			case FormatJSON:
				err = rep.writeJSON(&out)
			default:
				err = rep.writeText(&out)
			}
			if err != nil {
				return err
			}
			charts := map[string]*ipd.Chart{}
			if chart != "" {
				charts[chart] = ipd.SharesChart("Ecological dynamics: shares of the population over the steps",
					fmt.Sprintf("%d strategies (%s); %s; %d repetition(s), seed %d", len(players), source,
						describeRules(res.Rules), repetitions, g.seed), "step", rep.names(), shares)
			}
			return writeWithCharts(env, output, out.Bytes(), charts)
		},
	}
	g.add(cmd)
	fl := cmd.Flags()
	fl.StringVar(&lineup, "lineup", defaultLineup, "the strategies: a built-in line-up ("+strings.Join(ipd.LineupNames(), ", ")+") or a `FILE`")
	fl.IntVar(&repetitions, "repetitions", 10, "repetitions of the round robin")
	fl.IntVar(&workers, "workers", 0, "goroutines to use (0: every core); never changes the results")
	fl.IntVar(&steps, "steps", 100, "steps of the dynamics")
	fl.BoolVar(&sample, "sample", false, "draw the payoffs at every step from their spread over the repetitions, as the reference library does")
	fl.StringVar(&chart, "chart", "", "also draw the shares over the steps to this `FILE`, .svg or .png")
	addFormatFlag(cmd, &format, FormatText, FormatText, FormatCSV, FormatJSON)
	addOutputFlag(cmd, &output)
	return cmd
}

// ecologyError rewords the dynamics' errors: negative payoffs are a
// problem of --payoffs; a population without fitness is a failure.
func ecologyError(err error) error {
	if strings.Contains(err.Error(), "not negative") && strings.HasPrefix(err.Error(), "payoffs[") {
		return UsageErrorf("--payoffs: the shares grow in proportion to the scores, so no score may be negative (%v)", err)
	}
	return err
}

// ecologyReport is what ecology prints.
type ecologyReport struct {
	res      *ipd.Results
	source   string
	shares   [][]float64
	mean, sd [][]float64
	sample   bool
}

func (r *ecologyReport) names() []string {
	out := make([]string, len(r.res.Players))
	for i, s := range r.res.Players {
		out[i] = s.Name
	}
	return out
}

// checkpoints are the steps the text output shows: 0, about a tenth, a
// quarter and a half of the way, and the last.
func checkpoints(steps int) []int {
	var out []int
	for _, f := range []float64{0, 0.1, 0.25, 0.5, 1} {
		t := int(f * float64(steps))
		if len(out) == 0 || t > out[len(out)-1] {
			out = append(out, t)
		}
	}
	return out
}

// ranked returns the strategies in order of final share, largest first,
// ties in line-up order.
func (r *ecologyReport) ranked() []int {
	final := r.shares[len(r.shares)-1]
	order := make([]int, len(final))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case final[a] > final[b]:
			return -1
		case final[a] < final[b]:
			return 1
		}
		return 0
	})
	return order
}

func (r *ecologyReport) writeText(w io.Writer) error {
	steps := len(r.shares) - 1
	res := r.res
	fmt.Fprintf(w, "Ecological dynamics of %d strategies (%s) over %d step(s), from equal shares\n", len(res.Players), r.source, steps)
	fmt.Fprintf(w, "Tournament: %s; %d repetition(s), seed %d\n", describeRules(res.Rules), res.Repetitions, res.Seed)
	if r.sample {
		fmt.Fprintln(w, "Payoffs drawn at every step from their spread over the repetitions.")
	}
	fmt.Fprintln(w)
	cps := checkpoints(steps)
	width := len("STRATEGY")
	for _, s := range res.Players {
		width = max(width, len(s.Name))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "RANK\t%-*s\t", width, "STRATEGY")
	for _, t := range cps {
		fmt.Fprintf(tw, "STEP %d\t", t)
	}
	fmt.Fprintln(tw)
	final := r.shares[steps]
	survivors := 0
	for k, i := range r.ranked() {
		fmt.Fprintf(tw, "%d\t%-*s\t", k+1, width, res.Players[i].Name)
		for _, t := range cps {
			fmt.Fprintf(tw, "%.4f\t", r.shares[t][i])
		}
		fmt.Fprintln(tw)
		if final[i] >= survivalShare {
			survivors++
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d of %d strategies hold a share of at least %g after step %d.\n", survivors, len(res.Players), survivalShare, steps)
	return err
}

func (r *ecologyReport) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(append([]string{"step"}, r.names()...))
	row := make([]string, len(r.res.Players)+1)
	for t, x := range r.shares {
		row[0] = strconv.Itoa(t)
		for i, v := range x {
			row[i+1] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

type ecologyShareJSON struct {
	Strategy string  `json:"strategy"`
	Share    float64 `json:"share"`
}

type ecologyJSON struct {
	Lineup      string             `json:"lineup"`
	Players     []string           `json:"players"`
	Turns       int                `json:"turns"`
	LengthKnown bool               `json:"length_known"`
	ProbEnd     float64            `json:"prob_end"`
	Noise       float64            `json:"noise"`
	Payoffs     ipd.PayoffsSummary `json:"payoffs"`
	Repetitions int                `json:"repetitions"`
	Seed        uint64             `json:"seed"`
	Steps       int                `json:"steps"`
	Sampled     bool               `json:"sampled"`
	// PayoffMatrix[i][j] is player i's mean score per turn against j over
	// the repetitions, PayoffStddevs its standard deviation.
	PayoffMatrix  [][]float64 `json:"payoff_matrix"`
	PayoffStddevs [][]float64 `json:"payoff_stddevs"`
	// Shares[t][i] is player i's share after step t, in line-up order.
	Shares [][]float64        `json:"shares"`
	Final  []ecologyShareJSON `json:"final"`
}

func (r *ecologyReport) writeJSON(w io.Writer) error {
	res := r.res
	p := res.Rules.Payoffs
	out := ecologyJSON{
		Lineup: r.source, Players: r.names(), Turns: res.Rules.Turns, LengthKnown: res.Rules.LengthKnown(),
		ProbEnd: res.Rules.ProbEnd, Noise: res.Rules.Noise, Payoffs: p.Summary(),
		Repetitions: res.Repetitions, Seed: res.Seed, Steps: len(r.shares) - 1, Sampled: r.sample,
		PayoffMatrix: r.mean, PayoffStddevs: r.sd, Shares: r.shares,
	}
	final := r.shares[len(r.shares)-1]
	for _, i := range r.ranked() {
		out.Final = append(out.Final, ecologyShareJSON{res.Players[i].Name, final[i]})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
