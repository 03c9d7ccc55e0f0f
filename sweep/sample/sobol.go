package sample

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// joeKuo holds the direction numbers of new-joe-kuo-6.21201 for dimensions 2
// to MaxSobolDim; the file's header says where they come from.
//
//go:embed new-joe-kuo-6.1024.txt
var joeKuo string

// MaxSobolDim is the largest dimension of a [Sobol] sequence.
const MaxSobolDim = 1024

// sobolBits is the number of bits of each coordinate: points are multiples
// of 2^-32 and the sequence has 2^32 points.
const sobolBits = 32

// MaxSobolPoints is the number of points of a [Sobol] sequence.
const MaxSobolPoints = uint64(1) << sobolBits

var (
	directionsOnce sync.Once
	directions     [][sobolBits]uint32 // directions[j][b]: direction number b of dimension j+1, scaled by 2^32
	directionsErr  error
)

// loadDirections parses the embedded table and expands each dimension's
// initial numbers m_1..m_s into 32 direction numbers with the recurrence of
// its primitive polynomial x^s + a_1 x^(s-1) + ... + a_(s-1) x + 1:
//
//	m_k = 2 a_1 m_(k-1) ⊕ 4 a_2 m_(k-2) ⊕ ... ⊕ 2^(s-1) a_(s-1) m_(k-s+1) ⊕ 2^s m_(k-s) ⊕ m_(k-s)
//
// and v_k = m_k / 2^k. Dimension 1 has v_k = 2^-k (the van der Corput sequence).
func loadDirections() {
	directions = make([][sobolBits]uint32, 1, MaxSobolDim)
	for b := range sobolBits {
		directions[0][b] = 1 << (sobolBits - 1 - b)
	}
	for ln, line := range strings.Split(joeKuo, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") || f[0] == "d" {
			continue
		}
		nums := make([]uint64, len(f))
		for i, s := range f {
			n, err := strconv.ParseUint(s, 10, 32)
			if err != nil {
				directionsErr = fmt.Errorf("sobol table line %d: %v", ln+1, err)
				return
			}
			nums[i] = n
		}
		d, s, a, m := int(nums[0]), int(nums[1]), nums[2], nums[3:]
		if d != len(directions)+1 || len(m) != s || s < 1 || s > sobolBits {
			directionsErr = fmt.Errorf("sobol table line %d: malformed entry for dimension %d", ln+1, d)
			return
		}
		var mk [sobolBits]uint64
		for k := 0; k < sobolBits; k++ {
			if k < s {
				mk[k] = m[k]
				if mk[k]%2 == 0 || mk[k] >= 1<<(k+1) {
					directionsErr = fmt.Errorf("sobol table line %d: m_%d = %d must be odd and below 2^%d", ln+1, k+1, mk[k], k+1)
					return
				}
				continue
			}
			x := mk[k-s] ^ (mk[k-s] << s)
			for i := 1; i < s; i++ {
				if (a>>(s-1-i))&1 == 1 {
					x ^= mk[k-i] << i
				}
			}
			mk[k] = x
		}
		var v [sobolBits]uint32
		for k := range sobolBits {
			v[k] = uint32(mk[k] << (sobolBits - 1 - k))
		}
		directions = append(directions, v)
	}
	if directionsErr == nil && len(directions) != MaxSobolDim {
		directionsErr = fmt.Errorf("sobol table holds %d dimensions, want %d", len(directions), MaxSobolDim)
	}
}

// Sobol is the Sobol sequence in Dim dimensions, unscrambled, in Gray-code
// order (the order of Joe and Kuo's generator and of SciPy's): point k is the
// XOR of the direction numbers selected by the bits of k ⊕ (k >> 1). Point 0
// is the origin; a sample of n points usually starts at point 1, whose
// coordinates are all 1/2.
type Sobol struct {
	dim int
}

// NewSobol returns the Sobol sequence in dim dimensions (1 ≤ dim ≤ MaxSobolDim).
func NewSobol(dim int) (*Sobol, error) {
	directionsOnce.Do(loadDirections)
	if directionsErr != nil {
		return nil, directionsErr
	}
	if dim < 1 || dim > MaxSobolDim {
		return nil, fmt.Errorf("a Sobol sequence has 1 to %d dimensions, not %d", MaxSobolDim, dim)
	}
	return &Sobol{dim: dim}, nil
}

// Dim is the number of dimensions.
func (s *Sobol) Dim() int { return s.dim }

// Point writes point k (0 ≤ k < MaxSobolPoints) to dst[:Dim]. Each
// coordinate is a multiple of 2^-32 in [0, 1).
func (s *Sobol) Point(k uint64, dst []float64) {
	if k >= MaxSobolPoints {
		panic("sample: Sobol point index out of range")
	}
	g := k ^ (k >> 1)
	for j := 0; j < s.dim; j++ {
		v := &directions[j]
		var x uint32
		for b, h := 0, g; h != 0; b, h = b+1, h>>1 {
			if h&1 == 1 {
				x ^= v[b]
			}
		}
		dst[j] = float64(x) * 0x1p-32
	}
}
