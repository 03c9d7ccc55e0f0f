package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/parleyhq/parley/game/ipd"
)

// maxMoranPopulation bounds the population of parley moran: every round
// plays a match between every two individuals.
const maxMoranPopulation = 1000

// historyRows is how many rounds the text output of moran shows at most.
const historyRows = 25

func newMoranCmd(env *Env) *cobra.Command {
	var (
		g         gameFlags
		mutation  float64
		mode      string
		maxRounds int
		keepGoing bool
		runs      int
		workers   int
		chart     string
		format    Format
		output    string
	)
	cmd := &cobra.Command{
		Use:     "moran STRAT[=COUNT]... [--turns N] [--noise E] [--mutation M] [--seed S] [--max-rounds N]",
		GroupID: groupWorkbench,
		Short:   "Run a Moran process on a population of iterated prisoner's dilemma strategies",
		Long: `Moran runs a Moran process, the evolutionary model of a finite population,
with the conventions of the Python Axelrod library's MoranProcess. Each
argument is one individual, or COUNT individuals when written STRAT=COUNT:
'TitForTat=9 Defector' is nine TitForTats and one Defector. A strategy is a
name from 'parley strategies' or fsm:PATH for a finite-state machine file.

In every round each two individuals play one match, and an individual's
fitness is the sum over the others of its score per turn. One individual is
chosen to reproduce in proportion to fitness and one to die uniformly at
random, the parent included (--mode bd); with --mode db the one that dies is
chosen first and the parent among the others. The offspring replaces the
dead. With --mutation M it is, with probability M, of another type of the
initial population, each equally likely. The process stops when one type has
taken over (fixation) — with mutation too, unless --keep-going — or after
--max-rounds rounds.

The output says who took over and when, and shows the population over the
rounds; with two types, no mutation and matches that cannot vary (no noise,
fixed length, deterministic rules) it adds the exact probability that each
type takes over. --runs N plays N processes (the first is seeded with
--seed) and counts who takes over, with 95% intervals. --chart draws the
population over the rounds, as SVG or PNG by the file's extension.`,
		Example: `  parley moran TitForTat=9 Defector
  parley moran TitForTat Cooperator Defector Grudger --seed 3 --chart moran.svg
  parley moran TitForTat=5 Defector=5 --turns 10 --runs 1000
  parley moran WinStayLoseShift=4 TitForTat=4 'Random(0.5)=2' --noise 0.05 --mutation 0.01 --keep-going --max-rounds 2000 --format json`,
		Args: usageArgs(func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return errors.New("moran needs the population: one or more STRAT or STRAT=COUNT")
			}
			return nil
		}),
		RunE: func(cmd *cobra.Command, args []string) error {
			rules, err := g.rules(cmd)
			if err != nil {
				return err
			}
			pop, err := parsePopulation(env, args)
			if err != nil {
				return err
			}
			if err := checkChartPath("--chart", chart); err != nil {
				return err
			}
			var m ipd.Moran
			switch strings.ToLower(mode) {
			case "bd":
				m.Mode = ipd.BirthDeath
			case "db":
				m.Mode = ipd.DeathBirth
			default:
				return UsageErrorf("--mode must be bd (birth then death) or db (death then birth), got %q", mode)
			}
			if maxRounds < 1 {
				return UsageErrorf("--max-rounds must be at least 1, got %d", maxRounds)
			}
			if runs < 1 {
				return UsageErrorf("--runs must be at least 1, got %d", runs)
			}
			if workers < 0 {
				return UsageErrorf("--workers must be 0 (every core) or more, got %d", workers)
			}
			m.Population, m.Rules, m.Mutation, m.MaxRounds, m.KeepGoing, m.Seed = pop, rules, mutation, maxRounds, keepGoing, g.seed
			res, err := m.Run(cmd.Context())
			if err != nil {
				return moranError(err)
			}
			var many *ipd.MoranRuns
			if runs > 1 {
				if many, err = m.RunMany(cmd.Context(), runs, workers); err != nil {
					return moranError(err)
				}
			}
			exact, hasExact := m.ExactFixation()
			rep := moranReport{m: &m, res: res, many: many, exact: exact, hasExact: hasExact}
			var out bytes.Buffer
			if format == FormatJSON {
				err = rep.writeJSON(&out)
			} else {
				err = rep.writeText(&out)
			}
			if err != nil {
				return err
			}
			charts := map[string]*ipd.Chart{}
			if chart != "" {
				charts[chart] = res.Chart()
			}
			return writeWithCharts(env, output, out.Bytes(), charts)
		},
	}
	g.add(cmd)
	fl := cmd.Flags()
	fl.Float64Var(&mutation, "mutation", 0, "probability that an offspring is of another type of the initial population")
	fl.StringVar(&mode, "mode", "bd", "order of the events of a round: bd (birth, then death) or db (death, then birth)")
	fl.IntVar(&maxRounds, "max-rounds", ipd.DefaultMoranRounds, "stop after this many rounds")
	fl.BoolVar(&keepGoing, "keep-going", false, "with --mutation, go on after a type has taken over, up to --max-rounds")
	fl.IntVar(&runs, "runs", 1, "play this many processes and count who takes over")
	fl.IntVar(&workers, "workers", 0, "goroutines for --runs (0: every core); never changes the results")
	fl.StringVar(&chart, "chart", "", "also draw the population over the rounds to this `FILE`, .svg or .png")
	addFormatFlag(cmd, &format, FormatText, FormatText, FormatJSON)
	addOutputFlag(cmd, &output)
	return cmd
}

// parsePopulation reads the individuals: STRAT or STRAT=COUNT each.
func parsePopulation(env *Env, args []string) ([]*ipd.Strategy, error) {
	var pop []*ipd.Strategy
	rs := machineResolver(env, "")
	for _, arg := range args {
		spec, count := arg, 1
		if i := strings.LastIndexByte(arg, '='); i >= 0 {
			n, err := strconv.Atoi(strings.TrimSpace(arg[i+1:]))
			if err != nil || n < 1 {
				return nil, UsageErrorf("%q: the count after = must be a whole number, at least 1", arg)
			}
			spec, count = arg[:i], n
		}
		s, err := rs.Lookup(spec)
		if err != nil {
			return nil, UsageError(err)
		}
		if len(pop)+count > maxMoranPopulation {
			return nil, UsageErrorf("the population may have at most %d individuals (every round plays a match between every two)", maxMoranPopulation)
		}
		for range count {
			pop = append(pop, s)
		}
	}
	return pop, nil
}

// moranError rewords the process's field errors as usage errors naming
// the flag or the arguments.
func moranError(err error) error {
	var fe *ipd.FieldError
	if errors.As(err, &fe) {
		switch {
		case fe.Field == "mutation":
			return UsageErrorf("--mutation: %s", fe.Msg)
		case fe.Field == "max_rounds":
			return UsageErrorf("--max-rounds: %s", fe.Msg)
		case strings.HasPrefix(fe.Field, "population"):
			return UsageErrorf("population: %s", fe.Msg)
		}
	}
	return flagError(err)
}

// checkChartPath refuses a chart file that is neither .svg nor .png.
func checkChartPath(flag, path string) error {
	if ext := strings.ToLower(filepath.Ext(path)); path != "" && ext != ".svg" && ext != ".png" {
		return UsageErrorf("%s %s: the file must end in .svg or .png, which says how to draw it", flag, path)
	}
	return nil
}

// writeWithCharts writes the output (to output, or standard output when it
// is empty or -) and the charts, all files or none.
func writeWithCharts(env *Env, output string, out []byte, charts map[string]*ipd.Chart) error {
	files := map[string][]byte{}
	for path, c := range charts {
		var b bytes.Buffer
		write := c.WriteSVG
		if strings.EqualFold(filepath.Ext(path), ".png") {
			write = c.WritePNG
		}
		if err := write(&b); err != nil {
			return err
		}
		files[path] = b.Bytes()
	}
	return writeAll(env, output, out, files)
}

// moranReport is what moran prints.
type moranReport struct {
	m        *ipd.Moran
	res      *ipd.MoranResult
	many     *ipd.MoranRuns
	exact    [2]float64
	hasExact bool
}

// populationText writes the initial population as "TitForTat ×9, Defector ×1".
func (r *moranReport) populationText() string {
	var parts []string
	for k, s := range r.res.Types {
		parts = append(parts, fmt.Sprintf("%s ×%d", s.Name, r.res.Counts[0][k]))
	}
	return strings.Join(parts, ", ")
}

func (r *moranReport) describe() string {
	var b strings.Builder
	if r.m.Mode == ipd.DeathBirth {
		b.WriteString("death-birth (death uniform, then the parent in proportion to fitness among the others)")
	} else {
		b.WriteString("birth-death (the parent in proportion to fitness, then death uniform)")
	}
	if r.m.Mutation > 0 {
		fmt.Fprintf(&b, "; mutation %s", fmtG(r.m.Mutation))
		if r.m.KeepGoing {
			b.WriteString(", going on after fixations")
		}
	} else {
		b.WriteString("; no mutation")
	}
	fmt.Fprintf(&b, "; seed %d", r.m.Seed)
	return b.String()
}

func (r *moranReport) writeText(w io.Writer) error {
	res := r.res
	fmt.Fprintf(w, "Moran process of %d individuals: %s\n", len(r.m.Population), r.populationText())
	fmt.Fprintf(w, "%s\n%s\n\n", describeRules(r.m.Rules), r.describe())
	if res.Fixated {
		fmt.Fprintf(w, "%s took over after %d round(s).\n", res.Types[res.Winner].Name, res.Rounds)
	} else {
		fmt.Fprintf(w, "No type took over within %d round(s).\n", res.Rounds)
	}
	if r.hasExact {
		fmt.Fprintf(w, "Exact probability of taking over from this start: %s %.4f, %s %.4f.\n",
			res.Types[0].Name, r.exact[0], res.Types[1].Name, r.exact[1])
	}
	if r.many != nil {
		return r.writeRunsText(w)
	}
	fmt.Fprintln(w, "\nPopulation over the rounds:")
	rows, step := historyIndex(res.Rounds)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "ROUND\t")
	for _, s := range res.Types {
		fmt.Fprintf(tw, "%s\t", s.Name)
	}
	fmt.Fprintln(tw)
	for _, t := range rows {
		fmt.Fprintf(tw, "%d\t", t)
		for _, c := range res.Counts[t] {
			fmt.Fprintf(tw, "%d\t", c)
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if step > 1 {
		fmt.Fprintf(w, "(every %d rounds and the last; --format json lists them all)\n", step)
	}
	return nil
}

// historyIndex picks the rounds the text shows: all of them, or evenly
// spaced ones and the last.
func historyIndex(rounds int) ([]int, int) {
	step := 1
	if rounds+1 > historyRows {
		step = (rounds + historyRows - 2) / (historyRows - 1)
	}
	var rows []int
	for t := 0; t <= rounds; t += step {
		rows = append(rows, t)
	}
	if rows[len(rows)-1] != rounds {
		rows = append(rows, rounds)
	}
	return rows, step
}

// wilson is the 95% Wilson score interval of k successes in n trials.
func wilson(k, n int) (float64, float64) {
	const z = 1.959963984540054
	p, nn := float64(k)/float64(n), float64(n)
	mid := (p + z*z/(2*nn)) / (1 + z*z/nn)
	half := z / (1 + z*z/nn) * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn))
	return max(0, mid-half), min(1, mid+half)
}

func (r *moranReport) writeRunsText(w io.Writer) error {
	mr, n := r.many, len(r.many.Winners)
	fmt.Fprintf(w, "\n%d runs (run k seeded from --seed and k; run 1 is the one above): who took over\n", n)
	none := n
	for _, f := range mr.Fixations {
		none -= f
	}
	noneLabel := fmt.Sprintf("(none within %d rounds)", r.m.MaxRounds)
	width := len("TYPE")
	if none > 0 {
		width = len(noneLabel)
	}
	for _, s := range mr.Types {
		width = max(width, len(s.Name))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := fmt.Sprintf("%-*s\tRUNS\tSHARE\t95%% INTERVAL\t", width, "TYPE")
	if r.hasExact {
		header += "EXACT\t"
	}
	fmt.Fprintln(tw, header)
	for k, s := range mr.Types {
		lo, hi := wilson(mr.Fixations[k], n)
		fmt.Fprintf(tw, "%-*s\t%d\t%.4f\t[%.4f, %.4f]\t", width, s.Name, mr.Fixations[k], float64(mr.Fixations[k])/float64(n), lo, hi)
		if r.hasExact {
			fmt.Fprintf(tw, "%.4f\t", r.exact[k])
		}
		fmt.Fprintln(tw)
	}
	if none > 0 {
		fmt.Fprintf(tw, "%-*s\t%d\t%.4f\t\t", width, noneLabel, none, float64(none)/float64(n))
		if r.hasExact {
			fmt.Fprint(tw, "\t")
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var fixed []int
	for k, wnr := range mr.Winners {
		if wnr >= 0 {
			fixed = append(fixed, mr.Rounds[k])
		}
	}
	if len(fixed) > 0 {
		slices.Sort(fixed)
		sum := 0
		for _, v := range fixed {
			sum += v
		}
		fmt.Fprintf(w, "Rounds to fixation: mean %.1f, median %d, max %d.\n", float64(sum)/float64(len(fixed)), fixed[len(fixed)/2], fixed[len(fixed)-1])
	}
	return nil
}

type moranRunsJSON struct {
	Count     int            `json:"count"`
	Fixations map[string]int `json:"fixations"`
	// Unfixated counts the runs in which no type took over.
	Unfixated int `json:"unfixated"`
	// Winners[k] is the type that took over in run k (null: none).
	Winners []*string `json:"winners"`
	Rounds  []int     `json:"rounds"`
}

type moranJSON struct {
	Population    []string           `json:"population"`
	Types         []string           `json:"types"`
	Turns         int                `json:"turns"`
	LengthKnown   bool               `json:"length_known"`
	ProbEnd       float64            `json:"prob_end"`
	Noise         float64            `json:"noise"`
	Payoffs       ipd.PayoffsSummary `json:"payoffs"`
	Mode          string             `json:"mode"`
	Mutation      float64            `json:"mutation"`
	KeepGoing     bool               `json:"keep_going"`
	MaxRounds     int                `json:"max_rounds"`
	Seed          uint64             `json:"seed"`
	Rounds        int                `json:"rounds"`
	Fixated       bool               `json:"fixated"`
	Winner        *string            `json:"winner"`
	Populations   [][]int            `json:"populations"`
	ExactFixation map[string]float64 `json:"exact_fixation,omitempty"`
	Runs          *moranRunsJSON     `json:"runs,omitempty"`
}

func (r *moranReport) writeJSON(w io.Writer) error {
	res, rules := r.res, r.m.Rules
	p := rules.Payoffs
	out := moranJSON{
		Turns: rules.Turns, LengthKnown: rules.LengthKnown(), ProbEnd: rules.ProbEnd, Noise: rules.Noise,
		Payoffs: p.Summary(), Mode: r.m.Mode.String(), Mutation: r.m.Mutation, KeepGoing: r.m.KeepGoing,
		MaxRounds: r.m.MaxRounds, Seed: r.m.Seed, Rounds: res.Rounds, Fixated: res.Fixated, Populations: res.Counts,
	}
	for _, s := range r.m.Population {
		out.Population = append(out.Population, s.Name)
	}
	for _, s := range res.Types {
		out.Types = append(out.Types, s.Name)
	}
	if res.Fixated {
		out.Winner = &res.Types[res.Winner].Name
	}
	if r.hasExact {
		out.ExactFixation = map[string]float64{res.Types[0].Name: r.exact[0], res.Types[1].Name: r.exact[1]}
	}
	if mr := r.many; mr != nil {
		rj := &moranRunsJSON{Count: len(mr.Winners), Fixations: map[string]int{}, Rounds: mr.Rounds}
		for k, s := range mr.Types {
			rj.Fixations[s.Name] = mr.Fixations[k]
		}
		for _, wnr := range mr.Winners {
			if wnr < 0 {
				rj.Unfixated++
				rj.Winners = append(rj.Winners, nil)
				continue
			}
			rj.Winners = append(rj.Winners, &mr.Types[wnr].Name)
		}
		out.Runs = rj
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
