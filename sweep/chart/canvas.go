package chart

import "github.com/parleyhq/parley/internal/canvas"

// Canvas is a drawing in pixels, y pointing down, that can be written as SVG
// or PNG (see [canvas.Canvas]). Charts draw on one.
type Canvas = canvas.Canvas

// NewCanvas returns an empty w × h canvas with a white background.
func NewCanvas(w, h float64) *Canvas {
	c := canvas.New(w, h)
	c.Rect(0, 0, w, h, "#ffffff", "", 0)
	return c
}

// vText writes a label turned to read upwards, centred on (x, y).
func vText(c *Canvas, x, y float64, s string, size float64) {
	c.Add(canvas.Shape{Kind: canvas.Text, Pts: [][2]float64{{x, y}}, Text: s, Anchor: "middle", Size: size, Up: true})
}
