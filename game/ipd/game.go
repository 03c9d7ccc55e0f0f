package ipd

import (
	"fmt"
	"math"
	"strconv"
)

// Payoffs are the four payoffs of a symmetric 2×2 game: R to each player
// when both cooperate, P when both defect, and T to a defector against a
// cooperator, who gets S.
type Payoffs struct {
	R, S, T, P float64
}

// DefaultPayoffs are the payoffs of Axelrod's tournaments: R=3, S=0, T=5, P=1.
var DefaultPayoffs = Payoffs{R: 3, S: 0, T: 5, P: 1}

// Score returns the payoffs of a turn in which one player played own and
// the other opp: the first player's, then the second's.
func (p Payoffs) Score(own, opp Action) (float64, float64) {
	return p.table()[state(own, opp)], p.table()[state(opp, own)]
}

// table returns the payoff to the first player of each outcome, indexed by [state].
func (p Payoffs) table() [4]float64 { return [4]float64{p.R, p.S, p.T, p.P} }

// IsDilemma reports whether the payoffs make a prisoner's dilemma in which
// mutual cooperation beats taking turns at exploiting each other:
// T > R > P > S and 2R > T + S.
func (p Payoffs) IsDilemma() bool {
	return p.T > p.R && p.R > p.P && p.P > p.S && 2*p.R > p.T+p.S
}

// check reports non-finite payoffs always, and payoffs that do not make a
// prisoner's dilemma unless allowAny.
func (p Payoffs) check(allowAny bool) error {
	for _, f := range []struct {
		name string
		v    float64
	}{{"R", p.R}, {"S", p.S}, {"T", p.T}, {"P", p.P}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			return &FieldError{Field: "payoffs." + f.name, Msg: "must be a finite number, got " + fmtNum(f.v)}
		}
	}
	if allowAny {
		return nil
	}
	if !(p.T > p.R && p.R > p.P && p.P > p.S) {
		return &FieldError{Field: "payoffs", Msg: fmt.Sprintf(
			"need T > R > P > S for a prisoner's dilemma, got T=%s R=%s P=%s S=%s (allow any game explicitly to play it anyway)",
			fmtNum(p.T), fmtNum(p.R), fmtNum(p.P), fmtNum(p.S))}
	}
	if !(2*p.R > p.T+p.S) {
		return &FieldError{Field: "payoffs", Msg: fmt.Sprintf(
			"need 2R > T + S, so that mutual cooperation beats alternating exploitation, got 2R=%s and T+S=%s (allow any game explicitly to play it anyway)",
			fmtNum(2*p.R), fmtNum(p.T+p.S))}
	}
	return nil
}

// String writes the payoffs as "R=3 S=0 T=5 P=1".
func (p Payoffs) String() string {
	return "R=" + fmtNum(p.R) + " S=" + fmtNum(p.S) + " T=" + fmtNum(p.T) + " P=" + fmtNum(p.P)
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// MaxTurns bounds the length of a match: a fixed length may not exceed it,
// and a length drawn with a per-turn ending probability is cut there.
const MaxTurns = 10_000_000

// Rules say how a match is played.
type Rules struct {
	// Payoffs of one turn; the zero value means [DefaultPayoffs].
	Payoffs Payoffs
	// AllowAnyPayoffs accepts payoffs that do not make a prisoner's
	// dilemma (see [Payoffs.IsDilemma]).
	AllowAnyPayoffs bool
	// Turns is the length of a match when ProbEnd is 0; the players are
	// told it. With ProbEnd > 0 it is an upper bound on the drawn length
	// (0: none but MaxTurns), and the players are told the length is unknown.
	Turns int
	// ProbEnd is the probability that the match ends after any given turn
	// (0: fixed length). The length is then drawn before the first turn:
	// turn n is the last with probability ProbEnd·(1−ProbEnd)^(n−1).
	ProbEnd float64
	// Noise is the probability that each action is flipped after the
	// player chose it; both players see the flipped actions.
	Noise float64
}

// payoffs returns the payoffs in force: the default ones for the zero value.
func (r *Rules) payoffs() Payoffs {
	if r.Payoffs == (Payoffs{}) {
		return DefaultPayoffs
	}
	return r.Payoffs
}

// LengthKnown reports whether the players are told the length of the match.
func (r *Rules) LengthKnown() bool { return r.ProbEnd == 0 }

// Validate checks the rules and returns a *FieldError naming the first bad field.
func (r *Rules) Validate() error {
	if err := r.payoffs().check(r.AllowAnyPayoffs); err != nil {
		return err
	}
	if !(r.ProbEnd >= 0 && r.ProbEnd <= 1) {
		return &FieldError{Field: "prob_end", Msg: "must be a probability between 0 and 1, got " + fmtNum(r.ProbEnd)}
	}
	if !(r.Noise >= 0 && r.Noise <= 1) {
		return &FieldError{Field: "noise", Msg: "must be a probability between 0 and 1, got " + fmtNum(r.Noise)}
	}
	if r.ProbEnd == 0 && r.Turns < 1 {
		return &FieldError{Field: "turns", Msg: fmt.Sprintf("must be at least 1, got %d", r.Turns)}
	}
	if r.Turns < 0 {
		return &FieldError{Field: "turns", Msg: fmt.Sprintf("must be 0 (no bound) or more, got %d", r.Turns)}
	}
	if r.Turns > MaxTurns {
		return &FieldError{Field: "turns", Msg: fmt.Sprintf("must be at most %d, got %d", MaxTurns, r.Turns)}
	}
	return nil
}

// FieldError is a bad value, named by its field path.
type FieldError struct {
	Field string // e.g. "noise", "payoffs", "players[2]"
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }
