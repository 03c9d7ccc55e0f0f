package web

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// loadClients is how many clients BenchmarkLoad runs at once.
var loadClients = flag.Int("load.clients", 64, "BenchmarkLoad: concurrent keep-alive clients")

// loadWriteEvery, when positive, has BenchmarkLoad start a comparison of
// one history of builtin:tiny that often while the clients read: each
// changes the list of runs and ends a run, so that every kept page the
// clients read must be rendered again.
var loadWriteEvery = flag.Duration("load.write-every", 0, "BenchmarkLoad: start a one-history comparison this often during the load (0: never)")

// loadWriteScenario and loadWriteRuns choose the comparisons started during
// the load: a large one keeps the simulation slots busy, as a class running
// comparisons while others read would (a comparison that finds the queue
// full is not an error).
var (
	loadWriteScenario = flag.String("load.write-scenario", "builtin:tiny", "BenchmarkLoad: the scenario of the comparisons started during the load")
	loadWriteRuns     = flag.Int("load.write-runs", 1, "BenchmarkLoad: the histories per roadmap of the comparisons started during the load")
)

// loadPages are the pages BenchmarkLoad asks for, in turn: a scenario, its
// compare page (which lists its saved runs) and a finished run.
var loadPages = []struct{ name, path string }{
	{"scenario", "/scenarios/builtin:korea"},
	{"compare", "/scenarios/builtin:korea/compare"},
	{"run", "/runs/1"},
}

// BenchmarkLoad serves the app on 127.0.0.1 with a SQLite store holding one
// finished korea run of 2,000 histories per roadmap, and sends b.N requests
// from -load.clients concurrent HTTP/1.1 keep-alive clients (64 by default),
// each asking for the scenario, compare and run pages in turn. ns/op is the
// wall time per request (one over the throughput); the custom metrics are
// the latency percentiles of each page in milliseconds and its errors (any
// answer but 200 with the whole body). The clients share the machine with the
// server, as a load generator on loopback does.
//
//	go test -run '^$' -bench Load -benchtime 20000x ./internal/web/
func BenchmarkLoad(b *testing.B) {
	ts := benchServer(b)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := HTTPServer(ts)
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())
	base := "http://" + ln.Addr().String()

	clients := *loadClients
	tr := &http.Transport{
		MaxIdleConns:        clients,
		MaxIdleConnsPerHost: clients,
		MaxConnsPerHost:     clients,
		IdleConnTimeout:     time.Minute,
		ReadBufferSize:      64 << 10,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}

	// the size of each page, to check every answer came whole
	sizes := make([]int, len(loadPages))
	for i, p := range loadPages {
		n, err := loadGet(client, base+p.path)
		if err != nil {
			b.Fatalf("GET %s: %v", p.path, err)
		}
		sizes[i] = n
	}

	// every client opens its connection before the clock starts
	var warm sync.WaitGroup
	for range clients {
		warm.Go(func() { loadGet(client, base+loadPages[0].path) })
	}
	warm.Wait()

	var writer sync.WaitGroup
	stopWrites := make(chan struct{})
	var writes, writeErrs int
	if every := *loadWriteEvery; every > 0 {
		path := "/api/v1/scenarios/" + *loadWriteScenario + "/compare"
		body := fmt.Sprintf(`{"runs": %d}`, *loadWriteRuns)
		write := func() error {
			resp, err := client.Post(base+path, "application/json", strings.NewReader(body))
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusAccepted && resp.StatusCode != http.StatusTooManyRequests {
				return errors.New("POST " + path + ": " + resp.Status)
			}
			return nil
		}
		writer.Go(func() {
			tick := time.NewTicker(every)
			defer tick.Stop()
			for {
				select {
				case <-stopWrites:
					return
				case <-tick.C:
					writes++
					if err := write(); err != nil {
						writeErrs++
					}
				}
			}
		})
	}

	type result struct {
		lat  [][]time.Duration // by page
		errs []int
		last error
	}
	results := make([]result, clients)
	var next atomic.Int64
	n := int64(b.N)
	var wg sync.WaitGroup
	cpu0 := cpuTime()
	b.ResetTimer()
	for c := range clients {
		res := &results[c]
		res.lat = make([][]time.Duration, len(loadPages))
		res.errs = make([]int, len(loadPages))
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= n {
					return
				}
				p := int(i % int64(len(loadPages)))
				t0 := time.Now()
				size, err := loadGet(client, base+loadPages[p].path)
				d := time.Since(t0)
				if err == nil && size != sizes[p] && *loadWriteEvery == 0 { // (runs started during the load change the lists)
					err = fmt.Errorf("GET %s: %d bytes, want %d", loadPages[p].path, size, sizes[p])
				}
				if err != nil {
					res.errs[p]++
					res.last = err
					continue
				}
				res.lat[p] = append(res.lat[p], d)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	// the CPU time of the process (server and clients) per request, which
	// depends less on what else the machine runs than the latencies do
	if cpu0 >= 0 {
		b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Microsecond)/float64(b.N), "cpu-µs/op")
	}
	close(stopWrites)
	writer.Wait()
	if writeErrs > 0 {
		b.Errorf("%d of %d comparisons started during the load failed", writeErrs, writes)
	}
	if *loadWriteEvery > 0 {
		b.ReportMetric(float64(writes), "writes")
	}

	var all []time.Duration
	for p, page := range loadPages {
		var lat []time.Duration
		errs := 0
		for _, r := range results {
			lat = append(lat, r.lat[p]...)
			errs += r.errs[p]
		}
		all = append(all, lat...)
		reportLatencies(b, page.name+"-", lat)
		b.ReportMetric(float64(errs), page.name+"-errors")
		b.ReportMetric(float64(sizes[p])/1000, page.name+"-kB")
	}
	reportLatencies(b, "", all)
	for _, r := range results {
		if r.last != nil {
			b.Errorf("an error (of %d clients): %v", clients, r.last)
			break
		}
	}
}

// reportLatencies reports the 50th, 90th and 99th percentiles and the
// maximum of lat, in milliseconds.
func reportLatencies(b *testing.B, prefix string, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	at := func(q float64) time.Duration { return lat[min(len(lat)-1, int(q*float64(len(lat))))] }
	b.ReportMetric(ms(at(0.50)), prefix+"p50-ms")
	b.ReportMetric(ms(at(0.90)), prefix+"p90-ms")
	b.ReportMetric(ms(at(0.99)), prefix+"p99-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), prefix+"max-ms")
}

// loadGet sends one GET and reads the whole answer; it returns the body's
// length, or an error for any status but 200.
func loadGet(c *http.Client, url string) (int, error) {
	resp, err := c.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	buf := readBuffers.Get().(*[]byte)
	defer readBuffers.Put(buf)
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
		return 0, errors.New(url + ": " + resp.Status)
	}
	return n, nil
}

// readBuffers hold the answers' bodies as they are read: a large buffer
// reads a run's page in a few system calls, as a browser does.
var readBuffers = sync.Pool{New: func() any { b := make([]byte, 64<<10); return &b }}
