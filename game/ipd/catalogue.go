package ipd

import (
	"fmt"
	"strconv"
)

// rule makes a parameterless family's build function.
func rule(desc string, cl Classifier, newPlayer func() Player) func([]string) (*Strategy, error) {
	return func([]string) (*Strategy, error) {
		return &Strategy{Description: desc, Classifier: cl, newPlayer: newPlayer}, nil
	}
}

// deterministicM1 makes a parameterless deterministic rule that is also a
// memory-one rule (for the exact analysis).
func deterministicM1(desc string, depth int, m MemoryOneRule, newPlayer func() Player) func([]string) (*Strategy, error) {
	return func([]string) (*Strategy, error) {
		return &Strategy{Description: desc, Classifier: Classifier{MemoryDepth: depth}, newPlayer: newPlayer,
			memoryOne: func(Payoffs) MemoryOneRule { return m }}, nil
	}
}

// memoryOneStrategy makes a strategy played by a memory-one player whose
// rule may depend on the payoffs; its classifiers are those of the rule for
// the default payoffs.
func memoryOneStrategy(desc string, compute func(Payoffs) MemoryOneRule, usesPayoffs bool) *Strategy {
	m := compute(DefaultPayoffs)
	return &Strategy{
		Description: desc,
		Classifier:  Classifier{MemoryDepth: m.depth(), Stochastic: m.stochastic(), UsesPayoffs: usesPayoffs},
		newPlayer: func() Player {
			if usesPayoffs {
				return &memoryOnePlayer{compute: compute}
			}
			return &memoryOnePlayer{rule: m}
		},
		memoryOne: compute,
	}
}

// fixedRule returns a compute function that ignores the payoffs.
func fixedRule(m MemoryOneRule) func(Payoffs) MemoryOneRule {
	return func(Payoffs) MemoryOneRule { return m }
}

func m1(p1, p2, p3, p4, initial float64) MemoryOneRule {
	return MemoryOneRule{P: [4]float64{p1, p2, p3, p4}, Initial: initial}
}

var families = []*Family{
	// The reference list.
	{Name: "Cooperator", Aliases: []string{"AllC"}, Reference: true,
		build: deterministicM1("Always cooperates.", 0, m1(1, 1, 1, 1, 1), func() Player { return always(C) })},
	{Name: "Defector", Aliases: []string{"AllD"}, Reference: true,
		build: deterministicM1("Always defects.", 0, m1(0, 0, 0, 0, 0), func() Player { return always(D) })},
	{Name: "TitForTat", Aliases: []string{"TFT"}, Reference: true,
		build: deterministicM1("Cooperates first, then copies the opponent's previous move.", 1, m1(1, 0, 1, 0, 1),
			func() Player { return titForTat(C) })},
	{Name: "Grudger", Aliases: []string{"GrimTrigger", "Grim"}, Reference: true,
		build: rule("Cooperates until the opponent defects once, then defects for ever.",
			Classifier{MemoryDepth: Unbounded}, func() Player { return grudger{} })},
	{Name: "TitFor2Tats", Aliases: []string{"TitForTwoTats", "TF2T"}, Reference: true,
		build: rule("Defects only after the opponent defected twice in a row.",
			Classifier{MemoryDepth: 2}, func() Player { return titFor2Tats{} })},
	{Name: "TwoTitsForTat", Aliases: []string{"2TFT"}, Reference: true,
		build: rule("Defects if the opponent defected in either of its last two moves.",
			Classifier{MemoryDepth: 2}, func() Player { return twoTitsForTat{} })},
	{Name: "SuspiciousTitForTat", Aliases: []string{"STFT"}, Reference: true,
		build: deterministicM1("Defects first, then copies the opponent's previous move.", 1, m1(1, 0, 1, 0, 0),
			func() Player { return titForTat(D) })},
	{Name: "WinStayLoseShift", Aliases: []string{"WSLS", "Pavlov"}, Reference: true,
		build: deterministicM1("Cooperates first; then cooperates after CC or DD and defects after CD or DC.", 1,
			m1(1, 0, 0, 1, 1), func() Player { return winStayLoseShift{} })},
	{Name: "Alternator", Reference: true,
		build: deterministicM1("Cooperates first, then plays the opposite of its own previous move.", 1,
			m1(0, 0, 1, 1, 1), func() Player { return alternator{} })},
	{Name: "Bully", Reference: true,
		build: deterministicM1("Defects first, then plays the opposite of the opponent's previous move.", 1,
			m1(0, 1, 0, 1, 0), func() Player { return bully{first: D} })},
	{Name: "Prober", Reference: true,
		build: rule("Opens D, C, C; defects for ever if the opponent cooperated on turns 2 and 3, else plays tit for tat.",
			Classifier{MemoryDepth: Unbounded}, func() Player { return prober{} })},
	{Name: "Adaptive", Reference: true,
		build: rule("Opens with six Cs and five Ds, then plays the move that has earned it the larger total (D on ties).",
			Classifier{MemoryDepth: Unbounded, UsesPayoffs: true}, func() Player { return &adaptive{} })},
	{Name: "FirstByDavis", Aliases: []string{"Davis"}, Reference: true,
		build: rule("Cooperates on the first ten turns, then defects for ever once the opponent has defected.",
			Classifier{MemoryDepth: Unbounded}, func() Player { return davis{} })},
	{Name: "FirstByShubik", Aliases: []string{"Shubik"}, Reference: true,
		build: rule("Retaliates against a defection of its cooperation with a run of Ds one longer each time.",
			Classifier{MemoryDepth: Unbounded}, func() Player { return &shubik{} })},
	{Name: "FirstByNydegger", Aliases: []string{"Nydegger"}, Reference: true,
		build: rule("Tit for tat on turns 1-3, then defects iff the outcomes of the last three turns are in a fixed table.",
			Classifier{MemoryDepth: 3}, func() Player { return nydegger{} })},
	{Name: "FirstBySteinAndRapoport", Aliases: []string{"SteinAndRapoport"}, Reference: true,
		build: rule("Four Cs, then tit for tat, defecting while a chi-square test every 15 turns finds the opponent random; D on the last two turns.",
			Classifier{MemoryDepth: Unbounded, UsesLength: true}, func() Player { return &steinRapoport{} })},
	{Name: "FirstByTidemanAndChieruzzi", Aliases: []string{"TidemanAndChieruzzi"}, Reference: true,
		build: rule("Punishes each run of defections with one more D than the last, grants fresh starts; D on the last two turns.",
			Classifier{MemoryDepth: Unbounded, UsesLength: true, UsesPayoffs: true}, func() Player { return &tidemanChieruzzi{} })},
	{Name: "FirstByDowning", Aliases: []string{"Downing"}, Reference: true,
		build: rule("Estimates how the opponent answers its C and its D and plays the move worth more (switching on ties).",
			Classifier{MemoryDepth: Unbounded, UsesPayoffs: true}, func() Player { return &downing{} })},

	// Further rules.
	{Name: "Random", Params: "p", Defaults: "p = 0.5", build: func(args []string) (*Strategy, error) {
		p := 0.5
		if args != nil {
			ps, err := parseProbs(args, "p")
			if err != nil {
				return nil, err
			}
			p = ps[0]
		}
		s := memoryOneStrategy(fmt.Sprintf("Cooperates with probability %s on every turn.", fmtNum(p)),
			fixedRule(m1(p, p, p, p, p)), false)
		s.newPlayer = func() Player { return random(p) }
		return s, nil
	}},
	{Name: "FirstByJoss", Aliases: []string{"Joss"}, Params: "p", Defaults: "p = 0.9", build: func(args []string) (*Strategy, error) {
		p := 0.9
		if args != nil {
			ps, err := parseProbs(args, "p")
			if err != nil {
				return nil, err
			}
			p = ps[0]
		}
		return memoryOneStrategy(fmt.Sprintf("Tit for tat that cooperates only with probability %s after the opponent's C.", fmtNum(p)),
			fixedRule(m1(p, 0, p, 0, 1)), false), nil
	}},
	{Name: "GTFT", Aliases: []string{"GenerousTitForTat"}, Params: "p", Defaults: "p = min{1 − (T−R)/(R−S), (R−P)/(T−P)} (Nowak and Sigmund)",
		build: func(args []string) (*Strategy, error) {
			if args == nil {
				s := memoryOneStrategy("Tit for tat that forgives a defection with probability p (1/3 for the default payoffs).",
					func(p Payoffs) MemoryOneRule { q := gtftForgiveness(p); return m1(1, q, 1, q, 1) }, true)
				s.check = func(p Payoffs) error {
					if q := gtftForgiveness(p); !(q >= 0 && q <= 1) {
						return fmt.Errorf("Nowak and Sigmund's forgiveness is %s for %v, not a probability; give it as GTFT(p)", fmtNum(q), p)
					}
					return nil
				}
				return s, nil
			}
			ps, err := parseProbs(args, "p")
			if err != nil {
				return nil, err
			}
			q := ps[0]
			return memoryOneStrategy(fmt.Sprintf("Tit for tat that forgives a defection with probability %s.", fmtNum(q)),
				fixedRule(m1(1, q, 1, q, 1)), false), nil
		}},
	{Name: "ContriteTitForTat", Aliases: []string{"CTFT", "Contrite"},
		build: rule("Tit for tat that, after noise turned its C into a D, accepts the opponent's retaliation with Cs.",
			Classifier{MemoryDepth: 3}, func() Player { return &contrite{} })},
	{Name: "Gradual",
		build: rule("Answers a defection with as many Ds as the opponent's defections so far, then two Cs.",
			Classifier{MemoryDepth: Unbounded}, func() Player { return &gradual{} })},
	{Name: "OriginalGradual",
		build: rule("Gradual as first published: the n-th punishment is n Ds then two Cs.",
			Classifier{MemoryDepth: Unbounded}, func() Player { return &originalGradual{} })},
	{Name: "FirmButFair", build: func([]string) (*Strategy, error) {
		return memoryOneStrategy("Cooperates except after being suckered; after DD cooperates with probability 2/3.",
			fixedRule(m1(1, 0, 1, 2.0/3, 1)), false), nil
	}},
	{Name: "AntiTitForTat", Aliases: []string{"AntiTFT"},
		build: deterministicM1("Cooperates first, then plays the opposite of the opponent's previous move.", 1,
			m1(0, 1, 0, 1, 1), func() Player { return bully{first: C} })},
	{Name: "HardTitForTat",
		build: rule("Defects if the opponent defected on any of the three previous turns.",
			Classifier{MemoryDepth: 3}, func() Player { return hardTitForTat{} })},
	{Name: "HardTitFor2Tats", Aliases: []string{"HardTitForTwoTats"},
		build: rule("Defects if the opponent defected twice in a row within the three previous turns.",
			Classifier{MemoryDepth: 3}, func() Player { return hardTitFor2Tats{} })},
	{Name: "SneakyTitForTat",
		build: rule("Tit for tat that defects while the opponent has never defected, and apologises once if punished.",
			Classifier{MemoryDepth: Unbounded}, func() Player { return sneakyTitForTat{} })},
	{Name: "ForgetfulGrudger",
		build: rule("Defects for ten turns after seeing a defection, then forgets it.",
			Classifier{MemoryDepth: 10}, func() Player { return &forgetfulGrudger{} })},
	{Name: "WinShiftLoseStay", Aliases: []string{"ReversePavlov"},
		build: deterministicM1("Defects first; then switches its move after CC or DD and keeps it after CD or DC.", 1,
			m1(0, 1, 1, 0, 0), func() Player { return &memoryOnePlayer{rule: m1(0, 1, 1, 0, 0)} })},
	{Name: "StochasticWSLS", Params: "e", Defaults: "e = 0.05", build: func(args []string) (*Strategy, error) {
		e := 0.05
		if args != nil {
			ps, err := parseProbs(args, "e")
			if err != nil {
				return nil, err
			}
			e = ps[0]
		}
		return memoryOneStrategy(fmt.Sprintf("Win-stay lose-shift that errs with probability %s.", fmtNum(e)),
			fixedRule(m1(1-e, e, e, 1-e, 1)), false), nil
	}},
	{Name: "SoftJoss", Params: "q", Defaults: "q = 0.9", build: func(args []string) (*Strategy, error) {
		q := 0.9
		if args != nil {
			ps, err := parseProbs(args, "q")
			if err != nil {
				return nil, err
			}
			q = ps[0]
		}
		return memoryOneStrategy(fmt.Sprintf("Tit for tat that answers a defection with D only with probability %s.", fmtNum(q)),
			fixedRule(m1(1, 1-q, 1, 1-q, 1)), false), nil
	}},
	{Name: "FirstByGrofman", Aliases: []string{"Grofman"}, build: func([]string) (*Strategy, error) {
		return memoryOneStrategy("Cooperates after CC or DD, and with probability 2/7 after CD or DC.",
			fixedRule(m1(1, 2.0/7, 2.0/7, 1, 1)), false), nil
	}},
	{Name: "ZDGTFT2", build: func([]string) (*Strategy, error) {
		return memoryOneStrategy("Generous zero-determinant rule: its shortfall from R is twice the opponent's.",
			func(p Payoffs) MemoryOneRule { return clampRule(linearRelation(p.R, 0.5, 0.25, p)) }, true), nil
	}},
	{Name: "ZDExtort2", build: func([]string) (*Strategy, error) {
		return memoryOneStrategy("Extortionate zero-determinant rule: its surplus over P is twice the opponent's.",
			func(p Payoffs) MemoryOneRule { return clampRule(linearRelation(p.P, 0.5, 1.0/9, p)) }, true), nil
	}},
	{Name: "GoByMajority", Aliases: []string{"SoftMajority", "SoftGoByMajority"}, Params: "n", Defaults: "n = 0, the whole match",
		build: majorityFamily(true)},
	{Name: "HardGoByMajority", Aliases: []string{"HardMajority"}, Params: "n", Defaults: "n = 0, the whole match",
		build: majorityFamily(false)},
	{Name: "Handshake",
		build: rule("Opens C, D; cooperates for ever if the opponent opened the same way, else defects for ever.",
			Classifier{MemoryDepth: Unbounded}, func() Player { return handshake{} })},
	{Name: "Cycler", Params: "moves", Defaults: "moves = CCD", build: func(args []string) (*Strategy, error) {
		seq := "CCD"
		if args != nil {
			if len(args) != 1 {
				return nil, fmt.Errorf("want 1 parameter, a string of C and D, got %d", len(args))
			}
			seq = args[0]
		}
		as, err := ParseActions(seq)
		if err != nil || len(as) == 0 {
			return nil, fmt.Errorf("want a non-empty string of C and D, got %q", seq)
		}
		c := cycler(as)
		return &Strategy{Description: "Repeats " + FormatActions(as) + " over and over.",
			Classifier: Classifier{MemoryDepth: len(as) - 1}, newPlayer: func() Player { return c }}, nil
	}},
	{Name: "MemoryOne", Params: "p1,p2,p3,p4", Example: "MemoryOne(1,0.1,1,0.1)", build: func(args []string) (*Strategy, error) {
		ps, err := parseProbs(args, "p1", "p2", "p3", "p4")
		if err != nil {
			return nil, err
		}
		m := m1(ps[0], ps[1], ps[2], ps[3], 1)
		return memoryOneStrategy(fmt.Sprintf("Cooperates first, then with probability %s, %s, %s, %s after CC, CD, DC, DD.",
			fmtNum(ps[0]), fmtNum(ps[1]), fmtNum(ps[2]), fmtNum(ps[3])),
			fixedRule(m), false), nil
	}},
	{Name: "Extortioner", Aliases: []string{"ZDExtortioner"}, Params: "chi,phi", Defaults: "chi = 3, phi = 1/26, Press and Dyson's example",
		build: func(args []string) (*Strategy, error) {
			chi, phi := 3.0, 1.0/26
			if args != nil {
				if len(args) != 2 {
					return nil, fmt.Errorf("want 2 parameters (chi,phi), got %d", len(args))
				}
				var err error
				if chi, err = parseNumber(args[0]); err != nil {
					return nil, fmt.Errorf("chi: %w", err)
				}
				if phi, err = parseNumber(args[1]); err != nil {
					return nil, fmt.Errorf("phi: %w", err)
				}
				if chi < 1 {
					return nil, fmt.Errorf("chi must be at least 1, got %s", args[0])
				}
				if phi <= 0 {
					return nil, fmt.Errorf("phi must be more than 0, got %s", args[1])
				}
			}
			check := func(p Payoffs) error {
				if !(p.P > p.S) {
					return fmt.Errorf("an extortioner needs P > S, got %v", p)
				}
				if err := checkRule(extortion(chi, phi, p)); err != nil {
					return fmt.Errorf("no extortioner with chi = %s, phi = %s for %v: %w (phi may be at most %s)",
						fmtNum(chi), fmtNum(phi), p, err, fmtNum((p.P-p.S)/((p.P-p.S)+chi*(p.T-p.P))))
				}
				return nil
			}
			if err := check(DefaultPayoffs); err != nil {
				return nil, err
			}
			s := memoryOneStrategy(fmt.Sprintf("Press and Dyson's zero-determinant extortioner: its surplus over P is %s times the opponent's.", fmtNum(chi)),
				func(p Payoffs) MemoryOneRule { return clampRule(extortion(chi, phi, p)) }, true)
			s.check = check
			return s, nil
		}},
}

// majorityFamily builds GoByMajority (soft) and HardGoByMajority.
func majorityFamily(soft bool) func([]string) (*Strategy, error) {
	return func(args []string) (*Strategy, error) {
		n := 0
		if args != nil {
			if len(args) != 1 {
				return nil, fmt.Errorf("want 1 parameter, the number of turns remembered, got %d", len(args))
			}
			v, err := strconv.Atoi(args[0])
			if err != nil || v < 0 {
				return nil, fmt.Errorf("n must be a whole number of turns, 0 or more (0: all), got %q", args[0])
			}
			n = v
		}
		tie, open := "C", "cooperates"
		if !soft {
			tie, open = "D", "defects"
		}
		over := "all the opponent's moves so far"
		depth := Unbounded
		if n > 0 {
			over = fmt.Sprintf("the opponent's last %d moves", n)
			depth = n
		}
		return &Strategy{
			Description: fmt.Sprintf("Plays the majority move of %s, %s on ties (so it %s first).", over, tie, open),
			Classifier:  Classifier{MemoryDepth: depth},
			newPlayer:   func() Player { return majority{window: n, soft: soft} },
		}, nil
	}
}
