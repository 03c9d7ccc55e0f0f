package sweep

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// loadString loads a sweep file given as text, named "test.yaml", with its
// base resolved against testdata.
func loadString(t *testing.T, text string) (*Plan, error) {
	t.Helper()
	return Load("test.yaml", []byte(text), "testdata")
}

func mustLoad(t *testing.T, path string) *Plan {
	t.Helper()
	p, err := LoadFile(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return p
}

// runAll runs points [from, to) of p with the given workers and returns the
// output with header h.
func runRange(t *testing.T, p *Plan, f Format, h Header, workers int) []byte {
	t.Helper()
	var b bytes.Buffer
	w := NewWriter(&b, f, p)
	if err := w.WriteHeader(h); err != nil {
		t.Fatal(err)
	}
	if err := p.Run(context.Background(), RunOptions{From: h.From, To: h.To, Workers: workers}, w.WriteRow); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func readFile(path string) ([]byte, error) { return os.ReadFile(path) }
