package model

// PathTerms returns, for a profile of types (one per actor), every actor's
// terms in every phase under complete information, along the path on which
// every move is delivered (model.md §7): all of the phase's moves owed,
// insecurity projected from its starting value by the security moves of the
// earlier phases, V(k+1) with q = 1, and P = 1. terms[k][a] is actor a in
// phase k (zero when a has no move there: its B and V are still set);
// insec[k][a] is a's projected insecurity when phase k is played.
func (r *Roadmap) PathTerms(profile []int) (terms [][]Terms, insec [][]float64) {
	na, K := len(r.Actors), len(r.Phases)
	terms = make([][]Terms, K)
	insec = make([][]float64, K)
	for k := 0; k < K; k++ {
		terms[k] = make([]Terms, na)
		insec[k] = make([]float64, na)
		for a := 0; a < na; a++ {
			if k == 0 {
				insec[k][a] = r.Actors[a].Insecurity
			} else {
				insec[k][a] = insec[k-1][a] * r.Phases[k-1].CutFactor[a]
			}
		}
	}
	for a := 0; a < na; a++ {
		t := profile[a]
		ac := &r.Actors[a]
		d := ac.Discount
		after := 0.0
		if lv := ac.Types[t].LastingValue; lv > 0 {
			after = d * lv / (1 - d)
		}
		for k := K - 1; k >= 0; k-- {
			p := &r.Phases[k]
			s := insec[k][a]
			tm := p.Terms(a, t, s, after)
			tm.P = 1
			terms[k][a] = tm
			after = d * (tm.B - tm.C + after)
		}
	}
	return terms, insec
}

// WholeValue is the value to actor a of the whole roadmap with everything
// delivered and full trust, seen before the first phase, from the terms of
// PathTerms: Σ_k δ^(k−1)·(b_k − c_k) + δ^K·lasting/(1 − δ).
func WholeValue(terms [][]Terms, a int) float64 {
	if len(terms) == 0 {
		return 0
	}
	t0 := terms[0][a]
	return t0.B - t0.C + t0.V
}
