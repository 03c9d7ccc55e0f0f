package chart

import (
	"bytes"
	"flag"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func examples() map[string]*Canvas {
	return map[string]*Canvas{
		"tornado": (&Tornado{Title: "P(completed) of peace-first", Metric: "share of histories completed", Base: 0.4, Bars: []TornadoBar{
			{Label: "DPRK insecurity", Low: 0.62, High: 0.18, LowLabel: "0.4", HighLabel: "0.95"},
			{Label: "verification", Low: 0.31, High: 0.45, LowLabel: "0.5", HighLabel: "0.9"},
			{Label: "misperception", Low: 0.41, High: 0.39, LowLabel: "0", HighLabel: "0.25"},
		}}).Canvas(),
		"intervals": (&Intervals{Title: "Sobol indices of the Ishigami function", XLabel: "share of variance", Series: []string{"first order", "total"}, Rows: []IntervalRow{
			{Label: "x1", Est: []float64{0.314, 0.558}, Lo: []float64{0.28, 0.53}, Hi: []float64{0.34, 0.59}},
			{Label: "x2", Est: []float64{0.442, 0.442}, Lo: []float64{0.42, 0.43}, Hi: []float64{0.47, 0.46}},
			{Label: "x3", Est: []float64{0.001, 0.243}, Lo: []float64{-0.02, 0.23}, Hi: []float64{0.02, 0.25}},
		}}).Canvas(),
		"lines": (&Lines{Title: "Response to the DPRK's insecurity", XLabel: "actors.DPRK.insecurity", YLabel: "P(completed)", Series: []Series{
			{Name: "peace-first", X: []float64{0.4, 0.6, 0.8, 0.95}, Y: []float64{0.6, 0.5, 0.4, 0.2}, Lo: []float64{0.55, 0.45, 0.35, 0.15}, Hi: []float64{0.65, 0.55, 0.45, 0.25}},
			{Name: "denuclearization-first", X: []float64{0.4, 0.6, 0.8, 0.95}, Y: []float64{0.3, 0.2, 0.1, 0.05}},
		}}).Canvas(),
		"heatmap": (&Heatmap{Title: "peace-first − denuclearization-first", XLabel: "seeker prior", YLabel: "verification", ValueLabel: "difference in P(completed)",
			X: []string{"0.1", "0.4", "0.7"}, Y: []string{"0.5", "0.75", "1"},
			Z: [][]float64{{0.1, 0.2, 0.3}, {-0.1, 0, 0.15}, {-0.2, math.NaN(), 0.05}}}).Canvas(),
	}
}

func TestChartsSVG(t *testing.T) {
	for name, c := range examples() {
		var b bytes.Buffer
		if err := c.WriteSVG(&b); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", name+".svg")
		if *update {
			os.MkdirAll("testdata", 0o755)
			os.WriteFile(path, b.Bytes(), 0o644)
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test -update writes it)", err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s differs from %s (go test -update rewrites it)", name, path)
		}
		if !strings.HasPrefix(b.String(), "<svg") || !strings.HasSuffix(b.String(), "</svg>\n") {
			t.Errorf("%s is not an SVG document", name)
		}
	}
}

func TestChartsPNG(t *testing.T) {
	for name, c := range examples() {
		var b bytes.Buffer
		if err := c.WritePNG(&b); err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(&b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if img.Bounds().Dx() != int(c.W) || img.Bounds().Dy() != int(c.H) {
			t.Errorf("%s: %v, want %g × %g", name, img.Bounds(), c.W, c.H)
		}
		// something other than the white background is drawn, in colour
		coloured := 0
		for y := 0; y < img.Bounds().Dy(); y += 2 {
			for x := 0; x < img.Bounds().Dx(); x += 2 {
				r, g, b, _ := img.At(x, y).RGBA()
				if r != g || g != b {
					coloured++
				}
			}
		}
		if coloured < 100 {
			t.Errorf("%s: only %d coloured pixels", name, coloured)
		}
	}
}

func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   string
	}{{0, 1, "[0 0.2 0.4 0.6 0.8 1]"}, {-0.13, 0.27, "[-0.1 0 0.1 0.2]"}, {3, 3, "[3 3.2 3.4 3.6 3.8 4]"}} {
		got := niceTicks(c.lo, c.hi, 5)
		s := make([]string, len(got))
		for i, v := range got {
			s[i] = tick(v)
		}
		if "["+strings.Join(s, " ")+"]" != c.want {
			t.Errorf("niceTicks(%g, %g) = %v, want %s", c.lo, c.hi, s, c.want)
		}
	}
}

func TestDiverging(t *testing.T) {
	if diverging(0) != "#ffffff" || diverging(1) != "#2166ac" || diverging(-1) != "#b2182b" || diverging(7) != "#2166ac" {
		t.Errorf("colours %s %s %s", diverging(0), diverging(1), diverging(-1))
	}
}
