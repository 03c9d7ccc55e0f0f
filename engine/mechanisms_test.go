package engine_test

// model.md §9 check 8: the four mechanisms the op-ed relies on, each in a
// small documented scenario with deterministic rules (λ = inf), asserting
// numbers worked out by hand and, where a history has random events, the
// exact probabilities that exact.Solve enumerates.
//
// The actors are "US" and "DPRK", both with δ = 0.9; every move is fully
// verified, irreversible and untranched unless said otherwise.

import (
	"context"
	"math"
	"testing"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/exact"
	"github.com/parleyhq/parley/internal/testkit"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/montecarlo"
	"github.com/parleyhq/parley/scenario"
)

const mechTol = 1e-12

func near(a, b float64) bool { return math.Abs(a-b) <= mechTol*math.Max(1, math.Abs(b)) }

// solveExactly enumerates every history of r.
func solveExactly(t *testing.T, r *model.Roadmap) *montecarlo.Summary {
	t.Helper()
	sum, err := exact.Solve(context.Background(), r, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if !near(sum.N, 1) {
		t.Fatalf("exact probabilities sum to %v", sum.N)
	}
	return sum
}

// byType returns the exact mean of a per-actor quantity (Util, Expo or Lev
// of the summary) of actor a over the histories in which actor j is of type tj.
func byType(r *model.Roadmap, sum *montecarlo.Summary, x []float64, a, j, tj int) float64 {
	mt := 0
	for _, ac := range r.Actors {
		mt = max(mt, len(ac.Types))
	}
	k := (a*len(r.Actors)+j)*mt + tj
	return x[k] / sum.TypeW[k]
}

// meanTrust is the exact mean and standard deviation of o's trust in j after round t.
func meanTrust(r *model.Roadmap, sum *montecarlo.Summary, t, o, j int) (mean, sd float64) {
	na := len(r.Actors)
	k := (t*na+o)*na + j
	return montecarlo.MeanSD(sum.N, sum.Trust[k], sum.Trust2[k])
}

// playOnce plays one history with the given true types; the Source must not
// be asked for anything else.
func playOnce(t *testing.T, r *model.Roadmap, types []int) (*engine.Result, []engine.Event) {
	t.Helper()
	h := engine.New(r)
	rec := &engine.Recorder{}
	h.Tracer = rec
	src := &pinnedSource{cats: pinTypes(r, types)}
	res := h.Run(noDraws{t, src})
	return res, rec.Events
}

// noDraws forwards the type draws and fails on any Bernoulli.
type noDraws struct {
	t   *testing.T
	src *pinnedSource
}

func (n noDraws) Bernoulli(p float64) bool {
	n.t.Fatalf("unexpected Bernoulli(%v): the scenario should be deterministic once types are drawn", p)
	return false
}
func (n noDraws) Categorical(w []float64) int { return n.src.Categorical(w) }

// decisions returns actor a's probabilities of keeping, in order, from the trace.
func decisions(ev []engine.Event, a int) []float64 {
	var out []float64
	for _, e := range ev {
		if e.Kind == engine.EvDecide && e.Actor == a {
			out = append(out, e.From)
		}
	}
	return out
}

// ----- (a) and (b): insecurity, trust and the order of the steps -----

// opEd builds the scenario of check 8(a).
//
//	US: types reciprocator (prior 0.3) and hardliner (0.7, bound 0.5); lasting value 0.2.
//	DPRK: a reciprocator (known), lasting value 0.1, insecurity s = 0.8, weight κ = 1;
//	      its prior trust in the US is the true prior, 0.3, unless trust ≥ 0 says otherwise.
//	peace  (US):   cost 0.2, benefit 0.5 to DPRK, cuts DPRK's insecurity by 0.75.
//	freeze (DPRK): cost 1, security-relevant (1·(1 + κs) = 1.8 at s = 0.8), benefit 1.5 to US.
//	relief (US):   cost 0.8, benefit 0.5 to DPRK.
//
// Roadmap "disarm-first": phase 1 {freeze}, phase 2 {peace, relief}.
// Roadmap "peace-first":  phase 1 {peace}, phase 2 {relief, then freeze} (sequential).
func opEd(t *testing.T, roadmap string, trust, insecurity float64) *model.Roadmap {
	t.Helper()
	us := testkit.Actor("US", 0.9, testkit.Type("rec", 0.3, scenario.Reciprocator), testkit.Type("hard", 0.7, scenario.Hardliner))
	us.Symbolic = testkit.F(0.5)
	us.LastingValue = 0.2
	dprk := testkit.Actor("DPRK", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
	dprk.LastingValue = 0.1
	dprk.Insecurity, dprk.InsecurityWeight = insecurity, 1
	if trust >= 0 {
		dprk.Beliefs = map[string]map[string]float64{"US": {"rec": trust, "hard": 1 - trust}}
	}
	peace := testkit.Move("peace", "US", 0.2, "DPRK", 0.5)
	peace.Security = map[string]float64{"DPRK": 0.75}
	freeze := testkit.Move("freeze", "DPRK", 1, "US", 1.5)
	freeze.SecurityRelevant = true
	relief := testkit.Move("relief", "US", 0.8, "DPRK", 0.5)
	moves := []scenario.Move{peace, freeze, relief}
	var phases []scenario.Phase
	switch roadmap {
	case "disarm-first":
		phases = []scenario.Phase{testkit.Phase("freeze"), testkit.Phase("peace", "relief")}
	case "peace-first":
		p2 := testkit.Phase("relief", "freeze")
		p2.Order, p2.Sequence = "sequential", []string{"US", "DPRK"}
		phases = []scenario.Phase{testkit.Phase("peace"), p2}
	default:
		t.Fatalf("unknown roadmap %q", roadmap)
	}
	s := testkit.Scenario(8, []scenario.Actor{us, dprk}, moves, phases...)
	s.Milestones = []scenario.Milestone{{ID: "freeze", Moves: []string{"freeze"}}}
	return mustCompile(t, s)
}

// TestMechanismInsecureSideFirstStalls is check 8(a).
//
// Disarm-first asks DPRK to freeze first, alone (p = 1), so it moves iff
// N = b − c + V ≥ 0 with b = 0 and c = 1·(1 + 0.8) = 1.8. Its V is
// trust-weighted: in phase 2 the US's reciprocator keeps (N = −1 + 0.9·0.2/0.1
// = 0.8 ≥ 0) and its hardliner cannot pay the relief (0.8 > 0.5), so
// ρ(2) = π = 0.3 and V = π·(0.9·(0.5 + 0.5) + 0.9²·0.1/(1 − 0.9)) = 1.71π = 0.513.
// N = −1.8 + 0.513 = −1.287 < 0: DPRK declines four rounds running and the
// talks end in stalemate in round 4, with certainty. Both causes are needed
// to block it and either suffices: N = −0.09 with full trust (π = 1) and
// s = 0.8; N = −0.487 with π = 0.3 and s = 0; only N(π = 1, s = 0) = 0.71 passes.
//
// Peace-first: the US's reciprocator gives the cheap peace (N = −0.2 +
// 0.9·(1.5 − 0.8) + 0.81·2 = 2.05; p = 1) and so does its hardliner (0.2 ≤ 0.5).
// DPRK's insecurity falls to 0.8·0.25 = 0.2; then the US's reciprocator gives
// the relief and DPRK, having seen it (p = 1), freezes at cost 1.2:
// N = 0.5 − 1.2 + 0.9 = 0.2 ≥ 0. Completed in round 2 whenever the US is a
// reciprocator (probability 0.3); with a hardliner the relief never comes and
// the talks end in stalemate in round 5 (probability 0.7).
func TestMechanismInsecureSideFirstStalls(t *testing.T) {
	r := opEd(t, "disarm-first", -1, 0.8)
	f := formulaDecision(r, 1, 0)
	if !near(f.Terms.C, 1.8) || f.Terms.B != 0 || !near(f.Terms.V, 0.513) || !near(f.Terms.Net(), -1.287) {
		t.Errorf("disarm-first, DPRK in phase 1: c = %v, b = %v, V = %v, N = %v; want 1.8, 0, 0.513, −1.287", f.Terms.C, f.Terms.B, f.Terms.V, f.Terms.Net())
	}
	if f.Pred[1][0] != 1 || f.Pred[1][1] != 0 {
		t.Errorf("predicted keeping of the US in phase 2 %v, want reciprocator 1, hardliner 0", f.Pred[1])
	}
	for _, us := range []int{0, 1} {
		res, ev := playOnce(t, r, []int{us, 0})
		if res.Status != engine.Stalemate || res.Rounds != 4 || res.Cause.Kind != engine.Declined || res.Cause.Actor != 1 {
			t.Errorf("disarm-first, US type %d: %v in round %d (cause %+v), want stalemate in round 4, DPRK declining", us, res.Status, res.Rounds, res.Cause)
		}
		if d := decisions(ev, 1); len(d) != 4 || d[0] != 0 || d[3] != 0 {
			t.Errorf("DPRK's decisions %v, want four declines", d)
		}
	}
	sum := solveExactly(t, r)
	if !near(sum.Prob(engine.Stalemate), 1) || sum.MilestoneBy(0, 8) != 0 {
		t.Errorf("disarm-first exactly: P(stalemate) = %v, P(freeze by 8) = %v; want 1 and 0", sum.Prob(engine.Stalemate), sum.MilestoneBy(0, 8))
	}

	// Both causes: trust-weighting of V and the insecurity multiplier.
	for _, tc := range []struct {
		trust, s, n float64
		keep        float64
	}{{0.3, 0.8, -1.287, 0}, {1, 0.8, -0.09, 0}, {0.3, 0, -0.487, 0}, {1, 0, 0.71, 1}} {
		r := opEd(t, "disarm-first", tc.trust, tc.s)
		f := formulaDecision(r, 1, 0)
		if !near(f.Terms.Net(), tc.n) {
			t.Errorf("π = %v, s = %v: N = %v, want %v", tc.trust, tc.s, f.Terms.Net(), tc.n)
		}
		if k, _ := firstDecision(t, r, []int{0, 0}, 1, 1); k != tc.keep {
			t.Errorf("π = %v, s = %v: DPRK keeps with %v, want %v", tc.trust, tc.s, k, tc.keep)
		}
	}

	r = opEd(t, "peace-first", -1, 0.8)
	f = formulaDecision(r, 0, 0)
	if !near(f.Terms.Net(), 2.05) || f.Keep != 1 {
		t.Errorf("peace-first, US reciprocator in phase 1: N = %v, keeps %v; want 2.05 and 1", f.Terms.Net(), f.Keep)
	}
	res, ev := playOnce(t, r, []int{0, 0})
	if res.Status != engine.Completed || res.Rounds != 2 || !near(res.InsecurityAt(1, 1), 0.2) {
		t.Errorf("peace-first with a reciprocator US: %v in %d rounds, DPRK's insecurity after round 1 %v; want completed in 2, 0.2", res.Status, res.Rounds, res.InsecurityAt(1, 1))
	}
	if d := decisions(ev, 1); len(d) != 1 || d[0] != 1 {
		t.Errorf("DPRK's decisions %v, want one, keeping", d)
	}
	res, _ = playOnce(t, r, []int{1, 0})
	if res.Status != engine.Stalemate || res.Rounds != 5 || res.Cause.Actor != 0 {
		t.Errorf("peace-first with a hardliner US: %v in round %d (cause %+v), want stalemate in round 5 caused by the US", res.Status, res.Rounds, res.Cause)
	}
	sum = solveExactly(t, r)
	if !near(sum.Prob(engine.Completed), 0.3) || !near(sum.Prob(engine.Stalemate), 0.7) || !near(sum.MilestoneBy(0, 2), 0.3) {
		t.Errorf("peace-first exactly: P(completed) = %v, P(stalemate) = %v, P(freeze by round 2) = %v; want 0.3, 0.7, 0.3",
			sum.Prob(engine.Completed), sum.Prob(engine.Stalemate), sum.MilestoneBy(0, 2))
	}
	if m, sd := montecarlo.MeanSD(sum.N, sum.Insecurity[1*2+1], sum.Insecurit2[1*2+1]); !near(m, 0.2) || sd > 1e-9 {
		t.Errorf("DPRK's insecurity after round 1: mean %v sd %v, want 0.2 for certain", m, sd)
	}
}

// TestMechanismSecurityMovesUnlockLaterSteps is check 8(b).
//
//	US: a reciprocator (known), lasting value 0.2.
//	DPRK: a reciprocator (known), lasting value 0.1, insecurity 0.8, κ = 1.
//	phase 1: peace (US: cost 0.2, benefit 1 to DPRK, cuts its insecurity by 0.75)
//	         and a gesture (DPRK: cost 0.1, benefit 0.5 to US);
//	phase 2: freeze (DPRK: cost 1, security-relevant, benefit 1.5 to US);
//	phase 3: relief (US: cost 0.8, benefit 0.5 to DPRK).
//
// After the peace DPRK's insecurity is 0.8·(1 − 0.75) = 0.2 and the freeze's
// cost multiplier 1 + κs falls from 1.8 to 1.2. In phase 2 DPRK moves alone
// (p = 1) with V = 0.9·0.5 + 0.81·0.1/0.1 = 1.26: N = 1.26 − 1.2 = 0.06 ≥ 0,
// it freezes, and the roadmap completes in round 3. With the same peace
// carrying no security cut the multiplier stays 1.8, N = 1.26 − 1.8 = −0.54,
// DPRK declines the freeze in rounds 2–5 and the talks end in stalemate.
// DPRK's utility when it freezes: 1 − 0.1 + 0.9·(−1.2) + 0.81·0.5 + 0.729·1 = 0.954.
func TestMechanismSecurityMovesUnlockLaterSteps(t *testing.T) {
	build := func(cut float64) *model.Roadmap {
		us := testkit.Actor("US", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
		us.LastingValue = 0.2
		dprk := testkit.Actor("DPRK", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
		dprk.LastingValue = 0.1
		dprk.Insecurity, dprk.InsecurityWeight = 0.8, 1
		peace := testkit.Move("peace", "US", 0.2, "DPRK", 1)
		peace.Security = map[string]float64{"DPRK": cut}
		gesture := testkit.Move("gesture", "DPRK", 0.1, "US", 0.5)
		freeze := testkit.Move("freeze", "DPRK", 1, "US", 1.5)
		freeze.SecurityRelevant = true
		relief := testkit.Move("relief", "US", 0.8, "DPRK", 0.5)
		s := testkit.Scenario(8, []scenario.Actor{us, dprk}, []scenario.Move{peace, gesture, freeze, relief},
			testkit.Phase("peace", "gesture"), testkit.Phase("freeze"), testkit.Phase("relief"))
		return mustCompile(t, s)
	}
	freezeStep := func(r *model.Roadmap) int {
		for st := range r.Steps {
			if r.Steps[st].MoveID == "freeze" {
				return st
			}
		}
		t.Fatal("no freeze")
		return -1
	}
	for _, tc := range []struct {
		cut, s, mult, n, keep float64
		status                engine.Status
		rounds                int
	}{
		{0.75, 0.2, 1.2, 0.06, 1, engine.Completed, 3},
		{0, 0.8, 1.8, -0.54, 0, engine.Stalemate, 5},
	} {
		r := build(tc.cut)
		res, ev := playOnce(t, r, []int{0, 0})
		s1 := res.InsecurityAt(1, 1)
		st := freezeStep(r)
		mult := r.StepCost(st, 0, s1) / r.Steps[st].Cost[0]
		if !near(s1, tc.s) || !near(mult, tc.mult) {
			t.Errorf("cut %v: DPRK's insecurity after the peace %v, freeze multiplier %v; want %v and %v", tc.cut, s1, mult, tc.s, tc.mult)
		}
		if m0 := r.StepCost(st, 0, 0.8); !near(m0, 1.8) {
			t.Errorf("freeze before the peace costs %v, want 1.8", m0)
		}
		// DPRK's second decision is the freeze, in round 2
		d := decisions(ev, 1)
		if len(d) < 2 || d[1] != tc.keep {
			t.Errorf("cut %v: DPRK's decisions %v, want the freeze decided with %v", tc.cut, d, tc.keep)
		}
		// the freeze's N from the formulas, on the state of round 2 (insecurity s1, every other step kept)
		tm := model.Terms{C: mult, B: 0, V: 0.9*0.5 + 0.81*0.1/0.1, L: mult, P: 1}
		if !near(tm.Net(), tc.n) {
			t.Errorf("cut %v: N = %v, want %v", tc.cut, tm.Net(), tc.n)
		}
		if res.Status != tc.status || res.Rounds != tc.rounds {
			t.Errorf("cut %v: %v in round %d, want %v in round %d", tc.cut, res.Status, res.Rounds, tc.status, tc.rounds)
		}
		if tc.cut > 0 && !near(res.Utility[1], 0.954) {
			t.Errorf("DPRK's utility %v, want 0.954 (freeze paid at 1.2)", res.Utility[1])
		}
	}
}

// ----- (c) tranches -----

// tranched builds check 8(c): a US reciprocator (trust 0.6 in DPRK, grim: it
// walks away at the first detected cheat) and a DPRK that is a reciprocator
// (0.6) or an opportunist (0.4). One phase, played in order: the US's relief
// (cost 1, benefit 2 to DPRK), then DPRK's dismantling (cost 1.2, benefit 2 to
// the US, verification 0.5), both in n tranches. No lasting value.
func tranched(t *testing.T, n int) *model.Roadmap {
	t.Helper()
	us := testkit.Actor("US", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
	us.Response = scenario.Response{Kind: scenario.Grim}
	dprk := testkit.Actor("DPRK", 0.9, testkit.Type("rec", 0.6, scenario.Reciprocator), testkit.Type("opp", 0.4, scenario.Opportunist))
	relief := testkit.Move("relief", "US", 1, "DPRK", 2)
	relief.Tranches = testkit.I(n)
	dismantle := testkit.Move("dismantle", "DPRK", 1.2, "US", 2)
	dismantle.Verification = testkit.F(0.5)
	dismantle.Tranches = testkit.I(n)
	ph := testkit.Phase("relief", "dismantle")
	ph.Order, ph.Sequence = "sequential", []string{"US", "DPRK"}
	s := testkit.Scenario(4*n+4, []scenario.Actor{us, dprk}, []scenario.Move{relief, dismantle}, ph)
	return mustCompile(t, s)
}

// TestMechanismTranches is check 8(c), comparing n = 1 with n = 4.
//
// The opportunist's temptation per step, c, falls from 1.2 to 0.3. Its
// self-enforcement margin D·(V + G) − c (D = 0.5, G = 0: it moves last and the
// relief is irreversible; V = (0.8/n)·Σ 0.9^j over the tranches left, the US
// being sure to keep) is −1.2 for n = 1 and −0.0561, −0.129, −0.21, −0.3 for
// n = 4: it cheats on every step. But each tranche is checked on its own, so
// its cheating escapes detection through the whole move with probability
// 0.5^n: 0.5 for n = 1, 0.0625 for n = 4. With the US walking away at the
// first detection, P(completed-but-cheated) = 0.4·0.5^n (0.2 → 0.025) and
// P(breakdown) = 0.4·(1 − 0.5^n) (0.2 → 0.375); P(completed) = 0.6 either way.
//
// The US's exposure to the opportunist, max(0, −its utility), falls from 1
// (the whole relief paid up front) to 0.25·Σ_{k=0..3} (0.9·0.5)^k = 0.43590625
// (tranche k+1 is paid only after k undetected cheats, in round k+1), and the
// leverage it keeps (the relief it has not yet given) rises from 0 to
// 0.5·(0.5·3 + 0.25·2 + 0.125·1) = 1.0625. Against the reciprocator its
// exposure is 0 in both.
func TestMechanismTranches(t *testing.T) {
	type out struct {
		tempt, cbc, brk, expo, lev float64
		margins                    []float64
	}
	want := map[int]out{
		1: {1.2, 0.2, 0.2, 1, 0, []float64{-1.2}},
		4: {0.3, 0.025, 0.375, 0.43590625, 1.0625, []float64{0.5*0.2*(0.9+0.81+0.729) - 0.3, 0.5*0.2*(0.9+0.81) - 0.3, 0.5*0.2*0.9 - 0.3, -0.3}},
	}
	for _, n := range []int{1, 4} {
		w := want[n]
		r := tranched(t, n)
		if len(r.Phases) != n {
			t.Fatalf("n = %d: %d sub-phases", n, len(r.Phases))
		}
		terms, _ := r.PathTerms([]int{0, 1})
		for k := 0; k < n; k++ {
			tm := terms[k][1]
			if !near(tm.C, w.tempt) || !near(tm.D, 0.5) || tm.G != 0 || !near(tm.OpportunistMargin(), w.margins[k]) {
				t.Errorf("n = %d, step %d: c = %v, D = %v, G = %v, margin %v; want %v, 0.5, 0, %v", n, k+1, tm.C, tm.D, tm.G, tm.OpportunistMargin(), w.tempt, w.margins[k])
			}
		}
		sum := solveExactly(t, r)
		got := out{
			cbc:  sum.Prob(engine.CompletedButCheated),
			brk:  sum.Prob(engine.Breakdown),
			expo: byType(r, sum, sum.Expo, 0, 1, 1),
			lev:  byType(r, sum, sum.Lev, 0, 1, 1),
		}
		if !near(got.cbc, w.cbc) || !near(got.brk, w.brk) || !near(sum.Prob(engine.Completed), 0.6) {
			t.Errorf("n = %d: P(completed-but-cheated) = %v, P(breakdown) = %v, P(completed) = %v; want %v, %v, 0.6", n, got.cbc, got.brk, sum.Prob(engine.Completed), w.cbc, w.brk)
		}
		if !near(got.expo, w.expo) || !near(got.lev, w.lev) {
			t.Errorf("n = %d: the US's exposure to the opportunist %v, leverage kept %v; want %v and %v", n, got.expo, got.lev, w.expo, w.lev)
		}
		if e := byType(r, sum, sum.Expo, 0, 1, 0); e != 0 {
			t.Errorf("n = %d: the US's exposure to the reciprocator %v, want 0", n, e)
		}
	}
}

// ----- (d) costly signals -----

// signals builds check 8(d): the US (a reciprocator, known) and a DPRK whose
// type is reciprocator (0.4), opportunist (0.3) or hardliner (0.3, bound 0.5).
// Two simultaneous phases, no lasting value:
//
//	phase 1: a gift (US: cost 0.1, benefit 0.3) and a gesture (DPRK: cost 0.1, benefit 0.2);
//	phase 2: relief (US: cost 0.4, benefit 1) and a concession (DPRK: cost 0.8,
//	         benefit 1.2 to the US, verification 0.5).
func signals(t *testing.T) *model.Roadmap {
	t.Helper()
	us := testkit.Actor("US", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
	dprk := testkit.Actor("DPRK", 0.9,
		testkit.Type("rec", 0.4, scenario.Reciprocator),
		testkit.Type("opp", 0.3, scenario.Opportunist),
		testkit.Type("hard", 0.3, scenario.Hardliner))
	dprk.Symbolic = testkit.F(0.5)
	concession := testkit.Move("concession", "DPRK", 0.8, "US", 1.2)
	concession.Verification = testkit.F(0.5)
	moves := []scenario.Move{
		testkit.Move("gift", "US", 0.1, "DPRK", 0.3), testkit.Move("gesture", "DPRK", 0.1, "US", 0.2),
		testkit.Move("relief", "US", 0.4, "DPRK", 1), concession,
	}
	s := testkit.Scenario(8, []scenario.Actor{us, dprk}, moves, testkit.Phase("gift", "gesture"), testkit.Phase("relief", "concession"))
	return mustCompile(t, s)
}

// TestMechanismCostlySignals is check 8(d).
//
// The gesture is cheap: the hardliner takes it (0.1 ≤ 0.5), the opportunist
// keeps it (D = 1, V = 0.9·(1 − 0.8) = 0.18, margin 0.18 − 0.1 = 0.08 ≥ 0)
// and so does the reciprocator (N = 0.3 − 0.1 + 0.18 = 0.38). Every type
// delivers with probability 1, so the US's posterior after seeing it is its
// prior: 0.4 → 0.4.
//
// The concession is costly: the hardliner cannot take it (0.8 > 0.5), the
// opportunist, whose margin 0.5·0 − 0.8 is negative, cheats, and the
// reciprocator delivers (N = 1 − 0.8 = 0.2). The US (p = 0.4, N = 0.8,
// L = 0.4: margin 0.08) gives the relief. Seen delivered, with likelihoods 1
// (reciprocator), 0.5 (opportunist, undetected) and 0 (hardliner), the
// concession lifts the US's trust to 0.4/(0.4 + 0.3·0.5) = 8/11 ≈ 0.727; a
// detected cheat or an open decline drops it to 0. Exactly, over every
// history: trust after round 1 is 0.4 with no spread; after round 2 it is
// 8/11 with probability 0.55 and 0 otherwise — mean 0.4, as Bayes' rule
// requires, standard deviation √(0.55·(8/11)² − 0.4²) ≈ 0.3618.
func TestMechanismCostlySignals(t *testing.T) {
	r := signals(t)
	for ty, want := range []float64{8.0 / 11, 8.0 / 11, 0} {
		// the opportunist's cheat is detected with probability 0.5: take it undetected
		h := engine.New(r)
		rec := &engine.Recorder{}
		h.Tracer = rec
		src := &pinnedSource{cats: []int{ty}, rng: nil}
		res := h.Run(undetected{src})
		if got := res.TrustAt(1, 0, 1); !near(got, 0.4) {
			t.Errorf("type %d: trust after the cheap gesture %v, want the prior 0.4", ty, got)
		}
		if got := res.TrustAt(2, 0, 1); !near(got, want) {
			t.Errorf("type %d: trust after the costly concession %v, want %v", ty, got, want)
		}
	}
	sum := solveExactly(t, r)
	m1, sd1 := meanTrust(r, sum, 1, 0, 1)
	m2, sd2 := meanTrust(r, sum, 2, 0, 1)
	if !near(m1, 0.4) || sd1 > 1e-7 {
		t.Errorf("trust after round 1: mean %v, sd %v; want 0.4 and 0", m1, sd1)
	}
	wantSD := math.Sqrt(0.55*(8.0/11)*(8.0/11) - 0.16)
	if !near(m2, 0.4) || math.Abs(sd2-wantSD) > 1e-9 {
		t.Errorf("trust after round 2: mean %v, sd %v; want 0.4 and %v", m2, sd2, wantSD)
	}
	if math.Abs(wantSD-0.3618) > 5e-5 {
		t.Errorf("documented sd 0.3618, computed %v", wantSD)
	}
}

// undetected answers the type draw from a queue and says "not detected" to
// every detection draw (the only Bernoulli of the signals scenario).
type undetected struct{ src *pinnedSource }

func (u undetected) Bernoulli(p float64) bool    { return false }
func (u undetected) Categorical(w []float64) int { return u.src.Categorical(w) }
