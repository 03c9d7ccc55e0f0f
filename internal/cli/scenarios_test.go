package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleyhq/parley/scenario"
)

func TestScenariosListsBuiltins(t *testing.T) {
	code, stdout, stderr := runCLI(t, "scenarios")
	if code != ExitOK {
		t.Fatalf("exit code = %d, want 0 (stderr %q)", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if !strings.HasPrefix(lines[0], "NAME") {
		t.Errorf("first line = %q, want a header", lines[0])
	}
	names := scenario.BuiltinNames()
	if len(lines) != 1+len(names) {
		t.Fatalf("got %d lines, want a header and %d built-ins", len(lines), len(names))
	}
	for i, name := range names {
		if f := strings.Fields(lines[1+i]); len(f) == 0 || f[0] != name {
			t.Errorf("line %d = %q, want it to start with %s", 2+i, lines[1+i], name)
		}
	}
}

func TestScenariosShowPrintsSource(t *testing.T) {
	for _, name := range scenario.BuiltinNames() {
		src, ok := scenario.BuiltinSource(name)
		if !ok {
			t.Fatalf("BuiltinSource(%q) not found, though listed", name)
		}
		code, stdout, _ := runCLI(t, "scenarios", "show", name)
		if code != ExitOK || strings.TrimSuffix(stdout, "\n") != strings.TrimSuffix(string(src), "\n") {
			t.Errorf("scenarios show %s: exit %d, output differs from the built-in source", name, code)
		}
	}
}

func TestScenariosShowRoundTrips(t *testing.T) {
	// What show prints must be a valid scenario file.
	for _, name := range scenario.BuiltinNames() {
		_, stdout, _ := runCLI(t, "scenarios", "show", name)
		dir := writeFiles(t, map[string]string{"copy.yaml": stdout})
		if r := runIn(t, dir, "validate", "copy.yaml"); r.code != ExitOK {
			t.Errorf("the output of scenarios show %s does not validate (exit %d)", name, r.code)
		}
	}
}

func TestScenariosShowUnknown(t *testing.T) {
	code, stdout, stderr := runCLI(t, "scenarios", "show", "atlantis")
	if code != ExitUsage || stdout != "" || !strings.Contains(stderr, `no built-in scenario "atlantis"`) {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2, nothing, and the unknown name", code, stdout, stderr)
	}
}

func TestSchemaIsJSON(t *testing.T) {
	code, stdout, _ := runCLI(t, "schema")
	if code != ExitOK {
		t.Fatalf("exit code = %d, want 0", code)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatalf("schema output is not a JSON object: %v", err)
	}
	if !strings.HasSuffix(stdout, "\n") {
		t.Errorf("schema output does not end with a newline")
	}
}

func TestSchemaToFile(t *testing.T) {
	dir := t.TempDir()
	r := runIn(t, dir, "schema", "-o", "schema.json")
	if r.code != ExitOK || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q; want 0 and nothing on stdout", r.code, r.stdout)
	}
	data, err := os.ReadFile(filepath.Join(dir, "schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(data) {
		t.Errorf("schema.json is not valid JSON")
	}
}
