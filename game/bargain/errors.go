package bargain

import "github.com/parleyhq/parley/diag"

// Problem is one thing wrong with a deal space or a file describing one (see [diag.Problem]).
type Problem = diag.Problem

// Error lists every problem found. The loaders and [Space.Validate] return it
// (as *Error) for every problem with their input.
type Error = diag.Error

// errorOf returns nil for no problems and an *Error otherwise.
func errorOf(ps []Problem) error {
	if len(ps) == 0 {
		return nil
	}
	return &Error{Problems: ps}
}
