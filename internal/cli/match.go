package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/parleyhq/parley/game/ipd"
)

// gameFlags are the rules of play shared by match and tournament.
type gameFlags struct {
	turns   int
	noise   float64
	probEnd float64
	seed    uint64
	payoffs string
	anyGame bool
}

func (g *gameFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.IntVar(&g.turns, "turns", 200, "turns per match, known to the players; with --prob-end, an upper bound on the drawn length if given")
	fl.Float64Var(&g.noise, "noise", 0, "probability that each action is flipped")
	fl.Float64Var(&g.probEnd, "prob-end", 0, "probability that a match ends after any turn (the players are then not told the length)")
	fl.Uint64Var(&g.seed, "seed", 1, "seed of every random draw")
	fl.StringVar(&g.payoffs, "payoffs", "3,0,5,1", "payoffs `R,S,T,P`: mutual cooperation, sucker, temptation, mutual defection")
	fl.BoolVar(&g.anyGame, "any-game", false, "accept payoffs that do not make a prisoner's dilemma (T > R > P > S, 2R > T+S)")
}

// rules turns the flags into rules of play, checked; bad values are usage
// errors that name the flag.
func (g *gameFlags) rules(cmd *cobra.Command) (ipd.Rules, error) {
	parts := strings.Split(g.payoffs, ",")
	var v [4]float64
	if len(parts) != 4 {
		return ipd.Rules{}, UsageErrorf("--payoffs wants four numbers R,S,T,P, got %q", g.payoffs)
	}
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return ipd.Rules{}, UsageErrorf("--payoffs wants four numbers R,S,T,P, got %q", g.payoffs)
		}
		v[i] = x
	}
	r := ipd.Rules{
		Payoffs:         ipd.Payoffs{R: v[0], S: v[1], T: v[2], P: v[3]},
		AllowAnyPayoffs: g.anyGame,
		Turns:           g.turns,
		ProbEnd:         g.probEnd,
		Noise:           g.noise,
	}
	if g.probEnd > 0 && !cmd.Flags().Changed("turns") {
		r.Turns = 0 // no bound but ipd.MaxTurns
	}
	if err := r.Validate(); err != nil {
		return ipd.Rules{}, flagError(err)
	}
	return r, nil
}

// ruleFlags maps the fields of ipd's errors to the flags that set them.
var ruleFlags = map[string]string{
	"turns": "--turns", "noise": "--noise", "prob_end": "--prob-end", "payoffs": "--payoffs",
	"payoffs.R": "--payoffs", "payoffs.S": "--payoffs", "payoffs.T": "--payoffs", "payoffs.P": "--payoffs",
	"repetitions": "--repetitions", "workers": "--workers",
}

// flagError rewords an ipd field error about a flag's value as a usage
// error naming the flag.
func flagError(err error) error {
	var fe *ipd.FieldError
	if errors.As(err, &fe) {
		if f, ok := ruleFlags[fe.Field]; ok {
			msg := fe.Msg
			if fe.Field == "payoffs" {
				msg = strings.Replace(msg, "allow any game explicitly", "add --any-game", 1)
			}
			return UsageErrorf("%s: %s", f, msg)
		}
		return UsageError(err)
	}
	return err
}

// describeRules says in words how the matches are played.
func describeRules(r ipd.Rules) string {
	var b strings.Builder
	if r.LengthKnown() {
		fmt.Fprintf(&b, "%d turns, known to the players", r.Turns)
	} else {
		fmt.Fprintf(&b, "each turn the last with probability %s (length unknown to the players", fmtG(r.ProbEnd))
		if r.Turns > 0 {
			fmt.Fprintf(&b, ", at most %d turns", r.Turns)
		}
		b.WriteString(")")
	}
	fmt.Fprintf(&b, "; noise %s; payoffs %v", fmtG(r.Noise), r.Payoffs)
	return b.String()
}

func fmtG(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// lookupStrategy resolves a strategy argument, fsm:PATH included (PATH
// relative to the working directory); an unknown or malformed one is a
// usage error.
func lookupStrategy(env *Env, spec string) (*ipd.Strategy, error) {
	s, err := machineResolver(env, "").Lookup(spec)
	if err != nil {
		return nil, UsageError(err)
	}
	return s, nil
}

func newMatchCmd(env *Env) *cobra.Command {
	var (
		g      gameFlags
		format Format
		output string
	)
	cmd := &cobra.Command{
		Use:     "match A B [--turns N] [--noise E] [--prob-end P] [--seed S]",
		GroupID: groupWorkbench,
		Short:   "Play one iterated prisoner's dilemma between two strategies",
		Long: `Match plays one repeated prisoner's dilemma between strategies A and B and
prints both players' moves, turn 1 first, their scores, scores per turn and
cooperation rates. When both are memory-one rules it adds their exact
long-run payoffs per turn, computed from the Markov chain of the match (noise
included), beside this match's averages.

A and B are names from 'parley strategies', with parameters in parentheses
where the rule takes them: TitForTat, Random(0.3), GTFT(0.1),
MemoryOne(1,0.1,1,0.1), Extortioner(3,1/26), Cycler(CCD). Quote names with
parentheses in the shell.

The players know the number of turns, unless --prob-end is given: then the
match ends after each turn with that probability, the players are told the
length is unknown, and the rules that use the length (the end games of
FirstByTidemanAndChieruzzi and FirstBySteinAndRapoport) never fire.`,
		Example: `  parley match TitForTat FirstByTidemanAndChieruzzi
  parley match WinStayLoseShift 'GTFT' --noise 0.05 --turns 1000 --seed 7
  parley match Grudger 'Random(0.9)' --prob-end 0.01 --format json`,
		Args: usageArgs(func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return fmt.Errorf("match needs two strategies, A and B, got %d argument(s)", len(args))
			}
			return nil
		}),
		RunE: func(cmd *cobra.Command, args []string) error {
			s1, err := lookupStrategy(env, args[0])
			if err != nil {
				return err
			}
			s2, err := lookupStrategy(env, args[1])
			if err != nil {
				return err
			}
			rules, err := g.rules(cmd)
			if err != nil {
				return err
			}
			res, err := ipd.PlayMatch(s1, s2, rules, g.seed)
			if err != nil {
				return UsageError(err)
			}
			lr, exact := ipd.ExactLongRunOf(s1, s2, res.Rules.Payoffs, rules.Noise)
			var out bytes.Buffer
			if format == FormatJSON {
				err = writeMatchJSON(&out, res, lr, exact)
			} else {
				err = writeMatchText(&out, res, lr, exact)
			}
			if err != nil {
				return err
			}
			return writeOutput(env, output, func(w io.Writer) error { _, err := w.Write(out.Bytes()); return err })
		},
	}
	g.add(cmd)
	addFormatFlag(cmd, &format, FormatText, FormatText, FormatJSON)
	addOutputFlag(cmd, &output)
	return cmd
}

// movesPerLine is how many turns a line of the text output shows.
const movesPerLine = 50

func writeMatchText(w io.Writer, res *ipd.MatchResult, lr ipd.LongRun, exact bool) error {
	names := [2]string{res.Players[0].Name, res.Players[1].Name}
	if names[0] == names[1] {
		names = [2]string{names[0] + " (1)", names[1] + " (2)"}
	}
	fmt.Fprintf(w, "%s vs %s\n", names[0], names[1])
	fmt.Fprintf(w, "%s; seed %d\n", describeRules(res.Rules), res.Seed)
	if !res.Rules.LengthKnown() {
		fmt.Fprintf(w, "The match lasted %d turns.\n", res.Turns)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	width := max(len(names[0]), len(names[1]))
	fmt.Fprintf(tw, "%-*s\tSCORE\tPER TURN\tCOOPERATION\t\n", width, "")
	for k := 0; k < 2; k++ {
		fmt.Fprintf(tw, "%-*s\t%s\t%.3f\t%.1f%%\t\n", width, names[k], fmtG(res.Scores[k]),
			res.Scores[k]/float64(res.Turns), 100*float64(res.Cooperations[k])/float64(res.Turns))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	switch wi := res.Winner(); wi {
	case -1:
		fmt.Fprintln(w, "A tie.")
	default:
		fmt.Fprintf(w, "%s wins.\n", names[wi])
	}
	if exact {
		fmt.Fprintf(w, "\nBoth are memory-one rules: exact long-run payoffs per turn %.4f and %.4f (this match: %.4f and %.4f),\n",
			lr.Scores[0], lr.Scores[1], res.Scores[0]/float64(res.Turns), res.Scores[1]/float64(res.Turns))
		fmt.Fprintf(w, "outcomes CC %.4f, CD %.4f, DC %.4f, DD %.4f of the time", lr.Freq[0], lr.Freq[1], lr.Freq[2], lr.Freq[3])
		if !lr.Ergodic {
			fmt.Fprint(w, " (the chain has several closed classes: the limit depends on the opening)")
		}
		fmt.Fprintln(w, ".")
	}
	fmt.Fprintln(w, "\nMoves, turn 1 first:")
	m := [2]string{ipd.FormatActions(res.Moves[0]), ipd.FormatActions(res.Moves[1])}
	for start := 0; start < res.Turns; start += movesPerLine {
		end := min(start+movesPerLine, res.Turns)
		for k := 0; k < 2; k++ {
			lead := fmt.Sprintf("%7d", start+1)
			if k == 1 {
				lead = strings.Repeat(" ", 7)
			}
			fmt.Fprintf(w, "%s  %-*s  %s\n", lead, width, names[k], groups(m[k][start:end], 10))
		}
	}
	return nil
}

// groups splits s into space-separated groups of n characters.
func groups(s string, n int) string {
	var b strings.Builder
	for i := 0; i < len(s); i += n {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+n, len(s))])
	}
	return b.String()
}

func writeMatchJSON(w io.Writer, res *ipd.MatchResult, lr ipd.LongRun, exact bool) error {
	var long *ipd.LongRun
	if exact {
		long = &lr
	}
	out := res.Summary(long)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
