package ipd

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/parleyhq/parley/internal/canvas"
)

// Chart is a picture of results, ready to be written as SVG or as PNG:
// the same drawing either way (see [canvas.Canvas]).
type Chart struct {
	w, h  float64
	title string
	items []mark
}

// mark is one drawing primitive, in pixels with y pointing down.
type mark = canvas.Shape

const (
	markLine    = canvas.Line
	markPolygon = canvas.Polygon // also rectangles
	markCircle  = canvas.Circle
	markText    = canvas.Text
)

func (c *Chart) add(m mark) { c.items = append(c.items, m) }

func (c *Chart) line(x1, y1, x2, y2 float64, colour string, width float64) {
	c.add(mark{Kind: markLine, Pts: [][2]float64{{x1, y1}, {x2, y2}}, Stroke: colour, Width: width})
}

func (c *Chart) rect(x, y, w, h float64, fill, stroke string) {
	c.add(mark{Kind: markPolygon, Pts: [][2]float64{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}, Fill: fill, Stroke: stroke, Width: 1})
}

func (c *Chart) text(x, y float64, s, anchor string, size float64) {
	c.add(mark{Kind: markText, Pts: [][2]float64{{x, y}}, Text: s, Anchor: anchor, Size: size})
}

// charWidth is the width the layout reserves for a character: that of
// the PNG's bitmap font, wider than SVG's 11-pixel sans-serif.
const charWidth = 7.0

// textWidth is the width the layout reserves for s.
func textWidth(s string) float64 { return charWidth * float64(len([]rune(s))) }

func (c *Chart) canvas() *canvas.Canvas {
	return &canvas.Canvas{W: c.w, H: c.h, Title: c.title, Shapes: c.items}
}

// WriteSVG writes the chart as a self-contained SVG document.
func (c *Chart) WriteSVG(w io.Writer) error { return c.canvas().WriteSVG(w) }

// WritePNG writes the chart as a PNG image of the same size in pixels,
// anti-aliased, with text in a fixed 7 × 13 bitmap font.
func (c *Chart) WritePNG(w io.Writer) error { return c.canvas().WritePNG(w) }

// niceTicks returns round values covering [lo, hi], about n of them.
func niceTicks(lo, hi float64, n int) []float64 {
	if !(hi > lo) {
		lo, hi = lo-0.5, lo+0.5
	}
	raw := (hi - lo) / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * p
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= raw {
			step = m * p
			break
		}
	}
	var out []float64
	for v := math.Floor(lo/step+1e-9) * step; v <= hi+step*1e-9; v += step {
		out = append(out, v)
	}
	if out[0] > lo {
		out = append([]float64{out[0] - step}, out...)
	}
	if out[len(out)-1] < hi {
		out = append(out, out[len(out)-1]+step)
	}
	return out
}

// tickLabel writes an axis value without float noise.
func tickLabel(v float64) string {
	if math.Abs(v) < 1e-12 {
		v = 0
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.4g", v)
}

// palette holds distinct colours for strategies (Tableau's twenty).
var palette = []string{
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
	"#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
}

// BoxPlot draws the tournament's normalised scores, one box per strategy
// in the order of the ranking, best at the top, as the reference library's
// box plot does: the box spans the first to the third quartile with a line
// at the median, the whiskers reach the most extreme scores within 1.5
// times the box's length of it, and scores beyond are drawn as points.
func (res *Results) BoxPlot() *Chart {
	n := len(res.Standings)
	labels := make([]string, n)
	labelW := 0.0
	lo, hi := math.Inf(1), math.Inf(-1)
	for k, s := range res.Standings {
		labels[k] = fmt.Sprintf("%d. %s", s.Rank, s.Name)
		labelW = max(labelW, textWidth(labels[k]))
		lo, hi = min(lo, s.Min), max(hi, s.Max)
	}
	const rowH, top, bottom, right = 18.0, 48.0, 48.0, 24.0
	left := min(16+labelW, 360)
	c := &Chart{w: 820, h: top + rowH*float64(n) + bottom}
	c.title = fmt.Sprintf("Normalised scores of %d strategies over %d repetition(s)", n, res.Repetitions)
	pw := c.w - left - right
	ticks := niceTicks(lo, hi, 6)
	x0, x1 := ticks[0], ticks[len(ticks)-1]
	X := func(v float64) float64 { return left + pw*(v-x0)/(x1-x0) }
	plotBottom := top + rowH*float64(n)
	c.rect(0, 0, c.w, c.h, "#ffffff", "")
	c.add(mark{Kind: markText, Pts: [][2]float64{{left, 20}}, Text: c.title, Size: 13, Bold: true})
	c.text(left, 36, describeRulesShort(res.Rules), "start", 11)
	for _, v := range ticks {
		c.line(X(v), top, X(v), plotBottom, "#e4e4e4", 1)
		c.text(X(v), plotBottom+14, tickLabel(v), "middle", 11)
	}
	c.text(left+pw/2, plotBottom+34, "mean score per turn per opponent (self-play excluded)", "middle", 11)
	c.rect(left, top, pw, plotBottom-top, "", "#888888")
	for k, s := range res.Standings {
		y := top + rowH*(float64(k)+0.5)
		c.text(left-6, y+4, labels[k], "end", 11)
		sorted := slices.Clone(s.Scores)
		slices.Sort(sorted)
		iqr := s.Q3 - s.Q1
		wLo, wHi := s.Q1, s.Q3
		for _, v := range sorted {
			if v >= s.Q1-1.5*iqr {
				wLo = min(wLo, v)
			}
			if v <= s.Q3+1.5*iqr {
				wHi = max(wHi, v)
			}
		}
		col := palette[k%10]
		c.line(X(wLo), y, X(s.Q1), y, "#555555", 1)
		c.line(X(s.Q3), y, X(wHi), y, "#555555", 1)
		c.line(X(wLo), y-4, X(wLo), y+4, "#555555", 1)
		c.line(X(wHi), y-4, X(wHi), y+4, "#555555", 1)
		c.add(mark{Kind: markPolygon, Pts: [][2]float64{{X(s.Q1), y - 6}, {X(s.Q3), y - 6}, {X(s.Q3), y + 6}, {X(s.Q1), y + 6}},
			Fill: col, Opacity: 0.45, Stroke: col, Width: 1})
		c.line(X(s.Median), y-7, X(s.Median), y+7, "#000000", 2)
		for _, v := range sorted {
			if v < wLo || v > wHi {
				c.add(mark{Kind: markCircle, Pts: [][2]float64{{X(v), y}}, R: 2.5, Stroke: "#555555", Width: 1})
			}
		}
	}
	return c
}

// describeRulesShort says how the matches were played, for a subtitle.
func describeRulesShort(r Rules) string {
	var b strings.Builder
	if r.LengthKnown() {
		fmt.Fprintf(&b, "%d turns", r.Turns)
	} else {
		fmt.Fprintf(&b, "ending probability %s per turn", fmtNum(r.ProbEnd))
	}
	fmt.Fprintf(&b, ", noise %s, payoffs %v", fmtNum(r.Noise), r.payoffs())
	return b.String()
}

// heatColour maps t in [0,1] to a colour of a perceptually ordered scale
// (dark blue, through teal and green, to yellow).
func heatColour(t float64) string {
	stops := [][3]float64{{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}}
	t = min(1, max(0, t))
	if math.IsNaN(t) {
		t = 0
	}
	f := t * float64(len(stops)-1)
	k := min(int(f), len(stops)-2)
	u := f - float64(k)
	var rgb [3]int
	for i := range rgb {
		rgb[i] = int(math.Round(stops[k][i] + u*(stops[k+1][i]-stops[k][i])))
	}
	return fmt.Sprintf("#%02x%02x%02x", rgb[0], rgb[1], rgb[2])
}

// Heatmap draws the payoff matrix of [Results.PayoffMatrix] as a heat map,
// rows and columns in the order of the ranking: the cell in row i and
// column j is the colour of strategy i's mean score per turn against j
// (self-play on the diagonal); the values are written in the cells when
// they are large enough.
func (res *Results) Heatmap() *Chart {
	mean, _ := res.PayoffMatrix()
	n := len(res.Standings)
	order := make([]int, n)
	labelW := 0.0
	lo, hi := math.Inf(1), math.Inf(-1)
	for k, s := range res.Standings {
		order[k] = s.Player
		labelW = max(labelW, textWidth(s.Name))
	}
	for _, row := range mean {
		for _, v := range row {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if !(hi > lo) {
		hi = lo + 1
	}
	cell := max(14, min(40, 600/float64(n)))
	labelW = min(labelW, 300)
	left, top := 16+labelW, 52+labelW
	c := &Chart{w: left + cell*float64(n) + 110, h: top + cell*float64(n) + 24}
	c.w = max(c.w, 520)
	c.title = fmt.Sprintf("Payoff matrix of %d strategies: mean score per turn of the row against the column", n)
	c.rect(0, 0, c.w, c.h, "#ffffff", "")
	c.add(mark{Kind: markText, Pts: [][2]float64{{16, 20}}, Text: "Payoff matrix: mean score per turn of the row against the column", Size: 13, Bold: true})
	c.text(16, 36, describeRulesShort(res.Rules)+fmt.Sprintf(", %d repetition(s)", res.Repetitions), "start", 11)
	showValues := cell >= 32
	format := "%.2f"
	if max(math.Abs(lo), math.Abs(hi)) >= 9.995 {
		format = "%.1f"
	}
	for r, i := range order {
		y := top + cell*float64(r)
		c.text(left-6, y+cell/2+4, res.Players[i].Name, "end", 11)
		for k, j := range order {
			x := left + cell*float64(k)
			t := (mean[i][j] - lo) / (hi - lo)
			c.rect(x, y, cell, cell, heatColour(t), "#ffffff")
			if showValues {
				ink := "#ffffff"
				if t > 0.6 {
					ink = "#000000"
				}
				c.add(mark{Kind: markText, Pts: [][2]float64{{x + cell/2, y + cell/2 + 4}}, Text: fmt.Sprintf(format, mean[i][j]),
					Anchor: "middle", Size: 10, Fill: ink})
			}
		}
	}
	for k, j := range order {
		x := left + cell*float64(k) + cell/2 + 4
		c.add(mark{Kind: markText, Pts: [][2]float64{{x, top - 6}}, Text: res.Players[j].Name, Anchor: "start", Size: 11, Up: true})
	}
	// The colour bar.
	bx, by, bh := left+cell*float64(n)+24, top, min(cell*float64(n), 300)
	const steps = 40
	for s := range steps {
		t := 1 - (float64(s)+0.5)/steps
		c.rect(bx, by+bh*float64(s)/steps, 16, bh/steps+0.5, heatColour(t), "")
	}
	c.rect(bx, by, 16, bh, "", "#888888")
	for _, v := range []float64{hi, (lo + hi) / 2, lo} {
		y := by + bh*(hi-v)/(hi-lo)
		c.line(bx+16, y, bx+20, y, "#000000", 1)
		c.text(bx+23, y+4, fmt.Sprintf("%.3g", v), "start", 11)
	}
	return c
}

// SharesChart draws how the shares of a population change: one stacked
// band per strategy, in the order of names from the bottom up, over the
// steps 0, 1, …, len(shares)−1 (at most 800 of them are drawn, evenly
// spaced, the last always). shares[t][k] is strategy k's share after step
// t; xLabel names the steps.
func SharesChart(title, subtitle, xLabel string, names []string, shares [][]float64) *Chart {
	const top, bottom, plotW = 48.0, 44.0, 560.0
	left := 56.0
	legendW := 0.0
	for _, n := range names {
		legendW = max(legendW, textWidth(n))
	}
	legendW = min(legendW, 300)
	plotH := max(300, 15*float64(len(names))-top+8)
	c := &Chart{w: left + plotW + 40 + legendW + 24, h: top + plotH + bottom, title: title}
	c.rect(0, 0, c.w, c.h, "#ffffff", "")
	c.add(mark{Kind: markText, Pts: [][2]float64{{left, 20}}, Text: title, Size: 13, Bold: true})
	if subtitle != "" {
		c.text(left, 36, subtitle, "start", 11)
	}
	steps := max(1, len(shares)-1)
	X := func(t int) float64 { return left + plotW*float64(t)/float64(steps) }
	Y := func(v float64) float64 { return top + plotH*(1-v) }
	// The steps drawn.
	var at []int
	stride := max(1, (len(shares)+799)/800)
	for t := 0; t < len(shares); t += stride {
		at = append(at, t)
	}
	if len(shares) > 0 && at[len(at)-1] != len(shares)-1 {
		at = append(at, len(shares)-1)
	}
	lower := make([]float64, len(at))
	for k := range names {
		upper := make([]float64, len(at))
		for i, t := range at {
			upper[i] = lower[i] + shares[t][k]
		}
		var pts [][2]float64
		for i, t := range at {
			pts = append(pts, [2]float64{X(t), Y(min(1, upper[i]))})
		}
		for i := len(at) - 1; i >= 0; i-- {
			pts = append(pts, [2]float64{X(at[i]), Y(min(1, lower[i]))})
		}
		if slices.Max(upper) > 0 || len(at) == 1 {
			c.add(mark{Kind: markPolygon, Pts: pts, Fill: palette[k%len(palette)]})
		}
		lower = upper
	}
	for _, v := range []float64{0, 0.25, 0.5, 0.75, 1} {
		c.line(left-4, Y(v), left, Y(v), "#000000", 1)
		c.text(left-6, Y(v)+4, tickLabel(v), "end", 11)
	}
	for _, v := range niceTicks(0, float64(steps), 8) {
		if v > float64(steps)+1e-9 {
			continue
		}
		x := left + plotW*v/float64(steps)
		c.line(x, top+plotH, x, top+plotH+4, "#000000", 1)
		c.text(x, top+plotH+16, tickLabel(v), "middle", 11)
	}
	c.rect(left, top, plotW, plotH, "", "#888888")
	c.text(left+plotW/2, top+plotH+36, xLabel, "middle", 11)
	c.add(mark{Kind: markText, Pts: [][2]float64{{16, top + plotH/2}}, Text: "share of the population", Anchor: "middle", Size: 11, Up: true})
	// The legend, top to bottom as the bands are stacked.
	lx := left + plotW + 24
	for i := range names {
		k := len(names) - 1 - i
		y := top + 8 + 15*float64(i)
		c.rect(lx, y-9, 12, 12, palette[k%len(palette)], "")
		c.text(lx+18, y+1, names[k], "start", 11)
	}
	return c
}

// Chart draws the population of the process over the rounds.
func (r *MoranResult) Chart() *Chart {
	names := make([]string, len(r.Types))
	for k, s := range r.Types {
		names[k] = s.Name
	}
	n := 0
	for _, v := range r.Counts[0] {
		n += v
	}
	sub := fmt.Sprintf("%d individuals, seed %d; ", n, r.Seed)
	if r.Fixated {
		sub += fmt.Sprintf("%s took over after %d round(s)", r.Types[r.Winner].Name, r.Rounds)
	} else {
		sub += fmt.Sprintf("no fixation after %d round(s)", r.Rounds)
	}
	return SharesChart("Moran process: population over the rounds", sub, "round", names, r.Shares())
}
