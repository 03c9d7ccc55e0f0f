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

	"github.com/parleyhq/parley/internal/store"
)

// The pages most asked for (a scenario, its compare form, a finished run)
// are rendered once and kept, whole, until the data they show changes. What
// they show comes from the store alone, and every change to the store made
// through this server goes through [genStore], which counts it: a page kept
// under an older count is never served. So a deleted run is a 404 and an
// edited scenario shows its new text at once. The server must be the only
// writer of its database, as `parley serve` is.

// genStore is the server's store: it forwards every call and counts the
// changes, after each is made.
type genStore struct {
	store.Store
	gen *atomic.Uint64
}

func (g genStore) changed() { g.gen.Add(1) }

func (g genStore) CreateScenario(ctx context.Context, s *store.Scenario) error {
	defer g.changed()
	return g.Store.CreateScenario(ctx, s)
}

func (g genStore) UpdateScenario(ctx context.Context, s *store.Scenario) error {
	defer g.changed()
	return g.Store.UpdateScenario(ctx, s)
}

func (g genStore) DeleteScenario(ctx context.Context, id int64) error {
	defer g.changed()
	return g.Store.DeleteScenario(ctx, id)
}

func (g genStore) CreateRun(ctx context.Context, r *store.Run) error {
	defer g.changed()
	return g.Store.CreateRun(ctx, r)
}

func (g genStore) SetRunStatus(ctx context.Context, id int64, status string, results []byte, errMsg string) error {
	defer g.changed()
	return g.Store.SetRunStatus(ctx, id, status, results, errMsg)
}

func (g genStore) DeleteRun(ctx context.Context, id int64) error {
	defer g.changed()
	return g.Store.DeleteRun(ctx, id)
}

func (g genStore) InterruptRuns(ctx context.Context) (int, error) {
	defer g.changed()
	return g.Store.InterruptRuns(ctx)
}

// cachedPage is a rendered page and its entity tag.
type cachedPage struct {
	key  string
	body []byte
	etag string
}

// pageCache keeps rendered pages of one generation of the store's data, the
// most recently used first, up to maxCachedBytes of them.
type pageCache struct {
	mu    sync.Mutex
	gen   uint64
	m     map[string]*list.Element // of *cachedPage
	lru   list.List
	bytes int
}

// maxCachedBytes bounds the pages kept (a korea run's page is about 120 kB).
const maxCachedBytes = 16 << 20

// get returns the page kept under key for generation gen, or nil.
func (c *pageCache) get(gen uint64, key string) *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return nil
	}
	e := c.m[key]
	if e == nil {
		return nil
	}
	c.lru.MoveToFront(e)
	return e.Value.(*cachedPage)
}

// put keeps body under key for generation gen, dropping every page of an
// older one; a page of a generation already past is not kept.
func (c *pageCache) put(gen uint64, key string, body []byte) *cachedPage {
	sum := sha256.Sum256(body)
	p := &cachedPage{key: key, body: body, etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`}
	if len(body) > maxCachedBytes/4 {
		return p
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case gen < c.gen:
		return p
	case gen > c.gen || c.m == nil:
		c.gen = gen
		c.m = map[string]*list.Element{}
		c.lru.Init()
		c.bytes = 0
	}
	if e := c.m[key]; e != nil {
		c.bytes -= len(e.Value.(*cachedPage).body)
		c.lru.Remove(e)
	}
	c.m[key] = c.lru.PushFront(p)
	c.bytes += len(body)
	for c.bytes > maxCachedBytes {
		e := c.lru.Back()
		old := e.Value.(*cachedPage)
		c.lru.Remove(e)
		delete(c.m, old.key)
		c.bytes -= len(old.body)
	}
	return p
}

// serveCached answers with the page kept under key, if there is one for the
// store's data as it is now. It returns the generation it looked for (give
// it to renderCached) and whether it answered.
func (s *Server) serveCached(w http.ResponseWriter, r *http.Request, key string) (uint64, bool) {
	gen := s.gen.Load()
	p := s.pageCache.get(gen, key)
	if p == nil {
		return gen, false
	}
	writeCached(w, r, p)
	return gen, true
}

// renderCached renders a page as render does, answers with it and keeps it
// under key for generation gen (read before the data it shows).
func (s *Server) renderCached(w http.ResponseWriter, r *http.Request, gen uint64, key, page, title string, data any) {
	b := getBuffer()
	defer putBuffer(b)
	if err := s.execute(b, page, title, data); err != nil {
		s.internal(w, r, err)
		return
	}
	writeCached(w, r, s.pageCache.put(gen, key, bytes.Clone(b.Bytes())))
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
