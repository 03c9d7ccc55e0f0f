package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/parleyhq/parley/internal/store/pgtest"
)

func openPG(t *testing.T, dsn string, migs []string) *Postgres {
	t.Helper()
	p, err := openPostgres(context.Background(), dsn, migs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func TestPostgresVersionsMatchSQLite(t *testing.T) {
	if len(pgMigrations) != len(migrations) {
		t.Errorf("PostgreSQL has %d schema versions and SQLite %d: a version must mean the same in both", len(pgMigrations), len(migrations))
	}
}

func TestPostgresMigrations(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	s := openPG(t, dsn, pgMigrations)
	if v, _ := s.SchemaVersion(ctx); v != len(pgMigrations) {
		t.Errorf("a new database is at version %d, want %d", v, len(pgMigrations))
	}
	sc := &Scenario{Name: "a", Source: "name: a\n"}
	if err := s.CreateScenario(ctx, sc); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// a later build with one more migration upgrades the database in place
	next := append(append([]string(nil), pgMigrations...), "ALTER TABLE scenarios ADD COLUMN notes TEXT NOT NULL DEFAULT ''")
	s2 := openPG(t, dsn, next)
	if v, _ := s2.SchemaVersion(ctx); v != len(next) {
		t.Errorf("after the upgrade the version is %d, want %d", v, len(next))
	}
	var notes string
	if err := s2.pool.QueryRow(ctx, "SELECT notes FROM scenarios WHERE id = $1", sc.ID).Scan(&notes); err != nil || notes != "" {
		t.Errorf("the new column: %q, %v", notes, err)
	}
	if got, err := s2.GetScenario(ctx, sc.ID); err != nil || got.Source != sc.Source {
		t.Errorf("the scenario did not survive the upgrade: %v, %v", got, err)
	}
	s2.Close()

	// opening it again with the upgraded list applies nothing twice
	s3 := openPG(t, dsn, next)
	var n int
	s3.pool.QueryRow(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&n)
	if n != len(next) {
		t.Errorf("schema_migrations has %d rows, want %d", n, len(next))
	}
	s3.Close()

	// this build must refuse the newer database and leave it as it is
	_, err := OpenPostgres(ctx, dsn)
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("opening a newer database: %v, want ErrSchemaTooNew", err)
	}
	if want := fmt.Sprintf("schema version %d; this build knows up to %d", len(next), len(pgMigrations)); !strings.Contains(err.Error(), want) {
		t.Errorf("message %q does not give both versions (%s)", err, want)
	}
	s4 := openPG(t, dsn, next)
	if v, _ := s4.SchemaVersion(ctx); v != len(next) {
		t.Errorf("refusing the database changed its version to %d", v)
	}
}

func TestPostgresFailedMigrationLeavesNothing(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	bad := append(append([]string(nil), pgMigrations...), "CREATE TABLE extra (x INTEGER); THIS IS NOT SQL")
	if _, err := openPostgres(ctx, dsn, bad); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("migrating to schema version %d", len(bad))) {
		t.Fatalf("a broken migration: %v", err)
	}
	s := openPG(t, dsn, pgMigrations)
	if v, _ := s.SchemaVersion(ctx); v != len(pgMigrations) {
		t.Errorf("version %d after a failed migration, want %d", v, len(pgMigrations))
	}
	var exists bool
	if err := s.pool.QueryRow(ctx, "SELECT to_regclass('extra') IS NOT NULL").Scan(&exists); err != nil || exists {
		t.Errorf("the failed migration left its table behind (%v)", err)
	}
}

// TestPostgresConcurrentStarts starts several stores at once on an empty
// database, each with the same three migrations: without the advisory lock
// two would create the same tables and one would fail.
func TestPostgresConcurrentStarts(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	migs := append(append([]string(nil), pgMigrations...),
		"CREATE TABLE extra (x INTEGER)",
		"ALTER TABLE extra ADD COLUMN y INTEGER; INSERT INTO extra VALUES (1, 2)")
	const n = 8
	stores := make([]*Postgres, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = openPostgres(ctx, dsn, migs)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("start %d: %v", i, err)
			continue
		}
		stores[i].Close()
	}
	s := openPG(t, dsn, migs)
	var versions string
	if err := s.pool.QueryRow(ctx, "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations").Scan(&versions); err != nil {
		t.Fatal(err)
	}
	var want []string
	for v := 1; v <= len(migs); v++ {
		want = append(want, fmt.Sprint(v))
	}
	if versions != strings.Join(want, ",") {
		t.Errorf("schema_migrations holds versions %s, want %s", versions, strings.Join(want, ","))
	}
	var rows int
	s.pool.QueryRow(ctx, "SELECT COUNT(*) FROM extra").Scan(&rows)
	if rows != 1 {
		t.Errorf("the last migration ran %d times, want once", rows)
	}
}

func TestPostgresCheckFindsDamage(t *testing.T) {
	ctx := context.Background()
	s := openPG(t, pgtest.DSN(t), pgMigrations)
	for range 3 {
		if err := s.CreateRun(ctx, &Run{ScenarioRef: "builtin:tiny", Status: StatusDone, Results: []byte("{}")}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Check(ctx); err != nil {
		t.Fatalf("a healthy store: %v", err)
	}
	// an administrator resets the id sequence: new runs would take old ids
	if _, err := s.pool.Exec(ctx, "ALTER TABLE runs ALTER COLUMN id RESTART WITH 2"); err != nil {
		t.Fatal(err)
	}
	// the sequence only moves when it is used
	s.pool.Exec(ctx, "SELECT nextval(pg_get_serial_sequence('runs', 'id'))")
	err := s.Check(ctx)
	if err == nil || !strings.Contains(err.Error(), "runs: the id sequence is at 2 but id 3 is in use") {
		t.Errorf("a sequence behind the ids: %v", err)
	}
	if _, err := s.pool.Exec(ctx, "ALTER TABLE runs ALTER COLUMN id RESTART WITH 10; UPDATE runs SET finished_at = NULL WHERE id = 1"); err != nil {
		t.Fatal(err)
	}
	s.pool.Exec(ctx, "SELECT nextval(pg_get_serial_sequence('runs', 'id'))")
	err = s.Check(ctx)
	if err == nil || !strings.Contains(err.Error(), "1 runs have a finish time that does not match their status") || strings.Contains(err.Error(), "sequence") {
		t.Errorf("a done run without a finish time: %v", err)
	}
}

func TestSQLiteCheckFindsDamage(t *testing.T) {
	ctx := context.Background()
	s, err := OpenSQLite(ctx, t.TempDir()+"/c.db")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for range 3 {
		if err := s.CreateRun(ctx, &Run{ScenarioRef: "builtin:tiny", Status: StatusQueued}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Check(ctx); err != nil {
		t.Fatalf("a healthy store: %v", err)
	}
	if _, err := s.db.ExecContext(ctx, "UPDATE sqlite_sequence SET seq = 1 WHERE name = 'runs'"); err != nil {
		t.Fatal(err)
	}
	err = s.Check(ctx)
	if err == nil || !strings.Contains(err.Error(), "runs: the id counter is at 1 but id 3 is in use") {
		t.Errorf("a counter behind the ids: %v", err)
	}
	if _, err := s.db.ExecContext(ctx, "UPDATE sqlite_sequence SET seq = 3 WHERE name = 'runs'; UPDATE runs SET finished_at = ? WHERE id = 2", formatTime(now())); err != nil {
		t.Fatal(err)
	}
	err = s.Check(ctx)
	if err == nil || !strings.Contains(err.Error(), "1 runs have a finish time that does not match their status") || strings.Contains(err.Error(), "counter") {
		t.Errorf("a queued run with a finish time: %v", err)
	}
}

// TestPostgresSchemas keeps two stores in one database, each in the schema
// its DSN's search_path names.
func TestPostgresSchemas(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.DSN(t)
	pgtest.Exec(t, dsn, "CREATE SCHEMA a; CREATE SCHEMA b")
	a := openPG(t, withParam(dsn, "search_path=a"), pgMigrations)
	b := openPG(t, withParam(dsn, "search_path=b"), pgMigrations)
	if err := a.CreateScenario(ctx, &Scenario{Name: "in-a", Source: "name: in-a\n"}); err != nil {
		t.Fatal(err)
	}
	if list, err := b.ListScenarios(ctx); err != nil || len(list) != 0 {
		t.Errorf("schema b sees %v, %v; want nothing", list, err)
	}
	if list, err := a.ListScenarios(ctx); err != nil || len(list) != 1 || list[0].Name != "in-a" {
		t.Errorf("schema a holds %v, %v", list, err)
	}
	if err := b.Check(ctx); err != nil {
		t.Error(err)
	}
	if _, err := OpenPostgres(ctx, withParam(dsn, "search_path=nosuch")); err == nil || !strings.Contains(err.Error(), "creating the migrations table") {
		t.Errorf("a search_path naming no schema: %v", err)
	}
}

func TestPostgresRefusesTextItCannotKeep(t *testing.T) {
	ctx := context.Background()
	s := openPG(t, pgtest.DSN(t), pgMigrations)
	err := s.CreateScenario(ctx, &Scenario{Name: "x", Source: "name: x\n# \x00\n"})
	if err == nil || !strings.Contains(err.Error(), "the scenario's source holds a NUL character (byte 10)") {
		t.Errorf("a NUL in a source: %v", err)
	}
	err = s.CreateRun(ctx, &Run{ScenarioRef: "1", Snapshot: "name: \xff\n", Status: StatusQueued})
	if err == nil || !strings.Contains(err.Error(), "the run's snapshot is not valid UTF-8") {
		t.Errorf("invalid UTF-8 in a snapshot: %v", err)
	}
	if list, _ := s.ListRuns(ctx, 0); len(list) != 0 {
		t.Errorf("a refused run was stored: %v", list)
	}
}

func TestPostgresRefusesOtherEncodings(t *testing.T) {
	dsn := pgtest.DSNWith(t, "TEMPLATE template0 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C'")
	_, err := OpenPostgres(context.Background(), dsn)
	if err == nil || !strings.Contains(err.Error(), "the database's encoding is LATIN1; parley needs a UTF8 database") {
		t.Errorf("a LATIN1 database: %v", err)
	}
}

func withParam(dsn, kv string) string {
	if strings.Contains(dsn, "?") {
		return dsn + "&" + kv
	}
	return dsn + "?" + kv
}

func TestIsPostgresDSN(t *testing.T) {
	for in, want := range map[string]bool{
		"postgres://h/db": true, "postgresql://u@h/db": true, "POSTGRES://h/db": true, "PostgreSQL://h": true,
		"parley.db": false, "./postgres/x.db": false, "/data/postgres://x": false, "postgres:/x": false,
		"host=localhost dbname=x": false, "": false, "mysql://h/db": false,
	} {
		if got := IsPostgresDSN(in); got != want {
			t.Errorf("IsPostgresDSN(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestRedactDSN(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://ann:s3cret@db.example:5432/parley?sslmode=require": "postgres://ann:xxxxx@db.example:5432/parley?sslmode=require",
		"postgres://ann@db.example/parley":                             "postgres://ann@db.example/parley",
		"postgresql://db.example/parley?password=s3cret&user=ann":      "postgresql://db.example/parley?password=xxxxx&user=ann",
		"postgres://ann:s3cr%zzet@db.example/parley":                   "postgres://…",
		"postgres://ann:p%40ss@h/db":                                   "postgres://ann:xxxxx@h/db",
	} {
		if got := RedactDSN(in); got != want {
			t.Errorf("RedactDSN(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPostgresBadDSNs: each way of naming a database wrongly gives an error
// that says what is wrong, shows the DSN without its password, and never
// the password (which is chosen to appear nowhere else).
func TestPostgresBadDSNs(t *testing.T) {
	ctx := context.Background()
	const pw = "Tr0ub4dor-and-3"
	for _, tc := range []struct{ dsn, want string }{
		{"postgres://ann:" + pw + "%zz@localhost/db", "postgres://…: not a valid URL"},
		{"postgres://ann:" + pw + "@localhost:notaport/db", "postgres://…: not a valid URL"},
		{"postgres://ann:" + pw + "@localhost/db?sslmode=sometimes", "postgres://ann:xxxxx@localhost/db?sslmode=sometimes: not a valid PostgreSQL connection URL: failed to configure TLS (sslmode is invalid)"},
		{"postgres://ann@localhost/db?password=" + pw + "&connect_timeout=soon", "not a valid PostgreSQL connection URL: invalid connect_timeout"},
		{"postgres://ann:" + pw + "@127.0.0.1:1/db", "postgres://ann:xxxxx@127.0.0.1:1/db: cannot connect: failed to connect to `user=ann database=db`"},
		{"postgres://ann:" + pw + "@127.0.0.1:1/db", "connection refused (is the server running, and listening on that host and port?)"},
		{"postgres://ann:" + pw + "@no-such-host.invalid/db", "postgres://ann:xxxxx@no-such-host.invalid/db: cannot connect: "},
		{"sqlite:///tmp/x.db", "a PostgreSQL database is named by a postgres:// or postgresql:// URL"},
	} {
		p, err := OpenPostgres(ctx, tc.dsn)
		if err == nil {
			p.Close()
			t.Errorf("OpenPostgres(%q) succeeded", RedactDSN(tc.dsn))
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("OpenPostgres(%q):\n%v\nwant it to say %q", RedactDSN(tc.dsn), err, tc.want)
		}
		if strings.Contains(err.Error(), pw) || strings.Contains(err.Error(), "Tr0ub4dor") {
			t.Errorf("the error of OpenPostgres shows the password: %v", err)
		}
	}
}

func TestPostgresWrongPasswordAndDatabase(t *testing.T) {
	ctx := context.Background()
	admin := pgtest.Admin(t)
	const pw = "Wr0ng-passw0rd-42"
	wrong := pgtest.WithPassword(t, admin, pw)
	p, err := OpenPostgres(ctx, wrong)
	switch {
	case err == nil:
		p.Close()
		msg := "the server of " + pgtest.EnvVar + " accepted a wrong password: it does not check passwords on TCP (.ci/postgres.sh makes one that does)"
		if os.Getenv("CI") == "true" {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	case !strings.Contains(err.Error(), "password authentication failed") || !strings.Contains(err.Error(), "(check the user name and password in the URL, PGPASSWORD or ~/.pgpass)"):
		t.Errorf("a wrong password: %v", err)
	case strings.Contains(err.Error(), pw) || !strings.Contains(err.Error(), ":xxxxx@"):
		t.Errorf("the error shows the password, or not the redacted DSN: %v", err)
	}
	_, err = OpenPostgres(ctx, pgtest.WithDatabase(t, admin, "parley_no_such_database"))
	if err == nil || !strings.Contains(err.Error(), `database "parley_no_such_database" does not exist`) || !strings.Contains(err.Error(), "(create the database first") {
		t.Errorf("a database that does not exist: %v", err)
	}
}
