package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// sweepDir copies the sweep files of testdata/sweep into a fresh directory
// and returns it.
func sweepDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files, err := filepath.Glob(filepath.Join("testdata", "sweep", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no sweep files: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func readOut(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestSweepRun(t *testing.T) {
	dir := sweepDir(t)
	r := runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml")
	checkGolden(t, "sweep/grid.csv.golden", []byte(r.stdout))
	// to a file: the same bytes; the rows do not depend on the workers
	runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "-o", "grid.csv", "--workers", "1")
	if got := readOut(t, filepath.Join(dir, "grid.csv")); string(got) != r.stdout {
		t.Error("the file differs from standard output")
	}
	j := runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "-o", "grid.jsonl")
	if j.stdout != "" {
		t.Errorf("stdout %q", j.stdout)
	}
	lines := strings.Split(strings.TrimSpace(string(readOut(t, filepath.Join(dir, "grid.jsonl")))), "\n")
	if len(lines) != 25 || !strings.HasPrefix(lines[0], `{"parley-sweep":{"sweep":"grid"`) || !strings.HasPrefix(lines[1], `{"point":0,"values":{"insecurity":0.2,"cost":0.4,"seeker":0.3},"metrics":{"peace-first/completed":`) {
		t.Errorf("JSONL output:\n%s", strings.Join(lines[:2], "\n"))
	}
}

func TestSweepRunRefuses(t *testing.T) {
	dir := sweepDir(t)
	runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "-o", "grid.csv")
	before := readOut(t, filepath.Join(dir, "grid.csv"))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "run", "grid.yaml", "-o", "grid.csv"}, "grid.csv exists: continue it with --resume, or remove it to start again"},
		{[]string{"sweep", "run", "grid.yaml", "--resume"}, "--resume continues an output file: give it with -o FILE"},
		{[]string{"sweep", "run", "grid.yaml", "-o", "grid.csv", "--resume", "--shard", "1/2"}, "cannot resume grid.csv: it holds the whole sweep (points 0 to 23); this run is shard 1/2 (points 12 to 23)"},
		{[]string{"sweep", "run", "grid.yaml", "-o", "grid.csv", "--resume", "--format", "jsonl"}, "it holds csv output; resume it with --format csv"},
		{[]string{"sweep", "run", "grid.yaml", "--shard", "2/2"}, "--shard 2/2: the shard index must be a whole number from 0 to 1"},
		{[]string{"sweep", "run", "grid.yaml", "--shard", "1"}, "expected I/N"},
		{[]string{"sweep", "run", "grid.yaml", "--shard", "auto/4"}, "neither is set"},
		{[]string{"sweep", "run", "grid.yaml", "-o", "x-{shard}.csv"}, "no --shard is given"},
		{[]string{"sweep", "run", "grid.yaml", "--format", "parquet"}, "--format parquet writes a directory of part files"},
		{[]string{"sweep", "run", "nothing.yaml"}, "no file nothing.yaml"},
	} {
		r := runQuiet(t, dir, ExitUsage, c.args...)
		if !strings.Contains(r.stderr, c.want) {
			t.Errorf("parley %s: stderr %q, want %q", strings.Join(c.args, " "), r.stderr, c.want)
		}
	}
	if !bytes.Equal(readOut(t, filepath.Join(dir, "grid.csv")), before) {
		t.Error("a refused run changed grid.csv")
	}
	// a complete output: --resume has nothing to do
	r := runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "-o", "grid.csv", "--resume")
	if !strings.Contains(r.stderr, "grid.csv already holds all 24 points") {
		t.Errorf("stderr %q", r.stderr)
	}
}

// An output cut in the middle of a line resumes into the bytes of an
// uninterrupted run, in both formats.
func TestSweepResumeTornLine(t *testing.T) {
	dir := sweepDir(t)
	for _, name := range []string{"grid.csv", "grid.jsonl"} {
		runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "-o", name)
		want := readOut(t, filepath.Join(dir, name))
		cut := bytes.Index(want, []byte("\n9,"))
		if strings.HasSuffix(name, ".jsonl") {
			cut = bytes.Index(want, []byte(`{"point":9,`))
		}
		cut += 17 // within the row of point 9
		if err := os.WriteFile(filepath.Join(dir, name), want[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		r := runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "-o", name, "--resume")
		if !strings.Contains(r.stderr, "resuming "+name+" at point 9 (9 of 24 done)") {
			t.Errorf("stderr %q", r.stderr)
		}
		if got := readOut(t, filepath.Join(dir, name)); !bytes.Equal(got, want) {
			t.Errorf("%s resumed differs from an uninterrupted run", name)
		}
	}
}

// The shards of a sweep, run with --shard I/N or auto/N from the variables
// of Slurm and Kubernetes, merge into the bytes of one run, for several N.
func TestSweepShardsMerge(t *testing.T) {
	dir := sweepDir(t)
	want := []byte(runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml").stdout)
	for _, n := range []int{1, 2, 3, 5, 24, 30} {
		var files []string
		for i := range n {
			out := filepath.Join("s"+itoa(n), "grid-{shard}.csv")
			os.MkdirAll(filepath.Join(dir, "s"+itoa(n)), 0o755)
			args := []string{"sweep", "run", "grid.yaml", "--shard", itoa(i) + "/" + itoa(n), "-o", out}
			env := &Env{Dir: dir}
			switch i % 3 {
			case 1:
				args[4] = "auto/" + itoa(n)
				env.Getenv = func(k string) string {
					if k == "SLURM_ARRAY_TASK_ID" {
						return itoa(i)
					}
					return ""
				}
			case 2:
				args[4] = "auto/" + itoa(n)
				env.Getenv = func(k string) string {
					if k == "JOB_COMPLETION_INDEX" {
						return itoa(i)
					}
					return ""
				}
			}
			env.Args = args
			var so, se bytes.Buffer
			env.Stdout, env.Stderr = &so, &se
			if code := run(context.Background(), env, commands); code != ExitOK {
				t.Fatalf("shard %d/%d: exit %d: %s", i, n, code, se.String())
			}
			files = append(files, filepath.Join("s"+itoa(n), "grid-"+itoa(i)+".csv"))
		}
		// in reverse order
		for l, r := 0, len(files)-1; l < r; l, r = l+1, r-1 {
			files[l], files[r] = files[r], files[l]
		}
		merged := "merged-" + itoa(n) + ".csv"
		runQuiet(t, dir, ExitOK, append([]string{"sweep", "merge", "-o", merged}, files...)...)
		if got := readOut(t, filepath.Join(dir, merged)); !bytes.Equal(got, want) {
			t.Errorf("%d shards: the merge differs from one run", n)
		}
	}
}

var itoa = strconv.Itoa

func TestSweepMergeRefuses(t *testing.T) {
	dir := sweepDir(t)
	for i := range 3 {
		runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "--shard", itoa(i)+"/3", "-o", "g-{shard}.csv")
	}
	full := readOut(t, filepath.Join(dir, "g-1.csv"))
	os.WriteFile(filepath.Join(dir, "g-1-cut.csv"), full[:len(full)-5], 0o644)
	for _, c := range []struct {
		files []string
		want  []string
	}{
		{[]string{"g-0.csv", "g-2.csv"}, []string{"parley: cannot merge:", "missing: shard 1/3 (points 8 to 15)"}},
		{[]string{"g-0.csv", "g-1.csv", "g-1.csv", "g-2.csv"}, []string{"g-1.csv and g-1.csv both hold shard 1/3 (points 8 to 15)"}},
		{[]string{"g-0.csv", "g-1-cut.csv", "g-2.csv"}, []string{"g-1-cut.csv: shard 1/3 (points 8 to 15) is incomplete: it holds 7 of its 8 points and a torn last line; finish it with parley sweep run --resume --shard 1/3"}},
		{[]string{"g-0.csv", "grid.yaml"}, []string{"grid.yaml: not the output of a parley sweep"}},
	} {
		r := runQuiet(t, dir, ExitUsage, append([]string{"sweep", "merge", "-o", "out.csv"}, c.files...)...)
		for _, w := range c.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("merge %v: stderr %q, want %q", c.files, r.stderr, w)
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "out.csv")); err == nil {
			t.Errorf("merge %v wrote out.csv although it failed", c.files)
		}
	}
}

func TestSweepBadFiles(t *testing.T) {
	dir := sweepDir(t)
	var all strings.Builder
	for _, name := range []string{"bad-paths.yaml", "bad-distributions.yaml", "bad-constraints.yaml", "bad-syntax.yaml"} {
		r := runQuiet(t, dir, ExitUsage, "sweep", "run", name, "-o", "out.csv")
		all.WriteString("$ parley sweep run " + name + "\n" + r.stderr)
		if _, err := os.Stat(filepath.Join(dir, "out.csv")); err == nil {
			t.Errorf("%s: out.csv was written", name)
		}
	}
	checkGolden(t, "sweep/bad-files.golden", []byte(all.String()))
}

// A point whose scenario is invalid (its values together, not alone) is
// found before anything is written.
func TestSweepInvalidPointWritesNothing(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "s.yaml"), []byte(`base: builtin:tiny
parameters:
  - {path: environment.horizon, values: [10, 3]}
  - {path: moves.freeze.tranches, values: [1, 5]}
record: {metrics: [completed]}
`), 0o644)
	r := runQuiet(t, dir, ExitUsage, "sweep", "run", "s.yaml", "-o", "out.csv")
	if !strings.Contains(r.stderr, "parley: s.yaml: point 3 (environment.horizon=3, moves.freeze.tranches=5): the scenario is not valid:") {
		t.Errorf("stderr %q", r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "out.csv")); err == nil {
		t.Error("out.csv was written")
	}
}

func TestSweepPlan(t *testing.T) {
	dir := sweepDir(t)
	r := runQuiet(t, dir, ExitOK, "sweep", "plan", "grid.yaml", "--shards", "5", "--check")
	checkGolden(t, "sweep/plan-grid.golden", []byte(r.stdout))
	pts := runQuiet(t, dir, ExitOK, "sweep", "plan", "grid.yaml", "--points")
	lines := strings.Split(strings.TrimSpace(pts.stdout), "\n")
	if len(lines) != 25 || lines[0] != "point,insecurity,cost,seeker" || lines[24] != "23,0.8,1,0.6" {
		t.Errorf("points:\n%s", pts.stdout)
	}
	oat := runQuiet(t, dir, ExitOK, "sweep", "plan", "oat.yaml", "--points")
	if !strings.HasPrefix(oat.stdout, "point,insecurity,cost,verification,discount\n0,0.8,1,0.8,0.9\n1,0.2,1,0.8,0.9\n") {
		t.Errorf("oat points:\n%s", oat.stdout)
	}
	js := runQuiet(t, dir, ExitOK, "sweep", "plan", "sobol.yaml", "--format", "json", "--shards", "2")
	for _, w := range []string{`"points": 320`, `"method": "saltelli"`, `"distribution": "uniform on [0.1, 0.8]"`, `"shard": "1/2"`, `"from": 160`} {
		if !strings.Contains(js.stdout, w) {
			t.Errorf("JSON plan lacks %s:\n%s", w, js.stdout)
		}
	}
}

func TestSweepEmit(t *testing.T) {
	dir := sweepDir(t)
	runQuiet(t, dir, ExitOK, "sweep", "emit", "slurm", "grid.yaml", "--shards", "4", "--cpus", "2", "-o", "grid.sbatch")
	script := string(readOut(t, filepath.Join(dir, "grid.sbatch")))
	for _, w := range []string{"#SBATCH --array=0-3\n", "#SBATCH --chdir=" + dir + "\n", "#SBATCH --output=grid-shards/slurm-%A_%a.log\n",
		`exec parley sweep run grid.yaml --shard "${SLURM_ARRAY_TASK_ID}/4" --workers "${SLURM_CPUS_PER_TASK:-2}" --format csv --resume -o "grid-shards/grid-shard-${SLURM_ARRAY_TASK_ID}-of-4.csv"`} {
		if !strings.Contains(script, w) {
			t.Errorf("the script lacks %q:\n%s", w, script)
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "grid-shards")); err != nil || !fi.IsDir() {
		t.Error("emit slurm did not create the output directory")
	}
	r := runQuiet(t, dir, ExitOK, "sweep", "emit", "k8s", "grid.yaml", "--shards", "3", "--image", "registry.example/parley:1", "--memory", "512Mi")
	var docs []map[string]any
	dec := yaml.NewDecoder(strings.NewReader(r.stdout))
	for {
		var d map[string]any
		if dec.Decode(&d) != nil {
			break
		}
		docs = append(docs, d)
	}
	if len(docs) != 2 || docs[1]["kind"] != "Job" || docs[1]["apiVersion"] != "batch/v1" {
		t.Fatalf("manifest:\n%s", r.stdout)
	}
	spec := docs[1]["spec"].(map[string]any)
	if spec["completionMode"] != "Indexed" || spec["completions"] != uint64(3) || spec["parallelism"] != uint64(3) {
		t.Errorf("spec %v", spec)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", "emit", "k8s", "grid.yaml", "--shards", "3"}, "emit k8s needs --image"},
		{[]string{"sweep", "emit", "pbs", "grid.yaml", "--shards", "3"}, `unknown target "pbs"`},
		{[]string{"sweep", "emit", "slurm", "grid.yaml"}, "--shards must be at least 1"},
		{[]string{"sweep", "emit", "slurm", "grid.yaml", "--shards", "2", "--image", "x"}, "--image applies to k8s"},
		{[]string{"sweep", "emit", "k8s", "grid.yaml", "--shards", "2", "--image", "x", "--time", "1:00"}, "--time applies to slurm"},
		{[]string{"sweep", "emit", "slurm", "grid.yaml", "--shards", "2", "--out-dir", "my shards"}, "take no quotes"},
	} {
		r := runQuiet(t, dir, ExitUsage, c.args...)
		if !strings.Contains(r.stderr, c.want) {
			t.Errorf("parley %s: stderr %q, want %q", strings.Join(c.args, " "), r.stderr, c.want)
		}
	}
}
