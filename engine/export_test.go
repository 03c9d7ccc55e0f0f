package engine

import "github.com/parleyhq/parley/model"

// NewPlain is New with every memo that lasts across histories turned off:
// each history computes its decisions, σ values and projections afresh.
func NewPlain(r *model.Roadmap) *History {
	h := New(r)
	h.plain, h.lm = true, nil
	return h
}
