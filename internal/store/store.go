// Package store keeps the web app's data — the user's scenarios and every saved run — behind one interface, with SQLite as the default implementation and PostgreSQL as the other.
package store

import (
	"context"
	"errors"
	"time"
)

// Errors callers must handle.
var (
	// ErrNotFound: no scenario or run has the id asked for.
	ErrNotFound = errors.New("not found")
	// ErrSchemaTooNew: the database was written by a newer parley whose
	// schema this build does not know; it is left untouched.
	ErrSchemaTooNew = errors.New("the database was written by a newer version of parley")
)

// Run statuses.
const (
	StatusQueued      = "queued"      // waiting for a free simulation slot
	StatusRunning     = "running"     // simulating
	StatusDone        = "done"        // finished; Results holds the comparison
	StatusCancelled   = "cancelled"   // stopped by the user
	StatusFailed      = "failed"      // stopped by an error (Error says which)
	StatusInterrupted = "interrupted" // the server stopped while it was queued or running
)

// Scenario is a scenario file the user keeps in the store.
type Scenario struct {
	ID int64
	// Name and Title are copied from the YAML when it is saved, for lists.
	Name  string
	Title string
	// Source is the YAML text exactly as the user wrote it. Lists leave it empty.
	Source  string
	Created time.Time
	Updated time.Time
}

// Run is one comparison the web app ran and saved, with everything needed
// to reproduce it.
type Run struct {
	ID int64
	// ScenarioRef says where the scenario came from: "builtin:NAME" or the
	// id of a stored scenario. The scenario may since have changed or gone;
	// Snapshot is the YAML that was run.
	ScenarioRef  string
	ScenarioName string
	// Snapshot is the scenario's YAML as it was run. Lists leave it empty.
	Snapshot string
	Seed     uint64
	Runs     int
	// Version is the parley version that ran it.
	Version string
	Status  string
	// Error says why a failed run failed.
	Error string
	// Results is the comparison as JSON (report.Comparison), set when the run
	// is done. Lists leave it empty.
	Results  []byte
	Created  time.Time
	Finished time.Time // zero until the run ends
}

// Store keeps scenarios and runs. Every method is safe for concurrent use.
// Times are stored in UTC with microsecond precision. Ids are never reused,
// so that the permanent URL of a deleted run cannot come to show another.
type Store interface {
	// ListScenarios returns the stored scenarios without their sources,
	// the most recently updated first.
	ListScenarios(ctx context.Context) ([]Scenario, error)
	// GetScenario returns a scenario with its source, or ErrNotFound.
	GetScenario(ctx context.Context, id int64) (*Scenario, error)
	// CreateScenario stores s as a new scenario and sets its ID, Created and Updated.
	CreateScenario(ctx context.Context, s *Scenario) error
	// UpdateScenario replaces the name, title and source of scenario s.ID and
	// sets s.Updated (and s.Created from the store), or returns ErrNotFound.
	UpdateScenario(ctx context.Context, s *Scenario) error
	// DeleteScenario removes a scenario, or returns ErrNotFound. Runs of it
	// keep their snapshot.
	DeleteScenario(ctx context.Context, id int64) error

	// CreateRun stores r as a new run and sets its ID and Created.
	CreateRun(ctx context.Context, r *Run) error
	// SetRunStatus moves run id to a new status; results and errMsg are
	// stored with it. A status other than queued and running also sets the
	// finish time. It returns ErrNotFound for an unknown id.
	SetRunStatus(ctx context.Context, id int64, status string, results []byte, errMsg string) error
	// GetRun returns a run with its snapshot and results, or ErrNotFound.
	GetRun(ctx context.Context, id int64) (*Run, error)
	// ListRuns returns up to limit runs (all when limit ≤ 0) without
	// snapshots or results, the newest first.
	ListRuns(ctx context.Context, limit int) ([]Run, error)
	// DeleteRun removes a run, or returns ErrNotFound.
	DeleteRun(ctx context.Context, id int64) error
	// InterruptRuns marks every queued or running run as interrupted and
	// returns how many there were; a server calls it when it starts, since
	// no run of an earlier process can still be going.
	InterruptRuns(ctx context.Context) (int, error)

	// SchemaVersion returns the version of the schema the store is at.
	SchemaVersion(ctx context.Context) (int, error)
	// Check looks the database over and returns an error listing any
	// damage or inconsistency it finds: SQLite's integrity check, or
	// PostgreSQL sanity queries; both check that no id can be given twice
	// and that each run's finish time agrees with its status.
	Check(ctx context.Context) error
	// Close releases the store.
	Close() error
}

// Finished reports whether a status is final.
func Finished(status string) bool {
	switch status {
	case StatusQueued, StatusRunning:
		return false
	}
	return true
}
