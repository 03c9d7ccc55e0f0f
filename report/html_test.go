package report_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/parleyhq/parley/report"
)

// htmlTable is a table read back from the report: its header cells, its rows
// and the class of every body cell.
type htmlTable struct {
	header  []string
	rows    [][]string
	classes [][]string
}

// htmlDoc is what the report's markup holds, read with encoding/xml in its
// lenient HTML mode (void elements closed automatically, HTML entities).
type htmlDoc struct {
	title    string
	h2       []string
	pre      []string
	tables   []htmlTable
	elements map[string]int
}

// parseHTML reads the whole document and checks that every element is
// closed, in order, by its own end tag (or is void, like <meta>).
func parseHTML(t *testing.T, data []byte) htmlDoc {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	doc := htmlDoc{elements: map[string]int{}}
	var stack []string
	var text *strings.Builder
	var tb *htmlTable
	var cellClass string
	inHead := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("cannot read the HTML: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(x.Name.Local)
			stack = append(stack, name)
			doc.elements[name]++
			switch name {
			case "title", "h2", "pre", "th", "td":
				text = &strings.Builder{}
				cellClass = ""
				for _, a := range x.Attr {
					if a.Name.Local == "class" {
						cellClass = a.Value
					}
				}
			case "table":
				doc.tables = append(doc.tables, htmlTable{})
				tb = &doc.tables[len(doc.tables)-1]
			case "tr":
				if inHead = len(stack) >= 2 && stack[len(stack)-2] == "thead"; !inHead {
					tb.rows = append(tb.rows, nil)
					tb.classes = append(tb.classes, nil)
				}
			}
		case xml.CharData:
			if text != nil {
				text.Write(x)
			}
		case xml.EndElement:
			name := strings.ToLower(x.Name.Local)
			if len(stack) == 0 || stack[len(stack)-1] != name {
				t.Fatalf("</%s> closes %v", name, stack)
			}
			stack = stack[:len(stack)-1]
			if text == nil {
				continue
			}
			s := text.String()
			switch name {
			case "title":
				if len(stack) > 0 && stack[len(stack)-1] == "head" {
					doc.title = s
				}
			case "h2":
				doc.h2 = append(doc.h2, s)
			case "pre":
				doc.pre = append(doc.pre, s)
			case "th":
				tb.header = append(tb.header, s)
			case "td":
				tb.rows[len(tb.rows)-1] = append(tb.rows[len(tb.rows)-1], s)
				tb.classes[len(tb.classes)-1] = append(tb.classes[len(tb.classes)-1], cellClass)
			}
			text = nil
		}
	}
	if len(stack) != 0 {
		t.Fatalf("unclosed elements %v", stack)
	}
	return doc
}

// TestWriteHTML: the report holds every table, cell for cell, and every
// chart's SVG as it is; text from the scenario and the sections is escaped;
// the markup nests properly.
func TestWriteHTML(t *testing.T) {
	c := tinyComparison(t)
	c.Title = `moves <b>each</b> & "more"`
	c.Roadmaps[0].ID = "r<1>" // a name with markup, in tables and chart legends
	sections := []report.HTMLSection{
		{Title: "Audit <1>", Text: "line 1\n<script>alert('x')</script> & more\n"},
		{Title: "Notes", Text: "plain"},
	}
	var b bytes.Buffer
	if err := c.WriteHTML(&b, "v0.9.1", sections); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "<!doctype html>") || !strings.HasSuffix(out, "</html>\n") {
		t.Errorf("document does not start with a doctype or end with </html>")
	}
	for _, bad := range []string{"<b>each", "<script>", "r<1>", "Audit <1>"} {
		if strings.Contains(out, bad) {
			t.Errorf("unescaped %q in the HTML", bad)
		}
	}
	doc := parseHTML(t, b.Bytes())
	if want := "parley — Scenario test: " + c.Title; doc.title != want {
		t.Errorf("title %q, want %q", doc.title, want)
	}
	tables := c.Tables()
	charts := c.Charts()
	bars := c.BarCharts()
	if len(bars) == 0 {
		t.Fatal("the tiny comparison has no bar charts to look for")
	}
	if doc.elements["table"] != len(tables) || doc.elements["svg"] != len(charts)+len(bars) || doc.elements["pre"] != len(sections) {
		t.Errorf("%d tables, %d charts, %d sections; want %d, %d, %d",
			doc.elements["table"], doc.elements["svg"], doc.elements["pre"], len(tables), len(charts)+len(bars), len(sections))
	}
	var h2 []string
	for _, tb := range tables {
		h2 = append(h2, tb.Title)
	}
	h2 = append(h2, "Charts", "Audit <1>", "Notes")
	if !reflect.DeepEqual(doc.h2, h2) {
		t.Errorf("headings %q, want %q", doc.h2, h2)
	}
	for i, tb := range tables {
		if i >= len(doc.tables) {
			break
		}
		got := doc.tables[i]
		if !reflect.DeepEqual(got.header, tb.Header) || !reflect.DeepEqual(got.rows, tb.Rows) {
			t.Errorf("table %s reads back as %q %q, want %q %q", tb.Title, got.header, got.rows, tb.Header, tb.Rows)
		}
		// the columns a text table right-aligns are right-aligned here too
		for r, row := range got.classes {
			for k, class := range row {
				right := k < len(tb.Right) && tb.Right[k]
				if right != (class == "r") {
					t.Errorf("table %s row %d column %d: class %q, right-aligned %v", tb.Title, r, k, class, right)
				}
			}
		}
	}
	if doc.tables[0].rows[0][0] != "r<1>" {
		t.Errorf("roadmap name reads back as %q", doc.tables[0].rows[0][0])
	}
	for _, ch := range charts {
		var s bytes.Buffer
		if err := ch.SVG(&s); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, s.String()) {
			t.Errorf("chart %q is not in the report", ch.Title)
		}
	}
	for _, ch := range bars {
		var s bytes.Buffer
		if err := ch.SVG(&s); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, s.String()) {
			t.Errorf("bar chart %q is not in the report", ch.Title)
		}
	}
	if len(doc.pre) != 2 || doc.pre[0] != sections[0].Text || doc.pre[1] != "plain" {
		t.Errorf("sections read back as %q", doc.pre)
	}
	if !strings.Contains(out, "parley v0.9.1") {
		t.Errorf("no version in the report")
	}
}
