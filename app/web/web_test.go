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
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/backups"
	"parley/app/integrity"
	"parley/app/model"
	"parley/app/security"
	"parley/storage"
)

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
	f.signIn()
	f.store.Update(func(tx *storage.Tx) error {
		_, err := tx.AppendEvent(model.Event{Type: model.EventAppStarted})
		return err
	})
	run, err := f.bk.Run(t.Context(), backups.Request{Trigger: model.TriggerManual})
	if err != nil {
		t.Fatal(err)
	}
	rec := f.do(req{path: "/", session: true})
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
		"chain head", // the audit trail has records
		"v-test",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
}

func TestBackupsPageAndBackUpNow(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	rec := f.do(req{path: "/backups", session: true})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "No backups yet") {
		t.Fatalf("empty backups page: %d", rec.Code)
	}
	// Plain form post: Post/Redirect/Get with the run's outcome.
	rec = f.do(req{method: http.MethodPost, path: "/backups", session: true, body: "csrf_token=" + f.csrf, header: map[string]string{"X-CSRF-Token": ""}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/backups?run=1" {
		t.Fatalf("form post = %d %s", rec.Code, rec.Header().Get("Location"))
	}
	rec = f.do(req{path: "/backups?run=1", session: true})
	if !strings.Contains(rec.Body.String(), "Backup 1 written to backups") {
		t.Fatal("no flash after redirect")
	}
	// htmx post: the history fragment comes back with a flash.
	rec = f.do(req{method: http.MethodPost, path: "/backups", session: true, header: map[string]string{"HX-Request": "true"}})
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, `id="backup-runs"`) || strings.Contains(body, "<html") || !strings.Contains(body, "Backup 2 written") {
		t.Fatalf("htmx post = %d %s", rec.Code, body)
	}
	// A failing backup still answers 200 with a fragment that says why, and
	// every page then shows the failure banner.
	os.RemoveAll(f.paths.Backups())
	os.WriteFile(f.paths.Backups(), nil, 0o600)
	rec = f.do(req{method: http.MethodPost, path: "/backups", session: true, header: map[string]string{"HX-Request": "true"}})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Backup 3 failed") {
		t.Fatalf("failed backup = %d %s", rec.Code, rec.Body)
	}
	for _, path := range []string{"/", "/backups"} {
		if !strings.Contains(f.do(req{path: path, session: true}).Body.String(), "The last backup failed") {
			t.Errorf("%s lacks the failure banner", path)
		}
	}
}

func TestBackupsPaging(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	f.store.Update(func(tx *storage.Tx) error {
		for range backupsPerPage + 5 {
			if _, err := tx.CreateBackupRun(model.BackupRun{Trigger: model.TriggerScheduled, Outcome: model.BackupOK, Path: "backups/x.db"}); err != nil {
				return err
			}
		}
		return nil
	})
	body := f.do(req{path: "/backups", session: true}).Body.String()
	if !strings.Contains(body, "/backups?before=6") {
		t.Fatal("no link to older runs")
	}
	body = f.do(req{path: "/backups?before=6", session: true}).Body.String()
	if strings.Count(body, "<tr>") != 6 || strings.Contains(body, "before=") { // header row + runs 5..1
		t.Fatalf("second page rows = %d", strings.Count(body, "<tr>"))
	}
	rec := f.do(req{path: "/backups?before=abc", session: true})
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
// TestHeaderSweep: every route, signed in or not, and every error
// response carries the security headers, a server-generated request id and
// no Server header.
func TestHeaderSweep(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	var reqs []req
	for _, r := range f.srv.Echo().Routes() {
		path := strings.Replace(strings.Replace(r.Path, "*", "app.css", 1), ":id", "1", 1)
		reqs = append(reqs, req{method: r.Method, path: path}, req{method: r.Method, path: path, session: true})
	}
	reqs = append(reqs,
		req{path: "/no-such-page"},
		req{method: http.MethodDelete, path: "/", session: true},
		req{method: "TRACE", path: "/"},
		req{path: "/", header: map[string]string{"Host": "evil.test"}},
		req{path: "/", peer: "203.0.113.9:4000"},
		req{method: http.MethodPost, path: "/backups", session: true, header: map[string]string{"Origin": "http://localhost:9999", "Sec-Fetch-Site": "same-site"}},
		req{path: "/backups?before=x", session: true},
		req{path: "/api/v1/status"},
		req{path: "/api/v1/status?api_key=x"},
	)
	for _, r := range reqs {
		if strings.HasSuffix(r.path, "/events") {
			continue // streams are covered in TestEventStream
		}
		rec := f.do(r)
		for h, want := range requiredHeaders {
			if got := rec.Header().Get(h); got != want {
				t.Errorf("%s %s (%d): %s = %q", r.method, r.path, rec.Code, h, got)
			}
		}
		if rec.Header().Get("Permissions-Policy") == "" || rec.Header().Get("Server") != "" || rec.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s %s: Permissions-Policy/Server/CORS headers wrong", r.method, r.path)
		}
		if len(rec.Header().Get(echo.HeaderXRequestID)) != 16 {
			t.Errorf("%s %s: no request id", r.method, r.path)
		}
		if !strings.HasPrefix(r.path, "/assets/") && rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s %s: Cache-Control = %q", r.method, r.path, rec.Header().Get("Cache-Control"))
		}
		if !strings.HasPrefix(r.path, "/api/") && rec.Header().Get("WWW-Authenticate") != "" {
			t.Errorf("%s %s: the HTML UI asked for HTTP authentication", r.method, r.path)
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

// TestCrossOriginPostsAreRefused: a signed-in browser visiting another
// site (or another localhost port) cannot be made to change anything.
func TestCrossOriginPostsAreRefused(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	other := newFixture(t)
	other.signIn()
	cases := []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"other localhost port", map[string]string{"Origin": "http://localhost:9999", "Sec-Fetch-Site": "same-site"}, 403},
		{"cross-site fetch metadata", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"foreign origin", map[string]string{"Origin": "https://evil.test", "Sec-Fetch-Site": ""}, 403},
		{"null origin", map[string]string{"Origin": "null", "Sec-Fetch-Site": ""}, 403},
		{"no proof of origin", map[string]string{"Sec-Fetch-Site": ""}, 403},
		{"no CSRF token", map[string]string{"X-CSRF-Token": ""}, 403},
		{"token from another session", map[string]string{"X-CSRF-Token": other.csrf}, 403},
		{"exact Origin match without fetch metadata", map[string]string{"Origin": "http://127.0.0.1:7450", "Sec-Fetch-Site": ""}, 303},
		{"same origin", nil, 303},
	}
	for _, c := range cases {
		rec := f.do(req{method: http.MethodPost, path: "/backups", session: true, header: c.header})
		if rec.Code != c.want {
			t.Errorf("%s: %d, want %d", c.name, rec.Code, c.want)
		}
	}
	var runs uint64
	f.store.View(func(tx *storage.Tx) error { runs = tx.BackupRunCount(); return nil })
	if runs != 2 {
		t.Fatalf("refused requests changed state: %d runs", runs)
	}
	if !strings.Contains(f.auditActions(), "malicious_csrf") {
		t.Fatal("CSRF attempts not audited")
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
	f.signIn()
	rec := f.do(req{method: http.MethodPost, path: "/backups", session: true, body: strings.Repeat("x", maxBody+1)})
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
	setup, _ := f.sec.EnsureOwner(security.Meta{})
	f.signIn()
	f.bk.Run(t.Context(), backups.Request{Trigger: model.TriggerManual})
	f.health = integrity.Result{State: integrity.StateFailed, Detail: "page 3: unreachable"}
	pages := []string{"/", "/backups", "/nope", "/backups?before=x", "/backups?run=1", "/audit", "/sessions", "/api-keys", "/accounts", "/accounts/new", "/leads", "/leads/new", "/setup?code=" + setup}
	for _, p := range pages {
		body := f.do(req{path: p, session: true}).Body.String()
		body += f.do(req{path: "/login"}).Body.String()
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
	f.signIn()
	f.health = integrity.Result{State: integrity.StateFailed, Detail: "page 3: unreachable unfreed"}
	body := f.do(req{path: "/", session: true}).Body.String()
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

func (f *fixture) auditActions() string {
	var out []string
	f.store.View(func(tx *storage.Tx) error {
		recs, _ := tx.RecentAudit(0, 10000)
		for _, r := range recs {
			out = append(out, r.Action)
		}
		return nil
	})
	return strings.Join(out, " ")
}
