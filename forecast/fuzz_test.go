package forecast

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRead checks that no input makes a reader panic, and that whatever a
// reader accepts passes Validate and whatever it refuses comes as located
// problems.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.*")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil && len(data) < 4000 {
			f.Add(filepath.Base(p), data)
		}
	}
	f.Add("a.yaml", []byte("actors:\n  - {name: A, capability: 1, position: 1, salience: 0.5}\n"))
	f.Add("a.xml", []byte("<Scenario><Actors><Actor/></Actors></Scenario>"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		for _, format := range append([]Format{""}, Formats...) {
			in, err := Read(name, data, format)
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || len(e.Problems) == 0 {
					t.Fatalf("%s: error %v is not a list of problems", format, err)
				}
				continue
			}
			if err := Validate(in); err != nil {
				t.Fatalf("%s: accepted input fails Validate: %v", format, err)
			}
		}
	})
}
