package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/store"
	"github.com/parleyhq/parley/internal/web"
)

// parleyServer serves the web app with a token on a fresh SQLite file.
func parleyServer(t *testing.T, token string) *httptest.Server {
	t.Helper()
	st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "load.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s, err := web.New(context.Background(), web.Config{Store: st, Token: token})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return hs
}

func TestMeasuresAParleyServer(t *testing.T) {
	const token = "a-token-of-twenty-characters"
	hs := parleyServer(t, token)
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"-c", "4", "-n", "40", "-token", token, hs.URL, "/scenarios/builtin:tiny", "/scenarios"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d, want 0; stderr:\n%s", code, errOut.String())
	}
	text := out.String()
	if !strings.HasPrefix(text, "4 clients, 40 requests in ") {
		t.Errorf("the summary line is wrong:\n%s", text)
	}
	for _, path := range []string{"/scenarios/builtin:tiny", "/scenarios", "all"} {
		want := "20"
		if path == "all" {
			want = "40"
		}
		found := false
		for _, line := range strings.Split(text, "\n") {
			f := strings.Fields(line)
			if len(f) >= 3 && f[len(f)-1] == path {
				found = true
				if f[0] != want || f[1] != "0" {
					t.Errorf("%s: %s requests and %s errors, want %s and 0", path, f[0], f[1], want)
				}
			}
		}
		if !found {
			t.Errorf("no row for %s in:\n%s", path, text)
		}
	}

	// without the token every request fails: exit 1, with the reason
	out.Reset()
	errOut.Reset()
	code = run(context.Background(), []string{"-c", "2", "-n", "4", "-token", "", hs.URL, "/scenarios"}, &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "401") {
		t.Errorf("without the token: exit %d, stderr %q; want 1 and the 401", code, errOut.String())
	}
}

func TestBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"http://127.0.0.1:1"},
		{"127.0.0.1:8080", "/scenarios"},
		{"http://127.0.0.1:8080/scenarios", "/runs/1"},
		{"http://127.0.0.1:8080", "scenarios"},
		{"-c", "0", "http://127.0.0.1:8080", "/scenarios"},
		{"-n", "-1", "http://127.0.0.1:8080", "/scenarios"},
		{"-d", "0s", "http://127.0.0.1:8080", "/scenarios"},
		{"-bogus", "http://127.0.0.1:8080", "/scenarios"},
	} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), args, &out, &errOut); code != 2 || errOut.Len() == 0 {
			t.Errorf("%q: exit %d with %q, want 2 and a message", args, code, errOut.String())
		}
	}
}
