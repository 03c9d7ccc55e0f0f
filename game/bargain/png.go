package bargain

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

// WritePNG draws the same chart as [Analysis.WriteSVG] as a PNG image,
// 820 × 500 pixels, with a fixed 7 × 13 bitmap font.
func (a *Analysis) WritePNG(w io.Writer, p *Assessment) error {
	return png.Encode(w, a.chart(p).raster())
}

// raster rasterises the scene with anti-aliased shapes.
func (sc *scene) raster() *image.RGBA {
	W, H := int(sc.w), int(sc.h)
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	f := raster.Filler{Img: img}
	fillPaths := f.Fill
	// segment returns the quadrilateral of a stroke of the given width.
	segment := func(a, b [2]float64, width float64) [][2]float64 {
		dx, dy := b[0]-a[0], b[1]-a[1]
		l := math.Hypot(dx, dy)
		if l == 0 {
			return nil
		}
		nx, ny := -dy/l*width/2, dx/l*width/2
		return [][2]float64{{a[0] + nx, a[1] + ny}, {b[0] + nx, b[1] + ny}, {b[0] - nx, b[1] - ny}, {a[0] - nx, a[1] - ny}}
	}
	// ring returns a circle's outline as a closed path, anticlockwise or
	// clockwise.
	ring := func(c [2]float64, r float64, clockwise bool) [][2]float64 {
		const n = 36
		out := make([][2]float64, n)
		for k := range n {
			ang := 2 * math.Pi * float64(k) / n
			if clockwise {
				ang = -ang
			}
			out[k] = [2]float64{c[0] + r*math.Cos(ang), c[1] + r*math.Sin(ang)}
		}
		return out
	}
	// stroke paints a polyline (closed when close is set).
	stroke := func(c color.Color, pts [][2]float64, width float64, closed, dash bool) {
		if closed && len(pts) > 2 {
			pts = append(append([][2]float64(nil), pts...), pts[0])
		}
		var quads [][][2]float64
		for i := 0; i+1 < len(pts); i++ {
			a, b := pts[i], pts[i+1]
			if !dash {
				quads = append(quads, segment(a, b, width))
				continue
			}
			l := math.Hypot(b[0]-a[0], b[1]-a[1])
			for t := 0.0; t < l; t += 7 {
				e := min(t+4, l)
				p := func(s float64) [2]float64 { return [2]float64{a[0] + (b[0]-a[0])*s/l, a[1] + (b[1]-a[1])*s/l} }
				quads = append(quads, segment(p(t), p(e), width))
			}
		}
		if width >= 2 {
			for _, q := range pts {
				quads = append(quads, ring(q, width/2, false))
			}
		}
		for _, q := range quads {
			fillPaths(c, q) // one at a time, so that overlaps do not cancel
		}
	}
	for _, s := range sc.items {
		switch s.kind {
		case kLine, kPolyline:
			stroke(raster.Colour(s.stroke, 1), s.pts, s.width, false, s.dash)
		case kPolygon:
			if s.fill != "" {
				op := s.fillOpacity
				if op == 0 {
					op = 1
				}
				fillPaths(raster.Colour(s.fill, op), s.pts)
			}
			if s.stroke != "" && s.width > 0 {
				stroke(raster.Colour(s.stroke, 1), s.pts, s.width, true, s.dash)
			}
		case kCircle:
			c := s.pts[0]
			if s.fill != "" {
				fillPaths(raster.Colour(s.fill, 1), ring(c, s.r, false))
			}
			if s.stroke != "" {
				fillPaths(raster.Colour(s.stroke, 1), ring(c, s.r+s.width/2, false), ring(c, max(s.r-s.width/2, 0), true))
			}
		case kText:
			drawText(img, s)
		}
	}
	return img
}

// drawText draws a text shape with the bitmap font: bold by drawing twice,
// vertical by drawing on its side.
func drawText(img *image.RGBA, s shape) {
	face := basicfont.Face7x13
	col := raster.Colour(s.fill, 1)
	text := raster.ASCII(s.text)
	width := font.MeasureString(face, text).Ceil()
	shift := 0
	switch s.anchor {
	case "middle":
		shift = width / 2
	case "end":
		shift = width
	}
	x, y := int(math.Round(s.pts[0][0])), int(math.Round(s.pts[0][1]))
	if !s.vertical {
		d := font.Drawer{Dst: img, Src: image.NewUniform(col), Face: face}
		for k := 0; k <= boolInt(s.bold); k++ {
			d.Dot = fixed.P(x-shift+k, y)
			d.DrawString(text)
		}
		return
	}
	// Draw horizontally on a scratch image, then turn it a quarter
	// anticlockwise around (x, y).
	tmp := image.NewRGBA(image.Rect(0, 0, width, 13))
	d := font.Drawer{Dst: tmp, Src: image.NewUniform(col), Face: face, Dot: fixed.P(0, 10)}
	d.DrawString(text)
	for ty := 0; ty < 13; ty++ {
		for tx := 0; tx < width; tx++ {
			c := tmp.RGBAAt(tx, ty)
			if c.A == 0 {
				continue
			}
			px, py := x-10+ty, y+shift-tx
			if image.Pt(px, py).In(img.Bounds()) {
				draw.Draw(img, image.Rect(px, py, px+1, py+1), image.NewUniform(c), image.Point{}, draw.Over)
			}
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
