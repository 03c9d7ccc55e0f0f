// Package canvas is the one drawing type of parley's charts: a list of
// primitives in pixels, y pointing down, that writes itself as a
// self-contained SVG document or as a PNG image showing the same shapes.
//
// It lives apart from internal/raster, which stays a small set of PNG
// helpers (colours, polygon filling, label spelling) with no notion of a
// drawing; the canvas uses them for its PNG and adds the SVG writer.
package canvas

import (
	"encoding/xml"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/raster"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Kind says what a shape draws.
type Kind int

const (
	Rect     Kind = iota // Pts[0] and Pts[1] are opposite corners
	Line                 // Pts are the two ends
	Polyline             // an open path through Pts
	Polygon              // a closed shape through Pts
	Circle               // centre Pts[0], radius R
	Text                 // the label's anchor point Pts[0], on its baseline
)

// Shape is one primitive. Colours are "#rrggbb"; an empty one means none
// (for text: black).
type Shape struct {
	Kind    Kind
	Pts     [][2]float64
	R       float64 // a circle's radius
	Fill    string
	Opacity float64 // fill opacity; 0 means opaque
	Stroke  string
	Width   float64    // stroke width; 0 means 1
	Dash    [2]float64 // dash and gap lengths of a dashed stroke; zero for a solid one
	Text    string
	Anchor  string  // start (or ""), middle or end
	Size    float64 // font size; 0 means 11
	Bold    bool
	Up      bool   // text turned a quarter anticlockwise about its point, to read upwards
	Title   string // a tooltip; "" for none
}

// Canvas is a drawing of W × H pixels. Title, if set, names the whole
// drawing (an SVG <title>). Shapes are painted in order.
type Canvas struct {
	W, H   float64
	Title  string
	Shapes []Shape
}

// New returns an empty, transparent w × h canvas.
func New(w, h float64) *Canvas { return &Canvas{W: w, H: h} }

// Add appends a shape.
func (c *Canvas) Add(s Shape) { c.Shapes = append(c.Shapes, s) }

// Rect draws a rectangle of size w × h from (x, y), filled (fill != "")
// and outlined (stroke != "") with a stroke of the given width.
func (c *Canvas) Rect(x, y, w, h float64, fill, stroke string, width float64) {
	c.Add(Shape{Kind: Rect, Pts: [][2]float64{{x, y}, {x + w, y + h}}, Fill: fill, Stroke: stroke, Width: width})
}

// Line draws a segment.
func (c *Canvas) Line(x1, y1, x2, y2 float64, stroke string, width float64) {
	c.Add(Shape{Kind: Line, Pts: [][2]float64{{x1, y1}, {x2, y2}}, Stroke: stroke, Width: width})
}

// Polyline draws connected segments.
func (c *Canvas) Polyline(pts [][2]float64, stroke string, width float64) {
	c.Add(Shape{Kind: Polyline, Pts: pts, Stroke: stroke, Width: width})
}

// Polygon fills a closed shape.
func (c *Canvas) Polygon(pts [][2]float64, fill string, opacity float64) {
	c.Add(Shape{Kind: Polygon, Pts: pts, Fill: fill, Opacity: opacity})
}

// Circle draws a circle, filled and outlined as Rect.
func (c *Canvas) Circle(x, y, r float64, fill, stroke string, width float64) {
	c.Add(Shape{Kind: Circle, Pts: [][2]float64{{x, y}}, R: r, Fill: fill, Stroke: stroke, Width: width})
}

// Text writes a black label with its baseline at y; anchor is start,
// middle or end.
func (c *Canvas) Text(x, y float64, s, anchor string, size float64, bold bool) {
	c.Add(Shape{Kind: Text, Pts: [][2]float64{{x, y}}, Text: s, Anchor: anchor, Size: size, Bold: bold})
}

// esc escapes s for XML text and attribute values.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// num writes a length with at most one decimal.
func num(v float64) string {
	v = math.Round(v*10) / 10
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func attr(b *strings.Builder, name, value string) {
	b.WriteString(" " + name + `="` + esc(value) + `"`)
}

// paint writes the fill and stroke attributes of s.
func paint(b *strings.Builder, s Shape) {
	if s.Fill == "" {
		b.WriteString(` fill="none"`)
	} else {
		attr(b, "fill", s.Fill)
		if s.Opacity > 0 && s.Opacity < 1 {
			attr(b, "fill-opacity", strconv.FormatFloat(s.Opacity, 'g', 3, 64))
		}
	}
	if s.Stroke == "" {
		return
	}
	attr(b, "stroke", s.Stroke)
	if w := width(s); w != 1 {
		attr(b, "stroke-width", num(w))
	}
	if s.Dash[0] > 0 {
		attr(b, "stroke-dasharray", num(s.Dash[0])+" "+num(s.Dash[1]))
	}
	if s.Kind == Polyline {
		b.WriteString(` stroke-linejoin="round"`)
	}
}

func width(s Shape) float64 {
	if s.Width <= 0 {
		return 1
	}
	return s.Width
}

func size(s Shape) float64 {
	if s.Size <= 0 {
		return 11
	}
	return s.Size
}

func points(ps [][2]float64) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = num(p[0]) + "," + num(p[1])
	}
	return strings.Join(parts, " ")
}

// SVG returns the canvas as a self-contained SVG document. Every string
// in it is escaped.
func (c *Canvas) SVG() string {
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + num(c.W) + " " + num(c.H) + `" width="` + num(c.W) + `" height="` + num(c.H) + `" font-family="sans-serif" font-size="11" role="img">` + "\n")
	if c.Title != "" {
		b.WriteString("<title>" + esc(c.Title) + "</title>\n")
	}
	for _, s := range c.Shapes {
		if len(s.Pts) == 0 {
			continue
		}
		tag := ""
		switch s.Kind {
		case Rect:
			tag = "rect"
			a, z := s.Pts[0], s.Pts[len(s.Pts)-1]
			b.WriteString("<rect")
			attr(&b, "x", num(math.Min(a[0], z[0])))
			attr(&b, "y", num(math.Min(a[1], z[1])))
			attr(&b, "width", num(math.Abs(z[0]-a[0])))
			attr(&b, "height", num(math.Abs(z[1]-a[1])))
			paint(&b, s)
		case Line:
			tag = "line"
			a, z := s.Pts[0], s.Pts[len(s.Pts)-1]
			b.WriteString("<line")
			attr(&b, "x1", num(a[0]))
			attr(&b, "y1", num(a[1]))
			attr(&b, "x2", num(z[0]))
			attr(&b, "y2", num(z[1]))
			paint(&b, s)
		case Polyline, Polygon:
			tag = "polyline"
			if s.Kind == Polygon {
				tag = "polygon"
			}
			b.WriteString("<" + tag)
			attr(&b, "points", points(s.Pts))
			paint(&b, s)
		case Circle:
			tag = "circle"
			b.WriteString("<circle")
			attr(&b, "cx", num(s.Pts[0][0]))
			attr(&b, "cy", num(s.Pts[0][1]))
			attr(&b, "r", num(s.R))
			paint(&b, s)
		case Text:
			b.WriteString("<text")
			x, y := num(s.Pts[0][0]), num(s.Pts[0][1])
			if s.Up {
				attr(&b, "transform", "translate("+x+","+y+") rotate(-90)")
			} else {
				attr(&b, "x", x)
				attr(&b, "y", y)
			}
			if s.Anchor != "" && s.Anchor != "start" {
				attr(&b, "text-anchor", s.Anchor)
			}
			if sz := size(s); sz != 11 {
				attr(&b, "font-size", num(sz))
			}
			if s.Bold {
				b.WriteString(` font-weight="bold"`)
			}
			if s.Fill != "" {
				attr(&b, "fill", s.Fill)
			}
			b.WriteString(">")
			if s.Title != "" {
				b.WriteString("<title>" + esc(s.Title) + "</title>")
			}
			b.WriteString(esc(s.Text) + "</text>\n")
			continue
		default:
			continue
		}
		if s.Title != "" {
			b.WriteString("><title>" + esc(s.Title) + "</title></" + tag + ">\n")
		} else {
			b.WriteString("/>\n")
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// WriteSVG writes the canvas as a self-contained SVG document.
func (c *Canvas) WriteSVG(w io.Writer) error {
	_, err := io.WriteString(w, c.SVG())
	return err
}

// WritePNG writes the canvas as a PNG image of ⌈W⌉ × ⌈H⌉ pixels, with
// anti-aliased shapes and a 7 × 13 bitmap font (ASCII only: other letters
// are spelt out or replaced, see [raster.ASCII]). Tooltips are not drawn.
func (c *Canvas) WritePNG(w io.Writer) error {
	return png.Encode(w, c.Image())
}

// Image paints the canvas on a transparent image.
func (c *Canvas) Image() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, int(math.Ceil(c.W)), int(math.Ceil(c.H))))
	f := &raster.Filler{Img: img}
	for _, s := range c.Shapes {
		if len(s.Pts) == 0 {
			continue
		}
		switch s.Kind {
		case Rect:
			a, z := s.Pts[0], s.Pts[len(s.Pts)-1]
			box := [][2]float64{{a[0], a[1]}, {z[0], a[1]}, {z[0], z[1]}, {a[0], z[1]}}
			if s.Fill != "" {
				f.Fill(fillColour(s), box)
			}
			if s.Stroke != "" {
				stroke(f, s, box, true)
			}
		case Line, Polyline:
			if s.Stroke != "" {
				stroke(f, s, s.Pts, false)
			}
		case Polygon:
			if s.Fill != "" && len(s.Pts) >= 3 {
				f.Fill(fillColour(s), s.Pts)
			}
			if s.Stroke != "" {
				stroke(f, s, s.Pts, true)
			}
		case Circle:
			p := s.Pts[0]
			if s.Fill != "" {
				f.Fill(fillColour(s), ring(p, s.R, false))
			}
			if s.Stroke != "" {
				w := width(s)
				f.Fill(raster.Colour(s.Stroke, 1), ring(p, s.R+w/2, false), ring(p, math.Max(0, s.R-w/2), true))
			}
		case Text:
			drawText(img, s)
		}
	}
	return img
}

func fillColour(s Shape) color.Color {
	op := s.Opacity
	if op <= 0 {
		op = 1
	}
	return raster.Colour(s.Fill, op)
}

// ring returns a circle as a closed path, anticlockwise or (reverse)
// clockwise on the screen.
func ring(c [2]float64, r float64, reverse bool) [][2]float64 {
	const n = 32
	out := make([][2]float64, n)
	for k := range out {
		a := 2 * math.Pi * float64(k) / n
		if reverse {
			a = -a
		}
		out[k] = [2]float64{c[0] + r*math.Cos(a), c[1] + r*math.Sin(a)}
	}
	return out
}

// stroke paints the outline of a path, each segment as a quadrilateral
// filled on its own so that overlaps do not cancel. A one-pixel segment
// along an axis is put on the pixel grid to stay sharp; a closed outline's
// segments are lengthened by half the width so that corners meet; a wide
// solid stroke gets round joins.
func stroke(f *raster.Filler, s Shape, pts [][2]float64, closed bool) {
	col := raster.Colour(s.Stroke, 1)
	w := width(s)
	if closed && len(pts) > 2 {
		pts = append(append([][2]float64(nil), pts...), pts[0])
	}
	seg := func(a, b [2]float64) {
		if w <= 1 && (a[0] == b[0] || a[1] == b[1]) {
			a = [2]float64{math.Floor(a[0]) + 0.5, math.Floor(a[1]) + 0.5}
			b = [2]float64{math.Floor(b[0]) + 0.5, math.Floor(b[1]) + 0.5}
		}
		dx, dy := b[0]-a[0], b[1]-a[1]
		l := math.Hypot(dx, dy)
		if l == 0 {
			return
		}
		nx, ny := -dy/l*w/2, dx/l*w/2
		ex, ey := 0.0, 0.0
		if closed {
			ex, ey = dx/l*w/2, dy/l*w/2
		}
		f.Fill(col, [][2]float64{{a[0] - ex + nx, a[1] - ey + ny}, {b[0] + ex + nx, b[1] + ey + ny},
			{b[0] + ex - nx, b[1] + ey - ny}, {a[0] - ex - nx, a[1] - ey - ny}})
	}
	dashed := s.Dash[0] > 0
	for i := 0; i+1 < len(pts); i++ {
		a, b := pts[i], pts[i+1]
		if !dashed {
			seg(a, b)
			continue
		}
		l := math.Hypot(b[0]-a[0], b[1]-a[1])
		at := func(t float64) [2]float64 { return [2]float64{a[0] + (b[0]-a[0])*t/l, a[1] + (b[1]-a[1])*t/l} }
		for t := 0.0; t < l; t += s.Dash[0] + math.Max(s.Dash[1], 0) {
			seg(at(t), at(math.Min(t+s.Dash[0], l)))
		}
	}
	if w >= 2 && !dashed && len(pts) > 2 {
		for _, p := range pts[1 : len(pts)-1] {
			f.Fill(col, ring(p, w/2, false))
		}
	}
}

// drawText draws a label with the bitmap font: bold by drawing it twice a
// pixel apart; turned up by drawing it on a scratch image and copying that
// a quarter turn anticlockwise about its point.
func drawText(img *image.RGBA, s Shape) {
	face := basicfont.Face7x13
	text := raster.ASCII(s.Text)
	ink := image.NewUniform(raster.Colour(s.Fill, 1))
	if s.Fill == "" {
		ink = image.NewUniform(raster.Colour("#000000", 1))
	}
	w := font.MeasureString(face, text).Ceil()
	shift := 0
	switch s.Anchor {
	case "middle":
		shift = w / 2
	case "end":
		shift = w
	}
	x, y := int(math.Round(s.Pts[0][0])), int(math.Round(s.Pts[0][1]))
	if !s.Up {
		d := font.Drawer{Dst: img, Src: ink, Face: face}
		passes := 1
		if s.Bold {
			passes = 2
		}
		for k := range passes {
			d.Dot = fixed.P(x-shift+k, y)
			d.DrawString(text)
		}
		return
	}
	if w == 0 {
		return
	}
	tmp := image.NewRGBA(image.Rect(0, 0, w, 13))
	d := font.Drawer{Dst: tmp, Src: ink, Face: face, Dot: fixed.P(0, 10)}
	d.DrawString(text)
	for ty := range 13 {
		for tx := range w {
			px := tmp.RGBAAt(tx, ty)
			if px.A == 0 {
				continue
			}
			// (tx, ty) turns to (x + ty − 10, y + shift − tx): the baseline
			// runs upwards through (x, y)
			p := image.Pt(x+ty-10, y+shift-tx)
			if p.In(img.Bounds()) {
				draw.Draw(img, image.Rectangle{Min: p, Max: p.Add(image.Pt(1, 1))}, image.NewUniform(px), image.Point{}, draw.Over)
			}
		}
	}
}
