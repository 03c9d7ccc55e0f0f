package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/game/ipd"
)

// Caps of the Moran processes one request may ask for.
const (
	maxMoranPopulation = 100
	maxMoranRounds     = 10_000
	maxMoranRuns       = 1000
	// maxMoranWork bounds rounds × matches per round × turns, the most
	// turns one process could play (most fix long before); the deadline
	// bounds the whole request.
	maxMoranWork = 200_000_000
	// moranRowsShown is how many rounds the page's table shows.
	moranRowsShown = 40
)

type moranReq struct {
	// Population has one STRATEGY or STRATEGY=COUNT per line.
	Population string  `json:"population"`
	Turns      int     `json:"turns"`
	Noise      float64 `json:"noise"`
	Mutation   float64 `json:"mutation"`
	// Mode is bd (birth, then death) or db (death, then birth).
	Mode      string `json:"mode"`
	MaxRounds int    `json:"max_rounds"`
	KeepGoing bool   `json:"keep_going"`
	Seed      uint64 `json:"seed"`
	// Runs plays this many processes (the first seeded with Seed) and
	// counts who takes over.
	Runs    int        `json:"runs"`
	Payoffs payoffsReq `json:"payoffs"`
}

type fixationOut struct {
	Strategy string  `json:"strategy"`
	Runs     int     `json:"runs"`
	Share    float64 `json:"share"`
}

type moranRunsOut struct {
	Runs      int           `json:"runs"`
	Unfixated int           `json:"unfixated"`
	Fixations []fixationOut `json:"fixations"`
}

type moranRowOut struct {
	Round  int
	Counts []int
}

type moranOut struct {
	Types   []string `json:"types"`
	Size    int      `json:"population_size"`
	Rounds  int      `json:"rounds"`
	Fixated bool     `json:"fixated"`
	Winner  *string  `json:"winner"` // null when no type took over
	Seed    uint64   `json:"seed"`
	// Counts[r][k] is the number of individuals of type k after round r
	// (round 0: the start).
	Counts [][]int `json:"counts"`
	// ExactFixation is, with two types, no mutation and matches that
	// cannot vary, the exact probability that each type takes over.
	ExactFixation []fixationProb `json:"exact_fixation,omitempty"`
	Many          *moranRunsOut  `json:"many,omitempty"`

	Chart template.URL  `json:"-"`
	Rows  []moranRowOut `json:"-"`
}

type fixationProb struct {
	Strategy    string  `json:"strategy"`
	Probability float64 `json:"probability"`
}

// parsePopulationText reads one STRATEGY or STRATEGY=COUNT per line, each
// problem located at its line and column.
func parsePopulationText(text string) ([]*ipd.Strategy, []problemJSON) {
	var pop []*ipd.Strategy
	var ps []problemJSON
	bad := func(n, col int, line, msg string) {
		le := &ipd.LineError{File: "population", Line: n, Col: col, Err: errors.New(msg)}
		ps = append(ps, problemJSON{Line: n, Column: col, Message: msg, Text: le.Error(), Excerpt: strings.TrimRight(line, "\r")})
	}
	for i, raw := range strings.Split(text, "\n") {
		line := raw
		if k := strings.IndexByte(line, '#'); k >= 0 {
			line = line[:k]
		}
		spec := strings.TrimSpace(line)
		if spec == "" {
			continue
		}
		col := len([]rune(line[:strings.Index(line, spec)])) + 1
		count := 1
		if k := strings.LastIndexByte(spec, '='); k >= 0 {
			n, err := strconv.Atoi(strings.TrimSpace(spec[k+1:]))
			if err != nil || n < 1 {
				bad(i+1, col+len([]rune(spec[:k]))+1, raw, "the count after = must be a whole number, at least 1")
				continue
			}
			spec, count = strings.TrimSpace(spec[:k]), n
		}
		s, err := ipd.Lookup(spec)
		if err != nil {
			bad(i+1, col, raw, err.Error())
			continue
		}
		if len(pop)+count > maxMoranPopulation {
			bad(i+1, col, raw, "the population may have at most "+strconv.Itoa(maxMoranPopulation)+" individuals here")
			break
		}
		for range count {
			pop = append(pop, s)
		}
	}
	return pop, ps
}

func runMoran(s *Server, ctx context.Context, q *moranReq) (*moranOut, error) {
	if len(q.Population) > maxWBText {
		return nil, badField("population", "the text has %d bytes; at most %d are accepted", len(q.Population), maxWBText)
	}
	pop, ps := parsePopulationText(q.Population)
	if len(ps) > 0 {
		return nil, &wbError{status: http.StatusBadRequest, field: "population", msg: "the population is not valid: " + ps[0].Text, problems: ps}
	}
	if len(pop) < 2 {
		return nil, badField("population", "a Moran process needs at least 2 individuals, got %d", len(pop))
	}
	rules, err := gameRules(q.Turns, q.Noise, 0, maxGameTurns, q.Payoffs)
	if err != nil {
		return nil, err
	}
	m := ipd.Moran{Population: pop, Rules: rules, Mutation: q.Mutation, MaxRounds: q.MaxRounds, KeepGoing: q.KeepGoing, Seed: q.Seed}
	switch q.Mode {
	case "bd":
		m.Mode = ipd.BirthDeath
	case "db":
		m.Mode = ipd.DeathBirth
	default:
		return nil, badField("mode", "must be bd (birth, then death) or db (death, then birth), got %q", q.Mode)
	}
	if q.MaxRounds < 1 || q.MaxRounds > maxMoranRounds {
		return nil, badField("max_rounds", "must be from 1 to %d, got %d", maxMoranRounds, q.MaxRounds)
	}
	if q.Runs < 1 || q.Runs > maxMoranRuns {
		return nil, badField("runs", "must be from 1 to %d, got %d", maxMoranRuns, q.Runs)
	}
	n := len(pop)
	if work := q.MaxRounds * (n * (n - 1) / 2) * q.Turns; work > maxMoranWork {
		return nil, badField("max_rounds", "a process of at most %d rounds of %d matches of %d turns could come to %d turns, over the limit of %d; choose fewer rounds, individuals or turns",
			q.MaxRounds, n*(n-1)/2, q.Turns, work, maxMoranWork)
	}
	var res *ipd.MoranResult
	var many *ipd.MoranRuns
	err = s.heavy(ctx, func(ctx context.Context) error {
		var err error
		if res, err = m.Run(ctx); err != nil {
			return err
		}
		if q.Runs > 1 {
			many, err = m.RunMany(ctx, q.Runs, 1)
		}
		return err
	})
	if err != nil {
		var fe *ipd.FieldError
		if errors.As(err, &fe) {
			field := fe.Field
			if strings.HasPrefix(field, "population") {
				field = "population"
			}
			return nil, badField(field, "%s", fe.Msg)
		}
		return nil, err
	}
	out := &moranOut{Size: n, Rounds: res.Rounds, Fixated: res.Fixated, Seed: res.Seed, Counts: res.Counts}
	for _, t := range res.Types {
		out.Types = append(out.Types, t.Name)
	}
	if res.Fixated {
		out.Winner = &out.Types[res.Winner]
	}
	if p, ok := m.ExactFixation(); ok {
		out.ExactFixation = []fixationProb{{out.Types[0], p[0]}, {out.Types[1], p[1]}}
	}
	if many != nil {
		mo := &moranRunsOut{Runs: len(many.Winners)}
		for _, w := range many.Winners {
			if w < 0 {
				mo.Unfixated++
			}
		}
		for k, t := range many.Types {
			mo.Fixations = append(mo.Fixations, fixationOut{Strategy: t.Name, Runs: many.Fixations[k], Share: float64(many.Fixations[k]) / float64(mo.Runs)})
		}
		out.Many = mo
	}
	// the rows the page shows: evenly spaced rounds, the first and the last
	step := max(1, (res.Rounds+moranRowsShown-1)/moranRowsShown)
	for r := 0; r <= res.Rounds; r += step {
		out.Rows = append(out.Rows, moranRowOut{r, res.Counts[r]})
	}
	if last := out.Rows[len(out.Rows)-1].Round; last != res.Rounds {
		out.Rows = append(out.Rows, moranRowOut{res.Rounds, res.Counts[res.Rounds]})
	}
	if out.Chart, err = svgImage(res.Chart().WriteSVG); err != nil {
		return nil, err
	}
	return out, nil
}

var moranCap = &wbCap[moranReq, *moranOut]{
	page: "workbench-moran", title: "Moran process",
	defaults: func() moranReq {
		return moranReq{Population: "TitForTat=9\nDefector\n", Turns: 200, Mode: "bd", MaxRounds: 1000, Seed: 1, Runs: 1, Payoffs: defaultPayoffs}
	},
	fromForm: func(f *wbForm, q *moranReq) {
		q.Population = f.text("population")
		f.intField("turns", &q.Turns)
		f.floatField("noise", &q.Noise)
		f.floatField("mutation", &q.Mutation)
		if m := f.get("mode"); m != "" {
			q.Mode = m
		}
		f.intField("max_rounds", &q.MaxRounds)
		q.KeepGoing = f.get("keep_going") != ""
		f.uintField("seed", &q.Seed)
		f.intField("runs", &q.Runs)
		f.payoffs(&q.Payoffs)
	},
	run: runMoran,
	extra: func(s *Server) map[string]any {
		return map[string]any{"MaxPopulation": maxMoranPopulation, "MaxRounds": maxMoranRounds, "MaxRuns": maxMoranRuns, "MaxTurns": maxGameTurns, "MaxWork": maxMoranWork}
	},
}
