package web

import (
	"context"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io"
	"math"
	"math/big"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/game/normal"
)

// Caps of the games one request may solve: vertex enumeration and support
// enumeration grow exponentially with the strategies.
const (
	maxGameProfiles   = 100_000
	maxEnumStrategies = 20 // per player, for two-player vertex enumeration
)

var (
	equilibriaMethods   = []string{"enum", "lh", "pure"}
	equilibriaDominance = []string{"none", "pure", "mixed"}
)

type equilibriaReq struct {
	// Example names one of the examples; or Game is a game in Gambit's
	// .nfg (or .efg) format.
	Example   string `json:"example,omitempty"`
	Game      string `json:"game,omitempty"`
	Method    string `json:"method"`
	Dominance string `json:"dominance"`
}

type playerOut struct {
	Name       string   `json:"name"`
	Strategies []string `json:"strategies"`
}

type eliminationOut struct {
	Round    int      `json:"round"`
	Player   string   `json:"player"`
	Strategy string   `json:"strategy"`
	By       []string `json:"dominated_by"`
	ByText   string   `json:"-"`
}

type equilibriumOut struct {
	// Probabilities[i][s] is player i's probability of its strategy s, an
	// exact fraction (a decimal when Approximate).
	Probabilities [][]string `json:"probabilities"`
	Payoffs       []string   `json:"payoffs"`
	Approximate   bool       `json:"approximate"`
	// Mixed says each player's strategy in words: "1/3 A + 2/3 B".
	Mixed []string `json:"mixed"`
}

type equilibriaOut struct {
	Title      string           `json:"title"`
	Extensive  bool             `json:"from_extensive_form"`
	Players    []playerOut      `json:"players"`
	Method     string           `json:"method"`
	Algorithm  string           `json:"algorithm"`
	Exact      bool             `json:"exact"`
	Complete   bool             `json:"complete"`
	Dominance  string           `json:"dominance"`
	Eliminated []eliminationOut `json:"eliminated"`
	Equilibria []equilibriumOut `json:"equilibria"`
	Unresolved [][][]string     `json:"unresolved_supports,omitempty"`

	Chart template.URL `json:"-"`
}

func ratOut(x *big.Rat, approx bool) string {
	if approx {
		f, _ := x.Float64()
		return strconv.FormatFloat(f, 'g', 10, 64)
	}
	return x.RatString()
}

func runEquilibria(s *Server, ctx context.Context, q *equilibriaReq) (*equilibriaOut, error) {
	if !slices.Contains(equilibriaMethods, q.Method) {
		return nil, badField("method", "unknown method %q; use one of %s", q.Method, strings.Join(equilibriaMethods, ", "))
	}
	if !slices.Contains(equilibriaDominance, q.Dominance) {
		return nil, badField("dominance", "unknown dominance %q; use one of %s", q.Dominance, strings.Join(equilibriaDominance, ", "))
	}
	switch {
	case q.Example != "" && strings.TrimSpace(q.Game) != "":
		return nil, badField("game", "give a game or an example, not both")
	case q.Example != "":
		_, texts, err := example("equilibria", "example", q.Example)
		if err != nil {
			return nil, err
		}
		q.Game, q.Example = texts[0], ""
	case strings.TrimSpace(q.Game) == "":
		return nil, badField("game", "paste a game in Gambit's .nfg or .efg format, or pick an example")
	}
	if len(q.Game) > maxWBText {
		return nil, badField("game", "the text has %d bytes; at most %d are accepted", len(q.Game), maxWBText)
	}
	extensive := strings.HasPrefix(strings.TrimLeft(q.Game, " \t\r\n"), "EFG")
	var g *normal.Game
	var out *equilibriaOut
	err := s.heavy(ctx, func(ctx context.Context) error {
		var err error
		if g, err = normal.Read("game", []byte(q.Game)); err != nil {
			return badFile("game", "the game", err, q.Game)
		}
		if n := g.NumProfiles(); n > maxGameProfiles {
			return badField("game", "the game has %d strategy profiles; at most %d are solved here (the command line, parley solve, takes more)", n, maxGameProfiles)
		}
		if len(g.Players) == 2 && q.Method == "enum" {
			for _, p := range g.Players {
				if len(p.Strategies) > maxEnumStrategies {
					return badField("game", "%s has %d strategies; vertex enumeration here takes at most %d per player (try the method lh or pure)", p.Name, len(p.Strategies), maxEnumStrategies)
				}
			}
		}
		out, err = solve(ctx, g, q.Method, q.Dominance)
		return err
	})
	if err != nil {
		var we *wbError
		if errors.As(err, &we) {
			return nil, we
		}
		if errors.Is(err, normal.ErrTooManySupports) || errors.Is(err, normal.ErrTooLarge) || errors.Is(err, normal.ErrNotTwoPlayer) {
			return nil, badField("method", "%v", err)
		}
		return nil, err
	}
	out.Extensive = extensive
	return out, nil
}

// solve runs a method after an elimination, as parley solve does.
func solve(ctx context.Context, g *normal.Game, method, dominance string) (*equilibriaOut, error) {
	np := len(g.Players)
	sol, err := normal.Solve(ctx, g, normal.SolveOptions{Method: normal.Method(method), Eliminate: dominance})
	if errors.Is(err, normal.ErrNotTwoPlayer) {
		return nil, badField("method", "Lemke–Howson needs a two-player game, and this one has %d players; use enum or pure", np)
	}
	if err != nil {
		return nil, err
	}
	out := &equilibriaOut{Title: g.Title, Method: method, Dominance: dominance, Algorithm: sol.Algorithm, Exact: sol.Exact, Complete: sol.Complete,
		Eliminated: []eliminationOut{}, Equilibria: []equilibriumOut{}}
	for _, p := range g.Players {
		out.Players = append(out.Players, playerOut{Name: p.Name, Strategies: p.Strategies})
	}
	for _, st := range sol.Eliminated {
		var by []string
		for _, x := range st.By {
			by = append(by, x.RatString())
		}
		out.Eliminated = append(out.Eliminated, eliminationOut{Round: st.Round, Player: g.Players[st.Player].Name,
			Strategy: g.StrategyName(st.Player, st.Strategy), By: by, ByText: g.MixText(st.Player, st.By, false)})
	}
	for _, e := range sol.Equilibria {
		eo := equilibriumOut{Approximate: e.Approximate}
		for i := range g.Players {
			var ps []string
			for _, x := range e.Strategies[i] {
				ps = append(ps, ratOut(x, e.Approximate))
			}
			eo.Probabilities = append(eo.Probabilities, ps)
			eo.Payoffs = append(eo.Payoffs, ratOut(e.Payoffs[i], e.Approximate))
			eo.Mixed = append(eo.Mixed, g.MixText(i, e.Strategies[i], e.Approximate))
		}
		out.Equilibria = append(out.Equilibria, eo)
	}
	for _, sup := range sol.Unresolved {
		var names [][]string
		for i, ss := range sup {
			var ns []string
			for _, t := range ss {
				ns = append(ns, g.StrategyName(i, t))
			}
			names = append(names, ns)
		}
		out.Unresolved = append(out.Unresolved, names)
	}
	if np == 2 && len(sol.Equilibria) > 0 {
		pts := make([][2]float64, 0, len(sol.Equilibria))
		for _, e := range sol.Equilibria {
			a, _ := e.Payoffs[0].Float64()
			b, _ := e.Payoffs[1].Float64()
			pts = append(pts, [2]float64{a, b})
		}
		out.Chart, err = svgImage(func(w io.Writer) error {
			return payoffScatter(w, "Expected payoffs of the equilibria", g.Players[0].Name, g.Players[1].Name, pts)
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// payoffScatter draws points in the plane of two players' payoffs, each
// numbered as in the table. Every text is escaped.
func payoffScatter(w io.Writer, title, xName, yName string, pts [][2]float64) error {
	const W, H, L, R, T, B = 480.0, 360.0, 64.0, 24.0, 40.0, 56.0
	lox, hix, loy, hiy := pts[0][0], pts[0][0], pts[0][1], pts[0][1]
	for _, p := range pts {
		lox, hix = min(lox, p[0]), max(hix, p[0])
		loy, hiy = min(loy, p[1]), max(hiy, p[1])
	}
	pad := func(lo, hi float64) (float64, float64) {
		if hi-lo < 1e-9 {
			return lo - 1, hi + 1
		}
		d := (hi - lo) * 0.1
		return lo - d, hi + d
	}
	lox, hix = pad(lox, hix)
	loy, hiy = pad(loy, hiy)
	px := func(x float64) float64 { return L + (x-lox)/(hix-lox)*(W-L-R) }
	py := func(y float64) float64 { return H - B - (y-loy)/(hiy-loy)*(H-T-B) }
	e := html.EscapeString
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="sans-serif" font-size="12">`, W, H, W, H)
	fmt.Fprintf(&b, `<rect width="%g" height="%g" fill="white"/>`, W, H)
	fmt.Fprintf(&b, `<text x="%g" y="22" text-anchor="middle" font-size="14" font-weight="bold">%s</text>`, W/2, e(title))
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#333"/>`, L, H-B, W-R, H-B)
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#333"/>`, L, T, L, H-B)
	for _, x := range niceTicks(lox, hix) {
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%g" x2="%.1f" y2="%g" stroke="#ddd"/>`, px(x), T, px(x), H-B)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, px(x), H-B+16, e(strconv.FormatFloat(x, 'g', 6, 64)))
	}
	for _, y := range niceTicks(loy, hiy) {
		fmt.Fprintf(&b, `<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="#ddd"/>`, L, py(y), W-R, py(y))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="end">%s</text>`, L-6, py(y)+4, e(strconv.FormatFloat(y, 'g', 6, 64)))
	}
	fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle">payoff of %s</text>`, (L+W-R)/2, H-16, e(xName))
	fmt.Fprintf(&b, `<text transform="translate(16 %g) rotate(-90)" text-anchor="middle">payoff of %s</text>`, (T+H-B)/2, e(yName))
	for i, p := range pts {
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="5" fill="#1f77b4" fill-opacity="0.7"/>`, px(p[0]), py(p[1]))
		if len(pts) <= 30 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%d</text>`, px(p[0])+7, py(p[1])-5, i+1)
		}
	}
	b.WriteString(`</svg>`)
	_, err := io.WriteString(w, b.String())
	return err
}

// niceTicks returns round values from lo to hi, some 4 to 10 of them:
// multiples of 1, 2 or 5 times a power of ten.
func niceTicks(lo, hi float64) []float64 {
	raw := (hi - lo) / 5
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	step := p
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			step = m * p
			break
		}
	}
	var out []float64
	for k := math.Ceil(lo / step); k*step <= hi+step*1e-9; k++ {
		out = append(out, k*step)
	}
	return out
}

var equilibriaCap = &wbCap[equilibriaReq, *equilibriaOut]{
	page: "workbench-equilibria", title: "Equilibria",
	defaults: func() equilibriaReq { return equilibriaReq{Method: "enum", Dominance: "none"} },
	fromForm: func(f *wbForm, q *equilibriaReq) {
		q.Example = f.get("example")
		q.Game = f.text("game")
		if m := f.get("method"); m != "" {
			q.Method = m
		}
		if d := f.get("dominance"); d != "" {
			q.Dominance = d
		}
	},
	fromQuery: func(s *Server, v url.Values, q *equilibriaReq) bool {
		q.Example = strings.TrimSpace(v.Get("example"))
		return q.Example != ""
	},
	run: runEquilibria,
	extra: func(s *Server) map[string]any {
		return map[string]any{"Examples": examplesOf("equilibria"), "Methods": equilibriaMethods, "Dominance": equilibriaDominance,
			"MaxProfiles": maxGameProfiles, "MaxEnum": maxEnumStrategies}
	},
}
