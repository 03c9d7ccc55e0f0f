package ipd

import "math"

// LongRun is the exact long-run behaviour of two memory-one rules playing
// each other: the limit, as the number of turns grows, of the average over
// the turns of a match.
type LongRun struct {
	// Freq are the long-run frequencies of the outcomes CC, CD, DC, DD,
	// player 1's move first.
	Freq [4]float64
	// Scores are the long-run mean payoffs per turn of players 1 and 2.
	Scores [2]float64
	// Cooperation are the long-run fractions of C moves of players 1 and 2.
	Cooperation [2]float64
	// Ergodic reports whether the chain has a single closed class, so
	// that the result does not depend on the opening moves.
	Ergodic bool
}

// Transitions returns the Markov chain of a match between two memory-one
// rules with noise: entry [s][s'] is the probability that outcome s (by
// [state], player 1's move first) is followed by outcome s'. Noise turns an
// intended C into D, and D into C, with probability noise, so a player that
// cooperates with probability q does so with q(1−ε) + (1−q)ε.
func Transitions(a, b MemoryOneRule, noise float64) [4][4]float64 {
	var m [4][4]float64
	for s := 0; s < 4; s++ {
		x, y := Action(s>>1), Action(s&1)
		q1 := noisy(a.P[state(x, y)], noise)
		q2 := noisy(b.P[state(y, x)], noise)
		for t := 0; t < 4; t++ {
			m[s][t] = pick(q1, Action(t>>1)) * pick(q2, Action(t&1))
		}
	}
	return m
}

func noisy(q, eps float64) float64 { return q*(1-eps) + (1-q)*eps }

// pick is the probability of move a for a player who cooperates with probability q.
func pick(q float64, a Action) float64 {
	if a == C {
		return q
	}
	return 1 - q
}

// ExactLongRun computes the long-run behaviour of two memory-one rules
// under noise from the four-state Markov chain of [Transitions]. The result
// is the Cesàro limit of the outcome frequencies, so it exists for every
// chain, periodic or reducible: the chain's closed classes are found, each
// one's stationary distribution is solved, and they are weighted by the
// probability of reaching them from the first turn's outcome (the rules'
// opening moves, with noise). With 0 < noise < 1 every transition is
// possible and the result is the unique stationary distribution.
func ExactLongRun(a, b MemoryOneRule, p Payoffs, noise float64) LongRun {
	m := Transitions(a, b, noise)
	var start [4]float64
	i1, i2 := noisy(a.Initial, noise), noisy(b.Initial, noise)
	for s := range start {
		start[s] = pick(i1, Action(s>>1)) * pick(i2, Action(s&1))
	}

	// reach[s][t]: t can be reached from s in zero or more steps.
	var reach [4][4]bool
	for s := range reach {
		reach[s][s] = true
		for t := range reach[s] {
			if m[s][t] > 0 {
				reach[s][t] = true
			}
		}
	}
	for k := 0; k < 4; k++ {
		for s := 0; s < 4; s++ {
			for t := 0; t < 4; t++ {
				reach[s][t] = reach[s][t] || reach[s][k] && reach[k][t]
			}
		}
	}
	// class[s] is the closed class of a recurrent state, -1 for a transient one.
	class := [4]int{-1, -1, -1, -1}
	var classes [][]int
	for s := 0; s < 4; s++ {
		recurrent := true
		for t := 0; t < 4; t++ {
			if reach[s][t] && !reach[t][s] {
				recurrent = false
			}
		}
		if !recurrent || class[s] >= 0 {
			continue
		}
		var c []int
		for t := 0; t < 4; t++ {
			if reach[s][t] {
				class[t] = len(classes)
				c = append(c, t)
			}
		}
		classes = append(classes, c)
	}

	var freq [4]float64
	for k, c := range classes {
		pi := stationary(m, c)
		w := absorption(m, class, k, start)
		for idx, s := range c {
			freq[s] += w * pi[idx]
		}
	}
	var lr LongRun
	lr.Freq = freq
	lr.Ergodic = len(classes) == 1
	tab := p.table()
	for s, f := range freq {
		x, y := Action(s>>1), Action(s&1)
		lr.Scores[0] += f * tab[state(x, y)]
		lr.Scores[1] += f * tab[state(y, x)]
		if x == C {
			lr.Cooperation[0] += f
		}
		if y == C {
			lr.Cooperation[1] += f
		}
	}
	return lr
}

// stationary solves π = πM restricted to the closed class c, Σπ = 1.
func stationary(m [4][4]float64, c []int) []float64 {
	n := len(c)
	// Equations: for each j but the last, Σ_i π_i (M[c_i][c_j] − δ_ij) = 0; then Σ π_i = 1.
	a := make([][]float64, n)
	for j := 0; j < n; j++ {
		a[j] = make([]float64, n+1)
		for i := 0; i < n; i++ {
			if j == n-1 {
				a[j][i] = 1
				continue
			}
			a[j][i] = m[c[i]][c[j]]
			if i == j {
				a[j][i]--
			}
		}
	}
	a[n-1][n] = 1
	return solve(a)
}

// absorption returns the probability that the chain, started from the
// distribution start, ends in closed class k.
func absorption(m [4][4]float64, class [4]int, k int, start [4]float64) float64 {
	var transient []int
	for s := 0; s < 4; s++ {
		if class[s] < 0 {
			transient = append(transient, s)
		}
	}
	// h_s = Σ_{t in k} M[s][t] + Σ_{t transient} M[s][t] h_t for transient s.
	var h [4]float64
	for s := 0; s < 4; s++ {
		if class[s] == k {
			h[s] = 1
		}
	}
	if n := len(transient); n > 0 {
		a := make([][]float64, n)
		for i, s := range transient {
			a[i] = make([]float64, n+1)
			for j, t := range transient {
				a[i][j] = -m[s][t]
			}
			a[i][i]++
			for t := 0; t < 4; t++ {
				if class[t] == k {
					a[i][n] += m[s][t]
				}
			}
		}
		for i, v := range solve(a) {
			h[transient[i]] = v
		}
	}
	w := 0.0
	for s, p := range start {
		w += p * h[s]
	}
	return w
}

// solve solves the augmented system a (n rows of n+1) by Gaussian
// elimination with partial pivoting.
func solve(a [][]float64) []float64 {
	n := len(a)
	for col := 0; col < n; col++ {
		piv := col
		for r := col + 1; r < n; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[piv][col]) {
				piv = r
			}
		}
		a[col], a[piv] = a[piv], a[col]
		for r := col + 1; r < n; r++ {
			f := a[r][col] / a[col][col]
			for c := col; c <= n; c++ {
				a[r][c] -= f * a[col][c]
			}
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		v := a[r][n]
		for c := r + 1; c < n; c++ {
			v -= a[r][c] * x[c]
		}
		x[r] = v / a[r][r]
	}
	return x
}

// ExactLongRunOf is [ExactLongRun] for two strategies of the catalogue, and
// false unless both are memory-one rules.
func ExactLongRunOf(s1, s2 *Strategy, p Payoffs, noise float64) (LongRun, bool) {
	a, ok1 := s1.MemoryOne(p)
	b, ok2 := s2.MemoryOne(p)
	if !ok1 || !ok2 {
		return LongRun{}, false
	}
	return ExactLongRun(a, b, p, noise), true
}
