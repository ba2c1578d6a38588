package web

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"parley/app/campaigns"
	"parley/app/model"
	"parley/app/security"
)

func TestSettingsPage(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	body := unescaped(f.paced(req{path: "/settings", session: true}).Body.String())
	for _, want := range []string{`name="message_max_chars" value="8000"`, `name="retention_days" value="0"`, `name="warmup_start" value="5"`,
		`name="warmup_step" value="1"`, "starts at 5 a day and adds 1 a day up to its own limit", "no trace of them is kept", "Retention is off"} {
		if !strings.Contains(body, want) {
			t.Errorf("settings page lacks %q", want)
		}
	}
	good := url.Values{"message_max_chars": {"2000"}, "retention_days": {"60"}, "warmup_start": {"3"}, "warmup_step": {"2"}}
	for _, c := range []struct {
		field, value, want string
	}{
		{"message_max_chars", "50", "The message limit must be 100 to 8000 characters (LinkedIn allows 8000)."},
		{"message_max_chars", "lots", `The message length limit must be a whole number; "lots" is not.`},
		{"retention_days", "10", "Retention shorter than 30 days would erase leads in the middle of a campaign"},
		{"retention_days", "-1", "0 (keep forever) to 3650 days"},
		{"warmup_start", "0", "Warm-up must start at 1 to 20 actions a day."},
		{"warmup_step", "", "The daily warm-up step must be a whole number"},
	} {
		form := url.Values{}
		for k, v := range good {
			form[k] = v
		}
		form.Set(c.field, c.value)
		rec := f.paced(req{method: http.MethodPost, path: "/settings", session: true, body: form.Encode()})
		body := unescaped(rec.Body.String())
		if rec.Code != 400 || !strings.Contains(body, c.want) {
			t.Errorf("%s=%q = %d, want 400 with %q", c.field, c.value, rec.Code, c.want)
		}
		for k := range good {
			if !strings.Contains(body, fmt.Sprintf(`name="%s" value="%s"`, k, form.Get(k))) {
				t.Errorf("%s=%q: %s was not kept as typed", c.field, c.value, k)
			}
		}
	}
	if st, _ := f.srv.o.Campaigns.Settings(); st != campaigns.DefaultSettings() {
		t.Fatalf("a refused form changed the settings: %+v", st)
	}
	rec := f.paced(req{method: http.MethodPost, path: "/settings", session: true, body: good.Encode()})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/settings?saved=1" {
		t.Fatalf("save = %d %s", rec.Code, rec.Body)
	}
	body = unescaped(f.paced(req{path: "/settings?saved=1", session: true}).Body.String())
	for _, want := range []string{"Settings saved.", `value="2000"`, `value="60"`, "Run retention now", "no activity for 60 days"} {
		if !strings.Contains(body, want) {
			t.Errorf("saved page lacks %q", want)
		}
	}
	if st, _ := f.srv.o.Campaigns.Settings(); st.MessageMaxChars != 2000 || st.RetentionDays != 60 || st.Warmup != (model.Warmup{StartPerDay: 3, StepPerDay: 2}) {
		t.Errorf("stored = %+v", st)
	}

	// Run retention now: one lead untouched for 61 days, one recent.
	old := f.lead("old-timer", "Olga Old", "Oldco")
	f.clock.Advance(61 * 24 * time.Hour)
	recent := f.lead("new-kid", "Nina New", "Newco")
	f.signIn() // the session ended while time passed
	rec = f.paced(req{method: http.MethodPost, path: "/settings/retention/run", session: true})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/settings?purged=1" {
		t.Fatalf("run = %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if body := f.paced(req{path: "/settings?purged=1", session: true}).Body.String(); !strings.Contains(body, "the personal data of 1 inactive lead was erased") {
		t.Error("flash after retention")
	}
	if f.leadState(old.ID).State != model.LeadErased || f.leadState(recent.ID).State != model.LeadNew {
		t.Error("retention erased the wrong leads")
	}
	if body := f.paced(req{path: "/settings?purged=0", session: true}).Body.String(); !strings.Contains(body, "nothing was erased") {
		t.Error("flash when nothing was purged")
	}
	if actions := f.apiAuditActions(); !strings.Contains(actions, "outreach_settings_changed") || !strings.Contains(actions, "retention_purge") {
		t.Errorf("audit = %s", actions)
	}
}

func TestSettingsAPI(t *testing.T) {
	f := newFixture(t)
	read, _, _ := f.sec.CreateAPIKey("r", model.ScopeRead, "cli", security.Meta{})
	ctl, _, _ := f.sec.CreateAPIKey("c", model.ScopeControl, "cli", security.Meta{})
	auth := func(k string) map[string]string { return map[string]string{"Authorization": "Bearer " + k} }

	if rec := f.paced(req{path: "/api/v1/settings/outreach"}); rec.Code != 401 {
		t.Errorf("without a key = %d", rec.Code)
	}
	rec := f.paced(req{path: "/api/v1/settings/outreach", header: auth(read)})
	if rec.Code != 200 || rec.Body.String() != `{"message_max_chars":8000,"retention_days":0,"warmup":{"start_per_day":5,"step_per_day":1}}`+"\n" {
		t.Fatalf("get = %d %s", rec.Code, rec.Body)
	}
	if rec := f.paced(req{method: http.MethodPut, path: "/api/v1/settings/outreach", header: auth(read), body: `{"retention_days":90}`}); rec.Code != 403 {
		t.Errorf("put with a read key = %d", rec.Code)
	}
	// Fields left out keep their value.
	rec = f.paced(req{method: http.MethodPut, path: "/api/v1/settings/outreach", header: auth(ctl), body: `{"retention_days":90,"warmup":{"step_per_day":3}}`})
	if rec.Code != 200 || rec.Body.String() != `{"message_max_chars":8000,"retention_days":90,"warmup":{"start_per_day":5,"step_per_day":3}}`+"\n" {
		t.Fatalf("put = %d %s", rec.Code, rec.Body)
	}
	for _, c := range []struct{ body, want string }{
		{`{"message_max_chars":9000}`, "100 to 8000"},
		{`{"retention_days":"forever"}`, "retention_days"},
		{`{"retention":5}`, "retention"},
		{`{}{}`, "exactly one JSON object"},
	} {
		if rec := f.paced(req{method: http.MethodPut, path: "/api/v1/settings/outreach", header: auth(ctl), body: c.body}); rec.Code != 400 || !strings.Contains(rec.Body.String(), c.want) {
			t.Errorf("%s = %d %s", c.body, rec.Code, rec.Body)
		}
	}
	if st, _ := f.srv.o.Campaigns.Settings(); st.RetentionDays != 90 || st.MessageMaxChars != 8000 {
		t.Errorf("refused bodies changed the settings: %+v", st)
	}

	f.lead("old-timer", "Olga Old", "Oldco")
	f.lead("older", "Otto Old", "Oldco")
	f.clock.Advance(91 * 24 * time.Hour)
	if rec := f.paced(req{method: http.MethodPost, path: "/api/v1/retention/run", header: auth(read)}); rec.Code != 403 {
		t.Errorf("retention with a read key = %d", rec.Code)
	}
	rec = f.paced(req{method: http.MethodPost, path: "/api/v1/retention/run", header: auth(ctl)})
	if rec.Code != 200 || rec.Body.String() != `{"purged":2,"retention_days":90}`+"\n" {
		t.Fatalf("retention = %d %s", rec.Code, rec.Body)
	}
	if rec := f.paced(req{method: http.MethodPost, path: "/api/v1/retention/run", header: auth(ctl)}); !strings.Contains(rec.Body.String(), `"purged":0`) {
		t.Errorf("second run = %s", rec.Body)
	}
}

func TestLeadExport(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	f.lead("jane-doe", "Jane Doe", "+ACME")
	f.lead("bob", "Bob Stone", "Globex")

	// The leads page links to the export with the current filter.
	body := f.paced(req{path: "/leads?q=acme&state=new", session: true}).Body.String()
	if !strings.Contains(body, `href="/leads/export?format=csv&amp;q=acme&amp;state=new"`) || !strings.Contains(body, `href="/leads/export?format=json&amp;q=acme&amp;state=new"`) {
		t.Error("export links do not keep the filter")
	}
	if body := f.paced(req{path: "/leads", session: true}).Body.String(); !strings.Contains(body, `href="/leads/export?format=csv"`) {
		t.Error("export link without a filter")
	}

	rec := f.paced(req{path: "/leads/export?format=csv&sort=name", session: true})
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.HasPrefix(rec.Header().Get("Content-Disposition"), `attachment; filename="parley-leads-2026-12-03.csv"`) {
		t.Fatalf("csv = %d %v", rec.Code, rec.Header())
	}
	rows, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
	if err != nil || len(rows) < 3 || rows[0][5] != "company" {
		t.Fatalf("csv rows = %q (%v)", rows, err)
	}
	if rows[2][4] != "Jane Doe" || rows[2][5] != "'+ACME" {
		t.Errorf("the formula-like company was exported as %q (row %q)", rows[2][5], rows[2])
	}

	rec = f.paced(req{path: "/leads/export?format=json&q=globex", session: true})
	var leads []model.Lead
	if err := json.Unmarshal(rec.Body.Bytes(), &leads); err != nil || rec.Code != 200 || len(leads) != 1 || leads[0].Company != "Globex" ||
		rec.Header().Get("Content-Type") != "application/json" || !strings.Contains(rec.Header().Get("Content-Disposition"), "parley-leads-2026-12-03.json") {
		t.Fatalf("json = %d %s (%v)", rec.Code, rec.Body, err)
	}
	if rec := f.paced(req{path: "/leads/export?format=json&q=nobody", session: true}); rec.Body.String() != "[]\n" {
		t.Errorf("empty json export = %q", rec.Body)
	}
	for _, bad := range []string{"/leads/export?format=xml", "/leads/export?state=dancing", "/leads/export?campaign=x"} {
		rec := f.paced(req{path: bad, session: true})
		if rec.Code != 400 || rec.Header().Get("Content-Disposition") != "" || !strings.Contains(rec.Header().Get("Content-Type"), "text/html") {
			t.Errorf("%s = %d %v", bad, rec.Code, rec.Header())
		}
	}
	if rec := f.paced(req{path: "/leads/export?format=xml", session: true}); !strings.Contains(unescaped(rec.Body.String()), `format must be csv or json, not "xml"`) {
		t.Error("bad format message")
	}

	read, _, _ := f.sec.CreateAPIKey("r", model.ScopeRead, "cli", security.Meta{})
	if rec := f.paced(req{path: "/api/v1/leads/export"}); rec.Code != 401 {
		t.Errorf("API export without a key = %d", rec.Code)
	}
	rec = f.paced(req{path: "/api/v1/leads/export?format=csv&company=x&q=bob", header: map[string]string{"Authorization": "Bearer " + read}})
	if rec.Code != 200 || strings.Count(rec.Body.String(), "\n") != 2 || !strings.Contains(rec.Body.String(), "Bob Stone") {
		t.Fatalf("API export = %d %s", rec.Code, rec.Body)
	}
	if rec := f.paced(req{path: "/api/v1/leads/export?format=pdf", header: map[string]string{"Authorization": "Bearer " + read}}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "csv or json") {
		t.Errorf("API bad format = %d %s", rec.Code, rec.Body)
	}
	recs := f.auditRecords("leads_exported")
	if len(recs) != 4 || recs[0].Details["filter"] != "q=bob" || recs[len(recs)-1].Details["format"] != "csv" {
		t.Errorf("leads_exported records = %+v", recs)
	}
}

// auditRecords returns the audit records of one action, newest first.
func (f *fixture) auditRecords(action string) []model.AuditRecord {
	f.t.Helper()
	rec := f.paced(req{path: "/api/v1/audit?limit=1000&action=" + action, session: true})
	var res struct {
		Records []model.AuditRecord `json:"records"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		f.t.Fatal(err)
	}
	return res.Records
}

func TestPersonExportAndErase(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	zelda, err := f.srv.o.Campaigns.CreateLead(campaigns.LeadInput{ProfileURL: "linkedin.com/in/zelda-quux", FirstName: "Zelda", LastName: "Quux",
		Company: "Quuxcorp", Title: "CTO", Email: "zelda@quux.example", Location: "Trieste", Tags: []string{"vip"}, List: "Fair 2026",
		Custom: map[string]string{"met_at": "Zelda's booth"}}, model.Origin{Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.o.Campaigns.AddNote(zelda.ID, "Zelda prefers e-mail", model.Origin{Actor: "alice"}); err != nil {
		t.Fatal(err)
	}
	_, c := f.activeCampaign("Fair follow-up")
	if _, err := f.srv.o.Campaigns.EnrolLeads(c.ID, []uint64{zelda.ID}, model.Origin{}); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/leads/%d", zelda.ID)

	body := unescaped(f.paced(req{path: path, session: true}).Body.String())
	for _, want := range []string{path + "/export.json", "Download everything we hold about this person (JSON)", `action="` + path + `/erase"`, "I understand this cannot be undone"} {
		if !strings.Contains(body, want) {
			t.Errorf("lead page lacks %q", want)
		}
	}

	rec := f.paced(req{path: path + "/export.json", session: true})
	var p campaigns.PersonData
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != 200 || p.Lead.Email != "zelda@quux.example" || len(p.Notes) != 1 ||
		len(p.Enrolments) != 1 || p.Campaigns[c.ID] != "Fair follow-up" || len(p.Lists) != 1 {
		t.Fatalf("person export = %d %s (%v)", rec.Code, rec.Body, err)
	}
	if d := rec.Header().Get("Content-Disposition"); d != fmt.Sprintf(`attachment; filename="parley-person-%d-2026-12-03.json"`, zelda.ID) {
		t.Errorf("disposition = %q", d)
	}
	if rec := f.paced(req{path: "/leads/99/export.json", session: true}); rec.Code != 404 {
		t.Errorf("export of a missing lead = %d", rec.Code)
	}

	// Without the ticked box nothing happens, and the reason is kept.
	rec = f.paced(req{method: http.MethodPost, path: path + "/erase", session: true, body: "reason=request+by+mail"})
	body = unescaped(rec.Body.String())
	if rec.Code != 400 || !strings.Contains(body, "Tick “I understand this cannot be undone” to erase this person; nothing was changed.") || !strings.Contains(body, `value="request by mail"`) {
		t.Fatalf("erase without confirm = %d", rec.Code)
	}
	if f.leadState(zelda.ID).State == model.LeadErased {
		t.Fatal("erased without confirmation")
	}
	rec = f.paced(req{method: http.MethodPost, path: path + "/erase", session: true, body: "reason=request+by+mail&confirm=yes"})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != path+"?erased=1" {
		t.Fatalf("erase = %d %s", rec.Code, rec.Body)
	}
	body = unescaped(f.paced(req{path: path + "?erased=1", session: true}).Body.String())
	for _, gone := range []string{"Zelda", "Quux", "zelda", "quux", "Trieste", "CTO", "vip", "booth", "Fair 2026"} {
		if strings.Contains(body, gone) {
			t.Errorf("the erased lead's page still shows %q", gone)
		}
	}
	for _, want := range []string{"Erased person", "Personal data erased.", "personal data was erased", ">erased<", ">exited<", "Fair follow-up"} {
		if !strings.Contains(body, want) {
			t.Errorf("erased lead page lacks %q", want)
		}
	}
	if strings.Contains(body, `action="`+path+`/erase"`) || strings.Contains(body, `action="`+path+`/notes"`) {
		t.Error("an erased lead still offers the erase or note form")
	}
	rec = f.paced(req{method: http.MethodPost, path: path + "/erase", session: true, body: "confirm=yes"})
	if rec.Code != 409 || !strings.Contains(rec.Body.String(), "already erased") {
		t.Errorf("erase twice = %d", rec.Code)
	}
	if rec := f.paced(req{method: http.MethodPost, path: "/leads/99/erase", session: true, body: "confirm=yes"}); rec.Code != 404 {
		t.Errorf("erase a missing lead = %d", rec.Code)
	}

	// Adding the person again by hand is refused.
	form := url.Values{"profile_url": {"https://www.linkedin.com/in/zelda-quux/"}, "first_name": {"Zelda"}}
	if rec := f.paced(req{method: http.MethodPost, path: "/leads", session: true, body: form.Encode()}); rec.Code != 409 || !strings.Contains(rec.Body.String(), "asked to be erased") {
		t.Errorf("re-adding an erased person = %d", rec.Code)
	}

	recs := f.auditRecords("person_erased")
	if len(recs) != 1 || recs[0].Details["reason"] != "request by mail" || recs[0].Actor != testUser {
		t.Errorf("person_erased = %+v", recs)
	}
	if actions := f.apiAuditActions(); !strings.Contains(actions, "person_exported") {
		t.Errorf("audit = %s", actions)
	}
}

func TestPersonAPI(t *testing.T) {
	f := newFixture(t)
	read, _, _ := f.sec.CreateAPIKey("r", model.ScopeRead, "cli", security.Meta{})
	ctl, _, _ := f.sec.CreateAPIKey("c", model.ScopeControl, "cli", security.Meta{})
	auth := func(k string) map[string]string { return map[string]string{"Authorization": "Bearer " + k} }
	l := f.lead("zelda-quux", "Zelda Quux", "Quuxcorp")
	base := fmt.Sprintf("/api/v1/leads/%d", l.ID)

	if rec := f.paced(req{path: base + "/export"}); rec.Code != 401 {
		t.Errorf("export without a key = %d", rec.Code)
	}
	rec := f.paced(req{path: base + "/export", header: auth(read)})
	var p campaigns.PersonData
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != 200 || p.Lead.Name() != "Zelda Quux" || p.ExportedAt.IsZero() {
		t.Fatalf("export = %d %s", rec.Code, rec.Body)
	}
	if rec := f.paced(req{path: "/api/v1/leads/99/export", header: auth(read)}); rec.Code != 404 {
		t.Errorf("export of a missing lead = %d", rec.Code)
	}

	if rec := f.paced(req{method: http.MethodPost, path: base + "/erase", header: auth(read), body: `{"reason":"x","confirm":true}`}); rec.Code != 403 {
		t.Errorf("erase with a read key = %d", rec.Code)
	}
	for _, c := range []struct{ body, want string }{
		{`{"reason":"asked"}`, `send \"confirm\": true`},
		{`{"reason":"asked","confirm":false}`, "cannot be undone"},
		{`{"reason":"asked","confirm":"yes"}`, "must be a bool"},
	} {
		if rec := f.paced(req{method: http.MethodPost, path: base + "/erase", header: auth(ctl), body: c.body}); rec.Code != 400 || !strings.Contains(rec.Body.String(), c.want) {
			t.Errorf("%s = %d %s", c.body, rec.Code, rec.Body)
		}
	}
	rec = f.paced(req{method: http.MethodPost, path: base + "/erase", header: auth(ctl), body: `{"reason":"asked by phone","confirm":true}`})
	var erased model.Lead
	if err := json.Unmarshal(rec.Body.Bytes(), &erased); err != nil || rec.Code != 200 || erased.State != model.LeadErased || strings.Contains(rec.Body.String(), "Zelda") {
		t.Fatalf("erase = %d %s", rec.Code, rec.Body)
	}
	if rec := f.paced(req{method: http.MethodPost, path: base + "/erase", header: auth(ctl), body: `{"confirm":true}`}); rec.Code != 409 {
		t.Errorf("erase twice = %d", rec.Code)
	}
	if rec := f.paced(req{method: http.MethodPost, path: "/api/v1/leads/99/erase", header: auth(ctl), body: `{"confirm":true}`}); rec.Code != 404 {
		t.Errorf("erase a missing lead = %d", rec.Code)
	}
	if rec := f.paced(req{method: http.MethodPost, path: "/api/v1/leads", header: auth(ctl), body: `{"profile_url":"linkedin.com/in/zelda-quux"}`}); rec.Code != 409 || !strings.Contains(rec.Body.String(), "asked to be erased") {
		t.Errorf("re-adding an erased person = %d %s", rec.Code, rec.Body)
	}
	actions := f.auditActions()
	for _, want := range []string{"person_exported", "person_erased"} {
		if !strings.Contains(actions, want) {
			t.Errorf("audit lacks %s: %s", want, actions)
		}
	}
}
