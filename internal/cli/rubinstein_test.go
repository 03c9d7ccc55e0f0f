package cli

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

type rubinsteinOut struct {
	Share1, Share2 float64
	Unique         bool
	Share1Min      float64 `json:"share1_min"`
	Share1Max      float64 `json:"share1_max"`
	Binds2         bool    `json:"outside2_binds"`
	ByRound        []struct {
		Round    int     `json:"round"`
		Proposer int     `json:"proposer"`
		Share    float64 `json:"proposer_share"`
	} `json:"by_round"`
}

func runRubinstein(t *testing.T, args ...string) rubinsteinOut {
	t.Helper()
	out := mustRun(t, t.TempDir(), append(append([]string{"rubinstein"}, args...), "--format", "json")...)
	var r rubinsteinOut
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return r
}

// TestRubinsteinCommand checks the closed forms of theory.md §3 through the
// command.
func TestRubinsteinCommand(t *testing.T) {
	for _, c := range []struct {
		args   []string
		share1 float64
	}{
		{[]string{"--d1", "0.9", "--d2", "0.9"}, 0.526316},
		{[]string{"--d1", "0.9", "--d2", "0.8"}, 0.714286},
		{[]string{"--d1", "0.8", "--d2", "0.9"}, 0.357143},
		{[]string{"--d1", "0.9", "--d2", "0.9", "--outside2", "0.3"}, 1 - 0.473684},
		{[]string{"--d1", "0.9", "--d2", "0.9", "--outside2", "0.6"}, 0.4},
		{[]string{"--c1", "0.1", "--c2", "0.2"}, 1},
		{[]string{"--c1", "0.2", "--c2", "0.1"}, 0.1},
		{[]string{"--d1", "0.9", "--d2", "0.9", "--rounds", "3"}, 0.91},
	} {
		r := runRubinstein(t, c.args...)
		if math.Abs(r.Share1-c.share1) > 5e-7 || !r.Unique || math.Abs(r.Share1+r.Share2-1) > 1e-15 {
			t.Errorf("%v: %+v, want party 1 to get %g", c.args, r, c.share1)
		}
	}
	r := runRubinstein(t, "--d1", "0.9", "--d2", "0.9", "--outside2", "0.6")
	if !r.Binds2 {
		t.Error("w2 = 0.6: the outside option should bind")
	}
	r = runRubinstein(t, "--c1", "0.25", "--c2", "0.25")
	if r.Unique || r.Share1Min != 0.25 || r.Share1Max != 1 {
		t.Errorf("equal costs: %+v, want every share from 0.25 to 1", r)
	}
	r = runRubinstein(t, "--d1", "0.9", "--d2", "0.9", "--rounds", "4")
	if len(r.ByRound) != 4 || math.Abs(r.ByRound[0].Share-0.181) > 1e-12 || r.ByRound[1].Proposer != 2 || r.ByRound[3].Share != 1 {
		t.Errorf("4 rounds: %+v", r.ByRound)
	}
	out := mustRun(t, t.TempDir(), "rubinstein", "--d1", "0.9", "--d2", "0.8")
	checkGolden(t, "bargain/rubinstein-0.9-0.8.golden", []byte(out))
	out = mustRun(t, t.TempDir(), "rubinstein", "--d1", "0.9", "--d2", "0.9", "--rounds", "30", "--outside2", "0.2")
	checkGolden(t, "bargain/rubinstein-30-rounds.golden", []byte(out))
}

func TestRubinsteinBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--d1", "1.2"}, "--d1 must be in [0, 1], got 1.2"},
		{[]string{"--d2", "x"}, `invalid value "x" for --d2: expected a number`},
		{[]string{"--c2", "-1"}, "--c2 must be 0 or more"},
		{[]string{"--outside1", "0.7", "--outside2", "0.7"}, "--outside1 and --outside2 add up to 1.4"},
		{[]string{"--rounds", "-2"}, "--rounds must be from 1 to"},
		{[]string{"extra"}, "unknown command"},
	} {
		code, _, stderr := runCLI(t, append([]string{"rubinstein"}, c.args...)...)
		if code != ExitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("rubinstein %v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}
