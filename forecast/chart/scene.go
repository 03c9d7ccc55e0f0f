package chart

import (
	"io"

	"github.com/parleyhq/parley/internal/canvas"
)

// Chart is a drawing, in pixels with y growing downwards, that can be
// written as SVG or as PNG; both show the same shapes (see
// [canvas.Canvas]).
type Chart struct {
	w, h   float64
	title  string
	shapes []canvas.Shape
}

// ink is the colour of text.
const ink = "#222222"

func (c *Chart) add(s canvas.Shape) { c.shapes = append(c.shapes, s) }

func (c *Chart) path(pts [][2]float64, colour string, width float64, dash bool) {
	s := canvas.Shape{Kind: canvas.Polyline, Pts: pts, Stroke: colour, Width: width}
	if dash {
		s.Dash = [2]float64{6, 4}
	}
	c.add(s)
}

func (c *Chart) line(x1, y1, x2, y2 float64, colour string, width float64, dash bool) {
	c.path([][2]float64{{x1, y1}, {x2, y2}}, colour, width, dash)
}

// rect fills the rectangle of opposite corners (x1, y1) and (x2, y2);
// opacity 0 means opaque.
func (c *Chart) rect(x1, y1, x2, y2 float64, colour string, opacity float64) {
	c.add(canvas.Shape{Kind: canvas.Rect, Pts: [][2]float64{{x1, y1}, {x2, y2}}, Fill: colour, Opacity: opacity})
}

func (c *Chart) dot(x, y, r float64, colour string) {
	c.add(canvas.Shape{Kind: canvas.Circle, Pts: [][2]float64{{x, y}}, R: r, Fill: colour})
}

func (c *Chart) text(x, y float64, s, anchor string, size float64, bold bool) {
	c.add(canvas.Shape{Kind: canvas.Text, Pts: [][2]float64{{x, y}}, Text: s, Anchor: anchor, Size: size, Bold: bold, Fill: ink})
}

// turnedText is text turned a quarter anticlockwise about (x, y).
func (c *Chart) turnedText(x, y float64, s, anchor string, size float64) {
	c.add(canvas.Shape{Kind: canvas.Text, Pts: [][2]float64{{x, y}}, Text: s, Anchor: anchor, Size: size, Fill: ink, Up: true})
}

// canvas returns the chart on a white background.
func (c *Chart) canvas() *canvas.Canvas {
	cv := canvas.New(c.w, c.h)
	cv.Title = c.title
	cv.Rect(0, 0, c.w, c.h, "#ffffff", "", 0)
	cv.Shapes = append(cv.Shapes, c.shapes...)
	return cv
}

// WriteSVG writes the chart as a self-contained SVG document.
func (c *Chart) WriteSVG(w io.Writer) error { return c.canvas().WriteSVG(w) }

// WritePNG draws the chart as a PNG image, with anti-aliased shapes and a
// fixed 7 × 13 pixel bitmap font (text outside ASCII is transliterated).
func (c *Chart) WritePNG(w io.Writer) error { return c.canvas().WritePNG(w) }
