package sweep

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the sweep file reader: it must return a
// plan or an *Error, never panic.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	more, _ := filepath.Glob("../internal/cli/testdata/sweep/*.yaml")
	for _, name := range append(files, more...) {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("base: builtin:tiny\nparameters: [{path: a, values: [1]}]\nrecord: {metrics: [completed]}\n"))
	f.Add([]byte("parameters:\n  - ? x\n    : y\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Load("fuzz.yaml", data, "testdata")
		var se *Error
		if err != nil && !errors.As(err, &se) {
			t.Fatalf("error of type %T: %v", err, err)
		}
		if err == nil && p.Len() < 1 {
			t.Fatalf("a plan of %d points", p.Len())
		}
	})
}
