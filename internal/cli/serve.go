package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/parleyhq/parley/internal/store"
	"github.com/parleyhq/parley/internal/web"
)

// tokenVar names the environment variable that can carry serve's token.
const tokenVar = "PARLEY_TOKEN"

// minTokenLength is the shortest token serve accepts.
const minTokenLength = 16

func newServeCmd(env *Env) *cobra.Command {
	var (
		addr    string
		db      string
		token   string
		sims    int
		queue   int
		maxRuns int
	)
	cmd := &cobra.Command{
		Use:     "serve [--addr 127.0.0.1:8080] [--db PATH | --db postgres://…] [--token T]",
		GroupID: groupAnalysis,
		Short:   "Serve the web app: scenario library, comparisons, audit, traces and run history",
		Long: `Serve runs parley's web app and its JSON API (/api/v1, described at
/api/v1/openapi.json) until interrupted.

It listens on 127.0.0.1:8080 by default, reachable only from this machine.
Any other address needs a token, from --token or the ` + tokenVar + ` variable
(at least 16 characters): every request must then carry it, as
"Authorization: Bearer TOKEN" or through the login form's cookie.

Scenarios and runs are kept in a SQLite database: --db PATH, or by default
parley.db in the user's data directory ($XDG_DATA_HOME/parley or
~/.local/share/parley on Linux, ~/Library/Application Support/parley on
macOS, %LocalAppData%\parley on Windows). A --db that starts with
postgres:// or postgresql:// names a PostgreSQL database instead
(postgres://USER@HOST:PORT/DATABASE?sslmode=...; the password is best kept
in PGPASSWORD or ~/.pgpass rather than on the command line). At most --max-simulations
comparisons run at once and --queue more wait; beyond that the server
answers 429 with Retry-After.`,
		Example: `  parley serve
  parley serve --db ./parley.db --addr 127.0.0.1:9000
  PGPASSWORD=... parley serve --db postgres://parley@db.example/parley?sslmode=verify-full
  PARLEY_TOKEN=$(openssl rand -hex 16) parley serve --addr 0.0.0.0:8080`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if token == "" {
				token = env.Getenv(tokenVar)
			}
			if _, _, err := net.SplitHostPort(addr); err != nil {
				return UsageErrorf("--addr %q is not HOST:PORT: %v", addr, err)
			}
			if token != "" && len(token) < minTokenLength {
				return UsageErrorf("the token must have at least %d characters, got %d", minTokenLength, len(token))
			}
			if token == "" && !web.IsLoopbackAddr(addr) {
				return UsageErrorf("--addr %s is reachable from other machines: give a token with --token or %s (or listen on 127.0.0.1)", addr, tokenVar)
			}
			if sims < 1 {
				return UsageErrorf("--max-simulations must be at least 1, got %d", sims)
			}
			if queue < 0 {
				return UsageErrorf("--queue must be 0 or more, got %d", queue)
			}
			if maxRuns < 1 {
				return UsageErrorf("--max-runs must be at least 1, got %d", maxRuns)
			}
			path := db
			switch {
			case store.IsPostgresDSN(db):
				// a DSN, passed on as it is
			case db == "":
				p, err := store.DefaultPath(runtime.GOOS, env.Getenv)
				if err != nil {
					return UsageError(err)
				}
				path = p
			default:
				path = env.path(db)
			}
			return serve(cmd.Context(), env, serveOptions{addr: addr, db: path, token: token, sims: sims, queue: queue, maxRuns: maxRuns})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on, `HOST:PORT` (port 0 picks a free one)")
	fl.StringVar(&db, "db", "", "SQLite database `FILE` (default: parley.db in the user's data directory), or a postgres:// URL")
	fl.StringVar(&token, "token", "", "require this token on every request (default $"+tokenVar+"); needed for a non-loopback --addr")
	fl.IntVar(&sims, "max-simulations", web.DefaultMaxSimulations, "comparisons run at once")
	fl.IntVar(&queue, "queue", web.DefaultMaxQueued, "comparisons that may wait for a free slot")
	fl.IntVar(&maxRuns, "max-runs", web.DefaultMaxRuns, "most histories per roadmap one request may ask for")
	return cmd
}

// openStore opens the store db names: a PostgreSQL database for a
// postgres:// or postgresql:// URL, else a SQLite file. It returns the store,
// how to show db (a DSN without its password) and, on failure, a usage error
// (exit 2) that names --db and never the password.
func openStore(ctx context.Context, db string) (store.Store, string, error) {
	if store.IsPostgresDSN(db) {
		st, err := store.OpenPostgres(ctx, db)
		if err != nil {
			// the error starts with the redacted DSN
			return nil, "", UsageErrorf("--db %v", err)
		}
		return st, st.DSN(), nil
	}
	st, err := store.OpenSQLite(ctx, db)
	if err != nil {
		return nil, "", UsageError(err)
	}
	return st, db, nil
}

type serveOptions struct {
	addr, db, token      string
	sims, queue, maxRuns int
}

// serve opens the store, listens and serves until ctx is cancelled, then
// shuts down: requests in flight get five seconds, running comparisons are
// marked interrupted.
func serve(ctx context.Context, env *Env, o serveOptions) error {
	st, shown, err := openStore(ctx, o.db)
	if err != nil {
		return err
	}
	defer st.Close()
	srv, err := web.New(ctx, web.Config{Store: st, Version: env.Version, Token: o.token,
		MaxSimulations: o.sims, MaxQueued: o.queue, MaxRuns: o.maxRuns,
		Logf: func(format string, args ...any) { fmt.Fprintf(env.Stderr, format+"\n", args...) }})
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return UsageErrorf("cannot listen on %s: %v", o.addr, err)
	}
	hs := web.HTTPServer(srv)
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	auth := ""
	if o.token != "" {
		auth = " (token required)"
	}
	fmt.Fprintf(env.Stdout, "parley serving on http://%s%s\ndatabase: %s\n", ln.Addr(), auth, shown)
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Close()
	if err := hs.Shutdown(shut); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(env.Stderr, "parley: server stopped")
	return nil
}
