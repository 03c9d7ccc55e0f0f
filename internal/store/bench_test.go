package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/parleyhq/parley/internal/store"
	"github.com/parleyhq/parley/internal/store/pgtest"
)

// BenchmarkStores times the store calls the web app's pages make most, on
// SQLite and (with PARLEY_TEST_POSTGRES) on PostgreSQL:
//
//	go test -run '^$' -bench Stores -benchtime 1000x ./internal/store/
func BenchmarkStores(b *testing.B) {
	ctx := context.Background()
	opens := []struct {
		name string
		open func(b *testing.B) store.Store
	}{
		{"sqlite", func(b *testing.B) store.Store {
			s, err := store.OpenSQLite(ctx, filepath.Join(b.TempDir(), "b.db"))
			if err != nil {
				b.Fatal(err)
			}
			return s
		}},
		{"postgres", func(b *testing.B) store.Store {
			s, err := store.OpenPostgres(ctx, pgtest.DSN(b))
			if err != nil {
				b.Fatal(err)
			}
			return s
		}},
	}
	results := make([]byte, 120_000) // about a finished run's comparison
	for i := range results {
		results[i] = 'a' + byte(i%26)
	}
	for _, o := range opens {
		b.Run(o.name, func(b *testing.B) {
			s := o.open(b)
			defer s.Close()
			run := &store.Run{ScenarioRef: "builtin:korea", ScenarioName: "korea", Snapshot: "name: korea\n", Runs: 1000, Version: "bench", Status: store.StatusDone, Results: results}
			for range 50 {
				if err := s.CreateRun(ctx, run); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("GetRun", func(b *testing.B) {
				for b.Loop() {
					if _, err := s.GetRun(ctx, run.ID); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("ListRuns50", func(b *testing.B) {
				for b.Loop() {
					if _, err := s.ListRuns(ctx, 50); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("CreateRunAndFinish", func(b *testing.B) {
				r := &store.Run{ScenarioRef: "builtin:korea", ScenarioName: "korea", Snapshot: "name: korea\n", Runs: 1000, Version: "bench", Status: store.StatusQueued}
				for b.Loop() {
					if err := s.CreateRun(ctx, r); err != nil {
						b.Fatal(err)
					}
					if err := s.SetRunStatus(ctx, r.ID, store.StatusDone, results, ""); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
