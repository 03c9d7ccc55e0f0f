package report

import (
	"fmt"
	"io"
	"math"

	"github.com/parleyhq/parley/internal/canvas"
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

// SVG writes the chart as a self-contained SVG element. Every string it
// embeds is escaped.
func (c *LineChart) SVG(w io.Writer) error { return c.canvas().WriteSVG(w) }

// PNG draws the same chart as [LineChart.SVG] as a PNG image, on a white
// background, with a 7 × 13 bitmap font.
func (c *LineChart) PNG(w io.Writer) error { return onWhite(c.canvas()).WritePNG(w) }

// onWhite returns the drawing with a white background under it.
func onWhite(cv *canvas.Canvas) *canvas.Canvas {
	out := canvas.New(cv.W, cv.H)
	out.Title = cv.Title
	out.Rect(0, 0, cv.W, cv.H, "#ffffff", "", 0)
	out.Shapes = append(out.Shapes, cv.Shapes...)
	return out
}

// canvas lays the chart out.
func (c *LineChart) canvas() *canvas.Canvas {
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
	cv := canvas.New(W, H)
	cv.Title = c.Title
	cv.Text(left, 16, c.Title, "start", 13, true)
	// grid and axes
	for k := 0; k <= 4; k++ {
		v := ymin + (ymax-ymin)*float64(k)/4
		yy := y(v)
		cv.Line(left, yy, left+pw, yy, "#dddddd", 1)
		cv.Text(left-4, yy+4, fmt.Sprintf("%.2g", v), "end", 11, false)
	}
	step := max(1, (n-1)/8)
	for i := 0; i < n; i += step {
		cv.Text(x(i), top+ph+14, fmt.Sprint(i+c.X0), "middle", 11, false)
	}
	cv.Text(left+pw/2, H-6, c.XLabel, "middle", 11, false)
	cv.Add(canvas.Shape{Kind: canvas.Text, Pts: [][2]float64{{12, top + ph/2}}, Text: c.YLabel, Anchor: "middle", Up: true})
	cv.Rect(left, top, pw, ph, "", "#888888", 1)
	for li, l := range c.Lines {
		col := palette[li%len(palette)]
		if len(l.Lo) == len(l.Y) && len(l.Hi) == len(l.Y) && len(l.Y) > 1 {
			var band [][2]float64
			for i := range l.Y {
				band = append(band, [2]float64{x(i), y(math.Min(ymax, l.Hi[i]))})
			}
			for i := len(l.Y) - 1; i >= 0; i-- {
				band = append(band, [2]float64{x(i), y(math.Max(ymin, l.Lo[i]))})
			}
			cv.Polygon(band, col, 0.12)
		}
		var pts [][2]float64
		for i, v := range l.Y {
			pts = append(pts, [2]float64{x(i), y(v)})
		}
		cv.Polyline(pts, col, 2)
		ly := top + 12 + 16*float64(li)
		cv.Line(left+pw+10, ly-4, left+pw+28, ly-4, col, 3)
		cv.Text(left+pw+32, ly, l.Name, "start", 11, false)
	}
	return cv
}
