package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Table is a titled grid of cells, rendered as aligned text, Markdown or CSV.
type Table struct {
	Title  string
	Note   string
	Header []string
	Rows   [][]string
	// Right marks the columns to right-align in text.
	Right []bool
}

// Text writes the table with aligned columns.
func (t *Table) Text(w io.Writer) error {
	width := make([]int, len(t.Header))
	for i, h := range t.Header {
		width[i] = utf8.RuneCountInString(h)
	}
	for _, r := range t.Rows {
		for i, c := range r {
			if i < len(width) {
				width[i] = max(width[i], utf8.RuneCountInString(c))
			}
		}
	}
	var b strings.Builder
	if t.Title != "" {
		b.WriteString(t.Title + "\n")
	}
	if t.Note != "" {
		b.WriteString(t.Note + "\n")
	}
	line := func(cells []string) {
		for i, c := range cells {
			if i >= len(width) {
				break // a row longer than the header: the extra cells have no column
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if i < len(t.Right) && t.Right[i] {
				b.WriteString(pad + c)
			} else if i == len(cells)-1 {
				b.WriteString(c)
			} else {
				b.WriteString(c + pad)
			}
		}
		b.WriteString("\n")
	}
	line(t.Header)
	for _, r := range t.Rows {
		line(r)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Markdown writes the table as a GitHub-flavoured Markdown table.
func (t *Table) Markdown(w io.Writer) error {
	var b strings.Builder
	if t.Title != "" {
		b.WriteString("### " + t.Title + "\n\n")
	}
	if t.Note != "" {
		b.WriteString(t.Note + "\n\n")
	}
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	b.WriteString("|")
	for _, h := range t.Header {
		b.WriteString(" " + esc(h) + " |")
	}
	b.WriteString("\n|")
	for i := range t.Header {
		if i < len(t.Right) && t.Right[i] {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		b.WriteString("|")
		for _, c := range r {
			b.WriteString(" " + esc(c) + " |")
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// CSV writes the header and rows as CSV.
func (t *Table) CSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	if err := cw.WriteAll(t.Rows); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// pct prints a share to one decimal, saying "<0.1%" for a share too small to show but not zero.
func pct(p float64) string {
	if p > 0 && p < 0.0005 {
		return "<0.1%"
	}
	return fmt.Sprintf("%.1f%%", 100*p)
}

func pctCI(s Share) string {
	return fmt.Sprintf("%.1f%% [%.1f–%.1f]", 100*s.P, 100*s.Lo, 100*s.Hi)
}

// num prints a number to three decimals, without a minus sign on a zero.
func num(x float64) string {
	if x > -0.0005 && x < 0.0005 {
		x = 0
	}
	return fmt.Sprintf("%.3f", x)
}
