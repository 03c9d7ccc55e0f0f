package cli

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parleyhq/parley/scenario"
)

// auditJSON is the part of audit's JSON output the tests check.
type auditJSON struct {
	Scenario        string  `json:"scenario"`
	Roadmap         string  `json:"roadmap"`
	Phases          int     `json:"phases"`
	AllProfiles     bool    `json:"all_profiles"`
	PassProbability float64 `json:"pass_probability"`
	Profiles        []struct {
		Types []struct {
			Actor       string `json:"actor"`
			Type        string `json:"type"`
			Disposition string `json:"disposition"`
		} `json:"types"`
		Probability float64 `json:"probability"`
		Failures    int     `json:"failures"`
		Phases      []struct {
			Index int `json:"index"`
		} `json:"phases"`
	} `json:"profiles"`
}

// decodeAudits decodes audit's JSON output: one object per roadmap audited,
// one after the other.
// decodeAudits reads audit's JSON: one object for one roadmap, an array for several.
func decodeAudits(t *testing.T, out string) []auditJSON {
	t.Helper()
	var as []auditJSON
	if strings.HasPrefix(out, "[") {
		if err := json.Unmarshal([]byte(out), &as); err != nil {
			t.Fatalf("audit's JSON array does not decode: %v\n%.500s", err, out)
		}
		if len(as) < 2 {
			t.Errorf("an array of %d reports; one roadmap should give a single object", len(as))
		}
		return as
	}
	var a auditJSON
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("audit's JSON does not decode: %v\n%.500s", err, out)
	}
	if dec.More() {
		t.Errorf("more than one JSON document in the output")
	}
	return []auditJSON{a}
}

// koreaPriors returns the prior of each type of each actor of korea.
func koreaPriors(t *testing.T) map[string]map[string]float64 {
	t.Helper()
	s, err := scenario.Builtin("korea")
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]map[string]float64{}
	for _, a := range s.Actors {
		m[a.ID] = map[string]float64{}
		for _, ty := range a.Types {
			m[a.ID][ty.ID] = ty.Prior
		}
	}
	return m
}

func TestAuditGolden(t *testing.T) {
	out := mustRun(t, t.TempDir(), "audit", "--roadmap", "peace-first")
	checkGolden(t, "audit-peace-first.golden", []byte(out))
}

func TestAuditAllProfiles(t *testing.T) {
	out := mustRun(t, t.TempDir(), "audit", "--all-profiles", "--roadmap", "grand-bargain", "--format", "json")
	as := decodeAudits(t, out)
	if len(as) != 1 {
		t.Fatalf("%d audits, want 1", len(as))
	}
	a := as[0]
	if a.Scenario != "korea" || a.Roadmap != "grand-bargain" || !a.AllProfiles || a.Phases != 4 {
		t.Errorf("scenario %q roadmap %q all_profiles %v phases %d; want korea grand-bargain true 4", a.Scenario, a.Roadmap, a.AllProfiles, a.Phases)
	}
	priors := koreaPriors(t)
	want := 1
	for _, ts := range priors {
		want *= len(ts)
	}
	if len(a.Profiles) != want {
		t.Errorf("%d profiles, want every combination of types: %d", len(a.Profiles), want)
	}
	sum, pass := 0.0, 0.0
	seen := map[string]bool{}
	for i, p := range a.Profiles {
		prod := 1.0
		var key []string
		for _, ty := range p.Types {
			prior, ok := priors[ty.Actor][ty.Type]
			if !ok {
				t.Errorf("profile %d: %s has no type %q", i+1, ty.Actor, ty.Type)
			}
			prod *= prior
			key = append(key, ty.Actor+"="+ty.Type)
		}
		if len(p.Types) != len(priors) {
			t.Errorf("profile %d names %d actors, want %d", i+1, len(p.Types), len(priors))
		}
		k := strings.Join(key, " ")
		if seen[k] {
			t.Errorf("profile %s listed twice", k)
		}
		seen[k] = true
		if math.Abs(p.Probability-prod) > 1e-12 {
			t.Errorf("profile %s has probability %v, the product of its priors is %v", k, p.Probability, prod)
		}
		if len(p.Phases) != a.Phases {
			t.Errorf("profile %s: %d phases audited, want %d", k, len(p.Phases), a.Phases)
		}
		sum += p.Probability
		if p.Failures == 0 {
			pass += p.Probability
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("the profiles' probabilities sum to %.15g, want 1", sum)
	}
	if math.Abs(a.PassProbability-pass) > 1e-12 {
		t.Errorf("pass_probability = %v, the profiles without failures add up to %v", a.PassProbability, pass)
	}
	if pass <= 0 || pass >= 1 {
		t.Errorf("pass probability %v: want some profiles to pass and some to fail", pass)
	}
}

func TestAuditDefaultProfileIsMostLikely(t *testing.T) {
	out := mustRun(t, t.TempDir(), "audit", "--roadmap", "peace-first", "--format", "json")
	as := decodeAudits(t, out)
	if len(as) != 1 || len(as[0].Profiles) != 1 {
		t.Fatalf("want one audit of one profile, got %d audits", len(as))
	}
	priors := koreaPriors(t)
	p := as[0].Profiles[0]
	for _, ty := range p.Types {
		for other, prior := range priors[ty.Actor] {
			if prior > priors[ty.Actor][ty.Type] {
				t.Errorf("%s is audited as %s (prior %v), but %s is more likely (%v)", ty.Actor, ty.Type, priors[ty.Actor][ty.Type], other, prior)
			}
		}
	}
	if as[0].AllProfiles {
		t.Error("all_profiles is true without --all-profiles")
	}
	if p.Failures == 0 || as[0].PassProbability != 0 {
		t.Errorf("peace-first under the most likely profile: %d failures, pass probability %v; want failures and 0", p.Failures, as[0].PassProbability)
	}
}

func TestAuditProfileFlag(t *testing.T) {
	dir := t.TempDir()
	out := mustRun(t, dir, "audit", "--roadmap", "peace-first", "--profile", "DPRK=security-seeker, US=congress-bound", "--format", "json")
	as := decodeAudits(t, out)
	if len(as) != 1 || len(as[0].Profiles) != 1 {
		t.Fatalf("want one audit of one profile")
	}
	got := map[string]string{}
	for _, ty := range as[0].Profiles[0].Types {
		got[ty.Actor] = ty.Type
	}
	want := map[string]string{"US": "congress-bound", "DPRK": "security-seeker", "ROK": "engager", "China": "stabilizer"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("profile %v, want %v (the others at their most likely type)", got, want)
	}
	priors := koreaPriors(t)
	prod := priors["US"]["congress-bound"] * priors["DPRK"]["security-seeker"] * priors["ROK"]["engager"] * priors["China"]["stabilizer"]
	if p := as[0].Profiles[0].Probability; math.Abs(p-prod) > 1e-12 {
		t.Errorf("probability %v, want the product of the priors %v", p, prod)
	}
	text := mustRun(t, dir, "audit", "--roadmap", "peace-first", "--profile", "DPRK=security-seeker,US=congress-bound")
	if !strings.Contains(text, "Profile: US = congress-bound (hardliner), DPRK = security-seeker (reciprocator), ROK = engager (reciprocator), China = stabilizer (reciprocator)\n") {
		t.Errorf("the text does not name the profile:\n%.1000s", text)
	}
}

func TestAuditEveryRoadmapWithPhases(t *testing.T) {
	dir := t.TempDir()
	text := mustRun(t, dir, "audit")
	var audited []string
	for _, l := range strings.Split(text, "\n") {
		if rest, ok := strings.CutPrefix(l, "Audit of roadmap "); ok {
			audited = append(audited, strings.Fields(rest)[0])
		}
	}
	if !slices.Equal(audited, koreaRoadmaps[:4]) {
		t.Errorf("audit without --roadmap audits %v, want every roadmap with phases %v", audited, koreaRoadmaps[:4])
	}
	var ids []string
	for _, a := range decodeAudits(t, mustRun(t, dir, "audit", "--format", "json")) {
		ids = append(ids, a.Roadmap)
	}
	if !slices.Equal(ids, koreaRoadmaps[:4]) {
		t.Errorf("audit --format json audits %v, want %v", ids, koreaRoadmaps[:4])
	}
	// a baseline named explicitly is audited, and has nothing to audit
	base := mustRun(t, dir, "audit", "--roadmap", "status-quo")
	if !strings.Contains(base, "there is nothing to audit") {
		t.Errorf("audit of the baseline:\n%s", base)
	}
}

func TestAuditMarkdown(t *testing.T) {
	out := mustRun(t, t.TempDir(), "audit", "--roadmap", "peace-first", "--format", "markdown")
	if !strings.HasPrefix(out, "# Audit of roadmap peace-first ") {
		t.Errorf("Markdown starts %.60q", out)
	}
	for _, want := range []string{"| actor |", "|---", "FAILS: self-enforcement"} {
		if !strings.Contains(out, want) {
			t.Errorf("Markdown audit lacks %q", want)
		}
	}
}

func TestAuditOutputFile(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"text", "markdown", "json"} {
		args := []string{"audit", "--roadmap", "grit", "--all-profiles", "--format", f}
		stdout := mustRun(t, dir, args...)
		if r := runQuiet(t, dir, ExitOK, append(args, "-o", "audit."+f)...); r.stdout != "" {
			t.Errorf("with -o, stdout = %.100q", r.stdout)
		}
		got, err := os.ReadFile(filepath.Join(dir, "audit."+f))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != stdout {
			t.Errorf("%s: -o writes other bytes than stdout", f)
		}
	}
}
