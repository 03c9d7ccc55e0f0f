package ipd

import (
	"fmt"
	"strings"
)

// Action is one player's move in one turn.
type Action uint8

// The two moves of the prisoner's dilemma.
const (
	C Action = 0 // cooperate
	D Action = 1 // defect
)

// String returns "C" or "D".
func (a Action) String() string {
	if a == C {
		return "C"
	}
	return "D"
}

// Flip returns the other move.
func (a Action) Flip() Action { return a ^ 1 }

// FormatActions writes moves as a string of C and D, turn 1 first.
func FormatActions(as []Action) string {
	b := make([]byte, len(as))
	for i, a := range as {
		b[i] = "CD"[a]
	}
	return string(b)
}

// ParseActions reads a string of C and D (either case), turn 1 first.
func ParseActions(s string) ([]Action, error) {
	as := make([]Action, len(s))
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'C', 'c':
			as[i] = C
		case 'D', 'd':
			as[i] = D
		default:
			return nil, fmt.Errorf("moves %q: character %d is %q, want C or D", s, i+1, s[i])
		}
	}
	return as, nil
}

// state indexes the four outcomes of a turn from one player's point of
// view, own move first: 0 CC, 1 CD, 2 DC, 3 DD.
func state(own, opp Action) int { return int(own)<<1 | int(opp) }

// stateNames are the outcomes in the order of [state].
var stateNames = [4]string{"CC", "CD", "DC", "DD"}

func init() {
	for i, n := range stateNames {
		if state(Action(strings.IndexByte("CD", n[0])), Action(strings.IndexByte("CD", n[1]))) != i {
			panic("ipd: state order")
		}
	}
}
