package cli

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSensitivityOAT(t *testing.T) {
	dir := sweepDir(t)
	r := runQuiet(t, dir, ExitOK, "sensitivity", "analyze", "oat.yaml", "--chart", "tornado.svg")
	checkGolden(t, "sweep/analyze-oat.golden", []byte(r.stdout))
	svg := string(readOut(t, filepath.Join(dir, "tornado.svg")))
	if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, "peace-first/completed: one parameter at a time") || !strings.Contains(svg, ">insecurity<") {
		t.Errorf("tornado chart:\n%.400s", svg)
	}
	// the rows of a run read back give the same analysis
	runQuiet(t, dir, ExitOK, "sweep", "run", "oat.yaml", "-o", "oat.jsonl")
	again := runQuiet(t, dir, ExitOK, "sensitivity", "analyze", "oat.yaml", "--results", "oat.jsonl")
	if again.stdout != r.stdout {
		t.Error("the analysis of the rows read back differs")
	}
}

func TestSensitivitySobol(t *testing.T) {
	dir := sweepDir(t)
	runQuiet(t, dir, ExitOK, "sweep", "run", "sobol.yaml", "-o", "sobol.csv")
	r := runQuiet(t, dir, ExitOK, "sensitivity", "analyze", "sobol.yaml", "--results", "sobol.csv", "--format", "csv", "--bootstrap", "200", "--chart", "sobol.png")
	checkGolden(t, "sweep/analyze-sobol.csv.golden", []byte(r.stdout))
	f, err := os.Open(filepath.Join(dir, "sobol.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if img, err := png.Decode(f); err != nil || img.Bounds().Dx() != 760 {
		t.Errorf("PNG chart: %v", err)
	}
	inproc := runQuiet(t, dir, ExitOK, "sensitivity", "analyze", "sobol.yaml", "--format", "csv", "--bootstrap", "200", "--workers", "1")
	if inproc.stdout != r.stdout {
		t.Error("analysing a run on the spot differs from analysing its output")
	}
}

func TestSensitivityMorris(t *testing.T) {
	dir := sweepDir(t)
	r := runQuiet(t, dir, ExitOK, "sensitivity", "analyze", "morris.yaml", "--format", "json", "--bootstrap", "100")
	var got []struct {
		Column  string `json:"column"`
		Effects []struct {
			Parameter string `json:"parameter"`
			MuStar    struct{ Est, Lo, Hi float64 }
			Mu, Sigma float64
		} `json:"effects"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if len(got) != 1 || got[0].Column != "peace-first/completed" || len(got[0].Effects) != 3 {
		t.Fatalf("%+v", got)
	}
	for _, e := range got[0].Effects {
		if e.MuStar.Est < 0 || e.MuStar.Lo > e.MuStar.Est || e.MuStar.Hi < e.MuStar.Est || e.MuStar.Est < e.Mu && e.MuStar.Est < -e.Mu {
			t.Errorf("%s: μ* %+v, μ %g", e.Parameter, e.MuStar, e.Mu)
		}
	}
	// insecurity lowers the chance of completion the most
	if e := got[0].Effects[0]; e.Parameter != "insecurity" || e.Mu >= 0 || e.MuStar.Est < got[0].Effects[1].MuStar.Est {
		t.Errorf("insecurity: %+v", e)
	}
	md := runQuiet(t, dir, ExitOK, "sensitivity", "analyze", "morris.yaml", "--format", "markdown", "--bootstrap", "100")
	checkGolden(t, "sweep/analyze-morris.md.golden", []byte(md.stdout))
}

func TestSensitivityResponseAndHeatmap(t *testing.T) {
	dir := sweepDir(t)
	runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "-o", "grid.csv")
	r := runQuiet(t, dir, ExitOK, "sensitivity", "response", "grid.yaml", "--results", "grid.csv", "--param", "insecurity", "--metric", "completed", "--chart", "response.svg")
	h := runQuiet(t, dir, ExitOK, "sensitivity", "heatmap", "grid.yaml", "--results", "grid.csv", "--x", "insecurity", "--y", "cost",
		"--metric", "utility:east", "--roadmap", "peace-first", "--versus", "status-quo", "--chart", "heatmap.svg")
	checkGolden(t, "sweep/response-heatmap.golden", []byte(r.stdout+"\n"+h.stdout))
	for _, name := range []string{"response.svg", "heatmap.svg"} {
		if s := readOut(t, filepath.Join(dir, name)); !bytes.HasPrefix(s, []byte("<svg")) {
			t.Errorf("%s is not an SVG", name)
		}
	}
	// one point per insecurity level: the band is the Wilson interval
	one := runQuiet(t, dir, ExitOK, "sensitivity", "response", "oat.yaml", "--param", "insecurity", "--metric", "peace-first/completed", "--format", "json")
	var curve map[string][]struct {
		Value  string
		Points int
		Mean   float64
		Lo, Hi *float64
	}
	if err := json.Unmarshal([]byte(one.stdout), &curve); err != nil {
		t.Fatal(err)
	}
	c := curve["peace-first/completed"]
	if len(c) != 3 || c[0].Value != "0.2" || c[0].Points != 1 || c[0].Lo == nil || *c[0].Lo >= c[0].Mean || *c[0].Hi <= c[0].Mean {
		t.Errorf("response over the oat points: %+v", c)
	}
}

func TestSensitivityRefuses(t *testing.T) {
	dir := sweepDir(t)
	runQuiet(t, dir, ExitOK, "sweep", "run", "grid.yaml", "--shard", "0/2", "-o", "half.csv")
	runQuiet(t, dir, ExitOK, "sweep", "run", "oat.yaml", "-o", "oat.csv")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"sensitivity", "analyze", "grid.yaml", "--results", "half.csv"}, "half.csv is not the complete output of grid.yaml: it holds shard 0/2 (points 0 to 11), not the whole sweep: merge the shards first"},
		{[]string{"sensitivity", "analyze", "grid.yaml", "--results", "oat.csv"}, "it belongs to another plan"},
		{[]string{"sensitivity", "analyze", "oat.yaml", "--results", "oat.csv", "--metric", "happiness"}, `the sweep records no metric "happiness"`},
		{[]string{"sensitivity", "analyze", "oat.yaml", "--chart", "x.pdf"}, "name the file .svg or .png"},
		{[]string{"sensitivity", "response", "oat.yaml", "--results", "oat.csv"}, "--param is required"},
		{[]string{"sensitivity", "response", "oat.yaml", "--results", "oat.csv", "--param", "nothing"}, `the sweep has no parameter "nothing"; it has insecurity, cost, verification, discount`},
		{[]string{"sensitivity", "heatmap", "oat.yaml", "--results", "oat.csv", "--x", "cost", "--y", "cost", "--metric", "completed"}, "--x and --y name the same parameter"},
	} {
		r := runQuiet(t, dir, ExitUsage, c.args...)
		if !strings.Contains(r.stderr, c.want) {
			t.Errorf("parley %s: stderr %q, want %q", strings.Join(c.args, " "), r.stderr, c.want)
		}
	}
	r := runQuiet(t, dir, ExitUsage, "sensitivity", "analyze", "grid.yaml")
	if !strings.Contains(r.stderr, "grid.yaml has design method grid; analyze needs oat, saltelli or morris") {
		t.Errorf("stderr %q", r.stderr)
	}
}
