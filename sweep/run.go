package sweep

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/montecarlo"
)

// Row is what one point gave.
type Row struct {
	Point int
	// Values are the parameters' values as text (the base value where the
	// point leaves one unchanged), Nums the same as numbers (NaN for choices).
	Values []string
	Nums   []float64
	// Metrics follow the order of Plan.Columns.
	Metrics []float64
}

// RunOptions say which points to run and how.
type RunOptions struct {
	// From and To delimit the points [From, To) to run (nothing when To ≤ From).
	From, To int
	// Workers is the number of goroutines (0: GOMAXPROCS). It never changes the rows.
	Workers int
	// Progress, if set, is called after each row with the rows done and the
	// rows to do in [From, To), from one goroutine at a time.
	Progress func(done, total int)
}

// Run runs the points [From, To) and passes their rows to emit in point
// order. Points run in parallel, each with its own seeded histories, and at
// most twice as many rows as workers wait to be emitted, so memory does not
// grow with the number of points. The first error (an invalid point, a
// cancelled ctx, an error of emit) stops the run and is returned; the rows
// emitted before it are complete.
func (p *Plan) Run(ctx context.Context, opt RunOptions, emit func(*Row) error) error {
	from, to := opt.From, max(opt.To, opt.From)
	if from < 0 || to > p.Len() {
		return fmt.Errorf("points [%d, %d) are not within the plan's [0, %d)", from, to, p.Len())
	}
	m := to - from
	if m == 0 {
		return nil
	}
	w := opt.Workers
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	pw := min(w, m)
	inner := max(1, w/pw)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type result struct {
		k   int
		row *Row
		err error
	}
	window := 2 * pw
	tokens := make(chan struct{}, window)
	jobs := make(chan int)
	results := make(chan result, window)
	var wg sync.WaitGroup
	for range pw {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ev := p.newEvaluator(inner)
			for k := range jobs {
				row, err := ev.point(ctx, k)
				select {
				case results <- result{k, row, err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for k := from; k < to; k++ {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- k:
			case <-ctx.Done():
				return
			}
		}
	}()
	// rows wait here until every earlier point is emitted; an error is
	// returned when its point's turn comes, so the rows before it are
	// emitted and the error reported is the first in point order
	pending := map[int]result{}
	next := from
	var err error
	for next < to && err == nil {
		select {
		case res := <-results:
			pending[res.k] = res
			for {
				r, ok := pending[next]
				if !ok {
					break
				}
				delete(pending, next)
				if err = r.err; err == nil {
					err = emit(r.row)
				}
				if err != nil {
					break
				}
				next++
				<-tokens
				if opt.Progress != nil {
					opt.Progress(next-from, m)
				}
			}
		case <-ctx.Done():
			err = ctx.Err()
		}
	}
	cancel()
	wg.Wait()
	return err
}

// evaluator runs points one at a time.
type evaluator struct {
	p     *Plan
	pt    *Point
	inner int
}

func (p *Plan) newEvaluator(inner int) *evaluator {
	return &evaluator{p: p, pt: p.NewPoint(), inner: inner}
}

// point runs point k.
func (ev *evaluator) point(ctx context.Context, k int) (*Row, error) {
	p := ev.p
	p.At(k, ev.pt)
	s, err := p.Scenario(ev.pt)
	if err != nil {
		return nil, err
	}
	rs := make([]*model.Roadmap, len(p.Roadmaps))
	for i, id := range p.Roadmaps {
		r, err := model.Compile(s, id)
		if err != nil {
			return nil, &PointError{Point: k, Values: p.describe(ev.pt), Err: err}
		}
		rs[i] = r
	}
	sums, err := montecarlo.Compare(ctx, rs, montecarlo.Options{Runs: p.Runs, Seed: p.PointSeed(k), Workers: ev.inner})
	if err != nil {
		return nil, err
	}
	row := &Row{Point: k, Values: make([]string, len(p.Params)), Nums: append([]float64(nil), ev.pt.Num...)}
	for i := range p.Params {
		row.Values[i] = p.Value(ev.pt, i)
	}
	row.Metrics = make([]float64, 0, len(rs)*len(p.Metrics))
	for _, sum := range sums {
		for i := range p.Metrics {
			row.Metrics = append(row.Metrics, p.Metrics[i].eval(sum))
		}
	}
	return row, nil
}

// eval computes the metric from a roadmap's summary.
func (m *Metric) eval(sum *montecarlo.Summary) float64 {
	r := sum.R
	switch m.Kind {
	case "rounds":
		return sum.Rounds / sum.N
	case "milestone":
		by := m.By
		if by == 0 {
			by = r.Horizon
		}
		for i, ms := range r.Milestones {
			if ms.ID == m.Arg {
				return sum.MilestoneBy(i, by)
			}
		}
	case "utility", "exposure", "leverage":
		for a := range r.Actors {
			if r.Actors[a].ID != m.Arg {
				continue
			}
			switch m.Kind {
			case "utility":
				return sum.UtilAll[a] / sum.N
			case "exposure":
				return sum.ExpoAll[a] / sum.N
			default:
				return sum.LevAll[a] / sum.N
			}
		}
	default:
		for st := engine.Status(0); st < engine.NumStatus; st++ {
			if st.String() == m.Kind {
				return sum.Prob(st)
			}
		}
	}
	panic("sweep: metric " + m.Name + " does not apply to roadmap " + r.ID)
}

// Check builds and validates the scenario of every point in [from, to)
// without running it, and returns the first invalid point's *PointError.
func (p *Plan) Check(ctx context.Context, from, to int) error {
	pt := p.NewPoint()
	for k := from; k < to; k++ {
		if k%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		p.At(k, pt)
		if _, err := p.Scenario(pt); err != nil {
			return err
		}
	}
	return nil
}
