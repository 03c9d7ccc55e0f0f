package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parleyhq/parley/scenario"
)

func TestScenarioArgDefaultsToKorea(t *testing.T) {
	if !slices.Contains(scenario.BuiltinNames(), defaultScenario) {
		t.Skipf("built-in %s not there yet", defaultScenario)
	}
	ls, err := loadScenarioArgs(&Env{Dir: t.TempDir()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ls.Builtin != defaultScenario || ls.Source != "builtin:"+defaultScenario || ls.Scenario == nil {
		t.Errorf("got %+v, want the built-in %s", ls, defaultScenario)
	}
}

func TestScenarioArgFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{"good.yaml": goodScenario})
	ls, err := loadScenarioArgs(&Env{Dir: dir}, []string{"good.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	if ls.Source != "good.yaml" || ls.Builtin != "" || len(ls.Scenario.Actors) != 2 {
		t.Errorf("got source %q builtin %q, want the file good.yaml", ls.Source, ls.Builtin)
	}
}

func TestScenarioArgFileBeatsBuiltinPrefix(t *testing.T) {
	// An existing file wins even if its name looks like builtin:NAME.
	dir := writeFiles(t, map[string]string{"builtin:atlantis": goodScenario})
	ls, err := resolveScenario(&Env{Dir: dir}, "builtin:atlantis")
	if err != nil {
		t.Fatal(err)
	}
	if ls.Builtin != "" {
		t.Errorf("resolved to the built-in %q, want the file", ls.Builtin)
	}
}

func TestScenarioArgBuiltin(t *testing.T) {
	for _, name := range scenario.BuiltinNames() {
		ls, err := resolveScenario(&Env{Dir: t.TempDir()}, "builtin:"+name)
		if err != nil {
			t.Errorf("builtin:%s: %v", name, err)
			continue
		}
		if ls.Builtin != name || ls.Scenario == nil {
			t.Errorf("builtin:%s resolved to %+v", name, ls)
		}
	}
}

func TestScenarioArgErrors(t *testing.T) {
	dir := writeFiles(t, map[string]string{"bad.yaml": badScenario})
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string // in the message
	}{
		{[]string{"missing.yaml"}, "no file missing.yaml"},
		{[]string{"builtin:atlantis"}, `no built-in scenario "atlantis"`},
		{[]string{"bad.yaml"}, "bad.yaml is not a valid scenario"},
		{[]string{"sub"}, "sub is a directory"},
		{[]string{"a.yaml", "b.yaml"}, "at most one scenario"},
		{[]string{""}, "empty scenario argument"},
	}
	for _, tt := range tests {
		_, err := loadScenarioArgs(&Env{Dir: dir}, tt.args)
		if err == nil {
			t.Errorf("%q: no error", tt.args)
			continue
		}
		if code := exitCodeOf(err); code != ExitUsage {
			t.Errorf("%q: exit code %d, want %d", tt.args, code, ExitUsage)
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %q does not contain %q", tt.args, err, tt.want)
		}
	}
}

func TestScenarioArgSuggestsBuiltinPrefix(t *testing.T) {
	names := scenario.BuiltinNames()
	if len(names) == 0 {
		t.Skip("no built-in scenarios yet")
	}
	_, err := resolveScenario(&Env{Dir: t.TempDir()}, names[0])
	if err == nil || !strings.Contains(err.Error(), "builtin:"+names[0]) {
		t.Errorf("error %v, want a hint to write builtin:%s", err, names[0])
	}
}
