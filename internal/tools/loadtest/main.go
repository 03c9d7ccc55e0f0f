// Command loadtest measures a running parley server (or any HTTP server)
// under concurrent keep-alive clients: for each path, the requests, the
// errors and the 50th, 90th and 99th percentiles and the maximum of the
// latency.
//
//	go run ./internal/tools/loadtest [-c 64] [-d 10s | -n N] [-token T] http://127.0.0.1:8080 PATH...
//
// The paths are asked for in turn (for parley's goal: /scenarios/builtin:korea,
// /scenarios/builtin:korea/compare and /runs/ID of a finished run). With
// -token, every request carries it as a bearer token. The exit status is 0
// when every request succeeded, 1 when some failed, 2 for bad arguments.
// BenchmarkLoad in internal/web measures the same in-process.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/parleyhq/parley/internal/loadgen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	clients := fs.Int("c", 64, "concurrent keep-alive clients")
	dur := fs.Duration("d", 10*time.Second, "how long to send requests (unless -n is given)")
	n := fs.Int("n", 0, "how many requests to send in all (instead of -d)")
	token := fs.String("token", os.Getenv("PARLEY_TOKEN"), "a bearer token to send with every request")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: loadtest [-c 64] [-d 10s | -n N] [-token T] http://HOST:PORT PATH...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := checkArgs(fs.Args(), *clients, *dur, *n); err != nil {
		fmt.Fprintf(stderr, "loadtest: %v\n", err)
		return 2
	}
	opt := loadgen.Options{Base: strings.TrimSuffix(fs.Arg(0), "/"), Paths: fs.Args()[1:], Clients: *clients, Requests: *n}
	if *n == 0 {
		opt.Duration = *dur
	}
	if *token != "" {
		opt.Header = http.Header{"Authorization": {"Bearer " + *token}}
	}
	opt.Client = loadgen.NewClient(*clients)
	if err := loadgen.Warm(ctx, opt); err != nil {
		fmt.Fprintf(stderr, "loadtest: the server does not answer %s as expected: %v\n", opt.Base+opt.Paths[0], firstErr(err))
		return 1
	}
	res, err := loadgen.Run(ctx, opt)
	if err != nil {
		fmt.Fprintf(stderr, "loadtest: %v\n", err)
		return 2
	}
	write(stdout, res, *clients)
	failed := 0
	for _, p := range res.Paths {
		failed += p.Errors
		if p.LastErr != nil {
			fmt.Fprintf(stderr, "loadtest: %d errors on %s, such as: %v\n", p.Errors, p.Path, p.LastErr)
		}
	}
	if failed > 0 {
		return 1
	}
	return 0
}

// checkArgs checks the server's address, the paths and the numbers.
func checkArgs(args []string, clients int, dur time.Duration, n int) error {
	if len(args) < 2 {
		return errors.New("give the server's address and at least one path, e.g. http://127.0.0.1:8080 /scenarios/builtin:korea")
	}
	u, err := url.Parse(args[0])
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return fmt.Errorf("the server's address must be http://HOST:PORT (no path), got %q", args[0])
	}
	for _, p := range args[1:] {
		if !strings.HasPrefix(p, "/") {
			return fmt.Errorf("a path must start with /, got %q", p)
		}
	}
	switch {
	case clients < 1:
		return fmt.Errorf("-c must be at least 1, got %d", clients)
	case n < 0:
		return fmt.Errorf("-n must be 0 (use -d) or more, got %d", n)
	case n == 0 && dur <= 0:
		return fmt.Errorf("-d must be positive, got %v", dur)
	}
	return nil
}

// firstErr returns the first of joined errors (every client meets the same).
func firstErr(err error) error {
	if j, ok := err.(interface{ Unwrap() []error }); ok && len(j.Unwrap()) > 0 {
		return j.Unwrap()[0]
	}
	return err
}

// write prints one row per path and one for them all.
func write(w io.Writer, res *loadgen.Result, clients int) {
	secs := res.Elapsed.Seconds()
	fmt.Fprintf(w, "%d clients, %d requests in %.1f s: %.0f requests/s\n\n", clients, res.Requests(), secs, float64(res.Requests())/secs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "requests\terrors\tkB\tp50 ms\tp90 ms\tp99 ms\tmax ms\t  path")
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }
	row := func(name string, lat []time.Duration, errs int, kb string) {
		mx := time.Duration(0)
		if len(lat) > 0 {
			mx = lat[len(lat)-1]
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\t  %s\n", len(lat)+errs, errs, kb,
			ms(loadgen.Quantile(lat, 0.5)), ms(loadgen.Quantile(lat, 0.9)), ms(loadgen.Quantile(lat, 0.99)), ms(mx), name)
	}
	errs := 0
	for _, p := range res.Paths {
		kb := "-"
		if len(p.Latencies) > 0 {
			kb = fmt.Sprintf("%.1f", float64(p.Bytes)/float64(len(p.Latencies))/1000)
		}
		row(p.Path, p.Latencies, p.Errors, kb)
		errs += p.Errors
	}
	if len(res.Paths) > 1 {
		row("all", res.All(), errs, "")
	}
	tw.Flush()
}
