package engine

import "math/rand/v2"

// Source supplies the random events of a history. Bernoulli is asked only for
// probabilities strictly between 0 and 1 (the engine decides the certain
// cases itself), Categorical only for weights with at least two positive
// entries; so an enumerating Source branches exactly on the uncertain events.
type Source interface {
	// Bernoulli reports whether an event of probability p happens.
	Bernoulli(p float64) bool
	// Categorical returns an index drawn with probability proportional to w.
	Categorical(w []float64) int
}

// PCG is the Monte Carlo Source: a PCG-DXSM generator seeded per history.
type PCG struct{ g rand.PCG }

// Seed reseeds the generator for history n of a run with the given master
// seed. The two 64-bit halves of the state are SplitMix64 hashes of the seed
// and of the history number, so neighbouring histories get unrelated streams.
func (p *PCG) Seed(seed uint64, n uint64) {
	p.g.Seed(splitmix(seed^0x9e3779b97f4a7c15), splitmix(n+splitmix(seed)))
}

// Float64 returns a uniform number in [0,1) with 53 random bits.
func (p *PCG) Float64() float64 { return float64(p.g.Uint64()>>11) * 0x1p-53 }

// Bernoulli implements Source.
func (p *PCG) Bernoulli(q float64) bool { return p.Float64() < q }

// Uint64 returns 64 random bits; it seeds the random streams of stochastic
// catalogue strategies (see History.Run).
func (p *PCG) Uint64() uint64 { return p.g.Uint64() }

// seeder is a Source that can also seed other generators.
type seeder interface{ Uint64() uint64 }

// Categorical implements Source.
func (p *PCG) Categorical(w []float64) int {
	tot := 0.0
	for _, x := range w {
		tot += x
	}
	u := p.Float64() * tot
	last := 0
	for i, x := range w {
		if x <= 0 {
			continue
		}
		last = i
		if u < x {
			return i
		}
		u -= x
	}
	return last
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
