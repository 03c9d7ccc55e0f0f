package web

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/loadgen"
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
// the latency percentiles of each page in milliseconds, its errors (any
// answer but 200 with the whole body) and its size, and the CPU time of the
// process per request. The clients share the machine with the server, as a
// load generator on loopback does.
//
//	go test -run '^$' -bench Load -benchtime 30000x ./internal/web/
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
	client := loadgen.NewClient(clients)
	defer client.CloseIdleConnections()

	// the size of each page, to check every answer came whole
	opt := loadgen.Options{Base: base, Clients: clients, Client: client}
	sizes := map[string]int{}
	for _, p := range loadPages {
		opt.Paths = append(opt.Paths, p.path)
		res, err := loadgen.Run(b.Context(), loadgen.Options{Base: base, Paths: []string{p.path}, Clients: 1, Requests: 1, Client: client})
		if err != nil || res.Paths[0].Errors > 0 {
			b.Fatalf("GET %s: %v %v", p.path, err, res.Paths[0].LastErr)
		}
		sizes[p.path] = int(res.Paths[0].Bytes)
	}
	if *loadWriteEvery == 0 { // (runs started during the load change the lists)
		opt.Check = func(path string, size int) error {
			if size != sizes[path] {
				return fmt.Errorf("GET %s: %d bytes, want %d", path, size, sizes[path])
			}
			return nil
		}
	}
	// every client opens its connection before the clock starts
	if err := loadgen.Warm(b.Context(), opt); err != nil {
		b.Fatal(err)
	}

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

	opt.Requests = b.N
	cpu0 := cpuTime()
	b.ResetTimer()
	res, err := loadgen.Run(b.Context(), opt)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
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

	for i, page := range loadPages {
		p := &res.Paths[i]
		reportLatencies(b, page.name+"-", p.Latencies)
		b.ReportMetric(float64(p.Errors), page.name+"-errors")
		b.ReportMetric(float64(sizes[page.path])/1000, page.name+"-kB")
		if p.LastErr != nil {
			b.Errorf("%d errors on %s, such as: %v", p.Errors, page.path, p.LastErr)
		}
	}
	reportLatencies(b, "", res.All())
}

// reportLatencies reports the 50th, 90th and 99th percentiles and the
// maximum of sorted latencies, in milliseconds.
func reportLatencies(b *testing.B, prefix string, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	b.ReportMetric(ms(loadgen.Quantile(lat, 0.50)), prefix+"p50-ms")
	b.ReportMetric(ms(loadgen.Quantile(lat, 0.90)), prefix+"p90-ms")
	b.ReportMetric(ms(loadgen.Quantile(lat, 0.99)), prefix+"p99-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), prefix+"max-ms")
}
