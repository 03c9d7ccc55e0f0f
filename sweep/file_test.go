package sweep

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestLoadGrid(t *testing.T) {
	p := mustLoad(t, "testdata/tiny-grid.yaml")
	if p.Name != "tiny-grid" || p.Runs != 200 || p.Seed != 7 || p.Design.Method != Grid {
		t.Errorf("plan %s: runs %d, seed %d, method %s", p.Name, p.Runs, p.Seed, p.Design.Method)
	}
	if p.Len() != 27 {
		t.Errorf("%d points, want 3 × 3 × 3 = 27", p.Len())
	}
	if got := p.Params[2].Levels; !slices.Equal(got, []string{"0.4", "0.7", "1"}) {
		t.Errorf("range levels %v", got)
	}
	wantCols := []string{"peace-first/completed", "peace-first/milestone:frozen", "peace-first/utility:east",
		"status-quo/completed", "status-quo/milestone:frozen", "status-quo/utility:east"}
	if !slices.Equal(p.Columns(), wantCols) {
		t.Errorf("columns %v", p.Columns())
	}
	// the last parameter varies fastest
	pt := p.NewPoint()
	p.At(5, pt)
	if !slices.Equal(pt.Text, []string{"0.2", "0.5", "1"}) {
		t.Errorf("point 5 = %v", pt.Text)
	}
	s, err := p.Scenario(pt)
	if err != nil {
		t.Fatal(err)
	}
	east := s.Actors[1]
	if east.Insecurity != 0.5 || east.Types[0].Prior != 0.2 || east.Types[1].Prior != 0.8 || s.Moves[0].Cost != 1 {
		t.Errorf("point 5's scenario: insecurity %g, priors %g and %g, cost %g", east.Insecurity, east.Types[0].Prior, east.Types[1].Prior, s.Moves[0].Cost)
	}
	// the base is not changed
	if p.Base.Actors[1].Insecurity != 0.8 {
		t.Errorf("the base scenario was changed")
	}
}

func TestFingerprint(t *testing.T) {
	p := mustLoad(t, "testdata/tiny-grid.yaml")
	again := mustLoad(t, "testdata/tiny-grid.yaml")
	if p.Fingerprint() != again.Fingerprint() || len(p.Fingerprint()) != 20 {
		t.Errorf("fingerprints %q and %q", p.Fingerprint(), again.Fingerprint())
	}
	data, _ := readFile("testdata/tiny-grid.yaml")
	for _, c := range []struct {
		what, from, to string
		same           bool
	}{
		{"the name", "name: tiny-grid", "name: other", true},
		{"a comment", "# A small grid", "# Another grid", true},
		{"the runs", "runs: 200", "runs: 201", false},
		{"the seed", "seed: 7", "seed: 8", false},
		{"a value", "[0.2, 0.6, 0.9]", "[0.2, 0.6, 0.95]", false},
		{"a metric", "utility:east]", "utility:west]", false},
	} {
		q, err := Load("x.yaml", []byte(strings.Replace(string(data), c.from, c.to, 1)), "testdata")
		if err != nil {
			t.Fatal(err)
		}
		if (q.Fingerprint() == p.Fingerprint()) != c.same {
			t.Errorf("changing %s: fingerprint %s, original %s", c.what, q.Fingerprint(), p.Fingerprint())
		}
	}
}

// The seeds of the points are the outputs of SplitMix64: from state 0 the
// first three are the published test values.
func TestPointSeed(t *testing.T) {
	p := &Plan{Seed: 0, Seeding: PerPoint}
	for k, want := range []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f} {
		if got := p.PointSeed(k); got != want {
			t.Errorf("PointSeed(%d) = %#x, want %#x", k, got, want)
		}
	}
	p.Seeding = Common
	p.Seed = 42
	if p.PointSeed(5) != 42 {
		t.Error("common seeding changes the seed")
	}
}

func TestDesigns(t *testing.T) {
	head := "base: builtin:tiny\nrecord: {metrics: [completed]}\n"
	for _, c := range []struct {
		name   string
		text   string
		points int
		check  func(t *testing.T, p *Plan)
	}{
		{"lhs", head + `design: {method: lhs, samples: 50}
parameters:
  - {path: actors.east.insecurity, uniform: {min: 0.2, max: 0.9}}
  - {path: environment.horizon, uniform: {min: 6, max: 20}}
  - {path: actors.east.response, values: [grim, tit-for-tat, "{generous: 0.2}"]}`, 50, func(t *testing.T, p *Plan) {
			pt := p.NewPoint()
			strata := make([]bool, 50)
			for k := range 50 {
				p.At(k, pt)
				x := pt.Num[0]
				if x < 0.2 || x > 0.9 {
					t.Fatalf("point %d: insecurity %g", k, x)
				}
				strata[int((x-0.2)/0.7*50)] = true
				if h := pt.Num[1]; h != math.Round(h) || pt.Text[1] != formatNum(h) {
					t.Fatalf("point %d: horizon %q is not a whole number", k, pt.Text[1])
				}
				if !slices.Contains([]string{"grim", "tit-for-tat", "{generous: 0.2}"}, pt.Text[2]) || !math.IsNaN(pt.Num[2]) {
					t.Fatalf("point %d: response %q", k, pt.Text[2])
				}
				if _, err := p.Scenario(pt); err != nil {
					t.Fatal(err)
				}
			}
			for i, s := range strata {
				if !s {
					t.Errorf("stratum %d of 50 is empty", i)
				}
			}
		}},
		{"sobol", head + `design: {method: sobol, samples: 8}
parameters:
  - {path: actors.east.insecurity, uniform: {min: 0, max: 1}}
  - {path: actors.west.discount, uniform: {min: 0.5, max: 1}}`, 8, func(t *testing.T, p *Plan) {
			pt := p.NewPoint()
			// the Sobol points 1..8 of two dimensions
			want := [][2]float64{{0.5, 0.5}, {0.75, 0.25}, {0.25, 0.75}, {0.375, 0.375}, {0.875, 0.875}, {0.625, 0.125}, {0.125, 0.625}, {0.1875, 0.3125}}
			for k, w := range want {
				p.At(k, pt)
				if pt.Num[0] != w[0] || pt.Num[1] != 0.5+w[1]/2 {
					t.Errorf("point %d: %v, want %v mapped", k, pt.Num, w)
				}
			}
		}},
		{"oat", head + `design: {method: oat, quantiles: [0.1, 0.9]}
parameters:
  - {path: actors.east.insecurity, values: [0.2, 0.5]}
  - {path: moves.freeze.verification, uniform: {min: 0.5, max: 1}}`, 5, func(t *testing.T, p *Plan) {
			pt := p.NewPoint()
			want := [][]string{{"", ""}, {"0.2", ""}, {"0.5", ""}, {"", "0.55"}, {"", "0.95"}}
			for k, w := range want {
				p.At(k, pt)
				if !slices.Equal(pt.Text, w) {
					t.Errorf("point %d: %q, want %q", k, pt.Text, w)
				}
			}
			p.At(0, pt)
			if p.Value(pt, 0) != "0.8" || p.Value(pt, 1) != "0.8" || pt.Num[1] != 0.8 {
				t.Errorf("base values %q, %q", p.Value(pt, 0), p.Value(pt, 1))
			}
			if i, l := p.OATLevel(4); i != 1 || l != 1 {
				t.Errorf("point 4 moves parameter %d to level %d", i, l)
			}
		}},
		{"morris", head + `design: {method: morris, trajectories: 3, levels: 4}
parameters:
  - {path: actors.east.insecurity, uniform: {min: 0.3, max: 0.9}}
  - {path: moves.freeze.verification, values: [0.25, 0.5, 0.75, 1]}`, 9, func(t *testing.T, p *Plan) {
			pt := p.NewPoint()
			for k := range 9 {
				p.At(k, pt)
				l := (pt.Num[0] - 0.3) / 0.6 * 3
				if math.Abs(l-math.Round(l)) > 1e-9 {
					t.Errorf("point %d: insecurity %g is not on the 4-level grid", k, pt.Num[0])
				}
			}
		}},
		{"saltelli", head + `design: {method: saltelli, samples: 16}
parameters:
  - {path: actors.east.insecurity, beta: {alpha: 2, beta: 2}}
  - {path: actors.west.discount, triangular: {min: 0.6, mode: 0.9, max: 1}}
  - {path: actors.east.discount, normal: {mean: 0.9, sd: 0.05, min: 0.5, max: 0.99}}`, 16 * 5, nil},
		{"random", head + `design: {method: random, samples: 10, seed: 3}
parameters:
  - {path: actors.east.insecurity, uniform: {min: 0, max: 1}}`, 10, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := loadString(t, c.text)
			if err != nil {
				t.Fatal(err)
			}
			if p.Len() != c.points {
				t.Errorf("%d points, want %d", p.Len(), c.points)
			}
			if c.check != nil {
				c.check(t, p)
			}
		})
	}
}

func TestConstraints(t *testing.T) {
	p, err := loadString(t, `base: builtin:korea
record: {metrics: [completed]}
design: {method: lhs, samples: 20}
parameters:
  - {path: actors.DPRK.types.security-seeker.prior, uniform: {min: 0.1, max: 0.7}}
  - {path: actors.US.beliefs.DPRK.security-seeker, uniform: {min: 0.05, max: 0.5}}
  - {path: actors.ROK.types.engager.prior, uniform: {min: 0.1, max: 1}}
  - {path: actors.ROK.types.conservative.prior, uniform: {min: 0.1, max: 1}}
constraints:
  - complement: [actors.DPRK.types.opportunist.prior, actors.DPRK.types.hardliner.prior]
    of: [actors.DPRK.types.security-seeker.prior]
  - complement: [actors.US.beliefs.DPRK.opportunist, actors.US.beliefs.DPRK.hardliner]
    of: [actors.US.beliefs.DPRK.security-seeker]
  - normalize: [actors.ROK.types.engager.prior, actors.ROK.types.conservative.prior]
`)
	if err != nil {
		t.Fatal(err)
	}
	pt := p.NewPoint()
	for k := range p.Len() {
		p.At(k, pt)
		s, err := p.Scenario(pt)
		if err != nil {
			t.Fatal(err)
		}
		d := s.Actors[s.ActorIndex("DPRK")]
		ss, op, hl := d.Types[0].Prior, d.Types[1].Prior, d.Types[2].Prior
		// the others keep their base ratio 0.40 : 0.25
		if math.Abs(ss-pt.Num[0]) > 0 || math.Abs(op/hl-0.40/0.25) > 1e-9 || math.Abs(ss+op+hl-1) > 1e-12 {
			t.Errorf("point %d: DPRK priors %g, %g, %g", k, ss, op, hl)
		}
		rok := s.Actors[s.ActorIndex("ROK")]
		e, c := rok.Types[0].Prior, rok.Types[1].Prior
		if math.Abs(e+c-1) > 1e-12 || math.Abs(e/c-pt.Num[2]/pt.Num[3]) > 1e-9 {
			t.Errorf("point %d: ROK priors %g and %g from %g and %g", k, e, c, pt.Num[2], pt.Num[3])
		}
	}
}

// problems loads text and returns its problems as strings.
func problems(t *testing.T, text string) []string {
	t.Helper()
	_, err := loadString(t, text)
	if err == nil {
		t.Fatalf("no error for:\n%s", text)
	}
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("error %T: %v", err, err)
	}
	out := make([]string, len(se.Problems))
	for i, p := range se.Problems {
		out[i] = p.String()
	}
	return out
}

func TestBadSweepFiles(t *testing.T) {
	for _, c := range []struct {
		name string
		text string
		want []string // each a substring of one problem, in order
	}{
		{"empty", "", []string{"test.yaml: the file is empty"}},
		{"syntax", "base: [builtin:tiny\n", []string{"test.yaml:1:7: invalid YAML"}},
		{"missing", "runs: 10\n", []string{`test.yaml:1:1: missing required field "base"`, `missing required field "parameters"`, `missing required field "record"`}},
		{"unknown key", "base: builtin:tiny\nparameter: []\nrecord: {metrics: [completed]}\n",
			[]string{`test.yaml:1:1: missing required field "parameters"`, `test.yaml:2:1: unknown field "parameter" in a sweep (did you mean "parameters"?)`}},
		{"unknown path", `base: builtin:tiny
parameters:
  - path: actors.East.insecurity
    values: [0.5]
  - path: moves.freeze.verificaton
    values: [0.5]
record: {metrics: [completed]}
`, []string{`test.yaml:3:11: parameters[0].path: actors.East.insecurity: no element with id "East" under actors (did you mean "east"?); the ids are: west, east`,
			`test.yaml:5:11: parameters[1].path: moves.freeze.verificaton: no field "verificaton" under moves.freeze; expected one of:`}},
		{"wrong type", `base: builtin:tiny
parameters:
  - path: actors.east.insecurity
    values: [0.5, high]
  - path: environment.horizon
    values: [10, 12.5]
  - path: actors.east.response
    range: {from: 0, to: 1, step: 0.5}
  - path: actors.west.response
    values: [grim, forgiving]
record: {metrics: [completed]}
`, []string{`test.yaml:4:19: parameters[0].values[1]: actors.east.insecurity holds a number, got "high"`,
			`test.yaml:6:18: parameters[1].values[1]: environment.horizon holds a whole number, got "12.5"`,
			`test.yaml:8:5: parameters[2].range: actors.east.response holds a value that is not a number: give it a list of values, not a range`,
			`test.yaml:10:20: parameters[3].values[1]: actors.west.response: cannot use "forgiving"`}},
		{"outside domain", `base: builtin:tiny
design: {method: lhs, samples: 4}
parameters:
  - path: actors.east.insecurity
    values: [0.5, 1.5]
  - path: moves.freeze.verification
    range: {from: 0.5, to: 1.2, step: 0.1}
  - path: actors.west.discount
    normal: {mean: 0.9, sd: 0.05}
record: {metrics: [completed]}
`, []string{`test.yaml:5:19: parameters[0].values[1]: with actors.east.insecurity = 1.5 the scenario is not valid: actors[1].insecurity:`,
			`test.yaml:7:12: parameters[1].range: with moves.freeze.verification = 1.2 (its last value) the scenario is not valid: moves[1].verification:`,
			`test.yaml:9:13: parameters[2].normal: with actors.west.discount = 1.3`}},
		{"bad distributions", `base: builtin:tiny
design: {method: lhs, samples: 10}
parameters:
  - {path: actors.east.insecurity, uniform: {min: 0.8, max: 0.2}}
  - {path: actors.west.discount, normal: {mean: 0.9, sd: -1}}
  - {path: actors.east.discount, beta: {alpha: 0, beta: 2}}
  - {path: moves.freeze.cost, triangular: {min: 1, mode: 3, max: 2}}
  - {path: moves.guarantee.cost, uniform: {min: 1}}
  - {path: moves.guarantee.reversible, gamma: {shape: 1}}
record: {metrics: [completed]}
`, []string{`test.yaml:4:61: parameters[0].uniform.max: must be greater than min (0.8), got 0.2`,
			`test.yaml:5:58: parameters[1].normal.sd: must be a positive number, got -1`,
			`test.yaml:6:48: parameters[2].beta.alpha: must be a positive number, got 0`,
			`test.yaml:7:58: parameters[3].triangular.mode: must lie in [min, max] = [1, 2], got 3`,
			`test.yaml:8:43: parameters[4].uniform: a uniform distribution needs min, max; max is missing`,
			`test.yaml:9:40: parameters[5]: unknown field "gamma" in a parameter`}},
		{"grid with a distribution", `base: builtin:tiny
parameters:
  - {path: actors.east.insecurity, uniform: {min: 0.2, max: 0.9}}
record: {metrics: [completed]}
`, []string{`test.yaml:3:36: parameters[0].uniform: a distribution is sampled: use design method lhs`}},
		{"unsatisfiable complement", `base: builtin:tiny
parameters:
  - path: actors.east.types.security-seeker.prior
    values: [0.5, 1.2]
  - path: actors.west.types.dove.prior
    values: [0.5, 0.7]
  - path: actors.west.types.hawk.prior
    values: [0.4, 0.5]
constraints:
  - complement: [actors.east.types.greedy.prior]
    of: [actors.east.types.security-seeker.prior]
  - complement: [actors.west.types.hawk.prior]
    of: [actors.west.types.dove.prior]
  - normalize: [actors.west.types.hawk.prior, moves.freeze.reversible]
record: {metrics: [completed]}
`, []string{`test.yaml:10:5: constraints[0]: unsatisfiable: actors.east.types.security-seeker.prior can sum to 1.2, more than the total 1, and leave nothing for actors.east.types.greedy.prior`,
			`test.yaml:12:18: constraints[1].complement[0]: actors.west.types.hawk.prior is a parameter; complement computes its paths`,
			`test.yaml:14:17: constraints[2].normalize[0]: actors.west.types.hawk.prior is already set by constraints[1]`}},
		{"normalize of zeros", `base: builtin:tiny
parameters:
  - {path: moves.guarantee.reversible, values: [0, 0.5]}
constraints:
  - normalize: [moves.guarantee.reversible, moves.freeze.reversible]
record: {metrics: [completed]}
`, []string{`test.yaml:5:5: constraints[0]: unsatisfiable: moves.guarantee.reversible, moves.freeze.reversible can all be 0 at once`}},
		{"record", `base: builtin:tiny
parameters:
  - {path: actors.east.insecurity, values: [0.5]}
record:
  roadmaps: [peace-first, grit]
  metrics: [completed, milestone:denuclearized, utility:DPRK, milestone:frozen@40]
`, []string{`test.yaml:5:27: record.roadmaps[1]: the base scenario has no roadmap "grit"; it has peace-first, status-quo`,
			`test.yaml:6:24: record.metrics[1]: the base scenario has no milestone "denuclearized"; it has frozen`,
			`test.yaml:6:49: record.metrics[2]: the base scenario has no actor "DPRK"; it has west, east`,
			`test.yaml:6:63: record.metrics[3]: round 40 is after the horizon (10 rounds)`}},
		{"metrics", `base: builtin:tiny
parameters:
  - {path: actors.east.insecurity, values: [0.5]}
record: {metrics: [completed, happiness, "milestone:", milestone:frozen@0, completed]}
`, []string{`test.yaml:4:31: record.metrics[1]: unknown metric "happiness"; the metrics are completed, completed-but-cheated`,
			`test.yaml:4:42: record.metrics[2]: metric "milestone:" names no id after ':'`,
			`test.yaml:4:56: record.metrics[3]: metric "milestone:frozen@0": the round after @ must be a whole number of at least 1`,
			`test.yaml:4:76: record.metrics[4]: metric completed is listed twice`}},
		{"design", `base: builtin:tiny
design: {method: morris, samples: 10, levels: 3}
parameters:
  - {path: actors.east.insecurity, values: [0.5]}
record: {metrics: [completed]}
`, []string{`test.yaml:2:9: design: the morris method needs trajectories`, `test.yaml:2:26: design.samples: samples does not apply to the morris method (it takes trajectories, levels, seed)`, `test.yaml:2:47: design.levels: must be even`}},
		{"base", `base: builtin:nowhere
parameters:
  - {path: actors.east.insecurity, values: [0.5]}
record: {metrics: [completed]}
`, []string{`test.yaml:1:7: base: no built-in scenario "nowhere"; the built-ins are`}},
		{"base file", `base: missing.yaml
parameters:
  - {path: actors.east.insecurity, values: [0.5]}
record: {metrics: [completed]}
`, []string{`test.yaml:1:7: base: no file missing.yaml (relative to the sweep file's directory, testdata)`}},
		{"nesting", "base: " + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n", []string{"test.yaml:1:71: the file nests lists or mappings more than 64 levels deep here"}},
		{"anchors", "base: &b builtin:tiny\nparameters: []\nrecord: {metrics: [completed]}\n", []string{"test.yaml:1:7: anchors and aliases"}},
		{"duplicates", `base: builtin:tiny
parameters:
  - {path: actors.east.insecurity, values: [0.5, 0.5]}
  - {path: actors.east.insecurity, values: [0.6]}
record: {metrics: [completed]}
`, []string{`test.yaml:3:50: parameters[0].values[1]: 0.5 is listed twice`, `test.yaml:4:12: parameters[1].path: actors.east.insecurity is already varied by parameters[0]`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := problems(t, c.text)
			if len(got) != len(c.want) {
				t.Errorf("%d problems, want %d:\n%s", len(got), len(c.want), strings.Join(got, "\n"))
			}
			for i, w := range c.want {
				if i < len(got) && !strings.Contains(got[i], w) {
					t.Errorf("problem %d:\n  %s\nwant it to contain\n  %s", i, got[i], w)
				}
			}
		})
	}
}
