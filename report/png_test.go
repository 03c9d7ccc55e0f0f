package report_test

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/parleyhq/parley/report"
)

// TestChartPNG: the charts' PNGs are of the SVG's size, white behind, with
// the first series' colour where the SVG puts its line and bar.
func TestChartPNG(t *testing.T) {
	line := &report.LineChart{Title: "t", YMax: 1, Lines: []report.Line{{Name: "flat", Y: []float64{0.5, 0.5, 0.5}}}}
	var b bytes.Buffer
	if err := line.PNG(&b); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if s := img.Bounds().Size(); s.X != 680 || s.Y != 320 {
		t.Fatalf("line chart PNG of %v, want 680 × 320", s)
	}
	rgb := func(x, y int) [3]uint32 {
		r, g, bl, _ := img.At(x, y).RGBA()
		return [3]uint32{r >> 8, g >> 8, bl >> 8}
	}
	if c := rgb(2, 300); c != [3]uint32{255, 255, 255} {
		t.Errorf("background %v, want white", c)
	}
	// the plot runs from y = 28 to 280: 0.5 is at y = 154, the first colour #1f77b4
	if c := rgb(273, 154); c != [3]uint32{0x1f, 0x77, 0xb4} {
		t.Errorf("line pixel %v, want #1f77b4", c)
	}

	bars := &report.BarChart{Title: "b", Categories: []string{"x"}, Series: []report.BarSeries{{Name: "s", V: []float64{1}, Colour: 1}}}
	b.Reset()
	if err := bars.PNG(&b); err != nil {
		t.Fatal(err)
	}
	if img, err = png.Decode(&b); err != nil {
		t.Fatal(err)
	}
	// the bar of 1 spans the plot (x from 120 to 590), at y = 32 to 40
	if c := rgb(355, 36); c != [3]uint32{0xd6, 0x27, 0x28} {
		t.Errorf("bar pixel %v, want #d62728", c)
	}
}
