package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/store"
)

// The kept pages change with the store: an edit shows at once, a deleted
// scenario or run is a 404 at once, and a new run shows in the lists.
func TestCachedPagesFollowTheStore(t *testing.T) {
	ts := newServer(t, Config{})
	src := strings.Replace(tinySource(t), "title: A guarantee for a freeze", "title: First title", 1)
	want(t, ts.sendJSON(t, "POST", "/api/v1/scenarios", map[string]string{"source": src}), http.StatusCreated)

	// asked twice: the second answer is the kept one, the same bytes
	first := ts.get(t, "/scenarios/1")
	want(t, first, http.StatusOK)
	again := ts.get(t, "/scenarios/1")
	want(t, again, http.StatusOK)
	if again.Body.String() != first.Body.String() || first.Header().Get("ETag") == "" || again.Header().Get("ETag") != first.Header().Get("ETag") {
		t.Fatal("asking twice for an unchanged scenario gives different pages or no entity tag")
	}
	if !strings.Contains(first.Body.String(), "<h1>First title</h1>") {
		t.Fatal("the scenario page lacks its title")
	}
	for _, p := range []string{"/scenarios/1/compare", "/scenarios/builtin:tiny", "/scenarios/builtin:tiny/compare"} {
		w := ts.get(t, p)
		want(t, w, http.StatusOK)
		if !strings.Contains(w.Body.String(), "No runs yet.") {
			t.Fatalf("%s lists runs before any was made", p)
		}
	}

	lib := ts.get(t, "/scenarios")
	if !strings.Contains(lib.Body.String(), "First title") {
		t.Fatal("the library lacks the new scenario")
	}

	// an edit shows its new text at once, on every page
	src2 := strings.Replace(strings.Replace(src, "First title", "Second title", 1), "name: tiny", "name: edited", 1)
	want(t, ts.sendJSON(t, "PUT", "/api/v1/scenarios/1", map[string]string{"source": src2}), http.StatusOK)
	w := ts.get(t, "/scenarios/1")
	want(t, w, http.StatusOK)
	if !strings.Contains(w.Body.String(), "<h1>Second title</h1>") || strings.Contains(w.Body.String(), "First title") {
		t.Fatal("the scenario page still shows the text before the edit")
	}
	if w.Header().Get("ETag") == first.Header().Get("ETag") {
		t.Error("the edited page kept its entity tag")
	}
	if w := ts.get(t, "/scenarios/1/compare"); !strings.Contains(w.Body.String(), "<h1>Compare edited</h1>") {
		t.Error("the compare page still shows the name before the edit")
	}
	if w := ts.get(t, "/scenarios"); !strings.Contains(w.Body.String(), "Second title") || strings.Contains(w.Body.String(), "First title") {
		t.Error("the library still shows the title before the edit")
	}
	// so does an edit through the form
	src3 := strings.Replace(src, "First title", "Third title", 1)
	want(t, ts.postForm(t, "/scenarios/1", map[string]string{"source": src3}), http.StatusSeeOther)
	if w := ts.get(t, "/scenarios/1"); !strings.Contains(w.Body.String(), "<h1>Third title</h1>") {
		t.Error("the scenario page does not show an edit made through the form")
	}

	// a run shows on the pages of its scenario, and its own page is kept once it is done
	run := ts.startRun(t, "builtin:tiny", 50, 3)
	ts.waitRun(t, run.ID)
	for _, p := range []string{"/scenarios/builtin:tiny", "/scenarios/builtin:tiny/compare"} {
		if w := ts.get(t, p); !strings.Contains(w.Body.String(), `<a href="/runs/1">1</a>`) {
			t.Errorf("%s does not list the new run", p)
		}
	}
	if w := ts.get(t, "/scenarios/1/compare"); !strings.Contains(w.Body.String(), "No runs yet.") {
		t.Error("a run of tiny shows on the compare page of another scenario")
	}
	runPage := ts.get(t, "/runs/1")
	want(t, runPage, http.StatusOK)
	if !strings.Contains(runPage.Body.String(), `id="chart-data"`) || runPage.Header().Get("ETag") == "" {
		t.Fatal("the page of a finished run lacks its charts or its entity tag")
	}

	// a client that has the page gets 304, until the page changes
	cond := func(path, etag string) int {
		return ts.do(t, req{method: "GET", path: path, header: map[string]string{"If-None-Match": etag}}).Code
	}
	etag := runPage.Header().Get("ETag")
	if c := cond("/runs/1", etag); c != http.StatusNotModified {
		t.Errorf("If-None-Match with the page's tag: %d, want 304", c)
	}
	if c := cond("/runs/1", `"other", `+etag); c != http.StatusNotModified {
		t.Errorf("If-None-Match with a list holding the page's tag: %d, want 304", c)
	}
	if c := cond("/runs/1", `"other"`); c != http.StatusOK {
		t.Errorf("If-None-Match with another tag: %d, want 200", c)
	}

	// the run is read from memory now, as it was stored
	for range 2 {
		w := ts.get(t, "/api/v1/runs/1")
		want(t, w, http.StatusOK)
		if got := decode[runJSON](t, w); got.Status != "done" || got.Snapshot != tinySource(t) || len(got.Results) == 0 {
			t.Fatalf("the API gives the run as %+v", got)
		}
	}
	if w := ts.get(t, "/api/v1/runs/1/results.json"); w.Body.String() != string(ts.waitRun(t, 1).Results) {
		t.Fatal("the results of a kept run are not those stored")
	}

	// deletes show at once
	want(t, ts.sendJSON(t, "DELETE", "/api/v1/runs/1", nil), http.StatusNoContent)
	want(t, ts.get(t, "/runs/1"), http.StatusNotFound)
	want(t, ts.get(t, "/api/v1/runs/1"), http.StatusNotFound)
	want(t, ts.get(t, "/api/v1/runs/1/results.json"), http.StatusNotFound)
	if c := cond("/runs/1", etag); c != http.StatusNotFound {
		t.Errorf("a deleted run with If-None-Match: %d, want 404", c)
	}
	for _, p := range []string{"/scenarios/builtin:tiny", "/scenarios/builtin:tiny/compare"} {
		if w := ts.get(t, p); !strings.Contains(w.Body.String(), "No runs yet.") {
			t.Errorf("%s still lists the deleted run", p)
		}
	}
	want(t, ts.postForm(t, "/scenarios/1/delete", nil), http.StatusSeeOther)
	want(t, ts.get(t, "/scenarios/1"), http.StatusNotFound)
	want(t, ts.get(t, "/scenarios/1/compare"), http.StatusNotFound)
	if w := ts.get(t, "/scenarios"); strings.Contains(w.Body.String(), "Third title") {
		t.Error("the library still lists the deleted scenario")
	}
}

// The page of a run still going is never kept: once it ends, its page shows
// the results.
func TestRunPageNotKeptWhileGoing(t *testing.T) {
	ts := newServer(t, Config{})
	run := ts.startRun(t, "builtin:korea", 200000, 1)
	w := ts.get(t, "/runs/1")
	want(t, w, http.StatusOK)
	if w.Header().Get("ETag") != "" || strings.Contains(w.Body.String(), `id="chart-data"`) {
		t.Fatal("the page of a run still going was kept, or shows results")
	}
	want(t, ts.sendJSON(t, "POST", "/api/v1/runs/1/cancel", nil), http.StatusAccepted)
	ts.waitRun(t, run.ID)
	w = ts.get(t, "/runs/1")
	if !strings.Contains(w.Body.String(), `class="st-cancelled"`) {
		t.Error("the page of a cancelled run does not say it was cancelled")
	}

	run = ts.startRun(t, "builtin:tiny", 20, 1)
	ts.waitRun(t, run.ID)
	w = ts.get(t, "/runs/2")
	if !strings.Contains(w.Body.String(), `id="chart-data"`) || w.Header().Get("ETag") == "" {
		t.Error("the page of a finished run lacks its results or was not kept")
	}
}

// The cache keeps its pages within its budget, the most recently used
// first, and a page missed by many is rendered by one of them.
func TestPageCacheBounds(t *testing.T) {
	var c pageCache
	c.put("b", []byte("two"))
	if p := c.get("b"); p == nil || string(p.body) != "two" {
		t.Fatal("a page just kept is not found")
	}
	// fill past the budget: the least recently used go first
	big := make([]byte, maxCachedBytes/4)
	for _, k := range []string{"k1", "k2", "k3"} {
		c.put(k, big)
	}
	c.get("k1") // the order is now k1, k3, k2, b
	c.put("k4", big)
	if c.get("b") != nil || c.get("k2") == nil {
		t.Error("the least recently used page was not the one dropped")
	}
	c.put("k5", big) // the order was k2, k4, k1, k3
	if c.get("k3") != nil {
		t.Error("the least recently used page was not dropped")
	}
	for _, k := range []string{"k1", "k2", "k4", "k5"} {
		if c.get(k) == nil {
			t.Errorf("page %s was dropped", k)
		}
	}
	if c.bytes > maxCachedBytes {
		t.Errorf("the cache holds %d bytes, over its budget of %d", c.bytes, maxCachedBytes)
	}
	// a page over a quarter of the budget is served but not kept
	if p := c.put("huge", make([]byte, maxCachedBytes/4+1)); p == nil || c.get("huge") != nil {
		t.Error("a page over a quarter of the budget was kept, or not answered")
	}

	// the first to miss leads; the others wait for its page
	_, f, lead := c.getOrLead("x")
	if !lead {
		t.Fatal("the first to miss a page does not render it")
	}
	_, g, lead2 := c.getOrLead("x")
	if lead2 || g != f {
		t.Fatal("a second request for a page being rendered does not wait for it")
	}
	c.put("x", []byte("page x"))
	<-f.done
	if f.page == nil || string(f.page.body) != "page x" {
		t.Fatal("the waiters do not get the page rendered")
	}
	// a leader that keeps nothing lets its waiters go on their own
	_, f, _ = c.getOrLead("y")
	c.land("y", nil)
	<-f.done
	if f.page != nil {
		t.Error("the waiters of a page not kept got one")
	}
	if _, _, lead := c.getOrLead("y"); !lead {
		t.Error("after a leader kept nothing, the next request does not render the page")
	}
}

// A run read before a run ended or was deleted is not kept: it may be out
// of date.
func TestRunCacheKeepsOnlyFreshRuns(t *testing.T) {
	var c changes
	rc := &runCache{c: &c}
	run := &store.Run{ID: 1, Status: store.StatusDone, Results: []byte("{}")}
	ends := c.runEnds.Load()
	rc.drop(1) // the run was deleted while it was read
	rc.put(ends, run)
	if rc.get(1) != nil {
		t.Fatal("a run read before it was deleted was kept")
	}
	rc.put(c.runEnds.Load(), run)
	got := rc.get(1)
	if got == nil || got == run || got.ID != 1 || string(got.Results) != "{}" {
		t.Fatalf("a fresh run was not kept, or not copied: %+v", got)
	}
	got.Status = "changed"
	if rc.get(1).Status != store.StatusDone {
		t.Error("changing a run got from the cache changed the kept one")
	}
	rc.drop(0)
	if rc.get(1) != nil || rc.bytes != 0 {
		t.Error("dropping every run kept one")
	}
}

// Nothing is kept longer than keepFor, so that the changes another server
// makes to a shared database show in time.
func TestKeptForABoundedTime(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	pc := pageCache{now: clock}
	pc.put("a", []byte("page"))
	now = now.Add(keepFor)
	if pc.get("a") == nil {
		t.Fatal("a page was dropped before keepFor")
	}
	now = now.Add(time.Millisecond)
	if pc.get("a") != nil || pc.bytes != 0 {
		t.Fatal("a page was kept beyond keepFor")
	}
	if _, _, lead := pc.getOrLead("a"); !lead {
		t.Error("after a page expired, the next request does not render it")
	}

	var c changes
	rc := &runCache{c: &c, now: clock}
	rc.put(c.runEnds.Load(), &store.Run{ID: 7, Status: store.StatusDone})
	now = now.Add(keepFor)
	if rc.get(7) == nil {
		t.Fatal("a run was dropped before keepFor")
	}
	now = now.Add(time.Millisecond)
	if rc.get(7) != nil || rc.bytes != 0 {
		t.Fatal("a run was kept beyond keepFor")
	}
}
