package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parleyhq/parley/game/bargain"
	"github.com/parleyhq/parley/report"
)

// bargainFlags are the flags of the bargain command.
type bargainFlags struct {
	format   Format
	output   string
	chart    string
	saveYAML string
	power    float64
	deal     []string
	all      bool
}

// bgFrontierRows is how many frontier rows the text output shows without --all.
const bgFrontierRows = 40

func newBargainCmd(env *Env) *cobra.Command {
	var f bargainFlags
	cmd := &cobra.Command{
		Use:     "bargain FILE | bargain DOMAIN.xml PROFILE1.xml PROFILE2.xml",
		GroupID: groupWorkbench,
		Short:   "Find the Pareto frontier, bargaining solutions and ZOPA of a deal space",
		Long: `Bargain reads a two-party deal space — the issues on the table, discrete or
divisible, and each party's linear-additive utilities, reservation value and
discount factor — and prints its exact Pareto frontier, its zone of possible
agreement (ZOPA) and the Nash, Kalai–Smorodinsky, egalitarian and utilitarian
solutions, with the reservation values as the disagreement point.

FILE is a deal space in parley's YAML form (- reads standard input); a Genius
domain is read from its XML file and the two parties' profiles. --save-yaml
writes the space read in the YAML form, to edit and run again.

--deal gives a proposed deal, one ISSUE=VALUE per issue: bargain then says how
far it is from the frontier and which deals on the frontier are better for
both (post-settlement settlement). --chart draws the utility space, as SVG or
PNG by the file's extension: every outcome, the frontier, the solutions and
the reservation point.

docs/bargaining.md describes the format, the concepts and their formulas.`,
		Example: `  parley bargain deal.yaml
  parley bargain deal.yaml --chart deal.svg --format json -o deal.json
  parley bargain deal.yaml --chart deal.png
  parley bargain Laptop-C-domain.xml Laptop-C-prof1.xml Laptop-C-prof2.xml --save-yaml laptop.yaml
  parley bargain deal.yaml --power 0.7 --deal 'price=450' --deal 'delivery=fast'`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 && len(args) != 3 {
				return &exitError{code: ExitUsage, hint: true, err: fmt.Errorf(
					"bargain takes a deal-space file, or a Genius domain and two profiles; got %d arguments", len(args))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if ext := strings.ToLower(filepath.Ext(f.chart)); f.chart != "" && ext != ".svg" && ext != ".png" {
				return UsageErrorf("--chart %s: the file must end in .svg or .png, which says what to draw", f.chart)
			}
			if f.power != 0 && !(f.power > 0 && f.power < 1) {
				return UsageErrorf("--power must be strictly between 0 and 1 (party 1's bargaining power), got %g", f.power)
			}
			s, err := loadDealSpace(env, args)
			if err != nil {
				return err
			}
			return runBargain(env, s, &f)
		},
	}
	addFormatFlag(cmd, &f.format, FormatText, FormatText, FormatJSON)
	addOutputFlag(cmd, &f.output)
	fl := cmd.Flags()
	fl.StringVar(&f.chart, "chart", "", "also draw the utility space to this `FILE`, .svg or .png")
	fl.StringVar(&f.saveYAML, "save-yaml", "", "also write the deal space in parley's YAML form to this `FILE`")
	fl.Float64Var(&f.power, "power", 0, "also give the asymmetric Nash solution with this bargaining power of party 1, in (0, 1)")
	fl.StringArrayVar(&f.deal, "deal", nil, "a proposed deal to assess, as `ISSUE=VALUE` (repeat for every issue)")
	fl.BoolVar(&f.all, "all", false, "list every point of the frontier in text output (otherwise the first 40)")
	return cmd
}

// loadDealSpace reads a deal space from a YAML file (or standard input), or
// from a Genius domain and two profiles.
func loadDealSpace(env *Env, args []string) (*bargain.Space, error) {
	read := func(arg string) (bargain.Source, error) {
		if arg == stdinArg {
			data, err := io.ReadAll(io.LimitReader(env.Stdin, maxStdinBytes))
			if err != nil {
				return bargain.Source{}, fmt.Errorf("reading standard input: %w", err)
			}
			return bargain.Source{Name: stdinName, Data: data}, nil
		}
		fi, err := os.Stat(env.path(arg))
		switch {
		case errors.Is(err, os.ErrNotExist):
			return bargain.Source{}, UsageErrorf("no file %s", arg)
		case err != nil:
			return bargain.Source{}, UsageErrorf("cannot read %s: %v", arg, unwrapPathError(err))
		case fi.IsDir():
			return bargain.Source{}, UsageErrorf("%s is a directory, not a deal-space file", arg)
		}
		data, err := os.ReadFile(env.path(arg))
		if err != nil {
			return bargain.Source{}, UsageErrorf("cannot read %s: %v", arg, unwrapPathError(err))
		}
		return bargain.Source{Name: arg, Data: data}, nil
	}
	invalid := func(what string, err error) error {
		var be *bargain.Error
		if errors.As(err, &be) {
			n := len(be.Problems)
			noun := "problems"
			if n == 1 {
				noun = "problem"
			}
			verb := "is"
			if strings.HasSuffix(what, "profiles") {
				verb = "are"
			}
			return UsageError(fmt.Errorf("%s %s not valid (%d %s):\n%w", what, verb, n, noun, err))
		}
		return UsageError(err)
	}
	if len(args) == 1 {
		src, err := read(args[0])
		if err != nil {
			return nil, err
		}
		if strings.EqualFold(filepath.Ext(args[0]), ".xml") || bytes.HasPrefix(bytes.TrimSpace(src.Data), []byte("<")) {
			return nil, UsageErrorf("%s looks like Genius XML; give the domain and both profiles: parley bargain DOMAIN.xml PROFILE1.xml PROFILE2.xml", args[0])
		}
		s, err := bargain.LoadYAML(src.Name, src.Data)
		if err != nil {
			return nil, invalid(args[0], err)
		}
		return s, nil
	}
	var srcs [3]bargain.Source
	for i, a := range args {
		if a == stdinArg {
			return nil, UsageErrorf("Genius files are read from disk; - (standard input) is only for a YAML deal space")
		}
		src, err := read(a)
		if err != nil {
			return nil, err
		}
		srcs[i] = src
	}
	s, err := bargain.ReadGenius(srcs[0], [2]bargain.Source{srcs[1], srcs[2]})
	if err != nil {
		return nil, invalid("the Genius domain and profiles", err)
	}
	return s, nil
}

// runBargain analyses the space and writes every output, all or nothing.
func runBargain(env *Env, s *bargain.Space, f *bargainFlags) error {
	a, err := bargain.Analyse(s, bargain.Options{Power: f.power})
	if err != nil {
		return UsageError(err)
	}
	var proposal *bargain.Assessment
	if len(f.deal) > 0 {
		d, err := s.ParseDeal(f.deal)
		if err != nil {
			return UsageErrorf("--deal: %v", err)
		}
		if proposal, err = a.Assess(d); err != nil {
			return UsageErrorf("--deal: %v", err)
		}
	}
	var out bytes.Buffer
	if f.format == FormatJSON {
		err = writeBargainJSON(&out, a, proposal)
	} else {
		err = writeBargainText(&out, a, proposal, f.all)
	}
	if err != nil {
		return err
	}
	files := map[string][]byte{}
	if f.chart != "" {
		var chart bytes.Buffer
		write := a.WriteSVG
		if strings.EqualFold(filepath.Ext(f.chart), ".png") {
			write = a.WritePNG
		}
		if err := write(&chart, proposal); err != nil {
			return err
		}
		files[f.chart] = chart.Bytes()
	}
	if f.saveYAML != "" {
		var y bytes.Buffer
		if err := s.WriteYAML(&y); err != nil {
			return err
		}
		files[f.saveYAML] = y.Bytes()
	}
	return writeAll(env, f.output, out.Bytes(), files)
}

// u formats a utility.
func bgU(x float64) string { return strconv.FormatFloat(x, 'f', 6, 64) }

func bgPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// writeBargainText writes the analysis for people.
func writeBargainText(w io.Writer, a *bargain.Analysis, p *bargain.Assessment, all bool) error {
	s := a.Space
	var b strings.Builder
	p1, p2 := s.Parties[0].Name, s.Parties[1].Name
	name := s.Name
	if name == "" {
		name = "(unnamed)"
	}
	divisible := 0
	for _, is := range s.Issues {
		if is.Divisible {
			divisible++
		}
	}
	fmt.Fprintf(&b, "Deal space %s: %s", name, bgPlural(len(s.Issues), "issue", "issues"))
	switch {
	case divisible == 0:
		fmt.Fprintf(&b, ", %s\n", bgPlural(a.Outcomes, "outcome", "outcomes"))
	case divisible == len(s.Issues):
		fmt.Fprintf(&b, ", all divisible\n")
	default:
		fmt.Fprintf(&b, " (%d divisible), %s of the discrete ones\n", divisible, bgPlural(a.Outcomes, "combination", "combinations"))
	}
	for i, pa := range s.Parties {
		fmt.Fprintf(&b, "Party %d: %s, reservation value %s, discount factor %s\n", i+1, pa.Name, bgG(pa.Reservation), bgG(pa.Discount))
	}

	// the frontier
	b.WriteString("\n")
	frontierTitle := "Pareto frontier"
	if divisible == 0 {
		frontierTitle += fmt.Sprintf(": %d of %d outcomes", bgFrontierCount(a.Frontier), a.Outcomes)
	}
	t := bgFrontierTable(s, a.Frontier, frontierTitle, all)
	if err := t.Text(&b); err != nil {
		return err
	}

	// the ZOPA
	b.WriteString("\n")
	d := a.Disagreement
	z := a.ZOPA
	fmt.Fprintf(&b, "Zone of possible agreement (%s at least %s, %s at least %s): ", p1, bgG(d.U1), p2, bgG(d.U2))
	switch {
	case z.Empty():
		b.WriteString("empty — no deal gives both parties their reservation values, so there is nothing to agree on.\n")
	case z.Inside >= 0:
		fmt.Fprintf(&b, "%d of %d outcomes, %s on the frontier.\n", z.Inside, a.Outcomes, bgPlural(bgFrontierCount(z.Frontier), "point", "points"))
	default:
		fmt.Fprintf(&b, "the frontier from (%s, %s) to (%s, %s).\n", bgU(z.Frontier[0].From.U1), bgU(z.Frontier[0].From.U2), bgU(z.Frontier[len(z.Frontier)-1].To.U1), bgU(z.Frontier[len(z.Frontier)-1].To.U2))
		if len(s.Issues) == 1 {
			fmt.Fprintf(&b, "  Deals from %s to %s.\n", bgDealText(s, z.Frontier[0].FromDeal), bgDealText(s, z.Frontier[len(z.Frontier)-1].ToDeal))
		}
	}
	if !z.Empty() {
		fmt.Fprintf(&b, "  Ideal point (the most each can get inside it): (%s, %s).\n", bgU(z.Ideal.U1), bgU(z.Ideal.U2))
	}

	// the solutions
	if len(a.Solutions) > 0 {
		b.WriteString("\n")
		st := report.Table{
			Title:  "Bargaining solutions (disagreement point: the reservation values)",
			Header: []string{"solution", "u(" + p1 + ")", "u(" + p2 + ")", "deal"},
			Right:  []bool{false, true, true, false},
		}
		for _, sol := range a.Solutions {
			st.Rows = append(st.Rows, []string{sol.Name(), bgU(sol.Point.U1), bgU(sol.Point.U2), bgDealText(s, sol.Deal)})
		}
		if err := st.Text(&b); err != nil {
			return err
		}
	}

	if p != nil {
		b.WriteString("\n")
		writeBargainAssessment(&b, a, p)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// g formats a parameter compactly.
func bgG(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// bgFrontierCount counts the points of a frontier, ties included, or its
// pieces when it has segments.
func bgFrontierCount(f bargain.Frontier) int {
	n := 0
	for _, pc := range f {
		n += 1 + len(pc.Ties)
	}
	return n
}

// bgFrontierTable lists a frontier's points; a segment shows as the issue
// that moves between its two ends.
func bgFrontierTable(s *bargain.Space, f bargain.Frontier, title string, all bool) *report.Table {
	t := &report.Table{
		Title:  title,
		Header: []string{"u(" + s.Parties[0].Name + ")", "u(" + s.Parties[1].Name + ")", "deal"},
		Right:  []bool{true, true, false},
	}
	vertex := func(pt bargain.Point, d bargain.Deal) {
		t.Rows = append(t.Rows, []string{bgU(pt.U1), bgU(pt.U2), bgDealText(s, d)})
	}
	for k, pc := range f {
		if !all && len(t.Rows) >= bgFrontierRows {
			t.Rows = append(t.Rows, []string{"…", "…", fmt.Sprintf("%d more pieces of the frontier; --all lists them, --format json gives them all", len(f)-k)})
			break
		}
		if pc.IsPoint() {
			vertex(pc.From, pc.FromDeal)
			for _, tie := range pc.Ties {
				t.Rows = append(t.Rows, []string{"", "", bgDealText(s, tie) + " (the same utilities)"})
			}
			continue
		}
		if k == 0 || f[k-1].To != pc.From || f[k-1].IsPoint() {
			vertex(pc.From, pc.FromDeal)
		}
		t.Rows = append(t.Rows, []string{"", "", "  then " + bgMovesText(s, pc.FromDeal, pc.ToDeal)})
		vertex(pc.To, pc.ToDeal)
	}
	return t
}

// bgMovesText says which issues change between two deals.
func bgMovesText(s *bargain.Space, from, to bargain.Deal) string {
	var parts []string
	for i := range s.Issues {
		if from[i] != to[i] {
			parts = append(parts, fmt.Sprintf("%s runs from %s to %s", s.Issues[i].Name, s.ValueString(i, from[i]), s.ValueString(i, to[i])))
		}
	}
	if len(parts) == 0 {
		return "a straight segment"
	}
	return strings.Join(parts, ", ")
}

// bgDealText describes a deal, or says there is none.
func bgDealText(s *bargain.Space, d bargain.Deal) string {
	if d == nil {
		return "-"
	}
	return s.DealString(d)
}

func writeBargainAssessment(b *strings.Builder, a *bargain.Analysis, p *bargain.Assessment) {
	s := a.Space
	fmt.Fprintf(b, "Proposed deal: %s\n", bgDealText(s, p.Deal))
	fmt.Fprintf(b, "  Utilities (%s, %s); ", bgU(p.Point.U1), bgU(p.Point.U2))
	if p.InZOPA {
		b.WriteString("inside the zone of possible agreement.\n")
	} else {
		b.WriteString("outside the zone of possible agreement: a party does better walking away.\n")
	}
	if p.Efficient {
		b.WriteString("  Efficient: it is on the Pareto frontier; no deal is better for one party without being worse for the other.\n")
		return
	}
	fmt.Fprintf(b, "  Not efficient: its distance from the frontier is %s", bgU(p.Distance))
	if p.Dominating >= 0 {
		fmt.Fprintf(b, ", and %s give both parties at least as much and one more", bgPlural(p.Dominating, "outcome", "outcomes"))
	}
	b.WriteString(".\n")
	bal := p.Improvements.Deal(p.Balanced)
	fmt.Fprintf(b, "  Balanced improvement (both gain the same as far as possible): (%s, %s), %s\n", bgU(p.Balanced.Point.U1), bgU(p.Balanced.Point.U2), bgDealText(s, bal))
	t := bgFrontierTable(s, p.Improvements, "  Efficient improvements (the frontier above the proposed deal):", false)
	_ = t.Text(b)
}

// --- JSON ---

type bjValue struct {
	Issue string `json:"issue"`
	Value any    `json:"value"`
}

type bjPoint struct {
	U1   float64   `json:"u1"`
	U2   float64   `json:"u2"`
	Deal []bjValue `json:"deal,omitempty"`
}

type bjPiece struct {
	From bjPoint     `json:"from"`
	To   bjPoint     `json:"to"`
	Ties [][]bjValue `json:"ties,omitempty"`
}

type bjIssue struct {
	Name   string    `json:"name"`
	Values []string  `json:"values,omitempty"`
	Range  []float64 `json:"range,omitempty"`
}

type bjParty struct {
	Name        string  `json:"name"`
	Reservation float64 `json:"reservation"`
	Discount    float64 `json:"discount"`
}

type bjSolution struct {
	Name    string  `json:"name"`
	Concept string  `json:"concept"`
	Power   float64 `json:"power,omitempty"`
	bjPoint
}

type bjBargain struct {
	Name      string        `json:"name"`
	Issues    []bjIssue     `json:"issues"`
	Parties   [2]bjParty    `json:"parties"`
	Outcomes  int           `json:"outcomes"`
	Frontier  []bjPiece     `json:"frontier"`
	ZOPA      bjZOPA        `json:"zopa"`
	Solutions []bjSolution  `json:"solutions"`
	Proposal  *bjAssessment `json:"proposal,omitempty"`
}

type bjZOPA struct {
	Empty bool `json:"empty"`
	// Inside is omitted when the space has divisible issues.
	Inside   *int      `json:"outcomes_inside,omitempty"`
	Ideal    *bjPoint  `json:"ideal,omitempty"`
	Frontier []bjPiece `json:"frontier"`
}

type bjAssessment struct {
	bjPoint
	InZOPA       bool      `json:"in_zopa"`
	Efficient    bool      `json:"efficient"`
	Distance     float64   `json:"distance"`
	Nearest      bjPoint   `json:"nearest"`
	Dominating   *int      `json:"dominating_outcomes,omitempty"`
	Balanced     *bjPoint  `json:"balanced_improvement,omitempty"`
	Improvements []bjPiece `json:"improvements"`
}

func bjDeal(s *bargain.Space, d bargain.Deal) []bjValue {
	if d == nil {
		return nil
	}
	out := make([]bjValue, len(d))
	for i, is := range s.Issues {
		out[i] = bjValue{Issue: is.Name, Value: s.ValueString(i, d[i])}
		if is.Divisible {
			out[i].Value = d[i]
		}
	}
	return out
}

func bjFrontier(s *bargain.Space, f bargain.Frontier) []bjPiece {
	out := make([]bjPiece, 0, len(f))
	for _, pc := range f {
		jp := bjPiece{
			From: bjPoint{pc.From.U1, pc.From.U2, bjDeal(s, pc.FromDeal)},
			To:   bjPoint{pc.To.U1, pc.To.U2, bjDeal(s, pc.ToDeal)},
		}
		for _, t := range pc.Ties {
			jp.Ties = append(jp.Ties, bjDeal(s, t))
		}
		out = append(out, jp)
	}
	return out
}

func writeBargainJSON(w io.Writer, a *bargain.Analysis, p *bargain.Assessment) error {
	s := a.Space
	out := bjBargain{Name: s.Name, Outcomes: a.Outcomes, Frontier: bjFrontier(s, a.Frontier), Solutions: []bjSolution{}}
	for _, is := range s.Issues {
		ji := bjIssue{Name: is.Name, Values: is.Values}
		if is.Divisible {
			ji.Range = []float64{is.Min, is.Max}
		}
		out.Issues = append(out.Issues, ji)
	}
	for i, pa := range s.Parties {
		out.Parties[i] = bjParty{pa.Name, pa.Reservation, pa.Discount}
	}
	z := a.ZOPA
	out.ZOPA = bjZOPA{Empty: z.Empty(), Frontier: bjFrontier(s, z.Frontier)}
	if z.Inside >= 0 {
		out.ZOPA.Inside = &z.Inside
	}
	if !z.Empty() {
		out.ZOPA.Ideal = &bjPoint{U1: z.Ideal.U1, U2: z.Ideal.U2}
	}
	for _, sol := range a.Solutions {
		js := bjSolution{Name: sol.Name(), Concept: string(sol.Concept), bjPoint: bjPoint{sol.Point.U1, sol.Point.U2, bjDeal(s, sol.Deal)}}
		if sol.Concept == bargain.Nash {
			js.Power = sol.Power
		}
		out.Solutions = append(out.Solutions, js)
	}
	if p != nil {
		ja := &bjAssessment{
			bjPoint:      bjPoint{p.Point.U1, p.Point.U2, bjDeal(s, p.Deal)},
			InZOPA:       p.InZOPA,
			Efficient:    p.Efficient,
			Distance:     p.Distance,
			Nearest:      bjPoint{p.Nearest.Point.U1, p.Nearest.Point.U2, bjDeal(s, a.Frontier.Deal(p.Nearest))},
			Improvements: bjFrontier(s, p.Improvements),
		}
		if p.Dominating >= 0 {
			ja.Dominating = &p.Dominating
		}
		if !p.Efficient {
			ja.Balanced = &bjPoint{p.Balanced.Point.U1, p.Balanced.Point.U2, bjDeal(s, p.Improvements.Deal(p.Balanced))}
		}
		out.Proposal = ja
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
