package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// samplePath turns a route pattern into a path that reaches it.
func samplePath(pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	path = strings.TrimSuffix(path, "{$}")
	path = strings.ReplaceAll(path, "{key}", "builtin:tiny")
	path = strings.ReplaceAll(path, "{id}", "1")
	if strings.HasSuffix(path, "/static/") {
		path += "app.css"
	}
	return method, path
}

func TestTokenIsRequiredEverywhere(t *testing.T) {
	const token = "correct-horse-battery-staple"
	ts := newServer(t, Config{Token: token})
	// with a token, any host name is served (behind the token)
	send := func(method, path string, hdr map[string]string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, path, nil)
		r.Host = "parley.example.org"
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		ts.ServeHTTP(w, r)
		record(ts.Server, r, w.Code)
		return w
	}
	for _, p := range ts.Routes() {
		method, path := samplePath(p)
		public := path == "/login" || strings.HasPrefix(path, "/static/")
		for name, hdr := range map[string]map[string]string{
			"no token":      nil,
			"wrong token":   {"Authorization": "Bearer not-the-token-at-all"},
			"wrong scheme":  {"Authorization": "Basic " + token},
			"empty bearer":  {"Authorization": "Bearer "},
			"token in part": {"Authorization": "Bearer " + token[:10]},
			"wrong cookie":  {"Cookie": sessionCookie + "=" + token},
		} {
			w := send(method, path, hdr)
			if public {
				if method == "POST" { // a login without the right token is refused
					continue
				}
				if w.Code == http.StatusUnauthorized {
					t.Errorf("%s %s (%s): 401, but it is public", method, path, name)
				}
				continue
			}
			if w.Code != http.StatusUnauthorized {
				t.Errorf("%s %s with %s: %d, want 401", method, path, name, w.Code)
			}
			if w.Header().Get("WWW-Authenticate") != `Bearer realm="parley"` {
				t.Errorf("%s %s: no WWW-Authenticate challenge", method, path)
			}
		}
	}
	// API: JSON error; pages: the login form
	w := send("GET", "/api/v1/scenarios", nil)
	if !strings.Contains(w.Body.String(), `"error"`) {
		t.Errorf("API 401 body: %s", w.Body.String())
	}
	w = send("GET", "/runs?x=1", nil)
	if !strings.Contains(w.Body.String(), `action="/login"`) || !strings.Contains(w.Body.String(), `name="next" value="/runs?x=1"`) {
		t.Errorf("page 401 body lacks the login form: %s", w.Body.String())
	}
	// the right bearer token
	w = send("GET", "/api/v1/scenarios", map[string]string{"Authorization": "Bearer " + token})
	want(t, w, http.StatusOK)
	w = send("GET", "/scenarios", map[string]string{"Authorization": "bearer " + token})
	want(t, w, http.StatusOK)

	// the login form
	w = send("GET", "/login?next=/runs", nil)
	want(t, w, http.StatusOK)
	login := func(tok, next string) *httptest.ResponseRecorder {
		body := "token=" + tok + "&next=" + next
		r := httptest.NewRequest("POST", "/login", strings.NewReader(body))
		r.Host = "parley.example.org"
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		ts.ServeHTTP(w, r)
		record(ts.Server, r, w.Code)
		return w
	}
	w = login("guess", "/runs")
	want(t, w, http.StatusUnauthorized)
	if !strings.Contains(w.Body.String(), "That is not the token.") || len(w.Result().Cookies()) != 0 {
		t.Error("a wrong token is not refused plainly")
	}
	w = login(token, "//evil.example/")
	want(t, w, http.StatusSeeOther)
	if loc := w.Header().Get("Location"); loc != "/" {
		t.Errorf("login redirects to %q: an open redirect", loc)
	}
	w = login(token, "/runs")
	want(t, w, http.StatusSeeOther)
	if w.Header().Get("Location") != "/runs" {
		t.Errorf("login leads to %q", w.Header().Get("Location"))
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 1 || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteStrictMode || strings.Contains(cookies[0].Value, token) {
		t.Fatalf("session cookie %+v", cookies)
	}
	w = send("GET", "/runs", map[string]string{"Cookie": cookies[0].String()})
	want(t, w, http.StatusOK)
	w = send("GET", "/api/v1/runs", map[string]string{"Cookie": cookies[0].String()})
	want(t, w, http.StatusOK)
}

func TestLoginWithoutToken(t *testing.T) {
	ts := newServer(t, Config{})
	w := ts.get(t, "/login")
	want(t, w, http.StatusSeeOther)
	w = ts.postForm(t, "/login", map[string]string{"token": "x"})
	want(t, w, http.StatusSeeOther)
}

func TestLoopbackOnlyWithoutToken(t *testing.T) {
	ts := newServer(t, Config{})
	for host, code := range map[string]int{
		"127.0.0.1:8080": 200, "localhost:8080": 200, "LOCALHOST": 200, "[::1]:8080": 200, "127.0.0.2": 200,
		"evil.example:8080": http.StatusMisdirectedRequest, "192.168.1.10:8080": http.StatusMisdirectedRequest,
		"localhost.evil.example": http.StatusMisdirectedRequest, "": http.StatusMisdirectedRequest,
	} {
		r := httptest.NewRequest("GET", "/api/v1/scenarios", nil)
		r.Host = host
		w := httptest.NewRecorder()
		ts.ServeHTTP(w, r)
		if w.Code != code {
			t.Errorf("Host %q: %d, want %d", host, w.Code, code)
		}
	}
	for addr, loop := range map[string]bool{
		"127.0.0.1:8080": true, "localhost:0": true, "[::1]:80": true,
		":8080": false, "0.0.0.0:8080": false, "[::]:8080": false, "192.168.1.2:80": false, "example.org:80": false, "nonsense": false,
	} {
		if IsLoopbackAddr(addr) != loop {
			t.Errorf("IsLoopbackAddr(%q) = %v", addr, !loop)
		}
	}
}

func TestCrossSiteWritesRefused(t *testing.T) {
	ts := newServer(t, Config{})
	w := ts.do(t, req{method: "POST", path: "/scenarios/builtin:tiny/compare", body: strings.NewReader("runs=10"),
		ctype: "application/x-www-form-urlencoded", header: map[string]string{"Sec-Fetch-Site": "cross-site"}})
	want(t, w, http.StatusForbidden)
	w = ts.do(t, req{method: "DELETE", path: "/api/v1/runs/1", header: map[string]string{"Origin": "https://evil.example"}})
	want(t, w, http.StatusForbidden)
	// reading is allowed from anywhere the Host check lets through
	w = ts.do(t, req{method: "GET", path: "/scenarios", header: map[string]string{"Sec-Fetch-Site": "cross-site"}})
	want(t, w, http.StatusOK)
	if n, _ := ts.store.ListRuns(t.Context(), 0); len(n) != 0 {
		t.Error("a cross-site form started a run")
	}
}

func TestSecurityHeaders(t *testing.T) {
	ts := newServer(t, Config{})
	w := ts.get(t, "/scenarios")
	h := w.Header()
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers %v", h)
	}
	// no inline scripts anywhere, so the CSP can forbid them
	for _, path := range []string{"/scenarios", "/scenarios/new", "/scenarios/builtin:korea", "/scenarios/builtin:korea/compare"} {
		body := ts.get(t, path).Body.String()
		for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(body, -1) {
			if !strings.Contains(m, "src=") && !strings.Contains(m, `type="application/json"`) {
				t.Errorf("%s has an inline script %s", path, m)
			}
		}
		if strings.Contains(body, " onclick=") || strings.Contains(body, "hx-on") {
			t.Errorf("%s has an inline handler", path)
		}
	}
}

func TestBodiesAreCapped(t *testing.T) {
	ts := newServer(t, Config{MaxBodyBytes: 4096})
	big := strings.Repeat("x", 5000)
	// a declared length over the cap is refused before reading
	w := ts.sendJSON(t, "POST", "/api/v1/scenarios", sourceBody{Source: big})
	want(t, w, http.StatusRequestEntityTooLarge)
	if !strings.Contains(w.Body.String(), "at most 4096") {
		t.Errorf("413 body: %s", w.Body.String())
	}
	// a body of unknown length is cut off while it is read
	for _, tc := range []struct{ path, ctype, body string }{
		{"/api/v1/scenarios", "application/json", `{"source": "` + big + `"}`},
		{"/api/v1/validate", "application/json", `{"source": "` + big + `"}`},
		{"/validate", "application/x-www-form-urlencoded", "source=" + big},
		{"/scenarios", "application/x-www-form-urlencoded", "source=" + big},
		{"/scenarios/builtin:tiny/compare", "application/x-www-form-urlencoded", "runs=10&seed=" + big},
	} {
		w := ts.do(t, req{method: "POST", path: tc.path, body: io.MultiReader(strings.NewReader(tc.body)), ctype: tc.ctype})
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s with %d bytes of unknown length: %d, want 413", tc.path, len(tc.body), w.Code)
		}
	}
	// an upload too
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, _ := mw.CreateFormFile("file", "big.yaml")
	fw.Write([]byte(big))
	mw.Close()
	w = ts.do(t, req{method: "POST", path: "/scenarios", body: io.MultiReader(&b), ctype: mw.FormDataContentType()})
	want(t, w, http.StatusRequestEntityTooLarge)
	if n, _ := ts.store.ListScenarios(t.Context()); len(n) != 0 {
		t.Error("an oversized body was stored")
	}
}

func TestWrongMethods(t *testing.T) {
	ts := newServer(t, Config{})
	for _, tc := range []struct{ method, path, allow string }{
		{"DELETE", "/scenarios", "GET, HEAD, POST"},
		{"GET", "/validate", "POST"},
		{"PUT", "/runs/1", "GET, HEAD"},
		{"GET", "/runs/1/cancel", "POST"},
		{"PATCH", "/api/v1/scenarios/builtin:korea", "DELETE, GET, HEAD, PUT"},
		{"POST", "/api/v1/runs", "GET, HEAD"},
		{"GET", "/api/v1/runs/1/cancel", "POST"},
		{"DELETE", "/api/v1/openapi.json", "GET, HEAD"},
		{"POST", "/api/v1/scenarios/builtin:tiny/audit", "GET, HEAD"},
	} {
		w := ts.do(t, req{method: tc.method, path: tc.path})
		if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != tc.allow {
			t.Errorf("%s %s: %d, Allow %q; want 405 and %q", tc.method, tc.path, w.Code, w.Header().Get("Allow"), tc.allow)
		}
	}
	want(t, ts.get(t, "/no/such/page"), http.StatusNotFound)
}

func TestStaticFilesAreTheVendoredOnes(t *testing.T) {
	ts := newServer(t, Config{})
	versions := ts.get(t, "/static/vendor/VERSIONS")
	want(t, versions, http.StatusOK)
	sums := regexp.MustCompile(`(\S+\.(?:js|css))\s+sha256 ([0-9a-f]{64})`).FindAllStringSubmatch(versions.Body.String(), -1)
	if len(sums) != 3 {
		t.Fatalf("VERSIONS lists %d files, want 3:\n%s", len(sums), versions.Body.String())
	}
	for _, m := range sums {
		w := ts.get(t, "/static/vendor/"+m[1])
		want(t, w, http.StatusOK)
		sum := sha256.Sum256(w.Body.Bytes())
		if hex.EncodeToString(sum[:]) != m[2] {
			t.Errorf("%s does not match its checksum in VERSIONS: re-run scripts/vendor-web.sh", m[1])
		}
	}
	for _, v := range []string{"htmx.org 2.0.11", "uplot 1.6.32"} {
		if !strings.Contains(versions.Body.String(), v) {
			t.Errorf("VERSIONS does not pin %s", v)
		}
	}
	// every page loads its scripts from here, never from elsewhere
	body := ts.get(t, "/scenarios").Body.String()
	for _, src := range regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		if strings.Contains(src[1], "//") {
			t.Errorf("the page refers to another host: %s", src[1])
		}
	}
	for _, path := range []string{"/static/app.js", "/static/app.css", "/static/vendor/uPlot.min.css"} {
		want(t, ts.get(t, path), http.StatusOK)
	}
	// no request reaches the file system
	for _, path := range []string{"/static/nope.js", "/static/../go.mod", "/static/..%2f..%2fgo.mod", "/static/%2e%2e/server.go", "/static//etc/passwd"} {
		w := ts.get(t, path)
		if w.Code == http.StatusOK {
			t.Errorf("GET %s: 200 (%d bytes)", path, w.Body.Len())
		}
	}
}
