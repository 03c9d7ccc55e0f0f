package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/store"
	"github.com/parleyhq/parley/internal/store/pgtest"
)

// getJSON GETs url and decodes its JSON body into v, failing t unless the
// answer is 200.
func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v in %s", url, err, body)
	}
}

// TestServePostgresKeepsScenariosAndRunsAcrossRestarts runs the server on a
// new PostgreSQL database, saves a scenario and runs a comparison to the
// end, restarts the server, and finds both as they were.
func TestServePostgresKeepsScenariosAndRunsAcrossRestarts(t *testing.T) {
	dsn := pgtest.DSN(t)
	base, out, stop := startServe(t, nil, "--addr", "127.0.0.1:0", "--db", dsn)
	if want := "database: " + store.RedactDSN(dsn) + "\n"; !strings.Contains(out.String(), want) {
		t.Errorf("serve does not say which database it uses (%q): %q", want, out.String())
	}
	src, err := os.ReadFile("../../scenario/builtin/tiny.yaml")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(base+"/api/v1/scenarios", "application/json", strings.NewReader(`{"source": `+jsonString(string(src))+`}`))
	if err != nil {
		t.Fatal(err)
	}
	var created struct {
		Key string `json:"key"`
	}
	json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || created.Key != "1" {
		t.Fatalf("creating a scenario: %d, key %q", resp.StatusCode, created.Key)
	}

	resp, err = http.Post(base+"/api/v1/scenarios/1/compare", "application/json", strings.NewReader(`{"runs": 200, "seed": 11}`))
	if err != nil {
		t.Fatal(err)
	}
	var run struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
	}
	json.NewDecoder(resp.Body).Decode(&run)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || run.ID != 1 {
		t.Fatalf("starting a comparison: %d, run %+v", resp.StatusCode, run)
	}
	// the event stream ends with the run
	resp, err = http.Get(base + "/api/v1/runs/1/events")
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(resp.Body)
	ended := false
	for sc.Scan() {
		if sc.Text() == "event: end" {
			ended = true
			break
		}
	}
	resp.Body.Close()
	if !ended {
		t.Fatal("the event stream closed without an end event")
	}
	type fullRun struct {
		Status   string          `json:"status"`
		Snapshot string          `json:"snapshot"`
		Seed     uint64          `json:"seed"`
		Runs     int             `json:"runs"`
		Created  string          `json:"created"`
		Finished string          `json:"finished"`
		Results  json.RawMessage `json:"results"`
	}
	var before fullRun
	getJSON(t, base+"/api/v1/runs/1", &before)
	if before.Status != store.StatusDone || len(before.Results) == 0 || before.Snapshot != string(src) {
		t.Fatalf("the finished run: status %q, %d bytes of results, snapshot equal %v", before.Status, len(before.Results), before.Snapshot == string(src))
	}
	if code := stop(); code != ExitOK {
		t.Fatalf("serve stopped with exit code %d, want 0", code)
	}

	base, _, stop = startServe(t, nil, "--addr", "127.0.0.1:0", "--db", dsn)
	checkExport(t, base, 1, src)
	var after fullRun
	getJSON(t, base+"/api/v1/runs/1", &after)
	a, _ := json.Marshal(after)
	b, _ := json.Marshal(before)
	if string(a) != string(b) {
		t.Errorf("run 1 changed across the restart:\nbefore %s\nafter  %s", b, a)
	}
	if before.Seed != 11 || before.Runs != 200 || before.Finished == "" {
		t.Errorf("run 1 = %+v", before)
	}
	stop()
	st, err := store.OpenPostgres(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Check(context.Background()); err != nil {
		t.Error(err)
	}
}

// TestServeBadPostgresDSN: a --db naming a PostgreSQL database that cannot
// be used stops serve with exit 2 and a message that names --db, shows the
// DSN without its password, and never the password.
func TestServeBadPostgresDSN(t *testing.T) {
	const pw = "S3cret-Horse-Battery"
	cases := []struct{ db, want string }{
		{"postgres://ann:" + pw + "%zz@localhost/db", "--db postgres://…: not a valid URL"},
		{"postgresql://ann:" + pw + "@localhost/db?sslmode=maybe", "--db postgresql://ann:xxxxx@localhost/db?sslmode=maybe: not a valid PostgreSQL connection URL"},
		{"postgres://ann:" + pw + "@127.0.0.1:1/db?connect_timeout=5", "--db postgres://ann:xxxxx@127.0.0.1:1/db?connect_timeout=5: cannot connect:"},
	}
	if admin := os.Getenv(pgtest.EnvVar); admin != "" {
		// only a server that checks passwords refuses a wrong one (the
		// store's own test says so when it does not)
		wrong := pgtest.WithPassword(t, admin, pw)
		if st, err := store.OpenPostgres(context.Background(), wrong); err == nil {
			st.Close()
			t.Logf("the server of %s accepts any password; not testing a wrong one", pgtest.EnvVar)
		} else {
			cases = append(cases, struct{ db, want string }{wrong, "password authentication failed"})
		}
	}
	dir := t.TempDir()
	for _, tc := range cases {
		r := runWith(t, context.Background(), &Env{Args: []string{"serve", "--addr", "127.0.0.1:0", "--db", tc.db}, Dir: dir,
			Getenv: func(string) string { return "" }}, commands)
		if r.code != ExitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("serve --db %s: exit %d, stderr %q; want 2 and %q", store.RedactDSN(tc.db), r.code, r.stderr, tc.want)
		}
		if strings.Contains(r.stdout+r.stderr, pw) {
			t.Errorf("serve --db %s shows the password: %q", store.RedactDSN(tc.db), r.stderr)
		}
	}
	// nothing was created in the working directory for a DSN
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("serve made %d entries in its directory, e.g. %s", len(ents), ents[0].Name())
	}
}
