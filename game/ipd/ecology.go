package ipd

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Ecology is Axelrod's ecological variant of a tournament, as the reference
// library's Ecosystem computes it: discrete replicator dynamics on the
// tournament's payoff matrix. The population is a vector of shares x that
// sum to 1. In each step every strategy i earns fᵢ = Σⱼ A[i][j]·xⱼ (its own
// share included, through the self-play on the diagonal), and the shares
// become
//
//	xᵢ' = xᵢ·F(fᵢ) / Σₖ xₖ·F(fₖ)
//
// where F is Fitness (the identity by default). A strategy that earns more
// than the population's average grows, and one whose share is 0 stays 0.
type Ecology struct {
	// Payoffs is the square matrix A: A[i][j] is strategy i's score per
	// turn against j.
	Payoffs [][]float64
	// Deviations, if not nil, makes each step draw every entry afresh from
	// a normal law of mean A[i][j] and standard deviation Deviations[i][j],
	// as the reference library does with the spread over the repetitions;
	// a fitness below 0 then counts as 0. Nil uses A itself.
	Deviations [][]float64
	// Initial shares, one per strategy, not negative, not all 0; they are
	// scaled to sum to 1. Nil starts from equal shares.
	Initial []float64
	// Fitness maps an earning to a fitness, which must be finite and not
	// negative; nil keeps the earning (then A may not be negative).
	Fitness func(float64) float64
	// Seed of the draws when Deviations is set.
	Seed uint64
}

// validate checks the ecology and returns the initial shares.
func (e *Ecology) validate() ([]float64, error) {
	n := len(e.Payoffs)
	if n == 0 {
		return nil, &FieldError{Field: "payoffs", Msg: "the payoff matrix is empty"}
	}
	for i, row := range e.Payoffs {
		if len(row) != n {
			return nil, &FieldError{Field: fmt.Sprintf("payoffs[%d]", i), Msg: fmt.Sprintf("has %d entries, want %d (the matrix must be square)", len(row), n)}
		}
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) || (e.Fitness == nil && v < 0) {
				return nil, &FieldError{Field: fmt.Sprintf("payoffs[%d][%d]", i, j), Msg: "must be a finite number, not negative without a fitness function, got " + fmtNum(v)}
			}
		}
	}
	if e.Deviations != nil {
		if len(e.Deviations) != n {
			return nil, &FieldError{Field: "deviations", Msg: fmt.Sprintf("has %d rows, want %d", len(e.Deviations), n)}
		}
		for i, row := range e.Deviations {
			if len(row) != n {
				return nil, &FieldError{Field: fmt.Sprintf("deviations[%d]", i), Msg: fmt.Sprintf("has %d entries, want %d", len(row), n)}
			}
			for j, v := range row {
				if !(v >= 0) || math.IsInf(v, 0) {
					return nil, &FieldError{Field: fmt.Sprintf("deviations[%d][%d]", i, j), Msg: "must be a finite number, not negative, got " + fmtNum(v)}
				}
			}
		}
	}
	x := make([]float64, n)
	if e.Initial == nil {
		for i := range x {
			x[i] = 1 / float64(n)
		}
		return x, nil
	}
	if len(e.Initial) != n {
		return nil, &FieldError{Field: "initial", Msg: fmt.Sprintf("has %d shares for %d strategies", len(e.Initial), n)}
	}
	total := 0.0
	for i, v := range e.Initial {
		if !(v >= 0) || math.IsInf(v, 0) {
			return nil, &FieldError{Field: fmt.Sprintf("initial[%d]", i), Msg: "must be a finite number, not negative, got " + fmtNum(v)}
		}
		total += v
	}
	if total == 0 {
		return nil, &FieldError{Field: "initial", Msg: "the shares are all 0"}
	}
	for i, v := range e.Initial {
		x[i] = v / total
	}
	return x, nil
}

// Run returns the shares after 0, 1, …, steps steps: Run(steps)[t][i] is
// strategy i's share after step t. It fails if the population's total
// fitness falls to 0.
func (e *Ecology) Run(steps int) ([][]float64, error) {
	if steps < 0 {
		return nil, &FieldError{Field: "steps", Msg: fmt.Sprintf("must be 0 or more, got %d", steps)}
	}
	x, err := e.validate()
	if err != nil {
		return nil, err
	}
	n := len(x)
	var normal *rand.Rand
	if e.Deviations != nil {
		var src Rand
		src.Seed(mix(e.Seed^0xa54ff53a5f1d36f1), mix(e.Seed+0x510e527fade682d1))
		normal = rand.New(&src.g)
	}
	out := make([][]float64, 0, steps+1)
	out = append(out, x)
	for t := 1; t <= steps; t++ {
		next := make([]float64, n)
		total := 0.0
		for i := range n {
			f := 0.0
			for j := range n {
				a := e.Payoffs[i][j]
				if normal != nil && e.Deviations[i][j] > 0 {
					a += e.Deviations[i][j] * normal.NormFloat64()
				}
				f += a * x[j]
			}
			if e.Fitness != nil {
				f = e.Fitness(f)
			}
			if normal != nil && f < 0 {
				f = 0
			}
			if !(f >= 0) || math.IsInf(f, 0) {
				return nil, fmt.Errorf("step %d: the fitness of strategy %d is %s; it must be finite and not negative", t, i, fmtNum(f))
			}
			next[i] = x[i] * f
			total += next[i]
		}
		if !(total > 0) || math.IsInf(total, 0) {
			return nil, fmt.Errorf("step %d: the population's total fitness is %s, so the shares are undefined", t, fmtNum(total))
		}
		for i := range next {
			next[i] /= total
		}
		out = append(out, next)
		x = next
	}
	return out, nil
}

// PayoffMatrix returns the payoff matrix of the tournament as the reference
// library computes it: mean[i][j] is the mean over the repetitions of
// player i's score per turn against j, and sd[i][j] its standard deviation
// (the population's, dividing by the number of repetitions). On the
// diagonal a repetition's value is the mean of the two copies' scores. With a
// fixed length this mean equals [Results.MeanPayoffs]; with a per-turn
// ending probability it averages ratios rather than dividing sums.
func (res *Results) PayoffMatrix() (mean, sd [][]float64) {
	n := len(res.Players)
	per := make([][][]float64, n) // per[i][j]: the values over the repetitions and copies
	for i := range per {
		per[i] = make([][]float64, n)
	}
	for _, ms := range res.Matches {
		for _, m := range ms {
			t := float64(m.Turns)
			if m.I == m.J {
				per[m.I][m.I] = append(per[m.I][m.I], (m.Scores[0]+m.Scores[1])/(2*t))
				continue
			}
			per[m.I][m.J] = append(per[m.I][m.J], m.Scores[0]/t)
			per[m.J][m.I] = append(per[m.J][m.I], m.Scores[1]/t)
		}
	}
	mean, sd = make([][]float64, n), make([][]float64, n)
	for i := range n {
		mean[i], sd[i] = make([]float64, n), make([]float64, n)
		for j := range n {
			vs := per[i][j]
			if len(vs) == 0 {
				continue
			}
			// Shifted by the first value, so that equal values give
			// their value and a deviation of exactly 0.
			k := float64(len(vs))
			s, ss := 0.0, 0.0
			for _, v := range vs {
				s += v - vs[0]
				ss += (v - vs[0]) * (v - vs[0])
			}
			mu := vs[0] + s/k
			variance := max(0, ss/k-(s/k)*(s/k))
			mean[i][j], sd[i][j] = mu, math.Sqrt(variance)
		}
	}
	return mean, sd
}
