package ipd

import (
	"math"
	"strings"
	"testing"
)

// against plays name against a scripted opponent that plays script (the
// match lasts len(script) turns, known to the players) and returns name's
// moves.
func against(t *testing.T, name, script string) string {
	t.Helper()
	opp, err := ParseActions(script)
	if err != nil {
		t.Fatal(err)
	}
	a, err := NewArena(Rules{Turns: len(opp)})
	if err != nil {
		t.Fatal(err)
	}
	a.Play(MustLookup(name).New(), cycler(opp), 1)
	x, _ := a.Moves()
	return FormatActions(x)
}

// drive shows a player the histories own and opp turn by turn (own may
// differ from what the player chose, as if noise had flipped its moves) and
// returns the moves it chose.
func drive(t *testing.T, name, own, opp string) string {
	t.Helper()
	o, _ := ParseActions(own)
	p, _ := ParseActions(opp)
	var r Rand
	v := &View{Payoffs: DefaultPayoffs, Length: len(o), Rand: &r}
	pl := MustLookup(name).New()
	pl.Reset(v)
	var b strings.Builder
	for k := 0; k < len(o); k++ {
		v.Own, v.Opp = o[:k], p[:k]
		v.OwnDefections, v.OppDefections = strings.Count(own[:k], "D"), strings.Count(opp[:k], "D")
		b.WriteString(pl.Move(v).String())
	}
	return b.String()
}

// TestRulesOnScript checks each deterministic rule against moves worked out
// by hand from its description, on a short scripted opponent.
func TestRulesOnScript(t *testing.T) {
	const o1 = "CDDCCDCCCD" // turns 1-10
	for _, c := range []struct{ name, script, want string }{
		{"Cooperator", o1, "CCCCCCCCCC"},
		{"Defector", o1, "DDDDDDDDDD"},
		{"TitForTat", o1, "CCDDCCDCCC"},
		{"Grudger", o1, "CCDDDDDDDD"},
		{"TitFor2Tats", o1, "CCCDCCCCCC"},
		{"TwoTitsForTat", o1, "CCDDDCDDCC"},
		{"SuspiciousTitForTat", o1, "DCDDCCDCCC"},
		{"WinStayLoseShift", o1, "CCDCCCDDDD"},
		{"Alternator", o1, "CDCDCDCDCD"},
		{"Bully", o1, "DDCCDDCDDD"},
		{"Prober", o1, "DCCDCCDCCC"},
		{"Prober", "CCCDCCDCCC", "DCCDDDDDDD"}, // cooperated on turns 2 and 3: D for ever
		{"Adaptive", o1, "CCCCCCDDDD"},
		// C-total 18 beats D-total 5 after the opening: C from turn 12.
		{"Adaptive", "CCCCCCDDDDDCC", "CCCCCCDDDDDCC"},
		// against a defector the D-total (5) beats the C-total (0): D.
		{"Adaptive", "DDDDDDDDDDDDD", "CCCCCCDDDDDDD"},
		{"FirstByDavis", o1 + "CC", "CCCCCCCCCCDD"},
		{"FirstByDavis", "CCCCCCCCCCCC", "CCCCCCCCCCCC"},
		{"FirstByShubik", o1, "CCDCCCDDCC"},
		// retaliations of 1, 2 and 3 turns, each after a C of its own
		{"FirstByShubik", "CDCCDCCCDCCCCC", "CCDCCDDCCDDDCC"},
		{"FirstByNydegger", o1, "CCDCCCCCCC"},
		{"FirstByNydegger", "DCCCC", "CDDDC"}, // D then C on turns 1-2: D on turn 3; A = 16+4+2 = 22: D; A = 21: C
		{"FirstBySteinAndRapoport", o1, "CCCCCCDCDD"},
		{"FirstByTidemanAndChieruzzi", o1, "CCDDDCDDDD"},
		{"FirstByDowning", o1, "DDCCCCCCCC"},
		{"Random(0)", o1, "DDDDDDDDDD"},
		{"Random(1)", o1, "CCCCCCCCCC"},
		{"FirstByJoss(1)", o1, "CCDDCCDCCC"},
		{"GTFT(0)", o1, "CCDDCCDCCC"},
		{"GTFT(1)", o1, "CCCCCCCCCC"},
		{"ContriteTitForTat", o1, "CCDDCCDCCC"}, // without noise it is tit for tat
		{"Gradual", o1, "CCDCCCDDDC"},
		{"OriginalGradual", o1, "CCDCCCDDCC"},
		{"GoByMajority", o1, "CCCDCCCCCC"},
		{"HardGoByMajority", o1, "DCDDDCDCCC"},
		{"HardGoByMajority(2)", o1, "DCDDDCDDCC"},
		{"Handshake", o1, "CDCCCCCCCC"},
		{"Handshake", "DDCCC", "CDDDD"},
		{"Cycler", o1, "CCDCCDCCDC"},
		{"Cycler(DC)", o1, "DCDCDCDCDC"},
		{"MemoryOne(1,0,0,1)", o1, "CCDCCCDDDD"},
		{"AntiTitForTat", o1, "CDCCDDCDDD"},
		{"HardTitForTat", o1, "CCDDDDDDDC"},
		{"HardTitFor2Tats", o1, "CCCDDCCCCC"},
		{"ForgetfulGrudger", o1, "CCDDDDDDDD"},
		{"ForgetfulGrudger", "CDCCCCCCCCCCCC", "CCDDDDDDDDDDCC"}, // ten Ds, then it forgets
		{"SneakyTitForTat", "CCCCDC", "CCDDDC"},
		{"WinShiftLoseStay", o1, "DCCCDCCDCD"},
		{"MemoryOne(0,0,0,0)", o1, "CDDDDDDDDD"},
	} {
		if got := against(t, c.name, c.script); got != c.want {
			t.Errorf("%s against %s: got %s, want %s", c.name, c.script, got, c.want)
		}
	}
}

// TestTidemanFreshStart follows Tideman and Chieruzzi's rule through a
// fresh start. The opponent defects on turns 1, 6, 12 and 22; the rule
// retaliates with runs of 1, 2 and 3 Ds and is 15 points ahead from turn
// 15 on. On turn 21, with N = 20 opponent moves and K = 3 defections,
// K ≤ N/2 − 3·√N/2 ≈ 3.29 holds for the first time: a fresh start (C, C),
// after which the defection of turn 22 earns one D (L restarts at 1),
// not four. Turns 39 and 40 are the end game.
func TestTidemanFreshStart(t *testing.T) {
	script := []byte(strings.Repeat("C", 40))
	for _, turn := range []int{1, 6, 12, 22} {
		script[turn-1] = 'D'
	}
	want := "C" + "D" + "CCCC" + "DD" + "CCCC" + "DDD" + "CCCCC" + "CC" + "D" + strings.Repeat("C", 15) + "DD"
	if got := against(t, "FirstByTidemanAndChieruzzi", string(script)); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// Unknown length: no end game, and the fresh start still happens (the
	// remaining turns count as infinite).
	a, _ := NewArena(Rules{Turns: 40})
	a.hideLength = true
	opp, _ := ParseActions(string(script))
	a.Play(MustLookup("FirstByTidemanAndChieruzzi").New(), cycler(opp), 1)
	x, _ := a.Moves()
	if got, want := FormatActions(x), want[:38]+"CC"; got != want {
		t.Errorf("unknown length:\ngot  %s\nwant %s", got, want)
	}
}

// TestSteinRapoportTest follows the chi-square test: against an opponent
// that alternates C and D from turn 1, on turn 15 it has 7 Cs and 7 Ds
// (statistic 0 ≤ 3.84: looks random), so the rule defects until the test
// of turn 30 (14 Cs, 15 Ds, still random) and beyond; against a cooperator
// (statistic 14 on turn 15) it keeps copying.
func TestSteinRapoportTest(t *testing.T) {
	alt := strings.Repeat("CD", 20) // 40 turns
	got := against(t, "FirstBySteinAndRapoport", alt)
	// turns 1-4 C; 5-14 copy the opponent's previous move (turn 4 D, so turn 5 D …); 15-38 D; 39-40 D
	want := "CCCC" + strings.Repeat("DC", 5) + strings.Repeat("D", 26)
	if got != want {
		t.Errorf("against an alternator:\ngot  %s\nwant %s", got, want)
	}
	if got := against(t, "FirstBySteinAndRapoport", strings.Repeat("C", 40)); got != strings.Repeat("C", 38)+"DD" {
		t.Errorf("against a cooperator: got %s", got)
	}
}

// TestContriteApologises shows Contrite TFT histories in which noise flipped
// its C of turn 2 into a D: it becomes contrite on turn 3 and answers the
// opponent's retaliation of turn 3 with C on turn 4, where tit for tat
// would defect.
func TestContriteApologises(t *testing.T) {
	own, opp := "CDCCC", "CCDCC"
	if got := drive(t, "ContriteTitForTat", own, opp); got != "CCCCC" {
		t.Errorf("ContriteTitForTat: got %s, want CCCCC", got)
	}
	if got := drive(t, "TitForTat", own, opp); got != "CCCDC" {
		t.Errorf("TitForTat: got %s, want CCCDC", got)
	}
	// A D it chose itself is no reason for contrition.
	if got := drive(t, "ContriteTitForTat", "CCDCC", "CDCDC"); got != "CCDCD" {
		t.Errorf("ContriteTitForTat without noise: got %s, want CCDCD", got)
	}
}

// TestStochasticFrequencies checks the probabilities of stochastic rules on
// 200,000 draws, within 5 standard deviations.
func TestStochasticFrequencies(t *testing.T) {
	const n = 200000
	for _, c := range []struct {
		name, opp string
		wantC     float64
	}{
		{"Random(0.3)", "C", 0.3},
		{"Random", "D", 0.5},
		{"FirstByJoss", "C", 0.9},     // after the opponent's C: 0.9
		{"GTFT", "D", 1.0 / 3},        // against a defector: forgives 1/3 of the time
		{"FirmButFair", "D", 2.0 / 3}, // after DD: C w.p. 2/3; after CD: D
	} {
		a, _ := NewArena(Rules{Turns: n})
		o := a.Play(MustLookup(c.name).New(), cycler{Action(strings.IndexByte("CD", c.opp[0]))}, 3)
		got := float64(o.Cooperations[0]) / n
		want := c.wantC
		if c.name == "FirmButFair" {
			want = 0.4 // DD → C w.p. 2/3 → CD → D: C on 2 turns in 5
		}
		if sd := math.Sqrt(want * (1 - want) / n); math.Abs(got-want) > 5*sd+2.0/n {
			t.Errorf("%s against %s: cooperated %.4f of the time, want %.4f", c.name, c.opp, got, want)
		}
	}
}

// TestClassifiers checks a few classifiers against the reference library's.
func TestClassifiers(t *testing.T) {
	for _, c := range []struct {
		name string
		want Classifier
	}{
		{"Cooperator", Classifier{MemoryDepth: 0}},
		{"TitForTat", Classifier{MemoryDepth: 1}},
		{"Grudger", Classifier{MemoryDepth: Unbounded}},
		{"TitFor2Tats", Classifier{MemoryDepth: 2}},
		{"FirstByNydegger", Classifier{MemoryDepth: 3}},
		{"FirstBySteinAndRapoport", Classifier{MemoryDepth: Unbounded, UsesLength: true}},
		{"FirstByTidemanAndChieruzzi", Classifier{MemoryDepth: Unbounded, UsesLength: true, UsesPayoffs: true}},
		{"Random", Classifier{MemoryDepth: 0, Stochastic: true}},
		{"Random(1)", Classifier{MemoryDepth: 0}},
		{"GTFT", Classifier{MemoryDepth: 1, Stochastic: true, UsesPayoffs: true}},
		{"MemoryOne(1,0,1,0)", Classifier{MemoryDepth: 1}},
		{"MemoryOne(0.5,0.5,0.5,0.5)", Classifier{MemoryDepth: 0, Stochastic: true}},
		{"Cycler(CCD)", Classifier{MemoryDepth: 2}},
		{"GoByMajority(10)", Classifier{MemoryDepth: 10}},
		{"Extortioner", Classifier{MemoryDepth: 1, Stochastic: true, UsesPayoffs: true}},
	} {
		if got := MustLookup(c.name).Classifier; got != c.want {
			t.Errorf("%s: classifier %+v, want %+v", c.name, got, c.want)
		}
	}
	for _, s := range Catalogue() {
		if s.Description == "" || !strings.HasSuffix(s.Description, ".") {
			t.Errorf("%s: description %q, want one sentence", s.Name, s.Description)
		}
	}
}
