package raster

import (
	"image"
	"image/color"
	"testing"
)

func TestColour(t *testing.T) {
	if got := Colour("#1f77b4", 0.5); got != (color.NRGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 128}) {
		t.Errorf("Colour = %v", got)
	}
	if got := Colour("red", 2); got != (color.NRGBA{A: 255}) {
		t.Errorf("a bad colour is black, opacity clamped: %v", got)
	}
}

func TestASCII(t *testing.T) {
	for in, want := range map[string]string{
		"Kalai–Smorodinsky": "Kalai-Smorodinsky", "μ* ≥ σ": "mu* >= sigma", "δ1 × δ2": "d1 x d2",
		"Côte d’Ivoire": "Cote d'Ivoire", "中": "?",
	} {
		if got := ASCII(in); got != want {
			t.Errorf("ASCII(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFill(t *testing.T) {
	f := Filler{Img: image.NewRGBA(image.Rect(0, 0, 10, 10))}
	f.Fill(color.Black, [][2]float64{{2, 2}, {8, 2}, {8, 8}, {2, 8}})
	if _, _, _, a := f.Img.At(5, 5).RGBA(); a != 0xffff {
		t.Errorf("inside the square: alpha %x", a)
	}
	if _, _, _, a := f.Img.At(0, 0).RGBA(); a != 0 {
		t.Errorf("outside the square: alpha %x", a)
	}
	f.Fill(color.Black, [][2]float64{{20, 20}, {30, 20}, {30, 30}}) // off the image: nothing, no panic
}
