// Command parley computes and challenges negotiation roadmaps; see the README.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"golang.org/x/term"

	"github.com/parleyhq/parley/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal, let a second one kill the process.
		<-ctx.Done()
		stop()
	}()
	dir, _ := os.Getwd()
	code := cli.Run(ctx, &cli.Env{
		Args:       os.Args[1:],
		Stdin:      os.Stdin,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		Getenv:     os.Getenv,
		Dir:        dir,
		IsTerminal: term.IsTerminal(int(os.Stdout.Fd())),
		Version:    buildVersion(),
	})
	stop()
	os.Exit(code)
}

// buildVersion returns version if it was set at build time, else the module
// version recorded by `go install module@version`, else "dev" with the VCS
// revision when the build recorded one.
func buildVersion() string {
	if version != "dev" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return version
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "-dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		return version + "+" + rev + dirty
	}
	return version
}
