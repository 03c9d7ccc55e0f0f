package cli

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parleyhq/parley/scenario"
)

// goodScenario is a small valid scenario: two actors, two moves, two roadmaps.
const goodScenario = `name: tiny
title: Two parties, one exchange
actors:
  - id: a
    discount: 0.95
    types:
      - {id: dove, prior: 1, disposition: reciprocator}
  - id: b
    discount: 0.9
    types:
      - {id: dove, prior: 0.6, disposition: reciprocator}
      - {id: hawk, prior: 0.4, disposition: opportunist}
moves:
  - id: pledge
    by: a
    cost: 1
    benefit: {b: 2}
  - id: freeze
    by: b
    cost: 1
    benefit: {a: 2}
roadmaps:
  - id: status-quo
    baseline: true
  - id: swap
    phases:
      - moves: [pledge, freeze]
`

// badScenario has at least two problems: a discount out of range and a move
// by an actor that does not exist.
const badScenario = `name: broken
actors:
  - id: a
    discount: 7
    types:
      - {id: dove, prior: 1, disposition: reciprocator}
  - id: b
    discount: 0.9
    types:
      - {id: dove, prior: 1, disposition: reciprocator}
moves:
  - id: pledge
    by: nobody
    cost: 1
    benefit: {b: 2}
roadmaps:
  - id: swap
    phases:
      - moves: [pledge]
`

// writeFiles writes name → content files into a new temporary directory
// and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// problemLine matches a line the loader writes for one problem in file,
// "file:line:col: ..." (the wording after the position is the loader's).
func problemLine(file string) *regexp.Regexp {
	return regexp.MustCompile(`(?m)^\S*` + regexp.QuoteMeta(file) + `:\d+:\d+: \S`)
}

func TestValidateGoodFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{"good.yaml": goodScenario})
	r := runIn(t, dir, "validate", "good.yaml")
	if r.code != ExitOK {
		t.Fatalf("exit code = %d, want 0", r.code)
	}
	if want := "good.yaml: ok (2 actors, 2 moves, 2 roadmaps)\n"; r.stdout != want {
		t.Errorf("stdout = %q, want %q", r.stdout, want)
	}
	if r.stderr != "" {
		t.Errorf("stderr = %q, want nothing", r.stderr)
	}
}

func TestValidateAbsolutePath(t *testing.T) {
	dir := writeFiles(t, map[string]string{"good.yaml": goodScenario})
	path := filepath.Join(dir, "good.yaml")
	r := runIn(t, t.TempDir(), "validate", path)
	if r.code != ExitOK || !strings.HasPrefix(r.stdout, path+": ok (") {
		t.Errorf("exit %d, stdout %q; want 0 and %s: ok", r.code, r.stdout, path)
	}
}

func TestValidateBadFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{"bad.yaml": badScenario})
	r := runIn(t, dir, "validate", "bad.yaml")
	if r.code != ExitUsage {
		t.Errorf("exit code = %d, want %d", r.code, ExitUsage)
	}
	if r.stdout != "" {
		t.Errorf("stdout = %q, want nothing", r.stdout)
	}
	if !strings.HasPrefix(r.stderr, "parley: bad.yaml is not a valid scenario (") {
		t.Errorf("stderr = %q, want a header naming bad.yaml", r.stderr)
	}
	if n := len(problemLine("bad.yaml").FindAllString(r.stderr, -1)); n < 2 {
		t.Errorf("stderr has %d file:line:col problem lines, want at least 2:\n%s", n, r.stderr)
	}
	if strings.Count(r.stderr, "parley: ") != 1 {
		t.Errorf("stderr = %q, want the error printed once", r.stderr)
	}
}

func TestValidateMissingFile(t *testing.T) {
	r := runIn(t, t.TempDir(), "validate", "missing.yaml")
	if r.code != ExitUsage {
		t.Errorf("exit code = %d, want %d", r.code, ExitUsage)
	}
	if !strings.HasPrefix(r.stderr, "parley: no file missing.yaml") {
		t.Errorf("stderr = %q, want it to say missing.yaml does not exist", r.stderr)
	}
}

func TestValidateDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := runIn(t, dir, "validate", "sub")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "sub is a directory") {
		t.Errorf("exit %d, stderr %q; want 2 and a note that sub is a directory", r.code, r.stderr)
	}
}

func TestValidateSeveralFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{"good.yaml": goodScenario, "bad.yaml": badScenario})
	r := runIn(t, dir, "validate", "good.yaml", "bad.yaml", "missing.yaml")
	if r.code != ExitUsage {
		t.Errorf("exit code = %d, want %d", r.code, ExitUsage)
	}
	if want := "good.yaml: ok (2 actors, 2 moves, 2 roadmaps)\n"; r.stdout != want {
		t.Errorf("stdout = %q, want %q", r.stdout, want)
	}
	if !problemLine("bad.yaml").MatchString(r.stderr) {
		t.Errorf("stderr lacks the problems of bad.yaml:\n%s", r.stderr)
	}
	if !strings.Contains(r.stderr, "no file missing.yaml") {
		t.Errorf("stderr lacks the missing file:\n%s", r.stderr)
	}
	if !strings.HasSuffix(r.stderr, "parley: 2 of 3 scenarios are not valid\n") {
		t.Errorf("stderr does not end with the count:\n%s", r.stderr)
	}
}

func TestValidateBuiltins(t *testing.T) {
	names := scenario.BuiltinNames()
	if len(names) == 0 {
		t.Skip("no built-in scenarios yet")
	}
	for _, name := range names {
		r := runIn(t, t.TempDir(), "validate", "--builtin", name)
		if r.code != ExitOK || !strings.HasPrefix(r.stdout, "builtin:"+name+": ok (") {
			t.Errorf("validate --builtin %s: exit %d, stdout %q; want 0 and ok", name, r.code, r.stdout)
		}
		r = runIn(t, t.TempDir(), "validate", "builtin:"+name)
		if r.code != ExitOK {
			t.Errorf("validate builtin:%s: exit %d, want 0", name, r.code)
		}
	}
}

func TestValidateUnknownBuiltin(t *testing.T) {
	for _, args := range [][]string{{"validate", "--builtin", "atlantis"}, {"validate", "builtin:atlantis"}} {
		r := runIn(t, t.TempDir(), args...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, `no built-in scenario "atlantis"`) {
			t.Errorf("parley %v: exit %d, stderr %q; want 2 and the unknown name", args, r.code, r.stderr)
		}
	}
}

func TestValidateStopsWhenCancelled(t *testing.T) {
	dir := writeFiles(t, map[string]string{"good.yaml": goodScenario})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := runWith(t, ctx, &Env{Args: []string{"validate", "good.yaml"}, Dir: dir}, commands)
	if r.code != ExitInterrupted {
		t.Errorf("exit code = %d, want %d", r.code, ExitInterrupted)
	}
}

func TestValidateStdin(t *testing.T) {
	r := runWith(t, context.Background(), &Env{Args: []string{"validate", "-"}, Stdin: strings.NewReader(goodScenario)}, commands)
	if r.code != ExitOK || r.stdout != "stdin: ok (2 actors, 2 moves, 2 roadmaps)\n" {
		t.Errorf("exit %d, stdout %q; want 0 and stdin: ok", r.code, r.stdout)
	}
	r = runWith(t, context.Background(), &Env{Args: []string{"validate", "-"}, Stdin: strings.NewReader(badScenario)}, commands)
	if r.code != ExitUsage || !problemLine("stdin").MatchString(r.stderr) {
		t.Errorf("exit %d, stderr %q; want 2 and stdin:line:col problems", r.code, r.stderr)
	}
}

func TestValidateSyntaxError(t *testing.T) {
	dir := writeFiles(t, map[string]string{"syntax.yaml": "name: [unclosed\n"})
	r := runIn(t, dir, "validate", "syntax.yaml")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "syntax.yaml") {
		t.Errorf("exit %d, stderr %q; want 2 and a message naming syntax.yaml", r.code, r.stderr)
	}
}
