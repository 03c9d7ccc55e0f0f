package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to write from one goroutine and read from another.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var servingRE = regexp.MustCompile(`parley serving on (http://\S+)`)

// startServe runs `parley serve args...` until the returned stop is called,
// and returns the base URL it prints.
func startServe(t *testing.T, env map[string]string, args ...string) (base string, stdout *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errb := &syncBuffer{}, &syncBuffer{}
	e := &Env{Args: append([]string{"serve"}, args...), Dir: t.TempDir(), Stdout: out, Stderr: errb, Version: "v1.2.3-test",
		Getenv: func(k string) string { return env[k] }}
	code := make(chan int, 1)
	go func() { code <- run(ctx, e, commands) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if m := servingRE.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case c := <-code:
			cancel()
			t.Fatalf("serve exited with %d before listening:\n%s%s", c, out.String(), errb.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start:\n%s%s", out.String(), errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	var once sync.Once
	result := 0
	stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case result = <-code:
			case <-time.After(20 * time.Second):
				t.Fatal("serve did not stop")
			}
			t.Logf("serve output:\n%s%s", out.String(), errb.String())
		})
		return result
	}
	t.Cleanup(func() { stop() })
	return base, out, stop
}

func TestServeKeepsScenariosAcrossRestarts(t *testing.T) {
	db := filepath.Join(t.TempDir(), "web.db")
	base, out, stop := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", db)
	if !strings.Contains(out.String(), "database: "+db) {
		t.Errorf("serve does not say which database it uses: %q", out.String())
	}
	src, err := os.ReadFile("../../scenario/builtin/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	body := `{"source": ` + jsonString(string(src)) + `}`
	resp, err := http.Post(base+"/api/v1/scenarios", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("creating a scenario: %d", resp.StatusCode)
	}
	if code := stop(); code != ExitOK {
		t.Fatalf("serve stopped with exit code %d, want 0", code)
	}

	base, _, _ = startServe(t, nil, "--addr", "127.0.0.1:0", "--db", db)
	checkExport(t, base, 1, src)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestServeDefaultDatabaseAndToken(t *testing.T) {
	data := t.TempDir()
	const token = "0123456789abcdef0123"
	base, out, stop := startServe(t, map[string]string{"XDG_DATA_HOME": data, "HOME": t.TempDir(), tokenVar: token}, "--addr", "127.0.0.1:0")
	want := filepath.Join(data, "parley", "parley.db")
	if !strings.Contains(out.String(), "database: "+want) || !strings.Contains(out.String(), "(token required)") {
		t.Errorf("output %q: want the default database %s and the token notice", out.String(), want)
	}
	if _, err := os.Stat(want); err != nil {
		t.Errorf("the default database was not created: %v", err)
	}
	resp, err := http.Get(base + "/api/v1/runs")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without the token: %d, want 401", resp.StatusCode)
	}
	r, _ := http.NewRequest("GET", base+"/api/v1/runs", nil)
	r.Header.Set("Authorization", "Bearer "+token)
	resp, err = http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("with the token: %d, want 200", resp.StatusCode)
	}
	if code := stop(); code != ExitOK {
		t.Errorf("exit code %d", code)
	}
}

func TestServeRefusesUnsafeSettings(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		env  map[string]string
		msg  string
	}{
		{[]string{"--addr", "0.0.0.0:0"}, nil, "reachable from other machines: give a token with --token or PARLEY_TOKEN"},
		{[]string{"--addr", ":8080"}, nil, "reachable from other machines"},
		{[]string{"--addr", "0.0.0.0:0", "--token", "short"}, nil, "the token must have at least 16 characters, got 5"},
		{[]string{"--addr", "0.0.0.0:0"}, map[string]string{tokenVar: "short"}, "at least 16 characters"},
		{[]string{"--addr", "localhost"}, nil, `--addr "localhost" is not HOST:PORT`},
		{[]string{"--max-simulations", "0"}, nil, "--max-simulations must be at least 1"},
		{[]string{"--queue", "-1"}, nil, "--queue must be 0 or more"},
		{[]string{"--max-runs", "0"}, nil, "--max-runs must be at least 1"},
		{[]string{"--db", filepath.Join(dir, "a?b.db")}, nil, "may not contain '?'"},
		{[]string{"extra"}, nil, `unknown command "extra"`},
	} {
		env := tc.env
		r := runWith(t, context.Background(), &Env{Args: append([]string{"serve"}, tc.args...), Dir: dir,
			Getenv: func(k string) string { return env[k] }}, commands)
		if r.code != ExitUsage || !strings.Contains(r.stderr, tc.msg) {
			t.Errorf("serve %v: exit %d, stderr %q; want 2 and %q", tc.args, r.code, r.stderr, tc.msg)
		}
	}
	// the port is taken
	base, _, _ := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", filepath.Join(dir, "x.db"))
	addr := strings.TrimPrefix(base, "http://")
	r := runWith(t, context.Background(), &Env{Args: []string{"serve", "--addr", addr, "--db", filepath.Join(dir, "y.db")}, Dir: dir}, commands)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "cannot listen on "+addr) {
		t.Errorf("a taken port: exit %d, %q", r.code, r.stderr)
	}
}

// checkExport checks that the server at base exports stored scenario id as
// exactly src.
func checkExport(t *testing.T, base string, id int, src []byte) {
	t.Helper()
	resp, err := http.Get(fmt.Sprintf("%s/api/v1/scenarios/%d/export", base, id))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(got) != string(src) {
		t.Errorf("after a restart scenario %d is %d %q", id, resp.StatusCode, got)
	}
}
