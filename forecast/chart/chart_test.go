package chart

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/raster"

	"github.com/parleyhq/parley/forecast"
	"github.com/parleyhq/parley/forecast/baseline"
	"github.com/parleyhq/parley/forecast/bdm"
	"github.com/parleyhq/parley/forecast/smp"
	"github.com/parleyhq/parley/forecast/uncertainty"
)

func read(t *testing.T, file string) *forecast.Input {
	t.Helper()
	in, err := forecast.ReadFile("../testdata/"+file, "")
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// odd is a name that must be escaped in XML.
const odd = `Rock & <Roll> "Q" 'n' Ünal`

// svgTexts parses an SVG document with encoding/xml, failing on anything
// not well-formed, and returns the text of its <text> and <title>
// elements.
func svgTexts(t *testing.T, doc []byte) []string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	var texts []string
	var stack []string
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
				if tok.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("root namespace %q", tok.Name.Space)
				}
			}
			stack = append(stack, tok.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if n := len(stack); n > 0 && (stack[n-1] == "text" || stack[n-1] == "title") {
				texts = append(texts, string(tok))
			}
		}
	}
	if root != "svg" || len(stack) != 0 {
		t.Errorf("root %q, %d elements left open", root, len(stack))
	}
	return texts
}

// checkPNG decodes a PNG, checks its size and that it shows each colour.
func checkPNG(t *testing.T, data []byte, w, h int, colours ...string) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the PNG does not decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("PNG of %v, want %d × %d", b, w, h)
	}
	for _, hex := range colours {
		want := raster.Colour(hex, 1).(color.NRGBA)
		if !hasColour(img, want) {
			t.Errorf("no pixel of colour %s", hex)
		}
	}
}

func hasColour(img image.Image, c color.NRGBA) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			if a == 0xffff && uint8(r>>8) == c.R && uint8(g>>8) == c.G && uint8(bl>>8) == c.B {
				return true
			}
		}
	}
	return false
}

func render(t *testing.T, c *Chart) (svg, pngData []byte) {
	t.Helper()
	var s, p bytes.Buffer
	if err := c.WriteSVG(&s); err != nil {
		t.Fatal(err)
	}
	if err := c.WritePNG(&p); err != nil {
		t.Fatal(err)
	}
	return s.Bytes(), p.Bytes()
}

func TestBDMChart(t *testing.T) {
	in := read(t, "bdm1d/eu_emissions_bdm1994.csv")
	in.Actors[1].Name = odd
	res, err := bdm.Run(context.Background(), in, bdm.Presets["mckibben"])
	if err != nil {
		t.Fatal(err)
	}
	c := BDM(res, "EU car emissions <bdm> & co")
	svg, pngData := render(t, c)
	texts := svgTexts(t, svg)
	for _, want := range []string{odd, "EU car emissions <bdm> & co", "weighted median (forecast)", "round", "position", "Netherlands"} {
		if !slices.Contains(texts, want) {
			t.Errorf("no text %q in the SVG", want)
		}
	}
	if strings.Contains(string(svg), "<Roll>") {
		t.Error("a label is not escaped")
	}
	// one line per actor and the median, one dot per actor and round
	if n := strings.Count(string(svg), "<polyline"); n < len(res.Actors)+1 {
		t.Errorf("%d polylines", n)
	}
	if n, want := strings.Count(string(svg), "<circle"), len(res.Actors)*(len(res.Rounds)+1); n != want {
		t.Errorf("%d dots, want %d", n, want)
	}
	checkPNG(t, pngData, 960, int(c.h+0.999), palette[0], palette[1], "#000000")
}

func TestSMPChart(t *testing.T) {
	in := read(t, "ktab/dummyData_3Dim.csv")
	res, err := smp.Run(context.Background(), in, smp.Defaults())
	if err != nil {
		t.Fatal(err)
	}
	c := SMP(res, "dummyData_3Dim")
	svg, pngData := render(t, c)
	texts := svgTexts(t, svg)
	for _, d := range res.Dimensions {
		if !slices.Contains(texts, d) {
			t.Errorf("no panel titled %q", d)
		}
	}
	for _, a := range res.Actors {
		if !slices.Contains(texts, a) {
			t.Errorf("actor %q is not in the legend", a)
		}
	}
	checkPNG(t, pngData, 960, int(c.h+0.999), palette[0], palette[6])

	// 40 actors: the legend sets the height, colours repeat dashed
	big := read(t, "ktab/dummyData-a040.csv")
	opt := smp.Defaults()
	opt.MaxTurns = 3
	res, err = smp.Run(context.Background(), big, opt)
	if err != nil {
		t.Fatal(err)
	}
	c = SMP(res, "a040")
	svg, _ = render(t, c)
	svgTexts(t, svg)
	if c.h < pTop+24+40*pRow {
		t.Errorf("height %v too small for 40 legend rows", c.h)
	}
	if !strings.Contains(string(svg), "stroke-dasharray") {
		t.Error("no dashed line for the actors past the palette")
	}
}

func TestDistributionChart(t *testing.T) {
	in := read(t, "ktab/SOE-Pol-Comp.csv")
	in.Dimensions[0].Name = odd
	m, err := uncertainty.Baselines(in, []string{uncertainty.Mean, uncertainty.Median, uncertainty.Condorcet}, baseline.CapabilitySalience, baseline.Majority)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []uncertainty.Perturbation{{Position: 0.1, Salience: 0.1, Drop: 0.1}, {}} {
		s, err := uncertainty.Run(context.Background(), in, m, uncertainty.Options{Runs: 500, Seed: 1, Perturbation: p})
		if err != nil {
			t.Fatal(err)
		}
		c := Distribution(s, "SOE <Pol-Comp> & baselines")
		svg, pngData := render(t, c)
		texts := svgTexts(t, svg)
		for _, want := range []string{odd + ": mean", odd + ": condorcet", "Competitive Position: median", "SOE <Pol-Comp> & baselines"} {
			if !slices.Contains(texts, want) {
				t.Errorf("perturbation %+v: no text %q", p, want)
			}
		}
		if n := strings.Count(string(svg), `fill="#4c78a8"`); n < len(s.Quantities) {
			t.Errorf("perturbation %+v: %d bars for %d quantities", p, n, len(s.Quantities))
		}
		checkPNG(t, pngData, int(c.w), int(c.h+0.999), "#4c78a8", "#d62728")
	}
}

// TestNoValue: a quantity without any value gets a panel that says so.
func TestNoValue(t *testing.T) {
	in := &forecast.Input{Dimensions: []forecast.Dimension{{Name: "x"}}, Actors: []forecast.Actor{
		{Name: "A", Capability: 1, Position: []float64{0}, Salience: []float64{1}},
		{Name: "B", Capability: 1, Position: []float64{1}, Salience: []float64{1}},
	}}
	m, err := uncertainty.Baselines(in, []string{uncertainty.Condorcet}, baseline.CapabilitySalience, baseline.Proportional)
	if err != nil {
		t.Fatal(err)
	}
	s, err := uncertainty.Run(context.Background(), in, m, uncertainty.Options{Runs: 10})
	if err != nil {
		t.Fatal(err)
	}
	svg, _ := render(t, Distribution(s, "tie"))
	texts := svgTexts(t, svg)
	if !slices.ContainsFunc(texts, func(s string) bool { return strings.HasPrefix(s, "no value in any run") }) {
		t.Errorf("texts %q", texts)
	}
}

func TestASCII(t *testing.T) {
	if got := raster.ASCII("Ünal – São Tomé × 2 ± 1 ≤ 3 中"); got != "Unal - Sao Tome x 2 +- 1 <= 3 ?" {
		t.Errorf("got %q", got)
	}
}

func TestTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   []float64
	}{
		{0, 100, []float64{0, 20, 40, 60, 80, 100}},
		{7, 7, []float64{6, 6.5, 7, 7.5, 8}},
		{0.1, 0.7, []float64{0, 0.2, 0.4, 0.6, 0.8}},
		{-3, 12, []float64{-5, 0, 5, 10, 15}},
	} {
		if got := niceTicks(c.lo, c.hi, 5); !slices.Equal(got, c.want) {
			t.Errorf("ticks of [%v, %v]: %v, want %v", c.lo, c.hi, got, c.want)
		}
	}
}
