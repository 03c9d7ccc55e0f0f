package montecarlo

import (
	"sort"

	"github.com/parleyhq/parley/engine"
)

// sortedCauses returns the keys of m in a fixed order.
func sortedCauses(m map[engine.Cause]float64) []engine.Cause {
	out := make([]engine.Cause, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Actor != b.Actor {
			return a.Actor < b.Actor
		}
		if a.Other != b.Other {
			return a.Other < b.Other
		}
		return a.Step < b.Step
	})
	return out
}

// SortedCauses returns the causes of the summary, most frequent first (ties in a fixed order).
func (s *Summary) SortedCauses() []engine.Cause {
	out := sortedCauses(s.Causes)
	sort.SliceStable(out, func(i, j int) bool { return s.Causes[out[i]] > s.Causes[out[j]] })
	return out
}
