package web

import (
	"context"
	"errors"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/parleyhq/parley/diag"
	"github.com/parleyhq/parley/game/bargain"
)

// Caps of the bargaining pages.
const (
	// maxBargainOutcomes caps the combinations of discrete values one
	// request may enumerate (the library's own cap is ten times more).
	maxBargainOutcomes = 1_000_000
	// frontierRowsShown is how many pieces of the frontier the page lays
	// out; the API returns them all.
	frontierRowsShown = 100
	// maxRubinsteinRounds caps the last round of a finite game.
	maxRubinsteinRounds = 10_000
	// rubinsteinRowsShown is how many rounds of the backward induction the
	// page lays out.
	rubinsteinRowsShown = 200
)

// ---- bargaining over a deal space ----

type geniusReq struct {
	Domain   string `json:"domain"`
	Profile1 string `json:"profile1"`
	Profile2 string `json:"profile2"`
}

type bargainReq struct {
	// Example names one of the examples; or YAML is a deal space in
	// parley's YAML form; or Genius a Genius domain and its two profiles.
	Example string     `json:"example,omitempty"`
	YAML    string     `json:"yaml,omitempty"`
	Genius  *geniusReq `json:"genius,omitempty"`
	// Power, if not 0, adds the asymmetric Nash solution with this
	// bargaining power of party 1, in (0, 1).
	Power float64 `json:"power,omitempty"`
	// Deal, if given, is a proposed deal to assess, one ISSUE=VALUE per
	// issue.
	Deal []string `json:"deal,omitempty"`
}

// assessmentOut says how good a proposed deal is.
type assessmentOut struct {
	pointOut
	InZOPA    bool    `json:"in_zopa"`
	Efficient bool    `json:"efficient"`
	Distance  float64 `json:"distance"`
	// Nearest is the nearest point of the frontier.
	Nearest pointOut `json:"nearest"`
	// Dominating counts the outcomes at least as good for both and better
	// for one; omitted when an issue is divisible.
	Dominating *int `json:"dominating_outcomes,omitempty"`
	// Balanced is the efficient improvement that raises the smaller gain
	// most (absent when the deal is efficient).
	Balanced *pointOut `json:"balanced_improvement,omitempty"`
}

type valueOut struct {
	Issue string `json:"issue"`
	Value any    `json:"value"`
}

type pointOut struct {
	U1       float64    `json:"u1"`
	U2       float64    `json:"u2"`
	Deal     []valueOut `json:"deal,omitempty"`
	DealText string     `json:"deal_text,omitempty"`
}

type pieceOut struct {
	From pointOut `json:"from"`
	To   pointOut `json:"to"`
	// Ties counts further deals worth the same as From.
	Ties int `json:"ties,omitempty"`
}

type solutionOut struct {
	Name    string  `json:"name"`
	Concept string  `json:"concept"`
	Power   float64 `json:"power,omitempty"`
	pointOut
}

type partyOut struct {
	Name        string  `json:"name"`
	Reservation float64 `json:"reservation"`
	Discount    float64 `json:"discount"`
}

type zopaOut struct {
	Empty bool `json:"empty"`
	// Inside counts the outcomes in the zone; omitted when the space has
	// divisible issues.
	Inside *int      `json:"outcomes_inside,omitempty"`
	Ideal  *pointOut `json:"ideal,omitempty"`
}

type bargainOut struct {
	Name      string         `json:"name"`
	Issues    []string       `json:"issues"`
	Parties   [2]partyOut    `json:"parties"`
	Outcomes  int            `json:"outcomes"`
	Solutions []solutionOut  `json:"solutions"`
	ZOPA      zopaOut        `json:"zopa"`
	Frontier  []pieceOut     `json:"frontier"`
	Proposal  *assessmentOut `json:"proposal,omitempty"`

	Chart  template.URL `json:"-"`
	Shown  []pieceOut   `json:"-"`
	Hidden int          `json:"-"`
}

func dealOut(s *bargain.Space, d bargain.Deal) ([]valueOut, string) {
	if d == nil {
		return nil, ""
	}
	out := make([]valueOut, len(d))
	for i, is := range s.Issues {
		out[i] = valueOut{Issue: is.Name, Value: s.ValueString(i, d[i])}
		if is.Divisible {
			out[i].Value = d[i]
		}
	}
	return out, s.DealString(d)
}

func pointOf(s *bargain.Space, p bargain.Point, d bargain.Deal) pointOut {
	vs, text := dealOut(s, d)
	return pointOut{U1: p.U1, U2: p.U2, Deal: vs, DealText: text}
}

// loadSpace reads the deal space a request gives, in exactly one way.
func loadSpace(q *bargainReq) (*bargain.Space, error) {
	given := 0
	if q.Example != "" {
		given++
	}
	if strings.TrimSpace(q.YAML) != "" {
		given++
	}
	if q.Genius != nil && (q.Genius.Domain != "" || q.Genius.Profile1 != "" || q.Genius.Profile2 != "") {
		given++
	} else {
		q.Genius = nil
	}
	switch given {
	case 0:
		return nil, badField("yaml", "give a deal space: paste its YAML, or a Genius domain and both profiles, or pick an example")
	case 2, 3:
		return nil, badField("", "give one deal space: its YAML, a Genius domain with two profiles, or an example, not several")
	}
	if q.Example != "" {
		_, texts, err := example("bargain", "example", q.Example)
		if err != nil {
			return nil, err
		}
		if len(texts) == 3 {
			q.Genius = &geniusReq{texts[0], texts[1], texts[2]}
		} else {
			q.YAML = texts[0]
		}
		q.Example = ""
	}
	for _, f := range []struct {
		name string
		text *string
	}{{"yaml", &q.YAML}, {"domain", geniusField(q, 0)}, {"profile1", geniusField(q, 1)}, {"profile2", geniusField(q, 2)}} {
		if f.text != nil && len(*f.text) > maxWBText {
			return nil, badField(f.name, "the text has %d bytes; at most %d are accepted", len(*f.text), maxWBText)
		}
	}
	if q.Genius == nil {
		if strings.HasPrefix(strings.TrimSpace(q.YAML), "<") {
			return nil, badField("yaml", "this looks like Genius XML; paste the domain and both profiles into their own fields")
		}
		s, err := bargain.LoadYAML("yaml", []byte(q.YAML))
		if err != nil {
			return nil, badFile("yaml", "the deal space", err, q.YAML)
		}
		return s, nil
	}
	g := q.Genius
	for i, t := range []string{g.Domain, g.Profile1, g.Profile2} {
		if strings.TrimSpace(t) == "" {
			return nil, badField([]string{"domain", "profile1", "profile2"}[i], "a Genius deal space needs the domain and both profiles; this one is empty")
		}
	}
	s, err := bargain.ReadGenius(bargain.Source{Name: "domain", Data: []byte(g.Domain)},
		[2]bargain.Source{{Name: "profile1", Data: []byte(g.Profile1)}, {Name: "profile2", Data: []byte(g.Profile2)}})
	if err != nil {
		// each problem goes to the field of its file
		field := "domain"
		var de *diag.Error
		if errors.As(err, &de) && len(de.Problems) > 0 {
			if f := de.Problems[0].File; f == "profile1" || f == "profile2" {
				field = f
			}
		}
		src := map[string]string{"domain": g.Domain, "profile1": g.Profile1, "profile2": g.Profile2}[field]
		return nil, badFile(field, "the Genius deal space", err, src)
	}
	return s, nil
}

func geniusField(q *bargainReq, i int) *string {
	if q.Genius == nil {
		return nil
	}
	return []*string{&q.Genius.Domain, &q.Genius.Profile1, &q.Genius.Profile2}[i]
}

func runBargain(s *Server, ctx context.Context, q *bargainReq) (*bargainOut, error) {
	if q.Power != 0 && !(q.Power > 0 && q.Power < 1) {
		return nil, badField("power", "must be strictly between 0 and 1 (party 1's bargaining power), or 0 for none; got %g", q.Power)
	}
	sp, err := loadSpace(q)
	if err != nil {
		return nil, err
	}
	var deal bargain.Deal
	if len(q.Deal) > 0 {
		if deal, err = sp.ParseDeal(q.Deal); err != nil {
			return nil, badField("deal", "%v", err)
		}
	}
	var a *bargain.Analysis
	var p *bargain.Assessment
	err = s.heavy(ctx, func(ctx context.Context) error {
		var err error
		if a, err = bargain.Analyse(sp, bargain.Options{Power: q.Power, MaxOutcomes: maxBargainOutcomes}); err != nil {
			return err
		}
		if deal != nil {
			if p, err = a.Assess(deal); err != nil {
				return badField("deal", "%v", err)
			}
		}
		return nil
	})
	if err != nil {
		var we *wbError
		if errors.As(err, &we) || errors.Is(err, errBusy) || errors.Is(err, context.Canceled) {
			return nil, err
		}
		var he *httpError
		if errors.As(err, &he) {
			return nil, err
		}
		return nil, &wbError{status: http.StatusBadRequest, field: "", msg: err.Error()}
	}
	return bargainOf(a, p)
}

func bargainOf(a *bargain.Analysis, p *bargain.Assessment) (*bargainOut, error) {
	s := a.Space
	out := &bargainOut{Name: s.Name, Outcomes: a.Outcomes, Solutions: []solutionOut{}, Frontier: []pieceOut{}}
	for _, is := range s.Issues {
		out.Issues = append(out.Issues, is.Name)
	}
	for i, p := range s.Parties {
		out.Parties[i] = partyOut{p.Name, p.Reservation, p.Discount}
	}
	for _, sol := range a.Solutions {
		so := solutionOut{Name: sol.Name(), Concept: string(sol.Concept), pointOut: pointOf(s, sol.Point, sol.Deal)}
		if sol.Concept == bargain.Nash {
			so.Power = sol.Power
		}
		out.Solutions = append(out.Solutions, so)
	}
	z := a.ZOPA
	out.ZOPA.Empty = z.Empty()
	if z.Inside >= 0 {
		n := z.Inside
		out.ZOPA.Inside = &n
	}
	if !z.Empty() {
		out.ZOPA.Ideal = &pointOut{U1: z.Ideal.U1, U2: z.Ideal.U2}
	}
	for _, pc := range a.Frontier {
		out.Frontier = append(out.Frontier, pieceOut{From: pointOf(s, pc.From, pc.FromDeal), To: pointOf(s, pc.To, pc.ToDeal), Ties: len(pc.Ties)})
	}
	out.Shown = out.Frontier[:min(len(out.Frontier), frontierRowsShown)]
	out.Hidden = len(out.Frontier) - len(out.Shown)
	if p != nil {
		po := &assessmentOut{pointOut: pointOf(s, p.Point, p.Deal), InZOPA: p.InZOPA, Efficient: p.Efficient, Distance: p.Distance,
			Nearest: pointOf(s, p.Nearest.Point, a.Frontier.Deal(p.Nearest))}
		if p.Dominating >= 0 {
			n := p.Dominating
			po.Dominating = &n
		}
		if !p.Efficient {
			b := pointOf(s, p.Balanced.Point, p.Improvements.Deal(p.Balanced))
			po.Balanced = &b
		}
		out.Proposal = po
	}
	var err error
	if out.Chart, err = svgImage(func(w io.Writer) error { return a.WriteSVG(w, p) }); err != nil {
		return nil, err
	}
	return out, nil
}

var bargainCap = &wbCap[bargainReq, *bargainOut]{
	page: "workbench-bargain", title: "Bargaining",
	defaults: func() bargainReq { return bargainReq{} },
	fromForm: func(f *wbForm, q *bargainReq) {
		q.Example = f.get("example")
		q.YAML = f.text("yaml")
		q.Genius = &geniusReq{Domain: f.text("domain"), Profile1: f.text("profile1"), Profile2: f.text("profile2")}
		f.floatField("power", &q.Power)
		q.Deal = nil
		for _, l := range strings.Split(f.text("deal"), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				q.Deal = append(q.Deal, l)
			}
		}
	},
	fromQuery: func(s *Server, v url.Values, q *bargainReq) bool {
		q.Example = strings.TrimSpace(v.Get("example"))
		return q.Example != ""
	},
	run: runBargain,
	extra: func(s *Server) map[string]any {
		return map[string]any{"Examples": examplesOf("bargain"), "RowsShown": frontierRowsShown, "MaxOutcomes": maxBargainOutcomes}
	},
}

// ---- Rubinstein's alternating offers ----

type rubinsteinReq struct {
	D1       float64 `json:"d1"`
	D2       float64 `json:"d2"`
	C1       float64 `json:"c1"`
	C2       float64 `json:"c2"`
	Outside1 float64 `json:"outside1"`
	Outside2 float64 `json:"outside2"`
	// Rounds is the last round of a finite game; 0 for none.
	Rounds int `json:"rounds"`
}

type roundOut struct {
	Round    int     `json:"round"`
	Proposer int     `json:"proposer"`
	Share    float64 `json:"proposer_share"`
}

type rubinsteinOut struct {
	rubinsteinReq
	Share1    float64 `json:"share1"`
	Share2    float64 `json:"share2"`
	Unique    bool    `json:"unique"`
	Share1Min float64 `json:"share1_min"`
	Share1Max float64 `json:"share1_max"`
	Binds1    bool    `json:"outside1_binds"`
	Binds2    bool    `json:"outside2_binds"`
	// ClosedForm says which formula gives the split, when one does.
	ClosedForm string     `json:"closed_form,omitempty"`
	ByRound    []roundOut `json:"by_round,omitempty"`

	Charts []wbChart  `json:"-"`
	Shown  []roundOut `json:"-"`
	Hidden int        `json:"-"`
}

// rubinsteinFields maps the library's names of the parameters to the request's fields.
var rubinsteinFields = []struct{ phrase, field string }{
	{"the discount factor of party 1", "d1"},
	{"the discount factor of party 2", "d2"},
	{"the per-round cost of party 1", "c1"},
	{"the per-round cost of party 2", "c2"},
	{"the outside option of party 1", "outside1"},
	{"the outside option of party 2", "outside2"},
	{"the outside options add up", "outside2"},
	{"the number of rounds", "rounds"},
}

func runRubinstein(s *Server, ctx context.Context, q *rubinsteinReq) (*rubinsteinOut, error) {
	if q.Rounds > maxRubinsteinRounds {
		return nil, badField("rounds", "must be at most %d here (0: no limit), got %d", maxRubinsteinRounds, q.Rounds)
	}
	g := bargain.Alternating{Delta1: q.D1, Delta2: q.D2, Cost1: q.C1, Cost2: q.C2, Outside1: q.Outside1, Outside2: q.Outside2, Rounds: q.Rounds}
	if err := g.Check(); err != nil {
		field := ""
		for _, f := range rubinsteinFields {
			if strings.Contains(err.Error(), f.phrase) {
				field = f.field
				break
			}
		}
		return nil, badField(field, "%v", err)
	}
	sh, err := g.Solve()
	if err != nil {
		return nil, badField("", "%v", err)
	}
	out := &rubinsteinOut{rubinsteinReq: *q, Share1: sh.Share1, Share2: sh.Share2, Unique: sh.Unique,
		Share1Min: sh.Share1Min, Share1Max: sh.Share1Max, Binds1: sh.Binds1, Binds2: sh.Binds2}
	if sh.Unique && g.Rounds == 0 && g.Cost1 == 0 && g.Cost2 == 0 && !sh.Binds1 && !sh.Binds2 {
		out.ClosedForm = "x1 = (1 − δ2)/(1 − δ1·δ2), x2 = δ2·(1 − δ1)/(1 − δ1·δ2)"
	}
	for _, r := range sh.Rounds {
		out.ByRound = append(out.ByRound, roundOut{r.Round, r.Proposer, r.Share})
	}
	out.Shown = out.ByRound[:min(len(out.ByRound), rubinsteinRowsShown)]
	out.Hidden = len(out.ByRound) - len(out.Shown)
	if len(sh.Rounds) > 0 {
		c := wbChart{Title: "Backward induction: the proposer's share in the subgame from each round", XLabel: "round", YLabel: "proposer's share", YMin: 0, YMax: 1}
		var y []float64
		for _, r := range sh.Rounds {
			c.X = append(c.X, float64(r.Round))
			y = append(y, r.Share)
		}
		c.Series = []seriesJSON{{Name: "proposer's share", Y: rounded(y)}}
		out.Charts = append(out.Charts, c)
	} else {
		// party 1's share as its patience varies, everything else as given
		c := wbChart{Title: "Party 1's share as its discount factor δ1 varies (the rest as given)", XLabel: "δ1", YLabel: "share", YMin: 0, YMax: 1}
		var y1, y2 []float64
		for k := 0; k <= 100; k++ {
			h := g
			h.Delta1 = float64(k) / 100
			r, err := h.Solve()
			if err != nil || h.Check() != nil {
				continue
			}
			c.X = append(c.X, h.Delta1)
			y1 = append(y1, r.Share1)
			y2 = append(y2, r.Share2)
		}
		c.Series = []seriesJSON{{Name: "party 1", Y: rounded(y1)}, {Name: "party 2", Y: rounded(y2)}}
		out.Charts = append(out.Charts, c)
	}
	return out, nil
}

var rubinsteinCap = &wbCap[rubinsteinReq, *rubinsteinOut]{
	page: "workbench-rubinstein", title: "Rubinstein bargaining",
	defaults: func() rubinsteinReq { return rubinsteinReq{D1: 0.9, D2: 0.8} },
	fromForm: func(f *wbForm, q *rubinsteinReq) {
		f.floatField("d1", &q.D1)
		f.floatField("d2", &q.D2)
		f.floatField("c1", &q.C1)
		f.floatField("c2", &q.C2)
		f.floatField("outside1", &q.Outside1)
		f.floatField("outside2", &q.Outside2)
		f.intField("rounds", &q.Rounds)
	},
	fromQuery: func(s *Server, v url.Values, q *rubinsteinReq) bool { return true },
	run:       runRubinstein,
	extra: func(s *Server) map[string]any {
		return map[string]any{"MaxRounds": maxRubinsteinRounds, "RowsShown": rubinsteinRowsShown}
	},
}
