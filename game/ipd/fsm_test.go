package ipd

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readMachine reads a machine of testdata/fsm through a Resolver.
func readMachine(t *testing.T, file string) *Strategy {
	t.Helper()
	rs := Resolver{ReadFile: func(p string) ([]byte, error) { return os.ReadFile(filepath.Join("testdata", "fsm", p)) }}
	s, err := rs.Lookup("fsm:" + file)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// opponents are the catalogue with its defaults, plus the families that
// need parameters, with an example each.
func opponents() []*Strategy {
	out := Catalogue()
	for _, f := range Families() {
		if f.NeedsParams() {
			out = append(out, MustLookup(f.Example))
		}
	}
	return out
}

// TestMachinesPlayLikeTheirRules plays each machine of testdata/fsm and the
// catalogue rule it writes down against every strategy of the catalogue,
// from both seats, and wants the same moves on both sides. TitForTat,
// Grudger and TitFor2Tats react to the opponent's moves only, so they must
// agree under noise and with an unknown length too; WinStayLoseShift looks
// at its own moves, which the machine takes as it meant them, so it agrees
// only without noise.
func TestMachinesPlayLikeTheirRules(t *testing.T) {
	cases := []struct {
		file, rule string
		noisy      bool
	}{
		{"tft.fsm", "TitForTat", true},
		{"grudger.fsm", "Grudger", true},
		{"tf2t.fsm", "TitFor2Tats", true},
		{"wsls.fsm", "WinStayLoseShift", false},
	}
	opps := opponents()
	if len(opps) < 40 {
		t.Fatalf("%d opponents", len(opps))
	}
	matches := 0
	for _, c := range cases {
		machine, rule := readMachine(t, c.file), MustLookup(c.rule)
		rules := []Rules{{Turns: 200}}
		if c.noisy {
			rules = append(rules, Rules{Turns: 200, Noise: 0.05}, Rules{ProbEnd: 0.01, Noise: 0.1})
		}
		for _, r := range rules {
			for _, opp := range opps {
				for seat := 0; seat < 2; seat++ {
					seed := uint64(7 + seat)
					play := func(s *Strategy) (string, string) {
						var res *MatchResult
						var err error
						if seat == 0 {
							res, err = PlayMatch(s, opp, r, seed)
						} else {
							res, err = PlayMatch(opp, s, r, seed)
						}
						if err != nil {
							t.Fatal(err)
						}
						return FormatActions(res.Moves[0]), FormatActions(res.Moves[1])
					}
					m1, m2 := play(machine)
					r1, r2 := play(rule)
					if m1 != r1 || m2 != r2 {
						t.Errorf("%s vs %s (seat %d, %+v): the machine's match\n%s\n%s\ndiffers from the rule's\n%s\n%s",
							c.file, opp.Name, seat+1, r, m1, m2, r1, r2)
					}
					matches++
				}
			}
		}
	}
	t.Logf("%d matches compared", matches)
	// Under noise the WinStayLoseShift machine parts from the rule: it does
	// not see its own flipped moves.
	w1, _ := PlayMatch(readMachine(t, "wsls.fsm"), MustLookup("TitForTat"), Rules{Turns: 200, Noise: 0.05}, 1)
	w2, _ := PlayMatch(MustLookup("WinStayLoseShift"), MustLookup("TitForTat"), Rules{Turns: 200, Noise: 0.05}, 1)
	if FormatActions(w1.Moves[0]) == FormatActions(w2.Moves[0]) {
		t.Error("the WinStayLoseShift machine plays like the rule under noise")
	}
}

func TestMachineClassifiers(t *testing.T) {
	for _, c := range []struct {
		file  string
		depth int
		m1    bool
	}{{"tft.fsm", 1, true}, {"grudger.fsm", 1, false}, {"tf2t.fsm", 2, false}, {"wsls.fsm", 1, false}} {
		s := readMachine(t, c.file)
		if s.MemoryDepth != c.depth || s.Stochastic || s.UsesLength || s.UsesPayoffs || s.Family != "FSM" {
			t.Errorf("%s: classifier %+v family %s, want memory %d", c.file, s.Classifier, s.Family, c.depth)
		}
		if _, ok := s.MemoryOne(DefaultPayoffs); ok != c.m1 {
			t.Errorf("%s: memory-one %v, want %v", c.file, ok, c.m1)
		}
	}
	// The machine tit for tat gets the exact analysis: 2.25 each under noise.
	tft := readMachine(t, "tft.fsm")
	lr, ok := ExactLongRunOf(tft, MustLookup("TitForTat"), DefaultPayoffs, 0.1)
	if !ok || !close(lr.Scores[0], 2.25, 1e-12) || !close(lr.Scores[1], 2.25, 1e-12) {
		t.Errorf("exact long run %+v, %v", lr, ok)
	}
	if tft.Name != "MachineTitForTat" || !strings.Contains(tft.Description, "one-state machine") {
		t.Errorf("name %q, description %q", tft.Name, tft.Description)
	}
}

// machine builds a machine from transitions (state, opponent's move, next
// state, move) on states named by numbers, as the reference library writes them.
func machine(t *testing.T, start int, first Action, trans ...[4]int) *Machine {
	t.Helper()
	var b strings.Builder
	b.WriteString("start: s" + itoa(start) + " " + Action(first).String() + "\n")
	for _, tr := range trans {
		b.WriteString("s" + itoa(tr[0]) + " " + Action(tr[1]).String() + " -> s" + itoa(tr[2]) + " " + Action(tr[3]).String() + "\n")
	}
	m, err := ParseMachine(strings.NewReader(b.String()), "test.fsm")
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	return m
}

func itoa(k int) string {
	if k < 10 {
		return string(rune('0' + k))
	}
	return itoa(k/10) + itoa(k%10)
}

// TestMachineMemoryDepth checks the memory depth on machines whose depth
// follows from how they play (the cases are those the reference library
// checks its own computation on).
func TestMachineMemoryDepth(t *testing.T) {
	const c, d = 0, 1
	inf := Unbounded
	for _, tc := range []struct {
		name  string
		start int
		first Action
		trans [][4]int
		want  int
	}{
		{"cooperator", 0, C, [][4]int{{0, c, 0, c}, {0, d, 0, c}}, 0},
		{"tit for tat", 0, C, [][4]int{{0, c, 0, c}, {0, d, 0, d}}, 1},
		// C in state 0 and D in state 1 after anything; the opponent's D
		// leads to state 1: the move depends on the opponent's move two
		// turns back.
		{"two states, memory two", 0, C, [][4]int{{0, c, 0, c}, {0, d, 1, c}, {1, c, 0, d}, {1, d, 1, d}}, 2},
		// Its own last move says which state it is in: tit for tat again.
		{"two-state tit for tat", 0, C, [][4]int{{0, c, 0, c}, {0, d, 1, d}, {1, c, 0, c}, {1, d, 1, d}}, 1},
		{"three-state tit for tat", 0, C, [][4]int{{0, c, 1, c}, {0, d, 1, d}, {1, c, 2, c}, {1, d, 0, d}, {2, c, 0, c}, {2, d, 2, d}}, 1},
		// A C keeps the state, a D switches it; the answer to a D depends
		// on the state, and any number of CC turns may hide it.
		{"two states, unbounded", 0, C, [][4]int{{0, c, 0, c}, {0, d, 1, c}, {1, c, 1, c}, {1, d, 0, d}}, inf},
		{"four states, memory two", 0, C, [][4]int{{0, c, 0, c}, {0, d, 1, c}, {1, c, 2, d}, {1, d, 1, d},
			{2, c, 2, c}, {2, d, 3, c}, {3, c, 0, d}, {3, d, 3, d}}, 2},
		{"tit for two tats", 1, C, [][4]int{{1, c, 1, c}, {1, d, 2, c}, {2, c, 1, c}, {2, d, 3, d},
			{3, c, 4, d}, {3, d, 3, d}, {4, c, 1, c}, {4, d, 3, d}}, 2},
		{"tit for five tats", 1, C, [][4]int{{1, c, 1, c}, {1, d, 2, c}, {2, c, 1, c}, {2, d, 3, c}, {3, c, 1, c},
			{3, d, 4, c}, {4, c, 1, c}, {4, d, 5, c}, {5, c, 1, c}, {5, d, 6, d}, {6, c, 6, d}, {6, d, 7, d},
			{7, c, 6, d}, {7, d, 8, d}, {8, c, 6, d}, {8, d, 9, d}, {9, c, 6, d}, {9, d, 10, d}, {10, c, 6, d}, {10, d, 1, c}}, 5},
		// Fortress3 defects unless the opponent defected twice in a row.
		{"fortress 3", 1, D, [][4]int{{1, c, 1, d}, {1, d, 2, d}, {2, c, 1, d}, {2, d, 3, c}, {3, c, 3, c}, {3, d, 1, d}}, 2},
		{"fortress 4", 1, D, [][4]int{{1, c, 1, d}, {1, d, 2, d}, {2, c, 1, d}, {2, d, 3, d}, {3, c, 1, d},
			{3, d, 4, c}, {4, c, 3, c}, {4, d, 1, d}}, 3},
		{"many-state cooperator", 0, C, [][4]int{{0, c, 0, c}, {0, d, 1, c}, {1, c, 2, c}, {1, d, 3, c}, {2, c, 4, c},
			{2, d, 3, c}, {3, c, 5, c}, {3, d, 4, c}, {4, c, 2, c}, {4, d, 6, c}, {5, c, 7, c}, {5, d, 3, c},
			{6, c, 7, c}, {6, d, 7, c}, {7, c, 8, c}, {7, d, 7, c}, {8, c, 8, c}, {8, d, 6, c}}, 0},
		// Two copies of Fortress3; only the one it starts in counts.
		{"disconnected", 1, D, [][4]int{{1, c, 1, d}, {1, d, 2, d}, {2, c, 1, d}, {2, d, 3, c}, {3, c, 3, c}, {3, d, 1, d},
			{4, c, 4, d}, {4, d, 5, d}, {5, c, 4, d}, {5, d, 6, c}, {6, c, 6, c}, {6, d, 4, d}}, 2},
		// A first state leads to a cooperator after a C and to tit for tat
		// after a D; a long run of CC hides which.
		{"transient, unbounded", 0, C, [][4]int{{0, c, 1, c}, {0, d, 2, d}, {1, c, 1, c}, {1, d, 1, c}, {2, c, 2, c}, {2, d, 2, d}}, inf},
		{"transient, started in tit for tat", 2, C, [][4]int{{0, c, 1, c}, {0, d, 2, d}, {1, c, 1, c}, {1, d, 1, c}, {2, c, 2, c}, {2, d, 2, d}}, 1},
		{"self-loops on C and D", 0, C, [][4]int{{0, c, 0, c}, {0, d, 2, d}, {1, c, 3, d}, {1, d, 0, c}, {2, c, 2, d},
			{2, d, 1, c}, {3, c, 3, d}, {3, d, 1, d}}, inf},
	} {
		m := machine(t, tc.start, tc.first, tc.trans...)
		if got := m.MemoryDepth(); got != tc.want {
			t.Errorf("%s: memory depth %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestParseMachineErrors(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []string
	}{
		{"start: a C\na C -> a C\n", []string{"m.fsm:1:8: state a has no transition for the opponent's D"}},
		{"a C -> a C\na D -> a D\n", []string{"m.fsm:2:1: no start"}},
		{"start: a X\n", []string{"m.fsm:1:10: the move of turn 1 must be C or D, got \"X\""}},
		{"start: a\n", []string{"m.fsm:1:8: start wants the state and the move of turn 1"}},
		{"start: a C\nstart: a D\n", []string{"m.fsm:2:1: start given twice (first on line 1)"}},
		{"start: a C\na C -> a C\na D -> a D\na C -> a D\n", []string{"m.fsm:4:1: a second transition for state a after the opponent's C (the first is on line 2)"}},
		{"start: a C\na C a C\n", []string{"m.fsm:2:1: want a transition STATE MOVE -> STATE MOVE"}},
		{"start: a C\n  a Q -> b Z\n", []string{"m.fsm:2:5: the opponent's move must be C or D, got \"Q\"", "m.fsm:2:12: the move to play must be C or D, got \"Z\""}},
		{"start: a C\na! C -> a C\n", []string{"m.fsm:2:1: bad state name \"a!\""}},
		{"colour: red\n", []string{"m.fsm:1:1: unknown key \"colour\""}},
		{"name: TitForTat\nstart: a C\na C -> a C\na D -> a D\n", []string{"m.fsm:1:7: name \"TitForTat\" is a strategy of the catalogue"}},
		{"name: My Machine\n", []string{"m.fsm:1:7: name \"My Machine\" may not contain spaces"}},
		{"start: a C\na C -> b C\na D -> a D\n", []string{"m.fsm:2:8: state b has no transition for the opponent's C", "m.fsm:2:8: state b has no transition for the opponent's D"}},
		{"", []string{"m.fsm:1:1: no start"}},
	} {
		_, err := ParseMachine(strings.NewReader(c.src), "m.fsm")
		if err == nil {
			t.Errorf("%q: no error", c.src)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%q: error\n%v\ndoes not contain %q", c.src, err, w)
			}
		}
	}
	// Arrows without spaces, lower-case moves, comments, a byte order mark.
	m, err := ParseMachine(strings.NewReader("\ufeff# tft\nstart:s c\ns c->s c # keep\ns d->s d\n"), "x.fsm")
	if err != nil || m.Name != "fsm:x.fsm" || len(m.States) != 1 || m.Move[0] != [2]Action{C, D} {
		t.Errorf("got %+v, %v", m, err)
	}
}

// TestMachineRoundTrip writes a machine and reads it back.
func TestMachineRoundTrip(t *testing.T) {
	src, _ := os.ReadFile(filepath.Join("testdata", "fsm", "tf2t.fsm"))
	m, err := ParseMachine(bytes.NewReader(src), "tf2t.fsm")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := m.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	m2, err := ParseMachine(&b, "again.fsm")
	if err != nil {
		t.Fatal(err)
	}
	if m2.Name != m.Name || m2.Start != m.Start || m2.First != m.First || len(m2.States) != 2 ||
		m2.Next[1] != m.Next[1] || m2.Move[1] != m.Move[1] {
		t.Errorf("round trip: %+v, want %+v", m2, m)
	}
}

// TestResolver reads machines from a line-up and refuses them without a reader.
func TestResolver(t *testing.T) {
	if _, err := Lookup("fsm:tft.fsm"); err == nil {
		t.Error("Lookup read a machine file")
	}
	if _, err := (Resolver{}).Lookup("fsm:tft.fsm"); err == nil || !strings.Contains(err.Error(), "cannot be read here") {
		t.Errorf("no reader: %v", err)
	}
	rs := Resolver{ReadFile: func(p string) ([]byte, error) { return os.ReadFile(filepath.Join("testdata", "fsm", p)) }}
	ps, err := rs.ParseLineup(strings.NewReader("TitForTat\nfsm:grudger.fsm # a machine\nfsm:tft.fsm\n"), "l.txt")
	if err != nil || len(ps) != 3 || ps[1].Name != "MachineGrudger" || ps[2].Name != "MachineTitForTat" {
		t.Fatalf("got %v, %v", ps, err)
	}
	_, err = rs.ParseLineup(strings.NewReader("TitForTat\nfsm:missing.fsm\nfsm:\n"), "l.txt")
	for _, w := range []string{"l.txt:2:1: fsm:missing.fsm:", "l.txt:3:1: \"fsm:\" names no file"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v does not contain %q", err, w)
		}
	}
	bad := Resolver{ReadFile: func(string) ([]byte, error) { return []byte("start: a C\n"), nil }}
	if _, err := bad.Lookup("fsm:bad.fsm"); err == nil || !strings.Contains(err.Error(), "bad.fsm:1:8: state a has no transition") {
		t.Errorf("bad machine: %v", err)
	}
}

// TestMachineAllocatesNothing: a machine plays without allocating.
func TestMachineAllocatesNothing(t *testing.T) {
	m := readMachine(t, "tf2t.fsm")
	a, _ := NewArena(Rules{Turns: 200, Noise: 0.05})
	p1, p2 := m.New(), MustLookup("FirstByDowning").New()
	a.Play(p1, p2, 1)
	if n := testing.AllocsPerRun(20, func() { a.Play(p1, p2, 2) }); n != 0 {
		t.Errorf("%v allocations per match", n)
	}
}
