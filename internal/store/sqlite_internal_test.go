package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSQLiteMigrations(t *testing.T) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "m.db")
	s, err := OpenSQLite(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s.SchemaVersion(ctx); v != len(migrations) {
		t.Errorf("a new database is at version %d, want %d", v, len(migrations))
	}
	sc := &Scenario{Name: "a", Source: "name: a\n"}
	if err := s.CreateScenario(ctx, sc); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// a later build with one more migration upgrades the file in place
	next := append(append([]string(nil), migrations...), "ALTER TABLE scenarios ADD COLUMN notes TEXT NOT NULL DEFAULT ''")
	s2, err := openSQLite(ctx, p, next)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := s2.SchemaVersion(ctx); v != len(next) {
		t.Errorf("after the upgrade the version is %d, want %d", v, len(next))
	}
	var notes string
	if err := s2.db.QueryRowContext(ctx, "SELECT notes FROM scenarios WHERE id = ?", sc.ID).Scan(&notes); err != nil || notes != "" {
		t.Errorf("the new column: %q, %v", notes, err)
	}
	if got, err := s2.GetScenario(ctx, sc.ID); err != nil || got.Source != sc.Source {
		t.Errorf("the scenario did not survive the upgrade: %v, %v", got, err)
	}
	s2.Close()

	// opening it again with the upgraded list applies nothing twice
	s3, err := openSQLite(ctx, p, next)
	if err != nil {
		t.Fatalf("reopening an up-to-date database: %v", err)
	}
	var n int
	s3.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations").Scan(&n)
	if n != len(next) {
		t.Errorf("schema_migrations has %d rows, want %d", n, len(next))
	}
	s3.Close()

	// this build must refuse the newer file and leave it as it is
	_, err = OpenSQLite(ctx, p)
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("opening a newer database: %v, want ErrSchemaTooNew", err)
	}
	if want := fmt.Sprintf("schema version %d; this build knows up to %d", len(next), len(migrations)); !strings.Contains(err.Error(), want) {
		t.Errorf("message %q does not give both versions (%s)", err, want)
	}
}

func TestSQLiteFailedMigrationLeavesNothing(t *testing.T) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "bad.db")
	bad := append(append([]string(nil), migrations...), "CREATE TABLE extra (x INTEGER); THIS IS NOT SQL")
	if _, err := openSQLite(ctx, p, bad); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("migrating to schema version %d", len(migrations)+1)) {
		t.Fatalf("a broken migration: %v", err)
	}
	s, err := OpenSQLite(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(ctx); v != len(migrations) {
		t.Errorf("version %d after a failed migration, want %d", v, len(migrations))
	}
	var n int
	s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'extra'").Scan(&n)
	if n != 0 {
		t.Error("the failed migration left its table behind")
	}
}

func TestSQLiteBadPaths(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, p := range []string{"", filepath.Join(dir, "a?b.db"), "file:x.db", filepath.Join(dir, "a#b")} {
		if s, err := OpenSQLite(ctx, p); err == nil {
			s.Close()
			t.Errorf("OpenSQLite(%q) succeeded", p)
		}
	}
	// a directory where the file should be
	if err := os.Mkdir(filepath.Join(dir, "isdir.db"), 0o700); err != nil {
		t.Fatal(err)
	}
	if s, err := OpenSQLite(ctx, filepath.Join(dir, "isdir.db")); err == nil {
		s.Close()
		t.Error("OpenSQLite of a directory succeeded")
	}
	// a file that is not a database
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte(strings.Repeat("not a database ", 100)), 0o600)
	if s, err := OpenSQLite(ctx, junk); err == nil {
		s.Close()
		t.Error("OpenSQLite of a text file succeeded")
	}
}

func TestDefaultPath(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	tests := []struct {
		goos string
		env  func(string) string
		want string
	}{
		{"linux", env("HOME", "/home/ann"), "/home/ann/.local/share/parley/parley.db"},
		{"linux", env("HOME", "/home/ann", "XDG_DATA_HOME", "/data"), "/data/parley/parley.db"},
		{"linux", env("HOME", "/home/ann", "XDG_DATA_HOME", "relative"), "/home/ann/.local/share/parley/parley.db"},
		{"freebsd", env("HOME", "/usr/home/b"), "/usr/home/b/.local/share/parley/parley.db"},
		{"darwin", env("HOME", "/Users/c"), "/Users/c/Library/Application Support/parley/parley.db"},
		{"windows", env("LocalAppData", "/w/local", "AppData", "/w/roaming"), "/w/local/parley/parley.db"},
		{"windows", env("AppData", "/w/roaming"), "/w/roaming/parley/parley.db"},
	}
	for _, tc := range tests {
		got, err := DefaultPath(tc.goos, tc.env)
		if err != nil || filepath.ToSlash(got) != tc.want {
			t.Errorf("DefaultPath(%s) = %q, %v; want %q", tc.goos, got, err, tc.want)
		}
	}
	for _, goos := range []string{"linux", "darwin", "windows"} {
		if p, err := DefaultPath(goos, env()); err == nil || !strings.Contains(err.Error(), "--db") {
			t.Errorf("DefaultPath(%s) with no environment = %q, %v; want an error pointing to --db", goos, p, err)
		}
	}
}

// TestSQLiteRunListReadsOnlyTheIndex checks that listing runs never reads
// the rows, whose snapshots and results make it slow, and that a file at
// version 1 with runs in it moves to version 2 with its runs intact.
func TestSQLiteRunListReadsOnlyTheIndex(t *testing.T) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "v1.db")
	s1, err := openSQLite(ctx, p, migrations[:1])
	if err != nil {
		t.Fatal(err)
	}
	r := &Run{ScenarioRef: "builtin:korea", ScenarioName: "korea", Snapshot: strings.Repeat("x", 50000), Seed: 7, Runs: 10, Version: "test", Status: StatusDone, Results: []byte(strings.Repeat("{}", 60000))}
	if err := s1.CreateRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	s1.Close()

	s, err := OpenSQLite(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+listRunsQuery, 50)
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	rows.Close()
	if len(plan) != 1 || plan[0] != "SCAN runs USING COVERING INDEX runs_list" {
		t.Errorf("the run list's query plan is %q, want one scan of the covering index runs_list", plan)
	}
	list, err := s.ListRuns(ctx, 0)
	if err != nil || len(list) != 1 || list[0].ID != r.ID || list[0].Status != StatusDone || list[0].Seed != 7 || !list[0].Finished.Equal(r.Finished) {
		t.Fatalf("after the upgrade ListRuns = %+v, %v; want the run made at version 1", list, err)
	}
	got, err := s.GetRun(ctx, r.ID)
	if err != nil || got.Snapshot != r.Snapshot || string(got.Results) != string(r.Results) {
		t.Errorf("after the upgrade the run's snapshot or results changed (%v)", err)
	}
	if err := s.Check(ctx); err != nil {
		t.Error(err)
	}
}
