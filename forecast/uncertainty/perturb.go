package uncertainty

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/parleyhq/parley/forecast"
)

// Perturbation says how each run changes the input. The zero value leaves
// it as it is.
type Perturbation struct {
	// Position is the half-width of a uniform change to every position, as
	// a fraction of its dimension's scale: x becomes x + a·(2u - 1), u
	// uniform on (0, 1), a = Position × (Max - Min), clipped to [Min, Max].
	// On a dimension without a scale, a = Position × the range of the
	// actors' positions on it, and nothing is clipped.
	Position float64
	// Salience is the half-width of a uniform change to every salience, on
	// the 0-1 scale of shares (0.1 is 10 points on KTAB's 0-100 scale): s
	// becomes s + Salience·(2u - 1), clipped to [0, 1]. When an actor's
	// saliences then sum to more than 1, they are divided by their sum, so
	// that the input stays valid (KTAB files allow at most 100 in all). An
	// actor whose saliences all come out 0 cares about nothing and takes no
	// part in that run, as if dropped.
	Salience float64
	// Drop is the probability that each actor, independently, is left out
	// of a run. A run left with fewer than two actors gives no forecast.
	Drop float64
}

// check reports values out of range.
func (p Perturbation) check() error {
	switch {
	case !(p.Position >= 0) || math.IsInf(p.Position, 0):
		return fmt.Errorf("the position perturbation must be a number, 0 or more, got %g", p.Position)
	case !(p.Salience >= 0 && p.Salience <= 1):
		return fmt.Errorf("the salience perturbation must be between 0 and 1, got %g", p.Salience)
	case !(p.Drop >= 0 && p.Drop < 1):
		return fmt.Errorf("the probability of dropping an actor must be at least 0 and below 1, got %g", p.Drop)
	}
	return nil
}

// salienceSlack is the rounding allowed above a total salience of 1, as
// forecast.Validate allows it.
const salienceSlack = 1e-9

// stream is the random stream of one run.
type stream struct{ g rand.PCG }

// mix is the finaliser of SplitMix64: a bijection of 64-bit words that
// scatters neighbouring inputs.
func mix(z uint64) uint64 {
	z ^= z >> 30
	z *= 0xbf58476d1ce4e5b9
	z ^= z >> 27
	z *= 0x94d049bb133111eb
	return z ^ z>>31
}

// seed starts the stream of run n under the master seed: both halves of
// the generator's state are hashes, so neighbouring runs and seeds get
// unrelated streams.
func (s *stream) seed(seed, n uint64) {
	s.g.Seed(mix(seed^0x6a09e667f3bcc908), mix(n^mix(seed+0xbb67ae8584caa73b)))
}

// uniform returns a number uniform on (0, 1), symmetric about 1/2: one of
// the 2^53 midpoints (k + 1/2)/2^53.
func (s *stream) uniform() float64 {
	return (float64(s.g.Uint64()>>11) + 0.5) * 0x1p-53
}

// perturber draws perturbed copies of one input, reusing its buffers from
// run to run; each worker has its own.
type perturber struct {
	src   *forecast.Input
	p     Perturbation
	scale []float64 // the half-width a of each dimension
	dst   forecast.Input
	flat  []float64 // backing of the copies' positions and saliences
	keep  []int
}

func newPerturber(in *forecast.Input, p Perturbation) *perturber {
	nd := len(in.Dimensions)
	pt := &perturber{src: in, p: p, scale: make([]float64, nd)}
	for k, d := range in.Dimensions {
		span := d.Max - d.Min
		if !d.Bounded {
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, a := range in.Actors {
				lo, hi = math.Min(lo, a.Position[k]), math.Max(hi, a.Position[k])
			}
			span = hi - lo
		}
		pt.scale[k] = p.Position * span
	}
	pt.dst = forecast.Input{Name: in.Name, Description: in.Description, Format: in.Format,
		Dimensions: in.Dimensions, SMP: in.SMP, Seed: in.Seed}
	pt.flat = make([]float64, 2*nd*len(in.Actors))
	return pt
}

// draw fills the perturbed copy for the stream r and returns it with its
// number of actors. Every run draws the same numbers in the same order —
// for each actor, one for dropping it, then one for the position and one
// for the salience on each dimension — whatever the perturbation, so that
// runs under different settings meet the same draws. The copy is valid
// (forecast.Validate accepts it) when it has two actors or more; it lives
// until the next draw.
func (pt *perturber) draw(r *stream) (*forecast.Input, int) {
	in, p := pt.src, pt.p
	nd := len(in.Dimensions)
	pt.dst.Actors = pt.dst.Actors[:0]
	pt.keep = pt.keep[:0]
	for i, a := range in.Actors {
		drop := r.uniform() < p.Drop
		pos := pt.flat[2*nd*i : 2*nd*i+nd : 2*nd*i+nd]
		sal := pt.flat[2*nd*i+nd : 2*nd*(i+1) : 2*nd*(i+1)]
		total := 0.0
		for k, d := range in.Dimensions {
			x := a.Position[k] + pt.scale[k]*(2*r.uniform()-1)
			if d.Bounded {
				x = math.Min(d.Max, math.Max(d.Min, x))
			}
			pos[k] = x
			s := a.Salience[k] + p.Salience*(2*r.uniform()-1)
			s = math.Min(1, math.Max(0, s))
			sal[k] = s
			total += s
		}
		if total > 1+salienceSlack {
			for k := range sal {
				sal[k] /= total
			}
		}
		if drop || total == 0 {
			continue
		}
		pt.keep = append(pt.keep, i)
		pt.dst.Actors = append(pt.dst.Actors, forecast.Actor{Name: a.Name, Description: a.Description,
			Capability: a.Capability, Position: pos, Salience: sal})
	}
	pt.dst.Accommodation = nil
	if in.Accommodation != nil {
		acc := make([][]float64, len(pt.keep))
		for r, i := range pt.keep {
			acc[r] = make([]float64, len(pt.keep))
			for c, j := range pt.keep {
				acc[r][c] = in.Accommodation[i][j]
			}
		}
		pt.dst.Accommodation = acc
	}
	return &pt.dst, len(pt.keep)
}
