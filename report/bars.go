package report

import (
	"fmt"
	"io"
	"math"
	"unicode/utf8"

	"github.com/parleyhq/parley/internal/canvas"
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
func (c *BarChart) SVG(w io.Writer) error { return c.canvas().WriteSVG(w) }

// PNG draws the same chart as [BarChart.SVG] as a PNG image, on a white
// background, with a 7 × 13 bitmap font (the bars' tooltips are left out).
func (c *BarChart) PNG(w io.Writer) error { return onWhite(c.canvas()).WritePNG(w) }

// canvas lays the chart out.
func (c *BarChart) canvas() *canvas.Canvas {
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

	cv := canvas.New(W, H)
	cv.Title = c.Title
	cv.Text(8, 16, c.Title, "start", 13, true)
	for k := 0; k <= 4; k++ {
		v := lo + (hi-lo)*float64(k)/4
		xx := x(v)
		cv.Line(xx, top, xx, top+ph, "#dddddd", 1)
		cv.Text(xx, top+ph+14, fmt.Sprintf("%.3g", v), "middle", 11, false)
	}
	cv.Text(left+pw/2, H-6, c.ValueLabel, "middle", 11, false)
	cv.Rect(left, top, pw, ph, "", "#888888", 1)
	if lo < 0 {
		cv.Line(x(0), top, x(0), top+ph, "#444444", 1)
	}
	for ci, cat := range c.Categories {
		y0 := top + rowH*float64(ci) + gap/2
		cv.Text(left-6, y0+rowH/2, cat, "end", 11, false)
		for si, s := range c.Series {
			v := at(s.V, ci)
			if math.IsNaN(v) {
				continue
			}
			col := palette[s.Colour%len(palette)]
			y := y0 + bar*float64(si)
			x0, x1 := x(math.Min(0, v)), x(math.Max(0, v))
			cv.Add(canvas.Shape{Kind: canvas.Rect, Pts: [][2]float64{{x0, y}, {x0 + math.Max(x1-x0, 0.5), y + bar - 1}}, Fill: col,
				Title: s.Name + ": " + fmtBar(v)})
			if l, h := at(s.Lo, ci), at(s.Hi, ci); !math.IsNaN(l) && !math.IsNaN(h) && h > l {
				ym := y + (bar-1)/2
				cv.Line(x(l), ym, x(h), ym, "#222222", 1)
			}
		}
	}
	if len(c.Series) > 1 {
		for si, s := range c.Series {
			ly := top + 12 + 16*float64(si)
			cv.Rect(left+pw+10, ly-8, 14, 9, palette[s.Colour%len(palette)], "", 0)
			cv.Text(left+pw+28, ly, s.Name, "start", 11, false)
		}
	}
	return cv
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
