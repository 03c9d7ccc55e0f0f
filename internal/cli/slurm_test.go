package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// slurmVar, when set, says that a Slurm cluster answers on this machine
// (.ci/slurm.sh starts a one-node one and prints it).
const slurmVar = "PARLEY_TEST_SLURM"

// needSlurm skips the test when no cluster is announced, unless CI=true,
// where a missing cluster fails it: CI must never skip it silently.
func needSlurm(t *testing.T) {
	t.Helper()
	if os.Getenv(slurmVar) == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %s is not set: start a one-node Slurm cluster first, as root: eval \"$(.ci/slurm.sh)\"", slurmVar)
		}
		t.Skipf("no Slurm cluster: start one as root with eval \"$(.ci/slurm.sh)\", which sets %s=1", slurmVar)
	}
	for _, c := range []string{"sbatch", "squeue", "scontrol", "scancel", "sinfo"} {
		if _, err := exec.LookPath(c); err != nil {
			t.Fatalf("%s is set but %s is not on the PATH: %v", slurmVar, c, err)
		}
	}
	if out, err := exec.Command("sinfo", "-h", "-o", "%T").CombinedOutput(); err != nil {
		t.Fatalf("%s is set but the controller does not answer: sinfo: %v\n%s", slurmVar, err, out)
	}
}

// buildParley builds the parley binary into dir and returns its path.
func buildParley(t *testing.T, dir string) string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		if root := os.Getenv("GOROOT"); root != "" {
			goCmd = filepath.Join(root, "bin", "go")
		} else {
			t.Fatalf("cannot build parley: %v", err)
		}
	}
	bin := filepath.Join(dir, "parley")
	out, err := exec.Command(goCmd, "build", "-o", bin, "github.com/parleyhq/parley/cmd/parley").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// execIn runs name with args in dir and returns its standard output; it
// stops the test if the command fails.
func execIn(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s (in %s): %v\n%s", name, strings.Join(args, " "), dir, err, stderr.String())
	}
	return stdout.String()
}

// waitForJob polls squeue until the job (every task of an array) has left
// the queue, or ctx ends.
func waitForJob(ctx context.Context, jid string) error {
	for {
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, "squeue", "-h", "-j", jid, "-o", "%i %T")
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		switch {
		case err == nil && strings.TrimSpace(stdout.String()) == "":
			return nil
		case err != nil && strings.Contains(stderr.String(), "Invalid job id"):
			// purged already (MinJobAge passed)
			return nil
		case err != nil && ctx.Err() == nil:
			return fmt.Errorf("squeue -j %s: %v: %s", jid, err, stderr.String())
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("job %s still queued or running when the test's deadline came: %s", jid, strings.TrimSpace(stdout.String()))
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// The sbatch script of 'sweep emit slurm', submitted to a real Slurm
// cluster (one node, .ci/slurm.sh), runs its job array into shards that
// 'sweep merge' joins into exactly the bytes of 'sweep run' on one machine,
// in CSV and in JSONL. Everything runs through the built binary as a user
// would, from a directory whose name has a blank and a '#' (which #SBATCH
// lines must quote), and sbatch is called from another directory, so the
// script's --chdir is what puts the tasks in the right place.
func TestSlurmCluster(t *testing.T) {
	needSlurm(t)
	root := t.TempDir()
	bin := buildParley(t, filepath.Join(root, "bin"))
	dir := filepath.Join(root, "study #1")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// 4 × 2 = 8 points of korea, 3 shards of 2, 3 and 3 points
	sweepFile := `name: korea-slurm
base: builtin:korea
runs: 400
seed: 7
parameters:
  - {name: seeker, path: actors.DPRK.types.security-seeker.prior, values: [0.2, 0.35, 0.5, 0.65]}
  - {name: verification, path: moves.verified-denuclearization.verification, values: [0.6, 0.9]}
constraints:
  - complement: [actors.DPRK.types.opportunist.prior, actors.DPRK.types.hardliner.prior]
    of: [actors.DPRK.types.security-seeker.prior]
record:
  roadmaps: [denuclearization-first, peace-first]
  metrics: [completed, milestone:denuclearized, exposure:US, rounds]
`
	if err := os.WriteFile(filepath.Join(dir, "study.yaml"), []byte(sweepFile), 0o644); err != nil {
		t.Fatal(err)
	}
	const shards = 3
	// Parquet shards (directories of parts) are merged into CSV, which
	// must equal the local CSV run's bytes.
	for _, format := range []string{"csv", "jsonl", "parquet"} {
		t.Run(format, func(t *testing.T) {
			outDir := "shards-" + format
			script := "study-" + format + ".sbatch"
			execIn(t, dir, bin, "sweep", "emit", "slurm", "study.yaml", "--shards", fmt.Sprint(shards), "--cpus", "1",
				"--format", format, "--out-dir", outDir, "--parley", bin, "-o", script)

			out := execIn(t, root, "sbatch", "--parsable", filepath.Join(dir, script))
			jid, _, _ := strings.Cut(strings.TrimSpace(out), ";")
			if jid == "" {
				t.Fatalf("sbatch --parsable printed %q, not a job id", out)
			}
			finished := false
			t.Cleanup(func() {
				if !finished {
					_ = exec.Command("scancel", jid).Run()
				}
			})
			logs := func() string {
				var b strings.Builder
				paths, _ := filepath.Glob(filepath.Join(dir, outDir, "slurm-*.log"))
				for _, p := range paths {
					data, _ := os.ReadFile(p)
					fmt.Fprintf(&b, "--- %s:\n%s", filepath.Base(p), data)
				}
				return b.String()
			}
			limit := 4 * time.Minute
			if d, ok := t.Deadline(); ok && time.Until(d)-10*time.Second < limit {
				limit = time.Until(d) - 10*time.Second
			}
			ctx, cancel := context.WithTimeout(context.Background(), limit)
			defer cancel()
			if err := waitForJob(ctx, jid); err != nil {
				t.Fatalf("%v\nthe tasks' logs:\n%s", err, logs())
			}
			finished = true

			// every task completed with exit code 0 (while the controller
			// still remembers the job; there is no accounting to ask later)
			if info, err := exec.Command("scontrol", "-o", "show", "job", jid).Output(); err == nil {
				lines := strings.Split(strings.TrimSpace(string(info)), "\n")
				if len(lines) != shards {
					t.Errorf("scontrol shows %d tasks of job %s, want %d:\n%s", len(lines), jid, shards, info)
				}
				for _, l := range lines {
					f := map[string]string{}
					for _, kv := range strings.Fields(l) {
						k, v, _ := strings.Cut(kv, "=")
						f[k] = v
					}
					if f["JobState"] != "COMPLETED" || f["ExitCode"] != "0:0" {
						t.Errorf("task %s of job %s: JobState=%s Reason=%s ExitCode=%s, want COMPLETED with exit code 0:0\nthe tasks' logs:\n%s",
							f["ArrayTaskId"], jid, f["JobState"], f["Reason"], f["ExitCode"], logs())
					}
				}
			}
			for i := range shards {
				log := filepath.Join(dir, outDir, fmt.Sprintf("slurm-%s_%d.log", jid, i))
				data, err := os.ReadFile(log)
				if err != nil {
					t.Errorf("task %d wrote no log: %v", i, err)
				} else if len(data) != 0 {
					t.Errorf("task %d's log is not empty:\n%s", i, data)
				}
			}

			parts, err := filepath.Glob(filepath.Join(dir, outDir, "korea-slurm-shard-*-of-3."+format))
			if err != nil {
				t.Fatal(err)
			}
			if len(parts) != shards {
				t.Fatalf("the job wrote %d shards, want %d: %v\nthe tasks' logs:\n%s", len(parts), shards, parts, logs())
			}
			ext := format
			if format == "parquet" {
				ext = "csv"
			}
			merged := "merged-" + format + "." + ext
			execIn(t, dir, bin, append([]string{"sweep", "merge", "-o", merged}, parts...)...)
			local := "local-" + format + "." + ext
			execIn(t, dir, bin, "sweep", "run", "study.yaml", "--workers", "2", "-o", local)

			got, err := os.ReadFile(filepath.Join(dir, merged))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join(dir, local))
			if err != nil {
				t.Fatal(err)
			}
			if rows := bytes.Count(want, []byte("\n")); rows < 9 {
				t.Fatalf("the local run wrote %d lines, want a header and 8 rows:\n%s", rows, want)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("the merged shards of the Slurm job differ from the local run\nmerged:\n%s\nlocal:\n%s", got, want)
			}
		})
	}
}
