package report_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/parleyhq/parley/report"
)

// svgDoc is what a strict XML decoder finds in a chart.
type svgDoc struct {
	root      xml.StartElement
	title     string
	texts     []string            // the content of every <text>
	polylines [][][2]float64      // the points of every <polyline>
	polygons  int                 // bands
	elements  map[string]int      // count by element name
	attrs     []map[string]string // attributes of every element, in order
}

// parseSVG reads the chart to its end with encoding/xml in strict mode,
// failing the test on any syntax error or unbalanced element.
func parseSVG(t *testing.T, data []byte) svgDoc {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	doc := svgDoc{elements: map[string]int{}}
	var stack []string
	var text *strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, data)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 {
				if doc.root.Name.Local != "" {
					t.Fatalf("two root elements")
				}
				doc.root = x.Copy()
			}
			stack = append(stack, x.Name.Local)
			doc.elements[x.Name.Local]++
			a := map[string]string{}
			for _, at := range x.Attr {
				a[at.Name.Local] = at.Value
			}
			doc.attrs = append(doc.attrs, a)
			switch x.Name.Local {
			case "title", "text":
				text = &strings.Builder{}
			case "polyline":
				var pts [][2]float64
				for _, p := range strings.Fields(a["points"]) {
					xy := strings.Split(p, ",")
					if len(xy) != 2 {
						t.Fatalf("bad point %q", p)
					}
					px, err1 := strconv.ParseFloat(xy[0], 64)
					py, err2 := strconv.ParseFloat(xy[1], 64)
					if err1 != nil || err2 != nil {
						t.Fatalf("bad point %q", p)
					}
					pts = append(pts, [2]float64{px, py})
				}
				doc.polylines = append(doc.polylines, pts)
			case "polygon":
				doc.polygons++
			}
		case xml.CharData:
			if text != nil {
				text.Write(x)
			}
		case xml.EndElement:
			switch x.Name.Local {
			case "title":
				doc.title = text.String()
				text = nil
			case "text":
				doc.texts = append(doc.texts, text.String())
				text = nil
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed elements %v", stack)
	}
	if doc.root.Name.Local != "svg" || doc.root.Name.Space != "http://www.w3.org/2000/svg" {
		t.Fatalf("root element %v", doc.root.Name)
	}
	return doc
}

func svgOf(t *testing.T, c *report.LineChart) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := c.SVG(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSVGWellFormedAndEscaped: titles, labels and line names with markup
// characters are escaped, and the chart is well-formed XML whose text reads
// back as given.
func TestSVGWellFormedAndEscaped(t *testing.T) {
	title := `P(<peace> & "quiet" by 'round')`
	c := &report.LineChart{
		Title: title, XLabel: "round <t>", YLabel: "share & more", X0: 1, YMax: 1,
		Lines: []report.Line{
			{Name: "A&B <first>", Y: []float64{0.1, 0.4, 0.6, 0.7}},
			{Name: "band", Y: []float64{0.5, 0.5, 0.5, 0.5}, Lo: []float64{0.4, 0.3, -0.2, 0.45}, Hi: []float64{0.6, 0.7, 1.3, 0.55}},
			{Name: "gap", Y: []float64{0.2, math.NaN(), 0.3, 0.3}},
		},
	}
	data := svgOf(t, c)
	if bytes.Contains(data, []byte("<peace>")) || !bytes.Contains(data, []byte("&lt;peace&gt; &amp; ")) {
		t.Errorf("title not escaped:\n%s", data)
	}
	doc := parseSVG(t, data)
	if doc.title != title {
		t.Errorf("title reads back as %q", doc.title)
	}
	for _, want := range []string{title, "round <t>", "share & more", "A&B <first>", "band", "gap"} {
		found := false
		for _, s := range doc.texts {
			found = found || s == want
		}
		if !found {
			t.Errorf("no text %q in %q", want, doc.texts)
		}
	}
	if len(doc.polylines) != 3 || doc.polygons != 1 {
		t.Errorf("%d lines and %d bands, want 3 and 1", len(doc.polylines), doc.polygons)
	}
	for _, a := range doc.attrs {
		for k, v := range a {
			if strings.Contains(v, "NaN") || strings.Contains(v, "Inf") {
				t.Errorf("attribute %s=%q", k, v)
			}
		}
	}
}

// TestSVGGeometry: the plot area is x ∈ [56, 490], y ∈ [28, 280] (y up); a
// value v is drawn at y = 28 + 252·(1 − (v − min)/(max − min)), the points
// are spread evenly from the left edge to the right one, and the x ticks
// count from X0.
func TestSVGGeometry(t *testing.T) {
	c := &report.LineChart{Title: "t", X0: 1, YMax: 1, Lines: []report.Line{
		{Name: "up", Y: []float64{0, 0.5, 1}},
		{Name: "nan", Y: []float64{math.NaN(), 0.25, 0.75}},
	}}
	doc := parseSVG(t, svgOf(t, c))
	want := [][][2]float64{
		{{56, 280}, {273, 154}, {490, 28}},
		{{56, 280}, {273, 217}, {490, 91}}, // NaN drawn at the minimum
	}
	for i, pts := range doc.polylines {
		if len(pts) != len(want[i]) {
			t.Fatalf("line %d: %v, want %v", i, pts, want[i])
		}
		for j := range pts {
			if math.Abs(pts[j][0]-want[i][j][0]) > 0.05 || math.Abs(pts[j][1]-want[i][j][1]) > 0.05 {
				t.Errorf("line %d: %v, want %v", i, pts, want[i])
				break
			}
		}
	}
	// y ticks 0, 0.25, …, 1 and x ticks 1, 2, 3
	for _, s := range []string{"0", "0.25", "0.5", "0.75", "1", "2", "3"} {
		found := false
		for _, x := range doc.texts {
			found = found || x == s
		}
		if !found {
			t.Errorf("no tick %q in %q", s, doc.texts)
		}
	}
	// a chart of nothing is still a well-formed, empty frame
	doc = parseSVG(t, svgOf(t, &report.LineChart{Title: "empty"}))
	if len(doc.polylines) != 0 || doc.elements["rect"] != 1 {
		t.Errorf("empty chart: %v", doc.elements)
	}
}

// TestComparisonCharts: one chart per milestone (roadmaps that hold it), one
// per trust relation and one per actor's insecurity that moves (the tiny
// scenario has no security move and no threat response, so its insecurity
// charts are left out), every one well-formed; trust carries a band of ±1 sd.
func TestComparisonCharts(t *testing.T) {
	c := tinyComparison(t)
	charts := c.Charts()
	var titles []string
	for _, ch := range charts {
		titles = append(titles, ch.Title)
	}
	want := []string{"P(a1 reached by round)", "P(b1 reached by round)", "P(all reached by round)",
		"A's trust in B", "B's trust in A"}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Fatalf("charts %q, want %q", titles, want)
	}
	// the status quo does not hold the milestones: one line each
	for _, ch := range charts[:3] {
		if len(ch.Lines) != 1 || ch.Lines[0].Name != "r" || ch.X0 != 1 || len(ch.Lines[0].Y) != 6 {
			t.Errorf("%s: %+v", ch.Title, ch.Lines)
		}
	}
	checkCurve(t, "chart of all", charts[2].Lines[0].Y, 0, 0.42, 0.42, 0.42, 0.42, 0.42)
	// A's trust in B in roadmap r: 0.7 ± √0.21 after round 1
	tr := charts[3]
	if len(tr.Lines) != 2 || tr.X0 != 0 {
		t.Fatalf("trust chart %+v", tr)
	}
	s := math.Sqrt(0.21)
	checkCurve(t, "trust band lo", tr.Lines[0].Lo, 0.7, 0.7-s, 0.7-s, 0.7-s, 0.7-s, 0.7-s, 0.7-s)
	checkCurve(t, "trust band hi", tr.Lines[0].Hi, 0.7, 0.7+s, 0.7+s, 0.7+s, 0.7+s, 0.7+s, 0.7+s)
	checkCurve(t, "status quo trust band", tr.Lines[1].Hi, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7)
	for _, ch := range charts {
		doc := parseSVG(t, svgOf(t, ch))
		if len(doc.polylines) != len(ch.Lines) {
			t.Errorf("%s: %d polylines for %d lines", ch.Title, len(doc.polylines), len(ch.Lines))
		}
	}
}
