// Package storetest is the test suite every implementation of store.Store must pass.
package storetest

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/store"
)

// Factory makes the stores the suite tests.
type Factory struct {
	// Open returns a new, empty store; the suite closes it.
	Open func(t *testing.T) store.Store
	// Reopen closes s and opens the same database again, to check that
	// what was written survives; nil skips the persistence tests.
	Reopen func(t *testing.T, s store.Store) store.Store
}

// Run runs the whole suite, each test on a store of its own.
func Run(t *testing.T, f Factory) {
	tests := []struct {
		name string
		fn   func(*testing.T, Factory)
	}{
		{"SchemaVersion", testSchemaVersion},
		{"EmptyStore", testEmpty},
		{"ScenarioRoundTrip", testScenarioRoundTrip},
		{"ScenarioUpdate", testScenarioUpdate},
		{"ScenarioDelete", testScenarioDelete},
		{"ScenarioListOrder", testScenarioListOrder},
		{"RunLifecycle", testRunLifecycle},
		{"RunExtremes", testRunExtremes},
		{"RunList", testRunList},
		{"RunDelete", testRunDelete},
		{"InterruptRuns", testInterruptRuns},
		{"Concurrent", testConcurrent},
		{"Check", testCheck},
		{"Persistence", testPersistence},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, f) })
	}
}

func open(t *testing.T, f Factory) store.Store {
	t.Helper()
	s := f.Open(t)
	t.Cleanup(func() { s.Close() })
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// recent checks that tm was set by the store just now, in UTC at microsecond precision.
func recent(t *testing.T, what string, tm time.Time) {
	t.Helper()
	if tm.IsZero() || time.Since(tm) > time.Minute || time.Until(tm) > time.Second {
		t.Errorf("%s = %v, want about now", what, tm)
	}
	if tm.Location() != time.UTC {
		t.Errorf("%s is in %v, want UTC", what, tm.Location())
	}
	if tm.Nanosecond()%1000 != 0 {
		t.Errorf("%s = %v has sub-microsecond digits", what, tm)
	}
}

func testSchemaVersion(t *testing.T, f Factory) {
	s := open(t, f)
	v, err := s.SchemaVersion(context.Background())
	must(t, err)
	if v < 1 {
		t.Errorf("schema version %d, want at least 1", v)
	}
}

func testEmpty(t *testing.T, f Factory) {
	s := open(t, f)
	ctx := context.Background()
	scs, err := s.ListScenarios(ctx)
	must(t, err)
	if scs == nil || len(scs) != 0 {
		t.Errorf("ListScenarios of an empty store = %#v, want an empty, non-nil list", scs)
	}
	runs, err := s.ListRuns(ctx, 10)
	must(t, err)
	if runs == nil || len(runs) != 0 {
		t.Errorf("ListRuns of an empty store = %#v, want an empty, non-nil list", runs)
	}
	if _, err := s.GetScenario(ctx, 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetScenario(1) on an empty store: %v, want ErrNotFound", err)
	}
	if _, err := s.GetRun(ctx, 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetRun(1) on an empty store: %v, want ErrNotFound", err)
	}
	if n, err := s.InterruptRuns(ctx); err != nil || n != 0 {
		t.Errorf("InterruptRuns on an empty store = %d, %v; want 0, nil", n, err)
	}
}

// hostile is a source with what a store must keep byte for byte: quotes,
// SQL, markup, NUL-free control characters, and text outside the BMP.
const hostile = "name: x\ntitle: \"Robert'); DROP TABLE scenarios;--\"\ndescription: <script>alert(1)</script> \t\r\n é 北 🕊\n"

func testScenarioRoundTrip(t *testing.T, f Factory) {
	s := open(t, f)
	ctx := context.Background()
	in := &store.Scenario{Name: "x", Title: "Robert'); DROP TABLE scenarios;--", Source: hostile}
	must(t, s.CreateScenario(ctx, in))
	if in.ID <= 0 {
		t.Fatalf("CreateScenario set ID %d, want a positive id", in.ID)
	}
	recent(t, "Created", in.Created)
	if !in.Updated.Equal(in.Created) {
		t.Errorf("a new scenario's Updated %v differs from Created %v", in.Updated, in.Created)
	}
	got, err := s.GetScenario(ctx, in.ID)
	must(t, err)
	if *got != *in {
		t.Errorf("GetScenario = %+v\nwant %+v", *got, *in)
	}
	second := &store.Scenario{Name: "y", Source: "name: y\n"}
	must(t, s.CreateScenario(ctx, second))
	if second.ID <= in.ID {
		t.Errorf("second scenario has id %d, want more than %d", second.ID, in.ID)
	}
	list, err := s.ListScenarios(ctx)
	must(t, err)
	if len(list) != 2 {
		t.Fatalf("ListScenarios has %d scenarios, want 2", len(list))
	}
	for _, sc := range list {
		if sc.Source != "" {
			t.Errorf("ListScenarios returned the source of scenario %d", sc.ID)
		}
	}
}

func testScenarioUpdate(t *testing.T, f Factory) {
	s := open(t, f)
	ctx := context.Background()
	sc := &store.Scenario{Name: "a", Title: "A", Source: "name: a\n"}
	must(t, s.CreateScenario(ctx, sc))
	created := sc.Created
	time.Sleep(2 * time.Millisecond)
	up := &store.Scenario{ID: sc.ID, Name: "b", Title: "B", Source: "name: b\n"}
	must(t, s.UpdateScenario(ctx, up))
	if !up.Created.Equal(created) {
		t.Errorf("UpdateScenario set Created %v, want the original %v", up.Created, created)
	}
	if !up.Updated.After(created) {
		t.Errorf("Updated %v is not after Created %v", up.Updated, created)
	}
	got, err := s.GetScenario(ctx, sc.ID)
	must(t, err)
	if *got != *up {
		t.Errorf("after update GetScenario = %+v\nwant %+v", *got, *up)
	}
	missing := &store.Scenario{ID: sc.ID + 1000, Name: "z", Source: "name: z\n"}
	if err := s.UpdateScenario(ctx, missing); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateScenario of an unknown id: %v, want ErrNotFound", err)
	}
}

func testScenarioDelete(t *testing.T, f Factory) {
	s := open(t, f)
	ctx := context.Background()
	a := &store.Scenario{Name: "a", Source: "name: a\n"}
	b := &store.Scenario{Name: "b", Source: "name: b\n"}
	must(t, s.CreateScenario(ctx, a))
	must(t, s.CreateScenario(ctx, b))
	must(t, s.DeleteScenario(ctx, b.ID))
	if _, err := s.GetScenario(ctx, b.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetScenario of a deleted scenario: %v, want ErrNotFound", err)
	}
	if err := s.DeleteScenario(ctx, b.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleting twice: %v, want ErrNotFound", err)
	}
	if _, err := s.GetScenario(ctx, a.ID); err != nil {
		t.Errorf("the other scenario went too: %v", err)
	}
	c := &store.Scenario{Name: "c", Source: "name: c\n"}
	must(t, s.CreateScenario(ctx, c))
	if c.ID <= b.ID {
		t.Errorf("a scenario created after deleting id %d got id %d: ids must not be reused", b.ID, c.ID)
	}
}

func testScenarioListOrder(t *testing.T, f Factory) {
	s := open(t, f)
	ctx := context.Background()
	var ids []int64
	for _, n := range []string{"first", "second", "third"} {
		sc := &store.Scenario{Name: n, Title: strings.ToUpper(n), Source: "name: " + n + "\n"}
		must(t, s.CreateScenario(ctx, sc))
		ids = append(ids, sc.ID)
		time.Sleep(2 * time.Millisecond)
	}
	// touching the first makes it the most recently updated
	first, err := s.GetScenario(ctx, ids[0])
	must(t, err)
	must(t, s.UpdateScenario(ctx, first))
	list, err := s.ListScenarios(ctx)
	must(t, err)
	var got []string
	for _, sc := range list {
		got = append(got, sc.Name+"/"+sc.Title)
	}
	want := "first/FIRST third/THIRD second/SECOND"
	if strings.Join(got, " ") != want {
		t.Errorf("ListScenarios order = %v, want %s", got, want)
	}
}

func newRun(ref string) *store.Run {
	return &store.Run{ScenarioRef: ref, ScenarioName: "korea", Snapshot: "name: korea\n", Seed: 7, Runs: 1000, Version: "v1.2.3", Status: store.StatusQueued}
}

func testRunLifecycle(t *testing.T, f Factory) {
	s := open(t, f)
	ctx := context.Background()
	r := newRun("builtin:korea")
	must(t, s.CreateRun(ctx, r))
	if r.ID <= 0 {
		t.Fatalf("CreateRun set ID %d", r.ID)
	}
	recent(t, "Created", r.Created)
	if !r.Finished.IsZero() {
		t.Errorf("a queued run has Finished %v", r.Finished)
	}
	got, err := s.GetRun(ctx, r.ID)
	must(t, err)
	if got.ScenarioRef != "builtin:korea" || got.ScenarioName != "korea" || got.Snapshot != "name: korea\n" ||
		got.Seed != 7 || got.Runs != 1000 || got.Version != "v1.2.3" || got.Status != store.StatusQueued ||
		got.Results != nil || !got.Created.Equal(r.Created) || !got.Finished.IsZero() {
		t.Errorf("GetRun = %+v\nwant %+v", *got, *r)
	}
	must(t, s.SetRunStatus(ctx, r.ID, store.StatusRunning, nil, ""))
	got, err = s.GetRun(ctx, r.ID)
	must(t, err)
	if got.Status != store.StatusRunning || !got.Finished.IsZero() {
		t.Errorf("running run: status %q, finished %v", got.Status, got.Finished)
	}
	results := []byte(`{"scenario":"korea","roadmaps":[{"id":"peace-first"}]}`)
	must(t, s.SetRunStatus(ctx, r.ID, store.StatusDone, results, ""))
	got, err = s.GetRun(ctx, r.ID)
	must(t, err)
	if got.Status != store.StatusDone || string(got.Results) != string(results) {
		t.Errorf("done run: status %q, results %s", got.Status, got.Results)
	}
	recent(t, "Finished", got.Finished)
	if got.Finished.Before(got.Created) {
		t.Errorf("Finished %v before Created %v", got.Finished, got.Created)
	}
	if err := s.SetRunStatus(ctx, r.ID+1000, store.StatusDone, nil, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetRunStatus of an unknown run: %v, want ErrNotFound", err)
	}

	failed := newRun("12")
	must(t, s.CreateRun(ctx, failed))
	must(t, s.SetRunStatus(ctx, failed.ID, store.StatusFailed, nil, "boom: <b>"))
	got, err = s.GetRun(ctx, failed.ID)
	must(t, err)
	if got.Status != store.StatusFailed || got.Error != "boom: <b>" || got.Results != nil || got.ScenarioRef != "12" {
		t.Errorf("failed run = %+v", *got)
	}
}

func testRunExtremes(t *testing.T, f Factory) {
	s := open(t, f)
	ctx := context.Background()
	big := strings.Repeat(`{"x":"é🕊"},`, 100_000)
	r := &store.Run{ScenarioRef: "builtin:tiny", ScenarioName: "tiny", Snapshot: hostile, Seed: math.MaxUint64,
		Runs: math.MaxInt32, Version: "dev", Status: store.StatusDone, Results: []byte("[" + big + "1]")}
	must(t, s.CreateRun(ctx, r))
	recent(t, "Finished of a run created done", r.Finished)
	got, err := s.GetRun(ctx, r.ID)
	must(t, err)
	if got.Seed != math.MaxUint64 {
		t.Errorf("seed %d, want %d", got.Seed, uint64(math.MaxUint64))
	}
	if got.Runs != math.MaxInt32 || got.Snapshot != hostile || string(got.Results) != string(r.Results) {
		t.Errorf("a run with extreme values did not round-trip (runs %d, snapshot ok %v, results %d bytes of %d)",
			got.Runs, got.Snapshot == hostile, len(got.Results), len(r.Results))
	}
	zero := newRun("builtin:tiny")
	zero.Seed = 0
	must(t, s.CreateRun(ctx, zero))
	got, err = s.GetRun(ctx, zero.ID)
	must(t, err)
	if got.Seed != 0 {
		t.Errorf("seed 0 came back as %d", got.Seed)
	}
}

func testRunList(t *testing.T, f Factory) {
	s := open(t, f)
	ctx := context.Background()
	var ids []int64
	for i := 0; i < 5; i++ {
		r := newRun("builtin:korea")
		r.Seed = uint64(i)
		r.Status = store.StatusDone
		r.Results = []byte(`{}`)
		must(t, s.CreateRun(ctx, r))
		ids = append(ids, r.ID)
	}
	all, err := s.ListRuns(ctx, 0)
	must(t, err)
	if len(all) != 5 {
		t.Fatalf("ListRuns(0) has %d runs, want 5", len(all))
	}
	for i, r := range all {
		if want := ids[len(ids)-1-i]; r.ID != want {
			t.Errorf("ListRuns[%d] is run %d, want %d (newest first)", i, r.ID, want)
		}
		if r.Snapshot != "" || r.Results != nil {
			t.Errorf("ListRuns returned the snapshot or results of run %d", r.ID)
		}
		if r.Seed != uint64(4-i) || r.Status != store.StatusDone || r.Version != "v1.2.3" {
			t.Errorf("ListRuns[%d] = %+v", i, r)
		}
	}
	two, err := s.ListRuns(ctx, 2)
	must(t, err)
	if len(two) != 2 || two[0].ID != ids[4] || two[1].ID != ids[3] {
		t.Errorf("ListRuns(2) = %v, want runs %d and %d", two, ids[4], ids[3])
	}
}

func testRunDelete(t *testing.T, f Factory) {
	s := open(t, f)
	ctx := context.Background()
	a, b := newRun("1"), newRun("2")
	must(t, s.CreateRun(ctx, a))
	must(t, s.CreateRun(ctx, b))
	must(t, s.DeleteRun(ctx, a.ID))
	if _, err := s.GetRun(ctx, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetRun of a deleted run: %v, want ErrNotFound", err)
	}
	if err := s.DeleteRun(ctx, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleting a run twice: %v, want ErrNotFound", err)
	}
	list, err := s.ListRuns(ctx, 0)
	must(t, err)
	if len(list) != 1 || list[0].ID != b.ID {
		t.Errorf("after deleting run %d the list is %v", a.ID, list)
	}
	// deleting the last run must not free its id
	must(t, s.DeleteRun(ctx, b.ID))
	c := newRun("3")
	must(t, s.CreateRun(ctx, c))
	if c.ID <= b.ID {
		t.Errorf("a run created after deleting run %d got id %d: ids must not be reused", b.ID, c.ID)
	}
}

func testInterruptRuns(t *testing.T, f Factory) {
	s := open(t, f)
	ctx := context.Background()
	statuses := []string{store.StatusQueued, store.StatusRunning, store.StatusRunning, store.StatusDone, store.StatusCancelled, store.StatusFailed}
	ids := make([]int64, len(statuses))
	for i, st := range statuses {
		r := newRun("builtin:korea")
		r.Status = st
		must(t, s.CreateRun(ctx, r))
		ids[i] = r.ID
	}
	n, err := s.InterruptRuns(ctx)
	must(t, err)
	if n != 3 {
		t.Errorf("InterruptRuns = %d, want 3 (one queued, two running)", n)
	}
	want := []string{store.StatusInterrupted, store.StatusInterrupted, store.StatusInterrupted, store.StatusDone, store.StatusCancelled, store.StatusFailed}
	for i, id := range ids {
		r, err := s.GetRun(ctx, id)
		must(t, err)
		if r.Status != want[i] {
			t.Errorf("run %d (%s) is %s after InterruptRuns, want %s", id, statuses[i], r.Status, want[i])
		}
		if r.Status == store.StatusInterrupted {
			recent(t, "Finished of an interrupted run", r.Finished)
		}
	}
	if n, err := s.InterruptRuns(ctx); err != nil || n != 0 {
		t.Errorf("second InterruptRuns = %d, %v; want 0", n, err)
	}
}

func testConcurrent(t *testing.T, f Factory) {
	s := open(t, f)
	ctx := context.Background()
	const n = 24
	var wg sync.WaitGroup
	ids := make([]int64, n)
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := newRun("builtin:korea")
			r.Seed = uint64(i)
			if errs[i] = s.CreateRun(ctx, r); errs[i] != nil {
				return
			}
			ids[i] = r.ID
			if errs[i] = s.SetRunStatus(ctx, r.ID, store.StatusDone, []byte(`{"i":1}`), ""); errs[i] != nil {
				return
			}
			_, errs[i] = s.ListRuns(ctx, 5)
		}()
	}
	wg.Wait()
	seen := map[int64]bool{}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("writer %d: %v", i, err)
		}
		if seen[ids[i]] {
			t.Errorf("id %d given twice", ids[i])
		}
		seen[ids[i]] = true
	}
	all, err := s.ListRuns(ctx, 0)
	must(t, err)
	if len(all) != n {
		t.Errorf("%d runs stored, want %d", len(all), n)
	}
}

func testPersistence(t *testing.T, f Factory) {
	if f.Reopen == nil {
		t.Skip("this store cannot be reopened")
	}
	s := f.Open(t)
	ctx := context.Background()
	sc := &store.Scenario{Name: "kept", Title: "Kept", Source: hostile}
	must(t, s.CreateScenario(ctx, sc))
	r := newRun("builtin:korea")
	r.Status = store.StatusDone
	r.Results = []byte(`{"kept":true}`)
	must(t, s.CreateRun(ctx, r))
	v1, err := s.SchemaVersion(ctx)
	must(t, err)

	s = f.Reopen(t, s)
	defer s.Close()
	gotSc, err := s.GetScenario(ctx, sc.ID)
	must(t, err)
	if *gotSc != *sc {
		t.Errorf("after reopening, scenario = %+v\nwant %+v", *gotSc, *sc)
	}
	gotRun, err := s.GetRun(ctx, r.ID)
	must(t, err)
	if string(gotRun.Results) != `{"kept":true}` || !gotRun.Created.Equal(r.Created) || !gotRun.Finished.Equal(r.Finished) {
		t.Errorf("after reopening, run = %+v", *gotRun)
	}
	v2, err := s.SchemaVersion(ctx)
	must(t, err)
	if v1 != v2 {
		t.Errorf("reopening changed the schema version from %d to %d", v1, v2)
	}
	if err := s.Check(ctx); err != nil {
		t.Errorf("after reopening: %v", err)
	}
}

// testCheck: a store used in every way the web app uses it passes its own
// check. (That the check finds damage is each implementation's own test.)
func testCheck(t *testing.T, f Factory) {
	s := open(t, f)
	ctx := context.Background()
	must(t, s.Check(ctx))
	sc := &store.Scenario{Name: "a", Source: hostile}
	must(t, s.CreateScenario(ctx, sc))
	must(t, s.UpdateScenario(ctx, sc))
	gone := &store.Scenario{Name: "b", Source: "name: b\n"}
	must(t, s.CreateScenario(ctx, gone))
	must(t, s.DeleteScenario(ctx, gone.ID))
	for _, st := range []string{store.StatusQueued, store.StatusRunning, store.StatusDone, store.StatusFailed} {
		r := newRun("builtin:korea")
		r.Status = st
		must(t, s.CreateRun(ctx, r))
	}
	r := newRun("builtin:korea")
	must(t, s.CreateRun(ctx, r))
	must(t, s.SetRunStatus(ctx, r.ID, store.StatusCancelled, nil, ""))
	must(t, s.DeleteRun(ctx, r.ID))
	_, err := s.InterruptRuns(ctx)
	must(t, err)
	if err := s.Check(ctx); err != nil {
		t.Errorf("a healthy store fails its check: %v", err)
	}
}
