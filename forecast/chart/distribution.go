package chart

import (
	"fmt"
	"math"
	"strconv"

	"github.com/parleyhq/parley/forecast/uncertainty"
)

// Layout of the histograms, in pixels.
const (
	hPanelW = 420.0 // a panel's plot
	hPanelH = 180.0
	hLeft   = 56.0
	hRight  = 24.0
	hHead   = 62.0 // a panel's title and statistics above it
	hFoot   = 40.0 // its axis labels below
	hTop    = 48.0 // the chart's title and note
	hBins   = 30   // at most this many bars
)

// Distribution draws the histogram of each quantity of a Monte Carlo
// summary, one panel per quantity in two columns, each with its count,
// mean, standard deviation and 5-95% range, and the forecast of the
// unperturbed input as a dashed red line.
func Distribution(s *uncertainty.Summary, title string) *Chart {
	nq := len(s.Quantities)
	cols := min(2, nq)
	rows := (nq + cols - 1) / cols
	cw := hLeft + hPanelW + hRight
	ch := hHead + hPanelH + hFoot
	c := &Chart{w: float64(cols) * cw, h: hTop + float64(rows)*ch + 10, title: title}
	c.text(hLeft, 22, title, "start", 14, true)
	p := s.Perturbation
	c.text(hLeft, 40, fmt.Sprintf("%d runs (seed %d): positions ±%g, saliences ±%g of their scales, drop %g; %d without a forecast",
		s.Runs, s.Seed, p.Position, p.Salience, p.Drop, s.Void), "start", 11, false)
	for q, qt := range s.Quantities {
		ox := float64(q%cols) * cw
		oy := hTop + float64(q/cols)*ch
		name := qt.Name
		if qt.Dimension >= 0 && qt.Dimension < len(s.Dimensions) {
			name = s.Dimensions[qt.Dimension] + ": " + qt.Name
		}
		histogram(c, ox, oy, name, s.Stats[q], s.Deterministic[q])
	}
	return c
}

// histogram draws one panel with its top left corner at (ox, oy).
func histogram(c *Chart, ox, oy float64, name string, st *uncertainty.Stats, det float64) {
	left, top := ox+hLeft, oy+hHead
	right, bottom := left+hPanelW, top+hPanelH
	c.text(left, oy+20, name, "start", 12, true)
	if st.Count() == 0 {
		c.text(left, oy+38, fmt.Sprintf("no value in any run (%d runs gave none)", st.None()), "start", 11, false)
		return
	}
	stats := fmt.Sprintf("n %d, mean %s, sd %s, 5-95%%: %s to %s", st.Count(), short(st.Mean()), short(st.SD()), short(st.Quantile(0.05)), short(st.Quantile(0.95)))
	if st.None() > 0 {
		stats += fmt.Sprintf("; none in %d", st.None())
	}
	c.text(left, oy+38, stats, "start", 11, false)
	bins := st.Histogram(hBins)
	lo, hi := bins[0].Lo, bins[len(bins)-1].Hi
	if lo == hi { // a single value: a thin bar in the middle of a small range
		d := niceStep(math.Max(math.Abs(lo), 1) * 0.02)
		lo, hi = lo-5*d, hi+5*d
	}
	if !math.IsNaN(det) {
		lo, hi = math.Min(lo, det), math.Max(hi, det)
	}
	ticks := niceTicks(lo, hi, 6)
	xlo, xhi := ticks[0], ticks[len(ticks)-1]
	x := func(v float64) float64 { return left + hPanelW*(v-xlo)/(xhi-xlo) }
	most := 0
	for _, b := range bins {
		most = max(most, b.Count)
	}
	yt := niceTicks(0, float64(most), 4)
	ymax := yt[len(yt)-1]
	y := func(v float64) float64 { return bottom - hPanelH*v/ymax }
	for _, v := range yt {
		c.line(left, y(v), right, y(v), "#e3e3e3", 1, false)
		c.text(left-6, y(v)+4, strconv.FormatFloat(v, 'f', -1, 64), "end", 11, false)
	}
	for _, b := range bins {
		x0, x1 := x(b.Lo), x(b.Hi)
		if b.Lo == b.Hi {
			x0, x1 = x0-2, x1+2
		}
		if b.Count > 0 {
			c.rect(x0+0.5, y(float64(b.Count)), math.Max(x1-0.5, x0+1), bottom, "#4c78a8", 1)
		}
	}
	for _, v := range ticks {
		c.line(x(v), bottom, x(v), bottom+4, "#888888", 1, false)
		c.text(x(v), bottom+16, label(v), "middle", 11, false)
	}
	c.path([][2]float64{{left, top}, {left, bottom}, {right, bottom}}, "#888888", 1, false)
	if !math.IsNaN(det) {
		c.line(x(det), top-4, x(det), bottom, "#d62728", 2, true)
		anchor := "start"
		tx := x(det) + 4
		if x(det) > left+hPanelW*0.6 {
			anchor, tx = "end", x(det)-4
		}
		c.text(tx, top+8, "unperturbed "+short(det), anchor, 11, false)
	}
	c.turnedText(ox+16, top+hPanelH/2, "runs", "middle", 11)
}
