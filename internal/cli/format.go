package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// Format is an output format chosen with --format.
type Format string

// The output formats a command may offer.
const (
	FormatText     Format = "text"
	FormatMarkdown Format = "markdown"
	FormatCSV      Format = "csv"
	FormatJSON     Format = "json"
)

// AllFormats lists every format, in the order help texts show them.
var AllFormats = []Format{FormatText, FormatMarkdown, FormatCSV, FormatJSON}

// addFormatFlag registers --format on cmd, storing the choice in p. The flag
// accepts only the allowed formats (all of them when none are given) and
// starts at def; any other value is a usage error that lists the allowed ones.
func addFormatFlag(cmd *cobra.Command, p *Format, def Format, allowed ...Format) {
	if len(allowed) == 0 {
		allowed = AllFormats
	}
	*p = def
	v := &formatValue{p: p, allowed: allowed}
	cmd.Flags().Var(v, "format", "output format: "+v.list())
	_ = cmd.RegisterFlagCompletionFunc("format",
		func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			names := make([]string, len(allowed))
			for i, f := range allowed {
				names[i] = string(f)
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		})
}

// formatValue is the flag value behind --format.
type formatValue struct {
	p       *Format
	allowed []Format
}

func (v *formatValue) String() string { return string(*v.p) }

func (v *formatValue) Type() string { return "format" }

func (v *formatValue) Set(s string) error {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	for _, a := range v.allowed {
		if f == a {
			*v.p = f
			return nil
		}
	}
	return fmt.Errorf("unknown format %q, want one of %s", s, v.list())
}

// list returns the allowed formats as "a|b|c".
func (v *formatValue) list() string {
	names := make([]string, len(v.allowed))
	for i, f := range v.allowed {
		names[i] = string(f)
	}
	return strings.Join(names, "|")
}
