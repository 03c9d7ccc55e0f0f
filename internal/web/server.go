package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

//go:embed openapi.json
var openAPIDoc []byte

// Defaults of [Config].
const (
	DefaultMaxBodyBytes   = 8 << 20
	DefaultMaxSimulations = 2
	DefaultMaxQueued      = 8
	DefaultMaxRuns        = 1_000_000
	DefaultRetryAfter     = 10 * time.Second
)

// Config configures a [Server].
type Config struct {
	// Store keeps the user's scenarios and the runs; required.
	Store store.Store
	// Version is parley's version, saved with every run.
	Version string
	// Token, when set, must come with every request: as "Authorization:
	// Bearer TOKEN" or in the cookie the login form sets. Without it the
	// server answers only requests addressed to a loopback host name, so
	// that a web page elsewhere cannot reach it by DNS rebinding.
	Token string
	// MaxBodyBytes caps request bodies (default DefaultMaxBodyBytes).
	MaxBodyBytes int64
	// MaxSimulations is how many comparisons run at once (default
	// DefaultMaxSimulations); up to MaxQueued more wait, and beyond that a
	// request gets 429 with a Retry-After of RetryAfter.
	MaxSimulations int
	MaxQueued      int
	RetryAfter     time.Duration
	// MaxRuns caps the histories per roadmap one request may ask for.
	MaxRuns int
	// Logf, if set, receives one line per failure the user does not see in full.
	Logf func(format string, args ...any)
}

// Server is the web app. It is an http.Handler; call Close when done with it.
type Server struct {
	cfg    Config
	mux    *http.ServeMux
	routes []string // the patterns registered, in order
	pages  map[string]*pageTemplate
	runner *runner
	views  viewCache
	static http.Handler
	cop    *http.CrossOriginProtection
	cookie string // the value of the session cookie when Token is set

	// changes counts the changes to the store; pageCache keeps pages (cache.go)
	changes   changes
	pageCache pageCache
}

// New builds the server: it parses the templates, marks the runs an earlier
// process left queued or running as interrupted, and registers the routes.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("web: no store")
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxSimulations <= 0 {
		cfg.MaxSimulations = DefaultMaxSimulations
	}
	if cfg.MaxQueued < 0 {
		cfg.MaxQueued = 0
	} else if cfg.MaxQueued == 0 {
		cfg.MaxQueued = DefaultMaxQueued
	}
	if cfg.MaxRuns <= 0 {
		cfg.MaxRuns = DefaultMaxRuns
	}
	if cfg.RetryAfter <= 0 {
		cfg.RetryAfter = DefaultRetryAfter
	}
	if cfg.Version == "" {
		cfg.Version = "dev"
	}
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	if _, err := cfg.Store.InterruptRuns(ctx); err != nil {
		return nil, fmt.Errorf("marking interrupted runs: %w", err)
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:    cfg,
		mux:    http.NewServeMux(),
		pages:  pages,
		static: http.StripPrefix("/static/", http.FileServerFS(sub)),
		cop:    http.NewCrossOriginProtection(),
	}
	s.cfg.Store = newGenStore(cfg.Store, &s.changes)
	if cfg.Token != "" {
		sum := sha256.Sum256([]byte("parley session\x00" + cfg.Token))
		s.cookie = hex.EncodeToString(sum[:])
	}
	s.runner = newRunner(s, cfg.MaxSimulations, cfg.MaxQueued)
	s.registerRoutes()
	return s, nil
}

// Close cancels the comparisons still queued or running, marks them
// interrupted, and waits for them to stop.
func (s *Server) Close() { s.runner.close() }

// handle registers a route and remembers its pattern.
func (s *Server) handle(pattern string, h http.HandlerFunc) {
	s.routes = append(s.routes, pattern)
	s.mux.Handle(pattern, h)
}

// Routes returns the patterns of every registered route, "METHOD /path".
func (s *Server) Routes() []string { return append([]string(nil), s.routes...) }

func (s *Server) registerRoutes() {
	// pages
	s.handle("GET /{$}", s.home)
	s.handle("GET /static/", s.serveStatic)
	s.handle("GET /login", s.loginPage)
	s.handle("POST /login", s.login)
	s.handle("GET /scenarios", s.libraryPage)
	s.handle("POST /scenarios", s.createScenarioPage)
	s.handle("GET /scenarios/new", s.newScenarioPage)
	s.handle("POST /validate", s.validateFragment)
	s.handle("GET /scenarios/{key}", s.scenarioPage)
	s.handle("POST /scenarios/{key}", s.saveScenarioPage)
	s.handle("GET /scenarios/{key}/edit", s.editScenarioPage)
	s.handle("POST /scenarios/{key}/delete", s.deleteScenarioPage)
	s.handle("GET /scenarios/{key}/compare", s.comparePage)
	s.handle("POST /scenarios/{key}/compare", s.startComparePage)
	s.handle("GET /scenarios/{key}/audit", s.auditPage)
	s.handle("GET /scenarios/{key}/trace", s.tracePage)
	s.handle("GET /runs", s.runsPage)
	s.handle("GET /runs/compare", s.runsComparePage)
	s.handle("GET /runs/{id}", s.runPage)
	s.handle("POST /runs/{id}/cancel", s.cancelRunPage)
	s.handle("POST /runs/{id}/delete", s.deleteRunPage)
	s.handle("GET /workbench", s.workbenchPage)
	s.handle("GET /workbench/tournament", tournamentCap.get(s))
	s.handle("POST /workbench/tournament", tournamentCap.post(s))
	s.handle("GET /workbench/match", matchCap.get(s))
	s.handle("POST /workbench/match", matchCap.post(s))
	s.handle("GET /workbench/moran", moranCap.get(s))
	s.handle("POST /workbench/moran", moranCap.post(s))
	s.handle("GET /workbench/bargain", bargainCap.get(s))
	s.handle("POST /workbench/bargain", bargainCap.post(s))
	s.handle("GET /workbench/rubinstein", rubinsteinCap.get(s))
	s.handle("POST /workbench/rubinstein", rubinsteinCap.post(s))
	s.handle("GET /workbench/equilibria", equilibriaCap.get(s))
	s.handle("POST /workbench/equilibria", equilibriaCap.post(s))
	s.handle("GET /workbench/forecast", forecastCap.get(s))
	s.handle("POST /workbench/forecast", forecastCap.post(s))

	// API
	s.handle("GET /api/v1/openapi.json", s.apiOpenAPI)
	s.handle("GET /api/v1/scenarios", s.apiListScenarios)
	s.handle("POST /api/v1/scenarios", s.apiCreateScenario)
	s.handle("POST /api/v1/validate", s.apiValidate)
	s.handle("GET /api/v1/scenarios/{key}", s.apiGetScenario)
	s.handle("PUT /api/v1/scenarios/{key}", s.apiUpdateScenario)
	s.handle("DELETE /api/v1/scenarios/{key}", s.apiDeleteScenario)
	s.handle("POST /api/v1/scenarios/{key}/duplicate", s.apiDuplicateScenario)
	s.handle("GET /api/v1/scenarios/{key}/export", s.apiExportScenario)
	s.handle("POST /api/v1/scenarios/{key}/compare", s.apiStartCompare)
	s.handle("GET /api/v1/scenarios/{key}/audit", s.apiAudit)
	s.handle("GET /api/v1/scenarios/{key}/trace", s.apiTrace)
	s.handle("GET /api/v1/runs", s.apiListRuns)
	s.handle("GET /api/v1/runs/compare", s.apiCompareRuns)
	s.handle("GET /api/v1/runs/{id}", s.apiGetRun)
	s.handle("DELETE /api/v1/runs/{id}", s.apiDeleteRun)
	s.handle("GET /api/v1/runs/{id}/events", s.apiRunEvents)
	s.handle("POST /api/v1/runs/{id}/cancel", s.apiCancelRun)
	s.handle("GET /api/v1/runs/{id}/results.json", s.apiRunResultsJSON)
	s.handle("GET /api/v1/runs/{id}/results.csv", s.apiRunResultsCSV)
	s.handle("GET /api/v1/workbench", s.apiWorkbench)
	s.handle("GET /api/v1/workbench/strategies", s.apiStrategies)
	s.handle("POST /api/v1/workbench/tournament", tournamentCap.api(s))
	s.handle("POST /api/v1/workbench/match", matchCap.api(s))
	s.handle("POST /api/v1/workbench/moran", moranCap.api(s))
	s.handle("POST /api/v1/workbench/bargain", bargainCap.api(s))
	s.handle("POST /api/v1/workbench/rubinstein", rubinsteinCap.api(s))
	s.handle("POST /api/v1/workbench/equilibria", equilibriaCap.api(s))
	s.handle("POST /api/v1/workbench/forecast", forecastCap.api(s))
}

// ServeHTTP applies the safety checks, then routes the request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")

	if s.cfg.Token == "" && !loopbackHost(r.Host) {
		s.fail(w, r, http.StatusMisdirectedRequest, "this server answers only on localhost, 127.0.0.1 or [::1]; to serve other hosts, start it with --token")
		return
	}
	if err := s.cop.Check(r); err != nil {
		s.fail(w, r, http.StatusForbidden, "cross-origin requests that change data are refused")
		return
	}
	if s.cfg.Token != "" && !s.public(r) && !s.authorized(r) {
		s.unauthorized(w, r)
		return
	}
	if r.ContentLength > s.cfg.MaxBodyBytes {
		s.fail(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body has %d bytes; at most %d are accepted", r.ContentLength, s.cfg.MaxBodyBytes))
		return
	}
	if r.Body != nil {
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
	}
	s.mux.ServeHTTP(w, r)
}

// public reports whether a request may go without the token: the login form
// and the static files it needs.
func (s *Server) public(r *http.Request) bool {
	p := r.URL.Path
	return p == "/login" || strings.HasPrefix(p, "/static/")
}

// authorized reports whether the request carries the token, as a bearer
// token or as the session cookie.
func (s *Server) authorized(r *http.Request) bool {
	if auth := r.Header.Get("Authorization"); auth != "" {
		scheme, tok, ok := strings.Cut(auth, " ")
		return ok && strings.EqualFold(scheme, "Bearer") &&
			subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(s.cfg.Token)) == 1
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return subtle.ConstantTimeCompare([]byte(c.Value), []byte(s.cookie)) == 1
	}
	return false
}

const sessionCookie = "parley_session"

// loopbackHost reports whether a Host header names this machine's loopback interface.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// IsLoopbackAddr reports whether a listen address (host:port) binds only
// the loopback interface; an empty host binds every interface.
func IsLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return false
	}
	return loopbackHost(host)
}

// HTTPServer returns an *http.Server for h with parley's timeouts: ten
// seconds to send the headers, thirty for the whole request, a minute to
// write a response (event streams push their deadline forward as they go)
// and two minutes for an idle connection.
func HTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-cache")
	s.static.ServeHTTP(w, r)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
