package web

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"parley/app/model"
	"parley/app/runtime"
	"parley/automation/fakesite"
	"parley/storage"
)

// TestDashboardShowsWhyIdle: each account has a card with its plain-words
// state, queue, limits and controls; open incidents are at the top.
func TestDashboardShowsWhyIdle(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	a, c := f.activeCampaign("Q1")
	f.enrolled(c, "jane-doe", "Jane Doe")
	in := f.openIncident(a.ID)
	body := unescaped(f.do(req{path: "/", session: true}).Body.String())
	for _, want := range []string{
		"waiting for a browser: no LinkedIn browser driver is set up", // the why-idle line
		`class="incident-strip"`, in.Title, fmt.Sprintf(`href="/incidents/%d"`, in.ID),
		"1 queued", "Invites today", "Invites this week", "Profile visits today", "Withdrawals today", "warm-up",
		"health: no data", fmt.Sprintf(`href="/accounts/%d/health"`, a.ID),
		`action="/control/pause"`, `action="/control/quarantine"`, "Pause all…",
		`sse-connect="/events"`, `<div id="runtime-panel" sse-swap="runtime" hx-swap="outerHTML">`,
		`href="/incidents">Incidents`, `href="/jobs/dead">Dead letters`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	// The fragment the page reloads is the panel alone.
	rec := f.do(req{path: "/dashboard/runtime", session: true, header: map[string]string{"HX-Request": "true"}})
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "<html") || !strings.HasPrefix(rec.Body.String(), `<div id="runtime-panel"`) {
		t.Fatalf("fragment = %d %.200s", rec.Code, rec.Body)
	}
}

// TestDashboardControls: the card's forms pause and quarantine; htmx gets
// the new panel back, a plain form a redirect. Each is audited.
func TestDashboardControls(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	a := f.sender("Anna")
	hx := map[string]string{"HX-Request": "true"}
	rec := f.paced(req{method: http.MethodPost, path: "/control/pause", session: true, header: hx,
		body: url.Values{"scope": {"account"}, "id": {fmt.Sprint(a.ID)}, "for": {"4h"}, "reason": {"holiday"}}.Encode()})
	body := unescaped(rec.Body.String())
	if rec.Code != 200 || !strings.HasPrefix(body, `<div id="runtime-panel"`) || !strings.Contains(body, "paused by alice until") || !strings.Contains(body, ">Resume<") {
		t.Fatalf("pause = %d %s", rec.Code, body)
	}
	rec = f.paced(req{method: http.MethodPost, path: "/control/quarantine", session: true,
		body: url.Values{"account_id": {fmt.Sprint(a.ID)}, "reason": {"odd warning"}}.Encode()})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/" {
		t.Fatalf("quarantine = %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if body := f.do(req{path: "/", session: true}).Body.String(); !strings.Contains(body, "Lift quarantine") {
		t.Error("no Lift quarantine button")
	}
	// Refusals answer htmx with a message for the flash area.
	rec = f.paced(req{method: http.MethodPost, path: "/control/quarantine", session: true, header: hx, body: "account_id=1&reason=again"})
	if rec.Code != 409 || !strings.Contains(unescaped(rec.Body.String()), "Anna is already quarantined (odd warning)") {
		t.Fatalf("quarantine twice = %d %s", rec.Code, rec.Body)
	}
	for _, bad := range []struct{ path, body, want string }{
		{"/control/pause", "scope=account&id=x", "id must be a number"},
		{"/control/pause", "scope=account&id=1&for=tomorrow", "for must be a duration"},
		{"/control/quarantine", "account_id=1", "account_id"}, // already quarantined or no reason: refused either way
	} {
		if rec := f.paced(req{method: http.MethodPost, path: bad.path, session: true, header: hx, body: bad.body}); rec.Code < 400 || rec.Code >= 500 {
			t.Errorf("%s %s = %d", bad.path, bad.body, rec.Code)
		}
	}
	for _, form := range []string{"scope=account&id=1", "account_id=1"} {
		path := "/control/resume"
		if strings.HasPrefix(form, "account_id") {
			path = "/control/unquarantine"
		}
		if rec := f.paced(req{method: http.MethodPost, path: path, session: true, body: form + "&next=/incidents"}); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/incidents" {
			t.Errorf("%s = %d %s", path, rec.Code, rec.Header().Get("Location"))
		}
	}
	var actions []string
	for _, r := range f.controlAudits() {
		if r.Actor != testUser || r.AuthMethod != "session" {
			t.Errorf("audit actor = %s/%s", r.Actor, r.AuthMethod)
		}
		actions = append([]string{r.Action}, actions...)
	}
	if got := strings.Join(actions, " "); got != "paused account_quarantined resumed account_unquarantined" {
		t.Fatalf("audit = %q", got)
	}
	// Without the CSRF token a control form is refused.
	rec = f.paced(req{method: http.MethodPost, path: "/control/pause", session: true, body: "scope=global", header: map[string]string{"X-CSRF-Token": ""}})
	if rec.Code != 403 {
		t.Fatalf("pause without CSRF = %d", rec.Code)
	}
}

// TestDashboardShowsActivity: with a (fake) LinkedIn, a scheduler round
// visits a profile; the card counts it against the warm-up limit.
func TestDashboardShowsActivity(t *testing.T) {
	var f *fixture
	f = newFixtureWithSite(t, fakesite.New(func() time.Time { return f.clock.Now() }))
	f.signIn()
	_, c := f.activeCampaign("Q1")
	f.enrolled(c, "jane-doe", "Jane Doe")
	if err := f.rt.Round(t.Context()); err != nil {
		t.Fatal(err)
	}
	body := unescaped(f.do(req{path: "/", session: true}).Body.String())
	visits := regexp.MustCompile(`Profile visits today\s*<span class="pill warn tiny"[^>]*>warm-up</span></span>\s*<span class="usage-figure">1 / 5</span></div><svg[^>]*><rect class="track"[^>]*></rect>\s*<rect class="fill ok" width="20"`)
	if !visits.MatchString(body) {
		t.Errorf("the card does not count the visit against the warm-up limit:\n%s", body[strings.Index(body, "Profile visits"):][:600])
	}
	if !strings.Contains(body, "Job done") || !regexp.MustCompile(`<a href="/jobs/\d+">visit_profile · job \d+`).MatchString(body) {
		t.Error("the activity list does not show the job with a link to its action log")
	}
	if !strings.Contains(body, "Leads added to a campaign") || regexp.MustCompile(`<td>(lead|campaign)\.`).MatchString(body) {
		t.Error("the activity list shows raw event types instead of words")
	}
}

// TestCeilingsBanner: while the compliance ceilings are off every page
// says so; only then.
func TestCeilingsBanner(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	_, ctl := f.keys()
	pages := []string{"/", "/leads", "/incidents", "/jobs/dead", "/settings", "/settings/runtime", "/audit"}
	for _, p := range pages {
		if strings.Contains(f.paced(req{path: p, session: true}).Body.String(), "Compliance ceilings are off") {
			t.Fatalf("%s warns while the ceilings are on", p)
		}
	}
	rec := f.paced(req{method: http.MethodPut, path: "/api/v1/runtime/settings", body: `{"enforce_ceilings":false}`, header: ctl})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"enforce_ceilings":false`) {
		t.Fatalf("ceilings off = %d %s", rec.Code, rec.Body)
	}
	for _, p := range pages {
		body := f.paced(req{path: p, session: true}).Body.String()
		if !strings.Contains(body, "Compliance ceilings are off") || !strings.Contains(body, `href="/settings/runtime"`) {
			t.Errorf("%s does not warn that the ceilings are off", p)
		}
	}
	if rec := f.paced(req{path: "/login"}); strings.Contains(rec.Body.String(), "Compliance ceilings") {
		t.Error("the sign-in page tells strangers about the ceilings")
	}
	audits := f.controlAudits()
	if len(audits) != 1 || audits[0].Action != "compliance_ceilings_disabled" || audits[0].Actor != "apikey:ops" {
		t.Fatalf("audit = %+v", audits)
	}
	// The form turns them back on.
	form := url.Values{"enforce_ceilings": {"on"}, "pause_min_seconds": {"60"}, "pause_max_seconds": {"240"}, "soft_limit_percent": {"80"},
		"max_attempts": {"5"}, "job_retention_days": {"30"}, "evidence_retention_days": {"90"}}
	if rec := f.paced(req{method: http.MethodPost, path: "/settings/runtime", session: true, body: form.Encode()}); rec.Code != http.StatusSeeOther {
		t.Fatalf("ceilings on = %d", rec.Code)
	}
	if strings.Contains(f.paced(req{path: "/", session: true}).Body.String(), "Compliance ceilings are off") {
		t.Fatal("the banner stays after the ceilings are back on")
	}
}

func TestRuntimeSettings(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	read, ctl := f.keys()
	rec := f.paced(req{path: "/api/v1/runtime/settings", header: read})
	if rec.Code != 200 || rec.Body.String() != `{"enforce_ceilings":true,"pause_min_seconds":60,"pause_max_seconds":240,"soft_limit_percent":80,"max_attempts":5,"job_retention_days":30,"evidence_retention_days":90}`+"\n" {
		t.Fatalf("settings = %d %s", rec.Code, rec.Body)
	}
	for _, bad := range []struct{ body, want string }{
		{`{"soft_limit_percent":30}`, "the soft limit must be 50 to 100 percent"},
		{`{"pause_min_seconds":100,"pause_max_seconds":50}`, "at least the shortest"},
		{`{"max_attempts":"many"}`, `The field \"max_attempts\" must be a int`},
		{`{"warmup":1}`, "does not know"},
		{`{"evidence_retention_days":0}`, "screenshots and page copies are kept 1 to 3650 days"},
	} {
		if rec := f.paced(req{method: http.MethodPut, path: "/api/v1/runtime/settings", body: bad.body, header: ctl}); rec.Code != 400 || !strings.Contains(rec.Body.String(), bad.want) {
			t.Errorf("PUT %s = %d %s", bad.body, rec.Code, rec.Body)
		}
	}
	rec = f.paced(req{method: http.MethodPut, path: "/api/v1/runtime/settings", body: `{"max_attempts":8}`, header: ctl})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"max_attempts":8,"job_retention_days":30`) {
		t.Fatalf("partial PUT = %d %s", rec.Code, rec.Body)
	}

	body := unescaped(f.paced(req{path: "/settings/runtime", session: true}).Body.String())
	for _, want := range []string{"Runtime settings", `name="enforce_ceilings" value="on" checked`, "Turning them off is risky", `name="max_attempts" value="8"`, `href="/settings"`} {
		if !strings.Contains(body, want) {
			t.Errorf("settings page lacks %q", want)
		}
	}
	if !strings.Contains(f.paced(req{path: "/settings", session: true}).Body.String(), `href="/settings/runtime"`) {
		t.Error("the outreach settings do not link the runtime settings")
	}
	form := url.Values{"pause_min_seconds": {"60"}, "pause_max_seconds": {"240"}, "soft_limit_percent": {"80"}, "max_attempts": {"8"}, "job_retention_days": {"30"}, "evidence_retention_days": {"90"}}
	// Turning the ceilings off needs the confirmation.
	rec = f.paced(req{method: http.MethodPost, path: "/settings/runtime", session: true, body: form.Encode()})
	if rec.Code != 400 || !strings.Contains(unescaped(rec.Body.String()), "I understand the risk") {
		t.Fatalf("off without confirmation = %d", rec.Code)
	}
	form.Set("enforce_ceilings", "on")
	form.Set("soft_limit_percent", "abc")
	rec = f.paced(req{method: http.MethodPost, path: "/settings/runtime", session: true, body: form.Encode()})
	if rec.Code != 400 || !strings.Contains(unescaped(rec.Body.String()), `The soft limit must be a whole number; "abc" is not`) || !strings.Contains(rec.Body.String(), `value="abc"`) {
		t.Fatalf("bad number = %d", rec.Code)
	}
	if st, _ := f.rt.Settings(); !st.EnforceCeilings || st.SoftLimitPercent != 80 {
		t.Fatalf("a refused form changed the settings: %+v", st)
	}
	form.Del("enforce_ceilings")
	form.Set("soft_limit_percent", "90")
	form.Set("confirm_ceilings_off", "yes")
	if rec := f.paced(req{method: http.MethodPost, path: "/settings/runtime", session: true, body: form.Encode()}); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/settings/runtime?saved=1" {
		t.Fatalf("save = %d", rec.Code)
	}
	if st, _ := f.rt.Settings(); st.EnforceCeilings || st.SoftLimitPercent != 90 {
		t.Fatalf("settings = %+v", st)
	}
}

// healthDays stores n daily snapshots ending yesterday.
func (f *fixture) healthDays(accountID uint64, n int) {
	f.t.Helper()
	levels := []string{model.HealthGreen, model.HealthGreen, model.HealthYellow, model.HealthRed}
	err := f.store.Update(func(tx *storage.Tx) error {
		for i := range n {
			start := time.Date(2026, 12, 2-n+i+1, 0, 0, 0, 0, time.UTC)
			lvl := levels[i%len(levels)]
			h := model.HealthSnapshot{AccountID: accountID, Period: "day", Start: start,
				Attempted: map[string]int{model.JobVisit: 10 + i, model.JobInvite: 5}, Succeeded: map[string]int{model.JobVisit: 9 + i, model.JobInvite: 4},
				Failed: map[string]int{model.JobVisit: 1, model.JobInvite: 1}, AcceptanceRate: 0.3 + float64(i)/100, ReplyRate: 0.12, ErrorRate: 0.05,
				Level: lvl, Rule: "rule for " + lvl}
			if err := tx.PutHealth(h); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

func TestHealthAPI(t *testing.T) {
	f := newFixture(t)
	read, _ := f.keys()
	a := f.sender("Anna")
	rec := f.paced(req{path: fmt.Sprintf("/api/v1/accounts/%d/health", a.ID), header: read})
	if rec.Code != 200 || rec.Body.String() != fmt.Sprintf(`{"account_id":%d,"period":"day","snapshots":[]}`+"\n", a.ID) {
		t.Fatalf("no snapshots = %d %s", rec.Code, rec.Body)
	}
	f.healthDays(a.ID, 40)
	rec = f.paced(req{path: fmt.Sprintf("/api/v1/accounts/%d/health?period=day&n=30", a.ID), header: read})
	res := decode[struct{ Snapshots []model.HealthSnapshot }](t, rec.Body.String())
	if rec.Code != 200 || len(res.Snapshots) != 30 || !res.Snapshots[0].Start.Before(res.Snapshots[29].Start) || res.Snapshots[29].Start.Day() != 2 {
		t.Fatalf("30 days = %d %d", rec.Code, len(res.Snapshots))
	}
	for _, bad := range []struct {
		path   string
		status int
		want   string
	}{
		{"/api/v1/accounts/1/health?period=week", 400, `period must be day or hour, not \"week\"`},
		{"/api/v1/accounts/1/health?n=abc", 400, "n must be a whole number from 1 to 744"},
		{"/api/v1/accounts/1/health?n=0", 400, "n must be a whole number"},
		{"/api/v1/accounts/99/health", 404, "account 99 does not exist"},
		{"/api/v1/accounts/x/health", 404, `there is no account \"x\"`},
	} {
		if rec := f.paced(req{path: bad.path, header: read}); rec.Code != bad.status || !strings.Contains(rec.Body.String(), bad.want) {
			t.Errorf("%s = %d %s", bad.path, rec.Code, rec.Body)
		}
	}
	if rec := f.paced(req{path: "/api/v1/accounts/1/health?period=hour", header: read}); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"snapshots":[]`) {
		t.Fatalf("hours = %d %s", rec.Code, rec.Body)
	}
}

// TestHealthPage: server-rendered SVG charts and a level strip with the
// rule on hover, with no inline style (the CSP forbids it).
func TestHealthPage(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	a := f.sender("Anna")
	body := f.do(req{path: fmt.Sprintf("/accounts/%d/health", a.ID), session: true}).Body.String()
	if !strings.Contains(body, "No day snapshots yet") {
		t.Fatal("empty health page")
	}
	f.healthDays(a.ID, 30)
	rec := f.do(req{path: fmt.Sprintf("/accounts/%d/health", a.ID), session: true})
	body = unescaped(rec.Body.String())
	if rec.Code != 200 {
		t.Fatalf("health page = %d", rec.Code)
	}
	for _, want := range []string{"Health of Anna", `<rect class="level-yellow"`, "rule for YELLOW</title>", `<rect class="attempted"`, `<rect class="failed"`,
		`<polyline class="line acceptance"`, "Wed 2 Dec: 44 attempted, 2 failed (send_invite 5, visit_profile 39)", "16 GREEN · 7 YELLOW · 7 RED", "GREEN</span> rule for GREEN"} {
		if !strings.Contains(body, want) {
			t.Errorf("health page lacks %q", want)
		}
	}
	if strings.Contains(body, "style=") || strings.Contains(body, "<script>") {
		t.Error("inline style or script on the health page")
	}
	if rec := f.do(req{path: fmt.Sprintf("/accounts/%d/health?period=hour", a.ID), session: true}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "No hour snapshots yet") {
		t.Errorf("hours page = %d", rec.Code)
	}
	if rec := f.do(req{path: fmt.Sprintf("/accounts/%d/health?period=year", a.ID), session: true}); rec.Code != 400 {
		t.Errorf("bad period = %d", rec.Code)
	}
	for _, p := range []string{"/", fmt.Sprintf("/accounts/%d", a.ID), "/accounts"} {
		if !strings.Contains(f.do(req{path: p, session: true}).Body.String(), fmt.Sprintf(`href="/accounts/%d/health"`, a.ID)) {
			t.Errorf("%s does not link the health page", p)
		}
	}
}

// TestEventStreamSignalsRuntimeChanges: a control makes the dashboard's
// stream send "runtime", on which the account cards reload.
func TestEventStreamSignalsRuntimeChanges(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go f.hub.Serve(ctx)
	srv := httptest.NewServer(f.srv.Handler())
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	get, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/events", nil)
	get.Host = "127.0.0.1:" + u.Port()
	get.AddCookie(f.cookie)
	resp, err := http.DefaultClient.Do(get)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	waitHub(t, f)
	if _, err := f.rt.Pause(runtime.PauseRequest{Scope: model.ScopeGlobal}, model.Origin{Actor: "alice"}); err != nil {
		t.Fatal(err)
	}
	if !waitLine(lines, func(l string) bool { return l == "event: runtime" }) {
		t.Fatal("no new runtime panel after a pause")
	}
	var panel []string
	for l := range lines {
		if l == "" {
			break
		}
		panel = append(panel, strings.TrimPrefix(l, "data: "))
	}
	html := strings.Join(panel, "\n")
	if !strings.HasPrefix(html, `<div id="runtime-panel"`) || !strings.Contains(html, "all paused") || !strings.Contains(html, `name="csrf_token" value="`+f.csrf+`"`) {
		t.Fatalf("panel = %s", html)
	}
	// A burst of events makes one panel, not one per event.
	for i := range 5 {
		f.store.Update(func(tx *storage.Tx) error {
			_, err := tx.AppendEvent(model.Event{Type: "campaign.updated", Subject: fmt.Sprintf("campaign:%d", i)})
			return err
		})
	}
	n := 0
	deadline := time.After(1500 * time.Millisecond)
	for done := false; !done; {
		select {
		case l := <-lines:
			if l == "event: runtime" {
				n++
			}
		case <-deadline:
			done = true
		}
	}
	if n != 1 {
		t.Fatalf("%d panels for one burst", n)
	}
}
