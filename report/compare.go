package report

import (
	"math"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/montecarlo"
)

// Comparison is the result of running the roadmaps of a scenario side by
// side: every metric of model.md §8, ready to print or to encode as JSON.
type Comparison struct {
	Scenario    string          `json:"scenario"`
	Title       string          `json:"title,omitempty"`
	Runs        int             `json:"runs"`
	Seed        uint64          `json:"seed"`
	Exact       bool            `json:"exact,omitempty"` // solved by enumerating every history: no sampling error
	Chunk       int             `json:"chunk"`
	Horizon     int             `json:"horizon"`
	RoundLength string          `json:"round_length"`
	Roadmaps    []RoadmapResult `json:"roadmaps"`
}

// Share is a probability with its 95% Wilson interval.
type Share struct {
	Name string  `json:"name"`
	P    float64 `json:"p"`
	Lo   float64 `json:"lo"`
	Hi   float64 `json:"hi"`
}

// Stat is a mean and a standard deviation.
type Stat struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
}

// RoadmapResult holds the metrics of one roadmap.
type RoadmapResult struct {
	ID         string            `json:"id"`
	Label      string            `json:"label,omitempty"`
	Baseline   bool              `json:"baseline,omitempty"`
	Phases     int               `json:"phases"`
	Outcomes   []Share           `json:"outcomes"`
	Causes     []Share           `json:"causes"`
	Rounds     Stat              `json:"rounds"`
	Milestones []MilestoneResult `json:"milestones"`
	Actors     []ActorResult     `json:"actors"`
	Trust      []Series          `json:"trust"`
	Insecurity []Series          `json:"insecurity"`
}

// MilestoneResult is the probability of reaching a milestone by the horizon and over the rounds.
type MilestoneResult struct {
	ID        string    `json:"id"`
	Label     string    `json:"label,omitempty"`
	InRoadmap bool      `json:"in_roadmap"`
	Reached   Share     `json:"reached"`
	Believed  Share     `json:"believed_by_all"`
	MeanRound *float64  `json:"mean_round"` // null when never reached
	Curve     []float64 `json:"curve"`      // P(reached by round t), t = 1..horizon
}

// ActorResult holds an actor's utility, exposure and leverage left, overall and by a counterpart's true type.
type ActorResult struct {
	ID       string       `json:"id"`
	Utility  Stat         `json:"utility"`
	Exposure Stat         `json:"exposure"`
	Leverage Stat         `json:"leverage"`
	ByType   []TypeResult `json:"by_counterpart_type"`
}

// TypeResult is an actor's metrics in the histories where a counterpart (or the actor itself) is of one type.
type TypeResult struct {
	Counterpart string  `json:"counterpart"`
	Type        string  `json:"type"`
	Share       float64 `json:"share"` // of the histories
	Utility     Stat    `json:"utility"`
	Exposure    Stat    `json:"exposure"`
	Leverage    Stat    `json:"leverage"`
}

// Series is a trajectory over rounds 0..horizon: trust of From in To, or the insecurity of From.
type Series struct {
	From string    `json:"from"`
	To   string    `json:"to,omitempty"`
	Mean []float64 `json:"mean"`
	SD   []float64 `json:"sd"`
}

// Meta describes the run that produced the summaries.
type Meta struct {
	Runs  int
	Seed  uint64
	Chunk int
	// Exact marks summaries from the exact solver: every share is exact, so
	// its interval is the share itself.
	Exact bool
}

// BuildComparison turns Monte Carlo summaries (one per roadmap, same scenario) into a Comparison.
func BuildComparison(sums []*montecarlo.Summary, meta Meta) *Comparison {
	c := &Comparison{Runs: meta.Runs, Seed: meta.Seed, Chunk: meta.Chunk, Exact: meta.Exact}
	if len(sums) == 0 {
		return c
	}
	r0 := sums[0].R
	c.Scenario = r0.Scenario.Name
	c.Title = r0.Scenario.Title
	c.Horizon = r0.Horizon
	c.RoundLength = r0.RoundLength
	for _, s := range sums {
		c.Roadmaps = append(c.Roadmaps, buildRoadmap(s, meta.Exact))
	}
	return c
}

// share is a probability with its interval; n < 0 marks an exact value.
func share(name string, p float64, n int) Share {
	if n < 0 {
		return Share{Name: name, P: clean(p), Lo: clean(p), Hi: clean(p)}
	}
	lo, hi := montecarlo.Wilson(p, n)
	return Share{Name: name, P: clean(p), Lo: clean(lo), Hi: clean(hi)}
}

// clean rounds away the last bits of floating-point noise so that printed
// numbers and golden files are stable, and maps NaN to 0.
func clean(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return math.Round(x*1e12) / 1e12
}

func stat(w, s, s2 float64) Stat {
	m, sd := montecarlo.MeanSD(w, s, s2)
	return Stat{Mean: clean(m), SD: clean(sd)}
}

func buildRoadmap(s *montecarlo.Summary, exact bool) RoadmapResult {
	r := s.R
	n := s.Count
	if exact {
		n = -1
	}
	out := RoadmapResult{ID: r.ID, Label: r.Label, Baseline: r.Baseline, Phases: len(r.Phases)}
	for st := engine.Status(0); st < engine.NumStatus; st++ {
		if (st == engine.Baseline) != r.Baseline {
			continue
		}
		out.Outcomes = append(out.Outcomes, share(st.String(), s.Prob(st), n))
	}
	for _, k := range s.SortedCauses() {
		out.Causes = append(out.Causes, share(CauseText(r, k), s.Causes[k]/s.N, n))
	}
	out.Rounds = stat(s.N, s.Rounds, s.Rounds2)
	na := len(r.Actors)
	for m, ms := range r.Milestones {
		mr := MilestoneResult{ID: ms.ID, Label: ms.Label, InRoadmap: ms.InRoadmap,
			Reached:  share("reached", s.MilestoneBy(m, r.Horizon), n),
			Believed: share("believed", s.MilestoneBelievedBy(m, r.Horizon), n)}
		if v := s.MilestoneRounds(m); !math.IsNaN(v) {
			v = clean(v)
			mr.MeanRound = &v
		}
		for t := 1; t <= r.Horizon; t++ {
			mr.Curve = append(mr.Curve, clean(s.MilestoneBy(m, t)))
		}
		out.Milestones = append(out.Milestones, mr)
	}
	mt := 0
	for _, a := range r.Actors {
		mt = max(mt, len(a.Types))
	}
	for a, ac := range r.Actors {
		ar := ActorResult{ID: ac.ID,
			Utility:  stat(s.N, s.UtilAll[a], s.UtilAll2[a]),
			Exposure: stat(s.N, s.ExpoAll[a], s.ExpoAll2[a]),
			Leverage: stat(s.N, s.LevAll[a], s.LevAll2[a])}
		for j, aj := range r.Actors {
			for t, ty := range aj.Types {
				i := (a*na+j)*mt + t
				w := s.TypeW[i]
				ar.ByType = append(ar.ByType, TypeResult{Counterpart: aj.ID, Type: ty.ID, Share: clean(w / s.N),
					Utility: stat(w, s.Util[i], s.Util2[i]), Exposure: stat(w, s.Expo[i], s.Expo2[i]), Leverage: stat(w, s.Lev[i], s.Lev2[i])})
			}
		}
		out.Actors = append(out.Actors, ar)
	}
	h := r.Horizon
	for o := 0; o < na; o++ {
		in := Series{From: r.Actors[o].ID}
		for t := 0; t <= h; t++ {
			m, sd := montecarlo.MeanSD(s.N, s.Insecurity[t*na+o], s.Insecurit2[t*na+o])
			in.Mean = append(in.Mean, clean(m))
			in.SD = append(in.SD, clean(sd))
		}
		out.Insecurity = append(out.Insecurity, in)
		for j := 0; j < na; j++ {
			if j == o {
				continue
			}
			tr := Series{From: r.Actors[o].ID, To: r.Actors[j].ID}
			for t := 0; t <= h; t++ {
				m, sd := montecarlo.MeanSD(s.N, s.Trust[(t*na+o)*na+j], s.Trust2[(t*na+o)*na+j])
				tr.Mean = append(tr.Mean, clean(m))
				tr.SD = append(tr.SD, clean(sd))
			}
			out.Trust = append(out.Trust, tr)
		}
	}
	return out
}

// StatusShare returns the share of histories of a roadmap that ended with the given status.
func (r *RoadmapResult) StatusShare(name string) Share {
	for _, o := range r.Outcomes {
		if o.Name == name {
			return o
		}
	}
	return Share{Name: name}
}
