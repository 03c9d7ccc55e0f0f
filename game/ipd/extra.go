package ipd

// Rules beyond the reference list, from the literature and from the
// reference library, most of them with parameters.

// memoryOnePlayer cooperates with a probability set by the previous turn's
// outcome. Rules computed from the payoffs are computed again at each Reset.
type memoryOnePlayer struct {
	rule    MemoryOneRule
	compute func(Payoffs) MemoryOneRule // nil: rule is fixed
}

func (m *memoryOnePlayer) Reset(v *View) {
	if m.compute != nil {
		m.rule = m.compute(v.Payoffs)
	}
}

func (m *memoryOnePlayer) Move(v *View) Action {
	p := m.rule.Initial
	if len(v.Own) > 0 {
		p = m.rule.P[state(v.OwnLast(), v.OppLast())]
	}
	if v.Rand.Chance(p) {
		return C
	}
	return D
}

// random cooperates with probability p on every turn.
type random float64

func (r random) Reset(*View) {}
func (r random) Move(v *View) Action {
	if v.Rand.Chance(float64(r)) {
		return C
	}
	return D
}

// contrite plays tit for tat, but when noise turned its intended C into a D
// against the opponent's C it becomes contrite: it then answers the
// opponent's retaliation with C, until one of its Cs gets through.
type contrite struct {
	contrite bool
	intended Action // what it chose last turn, before noise
}

func (c *contrite) Reset(*View) { *c = contrite{} }
func (c *contrite) Move(v *View) Action {
	a := c.move(v)
	c.intended = a
	return a
}

func (c *contrite) move(v *View) Action {
	if len(v.Opp) == 0 {
		return C
	}
	if c.contrite && v.OwnLast() == C {
		c.contrite = false
		return C
	}
	if c.intended != v.OwnLast() && v.OwnLast() == D && v.OppLast() == C {
		c.contrite = true
	}
	return v.OppLast()
}

// gradual answers a defection, when it is not already punishing or
// calming down, with as many Ds as the opponent has defected in all, then
// two Cs (the reference library's Gradual).
type gradual struct{ punish, calm int }

func (g *gradual) Reset(*View) { *g = gradual{} }
func (g *gradual) Move(v *View) Action {
	if len(v.Opp) == 0 {
		return C
	}
	if g.punish > 0 {
		g.punish--
		return D
	}
	if g.calm > 0 {
		g.calm--
		return C
	}
	if v.OppLast() == D {
		g.punish = v.OppDefections - 1
		g.calm = 2
		return D
	}
	return C
}

// originalGradual is Beaufils, Delahaye and Mathieu's 1997 rule: the n-th
// punishment, started by a defection seen outside a punishment, is n Ds
// followed by two Cs.
type originalGradual struct {
	calming, punishing bool
	count, limit       int
}

func (g *originalGradual) Reset(*View) { *g = originalGradual{} }
func (g *originalGradual) Move(v *View) Action {
	if g.calming {
		g.calming = false
		return C
	}
	if g.punishing {
		if g.count < g.limit {
			g.count++
			return D
		}
		g.calming, g.punishing, g.count = true, false, 0
		return C
	}
	if len(v.Opp) > 0 && v.OppLast() == D {
		g.punishing = true
		g.count++
		g.limit++
		return D
	}
	return C
}

// majority plays the opponent's majority move over its last window moves
// (all of them when window is 0); a tie gives C if soft, D if hard.
type majority struct {
	window int
	soft   bool
}

func (m majority) Reset(*View) {}
func (m majority) Move(v *View) Action {
	d, n := v.OppDefections, len(v.Opp)
	if m.window > 0 && n > m.window {
		d = 0
		for _, a := range v.Opp[n-m.window:] {
			d += int(a)
		}
		n = m.window
	}
	switch c := n - d; {
	case d > c:
		return D
	case d < c:
		return C
	case m.soft:
		return C
	default:
		return D
	}
}

// handshake opens C, D and cooperates for ever if the opponent opened the
// same way, defecting for ever otherwise.
type handshake struct{}

func (handshake) Reset(*View) {}
func (handshake) Move(v *View) Action {
	switch len(v.Own) {
	case 0:
		return C
	case 1:
		return D
	}
	if v.Opp[0] == C && v.Opp[1] == D {
		return C
	}
	return D
}

// cycler repeats a fixed sequence of moves.
type cycler []Action

func (c cycler) Reset(*View)         {}
func (c cycler) Move(v *View) Action { return c[len(v.Own)%len(c)] }

// hardTitForTat defects if the opponent defected on any of the three previous turns.
type hardTitForTat struct{}

func (hardTitForTat) Reset(*View) {}
func (hardTitForTat) Move(v *View) Action {
	n := len(v.Opp)
	for _, a := range v.Opp[max(0, n-3):] {
		if a == D {
			return D
		}
	}
	return C
}

// hardTitFor2Tats defects if the opponent defected twice in a row within
// the three previous turns.
type hardTitFor2Tats struct{}

func (hardTitFor2Tats) Reset(*View) {}
func (hardTitFor2Tats) Move(v *View) Action {
	n := len(v.Opp)
	last := v.Opp[max(0, n-3):]
	for k := 1; k < len(last); k++ {
		if last[k] == D && last[k-1] == D {
			return D
		}
	}
	return C
}

// sneakyTitForTat tries a defection once the opponent has cooperated
// throughout, and apologises once if punished for it.
type sneakyTitForTat struct{}

func (sneakyTitForTat) Reset(*View) {}
func (sneakyTitForTat) Move(v *View) Action {
	n := len(v.Own)
	switch {
	case n < 2:
		return C
	case v.OppDefections == 0:
		return D
	case v.OppLast() == D && v.Own[n-2] == D:
		return C
	}
	return v.OppLast()
}

// forgetfulGrudger defects for ten turns after each defection it sees,
// then forgets.
type forgetfulGrudger struct {
	grudged bool
	count   int
}

func (g *forgetfulGrudger) Reset(*View) { *g = forgetfulGrudger{} }
func (g *forgetfulGrudger) Move(v *View) Action {
	if g.count == 10 {
		g.count, g.grudged = 0, false
	}
	if len(v.Opp) > 0 && v.OppLast() == D {
		g.grudged = true
	}
	if g.grudged {
		g.count++
		return D
	}
	return C
}
