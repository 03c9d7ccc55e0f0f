package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Options say what to ask for and how hard.
type Options struct {
	// Base is the server's address, "http://host:port"; each path is appended to it.
	Base string
	// Paths are asked for in turn: request i goes to Paths[i % len(Paths)].
	Paths []string
	// Clients is how many requests are in flight at once (default 64).
	Clients int
	// Requests is how many requests to send in all; when 0, the clients
	// send requests for Duration.
	Requests int
	Duration time.Duration
	// Check, if set, is called with each answer's path and body length; an
	// error counts the request as failed.
	Check func(path string, size int) error
	// Header is added to every request (a token, say).
	Header http.Header
	// Client sends the requests (default: NewClient(Clients)).
	Client *http.Client
}

// PathResult is what the requests to one path met.
type PathResult struct {
	Path string
	// Latencies of the requests that succeeded, sorted.
	Latencies []time.Duration
	// Errors counts the requests that failed: no answer, a status other
	// than 200, a body cut short or refused by Check. LastErr is one of them.
	Errors  int
	LastErr error
	Bytes   int64
}

// Quantile returns the q-quantile of the latencies (q in [0, 1]), 0 if there are none.
func (p *PathResult) Quantile(q float64) time.Duration {
	return Quantile(p.Latencies, q)
}

// Quantile returns the q-quantile of sorted latencies: the smallest value
// at or above a share q of them; 0 if there are none.
func Quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

// Result is the outcome of a run.
type Result struct {
	Paths   []PathResult
	Elapsed time.Duration
}

// All returns the latencies of every path together, sorted.
func (r *Result) All() []time.Duration {
	var all []time.Duration
	for _, p := range r.Paths {
		all = append(all, p.Latencies...)
	}
	slices.Sort(all)
	return all
}

// Requests counts the requests sent, failed or not.
func (r *Result) Requests() int {
	n := 0
	for _, p := range r.Paths {
		n += len(p.Latencies) + p.Errors
	}
	return n
}

// NewClient returns an HTTP/1.1 client that keeps up to clients connections
// open to one server and reads answers in large blocks.
func NewClient(clients int) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			MaxIdleConns:        clients,
			MaxIdleConnsPerHost: clients,
			MaxConnsPerHost:     clients,
			IdleConnTimeout:     time.Minute,
			ReadBufferSize:      64 << 10,
		},
		Timeout: 30 * time.Second,
	}
}

// Warm opens the client's connections: every client asks for the first
// path once, so that the measured requests do not pay for connecting.
func Warm(ctx context.Context, opt Options) error {
	opt = defaults(opt)
	if len(opt.Paths) == 0 {
		return errors.New("loadgen: no paths to ask for")
	}
	var wg sync.WaitGroup
	errs := make([]error, opt.Clients)
	for c := range opt.Clients {
		wg.Go(func() { _, errs[c] = get(ctx, opt, opt.Base+opt.Paths[0]) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

func defaults(opt Options) Options {
	if opt.Clients <= 0 {
		opt.Clients = 64
	}
	if opt.Client == nil {
		opt.Client = NewClient(opt.Clients)
	}
	return opt
}

// Run sends the requests and measures them. It returns an error only for
// options it cannot run; failed requests are counted in the result.
func Run(ctx context.Context, opt Options) (*Result, error) {
	opt = defaults(opt)
	if len(opt.Paths) == 0 {
		return nil, errors.New("loadgen: no paths to ask for")
	}
	if opt.Requests <= 0 && opt.Duration <= 0 {
		return nil, errors.New("loadgen: give a number of requests or a duration")
	}
	if opt.Duration > 0 && opt.Requests <= 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opt.Duration)
		defer cancel()
	}
	per := make([][]PathResult, opt.Clients) // by client, then path
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for c := range opt.Clients {
		res := make([]PathResult, len(opt.Paths))
		per[c] = res
		wg.Go(func() {
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if opt.Requests > 0 && i >= int64(opt.Requests) {
					return
				}
				p := int(i % int64(len(opt.Paths)))
				t0 := time.Now()
				size, err := get(ctx, opt, opt.Base+opt.Paths[p])
				d := time.Since(t0)
				if ctx.Err() != nil && opt.Requests <= 0 {
					return // cut by the end of the run: not counted
				}
				if err == nil && opt.Check != nil {
					err = opt.Check(opt.Paths[p], size)
				}
				r := &res[p]
				if err != nil {
					r.Errors++
					r.LastErr = err
					continue
				}
				r.Latencies = append(r.Latencies, d)
				r.Bytes += int64(size)
			}
		})
	}
	wg.Wait()
	out := &Result{Elapsed: time.Since(start), Paths: make([]PathResult, len(opt.Paths))}
	for p, path := range opt.Paths {
		pr := PathResult{Path: path}
		for _, res := range per {
			pr.Latencies = append(pr.Latencies, res[p].Latencies...)
			pr.Errors += res[p].Errors
			pr.Bytes += res[p].Bytes
			if res[p].LastErr != nil {
				pr.LastErr = res[p].LastErr
			}
		}
		slices.Sort(pr.Latencies)
		out.Paths[p] = pr
	}
	return out, nil
}

// get sends one GET and reads the whole answer; it returns the body's
// length, or an error for any status but 200.
func get(ctx context.Context, opt Options, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return 0, err
	}
	for k, v := range opt.Header {
		req.Header[k] = v
	}
	resp, err := opt.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	buf := buffers.Get().(*[]byte)
	defer buffers.Put(buf)
	n := 0
	for {
		k, err := resp.Body.Read(*buf)
		n += k
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return n, nil
}

// buffers hold the answers' bodies as they are read: a large buffer reads
// a big page in a few system calls, as a browser does.
var buffers = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}
