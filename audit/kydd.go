package audit

import "github.com/parleyhq/parley/model"

// KyddCooperates reports whether a player cooperates in Kydd's stage game
// (mutual cooperation 1, mutual defection 0, sucker payoff −c, temptation t)
// when it believes with probability trust that the other cooperates.
//
// Cooperating is worth trust − (1 − trust)·c, defecting trust·t, so it
// cooperates iff trust·(1 + c − t) ≥ c: for a trustworthy type (t < 1 + c)
// iff trust ≥ c/(1 + c − t) (model.KyddThreshold); never when 1 + c − t ≤ 0
// and c > 0. Ties cooperate, within model.Tolerance. The roadmap engine's
// trust threshold L/(N + L) is the case c = L/N, t = 0.
func KyddCooperates(trust, c, t float64) bool {
	den := 1 + c - t
	if den <= 0 {
		return trust*den-c >= -model.Tolerance
	}
	return trust >= model.KyddThreshold(c, t)-model.Tolerance
}
