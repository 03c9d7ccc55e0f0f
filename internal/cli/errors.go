package cli

import (
	"errors"
	"fmt"
)

// exitError is an error that carries the exit code of the process.
type exitError struct {
	code int
	err  error // nil: exit with code and print nothing
	hint bool  // follow the message with a pointer to --help
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// UsageError marks err as the user's mistake — a bad argument, an unreadable
// or invalid input file — so that parley exits with code 2.
func UsageError(err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: ExitUsage, err: err}
}

// UsageErrorf is [UsageError] of a formatted message.
func UsageErrorf(format string, a ...any) error {
	return UsageError(fmt.Errorf(format, a...))
}

// WithExitCode makes parley exit with code when err is returned by a command.
// A nil err exits with code and prints nothing, for commands that have
// already said what went wrong.
func WithExitCode(code int, err error) error {
	return &exitError{code: code, err: err}
}

// exitCodeOf returns the exit code a command's error leads to, not counting
// cancellation: its own if it carries one, else 1.
func exitCodeOf(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return ExitFailure
}
