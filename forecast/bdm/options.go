package bdm

import (
	"fmt"
	"strconv"
	"strings"
)

// Reference is the reference point μ of the utilities of a better or worse
// status quo.
type Reference string

const (
	RefMedian Reference = "median" // the weighted median position, as Scholz et al. describe it (default)
	RefMean   Reference = "mean"   // the capability×salience weighted mean, as Masad's replication uses
)

// Probability is the formula of P_ij, the probability that i prevails over
// j. Each actor k votes v_k = c_k s_k (|x_k - x_j| - |x_k - x_i|)/d.
type Probability string

const (
	// ProbShare: the positive votes over the sum of all |v_k| (default).
	ProbShare Probability = "share"
	// ProbNet: max(0, Σ v_k) over Σ |v_k| (Masad's replication).
	ProbNet Probability = "net"
	// ProbGlobal: the positive votes over the sum of |votes| of every
	// triple of actors (Scholz et al.'s code as read by McKibben); the
	// probabilities come out very small.
	ProbGlobal Probability = "global"
)

// Votes is how far apart an actor sees two positions when it votes.
type Votes string

const (
	VotesLinear Votes = "linear" // |x_k - x| / d (default)
	VotesRisk   Votes = "risk"   // (|x_k - x| / d)^r_k, curved by the voter's risk exponent (McKibben)
)

// Perspective says whose risk exponent values a challenge.
type Perspective string

const (
	// PerspectiveOwner: EU_ij is always valued with the challenger i's
	// exponent, whoever looks at it (default; Masad).
	PerspectiveOwner Perspective = "owner"
	// PerspectiveEvaluator: the actor judging a proposal values both
	// directions with its own exponent (McKibben, following Scholz's code).
	PerspectiveEvaluator Perspective = "evaluator"
)

// Accept says which of the proposals it receives an actor acts on.
type Accept string

const (
	// AcceptSmallestMove: the proposal that moves it least (the text of
	// Bueno de Mesquita and of Scholz et al.; default). Proposals that
	// would not move it are ignored; ties go to the lower actor index.
	AcceptSmallestMove Accept = "smallest-move"
	// AcceptHighestEU: the proposal whose sender expects most from it, the
	// closest among equals, acted on even when it leads to no move
	// (Masad).
	AcceptHighestEU Accept = "highest-eu"
	// AcceptByKind: conflicts first (smallest move), then compromises
	// (lowest EU-weighted position), then capitulations (smallest move),
	// as in Scholz et al.'s code read by McKibben.
	AcceptByKind Accept = "by-kind"
)

// Range says which range of positions scales distances.
type Range string

const (
	RangeRound   Range = "round"   // the range of the positions at the start of each round (default)
	RangeInitial Range = "initial" // the range of the starting positions, throughout (both replications)
)

// Options are the model's choices. Start from [Defaults].
type Options struct {
	Reference   Reference
	Probability Probability
	Votes       Votes
	Perspective Perspective
	Accept      Accept
	Range       Range
	// Q is the probability that nothing changes absent a challenge; T the
	// probability that a change, if any, favours the challenger. Scholz et
	// al. use 1 and 1, so the "better" and "worse" utilities drop out.
	Q, T float64
	// MaxRounds caps the rounds (default 20); the run stops earlier when
	// no position moves by more than Epsilon times the starting range in
	// a round (default 1e-6).
	MaxRounds int
	Epsilon   float64
	// Dimension is the index of the input dimension to model.
	Dimension int
}

// Defaults returns the documented defaults.
func Defaults() Options {
	return Options{Reference: RefMedian, Probability: ProbShare, Votes: VotesLinear, Perspective: PerspectiveOwner,
		Accept: AcceptSmallestMove, Range: RangeRound, Q: 1, T: 1, MaxRounds: 20, Epsilon: 1e-6}
}

// OptionNames lists the option names [Options.Set] knows with their values.
var OptionNames = []struct {
	Name   string
	Values []string
}{
	{"reference", []string{string(RefMedian), string(RefMean)}},
	{"probability", []string{string(ProbShare), string(ProbNet), string(ProbGlobal)}},
	{"votes", []string{string(VotesLinear), string(VotesRisk)}},
	{"perspective", []string{string(PerspectiveOwner), string(PerspectiveEvaluator)}},
	{"accept", []string{string(AcceptSmallestMove), string(AcceptHighestEU), string(AcceptByKind)}},
	{"range", []string{string(RangeRound), string(RangeInitial)}},
}

// Set sets a named option to a value, as the command line gives them:
// ("accept", "highest-eu"), ("q", "0.9"), ("max-rounds", "50"),
// ("epsilon", "1e-4").
func (o *Options) Set(name, value string) error {
	name, value = strings.ToLower(strings.TrimSpace(name)), strings.ToLower(strings.TrimSpace(value))
	switch name {
	case "q", "t", "epsilon":
		x, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return fmt.Errorf("%s wants a number, got %q", name, value)
		}
		switch name {
		case "q":
			o.Q = x
		case "t":
			o.T = x
		default:
			o.Epsilon = x
		}
		return nil
	case "max-rounds":
		n, err := strconv.Atoi(value)
		if err != nil {
			return fmt.Errorf("max-rounds wants a whole number, got %q", value)
		}
		o.MaxRounds = n
		return nil
	}
	for _, on := range OptionNames {
		if on.Name != name {
			continue
		}
		for _, v := range on.Values {
			if v == value {
				switch name {
				case "reference":
					o.Reference = Reference(v)
				case "probability":
					o.Probability = Probability(v)
				case "votes":
					o.Votes = Votes(v)
				case "perspective":
					o.Perspective = Perspective(v)
				case "accept":
					o.Accept = Accept(v)
				case "range":
					o.Range = Range(v)
				}
				return nil
			}
		}
		return fmt.Errorf("unknown value %q for %s; use one of %s", value, name, strings.Join(on.Values, ", "))
	}
	names := make([]string, len(OptionNames))
	for i, on := range OptionNames {
		names[i] = on.Name
	}
	return fmt.Errorf("unknown BDM option %q; the options are %s, q, t, max-rounds and epsilon", name, strings.Join(names, ", "))
}

// String lists the options as name=value pairs.
func (o Options) String() string {
	return fmt.Sprintf("reference=%s probability=%s votes=%s perspective=%s accept=%s range=%s Q=%g T=%g",
		o.Reference, o.Probability, o.Votes, o.Perspective, o.Accept, o.Range, o.Q, o.T)
}

// Check reports options out of range.
func (o *Options) Check() error { return o.check() }

func (o *Options) check() error {
	for _, c := range []struct {
		name, v string
	}{{"reference", string(o.Reference)}, {"probability", string(o.Probability)}, {"votes", string(o.Votes)},
		{"perspective", string(o.Perspective)}, {"accept", string(o.Accept)}, {"range", string(o.Range)}} {
		if err := (&Options{}).Set(c.name, c.v); err != nil {
			return err
		}
	}
	if !(o.Q >= 0 && o.Q <= 1) || !(o.T >= 0 && o.T <= 1) {
		return fmt.Errorf("Q and T are probabilities, got %g and %g", o.Q, o.T)
	}
	if o.MaxRounds < 1 {
		return fmt.Errorf("MaxRounds must be at least 1, got %d", o.MaxRounds)
	}
	if !(o.Epsilon >= 0) {
		return fmt.Errorf("Epsilon must be 0 or more, got %g", o.Epsilon)
	}
	return nil
}

// Presets are option sets that reproduce the two open replications of the
// model (see docs/forecasting.md): "masad" (D. Masad's, 2014) and
// "mckibben" (J. McKibben's, 2014, which follows Scholz et al.'s code;
// its test for a capitulation can never hold, and parley's reproduction
// assumes the evident intent, |EU_ji| > EU_ij). Both scale distances by the
// starting range.
var Presets = map[string]Options{
	"default": Defaults(),
	"masad": func() Options {
		o := Defaults()
		o.Reference, o.Probability, o.Accept, o.Range = RefMean, ProbNet, AcceptHighestEU, RangeInitial
		return o
	}(),
	"mckibben": func() Options {
		o := Defaults()
		o.Probability, o.Votes, o.Perspective, o.Accept, o.Range = ProbGlobal, VotesRisk, PerspectiveEvaluator, AcceptByKind, RangeInitial
		return o
	}(),
}
