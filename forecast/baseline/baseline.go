package baseline

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/parleyhq/parley/forecast"
)

// Weights says how much each actor counts in a baseline.
type Weights string

// The weightings the baselines offer.
const (
	// CapabilitySalience weights actor i on dimension k by c_i × s_ik, the
	// "compromise model" of the EU decision-making literature (default).
	CapabilitySalience Weights = "capability-salience"
	// CapabilityOnly weights actors by capability alone.
	CapabilityOnly Weights = "capability"
)

// Ballot says how an actor votes between two positions in [Condorcet].
type Ballot string

// The ballots [Condorcet] offers.
const (
	// Proportional: actor k's vote for a over b is w_k (|x_k - b| - |x_k - a|),
	// as in Bueno de Mesquita's pairwise comparisons (default). The sum is
	// positive exactly when a is closer, on weighted average, to the actors.
	Proportional Ballot = "proportional"
	// Majority: actor k gives its whole weight w_k to the closer of a and b,
	// nothing when they are equally far.
	Majority Ballot = "majority"
)

// weights returns the weight of every actor on dimension k.
func weights(in *forecast.Input, k int, w Weights) ([]float64, error) {
	out := make([]float64, len(in.Actors))
	for i, a := range in.Actors {
		switch w {
		case CapabilitySalience, "":
			out[i] = a.Capability * a.Salience[k]
		case CapabilityOnly:
			out[i] = a.Capability
		default:
			return nil, fmt.Errorf("unknown weighting %q; use %s or %s", w, CapabilitySalience, CapabilityOnly)
		}
	}
	total := 0.0
	for _, x := range out {
		total += x
	}
	if !(total > 0) {
		return nil, fmt.Errorf("dimension %q: every actor's weight is 0 (no actor gives it any salience)", in.Dimensions[k].Name)
	}
	return out, nil
}

// Mean returns the weighted mean position on dimension k:
// Σ w_i x_i / Σ w_i.
func Mean(in *forecast.Input, k int, w Weights) (float64, error) {
	ws, err := weights(in, k, w)
	if err != nil {
		return 0, err
	}
	return WeightedMean(column(in, k), ws), nil
}

// WeightedMean returns Σ w_i x_i / Σ w_i.
func WeightedMean(x, w []float64) float64 {
	num, den := 0.0, 0.0
	for i := range x {
		num += w[i] * x[i]
		den += w[i]
	}
	return num / den
}

// column returns every actor's position on dimension k.
func column(in *forecast.Input, k int) []float64 {
	x := make([]float64, len(in.Actors))
	for i, a := range in.Actors {
		x[i] = a.Position[k]
	}
	return x
}

// medianTol is the relative slack with which a cumulative weight counts as
// having reached half the total, so that rounding in the sums does not move
// the median.
const medianTol = 1e-12

// Median returns the weighted median position on dimension k (see
// [WeightedMedian]).
func Median(in *forecast.Input, k int, w Weights) (float64, error) {
	ws, err := weights(in, k, w)
	if err != nil {
		return 0, err
	}
	return WeightedMedian(column(in, k), ws), nil
}

// WeightedMedian returns the weighted median of x: sorting the positions,
// the first at which the cumulative weight reaches half the total (the
// lower median when the halves balance exactly). Equal positions count
// once, with all their weight.
func WeightedMedian(x, w []float64) float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	total := 0.0
	for _, v := range w {
		total += v
	}
	half := total / 2
	cum := 0.0
	for n, i := range idx {
		cum += w[i]
		if n+1 < len(idx) && x[idx[n+1]] == x[i] {
			continue
		}
		if cum >= half*(1-medianTol) {
			return x[i]
		}
	}
	return x[idx[len(idx)-1]]
}

// Pair is the outcome of one pairwise vote.
type Pair struct {
	A, B float64 // the positions compared
	// For and Against are the total votes for A over B and for B over A.
	For, Against float64
}

// CondorcetResult is the outcome of every pairwise vote between the actors'
// positions on one dimension.
type CondorcetResult struct {
	// Candidates are the distinct positions the actors hold, ascending.
	Candidates []float64
	// Winner is the candidate that beats every other one; meaningful only
	// when Found.
	Winner float64
	Found  bool
	// Pairs holds the vote of every pair of candidates, A below B.
	Pairs []Pair
}

// Condorcet holds a pairwise vote between every two distinct positions
// actors hold on dimension k and returns the position that wins every one
// of its votes, if there is one. A tie is not a win.
func Condorcet(in *forecast.Input, k int, w Weights, b Ballot) (CondorcetResult, error) {
	ws, err := weights(in, k, w)
	if err != nil {
		return CondorcetResult{}, err
	}
	if b == "" {
		b = Proportional
	}
	if b != Proportional && b != Majority {
		return CondorcetResult{}, fmt.Errorf("unknown ballot %q; use %s or %s", b, Proportional, Majority)
	}
	var r CondorcetResult
	for _, a := range in.Actors {
		r.Candidates = append(r.Candidates, a.Position[k])
	}
	slices.Sort(r.Candidates)
	r.Candidates = slices.Compact(r.Candidates)
	n := len(r.Candidates)
	wins := make([]int, n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			p := Pair{A: r.Candidates[i], B: r.Candidates[j]}
			for q, act := range in.Actors {
				x := act.Position[k]
				v := math.Abs(x-p.B) - math.Abs(x-p.A) // > 0: A is closer
				switch {
				case b == Majority && v > 0:
					p.For += ws[q]
				case b == Majority && v < 0:
					p.Against += ws[q]
				case v > 0:
					p.For += ws[q] * v
				case v < 0:
					p.Against -= ws[q] * v
				}
			}
			switch {
			case p.For > p.Against:
				wins[i]++
			case p.Against > p.For:
				wins[j]++
			}
			r.Pairs = append(r.Pairs, p)
		}
	}
	for i, c := range wins {
		if c == n-1 {
			r.Winner, r.Found = r.Candidates[i], true
		}
	}
	return r, nil
}

// Forecast holds the three baselines on one dimension.
type Forecast struct {
	Dimension string
	Mean      float64
	Median    float64
	Condorcet CondorcetResult
}

// All computes every baseline on every dimension.
func All(in *forecast.Input, w Weights, b Ballot) ([]Forecast, error) {
	var out []Forecast
	for k, d := range in.Dimensions {
		f := Forecast{Dimension: d.Name}
		var err error
		if f.Mean, err = Mean(in, k, w); err != nil {
			return nil, err
		}
		if f.Median, err = Median(in, k, w); err != nil {
			return nil, err
		}
		if f.Condorcet, err = Condorcet(in, k, w, b); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}
