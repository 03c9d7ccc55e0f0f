// Package cli is the parley command line: it turns arguments into calls to the
// library and the library's results and errors into text and exit codes.
//
// Everything a command may touch of the outside world — arguments, environment,
// standard streams, working directory, whether stdout is a terminal — comes in
// through one [Env], so whole commands run in-process in tests.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// Env is the process's world as seen by a command.
type Env struct {
	// Args are the command-line arguments after the program name.
	Args []string
	// Stdin, Stdout and Stderr are the standard streams; nil ones are
	// treated as empty input and discarded output.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv looks up an environment variable; nil means an empty environment.
	Getenv func(string) string
	// Dir is the working directory against which relative paths are
	// resolved; empty means the process's own working directory.
	Dir string
	// IsTerminal reports whether Stdout is an interactive terminal (progress
	// bars and other decoration are shown only then).
	IsTerminal bool
	// Version is the program's version, as printed by `parley version`.
	Version string
}

// Exit codes returned by [Run].
const (
	ExitOK          = 0   // success
	ExitFailure     = 1   // the command ran and failed
	ExitUsage       = 2   // bad flag, unknown command, unreadable or invalid input
	ExitInterrupted = 130 // cancelled, e.g. by Ctrl-C
)

// debugVar names the environment variable that, set to 1, makes internal
// errors print their stack trace.
const debugVar = "PARLEY_DEBUG"

// Run runs the command line described by env and returns the process's exit
// code. It prints any error once, to env.Stderr, as "parley: <message>".
// Cancelling ctx asks the running command to stop; Run then returns 130.
func Run(ctx context.Context, env *Env) int {
	return run(ctx, env, commands)
}

// run is [Run] with the list of top-level commands as a parameter, so tests
// can add their own.
func run(ctx context.Context, env *Env, cmds []func(*Env) *cobra.Command) (code int) {
	env = env.withDefaults()
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(env.Stderr, "parley: internal error: %v, please report\n", p)
			if env.Getenv(debugVar) == "1" {
				env.Stderr.Write(debug.Stack())
			} else {
				fmt.Fprintf(env.Stderr, "(set %s=1 to see where it happened)\n", debugVar)
			}
			code = ExitFailure
		}
	}()

	root := newRootCmd(env, cmds)
	root.SetArgs(env.Args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(env.Stderr, "parley: interrupted")
		return ExitInterrupted
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		// Errors that no command returned come from cobra itself: an
		// unknown command, a wrong number of arguments, a missing flag.
		ee = &exitError{code: ExitUsage, err: err, hint: true}
		err = ee
	}
	if ee.err != nil || error(ee) != err {
		printError(env.Stderr, err)
		if ee.hint && cmd != nil {
			fmt.Fprintf(env.Stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
		}
	}
	return ee.code
}

// printError writes err as "parley: <message>"; the lines after the first
// are written as they are.
func printError(w io.Writer, err error) {
	msg := strings.TrimRight(err.Error(), "\n")
	fmt.Fprintf(w, "parley: %s\n", msg)
}

// withDefaults returns a copy of e with its nil fields replaced by harmless
// values.
func (e *Env) withDefaults() *Env {
	c := Env{}
	if e != nil {
		c = *e
	}
	if c.Stdin == nil {
		c.Stdin = strings.NewReader("")
	}
	if c.Stdout == nil {
		c.Stdout = io.Discard
	}
	if c.Stderr == nil {
		c.Stderr = io.Discard
	}
	if c.Getenv == nil {
		c.Getenv = func(string) string { return "" }
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	return &c
}

// path resolves a path given by the user against the working directory.
func (e *Env) path(p string) string {
	if e.Dir == "" || p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(e.Dir, p)
}

// Command groups shown in the help.
const (
	groupScenario = "scenario"
	groupAnalysis = "analysis"
	// groupWorkbench holds the classic models: iterated games, bargaining, equilibria.
	groupWorkbench = "workbench"
)

// newRootCmd builds a fresh command tree bound to env.
func newRootCmd(env *Env, cmds []func(*Env) *cobra.Command) *cobra.Command {
	root := &cobra.Command{
		Use:   "parley",
		Short: "Compute and challenge negotiation roadmaps between parties that do not trust each other",
		Long: `parley turns a negotiation roadmap — who gives up what, in which order — into
something that can be computed and challenged: how likely each roadmap is to
get where it should, how fast, and what each party risks if the other cheats.

Scenarios are YAML files; 'parley scenarios' lists the built-in ones.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// Runnable, so that an unknown command is an error rather than help.
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{code: ExitUsage, err: plainFlagError(err), hint: true}
	})
	used := map[string]bool{}
	for _, newCmd := range cmds {
		c := newCmd(env)
		used[c.GroupID] = true
		root.AddCommand(c)
	}
	for _, g := range []*cobra.Group{
		{ID: groupScenario, Title: "Scenarios:"},
		{ID: groupAnalysis, Title: "Analysis:"},
		{ID: groupWorkbench, Title: "Workbench:"},
	} {
		if used[g.ID] {
			root.AddGroup(g)
		}
	}
	tagRunErrors(root)
	return root
}

// tagRunErrors wraps the RunE of c and its descendants so that an error a
// command returns without an exit code counts as a runtime failure (exit 1);
// errors raised by cobra itself stay untagged and count as usage errors.
func tagRunErrors(c *cobra.Command) {
	if run := c.RunE; run != nil {
		c.RunE = func(cmd *cobra.Command, args []string) error {
			err := run(cmd, args)
			var ee *exitError
			if err == nil || errors.As(err, &ee) || errors.Is(err, context.Canceled) {
				return err
			}
			return &exitError{code: ExitFailure, err: err}
		}
	}
	for _, sub := range c.Commands() {
		tagRunErrors(sub)
	}
}

// flagValueError matches pflag's message for a value that does not parse.
var flagValueError = regexp.MustCompile(`^invalid argument "(.*)" for "(.*)" flag: strconv\.(Parse\w+): .*$`)

// plainFlagError rewords pflag's parse errors, which quote Go's strconv, into
// what the user needs: the flag, the value, and what kind of value it takes.
func plainFlagError(err error) error {
	m := flagValueError.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	want := map[string]string{
		"ParseUint":  "a whole number, 0 or more",
		"ParseInt":   "a whole number",
		"ParseFloat": "a number",
		"ParseBool":  "true or false",
	}[m[3]]
	if want == "" {
		return err
	}
	flag := m[2]
	if i := strings.LastIndex(flag, "--"); i >= 0 {
		flag = flag[i:]
	}
	return fmt.Errorf("invalid value %q for %s: expected %s", m[1], flag, want)
}
