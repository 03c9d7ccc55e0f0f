package chart

import (
	"fmt"
	"html"
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

// Canvas is a drawing in pixels, y pointing down, that can be written as SVG
// or PNG. Charts draw on one.
type Canvas struct {
	W, H  float64
	items []item
}

type itemKind int

const (
	kRect itemKind = iota
	kLine
	kPoly
	kText
)

type item struct {
	kind    itemKind
	pts     [][2]float64 // rect: corner and size; line: two ends; poly: vertices
	fill    string       // "" for none
	stroke  string
	width   float64
	opacity float64
	closed  bool
	text    string
	anchor  string // start, middle, end
	size    float64
	bold    bool
	rotate  bool // text turned 90° anticlockwise about its point
}

// NewCanvas returns an empty w × h canvas with a white background.
func NewCanvas(w, h float64) *Canvas {
	c := &Canvas{W: w, H: h}
	c.Rect(0, 0, w, h, "#ffffff", "", 0)
	return c
}

// Rect draws a rectangle.
func (c *Canvas) Rect(x, y, w, h float64, fill, stroke string, width float64) {
	c.items = append(c.items, item{kind: kRect, pts: [][2]float64{{x, y}, {w, h}}, fill: fill, stroke: stroke, width: width, opacity: 1})
}

// Line draws a segment.
func (c *Canvas) Line(x1, y1, x2, y2 float64, stroke string, width float64) {
	c.items = append(c.items, item{kind: kLine, pts: [][2]float64{{x1, y1}, {x2, y2}}, stroke: stroke, width: width, opacity: 1})
}

// Polyline draws connected segments.
func (c *Canvas) Polyline(pts [][2]float64, stroke string, width float64) {
	c.items = append(c.items, item{kind: kPoly, pts: pts, stroke: stroke, width: width, opacity: 1})
}

// Polygon fills a closed shape.
func (c *Canvas) Polygon(pts [][2]float64, fill string, opacity float64) {
	c.items = append(c.items, item{kind: kPoly, pts: pts, fill: fill, opacity: opacity, closed: true})
}

// Text writes a label with its baseline at y; anchor is start, middle or end.
func (c *Canvas) Text(x, y float64, s, anchor string, size float64, bold bool) {
	c.items = append(c.items, item{kind: kText, pts: [][2]float64{{x, y}}, text: s, anchor: anchor, size: size, bold: bold, fill: "#222222", opacity: 1})
}

// VText writes a label turned to read upwards, centred on (x, y).
func (c *Canvas) VText(x, y float64, s string, size float64) {
	c.items = append(c.items, item{kind: kText, pts: [][2]float64{{x, y}}, text: s, anchor: "middle", size: size, fill: "#222222", opacity: 1, rotate: true})
}

func f1(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }

// WriteSVG writes the canvas as a standalone SVG document.
func (c *Canvas) WriteSVG(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" font-family="sans-serif" role="img">`+"\n", c.W, c.H, c.W, c.H)
	for _, it := range c.items {
		switch it.kind {
		case kRect:
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s"%s/>`+"\n", f1(it.pts[0][0]), f1(it.pts[0][1]), f1(it.pts[1][0]), f1(it.pts[1][1]), paint(it))
		case kLine:
			fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s"%s/>`+"\n", f1(it.pts[0][0]), f1(it.pts[0][1]), f1(it.pts[1][0]), f1(it.pts[1][1]), paint(it))
		case kPoly:
			tag := "polyline"
			if it.closed {
				tag = "polygon"
			}
			ps := make([]string, len(it.pts))
			for i, p := range it.pts {
				ps[i] = f1(p[0]) + "," + f1(p[1])
			}
			fmt.Fprintf(&b, `<%s points="%s"%s/>`+"\n", tag, strings.Join(ps, " "), paint(it))
		case kText:
			extra := ""
			if it.bold {
				extra += ` font-weight="bold"`
			}
			if it.rotate {
				extra += fmt.Sprintf(` transform="rotate(-90 %s %s)"`, f1(it.pts[0][0]), f1(it.pts[0][1]))
			}
			fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="%g" text-anchor="%s" fill="%s"%s>%s</text>`+"\n",
				f1(it.pts[0][0]), f1(it.pts[0][1]), it.size, it.anchor, it.fill, extra, html.EscapeString(it.text))
		}
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func paint(it item) string {
	s := ""
	if it.fill != "" {
		s += ` fill="` + it.fill + `"`
	} else {
		s += ` fill="none"`
	}
	if it.opacity < 1 {
		s += ` fill-opacity="` + strconv.FormatFloat(it.opacity, 'g', 3, 64) + `"`
	}
	if it.stroke != "" {
		s += fmt.Sprintf(` stroke="%s" stroke-width="%g"`, it.stroke, it.width)
	}
	return s
}

// WritePNG writes the canvas as a PNG image of W × H pixels, with
// anti-aliased shapes and a 7 × 13 bitmap font (ASCII only: other letters
// are spelt out or replaced).
func (c *Canvas) WritePNG(w io.Writer) error {
	img := image.NewRGBA(image.Rect(0, 0, int(c.W), int(c.H)))
	f := raster.Filler{Img: img}
	fill := f.Fill
	stroke := func(col color.Color, pts [][2]float64, width float64) {
		var quads [][][2]float64
		for i := 1; i < len(pts); i++ {
			a, b := pts[i-1], pts[i]
			dx, dy := b[0]-a[0], b[1]-a[1]
			l := math.Hypot(dx, dy)
			if l == 0 {
				continue
			}
			nx, ny := -dy/l*width/2, dx/l*width/2
			quads = append(quads, [][2]float64{{a[0] + nx, a[1] + ny}, {b[0] + nx, b[1] + ny}, {b[0] - nx, b[1] - ny}, {a[0] - nx, a[1] - ny}})
		}
		fill(col, quads...)
	}
	for _, it := range c.items {
		switch it.kind {
		case kRect:
			x, y, w, h := it.pts[0][0], it.pts[0][1], it.pts[1][0], it.pts[1][1]
			box := [][2]float64{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}
			if it.fill != "" {
				fill(raster.Colour(it.fill, it.opacity), box)
			}
			if it.stroke != "" {
				stroke(raster.Colour(it.stroke, 1), append(box, box[0]), math.Max(it.width, 1))
			}
		case kLine:
			stroke(raster.Colour(it.stroke, 1), it.pts, math.Max(it.width, 1))
		case kPoly:
			if it.closed {
				fill(raster.Colour(it.fill, it.opacity), it.pts)
			} else {
				stroke(raster.Colour(it.stroke, 1), it.pts, math.Max(it.width, 1))
			}
		case kText:
			drawText(img, it)
		}
	}
	return png.Encode(w, img)
}

// drawText draws a label in the bitmap font; a rotated label is drawn on a
// small image and turned.
func drawText(img *image.RGBA, it item) {
	s := raster.ASCII(it.text)
	face := basicfont.Face7x13
	width := font.MeasureString(face, s).Ceil()
	if !it.rotate {
		x := it.pts[0][0]
		switch it.anchor {
		case "middle":
			x -= float64(width) / 2
		case "end":
			x -= float64(width)
		}
		d := &font.Drawer{Dst: img, Src: image.NewUniform(raster.Colour(it.fill, 1)), Face: face,
			Dot: fixed.P(int(math.Round(x)), int(math.Round(it.pts[0][1]))+2)}
		d.DrawString(s)
		if it.bold {
			d.Dot = fixed.P(int(math.Round(x))+1, int(math.Round(it.pts[0][1]))+2)
			d.DrawString(s)
		}
		return
	}
	tmp := image.NewRGBA(image.Rect(0, 0, width, 13))
	d := &font.Drawer{Dst: tmp, Src: image.NewUniform(raster.Colour(it.fill, 1)), Face: face, Dot: fixed.P(0, 10)}
	d.DrawString(s)
	cx, cy := int(it.pts[0][0]), int(it.pts[0][1])
	for y := 0; y < 13; y++ {
		for x := 0; x < width; x++ {
			px := tmp.RGBAAt(x, y)
			if px.A == 0 {
				continue
			}
			// (x, y) turns to (y, width − x) about the label's centre
			tx, ty := cx-6+y, cy+width/2-x
			if image.Pt(tx, ty).In(img.Bounds()) {
				draw.Draw(img, image.Rect(tx, ty, tx+1, ty+1), image.NewUniform(px), image.Point{}, draw.Over)
			}
		}
	}
}
