package sweep

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
)

// TestEmitK8sMatchesTheJobSchema reads the emitted manifest into Kubernetes'
// own batch/v1 Job and v1 ConfigMap types (k8s.io/api, from which the API
// server's OpenAPI schema is generated), refusing any field those types do
// not have and any value of the wrong type, and then checks the rules the
// API server adds for an Indexed Job: names that are DNS labels, completions
// set and at least one, a restart policy of Never or OnFailure, volume mounts
// that name declared volumes, and a ConfigMap volume whose keys exist.
func TestEmitK8sMatchesTheJobSchema(t *testing.T) {
	p := mustLoad(t, "testdata/korea-file.yaml")
	data, err := os.ReadFile("testdata/korea-file.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []K8sOptions{
		{Shards: 8, Parallelism: 3, Image: "ghcr.io/example/parley:v1", CPUs: 2, Memory: "1Gi", Claim: "sweeps", Format: JSONL, SweepData: data},
		{Shards: 1, Parallelism: 1, Image: "parley", CPUs: 1, Memory: "512Mi", Claim: "c", Format: CSV, SweepData: data},
	} {
		var b bytes.Buffer
		if err := p.EmitK8s(&b, o); err != nil {
			t.Fatal(err)
		}
		docs := strings.Split(b.String(), "\n---\n")
		if len(docs) != 2 {
			t.Fatalf("%d documents, want a ConfigMap and a Job", len(docs))
		}
		var cm corev1.ConfigMap
		strictK8s(t, docs[0], &cm)
		var job batchv1.Job
		strictK8s(t, docs[1], &job)

		if cm.APIVersion != "v1" || cm.Kind != "ConfigMap" || job.APIVersion != "batch/v1" || job.Kind != "Job" {
			t.Errorf("kinds %s/%s and %s/%s", cm.APIVersion, cm.Kind, job.APIVersion, job.Kind)
		}
		for _, name := range []string{cm.Name, job.Name} {
			// a Job's name becomes a label of its pods, so it must be a DNS label
			if errs := validation.IsDNS1123Label(name); len(errs) > 0 {
				t.Errorf("name %q: %v", name, errs)
			}
		}
		for k, v := range job.Labels {
			if errs := validation.IsQualifiedName(k); len(errs) > 0 {
				t.Errorf("label key %q: %v", k, errs)
			}
			if errs := validation.IsValidLabelValue(v); len(errs) > 0 {
				t.Errorf("label %s=%q: %v", k, v, errs)
			}
		}
		s := job.Spec
		if s.CompletionMode == nil || *s.CompletionMode != batchv1.IndexedCompletion {
			t.Errorf("completionMode %v, want Indexed", s.CompletionMode)
		}
		if s.Completions == nil || int(*s.Completions) != o.Shards || s.Parallelism == nil || int(*s.Parallelism) != o.Parallelism {
			t.Errorf("completions %v, parallelism %v; want %d, %d", s.Completions, s.Parallelism, o.Shards, o.Parallelism)
		}
		pod := s.Template.Spec
		if pod.RestartPolicy != corev1.RestartPolicyNever && pod.RestartPolicy != corev1.RestartPolicyOnFailure {
			t.Errorf("restartPolicy %q: a Job takes Never or OnFailure", pod.RestartPolicy)
		}
		if len(pod.Containers) != 1 {
			t.Fatalf("%d containers", len(pod.Containers))
		}
		c := pod.Containers[0]
		if errs := validation.IsDNS1123Label(c.Name); len(errs) > 0 || c.Image != o.Image {
			t.Errorf("container %q (%v), image %q", c.Name, errs, c.Image)
		}
		if cpu := c.Resources.Requests[corev1.ResourceCPU]; cpu.Value() != int64(o.CPUs) {
			t.Errorf("cpu request %s, want %d", cpu.String(), o.CPUs)
		}
		if mem := c.Resources.Limits[corev1.ResourceMemory]; mem.String() != o.Memory {
			t.Errorf("memory limit %s, want %s", mem.String(), o.Memory)
		}
		vols := map[string]corev1.Volume{}
		for _, v := range pod.Volumes {
			vols[v.Name] = v
		}
		for _, m := range c.VolumeMounts {
			if _, ok := vols[m.Name]; !ok {
				t.Errorf("mount %q names no volume", m.Name)
			}
		}
		sv := vols["sweep"]
		if sv.ConfigMap == nil || sv.ConfigMap.Name != cm.Name {
			t.Fatalf("the sweep volume %+v is not the ConfigMap %q", sv, cm.Name)
		}
		for _, it := range sv.ConfigMap.Items {
			if _, ok := cm.Data[it.Key]; !ok {
				t.Errorf("the volume takes key %q, which the ConfigMap lacks", it.Key)
			}
		}
		if out := vols["out"]; out.PersistentVolumeClaim == nil || out.PersistentVolumeClaim.ClaimName != o.Claim {
			t.Errorf("the output volume %+v is not the claim %q", out, o.Claim)
		}
	}
}

// strictK8s reads one YAML document into a Kubernetes API type, as the API
// server's strict field validation does: unknown fields and values of the
// wrong type are errors.
func strictK8s(t *testing.T, doc string, into any) {
	t.Helper()
	js, err := yaml.YAMLToJSON([]byte(doc))
	if err != nil {
		t.Fatalf("the manifest is not YAML: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		t.Fatalf("the manifest does not fit %T: %v", into, err)
	}
}
