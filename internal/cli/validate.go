package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newValidateCmd(env *Env) *cobra.Command {
	var builtins []string
	cmd := &cobra.Command{
		Use:     "validate [FILE | - | builtin:NAME]... [--builtin NAME]...",
		GroupID: groupScenario,
		Short:   "Check scenario files and report every problem in them",
		Long: `Validate loads each scenario and reports, for each, either a one-line summary
or every problem found, one per line as file:line:col: field: message.
A - reads a scenario from standard input.

It exits with 0 when every scenario is valid and 2 otherwise.`,
		Example: `  parley validate my-scenario.yaml
  parley validate scenarios/*.yaml
  parley validate --builtin korea
  parley scenarios show korea | sed 's/horizon: 40/horizon: 60/' | parley validate -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			targets := append([]string(nil), args...)
			for _, b := range builtins {
				targets = append(targets, builtinPrefix+b)
			}
			if len(targets) == 0 {
				return &exitError{code: ExitUsage, hint: true,
					err: fmt.Errorf("nothing to validate: give scenario files or --builtin NAME")}
			}
			return validateAll(cmd, env, targets)
		},
	}
	cmd.Flags().StringArrayVar(&builtins, "builtin", nil, "validate the built-in scenario `NAME` (repeatable)")
	return cmd
}

// validateAll validates each target in turn. With one target its error is
// the command's error; with several, each failure is reported as it happens
// and the command's error counts them.
func validateAll(cmd *cobra.Command, env *Env, targets []string) error {
	ctx := cmd.Context()
	var failed []error
	for _, t := range targets {
		if err := ctx.Err(); err != nil {
			return err
		}
		ls, err := resolveScenario(env, t)
		if err != nil {
			failed = append(failed, err)
			if len(targets) > 1 {
				printError(env.Stderr, err)
			}
			continue
		}
		sc := ls.Scenario
		if _, err := fmt.Fprintf(env.Stdout, "%s: ok (%d actors, %d moves, %d roadmaps)\n",
			ls.Source, len(sc.Actors), len(sc.Moves), len(sc.Roadmaps)); err != nil {
			return err
		}
	}
	switch {
	case len(failed) == 0:
		return nil
	case len(targets) == 1:
		return failed[0]
	default:
		verb := "are"
		if len(failed) == 1 {
			verb = "is"
		}
		// Failures that are parley's own (a broken built-in) keep exit 1.
		for _, err := range failed {
			if code := exitCodeOf(err); code != ExitUsage {
				return WithExitCode(code, fmt.Errorf("%d of %d scenarios %s not valid", len(failed), len(targets), verb))
			}
		}
		return UsageErrorf("%d of %d scenarios %s not valid", len(failed), len(targets), verb)
	}
}
