package ipd

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"

	"github.com/parleyhq/parley/internal/raster"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// WritePNG writes the chart as a PNG image of the same size in pixels,
// anti-aliased, with text in a fixed 7 × 13 bitmap font.
func (c *Chart) WritePNG(w io.Writer) error {
	return png.Encode(w, c.raster())
}

// raster paints the chart's marks in order on a transparent canvas.
func (c *Chart) raster() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, int(math.Ceil(c.w)), int(math.Ceil(c.h))))
	f := raster.Filler{Img: img}
	fill := f.Fill
	circle := func(cx, cy, r float64, reverse bool) [][2]float64 {
		const n = 32
		out := make([][2]float64, n)
		for k := range n {
			a := 2 * math.Pi * float64(k) / n
			if reverse {
				a = -a
			}
			out[k] = [2]float64{cx + r*math.Cos(a), cy + r*math.Sin(a)}
		}
		return out
	}
	// stroke paints each segment of a path as a thin quadrilateral; an
	// axis-aligned one-pixel line is snapped to the pixel grid to stay sharp.
	stroke := func(col color.Color, pts [][2]float64, width float64, closed bool) {
		if closed && len(pts) > 2 {
			pts = append(append([][2]float64(nil), pts...), pts[0])
		}
		for i := 0; i+1 < len(pts); i++ {
			a, b := pts[i], pts[i+1]
			if width <= 1 && (a[0] == b[0] || a[1] == b[1]) {
				a, b = [2]float64{math.Floor(a[0]) + 0.5, math.Floor(a[1]) + 0.5}, [2]float64{math.Floor(b[0]) + 0.5, math.Floor(b[1]) + 0.5}
			}
			dx, dy := b[0]-a[0], b[1]-a[1]
			l := math.Hypot(dx, dy)
			if l == 0 {
				continue
			}
			nx, ny := -dy/l*width/2, dx/l*width/2
			// Lengthen by half the width so that corners meet.
			ex, ey := dx/l*width/2, dy/l*width/2
			fill(col, [][2]float64{{a[0] - ex + nx, a[1] - ey + ny}, {b[0] + ex + nx, b[1] + ey + ny},
				{b[0] + ex - nx, b[1] + ey - ny}, {a[0] - ex - nx, a[1] - ey - ny}})
		}
	}
	for _, m := range c.items {
		switch m.kind {
		case markLine, markPolyline:
			stroke(raster.Colour(m.stroke, 1), m.pts, m.width, false)
		case markPolygon:
			if m.fill != "" {
				op := m.opacity
				if op == 0 {
					op = 1
				}
				fill(raster.Colour(m.fill, op), m.pts)
			}
			if m.stroke != "" && m.width > 0 {
				stroke(raster.Colour(m.stroke, 1), m.pts, m.width, true)
			}
		case markCircle:
			p := m.pts[0]
			if m.fill != "" {
				fill(raster.Colour(m.fill, 1), circle(p[0], p[1], m.r, false))
			}
			if m.stroke != "" && m.width > 0 {
				fill(raster.Colour(m.stroke, 1), circle(p[0], p[1], m.r+m.width/2, false), circle(p[0], p[1], max(0, m.r-m.width/2), true))
			}
		case markText:
			drawLabel(img, m)
		}
	}
	return img
}

// drawLabel writes a text mark with the bitmap font: bold by drawing it
// twice a pixel apart, turned up by drawing it on its side.
func drawLabel(img *image.RGBA, m mark) {
	face := basicfont.Face7x13
	ink := image.NewUniform(raster.Colour(m.fill, 1))
	s := raster.ASCII(m.text)
	width := font.MeasureString(face, s).Ceil()
	shift := 0
	switch m.anchor {
	case "middle":
		shift = width / 2
	case "end":
		shift = width
	}
	x, y := int(math.Round(m.pts[0][0])), int(math.Round(m.pts[0][1]))
	if !m.up {
		d := font.Drawer{Dst: img, Src: ink, Face: face}
		passes := 1
		if m.bold {
			passes = 2
		}
		for k := range passes {
			d.Dot = fixed.P(x-shift+k, y)
			d.DrawString(s)
		}
		return
	}
	// Draw on a scratch image, then copy it turned a quarter anticlockwise
	// about (x, y): the baseline runs upwards from there.
	tmp := image.NewRGBA(image.Rect(0, 0, width, 13))
	d := font.Drawer{Dst: tmp, Src: ink, Face: face, Dot: fixed.P(0, 10)}
	d.DrawString(s)
	for ty := range 13 {
		for tx := range width {
			px := tmp.RGBAAt(tx, ty)
			if px.A == 0 {
				continue
			}
			X, Y := x+ty-10, y+shift-tx
			if image.Pt(X, Y).In(img.Bounds()) {
				draw.Draw(img, image.Rect(X, Y, X+1, Y+1), image.NewUniform(px), image.Point{}, draw.Over)
			}
		}
	}
}
