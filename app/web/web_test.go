package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/backups"
	"parley/app/clocktest"
	"parley/app/config"
	"parley/app/integrity"
	"parley/app/model"
	"parley/storage"
	"parley/storage/storagetest"
)

type fixture struct {
	srv    *Server
	store  *storage.Store
	paths  config.Paths
	bk     *backups.Service
	clock  *clocktest.Clock
	health integrity.Result
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clock := clocktest.New(time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC))
	store := storagetest.Open(t, clock)
	paths := config.Paths{Root: filepath.Dir(store.Path())}
	paths.Ensure()
	bk, err := backups.New(backups.Options{Store: store, Paths: paths, Clock: clock, Interval: 24 * time.Hour, Keep: 14})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: store, paths: paths, bk: bk, clock: clock, health: integrity.Result{State: integrity.StateOK, CheckedAt: clock.Now()}}
	srv, err := New(Options{
		Store: store, Backups: bk, Integrity: func() integrity.Result { return f.health }, Clock: clock,
		Config:  config.Config{Paths: paths, BackupInterval: 24 * time.Hour, BackupKeep: 14},
		Version: "v-test", StartedAt: clock.Now(), ListenHost: "127.0.0.1",
	})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	return f
}

type req struct {
	method, path, body string
	header             map[string]string
}

func (f *fixture) do(r req) *httptest.ResponseRecorder {
	if r.method == "" {
		r.method = http.MethodGet
	}
	hr := httptest.NewRequest(r.method, r.path, strings.NewReader(r.body))
	hr.Host = "127.0.0.1:7450"
	hr.RemoteAddr = "127.0.0.1:50000"
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

func TestHealthz(t *testing.T) {
	f := newFixture(t)
	rec := f.do(req{path: "/healthz"})
	if rec.Code != 200 || rec.Body.String() != "ok\n" {
		t.Fatalf("healthz = %d %q", rec.Code, rec.Body)
	}
	if rec := f.do(req{method: http.MethodHead, path: "/healthz"}); rec.Code != 200 {
		t.Fatalf("HEAD healthz = %d", rec.Code)
	}
}

func TestDashboardShowsRealFigures(t *testing.T) {
	f := newFixture(t)
	f.store.Update(func(tx *storage.Tx) error {
		_, err := tx.AppendEvent(model.Event{Type: model.EventAppStarted})
		return err
	})
	run, err := f.bk.Run(t.Context(), backups.Request{Trigger: model.TriggerManual})
	if err != nil {
		t.Fatal(err)
	}
	rec := f.do(req{path: "/"})
	body := rec.Body.String()
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, body)
	}
	for _, want := range []string{
		"Parley started", "Backup written", // recent events, from the event log
		run.SHA256[:12], // last backup checksum
		fmt.Sprintf("schema version %d", len(storage.Schema())), // from the meta bucket
		f.paths.Root, // data folder
		"checked",    // integrity result
		">1<",        // one audit record (the backup)
		"v-test",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
}

func TestBackupsPageAndBackUpNow(t *testing.T) {
	f := newFixture(t)
	rec := f.do(req{path: "/backups"})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "No backups yet") {
		t.Fatalf("empty backups page: %d", rec.Code)
	}
	// Plain form post: Post/Redirect/Get with the run's outcome.
	rec = f.do(req{method: http.MethodPost, path: "/backups", header: map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://127.0.0.1:7450"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/backups?run=1" {
		t.Fatalf("form post = %d %s", rec.Code, rec.Header().Get("Location"))
	}
	rec = f.do(req{path: "/backups?run=1"})
	if !strings.Contains(rec.Body.String(), "Backup 1 written to backups") {
		t.Fatal("no flash after redirect")
	}
	// htmx post: the history fragment comes back with a flash.
	rec = f.do(req{method: http.MethodPost, path: "/backups", header: map[string]string{"HX-Request": "true"}})
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, `id="backup-runs"`) || strings.Contains(body, "<html") || !strings.Contains(body, "Backup 2 written") {
		t.Fatalf("htmx post = %d %s", rec.Code, body)
	}
	// A failing backup still answers 200 with a fragment that says why, and
	// every page then shows the failure banner.
	os.RemoveAll(f.paths.Backups())
	os.WriteFile(f.paths.Backups(), nil, 0o600)
	rec = f.do(req{method: http.MethodPost, path: "/backups", header: map[string]string{"HX-Request": "true"}})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Backup 3 failed") {
		t.Fatalf("failed backup = %d %s", rec.Code, rec.Body)
	}
	for _, path := range []string{"/", "/backups"} {
		if !strings.Contains(f.do(req{path: path}).Body.String(), "The last backup failed") {
			t.Errorf("%s lacks the failure banner", path)
		}
	}
}

func TestBackupsPaging(t *testing.T) {
	f := newFixture(t)
	f.store.Update(func(tx *storage.Tx) error {
		for range backupsPerPage + 5 {
			if _, err := tx.CreateBackupRun(model.BackupRun{Trigger: model.TriggerScheduled, Outcome: model.BackupOK, Path: "backups/x.db"}); err != nil {
				return err
			}
		}
		return nil
	})
	body := f.do(req{path: "/backups"}).Body.String()
	if !strings.Contains(body, "/backups?before=6") {
		t.Fatal("no link to older runs")
	}
	body = f.do(req{path: "/backups?before=6"}).Body.String()
	if strings.Count(body, "<tr>") != 6 || strings.Contains(body, "before=") { // header row + runs 5..1
		t.Fatalf("second page rows = %d", strings.Count(body, "<tr>"))
	}
	rec := f.do(req{path: "/backups?before=abc"})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "must be a backup run number") {
		t.Fatalf("bad before = %d", rec.Code)
	}
}

// TestEveryRouteDeclaresAPermission walks the router: deny by default.
func TestEveryRouteDeclaresAPermission(t *testing.T) {
	f := newFixture(t)
	perms := f.srv.RoutePerms()
	routes := f.srv.Echo().Routes()
	if len(routes) == 0 {
		t.Fatal("no routes")
	}
	for _, r := range routes {
		if p, ok := perms[r.Method+" "+r.Path]; !ok || p == PermNone {
			t.Errorf("route %s %s has no permission", r.Method, r.Path)
		}
	}
}

var requiredHeaders = map[string]string{
	"Content-Security-Policy":      ContentSecurityPolicy,
	"X-Content-Type-Options":       "nosniff",
	"Referrer-Policy":              "no-referrer",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
	"X-Frame-Options":              "DENY",
}

// TestHeaderSweep: every route and every error response carries the
// security headers and a server-generated request id, and no Server header.
func TestHeaderSweep(t *testing.T) {
	f := newFixture(t)
	var reqs []req
	for _, r := range f.srv.Echo().Routes() {
		path := strings.Replace(r.Path, "*", "app.css", 1)
		reqs = append(reqs, req{method: r.Method, path: path})
	}
	reqs = append(reqs,
		req{path: "/no-such-page"},
		req{method: http.MethodDelete, path: "/"},
		req{method: "TRACE", path: "/"},
		req{path: "/", header: map[string]string{"Host": "evil.test"}},
		req{method: http.MethodPost, path: "/backups", header: map[string]string{"Origin": "http://localhost:9999"}},
		req{path: "/backups?before=x"},
	)
	for _, r := range reqs {
		rec := f.do(r)
		for h, want := range requiredHeaders {
			if got := rec.Header().Get(h); got != want {
				t.Errorf("%s %s (%d): %s = %q", r.method, r.path, rec.Code, h, got)
			}
		}
		if rec.Header().Get("Permissions-Policy") == "" || rec.Header().Get("Server") != "" {
			t.Errorf("%s %s: Permissions-Policy/Server headers wrong", r.method, r.path)
		}
		if len(rec.Header().Get(echo.HeaderXRequestID)) != 16 {
			t.Errorf("%s %s: no request id", r.method, r.path)
		}
		if !strings.HasPrefix(r.path, "/assets/") && rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s %s: Cache-Control = %q", r.method, r.path, rec.Header().Get("Cache-Control"))
		}
	}
}

func TestRequestIDIsServerGenerated(t *testing.T) {
	f := newFixture(t)
	rec := f.do(req{path: "/healthz", header: map[string]string{"X-Request-ID": "attacker-chosen"}})
	if id := rec.Header().Get(echo.HeaderXRequestID); id == "attacker-chosen" || id == "" {
		t.Fatalf("request id = %q", id)
	}
	a := f.do(req{path: "/healthz"}).Header().Get(echo.HeaderXRequestID)
	b := f.do(req{path: "/healthz"}).Header().Get(echo.HeaderXRequestID)
	if a == b {
		t.Fatal("request ids repeat")
	}
}

func TestHostCheck(t *testing.T) {
	f := newFixture(t)
	for host, want := range map[string]int{
		"127.0.0.1:7450": 200, "localhost:7450": 200, "LOCALHOST": 200, "[::1]:7450": 200,
		"evil.test": 403, "evil.test:7450": 403, "127.0.0.1.nip.io:7450": 403, "": 403,
	} {
		rec := f.do(req{path: "/healthz", header: map[string]string{"Host": host}})
		if rec.Code != want {
			t.Errorf("Host %q: %d, want %d", host, rec.Code, want)
		}
	}
}

func TestCrossOriginPostsAreRefused(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"other localhost port", map[string]string{"Origin": "http://localhost:9999", "Sec-Fetch-Site": "same-site"}, 403},
		{"cross-site fetch metadata", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"same-site only", map[string]string{"Sec-Fetch-Site": "same-site"}, 403},
		{"foreign origin", map[string]string{"Origin": "https://evil.test"}, 403},
		{"null origin", map[string]string{"Origin": "null"}, 403},
		{"same origin", map[string]string{"Origin": "http://127.0.0.1:7450", "Sec-Fetch-Site": "same-origin"}, 303},
		{"script without browser headers", nil, 303},
	}
	for _, c := range cases {
		rec := f.do(req{method: http.MethodPost, path: "/backups", header: c.header})
		if rec.Code != c.want {
			t.Errorf("%s: %d, want %d", c.name, rec.Code, c.want)
		}
	}
	var runs uint64
	f.store.View(func(tx *storage.Tx) error { runs = tx.BackupRunCount(); return nil })
	if runs != 2 {
		t.Fatalf("refused requests changed state: %d runs", runs)
	}
}

func TestErrorResponsesNeverLeakDetails(t *testing.T) {
	f := newFixture(t)
	f.srv.Echo().GET("/boom", func(c echo.Context) error { return errors.New("secret internal detail /etc/passwd") })
	f.srv.Echo().GET("/panic", func(c echo.Context) error { panic("secret panic detail") })
	for _, path := range []string{"/boom", "/panic"} {
		for _, h := range []map[string]string{nil, {"HX-Request": "true"}, {"Accept": "application/json"}} {
			rec := f.do(req{path: path, header: h})
			body := rec.Body.String()
			if rec.Code != 500 || strings.Contains(body, "secret") || strings.Contains(body, "goroutine") {
				t.Errorf("%s %v: %d %s", path, h, rec.Code, body)
			}
			if !strings.Contains(body, rec.Header().Get(echo.HeaderXRequestID)) {
				t.Errorf("%s %v: body does not carry the request id for support", path, h)
			}
		}
	}
	rec := f.do(req{path: "/nope", header: map[string]string{"HX-Request": "true"}})
	if rec.Code != 404 || strings.Contains(rec.Body.String(), "<html") {
		t.Errorf("htmx 404 should be a fragment: %s", rec.Body)
	}
	rec = f.do(req{path: "/nope", header: map[string]string{"Accept": "application/json"}})
	if rec.Code != 404 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Errorf("JSON 404: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	rec = f.do(req{path: "/nope"})
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), "There is no page at this address") {
		t.Errorf("HTML 404: %d", rec.Code)
	}
}

func TestOversizedBodyIsRefused(t *testing.T) {
	f := newFixture(t)
	rec := f.do(req{method: http.MethodPost, path: "/backups", body: strings.Repeat("x", maxBody+1)})
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d", rec.Code)
	}
}

func TestAssets(t *testing.T) {
	f := newFixture(t)
	url := f.srv.assets.URL("app.css")
	rec := f.do(req{path: url})
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
		t.Fatalf("current asset: %d %v", rec.Code, rec.Header())
	}
	rec = f.do(req{path: "/assets/000000000000/app.css"})
	if rec.Code != 200 || rec.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("outdated hash: %d %s", rec.Code, rec.Header().Get("Cache-Control"))
	}
	rec = f.do(req{path: url, header: map[string]string{"If-None-Match": rec.Header().Get("ETag")}})
	if rec.Code != http.StatusNotModified {
		t.Fatalf("conditional get: %d", rec.Code)
	}
	for _, p := range []string{"/assets/x/nope.js", "/assets/", "/assets/" + strings.Repeat("a", 12)} {
		if rec := f.do(req{path: p}); rec.Code != 404 {
			t.Errorf("%s: %d", p, rec.Code)
		}
	}
	js := f.do(req{path: f.srv.assets.URL("vendor/htmx.min.js")})
	if !strings.HasPrefix(js.Header().Get("Content-Type"), "text/javascript") || js.Body.Len() < 10000 {
		t.Fatalf("htmx: %s %d bytes", js.Header().Get("Content-Type"), js.Body.Len())
	}
}

var (
	inlineScript  = regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>`)
	inlineHandler = regexp.MustCompile(`(?i)\s(on[a-z]+|style|hx-on[:\w-]*)\s*=`)
)

// TestNoInlineScriptOrStyle: pages must work under the strict CSP, so no
// inline <script>, style attribute, <style> element or event handler.
func TestNoInlineScriptOrStyle(t *testing.T) {
	f := newFixture(t)
	f.bk.Run(t.Context(), backups.Request{Trigger: model.TriggerManual})
	f.health = integrity.Result{State: integrity.StateFailed, Detail: "page 3: unreachable"}
	pages := []string{"/", "/backups", "/nope", "/backups?before=x", "/backups?run=1"}
	for _, p := range pages {
		body := f.do(req{path: p}).Body.String()
		for _, tag := range inlineScript.FindAllString(body, -1) {
			if !strings.Contains(tag, " src=") {
				t.Errorf("%s: inline script %s", p, tag)
			}
		}
		if m := inlineHandler.FindString(body); m != "" {
			t.Errorf("%s: inline attribute %q", p, m)
		}
		if strings.Contains(strings.ToLower(body), "<style") {
			t.Errorf("%s: <style> element", p)
		}
	}
}

func TestIntegrityFailureBanner(t *testing.T) {
	f := newFixture(t)
	f.health = integrity.Result{State: integrity.StateFailed, Detail: "page 3: unreachable unfreed"}
	body := f.do(req{path: "/"}).Body.String()
	if !strings.Contains(body, "failed its consistency check") || !strings.Contains(body, "page 3: unreachable unfreed") {
		t.Fatal("no integrity banner")
	}
}

func TestServeShutsDownGracefully(t *testing.T) {
	f := newFixture(t)
	srv := httptest.NewUnstartedServer(nil)
	ln := srv.Listener
	ctx, cancel := contextWithCancel(t)
	done := make(chan error, 1)
	go func() { done <- f.srv.Serve(ctx, ln, 2*time.Second) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(b, []byte("ok\n")) {
		t.Fatalf("body %q", b)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
		t.Fatal("still answering after shutdown")
	}
}

func contextWithCancel(t *testing.T) (context.Context, context.CancelFunc) {
	return context.WithCancel(t.Context())
}
