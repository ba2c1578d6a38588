package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"parley/app/model"
	"parley/app/security"
)

func accountFormValues() url.Values {
	return url.Values{
		"name": {"Anna"}, "time_zone": {"Europe/Rome"}, "work_days": {"1", "2", "3", "4", "5"},
		"work_start": {"09:00"}, "work_end": {"17:30"}, "type": {"premium"},
		"invites_per_day": {"15"}, "invites_per_week": {"80"}, "messages_per_day": {"20"},
		"visits_per_day": {"40"}, "withdrawals_per_day": {"10"}, "warmup_start": {"2026-12-01"}, "notes": {"main seat"},
	}
}

func TestAccountsThroughTheUI(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	if body := f.do(req{path: "/accounts", session: true}).Body.String(); !strings.Contains(body, "No sender accounts yet") {
		t.Fatal("empty list")
	}
	if rec := f.do(req{path: "/accounts/new", session: true}); rec.Code != 200 || !strings.Contains(rec.Body.String(), `value="15"`) {
		t.Fatalf("new form = %d", rec.Code)
	}
	// A value above the compliance ceiling is refused; the form keeps
	// everything that was typed.
	form := accountFormValues()
	form.Set("invites_per_day", "50")
	rec := f.do(req{method: http.MethodPost, path: "/accounts", session: true, body: form.Encode()})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "compliance ceiling of 20") || !strings.Contains(rec.Body.String(), "main seat") {
		t.Fatalf("refused form = %d", rec.Code)
	}
	form.Set("invites_per_day", "abc")
	if rec := f.do(req{method: http.MethodPost, path: "/accounts", session: true, body: form.Encode()}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "Invites per day") {
		t.Fatalf("non-number = %d", rec.Code)
	}
	form.Set("invites_per_day", "15")
	rec = f.do(req{method: http.MethodPost, path: "/accounts", session: true, body: form.Encode()})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("create = %d %s", rec.Code, rec.Body)
	}
	body := f.do(req{path: "/accounts?saved=1", session: true}).Body.String()
	if !strings.Contains(body, "Anna") || !strings.Contains(body, "Premium") || !strings.Contains(body, "Mon Tue Wed Thu Fri 09:00–17:30") {
		t.Fatal("list does not show the account")
	}
	if rec := f.do(req{path: "/accounts/1", session: true}); rec.Code != 200 || !strings.Contains(rec.Body.String(), `value="Europe/Rome"`) {
		t.Fatalf("edit form = %d", rec.Code)
	}
	form.Set("name", "Anna R.")
	if rec := f.do(req{method: http.MethodPost, path: "/accounts/1", session: true, body: form.Encode()}); rec.Code != http.StatusSeeOther {
		t.Fatalf("update = %d", rec.Code)
	}
	if rec := f.do(req{method: http.MethodPost, path: "/accounts/1/archive", session: true}); rec.Code != http.StatusSeeOther {
		t.Fatalf("archive = %d", rec.Code)
	}
	if body := f.do(req{path: "/accounts", session: true}).Body.String(); strings.Contains(body, "Anna R.") {
		t.Fatal("archived account in the active list")
	}
	if body := f.do(req{path: "/accounts?archived=1", session: true}).Body.String(); !strings.Contains(body, "archived") {
		t.Fatal("archived account not shown on request")
	}
	for _, p := range []string{"/accounts/99", "/accounts/abc"} {
		if rec := f.do(req{path: p, session: true}); rec.Code != 404 {
			t.Errorf("%s = %d", p, rec.Code)
		}
	}
}

func TestAccountsAPI(t *testing.T) {
	f := newFixture(t)
	read, _, _ := f.sec.CreateAPIKey("r", model.ScopeRead, "cli", security.Meta{})
	ctl, _, _ := f.sec.CreateAPIKey("c", model.ScopeControl, "cli", security.Meta{})
	auth := func(k string) map[string]string { return map[string]string{"Authorization": "Bearer " + k} }
	body := `{"name":"Bob","time_zone":"America/New_York","work_days":[1,2,3],"work_start":"08:00","work_end":"16:00","type":"free","limits":{"invites_per_day":10,"invites_per_week":50,"messages_per_day":10,"visits_per_day":20,"withdrawals_per_day":5}}`
	if rec := f.do(req{method: http.MethodPost, path: "/api/v1/accounts", body: body, header: auth(read)}); rec.Code != 403 {
		t.Fatalf("create with a read key = %d", rec.Code)
	}
	rec := f.do(req{method: http.MethodPost, path: "/api/v1/accounts", body: body, header: auth(ctl)})
	var a model.Account
	json.Unmarshal(rec.Body.Bytes(), &a)
	if rec.Code != 201 || a.ID != 1 || rec.Header().Get("Location") != "/api/v1/accounts/1" || a.TimeZone != "America/New_York" {
		t.Fatalf("create = %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(req{method: http.MethodPut, path: "/api/v1/accounts/1", body: strings.Replace(body, `"Bob"`, `"Bobby"`, 1), header: auth(ctl)}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Bobby") {
		t.Fatalf("update = %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(req{path: "/api/v1/accounts/1", header: auth(read)}); rec.Code != 200 {
		t.Fatalf("get = %d", rec.Code)
	}
	for _, bad := range []struct{ body, want string }{
		{strings.Replace(body, `"free"`, `"gold"`, 1), "free, premium or sales_navigator"},
		{strings.Replace(body, `"time_zone":"America/New_York"`, `"time_zone":"Nowhere"`, 1), "IANA"},
		{`{"name":"x","unknown":1}`, "does not know"},
		{`{"name":`, "ends too early"},
	} {
		rec := f.do(req{method: http.MethodPost, path: "/api/v1/accounts", body: bad.body, header: auth(ctl)})
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), bad.want) {
			t.Errorf("bad %q = %d %s", bad.want, rec.Code, rec.Body)
		}
	}
	if rec := f.do(req{method: http.MethodPost, path: "/api/v1/accounts/1/archive", header: auth(ctl)}); rec.Code != 200 {
		t.Fatalf("archive = %d", rec.Code)
	}
	if rec := f.do(req{method: http.MethodPost, path: "/api/v1/accounts/1/archive", header: auth(ctl)}); rec.Code != 409 {
		t.Fatalf("archive twice = %d", rec.Code)
	}
	rec = f.do(req{path: "/api/v1/accounts", header: auth(read)})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"accounts":[]`) {
		t.Fatalf("list = %s", rec.Body)
	}
	if !strings.Contains(f.auditActions(), "account_archived") {
		t.Fatal("not audited")
	}
}

// TestAccountPageWithoutBrowser: with no browser set up, the account page
// says so and where to look, and Log in is refused with that reason.
func TestAccountPageWithoutBrowser(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	if rec := f.do(req{method: http.MethodPost, path: "/accounts", session: true, body: accountFormValues().Encode()}); rec.Code != http.StatusSeeOther {
		t.Fatalf("create = %d", rec.Code)
	}
	body := f.do(req{path: "/accounts/1", session: true}).Body.String()
	if !strings.Contains(body, "LinkedIn session") || !strings.Contains(body, "No browser is set up on this computer") || !strings.Contains(body, "/settings/browser") {
		t.Fatal("the account page does not explain the missing browser")
	}
	rec := f.do(req{method: http.MethodPost, path: "/accounts/1/login", session: true, body: ""})
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "Settings → Browser") {
		t.Fatalf("log in without a browser = %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(req{method: http.MethodPost, path: "/accounts/99/login", session: true, body: ""}); rec.Code != http.StatusNotFound {
		t.Fatalf("log in for an unknown account = %d", rec.Code)
	}
}

// TestAccountWindowChoice: the browser-window choice is stored and audited
// from the page and the API, shown on the account page, and bad input,
// unknown and archived accounts and read keys are refused.
func TestAccountWindowChoice(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	read, ctl := f.keys()
	if rec := f.paced(req{method: http.MethodPost, path: "/accounts", session: true, body: accountFormValues().Encode()}); rec.Code != http.StatusSeeOther {
		t.Fatalf("create = %d", rec.Code)
	}
	t.Setenv("DISPLAY", ":0")
	body := f.paced(req{path: "/accounts/1", session: true}).Body.String()
	if !strings.Contains(body, "works in the background") || !strings.Contains(body, `action="/accounts/1/window"`) {
		t.Fatal("the account page offers no window switch")
	}
	rec := f.paced(req{method: http.MethodPost, path: "/accounts/1/window", session: true, body: "show=yes"})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/accounts/1?session=window-shown" {
		t.Fatalf("show = %d %s", rec.Code, rec.Header().Get("Location"))
	}
	body = unescaped(f.paced(req{path: "/accounts/1?session=window-shown", session: true}).Body.String())
	if !strings.Contains(body, "now works in a visible browser window") || !strings.Contains(body, "Work in the background") {
		t.Fatal("the page does not show the window choice")
	}
	if a, _ := f.srv.o.Accounts.Get(1); !a.ShowBrowser {
		t.Fatal("the choice was not stored")
	}
	rec = f.paced(req{method: http.MethodPut, path: "/api/v1/accounts/1/window", header: ctl, body: `{"show":false}`})
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "show_browser") {
		t.Fatalf("API hide = %d %s", rec.Code, rec.Body)
	}
	// Doing what is done changes nothing and writes no audit record.
	f.paced(req{method: http.MethodPut, path: "/api/v1/accounts/1/window", header: ctl, body: `{"show":false}`})
	var shown, hidden int
	for _, r := range f.auditsOf("account") {
		switch r.Action {
		case "account_browser_shown":
			shown++
		case "account_browser_hidden":
			hidden++
		}
	}
	if shown != 1 || hidden != 1 {
		t.Fatalf("audited %d shown, %d hidden; want 1 and 1", shown, hidden)
	}

	// Without a desktop session the page says why instead of offering it,
	// and an account set to a window says it works in the background.
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	if body := f.paced(req{path: "/accounts/1", session: true}).Body.String(); !strings.Contains(body, "no desktop session") || strings.Contains(body, `value="yes"`) {
		t.Error("the page offers a window where none can be shown")
	}
	if _, err := f.srv.o.Accounts.ShowBrowser(1, true, model.Origin{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if body := f.paced(req{path: "/accounts/1", session: true}).Body.String(); !strings.Contains(body, "chosen, but not shown") || !strings.Contains(body, "Work in the background") {
		t.Error("an account set to a window on a computer without one claims to show it")
	}
	if _, err := f.srv.o.Accounts.ShowBrowser(1, false, model.Origin{Actor: "test"}); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		method, path, body string
		header             map[string]string
		code               int
		want               string
	}{
		{http.MethodPut, "/api/v1/accounts/1/window", `{}`, ctl, 400, `say \"show\": true`},
		{http.MethodPut, "/api/v1/accounts/1/window", `{"show":"yes"}`, ctl, 400, ""},
		{http.MethodPut, "/api/v1/accounts/1/window", `{"show":true,"x":1}`, ctl, 400, ""},
		{http.MethodPut, "/api/v1/accounts/9/window", `{"show":true}`, ctl, 404, ""},
		{http.MethodPut, "/api/v1/accounts/1/window", `{"show":true}`, read, 403, ""},
	} {
		rec := f.paced(req{method: c.method, path: c.path, header: c.header, body: c.body})
		if rec.Code != c.code || !strings.Contains(rec.Body.String(), c.want) {
			t.Errorf("%s %s = %d %s; want %d", c.path, c.body, rec.Code, rec.Body, c.code)
		}
	}
	if rec := f.paced(req{method: http.MethodPost, path: "/accounts/1/window", session: true, body: "show=maybe"}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "show must be yes or no") {
		t.Errorf("show=maybe = %d", rec.Code)
	}
	if _, err := f.srv.o.Accounts.Archive(1, model.Origin{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if rec := f.paced(req{method: http.MethodPost, path: "/accounts/1/window", session: true, body: "show=yes"}); rec.Code != 409 {
		t.Errorf("window of an archived account = %d", rec.Code)
	}
}
