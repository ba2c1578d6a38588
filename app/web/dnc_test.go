package web

import (
	"encoding/csv"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"parley/app/campaigns"
	"parley/app/model"
	"parley/app/security"
)

// page returns a response body with HTML entities decoded, so tests can
// look for text with quotes and apostrophes as a person reads it.
func unescaped(body string) string { return html.UnescapeString(body) }

// paced sends a request half a second of fake time after the previous
// one, so a long scenario stays under the per-IP rate limits.
func (f *fixture) paced(r req) *httptest.ResponseRecorder {
	f.clock.Advance(500 * time.Millisecond)
	return f.do(r)
}

func (f *fixture) leadState(id uint64) model.Lead {
	f.t.Helper()
	d, err := f.srv.o.Campaigns.Lead(id)
	if err != nil {
		f.t.Fatal(err)
	}
	return d.Lead
}

// auditActions lists the actions in the audit trail, read through the API.
func (f *fixture) apiAuditActions() string {
	f.t.Helper()
	rec := f.paced(req{path: "/api/v1/audit?limit=1000", session: true})
	var res struct {
		Records []model.AuditRecord `json:"records"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || rec.Code != 200 {
		f.t.Fatalf("audit = %d %s", rec.Code, rec.Body)
	}
	var actions []string
	for _, r := range res.Records {
		actions = append(actions, r.Action)
	}
	return strings.Join(actions, " ")
}

func TestDNCPage(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	body := unescaped(f.paced(req{path: "/dnc", session: true}).Body.String())
	for _, want := range []string{"The list is empty", "Title keyword", "“intern” stops “Marketing Intern”", `action="/dnc/import"`, "Download CSV"} {
		if !strings.Contains(body, want) {
			t.Errorf("empty page lacks %q", want)
		}
	}
	jane := f.lead("jane-doe", "Jane Doe", "ACME, Inc.")
	f.lead("bob", "Bob Stone", "Globex")

	form := url.Values{"kind": {"company"}, "value": {"Acme"}, "note": {"customer since 2024"}}
	rec := f.paced(req{method: http.MethodPost, path: "/dnc", session: true, body: form.Encode()})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/dnc?added=1&blacklisted=1" {
		t.Fatalf("add = %d %s", rec.Code, rec.Header().Get("Location"))
	}
	body = unescaped(f.paced(req{path: "/dnc?added=1&blacklisted=1", session: true}).Body.String())
	for _, want := range []string{"Added; 1 lead matched and was blacklisted.", "Company", ">acme<", "customer since 2024", testUser} {
		if !strings.Contains(body, want) {
			t.Errorf("page after adding lacks %q", want)
		}
	}
	if l := f.leadState(jane.ID); l.State != model.LeadBlacklisted || l.BlockedBy != `company "acme"` {
		t.Fatalf("lead = %s %q", l.State, l.BlockedBy)
	}
	body = unescaped(f.paced(req{path: "/leads/1", session: true}).Body.String())
	if !strings.Contains(body, `Blacklisted by do-not-contact rule: company "acme".`) {
		t.Error("lead page does not say which rule blacklisted it")
	}

	// Bad input keeps what was typed and says what is wrong.
	for _, c := range []struct {
		form   url.Values
		status int
		want   string
	}{
		{url.Values{"kind": {"planet"}, "value": {"Pluto"}}, 400, `"planet" is not a kind of rule`},
		{url.Values{"kind": {"domain"}, "value": {"not a domain"}, "note": {"typo"}}, 400, "domain"},
		{url.Values{"kind": {"title"}, "value": {"x"}}, 400, "too short"},
		{url.Values{"kind": {"company"}, "value": {"ACME Inc"}}, 409, "already has this company rule"},
	} {
		rec := f.paced(req{method: http.MethodPost, path: "/dnc", session: true, body: c.form.Encode()})
		body := unescaped(rec.Body.String())
		if rec.Code != c.status || !strings.Contains(body, c.want) || !strings.Contains(body, `value="`+c.form.Get("value")+`"`) {
			t.Errorf("%v = %d, want %d with %q and the value kept", c.form, rec.Code, c.status, c.want)
		}
		if note := c.form.Get("note"); note != "" && !strings.Contains(body, `value="`+note+`"`) {
			t.Errorf("%v: the note was lost", c.form)
		}
	}

	// The filter box.
	if body := f.paced(req{path: "/dnc?q=CUSTOMER", session: true}).Body.String(); !strings.Contains(body, ">acme<") {
		t.Error("filter by note finds nothing")
	}
	if body := unescaped(f.paced(req{path: "/dnc?q=globex", session: true}).Body.String()); !strings.Contains(body, "No rule matches “globex”") {
		t.Error("filter without a match")
	}

	// Removing asks first, then removes; the lead stays blacklisted.
	rec = f.paced(req{method: http.MethodPost, path: "/dnc/1/remove", session: true})
	body = unescaped(rec.Body.String())
	if rec.Code != 200 || !strings.Contains(body, `Remove the rule company "acme"?`) || !strings.Contains(body, "stay blacklisted") || !strings.Contains(body, `name="confirm" value="yes"`) {
		t.Fatalf("remove without confirm = %d", rec.Code)
	}
	if len(f.dncEntries()) != 1 {
		t.Fatal("the rule went without confirmation")
	}
	rec = f.paced(req{method: http.MethodPost, path: "/dnc/1/remove", session: true, body: "confirm=yes"})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/dnc?removed=1" {
		t.Fatalf("remove = %d", rec.Code)
	}
	if body := f.paced(req{path: "/dnc?removed=1", session: true}).Body.String(); !strings.Contains(body, "Rule removed.") || !strings.Contains(body, "The list is empty") {
		t.Error("page after removing")
	}
	if l := f.leadState(jane.ID); l.State != model.LeadBlacklisted {
		t.Errorf("removing the rule un-blacklisted the lead: %s", l.State)
	}
	for _, path := range []string{"/dnc/1/remove", "/dnc/99/remove", "/dnc/abc/remove"} {
		if rec := f.paced(req{method: http.MethodPost, path: path, session: true, body: "confirm=yes"}); rec.Code != 404 || !strings.Contains(rec.Body.String(), "do-not-contact rule") {
			t.Errorf("%s = %d", path, rec.Code)
		}
	}
	if rec := f.paced(req{path: "/dnc"}); rec.Code != http.StatusSeeOther {
		t.Errorf("page without session = %d", rec.Code)
	}
	if actions := f.apiAuditActions(); !strings.Contains(actions, "dnc_added") || !strings.Contains(actions, "dnc_removed") {
		t.Errorf("audit = %s", actions)
	}
}

func (f *fixture) dncEntries() []model.DNCEntry {
	f.t.Helper()
	e, err := f.srv.o.Campaigns.DNCEntries()
	if err != nil {
		f.t.Fatal(err)
	}
	return e
}

func TestDNCImportAndExport(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	f.lead("bob", "Bob Stone", "Globex")
	upload := func(name string, content []byte) (int, string) {
		body, ctype := multipartBody(t, name, content, nil)
		rec := f.paced(req{method: http.MethodPost, path: "/dnc/import", session: true, body: body, header: map[string]string{"Content-Type": ctype}})
		return rec.Code, unescaped(rec.Body.String())
	}
	file := "kind,value,note\r\ncompany,Globex,competitor\r\ndomain,not a domain,\r\ntitle,intern,=cmd|' /C calc'!A0\r\ncompany,GLOBEX Inc.,again\r\nplanet,Pluto,\r\n"
	code, body := upload("rules.csv", []byte(file))
	if code != 200 {
		t.Fatalf("import = %d\n%s", code, body)
	}
	for _, want := range []string{"Uploaded rules.csv", "rules added", "leads blacklisted", "lines not used", "same rule as line 2", "not a kind of rule", ">globex<", ">intern<"} {
		if !strings.Contains(body, want) {
			t.Errorf("import result lacks %q", want)
		}
	}
	if l := f.leadState(1); l.State != model.LeadBlacklisted {
		t.Errorf("Bob = %s", l.State)
	}
	// The same file again adds nothing.
	if code, body := upload("rules.csv", []byte(file)); code != 200 || !strings.Contains(body, "already on the list") {
		t.Errorf("re-import = %d", code)
	}
	if n := len(f.dncEntries()); n != 2 {
		t.Errorf("%d rules after importing twice", n)
	}
	for _, c := range []struct {
		name    string
		content []byte
		status  int
		want    string
	}{
		{"empty.csv", nil, 400, "empty.csv: the file is empty"},
		{"blank.csv", []byte("\r\n \r\n"), 400, "the file is empty"},
		{"photo.png", append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 512)...), 400, "photo.png:"},
		{"", nil, 400, "Choose a CSV file of rules to upload."},
	} {
		code, body := upload(c.name, c.content)
		if code != c.status || !strings.Contains(body, c.want) {
			t.Errorf("%s = %d, want %d with %q", c.name, code, c.status, c.want)
		}
	}
	if code, _ := upload("huge.csv", []byte(strings.Repeat("acme.com\n", 2<<20))); code != http.StatusRequestEntityTooLarge {
		t.Errorf("18 MB upload = %d", code)
	}

	// The download reads back, with formula-like cells neutralised.
	rec := f.paced(req{path: "/dnc/export.csv", session: true})
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.HasPrefix(rec.Header().Get("Content-Disposition"), `attachment; filename="parley-do-not-contact-2026-12-03.csv"`) {
		t.Fatalf("export = %d %v", rec.Code, rec.Header())
	}
	rows, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
	if err != nil || len(rows) != 3 || strings.Join(rows[0], ",") != "kind,value,note,created_by,created_at" {
		t.Fatalf("export rows = %q (%v)", rows, err)
	}
	if rows[2][0] != "title" || rows[2][2] != "'=cmd|' /C calc'!A0" {
		t.Errorf("title rule exported as %q", rows[2])
	}
	if actions := f.apiAuditActions(); !strings.Contains(actions, "dnc_imported") {
		t.Errorf("audit = %s", actions)
	}
}

func TestDNCAPI(t *testing.T) {
	f := newFixture(t)
	read, _, _ := f.sec.CreateAPIKey("r", model.ScopeRead, "cli", security.Meta{})
	ctl, _, _ := f.sec.CreateAPIKey("c", model.ScopeControl, "cli", security.Meta{})
	auth := func(k string) map[string]string { return map[string]string{"Authorization": "Bearer " + k} }
	f.lead("jane-doe", "Jane Doe", "Initech")
	if _, err := f.srv.o.Campaigns.CreateLead(campaigns.LeadInput{ProfileURL: "linkedin.com/in/ann", FullName: "Ann", Email: "ann@eu.initrode.com"}, model.Origin{}); err != nil {
		t.Fatal(err)
	}

	for _, path := range []string{"/api/v1/dnc", "/api/v1/dnc/export.csv"} {
		if rec := f.paced(req{path: path}); rec.Code != 401 {
			t.Errorf("%s without a key = %d", path, rec.Code)
		}
	}
	if rec := f.paced(req{method: http.MethodPost, path: "/api/v1/dnc", body: `{"kind":"company","value":"x"}`}); rec.Code != 401 {
		t.Errorf("add without a key = %d", rec.Code)
	}
	if rec := f.paced(req{method: http.MethodPost, path: "/api/v1/dnc", header: auth(read), body: `{"kind":"company","value":"x"}`}); rec.Code != 403 {
		t.Errorf("add with a read key = %d", rec.Code)
	}

	rec := f.paced(req{method: http.MethodPost, path: "/api/v1/dnc", header: auth(ctl), body: `{"kind":"domain","value":"jane@initrode.com","note":"asked by mail"}`})
	var added struct {
		Rule struct {
			ID          uint64 `json:"id"`
			Kind        string `json:"kind"`
			Value       string `json:"value"`
			Note        string `json:"note"`
			Description string `json:"description"`
		} `json:"rule"`
		Blacklisted int `json:"blacklisted"`
	}
	json.Unmarshal(rec.Body.Bytes(), &added)
	if rec.Code != 201 || added.Rule.Value != "initrode.com" || added.Rule.Description != "e-mail domain initrode.com" || added.Blacklisted != 1 || added.Rule.Note != "asked by mail" {
		t.Fatalf("add = %d %s", rec.Code, rec.Body)
	}
	for _, c := range []struct{ body, want string }{
		{`{"kind":"planet","value":"x"}`, "is not a kind of rule"},
		{`{"kind":"domain","value":"no dots here"}`, "domain"},
		{`{"kind":"company","value":"x","colour":"red"}`, "colour"},
		{`not json`, "JSON"},
	} {
		rec := f.paced(req{method: http.MethodPost, path: "/api/v1/dnc", header: withHeader(auth(ctl), map[string]string{"Content-Type": "application/json"}), body: c.body})
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), c.want) {
			t.Errorf("%s = %d %s", c.body, rec.Code, rec.Body)
		}
	}
	if rec := f.paced(req{method: http.MethodPost, path: "/api/v1/dnc", header: auth(ctl), body: `{"kind":"domain","value":"initrode.com"}`}); rec.Code != 409 {
		t.Errorf("duplicate = %d", rec.Code)
	}

	// Import as a text/csv body and as multipart.
	rec = f.paced(req{method: http.MethodPost, path: "/api/v1/dnc/import", header: withHeader(auth(ctl), map[string]string{"Content-Type": "text/csv"}),
		body: "linkedin.com/in/jane-doe\nbad value here\ninitrode.com\n"})
	var res struct {
		Added, Duplicates, Blacklisted int
		Rejects                        []map[string]any
	}
	json.Unmarshal(rec.Body.Bytes(), &res)
	if rec.Code != 200 || res.Added != 1 || res.Duplicates != 1 || res.Blacklisted != 1 || len(res.Rejects) != 1 || res.Rejects[0]["line"] != float64(2) || res.Rejects[0]["reason"] == "" {
		t.Fatalf("import = %d %s", rec.Code, rec.Body)
	}
	body, ctype := multipartBody(t, "r.csv", []byte("kind,value\ntitle,intern\n"), nil)
	if rec := f.paced(req{method: http.MethodPost, path: "/api/v1/dnc/import", header: withHeader(auth(ctl), map[string]string{"Content-Type": ctype}), body: body}); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"added":1`) || !strings.Contains(rec.Body.String(), `"rejects":[]`) {
		t.Errorf("multipart import = %d %s", rec.Code, rec.Body)
	}
	body, ctype = multipartBody(t, "", nil, map[string]string{"other": "x"})
	if rec := f.paced(req{method: http.MethodPost, path: "/api/v1/dnc/import", header: withHeader(auth(ctl), map[string]string{"Content-Type": ctype}), body: body}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "field called file") {
		t.Errorf("multipart without file = %d %s", rec.Code, rec.Body)
	}
	if rec := f.paced(req{method: http.MethodPost, path: "/api/v1/dnc/import", header: withHeader(auth(ctl), map[string]string{"Content-Type": "text/csv"})}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "empty") {
		t.Errorf("empty import = %d %s", rec.Code, rec.Body)
	}

	rec = f.paced(req{path: "/api/v1/dnc", header: auth(read)})
	var list struct {
		Rules []dncRuleJSON `json:"rules"`
	}
	json.Unmarshal(rec.Body.Bytes(), &list)
	if rec.Code != 200 || len(list.Rules) != 3 || list.Rules[1].Description != "profile jane-doe" || list.Rules[2].Value != "intern" {
		t.Fatalf("list = %d %s", rec.Code, rec.Body)
	}
	if rec := f.paced(req{path: "/api/v1/dnc/export.csv", header: auth(read)}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "profile,profile:jane-doe,") || !strings.Contains(rec.Header().Get("Content-Disposition"), "attachment") {
		t.Errorf("export = %d %s", rec.Code, rec.Body)
	}

	if rec := f.paced(req{method: http.MethodDelete, path: "/api/v1/dnc/1", header: auth(read)}); rec.Code != 403 {
		t.Errorf("delete with read key = %d", rec.Code)
	}
	if rec := f.paced(req{method: http.MethodDelete, path: "/api/v1/dnc/1", header: auth(ctl)}); rec.Code != 200 || rec.Body.String() != "{\"removed\":1}\n" {
		t.Errorf("delete = %d %s", rec.Code, rec.Body)
	}
	if rec := f.paced(req{method: http.MethodDelete, path: "/api/v1/dnc/1", header: auth(ctl)}); rec.Code != 404 || !strings.Contains(rec.Body.String(), "do-not-contact rule 1 does not exist") {
		t.Errorf("delete again = %d %s", rec.Code, rec.Body)
	}
	if l := f.leadState(2); l.State != model.LeadBlacklisted {
		t.Errorf("deleting the rule changed the lead to %s", l.State)
	}
}

func withHeader(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
