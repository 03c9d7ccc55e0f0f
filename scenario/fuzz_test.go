package scenario

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad feeds Load arbitrary bytes. It must return either a scenario that
// validates or an *Error whose problems all name the file and say something,
// and it must never panic (not even into its own recover, which would show
// as an internal error).
func FuzzLoad(f *testing.F) {
	for _, dir := range []string{"good", "bad"} {
		names, _ := filepath.Glob(filepath.Join("testdata", dir, "*.yaml"))
		for _, n := range names {
			f.Add(readFile(f, n))
		}
	}
	for _, name := range BuiltinNames() {
		src, _ := BuiltinSource(name)
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Load("fuzz.yaml", data)
		if err == nil {
			if s == nil {
				t.Fatal("Load returned neither a scenario nor an error")
			}
			if verr := Validate(s); verr != nil {
				t.Fatalf("Load accepted a scenario that Validate rejects:\n%v", verr)
			}
			return
		}
		if s != nil {
			t.Fatal("Load returned a scenario with its error")
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("Load error is %T, want *Error: %v", err, err)
		}
		if len(e.Problems) == 0 {
			t.Fatal("Load returned an *Error without problems")
		}
		for _, p := range e.Problems {
			if strings.Contains(p.Msg, internalErrorMsg) {
				t.Fatalf("Load panicked: %s", p.Msg)
			}
			if p.File != "fuzz.yaml" || p.Msg == "" || p.Line < 0 || p.Column < 0 {
				t.Fatalf("malformed problem %#v", p)
			}
		}
	})
}
