// Package exact solves small roadmaps exactly by enumerating every random event of a history (type draws, shocks, decisions, noise, detection, misperception, forgiveness) with its probability.
package exact

import (
	"context"
	"errors"
	"fmt"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/montecarlo"
)

// ErrTooLarge is returned when a roadmap has more distinct histories than the limit.
var ErrTooLarge = errors.New("too many distinct histories to enumerate")

// ErrStochasticRule is returned when an actor follows a stochastic rule of
// the iterated-game catalogue: its random draws come from a stream of its
// own, which the solver cannot enumerate.
var ErrStochasticRule = errors.New("an actor follows a stochastic catalogue rule, whose draws cannot be enumerated")

// branch is one random event met along a history: the alternative taken and the probabilities of all of them.
type branch struct {
	k     int
	probs []float64
}

// enumerator is a Source that replays a prefix of choices and takes the
// first alternative of every event beyond it, recording the alternatives.
type enumerator struct {
	path []branch
	pos  int
}

func (e *enumerator) next(probs []float64) int {
	if e.pos < len(e.path) {
		k := e.path[e.pos].k
		e.pos++
		return k
	}
	e.path = append(e.path, branch{k: 0, probs: probs})
	e.pos++
	return 0
}

// Bernoulli implements engine.Source: alternative 0 is "happens".
func (e *enumerator) Bernoulli(p float64) bool {
	if e.pos < len(e.path) {
		return e.next(nil) == 0
	}
	return e.next([]float64{p, 1 - p}) == 0
}

// Categorical implements engine.Source.
func (e *enumerator) Categorical(w []float64) int {
	if e.pos < len(e.path) {
		return e.next(nil)
	}
	tot := 0.0
	for _, x := range w {
		tot += x
	}
	probs := make([]float64, len(w))
	for i, x := range w {
		probs[i] = x / tot
	}
	return e.next(probs)
}

// advance moves to the next unexplored history, reporting false when all are done.
func (e *enumerator) advance() bool {
	for len(e.path) > 0 {
		last := &e.path[len(e.path)-1]
		for last.k+1 < len(last.probs) {
			last.k++
			if last.probs[last.k] > 0 {
				e.pos = 0
				return true
			}
		}
		e.path = e.path[:len(e.path)-1]
	}
	return false
}

func (e *enumerator) weight() float64 {
	w := 1.0
	for _, b := range e.path {
		w *= b.probs[b.k]
	}
	return w
}

// Solve enumerates every history of r and returns their aggregate, each
// weighted by its probability (Count is the number of distinct histories).
// It stops with ErrTooLarge after limit histories.
func Solve(ctx context.Context, r *model.Roadmap, limit int) (*montecarlo.Summary, error) {
	for _, a := range r.Actors {
		if a.Strategy != nil && a.Strategy.Stochastic {
			return nil, fmt.Errorf("%w: %s follows %s", ErrStochasticRule, a.ID, a.Strategy.Name)
		}
	}
	h := engine.New(r)
	sum := montecarlo.NewSummary(r)
	e := &enumerator{}
	for n := 0; ; n++ {
		if n >= limit {
			return nil, fmt.Errorf("%w: more than %d", ErrTooLarge, limit)
		}
		if n%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		e.pos = 0
		res := h.Run(e)
		if e.pos != len(e.path) {
			return nil, fmt.Errorf("internal error: history %d used %d of %d recorded events", n, e.pos, len(e.path))
		}
		sum.Add(res, e.weight())
		if !e.advance() {
			return sum, nil
		}
	}
}
