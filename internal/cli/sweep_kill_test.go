package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// childArgsVar, when set, makes TestSweepChild run parley with these
// arguments (separated by newlines) in this test binary's process and exit
// with its code: the subprocess that TestSweepResumeAfterSIGKILL kills.
const childArgsVar = "PARLEY_TEST_CHILD_ARGS"

func TestSweepChild(t *testing.T) {
	args := os.Getenv(childArgsVar)
	if args == "" {
		t.Skip("runs only as the subprocess of TestSweepResumeAfterSIGKILL")
	}
	dir, _ := os.Getwd()
	code := Run(context.Background(), &Env{Args: strings.Split(args, "\n"), Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Dir: dir, Version: "test"})
	os.Exit(code)
}

// child returns the command that runs parley with args in a subprocess (this
// test binary, running TestSweepChild) in dir.
func child(dir string, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestSweepChild$")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), childArgsVar+"="+strings.Join(args, "\n"))
	return cmd
}

// killSweepDir returns a temporary directory holding kill.yaml: a sweep of
// 68 points of tiny, long enough (3000 histories a point) to be killed in
// the middle of its run.
func killSweepDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	const sweepFile = `name: kill
base: builtin:tiny
runs: 3000
parameters:
  - {path: actors.east.insecurity, range: {from: 0.1, to: 0.9, step: 0.05}}
  - {path: moves.guarantee.cost, values: [0.4, 0.6, 0.8, 1]}
record: {metrics: [completed, utility:east, rounds]}
`
	if err := os.WriteFile(filepath.Join(dir, "kill.yaml"), []byte(sweepFile), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A sweep killed with SIGKILL in the middle of its run resumes, with
// --resume, into exactly the output of an uninterrupted run: no point lost,
// none written twice. The run is a separate process, killed without warning.
func TestSweepResumeAfterSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("runs and kills a subprocess")
	}
	if runtime.GOOS == "windows" {
		t.Skip("no SIGKILL")
	}
	dir := killSweepDir(t)
	want := []byte(runQuiet(t, dir, ExitOK, "sweep", "run", "kill.yaml").stdout)
	total := bytes.Count(want, []byte("\n")) - 2

	out := filepath.Join(dir, "kill.csv")
	cmd := child(dir, "sweep", "run", "kill.yaml", "-o", "kill.csv", "--workers", "1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		data, _ := os.ReadFile(out)
		if bytes.Count(data, []byte("\n"))-2 >= 5 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.Success() {
		t.Fatalf("the run was not killed (%v): make the sweep longer", err)
	}
	killed, _ := os.ReadFile(out)
	done := bytes.Count(killed, []byte("\n")) - 2
	if done >= total {
		t.Fatalf("the run finished all %d points before it was killed: make the sweep longer", total)
	}
	t.Logf("killed after %d of %d points (%d bytes)", done, total, len(killed))

	res := child(dir, "sweep", "run", "kill.yaml", "-o", "kill.csv", "--resume")
	if msg, err := res.CombinedOutput(); err != nil {
		t.Fatalf("resume: %v\n%s", err, msg)
	}
	got, _ := os.ReadFile(out)
	if !bytes.Equal(got, want) {
		t.Errorf("the resumed output (%d bytes) differs from an uninterrupted run (%d bytes)", len(got), len(want))
	}
}
