package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fcFile returns the absolute path of a file under testdata/forecast.
func fcFile(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", "forecast", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestForecastKTABReference runs KTAB's two reference data sets through the
// command and compares the output with KTAB's own summary, byte for byte.
func TestForecastKTABReference(t *testing.T) {
	for _, name := range []string{"dummyData_3Dim", "SOE-Pol-Comp"} {
		code, out, _ := runCLI(t, "forecast", fcFile(t, name+".csv"), "--model", "smp", "--format", "ktab")
		want, err := os.ReadFile(fcFile(t, name+".ktab-reference.txt"))
		if err != nil {
			t.Fatal(err)
		}
		if code != ExitOK || out != string(want) {
			t.Errorf("%s: exit %d, output differs from KTAB's summary", name, code)
		}
	}
}

func TestForecastGolden(t *testing.T) {
	tests := []struct {
		golden string
		args   []string
	}{
		{"forecast/eu-baselines.golden", []string{"eu_emissions_bdm1994.csv"}},
		{"forecast/eu-baselines.csv.golden", []string{"eu_emissions_bdm1994.csv", "--format", "csv"}},
		{"forecast/eu-yaml-median-capability.golden", []string{"eu.yaml", "--model", "median", "--weights", "capability"}},
		{"forecast/soe-baselines-majority.golden", []string{"SOE-Pol-Comp.csv", "--ballot", "majority"}},
		{"forecast/dummy3-smp.golden", []string{"dummyData_3Dim.csv", "--model", "smp"}},
		{"forecast/dummy3-smp-trace.golden", []string{"dummyData_3Dim.csv", "--model", "smp", "--trace", "--max-turns", "2"}},
		{"forecast/dummy3-smp.csv.golden", []string{"dummyData_3Dim.csv", "--model", "smp", "--format", "csv", "--max-turns", "3"}},
		{"forecast/example-smp-stochastic.golden", []string{"smpExample_alice52.8.xml", "--model", "smp", "--seed", "7"}},
		{"forecast/eu-bdm.golden", []string{"eu_emissions_bdm1994.csv", "--model", "bdm"}},
		{"forecast/eu-bdm-trace.golden", []string{"eu_emissions_bdm1994.csv", "--model", "bdm", "--trace", "--bdm", "max-rounds=1", "--bdm", "accept=by-kind"}},
		{"forecast/eu-bdm-mckibben.csv.golden", []string{"eu_emissions_bdm1994.csv", "--model", "bdm", "--bdm-preset", "mckibben", "--bdm", "max-rounds=10", "--format", "csv"}},
		{"forecast/soe-bdm-competitive.golden", []string{"SOE-Pol-Comp.csv", "--model", "bdm", "--dimension", "Competitive Position", "--bdm", "max-rounds=5"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			args := append([]string{"forecast", fcFile(t, tt.args[0])}, tt.args[1:]...)
			code, out, stderr := runCLI(t, args...)
			if code != ExitOK || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			// the file's path depends on the machine
			out = strings.ReplaceAll(out, fcFile(t, tt.args[0]), tt.args[0])
			checkGolden(t, tt.golden, []byte(out))
		})
	}
}

func TestForecastJSON(t *testing.T) {
	code, out, _ := runCLI(t, "forecast", fcFile(t, "eu_emissions_bdm1994.csv"), "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Forecasts []struct {
			Dimension string
			Mean      float64
			Median    float64
			Condorcet struct{ Winner *float64 }
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	f := doc.Forecasts[0]
	if len(doc.Forecasts) != 1 || f.Median != 7 || f.Condorcet.Winner == nil || *f.Condorcet.Winner != 7 || f.Mean < 7.3899555 || f.Mean > 7.3899565 {
		t.Errorf("got %+v", doc)
	}

	code, out, _ = runCLI(t, "forecast", fcFile(t, "SOE-Pol-Comp.csv"), "--model", "smp", "--format", "json", "--trace")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	var run struct {
		Turns  int
		States []struct {
			Turn   int
			Change *float64
			Actors []struct {
				Actor    string
				Position []float64
				Prob     float64
			}
			Trace *struct {
				Challenges []struct{ Initiator, Target string }
				Choices    []struct{ Actor string }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &run); err != nil {
		t.Fatal(err)
	}
	// KTAB: 27 turns; XJ ends at (43.2, 43.3) with probability 0.2299
	last := run.States[len(run.States)-1]
	if run.Turns != 27 || len(run.States) != 28 || last.Actors[0].Actor != "XJ" || last.Actors[0].Prob < 0.22985 || last.Actors[0].Prob >= 0.22995 {
		t.Errorf("turns %d, last state %+v", run.Turns, last.Actors[0])
	}
	if run.States[0].Trace != nil || run.States[1].Trace == nil || len(run.States[1].Trace.Choices) != 13 {
		t.Errorf("trace misplaced: %+v %+v", run.States[0].Trace, run.States[1].Trace)
	}
}

func TestForecastStdin(t *testing.T) {
	data, err := os.ReadFile(fcFile(t, "eu.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r := runWith(t, t.Context(), &Env{Args: []string{"forecast", "-", "--model", "mean"}, Stdin: strings.NewReader(string(data))}, commands)
	if r.code != ExitOK || !strings.Contains(r.stdout, "7.389956") {
		t.Errorf("exit %d, stdout %q", r.code, r.stdout)
	}
}

// TestForecastBadInput: bad files and flags exit with 2 and say where and
// what.
func TestForecastBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badKTAB := write("bad.csv", "S,desc,3,1,\nActor,Desc,Power,P,S\nA,a,10,50,40\nB,b,10,150,40\nC,c,10,50,140\n")
	table := write("t.csv", "Actor,Capability,Position,Salience\nA,1,4,0.5\nB,1,6,0.5\nC,2,5,0.5\n")
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"forecast", badKTAB}, []string{"bad.csv is not a valid input (2 problems)", "bad.csv:4:8: B.P: position 150 is outside 0-100", "bad.csv:5:11: C.S: salience 140 is outside 0-100"}},
		{[]string{"forecast", filepath.Join(dir, "missing.csv")}, []string{"cannot read", "missing.csv"}},
		{[]string{"forecast", dir}, []string{"is a directory"}},
		{[]string{"forecast", table, "--model", "smp"}, []string{"smp needs a scale on every dimension", `"position"`}},
		{[]string{"forecast", table, "--model", "nash"}, []string{`unknown model "nash"`}},
		{[]string{"forecast", table, "--trace"}, []string{"--trace applies to --model bdm and smp only"}},
		{[]string{"forecast", table, "--format", "ktab"}, []string{"--format ktab applies to --model smp only"}},
		{[]string{"forecast", table, "--weights", "votes"}, []string{`unknown --weights "votes"`}},
		{[]string{"forecast", table, "--ballot", "ranked"}, []string{`unknown --ballot "ranked"`}},
		{[]string{"forecast", table, "--input-format", "json"}, []string{`unknown input format "json"`}},
		{[]string{"forecast", fcFile(t, "dummyData_3Dim.csv"), "--model", "smp", "--smp", "VotingRule=Quadratic"}, []string{`unknown value "Quadratic" for VotingRule`}},
		{[]string{"forecast", fcFile(t, "dummyData_3Dim.csv"), "--model", "smp", "--smp", "VotingRule"}, []string{"--smp wants NAME=VALUE"}},
		{[]string{"forecast", fcFile(t, "dummyData_3Dim.csv"), "--model", "smp", "--max-turns", "0"}, []string{"--max-turns must be at least 1"}},
		{[]string{"forecast", fcFile(t, "dummyData_3Dim.csv"), "--model", "smp", "--weights", "capability"}, []string{"--weights applies to the baselines"}},
		{[]string{"forecast"}, []string{"accepts 1 arg"}},
		{[]string{"forecast", fcFile(t, "SOE-Pol-Comp.csv"), "--model", "bdm"}, []string{"one-dimensional", "--dimension (Policy Position, Competitive Position)"}},
		{[]string{"forecast", fcFile(t, "SOE-Pol-Comp.csv"), "--model", "bdm", "--dimension", "Price"}, []string{`has no dimension "Price"`}},
		{[]string{"forecast", table, "--model", "bdm", "--bdm", "accept=largest"}, []string{`unknown value "largest" for accept`}},
		{[]string{"forecast", table, "--model", "bdm", "--bdm", "q=2"}, []string{"Q and T are probabilities"}},
		{[]string{"forecast", table, "--model", "bdm", "--bdm-preset", "bdm1985"}, []string{`unknown --bdm-preset "bdm1985"`}},
		{[]string{"forecast", table, "--dimension", "position"}, []string{"--dimension applies to --model bdm only"}},
		{[]string{"forecast", table, "--model", "bdm", "--seed", "3"}, []string{"--seed applies to --model smp only"}},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, tt.args...)
		if code != ExitUsage {
			t.Errorf("parley %v: exit %d, want %d", tt.args, code, ExitUsage)
		}
		for _, w := range tt.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("parley %v: stderr %q lacks %q", tt.args, stderr, w)
			}
		}
	}
}

// TestForecastOutputFile: -o writes the file and nothing to stdout.
func TestForecastOutputFile(t *testing.T) {
	dir := t.TempDir()
	r := runIn(t, dir, "forecast", fcFile(t, "eu_emissions_bdm1994.csv"), "--format", "csv", "-o", "out.csv")
	if r.code != ExitOK || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q", r.code, r.stdout)
	}
	data, err := os.ReadFile(filepath.Join(dir, "out.csv"))
	if err != nil || string(data) != "dimension,mean,median,condorcet\nposition,7.389955686853767,7,7\n" {
		t.Errorf("out.csv = %q, %v", data, err)
	}
}

func TestForecastBDMJSON(t *testing.T) {
	code, out, _ := runCLI(t, "forecast", fcFile(t, "eu_emissions_bdm1994.csv"), "--model", "bdm", "--bdm-preset", "masad", "--bdm", "max-rounds=2", "--format", "json", "--trace")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Stop   string
		Rounds []struct {
			Round     int
			Positions []float64
			Proposals []struct {
				From, To, Kind string
				Accepted       bool
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	// Masad's replication: after round 1 Ireland (index 7) is at 7.188031155980
	if doc.Stop != "cap" || len(doc.Rounds) != 3 || doc.Rounds[1].Positions[7] < 7.18803115597 || doc.Rounds[1].Positions[7] > 7.18803115599 {
		t.Fatalf("got %+v", doc)
	}
	accepted := 0
	for _, p := range doc.Rounds[1].Proposals {
		if p.Accepted {
			accepted++
		}
	}
	if accepted == 0 || len(doc.Rounds[0].Proposals) != 0 {
		t.Errorf("%d proposals accepted in round 1; %d proposals listed for the start", accepted, len(doc.Rounds[0].Proposals))
	}
}
