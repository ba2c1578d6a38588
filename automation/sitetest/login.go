package sitetest

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// loginView is the sign-in form, with the errors of a failed attempt.
type loginView struct {
	Redirect      string
	Email         string
	EmailError    string
	PasswordError string
}

// loginPage is /login. A signed-in member goes straight on.
func (s *Site) loginPage(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("session_redirect"))
	if _, hold := s.admit(r, next); hold == nil || hold.code != "unauthorized" {
		http.Redirect(w, r, next, http.StatusFound)
		return
	}
	s.page(w, http.StatusOK, "login", nil, text(s.opts.Locale, "login_title", ""), "", loginView{Redirect: next})
}

// loginSubmit checks the form and starts a session. Like LinkedIn it says
// whether the email or the password was wrong.
func (s *Site) loginSubmit(w http.ResponseWriter, r *http.Request) {
	email := strings.TrimSpace(r.PostFormValue("session_key"))
	v := loginView{Redirect: localPath(r.PostFormValue("session_redirect")), Email: email}
	s.mu.Lock()
	a := s.accounts[key(email)]
	var acct Account
	if a != nil && a.account != nil {
		acct = *a.account
	}
	s.mu.Unlock()
	loc := s.opts.Locale
	switch {
	case email == "":
		v.EmailError = text(loc, "login_empty", "")
	case acct.Email == "":
		v.EmailError = text(loc, "login_unknown", "")
	case subtle.ConstantTimeCompare([]byte(r.PostFormValue("session_password")), []byte(acct.Password)) != 1:
		v.PasswordError = text(loc, "login_wrong", "")
	}
	if v.EmailError != "" || v.PasswordError != "" {
		s.page(w, http.StatusOK, "login", nil, text(loc, "login_title", ""), "", v)
		return
	}
	c := s.SessionCookie(acct.Email)
	http.SetCookie(w, &c)
	http.Redirect(w, r, v.Redirect, http.StatusFound)
}

// logout ends the session of the browser.
func (s *Site) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.mu.Lock()
		delete(s.sessions, c.Value)
		s.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1})
	http.Redirect(w, r, "/login", http.StatusFound)
}
