package scenario

import (
	"slices"
	"strings"
	"testing"
)

func TestBuiltinsLoad(t *testing.T) {
	names := BuiltinNames()
	if !slices.Contains(names, "tiny") {
		t.Errorf("BuiltinNames() = %v, want it to include tiny", names)
	}
	if !slices.IsSorted(names) {
		t.Errorf("BuiltinNames() = %v, not sorted", names)
	}
	for _, name := range names {
		s, err := Builtin(name)
		if err != nil {
			t.Errorf("built-in %s does not load:\n%v", name, err)
			continue
		}
		if err := Validate(s); err != nil {
			t.Errorf("built-in %s does not validate:\n%v", name, err)
		}
		if s.Name != name {
			t.Errorf("built-in %s is named %q inside; the file name and the name key should agree", name, s.Name)
		}
	}
}

func TestBuiltinTiny(t *testing.T) {
	s, err := Builtin("tiny")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Actors) != 2 || len(s.Moves) != 2 || len(s.Roadmaps) != 2 {
		t.Fatalf("tiny has %d actors, %d moves, %d roadmaps; want 2, 2, 2", len(s.Actors), len(s.Moves), len(s.Roadmaps))
	}
	if r := s.Roadmaps[0]; r.ID != "peace-first" || len(r.Phases) != 2 {
		t.Errorf("first roadmap %s with %d phases; want peace-first with 2", r.ID, len(r.Phases))
	}
	if r := s.Roadmaps[1]; !r.Baseline || len(r.Phases) != 0 {
		t.Errorf("second roadmap %+v; want a baseline", r)
	}
	// Each call gives a fresh copy.
	s.Name = "changed"
	again, _ := Builtin("tiny")
	if again.Name != "tiny" {
		t.Errorf("Builtin returned a shared scenario")
	}
}

func TestBuiltinUnknown(t *testing.T) {
	for _, name := range []string{"nope", "", "../load", "builtin/tiny", "tiny.yaml"} {
		_, err := Builtin(name)
		if err == nil {
			t.Errorf("Builtin(%q): no error", name)
			continue
		}
		want := "unknown built-in scenario " + `"` + name + `"` + "; the built-in scenarios are: " + strings.Join(BuiltinNames(), ", ")
		if err.Error() != want {
			t.Errorf("Builtin(%q) error = %q, want %q", name, err, want)
		}
		if _, ok := BuiltinSource(name); ok {
			t.Errorf("BuiltinSource(%q) found something", name)
		}
	}
}

func TestBuiltinSource(t *testing.T) {
	src, ok := BuiltinSource("tiny")
	if !ok || !strings.Contains(string(src), "name: tiny") {
		t.Fatalf("BuiltinSource(tiny) = %q, %v", src, ok)
	}
	src[0] = '!'
	again, _ := BuiltinSource("tiny")
	if again[0] == '!' {
		t.Errorf("BuiltinSource returned the embedded bytes, not a copy")
	}
}
