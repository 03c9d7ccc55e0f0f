package diag_test

import (
	"testing"

	"github.com/parleyhq/parley/diag"
)

func TestProblemString(t *testing.T) {
	for _, tc := range []struct {
		p    diag.Problem
		want string
	}{
		{diag.Problem{File: "a.yaml", Line: 3, Column: 7, Path: "actors[0].prior", Msg: "must be ≤ 1"}, "a.yaml:3:7: actors[0].prior: must be ≤ 1"},
		{diag.Problem{File: "a.yaml", Line: 3, Msg: "bad"}, "a.yaml:3: bad"},
		{diag.Problem{Path: "moves[2].cost", Msg: "negative"}, "moves[2].cost: negative"},
		{diag.Problem{Line: 4, Column: 1, Msg: "x"}, "4:1: x"},
		{diag.Problem{File: "f", Msg: "empty"}, "f: empty"},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.p, got, tc.want)
		}
	}
	e := &diag.Error{Problems: []diag.Problem{{Msg: "a"}, {Path: "p", Msg: "b"}}}
	if got := e.Error(); got != "a\np: b" {
		t.Errorf("Error() = %q", got)
	}
	if got := (&diag.Error{}).Error(); got != "no problems recorded" {
		t.Errorf("empty Error() = %q", got)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"kitten", "sitting", 3}, {"cosst", "cost", 1}, {"TitForTatt", "TitForTat", 1}, {"über", "uber", 1}, {"abc", "", 3}} {
		if got := diag.EditDistance(tc.a, tc.b); got != tc.d {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.d)
		}
	}
}

func TestUnixLines(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"a\nb\n", "a\nb\n"},
		{"a\r\nb\r\n", "a\nb\n"},
		{"a\rb\r\n\r\n", "a\rb\n\n"}, // a lone CR is left alone
		{"\r\n", "\n"},
	} {
		if got := string(diag.UnixLines([]byte(tc.in))); got != tc.want {
			t.Errorf("UnixLines(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	in := []byte("no breaks to change\n")
	if out := diag.UnixLines(in); &out[0] != &in[0] {
		t.Error("UnixLines copied data that had no CRLF")
	}
}
