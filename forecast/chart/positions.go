package chart

import (
	"fmt"
	"math"
	"strconv"

	"github.com/parleyhq/parley/forecast/bdm"
	"github.com/parleyhq/parley/forecast/smp"
)

// palette holds the actors' colours; actors past its end repeat them with
// dashed lines.
var palette = []string{"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
	"#7f7f7f", "#bcbd22", "#393b79", "#ad494a", "#637939", "#e6550d", "#843c39", "#3182bd"}

// series is one line of a panel.
type series struct {
	name   string
	y      []float64
	colour string
	width  float64
	dash   bool
	dots   bool
}

// panel is one plot of values over rounds.
type panel struct {
	title string
	lines []series
}

// Layout of the position charts, in pixels.
const (
	pWidth   = 960.0
	pLeft    = 64.0
	pLegend  = 240.0 // the legend's column on the right, room for 28 characters
	pTop     = 44.0  // the chart's title
	pPlot    = 220.0 // the height of a panel's plot
	pGap     = 62.0  // a panel's title above it and its axis labels below
	pRow     = 16.0  // a legend row
	pXLabel  = 30.0
	maxTicks = 10
)

// actorSeries gives actor i its colour and dash.
func actorSeries(i int, name string, y []float64) series {
	return series{name: name, y: y, colour: palette[i%len(palette)], width: 1.8, dash: (i/len(palette))%2 == 1, dots: true}
}

// BDM draws every actor's position over the rounds of an expected-utility
// run, with the weighted median, the model's forecast, as a thick black
// dashed line.
func BDM(res *bdm.Result, title string) *Chart {
	n := len(res.Rounds)
	p := panel{title: res.Dimension}
	for i, a := range res.Actors {
		y := []float64{res.Start[i]}
		for _, r := range res.Rounds {
			y = append(y, r.Positions[i])
		}
		p.lines = append(p.lines, actorSeries(i, a, y))
	}
	med := []float64{res.Median}
	for _, r := range res.Rounds {
		med = append(med, r.Median)
	}
	p.lines = append(p.lines, series{name: "weighted median (forecast)", y: med, colour: "#000000", width: 3, dash: true})
	return positions(title, "round", n, []panel{p})
}

// SMP draws every actor's position over the turns of an SMP run, one panel
// per dimension.
func SMP(res *smp.Result, title string) *Chart {
	var ps []panel
	for k, d := range res.Dimensions {
		p := panel{title: d}
		for i, a := range res.Actors {
			y := make([]float64, len(res.States))
			for t, s := range res.States {
				y[t] = s.Positions[i][k]
			}
			p.lines = append(p.lines, actorSeries(i, a, y))
		}
		ps = append(ps, p)
	}
	return positions(title, "turn", len(res.States)-1, ps)
}

// positions lays out panels of lines over rounds 0..n, stacked, with one
// legend for all of them on the right.
func positions(title, xlabel string, n int, ps []panel) *Chart {
	legendRows := len(ps[0].lines)
	h := pTop + float64(len(ps))*(pPlot+pGap) + pXLabel
	h = math.Max(h, pTop+24+float64(legendRows)*pRow+20)
	c := &Chart{w: pWidth, h: h, title: title}
	c.text(pLeft, 24, title, "start", 14, true)
	right := pWidth - pLegend - 16
	pw := right - pLeft
	x := func(t int) float64 { return pLeft + pw*float64(t)/float64(max(n, 1)) }
	for k, p := range ps {
		top := pTop + float64(k)*(pPlot+pGap) + 22
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, l := range p.lines {
			for _, v := range l.y {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		ticks := niceTicks(lo, hi, 5)
		ylo, yhi := ticks[0], ticks[len(ticks)-1]
		y := func(v float64) float64 { return top + pPlot*(1-(v-ylo)/(yhi-ylo)) }
		c.text(pLeft, top-8, p.title, "start", 12, true)
		for _, v := range ticks {
			c.line(pLeft, y(v), right, y(v), "#e3e3e3", 1, false)
			c.text(pLeft-6, y(v)+4, label(v), "end", 11, false)
		}
		step := max(1, (n+maxTicks-1)/maxTicks)
		for t := 0; t <= n; t += step {
			c.line(x(t), top+pPlot, x(t), top+pPlot+4, "#888888", 1, false)
			c.text(x(t), top+pPlot+16, strconv.Itoa(t), "middle", 11, false)
		}
		c.text(pLeft+pw/2, top+pPlot+32, xlabel, "middle", 11, false)
		c.path([][2]float64{{pLeft, top}, {pLeft, top + pPlot}, {right, top + pPlot}}, "#888888", 1, false)
		for _, l := range p.lines {
			pts := make([][2]float64, len(l.y))
			for t, v := range l.y {
				pts[t] = [2]float64{x(t), y(v)}
			}
			if len(pts) == 1 {
				pts = append(pts, pts[0])
			}
			c.path(pts, l.colour, l.width, l.dash)
			if l.dots && n <= 60 {
				for _, q := range pts[:len(l.y)] {
					c.dot(q[0], q[1], 2.2, l.colour)
				}
			}
		}
	}
	lx := right + 20
	c.text(lx, pTop+14, "actors", "start", 11, true)
	for r, l := range ps[0].lines {
		ly := pTop + 24 + float64(r)*pRow
		c.line(lx, ly+8, lx+26, ly+8, l.colour, math.Min(l.width+0.6, 3), l.dash)
		c.text(lx+32, ly+12, clip(l.name, 28), "start", 11, false)
	}
	return c
}

// clip shortens s to n characters, ending it with ".." when cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-2]) + ".."
}

// niceTicks returns about n evenly spaced round values covering [lo, hi],
// from a multiple of the step at or below lo to one at or above hi.
func niceTicks(lo, hi float64, n int) []float64 {
	if !(hi > lo) {
		d := math.Max(1, math.Abs(lo)*0.1)
		lo, hi = lo-d, hi+d
	}
	step := niceStep((hi - lo) / float64(n))
	a, b := math.Floor(lo/step+1e-9), math.Ceil(hi/step-1e-9)
	var out []float64
	for k := a; k <= b; k++ {
		out = append(out, tickValue(k, step))
	}
	return out
}

// tickValue is k steps, computed so that it prints as the decimal it is.
func tickValue(k, step float64) float64 {
	e := math.Floor(math.Log10(step))
	m := math.Round(step / math.Pow(10, e)) // 1, 2 or 5
	if e < 0 {
		return k * m / math.Pow(10, -e)
	}
	return k * m * math.Pow(10, e)
}

// niceStep rounds x up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5} {
		if m*p >= x*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// label formats an axis value.
func label(v float64) string {
	if math.Abs(v) < 1e-12 {
		v = 0
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// short formats a statistic with four significant digits.
func short(v float64) string {
	if math.IsNaN(v) {
		return "none"
	}
	return fmt.Sprintf("%.4g", v)
}
