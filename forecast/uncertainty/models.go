package uncertainty

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/parleyhq/parley/forecast"
	"github.com/parleyhq/parley/forecast/baseline"
	"github.com/parleyhq/parley/forecast/bdm"
	"github.com/parleyhq/parley/forecast/smp"
)

// Quantity is one number a model's forecast gives.
type Quantity struct {
	// Name says what it is, such as "median" or "rounds".
	Name string
	// Dimension is the index of the input dimension the quantity is a
	// position on, or -1 for a quantity that is not a position.
	Dimension int
	// Min and Max bound the quantity when it is not a position; [Run] sets
	// them for positions, from the dimension's scale (or, without one, the
	// range of the actors' positions widened by the perturbation): every
	// model here forecasts a position between the actors' positions.
	Min, Max float64
	// Integer marks a whole-number quantity (a count of rounds).
	Integer bool
}

// Model is a forecasting model as the Monte Carlo runs see it: the
// quantities its forecast gives, and how to compute them for one input.
type Model struct {
	// Name labels the model, such as "bdm".
	Name string
	// Quantities are the numbers each forecast gives, in order.
	Quantities []Quantity
	// Forecast computes the quantities for in into out (one per quantity;
	// NaN where the model gives none for this input, such as a missing
	// Condorcet winner) and says how the run ended ("converged", "cap"),
	// or "". seed seeds the model's own random choices in this run; 0
	// means the seed its options give. An error wrapping [ErrNoForecast]
	// marks an input the model gives no forecast for at all; any other
	// error stops the runs. It is called from several goroutines at once.
	Forecast func(ctx context.Context, in *forecast.Input, seed uint64, out []float64) (string, error)
}

// ErrNoForecast marks an input for which a model gives no forecast, such
// as one where no actor cares about the dimension modelled.
var ErrNoForecast = errors.New("no forecast for this input")

// The names of the baselines [Baselines] knows.
const (
	Mean      = "mean"
	Median    = "median"
	Condorcet = "condorcet"
)

// Baselines returns the model of the baseline forecasts named in kinds
// (Mean, Median, Condorcet), on every dimension of in, dimension by
// dimension: quantity "mean" on dimension 0, "median" on dimension 0, ...
// A dimension no remaining actor cares about has no value that run.
func Baselines(in *forecast.Input, kinds []string, w baseline.Weights, b baseline.Ballot) (*Model, error) {
	if len(kinds) == 0 {
		return nil, errors.New("no baseline named")
	}
	m := &Model{Name: "baselines"}
	for _, k := range kinds {
		if k != Mean && k != Median && k != Condorcet {
			return nil, fmt.Errorf("unknown baseline %q; use %s, %s or %s", k, Mean, Median, Condorcet)
		}
	}
	if w != baseline.CapabilitySalience && w != baseline.CapabilityOnly {
		return nil, fmt.Errorf("unknown weighting %q; use %s or %s", w, baseline.CapabilitySalience, baseline.CapabilityOnly)
	}
	if b != baseline.Proportional && b != baseline.Majority {
		return nil, fmt.Errorf("unknown ballot %q; use %s or %s", b, baseline.Proportional, baseline.Majority)
	}
	if len(kinds) == 1 {
		m.Name = kinds[0]
	}
	for d := range in.Dimensions {
		for _, k := range kinds {
			m.Quantities = append(m.Quantities, Quantity{Name: k, Dimension: d})
		}
	}
	nk := len(kinds)
	m.Forecast = func(_ context.Context, in *forecast.Input, _ uint64, out []float64) (string, error) {
		for d := range in.Dimensions {
			for q, k := range kinds {
				v := math.NaN()
				var err error
				switch k {
				case Mean:
					v, err = baseline.Mean(in, d, w)
				case Median:
					v, err = baseline.Median(in, d, w)
				case Condorcet:
					var c baseline.CondorcetResult
					if c, err = baseline.Condorcet(in, d, w, b); err == nil && c.Found {
						v = c.Winner
					}
				}
				if err != nil {
					// the only error of a valid input and known options:
					// no actor gives the dimension any weight
					v = math.NaN()
				}
				out[d*nk+q] = v
			}
		}
		return "", nil
	}
	return m, nil
}

// BDM returns the expected-utility model with options opt on dimension
// opt.Dimension of in. Its quantities are the forecast, the weighted
// median of the positions after the last round ("median"), their
// weighted mean ("mean") and the number of rounds ("rounds"); a run ends
// "converged", "cap" or "no range" (see bdm.Result.Stop). A run in which
// no remaining actor cares about the dimension gives no forecast.
func BDM(in *forecast.Input, opt bdm.Options) (*Model, error) {
	if err := opt.Check(); err != nil {
		return nil, err
	}
	d := opt.Dimension
	if d < 0 || d >= len(in.Dimensions) {
		return nil, fmt.Errorf("the input has %d dimensions; there is no dimension %d", len(in.Dimensions), d)
	}
	m := &Model{Name: "bdm", Quantities: []Quantity{
		{Name: "median", Dimension: d},
		{Name: "mean", Dimension: d},
		{Name: "rounds", Dimension: -1, Min: 0, Max: float64(opt.MaxRounds), Integer: true},
	}}
	m.Forecast = func(ctx context.Context, in *forecast.Input, _ uint64, out []float64) (string, error) {
		weight := 0.0
		for _, a := range in.Actors {
			weight += a.Capability * a.Salience[d]
		}
		if !(weight > 0) {
			return "", fmt.Errorf("%w: no actor cares about dimension %q", ErrNoForecast, in.Dimensions[d].Name)
		}
		res, err := bdm.Run(ctx, in, opt)
		if err != nil {
			return "", err
		}
		out[0], out[1], out[2] = res.Median, res.Mean, float64(len(res.Rounds))
		if n := len(res.Rounds); n > 0 {
			out[0], out[1] = res.Rounds[n-1].Median, res.Rounds[n-1].Mean
		}
		return res.Stop, nil
	}
	return m, nil
}

// SMP returns KTAB's Spatial Model of Politics with options opt. Its
// quantities are, on each dimension, the position of the likeliest actor
// after the last turn — the actor whose position has the highest
// probability of winning, the first of equals — ("likeliest") and the
// capability × salience weighted mean of the final positions ("mean"),
// then the number of turns ("turns"); a run ends "settled" or "cap". With
// stochastic transitions each run draws them from its own seed. A run in
// which a Markov election does not settle gives no forecast.
func SMP(in *forecast.Input, opt smp.Options) (*Model, error) {
	for _, d := range in.Dimensions {
		if !d.Bounded {
			return nil, fmt.Errorf("%w: dimension %q has none (give min and max)", smp.ErrScale, d.Name)
		}
	}
	m := &Model{Name: "smp"}
	nd := len(in.Dimensions)
	for d := range in.Dimensions {
		m.Quantities = append(m.Quantities, Quantity{Name: "likeliest", Dimension: d}, Quantity{Name: "mean", Dimension: d})
	}
	m.Quantities = append(m.Quantities, Quantity{Name: "turns", Dimension: -1, Min: 0, Max: float64(opt.MaxTurns), Integer: true})
	m.Forecast = func(ctx context.Context, in *forecast.Input, seed uint64, out []float64) (string, error) {
		o := opt
		o.Trace = false
		if seed != 0 {
			o.Seed = seed
		}
		res, err := smp.Run(ctx, in, o)
		if errors.Is(err, smp.ErrElection) {
			return "", fmt.Errorf("%w: %v", ErrNoForecast, err)
		}
		if err != nil {
			return "", err
		}
		turns := len(res.States) - 1
		last := res.States[turns]
		best := 0
		for i, p := range last.Prob {
			if p > last.Prob[best] {
				best = i
			}
		}
		for d := 0; d < nd; d++ {
			out[2*d] = last.Positions[best][d]
			num, den := 0.0, 0.0
			for i, a := range in.Actors {
				w := a.Capability * a.Salience[d]
				num += w * last.Positions[i][d]
				den += w
			}
			out[2*d+1] = math.NaN()
			if den > 0 {
				out[2*d+1] = num / den
			}
		}
		out[2*nd] = float64(turns)
		stop := "settled"
		if c := res.Changes[len(res.Changes)-1]; turns >= o.MaxTurns && !(c < o.StopRatio) {
			stop = "cap"
		}
		return stop, nil
	}
	return m, nil
}
