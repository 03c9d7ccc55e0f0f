package cli

import (
	"bytes"
	"io"

	"github.com/spf13/cobra"

	"github.com/parleyhq/parley/scenario"
)

func newSchemaCmd(env *Env) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:     "schema",
		GroupID: groupScenario,
		Short:   "Print the JSON Schema of scenario files",
		Long: `Schema prints the JSON Schema that scenario files follow. Editors with YAML
language support use it for completion and checking as you type, e.g. with
the first line

  # yaml-language-server: $schema=parley-scenario.schema.json`,
		Example: `  parley schema -o parley-scenario.schema.json`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			schema := scenario.Schema()
			if !bytes.HasSuffix(schema, []byte("\n")) {
				schema = append(schema[:len(schema):len(schema)], '\n')
			}
			return writeOutput(env, output, func(w io.Writer) error {
				_, err := w.Write(schema)
				return err
			})
		},
	}
	addOutputFlag(cmd, &output)
	return cmd
}
