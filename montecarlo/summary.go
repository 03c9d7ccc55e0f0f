package montecarlo

import (
	"math"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/model"
)

// Summary is the streaming aggregate of weighted histories of one roadmap.
// Monte Carlo adds each history with weight 1; the exact solver adds each
// distinct history with its probability. Its size does not depend on the
// number of histories.
type Summary struct {
	R       *model.Roadmap `json:"-"`
	na, mt  int
	hor     int
	N       float64 // total weight
	Count   int     // histories added
	Status  [engine.NumStatus]float64
	Causes  map[engine.Cause]float64
	Rounds  float64 // Σ w·rounds
	Rounds2 float64
	// MsReach[m*(hor+1)+t]: weight of histories that reached milestone m (in truth) in round t
	MsReach []float64
	// MsBelieved[m*(hor+1)+t]: weight of histories in which every actor came to believe m reached by round t (the last of them)
	MsBelieved []float64
	// By actor a and counterpart j of true type t: [(a*na+j)*mt+t]; with j == a, by a's own type.
	TypeW                  []float64 // weight of histories with j of type t
	Util, Util2            []float64
	Expo, Expo2            []float64
	Lev, Lev2              []float64
	UtilAll, UtilAll2      []float64 // by actor
	ExpoAll, ExpoAll2      []float64
	LevAll, LevAll2        []float64
	Trust, Trust2          []float64 // [(t*na+o)*na+j], t = 0..hor
	Insecurity, Insecurit2 []float64 // [t*na+a]
}

// NewSummary returns an empty summary for r.
func NewSummary(r *model.Roadmap) *Summary {
	na := len(r.Actors)
	mt := 0
	for _, a := range r.Actors {
		if len(a.Types) > mt {
			mt = len(a.Types)
		}
	}
	h := r.Horizon
	nm := len(r.Milestones)
	g := na * na * mt
	return &Summary{
		R: r, na: na, mt: mt, hor: h,
		Causes:     map[engine.Cause]float64{},
		MsReach:    make([]float64, nm*(h+1)),
		MsBelieved: make([]float64, nm*(h+1)),
		TypeW:      make([]float64, g),
		Util:       make([]float64, g), Util2: make([]float64, g),
		Expo: make([]float64, g), Expo2: make([]float64, g),
		Lev: make([]float64, g), Lev2: make([]float64, g),
		UtilAll: make([]float64, na), UtilAll2: make([]float64, na),
		ExpoAll: make([]float64, na), ExpoAll2: make([]float64, na),
		LevAll: make([]float64, na), LevAll2: make([]float64, na),
		Trust: make([]float64, (h+1)*na*na), Trust2: make([]float64, (h+1)*na*na),
		Insecurity: make([]float64, (h+1)*na), Insecurit2: make([]float64, (h+1)*na),
	}
}

// Reset empties the summary for reuse.
func (s *Summary) Reset() {
	s.N, s.Count, s.Rounds, s.Rounds2 = 0, 0, 0, 0
	s.Status = [engine.NumStatus]float64{}
	for k := range s.Causes {
		delete(s.Causes, k)
	}
	for _, v := range [][]float64{s.MsReach, s.MsBelieved, s.TypeW, s.Util, s.Util2, s.Expo, s.Expo2, s.Lev, s.Lev2,
		s.UtilAll, s.UtilAll2, s.ExpoAll, s.ExpoAll2, s.LevAll, s.LevAll2, s.Trust, s.Trust2, s.Insecurity, s.Insecurit2} {
		clear(v)
	}
}

// Add adds one history with weight w.
func (s *Summary) Add(r *engine.Result, w float64) {
	na, mt, h := s.na, s.mt, s.hor
	s.N += w
	s.Count++
	s.Status[r.Status] += w
	if r.Cause.Kind != engine.NoCause {
		s.Causes[r.Cause] += w
	}
	s.Rounds += w * float64(r.Rounds)
	s.Rounds2 += w * float64(r.Rounds) * float64(r.Rounds)
	for m, t := range r.MilestoneTrue {
		if t > 0 {
			s.MsReach[m*(h+1)+t] += w
		}
		last := 0
		for _, b := range r.MilestoneBelieved[m] {
			if b == 0 {
				last = -1
				break
			}
			if b > last {
				last = b
			}
		}
		if last > 0 {
			s.MsBelieved[m*(h+1)+last] += w
		}
	}
	for a := 0; a < na; a++ {
		u, e, l := r.Utility[a], r.Exposure[a], r.Leverage[a]
		s.UtilAll[a] += w * u
		s.UtilAll2[a] += w * u * u
		s.ExpoAll[a] += w * e
		s.ExpoAll2[a] += w * e * e
		s.LevAll[a] += w * l
		s.LevAll2[a] += w * l * l
		for j := 0; j < na; j++ {
			i := (a*na+j)*mt + r.Types[j]
			s.TypeW[i] += w
			s.Util[i] += w * u
			s.Util2[i] += w * u * u
			s.Expo[i] += w * e
			s.Expo2[i] += w * e * e
			s.Lev[i] += w * l
			s.Lev2[i] += w * l * l
		}
	}
	// the rows of r.Insecurity and r.Trust are laid out as those of s; rounds
	// after r.Rounds repeat its last row
	nn := na * na
	last := min(r.Rounds, h)
	for t := 0; t <= h; t++ {
		tr := min(t, last)
		addRow(s.Insecurity[t*na:(t+1)*na], s.Insecurit2[t*na:(t+1)*na], r.Insecurity[tr*na:(tr+1)*na], w)
		addRow(s.Trust[t*nn:(t+1)*nn], s.Trust2[t*nn:(t+1)*nn], r.Trust[tr*nn:(tr+1)*nn], w)
	}
}

// addRow adds w·x to sum and w·x² to sum2, element by element.
func addRow(sum, sum2, x []float64, w float64) {
	sum, sum2 = sum[:len(x)], sum2[:len(x)]
	for i, v := range x {
		sum[i] += w * v
		sum2[i] += w * v * v
	}
}

// Merge adds the histories of o (a summary of the same roadmap) to s.
func (s *Summary) Merge(o *Summary) {
	s.N += o.N
	s.Count += o.Count
	for i := range s.Status {
		s.Status[i] += o.Status[i]
	}
	for _, k := range sortedCauses(o.Causes) {
		s.Causes[k] += o.Causes[k]
	}
	s.Rounds += o.Rounds
	s.Rounds2 += o.Rounds2
	pairs := [][2][]float64{{s.MsReach, o.MsReach}, {s.MsBelieved, o.MsBelieved}, {s.TypeW, o.TypeW},
		{s.Util, o.Util}, {s.Util2, o.Util2}, {s.Expo, o.Expo}, {s.Expo2, o.Expo2}, {s.Lev, o.Lev}, {s.Lev2, o.Lev2},
		{s.UtilAll, o.UtilAll}, {s.UtilAll2, o.UtilAll2}, {s.ExpoAll, o.ExpoAll}, {s.ExpoAll2, o.ExpoAll2},
		{s.LevAll, o.LevAll}, {s.LevAll2, o.LevAll2}, {s.Trust, o.Trust}, {s.Trust2, o.Trust2},
		{s.Insecurity, o.Insecurity}, {s.Insecurit2, o.Insecurit2}}
	for _, p := range pairs {
		for i, v := range p[1] {
			p[0][i] += v
		}
	}
}

// Prob is the weighted share of histories with the given status.
func (s *Summary) Prob(st engine.Status) float64 { return s.Status[st] / s.N }

// MilestoneBy is the share of histories that reached milestone m in truth by round t.
func (s *Summary) MilestoneBy(m, t int) float64 {
	c := 0.0
	for u := 1; u <= t && u <= s.hor; u++ {
		c += s.MsReach[m*(s.hor+1)+u]
	}
	return c / s.N
}

// MilestoneBelievedBy is the share of histories in which every actor believed milestone m reached by round t.
func (s *Summary) MilestoneBelievedBy(m, t int) float64 {
	c := 0.0
	for u := 1; u <= t && u <= s.hor; u++ {
		c += s.MsBelieved[m*(s.hor+1)+u]
	}
	return c / s.N
}

// MilestoneRounds is the mean round at which milestone m was reached, over the histories that reached it (NaN if none).
func (s *Summary) MilestoneRounds(m int) float64 {
	c, sum := 0.0, 0.0
	for u := 1; u <= s.hor; u++ {
		w := s.MsReach[m*(s.hor+1)+u]
		c += w
		sum += w * float64(u)
	}
	if c == 0 {
		return math.NaN()
	}
	return sum / c
}

// MeanSD returns the weighted mean and (population) standard deviation from
// Σw, Σw·x and Σw·x². The variance Σw·x²/Σw − mean² loses everything below
// the rounding of the two sums, about 1e-16 of the mean square per term
// added, and the square root would turn that noise into a spurious standard
// deviation of order 1e-8·|mean| for a constant x. So a variance below
// varFloor of the mean square is reported as 0: standard deviations below
// 1e-5 of the root mean square are not resolved.
func MeanSD(w, sum, sum2 float64) (mean, sd float64) {
	if w <= 0 {
		return math.NaN(), math.NaN()
	}
	mean = sum / w
	ms := sum2 / w
	v := ms - mean*mean
	if v <= varFloor*ms {
		v = 0
	}
	return mean, math.Sqrt(v)
}

// varFloor is the relative size of the rounding noise of MeanSD's variance
// that is taken for zero: a margin of about 100 over what chunked sums of
// 10⁷ equal terms leave.
const varFloor = 1e-10

// Wilson is the 95% Wilson score interval of a share p of n trials (z = 1.959964).
func Wilson(p float64, n int) (lo, hi float64) {
	return WilsonZ(p, n, 1.959963984540054)
}

// WilsonZ is the Wilson score interval with a given z.
func WilsonZ(p float64, n int, z float64) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	fn := float64(n)
	z2 := z * z
	den := 1 + z2/fn
	c := (p + z2/(2*fn)) / den
	hw := z * math.Sqrt(p*(1-p)/fn+z2/(4*fn*fn)) / den
	lo, hi = c-hw, c+hw
	// at p = 0 (p = 1) the lower (upper) end is exactly 0 (1); c ± hw only
	// gets there up to rounding, so set the ends rather than clamp them
	if lo < 0 || p <= 0 {
		lo = 0
	}
	if hi > 1 || p >= 1 {
		hi = 1
	}
	return lo, hi
}
