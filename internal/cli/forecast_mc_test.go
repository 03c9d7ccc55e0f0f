package cli

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleyhq/parley/forecast"
)

// mcDoc is the part of forecast --runs --format json the tests read.
type mcDoc struct {
	Model        string
	Runs         int
	Seed         uint64
	Perturbation map[string]float64
	NoForecast   int `json:"no_forecast"`
	Stops        []struct {
		Label string
		Runs  int
	}
	Forecasts []struct {
		Dimension   string
		Forecast    string
		Unperturbed *float64
		Count, None int
		Mean, SD    *float64
		Min, Max    *float64
		Quantiles   map[string]float64
		Histogram   []struct {
			Lo, Hi float64
			Count  int
		}
	}
}

func runMCJSON(t *testing.T, args ...string) mcDoc {
	t.Helper()
	code, out, stderr := runCLI(t, append(append([]string{"forecast"}, args...), "--format", "json")...)
	if code != ExitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var doc mcDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestForecastRunsUnperturbed: with --perturb 0 and no drop, every run
// equals the deterministic forecast, for every model.
func TestForecastRunsUnperturbed(t *testing.T) {
	for _, args := range [][]string{
		{fcFile(t, "eu_emissions_bdm1994.csv")},
		{fcFile(t, "SOE-Pol-Comp.csv"), "--model", "median", "--weights", "capability"},
		{fcFile(t, "eu_emissions_bdm1994.csv"), "--model", "bdm", "--bdm-preset", "masad"},
		{fcFile(t, "dummyData_3Dim.csv"), "--model", "smp"},
	} {
		doc := runMCJSON(t, append(args, "--runs", "40", "--perturb", "0")...)
		if doc.Runs != 40 || doc.NoForecast != 0 || doc.Seed != 1 {
			t.Errorf("%v: %d runs, %d without forecast, seed %d", args, doc.Runs, doc.NoForecast, doc.Seed)
		}
		for _, f := range doc.Forecasts {
			u := f.Unperturbed
			if u == nil || f.Count != 40 || *f.Min != *u || *f.Max != *u || *f.Mean != *u || *f.SD != 0 || f.Quantiles["0.5"] != *u ||
				len(f.Histogram) != 1 || f.Histogram[0].Count != 40 {
				t.Errorf("%v: %s %s: %+v", args, f.Dimension, f.Forecast, f)
			}
		}
	}
}

// TestForecastRunsWorkers: the output does not depend on --workers.
func TestForecastRunsWorkers(t *testing.T) {
	for _, args := range [][]string{
		{fcFile(t, "SOE-Pol-Comp.csv"), "--runs", "2000", "--perturb", "0.1", "--drop", "0.1", "--seed", "5"},
		{fcFile(t, "eu_emissions_bdm1994.csv"), "--model", "bdm", "--runs", "100", "--perturb", "0.05", "--perturb-salience", "0.2", "--format", "csv"},
		{fcFile(t, "smpExample_alice52.8.xml"), "--model", "smp", "--runs", "30", "--drop", "0.1", "--format", "json"},
	} {
		var outs []string
		for _, w := range []string{"1", "2", "5"} {
			code, out, _ := runCLI(t, append(append([]string{"forecast"}, args...), "--workers", w)...)
			if code != ExitOK {
				t.Fatalf("%v --workers %s: exit %d", args, w, code)
			}
			outs = append(outs, out)
		}
		if outs[0] != outs[1] || outs[0] != outs[2] {
			t.Errorf("%v: the output depends on --workers", args)
		}
	}
}

// TestForecastRunsStatistics: the weighted mean of the EU data under
// perturbed positions (no clipping: the table has no scale) has the
// unperturbed mean as its expectation.
func TestForecastRunsStatistics(t *testing.T) {
	doc := runMCJSON(t, fcFile(t, "eu_emissions_bdm1994.csv"), "--model", "mean", "--runs", "20000", "--perturb", "0.1", "--perturb-salience", "0")
	f := doc.Forecasts[0]
	// Σ w_i² σ² / (Σ w_i)² with σ = 0.1 × the range of positions / √3,
	// w = c·s
	in, err := forecast.ReadFile(fcFile(t, "eu_emissions_bdm1994.csv"), "")
	if err != nil {
		t.Fatal(err)
	}
	sw, sw2, lo, hi := 0.0, 0.0, math.Inf(1), math.Inf(-1)
	for _, a := range in.Actors {
		w := a.Capability * a.Salience[0]
		sw += w
		sw2 += w * w
		lo, hi = math.Min(lo, a.Position[0]), math.Max(hi, a.Position[0])
	}
	sd := 0.1 * (hi - lo) / math.Sqrt(3) * math.Sqrt(sw2) / sw
	if d := *f.Mean - *f.Unperturbed; math.Abs(d) > 4*sd/math.Sqrt(20000) {
		t.Errorf("mean %v, unperturbed %v, sd %v", *f.Mean, *f.Unperturbed, sd)
	}
	if r := *f.SD / sd; r < 0.97 || r > 1.03 {
		t.Errorf("sd %v, closed form %v", *f.SD, sd)
	}
}

func TestForecastRunsGolden(t *testing.T) {
	tests := []struct {
		golden string
		args   []string
	}{
		{"forecast/eu-runs.golden", []string{"eu_emissions_bdm1994.csv", "--runs", "5000", "--perturb", "0.1", "--drop", "0.05", "--seed", "3"}},
		{"forecast/eu-bdm-runs.csv.golden", []string{"eu_emissions_bdm1994.csv", "--model", "bdm", "--runs", "300", "--perturb", "0.1", "--format", "csv"}},
		{"forecast/dummy3-smp-runs.golden", []string{"dummyData_3Dim.csv", "--model", "smp", "--runs", "200", "--perturb", "0.05", "--drop", "0.1"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			args := append([]string{"forecast", fcFile(t, tt.args[0])}, tt.args[1:]...)
			code, out, stderr := runCLI(t, args...)
			if code != ExitOK || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			out = strings.ReplaceAll(out, fcFile(t, tt.args[0]), tt.args[0])
			checkGolden(t, tt.golden, []byte(out))
		})
	}
}

// wellFormed parses an SVG document with encoding/xml and returns its
// texts.
func wellFormed(t *testing.T, data []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	var texts strings.Builder
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		if c, ok := tok.(xml.CharData); ok {
			texts.Write(c)
			texts.WriteByte('\n')
		}
	}
	return texts.String()
}

// TestForecastChart: --chart draws positions of bdm and smp runs and the
// histograms of --runs, as SVG or PNG by the extension, beside -o.
func TestForecastChart(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args  []string
		chart string
		want  string
	}{
		{[]string{fcFile(t, "eu_emissions_bdm1994.csv"), "--model", "bdm"}, "bdm.svg", "weighted median (forecast)"},
		{[]string{fcFile(t, "SOE-Pol-Comp.csv"), "--model", "smp"}, "smp.SVG", "Competitive Position"},
		{[]string{fcFile(t, "SOE-Pol-Comp.csv"), "--runs", "200", "--perturb", "0.1"}, "runs.svg", "Policy Position: condorcet"},
		{[]string{fcFile(t, "eu_emissions_bdm1994.csv"), "--model", "bdm"}, "bdm.png", ""},
		{[]string{fcFile(t, "dummyData_3Dim.csv"), "--model", "smp", "--runs", "20", "--perturb", "0.1"}, "runs.png", ""},
	} {
		r := runIn(t, dir, append(append([]string{"forecast"}, c.args...), "--chart", c.chart, "-o", "out.txt")...)
		if r.code != ExitOK || r.stdout != "" {
			t.Fatalf("%v: exit %d, stdout %q", c.args, r.code, r.stdout)
		}
		data, err := os.ReadFile(filepath.Join(dir, c.chart))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(c.chart, ".png") {
			if _, err := png.Decode(bytes.NewReader(data)); err != nil {
				t.Errorf("%s does not decode: %v", c.chart, err)
			}
			continue
		}
		if texts := wellFormed(t, data); !strings.Contains(texts, c.want) {
			t.Errorf("%s lacks %q", c.chart, c.want)
		}
	}
}

func TestForecastRunsBadFlags(t *testing.T) {
	eu := fcFile(t, "eu_emissions_bdm1994.csv")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{eu, "--perturb", "0.1"}, "--perturb applies with --runs only"},
		{[]string{eu, "--drop", "0.1"}, "--drop applies with --runs only"},
		{[]string{eu, "--workers", "2"}, "--workers applies with --runs only"},
		{[]string{eu, "--runs", "0"}, "--runs must be between 1 and"},
		{[]string{eu, "--runs", "10", "--drop", "1"}, "--drop must be a probability below 1"},
		{[]string{eu, "--runs", "10", "--perturb", "-0.1"}, "--perturb must be a number, 0 or more"},
		{[]string{eu, "--runs", "10", "--perturb-salience", "1.5"}, "--perturb-salience must be between 0 and 1"},
		{[]string{eu, "--runs", "10", "--workers", "-1"}, "--workers must be 0"},
		{[]string{eu, "--runs", "10", "--model", "bdm", "--trace"}, "--trace shows a single run"},
		{[]string{fcFile(t, "dummyData_3Dim.csv"), "--runs", "10", "--model", "smp", "--format", "ktab"}, "--format ktab shows a single run"},
		{[]string{eu, "--chart", "eu.svg"}, "--chart draws the positions of --model bdm and smp"},
		{[]string{eu, "--model", "bdm", "--chart", "eu.gif"}, "must end in .svg or .png"},
		{[]string{eu, "--runs", "10", "--model", "smp"}, "smp needs a scale on every dimension"},
	}
	for _, tt := range tests {
		code, _, stderr := runCLI(t, append([]string{"forecast"}, tt.args...)...)
		if code != ExitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("parley forecast %v: exit %d, stderr %q, want %q", tt.args, code, stderr, tt.want)
		}
	}
	// --seed goes with any model under --runs
	if code, _, _ := runCLI(t, "forecast", eu, "--model", "bdm", "--runs", "5", "--seed", "9"); code != ExitOK {
		t.Errorf("--seed with --runs and bdm: exit %d", code)
	}
}
