package cli

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/parleyhq/parley/scenario"
)

// serveArgsVar, when set, makes TestServeChild run parley with these
// arguments (one per line) in this test binary's process, as main does (an
// interrupt stops it gracefully), and exit with its code: the server that
// TestServeSurvivesSIGKILL kills.
const serveArgsVar = "PARLEY_TEST_SERVE_ARGS"

func TestServeChild(t *testing.T) {
	args := os.Getenv(serveArgsVar)
	if args == "" {
		t.Skip("runs only as the subprocess of TestServeSurvivesSIGKILL")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	dir, _ := os.Getwd()
	code := Run(ctx, &Env{Args: strings.Split(args, "\n"), Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Dir: dir, Version: "crash-test"})
	stop()
	os.Exit(code)
}

// serveProc is a `parley serve` running in a subprocess.
type serveProc struct {
	cmd    *exec.Cmd
	base   string
	stderr *syncBuffer
	exited chan error
}

// startServeProc starts `parley serve --addr 127.0.0.1:0 --db db` in a
// subprocess (this test binary running TestServeChild) and waits for the
// address it prints.
func startServeProc(t *testing.T, dir, db string) *serveProc {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeChild$")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), serveArgsVar+"="+strings.Join([]string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--max-runs", "10000000"}, "\n"), tokenVar+"=")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &serveProc{cmd: cmd, stderr: &syncBuffer{}, exited: make(chan error, 1)}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
				break
			}
		}
		io.Copy(io.Discard, out)
		p.exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-p.exited
		}
	})
	select {
	case p.base = <-addr:
	case err := <-p.exited:
		t.Fatalf("serve exited before listening (%v):\n%s", err, p.stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start:\n%s", p.stderr)
	}
	return p
}

// api sends a JSON request (body nil: none) and returns the status and body.
func (p *serveProc) api(t *testing.T, method, path string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, p.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp.StatusCode, b
}

// crashRun is the part of a run the test reads from the API.
type crashRun struct {
	ID       int64  `json:"id"`
	Scenario string `json:"scenario"`
	Status   string `json:"status"`
	Seed     uint64 `json:"seed"`
	Runs     int    `json:"runs"`
	Progress *struct {
		Done int `json:"done"`
	} `json:"progress"`
}

func (p *serveProc) run(t *testing.T, id int64) crashRun {
	t.Helper()
	code, b := p.api(t, "GET", fmt.Sprint("/api/v1/runs/", id), nil)
	if code != http.StatusOK {
		t.Fatalf("GET run %d: %d %s", id, code, b)
	}
	var r crashRun
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// waitFor polls run id until ok says yes; the deadline only keeps a broken
// server from hanging the test.
func (p *serveProc) waitFor(t *testing.T, id int64, what string, ok func(crashRun) bool) crashRun {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		r := p.run(t, id)
		if ok(r) {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("run %d is still %s with %+v; waited for it to be %s", id, r.Status, r.Progress, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// integrity opens the database file read-only, as the crash or the server
// left it, and returns the answer of PRAGMA integrity_check and the status
// of every run by id.
func integrity(t *testing.T, db string) (string, map[int64]string) {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var rows []string
	q, err := conn.Query("PRAGMA integrity_check")
	if err != nil {
		t.Fatalf("PRAGMA integrity_check: %v", err)
	}
	for q.Next() {
		var s string
		if err := q.Scan(&s); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, s)
	}
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	status := map[int64]string{}
	q, err = conn.Query("SELECT id, status FROM runs")
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	for q.Next() {
		var id int64
		var s string
		if err := q.Scan(&id, &s); err != nil {
			t.Fatal(err)
		}
		status[id] = s
	}
	return strings.Join(rows, "\n"), status
}

// A server killed with SIGKILL in the middle of a comparison loses
// nothing it had finished: after a restart on the same SQLite file the
// scenario and the completed run (its results byte for byte) are there,
// the run that was going is marked interrupted, and the file passes
// SQLite's integrity check, both as the crash left it and after the
// restarted server stops.
func TestServeSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("runs and kills a subprocess")
	}
	if runtime.GOOS == "windows" {
		t.Skip("no SIGKILL")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "crash.db")
	srv := startServeProc(t, dir, db)

	src, _ := scenario.BuiltinSource("tiny")
	src = bytes.Replace(src, []byte("name: tiny"), []byte("name: crash"), 1)
	code, body := srv.api(t, "POST", "/api/v1/scenarios", map[string]string{"source": string(src)})
	if code != http.StatusCreated {
		t.Fatalf("creating a scenario: %d %s", code, body)
	}
	var sc struct{ Key string }
	json.Unmarshal(body, &sc)

	start := func(key string, runs int, seed uint64) crashRun {
		code, body := srv.api(t, "POST", "/api/v1/scenarios/"+key+"/compare", map[string]any{"runs": runs, "seed": seed})
		if code != http.StatusAccepted {
			t.Fatalf("starting a comparison of %s: %d %s", key, code, body)
		}
		var r crashRun
		json.Unmarshal(body, &r)
		return r
	}
	done := start(sc.Key, 500, 3)
	srv.waitFor(t, done.ID, "done", func(r crashRun) bool { return r.Status != "queued" && r.Status != "running" })
	_, wantResults := srv.api(t, "GET", fmt.Sprint("/api/v1/runs/", done.ID, "/results.json"), nil)
	if r := srv.run(t, done.ID); r.Status != "done" || len(wantResults) < 100 {
		t.Fatalf("the first run ended %s with %d bytes of results", r.Status, len(wantResults))
	}

	// a long run: killed once it has made some progress
	long := start("builtin:korea", 5_000_000, 5)
	srv.waitFor(t, long.ID, "running with progress", func(r crashRun) bool {
		return r.Status == "running" && r.Progress != nil && r.Progress.Done > 0
	})
	if err := srv.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	err := <-srv.exited
	if ee, ok := err.(*exec.ExitError); !ok || ee.Success() {
		t.Fatalf("the server was not killed (%v)", err)
	}

	check, status := integrity(t, db)
	if check != "ok" {
		t.Errorf("after the SIGKILL, PRAGMA integrity_check says %q", check)
	}
	if status[done.ID] != "done" || status[long.ID] != "running" {
		t.Errorf("after the SIGKILL the file holds the runs %v; want %d done and %d still running", status, done.ID, long.ID)
	}

	again := startServeProc(t, dir, db)
	code, gotSrc := again.api(t, "GET", "/api/v1/scenarios/"+sc.Key+"/export", nil)
	if code != http.StatusOK || !bytes.Equal(gotSrc, src) {
		t.Errorf("after the restart scenario %s is %d, %d bytes; want 200 and the %d bytes saved", sc.Key, code, len(gotSrc), len(src))
	}
	if r := again.run(t, done.ID); r.Status != "done" || r.Runs != 500 || r.Seed != 3 || r.Scenario != sc.Key {
		t.Errorf("after the restart the completed run is %+v", r)
	}
	code, gotResults := again.api(t, "GET", fmt.Sprint("/api/v1/runs/", done.ID, "/results.json"), nil)
	if code != http.StatusOK || !bytes.Equal(gotResults, wantResults) {
		t.Errorf("after the restart the completed run's results are %d, %d bytes; want 200 and the %d bytes from before", code, len(gotResults), len(wantResults))
	}
	if r := again.run(t, long.ID); r.Status != "interrupted" || r.Progress != nil {
		t.Errorf("after the restart the killed run is %s (progress %+v), want interrupted", r.Status, r.Progress)
	}
	code, _ = again.api(t, "GET", fmt.Sprint("/api/v1/runs/", long.ID, "/results.json"), nil)
	if code != http.StatusConflict {
		t.Errorf("the interrupted run's results answer %d, want 409", code)
	}

	// stopped as Ctrl-C stops it, the file is whole and says the same
	if err := again.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-again.exited:
		if err != nil {
			t.Errorf("the restarted server stopped with %v:\n%s", err, again.stderr)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the restarted server did not stop:\n%s", again.stderr)
	}
	check, status = integrity(t, db)
	if check != "ok" {
		t.Errorf("after the restart, PRAGMA integrity_check says %q", check)
	}
	if status[done.ID] != "done" || status[long.ID] != "interrupted" || len(status) != 2 {
		t.Errorf("after the restart the file holds the runs %v; want %d done and %d interrupted", status, done.ID, long.ID)
	}
}
