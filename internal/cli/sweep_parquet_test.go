package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// dirFiles reads every file of dir, by name (a directory's name ends in /).
func dirFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range es {
		if e.IsDir() {
			out[e.Name()+"/"] = nil
			continue
		}
		out[e.Name()] = readOut(t, filepath.Join(dir, e.Name()))
	}
	return out
}

func sameFiles(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !bytes.Equal(v, w) {
			return false
		}
	}
	return true
}

func names(files map[string][]byte) []string {
	var out []string
	for k := range files {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// sweep run --format parquet writes a directory of parts of --chunk points
// whose rows, merged back into CSV, are the CSV run's bytes; -o DIR.parquet
// picks the format by itself.
func TestSweepParquetRun(t *testing.T) {
	dir := sweepDir(t)
	wantCSV := runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml").stdout
	r := runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "--format", "parquet", "--chunk", "5", "-o", "grid-pq")
	if r.stdout != "" {
		t.Errorf("stdout %q", r.stdout)
	}
	parts := dirFiles(t, filepath.Join(dir, "grid-pq"))
	want := []string{"points-00-04.parquet", "points-05-09.parquet", "points-10-14.parquet", "points-15-19.parquet", "points-20-23.parquet"}
	if !slices.Equal(names(parts), want) {
		t.Errorf("parts %v, want %v", names(parts), want)
	}
	runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "--chunk", "5", "-o", "grid.parquet", "--workers", "1")
	if !sameFiles(dirFiles(t, filepath.Join(dir, "grid.parquet")), parts) {
		t.Error("-o grid.parquet with 1 worker differs from --format parquet with every core")
	}
	runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "--chunk", "5", "-o", "slash/")
	if !sameFiles(dirFiles(t, filepath.Join(dir, "slash")), parts) {
		t.Error("-o slash/ differs from --format parquet")
	}
	for _, c := range [][]string{{"-o", "back.csv"}, {"--format", "csv"}} {
		m := runQuiet(t, dir, ExitOK, append(append([]string{"sweep", "merge"}, c...), "grid-pq")...)
		got := m.stdout
		if c[0] == "-o" {
			got = string(readOut(t, filepath.Join(dir, "back.csv")))
		}
		if got != wantCSV {
			t.Errorf("merge %v of the Parquet output differs from the CSV run:\n%s", c, got)
		}
	}
	// the analysis of the Parquet rows is that of the CSV rows
	runQuiet(t, dir, ExitOK, "sweep", "run", "oat.yaml", "-o", "oat.csv")
	runQuiet(t, dir, ExitOK, "sweep", "run", "oat.yaml", "-o", "oat.parquet")
	a := runQuiet(t, dir, ExitOK, "sensitivity", "analyze", "oat.yaml", "--results", "oat.csv")
	b := runQuiet(t, dir, ExitOK, "sensitivity", "analyze", "oat.yaml", "--results", "oat.parquet")
	if a.stdout != b.stdout || a.stdout == "" {
		t.Errorf("the analysis of the Parquet rows differs from the CSV rows':\n%s\nwant\n%s", b.stdout, a.stdout)
	}
	h := runQuiet(t, dir, ExitOK, "sensitivity", "heatmap", "grid.yaml", "--results", "grid.parquet", "--x", "insecurity", "--y", "cost", "--metric", "utility:east", "--roadmap", "peace-first", "--versus", "status-quo")
	hc := runQuiet(t, dir, ExitOK, "sensitivity", "heatmap", "grid.yaml", "--results", "back.csv", "--x", "insecurity", "--y", "cost", "--metric", "utility:east", "--roadmap", "peace-first", "--versus", "status-quo")
	if h.stdout != hc.stdout {
		t.Errorf("the heat map of the Parquet rows differs from the CSV rows'")
	}
}

// Flags that do not suit Parquet output are refused with exit 2 before
// anything is written.
func TestSweepParquetRefuses(t *testing.T) {
	dir := sweepDir(t)
	runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "-o", "grid.parquet", "--chunk", "10")
	os.WriteFile(filepath.Join(dir, "afile"), []byte("x"), 0o644)
	os.Mkdir(filepath.Join(dir, "emptydir"), 0o755)
	before := dirFiles(t, dir)
	parts := dirFiles(t, filepath.Join(dir, "grid.parquet"))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--format", "parquet"}, "--format parquet writes a directory of part files, one per chunk of points, not standard output: give the directory with -o DIR"},
		{[]string{"--format", "parquet", "-o", "-"}, "not standard output"},
		{[]string{"--format", "parquet", "-o", "afile"}, "-o afile is a file; --format parquet writes a directory of part files"},
		{[]string{"--format", "parquet", "-o", "out.csv"}, "-o out.csv: --format parquet writes a directory of part files, not a csv file: name the directory without .csv (e.g. out.parquet)"},
		{[]string{"--format", "parquet", "-o", "out.parquet", "--chunk", "0"}, "--chunk must be at least 1 point per part, got 0"},
		{[]string{"-o", "out.csv", "--chunk", "5"}, "--chunk applies to --format parquet"},
		{[]string{"-o", "emptydir"}, "emptydir is a directory; csv output is one file (a directory is written with --format parquet)"},
		{[]string{"-o", "grid.parquet"}, "grid.parquet exists: continue it with --resume, or remove it to start again"},
		{[]string{"-o", "grid.parquet", "--resume", "--shard", "1/2"}, "cannot resume grid.parquet: it holds the whole sweep (points 0 to 23); this run is shard 1/2 (points 12 to 23)"},
		{[]string{"--format", "feather", "-o", "x"}, `unknown --format "feather"; want csv, jsonl or parquet`},
	} {
		r := runQuiet(t, dir, ExitUsage, append([]string{"sweep", "run", "grid.yaml"}, c.args...)...)
		if !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: stderr %q, want %q", c.args, r.stderr, c.want)
		}
		if r.stdout != "" {
			t.Errorf("%v: stdout %q", c.args, r.stdout)
		}
	}
	// merges
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"grid.parquet"}, "--format parquet writes a directory of part files, one per chunk of points, not standard output"},
		{[]string{"-o", "afile", "--format", "parquet", "grid.parquet"}, "-o afile is a file"},
		{[]string{"-o", "m.parquet", "grid.parquet", "afile"}, "grid.parquet is a directory (a Parquet output) but not every input is: merge outputs of one format"},
		{[]string{"-o", "m.csv", "--chunk", "3", "grid.parquet"}, "--chunk applies to --format parquet"},
		{[]string{"-o", "m.parquet", "emptydir"}, "cannot merge:\nemptydir holds no complete part"},
	} {
		r := runQuiet(t, dir, ExitUsage, append([]string{"sweep", "merge"}, c.args...)...)
		if !strings.Contains(r.stderr, c.want) {
			t.Errorf("merge %v: stderr %q, want %q", c.args, r.stderr, c.want)
		}
	}
	if after := dirFiles(t, dir); !sameFiles(after, before) {
		t.Errorf("a refused command changed the directory: %v, was %v", names(after), names(before))
	}
	if !sameFiles(dirFiles(t, filepath.Join(dir, "grid.parquet")), parts) {
		t.Error("a refused command changed grid.parquet")
	}
}

// After a simulated kill — the last parts lost, a part in progress left —
// --resume removes the part in progress and runs only the missing points,
// into the parts of an uninterrupted run.
func TestSweepParquetResume(t *testing.T) {
	dir := sweepDir(t)
	runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "-o", "want.parquet", "--chunk", "7")
	want := dirFiles(t, filepath.Join(dir, "want.parquet"))
	if !slices.Equal(names(want), []string{"points-00-06.parquet", "points-07-13.parquet", "points-14-20.parquet", "points-21-23.parquet"}) {
		t.Fatalf("parts %v", names(want))
	}
	out := filepath.Join(dir, "grid.parquet")
	os.Mkdir(out, 0o755)
	for _, name := range []string{"points-00-06.parquet", "points-07-13.parquet"} {
		os.WriteFile(filepath.Join(out, name), want[name], 0o644)
	}
	os.WriteFile(filepath.Join(out, ".points-14-99.tmp"), want["points-14-20.parquet"][:200], 0o644)
	r := runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "-o", "grid.parquet", "--chunk", "7", "--resume")
	if !strings.Contains(r.stderr, "resuming grid.parquet: 14 of 24 points done, 10 to run") {
		t.Errorf("stderr %q", r.stderr)
	}
	if got := dirFiles(t, out); !sameFiles(got, want) {
		t.Errorf("resumed parts %v differ from an uninterrupted run's %v", names(got), names(want))
	}
	r = runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "-o", "grid.parquet", "--resume")
	if !strings.Contains(r.stderr, "grid.parquet already holds all 24 points") {
		t.Errorf("stderr %q", r.stderr)
	}
	// a directory that does not exist yet is started
	runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "-o", "new.parquet", "--chunk", "7", "--resume")
	if !sameFiles(dirFiles(t, filepath.Join(dir, "new.parquet")), want) {
		t.Error("a run started with --resume differs")
	}
}

// The Parquet shards of a sweep merge into the parts of one run (byte for
// byte, with the same --chunk) or its CSV; a missing, doubled or foreign
// shard is refused and nothing is written.
func TestSweepParquetShardsMerge(t *testing.T) {
	dir := sweepDir(t)
	wantCSV := runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml").stdout
	runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "-o", "whole.parquet", "--chunk", "4")
	want := dirFiles(t, filepath.Join(dir, "whole.parquet"))
	for _, n := range []int{1, 3, 5, 30} {
		sub := "s" + itoa(n)
		os.Mkdir(filepath.Join(dir, sub), 0o755)
		var shards []string
		for i := range n {
			runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "--shard", itoa(i)+"/"+itoa(n), "--format", "parquet", "--chunk", "3", "-o", sub+"/grid-{shard}")
			shards = append([]string{sub + "/grid-" + itoa(i)}, shards...)
		}
		merged := "merged-" + itoa(n) + ".parquet"
		runQuiet(t, dir, ExitOK, append([]string{"sweep", "merge", "--chunk", "4", "-o", merged}, shards...)...)
		if got := dirFiles(t, filepath.Join(dir, merged)); !sameFiles(got, want) {
			t.Errorf("%d shards: the merged parts %v differ from one run's %v", n, names(got), names(want))
		}
		m := runQuiet(t, dir, ExitOK, append([]string{"sweep", "merge", "--format", "csv"}, shards...)...)
		if m.stdout != wantCSV {
			t.Errorf("%d shards: merged as CSV, differ from the CSV run", n)
		}
	}
	os.WriteFile(filepath.Join(dir, "other.yaml"), bytes.Replace(readOut(t, filepath.Join(dir, "grid.yaml")), []byte("seed: 3"), []byte("seed: 4"), 1), 0o644)
	runQuiet(t, dir, ExitOK, "sweep", "run", "other.yaml", "--shard", "1/3", "-o", "other-1.parquet")
	for _, c := range []struct {
		shards []string
		want   string
	}{
		{[]string{"s3/grid-0", "s3/grid-2"}, "missing: shard 1/3 (points 8 to 15)"},
		{[]string{"s3/grid-0", "s3/grid-1", "s3/grid-1", "s3/grid-2"}, "s3/grid-1 and s3/grid-1 both hold shard 1/3 (points 8 to 15)"},
		{[]string{"s3/grid-0", "other-1.parquet", "s3/grid-2"}, "other-1.parquet belongs to another plan"},
		{[]string{"s3/grid-0", "s5/grid-1", "s3/grid-2"}, "merge the shards of one split"},
	} {
		r := runQuiet(t, dir, ExitUsage, append([]string{"sweep", "merge", "-o", "refused.parquet"}, c.shards...)...)
		if !strings.Contains(r.stderr, c.want) {
			t.Errorf("merge %v: stderr %q, want %q", c.shards, r.stderr, c.want)
		}
		if _, err := os.Stat(filepath.Join(dir, "refused.parquet")); err == nil {
			t.Errorf("merge %v wrote refused.parquet although it failed", c.shards)
		}
	}
	if es, _ := filepath.Glob(filepath.Join(dir, ".*merge*")); len(es) > 0 {
		t.Errorf("temporary directories left: %v", es)
	}
}

// A Parquet sweep killed with SIGKILL in the middle of its run keeps its
// complete parts; --resume runs the rest into the parts of an uninterrupted
// run.
func TestSweepParquetResumeAfterSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("runs and kills a subprocess")
	}
	if runtime.GOOS == "windows" {
		t.Skip("no SIGKILL")
	}
	dir := killSweepDir(t)
	runQuiet(t, dir, ExitOK, "sweep", "run", "kill.yaml", "-o", "want.parquet", "--chunk", "4")
	want := dirFiles(t, filepath.Join(dir, "want.parquet"))
	out := filepath.Join(dir, "kill.parquet")
	cmd := child(dir, "sweep", "run", "kill.yaml", "-o", "kill.parquet", "--chunk", "4", "--workers", "1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if ps, _ := filepath.Glob(filepath.Join(out, "points-*.parquet")); len(ps) >= 2 {
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
	killed := dirFiles(t, out)
	if len(killed) >= len(want) {
		t.Fatalf("the run wrote all %d parts before it was killed: make the sweep longer", len(want))
	}
	t.Logf("killed with %v of %d parts", names(killed), len(want))
	res := child(dir, "sweep", "run", "kill.yaml", "-o", "kill.parquet", "--chunk", "4", "--resume")
	if msg, err := res.CombinedOutput(); err != nil {
		t.Fatalf("resume: %v\n%s", err, msg)
	}
	if got := dirFiles(t, out); !sameFiles(got, want) {
		t.Errorf("the resumed parts %v differ from an uninterrupted run's %v", names(got), names(want))
	}
}
