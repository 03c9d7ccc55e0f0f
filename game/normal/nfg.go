package normal

import (
	"bufio"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
)

// ReadNFG reads a game in Gambit's strategic-form (.nfg) format, either
// version: payoffs listed profile by profile, or outcomes followed by one
// outcome number per profile. Strategies may be given by name or by count.
// name is used in error messages only. Every error is a [*SyntaxError] that
// says where the file goes wrong and what was expected there.
func ReadNFG(name string, src []byte) (*Game, error) {
	p := &nfgParser{lexer: newLexer(name, src)}
	g, err := p.parse()
	if err != nil {
		return nil, err
	}
	return g, nil
}

type nfgParser struct {
	*lexer
}

// expect consumes the next token and checks its kind; what says what was
// expected, for the message.
func (p *nfgParser) expect(kind tokKind, what string) (token, error) {
	t, err := p.next()
	if err != nil {
		return t, err
	}
	if t.kind != kind {
		return t, p.errorAt(t, "found %s; expected %s", t.describe(), what)
	}
	return t, nil
}

// gambitHeader is what opens a Gambit file of one kind: its mark, its
// format version, and what to say when the file is of the other kind.
type gambitHeader struct {
	mark, version, kind string
	otherMark, other    string
}

var (
	nfgHeader = gambitHeader{mark: "NFG", version: "1", kind: "strategic-form",
		otherMark: "EFG", other: "this is an extensive-form game (EFG); expected a strategic-form game starting with NFG (read .efg files as extensive games)"}
	efgHeader = gambitHeader{mark: "EFG", version: "2", kind: "extensive-form",
		otherMark: "NFG", other: "this is a strategic-form game (NFG); expected an extensive-form game starting with EFG"}
)

// header reads the prologue both Gambit formats share: the mark, the
// version, the number type, the title and the list of player names.
func (p *nfgParser) header(h gambitHeader) (title string, players []string, err error) {
	t, err := p.next()
	if err != nil {
		return "", nil, err
	}
	if t.kind == tokWord && t.text == h.otherMark {
		return "", nil, p.errorAt(t, "%s", h.other)
	}
	if t.kind != tokWord || t.text != h.mark {
		return "", nil, p.errorAt(t, "found %s at the start of the file; expected %s, the mark of a Gambit %s game", t.describe(), h.mark, h.kind)
	}
	if t, err = p.next(); err != nil {
		return "", nil, err
	}
	if t.kind != tokNumber || t.text != h.version {
		return "", nil, p.errorAt(t, "found %s as the format version; expected %s", t.describe(), h.version)
	}
	if t, err = p.next(); err != nil {
		return "", nil, err
	}
	if t.kind != tokWord || (t.text != "R" && t.text != "D") {
		return "", nil, p.errorAt(t, "found %s as the number type; expected R (or the obsolete D)", t.describe())
	}
	tt, err := p.expect(tokString, "the game's title in double quotes")
	if err != nil {
		return "", nil, err
	}
	if _, err := p.expect(tokLBrace, `"{" opening the list of player names`); err != nil {
		return "", nil, err
	}
	for {
		t, err := p.next()
		if err != nil {
			return "", nil, err
		}
		if t.kind == tokRBrace {
			if len(players) == 0 {
				return "", nil, p.errorAt(t, "the list of players is empty; expected at least one player name in double quotes")
			}
			return tt.text, players, nil
		}
		if t.kind != tokString {
			return "", nil, p.errorAt(t, "found %s in the list of players; expected a player name in double quotes or \"}\"", t.describe())
		}
		players = append(players, t.text)
	}
}

func (p *nfgParser) parse() (*Game, error) {
	title, players, err := p.header(nfgHeader)
	if err != nil {
		return nil, err
	}
	g := &Game{Title: title}
	var t token
	for _, name := range players {
		g.Players = append(g.Players, Player{Name: name})
	}

	// strategies: either { n1 n2 ... } or { { "a" "b" } { "c" } ... }
	open, err := p.expect(tokLBrace, `"{" opening the strategies: a count per player, or a list of names per player`)
	if err != nil {
		return nil, err
	}
	first, err := p.peek()
	if err != nil {
		return nil, err
	}
	switch first.kind {
	case tokNumber:
		for i := range g.Players {
			t, err := p.next()
			if err != nil {
				return nil, err
			}
			if t.kind != tokNumber {
				return nil, p.errorAt(t, "found %s; expected the number of strategies of player %d (%q)", t.describe(), i+1, g.Players[i].Name)
			}
			n, err := strconv.Atoi(t.text)
			if err != nil || n < 1 || !allDigits(strings.TrimPrefix(t.text, "+")) {
				return nil, p.errorAt(t, "player %d (%q) has %s strategies; expected a whole number, 1 or more", i+1, g.Players[i].Name, shorten(t.text))
			}
			if n > MaxProfiles {
				return nil, p.errorAt(t, "player %d (%q) has %d strategies; at most %d are allowed", i+1, g.Players[i].Name, n, MaxProfiles)
			}
			g.Players[i].Strategies = numberedNames(n)
		}
	case tokLBrace:
		for i := range g.Players {
			if _, err := p.expect(tokLBrace, fmt.Sprintf(`"{" opening the strategy names of player %d (%q)`, i+1, g.Players[i].Name)); err != nil {
				return nil, err
			}
			for {
				t, err := p.next()
				if err != nil {
					return nil, err
				}
				if t.kind == tokRBrace {
					if len(g.Players[i].Strategies) == 0 {
						return nil, p.errorAt(t, "player %d (%q) has no strategies; expected at least one strategy name in double quotes", i+1, g.Players[i].Name)
					}
					break
				}
				if t.kind != tokString {
					return nil, p.errorAt(t, "found %s among the strategies of player %d (%q); expected a strategy name in double quotes or \"}\"", t.describe(), i+1, g.Players[i].Name)
				}
				g.Players[i].Strategies = append(g.Players[i].Strategies, t.text)
			}
		}
	default:
		return nil, p.errorAt(first, "found %s after the \"{\" opening the strategies; expected a number of strategies per player, or a \"{\" opening each player's strategy names", first.describe())
	}
	t, err = p.next()
	if err != nil {
		return nil, err
	}
	if t.kind != tokRBrace {
		if first.kind == tokNumber && t.kind == tokNumber {
			return nil, p.errorAt(t, "more strategy counts than the %d players; expected \"}\" closing the list opened at %d:%d", len(g.Players), open.line, open.col)
		}
		if first.kind == tokLBrace && t.kind == tokLBrace {
			return nil, p.errorAt(t, "more lists of strategy names than the %d players; expected \"}\" closing the list opened at %d:%d", len(g.Players), open.line, open.col)
		}
		return nil, p.errorAt(t, "found %s; expected \"}\" closing the strategies opened at %d:%d", t.describe(), open.line, open.col)
	}
	nprof, err := countProfiles(g.Shape())
	if err != nil {
		return nil, p.errorAt(t, "%v", err)
	}

	// optional comment
	if t, err = p.peek(); err != nil {
		return nil, err
	}
	if t.kind == tokString {
		p.next()
		g.Comment = t.text
		if t, err = p.peek(); err != nil {
			return nil, err
		}
	}

	switch t.kind {
	case tokLBrace:
		err = p.outcomeBody(g, nprof)
	case tokNumber:
		err = p.payoffBody(g, nprof)
	default:
		return nil, p.errorAt(t, "found %s; expected the payoffs (numbers) or a \"{\" opening the list of outcomes", t.describe())
	}
	if err != nil {
		return nil, err
	}
	t, err = p.next()
	if err != nil {
		return nil, err
	}
	if t.kind != tokEOF {
		what, count := "payoffs", nprof*len(g.Players)
		if g.Outcomes != nil {
			what, count = "outcome numbers", nprof
		}
		return nil, p.errorAt(t, "found %s after the last of the %d %s the game needs; expected the end of the file", t.describe(), count, what)
	}
	return g, nil
}

// payoffBody reads the flat list of payoffs: for each profile, one payoff
// per player. Commas between payoffs are allowed.
func (p *nfgParser) payoffBody(g *Game, nprof int) error {
	np := len(g.Players)
	total := nprof * np
	// Grow the table as numbers arrive, so a short file claiming a huge game
	// fails before much memory is spent.
	g.Payoffs = make([][]*big.Rat, 0, min(nprof, 1024))
	for k := range nprof {
		v := make([]*big.Rat, np)
		for i := range np {
			t, err := p.next()
			if err != nil {
				return err
			}
			if t.kind == tokComma && (k > 0 || i > 0) {
				if t, err = p.next(); err != nil {
					return err
				}
			}
			if t.kind == tokEOF {
				return p.errorAt(t, "the file ends after %d of the %d payoffs; expected %d (%d players × %d strategy profiles)", k*np+i, total, total, np, nprof)
			}
			if t.kind != tokNumber {
				return p.errorAt(t, "found %s as payoff %d of %d; expected a number", t.describe(), k*np+i+1, total)
			}
			x, msg := parseNumber(t.text)
			if msg != "" {
				return p.errorAt(t, "%s is not a valid payoff; %s", quoteShort(t.text), msg)
			}
			v[i] = x
		}
		g.Payoffs = append(g.Payoffs, v)
	}
	return nil
}

// outcomeBody reads the list of outcomes and then one outcome number per
// profile.
func (p *nfgParser) outcomeBody(g *Game, nprof int) error {
	np := len(g.Players)
	open, _ := p.next()
	g.Outcomes = []Outcome{}
	for {
		t, err := p.next()
		if err != nil {
			return err
		}
		if t.kind == tokRBrace {
			break
		}
		if t.kind != tokLBrace {
			return p.errorAt(t, "found %s in the list of outcomes; expected \"{\" opening an outcome, or \"}\" closing the list opened at %d:%d", t.describe(), open.line, open.col)
		}
		j := len(g.Outcomes) + 1
		name, err := p.expect(tokString, fmt.Sprintf("the name of outcome %d in double quotes (it may be empty: \"\")", j))
		if err != nil {
			return err
		}
		o := Outcome{Name: name.text, Payoffs: make([]*big.Rat, np)}
		for i := range np {
			t, err := p.next()
			if err != nil {
				return err
			}
			if t.kind == tokComma && i > 0 {
				if t, err = p.next(); err != nil {
					return err
				}
			}
			if t.kind != tokNumber {
				return p.errorAt(t, "found %s in outcome %d; expected the payoff of player %d (%q), one number per player", t.describe(), j, i+1, g.Players[i].Name)
			}
			x, msg := parseNumber(t.text)
			if msg != "" {
				return p.errorAt(t, "%s is not a valid payoff; %s", quoteShort(t.text), msg)
			}
			o.Payoffs[i] = x
		}
		t, err = p.next()
		if err != nil {
			return err
		}
		if t.kind != tokRBrace {
			return p.errorAt(t, "found %s in outcome %d; expected \"}\" after its %d payoffs, one per player", t.describe(), j, np)
		}
		g.Outcomes = append(g.Outcomes, o)
	}
	g.Payoffs = make([][]*big.Rat, 0, min(nprof, 1024))
	g.ProfileOutcomes = make([]int, 0, min(nprof, 1024))
	for k := range nprof {
		t, err := p.next()
		if err != nil {
			return err
		}
		if t.kind == tokEOF {
			return p.errorAt(t, "the file ends after %d of the %d outcome numbers; expected one per strategy profile", k, nprof)
		}
		if t.kind != tokNumber {
			return p.errorAt(t, "found %s as outcome number %d of %d; expected a whole number from 0 to %d", t.describe(), k+1, nprof, len(g.Outcomes))
		}
		o, err := strconv.Atoi(t.text)
		if err != nil || !allDigits(t.text) || o > len(g.Outcomes) {
			return p.errorAt(t, "%s is not an outcome; expected a whole number from 1 to %d, or 0 for the null outcome", quoteShort(t.text), len(g.Outcomes))
		}
		g.ProfileOutcomes = append(g.ProfileOutcomes, o)
		v := make([]*big.Rat, np)
		for i := range v {
			v[i] = new(big.Rat)
			if o > 0 {
				v[i].Set(g.Outcomes[o-1].Payoffs[i])
			}
		}
		g.Payoffs = append(g.Payoffs, v)
	}
	return nil
}

// WriteNFG writes g in Gambit's .nfg format, with player and strategy names
// and exact rational payoffs. A game with Outcomes is written in the outcome
// version, any other in the payoff version, one strategy profile per line.
func WriteNFG(w io.Writer, g *Game) error {
	if err := g.Check(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "NFG 1 R %s {", quote(g.Title))
	for _, pl := range g.Players {
		fmt.Fprintf(bw, " %s", quote(pl.Name))
	}
	bw.WriteString(" }\n\n{")
	for i, pl := range g.Players {
		if i > 0 {
			bw.WriteString("\n ")
		}
		bw.WriteString(" {")
		for _, s := range pl.Strategies {
			fmt.Fprintf(bw, " %s", quote(s))
		}
		bw.WriteString(" }")
	}
	bw.WriteString("\n}\n")
	fmt.Fprintf(bw, "%s\n\n", quote(g.Comment))
	if g.Outcomes != nil {
		bw.WriteString("{\n")
		for _, o := range g.Outcomes {
			fmt.Fprintf(bw, "{ %s", quote(o.Name))
			for i, x := range o.Payoffs {
				if i > 0 {
					bw.WriteByte(',')
				}
				fmt.Fprintf(bw, " %s", x.RatString())
			}
			bw.WriteString(" }\n")
		}
		bw.WriteString("}\n")
		for k, o := range g.ProfileOutcomes {
			if k > 0 {
				bw.WriteByte(' ')
			}
			bw.WriteString(strconv.Itoa(o))
		}
		bw.WriteByte('\n')
	} else {
		for _, v := range g.Payoffs {
			for i, x := range v {
				if i > 0 {
					bw.WriteByte(' ')
				}
				bw.WriteString(x.RatString())
			}
			bw.WriteByte('\n')
		}
	}
	return bw.Flush()
}
