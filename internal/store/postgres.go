package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Postgres is the [Store] kept in a PostgreSQL database, through pgx's
// connection pool (pgxpool). Its tables live in the first schema of the
// connection's search_path (public unless the DSN says otherwise, e.g.
// ?search_path=parley), so one database can hold several stores.
type Postgres struct {
	pool *pgxpool.Pool
	dsn  string // redacted, for messages
}

var _ Store = (*Postgres)(nil)

// pgMigrations are the PostgreSQL schema's versions, numbered as SQLite's
// (version 1 here holds what version 1 there holds): pgMigrations[i] takes
// the schema from version i to i+1. Append new versions; never edit old ones.
var pgMigrations = []string{
	// 1: scenarios and runs. Identity columns never give an id twice, even
	// after the row that had it is deleted. Seeds are unsigned 64-bit, which
	// only NUMERIC holds.
	`CREATE TABLE scenarios (
		id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		name       TEXT NOT NULL,
		title      TEXT NOT NULL DEFAULT '',
		source     TEXT NOT NULL,
		created_at TIMESTAMPTZ NOT NULL,
		updated_at TIMESTAMPTZ NOT NULL
	);
	CREATE TABLE runs (
		id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		scenario_ref  TEXT NOT NULL,
		scenario_name TEXT NOT NULL,
		snapshot      TEXT NOT NULL,
		seed          NUMERIC(20, 0) NOT NULL CHECK (seed >= 0 AND seed <= 18446744073709551615),
		runs          BIGINT NOT NULL,
		version       TEXT NOT NULL,
		status        TEXT NOT NULL,
		error         TEXT NOT NULL DEFAULT '',
		results       TEXT,
		created_at    TIMESTAMPTZ NOT NULL,
		finished_at   TIMESTAMPTZ
	);
	CREATE INDEX runs_by_created ON runs (created_at DESC, id DESC);
	CREATE INDEX runs_by_status ON runs (status);`,
	// 2: the run list reads only an index, as in SQLite's version 2
	// (PostgreSQL keeps large values out of line, so here it saves only
	// the visits to the table).
	`DROP INDEX runs_by_created;
	CREATE INDEX runs_list ON runs (created_at DESC, id DESC) INCLUDE (scenario_ref, scenario_name, seed, runs, version, status, error, finished_at);`,
}

// migrationLock is the key of the transaction-scoped advisory lock every
// migration step holds, so that servers starting at once against the same
// database take turns ("parley" in ASCII).
const migrationLock int64 = 0x7061726c6579

// defaultConnectTimeout bounds a connection attempt when the DSN sets no
// connect_timeout, so that an unreachable server gives an error, not a hang.
const defaultConnectTimeout = 10 * time.Second

// IsPostgresDSN reports whether db names a PostgreSQL database (a
// postgres:// or postgresql:// URL) rather than a SQLite file.
func IsPostgresDSN(db string) bool {
	i := strings.Index(db, "://")
	if i < 0 {
		return false
	}
	scheme := strings.ToLower(db[:i])
	return scheme == "postgres" || scheme == "postgresql"
}

// RedactDSN returns dsn fit to show: its password, in the user information
// or in a password parameter, is replaced by xxxxx. A dsn that does not
// parse as a URL is shown as its scheme and "://…" only.
func RedactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		if i := strings.Index(dsn, "://"); i >= 0 {
			return dsn[:i] + "://…"
		}
		return "…"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// secrets returns the passwords in dsn, longest first, so that scrub
// removes a password before any shorter one inside it.
func secrets(u *url.URL) []string {
	var out []string
	if p, has := u.User.Password(); has && p != "" {
		out = append(out, p)
	}
	for _, p := range u.Query()["password"] {
		if p != "" {
			out = append(out, p)
		}
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if len(out[j]) > len(out[i]) {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// scrubbed is an error whose text has had the passwords taken out; it still
// wraps the original, so that errors.Is and errors.As see through it.
type scrubbed struct {
	msg string
	err error
}

func (e *scrubbed) Error() string { return e.msg }
func (e *scrubbed) Unwrap() error { return e.err }

func scrub(err error, pws []string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	for _, p := range pws {
		msg = strings.ReplaceAll(msg, p, "xxxxx")
	}
	return &scrubbed{msg: msg, err: err}
}

// OpenPostgres connects to the PostgreSQL database dsn names (a
// postgres:// or postgresql:// URL, with any of libpq's parameters and
// pgxpool's pool_* ones; PGPASSWORD and ~/.pgpass are read as libpq reads
// them) and brings its schema up to date. A database written by a newer
// parley gives ErrSchemaTooNew. Errors show the DSN with its password
// replaced by xxxxx, and never the password.
func OpenPostgres(ctx context.Context, dsn string) (*Postgres, error) {
	return openPostgres(ctx, dsn, pgMigrations)
}

func openPostgres(ctx context.Context, dsn string, migs []string) (*Postgres, error) {
	if !IsPostgresDSN(dsn) {
		return nil, errors.New("a PostgreSQL database is named by a postgres:// or postgresql:// URL")
	}
	shown := RedactDSN(dsn)
	u, err := url.Parse(dsn)
	if err != nil {
		// url's messages quote the text, which may hold the password
		return nil, fmt.Errorf("%s: not a valid URL; write postgres://USER:PASSWORD@HOST:PORT/DATABASE?PARAMS, "+
			"with any @ : / ? # %% in the user name or password percent-encoded (@ as %%40)", shown)
	}
	// pgx wants the scheme in lower case
	u.Scheme = strings.ToLower(u.Scheme)
	pws := secrets(u)
	fail := func(format string, err error) error {
		return fmt.Errorf("%s: "+format, shown, scrub(err, pws))
	}
	cfg, err := pgxpool.ParseConfig(u.String())
	if err != nil {
		// drop pgx's "cannot parse `DSN`: " (the DSN is said already)
		msg := err.Error()
		if i := strings.Index(msg, "`: "); strings.HasPrefix(msg, "cannot parse `") && i > 0 {
			msg = msg[i+3:]
		}
		return nil, fail("not a valid PostgreSQL connection URL: %w", &scrubbed{msg: msg, err: err})
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = defaultConnectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fail("%w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fail("cannot connect: %w"+connectHint(err), err)
	}
	p := &Postgres{pool: pool, dsn: shown}
	if err := p.checkEncoding(ctx); err != nil {
		pool.Close()
		return nil, fail("%w", err)
	}
	if err := p.migrate(ctx, migs); err != nil {
		pool.Close()
		return nil, fail("%w", err)
	}
	return p, nil
}

// connectHint adds what to look at for the common ways a connection fails.
func connectHint(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "28P01", "28000":
			return " (check the user name and password in the URL, PGPASSWORD or ~/.pgpass)"
		case "3D000":
			return " (create the database first, e.g. createdb, or name one that exists)"
		}
		return ""
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "connection refused"):
		return " (is the server running, and listening on that host and port?)"
	case strings.Contains(msg, "no such host"):
		return " (the host name is not known)"
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(msg, "timeout"):
		return " (the server did not answer in time; connect_timeout=SECONDS in the URL sets how long to wait)"
	}
	return ""
}

// checkEncoding refuses a database whose text encoding cannot hold every
// scenario: the server would otherwise convert, or refuse, text outside it.
func (p *Postgres) checkEncoding(ctx context.Context) error {
	var enc string
	if err := p.pool.QueryRow(ctx, "SHOW server_encoding").Scan(&enc); err != nil {
		return err
	}
	switch strings.ToUpper(enc) {
	case "UTF8", "SQL_ASCII":
		return nil
	}
	return fmt.Errorf("the database's encoding is %s; parley needs a UTF8 database (CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0)", enc)
}

// DSN returns the DSN the store was opened with, its password replaced by xxxxx.
func (p *Postgres) DSN() string { return p.dsn }

// Close closes the pool, waiting for connections in use to be returned.
func (p *Postgres) Close() error {
	p.pool.Close()
	return nil
}

// migrate applies the migrations not yet applied, each in a transaction of
// its own that holds the migration lock, rechecks the version under it, and
// records the version it reaches in schema_migrations.
func (p *Postgres) migrate(ctx context.Context, migs []string) error {
	for {
		done, err := p.migrateOne(ctx, migs)
		if err != nil || done {
			return err
		}
	}
}

func (p *Postgres) migrateOne(ctx context.Context, migs []string) (done bool, err error) {
	tx, err := p.pool.Begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback(ctx) // does nothing after a commit
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLock); err != nil {
		return false, fmt.Errorf("taking the migration lock: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at TIMESTAMPTZ NOT NULL
	)`); err != nil {
		return false, fmt.Errorf("creating the migrations table: %w", err)
	}
	var v int
	if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v); err != nil {
		return false, err
	}
	if v > len(migs) {
		return false, fmt.Errorf("%w (schema version %d; this build knows up to %d)", ErrSchemaTooNew, v, len(migs))
	}
	if v == len(migs) {
		return true, tx.Commit(ctx)
	}
	if _, err := tx.Exec(ctx, migs[v]); err != nil {
		return false, fmt.Errorf("migrating to schema version %d: %w", v+1, err)
	}
	if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", v+1, now()); err != nil {
		return false, err
	}
	if err := tx.Commit(ctx); err != nil {
		return false, fmt.Errorf("migrating to schema version %d: %w", v+1, err)
	}
	return false, nil
}

// SchemaVersion returns the highest migration applied.
func (p *Postgres) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := p.pool.QueryRow(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}

// Check runs sanity queries: the schema is at this build's version, every
// row of both tables can be read in full, no index is left invalid by an
// interrupted build, the identity sequences are past every id in use (so
// no id can be given twice), and each run's finish time is set exactly when
// its status is final. It returns an error listing what is wrong.
func (p *Postgres) Check(ctx context.Context) error {
	var problems []string
	v, err := p.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if v != len(pgMigrations) {
		problems = append(problems, fmt.Sprintf("the schema is at version %d, want %d", v, len(pgMigrations)))
	}
	for _, tc := range []struct{ table, read string }{
		{"scenarios", "SUM(length(name) + length(title) + length(source))"},
		{"runs", "SUM(length(scenario_ref) + length(snapshot) + length(seed::text) + COALESCE(length(results), 0))"},
	} {
		var maxID, last int64
		var n int
		var chars *int64
		err := p.pool.QueryRow(ctx, `SELECT COUNT(*), COALESCE(MAX(id), 0), `+tc.read+`,
			COALESCE(pg_sequence_last_value(pg_get_serial_sequence($1, 'id')::regclass), 0)
			FROM `+tc.table, tc.table).Scan(&n, &maxID, &chars, &last)
		if err != nil {
			problems = append(problems, fmt.Sprintf("reading %s: %v", tc.table, err))
			continue
		}
		if maxID > last {
			problems = append(problems, fmt.Sprintf("%s: the id sequence is at %d but id %d is in use, so ids would be given twice", tc.table, last, maxID))
		}
	}
	rows, err := p.pool.Query(ctx, `SELECT c.relname FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid
		JOIN pg_class t ON t.oid = i.indrelid
		WHERE t.relnamespace = current_schema()::regnamespace
		  AND t.relname IN ('scenarios', 'runs', 'schema_migrations')
		  AND NOT (i.indisvalid AND i.indisready)
		ORDER BY 1`)
	if err != nil {
		return err
	}
	bad, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, name := range bad {
		problems = append(problems, fmt.Sprintf("index %s is invalid (REINDEX INDEX %s)", name, name))
	}
	var odd int
	if err := p.pool.QueryRow(ctx, unfinishedMismatch).Scan(&odd); err != nil {
		return err
	}
	if odd > 0 {
		problems = append(problems, fmt.Sprintf("%d runs have a finish time that does not match their status", odd))
	}
	if len(problems) > 0 {
		return fmt.Errorf("check of %s failed:\n%s", p.dsn, strings.Join(problems, "\n"))
	}
	return nil
}

// unfinishedMismatch counts the runs whose finish time is set while they
// are queued or running, or missing when they are over (SQLite and
// PostgreSQL alike).
const unfinishedMismatch = `SELECT COUNT(*) FROM runs
	WHERE (finished_at IS NULL) <> (status IN ('` + StatusQueued + `', '` + StatusRunning + `'))`

// textOK returns an error naming field when s is text PostgreSQL cannot
// store: not UTF-8, or holding a NUL character.
func textOK(field, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("the %s is not valid UTF-8 text", field)
	}
	if i := strings.IndexByte(s, 0); i >= 0 {
		return fmt.Errorf("the %s holds a NUL character (byte %d), which PostgreSQL cannot store in text", field, i)
	}
	return nil
}

func textsOK(kv ...string) error {
	for i := 0; i+1 < len(kv); i += 2 {
		if err := textOK(kv[i], kv[i+1]); err != nil {
			return err
		}
	}
	return nil
}

func utc(t time.Time) time.Time { return t.UTC() }

func (p *Postgres) ListScenarios(ctx context.Context) ([]Scenario, error) {
	rows, err := p.pool.Query(ctx, "SELECT id, name, title, created_at, updated_at FROM scenarios ORDER BY updated_at DESC, id DESC")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Scenario{}
	for rows.Next() {
		var sc Scenario
		if err := rows.Scan(&sc.ID, &sc.Name, &sc.Title, &sc.Created, &sc.Updated); err != nil {
			return nil, err
		}
		sc.Created, sc.Updated = utc(sc.Created), utc(sc.Updated)
		out = append(out, sc)
	}
	return out, rows.Err()
}

func (p *Postgres) GetScenario(ctx context.Context, id int64) (*Scenario, error) {
	var sc Scenario
	err := p.pool.QueryRow(ctx, "SELECT id, name, title, source, created_at, updated_at FROM scenarios WHERE id = $1", id).
		Scan(&sc.ID, &sc.Name, &sc.Title, &sc.Source, &sc.Created, &sc.Updated)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	sc.Created, sc.Updated = utc(sc.Created), utc(sc.Updated)
	return &sc, nil
}

func (p *Postgres) CreateScenario(ctx context.Context, sc *Scenario) error {
	if err := textsOK("scenario's name", sc.Name, "scenario's title", sc.Title, "scenario's source", sc.Source); err != nil {
		return err
	}
	t := now()
	var id int64
	err := p.pool.QueryRow(ctx, "INSERT INTO scenarios (name, title, source, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
		sc.Name, sc.Title, sc.Source, t).Scan(&id)
	if err != nil {
		return err
	}
	sc.ID, sc.Created, sc.Updated = id, t, t
	return nil
}

func (p *Postgres) UpdateScenario(ctx context.Context, sc *Scenario) error {
	if err := textsOK("scenario's name", sc.Name, "scenario's title", sc.Title, "scenario's source", sc.Source); err != nil {
		return err
	}
	t := now()
	var created time.Time
	err := p.pool.QueryRow(ctx, "UPDATE scenarios SET name = $1, title = $2, source = $3, updated_at = $4 WHERE id = $5 RETURNING created_at",
		sc.Name, sc.Title, sc.Source, t, sc.ID).Scan(&created)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	sc.Created, sc.Updated = utc(created), t
	return nil
}

func (p *Postgres) DeleteScenario(ctx context.Context, id int64) error {
	return p.deleteByID(ctx, "DELETE FROM scenarios WHERE id = $1", id)
}

func (p *Postgres) deleteByID(ctx context.Context, q string, id int64) error {
	tag, err := p.pool.Exec(ctx, q, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// nullText is s as a parameter, or NULL for nil.
func nullText(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

func (p *Postgres) CreateRun(ctx context.Context, r *Run) error {
	if r.Status == "" {
		return errors.New("a run needs a status")
	}
	if err := textsOK("run's scenario reference", r.ScenarioRef, "run's scenario name", r.ScenarioName, "run's snapshot", r.Snapshot,
		"run's version", r.Version, "run's status", r.Status, "run's error", r.Error, "run's results", string(r.Results)); err != nil {
		return err
	}
	t := now()
	var fin *time.Time
	if Finished(r.Status) {
		fin = &t
	}
	var id int64
	err := p.pool.QueryRow(ctx, `INSERT INTO runs (scenario_ref, scenario_name, snapshot, seed, runs, version, status, error, results, created_at, finished_at)
		VALUES ($1, $2, $3, $4::text::numeric, $5, $6, $7, $8, $9::text, $10, $11) RETURNING id`,
		r.ScenarioRef, r.ScenarioName, r.Snapshot, strconv.FormatUint(r.Seed, 10), int64(r.Runs), r.Version, r.Status, r.Error,
		nullText(r.Results), t, fin).Scan(&id)
	if err != nil {
		return err
	}
	r.ID, r.Created = id, t
	if fin != nil {
		r.Finished = t
	}
	return nil
}

func (p *Postgres) SetRunStatus(ctx context.Context, id int64, status string, results []byte, errMsg string) error {
	if status == "" {
		return errors.New("a run needs a status")
	}
	if err := textsOK("run's status", status, "run's error", errMsg, "run's results", string(results)); err != nil {
		return err
	}
	var fin *time.Time
	if Finished(status) {
		t := now()
		fin = &t
	}
	tag, err := p.pool.Exec(ctx, "UPDATE runs SET status = $1, results = $2::text, error = $3, finished_at = $4 WHERE id = $5",
		status, nullText(results), errMsg, fin, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

const pgRunColumns = "id, scenario_ref, scenario_name, seed::text, runs, version, status, error, created_at, finished_at"

func pgScanRun(sc pgx.Row, r *Run, extra ...any) error {
	var seed string
	var runs int64
	var fin *time.Time
	dest := append([]any{&r.ID, &r.ScenarioRef, &r.ScenarioName, &seed, &runs, &r.Version, &r.Status, &r.Error, &r.Created, &fin}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return err
	}
	var err error
	if r.Seed, err = strconv.ParseUint(seed, 10, 64); err != nil {
		return fmt.Errorf("bad seed %q in the database", seed)
	}
	r.Runs = int(runs)
	r.Created = utc(r.Created)
	if fin != nil {
		r.Finished = utc(*fin)
	}
	return nil
}

func (p *Postgres) GetRun(ctx context.Context, id int64) (*Run, error) {
	var r Run
	var results *string
	row := p.pool.QueryRow(ctx, "SELECT "+pgRunColumns+", snapshot, results FROM runs WHERE id = $1", id)
	err := pgScanRun(row, &r, &r.Snapshot, &results)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	if results != nil {
		r.Results = []byte(*results)
	}
	return &r, nil
}

func (p *Postgres) ListRuns(ctx context.Context, limit int) ([]Run, error) {
	var lim any // NULL: no limit
	if limit > 0 {
		lim = int64(limit)
	}
	rows, err := p.pool.Query(ctx, "SELECT "+pgRunColumns+" FROM runs ORDER BY created_at DESC, id DESC LIMIT $1", lim)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Run{}
	for rows.Next() {
		var r Run
		if err := pgScanRun(rows, &r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (p *Postgres) DeleteRun(ctx context.Context, id int64) error {
	return p.deleteByID(ctx, "DELETE FROM runs WHERE id = $1", id)
}

func (p *Postgres) InterruptRuns(ctx context.Context) (int, error) {
	tag, err := p.pool.Exec(ctx, "UPDATE runs SET status = $1, finished_at = $2 WHERE status IN ($3, $4)",
		StatusInterrupted, now(), StatusQueued, StatusRunning)
	if err != nil {
		return 0, err
	}
	return int(tag.RowsAffected()), nil
}
