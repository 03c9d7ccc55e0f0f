package audit

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/report"
)

// num formats a number with three decimals, a true minus sign and ∞.
func num(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "∞"
	case math.IsInf(x, -1):
		return "−∞"
	case math.IsNaN(x):
		return "NaN"
	}
	s := strconv.FormatFloat(x, 'f', 3, 64)
	if s == "-0.000" {
		s = "0.000"
	}
	if strings.HasPrefix(s, "-") {
		s = "−" + s[1:]
	}
	return s
}

// WriteJSON writes the report as indented JSON.
func (rep *Report) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// WriteText writes the report as plain text with aligned tables.
func (rep *Report) WriteText(w io.Writer) error { return rep.write(w, false) }

// WriteMarkdown writes the report as GitHub-flavoured Markdown.
func (rep *Report) WriteMarkdown(w io.Writer) error { return rep.write(w, true) }

// writer remembers the first write error.
type writer struct {
	w   io.Writer
	md  bool
	err error
}

func (p *writer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func (p *writer) table(t *report.Table) {
	if p.err != nil {
		return
	}
	if p.md {
		p.err = t.Markdown(p.w)
	} else {
		p.err = t.Text(p.w)
	}
}

// heading writes a heading of the given Markdown level; in text, level 1 and
// 2 are underlined.
func (p *writer) heading(level int, s string) {
	if p.md {
		p.printf("%s %s\n\n", strings.Repeat("#", level), s)
		return
	}
	p.printf("%s\n", s)
	switch level {
	case 1:
		p.printf("%s\n", strings.Repeat("=", len([]rune(s))))
	case 2:
		p.printf("%s\n", strings.Repeat("-", len([]rune(s))))
	}
	p.printf("\n")
}

// gap ends a table: Markdown tables end with a blank line already.
func (p *writer) gap() {
	if !p.md {
		p.printf("\n")
	}
}

// para writes a paragraph (text: as one line).
func (p *writer) para(s string) { p.printf("%s\n\n", s) }

const legend = "Columns: s insecurity (projected along the all-delivered path); c cost of its moves here after the insecurity multiplier, " +
	"which is also its temptation (what not moving saves it now); b gain from the others' moves; L exposure Σ(1 − r)·c; " +
	"V continuation value with q = 1; N = b − c + V; G what detection costs it besides V; D detection 1 − Π(1 − d); " +
	"margin the opportunist's self-enforcement margin D·(V + G) − c; p prior trust that every counterpart still to move keeps its side; " +
	"t the reciprocator's trust threshold L/(N + L); bound the hardliner's symbolic bound; max step its costliest step. " +
	"Every number is shown for every actor; the verdict applies the test of the actor's disposition " +
	"(reciprocator: N ≥ 0 and p ≥ t; opportunist: margin ≥ 0; hardliner: every step ≤ bound)."

func (rep *Report) write(w io.Writer, md bool) error {
	p := &writer{w: w, md: md}
	title := "Audit of roadmap " + rep.Roadmap
	if rep.Label != "" && rep.Label != rep.Roadmap {
		title += " (" + rep.Label + ")"
	}
	if rep.Scenario != "" {
		title += ", scenario " + rep.Scenario
	}
	p.heading(1, title)
	if rep.Phases == 0 {
		p.para("The roadmap has no phases (a baseline): there is nothing to audit.")
		return p.err
	}
	p.para(fmt.Sprintf("%s after tranche expansion. Complete information: every actor is of the profile's type, every move is delivered, "+
		"insecurity is projected along that path and continuation values are taken with q = 1.", plural(rep.Phases, "phase")))
	p.para(legend)
	if rep.AllProfiles {
		p.overview(rep)
	}
	for i := range rep.Profiles {
		p.profile(rep, i)
	}
	return p.err
}

func profileName(pr *Profile) string {
	var parts []string
	for _, at := range pr.Types {
		parts = append(parts, fmt.Sprintf("%s = %s (%s)", at.Actor, at.Type, at.Disposition))
	}
	return strings.Join(parts, ", ")
}

func profileShort(pr *Profile) string {
	var parts []string
	for _, at := range pr.Types {
		parts = append(parts, at.Actor+"="+at.Type)
	}
	return strings.Join(parts, " ")
}

func (p *writer) overview(rep *Report) {
	t := &report.Table{Title: "Every profile", Header: []string{"#", "profile", "probability", "whole value", "failures", "first failure"},
		Right: []bool{true, false, true, false, true, false}}
	for i := range rep.Profiles {
		pr := &rep.Profiles[i]
		whole := "≥ 0 for all"
		if pr.CannotWork {
			var neg []string
			for _, wv := range pr.Whole {
				if wv.Negative {
					neg = append(neg, wv.Actor)
				}
			}
			whole = "negative for " + strings.Join(neg, ", ")
		}
		first := "—"
	find:
		for _, ph := range pr.Phases {
			for _, row := range ph.Rows {
				if len(row.Failures) > 0 {
					first = fmt.Sprintf("phase %d: %s %s", ph.Index, row.Actor, row.Failures[0].Kind)
					break find
				}
			}
		}
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), profileShort(pr), num(pr.Probability), whole, strconv.Itoa(pr.Failures), first})
	}
	p.table(t)
	p.gap()
	p.para(fmt.Sprintf("Probability that the roadmap passes the audit (sum over the profiles with no failure): %s.", num(rep.PassProbability)))
}

func (p *writer) profile(rep *Report, i int) {
	pr := &rep.Profiles[i]
	head := "Profile: " + profileName(pr)
	if rep.AllProfiles {
		head = fmt.Sprintf("Profile %d of %d: %s", i+1, len(rep.Profiles), profileName(pr))
	}
	p.heading(2, head)
	// the verdict on the whole roadmap comes before anything else
	if pr.CannotWork {
		var parts []string
		for _, wv := range pr.Whole {
			if wv.Negative {
				parts = append(parts, fmt.Sprintf("%s's value of the whole roadmap is %s", wv.Actor, num(wv.Value)))
			}
		}
		msg := "This roadmap cannot work even with full trust: " + strings.Join(parts, "; ") + "."
		if p.md {
			msg = "**" + msg + "**"
		} else {
			msg = "!! " + msg
		}
		p.para(msg)
	}
	p.para(fmt.Sprintf("Prior probability of this profile: %s.", num(pr.Probability)))
	wt := &report.Table{Title: "Value of the whole roadmap (everything delivered, full trust)", Header: []string{"actor", "type", "value"},
		Right: []bool{false, false, true}}
	for _, wv := range pr.Whole {
		wt.Rows = append(wt.Rows, []string{wv.Actor, wv.Type, num(wv.Value)})
	}
	p.table(wt)
	p.gap()
	for k := range pr.Phases {
		p.phase(rep, &pr.Phases[k])
	}
	p.result(pr)
}

func phaseTitle(rep *Report, ph *Phase) string {
	s := fmt.Sprintf("Phase %d of %d: source phase %d %q", ph.Index, rep.Phases, ph.Source, ph.Label)
	if ph.Subs > 1 {
		s += fmt.Sprintf(", tranche %d of %d", ph.Sub, ph.Subs)
	}
	s += ", " + ph.Order
	if ph.Initiator != "" {
		s += " (initiator " + ph.Initiator + ")"
	}
	return s
}

func verdict(row *Row) string {
	if len(row.Failures) == 0 {
		if !row.TrustTested && row.Disposition == "reciprocator" {
			return "ok (initiator)"
		}
		return "ok"
	}
	var kinds []string
	for _, f := range row.Failures {
		k := f.Kind
		if k == FailBound {
			k = "bound " + f.Step
		}
		kinds = append(kinds, k)
	}
	return "FAILS: " + strings.Join(kinds, ", ")
}

func (p *writer) phase(rep *Report, ph *Phase) {
	t := &report.Table{Title: phaseTitle(rep, ph),
		Header: []string{"actor", "type", "disposition", "s", "c", "b", "L", "V", "N", "G", "D", "margin", "p", "t", "bound", "max step", "verdict"},
		Right:  []bool{false, false, false, true, true, true, true, true, true, true, true, true, true, true, true, true, false}}
	if p.md {
		t.Title = ""
		p.heading(3, phaseTitle(rep, ph))
	}
	for i := range ph.Rows {
		row := &ph.Rows[i]
		th := "∞"
		if row.Threshold != nil {
			th = num(*row.Threshold)
		}
		t.Rows = append(t.Rows, []string{row.Actor, row.Type, row.Disposition, num(row.Insecurity), num(row.Cost), num(row.Gain),
			num(row.Exposure), num(row.Continuation), num(row.Net), num(row.AtStake), num(row.Detection), num(row.Margin),
			num(row.PriorTrust), th, num(row.Bound), num(row.MaxStepCost), verdict(row)})
	}
	p.table(t)
	p.gap()
	flagged := false
	for i := range ph.Rows {
		row := &ph.Rows[i]
		for _, f := range row.Failures {
			flagged = true
			if p.md {
				p.printf("- **%s (%s, %s)**: %s\n", row.Actor, row.Type, row.Disposition, f.Message)
				for _, l := range f.Levers {
					p.printf("  - %s\n", l.Text)
				}
			} else {
				p.printf("  %s (%s, %s): %s\n", row.Actor, row.Type, row.Disposition, f.Message)
				for _, l := range f.Levers {
					p.printf("    - %s\n", l.Text)
				}
			}
		}
	}
	if flagged {
		p.printf("\n")
	}
}

func (p *writer) result(pr *Profile) {
	if pr.Failures == 0 {
		msg := "Result: nothing fails — every step is self-enforcing and trusted enough under this profile."
		if pr.CannotWork {
			msg = "Result: no step fails, but the roadmap cannot work even with full trust (see above)."
		}
		p.para(msg)
		return
	}
	var parts []string
	for _, ph := range pr.Phases {
		var who []string
		for _, row := range ph.Rows {
			if len(row.Failures) > 0 {
				who = append(who, row.Actor)
			}
		}
		if len(who) > 0 {
			parts = append(parts, fmt.Sprintf("phase %d (%s)", ph.Index, strings.Join(who, ", ")))
		}
	}
	s := "s"
	if pr.Failures == 1 {
		s = ""
	}
	p.para(fmt.Sprintf("Result: %d failure%s — %s.", pr.Failures, s, strings.Join(parts, ", ")))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
