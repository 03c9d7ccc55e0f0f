package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// A sweep killed with SIGKILL in the middle of its run resumes, with
// --resume, into exactly the output of an uninterrupted run: no point lost,
// none written twice. The test builds the parley binary and kills it.
func TestSweepResumeAfterSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the parley binary")
	}
	if runtime.GOOS == "windows" {
		t.Skip("no SIGKILL")
	}
	bin := filepath.Join(t.TempDir(), "parley")
	build := exec.Command("go", "build", "-o", bin, "github.com/parleyhq/parley/cmd/parley")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	sweepFile := `name: kill
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
	want := []byte(runQuiet(t, dir, ExitOK, "sweep", "run", "kill.yaml").stdout)
	total := bytes.Count(want, []byte("\n")) - 2

	out := filepath.Join(dir, "kill.csv")
	cmd := exec.Command(bin, "sweep", "run", "kill.yaml", "-o", "kill.csv", "--workers", "1")
	cmd.Dir = dir
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	rows := 0
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		data, _ := os.ReadFile(out)
		if rows = bytes.Count(data, []byte("\n")) - 2; rows >= 5 {
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

	res := exec.Command(bin, "sweep", "run", "kill.yaml", "-o", "kill.csv", "--resume")
	res.Dir = dir
	if msg, err := res.CombinedOutput(); err != nil {
		t.Fatalf("resume: %v\n%s", err, msg)
	}
	got, _ := os.ReadFile(out)
	if !bytes.Equal(got, want) {
		t.Errorf("the resumed output (%d bytes) differs from an uninterrupted run (%d bytes)", len(got), len(want))
	}
}
