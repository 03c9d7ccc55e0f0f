package sweep

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// SlurmOptions shape the batch script of [Plan.EmitSlurm].
type SlurmOptions struct {
	// Sweep is the sweep file's path as the job reads it (relative to Dir).
	Sweep string
	// Shards is the number of array tasks, one shard each.
	Shards int
	// CPUs per task (the shard's workers); Time, Memory and Partition are
	// passed to sbatch when set (e.g. "2:00:00", "2G", "short").
	CPUs      int
	Time      string
	Memory    string
	Partition string
	// Dir is the working directory of the tasks (absolute).
	Dir string
	// OutDir holds the shards' outputs and logs (relative to Dir); it must
	// exist when the job starts.
	OutDir string
	// Parley is the command that runs parley (default "parley").
	Parley string
	Format Format
}

var safeDirRE = regexp.MustCompile(`^[A-Za-z0-9._/-]+$`)

// ShardFile is the name of shard i's output under the emitted jobs.
func (p *Plan) ShardFile(i, n int, f Format) string {
	return fmt.Sprintf("%s-shard-%d-of-%d.%s", p.Name, i, n, f)
}

// EmitSlurm writes an sbatch script that runs the plan as a job array, one
// task per shard; each task resumes its shard if it is requeued.
func (p *Plan) EmitSlurm(w io.Writer, o SlurmOptions) error {
	if o.Shards < 1 {
		return fmt.Errorf("the number of shards must be at least 1, got %d", o.Shards)
	}
	if o.CPUs < 1 {
		o.CPUs = 1
	}
	if o.Parley == "" {
		o.Parley = "parley"
	}
	if o.OutDir == "" {
		o.OutDir = "."
	}
	if !safeDirRE.MatchString(o.OutDir) {
		return fmt.Errorf("the output directory %q goes into the logs' file name pattern (#SBATCH --output) and the tasks' command line, which take no quotes: use letters, digits, '.', '_', '-' and '/'", o.OutDir)
	}
	if strings.ContainsAny(o.Dir, "%\\\n") {
		return fmt.Errorf("the working directory %q holds a '%%', a backslash or a line break, which Slurm reads as part of a file name pattern or of the script: run emit from a directory without them", o.Dir)
	}
	n := o.Shards
	out := path.Join(filepath.ToSlash(o.OutDir), p.ShardFile(0, n, o.Format))
	out = strings.Replace(out, "-shard-0-", "-shard-${SLURM_ARRAY_TASK_ID}-", 1)
	merged := p.Name + "." + string(o.Format)
	all := path.Join(filepath.ToSlash(o.OutDir), strings.Replace(p.ShardFile(0, n, o.Format), "-shard-0-", "-shard-*-", 1))
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/bash\n")
	fmt.Fprintf(&b, "# parley sweep %s (plan %s): %d points in %d shards, one array task each.\n", p.Name, p.Fingerprint(), p.Len(), n)
	fmt.Fprintf(&b, "# Written by parley sweep emit slurm. Submit with\n#   sbatch THIS-FILE\n")
	fmt.Fprintf(&b, "# and, when every task has finished, merge the shards (byte for byte the output of one run):\n")
	fmt.Fprintf(&b, "#   %s sweep merge -o %s %s\n", shellWord(o.Parley), merged, all)
	fmt.Fprintf(&b, "# A task that fails or is requeued resumes its shard where it stopped.\n")
	fmt.Fprintf(&b, "#SBATCH --job-name=parley-%s\n", p.Name)
	fmt.Fprintf(&b, "#SBATCH --array=0-%d\n", n-1)
	fmt.Fprintf(&b, "#SBATCH --cpus-per-task=%d\n", o.CPUs)
	fmt.Fprintf(&b, "#SBATCH --ntasks=1\n")
	if o.Dir != "" {
		fmt.Fprintf(&b, "#SBATCH --chdir=%s\n", sbatchWord(o.Dir))
	}
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", path.Join(filepath.ToSlash(o.OutDir), "slurm-%A_%a.log"))
	if o.Time != "" {
		fmt.Fprintf(&b, "#SBATCH --time=%s\n", o.Time)
	}
	if o.Memory != "" {
		fmt.Fprintf(&b, "#SBATCH --mem=%s\n", o.Memory)
	}
	if o.Partition != "" {
		fmt.Fprintf(&b, "#SBATCH --partition=%s\n", o.Partition)
	}
	fmt.Fprintf(&b, "set -euo pipefail\n")
	fmt.Fprintf(&b, "exec %s sweep run %s --shard \"${SLURM_ARRAY_TASK_ID}/%d\" --workers \"${SLURM_CPUS_PER_TASK:-%d}\" --format %s --resume -o \"%s\"\n",
		shellWord(o.Parley), shellWord(o.Sweep), n, o.CPUs, o.Format, out)
	_, err := io.WriteString(w, b.String())
	return err
}

// sbatchWord quotes s for an #SBATCH line unless it is a plain word: sbatch
// splits those lines at blanks outside double quotes, takes a backslash as
// an escape and an unescaped '#' as the start of a comment (even in quotes).
func sbatchWord(s string) string {
	if safeDirRE.MatchString(s) {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		if c == '"' || c == '\\' || c == '#' {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	b.WriteByte('"')
	return b.String()
}

// shellWord quotes s for a POSIX shell unless it is a plain word.
func shellWord(s string) string {
	plain := s != ""
	for _, c := range s {
		if !(c == '/' || c == '.' || c == '-' || c == '_' || c == ':' || c == '+' || c == '=' || c == ',' ||
			'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			plain = false
		}
	}
	if plain {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// K8sOptions shape the manifest of [Plan.EmitK8s].
type K8sOptions struct {
	// Shards is the number of completions, one shard each; Parallelism how
	// many run at once (default all).
	Shards, Parallelism int
	// Image is the container image holding the parley binary on its PATH.
	Image string
	// CPUs and Memory are each pod's requests and limits (Memory optional, e.g. "1Gi").
	CPUs   int
	Memory string
	// Claim is the PersistentVolumeClaim mounted at /out for the outputs.
	Claim string
	// Namespace, if set, is written into the metadata.
	Namespace string
	Format    Format
	// SweepData is the sweep file; it goes into a ConfigMap mounted at
	// /sweep with the base scenario file (BaseData), if any, at its path
	// relative to the sweep file.
	SweepData []byte
}

// K8sMountDir is where the emitted Job mounts the sweep file; K8sOutDir where it writes.
const (
	K8sMountDir = "/sweep"
	K8sOutDir   = "/out"
)

// EmitK8s writes a Kubernetes manifest: a ConfigMap holding the sweep file
// (and its base scenario file) and a batch/v1 Indexed Job of one completion
// per shard, each running `parley sweep run --shard auto/N`, which takes
// its shard from JOB_COMPLETION_INDEX, and writing to the claim at /out.
func (p *Plan) EmitK8s(w io.Writer, o K8sOptions) error {
	if o.Shards < 1 {
		return fmt.Errorf("the number of shards must be at least 1, got %d", o.Shards)
	}
	if o.Parallelism < 1 || o.Parallelism > o.Shards {
		o.Parallelism = o.Shards
	}
	if o.CPUs < 1 {
		o.CPUs = 1
	}
	if o.Image == "" {
		return fmt.Errorf("give the container image that holds parley")
	}
	if o.Claim == "" {
		return fmt.Errorf("give the PersistentVolumeClaim to write the shards to")
	}
	base := ""
	if p.BaseData != nil {
		base = filepath.ToSlash(p.BaseRef)
		if path.IsAbs(base) || strings.HasPrefix(path.Clean(base), "..") {
			return fmt.Errorf("the base scenario %s is not in the sweep file's directory or below it, so it cannot be mounted beside it; move it there", p.BaseRef)
		}
		base = path.Clean(base)
	}
	name := "parley-sweep-" + strings.ToLower(strings.ReplaceAll(p.Name, "_", "-"))
	if len(name) > 52 {
		name = name[:52]
	}
	name = strings.TrimRight(name, "-")
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	n := o.Shards
	out := K8sOutDir + "/" + strings.Replace(p.ShardFile(0, n, o.Format), "-shard-0-", "-shard-{shard}-", 1)
	var b strings.Builder
	fmt.Fprintf(&b, "# parley sweep %s (plan %s): %d points in %d shards, one completion each.\n", p.Name, p.Fingerprint(), p.Len(), n)
	fmt.Fprintf(&b, "# Written by parley sweep emit k8s. Apply with kubectl apply -f THIS-FILE; when the Job\n")
	fmt.Fprintf(&b, "# has completed, copy the shards out of the claim %s and merge them:\n", o.Claim)
	fmt.Fprintf(&b, "#   parley sweep merge -o %s.%s %s\n", p.Name, o.Format, strings.Replace(p.ShardFile(0, n, o.Format), "-shard-0-", "-shard-*-", 1))
	ns := ""
	if o.Namespace != "" {
		ns = "\n  namespace: " + q(o.Namespace)
	}
	fmt.Fprintf(&b, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s%s\n  labels:\n    app.kubernetes.io/name: parley\n    parley-plan: %q\ndata:\n", name, ns, p.Fingerprint())
	fmt.Fprintf(&b, "  sweep.yaml: %s\n", q(string(o.SweepData)))
	if base != "" {
		fmt.Fprintf(&b, "  base.yaml: %s\n", q(string(p.BaseData)))
	}
	fmt.Fprintf(&b, "---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: %s%s\n  labels:\n    app.kubernetes.io/name: parley\n    parley-plan: %q\n", name, ns, p.Fingerprint())
	fmt.Fprintf(&b, "spec:\n  completionMode: Indexed\n  completions: %d\n  parallelism: %d\n  backoffLimit: %d\n", n, o.Parallelism, 3*n)
	fmt.Fprintf(&b, "  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: parley\n    spec:\n      restartPolicy: OnFailure\n      containers:\n        - name: parley\n")
	fmt.Fprintf(&b, "          image: %s\n", q(o.Image))
	cmd := []string{"parley", "sweep", "run", K8sMountDir + "/sweep.yaml", "--shard", "auto/" + strconv.Itoa(n),
		"--workers", strconv.Itoa(o.CPUs), "--format", string(o.Format), "--resume", "-o", out}
	parts := make([]string, len(cmd))
	for i, c := range cmd {
		parts[i] = q(c)
	}
	fmt.Fprintf(&b, "          command: [%s]\n", strings.Join(parts, ", "))
	fmt.Fprintf(&b, "          resources:\n            requests:\n              cpu: %q\n", strconv.Itoa(o.CPUs))
	if o.Memory != "" {
		fmt.Fprintf(&b, "              memory: %s\n", q(o.Memory))
	}
	fmt.Fprintf(&b, "            limits:\n              cpu: %q\n", strconv.Itoa(o.CPUs))
	if o.Memory != "" {
		fmt.Fprintf(&b, "              memory: %s\n", q(o.Memory))
	}
	fmt.Fprintf(&b, "          volumeMounts:\n            - name: sweep\n              mountPath: %s\n              readOnly: true\n            - name: out\n              mountPath: %s\n", K8sMountDir, K8sOutDir)
	fmt.Fprintf(&b, "      volumes:\n        - name: sweep\n          configMap:\n            name: %s\n            items:\n              - key: sweep.yaml\n                path: sweep.yaml\n", name)
	if base != "" {
		fmt.Fprintf(&b, "              - key: base.yaml\n                path: %s\n", q(base))
	}
	fmt.Fprintf(&b, "        - name: out\n          persistentVolumeClaim:\n            claimName: %s\n", q(o.Claim))
	_, err := io.WriteString(w, b.String())
	return err
}
