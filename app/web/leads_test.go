package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"parley/app/campaigns"
	"parley/app/model"
	"parley/app/security"
)

func (f *fixture) lead(slug, name, company string) model.Lead {
	f.t.Helper()
	l, err := f.srv.o.Campaigns.CreateLead(campaigns.LeadInput{ProfileURL: "linkedin.com/in/" + slug, FullName: name, Company: company}, model.Origin{Actor: "test"})
	if err != nil {
		f.t.Fatal(err)
	}
	return l
}

func TestLeadsPages(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	if body := f.do(req{path: "/leads", session: true}).Body.String(); !strings.Contains(body, "No leads match") {
		t.Fatal("empty list")
	}
	form := url.Values{"profile_url": {"https://www.linkedin.com/company/acme"}, "first_name": {"Jane"}}
	rec := f.do(req{method: http.MethodPost, path: "/leads", session: true, body: form.Encode()})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "company") || !strings.Contains(rec.Body.String(), `value="Jane"`) {
		t.Fatalf("bad URL = %d", rec.Code)
	}
	form = url.Values{"profile_url": {"linkedin.com/in/jane-doe"}, "first_name": {"Jane"}, "last_name": {"Doe"}, "company": {"ACME"}, "tags": {"vip; fair"}, "list": {"Events"}}
	rec = f.do(req{method: http.MethodPost, path: "/leads", session: true, body: form.Encode()})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/leads/1" {
		t.Fatalf("create = %d %s", rec.Code, rec.Body)
	}
	f.lead("bob", "Bob Stone", "Globex")
	body := f.do(req{path: "/leads/1", session: true}).Body.String()
	for _, want := range []string{"Jane Doe", "ACME", "Events", "fair, vip", "https://www.linkedin.com/in/jane-doe/", "Added"} {
		if !strings.Contains(body, want) {
			t.Errorf("detail lacks %q", want)
		}
	}
	if rec := f.do(req{method: http.MethodPost, path: "/leads/1/notes", session: true, body: "text=Called+her"}); rec.Code != http.StatusSeeOther {
		t.Fatalf("note = %d", rec.Code)
	}
	if rec := f.do(req{method: http.MethodPost, path: "/leads/1/state", session: true, body: "state=messaged"}); rec.Code != 409 || !strings.Contains(rec.Body.String(), "cannot become messaged") {
		t.Fatalf("bad move = %d", rec.Code)
	}
	if rec := f.do(req{method: http.MethodPost, path: "/leads/1/state", session: true, body: "state=skipped&reason=not+a+fit"}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "State changed") {
		t.Fatalf("move = %d", rec.Code)
	}
	// Filters and state chips.
	body = f.do(req{path: "/leads?q=globex", session: true}).Body.String()
	if !strings.Contains(body, "Bob Stone") || strings.Contains(body, "Jane Doe") {
		t.Fatal("search")
	}
	body = f.do(req{path: "/leads?state=skipped", session: true}).Body.String()
	if !strings.Contains(body, "Jane Doe") || strings.Contains(body, "Bob Stone") {
		t.Fatal("state filter")
	}
	for _, bad := range []string{"/leads?state=dancing", "/leads?sort=size", "/leads?from=yesterday", "/leads?replied=maybe", "/leads?cursor=%25%25"} {
		if rec := f.do(req{path: bad, session: true}); rec.Code != 400 {
			t.Errorf("%s = %d", bad, rec.Code)
		}
	}
	// Bulk: tag both.
	rec = f.do(req{method: http.MethodPost, path: "/leads/bulk", session: true, body: "action=tag&value=q1&ids=1&ids=2"})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/leads?done=2" {
		t.Fatalf("bulk = %d %s", rec.Code, rec.Body)
	}
	if body := f.do(req{path: "/leads?tag=q1", session: true}).Body.String(); !strings.Contains(body, "Jane Doe") || !strings.Contains(body, "Bob Stone") {
		t.Fatal("bulk tag not applied")
	}
	if rec := f.do(req{method: http.MethodPost, path: "/leads/bulk", session: true, body: "action=tag&value=x&ids=abc"}); rec.Code != 400 {
		t.Fatalf("bad id = %d", rec.Code)
	}
	if rec := f.do(req{path: "/leads/99", session: true}); rec.Code != 404 {
		t.Fatalf("missing lead = %d", rec.Code)
	}
}

func TestLeadsPaging(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	for i := range 55 {
		f.lead(fmt.Sprintf("p%02d", i), fmt.Sprintf("Person %02d", i), "Co")
	}
	body := f.do(req{path: "/leads?sort=name", session: true}).Body.String()
	i := strings.LastIndex(body, `href="/leads?`) + len(`href="`)
	next := body[i : i+strings.Index(body[i:], `"`)]
	next = strings.ReplaceAll(next, "&amp;", "&")
	if strings.Count(body, `name="ids"`) != 50 || !strings.Contains(next, "cursor=") {
		t.Fatalf("first page: %d rows, next %q", strings.Count(body, `name="ids"`), next)
	}
	body = f.do(req{path: next, session: true}).Body.String()
	if strings.Count(body, `name="ids"`) != 5 || !strings.Contains(body, "Person 54") || strings.Contains(body, "Person 00") {
		t.Fatalf("second page: %d rows", strings.Count(body, `name="ids"`))
	}
}

func TestLeadsAPI(t *testing.T) {
	f := newFixture(t)
	read, _, _ := f.sec.CreateAPIKey("r", model.ScopeRead, "cli", security.Meta{})
	ctl, _, _ := f.sec.CreateAPIKey("c", model.ScopeControl, "cli", security.Meta{})
	auth := func(k string) map[string]string { return map[string]string{"Authorization": "Bearer " + k} }
	rec := f.do(req{method: http.MethodPost, path: "/api/v1/leads", header: auth(ctl), body: `{"profile_url":"https://www.linkedin.com/in/ada/","full_name":"Ada L","tags":["math"],"list":"Pioneers"}`})
	if rec.Code != 201 {
		t.Fatalf("create = %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(req{method: http.MethodPost, path: "/api/v1/leads", header: auth(read), body: `{"profile_url":"linkedin.com/in/x"}`}); rec.Code != 403 {
		t.Fatalf("create with read key = %d", rec.Code)
	}
	if rec := f.do(req{method: http.MethodPost, path: "/api/v1/leads", header: auth(ctl), body: `{"profile_url":"linkedin.com/in/ada"}`}); rec.Code != 409 {
		t.Fatalf("duplicate = %d", rec.Code)
	}
	var list struct {
		Leads []leadRowJSON `json:"leads"`
	}
	rec = f.do(req{path: "/api/v1/leads?q=ADA&tag=math", header: auth(read)})
	json.Unmarshal(rec.Body.Bytes(), &list)
	if rec.Code != 200 || len(list.Leads) != 1 || list.Leads[0].Name != "Ada L" || len(list.Leads[0].Lists) != 1 {
		t.Fatalf("list = %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(req{method: http.MethodPost, path: "/api/v1/leads/1/state", header: auth(ctl), body: `{"state":"queued","reason":"campaign"}`}); rec.Code != 200 {
		t.Fatalf("move = %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(req{method: http.MethodPost, path: "/api/v1/leads/1/notes", header: auth(ctl), body: `{"text":"hello"}`}); rec.Code != 201 {
		t.Fatalf("note = %d", rec.Code)
	}
	rec = f.do(req{path: "/api/v1/leads/1", header: auth(read)})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"Text":"hello"`) && !strings.Contains(rec.Body.String(), `"text":"hello"`) {
		t.Fatalf("detail = %s", rec.Body)
	}
	if rec := f.do(req{method: http.MethodPost, path: "/api/v1/leads/bulk", header: auth(ctl), body: `{"ids":[1],"action":"delete"}`}); rec.Code != 200 {
		t.Fatalf("bulk = %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(req{path: "/api/v1/lists", header: auth(read)}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Pioneers") {
		t.Fatalf("lists = %s", rec.Body)
	}
	if rec := f.do(req{path: "/api/v1/leads?limit=0", header: auth(read)}); rec.Code != 400 {
		t.Fatalf("limit 0 = %d", rec.Code)
	}
}
