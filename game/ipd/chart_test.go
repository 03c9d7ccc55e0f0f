package ipd

import (
	"bytes"
	"context"
	"encoding/xml"
	"image"
	"image/png"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/raster"
)

// wellFormed parses b as XML to the end.
func wellFormed(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := dec.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// both writes a chart as SVG and as PNG, checks that the SVG is well-formed
// XML and that the PNG decodes to the chart's size, and returns them.
func both(t *testing.T, c *Chart) (string, image.Image) {
	t.Helper()
	var svg, pngData bytes.Buffer
	if err := c.WriteSVG(&svg); err != nil {
		t.Fatal(err)
	}
	if err := wellFormed(svg.Bytes()); err != nil {
		t.Fatalf("the SVG is not well-formed: %v", err)
	}
	if err := c.WritePNG(&pngData); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&pngData)
	if err != nil {
		t.Fatalf("the PNG does not decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() != int(math.Ceil(c.w)) || b.Dy() != int(math.Ceil(c.h)) {
		t.Errorf("PNG of %v, chart of %g × %g", b, c.w, c.h)
	}
	return svg.String(), img
}

// rgb returns the colour of a pixel as "#rrggbb".
func rgb(img image.Image, x, y float64) string {
	r, g, b, _ := img.At(int(x), int(y)).RGBA()
	return "#" + hex2(r>>8) + hex2(g>>8) + hex2(b>>8)
}

func hex2(v uint32) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[v>>4], digits[v&15]})
}

// oddNames is a line-up whose names need escaping in XML.
func oddNames(t *testing.T) *Results {
	t.Helper()
	odd := NewStrategy(`A<&>"B'`, "Cooperates.", Classifier{}, func() Player { return always(C) })
	res, err := (&Tournament{Players: []*Strategy{MustLookup("TitForTat"), MustLookup("Defector"), odd, MustLookup("Random")},
		Rules: Rules{Turns: 20, Noise: 0.05}, Repetitions: 9, Seed: 4}).Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestBoxPlot(t *testing.T) {
	res := oddNames(t)
	svg, img := both(t, res.BoxPlot())
	for _, want := range []string{"A&lt;&amp;&gt;&#34;B&#39;", "1. " + res.Standings[0].Name, "mean score per turn per opponent", "9 repetition(s)"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the box plot does not contain %q", want)
		}
	}
	if n := strings.Count(svg, `fill-opacity="0.45"`); n != 4 {
		t.Errorf("%d boxes, want 4", n)
	}
	if c := rgb(img, 2, 2); c != "#ffffff" {
		t.Errorf("background %s", c)
	}
	// Some of Random's scores lie away from the others, or none do: either
	// way every score is a box, a whisker or a point; check the median
	// line of the best strategy in the PNG: black at its place.
	c := res.BoxPlot()
	var median *mark
	for i := range c.items {
		m := &c.items[i]
		if m.Kind == markLine && m.Stroke == "#000000" && m.Width == 2 {
			median = m
			break
		}
	}
	if median == nil {
		t.Fatal("no median line")
	}
	if got := rgb(img, median.Pts[0][0], (median.Pts[0][1]+median.Pts[1][1])/2); got != "#000000" {
		t.Errorf("median line pixel %s, want black", got)
	}
}

func TestBoxPlotWhiskers(t *testing.T) {
	// One strategy whose scores over 9 repetitions have an outlier.
	res := &Results{Repetitions: 9, Rules: Rules{Turns: 10}, Players: []*Strategy{MustLookup("TitForTat")}}
	s := Standing{Rank: 1, Name: "TitForTat", Scores: []float64{2, 2.1, 2.2, 2.3, 2.4, 2.5, 2.6, 2.7, 4.5}}
	s.Q1, s.Median, s.Q3, s.Min, s.Max = 2.2, 2.4, 2.6, 2, 4.5
	res.Standings = []Standing{s}
	c := res.BoxPlot()
	circles := 0
	for _, m := range c.items {
		if m.Kind == markCircle {
			circles++
		}
	}
	if circles != 1 {
		t.Errorf("%d points beyond the whiskers, want 1 (4.5 > 2.6 + 1.5·0.4)", circles)
	}
	both(t, c)
}

func TestHeatmap(t *testing.T) {
	res := oddNames(t)
	c := res.Heatmap()
	svg, img := both(t, c)
	if !strings.Contains(svg, "A&lt;&amp;&gt;&#34;B&#39;") || !strings.Contains(svg, "rotate(-90)") {
		t.Error("names missing or not escaped")
	}
	// Cells: n² rectangles coloured from the scale; the first cell, row
	// and column of the best strategy, has its value's colour, seen in
	// the PNG at its top-left corner (away from the value written in it).
	mean, _ := res.PayoffMatrix()
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, row := range mean {
		for _, v := range row {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	best := res.Standings[0].Player
	want := heatColour((mean[best][best] - lo) / (hi - lo))
	var first *mark
	for i := range c.items {
		if c.items[i].Kind == markPolygon && c.items[i].Fill == want {
			first = &c.items[i]
			break
		}
	}
	if first == nil {
		t.Fatalf("no cell of colour %s", want)
	}
	if got := rgb(img, first.Pts[0][0]+3, first.Pts[0][1]+3); got != want {
		t.Errorf("first cell %s in the PNG, want %s", got, want)
	}
	if strings.Count(svg, "<polygon") < 16 {
		t.Errorf("%d polygons, want at least 16 cells", strings.Count(svg, "<polygon"))
	}
	if heatColour(0) != "#440154" || heatColour(1) != "#fde725" || heatColour(math.NaN()) != "#440154" {
		t.Errorf("scale ends %s %s", heatColour(0), heatColour(1))
	}
}

func TestSharesChart(t *testing.T) {
	// Two strategies: the first holds everything, then half, then nothing.
	shares := [][]float64{{1, 0}, {0.5, 0.5}, {0, 1}}
	c := SharesChart("Shares <test>", "sub & title", "step", []string{"One", "Two"}, shares)
	svg, img := both(t, c)
	if !strings.Contains(svg, "Shares &lt;test&gt;") || !strings.Contains(svg, "sub &amp; title") {
		t.Error("title not escaped")
	}
	// The plot runs from x = 56 to 616 and y = 48 to 348: at step 0 the
	// first band fills the whole height, at the last the second does.
	if got := rgb(img, 60, 200); got != palette[0] {
		t.Errorf("left of the plot %s, want %s", got, palette[0])
	}
	if got := rgb(img, 612, 200); got != palette[1] {
		t.Errorf("right of the plot %s, want %s", got, palette[1])
	}
	// Long histories are thinned to at most 801 steps, the last kept.
	long := make([][]float64, 10001)
	for t := range long {
		long[t] = []float64{float64(t) / 10000, 1 - float64(t)/10000}
	}
	svg, _ = both(t, SharesChart("long", "", "step", []string{"A", "B"}, long))
	if !strings.Contains(svg, ">10000</text>") || len(svg) > 200_000 {
		t.Errorf("long history: %d bytes", len(svg))
	}
	m := Moran{Population: population([]string{"TitForTat", "Defector"}, []int{3, 3}), Rules: Rules{Turns: 10}, Seed: 2}
	mr, err := m.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	svg, _ = both(t, mr.Chart())
	if !strings.Contains(svg, "took over after") {
		t.Error("the Moran chart does not say who took over")
	}
}

func TestPlainText(t *testing.T) {
	if got := raster.ASCII("Zürich – 3×4 ☃"); got != "Zurich - 3x4 ?" {
		t.Errorf("got %q", got)
	}
}
