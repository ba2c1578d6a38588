package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"parley/app/accounts"
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

// activeCampaign makes a sender account and an active one-step campaign
// (visit the profile) whose source matches no lead, so leads join it only
// when added by hand.
func (f *fixture) activeCampaign(name string) (model.Account, model.Campaign) {
	f.t.Helper()
	in := accounts.Defaults("Europe/Rome", f.clock.Now())
	in.Name = name + " sender"
	a, err := f.srv.o.Accounts.Create(in, model.Origin{Actor: "test"})
	if err != nil {
		f.t.Fatal(err)
	}
	c, err := f.srv.o.Campaigns.CreateCampaign(campaigns.CampaignInput{Name: name, AccountIDs: []uint64{a.ID},
		Source: model.LeadSource{Kind: model.SourceTag, Tag: "nobody-has-this"}, Steps: []model.Step{{Kind: model.StepVisit}}}, model.Origin{Actor: "test"})
	if err != nil {
		f.t.Fatal(err)
	}
	if c, _, err = f.srv.o.Campaigns.SetCampaignState(c.ID, model.CampaignActive, model.Origin{Actor: "test"}); err != nil {
		f.t.Fatal(err)
	}
	return a, c
}

func TestLeadsAddToCampaign(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	jane := f.lead("jane-doe", "Jane Doe", "Initech")
	bob := f.lead("bob", "Bob Stone", "Globex")
	ann := f.lead("ann", "Ann Lee", "Hooli")
	acct, c := f.activeCampaign("Q1 founders")
	draft, err := f.srv.o.Campaigns.CreateCampaign(campaigns.CampaignInput{Name: "Draft idea", Source: model.LeadSource{Kind: model.SourceTag, Tag: "x"}}, model.Origin{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.o.Campaigns.Transition(bob.ID, model.LeadSkipped, "", model.Origin{}); err != nil {
		t.Fatal(err)
	}

	body := unescaped(f.paced(req{path: "/leads", session: true}).Body.String())
	for _, want := range []string{`<select name="campaign">`, "Q1 founders", "Draft idea (draft)", `<select name="account">`, "Q1 founders sender",
		`<option value="campaign">add to the campaign…</option>`} {
		if !strings.Contains(body, want) {
			t.Errorf("leads page lacks %q", want)
		}
	}
	// Only active or paused campaigns can take leads.
	if bulk := body[strings.Index(body, "bulk-bar"):]; strings.Contains(bulk, "Draft idea") {
		t.Error("the bulk action offers a draft campaign")
	}

	form := url.Values{"action": {"campaign"}, "campaign": {fmt.Sprint(c.ID)}, "ids": {fmt.Sprint(jane.ID), fmt.Sprint(bob.ID)}}
	rec := f.paced(req{method: http.MethodPost, path: "/leads/bulk", session: true, body: form.Encode()})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/leads?enrolled=1&of=2" {
		t.Fatalf("bulk campaign = %d %s %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	if body := f.paced(req{path: "/leads?enrolled=1&of=2", session: true}).Body.String(); !strings.Contains(body, "1 of 2 selected leads added to the campaign") {
		t.Error("flash after enrolling")
	}
	for _, bad := range []url.Values{
		{"action": {"campaign"}, "ids": {fmt.Sprint(ann.ID)}},
		{"action": {"campaign"}, "campaign": {"abc"}, "ids": {fmt.Sprint(ann.ID)}},
	} {
		if rec := f.paced(req{method: http.MethodPost, path: "/leads/bulk", session: true, body: bad.Encode()}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "choose the campaign") {
			t.Errorf("%v = %d", bad, rec.Code)
		}
	}
	form.Set("campaign", fmt.Sprint(draft.ID))
	form["ids"] = []string{fmt.Sprint(ann.ID)}
	if rec := f.paced(req{method: http.MethodPost, path: "/leads/bulk", session: true, body: form.Encode()}); rec.Code != 409 || !strings.Contains(unescaped(rec.Body.String()), "activate it before adding leads") {
		t.Errorf("draft campaign = %d", rec.Code)
	}

	// The filters find the enrolled lead by campaign and by account.
	for _, q := range []string{fmt.Sprintf("campaign=%d", c.ID), fmt.Sprintf("account=%d", acct.ID)} {
		body := f.paced(req{path: "/leads?" + q, session: true}).Body.String()
		if !strings.Contains(body, "Jane Doe") || strings.Contains(body, "Bob Stone") || strings.Contains(body, "Ann Lee") {
			t.Errorf("filter %s", q)
		}
		if !strings.Contains(body, fmt.Sprintf(`selected value="%s"`, strings.SplitN(q, "=", 2)[1])) && !strings.Contains(body, fmt.Sprintf(`value="%s" selected`, strings.SplitN(q, "=", 2)[1])) {
			t.Errorf("filter %s: the select does not keep the choice", q)
		}
	}
	if rec := f.paced(req{path: "/leads?campaign=x", session: true}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "campaign must be a campaign number") {
		t.Errorf("bad campaign filter = %d", rec.Code)
	}

	// The lead page lists the enrolment.
	body = unescaped(f.paced(req{path: fmt.Sprintf("/leads/%d", jane.ID), session: true}).Body.String())
	for _, want := range []string{fmt.Sprintf(`href="/campaigns/%d">Q1 founders</a>`, c.ID), ">active<", "step 1 of 1: visit"} {
		if !strings.Contains(body, want) {
			t.Errorf("lead page lacks %q", want)
		}
	}
	if body := f.paced(req{path: fmt.Sprintf("/leads/%d", ann.ID), session: true}).Body.String(); !strings.Contains(body, "Not in any campaign") {
		t.Error("lead without campaigns")
	}
	// Blacklisting ends the enrolment; the page says why.
	if _, err := f.srv.o.Campaigns.ApplyBulk(campaigns.Bulk{Action: "blacklist", IDs: []uint64{jane.ID}}, model.Origin{Actor: "alice"}); err != nil {
		t.Fatal(err)
	}
	body = unescaped(f.paced(req{path: fmt.Sprintf("/leads/%d", jane.ID), session: true}).Body.String())
	for _, want := range []string{">exited<", "blacklisted by alice", "Blacklisted by hand (marked by alice)."} {
		if !strings.Contains(body, want) {
			t.Errorf("blacklisted lead page lacks %q", want)
		}
	}

	// The API takes the same action.
	ctl, _, _ := f.sec.CreateAPIKey("c", model.ScopeControl, "cli", security.Meta{})
	rec = f.paced(req{method: http.MethodPost, path: "/api/v1/leads/bulk", header: map[string]string{"Authorization": "Bearer " + ctl},
		body: fmt.Sprintf(`{"action":"campaign","campaign":%d,"ids":[%d]}`, c.ID, ann.ID)})
	if rec.Code != 200 || rec.Body.String() != "{\"changed\":1}\n" {
		t.Fatalf("API bulk campaign = %d %s", rec.Code, rec.Body)
	}
	if l := f.leadState(ann.ID); l.CampaignID != c.ID || l.State != model.LeadQueued {
		t.Errorf("Ann = %s in campaign %d", l.State, l.CampaignID)
	}
	if rec := f.paced(req{method: http.MethodPost, path: "/api/v1/leads/bulk", header: map[string]string{"Authorization": "Bearer " + ctl},
		body: `{"action":"campaign","campaign":99,"ids":[1]}`}); rec.Code != 404 {
		t.Errorf("API bulk to a missing campaign = %d %s", rec.Code, rec.Body)
	}
}
