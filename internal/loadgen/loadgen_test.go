package loadgen

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestQuantile(t *testing.T) {
	var lat []time.Duration
	for i := 1; i <= 100; i++ {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0, 1 * time.Millisecond}, {0.5, 51 * time.Millisecond}, {0.99, 100 * time.Millisecond}, {1, 100 * time.Millisecond}} {
		if got := Quantile(lat, c.q); got != c.want {
			t.Errorf("Quantile(1..100 ms, %g) = %v, want %v", c.q, got, c.want)
		}
	}
	if Quantile(nil, 0.5) != 0 {
		t.Error("the quantile of no latencies is not 0")
	}
}

// Every request is sent once, to the paths in turn, and counted as a
// success or an error by what came back.
func TestRunCountsEveryRequest(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		switch r.URL.Path {
		case "/page":
			w.Write([]byte(strings.Repeat("x", 100_000)))
		case "/short":
			w.Write([]byte("short"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	const n = 301
	res, err := Run(context.Background(), Options{
		Base: srv.URL, Paths: []string{"/page", "/missing", "/short"}, Clients: 8, Requests: n,
		Check: func(path string, size int) error {
			if path == "/short" {
				return errors.New("too short")
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests() != n || served.Load() != n {
		t.Fatalf("%d requests counted and %d served, want %d", res.Requests(), served.Load(), n)
	}
	page, missing, short := res.Paths[0], res.Paths[1], res.Paths[2]
	if len(page.Latencies) != 101 || page.Errors != 0 || page.Bytes != 101*100_000 {
		t.Errorf("/page: %d answers, %d errors, %d bytes; want 101, 0, %d", len(page.Latencies), page.Errors, page.Bytes, 101*100_000)
	}
	if len(missing.Latencies) != 0 || missing.Errors != 100 || missing.LastErr == nil || !strings.Contains(missing.LastErr.Error(), "404") {
		t.Errorf("/missing: %d answers, %d errors (%v); want 0, 100 with the 404", len(missing.Latencies), missing.Errors, missing.LastErr)
	}
	if short.Errors != 100 || short.LastErr == nil || short.LastErr.Error() != "too short" {
		t.Errorf("/short: %d errors (%v); want 100 refused by the check", short.Errors, short.LastErr)
	}
	for i := 1; i < len(page.Latencies); i++ {
		if page.Latencies[i] < page.Latencies[i-1] {
			t.Fatal("the latencies are not sorted")
		}
	}
	if all := res.All(); len(all) != 101 {
		t.Errorf("All has %d latencies, want 101", len(all))
	}
}

// A run for a duration ends when it is over, or when its context is cancelled.
func TestRunForADuration(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()
	opt := Options{Base: srv.URL, Paths: []string{"/"}, Clients: 4, Duration: 50 * time.Millisecond}
	if err := Warm(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests() == 0 || res.Paths[0].Errors != 0 {
		t.Errorf("a run of 50 ms sent %d requests with %d errors", res.Requests(), res.Paths[0].Errors)
	}
	if _, err := Run(context.Background(), Options{Base: srv.URL}); err == nil {
		t.Error("a run with no paths did not fail")
	}
	if _, err := Run(context.Background(), Options{Base: srv.URL, Paths: []string{"/"}}); err == nil {
		t.Error("a run with neither requests nor a duration did not fail")
	}
}
