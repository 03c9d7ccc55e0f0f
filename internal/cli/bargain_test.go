package cli

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The Genius test data of game/bargain.
var laptopFiles = []string{
	"../../game/bargain/testdata/genius/Laptop/Laptop-C-domain.xml",
	"../../game/bargain/testdata/genius/Laptop/Laptop-C-prof1.xml",
	"../../game/bargain/testdata/genius/Laptop/Laptop-C-prof2.xml",
}

func abs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

type bargainOut struct {
	Name     string `json:"name"`
	Outcomes int    `json:"outcomes"`
	Frontier []struct {
		From bjPoint `json:"from"`
		To   bjPoint `json:"to"`
	} `json:"frontier"`
	ZOPA struct {
		Empty    bool     `json:"empty"`
		Inside   *int     `json:"outcomes_inside"`
		Ideal    *bjPoint `json:"ideal"`
		Frontier []struct {
			From bjPoint `json:"from"`
			To   bjPoint `json:"to"`
		} `json:"frontier"`
	} `json:"zopa"`
	Solutions []struct {
		Name    string  `json:"name"`
		Concept string  `json:"concept"`
		Power   float64 `json:"power"`
		bjPoint
	} `json:"solutions"`
	Proposal *struct {
		bjPoint
		InZOPA     bool     `json:"in_zopa"`
		Efficient  bool     `json:"efficient"`
		Distance   float64  `json:"distance"`
		Dominating *int     `json:"dominating_outcomes"`
		Balanced   *bjPoint `json:"balanced_improvement"`
	} `json:"proposal"`
}

func decodeBargain(t *testing.T, out string) *bargainOut {
	t.Helper()
	var b bargainOut
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatalf("bargain's JSON does not decode: %v\n%.500s", err, out)
	}
	return &b
}

func dealString(d []bjValue) string {
	parts := make([]string, len(d))
	for i, v := range d {
		parts[i] = v.Issue + "=" + strings.TrimSpace(strings.Trim(jsonText(v.Value), `"`))
	}
	return strings.Join(parts, ", ")
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestBargainLaptop runs the Genius Laptop domain through the command and
// checks the reference values of reference_solutions.json.
func TestBargainLaptop(t *testing.T) {
	args := []string{"bargain", abs(t, laptopFiles[0]), abs(t, laptopFiles[1]), abs(t, laptopFiles[2])}
	b := decodeBargain(t, mustRun(t, t.TempDir(), append(args, "--format", "json")...))
	if b.Outcomes != 27 || len(b.Frontier) != 4 || b.ZOPA.Empty || *b.ZOPA.Inside != 27 {
		t.Fatalf("outcomes %d, frontier %d, ZOPA %+v", b.Outcomes, len(b.Frontier), b.ZOPA)
	}
	want := [][2]float64{{0.72562, 1.000052}, {0.851648, 0.941133}, {0.874024, 0.874024}, {1.000052, 0.815105}}
	for k, w := range want {
		p := b.Frontier[k].From
		if math.Abs(p.U1-w[0]) > 5e-7 || math.Abs(p.U2-w[1]) > 5e-7 {
			t.Errorf("frontier[%d] = (%g, %g), want %v", k, p.U1, p.U2, w)
		}
	}
	sols := map[string]string{}
	for _, s := range b.Solutions {
		sols[s.Concept] = dealString(s.Deal)
	}
	for c, d := range map[string]string{
		"nash":              "Laptop=HP, Harddisk=60 Gb, External Monitor=19'' LCD",
		"kalai-smorodinsky": "Laptop=HP, Harddisk=80 Gb, External Monitor=19'' LCD",
		"utilitarian":       "Laptop=HP, Harddisk=60 Gb, External Monitor=19'' LCD",
	} {
		if sols[c] != d {
			t.Errorf("%s deal = %q, want %q", c, sols[c], d)
		}
	}
	out := mustRun(t, t.TempDir(), append(args, "--power", "0.7", "--deal", "Laptop=Dell", "--deal", "Harddisk=120 Gb", "--deal", "External Monitor=23'' LCD")...)
	// The golden file names the files by their absolute paths nowhere: the
	// text shows the domain's name only.
	checkGolden(t, "bargain/laptop.golden", []byte(out))
}

// TestBargainDivisible checks the logrolling oracle and the price ZOPA
// through the command, with a golden text.
func TestBargainDivisible(t *testing.T) {
	dir := abs(t, "testdata/bargain")
	out := mustRun(t, dir, "bargain", "logroll.yaml", "--deal", "issue1=0.5", "--deal", "issue2=0.5")
	checkGolden(t, "bargain/logroll.golden", []byte(out))
	b := decodeBargain(t, mustRun(t, dir, "bargain", "logroll.yaml", "--format", "json", "--deal", "issue1=0.5", "--deal", "issue2=0.5"))
	if len(b.Frontier) != 2 || b.Frontier[0].To.U1 != 0.6 || b.Frontier[0].To.U2 != 0.8 || dealString(b.Frontier[0].To.Deal) != "issue1=1, issue2=0" {
		t.Errorf("frontier %+v, want the logroll (0.6, 0.8) with A taking issue 1", b.Frontier)
	}
	if p := b.Proposal; p == nil || p.Efficient || !p.InZOPA || p.Dominating != nil || math.Abs(p.Distance-0.5/math.Sqrt(5)) > 1e-12 {
		t.Errorf("proposal %+v", b.Proposal)
	}
	out = mustRun(t, dir, "bargain", "price.yaml", "--power", "0.75")
	checkGolden(t, "bargain/price.golden", []byte(out))
	for _, want := range []string{"Deals from price=30 to price=60.", "0.525000  0.475000  price=52.5", "alternating offers (Rubinstein)   0.506897  0.493103  price=50.6897"} {
		if !strings.Contains(out, want) {
			t.Errorf("output does not contain %q", want)
		}
	}
}

// TestBargainOutputs writes the chart, the YAML form and the result, and
// reads the YAML back to the same result; stdin works too.
func TestBargainOutputs(t *testing.T) {
	dir := t.TempDir()
	args := []string{"bargain", abs(t, laptopFiles[0]), abs(t, laptopFiles[1]), abs(t, laptopFiles[2])}
	r := runIn(t, dir, append(args, "--chart", "out.svg", "--save-yaml", "laptop.yaml", "-o", "out.txt")...)
	if r.code != ExitOK || r.stdout != "" {
		t.Fatalf("exit %d, stdout %q", r.code, r.stdout)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "out.svg"))
	if err != nil || !strings.HasPrefix(string(svg), "<svg") || !strings.Contains(string(svg), "Pareto frontier (4 points)") {
		t.Errorf("chart: %v\n%.200s", err, svg)
	}
	r = runIn(t, dir, append(args, "--chart", "out.PNG", "--power", "0.7")...)
	if pngData, err := os.ReadFile(filepath.Join(dir, "out.PNG")); r.code != ExitOK || err != nil || !strings.HasPrefix(string(pngData), "\x89PNG") {
		t.Errorf("PNG chart: exit %d, %v", r.code, err)
	}
	want, _ := os.ReadFile(filepath.Join(dir, "out.txt"))
	yamlOut := mustRun(t, dir, "bargain", "laptop.yaml")
	if yamlOut != string(want) {
		t.Errorf("the saved YAML gives\n%s\nthe Genius files\n%s", yamlOut, want)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "laptop.yaml"))
	r = runWith(t, t.Context(), &Env{Args: []string{"bargain", "-"}, Dir: dir, Stdin: strings.NewReader(string(data))}, commands)
	if r.code != ExitOK || r.stdout != string(want) {
		t.Errorf("from stdin: exit %d\n%s", r.code, r.stdout)
	}
	// Nothing is written when the run fails.
	r = runIn(t, dir, append(args, "--chart", "fail.svg", "--deal", "Laptop=Acer")...)
	if r.code != ExitUsage {
		t.Errorf("bad --deal: exit %d, want 2", r.code)
	}
	if _, err := os.Stat(filepath.Join(dir, "fail.svg")); err == nil {
		t.Error("a chart was written by a failing run")
	}
}

// TestBargainBadInput checks exit code 2 and the messages, with line and
// column, of bad files and flags.
func TestBargainBadInput(t *testing.T) {
	dir := abs(t, "testdata/bargain")
	l := []string{abs(t, laptopFiles[0]), abs(t, laptopFiles[1]), abs(t, laptopFiles[2])}
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"bad-syntax.yaml"}, []string{"bad-syntax.yaml is not valid (1 problem):", "bad-syntax.yaml:5:1: invalid YAML: ',' or ']' must be specified"}},
		{[]string{"bad-fields.yaml"}, []string{
			"bad-fields.yaml is not valid (7 problems):",
			"bad-fields.yaml:4:12: issues[0].range: min 100 must be below max 0",
			`bad-fields.yaml:6:25: issues[1].values[2]: value "red" is already values[0]`,
			`bad-fields.yaml:9:5: parties[0]: unknown field "reservaton" in a party`,
			`bad-fields.yaml:10:33: parties[0].weights.colour: must be a finite number, got "high"`,
			`bad-fields.yaml:13:15: parties[0].scores.colour: no score for "blue"`,
			`bad-fields.yaml:13:24: parties[0].scores.colour: issue "colour" has no value "green"`,
			"bad-fields.yaml:15:15: parties[1].discount: must be in (0, 1]",
		}},
		{[]string{l[0], "bad-profile.xml", l[2]}, []string{"the Genius domain and profiles are not valid (1 problem):", "bad-profile.xml:9:1: invalid XML: element <reservation> closed by </utility_space>"}},
		{[]string{l[0]}, []string{"looks like Genius XML; give the domain and both profiles"}},
		{[]string{l[0], l[1]}, []string{"got 2 arguments"}},
		{[]string{"nope.yaml"}, []string{"no file nope.yaml"}},
		{[]string{"logroll.yaml", "--power", "1"}, []string{"--power must be strictly between 0 and 1"}},
		{[]string{"logroll.yaml", "--deal", "issue1=2", "--deal", "issue2=0"}, []string{`--deal: "issue1=2": issue "issue1" takes an amount from 0 to 1`}},
		{[]string{"logroll.yaml", "--deal", "issue1=1"}, []string{`--deal: the deal leaves out "issue2"`}},
		{[]string{"logroll.yaml", "--format", "csv"}, []string{`unknown format "csv"`}},
		{[]string{"logroll.yaml", "--chart", "out.jpg"}, []string{"--chart out.jpg: the file must end in .svg or .png"}},
	} {
		r := runIn(t, dir, append([]string{"bargain"}, c.args...)...)
		if r.code != ExitUsage {
			t.Errorf("bargain %v: exit %d, want 2", c.args, r.code)
		}
		for _, w := range c.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("bargain %v: stderr\n%s\nwant it to contain %q", c.args, r.stderr, w)
			}
		}
	}
}
