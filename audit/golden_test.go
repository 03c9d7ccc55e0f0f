package audit_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleyhq/parley/audit"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./audit -update to create it)", err)
	}
	same := bytes.Equal(got, want)
	if !same && strings.HasSuffix(name, ".json.golden") {
		// floating point may differ in the last bits across architectures
		// (fused multiply-add): compare the JSON values within 1e-9
		var g, w any
		same = json.Unmarshal(got, &g) == nil && json.Unmarshal(want, &w) == nil && jsonNear(g, w)
	}
	if !same {
		t.Errorf("%s differs from the output; run go test ./audit -update and review the diff.\ngot:\n%s", path, got)
	}
}

func TestGolden(t *testing.T) {
	r := compile(t, peaceFirst())
	for _, tc := range []struct {
		file  string
		opt   audit.Options
		write func(*audit.Report, *bytes.Buffer) error
	}{
		{"peace-first.txt.golden", audit.Options{}, func(r *audit.Report, b *bytes.Buffer) error { return r.WriteText(b) }},
		{"peace-first-all.txt.golden", audit.Options{AllProfiles: true}, func(r *audit.Report, b *bytes.Buffer) error { return r.WriteText(b) }},
		{"peace-first-opp-hard.md.golden", audit.Options{Profile: []int{1, 2}}, func(r *audit.Report, b *bytes.Buffer) error { return r.WriteMarkdown(b) }},
		{"peace-first.json.golden", audit.Options{}, func(r *audit.Report, b *bytes.Buffer) error { return r.WriteJSON(b) }},
	} {
		t.Run(tc.file, func(t *testing.T) {
			rep, err := audit.Audit(r, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := tc.write(rep, &b); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.file, b.Bytes())
			// deterministic: a second audit writes the same bytes
			rep2, _ := audit.Audit(r, tc.opt)
			var b2 bytes.Buffer
			if err := tc.write(rep2, &b2); err != nil || !bytes.Equal(b.Bytes(), b2.Bytes()) {
				t.Errorf("second run differs (%v)", err)
			}
		})
	}
}

func jsonNear(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && math.Abs(x-y) <= 1e-9*max(1, math.Abs(y))
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonNear(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !jsonNear(v, w) {
				return false
			}
		}
		return true
	}
	return a == b
}

// errWriter fails after n bytes.
type errWriter struct{ n int }

func (w *errWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, os.ErrClosed
	}
	w.n -= len(p)
	return len(p), nil
}

func TestWriteErrors(t *testing.T) {
	rep, err := audit.Audit(compile(t, peaceFirst()), audit.Options{AllProfiles: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 100, 5000} {
		if rep.WriteText(&errWriter{n}) == nil || rep.WriteMarkdown(&errWriter{n}) == nil || rep.WriteJSON(&errWriter{n}) == nil {
			t.Errorf("a writer failing after %d bytes: no error", n)
		}
	}
}
