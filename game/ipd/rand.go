package ipd

import (
	"math"
	"math/rand/v2"
)

// Rand is a random stream: a PCG-DXSM generator of math/rand/v2. A match
// uses three of them (see [Arena.Play] for the order of the draws).
type Rand struct{ g rand.PCG }

// Seed starts the stream afresh from two 64-bit words.
func (r *Rand) Seed(hi, lo uint64) { r.g.Seed(hi, lo) }

// Float64 returns a uniform number in [0,1) with 53 random bits.
func (r *Rand) Float64() float64 { return float64(r.g.Uint64()>>11) * 0x1p-53 }

// Chance reports whether an event of probability p happens. It draws a
// number only when 0 < p < 1, so certain events leave the stream untouched.
func (r *Rand) Chance(p float64) bool {
	if p <= 0 {
		return false
	}
	if p >= 1 {
		return true
	}
	return r.Float64() < p
}

// geometric draws the number of the last turn of a match that ends after
// each turn with probability p, 0 < p < 1, capped at max: the smallest n ≥ 1
// with U < 1 − (1−p)^n for one uniform U.
func (r *Rand) geometric(p float64, max int) int {
	u := r.Float64()
	n := math.Ceil(math.Log1p(-u) / math.Log1p(-p))
	if !(n >= 1) { // u = 0
		n = 1
	}
	if n > float64(max) {
		return max
	}
	return int(n)
}

// mix is SplitMix64's finaliser: a bijection that scatters nearby inputs.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// MatchSeed is the seed of the match between players i and j (i ≤ j, as
// indices of the lineup) in repetition rep of a tournament seeded with seed.
// It depends on nothing else, so a tournament's results do not depend on how
// its matches are shared among workers.
func MatchSeed(seed uint64, i, j, rep int) uint64 {
	h := mix(seed ^ 0x6a09e667f3bcc909)
	h = mix(h ^ uint64(i))
	h = mix(h ^ uint64(j)<<1)
	return mix(h ^ uint64(rep)<<2)
}

// seedStreams seeds the three streams of a match from its seed: the match's
// own (length and noise), then each player's.
func seedStreams(seed uint64, match, p1, p2 *Rand) {
	base := mix(seed)
	for k, r := range [3]*Rand{match, p1, p2} {
		r.Seed(mix(base+uint64(2*k)), mix(base+uint64(2*k+1)))
	}
}
