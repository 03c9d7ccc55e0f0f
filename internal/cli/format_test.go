package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// formatCmd is a command with a --format flag that prints the choice.
func formatCmd(def Format, allowed ...Format) *cobra.Command {
	var f Format
	c := &cobra.Command{Use: "fmt", RunE: func(cmd *cobra.Command, _ []string) error {
		_, err := fmt.Fprint(cmd.OutOrStdout(), f)
		return err
	}}
	addFormatFlag(c, &f, def, allowed...)
	return c
}

func TestFormatFlag(t *testing.T) {
	tests := []struct {
		args    []string
		allowed []Format
		code    int
		out     string // stdout on success, part of stderr on failure
	}{
		{[]string{"fmt"}, nil, ExitOK, "text"},
		{[]string{"fmt", "--format", "json"}, nil, ExitOK, "json"},
		{[]string{"fmt", "--format=CSV"}, nil, ExitOK, "csv"},
		{[]string{"fmt", "--format", "markdown"}, nil, ExitOK, "markdown"},
		{[]string{"fmt", "--format", "xml"}, nil, ExitUsage, `unknown format "xml", want one of text|markdown|csv|json`},
		{[]string{"fmt", "--format", "csv"}, []Format{FormatText, FormatJSON}, ExitUsage, "want one of text|json"},
		{[]string{"fmt", "--format"}, nil, ExitUsage, "needs an argument"},
	}
	for _, tt := range tests {
		r := runWith(t, context.Background(), &Env{Args: tt.args}, withCmd(formatCmd(FormatText, tt.allowed...)))
		if r.code != tt.code {
			t.Errorf("%v: exit code = %d, want %d", tt.args, r.code, tt.code)
		}
		got := r.stdout
		if tt.code != ExitOK {
			got = r.stderr
		}
		if !strings.Contains(got, tt.out) {
			t.Errorf("%v: output %q does not contain %q", tt.args, got, tt.out)
		}
	}
}

func TestFormatFlagHelpListsFormats(t *testing.T) {
	r := runWith(t, context.Background(), &Env{Args: []string{"fmt", "--help"}}, withCmd(formatCmd(FormatText)))
	if !strings.Contains(r.stdout, "text|markdown|csv|json") {
		t.Errorf("help does not list the formats:\n%s", r.stdout)
	}
}
