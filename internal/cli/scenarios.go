package cli

import (
	"bytes"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/parleyhq/parley/scenario"
)

func newScenariosCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "scenarios",
		GroupID: groupScenario,
		Short:   "List the built-in scenarios",
		Long: `Scenarios lists the scenarios built into parley. Any command that takes a
scenario accepts builtin:NAME for one of them; 'parley scenarios show NAME'
prints its YAML, a starting point for a scenario of your own.`,
		Example: `  parley scenarios
  parley scenarios show korea > my-scenario.yaml`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return listScenarios(env)
		},
	}
	cmd.AddCommand(newScenariosShowCmd(env))
	return cmd
}

// listScenarios prints one line per built-in: name, size and title.
func listScenarios(env *Env) error {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tACTORS\tMOVES\tROADMAPS\tTITLE")
	var broken []string
	for _, name := range scenario.BuiltinNames() {
		sc, err := scenario.Builtin(name)
		if err != nil {
			broken = append(broken, name)
			fmt.Fprintf(tw, "%s\t-\t-\t-\t(does not load: see parley validate --builtin %s)\n", name, name)
			continue
		}
		title := sc.Title
		if title == "" {
			title = sc.Name
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\n", name, len(sc.Actors), len(sc.Moves), len(sc.Roadmaps), title)
	}
	tw.Flush()
	if _, err := env.Stdout.Write(buf.Bytes()); err != nil {
		return err
	}
	if len(broken) > 0 {
		return fmt.Errorf("built-in scenarios that do not load, please report: %s", strings.Join(broken, ", "))
	}
	return nil
}

func newScenariosShowCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "show NAME",
		Short: "Print a built-in scenario's YAML",
		Long: `Show prints the YAML source of a built-in scenario, comments included, so it
can be copied and edited into a scenario of your own.`,
		Example: `  parley scenarios show korea > my-scenario.yaml`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return &exitError{code: ExitUsage, hint: true, err: fmt.Errorf(
					"show needs the NAME of one built-in scenario: %s", strings.Join(scenario.BuiltinNames(), ", "))}
			}
			return nil
		},
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return scenario.BuiltinNames(), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			name, _ := strings.CutPrefix(args[0], builtinPrefix)
			src, ok := scenario.BuiltinSource(name)
			if !ok {
				return UsageErrorf("no built-in scenario %q; the built-ins are %s",
					name, strings.Join(scenario.BuiltinNames(), ", "))
			}
			if _, err := env.Stdout.Write(src); err != nil {
				return err
			}
			if len(src) > 0 && src[len(src)-1] != '\n' {
				_, err := fmt.Fprintln(env.Stdout)
				return err
			}
			return nil
		},
	}
}

// usageArgs makes the errors of an argument check usage errors with a
// pointer to --help.
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return &exitError{code: ExitUsage, err: err, hint: true}
		}
		return nil
	}
}
