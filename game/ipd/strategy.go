package ipd

// View is what a player sees when it chooses a move: the moves so far, as
// played (after noise), the rules it is told, and its own random stream.
// The arena owns it; a player must not keep its slices beyond a call.
type View struct {
	// Own and Opp are this player's and the opponent's moves so far, turn 1
	// first; len(Own) == len(Opp) is the number of turns played.
	Own, Opp []Action
	// OwnDefections and OppDefections count the D moves in Own and Opp.
	OwnDefections, OppDefections int
	// Length is the number of turns of the match if the players are told
	// it, and 0 if the length is unknown (a per-turn ending probability).
	Length int
	// Payoffs of the game being played.
	Payoffs Payoffs
	// Noise is the probability that an action is flipped.
	Noise float64
	// Rand is this player's own random stream, for stochastic rules.
	Rand *Rand
}

// Turn returns the number of the turn about to be played, 1 for the first.
func (v *View) Turn() int { return len(v.Own) + 1 }

// Remaining returns the number of turns left after the coming one, or -1
// when the length is unknown (then rules about the end never fire).
func (v *View) Remaining() int {
	if v.Length <= 0 {
		return -1
	}
	return v.Length - len(v.Own) - 1
}

// OwnLast returns this player's previous move; call it only after turn 1.
func (v *View) OwnLast() Action { return v.Own[len(v.Own)-1] }

// OppLast returns the opponent's previous move; call it only after turn 1.
func (v *View) OppLast() Action { return v.Opp[len(v.Opp)-1] }

// Player is one copy of a strategy playing matches: it keeps whatever
// state its rule needs. A Player is not safe for concurrent use; a
// tournament gives each worker its own copies.
type Player interface {
	// Reset forgets everything before a new match; v holds no moves yet.
	Reset(v *View)
	// Move returns the move the player intends for turn v.Turn().
	Move(v *View) Action
}

// Unbounded is the memory depth of a rule that may look back any distance.
const Unbounded = -1

// Classifier describes a strategy the way the reference library does.
type Classifier struct {
	// MemoryDepth is how many past turns the rule looks at, or Unbounded.
	MemoryDepth int
	// Stochastic rules draw random numbers.
	Stochastic bool
	// UsesLength rules play differently when they know the match length.
	UsesLength bool
	// UsesPayoffs rules read the game's payoffs.
	UsesPayoffs bool
}

// Strategy is an entry of the catalogue, with its parameters fixed: a rule,
// its description and classifiers, and a way to make players that follow it.
type Strategy struct {
	// Name is how the strategy is looked up and reported, parameters
	// included when given, e.g. "TitForTat", "Random(0.3)".
	Name string
	// Family is the name without parameters, e.g. "Random".
	Family string
	// Description says in one line what the rule does.
	Description string
	Classifier
	newPlayer func() Player
	check     func(Payoffs) error
	memoryOne func(Payoffs) MemoryOneRule // nil unless the rule is memory-one
}

// New returns a fresh player following the strategy.
func (s *Strategy) New() Player { return s.newPlayer() }

// Check reports whether the strategy can play with the given payoffs (a
// rule computed from them, such as an extortioner's, may not exist).
func (s *Strategy) Check(p Payoffs) error {
	if s.check == nil {
		return nil
	}
	return s.check(p)
}

// MemoryOne returns the strategy as a memory-one rule for the given
// payoffs, and false if the rule is not memory-one.
func (s *Strategy) MemoryOne(p Payoffs) (MemoryOneRule, bool) {
	if s.memoryOne == nil {
		return MemoryOneRule{}, false
	}
	return s.memoryOne(p), true
}

// String returns the name.
func (s *Strategy) String() string { return s.Name }

// NewStrategy makes a strategy outside the catalogue, for tournaments of
// rules of one's own: newPlayer must return a fresh player each time.
func NewStrategy(name, description string, c Classifier, newPlayer func() Player) *Strategy {
	return &Strategy{Name: name, Family: name, Description: description, Classifier: c, newPlayer: newPlayer}
}
