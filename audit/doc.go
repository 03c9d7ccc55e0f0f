// Package audit checks a roadmap phase by phase under complete information and says which steps are not self-enforcing or need more trust than the priors give, and what would fix them.
//
// The audit is model.md §7: every actor is of a fixed type (one profile, or
// every profile with its prior probability), every move is delivered, the
// insecurity of each actor is projected along that path, and continuation
// values are taken with q = 1. For each phase after tranche expansion and each
// actor with a move in it, it computes cost, gain, exposure, continuation
// value, the opportunist's self-enforcement margin, the reciprocator's trust
// threshold against its prior trust and the hardliner's bound, flags the
// failures that matter for the actor's disposition and computes the levers
// that would fix them. docs/audit.md documents every formula.
package audit
