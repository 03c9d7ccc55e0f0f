package web

import (
	"crypto/subtle"
	"net/http"
)

// unauthorized answers a request without the token: the API gets 401 with a
// WWW-Authenticate challenge, a browser the login form (also with 401).
func (s *Server) unauthorized(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="parley"`)
	if isAPI(r) {
		writeJSON(w, http.StatusUnauthorized, apiError{Error: "this server needs its token: send Authorization: Bearer TOKEN"})
		return
	}
	if r.Header.Get("HX-Request") == "true" {
		s.fragment(w, r, http.StatusUnauthorized, "error", "your session has ended; reload the page and log in")
		return
	}
	next := "/"
	if r.Method == http.MethodGet {
		next = r.URL.RequestURI()
	}
	s.render(w, r, http.StatusUnauthorized, "login", "Log in", map[string]any{"Next": localPath(next)})
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Token == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", "Log in", map[string]any{"Next": localPath(r.URL.Query().Get("next"))})
}

// login checks the token typed into the form and sets the session cookie.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Token == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.failErr(w, r, bodyError(err))
		return
	}
	next := localPath(r.PostForm.Get("next"))
	if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("token")), []byte(s.cfg.Token)) != 1 {
		w.Header().Set("WWW-Authenticate", `Bearer realm="parley"`)
		s.render(w, r, http.StatusUnauthorized, "login", "Log in", map[string]any{"Next": next, "Wrong": true})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: s.cookie, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPIDoc)
}
