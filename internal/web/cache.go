package web

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parleyhq/parley/internal/store"
)

// The pages most asked for (a scenario, its compare form, a finished run)
// are rendered once and kept, whole, until the data they show changes. What
// they show comes from the store alone, and every change to the store made
// through this server goes through [genStore], which counts it, after it is
// made. A kept page's key holds the counts of what it shows, read before
// the data it was rendered from: once that changes, the page is never
// served again (it is dropped in time, the least recently used first). So
// a deleted run is a 404 and an edited scenario shows its new text at once.
// Changes made by another server sharing the database (PostgreSQL allows
// it) are not counted here: for them, nothing is kept longer than keepFor.

// keepFor bounds how long a page or a run is kept: how long a change made by
// another server on the same database may go unseen.
const keepFor = time.Second

// changes counts the changes to the store by what they touch.
type changes struct {
	scenarios atomic.Uint64 // a scenario of the user's was created, edited or deleted
	runs      atomic.Uint64 // a run was created, changed status or was deleted
	runEnds   atomic.Uint64 // a run changed status, was interrupted or was deleted
}

// scenarioKey is the key of a kept page of a scenario: it shows the
// scenario and its runs (a built-in never changes).
func (s *Server) scenarioKey(page, key string) string {
	k := page + " " + key + " r" + strconv.FormatUint(s.changes.runs.Load(), 10)
	if !strings.HasPrefix(key, builtinPrefix) {
		k += " s" + strconv.FormatUint(s.changes.scenarios.Load(), 10)
	}
	return k
}

// runKey is the key of the kept page of a finished run, which changes only
// when the run is deleted.
func (s *Server) runKey(id string) string {
	return "run " + id + " e" + strconv.FormatUint(s.changes.runEnds.Load(), 10)
}

// genStore is the server's store: it forwards every call and counts the
// changes, after each is made. It keeps the runs that are over, which do
// not change, in memory (runCache).
type genStore struct {
	store.Store
	c    *changes
	runs *runCache
}

func newGenStore(st store.Store, c *changes) genStore {
	return genStore{Store: st, c: c, runs: &runCache{c: c}}
}

func (g genStore) GetRun(ctx context.Context, id int64) (*store.Run, error) {
	if r := g.runs.get(id); r != nil {
		return r, nil
	}
	ends := g.c.runEnds.Load()
	r, err := g.Store.GetRun(ctx, id)
	if err == nil && store.Finished(r.Status) {
		g.runs.put(ends, r)
	}
	return r, err
}

func (g genStore) CreateScenario(ctx context.Context, s *store.Scenario) error {
	defer g.c.scenarios.Add(1)
	return g.Store.CreateScenario(ctx, s)
}

func (g genStore) UpdateScenario(ctx context.Context, s *store.Scenario) error {
	defer g.c.scenarios.Add(1)
	return g.Store.UpdateScenario(ctx, s)
}

func (g genStore) DeleteScenario(ctx context.Context, id int64) error {
	defer g.c.scenarios.Add(1)
	return g.Store.DeleteScenario(ctx, id)
}

func (g genStore) CreateRun(ctx context.Context, r *store.Run) error {
	defer g.c.runs.Add(1)
	return g.Store.CreateRun(ctx, r)
}

func (g genStore) SetRunStatus(ctx context.Context, id int64, status string, results []byte, errMsg string) error {
	defer g.c.runs.Add(1)
	defer g.runs.drop(id)
	return g.Store.SetRunStatus(ctx, id, status, results, errMsg)
}

func (g genStore) DeleteRun(ctx context.Context, id int64) error {
	defer g.c.runs.Add(1)
	defer g.runs.drop(id)
	return g.Store.DeleteRun(ctx, id)
}

func (g genStore) InterruptRuns(ctx context.Context) (int, error) {
	defer g.c.runs.Add(1)
	defer g.runs.drop(0)
	return g.Store.InterruptRuns(ctx)
}

// runCache keeps the runs that are over, by id, the most recently used
// first, up to maxCachedRunBytes of snapshots and results.
type runCache struct {
	c     *changes
	now   func() time.Time // time.Now, unless a test sets it
	mu    sync.Mutex
	m     map[int64]*list.Element // of *keptRun
	lru   list.List
	bytes int
}

// keptRun is a run kept and when it was read.
type keptRun struct {
	run  store.Run
	born time.Time
}

func (rc *runCache) clock() time.Time {
	if rc.now != nil {
		return rc.now()
	}
	return time.Now()
}

const maxCachedRunBytes = 32 << 20

func runSize(r *store.Run) int { return len(r.Snapshot) + len(r.Results) + 256 }

// get returns a copy of the run kept as id, or nil. The copy shares the
// snapshot and the results, which nobody changes.
func (rc *runCache) get(id int64) *store.Run {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e := rc.m[id]
	if e == nil {
		return nil
	}
	k := e.Value.(*keptRun)
	if rc.clock().Sub(k.born) > keepFor {
		rc.removeLocked(e)
		return nil
	}
	rc.lru.MoveToFront(e)
	r := k.run
	return &r
}

func (rc *runCache) removeLocked(e *list.Element) {
	k := e.Value.(*keptRun)
	rc.lru.Remove(e)
	delete(rc.m, k.run.ID)
	rc.bytes -= runSize(&k.run)
}

// put keeps a copy of r, read when the count of run ends was ends: if a run
// has ended or gone since, r may be out of date and is not kept.
func (rc *runCache) put(ends uint64, r *store.Run) {
	if runSize(r) > maxCachedRunBytes/4 {
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.c.runEnds.Load() != ends {
		return
	}
	if rc.m == nil {
		rc.m = map[int64]*list.Element{}
	}
	if e := rc.m[r.ID]; e != nil {
		rc.removeLocked(e)
	}
	rc.m[r.ID] = rc.lru.PushFront(&keptRun{run: *r, born: rc.clock()})
	rc.bytes += runSize(r)
	for rc.bytes > maxCachedRunBytes {
		rc.removeLocked(rc.lru.Back())
	}
}

// drop counts a run's end (or removal) and forgets run id (every run when
// id is 0). It is called after the change is made.
func (rc *runCache) drop(id int64) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.c.runEnds.Add(1)
	if id == 0 {
		clear(rc.m)
		rc.lru.Init()
		rc.bytes = 0
		return
	}
	if e := rc.m[id]; e != nil {
		rc.removeLocked(e)
	}
}

// cachedPage is a rendered page and its entity tag.
type cachedPage struct {
	key  string
	body []byte
	etag string
	born time.Time
}

// pageCache keeps rendered pages by key, the most recently used first, up
// to maxCachedBytes of them, each for keepFor at most.
type pageCache struct {
	now   func() time.Time // time.Now, unless a test sets it
	mu    sync.Mutex
	m     map[string]*list.Element // of *cachedPage
	lru   list.List
	bytes int
	// flights are the pages being rendered: the requests that miss one
	// wait for it rather than all render it at once.
	flights map[string]*flight
}

// flight is one page being rendered; done is closed when it is kept (page
// set) or when its request gave up on keeping it (page nil).
type flight struct {
	done chan struct{}
	page *cachedPage
}

// maxCachedBytes bounds the pages kept (a korea run's page is about 120 kB).
const maxCachedBytes = 16 << 20

// get returns the page kept under key, or nil.
func (c *pageCache) get(key string) *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.getLocked(key)
}

func (c *pageCache) getLocked(key string) *cachedPage {
	e := c.m[key]
	if e == nil {
		return nil
	}
	p := e.Value.(*cachedPage)
	if c.clock().Sub(p.born) > keepFor {
		c.removeLocked(e)
		return nil
	}
	c.lru.MoveToFront(e)
	return p
}

func (c *pageCache) removeLocked(e *list.Element) {
	p := e.Value.(*cachedPage)
	c.lru.Remove(e)
	delete(c.m, p.key)
	c.bytes -= len(p.body)
}

func (c *pageCache) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

// getOrLead returns the page kept under key; failing that, the flight
// rendering it (lead false: wait for it), or a new flight the caller must
// end with land or put (lead true).
func (c *pageCache) getOrLead(key string) (p *cachedPage, f *flight, lead bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p := c.getLocked(key); p != nil {
		return p, nil, false
	}
	if f := c.flights[key]; f != nil {
		return nil, f, false
	}
	if c.flights == nil {
		c.flights = map[string]*flight{}
	}
	f = &flight{done: make(chan struct{})}
	c.flights[key] = f
	return nil, f, true
}

// land ends the flight of key, if it is still going, with page (nil when
// the request did not keep one: its waiters render their own).
func (c *pageCache) land(key string, page *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f := c.flights[key]; f != nil {
		f.page = page
		close(f.done)
		delete(c.flights, key)
	}
}

// put keeps body under key, dropping the least recently used pages beyond
// the budget, and ends the flight of key.
func (c *pageCache) put(key string, body []byte) *cachedPage {
	sum := sha256.Sum256(body)
	p := &cachedPage{key: key, body: body, etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`}
	defer c.land(key, p)
	if len(body) > maxCachedBytes/4 {
		return p
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	p.born = c.clock()
	if c.m == nil {
		c.m = map[string]*list.Element{}
	}
	if e := c.m[key]; e != nil {
		c.removeLocked(e)
	}
	c.m[key] = c.lru.PushFront(p)
	c.bytes += len(body)
	for c.bytes > maxCachedBytes {
		c.removeLocked(c.lru.Back())
	}
	return p
}

// serveCached answers with the page kept under key, waiting for it if
// another request is rendering it. Otherwise it returns a function to
// defer, which lets the requests waiting for this one go on if it ends
// without keeping the page (with renderCached).
func (s *Server) serveCached(w http.ResponseWriter, r *http.Request, key string) (land func(), done bool) {
	p, f, lead := s.pageCache.getOrLead(key)
	if f != nil && !lead {
		select {
		case <-f.done:
			p = f.page
		case <-r.Context().Done():
			return nil, true // the client has gone
		}
	}
	if p != nil {
		writeCached(w, r, p)
		return nil, true
	}
	if !lead {
		return func() {}, false
	}
	return func() { s.pageCache.land(key, nil) }, false
}

// renderCached renders a page as render does, answers with it and keeps it
// under key.
func (s *Server) renderCached(w http.ResponseWriter, r *http.Request, key, page, title string, data any) {
	b := getBuffer()
	defer putBuffer(b)
	if err := s.execute(b, page, title, data); err != nil {
		s.internal(w, r, err)
		return
	}
	writeCached(w, r, s.pageCache.put(key, bytes.Clone(b.Bytes())))
}

// writeCached writes a kept page, or 304 when the client has it already.
func writeCached(w http.ResponseWriter, r *http.Request, p *cachedPage) {
	h := w.Header()
	h.Set("ETag", p.etag)
	h.Set("Cache-Control", "no-cache")
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, p.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(p.body)))
	w.WriteHeader(http.StatusOK)
	w.Write(p.body)
}

// etagMatch reports whether an If-None-Match header names etag (or is "*").
func etagMatch(header, etag string) bool {
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || t == etag || t == "W/"+etag {
			return true
		}
	}
	return false
}

// buffers are reused between renders.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { return buffers.Get().(*bytes.Buffer) }

// putBuffer returns a buffer to the pool, unless it grew very large.
func putBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return
	}
	b.Reset()
	buffers.Put(b)
}
