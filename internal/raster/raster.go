// Package raster holds what parley's PNG charts share: colours, the filling of polygons on an image, and the spelling of labels for the bitmap font.
package raster

import (
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"

	"golang.org/x/image/vector"
)

// Colour reads "#rrggbb" with an opacity in [0, 1] (clamped); anything else
// is black with that opacity.
func Colour(hex string, opacity float64) color.Color {
	a := uint8(math.Round(255 * math.Max(0, math.Min(1, opacity))))
	if len(hex) != 7 || hex[0] != '#' {
		return color.NRGBA{A: a}
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return color.NRGBA{A: a}
	}
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: a}
}

// Filler paints closed polygons on an image, rasterising only their
// bounding box.
type Filler struct {
	Img *image.RGBA
	z   vector.Rasterizer
}

// Fill paints the union of the closed paths (each of at least three points) in colour c.
func (f *Filler) Fill(c color.Color, paths ...[][2]float64) {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range paths {
		for _, q := range p {
			x0, y0, x1, y1 = math.Min(x0, q[0]), math.Min(y0, q[1]), math.Max(x1, q[0]), math.Max(y1, q[1])
		}
	}
	r := image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1))+1, int(math.Ceil(y1))+1).Intersect(f.Img.Bounds())
	if r.Empty() {
		return
	}
	f.z.Reset(r.Dx(), r.Dy())
	ox, oy := float64(r.Min.X), float64(r.Min.Y)
	for _, p := range paths {
		if len(p) < 3 {
			continue
		}
		f.z.MoveTo(float32(p[0][0]-ox), float32(p[0][1]-oy))
		for _, q := range p[1:] {
			f.z.LineTo(float32(q[0]-ox), float32(q[1]-oy))
		}
		f.z.ClosePath()
	}
	f.z.Draw(f.Img, r, image.NewUniform(c), image.Point{})
}

// ASCII spells a label with what the bitmap font can draw: accented Latin
// letters as their base letter, dashes and the minus sign as -, × as x,
// ≤ and ≥ as <= and >=, ± as +-, Greek letters by name (μ as mu, δ as d),
// and anything else outside ASCII as ?.
func ASCII(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 128:
			b.WriteRune(r)
		case spelt[r] != "":
			b.WriteString(spelt[r])
		default:
			if base, ok := latin[r]; ok {
				b.WriteRune(base)
			} else {
				b.WriteByte('?')
			}
		}
	}
	return b.String()
}

var spelt = map[rune]string{
	'–': "-", '—': "-", '−': "-", '×': "x", '±': "+-", '≤': "<=", '≥': ">=", '…': ".", '’': "'",
	'μ': "mu", 'σ': "sigma", 'δ': "d", 'Δ': "d",
}

// latin maps accented letters to their base letter.
var latin = func() map[rune]rune {
	m := map[rune]rune{}
	for base, accented := range map[rune]string{
		'a': "àáâãäåā", 'c': "çćč", 'e': "èéêëēė", 'i': "ìíîïī", 'n': "ñń", 'o': "òóôõöøō", 'u': "ùúûüū", 'y': "ýÿ", 's': "šś", 'z': "žźż",
		'A': "ÀÁÂÃÄÅĀ", 'C': "ÇĆČ", 'E': "ÈÉÊËĒ", 'I': "ÌÍÎÏ", 'N': "Ñ", 'O': "ÒÓÔÕÖØ", 'U': "ÙÚÛÜ", 'S': "ŠŚ", 'Z': "ŽŹŻ",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()
