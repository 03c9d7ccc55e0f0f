package store_test

import (
	"context"
	"testing"

	"github.com/parleyhq/parley/internal/store"
	"github.com/parleyhq/parley/internal/store/pgtest"
	"github.com/parleyhq/parley/internal/store/storetest"
)

// TestPostgres runs the store suite against PostgreSQL: each store in a new
// database of its own on the server PARLEY_TEST_POSTGRES names.
func TestPostgres(t *testing.T) {
	pgtest.Admin(t) // skip, or fail in CI, before the subtests
	dsns := map[store.Store]string{}
	storetest.Run(t, storetest.Factory{
		Open: func(t *testing.T) store.Store {
			dsn := pgtest.DSN(t)
			s, err := store.OpenPostgres(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			dsns[s] = dsn
			return s
		},
		Reopen: func(t *testing.T, s store.Store) store.Store {
			dsn := dsns[s]
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s2, err := store.OpenPostgres(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			dsns[s2] = dsn
			return s2
		},
	})
}
