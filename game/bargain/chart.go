package bargain

import (
	"fmt"
	"html"
	"io"
	"math"
	"strings"
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
	const W, H = 820.0, 500.0
	const left, top, size = 64.0, 40.0, 400.0
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

	var b strings.Builder
	title := "Utility space"
	if s.Name != "" {
		title += " of " + s.Name
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" font-family="sans-serif" font-size="11" role="img">`, W, H, W, H)
	fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(title))
	fmt.Fprintf(&b, `<rect width="%g" height="%g" fill="white"/>`, W, H)
	fmt.Fprintf(&b, `<text x="%g" y="20" font-size="13" font-weight="bold">%s</text>`, left, html.EscapeString(title))
	// grid and axes
	for v := x0; v <= x1+step/2; v += step {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="#eee"/>`, X(v), top, X(v), top+size)
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" text-anchor="middle">%s</text>`, X(v), top+size+14, tick(v))
	}
	for v := y0; v <= y1+step/2; v += step {
		fmt.Fprintf(&b, `<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="#eee"/>`, left, Y(v), left+size, Y(v))
		fmt.Fprintf(&b, `<text x="%g" y="%.1f" text-anchor="end">%s</text>`, left-4, Y(v)+4, tick(v))
	}
	fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%g" height="%g" fill="none" stroke="#888"/>`, left, top, size, size)
	fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle">utility of %s</text>`, left+size/2, top+size+32, html.EscapeString(s.Parties[0].Name))
	fmt.Fprintf(&b, `<text transform="translate(16,%g) rotate(-90)" text-anchor="middle">utility of %s</text>`, top+size/2, html.EscapeString(s.Parties[1].Name))

	// the outcomes
	var legend []legendItem
	switch {
	case a.Region == nil && len(offsets) <= maxDots:
		b.WriteString(`<g fill="#b0b0b0">`)
		for _, q := range offsets {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="2"/>`, X(q.U1), Y(q.U2))
		}
		b.WriteString(`</g>`)
		legend = append(legend, legendItem{shape: "dot", colour: "#b0b0b0", label: fmt.Sprintf("every outcome (%d)", a.Outcomes)})
	case a.Region == nil:
		// Bin: one 2-pixel cell per occupied cell of a 200 × 200 grid.
		occupied := map[[2]int]bool{}
		for _, q := range offsets {
			occupied[[2]int{int((X(q.U1) - left) / 2), int((Y(q.U2) - top) / 2)}] = true
		}
		b.WriteString(`<g fill="#b0b0b0">`)
		for i := 0; i <= 200; i++ {
			for j := 0; j <= 200; j++ {
				if occupied[[2]int{i, j}] {
					fmt.Fprintf(&b, `<rect x="%g" y="%g" width="2" height="2"/>`, left+2*float64(i), top+2*float64(j))
				}
			}
		}
		b.WriteString(`</g>`)
		legend = append(legend, legendItem{shape: "dot", colour: "#b0b0b0", label: fmt.Sprintf("every outcome (%d, binned)", a.Outcomes)})
	default:
		at := offsets
		if len(at) > maxRegions {
			at = nil
			for _, pc := range a.Frontier {
				at = append(at, Point{pc.From.U1 - a.div.base.U1, pc.From.U2 - a.div.base.U2})
			}
		}
		b.WriteString(`<g fill="#c8c8c8" fill-opacity="0.35" stroke="#b0b0b0" stroke-width="0.5">`)
		for _, q := range at {
			var pts strings.Builder
			for _, r := range a.Region {
				fmt.Fprintf(&pts, "%.1f,%.1f ", X(q.U1+r.U1), Y(q.U2+r.U2))
			}
			fmt.Fprintf(&b, `<polygon points="%s"/>`, strings.TrimSpace(pts.String()))
		}
		b.WriteString(`</g>`)
		label := "feasible deals"
		if len(a.discrete) > 0 {
			label = fmt.Sprintf("feasible deals (%d discrete combinations)", a.Outcomes)
		}
		legend = append(legend, legendItem{shape: "area", colour: "#c8c8c8", label: label})
	}

	// the reservation point and the ZOPA's corner
	d := a.Disagreement
	fmt.Fprintf(&b, `<path d="M%.1f,%.1f H%g M%.1f,%.1f V%g" stroke="#444" stroke-dasharray="4 3" fill="none"/>`, X(d.U1), Y(d.U2), left+size, X(d.U1), Y(d.U2), top)
	fmt.Fprintf(&b, `<path d="M%.1f,%.1f h10 m-5,-5 v10" stroke="#000" stroke-width="2" transform="translate(-5,0)"/>`, X(d.U1), Y(d.U2))
	legend = append(legend, legendItem{shape: "cross", colour: "#000", label: fmt.Sprintf("reservation values (%s, %s)", num(d.U1), num(d.U2))})

	// the frontier
	const red = "#d62728"
	var line strings.Builder
	flush := func() {
		if line.Len() > 0 {
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2.5"/>`, strings.TrimSpace(line.String()), red)
			line.Reset()
		}
	}
	for k, pc := range a.Frontier {
		if pc.IsPoint() {
			flush()
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"/>`, X(pc.From.U1), Y(pc.From.U2), red)
			continue
		}
		if k == 0 || a.Frontier[k-1].To != pc.From || a.Frontier[k-1].IsPoint() {
			flush()
			fmt.Fprintf(&line, "%.1f,%.1f ", X(pc.From.U1), Y(pc.From.U2))
		}
		fmt.Fprintf(&line, "%.1f,%.1f ", X(pc.To.U1), Y(pc.To.U2))
	}
	flush()
	frontierShape := "line"
	if len(a.Frontier) > 0 && a.Frontier[0].IsPoint() && a.Frontier[len(a.Frontier)-1].IsPoint() && !strings.Contains(frontierSize(a.Frontier), "segment") {
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
		shape, colour := style(sol)
		r := 9 - 1.2*float64(i)
		b.WriteString(marker(shape, colour, X(sol.Point.U1), Y(sol.Point.U2), r))
		legend = append(legend, legendItem{shape: shape, colour: colour, label: fmt.Sprintf("%s (%s, %s)", sol.Name(), num(sol.Point.U1), num(sol.Point.U2))})
	}
	if p != nil {
		b.WriteString(marker("star", "#000", X(p.Point.U1), Y(p.Point.U2), 7))
		legend = append(legend, legendItem{shape: "star", colour: "#000", label: fmt.Sprintf("proposed deal (%s, %s)", num(p.Point.U1), num(p.Point.U2))})
	}
	if a.ZOPA.Empty() {
		fmt.Fprintf(&b, `<text x="%g" y="%g" fill="#a00">no zone of possible agreement</text>`, left+8, top+16)
	}

	// the legend
	lx := left + size + 16
	for i, it := range legend {
		ly := top + 8 + 22*float64(i)
		b.WriteString(legendMarker(it, lx+8, ly))
		fmt.Fprintf(&b, `<text x="%g" y="%g">%s</text>`, lx+22, ly+4, html.EscapeString(it.label))
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
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

func legendMarker(it legendItem, x, y float64) string {
	switch it.shape {
	case "dot":
		return fmt.Sprintf(`<circle cx="%g" cy="%g" r="3" fill="%s"/>`, x, y, it.colour)
	case "bigdot":
		return fmt.Sprintf(`<circle cx="%g" cy="%g" r="3.5" fill="%s"/>`, x, y, it.colour)
	case "area":
		return fmt.Sprintf(`<rect x="%g" y="%g" width="14" height="10" fill="%s" stroke="#b0b0b0"/>`, x-7, y-5, it.colour)
	case "line":
		return fmt.Sprintf(`<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="%s" stroke-width="2.5"/>`, x-8, y, x+8, y, it.colour)
	case "cross":
		return fmt.Sprintf(`<path d="M%g,%g h10 m-5,-5 v10" stroke="%s" stroke-width="2"/>`, x-5, y, it.colour)
	}
	return marker(it.shape, it.colour, x, y, 6)
}

// marker draws a solution's marker of radius r centred on (x, y).
func marker(shape, colour string, x, y, r float64) string {
	switch shape {
	case "diamond":
		return fmt.Sprintf(`<path d="M%.1f,%.1f l%.1f,%.1f l%.1f,%.1f l%.1f,%.1f z" fill="%s" stroke="white"/>`, x, y-r, r, r, -r, r, -r, -r, colour)
	case "square":
		q := r * 0.8
		return fmt.Sprintf(`<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" stroke="white"/>`, x-q, y-q, 2*q, 2*q, colour)
	case "triangle":
		return fmt.Sprintf(`<path d="M%.1f,%.1f l%.1f,%.1f h%.1f z" fill="%s" stroke="white"/>`, x, y-r, r, 1.6*r, -2*r, colour)
	case "ring":
		return fmt.Sprintf(`<circle cx="%.1f" cy="%.1f" r="%.1f" fill="none" stroke="%s" stroke-width="2"/>`, x, y, r*0.7, colour)
	case "star":
		var p strings.Builder
		for k := range 10 {
			rr := r
			if k%2 == 1 {
				rr = r * 0.45
			}
			ang := -math.Pi/2 + float64(k)*math.Pi/5
			fmt.Fprintf(&p, "%.1f,%.1f ", x+rr*math.Cos(ang), y+rr*math.Sin(ang))
		}
		return fmt.Sprintf(`<polygon points="%s" fill="%s"/>`, strings.TrimSpace(p.String()), colour)
	}
	return fmt.Sprintf(`<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s"/>`, x, y, r, colour)
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
