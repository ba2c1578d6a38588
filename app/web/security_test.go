package web

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"parley/app/backups"
	"parley/app/config"
	"parley/app/model"
	"parley/app/security"
	"parley/storage"
)

func loginBody(user, pw string) string {
	b, _ := json.Marshal(map[string]string{"username": user, "password": pw})
	return string(b)
}

func TestSetupFlowThroughTheRouter(t *testing.T) {
	f := newFixture(t)
	code, err := f.sec.EnsureOwner(security.Meta{})
	if err != nil || code == "" {
		t.Fatal(err)
	}
	// Before setup every page sends you to sign in, which says what to do.
	rec := f.do(req{path: "/"})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next=%2F" {
		t.Fatalf("/ before setup = %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if body := f.do(req{path: "/login"}).Body.String(); !strings.Contains(body, "not set up yet") {
		t.Fatal("login page does not explain the pending setup")
	}
	if rec := f.do(req{path: "/setup?code=prl_setup_wrong"}); rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "expired or was already used") {
		t.Fatalf("bad code = %d", rec.Code)
	}
	if rec := f.do(req{path: "/setup?code=" + code}); rec.Code != 200 || !strings.Contains(rec.Body.String(), `value="admin"`) {
		t.Fatalf("setup page = %d", rec.Code)
	}
	form := url.Values{"code": {code}, "username": {"owner"}, "password": {"long enough pw"}, "confirm": {"different pw"}}
	if rec := f.do(req{method: http.MethodPost, path: "/setup", body: form.Encode()}); rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "differ") {
		t.Fatalf("mismatch = %d", rec.Code)
	}
	form.Set("confirm", "long enough pw")
	rec = f.do(req{method: http.MethodPost, path: "/setup", body: form.Encode()})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/" || sessionCookie(rec) == nil {
		t.Fatalf("setup = %d %v", rec.Code, rec.Header())
	}
	if rec := f.do(req{path: "/", cookies: []*http.Cookie{sessionCookie(rec)}}); rec.Code != 200 {
		t.Fatalf("dashboard after setup = %d", rec.Code)
	}
	if rec := f.do(req{method: http.MethodPost, path: "/setup", body: form.Encode()}); rec.Code != http.StatusForbidden {
		t.Fatalf("setup link reused = %d", rec.Code)
	}
}

func TestLoginCookieAndFixation(t *testing.T) {
	for _, tls := range []bool{false, true} {
		t.Run(fmt.Sprint("tls=", tls), func(t *testing.T) {
			f := newFixture(t, func(c *config.Config) { c.TLSSelfSigned = tls })
			f.user()
			planted := &http.Cookie{Name: security.CookieName(tls), Value: "prl_s_attacker-chosen-value"}
			form := url.Values{"username": {testUser}, "password": {testPassword}, "next": {"/backups"}}
			rec := f.do(req{method: http.MethodPost, path: "/login", body: form.Encode(), cookies: []*http.Cookie{planted}})
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/backups" {
				t.Fatalf("login = %d %s", rec.Code, rec.Header().Get("Location"))
			}
			c := sessionCookie(rec)
			if c == nil || c.Value == planted.Value || len(c.Value) < 40 {
				t.Fatalf("cookie = %+v", c)
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.Secure != tls {
				t.Fatalf("cookie attributes = %+v", c)
			}
			if tls && !strings.HasPrefix(c.Name, "__Host-") {
				t.Fatalf("TLS cookie name = %s", c.Name)
			}
			// The planted (pre-login) value stays worthless.
			if rec := f.do(req{path: "/", cookies: []*http.Cookie{planted}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("planted cookie = %d", rec.Code)
			}
			if tls && f.do(req{path: "/healthz"}).Header().Get("Strict-Transport-Security") == "" {
				t.Fatal("no HSTS with TLS")
			}
		})
	}
}

func TestLoginFailuresLookTheSame(t *testing.T) {
	f := newFixture(t)
	f.user()
	wrong := f.do(req{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody(testUser, "nope-nope"), peer: "127.0.0.2:1"})
	unknown := f.do(req{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("mallory", "nope-nope"), peer: "127.0.0.3:1"})
	strip := func(s string) string {
		var v struct {
			Error struct {
				Status  int
				Message string
			}
		}
		json.Unmarshal([]byte(s), &v)
		return fmt.Sprint(v.Error.Status, v.Error.Message)
	}
	if wrong.Code != 401 || unknown.Code != 401 || strip(wrong.Body.String()) != strip(unknown.Body.String()) {
		t.Fatalf("wrong password %d %s / unknown user %d %s", wrong.Code, wrong.Body, unknown.Code, unknown.Body)
	}
	formWrong := f.do(req{method: http.MethodPost, path: "/login", body: "username=alice&password=nope-nope", peer: "127.0.0.4:1"})
	formUnknown := f.do(req{method: http.MethodPost, path: "/login", body: "username=mallory&password=nope-nope", peer: "127.0.0.5:1"})
	clean := func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "mallory", "X"), testUser, "X") }
	if formWrong.Code != 401 || clean(formWrong.Body.String()) != clean(formUnknown.Body.String()) {
		t.Fatal("the login form tells known and unknown users apart")
	}
}

func TestLockoutThroughTheRouterSurvivesRestart(t *testing.T) {
	f := newFixture(t)
	f.user()
	for i := range 5 {
		rec := f.do(req{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody(testUser, "bad guess"), peer: fmt.Sprintf("127.0.1.%d:1", i)})
		if i == 4 && (rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "900") {
			t.Fatalf("fifth failure = %d Retry-After %q", rec.Code, rec.Header().Get("Retry-After"))
		}
	}
	// Right password, locked: 429 with Retry-After, on the form too.
	form := url.Values{"username": {testUser}, "password": {testPassword}}
	rec := f.do(req{method: http.MethodPost, path: "/login", body: form.Encode()})
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), "admin unlock") {
		t.Fatalf("locked form login = %d", rec.Code)
	}
	// A new server on the same database (a restart) still refuses.
	restarted := &fixture{t: t, store: f.store, clock: f.clock}
	sec := security.New(security.Options{Store: f.store, Clock: f.clock, HashMemoryKiB: 64, HashPasses: 1})
	srv, _ := New(Options{Store: f.store, Backups: f.bk, Security: sec, Hub: f.hub, Clock: f.clock, Config: f.cfg})
	restarted.srv = srv
	if rec := restarted.do(req{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody(testUser, testPassword)}); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("after restart = %d", rec.Code)
	}
	if err := sec.Unlock(testUser, "", model.ActorCLI, security.Meta{}); err != nil {
		t.Fatal(err)
	}
	if rec := restarted.do(req{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody(testUser, testPassword)}); rec.Code != 200 {
		t.Fatalf("after unlock = %d", rec.Code)
	}
}

func TestLogoutEndsTheSessionForGood(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	old := f.cookie
	rec := f.do(req{method: http.MethodPost, path: "/logout", session: true})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login" {
		t.Fatalf("logout = %d", rec.Code)
	}
	if !strings.Contains(rec.Header().Get("Clear-Site-Data"), `"cookies"`) {
		t.Fatal("no Clear-Site-Data")
	}
	var expired bool
	for _, c := range rec.Result().Cookies() {
		expired = expired || (c.Name == f.cookie.Name && c.MaxAge < 0)
	}
	if !expired {
		t.Fatal("cookie not expired")
	}
	// Replaying the cookie after logout.
	if rec := f.do(req{path: "/api/v1/status", cookies: []*http.Cookie{old}}); rec.Code != 401 {
		t.Fatalf("replayed cookie = %d", rec.Code)
	}
	// Logout must be a POST.
	if rec := f.do(req{path: "/logout", cookies: []*http.Cookie{old}}); rec.Code != http.StatusMethodNotAllowed {
		t.Fatalf("GET /logout = %d", rec.Code)
	}
	// The API logout works the same way.
	f.signIn()
	if rec := f.do(req{method: http.MethodPost, path: "/api/v1/auth/logout", session: true}); rec.Code != 200 {
		t.Fatalf("api logout = %d", rec.Code)
	}
	if rec := f.do(req{path: "/", session: true}); rec.Code != http.StatusSeeOther {
		t.Fatal("session alive after API logout")
	}
}

func TestExpiryThroughTheRouterAndHTMX(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	f.clock.Advance(31 * time.Minute) // idle timeout
	rec := f.do(req{method: http.MethodPost, path: "/backups", session: true, header: map[string]string{"HX-Request": "true", "HX-Current-URL": "http://127.0.0.1:7450/backups?before=9"}})
	if rec.Code != 401 || rec.Header().Get("HX-Redirect") != "/login?next=%2Fbackups%3Fbefore%3D9" {
		t.Fatalf("expired htmx = %d %q", rec.Code, rec.Header().Get("HX-Redirect"))
	}
	if rec := f.do(req{path: "/audit?category=authn", session: true}); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next=%2Faudit%3Fcategory%3Dauthn" {
		t.Fatalf("expired page = %d %s", rec.Code, rec.Header().Get("Location"))
	}
	// Absolute timeout: active all along, still ends after 12 h.
	f.signIn()
	for range 12 * 3 {
		f.clock.Advance(20 * time.Minute)
		rec := f.do(req{path: "/api/v1/status", session: true})
		if rec.Code != 200 {
			t.Fatalf("active session ended at %v", f.clock.Now())
		}
		if c := sessionCookie(rec); c != nil {
			f.cookie = c // rotation
		}
	}
	f.clock.Advance(20 * time.Minute)
	if rec := f.do(req{path: "/api/v1/status", session: true}); rec.Code != 401 {
		t.Fatalf("after 12 h = %d", rec.Code)
	}
}

func TestRotationKeepsPagesWorking(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	f.clock.Advance(16 * time.Minute)
	rec := f.do(req{path: "/", session: true})
	rotated := sessionCookie(rec)
	if rec.Code != 200 || rotated == nil || rotated.Value == f.cookie.Value {
		t.Fatalf("no rotation: %d %v", rec.Code, rotated)
	}
	// An htmx request sent before the browser stored the new cookie still
	// works within the grace window, with the same CSRF token...
	if rec := f.do(req{method: http.MethodPost, path: "/backups", session: true, header: map[string]string{"HX-Request": "true"}}); rec.Code != 200 {
		t.Fatalf("old cookie in grace = %d", rec.Code)
	}
	// ...and the page's CSRF token works with the new cookie too.
	f.cookie = rotated
	if rec := f.do(req{method: http.MethodPost, path: "/backups", session: true, header: map[string]string{"HX-Request": "true"}}); rec.Code != 200 {
		t.Fatalf("new cookie with the page's token = %d", rec.Code)
	}
}

// TestXFFSpoofing: a client that is not a configured proxy cannot choose
// its own IP with X-Forwarded-For, neither to pass the allowlist nor to
// dodge the rate limiter.
func TestXFFSpoofing(t *testing.T) {
	f := newFixture(t, func(c *config.Config) {
		c.TrustedIPs, _ = config.ParsePrefixes("192.168.1.0/24")
	})
	outsider := "203.0.113.5:4000"
	for _, h := range []map[string]string{nil, {"X-Forwarded-For": "192.168.1.10"}, {"X-Real-IP": "192.168.1.10"}, {"X-Forwarded-For": "127.0.0.1"}} {
		if rec := f.do(req{path: "/healthz", peer: outsider, header: h}); rec.Code != 403 {
			t.Errorf("outsider with %v = %d", h, rec.Code)
		}
	}
	if rec := f.do(req{path: "/healthz", peer: "192.168.1.77:1"}); rec.Code != 200 {
		t.Fatalf("allowed LAN client = %d", rec.Code)
	}
	if !strings.Contains(f.auditActions(), "access_ip_denied") {
		t.Fatal("denied access not audited")
	}
	// The login limiter counts the peer, whatever X-Forwarded-For says.
	limited := false
	for i := range 15 {
		rec := f.do(req{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("x", "y"), peer: "192.168.1.50:1",
			header: map[string]string{"X-Forwarded-For": fmt.Sprintf("10.9.9.%d", i)}})
		limited = limited || (rec.Code == 429 && rec.Header().Get("Retry-After") != "")
	}
	if !limited {
		t.Fatal("rotating X-Forwarded-For escaped the rate limiter")
	}

	// Behind a configured proxy, the forwarded client counts.
	p := newFixture(t, func(c *config.Config) {
		c.TrustedIPs, _ = config.ParsePrefixes("192.168.1.0/24")
		c.TrustedProxies, _ = config.ParsePrefixes("10.0.0.2")
	})
	if rec := p.do(req{path: "/healthz", peer: "10.0.0.2:1", header: map[string]string{"X-Forwarded-For": "192.168.1.10"}}); rec.Code != 200 {
		t.Fatalf("proxied LAN client = %d", rec.Code)
	}
	if rec := p.do(req{path: "/healthz", peer: "10.0.0.2:1", header: map[string]string{"X-Forwarded-For": "203.0.113.5"}}); rec.Code != 403 {
		t.Fatalf("proxied outsider = %d", rec.Code)
	}
	if rec := p.do(req{path: "/healthz", peer: "10.0.0.3:1", header: map[string]string{"X-Forwarded-For": "192.168.1.10"}}); rec.Code != 403 {
		t.Fatalf("untrusted peer claiming to forward = %d", rec.Code)
	}
}

func TestAPIKeysThroughTheRouter(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	rec := f.do(req{method: http.MethodPost, path: "/api-keys", session: true, body: url.Values{"name": {"export"}, "scope": {"read"}}.Encode()})
	body := rec.Body.String()
	start := strings.Index(body, "prl_k_")
	if rec.Code != 200 || start < 0 || !strings.Contains(body, "shown only once") {
		t.Fatalf("create = %d", rec.Code)
	}
	readKey := body[start : start+len("prl_k_")+43]
	if strings.Count(f.do(req{path: "/api-keys", session: true}).Body.String(), readKey) != 0 {
		t.Fatal("the key is shown again after creation")
	}
	bearer := func(k string) map[string]string { return map[string]string{"Authorization": "Bearer " + k} }
	if rec := f.do(req{path: "/api/v1/status", header: bearer(readKey)}); rec.Code != 200 {
		t.Fatalf("read key on status = %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(req{method: http.MethodPost, path: "/api/v1/backups", header: bearer(readKey)}); rec.Code != 403 {
		t.Fatalf("read key on a control endpoint = %d", rec.Code)
	}
	secret, _, _ := f.sec.CreateAPIKey("ops", model.ScopeControl, "cli", security.Meta{})
	if rec := f.do(req{method: http.MethodPost, path: "/api/v1/backups", header: bearer(secret)}); rec.Code != 201 {
		t.Fatalf("control key on backup = %d %s", rec.Code, rec.Body)
	}
	// Keys in the address are refused and never logged.
	rec = f.do(req{path: "/api/v1/status?api_key=" + readKey})
	if rec.Code != 401 || strings.Contains(f.logs.String(), readKey) {
		t.Fatalf("key in query = %d (logged: %v)", rec.Code, strings.Contains(f.logs.String(), readKey))
	}
	// API keys do not open the HTML UI.
	if rec := f.do(req{path: "/", header: bearer(secret)}); rec.Code != http.StatusSeeOther {
		t.Fatalf("key on a page = %d", rec.Code)
	}
	// Last use is shown; revocation takes effect at once.
	if !strings.Contains(f.do(req{path: "/api-keys", session: true}).Body.String(), "export") {
		t.Fatal("key not listed")
	}
	keys, _ := f.sec.APIKeys()
	var readID uint64
	for _, k := range keys {
		if k.Name == "export" {
			readID = k.ID
			if k.LastUsedAt.IsZero() {
				t.Fatal("last use not recorded")
			}
		}
	}
	if rec := f.do(req{method: http.MethodPost, path: fmt.Sprintf("/api-keys/%d/revoke", readID), session: true}); rec.Code != 200 {
		t.Fatalf("revoke = %d", rec.Code)
	}
	if rec := f.do(req{path: "/api/v1/status", header: bearer(readKey)}); rec.Code != 401 || !strings.Contains(rec.Body.String(), "not valid") {
		t.Fatalf("revoked key = %d %s", rec.Code, rec.Body)
	}
	for _, bad := range []string{"Bearer", "Bearer prl_k_short", "Token abc", "Basic " + "YWxpY2U6cw=="} {
		if rec := f.do(req{path: "/api/v1/status", header: map[string]string{"Authorization": bad}}); rec.Code != 401 {
			t.Errorf("Authorization %q = %d", bad, rec.Code)
		}
	}
}

func TestBasicAuthOnlyOnTheAPIWhenEnabled(t *testing.T) {
	off := newFixture(t)
	off.user()
	basic := map[string]string{"Authorization": "Basic " + basicCred(testUser, testPassword)}
	if rec := off.do(req{path: "/api/v1/status", header: basic}); rec.Code != 401 || strings.Contains(rec.Header().Get("WWW-Authenticate"), "Basic") {
		t.Fatalf("basic while off = %d %q", rec.Code, rec.Header().Get("WWW-Authenticate"))
	}
	on := newFixture(t, func(c *config.Config) { c.APIBasicAuth = true })
	on.user()
	if rec := on.do(req{path: "/api/v1/status", header: basic}); rec.Code != 200 {
		t.Fatalf("basic while on = %d", rec.Code)
	}
	rec := on.do(req{path: "/api/v1/status"})
	if !strings.Contains(strings.Join(rec.Header().Values("WWW-Authenticate"), ","), "Basic") {
		t.Fatal("the API does not offer Basic when enabled")
	}
	if rec := on.do(req{path: "/", header: basic}); rec.Code != http.StatusSeeOther || rec.Header().Get("WWW-Authenticate") != "" {
		t.Fatalf("basic on a page = %d %q", rec.Code, rec.Header().Get("WWW-Authenticate"))
	}
}

func basicCred(u, p string) string {
	r := httptest.NewRequest("GET", "/", nil)
	r.SetBasicAuth(u, p)
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Basic ")
}

func TestLoginRateLimit(t *testing.T) {
	f := newFixture(t)
	codes := map[int]int{}
	for range 20 {
		codes[f.do(req{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("nobody-"+fmt.Sprint(len(codes)), "x"), peer: "127.0.0.9:1"}).Code]++
	}
	if codes[429] == 0 {
		t.Fatalf("no rate limit after 20 login attempts: %v", codes)
	}
	if rec := f.do(req{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("x", "y"), peer: "127.0.0.10:1"}); rec.Code == 429 {
		t.Fatal("another IP was limited too")
	}
}

// TestBadInput: malformed, oversized and strange requests get a clear 4xx
// and change nothing.
func TestBadInput(t *testing.T) {
	f := newFixture(t)
	f.user()
	cases := []struct {
		name, body, ctype string
		want              int
		msg               string
	}{
		{"malformed JSON", `{"username":`, "application/json", 400, "ends too early"},
		{"not JSON", `username=alice`, "application/x-www-form-urlencoded", 400, "Content-Type: application/json"},
		{"unknown field", `{"username":"alice","password":"x","admin":true}`, "application/json", 400, "does not know"},
		{"two objects", `{"username":"a","password":"b"}{}`, "application/json", 400, "exactly one"},
		{"wrong type", `{"username":1,"password":"x"}`, "application/json", 400, "must be a string"},
		{"empty", ``, "application/json", 400, "empty"},
		{"huge", `{"username":"` + strings.Repeat("a", maxBody) + `"}`, "application/json", 413, "too large"},
		{"very long password", loginBody(testUser, strings.Repeat("p", 100000)), "application/json", 401, "Wrong user name or password"},
		{"unicode password", loginBody(testUser, "пароль-密码-🔑"), "application/json", 401, "Wrong user name or password"},
	}
	for i, c := range cases {
		rec := f.do(req{method: http.MethodPost, path: "/api/v1/auth/login", body: c.body, header: map[string]string{"Content-Type": c.ctype}, peer: fmt.Sprintf("127.0.2.%d:1", i)})
		if rec.Code != c.want || !strings.Contains(rec.Body.String(), c.msg) {
			t.Errorf("%s: %d %s", c.name, rec.Code, rec.Body)
		}
	}
	// A Unicode password works end to end.
	if err := f.sec.SetPassword("bob", "пароль-密码-🔑", model.ActorCLI, security.Meta{}); err != nil {
		t.Fatal(err)
	}
	if rec := f.do(req{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("bob", "пароль-密码-🔑")}); rec.Code != 200 {
		t.Fatalf("unicode login = %d", rec.Code)
	}
	// Header injection through the redirect target is impossible.
	for _, next := range []string{"https://evil.test/", "//evil.test", "/\\evil.test", "/ok\r\nSet-Cookie: x=1", "javascript:alert(1)"} {
		form := url.Values{"username": {"bob"}, "password": {"пароль-密码-🔑"}, "next": {next}}
		rec := f.do(req{method: http.MethodPost, path: "/login", body: form.Encode()})
		loc := rec.Header().Get("Location")
		if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.ContainsAny(loc, "\r\n\\") || len(rec.Result().Cookies()) != 1 {
			t.Errorf("next %q redirected to %q", next, loc)
		}
	}
}

// TestCanarySecretsNeverLeave: a password, an API key, a session token
// and a setup code never appear in logs, database values, audit records or
// error pages.
func TestCanarySecretsNeverLeave(t *testing.T) {
	f := newFixture(t)
	setup, _ := f.sec.EnsureOwner(security.Meta{})
	const canaryPW = "canary-password-7f3a9c1e"
	if err := f.sec.SetPassword(testUser, canaryPW, model.ActorCLI, security.Meta{}); err != nil {
		t.Fatal(err)
	}
	rec := f.do(req{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody(testUser, canaryPW)})
	cookie := sessionCookie(rec)
	f.do(req{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody(testUser, canaryPW+"-wrong")})
	f.cookie = cookie
	var lr loginResponse
	json.Unmarshal(rec.Body.Bytes(), &lr)
	f.csrf = lr.CSRFToken
	key := f.do(req{method: http.MethodPost, path: "/api-keys", session: true, body: "name=canary&scope=read"}).Body.String()
	keyStart := strings.Index(key, "prl_k_")
	apiKey := key[keyStart : keyStart+len("prl_k_")+43]
	var pages strings.Builder
	for _, p := range []string{"/", "/audit", "/sessions", "/api-keys", "/nope", "/api/v1/audit", "/api/v1/status"} {
		pages.WriteString(f.do(req{path: p, session: true}).Body.String())
	}
	pages.WriteString(f.do(req{path: "/api/v1/status?token=" + apiKey}).Body.String())
	pages.WriteString(f.do(req{path: "/api/v1/status", header: map[string]string{"Authorization": "Bearer " + apiKey + "x"}}).Body.String())
	// Committed data is on disk: read the raw file while the store is open.
	db, _ := os.ReadFile(f.store.Path())
	var audit strings.Builder
	f.store.View(func(tx *storage.Tx) error {
		recs, _ := tx.RecentAudit(0, 10000)
		b, _ := json.Marshal(recs)
		audit.Write(b)
		return nil
	})
	for name, secret := range map[string]string{"password": canaryPW, "api key": apiKey, "session token": cookie.Value, "setup code": setup} {
		for where, text := range map[string]string{"logs": f.logs.String(), "database file": string(db), "audit": audit.String(), "pages": pages.String()} {
			if secret != "" && strings.Contains(text, secret) {
				t.Errorf("the %s appears in the %s", name, where)
			}
		}
	}
}

func TestSessionsPageAndPasswordChange(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	first, firstCSRF := f.cookie, f.csrf
	f.signIn() // a second browser
	body := f.do(req{path: "/sessions", session: true}).Body.String()
	if strings.Count(body, "<tr>") != 3 || !strings.Contains(body, "this browser") {
		t.Fatalf("sessions page rows = %d", strings.Count(body, "<tr>"))
	}
	rec := f.do(req{method: http.MethodPost, path: "/sessions/revoke-others", session: true})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "1 other session signed out") {
		t.Fatalf("revoke others = %d", rec.Code)
	}
	if rec := f.do(req{path: "/", cookies: []*http.Cookie{first}}); rec.Code != http.StatusSeeOther {
		t.Fatal("revoked browser still signed in")
	}
	_ = firstCSRF
	// Changing the password signs out the others and renews this cookie.
	f2 := *f
	f2.signIn()
	form := url.Values{"current": {testPassword}, "password": {"brand new pass"}, "confirm": {"brand new pass"}}
	rec = f.do(req{method: http.MethodPost, path: "/account/password", session: true, body: form.Encode()})
	renewed := sessionCookie(rec)
	if rec.Code != 200 || renewed == nil || renewed.Value == f.cookie.Value {
		t.Fatalf("change password = %d %v", rec.Code, renewed)
	}
	if rec := f.do(req{path: "/", cookies: []*http.Cookie{f2.cookie}}); rec.Code != http.StatusSeeOther {
		t.Fatal("other session survived the password change")
	}
	if rec := f.do(req{path: "/", cookies: []*http.Cookie{f.cookie}}); rec.Code != http.StatusSeeOther {
		t.Fatal("old id of this session survived the password change (fixation)")
	}
	if rec := f.do(req{path: "/", cookies: []*http.Cookie{renewed}}); rec.Code != 200 {
		t.Fatal("renewed cookie does not work")
	}
	form.Set("current", "wrong")
	f.cookie = renewed
	if rec := f.do(req{method: http.MethodPost, path: "/account/password", session: true, body: form.Encode()}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "current password is wrong") {
		t.Fatalf("wrong current = %d", rec.Code)
	}
}

func TestAuditPageAndAPI(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	f.do(req{method: http.MethodPost, path: "/api/v1/auth/login", body: loginBody("mallory", "guess"), peer: "127.0.3.1:1"})
	body := f.do(req{path: "/audit?category=authn", session: true}).Body.String()
	if !strings.Contains(body, "authn_login_fail") || !strings.Contains(body, "authn_login_success") || strings.Contains(body, "session_created") {
		t.Fatal("category filter wrong")
	}
	body = f.do(req{path: "/audit?actor=MALL", session: true}).Body.String()
	if !strings.Contains(body, "mallory") || strings.Contains(body, "authn_login_success") {
		t.Fatal("actor filter wrong")
	}
	if rec := f.do(req{path: "/audit?since=yesterday", session: true}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "YYYY-MM-DD") {
		t.Fatalf("bad date = %d", rec.Code)
	}
	key, _, _ := f.sec.CreateAPIKey("audit reader", model.ScopeRead, "cli", security.Meta{})
	rec := f.do(req{path: "/api/v1/audit?category=authn&limit=1", header: map[string]string{"Authorization": "Bearer " + key}})
	var res auditResponse
	json.Unmarshal(rec.Body.Bytes(), &res)
	if rec.Code != 200 || len(res.Records) != 1 || res.NextBefore == 0 || res.Records[0].Hash == "" {
		t.Fatalf("api audit = %d %s", rec.Code, rec.Body)
	}
	rec = f.do(req{path: fmt.Sprintf("/api/v1/audit?category=authn&before=%d", res.NextBefore), header: map[string]string{"Authorization": "Bearer " + key}})
	json.Unmarshal(rec.Body.Bytes(), &res)
	if len(res.Records) == 0 || res.Records[0].Seq >= res.NextBefore && res.NextBefore != 0 {
		t.Fatalf("second page = %s", rec.Body)
	}
	if rec := f.do(req{path: "/api/v1/audit?limit=5000", header: map[string]string{"Authorization": "Bearer " + key}}); rec.Code != 400 {
		t.Fatalf("limit 5000 = %d", rec.Code)
	}
	day := f.clock.Now().Format("2006-01-02")
	if body := f.do(req{path: "/audit?since=" + day + "&until=" + day, session: true}).Body.String(); !strings.Contains(body, "authn_login_fail") {
		t.Fatal("a one-day range excludes that day")
	}
}

// TestEventStream: the dashboard's live stream delivers new events as rows
// and ends when the session is signed out.
func TestEventStream(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go f.hub.Serve(ctx)
	srv := httptest.NewServer(f.srv.Handler())
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	get, _ := http.NewRequest("GET", srv.URL+"/events", nil)
	get.Host = "127.0.0.1:" + u.Port()
	get.AddCookie(f.cookie)
	resp, err := http.DefaultClient.Do(get)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	waitHub(t, f)
	f.bk.Run(context.Background(), backupsRequestManual())
	if !waitLine(lines, func(l string) bool {
		return strings.HasPrefix(l, "data: <tr>") && strings.Contains(l, "Backup written")
	}) {
		t.Fatal("no live row for the backup")
	}
	// Signing out ends the stream.
	logout, _ := http.NewRequest("POST", srv.URL+"/logout", nil)
	logout.Host = get.Host
	logout.AddCookie(f.cookie)
	logout.Header.Set("X-CSRF-Token", f.csrf)
	logout.Header.Set("Sec-Fetch-Site", "same-origin")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if r, err := client.Do(logout); err != nil || r.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout = %v %v", r, err)
	}
	deadline := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-lines:
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("the stream outlived its session")
		}
	}
}

func waitHub(t *testing.T, f *fixture) {
	deadline := time.Now().Add(5 * time.Second)
	for f.hub.Subscribers() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no subscriber")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func waitLine(lines chan string, match func(string) bool) bool {
	deadline := time.After(5 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				return false
			}
			if match(l) {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

func backupsRequestManual() backups.Request { return backups.Request{Trigger: model.TriggerManual} }

func TestRevokeOneSessionThroughTheRouter(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	other := f.cookie
	f.signIn()
	otherAuth, err := f.sec.Authenticate(other.Value, security.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	otherLogin := otherAuth.LoginID
	rec := f.do(req{method: http.MethodPost, path: "/sessions/revoke", session: true, body: "login_id=" + otherLogin})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "signed out") {
		t.Fatalf("revoke = %d", rec.Code)
	}
	if rec := f.do(req{path: "/", cookies: []*http.Cookie{other}}); rec.Code != http.StatusSeeOther {
		t.Fatal("revoked session still works")
	}
	if rec := f.do(req{method: http.MethodPost, path: "/sessions/revoke", session: true, body: "login_id=nope"}); rec.Code != 404 {
		t.Fatalf("unknown session = %d", rec.Code)
	}
}

func TestAPIAndControlRateLimits(t *testing.T) {
	f := newFixture(t)
	key, _, _ := f.sec.CreateAPIKey("flood", model.ScopeControl, "cli", security.Meta{})
	bearer := map[string]string{"Authorization": "Bearer " + key}
	limited := func(method, path string, n int) bool {
		for range n {
			if rec := f.do(req{method: method, path: path, header: bearer, peer: "127.0.4.1:1"}); rec.Code == 429 {
				return rec.Header().Get("Retry-After") != ""
			}
		}
		return false
	}
	if !limited(http.MethodGet, "/api/v1/status", 150) {
		t.Error("no API rate limit after 150 requests")
	}
	if !limited(http.MethodPost, "/api/v1/backups", 15) {
		t.Error("no control rate limit after 15 requests")
	}
}

func TestIPPolicyCoversAssetsAndStreams(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{f.srv.assets.URL("app.css"), "/events", "/api/v1/events", "/login", "/nope"} {
		if rec := f.do(req{path: p, peer: "198.51.100.7:1"}); rec.Code != 403 {
			t.Errorf("%s from an outsider = %d", p, rec.Code)
		}
	}
}
