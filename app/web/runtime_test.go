package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"parley/app/accounts"
	"parley/app/model"
	"parley/app/runtime"
	"parley/app/security"
	"parley/storage"
)

// keys makes a read and a control API key and returns their headers.
func (f *fixture) keys() (read, ctl map[string]string) {
	f.t.Helper()
	r, _, err := f.sec.CreateAPIKey("reader", model.ScopeRead, "cli", security.Meta{})
	if err != nil {
		f.t.Fatal(err)
	}
	c, _, err := f.sec.CreateAPIKey("ops", model.ScopeControl, "cli", security.Meta{})
	if err != nil {
		f.t.Fatal(err)
	}
	return map[string]string{"Authorization": "Bearer " + r}, map[string]string{"Authorization": "Bearer " + c}
}

// sender adds a sender account working Monday to Friday in Rome.
func (f *fixture) sender(name string) model.Account {
	f.t.Helper()
	in := accounts.Defaults("Europe/Rome", f.clock.Now())
	in.Name = name
	a, err := f.srv.o.Accounts.Create(in, model.Origin{Actor: "test"})
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

// controlAudits lists the actions of the audit records of category control.
func (f *fixture) controlAudits() []model.AuditRecord { return f.auditsOf("control") }

// auditsOf is the audit trail of one category.
func (f *fixture) auditsOf(category string) []model.AuditRecord {
	f.t.Helper()
	var out []model.AuditRecord
	f.store.View(func(tx *storage.Tx) (err error) {
		out, _, err = tx.SearchAudit(storage.AuditFilter{Category: category}, 0, 1000, 100000)
		return err
	})
	return out
}

func decode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return v
}

// TestStatusAPIHasTheRuntime: /api/v1/status keeps its fields and adds
// the runtime: every account's state and why-idle line.
func TestStatusAPIHasTheRuntime(t *testing.T) {
	f := newFixture(t)
	read, _ := f.keys()
	a, c := f.activeCampaign("Q1")
	f.enrolled(c, "jane-doe", "Jane Doe")
	rec := f.do(req{path: "/api/v1/status", header: read})
	if rec.Code != 200 {
		t.Fatalf("status = %d %s", rec.Code, rec.Body)
	}
	res := decode[struct {
		Version string          `json:"version"`
		Backups json.RawMessage `json:"backups"`
		Runtime *runtime.Status `json:"runtime"`
	}](t, rec.Body.String())
	if res.Version != "v-test" || res.Backups == nil || res.Runtime == nil {
		t.Fatalf("status lacks fields: %s", rec.Body)
	}
	r := res.Runtime
	if !r.EnforceCeilings || r.Paused != nil || r.DeadLetters != 0 || len(r.Accounts) != 1 || r.Incidents == nil {
		t.Fatalf("runtime = %+v", r)
	}
	if as := r.Accounts[0]; as.AccountID != a.ID || as.State != runtime.BlockNoBrowser || !strings.Contains(as.Text, "waiting for a browser") || len(as.Usage) != 4 || as.Queued != 1 {
		t.Fatalf("account status = %+v", as)
	}
}

// TestControlAPIRefusesBadInput: every malformed request is a clear JSON
// error and changes nothing.
func TestControlAPIRefusesBadInput(t *testing.T) {
	f := newFixture(t)
	_, ctl := f.keys()
	f.sender("Anna")
	before, _ := f.rt.Status()
	cases := []struct {
		path, body string
		status     int
		want       string
	}{
		{"/api/v1/control/pause", `{"scope":"planet","id":1}`, 400, `\"planet\" is not a scope; use global, account or campaign`},
		{"/api/v1/control/pause", `{"id":1}`, 400, "scope is required"},
		{"/api/v1/control/pause", `{"scope":"account"}`, 400, "say which account"},
		{"/api/v1/control/pause", `{"scope":"global","id":3}`, 400, "a global pause takes no id"},
		{"/api/v1/control/pause", `{"scope":"account","id":1,"for":"soon"}`, 400, "for must be a duration such as 30m, 2h or 3d"},
		{"/api/v1/control/pause", `{"scope":"account","id":1,"for":"-2h"}`, 400, "for must be a duration"},
		{"/api/v1/control/pause", `{"scope":"account","id":1,"for":"40d"}`, 400, "up to 30 days"},
		{"/api/v1/control/pause", `{"scope":"account","id":1,"for":"900h"}`, 400, "a pause lasts up to 30 days"},
		{"/api/v1/control/pause", `{"scope":"account","id":99}`, 404, "account 99 does not exist"},
		{"/api/v1/control/pause", `{"scope":"campaign","id":7}`, 404, "campaign"},
		{"/api/v1/control/pause", `{"scope":"account","id":"one"}`, 400, `The field \"id\" must be a uint64`},
		{"/api/v1/control/pause", `{"scope":"account","id":1,"until":"x"}`, 400, "does not know"},
		{"/api/v1/control/pause", `scope=account`, 400, "Content-Type: application/json"},
		{"/api/v1/control/resume", `{"scope":"account","id":1}`, 409, "is not paused"},
		{"/api/v1/control/resume", `{"scope":"moon"}`, 400, "is not a scope"},
		{"/api/v1/control/quarantine", `{"account_id":1}`, 400, "say why the account is quarantined"},
		{"/api/v1/control/quarantine", `{"account_id":1,"reason":"   "}`, 400, "say why the account is quarantined"},
		{"/api/v1/control/quarantine", `{"reason":"x"}`, 400, "account_id is required"},
		{"/api/v1/control/quarantine", `{"account_id":42,"reason":"x"}`, 404, "account 42 does not exist"},
		{"/api/v1/control/quarantine", `{"account_id":1,"reason":"` + strings.Repeat("x", 600) + `"}`, 400, "too long"},
		{"/api/v1/control/unquarantine", `{"account_id":1}`, 409, "is not quarantined"},
		{"/api/v1/control/unquarantine", `{}`, 400, "account_id is required"},
	}
	for _, c := range cases {
		rec := f.paced(req{method: http.MethodPost, path: c.path, body: c.body, header: ctl})
		if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.want) || !strings.Contains(rec.Body.String(), `"error"`) {
			t.Errorf("%s %s = %d %s; want %d with %q", c.path, c.body, rec.Code, rec.Body, c.status, c.want)
		}
	}
	if audits := f.controlAudits(); len(audits) != 0 {
		t.Fatalf("refused requests were audited as changes: %+v", audits)
	}
	st, _ := f.rt.Status()
	if st.Paused != nil || st.Accounts[0].State != before.Accounts[0].State || st.Accounts[0].Text != before.Accounts[0].Text {
		t.Fatalf("refused requests changed the runtime: %+v", st)
	}
}

// TestControlAPI: pause, resume, quarantine and lift it, for an account,
// a campaign and everything; each is audited with who, from where and the
// correlation id.
func TestControlAPI(t *testing.T) {
	f := newFixture(t)
	_, ctl := f.keys()
	a, camp := f.activeCampaign("Q1")
	post := func(path, body string) (int, string) {
		rec := f.paced(req{method: http.MethodPost, path: path, body: body, header: ctl})
		return rec.Code, rec.Body.String()
	}
	code, body := post("/api/v1/control/pause", fmt.Sprintf(`{"scope":"account","id":%d,"for":"2h","reason":"lunch"}`, a.ID))
	p := decode[model.Pause](t, body)
	if code != 200 || p.Scope != "account" || p.ID != a.ID || p.By != "apikey:ops" || p.Reason != "lunch" || !p.Until.Equal(f.clock.Now().Add(2*time.Hour)) {
		t.Fatalf("pause = %d %s", code, body)
	}
	if code, body := post("/api/v1/control/pause", fmt.Sprintf(`{"scope":"account","id":%d}`, a.ID)); code != 409 || !strings.Contains(body, "already paused by apikey:ops") {
		t.Fatalf("second pause = %d %s", code, body)
	}
	if st, _ := f.rt.AccountStatus(a.ID); st.State != runtime.BlockPaused {
		t.Fatalf("state after pause = %s", st.State)
	}
	if code, body := post("/api/v1/control/resume", fmt.Sprintf(`{"scope":"account","id":%d}`, a.ID)); code != 200 || !strings.Contains(body, `"paused":false`) {
		t.Fatalf("resume = %d %s", code, body)
	}
	code, body = post("/api/v1/control/quarantine", fmt.Sprintf(`{"account_id":%d,"reason":"a warning banner"}`, a.ID))
	if st := decode[runtime.AccountStatus](t, body); code != 200 || st.State != runtime.BlockQuarantined || !strings.Contains(st.Text, "a warning banner") {
		t.Fatalf("quarantine = %d %s", code, body)
	}
	if code, body := post("/api/v1/control/unquarantine", fmt.Sprintf(`{"account_id":%d}`, a.ID)); code != 200 || strings.Contains(body, "quarantined") {
		t.Fatalf("unquarantine = %d %s", code, body)
	}
	if code, body := post("/api/v1/control/pause", fmt.Sprintf(`{"scope":"campaign","id":%d,"for":"1d"}`, camp.ID)); code != 200 {
		t.Fatalf("campaign pause = %d %s", code, body)
	}
	if code, _ := post("/api/v1/control/resume", fmt.Sprintf(`{"scope":"campaign","id":%d}`, camp.ID)); code != 200 {
		t.Fatalf("campaign resume = %d", code)
	}
	if code, _ := post("/api/v1/control/pause", `{"scope":"global","reason":"maintenance"}`); code != 200 {
		t.Fatalf("global pause = %d", code)
	}
	if st, _ := f.rt.Status(); st.Paused == nil || st.Paused.Reason != "maintenance" {
		t.Fatalf("global pause not in the status: %+v", st.Paused)
	}
	if code, _ := post("/api/v1/control/resume", `{"scope":"global"}`); code != 200 {
		t.Fatalf("global resume = %d", code)
	}

	var actions []string
	for _, r := range f.controlAudits() {
		actions = append([]string{r.Action + " " + r.Target}, actions...)
		if r.Actor != "apikey:ops" || r.AuthMethod != security.MethodAPIKey || r.PeerIP != "127.0.0.1" || len(r.RequestID) != 16 || r.Outcome != model.OutcomeSuccess {
			t.Errorf("audit record lacks its origin: %+v", r)
		}
	}
	want := fmt.Sprintf("paused account:%[1]d resumed account:%[1]d account_quarantined account:%[1]d account_unquarantined account:%[1]d "+
		"paused campaign:%[2]d resumed campaign:%[2]d paused global resumed global", a.ID, camp.ID)
	if got := strings.Join(actions, " "); got != want {
		t.Fatalf("control audit =\n%s\nwant\n%s", got, want)
	}
}

// TestReadKeyCannotControl: a read-scope key may look but not change.
func TestReadKeyCannotControl(t *testing.T) {
	f := newFixture(t)
	read, _ := f.keys()
	a := f.sender("Anna")
	f.openIncident(a.ID)
	for _, r := range []struct{ method, path, body string }{
		{http.MethodPost, "/api/v1/control/pause", `{"scope":"global"}`},
		{http.MethodPost, "/api/v1/control/resume", `{"scope":"global"}`},
		{http.MethodPost, "/api/v1/control/quarantine", `{"account_id":1,"reason":"x"}`},
		{http.MethodPost, "/api/v1/control/unquarantine", `{"account_id":1}`},
		{http.MethodPost, "/api/v1/jobs/1/retry", ""},
		{http.MethodPost, "/api/v1/jobs/1/cancel", ""},
		{http.MethodPost, "/api/v1/incidents/1/acknowledge", ""},
		{http.MethodPost, "/api/v1/incidents/1/resolve", `{"note":"done"}`},
		{http.MethodPut, "/api/v1/runtime/settings", `{"enforce_ceilings":false}`},
	} {
		rec := f.paced(req{method: r.method, path: r.path, body: r.body, header: read})
		if rec.Code != 403 || !strings.Contains(rec.Body.String(), "needs a control key") {
			t.Errorf("%s %s with a read key = %d %s", r.method, r.path, rec.Code, rec.Body)
		}
		if rec := f.paced(req{method: r.method, path: r.path, body: r.body}); rec.Code != 401 {
			t.Errorf("%s %s without a key = %d", r.method, r.path, rec.Code)
		}
	}
	for _, path := range []string{"/api/v1/status", "/api/v1/jobs/dead", "/api/v1/incidents", "/api/v1/incidents/1", "/api/v1/accounts/1/health", "/api/v1/runtime/settings"} {
		if rec := f.paced(req{path: path, header: read}); rec.Code != 200 {
			t.Errorf("GET %s with a read key = %d %s", path, rec.Code, rec.Body)
		}
	}
	st, _ := f.rt.Status()
	if st.Paused != nil || !st.EnforceCeilings || st.Incidents[0].State != model.IncidentOpen || len(f.controlAudits()) != 0 {
		t.Fatal("a read key changed something")
	}
}

// deadLetter turns the job planned for a lead into a dead letter, as the
// runtime does after the last failed try.
func (f *fixture) deadLetter(leadID uint64, why string) model.Job {
	f.t.Helper()
	var j model.Job
	err := f.store.Update(func(tx *storage.Tx) error {
		for id := uint64(1); ; id++ {
			got, err := tx.Job(id)
			if err != nil {
				return fmt.Errorf("no job for lead %d: %w", leadID, err)
			}
			if got.LeadID == leadID && got.State == model.JobQueued {
				j = got
				break
			}
		}
		j.State, j.LastError, j.ErrorClass, j.Attempt, j.FinishedAt = model.JobDead, why, model.ErrClassPermanent, 5, tx.Now()
		return tx.PutJob(j)
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return j
}

// enrolled makes a lead and puts it in the campaign; the runtime plans
// its first job.
func (f *fixture) enrolled(c model.Campaign, slug, name string) model.Lead {
	f.t.Helper()
	l := f.lead(slug, name, "Initech")
	if _, err := f.srv.o.Campaigns.EnrolLeads(c.ID, []uint64{l.ID}, model.Origin{Actor: "test"}); err != nil {
		f.t.Fatal(err)
	}
	return l
}

func TestDeadLetters(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	read, ctl := f.keys()
	a, c := f.activeCampaign("Q1 founders")
	jane := f.enrolled(c, "jane-doe", "Jane Doe")
	bob := f.enrolled(c, "bob", "Bob Stone")
	jj := f.deadLetter(jane.ID, "the profile page does not exist")
	bj := f.deadLetter(bob.ID, "LinkedIn answered 500 five times")

	rec := f.paced(req{path: "/api/v1/jobs/dead?limit=1", header: read})
	res := decode[struct {
		Jobs []struct {
			ID          uint64 `json:"id"`
			Description string `json:"description"`
			LastError   string `json:"last_error"`
		} `json:"jobs"`
		NextBefore uint64 `json:"next_before"`
	}](t, rec.Body.String())
	if rec.Code != 200 || len(res.Jobs) != 1 || res.Jobs[0].ID != bj.ID || res.Jobs[0].Description != "visit_profile for Bob Stone" || res.NextBefore != bj.ID {
		t.Fatalf("dead letters = %d %s", rec.Code, rec.Body)
	}
	rec = f.paced(req{path: fmt.Sprintf("/api/v1/jobs/dead?before=%d", res.NextBefore), header: read})
	if !strings.Contains(rec.Body.String(), "the profile page does not exist") || strings.Contains(rec.Body.String(), "next_before") {
		t.Fatalf("second page = %s", rec.Body)
	}
	for _, bad := range []string{"?limit=abc", "?limit=0", "?limit=501", "?before=x"} {
		if rec := f.paced(req{path: "/api/v1/jobs/dead" + bad, header: read}); rec.Code != 400 || !strings.Contains(rec.Body.String(), `"message"`) {
			t.Errorf("dead letters %s = %d %s", bad, rec.Code, rec.Body)
		}
	}

	// The page shows why, for which account and lead, with the buttons.
	body := unescaped(f.paced(req{path: "/jobs/dead", session: true}).Body.String())
	for _, want := range []string{"the profile page does not exist", "LinkedIn answered 500 five times", a.Name,
		fmt.Sprintf(`href="/leads/%d"`, jane.ID), "Jane Doe", fmt.Sprintf(`action="/jobs/%d/retry"`, jj.ID), fmt.Sprintf(`action="/jobs/%d/cancel"`, bj.ID)} {
		if !strings.Contains(body, want) {
			t.Errorf("dead letters page lacks %q", want)
		}
	}
	if !strings.Contains(body, `class="nav-badge">2<`) {
		t.Error("no dead letter count beside the navigation")
	}

	// Retry from the page: back in the queue, audited.
	rec = f.paced(req{method: http.MethodPost, path: fmt.Sprintf("/jobs/%d/retry", jj.ID), session: true})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != fmt.Sprintf("/jobs/dead?done=retried&job=%d", jj.ID) {
		t.Fatalf("retry form = %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if body := f.paced(req{path: rec.Header().Get("Location"), session: true}).Body.String(); !strings.Contains(body, "back in its queue") {
		t.Fatal("no flash after retry")
	}
	// Retrying it again is refused on the page, with why.
	rec = f.paced(req{method: http.MethodPost, path: fmt.Sprintf("/jobs/%d/retry", jj.ID), session: true})
	if rec.Code != 409 || !strings.Contains(unescaped(rec.Body.String()), "only a dead letter can be retried") {
		t.Fatalf("retry twice = %d", rec.Code)
	}
	// Cancel by API.
	rec = f.paced(req{method: http.MethodPost, path: fmt.Sprintf("/api/v1/jobs/%d/cancel", bj.ID), header: ctl})
	if j := decode[model.Job](t, rec.Body.String()); rec.Code != 200 || j.State != model.JobCancelled || j.Result != "cancelled by apikey:ops" {
		t.Fatalf("cancel = %d %s", rec.Code, rec.Body)
	}
	for _, r := range []struct {
		path   string
		status int
		want   string
	}{
		{fmt.Sprintf("/api/v1/jobs/%d/cancel", bj.ID), 409, "only a queued job or a dead letter can be cancelled"},
		{fmt.Sprintf("/api/v1/jobs/%d/retry", bj.ID), 409, "only a dead letter can be retried"},
		{"/api/v1/jobs/abc/retry", 404, `there is no job \"abc\"`},
		{"/api/v1/jobs/999/retry", 404, "999"},
	} {
		if rec := f.paced(req{method: http.MethodPost, path: r.path, header: ctl}); rec.Code != r.status || !strings.Contains(rec.Body.String(), r.want) {
			t.Errorf("%s = %d %s", r.path, rec.Code, rec.Body)
		}
	}
	var actions []string
	for _, r := range f.controlAudits() {
		actions = append(actions, r.Action)
	}
	if got := strings.Join(actions, " "); got != "job_cancelled job_retried" {
		t.Fatalf("audit = %q", got)
	}
	if body := f.paced(req{path: "/jobs/dead", session: true}).Body.String(); !strings.Contains(body, "No dead letters") {
		t.Fatal("the page still lists dead letters")
	}
}

// openIncident opens a SEV-2 incident about an account, as the runtime
// does after a checkpoint.
func (f *fixture) openIncident(accountID uint64) model.Incident {
	f.t.Helper()
	var in model.Incident
	err := f.store.Update(func(tx *storage.Tx) (err error) {
		now := tx.Now()
		in, err = tx.CreateIncident(model.Incident{Severity: model.Sev2, Kind: "account_challenge", AccountIDs: []uint64{accountID},
			Title: "Anna met a LinkedIn checkpoint and was quarantined", State: model.IncidentOpen, OpenedAt: now, UpdatedAt: now,
			Timeline: []model.IncidentEntry{{At: now, By: model.ActorScheduler, What: "opened: a checkpoint page appeared"}}})
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return in
}

func TestIncidentsAPI(t *testing.T) {
	f := newFixture(t)
	read, ctl := f.keys()
	in := f.openIncident(f.sender("Anna").ID)
	rec := f.paced(req{path: "/api/v1/incidents", header: read})
	list := decode[struct{ Open, Recent []model.Incident }](t, rec.Body.String())
	if rec.Code != 200 || len(list.Open) != 1 || len(list.Recent) != 1 || list.Open[0].Title != in.Title {
		t.Fatalf("incidents = %d %s", rec.Code, rec.Body)
	}
	path := fmt.Sprintf("/api/v1/incidents/%d", in.ID)
	if rec := f.paced(req{path: path, header: read}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "a checkpoint page appeared") {
		t.Fatalf("incident = %d %s", rec.Code, rec.Body)
	}
	// Acknowledging needs no body.
	rec = f.paced(req{method: http.MethodPost, path: path + "/acknowledge", header: ctl})
	if got := decode[model.Incident](t, rec.Body.String()); rec.Code != 200 || got.State != model.IncidentAcknowledged {
		t.Fatalf("acknowledge = %d %s", rec.Code, rec.Body)
	}
	// Resolving needs a note; without one nothing changes.
	for _, body := range []string{"", `{}`, `{"note":"   "}`} {
		rec := f.paced(req{method: http.MethodPost, path: path + "/resolve", body: body, header: ctl})
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), "add a note saying what was done") {
			t.Errorf("resolve with %q = %d %s", body, rec.Code, rec.Body)
		}
	}
	if got, _ := f.rt.Incident(in.ID); got.State != model.IncidentAcknowledged || len(got.Timeline) != 2 {
		t.Fatalf("a refused resolve changed the incident: %+v", got)
	}
	rec = f.paced(req{method: http.MethodPost, path: path + "/resolve", body: `{"note":"signed in again; checkpoint passed"}`, header: ctl})
	if got := decode[model.Incident](t, rec.Body.String()); rec.Code != 200 || got.State != model.IncidentResolved || got.ResolvedAt.IsZero() ||
		got.Timeline[2].What != "resolved: signed in again; checkpoint passed" || got.Timeline[2].By != "apikey:ops" {
		t.Fatalf("resolve = %d %s", rec.Code, rec.Body)
	}
	for _, r := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{http.MethodPost, path + "/resolve", `{"note":"again"}`, 409, "already resolved"},
		{http.MethodPost, path + "/acknowledge", "", 409, "already resolved"},
		{http.MethodPost, path + "/resolve", `{"note":1}`, 400, `The field \"note\" must be a string`},
		{http.MethodGet, "/api/v1/incidents/abc", "", 404, `there is no incident \"abc\"`},
		{http.MethodGet, "/api/v1/incidents/77", "", 404, "77"},
		{http.MethodGet, "/api/v1/incidents?limit=x", "", 400, "limit must be a whole number"},
	} {
		h := read
		if r.method == http.MethodPost {
			h = ctl
		}
		if rec := f.paced(req{method: r.method, path: r.path, body: r.body, header: h}); rec.Code != r.status || !strings.Contains(rec.Body.String(), r.want) {
			t.Errorf("%s %s %s = %d %s", r.method, r.path, r.body, rec.Code, rec.Body)
		}
	}
	var actions []string
	for _, r := range f.controlAudits() {
		actions = append(actions, r.Action+" "+r.Target+" "+r.Details["note"])
	}
	if got := strings.Join(actions, "|"); got != "incident_resolved incident:1 signed in again; checkpoint passed|incident_acknowledged incident:1 " {
		t.Fatalf("audit = %q", got)
	}
}

func TestIncidentPages(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	a := f.sender("Anna")
	in := f.openIncident(a.ID)
	body := unescaped(f.paced(req{path: "/incidents", session: true}).Body.String())
	for _, want := range []string{"SEV-2", in.Title, fmt.Sprintf(`href="/incidents/%d"`, in.ID), fmt.Sprintf(`href="/accounts/%d">Anna<`, a.ID), `class="nav-badge">1<`} {
		if !strings.Contains(body, want) {
			t.Errorf("incidents page lacks %q", want)
		}
	}
	page := fmt.Sprintf("/incidents/%d", in.ID)
	body = unescaped(f.paced(req{path: page, session: true}).Body.String())
	for _, want := range []string{"opened: a checkpoint page appeared", "Acknowledge", "What was done (required)", "account_challenge"} {
		if !strings.Contains(body, want) {
			t.Errorf("incident page lacks %q", want)
		}
	}
	// Resolving without a note shows the page again, with why.
	rec := f.paced(req{method: http.MethodPost, path: page + "/resolve", session: true, body: "note=+++"})
	if rec.Code != 400 || !strings.Contains(unescaped(rec.Body.String()), "Add a note saying what was done") {
		t.Fatalf("resolve without a note = %d", rec.Code)
	}
	rec = f.paced(req{method: http.MethodPost, path: page + "/acknowledge", session: true, body: "note=looking"})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != page+"?done=acknowledged" {
		t.Fatalf("acknowledge = %d %s", rec.Code, rec.Header().Get("Location"))
	}
	rec = f.paced(req{method: http.MethodPost, path: page + "/resolve", session: true, body: url.Values{"note": {"passed the checkpoint"}}.Encode()})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("resolve = %d", rec.Code)
	}
	body = unescaped(f.paced(req{path: page + "?done=resolved", session: true}).Body.String())
	for _, want := range []string{"acknowledged: looking", "resolved: passed the checkpoint", "Resolved. The note is in the timeline"} {
		if !strings.Contains(body, want) {
			t.Errorf("resolved incident lacks %q", want)
		}
	}
	if strings.Contains(body, `/resolve"`) {
		t.Error("a resolved incident still offers to resolve it")
	}
	if body := f.paced(req{path: "/incidents", session: true}).Body.String(); !strings.Contains(body, "No open incidents") {
		t.Error("the resolved incident is still open")
	}
	if rec := f.paced(req{path: "/incidents/x", session: true}); rec.Code != 404 {
		t.Errorf("/incidents/x = %d", rec.Code)
	}
}
