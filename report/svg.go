package report

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
)

// Line is one series of a line chart, with an optional band (lo, hi).
type Line struct {
	Name   string
	Y      []float64
	Lo, Hi []float64
}

// LineChart is a chart of series over rounds 0..n or 1..n.
type LineChart struct {
	Title  string
	XLabel string
	YLabel string
	X0     int // the x value of the first point
	YMin   float64
	YMax   float64
	Lines  []Line
}

var palette = []string{"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"}

// SVG writes the chart as a self-contained SVG element.
func (c *LineChart) SVG(w io.Writer) error {
	const W, H = 680.0, 320.0
	const left, right, top, bottom = 56.0, 190.0, 28.0, 40.0
	pw, ph := W-left-right, H-top-bottom
	n := 0
	for _, l := range c.Lines {
		n = max(n, len(l.Y))
	}
	if n < 2 {
		n = 2
	}
	ymin, ymax := c.YMin, c.YMax
	if ymax <= ymin {
		ymax = ymin + 1
	}
	x := func(i int) float64 { return left + pw*float64(i)/float64(n-1) }
	y := func(v float64) float64 {
		if math.IsNaN(v) {
			v = ymin
		}
		return top + ph*(1-(v-ymin)/(ymax-ymin))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" font-family="sans-serif" font-size="11" role="img">`, W, H, W, H)
	fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(c.Title))
	fmt.Fprintf(&b, `<text x="%g" y="16" font-size="13" font-weight="bold">%s</text>`, left, html.EscapeString(c.Title))
	// grid and axes
	for k := 0; k <= 4; k++ {
		v := ymin + (ymax-ymin)*float64(k)/4
		yy := y(v)
		fmt.Fprintf(&b, `<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="#ddd"/>`, left, yy, left+pw, yy)
		fmt.Fprintf(&b, `<text x="%g" y="%.1f" text-anchor="end">%.2g</text>`, left-4, yy+4, v)
	}
	step := max(1, (n-1)/8)
	for i := 0; i < n; i += step {
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" text-anchor="middle">%d</text>`, x(i), top+ph+14, i+c.X0)
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%g" text-anchor="middle">%s</text>`, left+pw/2, H-6, html.EscapeString(c.XLabel))
	fmt.Fprintf(&b, `<text transform="translate(12,%.1f) rotate(-90)" text-anchor="middle">%s</text>`, top+ph/2, html.EscapeString(c.YLabel))
	fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%g" height="%g" fill="none" stroke="#888"/>`, left, top, pw, ph)
	for li, l := range c.Lines {
		col := palette[li%len(palette)]
		if len(l.Lo) == len(l.Y) && len(l.Hi) == len(l.Y) && len(l.Y) > 1 {
			var p strings.Builder
			for i := range l.Y {
				fmt.Fprintf(&p, "%.1f,%.1f ", x(i), y(math.Min(ymax, l.Hi[i])))
			}
			for i := len(l.Y) - 1; i >= 0; i-- {
				fmt.Fprintf(&p, "%.1f,%.1f ", x(i), y(math.Max(ymin, l.Lo[i])))
			}
			fmt.Fprintf(&b, `<polygon points="%s" fill="%s" fill-opacity="0.12" stroke="none"/>`, strings.TrimSpace(p.String()), col)
		}
		var p strings.Builder
		for i, v := range l.Y {
			fmt.Fprintf(&p, "%.1f,%.1f ", x(i), y(v))
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.TrimSpace(p.String()), col)
		ly := top + 12 + 16*float64(li)
		fmt.Fprintf(&b, `<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="%s" stroke-width="3"/>`, left+pw+10, ly-4, left+pw+28, ly-4, col)
		fmt.Fprintf(&b, `<text x="%g" y="%.1f">%s</text>`, left+pw+32, ly, html.EscapeString(l.Name))
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}
