package normal

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// ExtensiveGame is a finite game tree as read from a Gambit .efg file:
// chance nodes with exact probabilities, decision nodes grouped in
// information sets, and outcomes (payoff vectors) that add up along a path.
type ExtensiveGame struct {
	Title, Comment string
	// Players are the names of the personal players, in order.
	Players []string
	// Infosets[i] lists player i's information sets in the order they first
	// appear in the file's prefix traversal.
	Infosets [][]*Infoset
	root     *treeNode
	nodes    int
}

// Infoset is an information set of one player: the nodes where that player
// cannot tell which one it is at, and the actions available at each.
type Infoset struct {
	Name    string
	Actions []string
	number  int // as numbered in the file
}

// treeNode is one node of the tree.
type treeNode struct {
	player   int // -1 for chance, -2 for terminal
	infoset  int // index into Infosets[player] (or into chance events)
	probs    []*big.Rat
	children []*treeNode
	outcome  []*big.Rat // nil: no payoff at this node
}

const (
	chanceNode   = -1
	terminalNode = -2
)

// maxTreeDepth bounds the depth of a tree read from a file.
const maxTreeDepth = 10000

// maxPlans bounds a player's number of reduced strategies, and maxTreeWork
// the number of strategy profiles times the number of nodes, the work of
// building the reduced strategic form.
const (
	maxPlans    = 1 << 16
	maxTreeWork = 1 << 28
)

// ReadEFG reads a game tree in Gambit's extensive-form (.efg) format,
// version 2. name is used in error messages only; every error is a
// [*SyntaxError].
func ReadEFG(name string, src []byte) (*ExtensiveGame, error) {
	p := &efgParser{nfgParser: nfgParser{lexer: newLexer(name, src)},
		outcomes: map[int]*efgOutcome{}, chance: map[int]*chanceEvent{}}
	return p.parse()
}

type efgOutcome struct {
	name    string
	payoffs []*big.Rat
}

type chanceEvent struct {
	name    string
	actions []string
	probs   []*big.Rat
}

type efgParser struct {
	nfgParser
	g        *ExtensiveGame
	outcomes map[int]*efgOutcome
	chance   map[int]*chanceEvent
	infoNum  []map[int]int // player → file number → index
	nodes    int
}

func (p *efgParser) parse() (*ExtensiveGame, error) {
	title, players, err := p.header(efgHeader)
	if err != nil {
		return nil, err
	}
	p.g = &ExtensiveGame{Title: title, Players: players}
	var t token
	p.g.Infosets = make([][]*Infoset, len(p.g.Players))
	p.infoNum = make([]map[int]int, len(p.g.Players))
	for i := range p.infoNum {
		p.infoNum[i] = map[int]int{}
	}
	if t, err = p.peek(); err != nil {
		return nil, err
	}
	if t.kind == tokString {
		p.next()
		p.g.Comment = t.text
	}
	root, err := p.node(0)
	if err != nil {
		return nil, err
	}
	p.g.root, p.g.nodes = root, p.nodes
	if t, err = p.next(); err != nil {
		return nil, err
	}
	if t.kind != tokEOF {
		return nil, p.errorAt(t, "found %s after the last node of the tree; expected the end of the file (every node's children follow it, as many as it has actions)", t.describe())
	}
	return p.g, nil
}

// node reads one node and, recursively, its subtree.
func (p *efgParser) node(depth int) (*treeNode, error) {
	t, err := p.next()
	if err != nil {
		return nil, err
	}
	if depth > maxTreeDepth {
		return nil, p.errorAt(t, "the tree is deeper than %d nodes; expected a smaller game", maxTreeDepth)
	}
	if p.nodes++; p.nodes > MaxProfiles {
		return nil, p.errorAt(t, "%v: more than %d nodes", ErrTooLarge, MaxProfiles)
	}
	if t.kind == tokEOF {
		return nil, p.errorAt(t, "the file ends where a node should be; expected a node starting with c, p or t (every node has as many children as actions)")
	}
	if t.kind != tokWord || (t.text != "c" && t.text != "p" && t.text != "t") {
		return nil, p.errorAt(t, "found %s where a node should start; expected c (chance), p (player) or t (terminal)", t.describe())
	}
	kind := t.text
	if _, err := p.expect(tokString, "the node's name in double quotes (it may be empty: \"\")"); err != nil {
		return nil, err
	}
	n := &treeNode{}
	var actions int
	switch kind {
	case "t":
		n.player = terminalNode
	case "c":
		n.player = chanceNode
		num, err := p.positive("the number of the chance event")
		if err != nil {
			return nil, err
		}
		ev, err := p.chanceEvent(num)
		if err != nil {
			return nil, err
		}
		n.probs = ev.probs
		actions = len(ev.actions)
	case "p":
		pt, err := p.peek()
		if err != nil {
			return nil, err
		}
		pl, err := p.positive("the number of the player who moves")
		if err != nil {
			return nil, err
		}
		if pl > len(p.g.Players) {
			return nil, p.errorAt(pt, "player %d does not exist; expected a number from 1 to %d", pl, len(p.g.Players))
		}
		n.player = pl - 1
		num, err := p.positive("the number of the information set")
		if err != nil {
			return nil, err
		}
		idx, err := p.infoset(n.player, num)
		if err != nil {
			return nil, err
		}
		n.infoset = idx
		actions = len(p.g.Infosets[n.player][idx].Actions)
	}
	if n.outcome, err = p.outcome(); err != nil {
		return nil, err
	}
	for range actions {
		c, err := p.node(depth + 1)
		if err != nil {
			return nil, err
		}
		n.children = append(n.children, c)
	}
	return n, nil
}

// positive reads a whole number of at least 1.
func (p *efgParser) positive(what string) (int, error) {
	t, err := p.next()
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(t.text)
	if t.kind != tokNumber || err != nil || n < 1 || !allDigits(t.text) {
		return 0, p.errorAt(t, "found %s; expected %s, a whole number from 1", t.describe(), what)
	}
	return n, nil
}

// chanceEvent reads the optional definition of chance event num.
func (p *efgParser) chanceEvent(num int) (*chanceEvent, error) {
	t, err := p.peek()
	if err != nil {
		return nil, err
	}
	old := p.chance[num]
	if t.kind != tokString {
		if old == nil {
			return nil, p.errorAt(t, "chance event %d is used before it is defined; expected its name and { \"action\" probability ... }", num)
		}
		return old, nil
	}
	p.next()
	ev := &chanceEvent{name: t.text}
	open, err := p.expect(tokLBrace, `"{" opening the chance event's actions and their probabilities`)
	if err != nil {
		return nil, err
	}
	sum := new(big.Rat)
	for {
		a, err := p.next()
		if err != nil {
			return nil, err
		}
		if a.kind == tokRBrace {
			break
		}
		if a.kind != tokString {
			return nil, p.errorAt(a, "found %s in the chance event; expected an action name in double quotes, or \"}\"", a.describe())
		}
		pr, err := p.next()
		if err != nil {
			return nil, err
		}
		if pr.kind == tokComma {
			if pr, err = p.next(); err != nil {
				return nil, err
			}
		}
		if pr.kind != tokNumber {
			return nil, p.errorAt(pr, "found %s; expected the probability of action %q", pr.describe(), a.text)
		}
		x, msg := parseNumber(pr.text)
		if msg != "" {
			return nil, p.errorAt(pr, "%s is not a valid probability; %s", quoteShort(pr.text), msg)
		}
		if x.Sign() < 0 || x.Cmp(big.NewRat(1, 1)) > 0 {
			return nil, p.errorAt(pr, "probability %s of action %q is outside 0..1; expected a number from 0 to 1", shorten(pr.text), a.text)
		}
		sum.Add(sum, x)
		ev.actions = append(ev.actions, a.text)
		ev.probs = append(ev.probs, x)
	}
	if len(ev.actions) == 0 {
		return nil, p.errorAt(open, "the chance event has no actions; expected at least one \"action\" probability pair")
	}
	if sum.Cmp(big.NewRat(1, 1)) != 0 {
		return nil, p.errorAt(open, "the probabilities of chance event %d sum to %s; expected 1", num, sum.RatString())
	}
	if old != nil {
		if old.name != ev.name || strings.Join(old.actions, "\x00") != strings.Join(ev.actions, "\x00") || !sameRats(old.probs, ev.probs) {
			return nil, p.errorAt(t, "chance event %d is defined again differently; expected the same name, actions and probabilities, or none", num)
		}
		return old, nil
	}
	p.chance[num] = ev
	return ev, nil
}

// infoset reads the optional definition of player pl's information set num
// and returns its index.
func (p *efgParser) infoset(pl, num int) (int, error) {
	t, err := p.peek()
	if err != nil {
		return 0, err
	}
	idx, known := p.infoNum[pl][num]
	if t.kind != tokString {
		if !known {
			return 0, p.errorAt(t, "information set %d of player %d is used before it is defined; expected its name and { \"action\" ... }", num, pl+1)
		}
		return idx, nil
	}
	p.next()
	set := &Infoset{Name: t.text, number: num}
	open, err := p.expect(tokLBrace, `"{" opening the information set's actions`)
	if err != nil {
		return 0, err
	}
	for {
		a, err := p.next()
		if err != nil {
			return 0, err
		}
		if a.kind == tokRBrace {
			break
		}
		if a.kind != tokString {
			return 0, p.errorAt(a, "found %s among the actions; expected an action name in double quotes, or \"}\"", a.describe())
		}
		set.Actions = append(set.Actions, a.text)
	}
	if len(set.Actions) == 0 {
		return 0, p.errorAt(open, "information set %d of player %d has no actions; expected at least one", num, pl+1)
	}
	if known {
		old := p.g.Infosets[pl][idx]
		if old.Name != set.Name || strings.Join(old.Actions, "\x00") != strings.Join(set.Actions, "\x00") {
			return 0, p.errorAt(t, "information set %d of player %d is defined again differently; expected the same name and actions, or none", num, pl+1)
		}
		return idx, nil
	}
	idx = len(p.g.Infosets[pl])
	p.infoNum[pl][num] = idx
	p.g.Infosets[pl] = append(p.g.Infosets[pl], set)
	return idx, nil
}

// outcome reads a node's outcome number and its optional definition, and
// returns its payoffs (nil for the null outcome 0).
func (p *efgParser) outcome() ([]*big.Rat, error) {
	t, err := p.next()
	if err != nil {
		return nil, err
	}
	num, cerr := strconv.Atoi(t.text)
	if t.kind != tokNumber || cerr != nil || num < 0 || !allDigits(t.text) {
		return nil, p.errorAt(t, "found %s; expected the node's outcome number, a whole number (0 for none)", t.describe())
	}
	next, err := p.peek()
	if err != nil {
		return nil, err
	}
	old := p.outcomes[num]
	if next.kind != tokString {
		if num == 0 {
			return nil, nil
		}
		if old == nil {
			return nil, p.errorAt(next, "outcome %d is used before it is defined; expected its name and { payoffs }", num)
		}
		return old.payoffs, nil
	}
	if num == 0 {
		return nil, p.errorAt(next, "outcome 0 is the null outcome and takes no name or payoffs; expected the next node")
	}
	p.next()
	o := &efgOutcome{name: next.text}
	if _, err := p.expect(tokLBrace, `"{" opening the outcome's payoffs`); err != nil {
		return nil, err
	}
	for i := range p.g.Players {
		x, err := p.next()
		if err != nil {
			return nil, err
		}
		if x.kind == tokComma && i > 0 {
			if x, err = p.next(); err != nil {
				return nil, err
			}
		}
		if x.kind != tokNumber {
			return nil, p.errorAt(x, "found %s in outcome %d; expected the payoff of player %d (%q), one number per player", x.describe(), num, i+1, p.g.Players[i])
		}
		v, msg := parseNumber(x.text)
		if msg != "" {
			return nil, p.errorAt(x, "%s is not a valid payoff; %s", quoteShort(x.text), msg)
		}
		o.payoffs = append(o.payoffs, v)
	}
	if x, err := p.next(); err != nil {
		return nil, err
	} else if x.kind != tokRBrace {
		return nil, p.errorAt(x, "found %s in outcome %d; expected \"}\" after its %d payoffs, one per player", x.describe(), num, len(p.g.Players))
	}
	if old != nil {
		if old.name != o.name || !sameRats(old.payoffs, o.payoffs) {
			return nil, p.errorAt(next, "outcome %d is defined again differently; expected the same name and payoffs, or none", num)
		}
		return old.payoffs, nil
	}
	p.outcomes[num] = o
	return o.payoffs, nil
}

func sameRats(a, b []*big.Rat) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Cmp(b[i]) != 0 {
			return false
		}
	}
	return true
}

// ReducedStrategicForm returns the reduced strategic form of the tree: a
// player's pure strategies choose an action at each of its information sets
// that its own earlier choices do not rule out, and strategies that differ
// only at sets they never reach are one. Payoffs are expected values over
// chance, exact.
//
// Strategies are listed in the order of a depth-first walk of the tree:
// the first information set met varies slowest, its actions in the file's
// order (Gambit's order on the examples checked). A strategy is named by
// its actions at the player's information sets, in order, joined by "/",
// with "*" for a set it never reaches (just the action when the player has
// one information set).
func (e *ExtensiveGame) ReducedStrategicForm() (*Game, error) {
	players := make([]Player, len(e.Players))
	plans := make([][][]int, len(e.Players))
	for i, name := range e.Players {
		plans[i] = e.reducedPlans(i)
		if len(plans[i]) > maxPlans {
			return nil, fmt.Errorf("%w: player %d has more than %d reduced strategies", ErrTooLarge, i+1, maxPlans)
		}
		players[i] = Player{Name: name}
		for _, plan := range plans[i] {
			players[i].Strategies = append(players[i].Strategies, e.planName(i, plan))
		}
	}
	g, err := New(e.Title, players)
	if err != nil {
		return nil, err
	}
	if g.NumProfiles() > maxTreeWork/max(e.nodes, 1) {
		return nil, fmt.Errorf("%w: %d strategy profiles of a tree of %d nodes", ErrTooLarge, g.NumProfiles(), e.nodes)
	}
	g.Comment = e.Comment
	chosen := make([][]int, len(players))
	for k := range g.Payoffs {
		for i, s := range g.Profile(k) {
			chosen[i] = plans[i][s]
		}
		e.accumulate(e.root, chosen, big.NewRat(1, 1), g.Payoffs[k])
	}
	return g, nil
}

// accumulate adds to pay the payoffs of the subtree at n, weighted by the
// probability w of reaching it, when each player follows its plan.
func (e *ExtensiveGame) accumulate(n *treeNode, plans [][]int, w *big.Rat, pay []*big.Rat) {
	t := new(big.Rat)
	for i, x := range n.outcome {
		pay[i].Add(pay[i], t.Mul(w, x))
	}
	switch n.player {
	case terminalNode:
	case chanceNode:
		for a, c := range n.children {
			if n.probs[a].Sign() != 0 {
				e.accumulate(c, plans, new(big.Rat).Mul(w, n.probs[a]), pay)
			}
		}
	default:
		a := plans[n.player][n.infoset]
		e.accumulate(n.children[a], plans, w, pay)
	}
}

// reducedPlans lists player i's reduced strategies: for each, the action
// chosen at each of i's information sets, or -1 where the strategy never
// reaches the set.
func (e *ExtensiveGame) reducedPlans(i int) [][]int {
	var out [][]int
	plan := make([]int, len(e.Infosets[i]))
	for k := range plan {
		plan[k] = -1
	}
	var walk func(stack []*treeNode)
	walk = func(stack []*treeNode) {
		for len(stack) > 0 {
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if n.player == i {
				if a := plan[n.infoset]; a >= 0 {
					stack = append(stack, n.children[a])
					continue
				}
				for a := range n.children {
					plan[n.infoset] = a
					walk(append(append([]*treeNode(nil), stack...), n.children[a]))
					if len(out) > maxPlans {
						break
					}
				}
				plan[n.infoset] = -1
				return
			}
			for c := len(n.children) - 1; c >= 0; c-- {
				stack = append(stack, n.children[c])
			}
		}
		out = append(out, append([]int(nil), plan...))
	}
	walk([]*treeNode{e.root})
	return out
}

// planName names a reduced strategy.
func (e *ExtensiveGame) planName(i int, plan []int) string {
	parts := make([]string, len(plan))
	for k, a := range plan {
		switch {
		case a < 0:
			parts[k] = "*"
		case e.Infosets[i][k].Actions[a] != "":
			parts[k] = e.Infosets[i][k].Actions[a]
		default:
			parts[k] = strconv.Itoa(a + 1)
		}
	}
	return strings.Join(parts, "/")
}

// Read reads a game file of either kind, telling them apart by the first
// word: an .nfg file as it is, an .efg file as its reduced strategic form.
func Read(name string, src []byte) (*Game, error) {
	l := newLexer(name, src)
	t, err := l.next()
	if err == nil && t.kind == tokWord && t.text == "EFG" {
		e, err := ReadEFG(name, src)
		if err != nil {
			return nil, err
		}
		g, err := e.ReducedStrategicForm()
		if err != nil {
			return nil, &SyntaxError{File: name, Line: 1, Column: 1, Msg: err.Error()}
		}
		return g, nil
	}
	return ReadNFG(name, src)
}
