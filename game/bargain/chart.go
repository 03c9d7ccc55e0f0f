package bargain

import (
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/parleyhq/parley/internal/canvas"
)

// Chart limits: up to maxDots outcomes are drawn one by one, more are
// binned into cells of the plot; up to maxRegions discrete combinations
// have their divisible region drawn around them.
const (
	maxDots    = 20000
	maxRegions = 400
)

// WriteSVG draws the utility space as a self-contained SVG: every outcome
// (or, with divisible issues, the region of feasible utilities), the Pareto
// frontier, the reservation point with the zone of possible agreement, each
// bargaining solution and, if p is not nil, a proposed deal.
func (a *Analysis) WriteSVG(w io.Writer, p *Assessment) error {
	return a.chart(p).canvas().WriteSVG(w)
}

// WritePNG draws the same chart as [Analysis.WriteSVG] as a PNG image,
// 820 × 500 pixels, with a fixed 7 × 13 bitmap font.
func (a *Analysis) WritePNG(w io.Writer, p *Assessment) error {
	return a.chart(p).canvas().WritePNG(w)
}

// scene is a chart as drawing primitives in pixels (y down), written out as
// SVG or PNG by [canvas.Canvas].
type scene struct {
	w, h  float64
	title string
	items []canvas.Shape
}

func (sc *scene) add(s canvas.Shape) { sc.items = append(sc.items, s) }

// dash is the dash and gap of a dashed line.
var dash = [2]float64{4, 3}

func (sc *scene) line(x1, y1, x2, y2 float64, colour string, width float64, dashed bool) {
	s := canvas.Shape{Kind: canvas.Line, Pts: [][2]float64{{x1, y1}, {x2, y2}}, Stroke: colour, Width: width}
	if dashed {
		s.Dash = dash
	}
	sc.add(s)
}

func (sc *scene) text(x, y float64, s, anchor string, size float64, bold bool) {
	sc.add(canvas.Shape{Kind: canvas.Text, Pts: [][2]float64{{x, y}}, Text: s, Anchor: anchor, Size: size, Bold: bold})
}

func (sc *scene) circle(x, y, r float64, fill, stroke string, width float64) {
	sc.add(canvas.Shape{Kind: canvas.Circle, Pts: [][2]float64{{x, y}}, R: r, Fill: fill, Stroke: stroke, Width: width})
}

func (sc *scene) polygon(pts [][2]float64, fill string, opacity float64, stroke string, width float64) {
	sc.add(canvas.Shape{Kind: canvas.Polygon, Pts: pts, Fill: fill, Opacity: opacity, Stroke: stroke, Width: width})
}

func (sc *scene) canvas() *canvas.Canvas {
	return &canvas.Canvas{W: sc.w, H: sc.h, Title: sc.title, Shapes: sc.items}
}

// chart lays out the chart of the analysis.
func (a *Analysis) chart(p *Assessment) *scene {
	const left, top, size = 64.0, 40.0, 400.0
	sc := &scene{w: 820, h: 500}
	s := a.Space

	// The ranges: everything drawn must fit.
	lo, hi := Point{math.Inf(1), math.Inf(1)}, Point{math.Inf(-1), math.Inf(-1)}
	grow := func(q Point) {
		lo = Point{min(lo.U1, q.U1), min(lo.U2, q.U2)}
		hi = Point{max(hi.U1, q.U1), max(hi.U2, q.U2)}
	}
	offsets := a.outcomePoints()
	region := a.Region
	if region == nil {
		region = []Point{{}}
	}
	minR, maxR := Point{math.Inf(1), math.Inf(1)}, Point{math.Inf(-1), math.Inf(-1)}
	for _, r := range region {
		minR = Point{min(minR.U1, r.U1), min(minR.U2, r.U2)}
		maxR = Point{max(maxR.U1, r.U1), max(maxR.U2, r.U2)}
	}
	for k := range a.U1 {
		grow(Point{a.U1[k] + minR.U1, a.U2[k] + minR.U2})
		grow(Point{a.U1[k] + maxR.U1, a.U2[k] + maxR.U2})
	}
	grow(a.Disagreement)
	grow(Point{0, 0})
	if p != nil {
		grow(p.Point)
	}
	span := max(hi.U1-lo.U1, hi.U2-lo.U2, 1e-9)
	// A point a hair beyond a round number (Genius weights that sum to
	// 1.00005) does not get a grid line of its own.
	step := niceStep(0.98 * span / 5)
	x0, y0 := math.Floor(lo.U1/step+0.01)*step, math.Floor(lo.U2/step+0.01)*step
	x1, y1 := math.Ceil(hi.U1/step-0.01)*step, math.Ceil(hi.U2/step-0.01)*step
	x1, y1 = max(x1, x0+step), max(y1, y0+step)
	X := func(u float64) float64 { return left + size*(u-x0)/(x1-x0) }
	Y := func(u float64) float64 { return top + size*(1-(u-y0)/(y1-y0)) }

	sc.title = "Utility space"
	if s.Name != "" {
		sc.title += " of " + s.Name
	}
	sc.add(canvas.Shape{Kind: canvas.Polygon, Pts: [][2]float64{{0, 0}, {sc.w, 0}, {sc.w, sc.h}, {0, sc.h}}, Fill: "#ffffff"})
	sc.text(left, 20, sc.title, "start", 13, true)
	// grid and axes
	for v := x0; v <= x1+step/2; v += step {
		sc.line(X(v), top, X(v), top+size, "#eeeeee", 1, false)
		sc.text(X(v), top+size+14, tick(v), "middle", 11, false)
	}
	for v := y0; v <= y1+step/2; v += step {
		sc.line(left, Y(v), left+size, Y(v), "#eeeeee", 1, false)
		sc.text(left-4, Y(v)+4, tick(v), "end", 11, false)
	}
	sc.polygon([][2]float64{{left, top}, {left + size, top}, {left + size, top + size}, {left, top + size}}, "", 0, "#888888", 1)
	sc.text(left+size/2, top+size+32, "utility of "+s.Parties[0].Name, "middle", 11, false)
	sc.add(canvas.Shape{Kind: canvas.Text, Pts: [][2]float64{{16, top + size/2}}, Text: "utility of " + s.Parties[1].Name, Anchor: "middle", Size: 11, Up: true})

	// the outcomes
	var legend []legendItem
	const grey = "#b0b0b0"
	switch {
	case a.Region == nil && len(offsets) <= maxDots:
		for _, q := range offsets {
			sc.circle(X(q.U1), Y(q.U2), 2, grey, "", 0)
		}
		legend = append(legend, legendItem{shape: "dot", colour: grey, label: fmt.Sprintf("every outcome (%d)", a.Outcomes)})
	case a.Region == nil:
		// Bin: one 2-pixel cell per occupied cell of a 200 × 200 grid.
		occupied := map[[2]int]bool{}
		for _, q := range offsets {
			occupied[[2]int{int((X(q.U1) - left) / 2), int((Y(q.U2) - top) / 2)}] = true
		}
		for i := 0; i <= 200; i++ {
			for j := 0; j <= 200; j++ {
				if occupied[[2]int{i, j}] {
					x, y := left+2*float64(i), top+2*float64(j)
					sc.polygon([][2]float64{{x, y}, {x + 2, y}, {x + 2, y + 2}, {x, y + 2}}, grey, 0, "", 0)
				}
			}
		}
		legend = append(legend, legendItem{shape: "dot", colour: grey, label: fmt.Sprintf("every outcome (%d, binned)", a.Outcomes)})
	default:
		at := offsets
		if len(at) > maxRegions {
			at = nil
			for _, pc := range a.Frontier {
				at = append(at, Point{pc.From.U1 - a.div.base.U1, pc.From.U2 - a.div.base.U2})
			}
		}
		for _, q := range at {
			var pts [][2]float64
			for _, r := range a.Region {
				pts = append(pts, [2]float64{X(q.U1 + r.U1), Y(q.U2 + r.U2)})
			}
			sc.polygon(pts, "#c8c8c8", 0.35, grey, 0.5)
		}
		label := "feasible deals"
		if len(a.discrete) > 0 {
			label = fmt.Sprintf("feasible deals (%d discrete combinations)", a.Outcomes)
		}
		legend = append(legend, legendItem{shape: "area", colour: "#c8c8c8", label: label})
	}

	// the reservation point and the ZOPA's corner
	d := a.Disagreement
	sc.line(X(d.U1), Y(d.U2), left+size, Y(d.U2), "#444444", 1, true)
	sc.line(X(d.U1), Y(d.U2), X(d.U1), top, "#444444", 1, true)
	sc.line(X(d.U1)-5, Y(d.U2), X(d.U1)+5, Y(d.U2), "#000000", 2, false)
	sc.line(X(d.U1), Y(d.U2)-5, X(d.U1), Y(d.U2)+5, "#000000", 2, false)
	legend = append(legend, legendItem{shape: "cross", colour: "#000000", label: fmt.Sprintf("reservation values (%s, %s)", num(d.U1), num(d.U2))})

	// the frontier
	const red = "#d62728"
	var run [][2]float64
	flush := func() {
		if len(run) > 0 {
			sc.add(canvas.Shape{Kind: canvas.Polyline, Pts: run, Stroke: red, Width: 2.5})
			run = nil
		}
	}
	for k, pc := range a.Frontier {
		if pc.IsPoint() {
			flush()
			sc.circle(X(pc.From.U1), Y(pc.From.U2), 3.5, red, "", 0)
			continue
		}
		if k == 0 || a.Frontier[k-1].To != pc.From || a.Frontier[k-1].IsPoint() {
			flush()
			run = append(run, [2]float64{X(pc.From.U1), Y(pc.From.U2)})
		}
		run = append(run, [2]float64{X(pc.To.U1), Y(pc.To.U2)})
	}
	flush()
	frontierShape := "line"
	if !strings.Contains(frontierSize(a.Frontier), "segment") {
		frontierShape = "bigdot"
	}
	legend = append(legend, legendItem{shape: frontierShape, colour: red, label: fmt.Sprintf("Pareto frontier (%s)", frontierSize(a.Frontier))})

	// the solutions, largest markers first so that coinciding ones show
	style := func(sol Solution) (string, string) {
		switch {
		case sol.Concept == Nash && sol.Power == 0.5:
			return "diamond", "#1f77b4"
		case sol.Concept == Nash:
			return "diamond", "#17becf"
		case sol.Concept == KalaiSmorodinsky:
			return "square", "#2ca02c"
		case sol.Concept == Egalitarian:
			return "triangle", "#ff7f0e"
		case sol.Concept == Utilitarian:
			return "ring", "#9467bd"
		}
		return "ring", "#8c564b"
	}
	for i, sol := range a.Solutions {
		shp, colour := style(sol)
		sc.marker(shp, colour, X(sol.Point.U1), Y(sol.Point.U2), 9-1.2*float64(i))
		legend = append(legend, legendItem{shape: shp, colour: colour, label: fmt.Sprintf("%s (%s, %s)", sol.Name(), num(sol.Point.U1), num(sol.Point.U2))})
	}
	if p != nil {
		sc.marker("star", "#000000", X(p.Point.U1), Y(p.Point.U2), 7)
		legend = append(legend, legendItem{shape: "star", colour: "#000000", label: fmt.Sprintf("proposed deal (%s, %s)", num(p.Point.U1), num(p.Point.U2))})
	}
	if a.ZOPA.Empty() {
		sc.add(canvas.Shape{Kind: canvas.Text, Pts: [][2]float64{{left + 8, top + 16}}, Text: "no zone of possible agreement", Anchor: "start", Size: 11, Fill: "#aa0000"})
	}

	// the legend
	lx := left + size + 16
	for i, it := range legend {
		ly := top + 8 + 22*float64(i)
		sc.legendMarker(it, lx+8, ly)
		sc.text(lx+22, ly+4, it.label, "start", 11, false)
	}
	return sc
}

// outcomePoints returns the utilities of the discrete combinations.
func (a *Analysis) outcomePoints() []Point {
	pts := make([]Point, len(a.U1))
	for k := range a.U1 {
		pts[k] = Point{a.U1[k], a.U2[k]}
	}
	return pts
}

// frontierSize describes a frontier's size for the legend.
func frontierSize(f Frontier) string {
	pts, segs := 0, 0
	for _, pc := range f {
		if pc.IsPoint() {
			pts++
		} else {
			segs++
		}
	}
	switch {
	case segs == 0 && pts == 1:
		return "1 point"
	case segs == 0:
		return fmt.Sprintf("%d points", pts)
	case pts == 0 && segs == 1:
		return "1 segment"
	case pts == 0:
		return fmt.Sprintf("%d segments", segs)
	}
	return fmt.Sprintf("%d points, %d segments", pts, segs)
}

type legendItem struct {
	shape, colour, label string
}

func (sc *scene) legendMarker(it legendItem, x, y float64) {
	switch it.shape {
	case "dot":
		sc.circle(x, y, 3, it.colour, "", 0)
	case "bigdot":
		sc.circle(x, y, 3.5, it.colour, "", 0)
	case "area":
		sc.polygon([][2]float64{{x - 7, y - 5}, {x + 7, y - 5}, {x + 7, y + 5}, {x - 7, y + 5}}, it.colour, 0, "#b0b0b0", 1)
	case "line":
		sc.line(x-8, y, x+8, y, it.colour, 2.5, false)
	case "cross":
		sc.line(x-5, y, x+5, y, it.colour, 2, false)
		sc.line(x, y-5, x, y+5, it.colour, 2, false)
	default:
		sc.marker(it.shape, it.colour, x, y, 6)
	}
}

// marker draws a solution's marker of radius r centred on (x, y).
func (sc *scene) marker(kind, colour string, x, y, r float64) {
	switch kind {
	case "diamond":
		sc.polygon([][2]float64{{x, y - r}, {x + r, y}, {x, y + r}, {x - r, y}}, colour, 0, "#ffffff", 1)
	case "square":
		q := r * 0.8
		sc.polygon([][2]float64{{x - q, y - q}, {x + q, y - q}, {x + q, y + q}, {x - q, y + q}}, colour, 0, "#ffffff", 1)
	case "triangle":
		sc.polygon([][2]float64{{x, y - r}, {x + r, y + 0.6*r}, {x - r, y + 0.6*r}}, colour, 0, "#ffffff", 1)
	case "ring":
		sc.circle(x, y, r*0.7, "", colour, 2)
	case "star":
		var pts [][2]float64
		for k := range 10 {
			rr := r
			if k%2 == 1 {
				rr = r * 0.45
			}
			ang := -math.Pi/2 + float64(k)*math.Pi/5
			pts = append(pts, [2]float64{x + rr*math.Cos(ang), y + rr*math.Sin(ang)})
		}
		sc.polygon(pts, colour, 0, "", 0)
	default:
		sc.circle(x, y, r, colour, "", 0)
	}
}

// niceStep rounds x up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

// tick formats an axis value.
func tick(v float64) string {
	if math.Abs(v) < 1e-12 {
		v = 0
	}
	return fmt.Sprintf("%.4g", v)
}

// num formats a utility for labels.
func num(v float64) string { return fmt.Sprintf("%.3f", v) }
