// Package pgtest gives tests a fresh PostgreSQL database of their own on the
// server named by the PARLEY_TEST_POSTGRES variable.
package pgtest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvVar names the variable that holds the DSN of the test server, a
// postgres:// URL of a role that may create databases.
const EnvVar = "PARLEY_TEST_POSTGRES"

// Admin returns the DSN in PARLEY_TEST_POSTGRES. Without it, it skips t,
// or fails t when CI=true, since CI must not skip the PostgreSQL tests.
func Admin(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvVar)
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set, and CI=true: the PostgreSQL tests need it (the DSN of a server, e.g. from .ci/postgres.sh)", EnvVar)
		}
		t.Skipf("%s is not set: skipping the PostgreSQL tests (set it to a postgres:// DSN, e.g. from .ci/postgres.sh)", EnvVar)
	}
	if _, err := url.Parse(dsn); err != nil || !(strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")) {
		t.Fatalf("%s must be a postgres:// URL", EnvVar)
	}
	return dsn
}

var counter atomic.Int64

// DSN creates a new, empty database (UTF8, C collation) on the server of
// PARLEY_TEST_POSTGRES and returns the DSN that names it; the database is
// dropped when t ends. Without the variable it skips or fails t as [Admin]
// does. Names are unique across processes, so test binaries running at
// the same time do not meet.
func DSN(t testing.TB) string {
	t.Helper()
	return DSNWith(t, "TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
}

// DSNWith is [DSN] with the options of CREATE DATABASE given.
func DSNWith(t testing.TB, options string) string {
	t.Helper()
	admin := Admin(t)
	name := fmt.Sprintf("parley_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano(), counter.Add(1))
	exec(t, admin, "CREATE DATABASE "+name+" "+options)
	t.Cleanup(func() {
		// FORCE ends the connections a failed test may have left open
		exec(t, admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return WithDatabase(t, admin, name)
}

// WithDatabase returns dsn naming database name instead of its own.
func WithDatabase(t testing.TB, dsn, name string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("%s does not parse as a URL", EnvVar)
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String()
}

// WithPassword returns dsn with its password replaced by password.
func WithPassword(t testing.TB, dsn, password string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("%s does not parse as a URL", EnvVar)
	}
	user := "postgres"
	if u.User != nil {
		user = u.User.Username()
	}
	u.User = url.UserPassword(user, password)
	q := u.Query()
	if q.Has("password") {
		q.Del("password")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// Exec runs one statement on the database dsn names, on a connection of its
// own, and fails t if it fails.
func Exec(t testing.TB, dsn, sql string, args ...any) {
	t.Helper()
	exec(t, dsn, sql, args...)
}

func exec(t testing.TB, dsn, sql string, args ...any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connecting to the test server (%s): %v", EnvVar, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}
