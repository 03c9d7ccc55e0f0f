package audit

import (
	"errors"
	"fmt"
	"math"

	"github.com/parleyhq/parley/model"
)

// Options chooses the type profiles the audit examines.
type Options struct {
	// Profile gives one type index per actor (in declaration order). Nil
	// selects each actor's most likely type by its prior, ties going to the
	// type listed first.
	Profile []int
	// AllProfiles audits every combination of types, each weighted by the
	// product of the actors' priors. It excludes Profile.
	AllProfiles bool
}

// MaxProfiles is the largest number of profiles AllProfiles will audit.
const MaxProfiles = 4096

// MaxTranches is the largest number of tranches the tranche lever proposes.
const MaxTranches = 100

// ErrTooManyProfiles is returned when AllProfiles would audit more than
// MaxProfiles combinations of types.
var ErrTooManyProfiles = errors.New("too many type profiles")

// Failure kinds.
const (
	// FailNet: a reciprocator's phase is worth less than nothing even if everyone keeps (N < 0).
	FailNet = "not-worth-it"
	// FailTrust: a reciprocator's prior trust is below its trust threshold.
	FailTrust = "trust"
	// FailMargin: an opportunist's self-enforcement margin is negative.
	FailMargin = "self-enforcement"
	// FailBound: a hardliner's step costs more than its symbolic bound.
	FailBound = "bound"
)

// Lever kinds.
const (
	LeverVerification  = "verification"
	LeverTranches      = "tranches"
	LeverReversibility = "reversibility"
	LeverEscrow        = "escrow"
	LeverLasting       = "lasting-value"
	LeverSecurity      = "security-first"
	LeverRebalance     = "rebalance"
)

// Report is the audit of one roadmap.
type Report struct {
	Scenario string `json:"scenario"`
	Roadmap  string `json:"roadmap"`
	Label    string `json:"label,omitempty"`
	Baseline bool   `json:"baseline,omitempty"`
	// Phases is the number of phases after tranche expansion.
	Phases      int  `json:"phases"`
	AllProfiles bool `json:"all_profiles"`
	// PassProbability is the total prior probability of the audited profiles
	// under which nothing is flagged (with AllProfiles: the chance that the
	// roadmap passes the audit for the actors' true types).
	PassProbability float64   `json:"pass_probability"`
	Profiles        []Profile `json:"profiles"`
}

// Profile is the audit under one combination of types.
type Profile struct {
	Types []ActorType `json:"types"`
	// Probability is the product of the actors' priors of these types.
	Probability float64 `json:"probability"`
	// Whole is each actor's value of the whole roadmap with everything delivered and full trust.
	Whole []Whole `json:"whole_value"`
	// CannotWork is set when some actor's whole value is negative.
	CannotWork bool    `json:"cannot_work"`
	Phases     []Phase `json:"phases"`
	// Failures counts the flags of every phase.
	Failures int `json:"failures"`
}

// ActorType names the type of one actor in a profile.
type ActorType struct {
	Actor       string `json:"actor"`
	Type        string `json:"type"`
	Disposition string `json:"disposition"`
}

// Whole is one actor's value of the whole roadmap: Σ_k δ^(k−1)(b_k − c_k) + δ^K·lasting/(1 − δ).
type Whole struct {
	Actor    string  `json:"actor"`
	Type     string  `json:"type"`
	Value    float64 `json:"value"`
	Negative bool    `json:"negative"`
}

// Phase is one phase after tranche expansion.
type Phase struct {
	// Index is 1-based among the expanded phases.
	Index int    `json:"index"`
	Label string `json:"label"`
	// Source is the 1-based phase of the roadmap file; Sub of Subs is the tranche sub-phase.
	Source int `json:"source"`
	Sub    int `json:"sub"`
	Subs   int `json:"subs"`
	// Order is "simultaneous", "sequential" or "invited".
	Order     string `json:"order"`
	Initiator string `json:"initiator,omitempty"`
	// Rows holds the actors with a move in the phase, in the phase's order.
	Rows []Row `json:"actors"`
}

// Row is one actor in one phase. Every number is computed for every actor,
// whatever its disposition; Failures holds only those that matter for it.
type Row struct {
	Actor       string `json:"actor"`
	Type        string `json:"type"`
	Disposition string `json:"disposition"`
	// Insecurity s projected along the all-delivered path.
	Insecurity float64 `json:"insecurity"`
	// Cost c of its moves here, after the insecurity multiplier.
	Cost float64 `json:"cost"`
	// CostAtZero is c at insecurity 0.
	CostAtZero float64 `json:"cost_at_zero_insecurity"`
	// Gain b from the others' moves here.
	Gain float64 `json:"gain"`
	// Exposure L = Σ(1 − r)·c: what it loses if it moves and nobody else does.
	Exposure float64 `json:"exposure"`
	// Reversibility is the cost-weighted mean r of its moves here (1 − L/c).
	Reversibility float64 `json:"reversibility"`
	// Temptation is what not moving saves an opportunist now: c.
	Temptation float64 `json:"temptation"`
	// Continuation is V(k+1) with q = 1.
	Continuation float64 `json:"continuation"`
	// Net is N = b − c + V.
	Net float64 `json:"net"`
	// AtStake is G: what detection costs an opportunist besides V.
	AtStake float64 `json:"at_stake"`
	// Detection is D = 1 − Π(1 − d) over its moves here.
	Detection float64 `json:"detection"`
	// Margin is the opportunist's self-enforcement margin D·(V + G) − c.
	Margin float64 `json:"self_enforcement_margin"`
	// CheatValue is (1 − D)·(b + V) − D·G: a covert cheat's worth to an opportunist.
	CheatValue float64 `json:"cheat_value"`
	// PriorTrust p: its prior probability that every counterpart still to move keeps its side.
	PriorTrust float64 `json:"prior_trust"`
	// Threshold is L/(N + L); nil when no trust suffices (N < 0).
	Threshold *float64 `json:"trust_threshold"`
	// ReciprocatorMargin is p·N − (1 − p)·L.
	ReciprocatorMargin float64 `json:"reciprocator_margin"`
	// TrustTested is false for the initiator of an invited phase, which skips the trust test.
	TrustTested bool `json:"trust_tested"`
	// Bound is the type's symbolic bound (what a hardliner pays at most per step).
	Bound float64 `json:"bound"`
	// MaxStep and MaxStepCost name its costliest step here.
	MaxStep     string  `json:"max_step"`
	MaxStepCost float64 `json:"max_step_cost"`
	Steps       []Step  `json:"steps"`
	// Counterparts decompose PriorTrust.
	Counterparts []Counterpart `json:"counterparts,omitempty"`
	Failures     []Failure     `json:"failures,omitempty"`
}

// Step is one of an actor's steps (one tranche of one move) in a phase.
type Step struct {
	Step    string  `json:"step"`
	Move    string  `json:"move"`
	Tranche int     `json:"tranche"`
	Of      int     `json:"of"`
	Base    float64 `json:"base_cost"`
	Cost    float64 `json:"cost"`
	Within  bool    `json:"within_bound"`
}

// Counterpart is one factor of a prior trust p: the actor's prior belief that
// the counterpart keeps its side in the phase.
type Counterpart struct {
	Actor string  `json:"actor"`
	Keep  float64 `json:"keep"`
	Types []Kept  `json:"types"`
}

// Kept is the complete-information prediction for one counterpart type.
type Kept struct {
	Type        string  `json:"type"`
	Disposition string  `json:"disposition"`
	Belief      float64 `json:"belief"`
	Keeps       bool    `json:"keeps"`
	// Test is the number the prediction rests on: N for a reciprocator, the
	// margin for an opportunist, bound minus its costliest step for a hardliner.
	Test float64 `json:"test"`
}

// Failure is one flag with the levers that address it.
type Failure struct {
	Kind    string  `json:"kind"`
	Step    string  `json:"step,omitempty"`
	Message string  `json:"message"`
	Levers  []Lever `json:"levers"`
}

// Lever is one way to fix a failure. Needed is the value of the quantity
// that makes the failing margin exactly zero (nil when none exists), Now its
// present value, Feasible whether that value is attainable.
type Lever struct {
	Kind     string   `json:"kind"`
	Now      float64  `json:"now"`
	Needed   *float64 `json:"needed"`
	Feasible bool     `json:"feasible"`
	Text     string   `json:"text"`
}

// Audit audits roadmap r under the profiles opt selects.
func Audit(r *model.Roadmap, opt Options) (*Report, error) {
	if r == nil {
		return nil, errors.New("audit: nil roadmap")
	}
	profiles, probs, err := selectProfiles(r, opt)
	if err != nil {
		return nil, err
	}
	x := newAuditor(r)
	rep := &Report{Roadmap: r.ID, Label: r.Label, Baseline: r.Baseline, Phases: len(r.Phases), AllProfiles: opt.AllProfiles}
	if r.Scenario != nil {
		rep.Scenario = r.Scenario.Name
	}
	for i, prof := range profiles {
		p := x.profile(prof, probs[i])
		if p.Failures == 0 && !p.CannotWork {
			rep.PassProbability += p.Probability
		}
		rep.Profiles = append(rep.Profiles, p)
	}
	return rep, nil
}

// MostLikely returns each actor's most likely type by its prior, ties to the first listed.
func MostLikely(r *model.Roadmap) []int {
	out := make([]int, len(r.Actors))
	for a := range r.Actors {
		best := 0
		for t, p := range r.Actors[a].Prior {
			if p > r.Actors[a].Prior[best] {
				best = t
			}
		}
		out[a] = best
	}
	return out
}

func selectProfiles(r *model.Roadmap, opt Options) ([][]int, []float64, error) {
	na := len(r.Actors)
	prob := func(prof []int) float64 {
		p := 1.0
		for a, t := range prof {
			p *= r.Actors[a].Prior[t]
		}
		return p
	}
	for a := range r.Actors {
		if len(r.Actors[a].Types) == 0 {
			return nil, nil, fmt.Errorf("audit: actor %q has no types", r.Actors[a].ID)
		}
	}
	if opt.AllProfiles {
		if opt.Profile != nil {
			return nil, nil, errors.New("audit: Options.Profile and Options.AllProfiles exclude each other")
		}
		n := 1
		for a := range r.Actors {
			n *= len(r.Actors[a].Types)
			if n > MaxProfiles {
				return nil, nil, fmt.Errorf("audit: %w: more than %d combinations of types; audit one profile at a time", ErrTooManyProfiles, MaxProfiles)
			}
		}
		var out [][]int
		var probs []float64
		cur := make([]int, na)
		for {
			out = append(out, append([]int(nil), cur...))
			probs = append(probs, prob(cur))
			// odometer: the last actor turns fastest
			a := na - 1
			for ; a >= 0; a-- {
				cur[a]++
				if cur[a] < len(r.Actors[a].Types) {
					break
				}
				cur[a] = 0
			}
			if a < 0 {
				break
			}
		}
		return out, probs, nil
	}
	prof := opt.Profile
	if prof == nil {
		prof = MostLikely(r)
	} else {
		if len(prof) != na {
			return nil, nil, fmt.Errorf("audit: Options.Profile has %d entries, the roadmap has %d actors", len(prof), na)
		}
		for a, t := range prof {
			if t < 0 || t >= len(r.Actors[a].Types) {
				return nil, nil, fmt.Errorf("audit: Options.Profile[%d] = %d: actor %q has types 0..%d", a, t, r.Actors[a].ID, len(r.Actors[a].Types)-1)
			}
		}
		prof = append([]int(nil), prof...)
	}
	return [][]int{prof}, []float64{prob(prof)}, nil
}

// auditor caches every actor's path terms for every one of its types; an
// actor's terms depend only on its own type.
type auditor struct {
	r     *model.Roadmap
	terms [][][]model.Terms // [type][phase][actor], valid where type < len(actor's types)
	insec [][]float64       // [phase][actor]
}

func newAuditor(r *model.Roadmap) *auditor {
	x := &auditor{r: r}
	mt := 0
	for a := range r.Actors {
		mt = max(mt, len(r.Actors[a].Types))
	}
	prof := make([]int, len(r.Actors))
	for t := 0; t < mt; t++ {
		for a := range r.Actors {
			prof[a] = min(t, len(r.Actors[a].Types)-1)
		}
		terms, insec := r.PathTerms(prof)
		x.terms = append(x.terms, terms)
		x.insec = insec
	}
	return x
}

func (x *auditor) termsOf(k, a, t int) model.Terms { return x.terms[t][k][a] }

func holds(m float64) bool { return m >= -model.Tolerance }

// keeps predicts, under complete information along the path, whether actor j
// of type t keeps its side in phase k (model.md §3, "predicting others"), and
// returns the number the prediction rests on.
func (x *auditor) keeps(k, j, t int) (bool, float64) {
	r := x.r
	ty := &r.Actors[j].Types[t]
	tm := x.termsOf(k, j, t)
	switch ty.Disposition {
	case model.Reciprocator:
		return holds(tm.Net()), tm.Net()
	case model.Opportunist:
		return holds(tm.OpportunistMargin()), tm.OpportunistMargin()
	}
	worst := math.Inf(1)
	for _, st := range r.Phases[k].StepsBy[j] {
		worst = min(worst, ty.Symbolic-r.StepCost(st, t, x.insec[k][j]))
	}
	return holds(worst), worst
}

// trust is actor i's prior probability that every counterpart still to move
// in phase k keeps its side: over every counterpart with a move in a
// simultaneous phase, over those after i in a sequential or invited one.
func (x *auditor) trust(k, i int) (float64, []Counterpart) {
	r := x.r
	ph := &r.Phases[k]
	pos := -1
	for n, a := range ph.Order {
		if a == i {
			pos = n
		}
	}
	p := 1.0
	var cps []Counterpart
	for n, j := range ph.Order {
		if j == i || (ph.Sequential && n < pos) {
			continue
		}
		cp := Counterpart{Actor: r.Actors[j].ID}
		for t := range r.Actors[j].Types {
			ok, test := x.keeps(k, j, t)
			b := r.Actors[i].Beliefs[j][t]
			if ok {
				cp.Keep += b
			}
			cp.Types = append(cp.Types, Kept{Type: r.Actors[j].TypeIDs[t], Disposition: r.Actors[j].Types[t].Disposition.String(),
				Belief: b, Keeps: ok, Test: test})
		}
		p *= cp.Keep
		cps = append(cps, cp)
	}
	return p, cps
}

func (x *auditor) profile(prof []int, prob float64) Profile {
	r := x.r
	out := Profile{Probability: prob}
	for a, t := range prof {
		out.Types = append(out.Types, ActorType{Actor: r.Actors[a].ID, Type: r.Actors[a].TypeIDs[t], Disposition: r.Actors[a].Types[t].Disposition.String()})
		w := Whole{Actor: r.Actors[a].ID, Type: r.Actors[a].TypeIDs[t]}
		if len(r.Phases) > 0 {
			w.Value = x.termsOf(0, a, t).Net()
		}
		w.Negative = w.Value < -model.Tolerance
		out.CannotWork = out.CannotWork || w.Negative
		out.Whole = append(out.Whole, w)
	}
	for k := range r.Phases {
		ph := &r.Phases[k]
		pa := Phase{Index: k + 1, Label: ph.Label, Source: ph.Source + 1, Sub: ph.Sub, Subs: ph.Subs, Order: "simultaneous"}
		switch {
		case ph.Invited:
			pa.Order = "invited"
			pa.Initiator = r.Actors[ph.Initiator].ID
		case ph.Sequential:
			pa.Order = "sequential"
		}
		for _, a := range ph.Order {
			row := x.row(k, a, prof[a])
			out.Failures += len(row.Failures)
			pa.Rows = append(pa.Rows, row)
		}
		out.Phases = append(out.Phases, pa)
	}
	return out
}

func (x *auditor) row(k, a, t int) Row {
	r := x.r
	ph := &r.Phases[k]
	ac := &r.Actors[a]
	ty := &ac.Types[t]
	tm := x.termsOf(k, a, t)
	s := x.insec[k][a]
	p, cps := x.trust(k, a)
	tm.P = p
	row := Row{
		Actor: ac.ID, Type: ac.TypeIDs[t], Disposition: ty.Disposition.String(),
		Insecurity: s, Cost: tm.C, CostAtZero: ph.CostBase[a][t], Gain: tm.B, Exposure: tm.L,
		Temptation: tm.C, Continuation: tm.V, Net: tm.Net(), AtStake: tm.G, Detection: tm.D,
		Margin: tm.OpportunistMargin(), CheatValue: tm.CheatValue(),
		PriorTrust: p, ReciprocatorMargin: tm.ReciprocatorMargin(),
		TrustTested: !(ph.Invited && a == ph.Initiator),
		Bound:       ty.Symbolic, MaxStepCost: math.Inf(-1),
		Counterparts: cps,
	}
	if tm.C > 0 {
		row.Reversibility = 1 - tm.L/tm.C
	}
	if th := tm.TrustThreshold(); !math.IsInf(th, 1) {
		row.Threshold = &th
	}
	for _, st := range ph.StepsBy[a] {
		sp := &r.Steps[st]
		c := r.StepCost(st, t, s)
		row.Steps = append(row.Steps, Step{Step: stepName(sp), Move: sp.MoveID, Tranche: sp.Tranche, Of: sp.Of,
			Base: sp.Cost[t], Cost: c, Within: holds(ty.Symbolic - c)})
		if c > row.MaxStepCost {
			row.MaxStepCost, row.MaxStep = c, stepName(sp)
		}
	}
	if len(row.Steps) == 0 {
		row.MaxStepCost = 0
	}
	lc := x.leverCtx(k, a, t, tm)
	switch ty.Disposition {
	case model.Reciprocator:
		switch {
		case !holds(tm.Net()):
			row.Failures = append(row.Failures, Failure{Kind: FailNet,
				Message: fmt.Sprintf("N = b − c + V = %s < 0: the phase is worth less than nothing to %s even if everyone keeps; it declines openly",
					num(tm.Net()), ac.ID),
				Levers: lc.netLevers()})
		case row.TrustTested && !holds(tm.ReciprocatorMargin()):
			row.Failures = append(row.Failures, Failure{Kind: FailTrust,
				Message: fmt.Sprintf("prior trust p = %s < threshold L/(N + L) = %s: %s declines openly%s",
					num(p), num(*row.Threshold), ac.ID, doubts(cps)),
				Levers: lc.trustLevers()})
		}
	case model.Opportunist:
		if !holds(tm.OpportunistMargin()) {
			what := "declines openly (a cheat is worth less than nothing to it)"
			if holds(tm.CheatValue()) {
				what = fmt.Sprintf("cheats covertly (a cheat is worth %s to it)", num(tm.CheatValue()))
			}
			row.Failures = append(row.Failures, Failure{Kind: FailMargin,
				Message: fmt.Sprintf("self-enforcement margin D·(V + G) − c = %s·(%s + %s) − %s = %s < 0: keeping does not pay, %s %s",
					num(tm.D), num(tm.V), num(tm.G), num(tm.C), num(tm.OpportunistMargin()), ac.ID, what),
				Levers: lc.marginLevers()})
		}
	case model.Hardliner:
		for i, st := range ph.StepsBy[a] {
			sr := row.Steps[i]
			if sr.Within {
				continue
			}
			msg := fmt.Sprintf("step %s costs %s > bound %s: %s declines it openly", sr.Step, num(sr.Cost), num(ty.Symbolic), ac.ID)
			if sr.Cost != sr.Base {
				msg = fmt.Sprintf("step %s costs %s = %s·(1 + %s·%s) > bound %s: %s declines it openly",
					sr.Step, num(sr.Cost), num(sr.Base), num(ac.Kappa), num(s), num(ty.Symbolic), ac.ID)
			}
			row.Failures = append(row.Failures, Failure{Kind: FailBound, Step: sr.Step, Message: msg, Levers: lc.boundLevers(st)})
		}
	}
	return row
}

func stepName(x *model.Step) string {
	if x.Of > 1 {
		return fmt.Sprintf("%s[%d/%d]", x.MoveID, x.Tranche, x.Of)
	}
	return x.MoveID
}

// doubts names the counterpart types predicted not to keep.
func doubts(cps []Counterpart) string {
	out := ""
	for _, cp := range cps {
		for _, kt := range cp.Types {
			if kt.Keeps || kt.Belief <= 0 {
				continue
			}
			if out == "" {
				out = "; it doubts "
			} else {
				out += ", "
			}
			out += fmt.Sprintf("%s:%s (belief %s, %s %s)", cp.Actor, kt.Type, num(kt.Belief), testName(kt.Disposition), num(kt.Test))
		}
	}
	return out
}

func testName(disposition string) string {
	switch disposition {
	case "reciprocator":
		return "N"
	case "opportunist":
		return "margin"
	}
	return "bound − cost"
}
