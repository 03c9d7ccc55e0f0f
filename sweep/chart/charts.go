package chart

import (
	"fmt"
	"math"
	"strconv"
)

// Palette colours series in order.
var Palette = []string{"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"}

// niceTicks returns round tick values covering [lo, hi], about n of them.
func niceTicks(lo, hi float64, n int) []float64 {
	if !(hi > lo) {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var out []float64
	for v := math.Ceil(lo/step-1e-9) * step; v <= hi+step*1e-9; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	return out
}

// tick formats a tick value.
func tick(v float64) string {
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// Num formats a value for a label: three significant digits.
func Num(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// scale maps [lo, hi] to [a, b].
type scale struct{ lo, hi, a, b float64 }

func (s scale) at(v float64) float64 {
	if s.hi == s.lo {
		return (s.a + s.b) / 2
	}
	return s.a + (v-s.lo)/(s.hi-s.lo)*(s.b-s.a)
}

// padRange widens [lo, hi] a little, and to a unit if it is empty.
func padRange(lo, hi float64) (float64, float64) {
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) || math.IsNaN(lo) || math.IsNaN(hi) {
		return 0, 1
	}
	if hi == lo {
		d := math.Max(math.Abs(lo)*0.1, 0.05)
		return lo - d, hi + d
	}
	d := (hi - lo) * 0.05
	return lo - d, hi + d
}

// TornadoBar is one parameter's bar: the metric with the parameter at its
// lowest (Low) and highest (High) value, the others at the base.
type TornadoBar struct {
	Label     string
	Low, High float64
	// LowLabel and HighLabel name the parameter's values at the bar's ends.
	LowLabel, HighLabel string
}

// Tornado is a tornado chart: one horizontal bar per parameter from the
// metric at its low value to the metric at its high value, around the base
// value, widest first.
type Tornado struct {
	Title  string
	Metric string
	Base   float64
	Bars   []TornadoBar
}

// Canvas draws the chart: bars left of the base in one colour where the
// parameter's low value gives them, in the other where its high value does.
func (t *Tornado) Canvas() *Canvas {
	const left, right, top, rowH = 230.0, 40.0, 52.0, 26.0
	W := 760.0
	H := top + rowH*float64(len(t.Bars)) + 56
	c := NewCanvas(W, H)
	c.Text(16, 22, t.Title, "start", 14, true)
	lo, hi := t.Base, t.Base
	for _, b := range t.Bars {
		lo, hi = math.Min(lo, math.Min(b.Low, b.High)), math.Max(hi, math.Max(b.Low, b.High))
	}
	lo, hi = padRange(lo, hi)
	// room beyond the bars' ends for their labels
	x := scale{lo, hi, left + 48, W - right - 48}
	plotBottom := top + rowH*float64(len(t.Bars))
	for _, v := range niceTicks(lo, hi, 6) {
		c.Line(x.at(v), top-6, x.at(v), plotBottom, "#e4e4e4", 1)
		c.Text(x.at(v), plotBottom+16, tick(v), "middle", 11, false)
	}
	c.Text((left+W-right)/2, plotBottom+38, t.Metric, "middle", 12, false)
	c.Rect(left, 31, 10, 10, Palette[0], "", 0)
	c.Text(left+14, 40, "parameter at its lowest value", "start", 11, false)
	c.Rect(left+230, 31, 10, 10, Palette[1], "", 0)
	c.Text(left+244, 40, "at its highest value", "start", 11, false)
	for i, b := range t.Bars {
		y := top + rowH*float64(i)
		c.Text(left-8, y+rowH/2+4, b.Label, "end", 12, false)
		// a bar from the base to each end; when both ends lie on the same
		// side, the shorter bar is drawn thinner over the longer one
		ends := []struct {
			v   float64
			col string
			lab string
		}{{b.Low, Palette[0], b.LowLabel}, {b.High, Palette[1], b.HighLabel}}
		sameSide := (b.Low-t.Base)*(b.High-t.Base) > 0
		if math.Abs(ends[0].v-t.Base) < math.Abs(ends[1].v-t.Base) {
			ends[0], ends[1] = ends[1], ends[0]
		}
		for k, end := range ends {
			a, z := x.at(t.Base), x.at(end.v)
			if z < a {
				a, z = z, a
			}
			inset := 4.0
			if sameSide && k == 1 {
				inset = 9
			}
			c.Rect(a, y+inset, math.Max(z-a, 1), rowH-2*inset, end.col, "", 0)
			anchor, tx := "start", x.at(end.v)+4
			if end.v < t.Base {
				anchor, tx = "end", x.at(end.v)-4
			}
			if end.lab != "" && end.v != t.Base {
				c.Text(tx, y+rowH/2+4, end.lab, anchor, 10, false)
			}
		}
	}
	c.Line(x.at(t.Base), top-6, x.at(t.Base), plotBottom, "#222222", 1.5)
	c.Text(x.at(t.Base), plotBottom+38+14, "base "+Num(t.Base), "middle", 11, false)
	return c
}

// IntervalRow is one row of an interval chart: for each series, an
// estimate and its interval.
type IntervalRow struct {
	Label       string
	Est, Lo, Hi []float64
}

// Intervals is a chart of estimates with intervals, one row per item and one
// bar per series (the first-order and total Sobol indices, Morris's μ*).
type Intervals struct {
	Title  string
	XLabel string
	Series []string
	Rows   []IntervalRow
}

// Canvas draws horizontal bars with whiskers.
func (iv *Intervals) Canvas() *Canvas {
	ns := max(1, len(iv.Series))
	rowH := 10.0 + 14*float64(ns)
	const left, right, top = 230.0, 40.0, 52.0
	W := 760.0
	plotBottom := top + rowH*float64(len(iv.Rows))
	H := plotBottom + 56
	c := NewCanvas(W, H)
	c.Text(16, 22, iv.Title, "start", 14, true)
	lo, hi := 0.0, 0.0
	for _, r := range iv.Rows {
		for s := range r.Est {
			for _, v := range []float64{r.Est[s], r.Lo[s], r.Hi[s]} {
				if !math.IsNaN(v) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
	}
	lo, hi = padRange(lo, hi)
	x := scale{lo, hi, left, W - right}
	for _, v := range niceTicks(lo, hi, 6) {
		c.Line(x.at(v), top-6, x.at(v), plotBottom, "#e4e4e4", 1)
		c.Text(x.at(v), plotBottom+16, tick(v), "middle", 11, false)
	}
	c.Line(x.at(0), top-6, x.at(0), plotBottom, "#888888", 1)
	c.Text((left+W-right)/2, plotBottom+38, iv.XLabel, "middle", 12, false)
	lx := W - right
	for s := len(iv.Series) - 1; s >= 0; s-- {
		c.Text(lx, 40, iv.Series[s], "end", 11, false)
		lx -= 7*float64(len([]rune(iv.Series[s]))) + 4
		c.Rect(lx-10, 31, 10, 10, Palette[s%len(Palette)], "", 0)
		lx -= 22
	}
	for i, r := range iv.Rows {
		y := top + rowH*float64(i)
		c.Text(left-8, y+rowH/2+4, r.Label, "end", 12, false)
		for s := range r.Est {
			by := y + 5 + 14*float64(s)
			a, z := x.at(0), x.at(r.Est[s])
			if z < a {
				a, z = z, a
			}
			c.Rect(a, by, math.Max(z-a, 1), 10, Palette[s%len(Palette)], "", 0)
			if r.Lo[s] != r.Hi[s] {
				c.Line(x.at(r.Lo[s]), by+5, x.at(r.Hi[s]), by+5, "#222222", 1.2)
				c.Line(x.at(r.Lo[s]), by+1, x.at(r.Lo[s]), by+9, "#222222", 1.2)
				c.Line(x.at(r.Hi[s]), by+1, x.at(r.Hi[s]), by+9, "#222222", 1.2)
			}
		}
	}
	return c
}

// Series is one response curve: Y over X with an optional band [Lo, Hi].
type Series struct {
	Name   string
	X, Y   []float64
	Lo, Hi []float64
}

// Lines is a chart of response curves with bands.
type Lines struct {
	Title, XLabel, YLabel string
	Series                []Series
}

// Canvas draws the curves, their bands shaded, with markers at the points.
func (l *Lines) Canvas() *Canvas {
	const W, H = 760.0, 420.0
	const left, right, top, bottom = 64.0, 190.0, 44.0, 50.0
	c := NewCanvas(W, H)
	c.Text(16, 22, l.Title, "start", 14, true)
	xlo, xhi, ylo, yhi := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range l.Series {
		for i, xv := range s.X {
			xlo, xhi = math.Min(xlo, xv), math.Max(xhi, xv)
			for _, v := range []float64{s.Y[i], at(s.Lo, i), at(s.Hi, i)} {
				if !math.IsNaN(v) {
					ylo, yhi = math.Min(ylo, v), math.Max(yhi, v)
				}
			}
		}
	}
	if math.IsInf(xlo, 0) {
		xlo, xhi = 0, 1
	}
	if xhi == xlo {
		xlo, xhi = xlo-0.5, xhi+0.5
	}
	ylo, yhi = padRange(ylo, yhi)
	x := scale{xlo, xhi, left, W - right}
	y := scale{ylo, yhi, H - bottom, top}
	for _, v := range niceTicks(ylo, yhi, 5) {
		c.Line(left, y.at(v), W-right, y.at(v), "#e4e4e4", 1)
		c.Text(left-6, y.at(v)+4, tick(v), "end", 11, false)
	}
	for _, v := range niceTicks(xlo, xhi, 6) {
		c.Line(x.at(v), H-bottom, x.at(v), H-bottom+4, "#888888", 1)
		c.Text(x.at(v), H-bottom+17, tick(v), "middle", 11, false)
	}
	c.Rect(left, top, W-right-left, H-bottom-top, "", "#888888", 1)
	c.Text((left+W-right)/2, H-12, l.XLabel, "middle", 12, false)
	vText(c, 16, (top+H-bottom)/2, l.YLabel, 12)
	for si, s := range l.Series {
		col := Palette[si%len(Palette)]
		if len(s.Lo) == len(s.X) && len(s.Hi) == len(s.X) && len(s.X) > 0 {
			var band [][2]float64
			for i := range s.X {
				band = append(band, [2]float64{x.at(s.X[i]), y.at(s.Hi[i])})
			}
			for i := len(s.X) - 1; i >= 0; i-- {
				band = append(band, [2]float64{x.at(s.X[i]), y.at(s.Lo[i])})
			}
			c.Polygon(band, col, 0.15)
		}
		var pts [][2]float64
		for i := range s.X {
			if !math.IsNaN(s.Y[i]) {
				pts = append(pts, [2]float64{x.at(s.X[i]), y.at(s.Y[i])})
			}
		}
		c.Polyline(pts, col, 2)
		for _, p := range pts {
			c.Rect(p[0]-2.5, p[1]-2.5, 5, 5, col, "", 0)
		}
		ly := top + 10 + 18*float64(si)
		c.Line(W-right+12, ly-4, W-right+32, ly-4, col, 3)
		c.Text(W-right+38, ly, s.Name, "start", 11, false)
	}
	return c
}

func at(v []float64, i int) float64 {
	if i < len(v) {
		return v[i]
	}
	return math.NaN()
}

// Heatmap is a grid of values over two parameters: Z[j][i] is the value at
// column X[i] and row Y[j] (NaN for an empty cell). Colours diverge from 0:
// blue above, red below, white at 0, scaled to the largest |Z|.
type Heatmap struct {
	Title, XLabel, YLabel, ValueLabel string
	X, Y                              []string
	Z                                 [][]float64
}

// Canvas draws the cells with their values and a colour key.
func (h *Heatmap) Canvas() *Canvas {
	nx, ny := max(1, len(h.X)), max(1, len(h.Y))
	const left, top, right, bottom = 110.0, 60.0, 90.0, 60.0
	cell := math.Min(64, math.Max(18, 560/float64(max(nx, ny))))
	W := math.Max(left+cell*float64(nx)+right, 16+7.5*float64(max(len([]rune(h.Title)), len([]rune(h.ValueLabel)))))
	H := top + cell*float64(ny) + bottom
	c := NewCanvas(W, H)
	c.Text(16, 22, h.Title, "start", 14, true)
	c.Text(16, 42, h.ValueLabel, "start", 12, false)
	m := 0.0
	for _, row := range h.Z {
		for _, v := range row {
			if !math.IsNaN(v) {
				m = math.Max(m, math.Abs(v))
			}
		}
	}
	if m == 0 {
		m = 1
	}
	for j := range h.Y {
		// the first row at the bottom, as on a plot
		y := top + cell*float64(ny-1-j)
		c.Text(left-6, y+cell/2+4, h.Y[j], "end", 11, false)
		for i := range h.X {
			v := math.NaN()
			if j < len(h.Z) && i < len(h.Z[j]) {
				v = h.Z[j][i]
			}
			xx := left + cell*float64(i)
			if math.IsNaN(v) {
				c.Rect(xx, y, cell, cell, "#f4f4f4", "#ffffff", 1)
				continue
			}
			c.Rect(xx, y, cell, cell, diverging(v/m), "#ffffff", 1)
			if cell >= 34 {
				c.Text(xx+cell/2, y+cell/2+4, Num(v), "middle", 10, false)
			}
		}
	}
	for i := range h.X {
		c.Text(left+cell*(float64(i)+0.5), top+cell*float64(ny)+16, h.X[i], "middle", 11, false)
	}
	c.Text(left+cell*float64(nx)/2, H-16, h.XLabel, "middle", 12, false)
	vText(c, 16, top+cell*float64(ny)/2, h.YLabel, 12)
	// the key
	kx := left + cell*float64(nx) + 30
	kh := math.Min(200, cell*float64(ny))
	for k := 0; k < 20; k++ {
		v := 1 - 2*float64(k)/19
		c.Rect(kx, top+kh*float64(k)/20, 16, kh/20+0.5, diverging(v), "", 0)
	}
	c.Text(kx+22, top+8, "+"+Num(m), "start", 10, false)
	c.Text(kx+22, top+kh/2+4, "0", "start", 10, false)
	c.Text(kx+22, top+kh, "−"+Num(m), "start", 10, false)
	return c
}

// diverging maps t ∈ [−1, 1] to red (−1), white (0) and blue (+1).
func diverging(t float64) string {
	t = math.Max(-1, math.Min(1, t))
	from := [3]float64{255, 255, 255}
	to := [3]float64{33, 102, 172} // blue
	if t < 0 {
		to = [3]float64{178, 24, 43} // red
		t = -t
	}
	var rgb [3]int
	for i := range rgb {
		rgb[i] = int(math.Round(from[i] + (to[i]-from[i])*t))
	}
	return fmt.Sprintf("#%02x%02x%02x", rgb[0], rgb[1], rgb[2])
}
