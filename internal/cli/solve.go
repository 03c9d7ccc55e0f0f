package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/parleyhq/parley/game/normal"
)

// solveFlags are the flags of the solve command.
type solveFlags struct {
	method    string
	dominance string
	format    Format
	output    string
	saveNFG   string
}

// The values of solve's --method and --dominance.
var (
	solveMethods   = []string{"enum", "lh", "pure"}
	solveDominance = []string{"none", "pure", "mixed"}
)

func newSolveCmd(env *Env) *cobra.Command {
	var f solveFlags
	cmd := &cobra.Command{
		Use:     "solve GAME.nfg | GAME.efg",
		GroupID: groupWorkbench,
		Short:   "Find the Nash equilibria of a game in strategic or extensive form, exactly",
		Long: `Solve reads a finite game from a Gambit file — strategic form (.nfg, payoff
or outcome version) or extensive form (.efg, solved in its reduced strategic
form) — and prints its Nash equilibria: each player's mixed strategy as exact
fractions, and each player's expected payoff. A - reads standard input.

--method chooses how:
  enum  every extreme equilibrium of a two-player game, by vertex enumeration
        of the best-response polytopes in exact integer arithmetic (the
        default). In a degenerate game with a continuum of equilibria these
        are the corners of the equilibrium sets. With three or more players,
        support enumeration with a numerical solver: equilibria whose
        probabilities are not small fractions are shown as decimals (≈), and
        support profiles it cannot settle are listed.
  lh    Lemke–Howson from each starting label of a two-player game: one
        equilibrium per path, exact, not necessarily all of them.
  pure  every pure-strategy equilibrium, for any number of players.

--dominance pure|mixed first removes strictly dominated strategies, round
after round — dominated by another pure strategy, or also by a mixture of
them (decided by an exact linear program) — prints what it removed, and
solves what is left. The equilibria are the same, since no equilibrium uses a
strictly dominated strategy.

docs/normal-form.md describes the formats and the methods.`,
		Example: `  parley solve pd.nfg
  parley solve 6x6.nfg --method lh
  parley solve poker.efg --format json -o poker.json
  parley solve game.nfg --method pure --dominance mixed
  parley solve poker.efg --save-nfg poker.nfg`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(solveMethods, f.method) {
				return UsageErrorf("unknown --method %q, want one of %s", f.method, strings.Join(solveMethods, "|"))
			}
			if !slices.Contains(solveDominance, f.dominance) {
				return UsageErrorf("unknown --dominance %q, want one of %s", f.dominance, strings.Join(solveDominance, "|"))
			}
			g, source, err := loadGame(env, args[0])
			if err != nil {
				return err
			}
			res, err := solveGame(cmd, g, &f)
			if err != nil {
				return err
			}
			res.source = source
			var out bytes.Buffer
			if f.format == FormatJSON {
				err = writeSolveJSON(&out, res)
			} else {
				err = writeSolveText(&out, res)
			}
			if err != nil {
				return err
			}
			files := map[string][]byte{}
			if f.saveNFG != "" {
				var b bytes.Buffer
				if err := normal.WriteNFG(&b, g); err != nil {
					return err
				}
				files[f.saveNFG] = b.Bytes()
			}
			return writeAll(env, f.output, out.Bytes(), files)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.method, "method", "enum", "how to find equilibria: "+strings.Join(solveMethods, "|"))
	fl.StringVar(&f.dominance, "dominance", "none", "first remove strictly dominated strategies: "+strings.Join(solveDominance, "|"))
	fl.StringVar(&f.saveNFG, "save-nfg", "", "also write the game's strategic form to this .nfg `FILE`")
	addFormatFlag(cmd, &f.format, FormatText, FormatText, FormatJSON)
	addOutputFlag(cmd, &f.output)
	return cmd
}

// loadGame reads a game file, or standard input for "-"; an .efg file
// becomes its reduced strategic form. It says whether the game came from an
// extensive form.
func loadGame(env *Env, arg string) (*normal.Game, gameSource, error) {
	src := gameSource{name: arg}
	var data []byte
	if arg == stdinArg {
		b, err := io.ReadAll(io.LimitReader(env.Stdin, maxStdinBytes))
		if err != nil {
			return nil, src, fmt.Errorf("reading standard input: %w", err)
		}
		data, src.name = b, stdinName
	} else {
		fi, err := os.Stat(env.path(arg))
		switch {
		case errors.Is(err, os.ErrNotExist):
			return nil, src, UsageErrorf("no file %s", arg)
		case err != nil:
			return nil, src, UsageErrorf("cannot read %s: %v", arg, unwrapPathError(err))
		case fi.IsDir():
			return nil, src, UsageErrorf("%s is a directory, not a game file", arg)
		}
		if data, err = os.ReadFile(env.path(arg)); err != nil {
			return nil, src, UsageErrorf("cannot read %s: %v", arg, unwrapPathError(err))
		}
	}
	src.extensive = bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("EFG"))
	g, err := normal.Read(src.name, data)
	if err != nil {
		return nil, src, UsageError(fmt.Errorf("%s is not a valid game file:\n%w", src.name, err))
	}
	return g, src, nil
}

// gameSource says where a game came from.
type gameSource struct {
	name      string
	extensive bool
}

// solveResult is everything solve prints.
type solveResult struct {
	source     gameSource
	game       *normal.Game
	method     string
	algorithm  string // what was run, in words
	exact      bool   // every equilibrium is exact
	complete   bool   // the method finds every (extreme) equilibrium
	dominance  string
	steps      []normal.Elimination
	equilibria []normal.Equilibrium
	labels     [][]int // for lh: the starting labels of each equilibrium
	unresolved [][][]int
	supports   int
}

// solveGame runs the chosen method, after the chosen elimination.
func solveGame(cmd *cobra.Command, g *normal.Game, f *solveFlags) (*solveResult, error) {
	np := len(g.Players)
	sol, err := normal.Solve(cmd.Context(), g, normal.SolveOptions{Method: normal.Method(f.method), Eliminate: f.dominance})
	switch {
	case errors.Is(err, normal.ErrNotTwoPlayer):
		return nil, UsageErrorf("--method lh needs a two-player game, and this one has %d players; use --method enum or pure", np)
	case errors.Is(err, normal.ErrTooManySupports):
		return nil, UsageErrorf("%v; this game is too large for --method enum with %d players, try --method pure or --dominance mixed", err, np)
	case err != nil:
		return nil, err
	}
	alg := sol.Algorithm
	if f.method == string(normal.MethodEnum) && np > 2 {
		alg += " (see docs/normal-form.md)"
	}
	return &solveResult{game: g, method: f.method, dominance: f.dominance, algorithm: alg, exact: sol.Exact, complete: sol.Complete,
		steps: sol.Eliminated, equilibria: sol.Equilibria, labels: sol.Labels, unresolved: sol.Unresolved, supports: sol.Supports}, nil
}

// countOf writes "1 thing" or "n things".
func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// labelText names a Lemke–Howson label: the strategy it stands for.
func labelText(g *normal.Game, l int) string {
	m := len(g.Players[0].Strategies)
	if l < m {
		return fmt.Sprintf("%s %s", g.Players[0].Name, g.StrategyName(0, l))
	}
	return fmt.Sprintf("%s %s", g.Players[1].Name, g.StrategyName(1, l-m))
}

// writeSolveText writes the result for people.
func writeSolveText(w io.Writer, r *solveResult) error {
	g := r.game
	var b strings.Builder
	title := g.Title
	if title == "" {
		title = "(untitled)"
	}
	fmt.Fprintf(&b, "%s\n", title)
	form := "strategic form"
	if r.source.extensive {
		form = "reduced strategic form of an extensive game"
	}
	var ps []string
	for i, p := range g.Players {
		ps = append(ps, fmt.Sprintf("%s (%s)", p.Name, countOf(len(g.Players[i].Strategies), "strategy", "strategies")))
	}
	fmt.Fprintf(&b, "%s: %s; %s\n", r.source.name, form, strings.Join(ps, ", "))
	fmt.Fprintf(&b, "Method: %s\n", r.algorithm)

	if r.dominance != "none" {
		kind := "another pure strategy"
		if r.dominance == "mixed" {
			kind = "a pure or mixed strategy"
		}
		if len(r.steps) == 0 {
			fmt.Fprintf(&b, "\nNo strategy is strictly dominated by %s.\n", kind)
		} else {
			fmt.Fprintf(&b, "\nRemoved as strictly dominated by %s:\n", kind)
			tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
			for _, st := range r.steps {
				fmt.Fprintf(tw, "  round %d\t%s\t%s\tby %s\n", st.Round, g.Players[st.Player].Name,
					g.StrategyName(st.Player, st.Strategy), g.MixText(st.Player, st.By, false))
			}
			tw.Flush()
		}
	}

	b.WriteByte('\n')
	switch {
	case len(r.equilibria) == 0 && r.method == "pure":
		b.WriteString("No pure-strategy equilibrium.\n")
	case len(r.equilibria) == 0:
		b.WriteString("No equilibrium found.\n")
	default:
		fmt.Fprintf(&b, "%s:\n\n", countOf(len(r.equilibria), "equilibrium", "equilibria"))
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for k, e := range r.equilibria {
			for i, p := range g.Players {
				num := ""
				if i == 0 {
					num = strconv.Itoa(k+1) + "."
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\tpayoff %s\n", num, p.Name, g.MixText(i, e.Strategies[i], e.Approximate), normal.RatText(e.Payoffs[i], e.Approximate))
			}
			if r.labels != nil {
				var ls []string
				for _, l := range r.labels[k] {
					ls = append(ls, labelText(g, l))
				}
				noun := "labels"
				if len(ls) == 1 {
					noun = "label"
				}
				fmt.Fprintf(tw, "\t\tLemke–Howson from the %s of %s\n", noun, strings.Join(ls, ", "))
			}
		}
		tw.Flush()
	}
	if !r.exact {
		b.WriteString("\n≈ marks an approximation: the equilibrium's probabilities are not small fractions (they may be irrational).\n")
	}
	if len(r.unresolved) > 0 {
		fmt.Fprintf(&b, "\nNot settled (equilibria with these supports may be missing; their solutions may form a continuum):\n")
		for _, sup := range r.unresolved {
			var parts []string
			for i, s := range sup {
				var names []string
				for _, t := range s {
					names = append(names, g.StrategyName(i, t))
				}
				parts = append(parts, g.Players[i].Name+" {"+strings.Join(names, ", ")+"}")
			}
			fmt.Fprintf(&b, "  %s\n", strings.Join(parts, "; "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// JSON output of solve.
type (
	sjResult struct {
		File       string          `json:"file"`
		Title      string          `json:"title"`
		Extensive  bool            `json:"from_extensive_form"`
		Players    []sjPlayer      `json:"players"`
		Method     string          `json:"method"`
		Algorithm  string          `json:"algorithm"`
		Exact      bool            `json:"exact"`
		Complete   bool            `json:"complete"`
		Dominance  string          `json:"dominance"`
		Eliminated []sjElimination `json:"eliminated"`
		Equilibria []sjEquilibrium `json:"equilibria"`
		Unresolved [][][]string    `json:"unresolved_supports,omitempty"`
	}
	sjPlayer struct {
		Name       string   `json:"name"`
		Strategies []string `json:"strategies"`
	}
	sjElimination struct {
		Round    int      `json:"round"`
		Player   string   `json:"player"`
		Strategy string   `json:"strategy"`
		By       []string `json:"dominated_by"`
	}
	sjEquilibrium struct {
		// Probabilities[i][s]: player i's probability of its strategy s.
		Probabilities [][]string `json:"probabilities"`
		Payoffs       []string   `json:"payoffs"`
		Approximate   bool       `json:"approximate"`
		Labels        []sjLabel  `json:"labels,omitempty"`
	}
	sjLabel struct {
		Player   string `json:"player"`
		Strategy string `json:"strategy"`
	}
)

// jsonRat writes an exact rational as a fraction, or an approximate one as
// a decimal.
func jsonRat(x *big.Rat, approx bool) string {
	if approx {
		f, _ := x.Float64()
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return x.RatString()
}

func writeSolveJSON(w io.Writer, r *solveResult) error {
	g := r.game
	out := sjResult{File: r.source.name, Title: g.Title, Extensive: r.source.extensive, Method: r.method,
		Algorithm: r.algorithm, Exact: r.exact, Complete: r.complete, Dominance: r.dominance,
		Eliminated: []sjElimination{}, Equilibria: []sjEquilibrium{}}
	for _, p := range g.Players {
		out.Players = append(out.Players, sjPlayer{Name: p.Name, Strategies: p.Strategies})
	}
	for _, st := range r.steps {
		e := sjElimination{Round: st.Round, Player: g.Players[st.Player].Name, Strategy: g.Players[st.Player].Strategies[st.Strategy]}
		for _, x := range st.By {
			e.By = append(e.By, x.RatString())
		}
		out.Eliminated = append(out.Eliminated, e)
	}
	for k, e := range r.equilibria {
		je := sjEquilibrium{Approximate: e.Approximate}
		for i := range g.Players {
			var ps []string
			for _, x := range e.Strategies[i] {
				ps = append(ps, jsonRat(x, e.Approximate))
			}
			je.Probabilities = append(je.Probabilities, ps)
			je.Payoffs = append(je.Payoffs, jsonRat(e.Payoffs[i], e.Approximate))
		}
		if r.labels != nil {
			m := len(g.Players[0].Strategies)
			for _, l := range r.labels[k] {
				if l < m {
					je.Labels = append(je.Labels, sjLabel{g.Players[0].Name, g.Players[0].Strategies[l]})
				} else {
					je.Labels = append(je.Labels, sjLabel{g.Players[1].Name, g.Players[1].Strategies[l-m]})
				}
			}
		}
		out.Equilibria = append(out.Equilibria, je)
	}
	for _, sup := range r.unresolved {
		var js [][]string
		for i, s := range sup {
			var names []string
			for _, t := range s {
				names = append(names, g.Players[i].Strategies[t])
			}
			js = append(js, names)
		}
		out.Unresolved = append(out.Unresolved, js)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
