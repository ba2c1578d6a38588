package sitetest

import (
	"io/fs"
	"net/http"
	"strings"
)

// routes is the site's one route table. Pages need a signed-in member
// who is not held at a checkpoint (member); the challenge pages need only
// a session (session); the API answers JSON and checks the CSRF token
// (api).
func (s *Site) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))

	// Signed out.
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /checkpoint/lg/login-submit", s.loginSubmit)
	mux.HandleFunc("GET /m/logout/", s.logout)
	mux.HandleFunc("GET /_sitetest/state", s.state)

	// Pages.
	mux.HandleFunc("GET /{$}", s.member(s.home))
	mux.HandleFunc("GET /feed/{$}", s.member(s.feed))
	mux.HandleFunc("GET /in/{slug}", redirectSlash)
	mux.HandleFunc("GET /in/{slug}/{$}", s.member(s.profile))
	mux.HandleFunc("GET /mynetwork/{$}", s.member(s.network))
	mux.HandleFunc("GET /mynetwork/invitation-manager/sent/{$}", s.member(s.sentInvitations))
	mux.HandleFunc("GET /messaging/{$}", s.member(s.inbox))
	mux.HandleFunc("GET /messaging/thread/{id}/{$}", s.member(s.thread))

	// Dialogs, fetched by site.js into the modal outlet.
	mux.HandleFunc("GET /preload/custom-invite/{$}", s.fragment(s.inviteDialog))
	mux.HandleFunc("GET /preload/withdraw-invite/{$}", s.fragment(s.withdrawDialog))
	mux.HandleFunc("GET /preload/weekly-limit/{$}", s.fragment(s.weeklyLimitDialog))

	// API.
	mux.HandleFunc("POST /voyager/api/relationships/invite", s.api(s.sendInvite))
	mux.HandleFunc("POST /voyager/api/relationships/withdraw", s.api(s.withdrawInvite))
	mux.HandleFunc("POST /voyager/api/messaging/conversations/{id}/events", s.api(s.sendMessage))

	// Where LinkedIn holds an account.
	mux.HandleFunc("GET /checkpoint/challenge/{id}", s.session(s.challenge))
	mux.HandleFunc("GET /checkpoint/challenge/{id}/captcha", s.session(s.captcha))
	mux.HandleFunc("POST /checkpoint/challenge/{id}/verify", s.session(s.verify))
	mux.HandleFunc("GET /checkpoint/restricted/{$}", s.session(s.restrictedPage))

	mux.HandleFunc("/", s.notFound)
	return mux
}

func isStatic(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/static/") }

// redirectSlash sends /in/x to /in/x/ as LinkedIn does.
func redirectSlash(w http.ResponseWriter, r *http.Request) {
	u := *r.URL
	u.Path += "/"
	http.Redirect(w, r, u.RequestURI(), http.StatusMovedPermanently)
}
