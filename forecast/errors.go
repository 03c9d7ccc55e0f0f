package forecast

import "github.com/parleyhq/parley/diag"

// Problem is one thing wrong with an input (see [diag.Problem]).
type Problem = diag.Problem

// Error lists every problem found. The readers and [Validate] return it (as
// *Error) for every problem with their input.
type Error = diag.Error
