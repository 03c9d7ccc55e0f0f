package cli

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// dirEntries returns the names in dir.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

func TestWriteFileAtomicCreates(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := writeFileAtomic(path, writeString("hello\n")); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || string(data) != "hello\n" {
		t.Fatalf("read %q, %v; want hello", data, err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode = %v, want 0644", fi.Mode().Perm())
	}
	if names := dirEntries(t, dir); len(names) != 1 {
		t.Errorf("directory holds %v, want only out.txt", names)
	}
}

func TestWriteFileAtomicFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	boom := errors.New("boom")
	err := writeFileAtomic(path, func(w io.Writer) error {
		io.WriteString(w, "half of it")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("error = %v, want boom", err)
	}
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Errorf("directory holds %v after a failed write, want nothing", names)
	}
}

func TestWriteFileAtomicFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(path, func(w io.Writer) error {
		io.WriteString(w, "new")
		return errors.New("boom")
	}); err == nil {
		t.Fatal("no error")
	}
	if data, _ := os.ReadFile(path); string(data) != "old\n" {
		t.Errorf("file holds %q after a failed write, want the old content", data)
	}
	if names := dirEntries(t, dir); len(names) != 1 {
		t.Errorf("directory holds %v, want only out.txt", names)
	}
}

func TestWriteFileAtomicPanicLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	func() {
		defer func() { recover() }()
		writeFileAtomic(filepath.Join(dir, "out.txt"), func(w io.Writer) error {
			io.WriteString(w, "half")
			panic("mid-write")
		})
	}()
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Errorf("directory holds %v after a panic, want nothing", names)
	}
}

func TestWriteFileAtomicReplacesKeepingMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeFileAtomic(path, writeString("new\n")); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "new\n" {
		t.Errorf("file holds %q, want new", data)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want the old 0600", fi.Mode().Perm())
	}
}

func TestWriteFileAtomicFollowsSymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.txt")
	link := filepath.Join(dir, "link.txt")
	if err := os.WriteFile(target, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.txt", link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	if err := writeFileAtomic(link, writeString("new\n")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file")
	}
	if data, _ := os.ReadFile(target); string(data) != "new\n" {
		t.Errorf("target holds %q, want new", data)
	}
}

func TestWriteFileAtomicMissingDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "out.txt")
	if err := writeFileAtomic(path, writeString("x")); err == nil {
		t.Error("no error writing into a missing directory")
	}
}

func TestWriteOutput(t *testing.T) {
	var stdout bytes.Buffer
	dir := t.TempDir()
	env := &Env{Stdout: &stdout, Dir: dir}
	for _, p := range []string{"", "-"} {
		stdout.Reset()
		if err := writeOutput(env, p, writeString("to stdout")); err != nil || stdout.String() != "to stdout" {
			t.Errorf("path %q: stdout %q, err %v; want the text on stdout", p, stdout.String(), err)
		}
	}
	stdout.Reset()
	if err := writeOutput(env, "rel.txt", writeString("to file")); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "rel.txt")); string(data) != "to file" || stdout.Len() != 0 {
		t.Errorf("file %q, stdout %q; want the text in dir/rel.txt only", data, stdout.String())
	}
}

func TestSchemaFailureCreatesNoFile(t *testing.T) {
	// A command that fails must not leave its output file behind.
	dir := t.TempDir()
	r := runIn(t, dir, "schema", "-o", filepath.Join("missing-dir", "schema.json"))
	if r.code == ExitOK {
		t.Errorf("exit code 0 writing into a missing directory")
	}
	if names := dirEntries(t, dir); len(names) != 0 {
		t.Errorf("directory holds %v, want nothing", names)
	}
}
