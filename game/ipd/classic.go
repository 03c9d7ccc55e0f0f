package ipd

import "math"

// The 18 deterministic rules of the reference list (Axelrod's library
// 4.13.0, including six entries of Axelrod's first tournament). Each type
// keeps the state its rule needs; Reset clears it.

// always plays the same move.
type always Action

func (a always) Reset(*View)       {}
func (a always) Move(*View) Action { return Action(a) }

// titForTat copies the opponent's previous move, opening with first.
type titForTat Action

func (t titForTat) Reset(*View) {}
func (t titForTat) Move(v *View) Action {
	if len(v.Opp) == 0 {
		return Action(t)
	}
	return v.OppLast()
}

// grudger cooperates until the opponent has defected once.
type grudger struct{}

func (grudger) Reset(*View) {}
func (grudger) Move(v *View) Action {
	if v.OppDefections > 0 {
		return D
	}
	return C
}

// titFor2Tats defects only after two defections in a row.
type titFor2Tats struct{}

func (titFor2Tats) Reset(*View) {}
func (titFor2Tats) Move(v *View) Action {
	n := len(v.Opp)
	if n >= 2 && v.Opp[n-1] == D && v.Opp[n-2] == D {
		return D
	}
	return C
}

// twoTitsForTat defects if either of the opponent's last two moves was D.
type twoTitsForTat struct{}

func (twoTitsForTat) Reset(*View) {}
func (twoTitsForTat) Move(v *View) Action {
	n := len(v.Opp)
	if (n >= 1 && v.Opp[n-1] == D) || (n >= 2 && v.Opp[n-2] == D) {
		return D
	}
	return C
}

// winStayLoseShift repeats its move after CC or DD and switches after CD or DC.
type winStayLoseShift struct{}

func (winStayLoseShift) Reset(*View) {}
func (winStayLoseShift) Move(v *View) Action {
	if len(v.Own) == 0 || v.OwnLast() == v.OppLast() {
		return C
	}
	return D
}

// alternator plays C, D, C, D, … from its own previous move.
type alternator struct{}

func (alternator) Reset(*View) {}
func (alternator) Move(v *View) Action {
	if len(v.Own) == 0 {
		return C
	}
	return v.OwnLast().Flip()
}

// bully plays first, then the opposite of the opponent's last move
// (Bully opens with D, AntiTitForTat with C).
type bully struct{ first Action }

func (bully) Reset(*View) {}
func (b bully) Move(v *View) Action {
	if len(v.Opp) == 0 {
		return b.first
	}
	return v.OppLast().Flip()
}

// prober opens D, C, C, then defects for ever if the opponent did not
// defect on turns 2 and 3, and plays tit for tat otherwise.
type prober struct{}

func (prober) Reset(*View) {}
func (prober) Move(v *View) Action {
	switch t := len(v.Own); {
	case t == 0:
		return D
	case t < 3:
		return C
	case v.Opp[1] == C && v.Opp[2] == C:
		return D
	default:
		return v.OppLast()
	}
}

// adaptive opens with six Cs and five Ds, then plays the move whose running
// total of payoffs is strictly larger (D on ties).
type adaptive struct{ total [2]float64 }

func (a *adaptive) Reset(*View) { a.total = [2]float64{} }
func (a *adaptive) Move(v *View) Action {
	t := len(v.Own)
	if t > 0 {
		own, _ := v.Payoffs.Score(v.OwnLast(), v.OppLast())
		a.total[v.OwnLast()] += own
	}
	switch {
	case t < 6:
		return C
	case t < 11:
		return D
	case a.total[C] > a.total[D]:
		return C
	default:
		return D
	}
}

// davis cooperates on the first ten turns, then plays grudger.
type davis struct{}

func (davis) Reset(*View) {}
func (davis) Move(v *View) Action {
	if len(v.Own) < 10 || v.OppDefections == 0 {
		return C
	}
	return D
}

// shubik retaliates for k turns after the opponent defects against its
// cooperation, with k growing by one each time.
type shubik struct{ length, remaining int }

func (s *shubik) Reset(*View) { *s = shubik{} }
func (s *shubik) Move(v *View) Action {
	if len(v.Own) == 0 {
		return C
	}
	if s.remaining > 0 {
		s.remaining--
		return D
	}
	if v.OwnLast() == C && v.OppLast() == D {
		s.length++
		s.remaining = s.length - 1
		return D
	}
	return C
}

// nydegger looks up the outcomes of the last three turns in a fixed table.
type nydegger struct{}

// nydeggerDefects marks the values of A = 16·a1 + 4·a2 + a3 on which
// Nydegger's rule defects.
var nydeggerDefects = func() (m [64]bool) {
	for _, a := range []int{1, 6, 7, 17, 22, 23, 26, 29, 30, 31, 33, 38, 39, 45, 49, 54, 55, 58, 61} {
		m[a] = true
	}
	return m
}()

// nydeggerScore is an outcome's weight in Nydegger's table, by [state]:
// 0 for CC, 2 if only the opponent defected, 1 if only this player did, 3 for DD.
var nydeggerScore = [4]int{0, 2, 1, 3}

func (nydegger) Reset(*View) {}
func (nydegger) Move(v *View) Action {
	t := len(v.Own)
	switch {
	case t == 0:
		return C
	case t == 1:
		return v.OppLast()
	case t == 2:
		if v.Opp[0] == D && v.Opp[1] == C {
			return D
		}
		return v.OppLast()
	}
	a := 0
	for k, w := range [3]int{16, 4, 1} {
		a += w * nydeggerScore[state(v.Own[t-1-k], v.Opp[t-1-k])]
	}
	if nydeggerDefects[a] {
		return D
	}
	return C
}

// chiSquare95 is the 95% quantile of the chi-square law with one degree of
// freedom: a statistic at or below it has a p-value of at least 0.05.
const chiSquare95 = 3.841458820694124

// steinRapoport plays tit for tat after four Cs, defects while a chi-square
// test run every 15 turns finds the opponent random, and defects on the
// last two turns when it knows the length.
type steinRapoport struct{ random bool }

func (s *steinRapoport) Reset(*View) { s.random = false }
func (s *steinRapoport) Move(v *View) Action {
	a := s.move(v)
	if v.Length > 0 && v.Remaining() >= 0 && v.Remaining() < 2 {
		return D
	}
	return a
}

func (s *steinRapoport) move(v *View) Action {
	t := v.Turn()
	switch {
	case t < 5:
		return C
	case t < 15:
		return v.OppLast()
	}
	if t%15 == 0 {
		d := float64(v.OppDefections)
		c := float64(len(v.Opp)) - d
		s.random = (c-d)*(c-d)/(c+d) <= chiSquare95
	}
	if s.random {
		return D
	}
	return v.OppLast()
}

// tidemanChieruzzi retaliates with runs that grow by one for each run of
// the opponent's defections, gives the opponent fresh starts, and defects on
// the last two turns when it knows the length.
type tidemanChieruzzi struct {
	length, remaining int     // retaliation length L and what is left of the current run
	own, opp          float64 // running scores, never reset
	lastFresh         int     // turn of the last fresh start, 0 for none
	pending           bool    // the second C of a fresh start is due
	oppDefections     int     // opponent defections since the last fresh start
}

func (p *tidemanChieruzzi) Reset(*View) { *p = tidemanChieruzzi{} }
func (p *tidemanChieruzzi) Move(v *View) Action {
	a := p.move(v)
	if v.Length > 0 && v.Remaining() >= 0 && v.Remaining() < 2 {
		return D
	}
	return a
}

func (p *tidemanChieruzzi) move(v *View) Action {
	if len(v.Opp) == 0 {
		return C
	}
	last := v.OppLast()
	if last == D {
		p.oppDefections++
	}
	own, opp := v.Payoffs.Score(v.OwnLast(), last)
	p.own += own
	p.opp += opp
	if p.pending {
		p.pending = false
		return C
	}
	t := v.Turn()
	if p.lastFresh == 0 || t-p.lastFresh >= 20 {
		// With an unknown length the remaining turns count as infinite,
		// as in the reference library, so that condition then holds.
		enoughLeft := v.Length <= 0 || v.Length-t >= 10
		if p.own-p.opp >= 10 && enoughLeft && last == C {
			n := float64(len(v.Opp))
			sd := math.Sqrt(n) / 2
			k := float64(p.oppDefections)
			if k <= n/2-3*sd || k >= n/2+3*sd {
				p.lastFresh = t
				p.length, p.remaining, p.oppDefections = 0, 0, 0
				p.pending = true
				return C
			}
		}
	}
	if p.remaining > 0 {
		p.remaining--
		return D
	}
	if last == D {
		p.length++
		p.remaining = p.length - 1
		return D
	}
	return C
}

// downing estimates how the opponent answers its C and its D and plays the
// move with the larger expected payoff, switching moves on exact ties.
type downing struct{ x, y int }

func (d *downing) Reset(*View) { *d = downing{} }
func (d *downing) Move(v *View) Action {
	t := len(v.Own)
	switch t {
	case 0:
		return D
	case 1:
		if v.Opp[0] == C {
			d.x++
		}
		return D
	}
	if v.Opp[t-1] == C {
		if v.Own[t-2] == C {
			d.x++
		} else {
			d.y++
		}
	}
	cs := t - v.OwnDefections
	alpha := float64(d.x) / float64(cs+1)
	beta := float64(d.y) / float64(max(v.OwnDefections, 2))
	p := v.Payoffs
	// The explicit conversions keep each product rounded on its own, as in
	// the reference library, whatever the compiler would fuse.
	ec := float64(alpha*p.R) + float64((1-alpha)*p.S)
	ed := float64(beta*p.T) + float64((1-beta)*p.P)
	switch {
	case ec > ed:
		return C
	case ec < ed:
		return D
	default:
		return v.OwnLast().Flip()
	}
}
