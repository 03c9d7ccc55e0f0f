package scenario

import "math"

// Scenario is one negotiation: who takes part, what each can do, and the
// roadmaps that order those moves. It is the parsed form of a scenario file;
// [Load] fills the defaults documented on each field and [Validate] checks it.
type Scenario struct {
	// Name is a short identifier (letters, digits, '-', '_').
	Name string `yaml:"name" json:"name"`
	// Title is a one-line human title for reports.
	Title string `yaml:"title,omitempty" json:"title,omitempty"`
	// Description says what the scenario models and where its numbers come from.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Environment holds the rules of the game that no actor controls.
	Environment Environment `yaml:"environment,omitempty" json:"environment,omitempty"`
	// Actors are the parties, in declaration order (this order breaks ties).
	Actors []Actor `yaml:"actors" json:"actors"`
	// Moves are everything any actor could deliver.
	Moves []Move `yaml:"moves" json:"moves"`
	// Roadmaps order the moves; they are what a comparison compares.
	Roadmaps []Roadmap `yaml:"roadmaps" json:"roadmaps"`
	// Milestones are named sets of moves whose completion is reported.
	Milestones []Milestone `yaml:"milestones,omitempty" json:"milestones,omitempty"`
}

// Environment holds the horizon, the clock and the sources of randomness
// shared by every actor.
type Environment struct {
	// Horizon is the number of rounds a history may last (default 40).
	Horizon int `yaml:"horizon,omitempty" json:"horizon,omitempty"`
	// RoundLength is what one round stands for, for reports only (default "1 round"), e.g. "1 month".
	RoundLength string `yaml:"round_length,omitempty" json:"round_length,omitempty"`
	// Noise ε is the probability that an intended delivery fails openly (default 0).
	Noise float64 `yaml:"noise,omitempty" json:"noise,omitempty"`
	// Misperception μ is the per-round probability that an observer misses a delivered move (default 0).
	Misperception float64 `yaml:"misperception,omitempty" json:"misperception,omitempty"`
	// ThreatResponse η: an observed defection raises the observer's insecurity s to s + η(1 − s) (default 0).
	ThreatResponse float64 `yaml:"threat_response,omitempty" json:"threat_response,omitempty"`
	// Rationality λ of the logistic decision rule (default 20); "inf" gives the deterministic rules.
	Rationality Rationality `yaml:"rationality,omitempty" json:"rationality,omitempty"`
	// StalemateRounds is how many rounds in a row without progress end the talks (default 4).
	StalemateRounds int `yaml:"stalemate_rounds,omitempty" json:"stalemate_rounds,omitempty"`
	// Shocks are public random events drawn at the start of every round.
	Shocks []Shock `yaml:"shocks,omitempty" json:"shocks,omitempty"`
}

// Rationality is the precision λ of the logistic choice rule; +Inf (written
// "inf" in a file) selects the deterministic rules.
type Rationality float64

// Inf reports whether the deterministic rules apply.
func (r Rationality) Inf() bool { return math.IsInf(float64(r), 1) }

// Shock is a public random event: each round it happens with Probability and
// either raises the target's insecurity or cuts the others' trust in it.
// Exactly one of Insecurity and Trust is set.
type Shock struct {
	ID          string  `yaml:"id" json:"id"`
	Label       string  `yaml:"label,omitempty" json:"label,omitempty"`
	Probability float64 `yaml:"probability" json:"probability"`
	// Target is the id of the actor the shock is about.
	Target string `yaml:"target" json:"target"`
	// Insecurity x: the target's insecurity s becomes s + x(1 − s).
	Insecurity *float64 `yaml:"insecurity,omitempty" json:"insecurity,omitempty"`
	// Trust x: every observer's belief that the target is a reciprocator is scaled by (1 − x).
	Trust *float64 `yaml:"trust,omitempty" json:"trust,omitempty"`
}

// Actor is a party to the negotiation.
type Actor struct {
	ID    string `yaml:"id" json:"id"`
	Label string `yaml:"label,omitempty" json:"label,omitempty"`
	// Types are the private types the actor may be; each history draws one from the priors.
	Types []Type `yaml:"types" json:"types"`
	// Discount δ ∈ (0,1] per round.
	Discount float64 `yaml:"discount" json:"discount"`
	// Insecurity s ∈ [0,1] at the start (common knowledge).
	Insecurity float64 `yaml:"insecurity,omitempty" json:"insecurity,omitempty"`
	// InsecurityWeight κ ≥ 0: security-relevant moves cost (1 + κ·s) times their base cost.
	InsecurityWeight float64 `yaml:"insecurity_weight,omitempty" json:"insecurity_weight,omitempty"`
	// Symbolic is the largest cost of one move a hardliner pays (default 0.5).
	Symbolic *float64 `yaml:"symbolic,omitempty" json:"symbolic,omitempty"`
	// Response to a counterpart's defection (default tit-for-tat).
	Response Response `yaml:"response,omitempty" json:"response,omitempty"`
	// Beliefs maps another actor's id to this actor's prior over that actor's
	// type ids; an actor left out is believed to follow its true priors.
	Beliefs map[string]map[string]float64 `yaml:"beliefs,omitempty" json:"beliefs,omitempty"`
	// LastingValue ≥ 0 is the value per round of the normalised relationship once the roadmap is truly complete.
	LastingValue float64 `yaml:"lasting_value,omitempty" json:"lasting_value,omitempty"`
}

// Disposition is how a type decides: reciprocator, opportunist or hardliner.
type Disposition string

// The dispositions of model.md §1.
const (
	Reciprocator Disposition = "reciprocator"
	Opportunist  Disposition = "opportunist"
	Hardliner    Disposition = "hardliner"
)

// Type is one private type of an actor, with optional overrides of the
// actor's costs, benefits and bounds.
type Type struct {
	ID          string      `yaml:"id" json:"id"`
	Label       string      `yaml:"label,omitempty" json:"label,omitempty"`
	Prior       float64     `yaml:"prior" json:"prior"`
	Disposition Disposition `yaml:"disposition" json:"disposition"`
	// Symbolic overrides the actor's hardliner bound for this type.
	Symbolic *float64 `yaml:"symbolic,omitempty" json:"symbolic,omitempty"`
	// LastingValue overrides the actor's lasting value for this type.
	LastingValue *float64 `yaml:"lasting_value,omitempty" json:"lasting_value,omitempty"`
	// Costs maps the id of a move by this actor to the cost this type pays for it (whole move, all tranches).
	Costs map[string]float64 `yaml:"costs,omitempty" json:"costs,omitempty"`
	// Benefits maps the id of a move by another actor to the benefit this type receives from it.
	Benefits map[string]float64 `yaml:"benefits,omitempty" json:"benefits,omitempty"`
}

// ResponseKind names a response policy of model.md §4.
type ResponseKind string

// The response policies.
const (
	Grim      ResponseKind = "grim"
	TitForTat ResponseKind = "tit-for-tat"
	Generous  ResponseKind = "generous"
	Patient   ResponseKind = "patient"
	// Strategy follows a rule of the iterated-game catalogue (package game/ipd).
	Strategy ResponseKind = "strategy"
)

// Response is an actor's policy towards a counterpart's defection. In a file
// it is either a bare name (grim, tit-for-tat, generous, patient) or a mapping
// with a parameter: {generous: 0.3}, {patient: 2}, or {strategy: NAME} for a
// rule of the iterated-game catalogue (`parley strategies` lists them).
type Response struct {
	Kind ResponseKind `json:"kind"`
	// Forgiveness g of generous: the probability of ignoring a defection (default 0.3).
	Forgiveness float64 `json:"forgiveness,omitempty"`
	// Tolerance k of patient: defections ignored before walking away (default 2).
	Tolerance int `json:"tolerance,omitempty"`
	// StrategyName is the catalogue rule of a strategy response, e.g. "GTFT" or "Random(0.3)".
	StrategyName string `json:"strategy,omitempty"`
}

// Move is something one actor can deliver to the others.
type Move struct {
	ID    string `yaml:"id" json:"id"`
	Label string `yaml:"label,omitempty" json:"label,omitempty"`
	// By is the id of the actor that makes the move.
	By string `yaml:"by" json:"by"`
	// Cost ≥ 0 to the mover (whole move, before the insecurity multiplier).
	Cost float64 `yaml:"cost" json:"cost"`
	// Benefit maps a recipient's id to the value ≥ 0 it receives.
	Benefit map[string]float64 `yaml:"benefit,omitempty" json:"benefit,omitempty"`
	// Security maps a recipient's id to the fraction ∈ [0,1] by which the move cuts its insecurity.
	Security map[string]float64 `yaml:"security,omitempty" json:"security,omitempty"`
	// SecurityRelevant marks moves that give up weapons: their cost is inflated by the mover's insecurity.
	SecurityRelevant bool `yaml:"security_relevant,omitempty" json:"security_relevant,omitempty"`
	// Reversible r ∈ [0,1]: the share of cost and benefit taken back on withdrawal.
	Reversible float64 `yaml:"reversible,omitempty" json:"reversible,omitempty"`
	// Verification d ∈ [0,1]: probability that a cheat on it is detected (default 1).
	Verification *float64 `yaml:"verification,omitempty" json:"verification,omitempty"`
	// Tranches n ≥ 1: the move is delivered in n equal steps (default 1).
	Tranches *int `yaml:"tranches,omitempty" json:"tranches,omitempty"`
	// Align places the tranches of the move in a phase: "first" (default) or "last".
	Align string   `yaml:"align,omitempty" json:"align,omitempty"`
	Tags  []string `yaml:"tags,omitempty" json:"tags,omitempty"`
}

// Roadmap is an ordered list of phases.
type Roadmap struct {
	ID          string `yaml:"id" json:"id"`
	Label       string `yaml:"label,omitempty" json:"label,omitempty"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Baseline marks a roadmap with no phases (the status quo): it runs to the horizon.
	Baseline bool `yaml:"baseline,omitempty" json:"baseline,omitempty"`
	// Persistence is how many consecutive unanswered invitations end the talks (default 3).
	Persistence *int    `yaml:"persistence,omitempty" json:"persistence,omitempty"`
	Phases      []Phase `yaml:"phases,omitempty" json:"phases,omitempty"`
}

// Phase is a set of moves exchanged together.
type Phase struct {
	Label string   `yaml:"label,omitempty" json:"label,omitempty"`
	Moves []string `yaml:"moves" json:"moves"`
	// Order is "simultaneous" (default) or "sequential".
	Order string `yaml:"order,omitempty" json:"order,omitempty"`
	// Sequence lists the actors in the order they move in a sequential phase.
	Sequence []string `yaml:"sequence,omitempty" json:"sequence,omitempty"`
	// Reciprocation is "required" (default) or "invited" (GRIT).
	Reciprocation string `yaml:"reciprocation,omitempty" json:"reciprocation,omitempty"`
	// Initiator of an invited phase (default: the first actor of its order).
	Initiator string `yaml:"initiator,omitempty" json:"initiator,omitempty"`
	// Wait is how many rounds an invited phase waits for reciprocation (default 2).
	Wait *int `yaml:"wait,omitempty" json:"wait,omitempty"`
}

// Milestone is a named set of moves.
type Milestone struct {
	ID    string   `yaml:"id" json:"id"`
	Label string   `yaml:"label,omitempty" json:"label,omitempty"`
	Moves []string `yaml:"moves" json:"moves"`
}

// Defaults of the optional fields.
const (
	DefaultHorizon         = 40
	DefaultRationality     = 20
	DefaultStalemateRounds = 4
	DefaultSymbolic        = 0.5
	DefaultForgiveness     = 0.3
	DefaultTolerance       = 2
	DefaultWait            = 2
	DefaultPersistence     = 3
	DefaultVerification    = 1.0
	DefaultTranches        = 1
	DefaultRoundLength     = "1 round"
)

// SymbolicOf returns the hardliner bound of type t of actor a.
func (a *Actor) SymbolicOf(t *Type) float64 {
	if t != nil && t.Symbolic != nil {
		return *t.Symbolic
	}
	if a.Symbolic != nil {
		return *a.Symbolic
	}
	return DefaultSymbolic
}

// LastingValueOf returns the lasting value of type t of actor a.
func (a *Actor) LastingValueOf(t *Type) float64 {
	if t != nil && t.LastingValue != nil {
		return *t.LastingValue
	}
	return a.LastingValue
}

// VerificationOf returns the move's detection probability.
func (m *Move) VerificationOf() float64 {
	if m.Verification != nil {
		return *m.Verification
	}
	return DefaultVerification
}

// TranchesOf returns the move's number of tranches.
func (m *Move) TranchesOf() int {
	if m.Tranches != nil {
		return *m.Tranches
	}
	return DefaultTranches
}

// WaitOf returns how long an invited phase waits.
func (p *Phase) WaitOf() int {
	if p.Wait != nil {
		return *p.Wait
	}
	return DefaultWait
}

// PersistenceOf returns the roadmap's persistence.
func (r *Roadmap) PersistenceOf() int {
	if r.Persistence != nil {
		return *r.Persistence
	}
	return DefaultPersistence
}

// ActorIndex returns the index of the actor with the given id, or -1.
func (s *Scenario) ActorIndex(id string) int {
	for i := range s.Actors {
		if s.Actors[i].ID == id {
			return i
		}
	}
	return -1
}

// MoveIndex returns the index of the move with the given id, or -1.
func (s *Scenario) MoveIndex(id string) int {
	for i := range s.Moves {
		if s.Moves[i].ID == id {
			return i
		}
	}
	return -1
}

// RoadmapIndex returns the index of the roadmap with the given id, or -1.
func (s *Scenario) RoadmapIndex(id string) int {
	for i := range s.Roadmaps {
		if s.Roadmaps[i].ID == id {
			return i
		}
	}
	return -1
}

// TypeIndex returns the index of the type with the given id, or -1.
func (a *Actor) TypeIndex(id string) int {
	for i := range a.Types {
		if a.Types[i].ID == id {
			return i
		}
	}
	return -1
}
