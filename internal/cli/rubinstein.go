package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parleyhq/parley/game/bargain"
	"github.com/parleyhq/parley/report"
)

// rubinsteinRows is how many rounds of a finite game the text output shows
// at most; longer games show their first and last rounds.
const rubinsteinRows = 20

func newRubinsteinCmd(env *Env) *cobra.Command {
	var g bargain.Alternating
	var format Format
	var output string
	cmd := &cobra.Command{
		Use:     "rubinstein [--d1 D1 --d2 D2] [--outside1 W1 --outside2 W2] [--c1 C1 --c2 C2] [--rounds T]",
		GroupID: groupWorkbench,
		Short:   "Solve Rubinstein's alternating-offers bargaining game",
		Long: `Rubinstein solves the alternating-offers game over a pie of size 1: party 1
proposes a split in rounds 1, 3, 5, …, party 2 in rounds 2, 4, …, and the
responder accepts or rejects and proposes next. It prints the subgame-perfect
equilibrium: what each party gets when party 1's first offer is accepted.

--d1 and --d2 are the parties' discount factors per round (1: patient);
--c1 and --c2 fixed costs of each rejected round; --outside1 and --outside2
outside options a responder can take instead of rejecting; --rounds a last
round (0: no limit), solved by backward induction.

Without costs or outside options and with no limit on rounds, party 1 gets
(1 − δ2)/(1 − δ1·δ2). docs/bargaining.md gives every formula.`,
		Example: `  parley rubinstein --d1 0.9 --d2 0.8
  parley rubinstein --d1 0.9 --d2 0.9 --outside2 0.6
  parley rubinstein --c1 0.1 --c2 0.2
  parley rubinstein --d1 0.9 --d2 0.9 --rounds 4 --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := g.Check(); err != nil {
				return UsageError(rubinsteinFlagNames(err))
			}
			res, err := g.Solve()
			if err != nil {
				return err
			}
			var out bytes.Buffer
			if format == FormatJSON {
				err = writeRubinsteinJSON(&out, g, res)
			} else {
				err = writeRubinsteinText(&out, g, res)
			}
			if err != nil {
				return err
			}
			return writeOutput(env, output, func(w io.Writer) error {
				_, err := w.Write(out.Bytes())
				return err
			})
		},
	}
	fl := cmd.Flags()
	fl.Float64Var(&g.Delta1, "d1", 1, "discount factor of party 1 per round, in [0, 1]")
	fl.Float64Var(&g.Delta2, "d2", 1, "discount factor of party 2 per round, in [0, 1]")
	fl.Float64Var(&g.Outside1, "outside1", 0, "outside option of party 1, taken instead of rejecting, in [0, 1]")
	fl.Float64Var(&g.Outside2, "outside2", 0, "outside option of party 2, taken instead of rejecting, in [0, 1]")
	fl.Float64Var(&g.Cost1, "c1", 0, "fixed cost to party 1 of each rejected round")
	fl.Float64Var(&g.Cost2, "c2", 0, "fixed cost to party 2 of each rejected round")
	fl.IntVar(&g.Rounds, "rounds", 0, "last round of a finite game, solved by backward induction (0: no limit)")
	addFormatFlag(cmd, &format, FormatText, FormatText, FormatJSON)
	addOutputFlag(cmd, &output)
	return cmd
}

// rubinsteinFlagNames rewords the library's checks in terms of the flags.
func rubinsteinFlagNames(err error) error {
	msg := err.Error()
	for _, r := range []struct{ from, to string }{
		{"the discount factor of party 1", "--d1"},
		{"the discount factor of party 2", "--d2"},
		{"the per-round cost of party 1", "--c1"},
		{"the per-round cost of party 2", "--c2"},
		{"the outside option of party 1", "--outside1"},
		{"the outside option of party 2", "--outside2"},
		{"the outside options add up", "--outside1 and --outside2 add up"},
		{"the number of rounds", "--rounds"},
	} {
		msg = strings.ReplaceAll(msg, r.from, r.to)
	}
	return fmt.Errorf("%s", msg)
}

func writeRubinsteinText(w io.Writer, g bargain.Alternating, s bargain.Shares) error {
	var b strings.Builder
	b.WriteString("Rubinstein alternating offers over a pie of 1, party 1 proposing first\n")
	fmt.Fprintf(&b, "  discount factors: δ1 = %s, δ2 = %s\n", bgG(g.Delta1), bgG(g.Delta2))
	if g.Cost1 != 0 || g.Cost2 != 0 {
		fmt.Fprintf(&b, "  cost of a rejected round: c1 = %s, c2 = %s\n", bgG(g.Cost1), bgG(g.Cost2))
	}
	if g.Outside1 != 0 || g.Outside2 != 0 {
		fmt.Fprintf(&b, "  outside options: w1 = %s, w2 = %s\n", bgG(g.Outside1), bgG(g.Outside2))
	}
	if g.Rounds > 0 {
		fmt.Fprintf(&b, "  %s at most; after a rejection in the last, both get 0\n", bgPlural(g.Rounds, "round", "rounds"))
	} else {
		b.WriteString("  no limit on the number of rounds\n")
	}
	b.WriteString("\n")
	if !s.Unique {
		fmt.Fprintf(&b, "Many subgame-perfect equilibria: party 1 gets anything from %s to %s, party 2 the rest, agreed at once.\n", bgU(s.Share1Min), bgU(s.Share1Max))
		if g.Cost1 == 0 && g.Cost2 == 0 && g.Outside1 == 0 && g.Outside2 == 0 {
			b.WriteString("Neither party loses by waiting, so every split is an equilibrium; give --d1/--d2 below 1 or costs.\n")
		} else {
			b.WriteString("Without discounting, equal costs leave the split undetermined (Rubinstein's fixed-cost case).\n")
		}
	} else {
		b.WriteString("Subgame-perfect equilibrium: party 1 proposes and party 2 accepts at once.\n")
		fmt.Fprintf(&b, "  party 1 gets %s\n  party 2 gets %s\n", bgU(s.Share1), bgU(s.Share2))
		switch {
		case g.Rounds == 0 && g.Cost1 == 0 && g.Cost2 == 0 && !s.Binds1 && !s.Binds2:
			b.WriteString("  x1 = (1 − δ2)/(1 − δ1·δ2)\n")
		case g.Rounds == 0 && g.Delta1 == 1 && g.Delta2 == 1 && g.Outside1 == 0 && g.Outside2 == 0:
			if g.Cost1 < g.Cost2 {
				b.WriteString("  Party 1's rounds cost less (c1 < c2), so it gets everything.\n")
			} else {
				b.WriteString("  Party 2's rounds cost less (c2 < c1), so party 1 gets only c2.\n")
			}
		}
		for i, binds := range []bool{s.Binds1, s.Binds2} {
			if binds {
				fmt.Fprintf(&b, "  Party %d's outside option binds: it is offered exactly what walking away gives it.\n", i+1)
			}
		}
		if !s.Binds1 && !s.Binds2 && (g.Outside1 > 0 || g.Outside2 > 0) {
			b.WriteString("  The outside options do not bind: each is worth less than rejecting and proposing.\n")
		}
	}
	if len(s.Rounds) > 0 {
		b.WriteString("\n")
		t := report.Table{
			Title:  "Backward induction: the proposer's share in the subgame starting at each round",
			Header: []string{"round", "proposer", "proposer's share", "responder's share"},
			Right:  []bool{true, true, true, true},
		}
		for i, r := range s.Rounds {
			if len(s.Rounds) > rubinsteinRows && i == rubinsteinRows/2 {
				t.Rows = append(t.Rows, []string{"…", "", "", ""})
			}
			if len(s.Rounds) > rubinsteinRows && i >= rubinsteinRows/2 && i < len(s.Rounds)-rubinsteinRows/2 {
				continue
			}
			t.Rows = append(t.Rows, []string{fmt.Sprint(r.Round), fmt.Sprint(r.Proposer), bgU(r.Share), bgU(1 - r.Share)})
		}
		if err := t.Text(&b); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type rubinsteinJSON struct {
	Delta1    float64               `json:"d1"`
	Delta2    float64               `json:"d2"`
	Cost1     float64               `json:"c1"`
	Cost2     float64               `json:"c2"`
	Outside1  float64               `json:"outside1"`
	Outside2  float64               `json:"outside2"`
	Rounds    int                   `json:"rounds"`
	Share1    float64               `json:"share1"`
	Share2    float64               `json:"share2"`
	Unique    bool                  `json:"unique"`
	Share1Min float64               `json:"share1_min"`
	Share1Max float64               `json:"share1_max"`
	Binds1    bool                  `json:"outside1_binds"`
	Binds2    bool                  `json:"outside2_binds"`
	ByRound   []rubinsteinRoundJSON `json:"by_round,omitempty"`
}

type rubinsteinRoundJSON struct {
	Round    int     `json:"round"`
	Proposer int     `json:"proposer"`
	Share    float64 `json:"proposer_share"`
}

func writeRubinsteinJSON(w io.Writer, g bargain.Alternating, s bargain.Shares) error {
	out := rubinsteinJSON{
		Delta1: g.Delta1, Delta2: g.Delta2, Cost1: g.Cost1, Cost2: g.Cost2,
		Outside1: g.Outside1, Outside2: g.Outside2, Rounds: g.Rounds,
		Share1: s.Share1, Share2: s.Share2, Unique: s.Unique, Share1Min: s.Share1Min, Share1Max: s.Share1Max,
		Binds1: s.Binds1, Binds2: s.Binds2,
	}
	for _, r := range s.Rounds {
		out.ByRound = append(out.ByRound, rubinsteinRoundJSON{r.Round, r.Proposer, r.Share})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
