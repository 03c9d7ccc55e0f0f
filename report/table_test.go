package report_test

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"

	"github.com/parleyhq/parley/report"
)

// TestTableText: columns padded to their widest cell counted in runes (the
// dash — is one column wide), right-aligned columns padded on the left, two
// spaces between columns, and no padding after a left-aligned last column.
func TestTableText(t *testing.T) {
	tb := &report.Table{
		Title:  "Title",
		Note:   "A note.",
		Header: []string{"name", "value", "note"},
		Right:  []bool{false, true, false},
		Rows: [][]string{
			{"a", "1", "x"},
			{"longer—name", "12.5", "y z"},
			{"b", "—", "last"},
		},
	}
	var b bytes.Buffer
	if err := tb.Text(&b); err != nil {
		t.Fatal(err)
	}
	want := "Title\n" +
		"A note.\n" +
		"name         value  note\n" +
		"a                1  x\n" +
		"longer—name   12.5  y z\n" +
		"b                —  last\n"
	if b.String() != want {
		t.Errorf("Text:\n%s\nwant:\n%s", b.String(), want)
	}
	// without title, note or right alignment
	tb = &report.Table{Header: []string{"k", "v"}, Rows: [][]string{{"long key", "1"}, {"k2", "22"}}}
	b.Reset()
	if err := tb.Text(&b); err != nil {
		t.Fatal(err)
	}
	want = "k         v\n" +
		"long key  1\n" +
		"k2        22\n"
	if b.String() != want {
		t.Errorf("Text:\n%q\nwant:\n%q", b.String(), want)
	}
}

// TestTableMarkdown: a '|' in a cell or a header is escaped, right-aligned
// columns get the ---: rule.
func TestTableMarkdown(t *testing.T) {
	tb := &report.Table{
		Title:  "Causes",
		Note:   "Shares.",
		Header: []string{"key|type", "share"},
		Right:  []bool{false, true},
		Rows:   [][]string{{"US|DPRK:hardliner", "12.0%"}, {"a || b", "1"}},
	}
	var b bytes.Buffer
	if err := tb.Markdown(&b); err != nil {
		t.Fatal(err)
	}
	want := "### Causes\n\n" +
		"Shares.\n\n" +
		"| key\\|type | share |\n" +
		"|---|---:|\n" +
		"| US\\|DPRK:hardliner | 12.0% |\n" +
		"| a \\|\\| b | 1 |\n\n"
	if b.String() != want {
		t.Errorf("Markdown:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestTableCSV: fields with a comma, a quote, a line break or a leading
// space are quoted (quotes doubled); the rest are not; a reader gets the
// cells back.
func TestTableCSV(t *testing.T) {
	tb := &report.Table{
		Title:  "ignored in CSV",
		Header: []string{"name", "value"},
		Rows: [][]string{
			{"plain", "0.42"},
			{"comma", "a,b"},
			{"quote", `say "hi"`},
			{"newline", "x\ny"},
			{"space", " lead"},
			{"empty", ""},
		},
	}
	var b bytes.Buffer
	if err := tb.CSV(&b); err != nil {
		t.Fatal(err)
	}
	want := "name,value\n" +
		"plain,0.42\n" +
		"comma,\"a,b\"\n" +
		"quote,\"say \"\"hi\"\"\"\n" +
		"newline,\"x\ny\"\n" +
		"space,\" lead\"\n" +
		"empty,\n"
	if b.String() != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", b.String(), want)
	}
	got, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, append([][]string{tb.Header}, tb.Rows...)) {
		t.Errorf("CSV read back as %q", got)
	}
}
