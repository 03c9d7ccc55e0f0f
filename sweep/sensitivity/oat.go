package sensitivity

import (
	"cmp"
	"math"
	"slices"
)

// Swing is how far one factor, moved alone from the base point, moves the output.
type Swing struct {
	// Factor is the factor's index.
	Factor int
	// Low and High are the outputs at the factor's lowest and highest level
	// (which may lie on either side of Base).
	Low, High float64
	// Min and Max are the smallest and largest outputs over all its levels
	// and the base point (the factor at its base value).
	Min, Max float64
	// Range is Max − Min, the length of the tornado's bar.
	Range float64
}

// OneAtATime summarises each factor's outputs, ys[i][l] being the output
// with factor i at its l-th level (levels in increasing order) and every
// other factor at its base value; base is the output at the base point. The
// swings come sorted by decreasing Range, ties by factor index: the order of
// the bars of a tornado chart.
func OneAtATime(base float64, ys [][]float64) []Swing {
	out := make([]Swing, 0, len(ys))
	for i, y := range ys {
		if len(y) == 0 {
			continue
		}
		s := Swing{Factor: i, Low: y[0], High: y[len(y)-1], Min: base, Max: base}
		for _, v := range y {
			s.Min, s.Max = math.Min(s.Min, v), math.Max(s.Max, v)
		}
		s.Range = s.Max - s.Min
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(a, b Swing) int {
		return cmp.Or(cmp.Compare(b.Range, a.Range), cmp.Compare(a.Factor, b.Factor))
	})
	return out
}
