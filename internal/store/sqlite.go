package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// SQLite is the [Store] kept in one SQLite file, through modernc.org/sqlite
// (pure Go, no cgo). The file is in WAL mode, so readers never wait for the
// writer; writers wait for each other up to five seconds.
type SQLite struct {
	db   *sql.DB
	path string
}

var _ Store = (*SQLite)(nil)

// migrations are the schema's versions: migrations[i] takes the schema from
// version i to i+1, and is applied once, in a transaction, with its version
// recorded in schema_migrations. Append new versions; never edit old ones.
var migrations = []string{
	// 1: scenarios and runs.
	`CREATE TABLE scenarios (
		id         INTEGER PRIMARY KEY AUTOINCREMENT,
		name       TEXT NOT NULL,
		title      TEXT NOT NULL DEFAULT '',
		source     TEXT NOT NULL,
		created_at TEXT NOT NULL,
		updated_at TEXT NOT NULL
	);
	CREATE TABLE runs (
		id            INTEGER PRIMARY KEY AUTOINCREMENT,
		scenario_ref  TEXT NOT NULL,
		scenario_name TEXT NOT NULL,
		snapshot      TEXT NOT NULL,
		seed          TEXT NOT NULL,
		runs          INTEGER NOT NULL,
		version       TEXT NOT NULL,
		status        TEXT NOT NULL,
		error         TEXT NOT NULL DEFAULT '',
		results       TEXT,
		created_at    TEXT NOT NULL,
		finished_at   TEXT
	);
	CREATE INDEX runs_by_created ON runs (created_at DESC, id DESC);
	CREATE INDEX runs_by_status ON runs (status);`,
	// 2: the run list reads only an index. A row keeps its columns in
	// order, and the snapshot and results come before the finish time, so
	// listing runs from the table walked every run's results (about 10 ms
	// for 50 runs of 120 kB); an index holding every listed column answers
	// the same query without touching the rows.
	`DROP INDEX runs_by_created;
	CREATE INDEX runs_list ON runs (created_at DESC, id DESC, scenario_ref, scenario_name, seed, runs, version, status, error, finished_at);`,
}

// OpenSQLite opens (creating it and its directory if needed) the SQLite
// database at path and brings its schema up to date. A database written by a
// newer parley gives ErrSchemaTooNew.
func OpenSQLite(ctx context.Context, path string) (*SQLite, error) {
	return openSQLite(ctx, path, migrations)
}

func openSQLite(ctx context.Context, path string, migs []string) (*SQLite, error) {
	if path == "" {
		return nil, errors.New("no database file given")
	}
	if strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("database path %q: a file name may not contain '?' or '#' or start with 'file:'", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("creating the directory of the database: %w", err)
		}
	}
	dsn := path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	s := &SQLite{db: db, path: path}
	if err := s.migrate(ctx, migs); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return s, nil
}

// Path returns the file the store is kept in.
func (s *SQLite) Path() string { return s.path }

// Close closes the database.
func (s *SQLite) Close() error { return s.db.Close() }

// IntegrityCheck runs SQLite's integrity check and returns an error that
// lists the problems it reports, if any.
func (s *SQLite) IntegrityCheck(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check failed:\n%s", strings.Join(problems, "\n"))
	}
	return nil
}

// Check runs SQLite's integrity check, then the sanity checks the
// PostgreSQL store runs too: the AUTOINCREMENT counters are past every id in
// use (so no id can be given twice), and each run's finish time is set
// exactly when its status is final.
func (s *SQLite) Check(ctx context.Context) error {
	if err := s.IntegrityCheck(ctx); err != nil {
		return err
	}
	var problems []string
	for _, table := range []string{"scenarios", "runs"} {
		var maxID, seq int64
		err := s.db.QueryRowContext(ctx, "SELECT COALESCE((SELECT MAX(id) FROM "+table+"), 0), COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0)", table).
			Scan(&maxID, &seq)
		if err != nil {
			return err
		}
		if maxID > seq {
			problems = append(problems, fmt.Sprintf("%s: the id counter is at %d but id %d is in use, so ids would be given twice", table, seq, maxID))
		}
	}
	var odd int
	if err := s.db.QueryRowContext(ctx, unfinishedMismatch).Scan(&odd); err != nil {
		return err
	}
	if odd > 0 {
		problems = append(problems, fmt.Sprintf("%d runs have a finish time that does not match their status", odd))
	}
	if len(problems) > 0 {
		return fmt.Errorf("check of %s failed:\n%s", s.path, strings.Join(problems, "\n"))
	}
	return nil
}

func (s *SQLite) migrate(ctx context.Context, migs []string) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL
	)`); err != nil {
		return fmt.Errorf("creating the migrations table: %w", err)
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if v > len(migs) {
		return fmt.Errorf("%w (schema version %d; this build knows up to %d)", ErrSchemaTooNew, v, len(migs))
	}
	for i := v; i < len(migs); i++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		// another process may have migrated since we looked
		var cur int
		if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&cur); err != nil {
			tx.Rollback()
			return err
		}
		if cur > i {
			tx.Rollback()
			continue
		}
		if _, err := tx.ExecContext(ctx, migs[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrating to schema version %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", i+1, formatTime(now())); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrating to schema version %d: %w", i+1, err)
		}
	}
	return nil
}

// SchemaVersion returns the highest migration applied.
func (s *SQLite) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}

// timeLayout has a fixed width, so that the text sorts as the time does.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad time %q in the database: %w", s, err)
	}
	return t, nil
}

func (s *SQLite) ListScenarios(ctx context.Context) ([]Scenario, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, name, title, created_at, updated_at FROM scenarios ORDER BY updated_at DESC, id DESC")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Scenario{}
	for rows.Next() {
		var sc Scenario
		var c, u string
		if err := rows.Scan(&sc.ID, &sc.Name, &sc.Title, &c, &u); err != nil {
			return nil, err
		}
		if sc.Created, err = parseTime(c); err != nil {
			return nil, err
		}
		if sc.Updated, err = parseTime(u); err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, rows.Err()
}

func (s *SQLite) GetScenario(ctx context.Context, id int64) (*Scenario, error) {
	var sc Scenario
	var c, u string
	err := s.db.QueryRowContext(ctx, "SELECT id, name, title, source, created_at, updated_at FROM scenarios WHERE id = ?", id).
		Scan(&sc.ID, &sc.Name, &sc.Title, &sc.Source, &c, &u)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if sc.Created, err = parseTime(c); err != nil {
		return nil, err
	}
	if sc.Updated, err = parseTime(u); err != nil {
		return nil, err
	}
	return &sc, nil
}

func (s *SQLite) CreateScenario(ctx context.Context, sc *Scenario) error {
	t := now()
	res, err := s.db.ExecContext(ctx, "INSERT INTO scenarios (name, title, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
		sc.Name, sc.Title, sc.Source, formatTime(t), formatTime(t))
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	sc.ID, sc.Created, sc.Updated = id, t, t
	return nil
}

func (s *SQLite) UpdateScenario(ctx context.Context, sc *Scenario) error {
	t := now()
	var c string
	err := s.db.QueryRowContext(ctx, "UPDATE scenarios SET name = ?, title = ?, source = ?, updated_at = ? WHERE id = ? RETURNING created_at",
		sc.Name, sc.Title, sc.Source, formatTime(t), sc.ID).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if sc.Created, err = parseTime(c); err != nil {
		return err
	}
	sc.Updated = t
	return nil
}

func (s *SQLite) DeleteScenario(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "DELETE FROM scenarios WHERE id = ?", id)
}

func (s *SQLite) deleteByID(ctx context.Context, q string, id int64) error {
	res, err := s.db.ExecContext(ctx, q, id)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

func (s *SQLite) CreateRun(ctx context.Context, r *Run) error {
	if r.Status == "" {
		return errors.New("a run needs a status")
	}
	t := now()
	var fin any
	if Finished(r.Status) {
		fin = formatTime(t)
	}
	var results any
	if r.Results != nil {
		results = string(r.Results)
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO runs (scenario_ref, scenario_name, snapshot, seed, runs, version, status, error, results, created_at, finished_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ScenarioRef, r.ScenarioName, r.Snapshot, strconv.FormatUint(r.Seed, 10), r.Runs, r.Version, r.Status, r.Error, results, formatTime(t), fin)
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	r.ID, r.Created = id, t
	if fin != nil {
		r.Finished = t
	}
	return nil
}

func (s *SQLite) SetRunStatus(ctx context.Context, id int64, status string, results []byte, errMsg string) error {
	if status == "" {
		return errors.New("a run needs a status")
	}
	var fin, res any
	if Finished(status) {
		fin = formatTime(now())
	}
	if results != nil {
		res = string(results)
	}
	r, err := s.db.ExecContext(ctx, "UPDATE runs SET status = ?, results = ?, error = ?, finished_at = ? WHERE id = ?", status, res, errMsg, fin, id)
	if err != nil {
		return err
	}
	n, err := r.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

const runColumns = "id, scenario_ref, scenario_name, seed, runs, version, status, error, created_at, finished_at"

type scanner interface{ Scan(...any) error }

func scanRun(sc scanner, r *Run, extra ...any) error {
	var seed, created string
	var fin sql.NullString
	dest := append([]any{&r.ID, &r.ScenarioRef, &r.ScenarioName, &seed, &r.Runs, &r.Version, &r.Status, &r.Error, &created, &fin}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return err
	}
	var err error
	if r.Seed, err = strconv.ParseUint(seed, 10, 64); err != nil {
		return fmt.Errorf("bad seed %q in the database", seed)
	}
	if r.Created, err = parseTime(created); err != nil {
		return err
	}
	if fin.Valid {
		if r.Finished, err = parseTime(fin.String); err != nil {
			return err
		}
	}
	return nil
}

func (s *SQLite) GetRun(ctx context.Context, id int64) (*Run, error) {
	var r Run
	var results sql.NullString
	row := s.db.QueryRowContext(ctx, "SELECT "+runColumns+", snapshot, results FROM runs WHERE id = ?", id)
	err := scanRun(row, &r, &r.Snapshot, &results)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if results.Valid {
		r.Results = []byte(results.String)
	}
	return &r, nil
}

// listRunsQuery lists runs newest first from the index runs_list alone.
const listRunsQuery = "SELECT " + runColumns + " FROM runs ORDER BY created_at DESC, id DESC LIMIT ?"

func (s *SQLite) ListRuns(ctx context.Context, limit int) ([]Run, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := s.db.QueryContext(ctx, listRunsQuery, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Run{}
	for rows.Next() {
		var r Run
		if err := scanRun(rows, &r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *SQLite) DeleteRun(ctx context.Context, id int64) error {
	return s.deleteByID(ctx, "DELETE FROM runs WHERE id = ?", id)
}

func (s *SQLite) InterruptRuns(ctx context.Context) (int, error) {
	res, err := s.db.ExecContext(ctx, "UPDATE runs SET status = ?, finished_at = ? WHERE status IN (?, ?)",
		StatusInterrupted, formatTime(now()), StatusQueued, StatusRunning)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
