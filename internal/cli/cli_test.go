package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// result is what one in-process run of parley produced.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs parley with args in-process, in a fresh temporary working
// directory, and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	r := runIn(t, t.TempDir(), args...)
	return r.code, r.stdout, r.stderr
}

// runIn runs parley with args in-process with dir as working directory.
func runIn(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return runWith(t, context.Background(), &Env{Args: args, Dir: dir}, commands)
}

// runWith runs the command tree made of cmds in env, capturing the output
// (env's own streams are replaced) and logging it for failing tests.
func runWith(t *testing.T, ctx context.Context, env *Env, cmds []func(*Env) *cobra.Command) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env.Stdout, env.Stderr = &stdout, &stderr
	if env.Version == "" {
		env.Version = "test"
	}
	code := run(ctx, env, cmds)
	r := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	t.Logf("parley %s → exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(env.Args, " "), r.code, r.stdout, r.stderr)
	return r
}

// withCmd returns the real commands plus one made by c, for tests that need
// a command with particular behaviour.
func withCmd(c *cobra.Command) []func(*Env) *cobra.Command {
	return append(append([]func(*Env) *cobra.Command(nil), commands...),
		func(*Env) *cobra.Command { return c })
}

func TestNoArgumentsPrintsHelp(t *testing.T) {
	code, stdout, stderr := runCLI(t)
	if code != ExitOK {
		t.Errorf("exit code = %d, want 0", code)
	}
	for _, want := range []string{"Usage:", "validate", "scenarios", "schema", "version"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("help does not mention %q", want)
		}
	}
	if stderr != "" {
		t.Errorf("stderr = %q, want nothing", stderr)
	}
}

func TestHelpFlag(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"validate", "--help"}, {"help", "validate"}} {
		code, stdout, _ := runCLI(t, args...)
		if code != ExitOK || !strings.Contains(stdout, "Usage:") {
			t.Errorf("parley %v: exit %d, stdout %q; want 0 and a usage text", args, code, stdout)
		}
	}
}

func TestVersion(t *testing.T) {
	env := &Env{Args: []string{"version"}, Version: "v1.2.3"}
	r := runWith(t, context.Background(), env, commands)
	if r.code != ExitOK {
		t.Fatalf("exit code = %d, want 0", r.code)
	}
	if !strings.HasPrefix(r.stdout, "parley v1.2.3 ") {
		t.Errorf("stdout = %q, want it to start with %q", r.stdout, "parley v1.2.3 ")
	}
}

func TestUnknownCommand(t *testing.T) {
	code, stdout, stderr := runCLI(t, "frobnicate")
	if code != ExitUsage {
		t.Errorf("exit code = %d, want %d", code, ExitUsage)
	}
	if !strings.HasPrefix(stderr, `parley: unknown command "frobnicate"`) {
		t.Errorf("stderr = %q, want it to name the unknown command", stderr)
	}
	if !strings.Contains(stderr, "parley --help") {
		t.Errorf("stderr = %q, want a pointer to --help", stderr)
	}
	if stdout != "" {
		t.Errorf("stdout = %q, want nothing", stdout)
	}
}

func TestUnknownCommandSuggestsNearName(t *testing.T) {
	code, _, stderr := runCLI(t, "valdate")
	if code != ExitUsage || !strings.Contains(stderr, "validate") {
		t.Errorf("exit %d, stderr %q; want 2 and a suggestion of validate", code, stderr)
	}
}

func TestBadFlag(t *testing.T) {
	for _, args := range [][]string{{"--nope"}, {"validate", "--nope", "x.yaml"}, {"schema", "--output"}} {
		code, _, stderr := runCLI(t, args...)
		if code != ExitUsage {
			t.Errorf("parley %v: exit code = %d, want %d", args, code, ExitUsage)
		}
		if !strings.HasPrefix(stderr, "parley: ") || strings.Count(stderr, "parley: ") != 1 {
			t.Errorf("parley %v: stderr = %q, want one message prefixed with \"parley: \"", args, stderr)
		}
	}
}

func TestWrongArgumentCount(t *testing.T) {
	for _, args := range [][]string{{"version", "extra"}, {"scenarios", "show"}, {"scenarios", "nope"}, {"schema", "x"}, {"validate"}} {
		code, _, stderr := runCLI(t, args...)
		if code != ExitUsage {
			t.Errorf("parley %v: exit code = %d, want %d (stderr %q)", args, code, ExitUsage, stderr)
		}
	}
}

func TestRuntimeErrorExitsOne(t *testing.T) {
	c := &cobra.Command{Use: "fail", RunE: func(*cobra.Command, []string) error {
		return errors.New("boom")
	}}
	r := runWith(t, context.Background(), &Env{Args: []string{"fail"}}, withCmd(c))
	if r.code != ExitFailure || r.stderr != "parley: boom\n" {
		t.Errorf("exit %d, stderr %q; want 1 and %q", r.code, r.stderr, "parley: boom\n")
	}
}

func TestExitCodeTravelsThroughWrapping(t *testing.T) {
	c := &cobra.Command{Use: "fail", RunE: func(*cobra.Command, []string) error {
		return fmt.Errorf("reading input: %w", UsageErrorf("bad input"))
	}}
	r := runWith(t, context.Background(), &Env{Args: []string{"fail"}}, withCmd(c))
	if r.code != ExitUsage || r.stderr != "parley: reading input: bad input\n" {
		t.Errorf("exit %d, stderr %q; want 2 and the wrapped message", r.code, r.stderr)
	}
}

func TestSilentExitCode(t *testing.T) {
	c := &cobra.Command{Use: "quiet", RunE: func(*cobra.Command, []string) error {
		return WithExitCode(3, nil)
	}}
	r := runWith(t, context.Background(), &Env{Args: []string{"quiet"}}, withCmd(c))
	if r.code != 3 || r.stderr != "" {
		t.Errorf("exit %d, stderr %q; want 3 and nothing", r.code, r.stderr)
	}
}

func TestPanicBecomesInternalError(t *testing.T) {
	c := &cobra.Command{Use: "crash", RunE: func(*cobra.Command, []string) error {
		panic("index out of range")
	}}
	r := runWith(t, context.Background(), &Env{Args: []string{"crash"}}, withCmd(c))
	if r.code != ExitFailure {
		t.Errorf("exit code = %d, want 1", r.code)
	}
	if !strings.HasPrefix(r.stderr, "parley: internal error: index out of range, please report\n") {
		t.Errorf("stderr = %q, want the internal error message", r.stderr)
	}
	if strings.Contains(r.stderr, "goroutine") {
		t.Errorf("stderr shows a stack trace without %s=1", debugVar)
	}

	debugEnv := func(k string) string {
		if k == debugVar {
			return "1"
		}
		return ""
	}
	r = runWith(t, context.Background(), &Env{Args: []string{"crash"}, Getenv: debugEnv}, withCmd(c))
	if r.code != ExitFailure || !strings.Contains(r.stderr, "goroutine") {
		t.Errorf("with %s=1: exit %d, stderr %q; want 1 and a stack trace", debugVar, r.code, r.stderr)
	}
}

func TestCancellationExits130(t *testing.T) {
	started := make(chan struct{})
	c := &cobra.Command{Use: "wait", RunE: func(cmd *cobra.Command, _ []string) error {
		close(started)
		<-cmd.Context().Done()
		return fmt.Errorf("waiting: %w", cmd.Context().Err())
	}}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	r := runWith(t, ctx, &Env{Args: []string{"wait"}}, withCmd(c))
	if r.code != ExitInterrupted || r.stderr != "parley: interrupted\n" {
		t.Errorf("exit %d, stderr %q; want 130 and %q", r.code, r.stderr, "parley: interrupted\n")
	}
}

func TestNilEnvFieldsAreHarmless(t *testing.T) {
	if code := Run(context.Background(), &Env{Args: []string{"version"}}); code != ExitOK {
		t.Errorf("exit code = %d, want 0", code)
	}
	if code := Run(context.Background(), nil); code != ExitOK {
		t.Errorf("nil env: exit code = %d, want 0", code)
	}
}
