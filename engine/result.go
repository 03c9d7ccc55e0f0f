package engine

// Status is how a history ended (model.md §5).
type Status uint8

// The end statuses.
const (
	Completed Status = iota
	CompletedButCheated
	Breakdown
	Partial
	Stalemate
	Horizon
	Baseline
	NumStatus
)

var statusNames = [...]string{"completed", "completed-but-cheated", "breakdown", "partial", "stalemate", "horizon", "baseline"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "unknown"
}

// CauseKind says why a history ended early.
type CauseKind uint8

// The causes.
const (
	NoCause    CauseKind = iota
	Declined             // stalemate: Actor declined Step
	Detected             // stalemate: Actor's cheat on Step was detected
	Failed               // stalemate: Actor's delivery of Step failed by noise
	Waiting              // stalemate: nobody declined, but a move was never seen delivered or was withheld in response
	Unanswered           // stalemate: Actor's initiatives went unanswered
	WalkedAway           // breakdown: Actor walked away because of Other's defection on Step
	NumCauseKind
)

// Cause is the reason for a stalemate or a breakdown; Actor, Other and Step are -1 when they do not apply.
type Cause struct {
	Kind         CauseKind
	Actor, Other int
	Step         int
}

// Result is what one history reports (model.md §6). The engine reuses it
// between histories: copy what you keep.
type Result struct {
	Status Status
	Cause  Cause
	Rounds int // the round in which the history ended (the horizon if it ran out)
	// Types are the true types drawn, by actor.
	Types []int
	// Utility is the discounted utility of each actor, lasting value included.
	Utility []float64
	// Exposure is max(0, −utility without the lasting value).
	Exposure []float64
	// Leverage is the undiscounted benefit to the others of each actor's moves not truly delivered.
	Leverage []float64
	// MilestoneTrue is the round each milestone was reached in truth, or 0.
	MilestoneTrue []int
	// MilestoneBelieved is, per milestone and actor, the round the actor came to believe it reached, or 0.
	MilestoneBelieved [][]int
	// Trust[(t*n+o)*n+j] is o's belief, after round t (0 = the start), that j is a reciprocator; rounds after Rounds repeat the last value.
	Trust []float64
	// Insecurity[t*n+a] is a's insecurity after round t.
	Insecurity []float64
	n          int
}

// TrustAt returns o's trust in j after round t (t > Rounds gives the final value).
func (r *Result) TrustAt(t, o, j int) float64 {
	if t > r.Rounds {
		t = r.Rounds
	}
	return r.Trust[(t*r.n+o)*r.n+j]
}

// InsecurityAt returns a's insecurity after round t.
func (r *Result) InsecurityAt(t, a int) float64 {
	if t > r.Rounds {
		t = r.Rounds
	}
	return r.Insecurity[t*r.n+a]
}
