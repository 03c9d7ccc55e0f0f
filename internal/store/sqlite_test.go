package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/parleyhq/parley/internal/store"
	"github.com/parleyhq/parley/internal/store/storetest"
)

func TestSQLite(t *testing.T) {
	paths := map[store.Store]string{}
	storetest.Run(t, storetest.Factory{
		Open: func(t *testing.T) store.Store {
			p := filepath.Join(t.TempDir(), "sub", "dir", "parley.db")
			s, err := store.OpenSQLite(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			paths[s] = p
			return s
		},
		Reopen: func(t *testing.T, s store.Store) store.Store {
			p := paths[s]
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s2, err := store.OpenSQLite(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			paths[s2] = p
			if err := s2.IntegrityCheck(context.Background()); err != nil {
				t.Error(err)
			}
			return s2
		},
	})
}
