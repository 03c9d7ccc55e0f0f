package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/parleyhq/parley/game/ipd"
)

// Caps of the iterated games one request may ask for.
const (
	maxTournamentPlayers = 64
	maxTournamentReps    = 1000
	maxEcologySteps      = 10_000
	maxMatchTurns        = 10_000
	maxGameTurns         = 10_000
	// maxTournamentWork bounds matches × turns: every pair (self-play
	// included) plays one match per repetition.
	maxTournamentWork = 20_000_000
	// matchRowsShown is how many turns the match page lays out; the API
	// returns them all.
	matchRowsShown = 1000
)

// ---- tournament ----

type tournamentReq struct {
	// Strategies are names from the catalogue, parameters included.
	Strategies []string `json:"strategies"`
	// Lineup is more strategies, one per line as in a line-up file.
	Lineup      string     `json:"lineup,omitempty"`
	Turns       int        `json:"turns"`
	Repetitions int        `json:"repetitions"`
	Noise       float64    `json:"noise"`
	ProbEnd     float64    `json:"prob_end"`
	Seed        uint64     `json:"seed"`
	Payoffs     payoffsReq `json:"payoffs"`
	// EcologySteps is how many steps of Axelrod's ecological dynamics to
	// run on the payoff matrix (0: none).
	EcologySteps int `json:"ecology_steps"`
}

// ecologyOut is the ecological variant of a tournament: replicator
// dynamics on its payoff matrix, from equal shares.
type ecologyOut struct {
	Steps int `json:"steps"`
	// Final holds each strategy's share after the last step, in line-up order.
	Final []shareOut `json:"final_shares"`
}

type shareOut struct {
	Strategy string  `json:"strategy"`
	Share    float64 `json:"share"`
}

// tournamentOut is the library's summary of the tournament, with the
// ecology and the charts of the page.
type tournamentOut struct {
	ipd.TournamentSummary
	Ecology *ecologyOut `json:"ecology,omitempty"`

	BoxPlot      template.URL `json:"-"`
	Heatmap      template.URL `json:"-"`
	EcologyChart template.URL `json:"-"`
}

func defaultLineupNames() []string {
	ps, _ := ipd.Lineup("axelrod-first")
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return names
}

// rulesField maps the fields of ipd's rule errors to the request's.
func rulesError(err error) error {
	var fe *ipd.FieldError
	if errors.As(err, &fe) {
		field := fe.Field
		if strings.HasPrefix(field, "payoffs") {
			field = "payoffs"
		}
		return badField(field, "%s", fe.Msg)
	}
	return badField("", "%v", err)
}

// payoffsReq are the payoffs of one turn: R to both for mutual
// cooperation, P for mutual defection, T to a defector against a
// cooperator, who gets S.
type payoffsReq struct {
	R float64 `json:"R"`
	S float64 `json:"S"`
	T float64 `json:"T"`
	P float64 `json:"P"`
	// AnyGame accepts payoffs that do not make a prisoner's dilemma.
	AnyGame bool `json:"any_game,omitempty"`
}

var defaultPayoffs = payoffsReq{R: ipd.DefaultPayoffs.R, S: ipd.DefaultPayoffs.S, T: ipd.DefaultPayoffs.T, P: ipd.DefaultPayoffs.P}

func (f *wbForm) payoffs(p *payoffsReq) {
	f.floatField("payoff_r", &p.R)
	f.floatField("payoff_s", &p.S)
	f.floatField("payoff_t", &p.T)
	f.floatField("payoff_p", &p.P)
	p.AnyGame = f.get("any_game") != ""
}

// gameRules checks the rules of play shared by tournaments, matches and
// Moran processes.
func gameRules(turns int, noise, probEnd float64, maxTurns int, pay payoffsReq) (ipd.Rules, error) {
	if turns < 1 || turns > maxTurns {
		return ipd.Rules{}, badField("turns", "must be from 1 to %d (with prob_end, the most a match may last), got %d", maxTurns, turns)
	}
	r := ipd.Rules{Turns: turns, Noise: noise, ProbEnd: probEnd,
		Payoffs: ipd.Payoffs{R: pay.R, S: pay.S, T: pay.T, P: pay.P}, AllowAnyPayoffs: pay.AnyGame}
	if err := r.Validate(); err != nil {
		return ipd.Rules{}, rulesError(err)
	}
	return r, nil
}

// lineupStrategies looks up the strategies of a line-up text, each
// problem located at its line and column.
func lineupStrategies(text string) ([]*ipd.Strategy, []problemJSON) {
	var out []*ipd.Strategy
	var ps []problemJSON
	for n, line := range strings.Split(text, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		spec := strings.TrimSpace(line)
		if spec == "" {
			continue
		}
		col := len([]rune(line[:strings.Index(line, spec)])) + 1
		s, err := ipd.Lookup(spec)
		if err != nil {
			le := &ipd.LineError{File: "lineup", Line: n + 1, Col: col, Err: err}
			ps = append(ps, problemJSON{Line: n + 1, Column: col, Message: err.Error(), Text: le.Error(), Excerpt: strings.TrimRight(line, "\r")})
			continue
		}
		out = append(out, s)
	}
	return out, ps
}

func runTournament(s *Server, ctx context.Context, q *tournamentReq) (*tournamentOut, error) {
	var players []*ipd.Strategy
	seen := map[string]string{}
	add := func(p *ipd.Strategy, where, field string) error {
		if w, dup := seen[p.Name]; dup {
			return badField(field, "%s is in the line-up twice (%s and %s)", p.Name, w, where)
		}
		seen[p.Name] = where
		players = append(players, p)
		return nil
	}
	for i, name := range q.Strategies {
		field := fmt.Sprintf("strategies[%d]", i)
		p, err := ipd.Lookup(name)
		if err != nil {
			return nil, badField("strategies", "%s: %v", field, err)
		}
		if err := add(p, field, "strategies"); err != nil {
			return nil, err
		}
	}
	if len(q.Lineup) > maxWBText {
		return nil, badField("lineup", "the line-up has %d bytes; at most %d are accepted", len(q.Lineup), maxWBText)
	}
	more, ps := lineupStrategies(q.Lineup)
	if len(ps) > 0 {
		return nil, &wbError{status: http.StatusBadRequest, field: "lineup", msg: fmt.Sprintf("the line-up is not valid: %s", ps[0].Text), problems: ps}
	}
	for _, p := range more {
		if err := add(p, "lineup", "lineup"); err != nil {
			return nil, err
		}
	}
	n := len(players)
	if n < 2 || n > maxTournamentPlayers {
		return nil, badField("strategies", "a tournament needs from 2 to %d strategies, got %d", maxTournamentPlayers, n)
	}
	rules, err := gameRules(q.Turns, q.Noise, q.ProbEnd, maxGameTurns, q.Payoffs)
	if err != nil {
		return nil, err
	}
	if q.Repetitions < 1 || q.Repetitions > maxTournamentReps {
		return nil, badField("repetitions", "must be from 1 to %d, got %d", maxTournamentReps, q.Repetitions)
	}
	if q.EcologySteps < 0 || q.EcologySteps > maxEcologySteps {
		return nil, badField("ecology_steps", "must be from 0 (none) to %d, got %d", maxEcologySteps, q.EcologySteps)
	}
	if work := n * (n + 1) / 2 * q.Turns * q.Repetitions; work > maxTournamentWork {
		return nil, badField("repetitions", "%d strategies play %d matches per repetition: %d matches × %d turns × %d repetitions is %d turns, over the limit of %d; choose fewer strategies, turns or repetitions",
			n, n*(n+1)/2, n*(n+1)/2, q.Turns, q.Repetitions, work, maxTournamentWork)
	}
	t := ipd.Tournament{Players: players, Rules: rules, Repetitions: q.Repetitions, Seed: q.Seed, Workers: 1}
	var res *ipd.Results
	var shares [][]float64
	err = s.heavy(ctx, func(ctx context.Context) error {
		var err error
		if res, err = t.Run(ctx); err != nil {
			return err
		}
		if q.EcologySteps > 0 {
			mean, _ := res.PayoffMatrix()
			eco := ipd.Ecology{Payoffs: mean, Seed: q.Seed}
			if shares, err = eco.Run(q.EcologySteps); err != nil {
				return badField("ecology_steps", "the ecological dynamics: %v", err)
			}
		}
		return nil
	})
	if err != nil {
		var fe *ipd.FieldError
		if errors.As(err, &fe) {
			return nil, rulesError(err)
		}
		return nil, err
	}
	out, err := tournamentOf(res)
	if err != nil || shares == nil {
		return out, err
	}
	eo := &ecologyOut{Steps: q.EcologySteps}
	for i, x := range shares[len(shares)-1] {
		eo.Final = append(eo.Final, shareOut{Strategy: out.Players[i], Share: x})
	}
	out.Ecology = eo
	chart := ipd.SharesChart("Ecological dynamics: shares of the population over the steps",
		fmt.Sprintf("%d strategies, from equal shares, on the tournament's payoff matrix", len(out.Players)), "step", out.Players, shares)
	if out.EcologyChart, err = svgImage(chart.WriteSVG); err != nil {
		return nil, err
	}
	return out, nil
}

func tournamentOf(res *ipd.Results) (*tournamentOut, error) {
	out := &tournamentOut{TournamentSummary: res.Summary()}
	var err error
	if out.BoxPlot, err = svgImage(res.BoxPlot().WriteSVG); err != nil {
		return nil, err
	}
	if out.Heatmap, err = svgImage(res.Heatmap().WriteSVG); err != nil {
		return nil, err
	}
	return out, nil
}

// catalogueEntry is a strategy the tournament form offers.
type catalogueEntry struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Reference   bool   `json:"reference"` // one of the 18 of Axelrod's first tournament
}

// catalogue lists the strategies the tournament and match forms offer.
// The strategies of the default line-up come first, in the line-up's order,
// and then the others in the catalogue's. The order matters: a tournament's
// match (i, j) is seeded by the players' places, and a form posts its boxes
// in the order they stand, so the default form plays exactly the tournament
// of `parley tournament`.
func catalogue() []catalogueEntry {
	byName := map[string]*ipd.Strategy{}
	all := ipd.Catalogue()
	for _, s := range all {
		byName[s.Name] = s
	}
	var out []catalogueEntry
	ref := map[string]bool{}
	for _, n := range defaultLineupNames() {
		if s := byName[n]; s != nil {
			ref[n] = true
			out = append(out, catalogueEntry{Name: s.Name, Description: s.Description, Reference: true})
		}
	}
	for _, s := range all {
		if !ref[s.Name] {
			out = append(out, catalogueEntry{Name: s.Name, Description: s.Description})
		}
	}
	return out
}

// Picked reports whether the request has the strategy, for the form.
func (q *tournamentReq) Picked(name string) bool {
	for _, n := range q.Strategies {
		if n == name {
			return true
		}
	}
	return false
}

func (s *Server) apiStrategies(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"strategies": catalogue(), "default_lineup": defaultLineupNames()})
}

var tournamentCap = &wbCap[tournamentReq, *tournamentOut]{
	page: "workbench-tournament", title: "Tournament",
	defaults: func() tournamentReq {
		return tournamentReq{Strategies: defaultLineupNames(), Turns: 200, Repetitions: 10, Seed: 1, EcologySteps: 100, Payoffs: defaultPayoffs}
	},
	fromForm: func(f *wbForm, q *tournamentReq) {
		q.Strategies = nil
		for _, v := range f.vals["strategy"] {
			if v = strings.TrimSpace(v); v != "" {
				q.Strategies = append(q.Strategies, v)
			}
		}
		q.Lineup = f.text("lineup")
		f.intField("turns", &q.Turns)
		f.intField("repetitions", &q.Repetitions)
		f.floatField("noise", &q.Noise)
		f.floatField("prob_end", &q.ProbEnd)
		f.uintField("seed", &q.Seed)
		f.intField("ecology_steps", &q.EcologySteps)
		f.payoffs(&q.Payoffs)
	},
	run: runTournament,
	extra: func(s *Server) map[string]any {
		return map[string]any{"Catalogue": catalogue(), "Default": defaultLineupNames(),
			"MaxPlayers": maxTournamentPlayers, "MaxReps": maxTournamentReps, "MaxTurns": maxGameTurns, "MaxWork": maxTournamentWork, "MaxSteps": maxEcologySteps}
	},
}

// ---- match ----

type matchReq struct {
	A       string     `json:"a"`
	B       string     `json:"b"`
	Turns   int        `json:"turns"`
	Noise   float64    `json:"noise"`
	ProbEnd float64    `json:"prob_end"`
	Seed    uint64     `json:"seed"`
	Payoffs payoffsReq `json:"payoffs"`
}

type matchTurn struct {
	Turn    int     `json:"turn"`
	A       string  `json:"a"`
	B       string  `json:"b"`
	PayoffA float64 `json:"payoff_a"`
	PayoffB float64 `json:"payoff_b"`
	TotalA  float64 `json:"total_a"`
	TotalB  float64 `json:"total_b"`
}

// matchOut is the library's summary of the match, with its turns and the
// page's charts.
type matchOut struct {
	ipd.MatchSummary
	ByTurn  []matchTurn `json:"by_turn"`
	Charts  []wbChart   `json:"-"`
	Shown   int         `json:"-"`
	Hidden  int         `json:"-"`
	Winners string      `json:"-"`
}

func runMatch(s *Server, ctx context.Context, q *matchReq) (*matchOut, error) {
	a, err := ipd.Lookup(q.A)
	if err != nil {
		return nil, badField("a", "%v", err)
	}
	b, err := ipd.Lookup(q.B)
	if err != nil {
		return nil, badField("b", "%v", err)
	}
	rules, err := gameRules(q.Turns, q.Noise, q.ProbEnd, maxMatchTurns, q.Payoffs)
	if err != nil {
		return nil, err
	}
	res, err := ipd.PlayMatch(a, b, rules, q.Seed)
	if err != nil {
		return nil, rulesError(err)
	}
	lr, exact := ipd.ExactLongRunOf(a, b, res.Rules.Payoffs, rules.Noise)
	return matchOf(res, lr, exact), nil
}

func matchOf(res *ipd.MatchResult, lr ipd.LongRun, exact bool) *matchOut {
	var long *ipd.LongRun
	if exact {
		long = &lr
	}
	out := &matchOut{MatchSummary: res.Summary(long), ByTurn: make([]matchTurn, res.Turns)}
	pay := res.Rules.Payoffs
	var ta, tb float64
	x := make([]float64, res.Turns)
	ya, yb := make([]float64, res.Turns), make([]float64, res.Turns)
	for t := range res.Turns {
		ma, mb := res.Moves[0][t], res.Moves[1][t]
		pa, pb := pay.Score(ma, mb)
		ta += pa
		tb += pb
		out.ByTurn[t] = matchTurn{Turn: t + 1, A: ma.String(), B: mb.String(), PayoffA: pa, PayoffB: pb, TotalA: ta, TotalB: tb}
		x[t], ya[t], yb[t] = float64(t+1), ta/float64(t+1), tb/float64(t+1)
	}
	names := out.Players
	if names[0] == names[1] {
		names = [2]string{names[0] + " (1)", names[1] + " (2)"}
	}
	out.Charts = []wbChart{{Title: "Mean score per turn so far", XLabel: "turn", YLabel: "score per turn",
		YMin: min(pay.S, pay.P, pay.R, pay.T), YMax: max(pay.S, pay.P, pay.R, pay.T), X: x,
		Series: []seriesJSON{{Name: names[0], Y: rounded(ya)}, {Name: names[1], Y: rounded(yb)}}}}
	out.Shown = min(res.Turns, matchRowsShown)
	out.Hidden = res.Turns - out.Shown
	switch {
	case out.Winner == nil:
		out.Winners = "a tie"
	default:
		out.Winners = names[*out.Winner-1] + " wins"
	}
	return out
}

var matchCap = &wbCap[matchReq, *matchOut]{
	page: "workbench-match", title: "Match",
	defaults: func() matchReq {
		return matchReq{A: "TitForTat", B: "Random(0.5)", Turns: 200, Seed: 1, Payoffs: defaultPayoffs}
	},
	fromForm: func(f *wbForm, q *matchReq) {
		q.A, q.B = f.get("a"), f.get("b")
		f.intField("turns", &q.Turns)
		f.floatField("noise", &q.Noise)
		f.floatField("prob_end", &q.ProbEnd)
		f.uintField("seed", &q.Seed)
		f.payoffs(&q.Payoffs)
	},
	run: runMatch,
	extra: func(s *Server) map[string]any {
		return map[string]any{"Catalogue": catalogue(), "MaxTurns": maxMatchTurns, "RowsShown": matchRowsShown}
	},
}
