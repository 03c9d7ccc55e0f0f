package sample

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Dist is a probability distribution on the real line, sampled by inverting
// its distribution function: a point u of the unit interval becomes the
// value Quantile(u).
type Dist interface {
	// Quantile is the inverse distribution function at u ∈ (0, 1).
	Quantile(u float64) float64
	// Bounds are the smallest and largest values the distribution takes
	// (±Inf when unbounded).
	Bounds() (lo, hi float64)
	// Check reports bad parameters, naming the faulty one.
	Check() error
	// Name is the distribution's name in sweep files: uniform, normal, beta, triangular.
	Name() string
}

// ParamError is a bad parameter of a distribution.
type ParamError struct {
	Param string // the parameter's name, as in sweep files (e.g. "sd")
	Msg   string
}

func (e *ParamError) Error() string { return e.Param + ": " + e.Msg }

func bad(param, format string, a ...any) error {
	return &ParamError{Param: param, Msg: fmt.Sprintf(format, a...)}
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// UniformDist is the uniform distribution on [Min, Max].
type UniformDist struct{ Min, Max float64 }

func (d UniformDist) Name() string               { return "uniform" }
func (d UniformDist) Quantile(u float64) float64 { return d.Min + u*(d.Max-d.Min) }
func (d UniformDist) Bounds() (lo, hi float64)   { return d.Min, d.Max }
func (d UniformDist) Check() error {
	switch {
	case !finite(d.Min):
		return bad("min", "must be a finite number")
	case !finite(d.Max):
		return bad("max", "must be a finite number")
	case d.Max <= d.Min:
		return bad("max", "must be greater than min (%g), got %g", d.Min, d.Max)
	}
	return nil
}

// NormalDist is the normal distribution with mean Mean and standard deviation
// SD, truncated to [Min, Max] (either may be infinite).
type NormalDist struct{ Mean, SD, Min, Max float64 }

func (d NormalDist) Name() string             { return "normal" }
func (d NormalDist) Bounds() (lo, hi float64) { return d.Min, d.Max }
func (d NormalDist) Check() error {
	switch {
	case !finite(d.Mean):
		return bad("mean", "must be a finite number")
	case !finite(d.SD) || d.SD <= 0:
		return bad("sd", "must be a positive number, got %g", d.SD)
	case math.IsNaN(d.Min) || math.IsInf(d.Min, 1):
		return bad("min", "must be a number")
	case math.IsNaN(d.Max) || math.IsInf(d.Max, -1):
		return bad("max", "must be a number")
	case d.Max <= d.Min:
		return bad("max", "must be greater than min (%g), got %g", d.Min, d.Max)
	}
	n := distuv.Normal{Mu: d.Mean, Sigma: d.SD}
	if n.CDF(d.Max)-n.CDF(d.Min) < 1e-12 {
		return bad("min", "[%g, %g] holds almost none of normal(%g, %g): move the truncation towards the mean", d.Min, d.Max, d.Mean, d.SD)
	}
	return nil
}

// Quantile inverts the truncated distribution function, Φ⁻¹(Φ(a) + u(Φ(b) − Φ(a)))
// in standard units, computed in the lower tail (where Φ is precise) by
// symmetry when both bounds lie above the mean.
func (d NormalDist) Quantile(u float64) float64 {
	a, b := (d.Min-d.Mean)/d.SD, (d.Max-d.Mean)/d.SD
	var z float64
	if a > 0 {
		z = -truncatedStd(-b, -a, 1-u)
	} else {
		z = truncatedStd(a, b, u)
	}
	return math.Min(math.Max(d.Mean+d.SD*z, d.Min), d.Max)
}

func truncatedStd(a, b, u float64) float64 {
	n := distuv.UnitNormal
	pa, pb := n.CDF(a), n.CDF(b)
	return n.Quantile(pa + u*(pb-pa))
}

// BetaDist is the beta distribution with shapes Alpha and Beta, stretched
// from [0, 1] to [Min, Max].
type BetaDist struct{ Alpha, Beta, Min, Max float64 }

func (d BetaDist) Name() string             { return "beta" }
func (d BetaDist) Bounds() (lo, hi float64) { return d.Min, d.Max }
func (d BetaDist) Check() error {
	switch {
	case !finite(d.Alpha) || d.Alpha <= 0:
		return bad("alpha", "must be a positive number, got %g", d.Alpha)
	case !finite(d.Beta) || d.Beta <= 0:
		return bad("beta", "must be a positive number, got %g", d.Beta)
	case !finite(d.Min):
		return bad("min", "must be a finite number")
	case !finite(d.Max):
		return bad("max", "must be a finite number")
	case d.Max <= d.Min:
		return bad("max", "must be greater than min (%g), got %g", d.Min, d.Max)
	}
	return nil
}

func (d BetaDist) Quantile(u float64) float64 {
	q := distuv.Beta{Alpha: d.Alpha, Beta: d.Beta}.Quantile(u)
	return d.Min + q*(d.Max-d.Min)
}

// TriangularDist is the triangular distribution on [Min, Max] with mode Mode.
type TriangularDist struct{ Min, Mode, Max float64 }

func (d TriangularDist) Name() string             { return "triangular" }
func (d TriangularDist) Bounds() (lo, hi float64) { return d.Min, d.Max }
func (d TriangularDist) Check() error {
	switch {
	case !finite(d.Min):
		return bad("min", "must be a finite number")
	case !finite(d.Max):
		return bad("max", "must be a finite number")
	case !finite(d.Mode):
		return bad("mode", "must be a finite number")
	case d.Max <= d.Min:
		return bad("max", "must be greater than min (%g), got %g", d.Min, d.Max)
	case d.Mode < d.Min || d.Mode > d.Max:
		return bad("mode", "must lie in [min, max] = [%g, %g], got %g", d.Min, d.Max, d.Mode)
	}
	return nil
}

// Quantile: with c = (mode − min)/(max − min), u ≤ c gives
// min + √(u(max − min)(mode − min)), else max − √((1 − u)(max − min)(max − mode)).
func (d TriangularDist) Quantile(u float64) float64 {
	w := d.Max - d.Min
	c := (d.Mode - d.Min) / w
	if u <= c {
		return d.Min + math.Sqrt(u*w*(d.Mode-d.Min))
	}
	return d.Max - math.Sqrt((1-u)*w*(d.Max-d.Mode))
}
