package sitetest

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"strings"
)

// LinkedIn's cookie and header names: li_at is the session, JSESSIONID
// the CSRF token the page's JavaScript echoes in the csrf-token header.
const (
	sessionCookie = "li_at"
	csrfCookie    = "JSESSIONID"
	csrfHeader    = "Csrf-Token"
)

// viewer is the signed-in member a request acts for.
type viewer struct {
	Email  string // lower-case
	Name   string
	Layout string
	Unread int // conversations with unread replies
}

// SessionCookie signs the account in without the sign-in page (for tests
// and the demo) and returns its li_at cookie. The cookie is useless for an
// email without an account.
func (s *Site) SessionCookie(email string) http.Cookie {
	token := "AQEDA" + rand.Text()
	s.mu.Lock()
	s.sessions[token] = key(email)
	s.mu.Unlock()
	return http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode}
}

// hold says where LinkedIn sends a request instead of serving it.
type hold struct {
	status int    // for API calls
	code   string // for API calls
	to     string
}

// admit finds the viewer of r and, when the page must not be served, where
// to send the request instead. page is the URL to come back to after
// signing in.
func (s *Site) admit(r *http.Request, page string) (viewer, *hold) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, a, ok := s.viewer(r)
	if !ok {
		return v, &hold{http.StatusUnauthorized, "unauthorized", "/login?session_redirect=" + url.QueryEscape(page)}
	}
	if a.restricted {
		return v, &hold{http.StatusForbidden, "restricted", "/checkpoint/restricted/"}
	}
	if a.checkpoint != "" {
		return v, &hold{http.StatusForbidden, "challenge", "/checkpoint/challenge/" + a.checkpoint}
	}
	return v, nil
}

// viewer reads the session of r; s.mu must be held.
func (s *Site) viewer(r *http.Request) (viewer, *accountState, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return viewer{}, nil, false
	}
	email, ok := s.sessions[c.Value]
	if !ok {
		return viewer{}, nil, false
	}
	a := s.accounts[email]
	if a == nil || a.account == nil {
		return viewer{}, nil, false
	}
	v := viewer{Email: email, Name: a.account.Name, Layout: s.opts.Layout, Unread: s.unreadThreads(email)}
	if a.layout != "" {
		v.Layout = a.layout
	}
	return v, a, true
}

// member guards a page: signed-out, restricted and challenged members are
// redirected as LinkedIn does.
func (s *Site) member(h func(http.ResponseWriter, *http.Request, viewer)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, hold := s.admit(r, r.URL.RequestURI())
		if hold != nil {
			http.Redirect(w, r, hold.to, http.StatusFound)
			return
		}
		h(w, r, v)
	}
}

// session guards the challenge pages: a session is enough.
func (s *Site) session(h func(http.ResponseWriter, *http.Request, viewer, *accountState)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		v, a, ok := s.viewer(r)
		var st accountState
		if ok {
			st = *a
		}
		s.mu.Unlock()
		if !ok {
			http.Redirect(w, r, "/login?session_redirect="+url.QueryEscape(r.URL.RequestURI()), http.StatusFound)
			return
		}
		h(w, r, v, &st)
	}
}

// fragment guards a dialog fetched by the page's script: refusals are JSON
// that tells the script where to go.
func (s *Site) fragment(h func(http.ResponseWriter, *http.Request, viewer)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, hold := s.admit(r, refererPage(r))
		if hold != nil {
			writeJSON(w, hold.status, result{Code: hold.code, Redirect: hold.to})
			return
		}
		h(w, r, v)
	}
}

// api guards a state-changing call: the CSRF token first, then the
// session, as LinkedIn's API does.
func (s *Site) api(h func(http.ResponseWriter, *http.Request, viewer)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(csrfCookie)
		if err != nil || c.Value == "" || r.Header.Get(csrfHeader) != c.Value {
			writeJSON(w, http.StatusForbidden, result{Code: "csrf_check_failed"})
			return
		}
		s.fragment(h)(w, r)
	}
}

// refererPage is the path of the page an API call came from, to return to
// after signing in again.
func refererPage(r *http.Request) string {
	if u, err := url.Parse(r.Referer()); err == nil && u.Host == r.Host && strings.HasPrefix(u.Path, "/") {
		return u.RequestURI()
	}
	return "/feed/"
}

// withJSession gives every visitor a JSESSIONID (the CSRF token), as
// LinkedIn does on the first response.
func (s *Site) withJSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := r.Cookie(csrfCookie); err != nil && !isStatic(r) {
			http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: "ajax:" + rand.Text(), Path: "/", SameSite: http.SameSiteLaxMode})
		}
		next.ServeHTTP(w, r)
	})
}

// localPath accepts only a path on this site as a place to return to.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return "/feed/"
	}
	return p
}
