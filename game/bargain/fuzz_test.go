package bargain

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoadYAML checks that no input makes the YAML reader panic, and that
// whatever it accepts is a valid space that can be analysed.
func FuzzLoadYAML(f *testing.F) {
	for _, c := range geniusCases {
		data, err := os.ReadFile(filepath.Join("testdata", "yaml", c.name+".yaml"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("issues: [{name: x, range: [0, 1]}]\nparties: [{name: a, weights: {x: 1}, scores: {x: {min: 0, max: 1}}}, {name: b, weights: {x: 1}, scores: {x: {min: 1, max: 0}}}]\n"))
	f.Add([]byte("issues: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := LoadYAML("fuzz.yaml", data)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("accepted an invalid space: %v", err)
		}
		if _, err := Analyse(s, Options{MaxOutcomes: 100000}); err != nil && !strings.Contains(err.Error(), "enumerates at most") {
			t.Fatalf("cannot analyse an accepted space: %v", err)
		}
	})
}

// FuzzReadGenius checks that no profile makes the XML reader panic.
func FuzzReadGenius(f *testing.F) {
	dir := filepath.Join("testdata", "genius", "Laptop")
	domain, err := os.ReadFile(filepath.Join(dir, "Laptop-C-domain.xml"))
	if err != nil {
		f.Fatal(err)
	}
	p2, _ := os.ReadFile(filepath.Join(dir, "Laptop-C-prof2.xml"))
	p1, _ := os.ReadFile(filepath.Join(dir, "Laptop-C-prof1.xml"))
	f.Add(p1)
	f.Add([]byte("<utility_space><objective/></utility_space>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ReadGenius(Source{"d.xml", domain}, [2]Source{{"p1.xml", data}, {"p2.xml", p2}})
		if err != nil {
			return
		}
		if _, err := Analyse(s, Options{}); err != nil {
			t.Fatalf("cannot analyse an accepted space: %v", err)
		}
	})
}
