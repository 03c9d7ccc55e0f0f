package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/parleyhq/parley/montecarlo"
	"github.com/parleyhq/parley/report"
)

// wilson4 holds 95% Wilson intervals for n = 4, computed to 40 digits with
// mpmath (closed form and bisection on the score test agree). BuildComparison
// takes n from the summary's Count, which for an exact solution is the
// number of distinct histories: here the four type profiles.
var wilson4 = map[float64][2]float64{
	0:    {0, 0.489890836454597},
	0.18: {0.0255044471223991, 0.648025688208543},
	0.4:  {0.102616840147911, 0.795361327143009},
	0.42: {0.111522799604692, 0.806859734228044},
	0.58: {0.193140265771956, 0.888477200395308},
	0.6:  {0.204638672856991, 0.897383159852089},
	0.7:  {0.26664622697552, 0.937397438442641},
	1:    {0.510109163545403, 1},
}

const tol = 1e-12

func checkShare(t *testing.T, what string, s report.Share, name string, p float64) {
	t.Helper()
	ci, ok := wilson4[p]
	if !ok {
		t.Fatalf("no reference interval for %v", p)
	}
	if s.Name != name || math.Abs(s.P-p) > tol || math.Abs(s.Lo-ci[0]) > tol || math.Abs(s.Hi-ci[1]) > tol {
		t.Errorf("%s: %+v, want %s %v [%v, %v]", what, s, name, p, ci[0], ci[1])
	}
}

func checkStat(t *testing.T, what string, s report.Stat, mean, sd float64) {
	t.Helper()
	if math.Abs(s.Mean-mean) > tol || math.Abs(s.SD-sd) > tol {
		t.Errorf("%s: mean %v sd %v, want %v, %v", what, s.Mean, s.SD, mean, sd)
	}
}

func checkCurve(t *testing.T, what string, got []float64, want ...float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %v, want %v", what, got, want)
		return
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol {
			t.Errorf("%s: %v, want %v", what, got, want)
			return
		}
	}
}

// TestBuildComparisonExact checks every number of the comparison of the tiny
// scenario (see tinyScenario for the four histories) against values worked
// out by hand from the table of profiles.
func TestBuildComparisonExact(t *testing.T) {
	c := tinyComparison(t)
	if c.Scenario != "test" || c.Title != "two moves each" || c.Horizon != 6 || c.RoundLength != "1 round" ||
		c.Runs != 4 || c.Seed != 1 || c.Chunk != 500 || len(c.Roadmaps) != 2 {
		t.Fatalf("header: %+v", c)
	}
	r, sq := c.Roadmaps[0], c.Roadmaps[1]
	if r.ID != "r" || r.Baseline || r.Phases != 2 || sq.ID != "sq" || !sq.Baseline || sq.Phases != 0 {
		t.Fatalf("roadmaps %s (%v, %d), %s (%v, %d)", r.ID, r.Baseline, r.Phases, sq.ID, sq.Baseline, sq.Phases)
	}

	// outcomes: completed 0.42 = 0.6·0.7, stalemate the rest; no baseline status for a roadmap
	want := map[string]float64{"completed": 0.42, "stalemate": 0.58}
	names := []string{"completed", "completed-but-cheated", "breakdown", "partial", "stalemate", "horizon"}
	if len(r.Outcomes) != len(names) {
		t.Fatalf("outcomes %+v", r.Outcomes)
	}
	for i, n := range names {
		checkShare(t, "outcome "+n, r.Outcomes[i], n, want[n])
	}
	if got := r.StatusShare("stalemate"); got != r.Outcomes[4] {
		t.Errorf("StatusShare(stalemate) = %+v", got)
	}
	if got := r.StatusShare("baseline"); got != (report.Share{Name: "baseline"}) {
		t.Errorf("StatusShare(baseline) of a roadmap = %+v", got)
	}
	// causes, most frequent first: A declines a1 in (hard, rec) and (hard, hard)
	if len(r.Causes) != 2 {
		t.Fatalf("causes %+v", r.Causes)
	}
	checkShare(t, "cause 1", r.Causes[0], "A declines a1", 0.4)
	checkShare(t, "cause 2", r.Causes[1], "B declines b1", 0.18)
	// rounds: 0.42·2 + 0.46·5 + 0.12·4 = 3.62; E[rounds²] = 0.42·4 + 0.46·25 + 0.12·16 = 15.1
	checkStat(t, "rounds", r.Rounds, 3.62, math.Sqrt(15.1-3.62*3.62))

	// milestones: a1 when A is a reciprocator (0.6), b1 when B is (0.7), in
	// round 1; all four moves in round 2 when both are (0.42)
	if len(r.Milestones) != 3 {
		t.Fatalf("milestones %+v", r.Milestones)
	}
	for i, m := range []struct {
		id    string
		p     float64
		round float64
		curve []float64
	}{
		{"a1", 0.6, 1, []float64{0.6, 0.6, 0.6, 0.6, 0.6, 0.6}},
		{"b1", 0.7, 1, []float64{0.7, 0.7, 0.7, 0.7, 0.7, 0.7}},
		{"all", 0.42, 2, []float64{0, 0.42, 0.42, 0.42, 0.42, 0.42}},
	} {
		got := r.Milestones[i]
		if got.ID != m.id || !got.InRoadmap || got.MeanRound == nil || math.Abs(*got.MeanRound-m.round) > tol {
			t.Errorf("milestone %d: %+v, want %s in round %v", i, got, m.id, m.round)
		}
		checkShare(t, "milestone "+m.id, got.Reached, "reached", m.p)
		// no misperception: believed by all exactly when reached
		checkShare(t, "milestone "+m.id+" believed", got.Believed, "believed", m.p)
		checkCurve(t, "curve of "+m.id, got.Curve, m.curve...)
	}

	// actors
	if len(r.Actors) != 2 {
		t.Fatalf("actors %+v", r.Actors)
	}
	A, B := r.Actors[0], r.Actors[1]
	// A's utility: 1.9, −1, 2, 0 with the profile probabilities
	uA := 0.42*1.9 - 0.18 + 0.28*2
	checkStat(t, "A utility", A.Utility, uA, math.Sqrt(0.42*1.9*1.9+0.18+0.28*4-uA*uA))
	checkStat(t, "A exposure", A.Exposure, 0.18, math.Sqrt(0.18-0.18*0.18))
	lA := 0.18*2 + 0.28*4 + 0.12*4
	checkStat(t, "A leverage", A.Leverage, lA, math.Sqrt(0.18*4+0.28*16+0.12*16-lA*lA))
	uB := 0.42*1.9 + 0.18*2 - 0.28
	checkStat(t, "B utility", B.Utility, uB, math.Sqrt(0.42*1.9*1.9+0.18*4+0.28-uB*uB))
	checkStat(t, "B exposure", B.Exposure, 0.28, math.Sqrt(0.28-0.28*0.28))

	// by type: the actor's own type first, then the counterpart's
	type bt struct {
		cp, ty                string
		share                 float64
		util, expo, lev       float64
		utilSD, expoSD, levSD float64
	}
	byType := func(who string, got []report.TypeResult, want []bt) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s by type: %+v", who, got)
		}
		for i, w := range want {
			g := got[i]
			what := who + " with " + w.cp + " " + w.ty
			if g.Counterpart != w.cp || g.Type != w.ty || math.Abs(g.Share-w.share) > tol {
				t.Errorf("%s: %+v", what, g)
			}
			checkStat(t, what+" utility", g.Utility, w.util, w.utilSD)
			checkStat(t, what+" exposure", g.Exposure, w.expo, w.expoSD)
			checkStat(t, what+" leverage", g.Leverage, w.lev, w.levSD)
		}
	}
	// mixtures of two values: sd = |x − y|·√(q(1 − q)) with q the weight of x
	sd2 := func(x, y, q float64) float64 { return math.Abs(x-y) * math.Sqrt(q*(1-q)) }
	byType("A", A.ByType, []bt{
		// A rec: (rec, rec) 0.42 and (rec, hard) 0.18 → q = 0.7
		{"A", "rec", 0.6, 0.7*1.9 - 0.3, 0.3, 0.3 * 2, sd2(1.9, -1, 0.7), sd2(0, 1, 0.7), sd2(0, 2, 0.7)},
		// A hard: (hard, rec) 0.28 and (hard, hard) 0.12 → q = 0.7
		{"A", "hard", 0.4, 0.7 * 2, 0, 4, sd2(2, 0, 0.7), 0, 0},
		// B rec: (rec, rec) 0.42 and (hard, rec) 0.28 → q = 0.6
		{"B", "rec", 0.7, 0.6*1.9 + 0.4*2, 0, 0.4 * 4, sd2(1.9, 2, 0.6), 0, sd2(0, 4, 0.6)},
		// B hard: (rec, hard) 0.18 and (hard, hard) 0.12 → q = 0.6: the exposure the op-ed is about
		{"B", "hard", 0.3, -0.6, 0.6, 0.6*2 + 0.4*4, sd2(-1, 0, 0.6), sd2(1, 0, 0.6), sd2(2, 4, 0.6)},
	})
	byType("B", B.ByType, []bt{
		{"A", "rec", 0.6, 0.7*1.9 + 0.3*2, 0, 0.3 * 4, sd2(1.9, 2, 0.7), 0, sd2(0, 4, 0.7)},
		{"A", "hard", 0.4, -0.7, 0.7, 0.7*2 + 0.3*4, sd2(-1, 0, 0.7), sd2(1, 0, 0.7), sd2(2, 4, 0.7)},
		{"B", "rec", 0.7, 0.6*1.9 - 0.4, 0.4, 0.4 * 2, sd2(1.9, -1, 0.6), sd2(0, 1, 0.6), sd2(0, 2, 0.6)},
		{"B", "hard", 0.3, 0.6 * 2, 0, 4, sd2(2, 0, 0.6), 0, 0},
	})

	// trust: a martingale: one round reveals every type (a reciprocator
	// delivers, a hardliner declines), so after it A's trust in B is 1 or 0
	// with mean 0.7, and B's in A 1 or 0 with mean 0.6
	if len(r.Trust) != 2 || r.Trust[0].From != "A" || r.Trust[0].To != "B" || r.Trust[1].From != "B" || r.Trust[1].To != "A" {
		t.Fatalf("trust series %+v", r.Trust)
	}
	for i, p := range []float64{0.7, 0.6} {
		s := math.Sqrt(p * (1 - p))
		checkCurve(t, "trust mean", r.Trust[i].Mean, p, p, p, p, p, p, p)
		checkCurve(t, "trust sd", r.Trust[i].SD, 0, s, s, s, s, s, s)
	}
	// nobody's insecurity moves
	for _, in := range r.Insecurity {
		checkCurve(t, "insecurity of "+in.From, in.Mean, 0, 0, 0, 0, 0, 0, 0)
		checkCurve(t, "insecurity sd of "+in.From, in.SD, 0, 0, 0, 0, 0, 0, 0)
	}

	// the status quo: nothing happens for 6 rounds
	if len(sq.Outcomes) != 1 || len(sq.Causes) != 0 {
		t.Fatalf("status quo outcomes %+v, causes %+v", sq.Outcomes, sq.Causes)
	}
	checkShare(t, "status quo", sq.Outcomes[0], "baseline", 1)
	// the sd of a constant is exactly 0 (not the 8e-8 of rounding noise)
	checkStat(t, "status quo rounds", sq.Rounds, 6, 0)
	if sq.Rounds.SD != 0 {
		t.Errorf("status quo rounds sd %v, want exactly 0", sq.Rounds.SD)
	}
	for _, m := range sq.Milestones {
		if m.InRoadmap || m.MeanRound != nil || m.Reached.P != 0 {
			t.Errorf("status quo milestone %+v", m)
		}
		checkCurve(t, "status quo curve", m.Curve, 0, 0, 0, 0, 0, 0)
	}
	for i, p := range []float64{0.7, 0.6} {
		checkCurve(t, "status quo trust", sq.Trust[i].Mean, p, p, p, p, p, p, p)
		checkCurve(t, "status quo trust sd", sq.Trust[i].SD, 0, 0, 0, 0, 0, 0, 0)
	}
	for _, a := range sq.Actors {
		checkStat(t, "status quo utility", a.Utility, 0, 0)
	}
}

// TestBuildComparisonMonteCarlo: from Monte Carlo summaries the intervals
// use the number of runs, and they hold the exact values.
func TestBuildComparisonMonteCarlo(t *testing.T) {
	rs := compileAll(t, tinyScenario())
	const runs = 4000
	sums, err := montecarlo.Compare(context.Background(), rs, montecarlo.Options{Runs: runs, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	c := report.BuildComparison(sums, report.Meta{Runs: runs, Seed: 1, Chunk: montecarlo.DefaultChunk})
	r := c.Roadmaps[0]
	for _, s := range []report.Share{r.StatusShare("completed"), r.Milestones[0].Reached, r.Milestones[1].Reached} {
		lo, hi := montecarlo.Wilson(s.P, runs)
		if math.Abs(s.Lo-lo) > tol || math.Abs(s.Hi-hi) > tol {
			t.Errorf("%s: [%v, %v], want Wilson(%v, %d) = [%v, %v]", s.Name, s.Lo, s.Hi, s.P, runs, lo, hi)
		}
	}
	for _, x := range []struct {
		what  string
		s     report.Share
		exact float64
	}{{"completed", r.StatusShare("completed"), 0.42}, {"a1", r.Milestones[0].Reached, 0.6}, {"b1", r.Milestones[1].Reached, 0.7}, {"all", r.Milestones[2].Reached, 0.42}} {
		if x.s.Lo > x.exact || x.exact > x.s.Hi {
			t.Errorf("%s: exact %v outside [%v, %v]", x.what, x.exact, x.s.Lo, x.s.Hi)
		}
	}
}

// TestJSONRoundTrip: the JSON decodes back into the same comparison and
// encodes again to the same bytes; a few fields are read by name.
func TestJSONRoundTrip(t *testing.T) {
	c := tinyComparison(t)
	var b bytes.Buffer
	if err := c.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var back report.Comparison
	dec := json.NewDecoder(bytes.NewReader(b.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, c) {
		t.Errorf("JSON round trip changed the comparison:\n%+v\n%+v", back, *c)
	}
	var again bytes.Buffer
	if err := back.WriteJSON(&again); err != nil {
		t.Fatal(err)
	}
	if again.String() != b.String() {
		t.Errorf("re-encoding differs")
	}
	var doc struct {
		Roadmaps []struct {
			ID         string `json:"id"`
			Milestones []struct {
				MeanRound *float64  `json:"mean_round"`
				Curve     []float64 `json:"curve"`
			} `json:"milestones"`
			Actors []struct {
				ByType []struct {
					Counterpart string  `json:"counterpart"`
					Type        string  `json:"type"`
					Share       float64 `json:"share"`
				} `json:"by_counterpart_type"`
			} `json:"actors"`
		} `json:"roadmaps"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if ms := doc.Roadmaps[0].Milestones[2]; ms.MeanRound == nil || *ms.MeanRound != 2 || ms.Curve[1] != 0.42 {
		t.Errorf("milestone all: %+v", ms)
	}
	if doc.Roadmaps[1].Milestones[0].MeanRound != nil {
		t.Errorf("a milestone never reached has a mean round")
	}
	if bt := doc.Roadmaps[0].Actors[0].ByType[3]; bt.Counterpart != "B" || bt.Type != "hard" || bt.Share != 0.3 {
		t.Errorf("by type: %+v", bt)
	}
	if !strings.Contains(b.String(), `"mean_round": null`) {
		t.Errorf("no null mean round in the JSON")
	}
	golden(t, "tiny.json", b.String())
}

// TestComparisonTables: the text, Markdown and CSV renderings of the tiny
// comparison (golden files), and the cells that carry its numbers.
func TestComparisonTables(t *testing.T) {
	c := tinyComparison(t)
	tables := c.Tables()
	var titles []string
	for _, tb := range tables {
		titles = append(titles, tb.Title)
	}
	wantTitles := []string{"Outcomes", "Why talks ended early", "Milestones", "Actors", "Exposure and leverage by the counterpart's true type"}
	if !reflect.DeepEqual(titles, wantTitles) {
		t.Fatalf("tables %q", titles)
	}
	cells := func(tb *report.Table) [][]string { return append([][]string{tb.Header}, tb.Rows...) }
	if got, want := cells(tables[0]), [][]string{
		{"roadmap", "completed", "stalemate", "baseline", "mean rounds"},
		{"r", "42.0% [11.2–80.7]", "58.0% [19.3–88.8]", "—", "3.6"},
		{"sq", "—", "—", "100.0% [51.0–100.0]", "6.0"},
	}; !reflect.DeepEqual(got, want) {
		t.Errorf("outcomes %q", got)
	}
	if got, want := cells(tables[2]), [][]string{
		{"roadmap", "a1", "b1", "all"},
		{"r", "60.0% (r1.0)", "70.0% (r1.0)", "42.0% (r2.0)"},
		{"sq", "—", "—", "—"},
	}; !reflect.DeepEqual(got, want) {
		t.Errorf("milestones %q", got)
	}
	if got, want := cells(tables[4]), [][]string{
		{"roadmap", "actor", "counterpart", "by type: exposure / leverage left"},
		{"r", "A", "B", "rec 0.000/1.600   hard 0.600/2.800"},
		{"r", "B", "A", "rec 0.000/1.200   hard 0.700/2.600"},
	}; !reflect.DeepEqual(got, want) {
		t.Errorf("by type %q", got)
	}
	for _, f := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"tiny.txt", func(b *bytes.Buffer) error { return c.WriteText(b) }},
		{"tiny.md", func(b *bytes.Buffer) error { return c.WriteMarkdown(b) }},
		{"tiny.csv", func(b *bytes.Buffer) error { return c.WriteCSV(b) }},
	} {
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			t.Fatal(err)
		}
		golden(t, f.name, b.String())
	}
}
