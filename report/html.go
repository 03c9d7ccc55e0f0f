package report

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"strings"
)

// Charts returns the comparison's charts: each milestone's probability over
// the rounds per roadmap, then every actor's trust in each counterpart per
// roadmap (mean with a ±1 sd band), then every actor's insecurity; a trust or
// insecurity chart whose lines never move is left out.
func (c *Comparison) Charts() []*LineChart {
	var out []*LineChart
	if len(c.Roadmaps) == 0 {
		return nil
	}
	for m, ms := range c.Roadmaps[0].Milestones {
		ch := &LineChart{Title: "P(" + ms.ID + " reached by round)", XLabel: "round", YLabel: "probability", X0: 1, YMax: 1}
		for _, r := range c.Roadmaps {
			if m < len(r.Milestones) && r.Milestones[m].InRoadmap {
				ch.Lines = append(ch.Lines, Line{Name: r.ID, Y: r.Milestones[m].Curve})
			}
		}
		if len(ch.Lines) > 0 {
			out = append(out, ch)
		}
	}
	for i, tr := range c.Roadmaps[0].Trust {
		ch := &LineChart{Title: fmt.Sprintf("%s's trust in %s", tr.From, tr.To), XLabel: "round", YLabel: "P(reciprocator)", YMax: 1}
		for _, r := range c.Roadmaps {
			s := r.Trust[i]
			ch.Lines = append(ch.Lines, band(r.ID, s))
		}
		if !flat(ch) {
			out = append(out, ch)
		}
	}
	for i, in := range c.Roadmaps[0].Insecurity {
		ch := &LineChart{Title: fmt.Sprintf("%s's insecurity", in.From), XLabel: "round", YLabel: "insecurity", YMax: 1}
		for _, r := range c.Roadmaps {
			ch.Lines = append(ch.Lines, band(r.ID, r.Insecurity[i]))
		}
		if !flat(ch) {
			out = append(out, ch)
		}
	}
	return out
}

// flat reports whether every line of a chart stays at its first value: such
// a chart (trust in an actor whose types are all reciprocators, say) shows nothing.
// (The mean alone is not enough: when beliefs start from the true priors the
// mean trust is a martingale and stays put while its spread grows.)
func flat(ch *LineChart) bool {
	y0 := ch.Lines[0].Y[0]
	for _, l := range ch.Lines {
		for i, y := range l.Y {
			if y != y0 || (i < len(l.Lo) && (l.Lo[i] != y0 || l.Hi[i] != y0)) {
				return false
			}
		}
	}
	return true
}

func band(name string, s Series) Line {
	l := Line{Name: name, Y: s.Mean}
	for i := range s.Mean {
		l.Lo = append(l.Lo, s.Mean[i]-s.SD[i])
		l.Hi = append(l.Hi, s.Mean[i]+s.SD[i])
	}
	return l
}

// HTMLSection is a titled block of preformatted text in a report (the audit, say).
type HTMLSection struct {
	Title string
	Text  string
}

// page is the report. Body cells of the columns a table right-aligns in
// text get the class "r", which the style sheet right-aligns.
var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"right": func(t *Table, i int) bool { return i < len(t.Right) && t.Right[i] },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>parley — {{.Title}}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:72rem;margin:1rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
td.r{text-align:right}
pre{background:#f6f6f6;padding:.75rem;overflow-x:auto;font-size:.85rem}
.charts{display:flex;flex-wrap:wrap;gap:1rem}
.charts svg{max-width:100%;height:auto}
.note{color:#555;font-size:.9rem}
</style></head><body>
<h1>{{.Title}}</h1>
<p class="note">{{.Heading}}</p>
{{range $t := .Tables}}<h2>{{.Title}}</h2><p class="note">{{.Note}}</p>
<table><thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead><tbody>
{{range .Rows}}<tr>{{range $i, $c := .}}<td{{if right $t $i}} class="r"{{end}}>{{$c}}</td>{{end}}</tr>
{{end}}</tbody></table>
{{end}}
<h2>Charts</h2><div class="charts">{{range .Charts}}{{.}}{{end}}</div>
{{range .Sections}}<h2>{{.Title}}</h2><pre>{{.Text}}</pre>{{end}}
<p class="note">Made by parley {{.Version}}. Every number comes from the seed above and the scenario as given; change the scenario's judgements and run again.</p>
</body></html>
`))

// WriteHTML writes one self-contained HTML report: the tables, the charts as
// inline SVG, and extra sections (such as the audit).
func (c *Comparison) WriteHTML(w io.Writer, version string, sections []HTMLSection) error {
	var charts []template.HTML
	for _, ch := range c.Charts() {
		var b bytes.Buffer
		if err := ch.SVG(&b); err != nil {
			return err
		}
		// the SVG is built by LineChart.SVG, which escapes every string it embeds
		charts = append(charts, template.HTML(b.String()))
	}
	for _, ch := range c.BarCharts() {
		var b bytes.Buffer
		if err := ch.SVG(&b); err != nil {
			return err
		}
		// BarChart.SVG escapes every string it embeds too
		charts = append(charts, template.HTML(b.String()))
	}
	title := "Scenario " + c.Scenario
	if c.Title != "" {
		title += ": " + c.Title
	}
	return page.Execute(w, map[string]any{
		"Title":    title,
		"Heading":  strings.TrimSpace(c.heading()),
		"Tables":   c.Tables(),
		"Charts":   charts,
		"Sections": sections,
		"Version":  version,
	})
}
