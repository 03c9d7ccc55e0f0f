package cli

import (
	"math"
	"strings"
	"testing"

	"github.com/parleyhq/parley/montecarlo"
)

func TestCompareExact(t *testing.T) {
	dir := t.TempDir()
	c := decodeComparison(t, mustRun(t, dir, "compare", "builtin:tiny", "--exact", "--format", "json"))
	if !c.Exact {
		t.Error("the JSON does not say the result is exact")
	}
	for _, r := range c.Roadmaps {
		sum := 0.0
		for _, o := range r.Outcomes {
			sum += o.P
			if o.Lo != o.P || o.Hi != o.P {
				t.Errorf("%s %s: interval [%v, %v] around an exact %v", r.ID, o.Name, o.Lo, o.Hi, o.P)
			}
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Errorf("%s: outcome probabilities sum to %v", r.ID, sum)
		}
	}
	// sampling agrees with the exact answer: every outcome share within a
	// Wilson interval at z = 4 (about 6e-5 two-sided, so a handful of
	// comparisons together stay far below a 1% chance of a false alarm)
	const runs = 20000
	mc := decodeComparison(t, mustRun(t, dir, "compare", "builtin:tiny", "--runs", "20000", "--format", "json"))
	for i, r := range mc.Roadmaps {
		for j, o := range r.Outcomes {
			lo, hi := montecarlo.WilsonZ(o.P, runs, 4)
			if p := c.Roadmaps[i].Outcomes[j].P; p < lo-1e-12 || p > hi+1e-12 {
				t.Errorf("%s %s: exact %v outside the sampled interval [%v, %v]", r.ID, o.Name, p, lo, hi)
			}
		}
	}
	text := mustRun(t, dir, "compare", "builtin:tiny", "--exact")
	if !strings.Contains(text, "Exact: every history enumerated") {
		t.Errorf("the text does not say it is exact:\n%.300s", text)
	}
}

func TestCompareExactBadUse(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"compare", "builtin:tiny", "--exact", "--runs", "5"}, "parley: --exact enumerates every history: --runs does not apply\n"},
		{[]string{"compare", "builtin:tiny", "--exact-limit", "5"}, "parley: --exact-limit needs --exact\n"},
		{[]string{"compare", "--exact", "--exact-limit", "1000", "-o", "out.json"},
			"parley: roadmap denuclearization-first: too many distinct histories to enumerate: more than 1000; --exact is for small scenarios (raise --exact-limit, or sample with --runs)\n"},
	} {
		dir := t.TempDir()
		r := runQuiet(t, dir, ExitUsage, tc.args...)
		if r.stderr != tc.want {
			t.Errorf("%v: stderr %q, want %q", tc.args, r.stderr, tc.want)
		}
		assertEmptyDir(t, dir)
	}
}
