package smp

import (
	"fmt"
	"strings"

	"github.com/parleyhq/parley/forecast"
)

// The enumerations below carry KTAB's names, which are also how files and
// the command line choose them.

// VictoryProb turns the strengths of two coalitions into the probability
// that the first wins (KTAB's VictoryProbModel).
type VictoryProb int

const (
	Linear        VictoryProb = iota // p = a/(a+b) (default)
	Square                           // p = a²/(a²+b²)
	Quartic                          // fourth powers
	Octic                            // eighth powers
	BinaryVictory                    // certain from a 10% advantage, linear in between
)

// PCE is the model of a probabilistic Condorcet election: the probability
// that each option wins a contest among several (KTAB's PCEModel).
type PCE int

const (
	Conditional     PCE = iota // p_a ∝ Π_b P(a beats b) (default)
	MarkovIncentive            // Markov chain over the favourite, challengers weighted by incentive
	MarkovUniform              // Markov chain over the favourite, challengers uniform
)

// Transitions says how each actor's bargain is picked from its queue
// (KTAB's StateTransitions).
type Transitions int

const (
	Deterministic Transitions = iota // the most probable bargain (default)
	Stochastic                       // drawn with its probability, from the seeded generator
)

// VotingRule turns an actor's utility difference between two options into
// a vote.
type VotingRule int

const (
	BinaryVote   VotingRule = iota // the sign, with a 1e-8 linear ramp
	PropBin                        // 0.8 proportional + 0.2 binary
	Proportional                   // proportional to the difference (default)
	PropCbc                        // 0.5 proportional + 0.5 cubic
	Cubic                          // the cube of the difference
	ASymProsp                      // proportional, gains scaled by 2/3
)

// RiskAdjust says how actor h estimates actor i's risk attitude from its
// own (KTAB's BigRAdjust).
type RiskAdjust int

const (
	AdjustNone      RiskAdjust = iota // h assumes i shares h's attitude
	AdjustOneThird                    // (2 R_h + R_i)/3 (default)
	AdjustHalf                        // (R_h + R_i)/2
	AdjustTwoThirds                   // (R_h + 2 R_i)/3
	AdjustFull                        // R_i, known exactly
)

// RiskRange is the range of inferred risk attitudes (KTAB's BigRRange).
type RiskRange int

const (
	RangeMin RiskRange = iota // [0, 1]
	RangeMid                  // [-1/2, 1] (default)
	RangeMax                  // [-1, 1]
)

// ThirdParty says how committed a third party expects to be to the side it
// joins in a challenge (KTAB's ThirdPartyCommit).
type ThirdParty int

const (
	NoCommit   ThirdParty = iota
	SemiCommit            // default
	FullCommit
)

// Interpolation weighs the two parties' positions in a bargain, dimension
// by dimension (KTAB's InterVecBrgn).
type Interpolation int

const (
	S1P1   Interpolation = iota // weights s·p
	S2P2                        // weights s²·p² (default)
	S2PMax                      // concessions from the difference of probabilities
)

// BargainModel says which bargains a challenge puts on the table (KTAB's
// BargnModel).
type BargainModel int

const (
	InitOnlyInterp BargainModel = iota // the initiator's interpolation, for both (default)
	InitRcvrInterp                     // the initiator's and the receiver's interpolations
	PWCompInterp                       // their power-weighted compromise
)

// names lists KTAB's names of each option's values, in value order.
var names = map[string][]string{
	"VictoryProbModel": {"Linear", "Square", "Quartic", "Octic", "Binary"},
	"PCEModel":         {"Conditional", "MarkovIncentive", "MarkovUniform"},
	"StateTransitions": {"Deterministic", "Stochastic"},
	"VotingRule":       {"Binary", "PropBin", "Prop", "PropCbc", "Cubic", "ASymProsp"},
	"BigRAdjust":       {"None", "OneThird", "Half", "TwoThirds", "Full"},
	"BigRRange":        {"Min", "Mid", "Max"},
	"ThirdPartyCommit": {"NoCommit", "SemiCommit", "FullCommit"},
	"InterVecBrgn":     {"S1P1", "S2P2", "S2PMax"},
	"BargnModel":       {"InitOnlyInterp", "InitRcvrInterp", "PWCompInterp"},
}

// ParameterNames lists KTAB's model parameters in the order KTAB prints them.
var ParameterNames = []string{"VictoryProbModel", "VotingRule", "PCEModel", "StateTransitions",
	"BigRRange", "BigRAdjust", "ThirdPartyCommit", "InterVecBrgn", "BargnModel"}

// Options are the choices of the model. The zero value is not useful; start
// from [Defaults].
type Options struct {
	VictoryProb   VictoryProb
	PCE           PCE
	Transitions   Transitions
	VotingRule    VotingRule
	RiskAdjust    RiskAdjust
	RiskRange     RiskRange
	ThirdParty    ThirdParty
	Interpolation Interpolation
	BargainModel  BargainModel

	// MinTurns and MaxTurns bound the number of turns (KTAB: 2 and 100).
	MinTurns, MaxTurns int
	// StopRatio ends the run once the positions move, in one turn, less
	// than this fraction of how far they moved in the first turn (KTAB:
	// 0.02). The distance between two states is the sum over actors of the
	// Euclidean distance between their positions, on the 0-1 scale; the
	// first turn's distance has 1e-4 added to it.
	StopRatio float64
	// Seed drives the stochastic transitions; nothing else is random.
	Seed uint64
	// Trace records every challenge, bargain and choice of every turn.
	Trace bool

	// choose, when set, replaces the transitions: in turn t actor k takes
	// the option it returns among its queue, given as (initiator,
	// receiver) pairs ((k, k) for keeping its position) with their
	// probabilities. The tests replay KTAB's stochastic runs with it.
	choose func(turn, actor int, queue [][2]int, probs []float64) int
}

// DefaultSeed is KTAB's default seed.
const DefaultSeed uint64 = 15455440707583219804

// Defaults returns KTAB's default options: Linear, Conditional,
// Deterministic, Prop, OneThird, Mid, SemiCommit, S2P2, InitOnlyInterp,
// between 2 and 100 turns, stop ratio 0.02, KTAB's seed.
func Defaults() Options {
	return Options{
		VictoryProb: Linear, PCE: Conditional, Transitions: Deterministic, VotingRule: Proportional,
		RiskAdjust: AdjustOneThird, RiskRange: RangeMid, ThirdParty: SemiCommit,
		Interpolation: S2P2, BargainModel: InitOnlyInterp,
		MinTurns: 2, MaxTurns: 100, StopRatio: 0.02, Seed: DefaultSeed,
	}
}

// field returns a pointer to the option KTAB calls param.
func (o *Options) field(param string) *int {
	switch param {
	case "VictoryProbModel":
		return (*int)(&o.VictoryProb)
	case "PCEModel":
		return (*int)(&o.PCE)
	case "StateTransitions":
		return (*int)(&o.Transitions)
	case "VotingRule":
		return (*int)(&o.VotingRule)
	case "BigRAdjust":
		return (*int)(&o.RiskAdjust)
	case "BigRRange":
		return (*int)(&o.RiskRange)
	case "ThirdPartyCommit":
		return (*int)(&o.ThirdParty)
	case "InterVecBrgn":
		return (*int)(&o.Interpolation)
	case "BargnModel":
		return (*int)(&o.BargainModel)
	}
	return nil
}

// Set sets the option KTAB calls param (such as "VotingRule") to the value
// KTAB calls value (such as "PropCbc"); both are matched without regard to
// case.
func (o *Options) Set(param, value string) error {
	var key string
	for _, p := range ParameterNames {
		if strings.EqualFold(p, param) {
			key = p
		}
	}
	if key == "" {
		return fmt.Errorf("unknown SMP parameter %q; the parameters are %s", param, strings.Join(ParameterNames, ", "))
	}
	for i, n := range names[key] {
		if strings.EqualFold(n, value) {
			*o.field(key) = i
			return nil
		}
	}
	return fmt.Errorf("unknown value %q for %s; use one of %s", value, key, strings.Join(names[key], ", "))
}

// Get returns KTAB's name of the value of param.
func (o *Options) Get(param string) string {
	p := o.field(param)
	if p == nil || *p < 0 || *p >= len(names[param]) {
		return "?"
	}
	return names[param][*p]
}

// Values returns KTAB's names of the values param can take.
func Values(param string) []string { return names[param] }

// check reports options out of range.
func (o *Options) check() error {
	for _, p := range ParameterNames {
		v := *o.field(p)
		if v < 0 || v >= len(names[p]) {
			return fmt.Errorf("SMP option %s has no value number %d", p, v)
		}
	}
	if o.MinTurns < 1 || o.MaxTurns < o.MinTurns {
		return fmt.Errorf("SMP turns: need 1 <= MinTurns <= MaxTurns, got %d and %d", o.MinTurns, o.MaxTurns)
	}
	if !(o.StopRatio >= 0) {
		return fmt.Errorf("SMP stop ratio must be 0 or more, got %g", o.StopRatio)
	}
	return nil
}

// FromInput returns [Defaults] changed by the model parameters and the seed
// a KTAB XML input names.
func FromInput(in *forecast.Input) (Options, error) {
	o := Defaults()
	for _, p := range ParameterNames {
		if v, ok := in.SMP[p]; ok {
			if err := o.Set(p, v); err != nil {
				return o, err
			}
		}
	}
	if in.Seed != 0 {
		o.Seed = in.Seed
	}
	return o, nil
}
