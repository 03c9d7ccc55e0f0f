package scenario

import (
	"github.com/parleyhq/parley/game/ipd"

	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The written values of the string choices of the format. An empty string
// in a scenario built in Go stands for the default (the first of each pair);
// Load fills it in.
const (
	OrderSimultaneous     = "simultaneous"
	OrderSequential       = "sequential"
	ReciprocationRequired = "required"
	ReciprocationInvited  = "invited"
	AlignFirst            = "first"
	AlignLast             = "last"
)

// Validate checks a scenario and returns every problem it finds as an
// *Error, or nil if there is none. Each problem names its field path; the
// problems carry no file position (Load adds it for files).
//
// Validate does not fill defaults. In a scenario built in Go, the zero value
// of a field whose file form has a default stands for that default: a
// horizon, rationality or stalemate_rounds of 0, an empty round length,
// response kind, order, reciprocation or align. (A file that writes such a
// field as 0 is rejected by Load, which knows the field was written.)
func Validate(s *Scenario) error {
	if s == nil {
		return &Error{Problems: []Problem{{Msg: "no scenario (nil)"}}}
	}
	vps := validate(s, false)
	if len(vps) == 0 {
		return nil
	}
	ps := make([]Problem, len(vps))
	for i, p := range vps {
		ps[i] = Problem{Path: p.path, Msg: p.msg}
	}
	return &Error{Problems: sortProblems(ps)}
}

// vproblem is a problem found by validation; onKey says that it concerns a
// mapping key (an id used as a key) rather than the value under it.
type vproblem struct {
	path, msg string
	onKey     bool
	// at, when set, is the path whose position locates the problem (for a
	// missing field, the field that calls for it).
	at string
}

type validator struct {
	s *Scenario
	// explicit: zero values were written in the file (Load), rather than
	// standing for defaults (a scenario built in Go).
	explicit bool
	problems []vproblem
	actorIDs []string
	moveIDs  []string
	actors   map[string]*Actor
	moves    map[string]*Move
}

func validate(s *Scenario, explicit bool) []vproblem {
	v := &validator{s: s, explicit: explicit, actors: map[string]*Actor{}, moves: map[string]*Move{}}
	for i := range s.Actors {
		a := &s.Actors[i]
		if _, dup := v.actors[a.ID]; !dup && a.ID != "" {
			v.actors[a.ID] = a
			v.actorIDs = append(v.actorIDs, a.ID)
		}
	}
	for i := range s.Moves {
		m := &s.Moves[i]
		if _, dup := v.moves[m.ID]; !dup && m.ID != "" {
			v.moves[m.ID] = m
			v.moveIDs = append(v.moveIDs, m.ID)
		}
	}
	v.scenario()
	v.environment()
	v.actorsAndTypes()
	v.movesCheck()
	v.roadmaps()
	v.milestones()
	return v.problems
}

func (v *validator) add(path, format string, args ...any) {
	v.problems = append(v.problems, vproblem{path: path, msg: fmt.Sprintf(format, args...)})
}

func (v *validator) addKey(path, format string, args ...any) {
	v.problems = append(v.problems, vproblem{path: path, msg: fmt.Sprintf(format, args...), onKey: true})
}

var (
	nameRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	idRE   = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)
)

func (v *validator) scenario() {
	switch n := v.s.Name; {
	case n == "":
		v.add("name", "the scenario has no name; give it a short one of letters, digits, '-' and '_'")
	case !nameRE.MatchString(n):
		v.add("name", "%q is not a valid name; use only letters, digits, '-' and '_'", n)
	}
	if len(v.s.Actors) < 2 {
		v.add("actors", "the scenario has %s; it needs at least two", count(len(v.s.Actors), "actor"))
	}
	if len(v.s.Roadmaps) == 0 {
		v.add("roadmaps", "the scenario has no roadmaps; it needs at least one")
	}
}

// ids checks that the ids of one list are present, well-formed and unique.
func (v *validator) ids(list, noun string, n int, id func(int) string) {
	first := map[string]int{}
	for i := range n {
		path := fmt.Sprintf("%s[%d].id", list, i)
		switch x := id(i); {
		case x == "":
			v.add(path, "the %s has no id; give it one of letters, digits, '-', '_' and '.'", noun)
		case !idRE.MatchString(x):
			v.add(path, "%q is not a valid id; use only letters, digits, '-', '_' and '.'", x)
		default:
			if j, dup := first[x]; dup {
				v.add(path, "duplicate %s id %q (also %s[%d]); ids must be unique", noun, x, list, j)
			} else {
				first[x] = i
			}
		}
	}
}

func (v *validator) environment() {
	env := &v.s.Environment
	if env.Horizon < 1 && (v.explicit || env.Horizon != 0) {
		v.add("environment.horizon", "must be at least 1 round, got %d", env.Horizon)
	}
	v.probability("environment.noise", env.Noise)
	v.probability("environment.misperception", env.Misperception)
	v.probability("environment.threat_response", env.ThreatResponse)
	if r := float64(env.Rationality); !(r > 0) && (v.explicit || r != 0) {
		v.add("environment.rationality", "must be greater than 0 (or inf for the deterministic rules), got %s", formatNumber(r))
	}
	if env.StalemateRounds < 1 && (v.explicit || env.StalemateRounds != 0) {
		v.add("environment.stalemate_rounds", "must be at least 1 round, got %d", env.StalemateRounds)
	}
	v.ids("environment.shocks", "shock", len(env.Shocks), func(i int) string { return env.Shocks[i].ID })
	for i, sh := range env.Shocks {
		path := fmt.Sprintf("environment.shocks[%d]", i)
		v.probability(path+".probability", sh.Probability)
		v.actorRef(path+".target", sh.Target, "the actor the shock is about")
		switch {
		case sh.Insecurity == nil && sh.Trust == nil:
			v.add(path, "the shock has no effect; give it insecurity: X or trust: X (a fraction between 0 and 1)")
		case sh.Insecurity != nil && sh.Trust != nil:
			v.add(path, "the shock has two effects; give it either insecurity or trust, not both (use two shocks for both)")
		}
		if sh.Insecurity != nil {
			v.fraction(path+".insecurity", *sh.Insecurity)
		}
		if sh.Trust != nil {
			v.fraction(path+".trust", *sh.Trust)
		}
	}
}

// horizon returns the horizon in force, or 0 when it is invalid.
func (v *validator) horizon() int {
	h := v.s.Environment.Horizon
	if h == 0 && !v.explicit {
		return DefaultHorizon
	}
	return max(h, 0)
}

func (v *validator) actorsAndTypes() {
	v.ids("actors", "actor", len(v.s.Actors), func(i int) string { return v.s.Actors[i].ID })
	for i := range v.s.Actors {
		a := &v.s.Actors[i]
		path := fmt.Sprintf("actors[%d]", i)
		name := actorName(a, i)
		if len(a.Types) == 0 {
			v.add(path+".types", "actor %s has no types; give it at least one, with prior 1", name)
		}
		v.ids(path+".types", "type", len(a.Types), func(j int) string { return a.Types[j].ID })
		sum, inRange := 0.0, true
		for j := range a.Types {
			t := &a.Types[j]
			tp := fmt.Sprintf("%s.types[%d]", path, j)
			if !v.probability(tp+".prior", t.Prior) {
				inRange = false
			}
			sum += t.Prior
			switch t.Disposition {
			case Reciprocator, Opportunist, Hardliner:
			case "":
				v.add(tp+".disposition", "the type has no disposition; expected reciprocator, opportunist or hardliner")
			default:
				v.add(tp+".disposition", "unknown disposition %q; expected reciprocator, opportunist or hardliner", t.Disposition)
			}
			if t.Symbolic != nil {
				v.nonNegative(tp+".symbolic", *t.Symbolic)
			}
			if t.LastingValue != nil {
				v.nonNegative(tp+".lasting_value", *t.LastingValue)
			}
			v.typeOverrides(a, tp, t)
		}
		if len(a.Types) > 0 && inRange && math.Abs(sum-1) > 1e-9 {
			v.add(path+".types", "the priors of actor %s's types sum to %s; they must sum to 1", name, formatSum(sum))
		}
		if !(a.Discount > 0 && a.Discount <= 1) {
			v.add(path+".discount", "must be greater than 0 and at most 1, got %s", formatNumber(a.Discount))
		} else if a.Discount == 1 {
			if what := positiveLastingValue(a); what != "" {
				v.add(path+".discount", "a discount of 1 makes a positive lasting value (%s) worth an infinite amount; use a discount below 1, such as 0.95, or drop the lasting value", what)
			}
		}
		v.fraction(path+".insecurity", a.Insecurity)
		v.nonNegative(path+".insecurity_weight", a.InsecurityWeight)
		if a.Symbolic != nil {
			v.nonNegative(path+".symbolic", *a.Symbolic)
		}
		v.nonNegative(path+".lasting_value", a.LastingValue)
		v.response(path+".response", a.Response)
		v.beliefs(path, a)
	}
}

// positiveLastingValue says where an actor has a positive lasting value, or "".
func positiveLastingValue(a *Actor) string {
	if a.LastingValue > 0 && (len(a.Types) == 0 || slices.ContainsFunc(a.Types, func(t Type) bool { return t.LastingValue == nil })) {
		return "lasting_value " + formatNumber(a.LastingValue)
	}
	for _, t := range a.Types {
		if lv := a.LastingValueOf(&t); lv > 0 {
			return fmt.Sprintf("lasting_value %s of type %s", formatNumber(lv), t.ID)
		}
	}
	return ""
}

func (v *validator) typeOverrides(a *Actor, tp string, t *Type) {
	var own, others []string
	for _, id := range v.moveIDs {
		if v.moves[id].By == a.ID {
			own = append(own, id)
		} else {
			others = append(others, id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(t.Costs)) {
		p := joinKey(tp+".costs", id)
		m, ok := v.moves[id]
		switch {
		case len(own) == 0:
			v.addKey(p, "%s makes no moves, so its types have no costs to override; remove %q", a.ID, id)
		case !ok:
			v.addKey(p, "unknown move %q; expected one of %s's moves: %s", id, a.ID, strings.Join(own, ", "))
		case m.By != a.ID:
			v.addKey(p, "move %q is made by %s; a cost override names a move by %s itself (%s)", id, m.By, a.ID, orNone(own))
		}
		v.cost(p, t.Costs[id])
	}
	for _, id := range slices.Sorted(maps.Keys(t.Benefits)) {
		p := joinKey(tp+".benefits", id)
		m, ok := v.moves[id]
		switch {
		case !ok:
			v.addKey(p, "unknown move %q; expected one of the other actors' moves: %s", id, orNone(others))
		case m.By == a.ID:
			v.addKey(p, "move %q is %s's own move; a benefit override names a move by another actor (%s)", id, a.ID, orNone(others))
		}
		v.benefit(p, t.Benefits[id])
	}
}

func (v *validator) response(path string, r Response) {
	switch r.Kind {
	case Grim, TitForTat, Generous, Patient:
	case "":
	case Strategy:
		if _, err := ipd.Lookup(r.StrategyName); err != nil {
			v.add(path+".strategy", "%v", err)
		}
	default:
		v.add(path, "unknown response %q; expected grim, tit-for-tat, generous, patient or a strategy", r.Kind)
	}
	if r.Kind != Strategy && r.StrategyName != "" {
		v.add(path, "strategy %q applies only to a strategy response, but the response is %s", r.StrategyName, cmpOr(r.Kind, TitForTat))
	}
	kind := cmpOr(r.Kind, TitForTat)
	if r.Kind == Generous {
		if !(r.Forgiveness >= 0 && r.Forgiveness <= 1) {
			v.add(path+".generous", "generous forgiveness must be a probability between 0 and 1, got %s", formatNumber(r.Forgiveness))
		}
	} else if r.Forgiveness != 0 {
		v.add(path, "forgiveness %s applies only to generous, but the response is %s", formatNumber(r.Forgiveness), kind)
	}
	if r.Kind == Patient {
		if r.Tolerance < 1 {
			v.add(path+".patient", "patient tolerance must be at least 1 defection (patient 0 would be grim), got %d", r.Tolerance)
		}
	} else if r.Tolerance != 0 {
		v.add(path, "tolerance %d applies only to patient, but the response is %s", r.Tolerance, kind)
	}
}

func (v *validator) beliefs(path string, a *Actor) {
	for _, other := range slices.Sorted(maps.Keys(a.Beliefs)) {
		bp := joinKey(path+".beliefs", other)
		o, ok := v.actors[other]
		switch {
		case other == a.ID:
			v.addKey(bp, "an actor holds no beliefs about itself; list only the others (%s)", orNone(without(v.actorIDs, a.ID)))
			continue
		case !ok:
			v.addKey(bp, "unknown actor %q; expected one of: %s", other, orNone(without(v.actorIDs, a.ID)))
			continue
		}
		var known []string
		for _, t := range o.Types {
			known = append(known, t.ID)
		}
		sum, fine := 0.0, true
		dist := a.Beliefs[other]
		for _, tid := range slices.Sorted(maps.Keys(dist)) {
			tp := joinKey(bp, tid)
			if o.TypeIndex(tid) < 0 {
				v.addKey(tp, "unknown type %q of actor %s; expected one of: %s", tid, other, orNone(known))
			}
			if !v.probability(tp, dist[tid]) {
				fine = false
			}
			sum += dist[tid]
		}
		if fine && math.Abs(sum-1) > 1e-9 {
			v.add(bp, "the beliefs about %s sum to %s; they must sum to 1", other, formatSum(sum))
		}
	}
}

func (v *validator) movesCheck() {
	v.ids("moves", "move", len(v.s.Moves), func(i int) string { return v.s.Moves[i].ID })
	for i := range v.s.Moves {
		m := &v.s.Moves[i]
		path := fmt.Sprintf("moves[%d]", i)
		v.actorRef(path+".by", m.By, "the actor making the move")
		v.cost(path+".cost", m.Cost)
		for _, to := range slices.Sorted(maps.Keys(m.Benefit)) {
			p := joinKey(path+".benefit", to)
			v.recipient(p, m, to, "benefit")
			v.benefit(p, m.Benefit[to])
		}
		for _, to := range slices.Sorted(maps.Keys(m.Security)) {
			p := joinKey(path+".security", to)
			v.recipient(p, m, to, "cut the insecurity of")
			v.fraction(p, m.Security[to])
		}
		v.fraction(path+".reversible", m.Reversible)
		if m.Verification != nil {
			v.probability(path+".verification", *m.Verification)
		}
		if m.Tranches != nil && *m.Tranches < 1 {
			v.add(path+".tranches", "must be at least 1, got %d", *m.Tranches)
		}
		switch m.Align {
		case "", AlignFirst, AlignLast:
		default:
			v.add(path+".align", "unknown align %q; expected first or last", m.Align)
		}
	}
}

// recipient checks the key of a benefit or security mapping.
func (v *validator) recipient(path string, m *Move, to, verb string) {
	switch {
	case to == m.By:
		v.addKey(path, "move %s is made by %s, so it cannot %s %s; list only the other actors (%s)", m.ID, m.By, verb, m.By, orNone(without(v.actorIDs, m.By)))
	case v.actors[to] == nil:
		v.addKey(path, "unknown actor %q; expected one of: %s", to, orNone(without(v.actorIDs, m.By)))
	}
}

func (v *validator) roadmaps() {
	v.ids("roadmaps", "roadmap", len(v.s.Roadmaps), func(i int) string { return v.s.Roadmaps[i].ID })
	for i := range v.s.Roadmaps {
		rm := &v.s.Roadmaps[i]
		path := fmt.Sprintf("roadmaps[%d]", i)
		if rm.Persistence != nil && *rm.Persistence < 1 {
			v.add(path+".persistence", "must be at least 1 unanswered invitation, got %d", *rm.Persistence)
		}
		switch {
		case rm.Baseline && len(rm.Phases) > 0:
			v.add(path+".phases", "a baseline roadmap has no phases; remove them or remove baseline: true")
		case !rm.Baseline && len(rm.Phases) == 0:
			v.add(path+".phases", "the roadmap has no phases; add phases, or mark it baseline: true if it stands for the status quo")
		}
		usedIn := map[string]int{}
		rounds := 0
		for j := range rm.Phases {
			rounds += v.phase(fmt.Sprintf("%s.phases[%d]", path, j), j, &rm.Phases[j], usedIn)
		}
		if h := v.horizon(); h > 0 && rounds > h {
			if rounds == len(rm.Phases) {
				v.add(path, "roadmap %s has %d phases but horizon is %d; raise environment.horizon to at least %d, or use fewer phases", rm.ID, rounds, h, rounds)
			} else {
				v.add(path, "roadmap %s needs %d rounds after tranche expansion but horizon is %d; raise environment.horizon to at least %d, or use fewer phases or tranches", rm.ID, rounds, h, rounds)
			}
		}
	}
}

// phase checks one phase and returns the number of sub-phases it expands
// into (model.md §1, "Tranches").
func (v *validator) phase(path string, j int, p *Phase, usedIn map[string]int) int {
	if len(p.Moves) == 0 {
		v.add(path+".moves", "the phase has no moves; list at least one move id")
	}
	subPhases := 1
	hasMove := map[string]bool{}
	for k, id := range p.Moves {
		mp := fmt.Sprintf("%s.moves[%d]", path, k)
		m, ok := v.moves[id]
		if !ok {
			v.add(mp, "unknown move %q; expected one of: %s", id, orNone(v.moveIDs))
			continue
		}
		if prev, dup := usedIn[id]; dup {
			where := fmt.Sprintf("phases[%d]", prev)
			if prev == j {
				where = "this phase"
			}
			v.add(mp, "move %q is already in %s; a roadmap uses each move at most once", id, where)
			continue
		}
		usedIn[id] = j
		hasMove[m.By] = true
		subPhases = max(subPhases, m.TranchesOf())
	}
	var movers []string // actors with a move here, in declaration order
	for _, id := range v.actorIDs {
		if hasMove[id] {
			movers = append(movers, id)
		}
	}

	switch p.Order {
	case "", OrderSimultaneous:
		if len(p.Sequence) > 0 {
			v.add(path+".sequence", "a simultaneous phase takes no sequence; remove it or set order: sequential")
		}
	case OrderSequential:
		v.sequence(path, p, hasMove, movers)
	default:
		v.add(path+".order", "unknown order %q; expected simultaneous or sequential", p.Order)
	}

	switch p.Reciprocation {
	case "", ReciprocationRequired:
		if p.Initiator != "" {
			v.add(path+".initiator", "an initiator belongs to an invited phase only; remove it or set reciprocation: invited")
		}
		if p.Wait != nil {
			v.add(path+".wait", "wait belongs to an invited phase only; remove it or set reciprocation: invited")
		}
	case ReciprocationInvited:
		v.invited(path, p, hasMove, movers)
	default:
		v.add(path+".reciprocation", "unknown reciprocation %q; expected required or invited", p.Reciprocation)
	}
	return subPhases
}

func (v *validator) sequence(path string, p *Phase, hasMove map[string]bool, movers []string) {
	sp := path + ".sequence"
	if len(p.Sequence) == 0 {
		v.problems = append(v.problems, vproblem{path: sp, at: path + ".order",
			msg: fmt.Sprintf("a sequential phase needs a sequence naming each actor with a move in it once, in the order they move (%s)", orNone(movers))})
		return
	}
	named := map[string]bool{}
	for k, id := range p.Sequence {
		ep := fmt.Sprintf("%s[%d]", sp, k)
		switch {
		case v.actors[id] == nil:
			v.add(ep, "unknown actor %q; expected one of the actors with a move in this phase: %s", id, orNone(movers))
		case named[id]:
			v.add(ep, "sequence names %s twice; name each actor once", id)
		case !hasMove[id]:
			v.add(ep, "sequence names %s, which has no move in this phase; list only the actors with a move in it (%s)", id, orNone(movers))
		}
		named[id] = true
	}
	for _, id := range movers {
		if !named[id] {
			v.add(sp, "sequence omits %s, which has a move in this phase; add it in its turn", id)
		}
	}
}

func (v *validator) invited(path string, p *Phase, hasMove map[string]bool, movers []string) {
	if p.Wait != nil && *p.Wait < 1 {
		v.add(path+".wait", "must be at least 1 round, got %d", *p.Wait)
	}
	initiator := p.Initiator
	switch {
	case initiator == "":
		if p.Order == OrderSequential && len(p.Sequence) > 0 && hasMove[p.Sequence[0]] {
			initiator = p.Sequence[0]
		} else if len(movers) > 0 {
			initiator = movers[0]
		}
	case v.actors[initiator] == nil:
		v.add(path+".initiator", "unknown actor %q; expected one of the actors with a move in this phase: %s", initiator, orNone(movers))
		return
	case len(movers) == 0:
		return // the phase has no moves; reported already
	case !hasMove[initiator]:
		v.add(path+".initiator", "initiator %s has no move in this phase; the initiator delivers a move of its own (one of %s)", initiator, orNone(movers))
		return
	}
	if initiator != "" && len(without(movers, initiator)) == 0 {
		v.add(path, "an invited phase needs a move by an actor other than its initiator %s, to be reciprocated; add one or make the phase required", initiator)
	}
}

func (v *validator) milestones() {
	v.ids("milestones", "milestone", len(v.s.Milestones), func(i int) string { return v.s.Milestones[i].ID })
	for i, ms := range v.s.Milestones {
		path := fmt.Sprintf("milestones[%d]", i)
		if len(ms.Moves) == 0 {
			v.add(path+".moves", "the milestone has no moves; list at least one move id")
		}
		seen := map[string]bool{}
		for k, id := range ms.Moves {
			mp := fmt.Sprintf("%s.moves[%d]", path, k)
			switch {
			case v.moves[id] == nil:
				v.add(mp, "unknown move %q; expected one of: %s", id, orNone(v.moveIDs))
			case seen[id]:
				v.add(mp, "move %q is listed twice; list each move once", id)
			}
			seen[id] = true
		}
	}
}

// --- value checks; each returns whether the value was fine ---

func (v *validator) actorRef(path, id, what string) {
	switch {
	case id == "":
		v.add(path, "is empty; expected %s, one of: %s", what, orNone(v.actorIDs))
	case v.actors[id] == nil:
		v.add(path, "unknown actor %q; expected one of: %s", id, orNone(v.actorIDs))
	}
}

func (v *validator) probability(path string, x float64) bool {
	if x >= 0 && x <= 1 {
		return true
	}
	v.add(path, "must be a probability between 0 and 1, got %s", formatNumber(x))
	return false
}

func (v *validator) fraction(path string, x float64) {
	if !(x >= 0 && x <= 1) {
		v.add(path, "must be a fraction between 0 and 1, got %s", formatNumber(x))
	}
}

func (v *validator) nonNegative(path string, x float64) {
	switch {
	case x < 0:
		v.add(path, "must be 0 or more, got %s", formatNumber(x))
	case math.IsNaN(x) || math.IsInf(x, 0):
		v.add(path, "must be a finite number of 0 or more, got %s", formatNumber(x))
	}
}

func (v *validator) cost(path string, x float64) {
	switch {
	case x < 0:
		v.add(path, "negative cost %s is not allowed; a cost must be 0 or more (model a gain to the mover as a lower cost of 0)", formatNumber(x))
	case math.IsNaN(x) || math.IsInf(x, 0):
		v.add(path, "must be a finite number of 0 or more, got %s", formatNumber(x))
	}
}

func (v *validator) benefit(path string, x float64) {
	switch {
	case x < 0:
		v.add(path, "negative benefit %s is not allowed; a benefit must be 0 or more (model a loss to the recipient as a cost to it)", formatNumber(x))
	case math.IsNaN(x) || math.IsInf(x, 0):
		v.add(path, "must be a finite number of 0 or more, got %s", formatNumber(x))
	}
}

// --- message helpers ---

func actorName(a *Actor, i int) string {
	if a.ID != "" {
		return a.ID
	}
	return "#" + strconv.Itoa(i+1)
}

func count(n int, noun string) string {
	switch n {
	case 0:
		return "no " + noun + "s"
	case 1:
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// formatSum prints a sum of probabilities without the noise of rounding.
func formatSum(x float64) string {
	return strconv.FormatFloat(x, 'g', 12, 64)
}

func orNone(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}

func without(ids []string, drop string) []string {
	return slices.DeleteFunc(slices.Clone(ids), func(s string) bool { return s == drop })
}

func cmpOr(k, def ResponseKind) ResponseKind {
	if k == "" {
		return def
	}
	return k
}
