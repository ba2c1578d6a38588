package web

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"parley/app/accounts"
	"parley/app/backups"
	"parley/app/campaigns"
	"parley/app/clocktest"
	"parley/app/config"
	"parley/app/integrity"
	"parley/app/live"
	"parley/app/logging"
	"parley/app/runtime"
	"parley/app/security"
	"parley/automation"
	"parley/storage"
	"parley/storage/storagetest"
)

const (
	testUser     = "alice"
	testPassword = "s3cret-pass-phrase"
	testHost     = "127.0.0.1:7450"
)

type fixture struct {
	t      *testing.T
	srv    *Server
	store  *storage.Store
	paths  config.Paths
	bk     *backups.Service
	sec    *security.Service
	hub    *live.Hub
	clock  *clocktest.Clock
	cfg    config.Config
	logs   *syncBuffer
	health integrity.Result
	rt     *runtime.Runtime
	// The signed-in session (signIn).
	cookie *http.Cookie
	csrf   string
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newFixture builds the real router over a real bbolt store, with a fake
// clock; edit adjusts the configuration first.
func newFixture(t *testing.T, edit ...func(*config.Config)) *fixture {
	t.Helper()
	return newFixtureWithSite(t, nil, edit...)
}

// newFixtureWithSite is newFixture with a LinkedIn Site for the runtime
// (a fakesite, for tests that run scheduler rounds with f.rt.Round).
func newFixtureWithSite(t *testing.T, site automation.Site, edit ...func(*config.Config)) *fixture {
	t.Helper()
	clock := clocktest.New(time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC))
	store := storagetest.Open(t, clock)
	// The runtime plans jobs inside the store's transactions: it must be
	// installed before any campaign exists. Without a Site it has no
	// browser driver, so accounts wait (state no_browser).
	rt := runtime.New(runtime.Options{Store: store, Clock: clock, Site: site, Seed: 7})
	paths := config.Paths{Root: filepath.Dir(store.Path())}
	paths.Ensure()
	cfg := config.Config{Paths: paths, BackupInterval: 24 * time.Hour, BackupKeep: 14,
		SessionIdle: 30 * time.Minute, SessionMaxAge: 12 * time.Hour}
	for _, e := range edit {
		e(&cfg)
	}
	logs := &syncBuffer{}
	log, _, _ := logging.New(logging.Options{Level: slog.LevelDebug, Stderr: logs, StderrJSON: true, Redactor: logging.NewRedactor()})
	bk, err := backups.New(backups.Options{Store: store, Paths: paths, Clock: clock, Interval: cfg.BackupInterval, Keep: cfg.BackupKeep})
	if err != nil {
		t.Fatal(err)
	}
	sec := security.New(security.Options{Store: store, Clock: clock, Logger: log, IdleTimeout: cfg.SessionIdle,
		AbsoluteTimeout: cfg.SessionMaxAge, HashMemoryKiB: 64, HashPasses: 1})
	f := &fixture{t: t, store: store, paths: paths, bk: bk, sec: sec, hub: live.New(store, log), clock: clock, cfg: cfg, logs: logs,
		health: integrity.Result{State: integrity.StateOK, CheckedAt: clock.Now()}, rt: rt}
	leadsSvc := campaigns.New(store)
	runner := campaigns.NewRunner(leadsSvc, paths.Imports(), log)
	t.Cleanup(runner.Close) // before the store closes (cleanups run last-in first-out)
	srv, err := New(Options{
		Store: store, Backups: bk, Integrity: func() integrity.Result { return f.health }, Security: sec, Hub: f.hub, Accounts: accounts.New(store), Campaigns: leadsSvc, Imports: runner, Runtime: rt,
		Logger: log, Clock: clock, Config: cfg, Version: "v-test", StartedAt: clock.Now(), ListenHost: "127.0.0.1",
	})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	return f
}

// req is one request through the real router.
type req struct {
	method, path, body string
	header             map[string]string
	// peer is the TCP peer (default 127.0.0.1:50000).
	peer string
	// session sends the signed-in cookie, and for non-GET requests the
	// CSRF token and Sec-Fetch-Site: same-origin as Parley's pages do.
	session bool
	cookies []*http.Cookie
}

func (f *fixture) do(r req) *httptest.ResponseRecorder {
	if r.method == "" {
		r.method = http.MethodGet
	}
	hr := httptest.NewRequest(r.method, r.path, strings.NewReader(r.body))
	hr.Host = testHost
	hr.RemoteAddr = "127.0.0.1:50000"
	if r.peer != "" {
		hr.RemoteAddr = r.peer
	}
	if r.body != "" {
		if strings.HasPrefix(r.body, "{") {
			hr.Header.Set("Content-Type", "application/json")
		} else {
			hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	if r.session {
		if f.cookie == nil {
			f.t.Fatal("fixture: not signed in")
		}
		hr.AddCookie(f.cookie)
		if r.method != http.MethodGet && r.method != http.MethodHead {
			hr.Header.Set("X-CSRF-Token", f.csrf)
			hr.Header.Set("Sec-Fetch-Site", "same-origin")
		}
	}
	for _, c := range r.cookies {
		hr.AddCookie(c)
	}
	for k, v := range r.header {
		if k == "Host" {
			hr.Host = v
			continue
		}
		hr.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(rec, hr)
	return rec
}

// user makes sure the test user exists.
func (f *fixture) user() {
	if !f.sec.HasUser(testUser) {
		if err := f.sec.SetPassword(testUser, testPassword, "cli", security.Meta{}); err != nil {
			f.t.Fatal(err)
		}
	}
}

// signIn logs in through POST /api/v1/auth/login and keeps the cookie and
// CSRF token for req.session.
func (f *fixture) signIn() {
	f.t.Helper()
	f.user()
	rec := f.do(req{method: http.MethodPost, path: "/api/v1/auth/login", body: `{"username":"` + testUser + `","password":"` + testPassword + `"}`})
	if rec.Code != http.StatusOK {
		f.t.Fatalf("sign in: %d %s", rec.Code, rec.Body)
	}
	var res loginResponse
	json.Unmarshal(rec.Body.Bytes(), &res)
	f.cookie, f.csrf = sessionCookie(rec), res.CSRFToken
	if f.cookie == nil || f.csrf == "" {
		f.t.Fatalf("sign in gave no cookie or CSRF token: %v", rec.Header())
	}
}

func sessionCookie(rec *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if strings.HasSuffix(c.Name, "parley_session") && c.Value != "" {
			return c
		}
	}
	return nil
}
