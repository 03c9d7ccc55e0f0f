package chart

import (
	"encoding/xml"
	"fmt"
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

// Chart is a drawing, in pixels with y growing downwards, that can be
// written as SVG or as PNG; both show the same shapes.
type Chart struct {
	w, h   float64
	title  string
	shapes []shape
}

type kind int

const (
	kPath kind = iota // an open polyline
	kRect             // a filled rectangle, pts[0] and pts[1] opposite corners
	kDot              // a filled circle of radius r at pts[0]
	kText             // text at pts[0]
)

// shape is one drawing primitive. Colours are "#rrggbb".
type shape struct {
	kind    kind
	pts     [][2]float64
	colour  string
	opacity float64 // fill opacity of a rectangle; 0 means 1
	width   float64 // stroke width of a path
	dash    bool    // a dashed path
	r       float64 // radius of a dot
	text    string
	anchor  string // start, middle or end
	size    float64
	bold    bool
	turned  bool // text turned a quarter anticlockwise about its position
}

func (c *Chart) path(pts [][2]float64, colour string, width float64, dash bool) {
	c.shapes = append(c.shapes, shape{kind: kPath, pts: pts, colour: colour, width: width, dash: dash})
}

func (c *Chart) line(x1, y1, x2, y2 float64, colour string, width float64, dash bool) {
	c.path([][2]float64{{x1, y1}, {x2, y2}}, colour, width, dash)
}

func (c *Chart) rect(x1, y1, x2, y2 float64, colour string, opacity float64) {
	c.shapes = append(c.shapes, shape{kind: kRect, pts: [][2]float64{{x1, y1}, {x2, y2}}, colour: colour, opacity: opacity})
}

func (c *Chart) dot(x, y, r float64, colour string) {
	c.shapes = append(c.shapes, shape{kind: kDot, pts: [][2]float64{{x, y}}, r: r, colour: colour})
}

func (c *Chart) text(x, y float64, s, anchor string, size float64, bold bool) {
	c.shapes = append(c.shapes, shape{kind: kText, pts: [][2]float64{{x, y}}, text: s, anchor: anchor, size: size, bold: bold, colour: "#222222"})
}

// turnedText is text turned a quarter anticlockwise about (x, y).
func (c *Chart) turnedText(x, y float64, s, anchor string, size float64) {
	c.shapes = append(c.shapes, shape{kind: kText, pts: [][2]float64{{x, y}}, text: s, anchor: anchor, size: size, colour: "#222222", turned: true})
}

// esc escapes s for XML text and attribute values.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// num writes a coordinate with one decimal, without a trailing ".0".
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// WriteSVG writes the chart as a self-contained SVG document.
func (c *Chart) WriteSVG(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="%s" height="%s" font-family="sans-serif" font-size="11" role="img">`,
		num(c.w), num(c.h), num(c.w), num(c.h))
	fmt.Fprintf(&b, "\n<title>%s</title>\n", esc(c.title))
	fmt.Fprintf(&b, `<rect width="%s" height="%s" fill="#ffffff"/>`+"\n", num(c.w), num(c.h))
	for _, s := range c.shapes {
		switch s.kind {
		case kPath:
			pts := make([]string, len(s.pts))
			for i, p := range s.pts {
				pts[i] = num(p[0]) + "," + num(p[1])
			}
			fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="%g" stroke-linejoin="round"`, strings.Join(pts, " "), s.colour, s.width)
			if s.dash {
				b.WriteString(` stroke-dasharray="6 4"`)
			}
			b.WriteString("/>\n")
		case kRect:
			x, y := math.Min(s.pts[0][0], s.pts[1][0]), math.Min(s.pts[0][1], s.pts[1][1])
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"`, num(x), num(y),
				num(math.Abs(s.pts[1][0]-s.pts[0][0])), num(math.Abs(s.pts[1][1]-s.pts[0][1])), s.colour)
			if s.opacity > 0 && s.opacity < 1 {
				fmt.Fprintf(&b, ` fill-opacity="%g"`, s.opacity)
			}
			b.WriteString("/>\n")
		case kDot:
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="%g" fill="%s"/>`+"\n", num(s.pts[0][0]), num(s.pts[0][1]), s.r, s.colour)
		case kText:
			attrs := ""
			if s.anchor != "start" {
				attrs += ` text-anchor="` + s.anchor + `"`
			}
			if s.size != 11 {
				attrs += fmt.Sprintf(` font-size="%g"`, s.size)
			}
			if s.bold {
				attrs += ` font-weight="bold"`
			}
			x, y := num(s.pts[0][0]), num(s.pts[0][1])
			if s.turned {
				fmt.Fprintf(&b, `<text transform="translate(%s,%s) rotate(-90)" fill="%s"%s>%s</text>`+"\n", x, y, s.colour, attrs, esc(s.text))
			} else {
				fmt.Fprintf(&b, `<text x="%s" y="%s" fill="%s"%s>%s</text>`+"\n", x, y, s.colour, attrs, esc(s.text))
			}
		}
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WritePNG draws the chart as a PNG image, with anti-aliased shapes and a
// fixed 7 × 13 pixel bitmap font (text outside ASCII is transliterated).
func (c *Chart) WritePNG(w io.Writer) error {
	return png.Encode(w, c.raster())
}

// raster paints the chart on a white image.
func (c *Chart) raster() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, int(math.Ceil(c.w)), int(math.Ceil(c.h))))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	f := raster.Filler{Img: img}
	fill := func(pts [][2]float64, col color.Color) { f.Fill(col, pts) }
	circle := func(cx, cy, r float64) [][2]float64 {
		const n = 24
		out := make([][2]float64, n)
		for k := range out {
			a := 2 * math.Pi * float64(k) / n
			out[k] = [2]float64{cx + r*math.Cos(a), cy + r*math.Sin(a)}
		}
		return out
	}
	// segment paints a stroke from a to b as a quadrilateral
	segment := func(a, b [2]float64, width float64, col color.Color) {
		dx, dy := b[0]-a[0], b[1]-a[1]
		l := math.Hypot(dx, dy)
		if l == 0 {
			return
		}
		nx, ny := -dy/l*width/2, dx/l*width/2
		fill([][2]float64{{a[0] + nx, a[1] + ny}, {b[0] + nx, b[1] + ny}, {b[0] - nx, b[1] - ny}, {a[0] - nx, a[1] - ny}}, col)
	}
	for _, s := range c.shapes {
		switch s.kind {
		case kPath:
			col := raster.Colour(s.colour, 1)
			for i := 0; i+1 < len(s.pts); i++ {
				a, b := s.pts[i], s.pts[i+1]
				if !s.dash {
					segment(a, b, s.width, col)
					continue
				}
				l := math.Hypot(b[0]-a[0], b[1]-a[1])
				at := func(t float64) [2]float64 { return [2]float64{a[0] + (b[0]-a[0])*t/l, a[1] + (b[1]-a[1])*t/l} }
				for t := 0.0; t < l; t += 10 {
					segment(at(t), at(math.Min(t+6, l)), s.width, col)
				}
			}
			if s.width >= 2 && !s.dash {
				for _, p := range s.pts[1 : len(s.pts)-1] {
					fill(circle(p[0], p[1], s.width/2), col) // round joins
				}
			}
		case kRect:
			op := s.opacity
			if op == 0 {
				op = 1
			}
			a, b := s.pts[0], s.pts[1]
			fill([][2]float64{{a[0], a[1]}, {b[0], a[1]}, {b[0], b[1]}, {a[0], b[1]}}, raster.Colour(s.colour, op))
		case kDot:
			fill(circle(s.pts[0][0], s.pts[0][1], s.r), raster.Colour(s.colour, 1))
		case kText:
			drawText(img, s)
		}
	}
	return img
}

// drawText draws a text shape with the bitmap font: bold by drawing it
// twice, a pixel apart; turned by drawing it on a scratch image and
// copying that a quarter turn anticlockwise.
func drawText(img *image.RGBA, s shape) {
	face := basicfont.Face7x13
	text := raster.ASCII(s.text)
	col := image.NewUniform(raster.Colour(s.colour, 1))
	width := font.MeasureString(face, text).Ceil()
	shift := 0
	switch s.anchor {
	case "middle":
		shift = width / 2
	case "end":
		shift = width
	}
	x, y := int(math.Round(s.pts[0][0])), int(math.Round(s.pts[0][1]))
	if !s.turned {
		d := font.Drawer{Dst: img, Src: col, Face: face, Dot: fixed.P(x-shift, y)}
		d.DrawString(text)
		if s.bold {
			d.Dot = fixed.P(x-shift+1, y)
			d.DrawString(text)
		}
		return
	}
	tmp := image.NewRGBA(image.Rect(0, 0, width, 13))
	d := font.Drawer{Dst: tmp, Src: col, Face: face, Dot: fixed.P(0, 10)}
	d.DrawString(text)
	for ty := 0; ty < 13; ty++ {
		for tx := 0; tx < width; tx++ {
			c := tmp.RGBAAt(tx, ty)
			if c.A == 0 {
				continue
			}
			// (tx, ty) turns to (x + ty - 10, y + shift - tx): the
			// baseline runs upwards through (x, y)
			p := image.Pt(x+ty-10, y+shift-tx)
			if p.In(img.Bounds()) {
				draw.Draw(img, image.Rectangle{Min: p, Max: p.Add(image.Pt(1, 1))}, image.NewUniform(c), image.Point{}, draw.Over)
			}
		}
	}
}
