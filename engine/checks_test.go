package engine_test

// Property tests of model.md §9 check 7: monotonicity where it holds, and
// documented counterexamples where it does not.
//
// The engine-level tests draw many small random scenarios from a fixed seed,
// play the first round of each and read the decider's probability of keeping
// from its EvDecide event. Beside the monotonicity itself, every decision is
// compared with the same probability rebuilt from model.md's formulas
// (model.PathTerms for the complete-information terms, model.PredictKeep for
// the depth-one predictions, the trust-weighted V of §2 and model.Acts), so a
// failure says whether the engine or the property is at fault.

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/exact"
	"github.com/parleyhq/parley/internal/testkit"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/scenario"
)

// checkLambdas are the rationalities every property is tried with.
var checkLambdas = []float64{math.Inf(1), 0.5, 3, 20}

// ----- a Source that pins the true types and answers everything else from a seed -----

// pinnedSource answers the type draws from a queue and every Bernoulli from
// its own seeded generator, so that a history is reproducible.
type pinnedSource struct {
	cats []int
	rng  *rand.Rand
}

func (p *pinnedSource) Bernoulli(q float64) bool { return p.rng.Float64() < q }

func (p *pinnedSource) Categorical(w []float64) int {
	if len(p.cats) == 0 {
		panic(fmt.Sprintf("pinnedSource: unexpected Categorical(%v)", w))
	}
	c := p.cats[0]
	p.cats = p.cats[1:]
	return c
}

// pinTypes returns the queue of answers that makes actor a of r of type want[a]
// (want[a] < 0: any type with a positive prior). The engine asks for a type
// only when an actor has two or more types of positive prior.
func pinTypes(r *model.Roadmap, want []int) []int {
	var q []int
	for a, ac := range r.Actors {
		pos, first := 0, -1
		for t, p := range ac.Prior {
			if p > 0 {
				pos++
				if first < 0 {
					first = t
				}
			}
		}
		if pos < 2 {
			continue
		}
		if want[a] >= 0 {
			q = append(q, want[a])
		} else {
			q = append(q, first)
		}
	}
	return q
}

// firstDecision plays one history of r with the given true types and returns
// the first EvDecide of actor i (its probabilities of keeping and cheating).
func firstDecision(t *testing.T, r *model.Roadmap, types []int, i int, seed uint64) (keep, cheat float64) {
	t.Helper()
	h := engine.New(r)
	rec := &engine.Recorder{}
	h.Tracer = rec
	h.Run(&pinnedSource{cats: pinTypes(r, types), rng: rand.New(rand.NewPCG(seed, 99))})
	for _, e := range rec.Events {
		if e.Kind == engine.EvDecide && e.Actor == i {
			if e.Round != 1 || e.Other != types[i] {
				t.Fatalf("first decision of actor %d in round %d as type %d, want round 1 as type %d", i, e.Round, e.Other, types[i])
			}
			return e.From, e.To
		}
	}
	t.Fatalf("actor %d never decided", i)
	return 0, 0
}

// ----- model.md's first-round decision, rebuilt from the formulas -----

// formula is a first-round decision rebuilt from model.md's formulas.
type formula struct {
	Terms model.Terms     // with V trust-weighted and P set
	Keep  float64         // probability of keeping
	Cheat float64         // probability of cheating (opportunist)
	Pred  [][]float64     // [phase][type of j]: depth-one predicted keeping of j
	Path  [][]model.Terms // i's complete-information terms along the path (its type ti)
}

// formulaDecision is model.md §2–4 for actor i of type ti deciding in the
// first round of the first phase of a two-actor roadmap, before anything has
// happened: the terms of its owed moves, its trust-weighted V, p over the
// counterpart if it is still to move, and the decision rule of its type. It
// also returns the counterpart's depth-one predicted keeping by type and phase
// and i's complete-information terms along the all-delivered path.
func formulaDecision(r *model.Roadmap, i, ti int) formula {
	j := 1 - i
	K := len(r.Phases)
	lam := r.Lambda
	aj := &r.Actors[j]
	pred := make([][]float64, K)
	for l := range pred {
		pred[l] = make([]float64, len(aj.Types))
	}
	var mine [][]model.Terms
	for tj, ty := range aj.Types {
		prof := make([]int, 2)
		prof[i], prof[j] = ti, tj
		terms, insec := r.PathTerms(prof)
		if tj == 0 {
			mine = terms
		}
		for l := 0; l < K; l++ {
			if ty.Disposition == model.Hardliner {
				p := 1.0
				for _, st := range r.Phases[l].StepsBy[j] {
					if !model.WithinBound(r.StepCost(st, tj, insec[l][j]), ty.Symbolic) {
						p = 0
					}
				}
				pred[l][tj] = p
				continue
			}
			pred[l][tj] = model.PredictKeep(ty.Disposition, terms[l][j], lam)
		}
	}
	bel := r.Actors[i].Beliefs[j]
	rho := func(l int) float64 {
		if !r.Phases[l].HasMove[j] {
			return 1
		}
		s := 0.0
		for tj := range aj.Types {
			s += bel[tj] * pred[l][tj]
		}
		return s
	}
	ai := &r.Actors[i]
	d := ai.Discount
	v, q, w := 0.0, 1.0, 1.0
	for l := 1; l < K; l++ {
		w *= d
		q *= rho(l)
		v += w * q * (mine[l][i].B - mine[l][i].C)
	}
	if lv := ai.Types[ti].LastingValue; lv > 0 {
		v += w * d * q * lv / (1 - d)
	}
	ph := &r.Phases[0]
	tm := mine[0][i]
	tm.V = v
	tm.P = 1
	pos := func(a int) int {
		for k, x := range ph.Order {
			if x == a {
				return k
			}
		}
		return -1
	}
	if ph.HasMove[j] && !(ph.Sequential && pos(j) < pos(i)) {
		tm.P = rho(0)
	}
	keep, cheat := model.Acts(ai.Types[ti].Disposition, tm, lam, ph.Invited && ph.Initiator == i)
	return formula{Terms: tm, Keep: keep, Cheat: cheat, Pred: pred, Path: mine}
}

// ----- random small scenarios -----

type scenGen struct{ rng *rand.Rand }

func (g scenGen) u(lo, hi float64) float64 { return lo + (hi-lo)*g.rng.Float64() }
func (g scenGen) coin(p float64) bool      { return g.rng.Float64() < p }

func (g scenGen) priors(n int) []float64 {
	p := make([]float64, n)
	tot := 0.0
	for i := range p {
		p[i] = g.u(0.1, 1)
		tot += p[i]
	}
	for i := range p {
		p[i] /= tot
	}
	return p
}

// actor draws an actor whose types have the given dispositions.
func (g scenGen) actor(id string, disp []scenario.Disposition) scenario.Actor {
	pr := g.priors(len(disp))
	var ts []scenario.Type
	for k, d := range disp {
		ty := testkit.Type(fmt.Sprintf("%s%d", d, k), pr[k], d)
		if g.coin(0.3) {
			ty.Symbolic = testkit.F(g.u(0.05, 1.2))
		}
		if g.coin(0.3) {
			ty.LastingValue = testkit.F(g.u(0, 0.3))
		}
		ts = append(ts, ty)
	}
	a := testkit.Actor(id, g.u(0.5, 0.97), ts...)
	a.Insecurity = g.u(0, 0.9)
	a.InsecurityWeight = g.u(0, 2)
	a.Symbolic = testkit.F(g.u(0.05, 1.2))
	if g.coin(0.5) {
		a.LastingValue = g.u(0, 0.3)
	}
	return a
}

// move draws a move by `by` for `to`.
func (g scenGen) move(id, by, to string) scenario.Move {
	m := testkit.Move(id, by, g.u(0.05, 1.5), to, g.u(0, 2))
	switch g.rng.IntN(3) {
	case 0:
		m.Reversible = 0
	case 1:
		m.Reversible = 1
	default:
		m.Reversible = g.u(0, 1)
	}
	if g.coin(0.8) {
		m.Verification = testkit.F(g.u(0, 1))
	}
	if g.coin(0.25) {
		m.Tranches = testkit.I(2 + g.rng.IntN(2))
		if g.coin(0.3) {
			m.Align = "last"
		}
	}
	m.SecurityRelevant = g.coin(0.4)
	if g.coin(0.3) {
		m.Security = map[string]float64{to: g.u(0, 0.6)}
	}
	return m
}

// scenario draws a two-actor roadmap of one to three phases in which
// `decider` ("A" or "B") has a move in the first phase and, if that phase is
// sequential, moves first in it (so that it decides in round 1 on the
// initial state). Beliefs may differ from the true priors.
func (g scenGen) scenario(a, b scenario.Actor, decider string, lambda float64) *scenario.Scenario {
	other := map[string]string{"A": "B", "B": "A"}
	var moves []scenario.Move
	var phases []scenario.Phase
	K := 1 + g.rng.IntN(3)
	for k := 0; k < K; k++ {
		var ids []string
		for _, who := range []string{"A", "B"} {
			n := g.rng.IntN(3)
			if k == 0 && who == decider && n == 0 {
				n = 1
			}
			for x := 0; x < n; x++ {
				m := g.move(fmt.Sprintf("%s%d%c", who, k, 'a'+x), who, other[who])
				if k == 0 && who == decider && x == 0 {
					m.Align = "" // the decider has a step in the first sub-phase
				}
				moves = append(moves, m)
				ids = append(ids, m.ID)
			}
		}
		if len(ids) == 0 {
			m := g.move(fmt.Sprintf("%s%da", decider, k), decider, other[decider])
			moves = append(moves, m)
			ids = append(ids, m.ID)
		}
		ph := testkit.Phase(ids...)
		if g.coin(0.4) {
			ph.Order = "sequential"
			ph.Sequence = []string{"A", "B"}
			if (k == 0 && decider == "B") || (k > 0 && g.coin(0.5)) {
				ph.Sequence = []string{"B", "A"}
			}
		}
		phases = append(phases, ph)
	}
	for _, x := range []*scenario.Actor{&a, &b} {
		if g.coin(0.5) {
			o := other[x.ID]
			var ot []scenario.Type
			if o == "A" {
				ot = a.Types
			} else {
				ot = b.Types
			}
			pr := g.priors(len(ot))
			x.Beliefs = map[string]map[string]float64{o: {}}
			for k, ty := range ot {
				x.Beliefs[o][ty.ID] = pr[k]
			}
		}
	}
	s := testkit.Scenario(1, []scenario.Actor{a, b}, moves, phases...)
	s.Environment.Rationality = scenario.Rationality(lambda)
	return s
}

func mustCompile(t *testing.T, s *scenario.Scenario) *model.Roadmap {
	t.Helper()
	r, err := model.Compile(s, "r")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func lambdaName(l float64) string {
	if math.IsInf(l, 1) {
		return "inf"
	}
	return fmt.Sprint(l)
}

// ----- check 7(a): verification -----

// TestCheck7aVerificationFormula: with c > 0 and V + G ≥ 0, the opportunist's
// probability of keeping, σ(λ·(D(V+G) − c)/S) or the step rule, never falls
// when the verification of any of its moves rises (D = 1 − Π(1 − d) rises and
// S = c + b + |V| does not depend on d).
func TestCheck7aVerificationFormula(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 1))
	g := scenGen{rng}
	for _, lam := range checkLambdas {
		for n := 0; n < 20000; n++ {
			nm := 1 + rng.IntN(3)
			ds := make([]float64, nm)
			for k := range ds {
				ds[k] = g.u(0, 1)
			}
			dOf := func(ds []float64) float64 {
				keep := 1.0
				for _, d := range ds {
					keep *= 1 - d
				}
				return 1 - keep
			}
			tm := model.Terms{C: g.u(1e-3, 3), B: g.u(0, 3), V: g.u(-2, 3)}
			tm.G = math.Max(0, -tm.V) + g.u(0, 2) // V + G ≥ 0, G ≥ 0
			tm.D = dOf(ds)
			k := rng.IntN(nm)
			up := append([]float64(nil), ds...)
			up[k] += (1 - up[k]) * g.u(0, 1)
			tm2 := tm
			tm2.D = dOf(up)
			if tm2.D < tm.D {
				t.Fatalf("D fell from %v to %v when a verification rose", tm.D, tm2.D)
			}
			k1, _ := model.Acts(model.Opportunist, tm, lam, false)
			k2, _ := model.Acts(model.Opportunist, tm2, lam, false)
			if k2 < k1-1e-15 {
				t.Fatalf("λ=%v %+v: keeping %v at D=%v but %v at D=%v", lam, tm, k1, tm.D, k2, tm2.D)
			}
		}
	}
}

// TestCheck7aVerificationEngine draws random roadmaps in which B has an
// opportunist type, raises the verification of every move of B, and checks
// that B's probability of keeping in round 1 (EvDecide) never falls when
// V + G ≥ 0 (c > 0 always holds: every cost is positive). Every decision must
// also equal model.md's formula.
func TestCheck7aVerificationEngine(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 7))
	g := scenGen{rng}
	for _, lam := range checkLambdas {
		held, negative, strict := 0, 0, 0
		for n := 0; n < 600; n++ {
			others := []scenario.Disposition{scenario.Reciprocator, scenario.Hardliner, scenario.Opportunist}
			bd := []scenario.Disposition{scenario.Opportunist}
			for x := rng.IntN(3); x > 0; x-- {
				bd = append(bd, others[rng.IntN(3)])
			}
			var ad []scenario.Disposition
			for x := 1 + rng.IntN(2); x > 0; x-- {
				ad = append(ad, others[rng.IntN(3)])
			}
			s := g.scenario(g.actor("A", ad), g.actor("B", bd), "B", lam)
			if s.Roadmaps[0].Phases[0].Order != "sequential" && g.coin(0.2) {
				// B initiates an invited phase: it skips nothing as an opportunist
				s.Roadmaps[0].Phases[0].Reciprocation = "invited"
				s.Roadmaps[0].Phases[0].Initiator = "B"
			}
			r1 := mustCompile(t, s)
			if !r1.Phases[0].HasMove[1] {
				continue
			}
			up := g.u(0.05, 1)
			for k := range s.Moves {
				if s.Moves[k].By == "B" {
					d := s.Moves[k].VerificationOf()
					s.Moves[k].Verification = testkit.F(d + (1-d)*up)
				}
			}
			r2 := mustCompile(t, s)
			types := []int{-1, 0}
			f1, f2 := formulaDecision(r1, 1, 0), formulaDecision(r2, 1, 0)
			k1, c1 := firstDecision(t, r1, types, 1, uint64(n))
			k2, c2 := firstDecision(t, r2, types, 1, uint64(n))
			for _, x := range [][2]float64{{k1, f1.Keep}, {c1, f1.Cheat}, {k2, f2.Keep}, {c2, f2.Cheat}} {
				if math.Abs(x[0]-x[1]) > 1e-12 {
					t.Fatalf("λ=%v scenario %d: engine %v, model.md %v (terms %+v)", lam, n, x[0], x[1], f1.Terms)
				}
			}
			if f2.Terms.D < f1.Terms.D {
				t.Fatalf("scenario %d: D fell %v → %v", n, f1.Terms.D, f2.Terms.D)
			}
			if f1.Terms.C <= 0 || f1.Terms.V+f1.Terms.G < 0 {
				negative++
				continue
			}
			held++
			if k2 < k1-1e-12 {
				t.Errorf("λ=%v scenario %d: keeping fell %v → %v when D rose %v → %v (terms %+v)", lam, n, k1, k2, f1.Terms.D, f2.Terms.D, f1.Terms)
			}
			if k2 > k1+1e-9 {
				strict++
			}
		}
		t.Logf("λ=%s: %d scenarios with V+G ≥ 0 (keeping rose strictly in %d), %d with V+G < 0 skipped", lambdaName(lam), held, strict, negative)
		if held < 300 || strict == 0 {
			t.Errorf("λ=%v: only %d scenarios met the conditions (%d strict rises): the generator is too narrow", lam, held, strict)
		}
	}
}

// TestCheck7aVerificationExact checks the same property on the exact
// probability that B truly delivers its first-phase moves in round 1,
// enumerated by exact.Solve over every random event of a one-round history
// (B a single opportunist type, no noise, no withdrawals: the milestone of
// B's first-phase moves is reached in round 1 exactly when B keeps).
func TestCheck7aVerificationExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 3))
	g := scenGen{rng}
	checked, strict := 0, 0
	for _, lam := range checkLambdas {
		for n := 0; n < 60; n++ {
			s := g.scenario(g.actor("A", []scenario.Disposition{scenario.Reciprocator, scenario.Hardliner}),
				g.actor("B", []scenario.Disposition{scenario.Opportunist}), "B", lam)
			// B's first-phase moves are untranched, so that the milestone can be reached in round 1
			ph := &s.Roadmaps[0].Phases[0]
			var mine []string
			for _, id := range ph.Moves {
				m := &s.Moves[s.MoveIndex(id)]
				if m.By == "B" {
					m.Tranches, m.Align = nil, ""
					mine = append(mine, id)
				}
			}
			s.Milestones = []scenario.Milestone{{ID: "b-first", Moves: mine}}
			// nobody withdraws within the round (a tit-for-tat withdrawal would unmake the milestone)
			for k := range s.Actors {
				s.Actors[k].Response = scenario.Response{Kind: scenario.Patient, Tolerance: 100}
			}
			solve := func() (float64, formula) {
				r := mustCompile(t, s)
				sum, err := exact.Solve(context.Background(), r, 100000)
				if err != nil {
					t.Fatal(err)
				}
				return sum.MilestoneBy(0, 1), formulaDecision(r, 1, 0)
			}
			p1, f1 := solve()
			for k := range s.Moves {
				if s.Moves[k].By == "B" {
					d := s.Moves[k].VerificationOf()
					s.Moves[k].Verification = testkit.F(d + (1-d)*g.u(0.05, 1))
				}
			}
			p2, f2 := solve()
			if math.Abs(p1-f1.Keep) > 1e-12 || math.Abs(p2-f2.Keep) > 1e-12 {
				t.Fatalf("λ=%v scenario %d: exact %v, %v; model.md %v, %v", lam, n, p1, p2, f1.Keep, f2.Keep)
			}
			if f1.Terms.V+f1.Terms.G < 0 {
				continue
			}
			checked++
			if p2 < p1-1e-12 {
				t.Errorf("λ=%v scenario %d: exact probability of keeping fell %v → %v", lam, n, p1, p2)
			}
			if p2 > p1+1e-9 {
				strict++
			}
		}
	}
	t.Logf("%d scenarios with V+G ≥ 0 solved exactly; keeping rose strictly in %d", checked, strict)
	if checked < 100 || strict == 0 {
		t.Errorf("only %d scenarios met the conditions", checked)
	}
}

// TestCheck7aCounterexamples documents why the conditions are needed.
//
// Two phases, both simultaneous, δ = 0.9 for both actors, no lasting value.
// Phase 1: B (a single opportunist type) moves at cost c (benefit 1 to A,
// verification d); A moves at cost 0.5 (benefit 1 to B). Phase 2: B alone
// pays 1.5 (a step it owes and gets nothing for in that phase), so B's
// V = 0.9·(0 − 1.5) = −1.35 and G = r·b = 0: V + G < 0.
//
//   - λ = 5, c = 0.5: S = 0.5 + 1 + 1.35 = 2.85, margin = −1.35·d − 0.5, so keeping is
//     σ(5·(−0.77)/2.85) = 0.2057 at d = 0.2 and σ(5·(−1.58)/2.85) = 0.0589 at d = 0.8.
//   - λ = inf, c = 0: at d = 0 the margin is 0 and B keeps; at d = 0.5 it is −0.675 and
//     B does not (with c > 0 the margin is ≤ −c < 0 at every d, so λ = inf is safe).
func TestCheck7aCounterexamples(t *testing.T) {
	build := func(lam, c, d float64) *model.Roadmap {
		a := testkit.Actor("A", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
		b := testkit.Actor("B", 0.9, testkit.Type("opp", 1, scenario.Opportunist))
		m1b := testkit.Move("b1", "B", c, "A", 1)
		m1b.Verification = testkit.F(d)
		m1a := testkit.Move("a1", "A", 0.5, "B", 1)
		m2b := testkit.Move("b2", "B", 1.5, "A", 1)
		s := testkit.Scenario(1, []scenario.Actor{a, b}, []scenario.Move{m1b, m1a, m2b},
			testkit.Phase("a1", "b1"), testkit.Phase("b2"))
		s.Environment.Rationality = scenario.Rationality(lam)
		return mustCompile(t, s)
	}
	sig := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
	cases := []struct {
		lam, c, d float64
		want      float64
	}{
		{5, 0.5, 0.2, sig(5 * (-1.35*0.2 - 0.5) / 2.85)},
		{5, 0.5, 0.8, sig(5 * (-1.35*0.8 - 0.5) / 2.85)},
		{math.Inf(1), 0, 0, 1},
		{math.Inf(1), 0, 0.5, 0},
	}
	got := make([]float64, len(cases))
	for k, tc := range cases {
		r := build(tc.lam, tc.c, tc.d)
		f := formulaDecision(r, 1, 0)
		if math.Abs(f.Terms.V-(-1.35)) > 1e-12 || f.Terms.G != 0 {
			t.Fatalf("V = %v, G = %v; want −1.35 and 0", f.Terms.V, f.Terms.G)
		}
		got[k], _ = firstDecision(t, r, []int{0, 0}, 1, 1)
		if math.Abs(got[k]-tc.want) > 1e-12 {
			t.Errorf("λ=%v c=%v d=%v: keeping %v, want %v", tc.lam, tc.c, tc.d, got[k], tc.want)
		}
	}
	if math.Abs(got[0]-0.2057) > 5e-5 || math.Abs(got[1]-0.0589) > 5e-5 {
		t.Errorf("documented values 0.2057 and 0.0589, got %.4f and %.4f", got[0], got[1])
	}
	if !(got[1] < got[0] && got[3] < got[2]) {
		t.Error("with V + G < 0 raising verification should lower keeping in both cases")
	}
}

// ----- check 7(b): prior trust -----

// trustConditions reports model.md's two conditions for actor 0 (the
// decider, of type ti) trusting actor 1 more, and the extra condition this
// test finds necessary (see TestCheck7bCounterexamples): (1) j's reciprocator
// types are at least as likely to keep as j's other types in every phase in
// which j moves; (2) every later phase is worth at least nothing to i
// (b − c ≥ 0 at the projected insecurity); (3) N + L ≥ 0 in the current phase
// whatever i's trust, which, V being ≥ 0 under (1)–(2), follows from b − c + L ≥ 0.
func trustConditions(r *model.Roadmap, f formula) (recFirst, laterOK, netPlusLoss bool) {
	recFirst = true
	aj := &r.Actors[1]
	for l := range r.Phases {
		if !r.Phases[l].HasMove[1] {
			continue
		}
		for tr, ty := range aj.Types {
			if ty.Disposition != model.Reciprocator {
				continue
			}
			for to, ot := range aj.Types {
				if ot.Disposition != model.Reciprocator && f.Pred[l][to] > f.Pred[l][tr]+1e-15 {
					recFirst = false
				}
			}
		}
	}
	laterOK = true
	for l := 1; l < len(r.Phases); l++ {
		if f.Path[l][0].B-f.Path[l][0].C < 0 {
			laterOK = false
		}
	}
	t0 := f.Path[0][0]
	netPlusLoss = t0.B-t0.C+t0.L >= 0
	return
}

// raiseTrust moves a share u of the belief that `who` holds in the other
// actor's non-reciprocator types to its reciprocator type "rec" (the other
// types lose in proportion).
func raiseTrust(s *scenario.Scenario, who string, u float64) {
	ai := s.ActorIndex(who)
	other := s.Actors[1-ai]
	bel := map[string]float64{}
	for _, ty := range other.Types {
		bel[ty.ID] = ty.Prior
	}
	if b, ok := s.Actors[ai].Beliefs[other.ID]; ok {
		bel = b
	}
	out := map[string]float64{}
	moved := 0.0
	for _, ty := range other.Types {
		if ty.Disposition == scenario.Reciprocator {
			continue
		}
		out[ty.ID] = bel[ty.ID] * (1 - u)
		moved += bel[ty.ID] * u
	}
	out["rec"] = bel["rec"] + moved
	s.Actors[ai].Beliefs = map[string]map[string]float64{other.ID: out}
}

// TestCheck7bTrustEngine draws random roadmaps in which A (a reciprocator or
// an opportunist) decides in round 1 and B has a reciprocator type "rec" and
// one or two other types; it raises A's prior trust in B and checks that A's
// probability of keeping never falls when model.md's conditions hold and
// N + L ≥ 0 (b − c + L ≥ 0 in the phase). Every decision must also equal the
// formula. Draws that meet model.md's conditions but not N + L ≥ 0 are counted
// and their reversals logged: they are the gap reported in
// TestCheck7bCounterexamples.
func TestCheck7bTrustEngine(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 42))
	g := scenGen{rng}
	for _, lam := range checkLambdas {
		held, strict, gap, gapReversed := 0, 0, 0, 0
		for n := 0; n < 1500; n++ {
			mine := scenario.Reciprocator
			if g.coin(0.3) {
				mine = scenario.Opportunist
			}
			others := []scenario.Disposition{scenario.Opportunist, scenario.Hardliner}
			bd := []scenario.Disposition{scenario.Reciprocator}
			for x := 1 + rng.IntN(2); x > 0; x-- {
				bd = append(bd, others[rng.IntN(2)])
			}
			b := g.actor("B", bd)
			b.Types[0].ID = "rec"
			s := g.scenario(g.actor("A", []scenario.Disposition{mine}), b, "A", lam)
			// later phases lean in A's favour, so that condition (2) holds often
			for k := range s.Moves {
				if s.Moves[k].By == "B" {
					s.Moves[k].Benefit["A"] *= 1.5
				}
			}
			r1 := mustCompile(t, s)
			f1 := formulaDecision(r1, 0, 0)
			recFirst, laterOK, nl := trustConditions(r1, f1)
			if !recFirst || !laterOK {
				continue
			}
			raiseTrust(s, "A", g.u(0.05, 1))
			r2 := mustCompile(t, s)
			f2 := formulaDecision(r2, 0, 0)
			k1, _ := firstDecision(t, r1, []int{0, -1}, 0, uint64(n))
			k2, _ := firstDecision(t, r2, []int{0, -1}, 0, uint64(n))
			if math.Abs(k1-f1.Keep) > 1e-12 || math.Abs(k2-f2.Keep) > 1e-12 {
				t.Fatalf("λ=%v scenario %d: engine %v, %v; model.md %v, %v", lam, n, k1, k2, f1.Keep, f2.Keep)
			}
			if f2.Terms.P < f1.Terms.P-1e-12 || f2.Terms.V < f1.Terms.V-1e-12 {
				t.Fatalf("λ=%v scenario %d: p %v → %v, V %v → %v: trust should raise both", lam, n, f1.Terms.P, f2.Terms.P, f1.Terms.V, f2.Terms.V)
			}
			if !nl && mine == scenario.Reciprocator {
				gap++
				if k2 < k1-1e-12 {
					gapReversed++
				}
				continue
			}
			held++
			if k2 < k1-1e-12 {
				t.Errorf("λ=%v scenario %d (%s): keeping fell %v → %v as trust rose (terms %+v → %+v)", lam, n, mine, k1, k2, f1.Terms, f2.Terms)
			}
			if k2 > k1+1e-9 {
				strict++
			}
		}
		t.Logf("λ=%s: %d scenarios met every condition (keeping rose strictly in %d); %d met model.md's conditions but had b − c + L < 0, of which %d reversed",
			lambdaName(lam), held, strict, gap, gapReversed)
		if held < 150 || strict == 0 {
			t.Errorf("λ=%v: only %d scenarios met the conditions (%d strict rises)", lam, held, strict)
		}
	}
}

// TestCheck7bCounterexamples: raising trust can lower the willingness to move.
// Every case is one phase or two, δ = 0.9, no lasting value, A's trust π in B
// being its belief that B is a reciprocator.
func TestCheck7bCounterexamples(t *testing.T) {
	inf := math.Inf(1)
	keepAt := func(s *scenario.Scenario, pi float64, other string) float64 {
		s.Actors[0].Beliefs = map[string]map[string]float64{"B": {"rec": pi, other: 1 - pi}}
		r := mustCompile(t, s)
		k, _ := firstDecision(t, r, []int{0, 0}, 0, 1)
		if f := formulaDecision(r, 0, 0); math.Abs(f.Keep-k) > 1e-12 {
			t.Fatalf("engine %v, formula %v", k, f.Keep)
		}
		return k
	}

	// (1) B's reciprocator type is LESS likely to keep than its opportunist:
	// the reciprocator pays 2.5 for 1.5 (N = −1: predicted to decline), the
	// opportunist has a lasting value 1 (V = 9 ≥ c = 1: predicted to keep).
	// A (c = 1, b = 2, r = 0: N = 1, L = 1, threshold 1/2) sees p = 1 − π:
	// it moves at π = 0.3 (margin 0.4) and not at π = 0.7 (margin −0.4).
	t.Run("reciprocator less reliable", func(t *testing.T) {
		a := testkit.Actor("A", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
		b := testkit.Actor("B", 0.9, testkit.Type("rec", 0.5, scenario.Reciprocator), testkit.Type("opp", 0.5, scenario.Opportunist))
		b.Types[0].Costs = map[string]float64{"mB": 2.5}
		b.Types[0].Benefits = map[string]float64{"mA": 1.5}
		b.Types[1].LastingValue = testkit.F(1)
		s := testkit.Scenario(1, []scenario.Actor{a, b}, []scenario.Move{testkit.Move("mA", "A", 1, "B", 2), testkit.Move("mB", "B", 1, "A", 2)}, testkit.Phase("mA", "mB"))
		if lo, hi := keepAt(s, 0.3, "opp"), keepAt(s, 0.7, "opp"); lo != 1 || hi != 0 {
			t.Errorf("keeping at π = 0.3: %v, at π = 0.7: %v; want 1 and 0", lo, hi)
		}
	})

	// (2) A later phase is worth less than nothing to A. Phase 1: A pays 1
	// for B's free gift worth 2 (every type of B gives it: p = 1). Phase 2:
	// A pays 2 for 0.5; B's reciprocator keeps there (N = 2), its opportunist
	// not (margin −1), so ρ(2) = π and V = 0.9·π·(0.5 − 2) = −1.35π.
	// A's N = 1 − 1.35π: 0.325 at π = 0.5 (moves), −0.215 at π = 0.9 (does not).
	t.Run("later phase worth less than nothing", func(t *testing.T) {
		a := testkit.Actor("A", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
		b := testkit.Actor("B", 0.9, testkit.Type("rec", 0.5, scenario.Reciprocator), testkit.Type("opp", 0.5, scenario.Opportunist))
		moves := []scenario.Move{
			testkit.Move("a1", "A", 1, "B", 1), testkit.Move("gift", "B", 0, "A", 2),
			testkit.Move("a2", "A", 2, "B", 3), testkit.Move("b2", "B", 1, "A", 0.5),
		}
		s := testkit.Scenario(1, []scenario.Actor{a, b}, moves, testkit.Phase("a1", "gift"), testkit.Phase("a2", "b2"))
		r := mustCompile(t, s)
		f := formulaDecision(r, 0, 0)
		if f.Pred[1][0] != 1 || f.Pred[1][1] != 0 || f.Pred[0][0] != 1 || f.Pred[0][1] != 1 {
			t.Fatalf("predictions %v: want B's reciprocator to keep in both phases, its opportunist in phase 1 only", f.Pred)
		}
		if lo, hi := keepAt(s, 0.5, "opp"), keepAt(s, 0.9, "opp"); lo != 1 || hi != 0 {
			t.Errorf("keeping at π = 0.5: %v, at π = 0.9: %v; want 1 and 0", lo, hi)
		}
	})

	// (3) model.md's conditions hold — B's reciprocator keeps (N = 0.5), its
	// hardliner cannot (cost 0.5 above its bound 0.3), there is no later
	// phase — but the phase itself is not worth having: A pays 1, fully
	// reversible (L = 0), for 0.2 (N = −0.8, N + L < 0). The margin is
	// p·N − (1 − p)·L = −0.8p, which falls as trust rises:
	//   λ = 20 (S = 1.2): B's reciprocator is predicted to keep with σ(20·0.5/1.5) = 0.99873,
	//   so p = 0.99873π and keeping is σ(−13.33p) = 0.2089 at π = 0.1, 0.00128 at π = 0.5;
	//   λ = inf: at π = 0 the margin is 0 and A moves, at π = 0.1 it is −0.08 and A does not.
	// So check 7(b) also needs N + L ≥ 0 (b ≥ r·c − V); see the report.
	t.Run("phase not worth having", func(t *testing.T) {
		a := testkit.Actor("A", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
		b := testkit.Actor("B", 0.9, testkit.Type("rec", 0.5, scenario.Reciprocator), testkit.Type("hard", 0.5, scenario.Hardliner))
		b.Symbolic = testkit.F(0.3)
		mA := testkit.Move("mA", "A", 1, "B", 1)
		mA.Reversible = 1
		s := testkit.Scenario(1, []scenario.Actor{a, b}, []scenario.Move{mA, testkit.Move("mB", "B", 0.5, "A", 0.2)}, testkit.Phase("mA", "mB"))
		s.Environment.Rationality = 20
		lo, hi := keepAt(s, 0.1, "hard"), keepAt(s, 0.5, "hard")
		sig := func(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
		kr := sig(20 * 0.5 / 1.5)
		if math.Abs(lo-sig(-20*0.8*0.1*kr/1.2)) > 1e-12 || math.Abs(hi-sig(-20*0.8*0.5*kr/1.2)) > 1e-12 {
			t.Errorf("λ = 20: keeping %v at π = 0.1 and %v at π = 0.5", lo, hi)
		}
		if math.Abs(lo-0.2089) > 5e-5 || math.Abs(hi-0.00128) > 5e-6 {
			t.Errorf("documented 0.2089 and 0.00128, got %.4f and %.5f", lo, hi)
		}
		s.Environment.Rationality = scenario.Rationality(inf)
		if lo, hi := keepAt(s, 0, "hard"), keepAt(s, 0.1, "hard"); lo != 1 || hi != 0 {
			t.Errorf("λ = inf: keeping %v at π = 0 and %v at π = 0.1; want 1 and 0", lo, hi)
		}
	})
}

// ----- regressions: deviations from model.md found by these checks, since fixed -----

// D1: a simultaneous phase must not depend on the order in which the actors
// are declared. A reciprocator with trust 0.2 declines (threshold 1/2), its
// counterpart delivers; η = 0.5. Whether the deliverer counts the decline as
// a defection (and whose insecurity rises, and what a security-relevant step
// costs) must not depend on which of the two is declared first.
func TestSimultaneousPhaseIgnoresDeclarationOrder(t *testing.T) {
	play := func(bFirst bool, mB scenario.Move, mA scenario.Move, setup func(a, b *scenario.Actor)) (insecB, utilB float64) {
		a := testkit.Actor("A", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
		b := testkit.Actor("B", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
		setup(&a, &b)
		actors := []scenario.Actor{a, b}
		if bFirst {
			actors = []scenario.Actor{b, a}
		}
		s := testkit.Scenario(1, actors, []scenario.Move{mA, mB}, testkit.Phase("mA", "mB"))
		s.Environment.ThreatResponse = 0.5
		r := mustCompile(t, s)
		res, _ := playOnce(t, r, []int{0, 0})
		bi := 1
		if bFirst {
			bi = 0
		}
		return res.InsecurityAt(1, bi), res.Utility[bi]
	}
	// the defection seen by the deliverer
	low := func(a, b *scenario.Actor) {
		b.Types = append(b.Types, testkit.Type("opp", 0, scenario.Opportunist))
		a.Beliefs = map[string]map[string]float64{"B": {"rec": 0.2, "opp": 0.8}}
	}
	s1, _ := play(false, testkit.Move("mB", "B", 1, "A", 2), testkit.Move("mA", "A", 1, "B", 2), low)
	s2, _ := play(true, testkit.Move("mB", "B", 1, "A", 2), testkit.Move("mA", "A", 1, "B", 2), low)
	if s1 != s2 {
		t.Errorf("B's insecurity after round 1: %v when A is declared first, %v when B is", s1, s2)
	}
	// the price of a security-relevant step: A's pledge cuts B's insecurity by half
	freeze := testkit.Move("mB", "B", 1, "A", 3)
	freeze.SecurityRelevant = true
	pledge := testkit.Move("mA", "A", 0.2, "B", 2)
	pledge.Security = map[string]float64{"B": 0.5}
	insecure := func(a, b *scenario.Actor) { b.Insecurity, b.InsecurityWeight = 0.8, 1 }
	_, u1 := play(false, freeze, pledge, insecure)
	_, u2 := play(true, freeze, pledge, insecure)
	if u1 != u2 {
		t.Errorf("B's utility: %v when A is declared first (freeze paid at s = 0.4), %v when B is (paid at 0.8)", u1, u2)
	}
}

// D2: a withdrawn (suspended) step keeps its security cut and is not cut
// again when re-delivered, so the insecurity projected for later phases must
// not apply its cut a second time. A pledges (cost 0.1, benefit 0.2, cuts B's
// insecurity 0.8 by half, reversible) and B, who trusts A only 0.3, declines
// in round 1; A withdraws. In round 2 B retries alone (p = 1) with λ = 5, its
// trust in A now 1. Its phase-2 step is security-relevant (cost 1, κ = 1) and
// A's (N = 0.5, predicted σ(5·0.5/1.5)) gives it 2: V = 0.9·σ(5/3)·(2 − 1.4)
// at the true projected insecurity 0.4 (not 0.8·0.5·0.5 = 0.2).
func TestProjectionAfterWithdrawal(t *testing.T) {
	a := testkit.Actor("A", 0.9, testkit.Type("rec", 1, scenario.Reciprocator), testkit.Type("hard", 0, scenario.Hardliner))
	a.Symbolic = testkit.F(0.05)
	b := testkit.Actor("B", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
	b.Beliefs = map[string]map[string]float64{"A": {"rec": 0.3, "hard": 0.7}}
	b.Insecurity, b.InsecurityWeight = 0.8, 1
	pledge := testkit.Move("pledge", "A", 0.1, "B", 0.2)
	pledge.Security = map[string]float64{"B": 0.5}
	pledge.Reversible = 1
	m2B := testkit.Move("m2B", "B", 1, "A", 1)
	m2B.SecurityRelevant = true
	s := testkit.Scenario(2, []scenario.Actor{a, b}, []scenario.Move{pledge, testkit.Move("mB", "B", 1, "A", 1), m2B, testkit.Move("m2A", "A", 0.5, "B", 2)},
		testkit.Phase("pledge", "mB"), testkit.Phase("m2A", "m2B"))
	s.Environment.Rationality = 5
	r := mustCompile(t, s)
	h := engine.New(r)
	rec := &engine.Recorder{}
	h.Tracer = rec
	answers := []bool{true, false} // round 1: A keeps, B does not
	h.Run(&scriptedBools{answers: answers})
	d := decisions(rec.Events, 1)
	if len(d) < 2 {
		t.Fatalf("B decided %d times", len(d))
	}
	v := 0.9 * model.Logistic(5.0/3) * (2 - 1.4)
	tm := model.Terms{C: 1, B: 0.2, L: 1, V: v, P: 1}
	if want := model.Choose(tm.ReciprocatorMargin(), tm.Scale(), 5); math.Abs(d[1]-want) > 1e-12 {
		t.Errorf("B keeps in round 2 with %v, want %v (projected insecurity 0.4)", d[1], want)
	}
}

// scriptedBools answers Bernoulli draws from a list, then false, and every
// type draw with cat.
type scriptedBools struct {
	answers []bool
	cat     int
}

func (s *scriptedBools) Bernoulli(p float64) bool {
	if len(s.answers) == 0 {
		return false
	}
	x := s.answers[0]
	s.answers = s.answers[1:]
	return x
}
func (s *scriptedBools) Categorical(w []float64) int { return s.cat }

// D3: in a retried simultaneous phase, G must not count in full a benefit the
// counterpart has already delivered (it can only take back r·b). A is an
// opportunist (B believes it a reciprocator at 0.9) with a move of cost 1 and
// verification 0.5; B's move gives A 3, irreversibly. Round 1: A cheats,
// is detected; B delivers. Round 2: A retries alone: G = r·b = 0, margin
// 0.5·0 − 1 < 0: it should cheat again, not keep (counting G = 3 would make it keep).
func TestRetryTemptation(t *testing.T) {
	a := testkit.Actor("A", 0.9, testkit.Type("rec", 0.5, scenario.Reciprocator), testkit.Type("opp", 0.5, scenario.Opportunist))
	b := testkit.Actor("B", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
	b.Beliefs = map[string]map[string]float64{"A": {"rec": 0.9, "opp": 0.1}}
	mA := testkit.Move("mA", "A", 1, "B", 2)
	mA.Verification = testkit.F(0.5)
	s := testkit.Scenario(2, []scenario.Actor{a, b}, []scenario.Move{mA, testkit.Move("mB", "B", 0.5, "A", 3)}, testkit.Phase("mA", "mB"))
	r := mustCompile(t, s)
	h := engine.New(r)
	rec := &engine.Recorder{}
	h.Tracer = rec
	h.Run(&scriptedBools{answers: []bool{true}, cat: 1}) // A is the opportunist; its cheat is detected
	var keeps []float64
	for _, e := range rec.Events {
		if e.Kind == engine.EvDecide && e.Actor == 0 {
			keeps = append(keeps, e.From)
		}
	}
	detected := false
	for _, e := range rec.Events {
		detected = detected || (e.Kind == engine.EvDetect && e.Round == 1)
	}
	if !detected || len(keeps) < 2 {
		t.Fatalf("the scenario did not play as designed: detected %v, decisions %v", detected, keeps)
	}
	if keeps[1] != 0 {
		t.Errorf("A keeps in round 2 with probability %v, want 0 (G = r·b = 0)", keeps[1])
	}
}

// D4: leverage left counts the whole benefit of a withdrawn step although the
// recipients keep its irreversible share (1 − r)·b; at a walk-away a delivered
// step counts r·b. A delivers a move (benefit 2, r = 0.5), believing B a
// reciprocator for whom the phase pays; B truly pays 5 for its step and
// declines; A withdraws. Its leverage should be 0.5·2 = 1, not 2.
func TestLeverageOfWithdrawnStep(t *testing.T) {
	a := testkit.Actor("A", 0.9, testkit.Type("rec", 1, scenario.Reciprocator))
	b := testkit.Actor("B", 0.9, testkit.Type("rec", 1, scenario.Reciprocator), testkit.Type("cheap", 0, scenario.Reciprocator))
	b.Types[0].Costs = map[string]float64{"mB": 5}
	a.Beliefs = map[string]map[string]float64{"B": {"rec": 0, "cheap": 1}}
	mA := testkit.Move("mA", "A", 0.5, "B", 2)
	mA.Reversible = 0.5
	s := testkit.Scenario(1, []scenario.Actor{a, b}, []scenario.Move{mA, testkit.Move("mB", "B", 0.4, "A", 2)}, testkit.Phase("mA", "mB"))
	r := mustCompile(t, s)
	res, ev := playOnce(t, r, []int{0, 0})
	withdrawn := false
	for _, e := range ev {
		withdrawn = withdrawn || e.Kind == engine.EvWithdraw
	}
	if !withdrawn {
		t.Fatalf("the scenario did not play as designed (no withdrawal)")
	}
	if !near(res.Leverage[0], 1) {
		t.Errorf("A's leverage left %v, want 1 (= r·b)", res.Leverage[0])
	}
}
