package bargain

import (
	"errors"
	"fmt"
	"math"
)

// Alternating is Rubinstein's alternating-offers game over a pie of size 1.
// Party 1 proposes in rounds 1, 3, 5, …, party 2 in rounds 2, 4, …; the
// responder accepts, rejects and proposes in the next round, or — when it
// has an outside option — walks away with it, leaving the proposer 0.
//
// A share x agreed in round t is worth δ^(t−1)·x − c·(1 + δ + … + δ^(t−2))
// to a party with discount factor δ and per-round cost c: each rejected
// round costs c, paid when it happens and discounted like everything else
// (with δ = 1 simply x − (t−1)·c). After a rejection in the last round of a
// finite game both get 0.
type Alternating struct {
	// Delta1 and Delta2 are the discount factors per round, in [0, 1];
	// 1 means no discounting.
	Delta1, Delta2 float64
	// Cost1 and Cost2 are the fixed costs of a rejected round, 0 or more.
	Cost1, Cost2 float64
	// Outside1 and Outside2 are the outside options: what a responder gets
	// by walking away, in [0, 1] with Outside1 + Outside2 ≤ 1.
	Outside1, Outside2 float64
	// Rounds is the last round of a finite game; 0 means no limit.
	Rounds int
}

// MaxRounds bounds Alternating.Rounds.
const MaxRounds = 1_000_000

// Shares is the subgame-perfect outcome of an alternating-offers game.
type Shares struct {
	// Share1 and Share2 are what the parties get: party 1 proposes this
	// split in round 1 and party 2 accepts at once.
	Share1, Share2 float64
	// Unique is false when the game has many equilibria (no discounting
	// and equal costs): party 1's share then ranges from Share1Min to
	// Share1Max, and Share1 is the midpoint. Otherwise both equal Share1.
	Unique               bool
	Share1Min, Share1Max float64
	// Binds1 and Binds2 report whether a party's outside option binds: the
	// party is offered exactly its outside option, which is worth more than
	// rejecting.
	Binds1, Binds2 bool
	// Rounds holds, for a finite game, the proposer's share in the
	// equilibrium of the subgame starting at each round, from round 1 to the
	// last: the backward induction.
	Rounds []RoundShare
}

// RoundShare is the proposer's share in the subgame starting at a round.
type RoundShare struct {
	Round    int
	Proposer int // 1 or 2
	Share    float64
}

// Check reports what is wrong with the game's parameters.
func (g Alternating) Check() error {
	var errs []error
	for i, d := range []float64{g.Delta1, g.Delta2} {
		if !(d >= 0 && d <= 1) {
			errs = append(errs, fmt.Errorf("the discount factor of party %d must be in [0, 1], got %g", i+1, d))
		}
	}
	for i, c := range []float64{g.Cost1, g.Cost2} {
		if !(c >= 0) || math.IsInf(c, 0) {
			errs = append(errs, fmt.Errorf("the per-round cost of party %d must be 0 or more, got %g", i+1, c))
		}
	}
	for i, w := range []float64{g.Outside1, g.Outside2} {
		if !(w >= 0 && w <= 1) {
			errs = append(errs, fmt.Errorf("the outside option of party %d must be in [0, 1], got %g", i+1, w))
		}
	}
	if g.Outside1+g.Outside2 > 1+1e-12 {
		errs = append(errs, fmt.Errorf("the outside options add up to %g, more than the pie: no split is worth more to both than walking away", g.Outside1+g.Outside2))
	}
	if g.Rounds < 0 || g.Rounds > MaxRounds {
		errs = append(errs, fmt.Errorf("the number of rounds must be from 1 to %d, or 0 for no limit; got %d", MaxRounds, g.Rounds))
	}
	return errors.Join(errs...)
}

// Solve returns the subgame-perfect outcome. A finite game is solved by
// backward induction from its last round. An endless one is solved from
// the stationary equations
//
//	x = 1 − max(w2, δ2·y − c2),   y = 1 − max(w1, δ1·x − c1),
//
// where x is party 1's share when it proposes and y party 2's when it
// does: each proposer offers the responder exactly what rejecting or
// walking away is worth to it. With δ1·δ2 < 1 they have one solution
// (without costs and outside options, x = (1 − δ2)/(1 − δ1·δ2)); without
// discounting they can have a range of them, every one an equilibrium
// (Rubinstein's fixed costs: party 1 gets 1 if c1 < c2, c2 if c1 > c2, and
// anything from c to 1 if c1 = c2 = c).
func (g Alternating) Solve() (Shares, error) {
	if err := g.Check(); err != nil {
		return Shares{}, err
	}
	if g.Rounds > 0 {
		return g.backward(), nil
	}
	return g.stationary()
}

// backward solves a finite game by backward induction.
func (g Alternating) backward() Shares {
	d := [3]float64{0, g.Delta1, g.Delta2}
	c := [3]float64{0, g.Cost1, g.Cost2}
	w := [3]float64{0, g.Outside1, g.Outside2}
	rounds := make([]RoundShare, g.Rounds)
	next := 0.0 // the next proposer's share; nothing after the last round
	binds := make([]bool, g.Rounds+1)
	for t := g.Rounds; t >= 1; t-- {
		p := 2 - t%2
		r := 3 - p
		reject := 0.0
		if t < g.Rounds {
			reject = d[r]*next - c[r]
		}
		offer := max(w[r], reject)
		binds[t] = w[r] > 0 && w[r] >= reject
		next = 1 - offer
		rounds[t-1] = RoundShare{Round: t, Proposer: p, Share: next}
	}
	s := Shares{Share1: next, Share2: 1 - next, Unique: true, Share1Min: next, Share1Max: next, Rounds: rounds}
	// Party 2 first responds in round 1, party 1 in round 2.
	s.Binds2 = binds[1]
	s.Binds1 = g.Rounds >= 2 && binds[2]
	return s
}

// stationary solves the endless game's stationary equations exactly, case
// by case: in each, either the outside option or the value of rejecting is
// what the responder must be offered.
func (g Alternating) stationary() (Shares, error) {
	d1, d2, c1, c2, w1, w2 := g.Delta1, g.Delta2, g.Cost1, g.Cost2, g.Outside1, g.Outside2
	const tol = 1e-12
	// f is the right-hand side of x = f(x); every candidate is checked
	// against it, whatever case produced it.
	f := func(x float64) float64 {
		y := 1 - max(w1, d1*x-c1)
		return 1 - max(w2, d2*y-c2)
	}
	consistent := func(x float64) bool {
		return x >= -tol && x <= 1+tol && math.Abs(f(x)-x) <= 1e-9
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	add := func(x float64) {
		x = min(1, max(0, x))
		lo, hi = min(lo, x), max(hi, x)
	}
	// Case 1: both responders reject rather than walk away.
	if den := 1 - d1*d2; den > 0 {
		if x := (1 - d2 + c2 - d2*c1) / den; consistent(x) {
			add(x)
		}
	} else if math.Abs(c2-c1) <= tol {
		// No discounting and equal costs: every x with w1 + c1 ≤ x ≤ 1 − w2
		// solves the equations.
		a, b := max(0, w1+c1), min(1, 1-w2+c1-c2)
		if a <= b+tol && consistent(a) && consistent(b) {
			add(a)
			add(b)
		}
	}
	// Case 2: party 1 walks away rather than reject; party 2 rejects.
	if x := 1 - d2*(1-w1) + c2; consistent(x) {
		add(x)
	}
	// Case 3: party 2 walks away rather than reject; party 1 rejects.
	if x := 1 - w2; consistent(x) {
		add(x)
	}
	// Case 4, both would walk away, gives the same x as case 3.
	if lo > hi {
		return Shares{}, fmt.Errorf("no stationary equilibrium found for %+v; please report", g)
	}
	s := Shares{Share1Min: lo, Share1Max: hi, Unique: hi-lo <= 1e-9}
	s.Share1 = (lo + hi) / 2
	if s.Unique {
		s.Share1, s.Share1Max = lo, lo
	}
	s.Share2 = 1 - s.Share1
	if s.Unique {
		x := s.Share1
		y := 1 - max(w1, d1*x-c1)
		s.Binds1 = w1 > 0 && w1 >= d1*x-c1-tol
		s.Binds2 = w2 > 0 && w2 >= d2*y-c2-tol
	}
	return s, nil
}

// RubinsteinShare returns party 1's subgame-perfect share of the endless
// game without costs or outside options, (1 − δ2)/(1 − δ1·δ2); the shares
// are undetermined, and it returns an error, when neither party discounts.
func RubinsteinShare(delta1, delta2 float64) (float64, error) {
	s, err := Alternating{Delta1: delta1, Delta2: delta2}.Solve()
	if err != nil {
		return 0, err
	}
	if !s.Unique {
		return 0, errors.New("without discounting every split is an equilibrium")
	}
	return s.Share1, nil
}
