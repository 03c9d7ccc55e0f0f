package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/parleyhq/parley/game/ipd"
)

func newStrategiesCmd(env *Env) *cobra.Command {
	var (
		format Format
		output string
	)
	cmd := &cobra.Command{
		Use:     "strategies",
		GroupID: groupWorkbench,
		Short:   "List the iterated prisoner's dilemma strategies",
		Long: `Strategies lists the catalogue of rules that match and tournament play: each
one's name (with its parameters, if it takes any), its classifiers and what it
does. MEMORY is how many past turns the rule looks at (inf: any number);
STOCHASTIC rules draw random numbers; LENGTH rules play differently when they
know the match length; PAYOFFS rules read the game's payoffs. A * marks the
18 rules of the reference list, the built-in line-up axelrod-first.

A rule with parameters is named with them in parentheses, e.g. Random(0.3),
GoByMajority(10), MemoryOne(1,0.1,1,0.1), Extortioner(3,1/26), Cycler(CCD); a
probability may be written as a fraction a/b. Without parentheses the
defaults shown are used; MemoryOne has none. Names are matched ignoring case,
and the aliases shown in the JSON output are accepted too.`,
		Example: `  parley strategies
  parley strategies --format json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			var out bytes.Buffer
			var err error
			switch format {
			case FormatJSON:
				err = writeStrategiesJSON(&out)
			case FormatCSV:
				err = writeStrategiesCSV(&out)
			default:
				err = writeStrategiesText(&out)
			}
			if err != nil {
				return err
			}
			return writeOutput(env, output, func(w io.Writer) error { _, err := w.Write(out.Bytes()); return err })
		},
	}
	addFormatFlag(cmd, &format, FormatText, FormatText, FormatCSV, FormatJSON)
	addOutputFlag(cmd, &output)
	return cmd
}

// familyEntry is a family with the strategy that stands for it: its
// defaults, or its documented example when it needs parameters.
type familyEntry struct {
	f *ipd.Family
	s *ipd.Strategy
}

func catalogueEntries() []familyEntry {
	var out []familyEntry
	for _, f := range ipd.Families() {
		spec := f.Name
		if f.NeedsParams() {
			spec = f.Example
		}
		out = append(out, familyEntry{f, ipd.MustLookup(spec)})
	}
	return out
}

func depthText(d int) string {
	if d == ipd.Unbounded {
		return "inf"
	}
	return strconv.Itoa(d)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// entryDescription is the description, with the defaults or the example.
func entryDescription(e familyEntry) string {
	d := e.s.Description
	switch {
	case e.f.NeedsParams():
		d = "Example " + e.f.Example + ": " + d
	case e.f.Defaults != "":
		d += " Default " + e.f.Defaults + "."
	}
	return d
}

func writeStrategiesText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tMEMORY\tSTOCHASTIC\tLENGTH\tPAYOFFS\tDESCRIPTION")
	for _, e := range catalogueEntries() {
		name := e.f.Syntax()
		if e.f.Reference {
			name += " *"
		}
		c := e.s.Classifier
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", name, depthText(c.MemoryDepth), yesNo(c.Stochastic),
			yesNo(c.UsesLength), yesNo(c.UsesPayoffs), entryDescription(e))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n* the 18 rules of the reference list (line-up axelrod-first). %d rules in all; "+
		"classifiers of rules with parameters are those of their defaults or example.\n", len(ipd.Families()))
	return err
}

type strategyJSON struct {
	Name        string   `json:"name"`
	Syntax      string   `json:"syntax"`
	Aliases     []string `json:"aliases,omitempty"`
	Defaults    string   `json:"defaults,omitempty"`
	Example     string   `json:"example,omitempty"`
	Reference   bool     `json:"reference"`
	Description string   `json:"description"`
	// MemoryDepth is null for an unbounded memory.
	MemoryDepth *int `json:"memory_depth"`
	Stochastic  bool `json:"stochastic"`
	UsesLength  bool `json:"uses_length"`
	UsesPayoffs bool `json:"uses_payoffs"`
	MemoryOne   bool `json:"memory_one"`
}

func writeStrategiesJSON(w io.Writer) error {
	var out []strategyJSON
	for _, e := range catalogueEntries() {
		c := e.s.Classifier
		var depth *int
		if c.MemoryDepth != ipd.Unbounded {
			d := c.MemoryDepth
			depth = &d
		}
		_, m1 := e.s.MemoryOne(ipd.DefaultPayoffs)
		out = append(out, strategyJSON{
			Name: e.f.Name, Syntax: e.f.Syntax(), Aliases: e.f.Aliases, Defaults: e.f.Defaults, Example: e.f.Example,
			Reference: e.f.Reference, Description: e.s.Description, MemoryDepth: depth,
			Stochastic: c.Stochastic, UsesLength: c.UsesLength, UsesPayoffs: c.UsesPayoffs, MemoryOne: m1,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writeStrategiesCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"name", "syntax", "aliases", "reference", "memory_depth", "stochastic", "uses_length", "uses_payoffs", "description"})
	for _, e := range catalogueEntries() {
		c := e.s.Classifier
		cw.Write([]string{e.f.Name, e.f.Syntax(), strings.Join(e.f.Aliases, " "), strconv.FormatBool(e.f.Reference),
			depthText(c.MemoryDepth), strconv.FormatBool(c.Stochastic), strconv.FormatBool(c.UsesLength),
			strconv.FormatBool(c.UsesPayoffs), entryDescription(e)})
	}
	cw.Flush()
	return cw.Error()
}
