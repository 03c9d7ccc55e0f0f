package sweep

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it):\n%s", name, got)
	}
}

func TestEmitSlurm(t *testing.T) {
	p := mustLoad(t, "testdata/tiny-grid.yaml")
	var b bytes.Buffer
	err := p.EmitSlurm(&b, SlurmOptions{Sweep: "sweeps/tiny grid.yaml", Shards: 4, CPUs: 2, Time: "1:00:00", Memory: "1G",
		Dir: "/home/me/study", OutDir: "out", Format: CSV})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "tiny-grid.sbatch.golden", b.Bytes())
	for _, want := range []string{"#SBATCH --array=0-3\n", "--shard \"${SLURM_ARRAY_TASK_ID}/4\"", "'sweeps/tiny grid.yaml'", `-o "out/tiny-grid-shard-${SLURM_ARRAY_TASK_ID}-of-4.csv"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the script lacks %q", want)
		}
	}
}

// The manifest has the essentials of the batch/v1 Job schema for an indexed
// job: kind and apiVersion, completionMode Indexed, completions and
// parallelism, a pod template whose restart policy a Job accepts, and a
// container that runs the shard given by JOB_COMPLETION_INDEX.
func TestEmitK8s(t *testing.T) {
	p := mustLoad(t, "testdata/korea-file.yaml")
	data, _ := os.ReadFile("testdata/korea-file.yaml")
	var b bytes.Buffer
	err := p.EmitK8s(&b, K8sOptions{Shards: 8, Parallelism: 3, Image: "ghcr.io/example/parley:v1", CPUs: 2, Memory: "1Gi", Claim: "sweeps", Format: JSONL, SweepData: data})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "korea-file.k8s.golden", b.Bytes())
	var docs []map[string]any
	dec := yaml.NewDecoder(bytes.NewReader(b.Bytes()))
	for {
		var d map[string]any
		if err := dec.Decode(&d); err != nil {
			break
		}
		docs = append(docs, d)
	}
	if len(docs) != 2 {
		t.Fatalf("%d documents, want a ConfigMap and a Job", len(docs))
	}
	cm, job := docs[0], docs[1]
	if cm["apiVersion"] != "v1" || cm["kind"] != "ConfigMap" {
		t.Errorf("first document: %v %v", cm["apiVersion"], cm["kind"])
	}
	cmData := cm["data"].(map[string]any)
	if cmData["sweep.yaml"] != string(data) || cmData["base.yaml"] != string(p.BaseData) {
		t.Errorf("the ConfigMap does not hold the sweep and base files as they are")
	}
	if job["apiVersion"] != "batch/v1" || job["kind"] != "Job" {
		t.Errorf("second document: %v %v", job["apiVersion"], job["kind"])
	}
	name := job["metadata"].(map[string]any)["name"].(string)
	if name != "parley-sweep-korea-file" || len(name) > 63 {
		t.Errorf("name %q", name)
	}
	spec := job["spec"].(map[string]any)
	if spec["completionMode"] != "Indexed" || num(spec["completions"]) != 8 || num(spec["parallelism"]) != 3 {
		t.Errorf("spec: completionMode %v, completions %v, parallelism %v", spec["completionMode"], spec["completions"], spec["parallelism"])
	}
	pod := spec["template"].(map[string]any)["spec"].(map[string]any)
	if rp := pod["restartPolicy"]; rp != "OnFailure" && rp != "Never" {
		t.Errorf("restartPolicy %v: a Job takes Never or OnFailure", rp)
	}
	cs := pod["containers"].([]any)
	if len(cs) != 1 {
		t.Fatalf("%d containers", len(cs))
	}
	c := cs[0].(map[string]any)
	var cmd []string
	for _, x := range c["command"].([]any) {
		cmd = append(cmd, x.(string))
	}
	want := "parley sweep run /sweep/sweep.yaml --shard auto/8 --workers 2 --format jsonl --resume -o /out/korea-file-shard-{shard}-of-8.jsonl"
	if strings.Join(cmd, " ") != want {
		t.Errorf("command %q, want %q", strings.Join(cmd, " "), want)
	}
	if c["image"] != "ghcr.io/example/parley:v1" {
		t.Errorf("image %v", c["image"])
	}
	// the base file is mounted where the sweep file refers to it
	vols := pod["volumes"].([]any)
	items := vols[0].(map[string]any)["configMap"].(map[string]any)["items"].([]any)
	if items[1].(map[string]any)["path"] != "korea-variant.yaml" {
		t.Errorf("base mounted at %v", items[1])
	}
	if vols[1].(map[string]any)["persistentVolumeClaim"].(map[string]any)["claimName"] != "sweeps" {
		t.Errorf("claim %v", vols[1])
	}
}

func num(x any) int {
	switch v := x.(type) {
	case uint64:
		return int(v)
	case int64:
		return int(v)
	case int:
		return v
	case float64:
		return int(v)
	}
	return -1
}

func TestEmitSlurmRefusesAnUnsafeDirectory(t *testing.T) {
	p := mustLoad(t, "testdata/tiny-grid.yaml")
	err := p.EmitSlurm(&bytes.Buffer{}, SlurmOptions{Sweep: "s.yaml", Shards: 2, OutDir: "my shards", Format: CSV})
	if err == nil || !strings.Contains(err.Error(), "take no quotes") {
		t.Errorf("error %v", err)
	}
}

func TestEmitK8sRefusesBaseOutsideTheSweepDirectory(t *testing.T) {
	p := mustLoad(t, "testdata/korea-file.yaml")
	p.BaseRef = "../elsewhere/korea.yaml"
	err := p.EmitK8s(&bytes.Buffer{}, K8sOptions{Shards: 2, Image: "x", Claim: "c", Format: CSV})
	if err == nil || !strings.Contains(err.Error(), "move it there") {
		t.Errorf("error %v", err)
	}
}

// sbatch reads an #SBATCH line's argument up to a blank outside double
// quotes, with backslash escapes, and cuts it at an unescaped '#'; the
// working directory is quoted so (checked against Slurm 22.05 by
// internal/cli's TestSlurmCluster). A '%' would be taken for a file name
// pattern in the log's path, which Slurm prefixes with the directory.
func TestEmitSlurmDir(t *testing.T) {
	p := mustLoad(t, "testdata/tiny-grid.yaml")
	for _, c := range []struct{ dir, want string }{
		{"/home/me/study", "#SBATCH --chdir=/home/me/study\n"},
		{"/home/me/my study", "#SBATCH --chdir=\"/home/me/my study\"\n"},
		{`/data/run #2/"x"`, `#SBATCH --chdir="/data/run \#2/\"x\""` + "\n"},
		{"/data/é", "#SBATCH --chdir=\"/data/é\"\n"},
	} {
		var b bytes.Buffer
		if err := p.EmitSlurm(&b, SlurmOptions{Sweep: "s.yaml", Shards: 2, Dir: c.dir, OutDir: "out", Format: CSV}); err != nil {
			t.Errorf("%q: %v", c.dir, err)
			continue
		}
		if !strings.Contains(b.String(), c.want) {
			t.Errorf("%q: the script lacks %q:\n%s", c.dir, c.want, b.String())
		}
	}
	for _, dir := range []string{"/data/100%", `/data/a\b`, "/data/a\nb"} {
		err := p.EmitSlurm(&bytes.Buffer{}, SlurmOptions{Sweep: "s.yaml", Shards: 2, Dir: dir, OutDir: "out", Format: CSV})
		if err == nil || !strings.Contains(err.Error(), "run emit from a directory without them") {
			t.Errorf("%q: err = %v, want a refusal", dir, err)
		}
	}
}
