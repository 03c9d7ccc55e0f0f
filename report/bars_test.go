package report_test

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/parleyhq/parley/report"
)

// barComparison is a hand-made comparison of two roadmaps and a baseline,
// with an actor A whose counterpart B has two types.
func barComparison() *report.Comparison {
	byType := func(e1, e2, l1, l2 float64) []report.TypeResult {
		return []report.TypeResult{
			{Counterpart: "B", Type: "soft", Share: 0.25, Exposure: report.Stat{Mean: e1, SD: 0.5}, Leverage: report.Stat{Mean: l1, SD: 1}},
			{Counterpart: "B", Type: "hard", Share: 0.75, Exposure: report.Stat{Mean: e2, SD: 0}, Leverage: report.Stat{Mean: l2, SD: 2}},
		}
	}
	return &report.Comparison{Scenario: "s", Runs: 400, Roadmaps: []report.RoadmapResult{
		{ID: "first", Causes: []report.Share{{Name: "B declines <x>", P: 0.4, Lo: 0.35, Hi: 0.45}, {Name: "A declines y", P: 0.1, Lo: 0.08, Hi: 0.13}},
			Actors: []report.ActorResult{{ID: "A", ByType: byType(0.2, 1.5, 3, 4)}, {ID: "B"}}},
		{ID: "quo", Baseline: true, Actors: []report.ActorResult{{ID: "A", ByType: byType(0, 0, 0, 0)}, {ID: "B"}}},
		{ID: "second", Actors: []report.ActorResult{{ID: "A", ByType: byType(0, 0.5, 2, 1)}, {ID: "B"}}},
	}}
}

func TestComparisonBarCharts(t *testing.T) {
	charts := barComparison().BarCharts()
	var titles []string
	for _, ch := range charts {
		titles = append(titles, ch.Title)
	}
	// "second" has no causes and the baseline none to show: one causes chart;
	// A has both metrics; B has no types to split by.
	want := []string{"first: why talks ended early", "A's exposure by the counterparts' true types", "A's leverage left by the counterparts' true types"}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Fatalf("charts %q, want %q", titles, want)
	}
	causes := charts[0]
	if len(causes.Series) != 1 || causes.Series[0].Colour != 0 || strings.Join(causes.Categories, "|") != "B declines <x>|A declines y" ||
		causes.Series[0].V[1] != 0.1 || causes.Series[0].Lo[0] != 0.35 || causes.Series[0].Hi[1] != 0.13 {
		t.Errorf("causes chart %+v", causes)
	}
	exp := charts[1]
	if strings.Join(exp.Categories, "|") != "B is soft|B is hard" || len(exp.Series) != 2 {
		t.Fatalf("exposure chart %+v", exp)
	}
	// the baseline is left out, and "second" keeps its roadmap's colour (2)
	if s := exp.Series[1]; s.Name != "second" || s.Colour != 2 || s.V[0] != 0 || s.V[1] != 0.5 {
		t.Errorf("second's exposure series %+v", s)
	}
	// 95% interval of the mean: 400 histories × 0.25 = 100 of type soft, sd 0.5
	s := exp.Series[0]
	if half := 1.96 * 0.5 / 10; math.Abs(s.Lo[0]-(0.2-half)) > 1e-15 || math.Abs(s.Hi[0]-(0.2+half)) > 1e-15 {
		t.Errorf("soft interval [%g, %g], want 0.2 ± %g", s.Lo[0], s.Hi[0], half)
	}
	if s.Lo[1] != 1.5 || s.Hi[1] != 1.5 {
		t.Errorf("an sd of 0 gives the interval [%g, %g], want [1.5, 1.5]", s.Lo[1], s.Hi[1])
	}

	// exact results have no sampling error: no whiskers
	c := barComparison()
	c.Exact = true
	if s := c.BarCharts()[1].Series[0]; !math.IsNaN(s.Lo[0]) || !math.IsNaN(s.Hi[0]) {
		t.Errorf("exact comparison has intervals %g, %g", s.Lo[0], s.Hi[0])
	}
	// nothing but zeros: no chart
	c = barComparison()
	for i := range c.Roadmaps {
		c.Roadmaps[i].Causes = nil
		for j := range c.Roadmaps[i].Actors[0].ByType {
			c.Roadmaps[i].Actors[0].ByType[j].Leverage = report.Stat{}
		}
	}
	if got := c.BarCharts(); len(got) != 1 || got[0].Title != "A's exposure by the counterparts' true types" {
		t.Errorf("with zero leverage and no causes the charts are %v", got)
	}
}

// TestBarSVG checks the drawing: well-formed, escaped, one bar per value with
// its length proportional to the value, whiskers where there are intervals.
func TestBarSVG(t *testing.T) {
	ch := &report.BarChart{Title: "a <b> & c", ValueLabel: "share", Categories: []string{"x & y", "z"},
		Series: []report.BarSeries{
			{Name: "r<1>", V: []float64{0.4, 0.1}, Lo: []float64{0.3, math.NaN()}, Hi: []float64{0.5, math.NaN()}},
			{Name: "r2", V: []float64{0.2, math.NaN()}, Colour: 3},
		}}
	var b bytes.Buffer
	if err := ch.SVG(&b); err != nil {
		t.Fatal(err)
	}
	doc := parseSVG(t, b.Bytes())
	for _, want := range []string{"a <b> & c", "x & y", "z", "r<1>", "r2", "share"} {
		found := false
		for _, tx := range doc.texts {
			found = found || tx == want
		}
		if !found {
			t.Errorf("text %q missing from %q", want, doc.texts)
		}
	}
	var widths []float64
	var fills []string
	for _, a := range doc.attrs {
		if a["height"] == "8" { // the bars (legend keys are 9 high)
			w, err := strconv.ParseFloat(a["width"], 64)
			if err != nil {
				t.Fatal(err)
			}
			widths = append(widths, w)
			fills = append(fills, a["fill"])
		}
	}
	// three values (the NaN is skipped); axis 0 to 0.5
	if len(widths) != 3 {
		t.Fatalf("%d bars, want 3", len(widths))
	}
	if r := widths[0] / widths[1]; math.Abs(r-2) > 0.02 {
		t.Errorf("bar of 0.4 is %g times the bar of 0.2, want 2", r)
	}
	if r := widths[0] / widths[2]; math.Abs(r-4) > 0.05 {
		t.Errorf("bar of 0.4 is %g times the bar of 0.1, want 4", r)
	}
	if fills[1] == fills[0] || fills[0] != fills[2] {
		t.Errorf("fills %q: each series one colour, Colour chooses it", fills)
	}
	if n := doc.elements["line"] - 5; n != 1 { // five grid lines, then whiskers
		t.Errorf("%d whiskers, want 1", n)
	}
}
