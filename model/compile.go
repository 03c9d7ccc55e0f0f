package model

import (
	"fmt"
	"math"
	"slices"

	"github.com/parleyhq/parley/game/ipd"
	"github.com/parleyhq/parley/scenario"
)

// Disposition is a type's decision rule.
type Disposition uint8

// The dispositions of a type.
const (
	Reciprocator Disposition = iota
	Opportunist
	Hardliner
)

func (d Disposition) String() string {
	switch d {
	case Reciprocator:
		return "reciprocator"
	case Opportunist:
		return "opportunist"
	default:
		return "hardliner"
	}
}

// ResponseKind is an actor's policy towards a defection.
type ResponseKind uint8

// The response policies.
const (
	TitForTat ResponseKind = iota
	Grim
	Generous
	Patient
	// StrategyResponse follows a rule of the iterated-game catalogue (model.md §3).
	StrategyResponse
)

func (r ResponseKind) String() string {
	switch r {
	case Grim:
		return "grim"
	case Generous:
		return "generous"
	case Patient:
		return "patient"
	case StrategyResponse:
		return "strategy"
	default:
		return "tit-for-tat"
	}
}

// Actor is an actor with its types resolved to indices.
type Actor struct {
	ID, Label   string
	Discount    float64
	Insecurity  float64 // at the start
	Kappa       float64 // insecurity weight
	Response    ResponseKind
	Forgiveness float64
	Tolerance   int
	Strategy    *ipd.Strategy // the catalogue rule of a strategy response, nil otherwise
	Types       []Type
	Prior       []float64   // by type
	Beliefs     [][]float64 // [other actor][its type]: this actor's prior; nil row for itself
	AnyLasting  bool        // some type has a positive lasting value
	TypeIDs     []string
}

// Type is one private type.
type Type struct {
	ID, Label    string
	Disposition  Disposition
	Symbolic     float64
	LastingValue float64
}

// Step is one tranche of one move.
type Step struct {
	Move        int // index into the scenario's moves
	MoveID      string
	Label       string
	Tranche     int // 1-based
	Of          int // number of tranches of the move
	Mover       int
	Cost        []float64   // by the mover's type: base cost of this tranche
	Benefit     [][]float64 // [actor][type]: benefit of this tranche (0 for the mover)
	Cut         []float64   // [actor]: fraction of insecurity this tranche removes
	Recipient   []bool      // [actor]: named in the move's benefit or security
	SecRelevant bool
	Rev         float64 // reversibility r
	Verif       float64 // verification d
}

// Phase is one phase after tranche expansion.
type Phase struct {
	Label      string
	Source     int // index of the phase in the roadmap file
	Sub, Subs  int // 1-based sub-phase of the source phase, and their number
	Steps      []int
	Sequential bool
	Order      []int   // actors with a step here, in the phase's order (declaration order if simultaneous)
	Pos        []int   // [actor]: its index in Order, or -1
	StepsBy    [][]int // [actor]: its steps here
	Invited    bool
	Initiator  int // -1 unless invited
	Wait       int

	// Precomputed sums with every step of the phase owed, by [actor][type].
	Benefit   [][]float64 // what the actor receives from the others' steps
	CostBase  [][]float64 // cost of its own steps at zero insecurity
	CostSec   [][]float64 // κ × base cost of its security-relevant steps: cost = CostBase + CostSec·s
	LossBase  [][]float64 // (1−r) × cost at zero insecurity
	LossSec   [][]float64
	Tempt     [][]float64 // G: benefits after its move, plus r·b of those received with or before it
	Detect    []float64   // D = 1 − Π(1 − d) over its steps
	CutFactor []float64   // [actor]: Π(1 − cut) over all steps of the phase
	HasMove   []bool
	Party     []bool // has a move here or receives one (benefit or security)
	// Milestones lists the milestones (of the roadmap) with a step in this phase.
	Milestones []int
}

// Milestone is a set of steps.
type Milestone struct {
	ID, Label string
	Steps     []int
	InRoadmap bool // every move of the milestone is in the roadmap
}

// Shock is a compiled shock.
type Shock struct {
	ID, Label   string
	Probability float64
	Target      int
	Insecurity  float64
	Trust       float64
	IsTrust     bool
}

// Roadmap is one roadmap of a scenario compiled for the engine and the audit.
type Roadmap struct {
	Scenario    *scenario.Scenario
	ID, Label   string
	Index       int
	Baseline    bool
	Persistence int
	Actors      []Actor
	Steps       []Step
	Phases      []Phase
	Milestones  []Milestone
	Shocks      []Shock
	Horizon     int
	Stalemate   int
	Noise       float64
	Mis         float64
	Threat      float64
	Lambda      float64 // +Inf for the deterministic rules
	RoundLength string
}

// Limits of the engine, checked by the validator too.
const (
	MaxActors = 16
	MaxTypes  = 16
)

// NumActors returns the number of actors.
func (r *Roadmap) NumActors() int { return len(r.Actors) }

// Compile compiles roadmap id of a validated scenario.
func Compile(s *scenario.Scenario, id string) (*Roadmap, error) {
	ri := s.RoadmapIndex(id)
	if ri < 0 {
		return nil, fmt.Errorf("unknown roadmap %q; the scenario has: %s", id, roadmapList(s))
	}
	return compile(s, ri)
}

// CompileAll compiles every roadmap of a validated scenario, in file order.
func CompileAll(s *scenario.Scenario) ([]*Roadmap, error) {
	out := make([]*Roadmap, len(s.Roadmaps))
	for i := range s.Roadmaps {
		r, err := compile(s, i)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

func roadmapList(s *scenario.Scenario) string {
	out := ""
	for i, r := range s.Roadmaps {
		if i > 0 {
			out += ", "
		}
		out += r.ID
	}
	return out
}

func compile(s *scenario.Scenario, ri int) (*Roadmap, error) {
	rm := &s.Roadmaps[ri]
	env := &s.Environment
	r := &Roadmap{
		Scenario:    s,
		ID:          rm.ID,
		Label:       rm.Label,
		Index:       ri,
		Baseline:    rm.Baseline,
		Persistence: rm.PersistenceOf(),
		Horizon:     env.Horizon,
		Stalemate:   env.StalemateRounds,
		Noise:       env.Noise,
		Mis:         env.Misperception,
		Threat:      env.ThreatResponse,
		Lambda:      float64(env.Rationality),
		RoundLength: env.RoundLength,
	}
	if r.Horizon == 0 {
		r.Horizon = scenario.DefaultHorizon
	}
	if r.Stalemate == 0 {
		r.Stalemate = scenario.DefaultStalemateRounds
	}
	if r.Lambda == 0 {
		r.Lambda = scenario.DefaultRationality
	}
	if r.RoundLength == "" {
		r.RoundLength = scenario.DefaultRoundLength
	}
	na := len(s.Actors)
	if na > MaxActors {
		return nil, fmt.Errorf("%d actors: at most %d are supported", na, MaxActors)
	}
	for ai := range s.Actors {
		a := &s.Actors[ai]
		if len(a.Types) > MaxTypes {
			return nil, fmt.Errorf("actor %q has %d types: at most %d are supported", a.ID, len(a.Types), MaxTypes)
		}
		ca := Actor{ID: a.ID, Label: a.Label, Discount: a.Discount, Insecurity: a.Insecurity, Kappa: a.InsecurityWeight}
		if ca.Label == "" {
			ca.Label = a.ID
		}
		switch a.Response.Kind {
		case scenario.Grim:
			ca.Response = Grim
		case scenario.Generous:
			ca.Response = Generous
			ca.Forgiveness = a.Response.Forgiveness
		case scenario.Patient:
			ca.Response = Patient
			ca.Tolerance = a.Response.Tolerance
		case scenario.Strategy:
			st, err := ipd.Lookup(a.Response.StrategyName)
			if err != nil {
				return nil, fmt.Errorf("actor %q: %w", a.ID, err)
			}
			ca.Response = StrategyResponse
			ca.Strategy = st
		default:
			ca.Response = TitForTat
		}
		for ti := range a.Types {
			t := &a.Types[ti]
			ct := Type{ID: t.ID, Label: t.Label, Symbolic: a.SymbolicOf(t), LastingValue: a.LastingValueOf(t)}
			switch t.Disposition {
			case scenario.Opportunist:
				ct.Disposition = Opportunist
			case scenario.Hardliner:
				ct.Disposition = Hardliner
			default:
				ct.Disposition = Reciprocator
			}
			if ct.LastingValue > 0 {
				ca.AnyLasting = true
			}
			ca.Types = append(ca.Types, ct)
			ca.Prior = append(ca.Prior, t.Prior)
			ca.TypeIDs = append(ca.TypeIDs, t.ID)
		}
		r.Actors = append(r.Actors, ca)
	}
	for ai := range s.Actors {
		a := &s.Actors[ai]
		r.Actors[ai].Beliefs = make([][]float64, na)
		for aj := range s.Actors {
			if aj == ai {
				continue
			}
			b := append([]float64(nil), r.Actors[aj].Prior...)
			if m, ok := a.Beliefs[s.Actors[aj].ID]; ok {
				for tj, t := range s.Actors[aj].Types {
					b[tj] = m[t.ID]
				}
			}
			r.Actors[ai].Beliefs[aj] = b
		}
	}
	for _, sh := range env.Shocks {
		cs := Shock{ID: sh.ID, Label: sh.Label, Probability: sh.Probability, Target: s.ActorIndex(sh.Target)}
		if cs.Label == "" {
			cs.Label = sh.ID
		}
		if sh.Trust != nil {
			cs.IsTrust, cs.Trust = true, *sh.Trust
		}
		if sh.Insecurity != nil {
			cs.Insecurity = *sh.Insecurity
		}
		if cs.Target < 0 {
			return nil, fmt.Errorf("shock %q: unknown target %q", sh.ID, sh.Target)
		}
		r.Shocks = append(r.Shocks, cs)
	}

	stepOf := map[[2]int]int{} // (move, tranche) -> step
	for pi := range rm.Phases {
		ph := &rm.Phases[pi]
		T := 1
		mids := make([]int, len(ph.Moves))
		for i, id := range ph.Moves {
			mi := s.MoveIndex(id)
			if mi < 0 {
				return nil, fmt.Errorf("roadmap %q phase %d: unknown move %q", rm.ID, pi+1, id)
			}
			mids[i] = mi
			if n := s.Moves[mi].TranchesOf(); n > T {
				T = n
			}
		}
		subs := make([][]int, T)
		for _, mi := range mids {
			m := &s.Moves[mi]
			n := m.TranchesOf()
			for j := 1; j <= n; j++ {
				var sub int
				if m.Align == "last" {
					sub = T - (n-j)*T/n
				} else {
					sub = (j-1)*T/n + 1
				}
				st, err := makeStep(s, r, mi, j, n)
				if err != nil {
					return nil, err
				}
				r.Steps = append(r.Steps, st)
				idx := len(r.Steps) - 1
				stepOf[[2]int{mi, j}] = idx
				subs[sub-1] = append(subs[sub-1], idx)
			}
		}
		var seq []int
		if ph.Order == "sequential" {
			for _, id := range ph.Sequence {
				seq = append(seq, s.ActorIndex(id))
			}
		} else {
			for a := 0; a < na; a++ {
				seq = append(seq, a)
			}
		}
		for si, steps := range subs {
			if len(steps) == 0 {
				continue
			}
			cp := Phase{Label: ph.Label, Source: pi, Sub: si + 1, Subs: T, Steps: steps,
				Sequential: ph.Order == "sequential", Invited: ph.Reciprocation == "invited", Initiator: -1, Wait: ph.WaitOf()}
			if cp.Label == "" {
				cp.Label = fmt.Sprintf("phase %d", pi+1)
			}
			cp.StepsBy = make([][]int, na)
			for _, st := range steps {
				m := r.Steps[st].Mover
				cp.StepsBy[m] = append(cp.StepsBy[m], st)
			}
			for _, a := range seq {
				if len(cp.StepsBy[a]) > 0 {
					cp.Order = append(cp.Order, a)
				}
			}
			if cp.Invited {
				if ph.Initiator != "" {
					cp.Initiator = s.ActorIndex(ph.Initiator)
				} else if len(seq) > 0 {
					cp.Initiator = seq[0]
				}
				if cp.Initiator < 0 || len(cp.StepsBy[cp.Initiator]) == 0 {
					// the initiator has no tranche in this sub-phase: the first actor of the order leads it
					cp.Initiator = cp.Order[0]
				}
				// the initiator moves first, the invited follow in the phase's order
				ord := []int{cp.Initiator}
				for _, a := range cp.Order {
					if a != cp.Initiator {
						ord = append(ord, a)
					}
				}
				cp.Order = ord
				cp.Sequential = true
			}
			r.Phases = append(r.Phases, cp)
		}
	}
	for pi := range r.Phases {
		r.precompute(&r.Phases[pi])
	}
	for _, ms := range s.Milestones {
		cm := Milestone{ID: ms.ID, Label: ms.Label, InRoadmap: true}
		if cm.Label == "" {
			cm.Label = ms.ID
		}
		for _, id := range ms.Moves {
			mi := s.MoveIndex(id)
			if mi < 0 {
				return nil, fmt.Errorf("milestone %q: unknown move %q", ms.ID, id)
			}
			n := s.Moves[mi].TranchesOf()
			for j := 1; j <= n; j++ {
				st, ok := stepOf[[2]int{mi, j}]
				if !ok {
					cm.InRoadmap = false
					continue
				}
				cm.Steps = append(cm.Steps, st)
			}
		}
		r.Milestones = append(r.Milestones, cm)
	}
	for k := range r.Phases {
		ph := &r.Phases[k]
		for m := range r.Milestones {
			ms := &r.Milestones[m]
			if !ms.InRoadmap {
				continue
			}
			for _, st := range ms.Steps {
				if slices.Contains(ph.Steps, st) {
					ph.Milestones = append(ph.Milestones, m)
					break
				}
			}
		}
	}
	return r, nil
}

func makeStep(s *scenario.Scenario, r *Roadmap, mi, j, n int) (Step, error) {
	m := &s.Moves[mi]
	by := s.ActorIndex(m.By)
	if by < 0 {
		return Step{}, fmt.Errorf("move %q: unknown actor %q", m.ID, m.By)
	}
	na := len(s.Actors)
	st := Step{Move: mi, MoveID: m.ID, Label: m.Label, Tranche: j, Of: n, Mover: by,
		SecRelevant: m.SecurityRelevant, Rev: m.Reversible, Verif: m.VerificationOf()}
	if st.Label == "" {
		st.Label = m.ID
	}
	fn := float64(n)
	mover := &s.Actors[by]
	st.Cost = make([]float64, len(mover.Types))
	for ti := range mover.Types {
		c := m.Cost
		if v, ok := mover.Types[ti].Costs[m.ID]; ok {
			c = v
		}
		st.Cost[ti] = c / fn
	}
	st.Benefit = make([][]float64, na)
	st.Cut = make([]float64, na)
	st.Recipient = make([]bool, na)
	for a := 0; a < na; a++ {
		act := &s.Actors[a]
		st.Benefit[a] = make([]float64, len(act.Types))
		if a == by {
			continue
		}
		for ti := range act.Types {
			b := m.Benefit[act.ID]
			if v, ok := act.Types[ti].Benefits[m.ID]; ok {
				b = v
			}
			st.Benefit[a][ti] = b / fn
		}
		_, inB := m.Benefit[act.ID]
		_, inS := m.Security[act.ID]
		st.Recipient[a] = inB || inS
		if sec := m.Security[act.ID]; sec > 0 {
			st.Cut[a] = 1 - math.Pow(1-sec, 1/fn)
		}
	}
	return st, nil
}

func grid(r *Roadmap) [][]float64 {
	g := make([][]float64, len(r.Actors))
	for a := range r.Actors {
		g[a] = make([]float64, len(r.Actors[a].Types))
	}
	return g
}

func (r *Roadmap) precompute(p *Phase) {
	na := len(r.Actors)
	p.Benefit, p.CostBase, p.CostSec = grid(r), grid(r), grid(r)
	p.LossBase, p.LossSec, p.Tempt = grid(r), grid(r), grid(r)
	p.Detect = make([]float64, na)
	p.CutFactor = make([]float64, na)
	p.HasMove = make([]bool, na)
	p.Party = make([]bool, na)
	pos := make([]int, na)
	for i := range pos {
		pos[i] = -1
	}
	for k, a := range p.Order {
		pos[a] = k
	}
	p.Pos = pos
	for a := 0; a < na; a++ {
		p.CutFactor[a] = 1
		p.HasMove[a] = len(p.StepsBy[a]) > 0
		p.Party[a] = p.HasMove[a]
		keep := 1.0
		for _, st := range p.StepsBy[a] {
			keep *= 1 - r.Steps[st].Verif
		}
		p.Detect[a] = 1 - keep
	}
	for _, si := range p.Steps {
		st := &r.Steps[si]
		m := st.Mover
		kappa := r.Actors[m].Kappa
		for t := range r.Actors[m].Types {
			c := st.Cost[t]
			p.CostBase[m][t] += c
			p.LossBase[m][t] += (1 - st.Rev) * c
			if st.SecRelevant {
				p.CostSec[m][t] += kappa * c
				p.LossSec[m][t] += (1 - st.Rev) * kappa * c
			}
		}
		for a := 0; a < na; a++ {
			p.CutFactor[a] *= 1 - st.Cut[a]
			if a == m {
				continue
			}
			if st.Cut[a] > 0 || st.Recipient[a] {
				p.Party[a] = true
			}
			for t := range r.Actors[a].Types {
				b := st.Benefit[a][t]
				p.Benefit[a][t] += b
				if !p.HasMove[a] {
					continue
				}
				if p.Sequential && pos[m] > pos[a] {
					p.Tempt[a][t] += b
				} else {
					p.Tempt[a][t] += st.Rev * b
				}
			}
		}
	}
}

// StepCost is the cost to its mover of type t of step st at insecurity s.
func (r *Roadmap) StepCost(st int, t int, s float64) float64 {
	x := &r.Steps[st]
	c := x.Cost[t]
	if x.SecRelevant {
		c *= 1 + r.Actors[x.Mover].Kappa*s
	}
	return c
}

// Terms are actor a's terms in phase p when every step of the phase is owed,
// for type t at insecurity s with continuation value v (P is left at 0).
func (p *Phase) Terms(a, t int, s, v float64) Terms {
	return Terms{
		C: p.CostBase[a][t] + p.CostSec[a][t]*s,
		B: p.Benefit[a][t],
		V: v,
		L: p.LossBase[a][t] + p.LossSec[a][t]*s,
		D: p.Detect[a],
		G: p.Tempt[a][t],
	}
}
