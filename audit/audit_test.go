package audit_test

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/parleyhq/parley/audit"
	"github.com/parleyhq/parley/internal/testkit"
	"github.com/parleyhq/parley/scenario"
)

const tol = 1e-9

// exchange builds model.md §9 check 4: K simultaneous phases in which A and B
// each pay c and receive b, δ = 0.9, r = 0, verification d, lasting value lv,
// both actors of the single type given.
func exchange(K int, c, b, d, lv float64, disp scenario.Disposition) *scenario.Scenario {
	var moves []scenario.Move
	var phases []scenario.Phase
	for k := 1; k <= K; k++ {
		ma := testkit.Move(moveID("A", k), "A", c, "B", b)
		mb := testkit.Move(moveID("B", k), "B", c, "A", b)
		ma.Verification, mb.Verification = testkit.F(d), testkit.F(d)
		moves = append(moves, ma, mb)
		phases = append(phases, testkit.Phase(ma.ID, mb.ID))
	}
	a := testkit.Actor("A", 0.9, testkit.Type("t", 1, disp))
	bb := testkit.Actor("B", 0.9, testkit.Type("t", 1, disp))
	a.LastingValue, bb.LastingValue = lv, lv
	return testkit.Scenario(40, []scenario.Actor{a, bb}, moves, phases...)
}

func moveID(actor string, k int) string { return actor + string(rune('0'+k)) }

func run(t *testing.T, s *scenario.Scenario, opt audit.Options) *audit.Report {
	t.Helper()
	rep, err := audit.Audit(compile(t, s), opt)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// row returns actor id's row in 0-based phase k of profile 0.
func row(t *testing.T, rep *audit.Report, k int, id string) *audit.Row {
	t.Helper()
	ph := &rep.Profiles[0].Phases[k]
	for i := range ph.Rows {
		if ph.Rows[i].Actor == id {
			return &ph.Rows[i]
		}
	}
	t.Fatalf("phase %d: no row for %s", k+1, id)
	return nil
}

func lever(t *testing.T, f audit.Failure, kind string) audit.Lever {
	t.Helper()
	for _, l := range f.Levers {
		if l.Kind == kind {
			return l
		}
	}
	t.Fatalf("failure %q has no %s lever: %+v", f.Kind, kind, f.Levers)
	return audit.Lever{}
}

func near(a, b float64) bool { return math.Abs(a-b) <= tol }

// closedMargin is check 4's margin in 1-based phase k of K:
// (b − c)·Σ_{j=1..K−k} δ^j + δ^(K−k+1)·lv/(1 − δ) − c, with D = 1.
func closedMargin(K, k int, c, b, lv float64) float64 {
	m := -c
	for j := 1; j <= K-k; j++ {
		m += (b - c) * math.Pow(0.9, float64(j))
	}
	return m + math.Pow(0.9, float64(K-k+1))*lv/0.1
}

func TestSelfEnforcementCheck4(t *testing.T) {
	cases := []struct {
		name    string
		K       int
		c, b    float64
		lv      float64
		want    []float64 // exact
		fails   []bool
		lasting []float64 // the lasting value's part of the margin
	}{
		{"three phases", 3, 1, 2, 0, []float64{0.71, -0.1, -1}, []bool{false, true, true}, nil},
		{"six half phases", 6, 0.5, 1, 0, []float64{1.342795, 1.04755, 0.7195, 0.355, -0.05, -0.5},
			[]bool{false, false, false, false, true, true}, nil},
		{"three phases, lasting value 0.2", 3, 1, 2, 0.2, []float64{0.71 + 1.458, -0.1 + 1.62, -1 + 1.8},
			[]bool{false, false, false}, []float64{1.458, 1.62, 1.8}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := run(t, exchange(tc.K, tc.c, tc.b, 1, tc.lv, scenario.Opportunist), audit.Options{})
			if rep.Phases != tc.K {
				t.Fatalf("%d phases, want %d", rep.Phases, tc.K)
			}
			for k, want := range tc.want {
				if cf := closedMargin(tc.K, k+1, tc.c, tc.b, tc.lv); !near(cf, want) {
					t.Fatalf("test table: phase %d closed form %v, table %v", k+1, cf, want)
				}
				if tc.lasting != nil {
					if got := math.Pow(0.9, float64(tc.K-k)) * tc.lv / 0.1; !near(got, tc.lasting[k]) {
						t.Errorf("phase %d: lasting part %v, want %v", k+1, got, tc.lasting[k])
					}
				}
				for _, id := range []string{"A", "B"} {
					r := row(t, rep, k, id)
					if !near(r.Margin, want) {
						t.Errorf("phase %d %s: margin %.9f, want %.9f", k+1, id, r.Margin, want)
					}
					if !near(r.Temptation, tc.c) || !near(r.Cost, tc.c) || !near(r.Gain, tc.b) || r.Detection != 1 || r.AtStake != 0 {
						t.Errorf("phase %d %s: c=%v temptation=%v b=%v D=%v G=%v", k+1, id, r.Cost, r.Temptation, r.Gain, r.Detection, r.AtStake)
					}
					if !near(r.Margin, r.Detection*(r.Continuation+r.AtStake)-r.Cost) {
						t.Errorf("phase %d %s: margin is not D·(V+G) − c", k+1, id)
					}
					failed := len(r.Failures) > 0
					if failed != tc.fails[k] {
						t.Errorf("phase %d %s: failed=%v, want %v (%+v)", k+1, id, failed, tc.fails[k], r.Failures)
					}
					if failed && r.Failures[0].Kind != audit.FailMargin {
						t.Errorf("phase %d %s: failure kind %q", k+1, id, r.Failures[0].Kind)
					}
				}
			}
		})
	}
}

// The lasting-value lever proposes the value per round that makes the margin
// exactly zero: applied to the scenario, the re-audit finds margin 0.
func TestLastingLeverMakesMarginZero(t *testing.T) {
	rep := run(t, exchange(3, 1, 2, 1, 0, scenario.Opportunist), audit.Options{})
	for k, want := range map[int]float64{1: 0.1 / 8.1, 2: 1.0 / 9} {
		f := row(t, rep, k, "A").Failures[0]
		l := lever(t, f, audit.LeverLasting)
		if !l.Feasible || l.Needed == nil || !near(*l.Needed, want) {
			t.Fatalf("phase %d: lasting lever %+v, want %v", k+1, l, want)
		}
		again := run(t, exchange(3, 1, 2, 1, *l.Needed, scenario.Opportunist), audit.Options{})
		r := row(t, again, k, "A")
		if math.Abs(r.Margin) > 1e-12 || len(r.Failures) != 0 {
			t.Errorf("phase %d with lasting value %v: margin %v, failures %+v", k+1, *l.Needed, r.Margin, r.Failures)
		}
	}
}

// The verification lever proposes D = c/(V + G); with it the margin is 0.
func TestVerificationLeverMakesMarginZero(t *testing.T) {
	// d = 0.5: phase 1 margin 0.5·1.71 − 1 = −0.145, D* = 1/1.71
	rep := run(t, exchange(3, 1, 2, 0.5, 0, scenario.Opportunist), audit.Options{})
	r := row(t, rep, 0, "A")
	if !near(r.Margin, -0.145) {
		t.Fatalf("margin %v, want −0.145", r.Margin)
	}
	l := lever(t, r.Failures[0], audit.LeverVerification)
	if !l.Feasible || !near(*l.Needed, 1/1.71) || l.Now != 0.5 {
		t.Fatalf("verification lever %+v, want D = %v", l, 1/1.71)
	}
	s := exchange(3, 1, 2, 0.5, 0, scenario.Opportunist)
	s.Moves[0].Verification = testkit.F(*l.Needed)
	again := run(t, s, audit.Options{})
	if m := row(t, again, 0, "A").Margin; math.Abs(m) > 1e-12 {
		t.Errorf("margin with D = %v: %v, want 0", *l.Needed, m)
	}
	// with d = 1 in phase 2 (V = 0.9 < c = 1) no D ≤ 1 suffices
	rep = run(t, exchange(3, 1, 2, 1, 0, scenario.Opportunist), audit.Options{})
	l = lever(t, row(t, rep, 1, "A").Failures[0], audit.LeverVerification)
	if l.Feasible || !near(*l.Needed, 1/0.9) {
		t.Errorf("phase 2 verification lever %+v, want infeasible D = 1/0.9", l)
	}
	// in the last phase V + G = 0: verification cannot help at all
	l = lever(t, row(t, rep, 2, "A").Failures[0], audit.LeverVerification)
	if l.Feasible || l.Needed != nil {
		t.Errorf("phase 3 verification lever %+v, want none", l)
	}
}

// The tranche lever's closed form agrees with the model's own tranche
// expansion: splitting phase 2's moves into the proposed n tranches makes
// every sub-phase hold, with the tightest margin the lever states; n − 1 does not.
func TestTrancheLeverAgreesWithExpansion(t *testing.T) {
	rep := run(t, exchange(3, 1, 2, 1, 0, scenario.Opportunist), audit.Options{})
	l := lever(t, row(t, rep, 1, "A").Failures[0], audit.LeverTranches)
	if !l.Feasible || *l.Needed != 2 {
		t.Fatalf("tranche lever %+v, want 2", l)
	}
	s := exchange(3, 1, 2, 1, 0, scenario.Opportunist)
	s.Moves[2].Tranches, s.Moves[3].Tranches = testkit.I(2), testkit.I(2)
	again := run(t, s, audit.Options{})
	if again.Phases != 4 {
		t.Fatalf("%d phases after expansion, want 4", again.Phases)
	}
	// sub-phases: V_2 = 0.9, V_1 = 0.9·(0.5 + 0.9) = 1.26; margins 0.76 and 0.4
	want := []float64{1.26 - 0.5, 0.9 - 0.5}
	worst := math.Inf(1)
	for j, w := range want {
		r := row(t, again, 1+j, "A")
		if !near(r.Margin, w) || len(r.Failures) != 0 {
			t.Errorf("sub-phase %d: margin %v, want %v; failures %+v", j+1, r.Margin, w, r.Failures)
		}
		worst = min(worst, r.Margin)
	}
	if !strings.Contains(l.Text, "margin of "+fmt3(worst)) {
		t.Errorf("lever text %q does not state the tightest margin %v", l.Text, worst)
	}
	// the last phase cannot be fixed by tranches: V = 0
	l = lever(t, row(t, rep, 2, "A").Failures[0], audit.LeverTranches)
	if l.Feasible {
		t.Errorf("last phase: tranche lever %+v should be infeasible", l)
	}
	// six half phases, phase 5 (margin −0.05): the proposed n holds in the model's expansion, n − 1 does not
	rep = run(t, exchange(6, 0.5, 1, 1, 0, scenario.Opportunist), audit.Options{})
	l = lever(t, row(t, rep, 4, "A").Failures[0], audit.LeverTranches)
	if !l.Feasible {
		t.Fatalf("six phases, phase 5: tranche lever %+v", l)
	}
	n := int(*l.Needed)
	for _, m := range []int{n - 1, n} {
		s := exchange(6, 0.5, 1, 1, 0, scenario.Opportunist)
		s.Moves[8].Tranches, s.Moves[9].Tranches = testkit.I(m), testkit.I(m)
		again := run(t, s, audit.Options{})
		ok := true
		for j := 0; j < m; j++ {
			ok = ok && len(row(t, again, 4+j, "A").Failures) == 0
		}
		if ok != (m == n) {
			t.Errorf("phase 5 split into %d: holds=%v (lever proposes %d)", m, ok, n)
		}
	}
}

// fmt3 formats like the report: three decimals and a true minus sign.
func fmt3(x float64) string {
	s := strconv.FormatFloat(x, 'f', 3, 64)
	if s == "-0.000" {
		return "0.000"
	}
	return strings.Replace(s, "-", "−", 1)
}

// The escrow lever: the share of what A receives that must be at stake.
func TestEscrowLeverMakesMarginZero(t *testing.T) {
	// phase 2: margin 0.9 − 1; G must reach c/D − V = 0.1 of b = 2: share 0.05
	rep := run(t, exchange(3, 1, 2, 1, 0, scenario.Opportunist), audit.Options{})
	l := lever(t, row(t, rep, 1, "A").Failures[0], audit.LeverEscrow)
	if !l.Feasible || !near(*l.Needed, 0.05) || l.Now != 0 {
		t.Fatalf("escrow lever %+v, want 0.05", l)
	}
	s := exchange(3, 1, 2, 1, 0, scenario.Opportunist)
	s.Moves[3].Reversible = *l.Needed // B's phase-2 move, received by A
	again := run(t, s, audit.Options{})
	r := row(t, again, 1, "A")
	if math.Abs(r.Margin) > 1e-12 || len(r.Failures) != 0 || !near(r.AtStake, 0.1) {
		t.Errorf("with escrow: margin %v, G %v, failures %+v", r.Margin, r.AtStake, r.Failures)
	}
}

// check1 is model.md §9 check 1: one simultaneous phase, A a reciprocator
// paying 1 and receiving 2 irreversibly; B a reciprocator with prior pi or an
// opportunist (whose margin in a single phase is −c < 0).
func check1(pi, rev float64) *scenario.Scenario {
	a := testkit.Actor("A", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
	b := testkit.Actor("B", 0.9, testkit.Type("rec", pi, scenario.Reciprocator), testkit.Type("opp", 1-pi, scenario.Opportunist))
	ma := testkit.Move("a", "A", 1, "B", 2)
	ma.Reversible = rev
	mb := testkit.Move("b", "B", 1, "A", 2)
	return testkit.Scenario(10, []scenario.Actor{a, b}, []scenario.Move{ma, mb}, testkit.Phase("a", "b"))
}

func TestTrustThresholdCheck1(t *testing.T) {
	for _, tc := range []struct {
		pi   float64
		fail bool
	}{{0.5, false}, {0.49, true}} {
		rep := run(t, check1(tc.pi, 0), audit.Options{Profile: []int{0, 0}})
		r := row(t, rep, 0, "A")
		if r.Threshold == nil || !near(*r.Threshold, 0.5) || !near(r.Net, 1) || !near(r.Exposure, 1) {
			t.Fatalf("π=%v: threshold %v, N %v, L %v; want 1/2, 1, 1", tc.pi, r.Threshold, r.Net, r.Exposure)
		}
		if !near(r.PriorTrust, tc.pi) {
			t.Errorf("π=%v: p = %v", tc.pi, r.PriorTrust)
		}
		if got := len(r.Failures) > 0; got != tc.fail {
			t.Errorf("π=%v: failed=%v, want %v", tc.pi, got, tc.fail)
		}
		// the Kydd stage game with c = L/N, t = 0 says the same
		if audit.KyddCooperates(r.PriorTrust, r.Exposure/r.Net, 0) == tc.fail {
			t.Errorf("π=%v: KyddCooperates disagrees with the audit", tc.pi)
		}
		if len(r.Counterparts) != 1 || r.Counterparts[0].Actor != "B" || len(r.Counterparts[0].Types) != 2 ||
			!r.Counterparts[0].Types[0].Keeps || r.Counterparts[0].Types[1].Keeps {
			t.Errorf("π=%v: counterparts %+v", tc.pi, r.Counterparts)
		}
		if !tc.fail {
			continue
		}
		f := r.Failures[0]
		if f.Kind != audit.FailTrust || !strings.Contains(f.Message, "B:opp") {
			t.Errorf("failure %+v", f)
		}
		// reversibility: L = p·N/(1 − p) = 0.49/0.51 → r* = 1 − 0.49/0.51
		l := lever(t, f, audit.LeverReversibility)
		if !l.Feasible || !near(*l.Needed, 1-0.49/0.51) {
			t.Fatalf("reversibility lever %+v", l)
		}
		again := run(t, check1(tc.pi, *l.Needed), audit.Options{Profile: []int{0, 0}})
		r2 := row(t, again, 0, "A")
		if !near(*r2.Threshold, 0.49) || len(r2.Failures) != 0 {
			t.Errorf("with r = %v: threshold %v, failures %+v", *l.Needed, *r2.Threshold, r2.Failures)
		}
		// lasting value: N must reach (1 − p)·L/p = 0.51/0.49 (one phase: w = δ/(1 − δ) = 9)
		l = lever(t, f, audit.LeverLasting)
		if want := (0.51/0.49 - 1) / 9; !l.Feasible || !near(*l.Needed, want) {
			t.Errorf("lasting lever %+v, want %v", l, want)
		}
	}
}

// hardliner: B delivers a security-relevant step of base cost c0 at
// insecurity s with weight κ = 1; bound 0.5.
func hardliner(c0, s float64) *scenario.Scenario {
	a := testkit.Actor("A", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
	b := testkit.Actor("B", 0.9, testkit.Type("hard", 1, scenario.Hardliner))
	b.Insecurity, b.InsecurityWeight = s, 1
	b.Symbolic = testkit.F(0.5)
	ma := testkit.Move("a", "A", 0.2, "B", 1)
	mb := testkit.Move("b", "B", c0, "A", 1)
	mb.SecurityRelevant = true
	return testkit.Scenario(10, []scenario.Actor{a, b}, []scenario.Move{ma, mb}, testkit.Phase("a", "b"))
}

func TestHardlinerBound(t *testing.T) {
	for _, tc := range []struct {
		c0, s float64
		cost  float64
		fail  bool
	}{
		{0.4, 0, 0.4, false},
		{0.5, 0, 0.5, false}, // at the bound: delivered
		{0.6, 0, 0.6, true},
		{0.4, 0.25, 0.5, false}, // 0.4·(1 + 0.25) = 0.5
		{0.4, 0.5, 0.6, true},   // only the multiplier pushes it over
	} {
		rep := run(t, hardliner(tc.c0, tc.s), audit.Options{})
		r := row(t, rep, 0, "B")
		if !near(r.MaxStepCost, tc.cost) || r.Bound != 0.5 || r.MaxStep != "b" {
			t.Errorf("c0=%v s=%v: max step %s %v, bound %v; want cost %v", tc.c0, tc.s, r.MaxStep, r.MaxStepCost, r.Bound, tc.cost)
		}
		if got := len(r.Failures) > 0; got != tc.fail {
			t.Errorf("c0=%v s=%v: failed=%v, want %v", tc.c0, tc.s, got, tc.fail)
			continue
		}
		// A's trust in B follows the same bound
		if pa := row(t, rep, 0, "A").PriorTrust; pa != map[bool]float64{false: 1, true: 0}[tc.fail] {
			t.Errorf("c0=%v s=%v: A's prior trust %v", tc.c0, tc.s, pa)
		}
		if !tc.fail {
			continue
		}
		f := r.Failures[0]
		if f.Kind != audit.FailBound || f.Step != "b" {
			t.Errorf("failure %+v", f)
		}
		tr := lever(t, f, audit.LeverTranches)
		if !tr.Feasible || *tr.Needed != 2 {
			t.Errorf("tranche lever %+v, want 2", tr)
		}
		if tc.s > 0 {
			l := lever(t, f, audit.LeverSecurity)
			// 0.4·(1 + s*) = 0.5 → s* = 0.25
			if !l.Feasible || !near(*l.Needed, 0.25) || l.Now != tc.s {
				t.Errorf("security lever %+v, want s* = 0.25", l)
			}
		}
	}
	// a base cost above the bound: the security lever says it cannot help
	rep := run(t, hardliner(0.6, 0.5), audit.Options{})
	if l := lever(t, row(t, rep, 0, "B").Failures[0], audit.LeverSecurity); l.Feasible {
		t.Errorf("security lever %+v should be infeasible", l)
	}
}

// The earlier-security-move lever for an opportunist: the insecurity at which
// the margin is zero, checked by re-auditing at that insecurity.
func TestSecurityLeverMakesMarginZero(t *testing.T) {
	// six-phase-like exchange of three phases, c = 0.5, b = 1; only A's move in
	// phase k is security-relevant, so V does not depend on A's insecurity
	build := func(k int, s, kappa float64) *scenario.Scenario {
		sc := exchange(3, 0.5, 1, 1, 0, scenario.Opportunist)
		sc.Actors[0].Insecurity, sc.Actors[0].InsecurityWeight = s, kappa
		sc.Moves[2*k].SecurityRelevant = true
		return sc
	}
	// phase 2: V = 0.45, c = 0.5·(1 + 2·0.2) = 0.7, margin −0.25; even at s = 0 it is −0.05
	rep := run(t, build(1, 0.2, 2), audit.Options{})
	r := row(t, rep, 1, "A")
	if !near(r.Margin, -0.25) || !near(r.CostAtZero, 0.5) || !near(r.Cost, 0.7) {
		t.Fatalf("margin %v, cost %v, cost at zero %v", r.Margin, r.Cost, r.CostAtZero)
	}
	if l := lever(t, r.Failures[0], audit.LeverSecurity); l.Feasible || !strings.Contains(l.Text, "cannot") {
		t.Errorf("phase 2 security lever %+v should be infeasible", l)
	}
	// phase 1: V = 0.9·0.5 + 0.81·0.5 = 0.855, c = 0.5·(1 + 10·0.1) = 1, margin −0.145;
	// s* = (0.855 − 0.5)/5 = 0.071
	rep = run(t, build(0, 0.1, 10), audit.Options{})
	r = row(t, rep, 0, "A")
	if !near(r.Margin, -0.145) {
		t.Fatalf("phase 1 margin %v, want −0.145", r.Margin)
	}
	l := lever(t, r.Failures[0], audit.LeverSecurity)
	if !l.Feasible || !near(*l.Needed, 0.071) || l.Now != 0.1 {
		t.Fatalf("security lever %+v, want s* = 0.071", l)
	}
	again := run(t, build(0, *l.Needed, 10), audit.Options{})
	if r2 := row(t, again, 0, "A"); math.Abs(r2.Margin) > 1e-12 || len(r2.Failures) != 0 {
		t.Errorf("at s* = %v: margin %v, failures %+v", *l.Needed, r2.Margin, r2.Failures)
	}
}

// A roadmap whose whole value is negative for an actor says so first.
func TestCannotWorkReportedFirst(t *testing.T) {
	a := testkit.Actor("DPRK", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
	b := testkit.Actor("US", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
	ma := testkit.Move("give", "DPRK", 1, "US", 2)
	mb := testkit.Move("get", "US", 0.1, "DPRK", 0.58)
	s := testkit.Scenario(10, []scenario.Actor{a, b}, []scenario.Move{ma, mb}, testkit.Phase("give", "get"))
	rep := run(t, s, audit.Options{})
	pr := rep.Profiles[0]
	if !pr.CannotWork || !pr.Whole[0].Negative || !near(pr.Whole[0].Value, -0.42) || pr.Whole[1].Negative {
		t.Fatalf("whole values %+v", pr.Whole)
	}
	var b1 strings.Builder
	if err := rep.WriteText(&b1); err != nil {
		t.Fatal(err)
	}
	txt := b1.String()
	msg := "cannot work even with full trust: DPRK's value of the whole roadmap is −0.420"
	i := strings.Index(txt, msg)
	if i < 0 {
		t.Fatalf("text lacks %q:\n%s", msg, txt)
	}
	for _, later := range []string{"Value of the whole roadmap", "Phase 1 of 1", "Prior probability"} {
		if j := strings.Index(txt, later); j < i {
			t.Errorf("%q comes before the cannot-work verdict", later)
		}
	}
	var b2 strings.Builder
	if err := rep.WriteMarkdown(&b2); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b2.String(), "**This roadmap "+msg) {
		t.Errorf("markdown lacks the verdict")
	}
}

func TestAllProfiles(t *testing.T) {
	r := compile(t, peaceFirst())
	rep, err := audit.Audit(r, audit.Options{AllProfiles: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Profiles) != 6 {
		t.Fatalf("%d profiles, want 2·3", len(rep.Profiles))
	}
	sum, pass := 0.0, 0.0
	for _, pr := range rep.Profiles {
		sum += pr.Probability
		if pr.Failures == 0 && !pr.CannotWork {
			pass += pr.Probability
		}
	}
	if !near(sum, 1) {
		t.Errorf("probabilities sum to %v", sum)
	}
	if !near(pass, rep.PassProbability) || !near(rep.PassProbability, 0.5) {
		t.Errorf("pass probability %v (sum %v), want 0.5", rep.PassProbability, pass)
	}
	// first profile: both first types, 0.6·0.5; last actor turns fastest
	if p := rep.Profiles[0]; p.Types[0].Type != "rec" || p.Types[1].Type != "rec" || !near(p.Probability, 0.3) {
		t.Errorf("profile 1 %+v", p.Types)
	}
	if p := rep.Profiles[1]; p.Types[1].Type != "opp" || !near(p.Probability, 0.18) {
		t.Errorf("profile 2 %+v", p.Types)
	}
	// a single profile and the default profile
	def, _ := audit.Audit(r, audit.Options{})
	if len(def.Profiles) != 1 || def.Profiles[0].Types[0].Type != "rec" || def.Profiles[0].Types[1].Type != "rec" {
		t.Errorf("default profile %+v", def.Profiles[0].Types)
	}
	if got := audit.MostLikely(r); got[0] != 0 || got[1] != 0 {
		t.Errorf("MostLikely %v", got)
	}
}

func TestMostLikelyTies(t *testing.T) {
	a := testkit.Actor("A", 0.9, testkit.Type("x", 0.25, scenario.Reciprocator), testkit.Type("y", 0.375, scenario.Opportunist), testkit.Type("z", 0.375, scenario.Hardliner))
	b := testkit.Actor("B", 0.9, testkit.Type("x", 0.5, scenario.Opportunist), testkit.Type("y", 0.5, scenario.Reciprocator))
	s := testkit.Scenario(10, []scenario.Actor{a, b}, []scenario.Move{testkit.Move("m", "A", 0.1, "B", 1)}, testkit.Phase("m"))
	if got := audit.MostLikely(compile(t, s)); got[0] != 1 || got[1] != 0 {
		t.Errorf("MostLikely %v, want [1 0]", got)
	}
}

func TestOptionsErrors(t *testing.T) {
	r := compile(t, peaceFirst())
	for name, opt := range map[string]audit.Options{
		"short":     {Profile: []int{0}},
		"range":     {Profile: []int{0, 3}},
		"negative":  {Profile: []int{-1, 0}},
		"exclusive": {Profile: []int{0, 0}, AllProfiles: true},
	} {
		if _, err := audit.Audit(r, opt); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := audit.Audit(nil, audit.Options{}); err == nil {
		t.Error("nil roadmap: no error")
	}
	// 16 actors of 2 types: 65536 profiles
	var actors []scenario.Actor
	for i := 0; i < 16; i++ {
		actors = append(actors, testkit.Actor(string(rune('A'+i)), 0.9,
			testkit.Type("x", 0.5, scenario.Reciprocator), testkit.Type("y", 0.5, scenario.Opportunist)))
	}
	s := testkit.Scenario(10, actors, []scenario.Move{testkit.Move("m", "A", 0.1, "B", 1)}, testkit.Phase("m"))
	if _, err := audit.Audit(compile(t, s), audit.Options{AllProfiles: true}); !errors.Is(err, audit.ErrTooManyProfiles) {
		t.Errorf("65536 profiles: error %v", err)
	}
}

// In a sequential phase a later mover's prior trust runs over the movers
// after it only (it sees the earlier ones deliver); the invited initiator
// skips the trust test.
func TestSequentialAndInvited(t *testing.T) {
	build := func(order, recip string) *scenario.Scenario {
		s := check1(0.3, 0)
		s.Roadmaps[0].Phases[0].Order = order
		s.Roadmaps[0].Phases[0].Reciprocation = recip
		if order == "sequential" {
			s.Roadmaps[0].Phases[0].Sequence = []string{"B", "A"}
		}
		return s
	}
	rep := run(t, build("sequential", ""), audit.Options{Profile: []int{0, 0}})
	if a := row(t, rep, 0, "A"); a.PriorTrust != 1 || len(a.Counterparts) != 0 || len(a.Failures) != 0 {
		t.Errorf("sequential, A last: p = %v, counterparts %+v, failures %+v", a.PriorTrust, a.Counterparts, a.Failures)
	}
	if b := row(t, rep, 0, "B"); b.PriorTrust != 1 {
		t.Errorf("sequential, B first: p = %v (A is a sure reciprocator)", b.PriorTrust)
	}
	if rep.Profiles[0].Phases[0].Order != "sequential" || rep.Profiles[0].Phases[0].Rows[0].Actor != "B" {
		t.Errorf("phase order %+v", rep.Profiles[0].Phases[0])
	}
	// simultaneous: A's p = 0.3 < 1/2 fails; invited with A initiating: not tested
	rep = run(t, build("", ""), audit.Options{Profile: []int{0, 0}})
	if a := row(t, rep, 0, "A"); len(a.Failures) != 1 || a.Failures[0].Kind != audit.FailTrust {
		t.Errorf("simultaneous: failures %+v", a.Failures)
	}
	rep = run(t, build("", "invited"), audit.Options{Profile: []int{0, 0}})
	ph := rep.Profiles[0].Phases[0]
	if ph.Order != "invited" || ph.Initiator != "A" {
		t.Fatalf("invited phase %+v", ph)
	}
	if a := row(t, rep, 0, "A"); a.TrustTested || len(a.Failures) != 0 || !near(a.PriorTrust, 0.3) {
		t.Errorf("invited initiator: tested=%v p=%v failures %+v", a.TrustTested, a.PriorTrust, a.Failures)
	}
}

// A reciprocator whose phase has N < 0 is flagged as not worth it, with the
// lasting value that lifts N to zero.
func TestNetNegative(t *testing.T) {
	s := exchange(2, 1, 0.5, 1, 0, scenario.Reciprocator) // N = −0.5 + 0.9·(−0.5) in phase 1
	rep := run(t, s, audit.Options{})
	r := row(t, rep, 1, "A")
	if !near(r.Net, -0.5) || r.Threshold != nil || len(r.Failures) != 1 || r.Failures[0].Kind != audit.FailNet {
		t.Fatalf("N %v threshold %v failures %+v", r.Net, r.Threshold, r.Failures)
	}
	l := lever(t, r.Failures[0], audit.LeverLasting)
	if !near(*l.Needed, 0.5/9) {
		t.Errorf("lasting lever %+v, want %v", l, 0.5/9)
	}
	l = lever(t, r.Failures[0], audit.LeverRebalance)
	if !near(*l.Needed, 1) {
		t.Errorf("rebalance lever %+v, want b = 1", l)
	}
	if !rep.Profiles[0].CannotWork {
		t.Error("whole value −0.95 should be reported")
	}
}

func TestBaseline(t *testing.T) {
	s := check1(0.5, 0)
	s.Roadmaps[0].Phases = nil
	s.Roadmaps[0].Baseline = true
	rep := run(t, s, audit.Options{})
	if rep.Phases != 0 || rep.Profiles[0].Failures != 0 || rep.Profiles[0].CannotWork {
		t.Errorf("baseline report %+v", rep)
	}
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil || !strings.Contains(b.String(), "nothing to audit") {
		t.Errorf("baseline text %q, %v", b.String(), err)
	}
}
