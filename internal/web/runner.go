package web

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/store"
	"github.com/parleyhq/parley/model"
	"github.com/parleyhq/parley/montecarlo"
	"github.com/parleyhq/parley/report"
)

// runner runs comparisons in the background: at most `slots` at once, in
// the order they were admitted, up to `capacity` admitted in all (running and
// queued); a request beyond that is turned away with 429.
type runner struct {
	srv      *Server
	slots    int
	capacity int
	base     context.Context
	stop     context.CancelFunc
	wg       sync.WaitGroup

	mu       sync.Mutex
	closed   bool
	inflight int
	running  int
	waiting  []*job // admitted and not yet started, oldest first
	jobs     map[int64]*job
}

// job is a comparison queued or running in this process.
type job struct {
	id     int64
	total  int
	cancel context.CancelFunc
	start  chan struct{} // closed when the job gets its slot

	mu         sync.Mutex
	status     string
	done       int
	userCancel bool
	changed    chan struct{} // closed and replaced at every change
}

// progress is a job's state at one moment.
type progress struct {
	Status string `json:"status"`
	Done   int    `json:"done"`
	Total  int    `json:"total"`
}

func newRunner(srv *Server, slots, queued int) *runner {
	base, stop := context.WithCancel(context.Background())
	return &runner{srv: srv, slots: slots, capacity: slots + queued,
		base: base, stop: stop, jobs: map[int64]*job{}}
}

// dispatchLocked starts the oldest waiting jobs while slots are free; rn.mu is held.
func (rn *runner) dispatchLocked() {
	for rn.running < rn.slots && len(rn.waiting) > 0 {
		j := rn.waiting[0]
		rn.waiting = rn.waiting[1:]
		rn.running++
		close(j.start)
	}
}

// release frees a slot and starts the next waiting job.
func (rn *runner) release() {
	rn.mu.Lock()
	rn.running--
	rn.dispatchLocked()
	rn.mu.Unlock()
}

// errBusy is returned when every slot and every place in the queue is taken.
var errBusy = errors.New("every simulation slot and queue place is taken")

// submit admits a comparison of every roadmap of the scenario d, records it
// as a queued run and starts it when a slot is free.
func (rn *runner) submit(ctx context.Context, d *scenarioDoc, runs int, seed uint64) (*store.Run, error) {
	sc, err := d.loaded()
	if err != nil {
		return nil, err
	}
	rs, err := model.CompileAll(sc)
	if err != nil {
		return nil, errorf(http.StatusUnprocessableEntity, "scenario %s does not compile: %v", d.Key, err)
	}
	rn.mu.Lock()
	if err := rn.admitLocked(); err != nil {
		rn.mu.Unlock()
		return nil, err
	}
	rn.mu.Unlock()

	run := &store.Run{ScenarioRef: d.Key, ScenarioName: d.Name, Snapshot: d.Source, Seed: seed, Runs: runs,
		Version: rn.srv.cfg.Version, Status: store.StatusQueued}
	if err := rn.srv.cfg.Store.CreateRun(ctx, run); err != nil {
		rn.mu.Lock()
		rn.inflight--
		rn.mu.Unlock()
		return nil, err
	}
	jctx, cancel := context.WithCancel(rn.base)
	j := &job{id: run.ID, total: runs * len(rs), cancel: cancel, status: store.StatusQueued,
		changed: make(chan struct{}), start: make(chan struct{})}
	rn.mu.Lock()
	rn.jobs[run.ID] = j
	rn.waiting = append(rn.waiting, j)
	rn.dispatchLocked()
	rn.mu.Unlock()
	rn.wg.Add(1)
	go rn.execute(jctx, j, rs, runs, seed)
	return run, nil
}

// execute waits for a slot, runs the comparison and records its end.
func (rn *runner) execute(ctx context.Context, j *job, rs []*model.Roadmap, runs int, seed uint64) {
	defer rn.wg.Done()
	defer j.cancel()
	st := rn.srv.cfg.Store
	status, errMsg := store.StatusDone, ""
	var results []byte

	select {
	case <-j.start:
		err := st.SetRunStatus(context.Background(), j.id, store.StatusRunning, nil, "")
		if err == nil {
			j.update(func() { j.status = store.StatusRunning })
			results, err = compare(ctx, rs, runs, seed, func(done, _ int) { j.update(func() { j.done = done }) })
		}
		rn.release()
		if err != nil {
			status, errMsg = store.StatusFailed, err.Error()
		}
	case <-ctx.Done():
		rn.mu.Lock()
		if i := slices.Index(rn.waiting, j); i >= 0 {
			rn.waiting = slices.Delete(rn.waiting, i, i+1)
			rn.mu.Unlock()
		} else {
			// it was given its slot as it was cancelled: hand the slot on
			rn.mu.Unlock()
			rn.release()
		}
	}
	if ctx.Err() != nil {
		status, errMsg, results = store.StatusInterrupted, "", nil
		j.mu.Lock()
		if j.userCancel {
			status = store.StatusCancelled
		}
		j.mu.Unlock()
	}
	if status == store.StatusFailed {
		rn.srv.cfg.Logf("web: run %d failed: %s", j.id, errMsg)
	}
	if err := st.SetRunStatus(context.Background(), j.id, status, results, errMsg); err != nil {
		rn.srv.cfg.Logf("web: recording the end of run %d: %v", j.id, err)
	}
	rn.mu.Lock()
	rn.inflight--
	delete(rn.jobs, j.id)
	rn.mu.Unlock()
	j.update(func() { j.status = status })
}

// compare runs the roadmaps and returns the comparison as JSON.
func compare(ctx context.Context, rs []*model.Roadmap, runs int, seed uint64, prog func(done, total int)) ([]byte, error) {
	sums, err := montecarlo.Compare(ctx, rs, montecarlo.Options{Runs: runs, Seed: seed, Progress: prog, Yield: true})
	if err != nil {
		return nil, err
	}
	c := report.BuildComparison(sums, report.Meta{Runs: runs, Seed: seed, Chunk: montecarlo.DefaultChunk})
	var b bytes.Buffer
	if err := c.WriteJSON(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// admitLocked counts one more piece of work in flight, or says why it
// cannot be taken: the server is closing, or the queue is full.
func (rn *runner) admitLocked() error {
	switch {
	case rn.closed:
		return errorf(http.StatusServiceUnavailable, "the server is shutting down")
	case rn.inflight >= rn.capacity:
		return errBusy
	}
	rn.inflight++
	return nil
}

// acquire waits for a simulation slot for work that is not a saved run (a
// workbench request), in the same queue as the comparisons, so that together
// they never run more than MaxSimulations at once; a full queue gives
// errBusy. The returned function frees the slot.
func (rn *runner) acquire(ctx context.Context) (func(), error) {
	rn.mu.Lock()
	if err := rn.admitLocked(); err != nil {
		rn.mu.Unlock()
		return nil, err
	}
	j := &job{start: make(chan struct{})}
	rn.waiting = append(rn.waiting, j)
	rn.dispatchLocked()
	rn.mu.Unlock()
	leave := func() {
		rn.mu.Lock()
		rn.inflight--
		rn.mu.Unlock()
	}
	select {
	case <-j.start:
		return func() { rn.release(); leave() }, nil
	case <-ctx.Done():
	case <-rn.base.Done():
	}
	rn.mu.Lock()
	if i := slices.Index(rn.waiting, j); i >= 0 {
		rn.waiting = slices.Delete(rn.waiting, i, i+1)
		rn.mu.Unlock()
	} else {
		rn.mu.Unlock()
		rn.release() // the slot came as we gave up: hand it on
	}
	leave()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return nil, errorf(http.StatusServiceUnavailable, "the server is shutting down")
}

// job returns the job of a run still queued or running here, or nil.
func (rn *runner) job(id int64) *job {
	rn.mu.Lock()
	defer rn.mu.Unlock()
	return rn.jobs[id]
}

// cancelRun stops a queued or running run and waits (a few seconds at
// most) until it has recorded its end, so that a page shown next sees it
// cancelled; it reports false when the run is not going on in this process.
func (rn *runner) cancelRun(id int64) bool {
	j := rn.job(id)
	if j == nil {
		return false
	}
	j.mu.Lock()
	j.userCancel = true
	j.mu.Unlock()
	j.cancel()
	timeout := time.After(cancelWait)
	for {
		p, changed := j.state()
		if store.Finished(p.Status) {
			return true
		}
		select {
		case <-changed:
		case <-timeout:
			return true
		}
	}
}

// cancelWait bounds how long a cancel waits for the run to stop.
const cancelWait = 3 * time.Second

// close interrupts every job and waits for them to record their end.
func (rn *runner) close() {
	rn.mu.Lock()
	rn.closed = true
	rn.mu.Unlock()
	rn.stop()
	rn.wg.Wait()
}

func (j *job) update(f func()) {
	j.mu.Lock()
	f()
	close(j.changed)
	j.changed = make(chan struct{})
	j.mu.Unlock()
}

// state returns the job's progress and a channel closed at its next change.
func (j *job) state() (progress, <-chan struct{}) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return progress{Status: j.status, Done: j.done, Total: j.total}, j.changed
}
