package ipd

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Machine is a finite-state machine strategy, as the reference library's
// FSMPlayer plays it: on turn 1 it plays First and is in state Start; on
// every later turn, in state s after the opponent's previous move o, it
// moves to state Next[s][o] and plays Move[s][o]. It never looks at its own
// moves, so under noise it keeps believing it played what it meant to.
type Machine struct {
	// Name is the strategy's name in reports.
	Name string
	// Description says in one line what the machine does.
	Description string
	// States are the names of the states, in the order they first appear.
	States []string
	// Start is the state on turn 1, an index into States.
	Start int
	// First is the move on turn 1.
	First Action
	// Next and Move are indexed by state, then by the opponent's previous move.
	Next [][2]int
	Move [][2]Action
}

// Validate checks that the machine is complete: a start state, and a next
// state and a move for both of the opponent's moves in every state.
func (m *Machine) Validate() error {
	n := len(m.States)
	if n == 0 {
		return errors.New("the machine has no states")
	}
	if len(m.Next) != n || len(m.Move) != n {
		return fmt.Errorf("the machine has %d states but %d rows of next states and %d rows of moves", n, len(m.Next), len(m.Move))
	}
	if m.Start < 0 || m.Start >= n {
		return fmt.Errorf("start state %d is not one of the %d states", m.Start, n)
	}
	if m.First > D {
		return fmt.Errorf("first move %d is neither C nor D", m.First)
	}
	for s := range m.Next {
		for o := C; o <= D; o++ {
			if t := m.Next[s][o]; t < 0 || t >= n {
				return fmt.Errorf("state %s: next state %d after the opponent's %v is not one of the %d states", m.States[s], t, o, n)
			}
			if m.Move[s][o] > D {
				return fmt.Errorf("state %s: move after the opponent's %v is neither C nor D", m.States[s], o)
			}
		}
	}
	return nil
}

// reachable reports which states the machine can be in, from its start.
func (m *Machine) reachable() []bool {
	seen := make([]bool, len(m.States))
	stack := []int{m.Start}
	seen[m.Start] = true
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, t := range m.Next[s] {
			if !seen[t] {
				seen[t] = true
				stack = append(stack, t)
			}
		}
	}
	return seen
}

// MemoryDepth returns how many past turns of both players' moves determine
// the machine's next move, from turn 2 on and over every history it can
// meet (its own moves taken as it meant them): 0 when it always makes the
// same move after turn 1, [Unbounded] when no number of turns is enough.
// This is the reference library's memory of a finite-state machine.
//
// Two histories that end with the same k turns leave the machine in two
// states it entered with the same move. The machine needs more than k
// turns of memory iff some two such states, fed the same k − 1 opponent's
// moves on which they answer alike, reach states that answer some
// opponent's move differently. The pairs of states are the nodes of a
// graph; the depth is two more than the longest path to a pair that
// answers differently, unbounded when such a path can go round a cycle.
func (m *Machine) MemoryDepth() int {
	n := len(m.States)
	reach := m.reachable()
	// entered[s][a]: the machine can be in state s having just played a.
	entered := make([][2]bool, n)
	entered[m.Start][m.First] = true
	constant, seenMove, firstMove := true, false, C
	for s := range n {
		if !reach[s] {
			continue
		}
		for o := C; o <= D; o++ {
			entered[m.Next[s][o]][m.Move[s][o]] = true
			if !seenMove {
				seenMove, firstMove = true, m.Move[s][o]
			} else if m.Move[s][o] != firstMove {
				constant = false
			}
		}
	}
	if constant {
		return 0
	}
	// Pairs x < y of reachable states, numbered x*n + y.
	differs := func(x, y int) bool { return m.Move[x][C] != m.Move[y][C] || m.Move[x][D] != m.Move[y][D] }
	succ := func(x, y int) []int {
		var out []int
		for o := C; o <= D; o++ {
			if m.Move[x][o] != m.Move[y][o] {
				continue
			}
			a, b := m.Next[x][o], m.Next[y][o]
			if a == b {
				continue
			}
			out = append(out, min(a, b)*n+max(a, b))
		}
		return out
	}
	// The pairs that can reach a differing pair, by a backward search.
	pred := map[int][]int{}
	var pairs []int
	for x := range n {
		for y := x + 1; y < n; y++ {
			if reach[x] && reach[y] {
				p := x*n + y
				pairs = append(pairs, p)
				for _, q := range succ(x, y) {
					pred[q] = append(pred[q], p)
				}
			}
		}
	}
	live := map[int]bool{}
	var stack []int
	for _, p := range pairs {
		if differs(p/n, p%n) {
			live[p] = true
			stack = append(stack, p)
		}
	}
	for len(stack) > 0 {
		q := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, p := range pred[q] {
			if !live[p] {
				live[p] = true
				stack = append(stack, p)
			}
		}
	}
	// Longest path to a differing pair among live pairs, with cycle check.
	const (
		unseen = iota
		open
		done
	)
	mark := map[int]int{}
	longest := map[int]int{}
	cyclic := false
	var visit func(p int) int
	visit = func(p int) int {
		switch mark[p] {
		case open:
			cyclic = true
			return 0
		case done:
			return longest[p]
		}
		mark[p] = open
		best := -1
		if differs(p/n, p%n) {
			best = 0
		}
		for _, q := range succ(p/n, p%n) {
			if live[q] {
				best = max(best, 1+visit(q))
			}
		}
		mark[p] = done
		longest[p] = best
		return best
	}
	depth := 1
	for _, p := range pairs {
		x, y := p/n, p%n
		if !live[p] || !((entered[x][C] && entered[y][C]) || (entered[x][D] && entered[y][D])) {
			continue
		}
		depth = max(depth, visit(p)+2)
		if cyclic {
			return Unbounded
		}
	}
	return depth
}

// reactive returns the machine's move after each of the opponent's moves
// when that move alone decides it in every state the machine can be in.
func (m *Machine) reactive() ([2]Action, bool) {
	reach := m.reachable()
	var out [2]Action
	set := false
	for s := range m.States {
		if !reach[s] {
			continue
		}
		if set && m.Move[s] != out {
			return out, false
		}
		out, set = m.Move[s], true
	}
	return out, true
}

// Strategy returns the machine as a strategy of family "FSM". A machine
// whose move depends only on the opponent's previous move is also a
// memory-one rule, for the exact analysis.
func (m *Machine) Strategy() (*Strategy, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	mc := *m
	mc.Next = slices.Clone(m.Next)
	mc.Move = slices.Clone(m.Move)
	desc := mc.Description
	if desc == "" {
		desc = fmt.Sprintf("Finite-state machine of %d states, opening with %v.", len(mc.States), mc.First)
	}
	s := &Strategy{
		Name: mc.Name, Family: "FSM", Description: desc,
		Classifier: Classifier{MemoryDepth: mc.MemoryDepth()},
		newPlayer:  func() Player { return newMachinePlayer(&mc) },
	}
	if r, ok := mc.reactive(); ok {
		p := func(a Action) float64 { return float64(1 - a) }
		rule := MemoryOneRule{P: [4]float64{p(r[C]), p(r[D]), p(r[C]), p(r[D])}, Initial: p(mc.First)}
		s.memoryOne = fixedRule(rule)
	}
	return s, nil
}

// machinePlayer plays a machine; its table is flat, indexed by 2·state + move.
type machinePlayer struct {
	next  []int32
	move  []Action
	start int32
	first Action
	state int32
}

func newMachinePlayer(m *Machine) *machinePlayer {
	p := &machinePlayer{next: make([]int32, 2*len(m.States)), move: make([]Action, 2*len(m.States)),
		start: int32(m.Start), first: m.First}
	for s := range m.States {
		for o := C; o <= D; o++ {
			p.next[2*s+int(o)] = int32(m.Next[s][o])
			p.move[2*s+int(o)] = m.Move[s][o]
		}
	}
	return p
}

func (p *machinePlayer) Reset(*View) { p.state = p.start }
func (p *machinePlayer) Move(v *View) Action {
	if len(v.Opp) == 0 {
		p.state = p.start
		return p.first
	}
	k := 2*p.state + int32(v.OppLast())
	p.state = p.next[k]
	return p.move[k]
}

// MachinePrefix starts a strategy spec that names a machine file, e.g.
// "fsm:machines/tft.fsm".
const MachinePrefix = "fsm:"

// maxMachineStates bounds the size of a machine read from a file.
const maxMachineStates = 100_000

// ParseMachine reads a finite-state machine written in parley's text format:
//
//	# Tit for tat, as a machine with one state
//	name: MachineTFT                 (optional)
//	description: Copies the opponent. (optional)
//	start: calm C                    (the state and the move on turn 1)
//	calm C -> calm C                 (in state calm, after the opponent's C:
//	calm D -> calm D                  go to calm and play C; after its D: …)
//
// Blank lines and everything after a # are ignored. A state is named by
// letters, digits and underscores; a move is C or D. Every state the
// machine names needs exactly one transition for each of the opponent's
// moves. Without a name the machine is called "fsm:" followed by file.
// Errors are [*LineError]s naming file, line and column; all the problems
// are reported, joined.
func ParseMachine(r io.Reader, file string) (*Machine, error) {
	m := &Machine{Name: MachinePrefix + file}
	var errs []error
	fail := func(line, col int, format string, args ...any) {
		errs = append(errs, &LineError{File: file, Line: line, Col: col, Err: fmt.Errorf(format, args...)})
	}
	type place struct{ line, col int }
	index := map[string]int{}
	firstSeen := []place{}
	state := func(name string, at place) int {
		if k, ok := index[name]; ok {
			return k
		}
		k := len(m.States)
		index[name] = k
		m.States = append(m.States, name)
		m.Next = append(m.Next, [2]int{-1, -1})
		m.Move = append(m.Move, [2]Action{})
		firstSeen = append(firstSeen, at)
		return k
	}
	defined := map[[2]int]place{} // (state, opponent's move) → where
	var startAt, nameAt place
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		text := sc.Text()
		if lineNo == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		toks := tokens(text)
		if len(toks) == 0 {
			continue
		}
		if colon := strings.IndexByte(text, ':'); colon >= 0 {
			key := strings.TrimSpace(text[:colon])
			at := place{lineNo, toks[0].col}
			valueText := text[colon+1:]
			value := strings.TrimSpace(valueText)
			// The value's tokens, with columns counted from the line's start.
			shift := utf8.RuneCountInString(text[:colon+1])
			rest := tokens(valueText)
			for i := range rest {
				rest[i].col += shift
			}
			valueAt := shift + 1
			if len(rest) > 0 {
				valueAt = rest[0].col
			}
			switch key {
			case "name":
				if nameAt.line > 0 {
					fail(at.line, at.col, "name given twice (first on line %d)", nameAt.line)
					continue
				}
				nameAt = at
				if err := checkMachineName(value); err != nil {
					fail(lineNo, valueAt, "%v", err)
					continue
				}
				m.Name = value
			case "description":
				m.Description = value
			case "start":
				if startAt.line > 0 {
					fail(at.line, at.col, "start given twice (first on line %d)", startAt.line)
					continue
				}
				startAt = at
				if len(rest) != 2 || !isStateName(rest[0].s) {
					fail(lineNo, valueAt, "start wants the state and the move of turn 1, e.g. \"start: calm C\"")
					continue
				}
				a, ok := parseMove(rest[1].s)
				if !ok {
					fail(lineNo, rest[1].col, "the move of turn 1 must be C or D, got %q", rest[1].s)
					continue
				}
				m.Start, m.First = state(rest[0].s, place{lineNo, rest[0].col}), a
			default:
				fail(at.line, at.col, "unknown key %q: want name, description or start (or a transition STATE MOVE -> STATE MOVE, without a colon)", key)
			}
			continue
		}
		if len(toks) != 5 || toks[2].s != "->" {
			fail(lineNo, toks[0].col, "want a transition STATE MOVE -> STATE MOVE (in state STATE, after the opponent's MOVE), e.g. \"calm D -> angry D\"")
			continue
		}
		bad := false
		for _, k := range []int{0, 3} {
			if !isStateName(toks[k].s) {
				fail(lineNo, toks[k].col, "bad state name %q: use letters, digits and underscores", toks[k].s)
				bad = true
			}
		}
		o, ok1 := parseMove(toks[1].s)
		if !ok1 {
			fail(lineNo, toks[1].col, "the opponent's move must be C or D, got %q", toks[1].s)
		}
		a, ok2 := parseMove(toks[4].s)
		if !ok2 {
			fail(lineNo, toks[4].col, "the move to play must be C or D, got %q", toks[4].s)
		}
		if bad || !ok1 || !ok2 {
			continue
		}
		from := state(toks[0].s, place{lineNo, toks[0].col})
		to := state(toks[3].s, place{lineNo, toks[3].col})
		if len(m.States) > maxMachineStates {
			fail(lineNo, toks[0].col, "more than %d states", maxMachineStates)
			break
		}
		key := [2]int{from, int(o)}
		if first, dup := defined[key]; dup {
			fail(lineNo, toks[0].col, "a second transition for state %s after the opponent's %v (the first is on line %d)", toks[0].s, o, first.line)
			continue
		}
		defined[key] = place{lineNo, toks[0].col}
		m.Next[from][o], m.Move[from][o] = to, a
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", file, err)
	}
	if len(errs) == 0 {
		if startAt.line == 0 {
			fail(max(1, lineNo), 1, "no start: add a line \"start: STATE MOVE\" with the state and the move of turn 1")
		}
		for s, name := range m.States {
			for o := C; o <= D; o++ {
				if _, ok := defined[[2]int{s, int(o)}]; !ok {
					at := firstSeen[s]
					fail(at.line, at.col, "state %s has no transition for the opponent's %v: add \"%s %v -> STATE MOVE\"", name, o, name, o)
				}
			}
		}
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b error) int {
			x, y := a.(*LineError), b.(*LineError)
			if x.Line != y.Line {
				return x.Line - y.Line
			}
			return x.Col - y.Col
		})
		return nil, errors.Join(errs...)
	}
	return m, nil
}

// checkMachineName refuses names that would be confused with the
// catalogue's or break a line-up or a table.
func checkMachineName(name string) error {
	switch {
	case name == "":
		return errors.New("name is empty")
	case strings.ContainsAny(name, " \t,()="):
		return fmt.Errorf("name %q may not contain spaces, commas, parentheses or =", name)
	case family(name) != nil:
		return fmt.Errorf("name %q is a strategy of the catalogue; choose another", name)
	}
	return nil
}

func parseMove(s string) (Action, bool) {
	switch s {
	case "C", "c":
		return C, true
	case "D", "d":
		return D, true
	}
	return C, false
}

func isStateName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return false
		}
	}
	return true
}

// token is a word of a machine file's line, with its column (in
// characters, from 1).
type token struct {
	s   string
	col int
}

// tokens splits a line at white space, making every "->" a token of its own.
func tokens(line string) []token {
	var out []token
	i := 0
	for i < len(line) {
		r, w := utf8.DecodeRuneInString(line[i:])
		if unicode.IsSpace(r) {
			i += w
			continue
		}
		start := i
		if strings.HasPrefix(line[i:], "->") {
			i += 2
		} else {
			for i < len(line) {
				r, w := utf8.DecodeRuneInString(line[i:])
				if unicode.IsSpace(r) || strings.HasPrefix(line[i:], "->") {
					break
				}
				i += w
			}
		}
		out = append(out, token{line[start:i], utf8.RuneCountInString(line[:start]) + 1})
	}
	return out
}

// WriteText writes the machine in the format [ParseMachine] reads.
func (m *Machine) WriteText(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "name: %s\n", m.Name)
	if m.Description != "" {
		fmt.Fprintf(&b, "description: %s\n", m.Description)
	}
	fmt.Fprintf(&b, "start: %s %v\n", m.States[m.Start], m.First)
	for s, name := range m.States {
		for o := C; o <= D; o++ {
			fmt.Fprintf(&b, "%s %v -> %s %v\n", name, o, m.States[m.Next[s][o]], m.Move[s][o])
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Resolver looks strategies up by name, as [Lookup] does, and reads
// finite-state machines from files for specs that start with
// [MachinePrefix].
type Resolver struct {
	// ReadFile returns the contents of a machine file named in a spec, the
	// path as written after the prefix. Nil refuses machine files.
	ReadFile func(path string) ([]byte, error)
}

// Lookup returns the strategy written spec: a catalogue name as [Lookup]
// takes it, or "fsm:PATH" for the machine in the file PATH (see
// [ParseMachine]).
func (rs Resolver) Lookup(spec string) (*Strategy, error) {
	s := strings.TrimSpace(spec)
	path, ok := strings.CutPrefix(s, MachinePrefix)
	if !ok {
		return Lookup(spec)
	}
	if path == "" {
		return nil, fmt.Errorf("%q names no file: write fsm:PATH", spec)
	}
	if rs.ReadFile == nil {
		return Lookup(s)
	}
	data, err := rs.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s, err)
	}
	m, err := ParseMachine(bytes.NewReader(data), path)
	if err != nil {
		return nil, err
	}
	return m.Strategy()
}
