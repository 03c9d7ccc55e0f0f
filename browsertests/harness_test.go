package browsertests

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The environment these tests read.
const (
	chromiumVar = "PARLEY_CHROMIUM"    // the browser to drive (default /usr/bin/chromium)
	binVar      = "PARLEY_BIN"         // a parley binary to serve with (default: built from ../)
	outVar      = "PARLEY_BROWSER_OUT" // where screenshots go (default testdata/out)
)

const defaultChromium = "/usr/bin/chromium"

// built is the parley binary the tests build once, in a directory TestMain removes.
var built struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// needService skips the test when a service it needs is missing, or fails
// it when CI=true, so that CI can never skip a browser test silently.
func needService(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s (CI=true, so this is a failure, not a skip)", msg)
	}
	t.Skip(msg)
}

// chromiumPath returns the browser to drive: $PARLEY_CHROMIUM or /usr/bin/chromium.
func chromiumPath(t *testing.T) string {
	t.Helper()
	p := os.Getenv(chromiumVar)
	if p == "" {
		p = defaultChromium
	}
	if st, err := os.Stat(p); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		needService(t, "no Chromium at %s: install it (.ci/chromium.sh) or set %s", p, chromiumVar)
	}
	return p
}

// parleyBinary returns $PARLEY_BIN, or builds ../cmd/parley once with the
// main module's own go.mod (so the browser driver never enters its build).
func parleyBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv(binVar); p != "" {
		return p
	}
	built.once.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			built.err = fmt.Errorf("the go command is not on PATH (%v): set %s to a parley binary", err, binVar)
			return
		}
		built.dir, built.err = os.MkdirTemp("", "parley-browsertests-")
		if built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "parley")
		cmd := exec.Command(goTool, "build", "-o", built.path, "./cmd/parley")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			built.err = fmt.Errorf("go build ./cmd/parley: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

var servingRE = regexp.MustCompile(`^parley serving on (http://\S+)`)

// server is one `parley serve` subprocess.
type server struct {
	URL string // http://127.0.0.1:PORT, no trailing slash
	DB  string
}

// startServer runs the parley binary's `serve` on 127.0.0.1 with a port the
// system picks and a fresh database, exactly as a user would start it, and
// stops it (SIGINT, as Ctrl-C does) when the test ends.
func startServer(t *testing.T) *server {
	t.Helper()
	bin := parleyBinary(t)
	dir := t.TempDir()
	s := &server{DB: filepath.Join(dir, "parley.db")}
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", s.DB)
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PARLEY_TOKEN=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s serve: %v", bin, err)
	}
	exited := make(chan error, 1)
	first := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil {
				first <- m[1]
				break
			}
		}
		io.Copy(io.Discard, stdout)
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGINT)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("parley serve ended with %v\n%s", err, stderr)
			}
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Errorf("parley serve did not stop within 20 s of SIGINT\n%s", stderr)
		}
	})
	select {
	case s.URL = <-first:
	case err := <-exited:
		t.Fatalf("parley serve exited before listening: %v\n%s", err, stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("parley serve did not print its address within 30 s\n%s", stderr)
	}
	return s
}

// lockedBuffer collects a subprocess's stderr; safe to read while it writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// browser is one tab of a headless Chromium, with what its pages did.
type browser struct {
	t   *testing.T
	ctx context.Context
	log *pageLog // shared by the tabs of one browser
}

// pageLog collects, from every tab, the console messages and the requests.
type pageLog struct {
	mu       sync.Mutex
	console  []chromedp.ConsoleMessage
	requests []request
	allowed  []*regexp.Regexp // console messages a test expects
}

// request is one HTTP request a page made.
type request struct {
	Method, URL string
	Type        network.ResourceType // Document, XHR, EventSource, Script...
	HTMX        bool                 // sent by htmx (HX-Request: true)
}

// expectConsole lets the pages write a console message that matches re
// without failing the test, such as the browser's note of a 422 answer to a
// form that the test submits on purpose with an error.
func (b *browser) expectConsole(re string) {
	b.log.mu.Lock()
	defer b.log.mu.Unlock()
	b.log.allowed = append(b.log.allowed, regexp.MustCompile(re))
}

// requests returns the requests the pages have made so far.
func (b *browser) requests() []request {
	b.log.mu.Lock()
	defer b.log.mu.Unlock()
	return append([]request(nil), b.log.requests...)
}

// watch collects the console messages and requests of the tab of ctx until
// ctx ends; the returned channel closes then.
func (l *pageLog) watch(ctx context.Context) <-chan struct{} {
	console := chromedp.Console(ctx)
	reqs := chromedp.Events(ctx, network.RequestWillBeSent)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for m, err := range console {
			if err != nil {
				return
			}
			l.mu.Lock()
			l.console = append(l.console, m)
			l.mu.Unlock()
		}
	}()
	go func() {
		defer wg.Done()
		for ev, err := range reqs {
			if err != nil {
				return
			}
			if ev.Request == nil {
				continue
			}
			hx, _ := ev.Request.Headers["HX-Request"].(string)
			l.mu.Lock()
			l.requests = append(l.requests, request{Method: ev.Request.Method, URL: ev.Request.URL, Type: ev.Type, HTMX: hx == "true"})
			l.mu.Unlock()
		}
	}()
	go func() { wg.Wait(); close(done) }()
	return done
}

// check fails the test for every exception and console error it was not told to expect.
func (l *pageLog) check(t *testing.T) {
	l.mu.Lock()
	defer l.mu.Unlock()
next:
	for _, m := range l.console {
		if m.Type != chromedp.ConsoleError && !m.IsException() {
			continue
		}
		for _, re := range l.allowed {
			if re.MatchString(m.Text) {
				continue next
			}
		}
		t.Errorf("the page said %s (%s:%d)", m, m.URL, m.Line+1)
	}
}

// newBrowser starts a headless Chromium with a throwaway profile and
// nothing that calls out to the network, and closes it when the test ends;
// the test then fails if a page threw an exception or logged an error.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	exe := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-pings", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to run as root with its sandbox
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	b := &browser{t: t, ctx: ctx, log: &pageLog{}}
	// The first Run starts the browser, which lives as long as ctx: no timeout on it.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("starting %s: %v", exe, err)
	}
	done := b.log.watch(ctx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		<-done
		b.log.check(t)
	})
	return b
}

// newTab opens another tab in the same browser, closed when the test ends.
func (b *browser) newTab() *browser {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	// as for the browser, the first Run makes the tab and binds it to its
	// context: no timeout on it
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		b.t.Fatalf("opening a tab: %v", err)
	}
	done := b.log.watch(ctx)
	b.t.Cleanup(func() { cancel(); <-done })
	return &browser{t: b.t, ctx: ctx, log: b.log}
}

// stepTimeout bounds one group of actions; the browser itself lives on.
const stepTimeout = 60 * time.Second

// do runs actions in the tab, failing the test (with what) if they fail.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// load runs actions that open a page (a click on a link or a form's
// button), waits until the page has loaded and returns its HTTP status.
func (b *browser) load(what string, actions ...chromedp.Action[chromedp.Void]) int64 {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return resp.Status
}

// get runs one action that returns a value.
func get[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// outDir returns where screenshots go: $PARLEY_BROWSER_OUT, or testdata/out.
func outDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv(outVar)
	if dir == "" {
		dir = filepath.Join("testdata", "out")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}
