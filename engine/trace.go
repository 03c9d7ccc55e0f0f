package engine

// EventKind names what happened in a traced history.
type EventKind uint8

// The events of a trace. Actor, Other and Step are -1 where they do not apply;
// From and To carry the numbers that changed.
const (
	EvRound      EventKind = iota // a round starts (Phase set)
	EvTypes                       // Actor's true type is Other
	EvShock                       // shock Step (index into shocks) hits Actor: insecurity or trust From → To
	EvDecide                      // Actor's decision: From = probability of keeping, To = of cheating
	EvDeliver                     // Actor delivers Step
	EvFail                        // Actor's delivery of Step fails by noise, openly
	EvCheat                       // Actor claims Step without delivering it (truth ledger only)
	EvDetect                      // Actor's cheat on Step is detected, publicly
	EvDecline                     // Actor declines Step openly
	EvWait                        // Actor waits: it does not believe a predecessor delivered
	EvSeen                        // Other, who missed it before, now believes Step delivered (Actor is the mover)
	EvMissed                      // Other does not see Step this round (Actor is the mover)
	EvBelief                      // Actor's trust in Other: From → To
	EvInsecurity                  // Actor's insecurity: From → To (Other: the defector, or -1 for a security move)
	EvWithdraw                    // Actor withdraws Step in response to Other
	EvRedeliver                   // Actor re-delivers Step
	EvForgive                     // Actor overlooks Other's defection (generous or patient)
	EvWalkAway                    // Actor walks away because of Other
	EvPhaseDone                   // the phase (Phase) is complete
	EvDropped                     // Step, invited and unanswered, is dropped
	EvEnd                         // the history ends
	EvRule                        // Actor's catalogue rule answers Other with D: it declines this round
)

// Event is one thing that happened in a history.
type Event struct {
	Round    int
	Phase    int
	Kind     EventKind
	Actor    int
	Other    int
	Step     int
	From, To float64
}

// Tracer receives the events of a history as they happen.
type Tracer interface {
	Event(e Event)
}

// Recorder is a Tracer that keeps every event.
type Recorder struct{ Events []Event }

// Event implements Tracer.
func (r *Recorder) Event(e Event) { r.Events = append(r.Events, e) }
