// Package report turns results into what people read: narrated traces, tables in text, Markdown, CSV and JSON, SVG charts and HTML reports.
package report
