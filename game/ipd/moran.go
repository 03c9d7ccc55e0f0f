package ipd

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"
)

// MoranMode is the order of the two events of a round of a Moran process.
type MoranMode int

const (
	// BirthDeath draws the parent first, in proportion to fitness among
	// all the individuals, then the one that dies, uniformly among all of
	// them, the parent included (the reference library's default, "bd").
	BirthDeath MoranMode = iota
	// DeathBirth draws the one that dies first, uniformly, then the
	// parent among the others, in proportion to their fitness in a round
	// played without the dead one ("db").
	DeathBirth
)

// String returns "bd" or "db", as the reference library names the modes.
func (m MoranMode) String() string {
	if m == DeathBirth {
		return "db"
	}
	return "bd"
}

// DefaultMoranRounds bounds a Moran process whose MaxRounds is 0.
const DefaultMoranRounds = 10_000

// Moran is a Moran process on a finite population of strategies, with the
// conventions of the reference library's MoranProcess on a complete graph:
//
//   - In each round every two individuals play one match; an individual's
//     score is the sum, over all the others, of its score per turn.
//   - Its fitness is its score (or Fitness of it). One individual is chosen
//     to reproduce with probability proportional to fitness, and one to die
//     uniformly at random (see [MoranMode] for the order); the offspring
//     takes the place of the dead.
//   - With mutation rate μ the offspring is, with probability μ, of another
//     type of the initial population, each with the same probability;
//     otherwise it is of its parent's type.
//   - Types are told apart by their strategy's name.
//   - The process stops when one type has taken over (fixation), unless it
//     mutates and KeepGoing is set, or after MaxRounds rounds.
type Moran struct {
	// Population lists the individuals' strategies, at least 2.
	Population []*Strategy
	// Rules of every match.
	Rules Rules
	// Mutation is the probability μ that an offspring mutates.
	Mutation float64
	// Mode is the order of birth and death.
	Mode MoranMode
	// Fitness maps a score to a fitness, which must be finite and not
	// negative, e.g. 1 − w + w·score for selection intensity w; nil keeps
	// the score. Without it the payoffs may not be negative.
	Fitness func(score float64) float64
	// MaxRounds bounds the number of rounds (0: DefaultMoranRounds).
	MaxRounds int
	// KeepGoing keeps a mutating process running after a fixation, until
	// MaxRounds.
	KeepGoing bool
	// Seed of every random draw: the matches of round r between
	// individuals i < j are seeded with MatchSeed(s, i, j, r) for a seed s
	// made from Seed, and the births, deaths and mutations draw from one
	// stream made from Seed.
	Seed uint64
}

// MoranResult is the history of one Moran process.
type MoranResult struct {
	// Types are the distinct strategies of the initial population, in the
	// order they first appear.
	Types []*Strategy
	// Counts[r][k] is the number of individuals of type k after round r;
	// Counts[0] is the initial population.
	Counts [][]int
	// Rounds is the number of rounds played, len(Counts) − 1.
	Rounds int
	// Fixated reports whether the population ended with a single type, and
	// Winner is that type's index in Types (−1 otherwise).
	Fixated bool
	Winner  int
	// Seed is the seed of the process.
	Seed uint64
}

// Shares returns the population over time as shares of the population:
// Shares()[r][k] is the share of type k after round r.
func (r *MoranResult) Shares() [][]float64 {
	out := make([][]float64, len(r.Counts))
	for i, c := range r.Counts {
		n := 0
		for _, v := range c {
			n += v
		}
		out[i] = make([]float64, len(c))
		for k, v := range c {
			out[i][k] = float64(v) / float64(n)
		}
	}
	return out
}

// moranSetup is what every run of a process shares: the types, the
// individuals' types, and the scores per turn of the deterministic pairs.
type moranSetup struct {
	types   []*Strategy
	initial []int // type of each individual
	rules   Rules
	// fixed[a][b] is type a's score per turn against type b when their
	// match cannot vary (noise 0, fixed length, deterministic rules).
	fixed    [][]float64
	isFixed  [][]bool
	maxRound int
}

func (m *Moran) validate() error {
	if err := m.Rules.Validate(); err != nil {
		return err
	}
	if len(m.Population) < 2 {
		return &FieldError{Field: "population", Msg: fmt.Sprintf("a Moran process needs at least 2 individuals, got %d", len(m.Population))}
	}
	pay := m.Rules.payoffs()
	for i, s := range m.Population {
		if s == nil {
			return &FieldError{Field: fmt.Sprintf("population[%d]", i), Msg: "missing strategy"}
		}
		if err := s.Check(pay); err != nil {
			return &FieldError{Field: fmt.Sprintf("population[%d]", i), Msg: s.Name + ": " + err.Error()}
		}
	}
	if !(m.Mutation >= 0 && m.Mutation <= 1) {
		return &FieldError{Field: "mutation", Msg: "must be a probability between 0 and 1, got " + fmtNum(m.Mutation)}
	}
	if m.Mode != BirthDeath && m.Mode != DeathBirth {
		return &FieldError{Field: "mode", Msg: fmt.Sprintf("must be BirthDeath or DeathBirth, got %d", m.Mode)}
	}
	if m.MaxRounds < 0 {
		return &FieldError{Field: "max_rounds", Msg: fmt.Sprintf("must be 0 (the default %d) or more, got %d", DefaultMoranRounds, m.MaxRounds)}
	}
	if m.Fitness == nil && min(pay.R, pay.S, pay.T, pay.P) < 0 {
		return &FieldError{Field: "payoffs", Msg: "the parent is drawn in proportion to its score, so the payoffs may not be negative (shift them, or give a fitness function)"}
	}
	return nil
}

// setup validates the process and plays the matches that cannot vary.
func (m *Moran) setup() (*moranSetup, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	st := &moranSetup{rules: m.Rules, maxRound: m.MaxRounds}
	if st.maxRound == 0 {
		st.maxRound = DefaultMoranRounds
	}
	st.rules.Payoffs = st.rules.payoffs()
	byName := map[string]int{}
	for _, s := range m.Population {
		k, ok := byName[s.Name]
		if !ok {
			k = len(st.types)
			byName[s.Name] = k
			st.types = append(st.types, s)
		}
		st.initial = append(st.initial, k)
	}
	if m.Mutation > 0 && len(st.types) < 2 {
		return nil, &FieldError{Field: "mutation", Msg: "a mutant takes another type of the initial population, and there is only one"}
	}
	n := len(st.types)
	st.fixed = make([][]float64, n)
	st.isFixed = make([][]bool, n)
	arena, err := NewArena(st.rules)
	if err != nil {
		return nil, err
	}
	for a := range n {
		st.fixed[a] = make([]float64, n)
		st.isFixed[a] = make([]bool, n)
		for b := range n {
			ta, tb := st.types[a], st.types[b]
			if st.rules.Noise == 0 && st.rules.LengthKnown() && !ta.Stochastic && !tb.Stochastic {
				o := arena.Play(ta.New(), tb.New(), 0)
				st.fixed[a][b] = o.Scores[0] / float64(o.Turns)
				st.isFixed[a][b] = true
			}
		}
	}
	return st, nil
}

// moranDomain separates the seeds of a Moran process from a tournament's.
const moranDomain = 0x3c6ef372fe94f82b

// moranRun is one process: its population, its streams and its buffers.
type moranRun struct {
	m       *Moran
	st      *moranSetup
	arena   *Arena
	left    []Player // one player per type and seat
	right   []Player
	pop     []int // type of each individual
	score   []float64
	rng     Rand
	matchSd uint64
}

func (m *Moran) newRun(st *moranSetup, seed uint64) *moranRun {
	r := &moranRun{m: m, st: st, pop: append([]int(nil), st.initial...), score: make([]float64, len(st.initial)),
		left: make([]Player, len(st.types)), right: make([]Player, len(st.types))}
	r.arena, _ = NewArena(st.rules) // validated
	r.rng.Seed(mix(seed^moranDomain), mix(seed+moranDomain))
	r.matchSd = mix(mix(seed) ^ moranDomain)
	return r
}

// play scores round rnd: every two individuals other than skip play.
func (r *moranRun) play(rnd, skip int) {
	clear(r.score)
	st := r.st
	for i, a := range r.pop {
		if i == skip {
			continue
		}
		for j := i + 1; j < len(r.pop); j++ {
			if j == skip {
				continue
			}
			b := r.pop[j]
			if st.isFixed[a][b] {
				r.score[i] += st.fixed[a][b]
				r.score[j] += st.fixed[b][a]
				continue
			}
			if r.left[a] == nil {
				r.left[a] = st.types[a].New()
			}
			if r.right[b] == nil {
				r.right[b] = st.types[b].New()
			}
			o := r.arena.Play(r.left[a], r.right[b], MatchSeed(r.matchSd, i, j, rnd))
			r.score[i] += o.Scores[0] / float64(o.Turns)
			r.score[j] += o.Scores[1] / float64(o.Turns)
		}
	}
}

// parent draws an individual other than skip in proportion to fitness
// (uniformly when every fitness is 0).
func (r *moranRun) parent(skip int) (int, error) {
	total := 0.0
	for i, s := range r.score {
		if i == skip {
			continue
		}
		f := s
		if r.m.Fitness != nil {
			f = r.m.Fitness(s)
		}
		if !(f >= 0) || math.IsInf(f, 0) {
			return 0, fmt.Errorf("the fitness of a score of %s is %s; it must be finite and not negative", fmtNum(s), fmtNum(f))
		}
		r.score[i] = f
		total += f
	}
	if total == 0 {
		n := len(r.pop)
		if skip >= 0 {
			n--
		}
		k := r.rng.intN(n)
		if skip >= 0 && k >= skip {
			k++
		}
		return k, nil
	}
	x := r.rng.Float64() * total
	last := -1
	for i, f := range r.score {
		if i == skip || f == 0 {
			continue
		}
		last = i
		if x < f {
			return i, nil
		}
		x -= f
	}
	return last, nil // rounding
}

// offspring returns the type of a child of an individual of type t.
func (r *moranRun) offspring(t int) int {
	mu := r.m.Mutation
	if mu > 0 && r.rng.Chance(mu) {
		k := r.rng.intN(len(r.st.types) - 1)
		if k >= t {
			k++
		}
		return k
	}
	return t
}

// run plays the process; counts, when not nil, records the population
// after every round.
func (r *moranRun) run(ctx context.Context, counts *[][]int) (rounds, winner int, err error) {
	nt := len(r.st.types)
	cur := make([]int, nt)
	for _, t := range r.pop {
		cur[t]++
	}
	record := func() {
		if counts != nil {
			*counts = append(*counts, append([]int(nil), cur...))
		}
	}
	record()
	stopAtFixation := r.m.Mutation == 0 || !r.m.KeepGoing
	fixed := func() int {
		for t, c := range cur {
			if c == len(r.pop) {
				return t
			}
		}
		return -1
	}
	for rnd := 0; rnd < r.st.maxRound; rnd++ {
		if w := fixed(); w >= 0 && stopAtFixation {
			return rnd, w, nil
		}
		if rnd&63 == 0 && ctx.Err() != nil {
			return rnd, -1, ctx.Err()
		}
		var birth, death int
		if r.m.Mode == DeathBirth {
			death = r.rng.intN(len(r.pop))
			r.play(rnd, death)
			if birth, err = r.parent(death); err != nil {
				return rnd, -1, err
			}
		} else {
			r.play(rnd, -1)
			if birth, err = r.parent(-1); err != nil {
				return rnd, -1, err
			}
			death = r.rng.intN(len(r.pop))
		}
		child := r.offspring(r.pop[birth])
		cur[r.pop[death]]--
		cur[child]++
		r.pop[death] = child
		record()
	}
	return r.st.maxRound, fixed(), nil
}

// Run plays the process once. Cancelling ctx stops it with ctx's error.
func (m *Moran) Run(ctx context.Context) (*MoranResult, error) {
	st, err := m.setup()
	if err != nil {
		return nil, err
	}
	res := &MoranResult{Types: st.types, Seed: m.Seed}
	rounds, w, err := m.newRun(st, m.Seed).run(ctx, &res.Counts)
	if err != nil {
		return nil, err
	}
	res.Rounds, res.Winner, res.Fixated = rounds, w, w >= 0
	return res, nil
}

// RunSeed is the seed of run k of a batch of processes seeded with seed:
// run 0 is seeded with seed itself, so that it is the process [Moran.Run]
// plays.
func RunSeed(seed uint64, k int) uint64 {
	if k == 0 {
		return seed
	}
	return mix(seed^0xbb67ae8584caa73b) + uint64(k)*0x9e3779b97f4a7c15
}

// MoranRuns sums up many runs of a process.
type MoranRuns struct {
	Types []*Strategy
	// Winners[k] is the type that took over in run k, −1 if none did
	// within MaxRounds; Rounds[k] is the number of rounds it played.
	Winners []int
	Rounds  []int
	// Fixations[t] counts the runs that type t took over.
	Fixations []int
}

// RunMany plays the process runs times, run k seeded with RunSeed(Seed,
// k), on workers goroutines (0: one per CPU); the results do not depend on
// workers. It records who takes over and when, not the populations.
func (m *Moran) RunMany(ctx context.Context, runs, workers int) (*MoranRuns, error) {
	if runs < 1 {
		return nil, &FieldError{Field: "runs", Msg: fmt.Sprintf("must be at least 1, got %d", runs)}
	}
	st, err := m.setup()
	if err != nil {
		return nil, err
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, runs)
	out := &MoranRuns{Types: st.types, Winners: make([]int, runs), Rounds: make([]int, runs), Fixations: make([]int, len(st.types))}
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= runs || ctx.Err() != nil {
					return
				}
				rounds, w, err := m.newRun(st, RunSeed(m.Seed, k)).run(ctx, nil)
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					return
				}
				out.Winners[k], out.Rounds[k] = w, rounds
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, w := range out.Winners {
		if w >= 0 {
			out.Fixations[w]++
		}
	}
	return out, nil
}

// ExactFixation returns, for a process of two types without mutation in
// which every match is deterministic, the probability that each type takes
// over from the initial population (see [FixationProbability]); false
// otherwise.
func (m *Moran) ExactFixation() ([2]float64, bool) {
	st, err := m.setup()
	if err != nil || len(st.types) != 2 || m.Mutation != 0 {
		return [2]float64{}, false
	}
	var pay [2][2]float64
	for a := range 2 {
		for b := range 2 {
			if !st.isFixed[a][b] {
				return [2]float64{}, false
			}
			pay[a][b] = st.fixed[a][b]
		}
	}
	n, i := len(st.initial), 0
	for _, t := range st.initial {
		if t == 0 {
			i++
		}
	}
	p0 := FixationProbability(pay, n, i, m.Mode, m.Fitness)
	return [2]float64{p0, 1 - p0}, true
}

// FixationProbability is the probability that type A takes over a
// population of n individuals of which i are of type A and the others of
// type B, in the Moran process of [Moran] without mutation; pay[a][b] is
// the score per turn of type a against type b (0 is A, 1 is B) and fitness
// maps a score to a fitness (nil: the score itself).
//
// The number of A's is a birth-death chain on 0..n whose only absorbing
// states are 0 and n; with T⁺ⱼ and T⁻ⱼ the probabilities that it goes up
// or down from j, the probability of absorption at n from i is
//
//	φᵢ = (1 + Σ_{k=1}^{i−1} Π_{j=1}^{k} γⱼ) / (1 + Σ_{k=1}^{n−1} Π_{j=1}^{k} γⱼ),  γⱼ = T⁻ⱼ / T⁺ⱼ
//
// (Nowak, Sasaki, Taylor and Fudenberg 2004 for the birth-death order). A
// neutral mutant, whose fitness is everybody's, takes over with
// probability i/n.
func FixationProbability(pay [2][2]float64, n, i int, mode MoranMode, fitness func(float64) float64) float64 {
	if i <= 0 {
		return 0
	}
	if i >= n {
		return 1
	}
	fit := func(s float64) float64 {
		if fitness != nil {
			return fitness(s)
		}
		return s
	}
	// pick returns the probability that the parent is an A when a A's of
	// fitness f and b B's of fitness g compete (uniform if all are 0).
	pick := func(a, b int, f, g float64) float64 {
		tot := float64(a)*f + float64(b)*g
		if tot == 0 {
			return float64(a) / float64(a+b)
		}
		return float64(a) * f / tot
	}
	// scores of an A and a B among a A's and b B's in all (themselves included).
	scores := func(a, b int) (float64, float64) {
		fa := fit(float64(a-1)*pay[0][0] + float64(b)*pay[0][1])
		fb := fit(float64(a)*pay[1][0] + float64(b-1)*pay[1][1])
		return fa, fb
	}
	N := float64(n)
	// up[j], down[j]: the chain's steps from j A's, 1 ≤ j ≤ n−1.
	up, down := make([]float64, n), make([]float64, n)
	for j := 1; j < n; j++ {
		if mode == DeathBirth {
			// A B dies, then an A is born among j A's and n−j−1 B's.
			fa, fb := scores(j, n-j-1)
			up[j] = float64(n-j) / N * pick(j, n-j-1, fa, fb)
			// An A dies, then a B is born among j−1 A's and n−j B's.
			fa, fb = scores(j-1, n-j)
			down[j] = float64(j) / N * (1 - pick(j-1, n-j, fa, fb))
		} else {
			fa, fb := scores(j, n-j)
			pa := pick(j, n-j, fa, fb)
			up[j] = pa * float64(n-j) / N
			down[j] = (1 - pa) * float64(j) / N
		}
	}
	// From a state that cannot go up, A never takes over; below the
	// highest such state under i, the chain from i never returns.
	lo := 0
	for j := 1; j < n; j++ {
		if up[j] == 0 {
			if j >= i {
				return 0
			}
			lo = j
		}
	}
	// Sums of products of γ = down/up, in logarithms to avoid overflow:
	// terms[k] = log Π_{j=lo+1}^{lo+k} γⱼ, terms[0] = 0.
	var terms []float64
	logProd := 0.0
	terms = append(terms, 0)
	for j := lo + 1; j < n; j++ {
		if down[j] == 0 {
			break // the products are 0 from here on
		}
		logProd += math.Log(down[j]) - math.Log(up[j])
		terms = append(terms, logProd)
	}
	logSum := func(ts []float64) float64 {
		m := math.Inf(-1)
		for _, t := range ts {
			m = max(m, t)
		}
		s := 0.0
		for _, t := range ts {
			s += math.Exp(t - m)
		}
		return m + math.Log(s)
	}
	k := min(i-lo, len(terms))
	return math.Exp(logSum(terms[:k]) - logSum(terms))
}

// intN returns a uniform integer in [0, n), n ≥ 1, without bias (Lemire's
// multiply-and-reject method).
func (r *Rand) intN(n int) int {
	if n <= 1 {
		return 0
	}
	bound := uint64(n)
	for {
		hi, lo := bits.Mul64(r.g.Uint64(), bound)
		if lo >= bound || lo >= -bound%bound {
			return int(hi)
		}
	}
}
