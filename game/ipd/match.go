package ipd

import "fmt"

// Outcome sums up one match.
type Outcome struct {
	// Turns is the number of turns played.
	Turns int
	// Scores are the two players' total payoffs.
	Scores [2]float64
	// Cooperations count each player's C moves (after noise).
	Cooperations [2]int
}

// Winner returns 0 or 1 for the player with the strictly larger score, -1 for a tie.
func (o Outcome) Winner() int {
	switch {
	case o.Scores[0] > o.Scores[1]:
		return 0
	case o.Scores[1] > o.Scores[0]:
		return 1
	}
	return -1
}

// Arena plays matches under fixed rules. It keeps its buffers from one
// match to the next, so that in steady state playing a match allocates
// nothing. An Arena is not safe for concurrent use.
type Arena struct {
	rules      Rules
	table      [4]float64
	moves      [2][]Action
	views      [2]View
	match, r1  Rand
	r2         Rand
	hideLength bool // tests: play Turns turns without telling the players
}

// NewArena returns an arena for the rules, or the rules' validation error.
func NewArena(rules Rules) (*Arena, error) {
	if err := rules.Validate(); err != nil {
		return nil, err
	}
	rules.Payoffs = rules.payoffs()
	a := &Arena{rules: rules, table: rules.Payoffs.table()}
	if rules.LengthKnown() {
		a.grow(rules.Turns)
	}
	return a, nil
}

// Rules returns the arena's rules, with the payoffs in force filled in.
func (a *Arena) Rules() Rules { return a.rules }

func (a *Arena) grow(n int) {
	if cap(a.moves[0]) < n {
		a.moves[0] = make([]Action, 0, n)
		a.moves[1] = make([]Action, 0, n)
	}
}

// Play plays one match between p1 and p2, seeded with seed, and returns
// its outcome; [Arena.Moves] then holds the moves. Each match draws from
// three streams made from the seed: the match's own, then one per player.
// The draws come in this order:
//
//  1. With a per-turn ending probability 0 < ProbEnd < 1, one number from
//     the match's stream fixes the length before turn 1 (inverse transform
//     of the geometric law; the length is cut at Turns, if set, or
//     MaxTurns).
//  2. Each turn, player 1 then player 2 chooses a move, drawing from its
//     own stream whatever its rule needs (deterministic rules draw nothing;
//     a probability of 0 or 1 draws nothing).
//  3. Then, when 0 < Noise < 1, one number from the match's stream decides
//     whether player 1's move is flipped, then one whether player 2's is.
//     Noise 1 flips every move without drawing.
//
// p1 and p2 must be distinct values unless they are stateless.
func (a *Arena) Play(p1, p2 Player, seed uint64) Outcome {
	r := &a.rules
	seedStreams(seed, &a.match, &a.r1, &a.r2)
	n, known := r.Turns, r.LengthKnown()
	if !known {
		limit := MaxTurns
		if r.Turns > 0 {
			limit = r.Turns
		}
		if r.ProbEnd >= 1 {
			n = 1
		} else {
			n = a.match.geometric(r.ProbEnd, limit)
		}
		a.grow(n)
	}
	m1, m2 := a.moves[0][:0], a.moves[1][:0]
	v1, v2 := &a.views[0], &a.views[1]
	*v1 = View{Payoffs: r.Payoffs, Noise: r.Noise, Rand: &a.r1}
	if known && !a.hideLength {
		v1.Length = n
	}
	*v2 = *v1
	v2.Rand = &a.r2
	p1.Reset(v1)
	p2.Reset(v2)

	noise := r.Noise
	var out Outcome
	for t := 0; t < n; t++ {
		x := p1.Move(v1)
		y := p2.Move(v2)
		if noise > 0 {
			if a.match.Chance(noise) {
				x ^= 1
			}
			if a.match.Chance(noise) {
				y ^= 1
			}
		}
		m1 = append(m1, x)
		m2 = append(m2, y)
		out.Scores[0] += a.table[x<<1|y]
		out.Scores[1] += a.table[y<<1|x]
		v1.OwnDefections += int(x)
		v1.OppDefections += int(y)
		v1.Own, v1.Opp = m1, m2
		v2.Own, v2.Opp = m2, m1
		v2.OwnDefections, v2.OppDefections = v1.OppDefections, v1.OwnDefections
	}
	a.moves[0], a.moves[1] = m1, m2
	out.Turns = n
	out.Cooperations = [2]int{n - v1.OwnDefections, n - v1.OppDefections}
	return out
}

// Moves returns the moves of the last match played, player 1's then
// player 2's, turn 1 first. They are overwritten by the next match.
func (a *Arena) Moves() (p1, p2 []Action) { return a.moves[0], a.moves[1] }

// MatchResult is one match with its moves.
type MatchResult struct {
	Players [2]*Strategy
	Rules   Rules
	Seed    uint64
	Outcome
	// Moves are both players' moves after noise, turn 1 first.
	Moves [2][]Action
}

// PlayMatch plays one match between two strategies. The rules are
// validated, and so is each strategy against the payoffs.
func PlayMatch(s1, s2 *Strategy, rules Rules, seed uint64) (*MatchResult, error) {
	a, err := NewArena(rules)
	if err != nil {
		return nil, err
	}
	for i, s := range [2]*Strategy{s1, s2} {
		if err := s.Check(a.rules.Payoffs); err != nil {
			return nil, &FieldError{Field: fmt.Sprintf("players[%d]", i), Msg: s.Name + ": " + err.Error()}
		}
	}
	o := a.Play(s1.New(), s2.New(), seed)
	x, y := a.Moves()
	return &MatchResult{
		Players: [2]*Strategy{s1, s2}, Rules: a.rules, Seed: seed, Outcome: o,
		Moves: [2][]Action{append([]Action(nil), x...), append([]Action(nil), y...)},
	}, nil
}
