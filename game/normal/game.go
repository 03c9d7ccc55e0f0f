package normal

import (
	"errors"
	"fmt"
	"math/big"
)

// Player is one player of a game in strategic form: a name and the names of
// its pure strategies, in order.
type Player struct {
	Name       string
	Strategies []string
}

// Outcome is a named vector of payoffs, one per player, that several
// strategy profiles may share (Gambit's "outcome version" of .nfg files).
type Outcome struct {
	Name    string
	Payoffs []*big.Rat
}

// Game is a finite game in strategic form with exact rational payoffs.
//
// Strategy profiles are numbered as in Gambit's files: profile 0 has every
// player on its first strategy, and player 1's strategy changes fastest,
// then player 2's, and so on (see [Game.Index] and [Game.Profile]).
type Game struct {
	// Title and Comment are free text carried through reading and writing.
	Title, Comment string
	// Players lists the players in order; each has at least one strategy.
	Players []Player
	// Payoffs[k][i] is player i's payoff at profile k. It always holds the
	// payoffs, also when the game is given by outcomes.
	Payoffs [][]*big.Rat
	// Outcomes, when not nil, says that the payoffs come from outcomes:
	// profile k has outcome ProfileOutcomes[k], counting from 1, or the null
	// outcome (every payoff 0) when that is 0. [WriteNFG] then writes the
	// outcome version of the format.
	Outcomes        []Outcome
	ProfileOutcomes []int
}

// ErrTooLarge is returned for a game with more strategy profiles than this
// package is willing to hold in memory ([MaxProfiles]).
var ErrTooLarge = errors.New("game too large")

// MaxProfiles bounds the number of strategy profiles of a game that is read
// or built.
const MaxProfiles = 1 << 24

// New returns a game with the given players whose payoffs are all zero.
func New(title string, players []Player) (*Game, error) {
	g := &Game{Title: title, Players: players}
	n, err := countProfiles(g.Shape())
	if err != nil {
		return nil, err
	}
	g.Payoffs = make([][]*big.Rat, n)
	for k := range g.Payoffs {
		row := make([]*big.Rat, len(players))
		for i := range row {
			row[i] = new(big.Rat)
		}
		g.Payoffs[k] = row
	}
	return g, nil
}

// Bimatrix returns the two-player game with payoff matrices a (to the row
// player) and b (to the column player), both m×n, with strategies named
// 1..m and 1..n.
func Bimatrix(title string, a, b [][]*big.Rat) (*Game, error) {
	m := len(a)
	if m == 0 || len(b) != m || len(a[0]) == 0 {
		return nil, errors.New("bimatrix game: the matrices must be non-empty and of the same size")
	}
	n := len(a[0])
	for i := range m {
		if len(a[i]) != n || len(b[i]) != n {
			return nil, errors.New("bimatrix game: the matrices must be rectangular and of the same size")
		}
	}
	g, err := New(title, []Player{
		{Name: "1", Strategies: numberedNames(m)},
		{Name: "2", Strategies: numberedNames(n)},
	})
	if err != nil {
		return nil, err
	}
	for i := range m {
		for j := range n {
			k := i + m*j
			g.Payoffs[k][0].Set(a[i][j])
			g.Payoffs[k][1].Set(b[i][j])
		}
	}
	return g, nil
}

// numberedNames returns "1", "2", ..., "n".
func numberedNames(n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprint(i + 1)
	}
	return s
}

// countProfiles multiplies the numbers of strategies, refusing games with no
// player, a player without strategies, or more than MaxProfiles profiles.
func countProfiles(shape []int) (int, error) {
	if len(shape) == 0 {
		return 0, errors.New("a game needs at least one player")
	}
	n := 1
	for i, s := range shape {
		if s < 1 {
			return 0, fmt.Errorf("player %d has no strategies; every player needs at least one", i+1)
		}
		if n > MaxProfiles/s {
			return 0, fmt.Errorf("%w: more than %d strategy profiles", ErrTooLarge, MaxProfiles)
		}
		n *= s
	}
	return n, nil
}

// NumPlayers returns the number of players.
func (g *Game) NumPlayers() int { return len(g.Players) }

// Shape returns the number of strategies of each player.
func (g *Game) Shape() []int {
	s := make([]int, len(g.Players))
	for i, p := range g.Players {
		s[i] = len(p.Strategies)
	}
	return s
}

// NumProfiles returns the number of pure strategy profiles.
func (g *Game) NumProfiles() int {
	n := 1
	for _, p := range g.Players {
		n *= len(p.Strategies)
	}
	return n
}

// Index returns the number of a pure strategy profile (one strategy index per
// player, counting from 0) in the order of [Game.Payoffs].
func (g *Game) Index(profile []int) int {
	k, stride := 0, 1
	for i, p := range g.Players {
		k += profile[i] * stride
		stride *= len(p.Strategies)
	}
	return k
}

// Profile returns the pure strategy profile numbered k; it is the inverse of
// [Game.Index].
func (g *Game) Profile(k int) []int {
	s := make([]int, len(g.Players))
	for i, p := range g.Players {
		n := len(p.Strategies)
		s[i] = k % n
		k /= n
	}
	return s
}

// Payoff returns player i's payoff at a pure strategy profile. The result
// belongs to the game: copy it before changing it.
func (g *Game) Payoff(profile []int, i int) *big.Rat {
	return g.Payoffs[g.Index(profile)][i]
}

// Check reports the first inconsistency in g's dimensions: players without
// strategies, a payoff table of the wrong size, missing payoffs, or outcome
// numbers out of range. Games returned by this package always pass it.
func (g *Game) Check() error {
	n, err := countProfiles(g.Shape())
	if err != nil {
		return err
	}
	if len(g.Payoffs) != n {
		return fmt.Errorf("the game has %d payoff vectors for %d strategy profiles", len(g.Payoffs), n)
	}
	for k, v := range g.Payoffs {
		if len(v) != len(g.Players) {
			return fmt.Errorf("profile %d has %d payoffs for %d players", k+1, len(v), len(g.Players))
		}
		for i, x := range v {
			if x == nil {
				return fmt.Errorf("profile %d has no payoff for player %d", k+1, i+1)
			}
		}
	}
	if g.Outcomes == nil {
		return nil
	}
	if len(g.ProfileOutcomes) != n {
		return fmt.Errorf("the game has %d outcome numbers for %d strategy profiles", len(g.ProfileOutcomes), n)
	}
	for j, o := range g.Outcomes {
		if len(o.Payoffs) != len(g.Players) {
			return fmt.Errorf("outcome %d has %d payoffs for %d players", j+1, len(o.Payoffs), len(g.Players))
		}
		for i, x := range o.Payoffs {
			if x == nil {
				return fmt.Errorf("outcome %d has no payoff for player %d", j+1, i+1)
			}
		}
	}
	for k, o := range g.ProfileOutcomes {
		if o < 0 || o > len(g.Outcomes) {
			return fmt.Errorf("profile %d has outcome %d; outcomes are numbered 1 to %d, or 0 for none", k+1, o, len(g.Outcomes))
		}
		for i, x := range g.Payoffs[k] {
			want := new(big.Rat)
			if o > 0 {
				want = g.Outcomes[o-1].Payoffs[i]
			}
			if x.Cmp(want) != 0 {
				return fmt.Errorf("profile %d: player %d's payoff %s differs from its outcome's %s", k+1, i+1, x.RatString(), want.RatString())
			}
		}
	}
	return nil
}

// Clone returns a deep copy of g.
func (g *Game) Clone() *Game {
	c := &Game{Title: g.Title, Comment: g.Comment}
	c.Players = make([]Player, len(g.Players))
	for i, p := range g.Players {
		c.Players[i] = Player{Name: p.Name, Strategies: append([]string(nil), p.Strategies...)}
	}
	c.Payoffs = make([][]*big.Rat, len(g.Payoffs))
	for k, v := range g.Payoffs {
		c.Payoffs[k] = cloneRats(v)
	}
	if g.Outcomes != nil {
		c.Outcomes = make([]Outcome, len(g.Outcomes))
		for j, o := range g.Outcomes {
			c.Outcomes[j] = Outcome{Name: o.Name, Payoffs: cloneRats(o.Payoffs)}
		}
		c.ProfileOutcomes = append([]int(nil), g.ProfileOutcomes...)
	}
	return c
}

func cloneRats(v []*big.Rat) []*big.Rat {
	c := make([]*big.Rat, len(v))
	for i, x := range v {
		c[i] = new(big.Rat).Set(x)
	}
	return c
}

// matrices returns the payoff matrices of a two-player game: a[i][j] and
// b[i][j] are the payoffs to players 1 and 2 when 1 plays i and 2 plays j.
func (g *Game) matrices() (a, b [][]*big.Rat, err error) {
	if len(g.Players) != 2 {
		return nil, nil, fmt.Errorf("%w: the game has %d players", ErrNotTwoPlayer, len(g.Players))
	}
	m, n := len(g.Players[0].Strategies), len(g.Players[1].Strategies)
	a, b = make([][]*big.Rat, m), make([][]*big.Rat, m)
	for i := range m {
		a[i], b[i] = make([]*big.Rat, n), make([]*big.Rat, n)
		for j := range n {
			v := g.Payoffs[i+m*j]
			a[i][j], b[i][j] = v[0], v[1]
		}
	}
	return a, b, nil
}

// ErrNotTwoPlayer is returned by the methods that solve two-player games
// only, when given a game with another number of players.
var ErrNotTwoPlayer = errors.New("the method needs a two-player game")
