package ipd

import (
	"context"

	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// Tournament is a round robin: every pair of players, and each player
// against a copy of itself, plays one match per repetition.
type Tournament struct {
	// Players are the line-up, at least two, no two of the same name.
	Players []*Strategy
	// Rules of every match.
	Rules Rules
	// Repetitions of the round robin, at least 1.
	Repetitions int
	// Seed: match (i, j) of repetition r is seeded with MatchSeed(Seed, i, j, r).
	Seed uint64
	// Workers is the number of goroutines (0: one per CPU). It never
	// changes the results.
	Workers int
	// Progress, if set, is called now and then with the number of matches
	// played and the total, never concurrently.
	Progress func(done, total int)
}

// Record is one match of a tournament, between players I ≤ J (indices of the line-up).
type Record struct {
	I, J int
	Outcome
}

// Results are a tournament's matches and the standings computed from them
// with the reference library's conventions.
type Results struct {
	Players     []*Strategy
	Rules       Rules
	Repetitions int
	Seed        uint64
	// Matches[r] are the matches of repetition r, pairs in the order
	// (0,0), (0,1), …, (0,n−1), (1,1), (1,2), …: self-play included.
	Matches [][]Record
	// Standings are ranked, best first.
	Standings []Standing
}

// Standing is one player's results.
type Standing struct {
	// Rank is 1 for the best; players are ranked by the median of their
	// normalised scores, highest first, ties keeping line-up order.
	Rank int
	// Player is the index in the line-up; Name its strategy's name.
	Player int
	Name   string
	// Scores are the normalised scores, one per repetition: the mean over
	// the other players of the match score divided by the match's turns.
	// Self-play is left out.
	Scores []float64
	// Median, Mean, Min, Max, Q1 and Q3 summarise Scores (quartiles by
	// linear interpolation between order statistics).
	Median, Mean, Min, Max, Q1, Q3 float64
	// Wins are the matches won outright, self-play left out: MedianWins
	// over the repetitions, TotalWins over all of them.
	MedianWins float64
	TotalWins  int
	// TotalScore is the sum of the player's match totals over all
	// repetitions, self-play left out.
	TotalScore float64
	// Cooperation is the fraction of its moves that were C, self-play
	// left out, over all repetitions.
	Cooperation float64
	// SelfPlay is the mean score per turn of the two copies in self-play,
	// over all repetitions; it does not enter the ranking.
	SelfPlay float64
}

// pairs lists the pairs (i, j), i ≤ j, in the order of Results.Matches.
func pairs(n int) [][2]int {
	ps := make([][2]int, 0, n*(n+1)/2)
	for i := 0; i < n; i++ {
		for j := i; j < n; j++ {
			ps = append(ps, [2]int{i, j})
		}
	}
	return ps
}

// validate checks the tournament's settings.
func (t *Tournament) validate() error {
	if err := t.Rules.Validate(); err != nil {
		return err
	}
	if len(t.Players) < 2 {
		return &FieldError{Field: "players", Msg: fmt.Sprintf("a tournament needs at least 2 players, got %d", len(t.Players))}
	}
	seen := map[string]int{}
	pay := t.Rules.payoffs()
	for i, s := range t.Players {
		if s == nil {
			return &FieldError{Field: fmt.Sprintf("players[%d]", i), Msg: "missing strategy"}
		}
		if k, dup := seen[s.Name]; dup {
			return &FieldError{Field: fmt.Sprintf("players[%d]", i), Msg: fmt.Sprintf("%s is already players[%d]", s.Name, k)}
		}
		seen[s.Name] = i
		if err := s.Check(pay); err != nil {
			return &FieldError{Field: fmt.Sprintf("players[%d]", i), Msg: s.Name + ": " + err.Error()}
		}
	}
	if t.Repetitions < 1 {
		return &FieldError{Field: "repetitions", Msg: fmt.Sprintf("must be at least 1, got %d", t.Repetitions)}
	}
	if t.Workers < 0 {
		return &FieldError{Field: "workers", Msg: fmt.Sprintf("must be 0 (one per CPU) or more, got %d", t.Workers)}
	}
	return nil
}

// deterministic reports whether a match between the two always plays the
// same way, so that one repetition stands for all.
func (t *Tournament) deterministic(a, b *Strategy) bool {
	return t.Rules.Noise == 0 && t.Rules.ProbEnd == 0 && !a.Stochastic && !b.Stochastic
}

// Run plays the tournament. Matches that cannot differ between repetitions
// (no noise, fixed length, deterministic players) are played once and
// copied. Cancelling ctx stops it with ctx's error.
func (t *Tournament) Run(ctx context.Context) (*Results, error) {
	if err := t.validate(); err != nil {
		return nil, err
	}
	n, reps := len(t.Players), t.Repetitions
	ps := pairs(n)
	res := &Results{Players: t.Players, Rules: t.Rules, Repetitions: reps, Seed: t.Seed, Matches: make([][]Record, reps)}
	res.Rules.Payoffs = res.Rules.payoffs()
	for r := range res.Matches {
		res.Matches[r] = make([]Record, len(ps))
	}
	type job struct{ rep, pair int }
	var jobs []job
	for r := 0; r < reps; r++ {
		for k, p := range ps {
			if r > 0 && t.deterministic(t.Players[p[0]], t.Players[p[1]]) {
				continue
			}
			jobs = append(jobs, job{r, k})
		}
	}

	workers := t.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(jobs)))
	var (
		next, done atomic.Int64
		progMu     sync.Mutex
		wg         sync.WaitGroup
	)
	report := func() {
		if t.Progress == nil {
			return
		}
		progMu.Lock()
		t.Progress(int(done.Load()), len(jobs))
		progMu.Unlock()
	}
	const batch = 16
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			arena, _ := NewArena(t.Rules) // validated above
			left := make([]Player, n)
			right := make([]Player, n)
			for ctx.Err() == nil {
				start := int(next.Add(batch)) - batch
				if start >= len(jobs) {
					return
				}
				for _, jb := range jobs[start:min(start+batch, len(jobs))] {
					i, j := ps[jb.pair][0], ps[jb.pair][1]
					if left[i] == nil {
						left[i] = t.Players[i].New()
					}
					if right[j] == nil {
						right[j] = t.Players[j].New()
					}
					o := arena.Play(left[i], right[j], MatchSeed(t.Seed, i, j, jb.rep))
					res.Matches[jb.rep][jb.pair] = Record{I: i, J: j, Outcome: o}
				}
				done.Add(int64(min(batch, len(jobs)-start)))
				report()
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for r := 1; r < reps; r++ {
		for k, p := range ps {
			if t.deterministic(t.Players[p[0]], t.Players[p[1]]) {
				res.Matches[r][k] = res.Matches[0][k]
			}
		}
	}
	res.Standings = standings(res)
	return res, nil
}

// standings applies the reference library's conventions to the matches.
func standings(res *Results) []Standing {
	n, reps := len(res.Players), res.Repetitions
	st := make([]Standing, n)
	wins := make([][]float64, n)
	coops := make([]int, n)
	turns := make([]int, n)
	selfScore := make([]float64, n)
	selfTurns := make([]int, n)
	for i := range st {
		st[i] = Standing{Player: i, Name: res.Players[i].Name, Scores: make([]float64, reps)}
		wins[i] = make([]float64, reps)
	}
	for r, ms := range res.Matches {
		for _, m := range ms {
			if m.I == m.J {
				selfScore[m.I] += m.Scores[0] + m.Scores[1]
				selfTurns[m.I] += 2 * m.Turns
				continue
			}
			for side, p := range [2]int{m.I, m.J} {
				st[p].Scores[r] += m.Scores[side] / float64(m.Turns)
				st[p].TotalScore += m.Scores[side]
				coops[p] += m.Cooperations[side]
				turns[p] += m.Turns
			}
			if w := m.Winner(); w >= 0 {
				p := [2]int{m.I, m.J}[w]
				wins[p][r]++
				st[p].TotalWins++
			}
		}
	}
	for i := range st {
		s := &st[i]
		for r := range s.Scores {
			s.Scores[r] /= float64(n - 1)
		}
		sorted := slices.Clone(s.Scores)
		slices.Sort(sorted)
		s.Median = quantile(sorted, 0.5)
		s.Q1, s.Q3 = quantile(sorted, 0.25), quantile(sorted, 0.75)
		s.Min, s.Max = sorted[0], sorted[len(sorted)-1]
		sum := 0.0
		for _, v := range sorted {
			sum += v
		}
		s.Mean = sum / float64(len(sorted))
		slices.Sort(wins[i])
		s.MedianWins = quantile(wins[i], 0.5)
		s.Cooperation = float64(coops[i]) / float64(max(1, turns[i]))
		s.SelfPlay = selfScore[i] / float64(max(1, selfTurns[i]))
	}
	slices.SortStableFunc(st, func(a, b Standing) int {
		switch {
		case a.Median > b.Median:
			return -1
		case a.Median < b.Median:
			return 1
		}
		return 0
	})
	for k := range st {
		st[k].Rank = k + 1
	}
	return st
}

// quantile is the q-quantile of sorted values, interpolating linearly
// between order statistics (the median of an even count is the mean of the
// middle two).
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	h := q * float64(len(sorted)-1)
	lo := int(math.Floor(h))
	if lo+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// MeanPayoffs returns the matrix of mean scores per turn: entry [i][j] is
// what player i earned per turn against j, over all repetitions (the
// diagonal is self-play, both copies averaged).
func (res *Results) MeanPayoffs() [][]float64 {
	n := len(res.Players)
	sum := make([][]float64, n)
	cnt := make([][]int, n)
	for i := range sum {
		sum[i] = make([]float64, n)
		cnt[i] = make([]int, n)
	}
	for _, ms := range res.Matches {
		for _, m := range ms {
			if m.I == m.J {
				sum[m.I][m.I] += m.Scores[0] + m.Scores[1]
				cnt[m.I][m.I] += 2 * m.Turns
				continue
			}
			sum[m.I][m.J] += m.Scores[0]
			sum[m.J][m.I] += m.Scores[1]
			cnt[m.I][m.J] += m.Turns
			cnt[m.J][m.I] += m.Turns
		}
	}
	for i := range sum {
		for j := range sum[i] {
			sum[i][j] /= float64(max(1, cnt[i][j]))
		}
	}
	return sum
}
