package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// statusOrder is the order of the end statuses in tables.
var statusOrder = []string{"completed", "completed-but-cheated", "partial", "breakdown", "stalemate", "horizon", "baseline"}

// Tables returns the comparison as the tables a reader sees: outcomes,
// causes, milestones, actors, and exposure and leverage by counterpart type.
func (c *Comparison) Tables() []*Table {
	var out []*Table
	// outcomes: completed, then every status that some roadmap reaches
	var statuses []string
	for _, name := range statusOrder {
		show := name == "completed"
		for _, r := range c.Roadmaps {
			show = show || r.StatusShare(name).P > 0
		}
		if show {
			statuses = append(statuses, name)
		}
	}
	note := "Share of histories by how they ended, with 95% Wilson intervals; — : does not apply."
	if c.Exact {
		note = "Probability of each way of ending, exact; — : does not apply."
	}
	ot := &Table{Title: "Outcomes", Note: note,
		Header: append(append([]string{"roadmap"}, statuses...), "mean rounds")}
	ot.Right = make([]bool, len(ot.Header))
	for i := 1; i < len(ot.Right); i++ {
		ot.Right[i] = true
	}
	for _, r := range c.Roadmaps {
		row := []string{r.ID}
		for _, st := range statuses {
			if r.Baseline != (st == "baseline") {
				row = append(row, "—")
				continue
			}
			if c.Exact {
				row = append(row, pct(r.StatusShare(st).P))
			} else {
				row = append(row, pctCI(r.StatusShare(st)))
			}
		}
		row = append(row, fmt.Sprintf("%.1f", r.Rounds.Mean))
		ot.Rows = append(ot.Rows, row)
	}
	out = append(out, ot)
	// causes
	ct := &Table{Title: "Why talks ended early", Note: "The three most frequent causes of breakdown or stalemate per roadmap.",
		Header: []string{"roadmap", "cause", "share"}, Right: []bool{false, false, true}}
	for _, r := range c.Roadmaps {
		for i, k := range r.Causes {
			if i == 3 {
				break
			}
			ct.Rows = append(ct.Rows, []string{r.ID, k.Name, pct(k.P)})
		}
	}
	if len(ct.Rows) > 0 {
		out = append(out, ct)
	}
	// milestones
	if len(c.Roadmaps) > 0 && len(c.Roadmaps[0].Milestones) > 0 {
		mt := &Table{Title: "Milestones", Note: fmt.Sprintf("Share of histories reaching each milestone in truth by round %d (mean round when reached); — : not in the roadmap.", c.Horizon),
			Header: []string{"roadmap"}}
		for _, m := range c.Roadmaps[0].Milestones {
			mt.Header = append(mt.Header, m.ID)
		}
		mt.Right = make([]bool, len(mt.Header))
		for i := 1; i < len(mt.Right); i++ {
			mt.Right[i] = true
		}
		for _, r := range c.Roadmaps {
			row := []string{r.ID}
			for _, m := range r.Milestones {
				switch {
				case !m.InRoadmap:
					row = append(row, "—")
				case m.MeanRound == nil:
					row = append(row, pct(m.Reached.P))
				default:
					row = append(row, fmt.Sprintf("%s (r%.1f)", pct(m.Reached.P), *m.MeanRound))
				}
			}
			mt.Rows = append(mt.Rows, row)
		}
		out = append(out, mt)
	}
	// actors
	at := &Table{Title: "Actors", Note: "Mean discounted utility, exposure (loss against never engaging) and leverage left (benefit to the others of moves not delivered).",
		Header: []string{"roadmap", "actor", "utility", "exposure", "leverage left"}, Right: []bool{false, false, true, true, true}}
	for _, r := range c.Roadmaps {
		for _, a := range r.Actors {
			at.Rows = append(at.Rows, []string{r.ID, a.ID, num(a.Utility.Mean), num(a.Exposure.Mean), num(a.Leverage.Mean)})
		}
	}
	out = append(out, at)
	// by counterpart type, one row per actor and counterpart
	bt := &Table{Title: "Exposure and leverage by the counterpart's true type",
		Note:   "Mean exposure and leverage left of each actor in the histories where the counterpart is of each type (type exposure/leverage).",
		Header: []string{"roadmap", "actor", "counterpart", "by type: exposure / leverage left"}}
	for _, r := range c.Roadmaps {
		if r.Baseline {
			continue
		}
		for _, a := range r.Actors {
			var cur string
			var cells []string
			flush := func() {
				if cur != "" {
					bt.Rows = append(bt.Rows, []string{r.ID, a.ID, cur, strings.Join(cells, "   ")})
				}
				cells = cells[:0]
			}
			for _, t := range a.ByType {
				if t.Counterpart == a.ID {
					continue
				}
				if t.Counterpart != cur {
					flush()
					cur = t.Counterpart
				}
				cell := t.Type + " —"
				if t.Share > 0 {
					cell = fmt.Sprintf("%s %s/%s", t.Type, num(t.Exposure.Mean), num(t.Leverage.Mean))
				}
				cells = append(cells, cell)
			}
			flush()
		}
	}
	out = append(out, bt)
	return out
}

func (c *Comparison) heading() string {
	t := c.Scenario
	if c.Title != "" {
		t += " — " + c.Title
	}
	if c.Exact {
		return fmt.Sprintf("Scenario %s\nExact: every history enumerated with its probability (no sampling error), horizon %d rounds of %s.\n",
			t, c.Horizon, c.RoundLength)
	}
	return fmt.Sprintf("Scenario %s\n%d histories per roadmap, seed %d, horizon %d rounds of %s; every roadmap meets the same draws.\n",
		t, c.Runs, c.Seed, c.Horizon, c.RoundLength)
}

// WriteText writes the comparison as aligned text tables.
func (c *Comparison) WriteText(w io.Writer) error {
	if _, err := io.WriteString(w, c.heading()); err != nil {
		return err
	}
	for _, t := range c.Tables() {
		if _, err := io.WriteString(w, "\n"); err != nil {
			return err
		}
		if err := t.Text(w); err != nil {
			return err
		}
	}
	return nil
}

// WriteMarkdown writes the comparison as Markdown.
func (c *Comparison) WriteMarkdown(w io.Writer) error {
	if _, err := fmt.Fprintf(w, "## %s\n\n", c.heading()); err != nil {
		return err
	}
	for _, t := range c.Tables() {
		if err := t.Markdown(w); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSON writes the comparison as indented JSON.
func (c *Comparison) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(c)
}

// WriteCSV writes the comparison in long form: one row per roadmap, metric and key.
func (c *Comparison) WriteCSV(w io.Writer) error {
	t := &Table{Header: []string{"roadmap", "metric", "key", "value", "lo", "hi"}}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 10, 64) }
	for _, r := range c.Roadmaps {
		for _, o := range r.Outcomes {
			t.Rows = append(t.Rows, []string{r.ID, "outcome", o.Name, f(o.P), f(o.Lo), f(o.Hi)})
		}
		for _, k := range r.Causes {
			t.Rows = append(t.Rows, []string{r.ID, "cause", k.Name, f(k.P), f(k.Lo), f(k.Hi)})
		}
		t.Rows = append(t.Rows, []string{r.ID, "rounds", "mean", f(r.Rounds.Mean), "", ""})
		for _, m := range r.Milestones {
			t.Rows = append(t.Rows, []string{r.ID, "milestone", m.ID, f(m.Reached.P), f(m.Reached.Lo), f(m.Reached.Hi)})
			t.Rows = append(t.Rows, []string{r.ID, "milestone-believed", m.ID, f(m.Believed.P), f(m.Believed.Lo), f(m.Believed.Hi)})
		}
		for _, a := range r.Actors {
			t.Rows = append(t.Rows, []string{r.ID, "utility", a.ID, f(a.Utility.Mean), "", ""})
			t.Rows = append(t.Rows, []string{r.ID, "exposure", a.ID, f(a.Exposure.Mean), "", ""})
			t.Rows = append(t.Rows, []string{r.ID, "leverage", a.ID, f(a.Leverage.Mean), "", ""})
			for _, bt := range a.ByType {
				if bt.Counterpart == a.ID {
					continue
				}
				key := a.ID + "|" + bt.Counterpart + ":" + bt.Type
				t.Rows = append(t.Rows, []string{r.ID, "exposure-by-type", key, f(bt.Exposure.Mean), "", ""})
				t.Rows = append(t.Rows, []string{r.ID, "leverage-by-type", key, f(bt.Leverage.Mean), "", ""})
			}
		}
	}
	return t.CSV(w)
}
