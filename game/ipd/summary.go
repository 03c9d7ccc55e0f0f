package ipd

// The summaries below are the results as parley writes them for programs:
// the JSON of `parley tournament --format json` and `parley match --format
// json`, and of the web app's workbench API, which embed them, so that both
// say the same thing in the same words.

// StandingSummary is one player's results in a tournament summary.
type StandingSummary struct {
	Rank        int       `json:"rank"`
	Strategy    string    `json:"strategy"`
	Median      float64   `json:"median_score"`
	Mean        float64   `json:"mean_score"`
	Min         float64   `json:"min_score"`
	Q1          float64   `json:"q1_score"`
	Q3          float64   `json:"q3_score"`
	Max         float64   `json:"max_score"`
	Scores      []float64 `json:"scores"`
	MedianWins  float64   `json:"median_wins"`
	TotalWins   int       `json:"total_wins"`
	Cooperation float64   `json:"cooperation_rating"`
	SelfPlay    float64   `json:"self_play_score"`
	TotalScore  float64   `json:"total_score"`
}

// PayoffsSummary is a game's payoffs under their usual letters.
type PayoffsSummary struct {
	R float64 `json:"R"`
	S float64 `json:"S"`
	T float64 `json:"T"`
	P float64 `json:"P"`
}

// Summary returns the payoffs under their letters.
func (p Payoffs) Summary() PayoffsSummary { return PayoffsSummary{p.R, p.S, p.T, p.P} }

// TournamentSummary is a tournament's settings and results.
type TournamentSummary struct {
	Players     []string          `json:"players"`
	Turns       int               `json:"turns"`
	LengthKnown bool              `json:"length_known"`
	ProbEnd     float64           `json:"prob_end"`
	Noise       float64           `json:"noise"`
	Payoffs     PayoffsSummary    `json:"payoffs"`
	Repetitions int               `json:"repetitions"`
	Seed        uint64            `json:"seed"`
	Standings   []StandingSummary `json:"standings"`
	// PayoffMatrix[i][j] is player i's mean score per turn against j, in
	// line-up order.
	PayoffMatrix [][]float64 `json:"payoff_matrix"`
}

// Summary returns the tournament's settings and results.
func (r *Results) Summary() TournamentSummary {
	out := TournamentSummary{Turns: r.Rules.Turns, LengthKnown: r.Rules.LengthKnown(), ProbEnd: r.Rules.ProbEnd,
		Noise: r.Rules.Noise, Payoffs: r.Rules.Payoffs.Summary(), Repetitions: r.Repetitions, Seed: r.Seed,
		PayoffMatrix: r.MeanPayoffs()}
	for _, p := range r.Players {
		out.Players = append(out.Players, p.Name)
	}
	for _, s := range r.Standings {
		out.Standings = append(out.Standings, StandingSummary{
			Rank: s.Rank, Strategy: s.Name, Median: s.Median, Mean: s.Mean, Min: s.Min, Q1: s.Q1, Q3: s.Q3, Max: s.Max,
			Scores: s.Scores, MedianWins: s.MedianWins, TotalWins: s.TotalWins, Cooperation: s.Cooperation,
			SelfPlay: s.SelfPlay, TotalScore: s.TotalScore,
		})
	}
	return out
}

// LongRunSummary is the exact long-run behaviour of two memory-one rules.
type LongRunSummary struct {
	Scores      [2]float64 `json:"scores"`
	Cooperation [2]float64 `json:"cooperation"`
	// Outcomes are the frequencies of CC, CD, DC and DD, player 1's move first.
	Outcomes map[string]float64 `json:"outcomes"`
	Ergodic  bool               `json:"ergodic"`
}

// Summary returns the long run under its outcomes' names.
func (lr LongRun) Summary() *LongRunSummary {
	return &LongRunSummary{Scores: lr.Scores, Cooperation: lr.Cooperation, Ergodic: lr.Ergodic,
		Outcomes: map[string]float64{"CC": lr.Freq[0], "CD": lr.Freq[1], "DC": lr.Freq[2], "DD": lr.Freq[3]}}
}

// MatchSummary is a match's settings and results.
type MatchSummary struct {
	Players     [2]string      `json:"players"`
	Turns       int            `json:"turns"`
	LengthKnown bool           `json:"length_known"`
	ProbEnd     float64        `json:"prob_end"`
	Noise       float64        `json:"noise"`
	Payoffs     PayoffsSummary `json:"payoffs"`
	Seed        uint64         `json:"seed"`
	// Moves are both players' moves, turn 1 first, as C and D.
	Moves       [2]string  `json:"moves"`
	Scores      [2]float64 `json:"scores"`
	PerTurn     [2]float64 `json:"per_turn"`
	Cooperation [2]float64 `json:"cooperation"`
	// Winner is 1 or 2, or nil for a tie.
	Winner *int `json:"winner"`
	// LongRun is set when both rules are memory-one and the long run was
	// computed exactly.
	LongRun *LongRunSummary `json:"long_run,omitempty"`
}

// Summary returns the match's settings and results; lr, if not nil, is
// its exact long run.
func (m *MatchResult) Summary(lr *LongRun) MatchSummary {
	n := float64(m.Turns)
	out := MatchSummary{
		Players: [2]string{m.Players[0].Name, m.Players[1].Name},
		Turns:   m.Turns, LengthKnown: m.Rules.LengthKnown(), ProbEnd: m.Rules.ProbEnd, Noise: m.Rules.Noise,
		Payoffs: m.Rules.Payoffs.Summary(), Seed: m.Seed,
		Moves:       [2]string{FormatActions(m.Moves[0]), FormatActions(m.Moves[1])},
		Scores:      m.Scores,
		PerTurn:     [2]float64{m.Scores[0] / n, m.Scores[1] / n},
		Cooperation: [2]float64{float64(m.Cooperations[0]) / n, float64(m.Cooperations[1]) / n},
	}
	if wi := m.Winner(); wi >= 0 {
		wi++
		out.Winner = &wi
	}
	if lr != nil {
		out.LongRun = lr.Summary()
	}
	return out
}
