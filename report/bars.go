package report

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
	"unicode/utf8"
)

// BarSeries is one series of a bar chart: a value per category, with an
// optional interval (Lo, Hi) drawn as a whisker. NaN marks a category the
// series has no value for.
type BarSeries struct {
	Name   string
	V      []float64
	Lo, Hi []float64
	// Colour is the series' index in the palette, so that a roadmap keeps
	// its colour from chart to chart.
	Colour int
}

// BarChart is a chart of horizontal bars: one row per category, and in each
// row one bar per series.
type BarChart struct {
	Title      string
	ValueLabel string
	Categories []string
	Series     []BarSeries
}

// SVG writes the chart as a self-contained SVG element. Every string it
// embeds is escaped.
func (c *BarChart) SVG(w io.Writer) error {
	const W = 720.0
	const right, top, bottom = 130.0, 28.0, 40.0
	// the category labels stand left of the bars: leave them room (about
	// 6 px a character at 11 px), within reason
	long := 0
	for _, cat := range c.Categories {
		long = max(long, utf8.RuneCountInString(cat))
	}
	left := math.Min(330, math.Max(120, 12+6.2*float64(long)))
	const bar, gap = 9.0, 8.0
	ns := max(1, len(c.Series))
	rowH := bar*float64(ns) + gap
	ph := rowH * float64(max(1, len(c.Categories)))
	H := top + ph + bottom
	pw := W - left - right

	lo, hi := 0.0, 0.0
	for _, s := range c.Series {
		for i, v := range s.V {
			for _, x := range []float64{v, at(s.Lo, i), at(s.Hi, i)} {
				if !math.IsNaN(x) && !math.IsInf(x, 0) {
					lo, hi = math.Min(lo, x), math.Max(hi, x)
				}
			}
		}
	}
	if hi <= lo {
		hi = lo + 1
	}
	lo, hi = niceDown(lo), niceUp(hi)
	x := func(v float64) float64 { return left + pw*(v-lo)/(hi-lo) }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" font-family="sans-serif" font-size="11" role="img">`, W, H, W, H)
	fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(c.Title))
	fmt.Fprintf(&b, `<text x="8" y="16" font-size="13" font-weight="bold">%s</text>`, html.EscapeString(c.Title))
	for k := 0; k <= 4; k++ {
		v := lo + (hi-lo)*float64(k)/4
		xx := x(v)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="#ddd"/>`, xx, top, xx, top+ph)
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" text-anchor="middle">%.3g</text>`, xx, top+ph+14, v)
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%g" text-anchor="middle">%s</text>`, left+pw/2, H-6, html.EscapeString(c.ValueLabel))
	fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%g" height="%g" fill="none" stroke="#888"/>`, left, top, pw, ph)
	if lo < 0 {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="#444"/>`, x(0), top, x(0), top+ph)
	}
	for ci, cat := range c.Categories {
		y0 := top + rowH*float64(ci) + gap/2
		fmt.Fprintf(&b, `<text x="%g" y="%.1f" text-anchor="end">%s</text>`, left-6, y0+rowH/2, html.EscapeString(cat))
		for si, s := range c.Series {
			v := at(s.V, ci)
			if math.IsNaN(v) {
				continue
			}
			col := palette[s.Colour%len(palette)]
			y := y0 + bar*float64(si)
			x0, x1 := x(math.Min(0, v)), x(math.Max(0, v))
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%g" fill="%s"><title>%s: %s</title></rect>`,
				x0, y, math.Max(x1-x0, 0.5), bar-1, col, html.EscapeString(s.Name), fmtBar(v))
			if l, h := at(s.Lo, ci), at(s.Hi, ci); !math.IsNaN(l) && !math.IsNaN(h) && h > l {
				ym := y + (bar-1)/2
				fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#222"/>`, x(l), ym, x(h), ym)
			}
		}
	}
	if len(c.Series) > 1 {
		for si, s := range c.Series {
			ly := top + 12 + 16*float64(si)
			fmt.Fprintf(&b, `<rect x="%g" y="%.1f" width="14" height="9" fill="%s"/>`, left+pw+10, ly-8, palette[s.Colour%len(palette)])
			fmt.Fprintf(&b, `<text x="%g" y="%.1f">%s</text>`, left+pw+28, ly, html.EscapeString(s.Name))
		}
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// at returns xs[i], or NaN when xs is too short.
func at(xs []float64, i int) float64 {
	if i < len(xs) {
		return xs[i]
	}
	return math.NaN()
}

func fmtBar(v float64) string { return fmt.Sprintf("%.3g", v) }

// niceUp rounds x > 0 up to 1, 2 or 5 times a power of ten (and leaves 0 alone);
// niceDown is its mirror for x < 0.
func niceUp(x float64) float64 {
	if x <= 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if x <= m*p*(1+1e-12) {
			return m * p
		}
	}
	return 10 * p
}

func niceDown(x float64) float64 { return -niceUp(-x) }

// BarCharts returns the comparison's bar charts: for each roadmap that can
// end early, why its talks did (its most frequent causes, with their 95%
// Wilson intervals); and for each actor whose exposure or leverage left
// varies, that metric's mean by the counterparts' true types, per roadmap,
// with a 95% interval of the mean (mean ± 1.96 sd / √histories of the type).
// Charts that would show only zeros are left out.
func (c *Comparison) BarCharts() []*BarChart {
	var out []*BarChart
	const topCauses = 5
	for ri, r := range c.Roadmaps {
		if r.Baseline || len(r.Causes) == 0 {
			continue
		}
		ch := &BarChart{Title: r.ID + ": why talks ended early", ValueLabel: "share of histories"}
		s := BarSeries{Name: r.ID}
		for _, k := range r.Causes[:min(topCauses, len(r.Causes))] {
			ch.Categories = append(ch.Categories, k.Name)
			s.V, s.Lo, s.Hi = append(s.V, k.P), append(s.Lo, k.Lo), append(s.Hi, k.Hi)
		}
		s.Colour = ri
		ch.Series = []BarSeries{s}
		out = append(out, ch)
	}
	if len(c.Roadmaps) == 0 {
		return out
	}
	metrics := []struct {
		name string
		of   func(TypeResult) Stat
	}{
		{"exposure", func(t TypeResult) Stat { return t.Exposure }},
		{"leverage left", func(t TypeResult) Stat { return t.Leverage }},
	}
	for ai, a := range c.Roadmaps[0].Actors {
		if len(a.ByType) == 0 {
			continue
		}
		for _, m := range metrics {
			ch := &BarChart{Title: fmt.Sprintf("%s's %s by the counterparts' true types", a.ID, m.name), ValueLabel: "mean " + m.name}
			for _, t := range a.ByType {
				ch.Categories = append(ch.Categories, fmt.Sprintf("%s is %s", t.Counterpart, t.Type))
			}
			nonzero := false
			for ri, r := range c.Roadmaps {
				if r.Baseline || ai >= len(r.Actors) {
					continue
				}
				s := BarSeries{Name: r.ID, Colour: ri}
				for ti := range a.ByType {
					if ti >= len(r.Actors[ai].ByType) {
						s.V, s.Lo, s.Hi = append(s.V, math.NaN()), append(s.Lo, math.NaN()), append(s.Hi, math.NaN())
						continue
					}
					t := r.Actors[ai].ByType[ti]
					st := m.of(t)
					half := math.NaN()
					if n := t.Share * float64(c.Runs); n >= 2 && !c.Exact {
						half = 1.96 * st.SD / math.Sqrt(n)
					}
					s.V, s.Lo, s.Hi = append(s.V, st.Mean), append(s.Lo, st.Mean-half), append(s.Hi, st.Mean+half)
					nonzero = nonzero || st.Mean != 0
				}
				ch.Series = append(ch.Series, s)
			}
			if nonzero {
				out = append(out, ch)
			}
		}
	}
	return out
}
