package web

import (
	"encoding/json"
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

// tplKeys makes a read and a control key and returns their headers.
func (f *fixture) tplKeys() (read, control map[string]string) {
	f.t.Helper()
	r, _, err := f.sec.CreateAPIKey("read", model.ScopeRead, "cli", security.Meta{})
	if err != nil {
		f.t.Fatal(err)
	}
	c, _, err := f.sec.CreateAPIKey("control", model.ScopeControl, "cli", security.Meta{})
	if err != nil {
		f.t.Fatal(err)
	}
	return map[string]string{"Authorization": "Bearer " + r}, map[string]string{"Authorization": "Bearer " + c}
}

// tplDo is do a second later, so the per-IP limit on changes (2 a second)
// never refuses a test's requests.
func (f *fixture) tplDo(r req) *httptest.ResponseRecorder {
	f.clock.Advance(time.Second)
	return f.do(r)
}

// tplLead adds a lead with a first and last name.
func (f *fixture) tplLead(slug, first, last, company string) model.Lead {
	f.t.Helper()
	l, err := f.srv.o.Campaigns.CreateLead(campaigns.LeadInput{ProfileURL: "linkedin.com/in/" + slug, FirstName: first, LastName: last, Company: company, List: "Q1"}, model.Origin{Actor: "test"})
	if err != nil {
		f.t.Fatal(err)
	}
	return l
}

func wantBody(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

func TestTemplatesThroughTheUI(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	body := f.tplDo(req{path: "/templates", session: true}).Body.String()
	wantBody(t, "empty list", body, "No templates yet", `href="/templates/new"`, "{{first_name}}")

	rec := f.tplDo(req{path: "/templates/new", session: true})
	wantBody(t, "new form", rec.Body.String(), `name="body"`, "{{first_name}}", "{{full_name}}", "{{email}}", "{{company|your team}}", "300 characters", "8000 characters", `value="preview"`, `formaction="/templates#preview"`)

	// A typo in a variable is refused with the service's suggestion; what
	// was typed stays.
	form := url.Values{"name": {"Hello"}, "kind": {"note"}, "body": {"Hi {{frist_name}}, loved your talk"}}
	rec = f.tplDo(req{method: http.MethodPost, path: "/templates", session: true, body: form.Encode()})
	if rec.Code != 400 {
		t.Fatalf("typo = %d", rec.Code)
	}
	wantBody(t, "refused form", rec.Body.String(), "is not a field — did you mean {{first_name}}?", "Hi {{frist_name}}, loved your talk", `value="Hello"`)
	form.Set("body", strings.Repeat("x", 301))
	if rec := f.tplDo(req{method: http.MethodPost, path: "/templates", session: true, body: form.Encode()}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "shorten it by 1") {
		t.Fatalf("too long = %d", rec.Code)
	}
	form.Set("kind", "letter")
	if rec := f.tplDo(req{method: http.MethodPost, path: "/templates", session: true, body: form.Encode()}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "kind must be") {
		t.Fatalf("bad kind = %d", rec.Code)
	}

	// Preview without any lead says so.
	form = url.Values{"name": {"Hello"}, "kind": {"note"}, "body": {"Hi {{first_name}}, how is {{company}}?"}, "action": {"preview"}}
	rec = f.tplDo(req{method: http.MethodPost, path: "/templates", session: true, body: form.Encode()})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "no leads to preview with yet") {
		t.Fatalf("preview without leads = %d", rec.Code)
	}
	f.tplLead("ann-lee", "Ann", "Lee", "ACME")
	f.tplLead("bo-ray", "Bo", "Ray", "")
	rec = f.tplDo(req{method: http.MethodPost, path: "/templates", session: true, body: form.Encode()})
	if rec.Code != 200 {
		t.Fatalf("preview = %d", rec.Code)
	}
	body = rec.Body.String()
	wantBody(t, "preview", body, "Hi Ann, how is ACME?", "20 / 300 characters", "Cannot be sent: Bo has no company; add a fallback like {{company|your team}}",
		"Hi {{first_name}}, how is {{company}}?", `href="/leads/2"`)
	if list := f.tplDo(req{path: "/templates", session: true}).Body.String(); !strings.Contains(list, "No templates yet") {
		t.Fatal("preview saved the template")
	}
	// Only the leads asked for; bad numbers are explained.
	form.Set("lead_ids", "#1")
	body = f.tplDo(req{method: http.MethodPost, path: "/templates", session: true, body: form.Encode()}).Body.String()
	if !strings.Contains(body, "Hi Ann") || strings.Contains(body, "Bo has no company") {
		t.Fatal("preview for lead 1 only")
	}
	form.Set("lead_ids", "1, abc")
	rec = f.tplDo(req{method: http.MethodPost, path: "/templates", session: true, body: form.Encode()})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "&#34;abc&#34; is not a lead number") || !strings.Contains(rec.Body.String(), `value="1, abc"`) {
		t.Fatalf("bad lead ids = %d %s", rec.Code, rec.Body)
	}
	form.Set("lead_ids", "99")
	if rec := f.tplDo(req{method: http.MethodPost, path: "/templates", session: true, body: form.Encode()}); rec.Code != 404 || !strings.Contains(rec.Body.String(), "Hi {{first_name}}") {
		t.Fatalf("unknown lead = %d", rec.Code)
	}
	form.Set("lead_ids", "")
	form.Set("body", "Hi {{first_name")
	if rec := f.tplDo(req{method: http.MethodPost, path: "/templates", session: true, body: form.Encode()}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "Fix the problem above") {
		t.Fatalf("syntax error preview = %d", rec.Code)
	}

	// Save, then edit with a fallback.
	form = url.Values{"name": {"Hello"}, "kind": {"note"}, "body": {"Hi {{first_name}}, how is {{company}}?\r\nBest, Anna"}}
	rec = f.tplDo(req{method: http.MethodPost, path: "/templates", session: true, body: form.Encode()})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/templates?done=saved" {
		t.Fatalf("create = %d %s", rec.Code, rec.Body)
	}
	body = f.tplDo(req{path: "/templates?done=saved", session: true}).Body.String()
	wantBody(t, "list", body, "Template saved.", `href="/templates/1"`, "Hello", "Connection note", "Hi {{first_name}}, how is {{company}}? …", "<td class=\"num\"")
	tp, err := f.srv.o.Campaigns.Template(1)
	if err != nil || strings.Contains(tp.Body, "\r") {
		t.Fatalf("stored body = %q, %v", tp.Body, err)
	}
	rec = f.tplDo(req{path: "/templates/1", session: true})
	wantBody(t, "edit form", rec.Body.String(), `value="Hello"`, "Best, Anna", "Archive this template", `action="/templates/1"`)
	form.Set("body", "Hi {{first_name}}, how is {{company|your team}}?")
	form.Set("action", "preview")
	body = f.tplDo(req{method: http.MethodPost, path: "/templates/1", session: true, body: form.Encode()}).Body.String()
	wantBody(t, "edit preview", body, "Hi Bo, how is your team?", "Hi Ann, how is ACME?")
	form.Del("action")
	form.Set("name", "Hello again")
	if rec := f.tplDo(req{method: http.MethodPost, path: "/templates/1", session: true, body: form.Encode()}); rec.Code != http.StatusSeeOther {
		t.Fatalf("update = %d", rec.Code)
	}
	if tp, _ := f.srv.o.Campaigns.Template(1); tp.Name != "Hello again" {
		t.Fatalf("updated = %+v", tp)
	}
	if rec := f.tplDo(req{method: http.MethodPost, path: "/templates/1/archive", session: true}); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/templates?done=archived" {
		t.Fatalf("archive = %d", rec.Code)
	}
	body = f.tplDo(req{path: "/templates?done=archived", session: true}).Body.String()
	if !strings.Contains(body, "Template archived") || strings.Contains(body, "Hello again") {
		t.Fatal("archived template in the active list")
	}
	wantBody(t, "archived list", f.tplDo(req{path: "/templates?archived=1", session: true}).Body.String(), "Hello again", "archived", "Hide archived templates")
	wantBody(t, "archived form", f.tplDo(req{path: "/templates/1", session: true}).Body.String(), "This template is archived")

	for _, r := range []req{{path: "/templates/99"}, {path: "/templates/abc"}, {method: http.MethodPost, path: "/templates/99", body: form.Encode()}, {method: http.MethodPost, path: "/templates/99/archive"}} {
		r.session = true
		if rec := f.tplDo(r); rec.Code != 404 {
			t.Errorf("%s %s = %d", r.method, r.path, rec.Code)
		}
	}
}

func TestTemplatesAPI(t *testing.T) {
	f := newFixture(t)
	read, ctl := f.tplKeys()
	if rec := f.tplDo(req{path: "/api/v1/templates"}); rec.Code != 401 {
		t.Fatalf("no key = %d", rec.Code)
	}
	rec := f.tplDo(req{path: "/api/v1/templates", header: read})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"templates":[]`) {
		t.Fatalf("empty list = %d %s", rec.Code, rec.Body)
	}
	body := `{"name":"Thanks","kind":"message","body":"Thanks for connecting, {{first_name|there}}!"}`
	if rec := f.tplDo(req{method: http.MethodPost, path: "/api/v1/templates", body: body, header: read}); rec.Code != 403 {
		t.Fatalf("create with a read key = %d", rec.Code)
	}
	rec = f.tplDo(req{method: http.MethodPost, path: "/api/v1/templates", body: body, header: ctl})
	var tp model.Template
	json.Unmarshal(rec.Body.Bytes(), &tp)
	if rec.Code != 201 || tp.ID != 1 || tp.Kind != model.TextMessage || rec.Header().Get("Location") != "/api/v1/templates/1" {
		t.Fatalf("create = %d %s", rec.Code, rec.Body)
	}
	for _, bad := range []struct{ body, want string }{
		{`{"name":"x","kind":"note","body":"Hi {{frist_name}}"}`, "did you mean {{first_name}}?"},
		{`{"name":"x","kind":"note","body":"Hi {{first_name"}`, "{{"},
		{`{"name":"","kind":"note","body":"Hi"}`, "1 to 80 characters"},
		{`{"name":"x","kind":"fax","body":"Hi"}`, "kind must be"},
		{`{"name":"x","colour":"red"}`, "does not know"},
	} {
		rec := f.tplDo(req{method: http.MethodPost, path: "/api/v1/templates", body: bad.body, header: ctl})
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), bad.want) {
			t.Errorf("bad %q = %d %s", bad.want, rec.Code, rec.Body)
		}
	}
	if rec := f.tplDo(req{path: "/api/v1/templates/1", header: read}); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"name":"Thanks"`) {
		t.Fatalf("get = %d %s", rec.Code, rec.Body)
	}
	if rec := f.tplDo(req{method: http.MethodPut, path: "/api/v1/templates/1", body: strings.Replace(body, `"Thanks"`, `"Thank you"`, 1), header: ctl}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Thank you") {
		t.Fatalf("update = %d %s", rec.Code, rec.Body)
	}
	if rec := f.tplDo(req{method: http.MethodPut, path: "/api/v1/templates/1", body: `{"name":"x","kind":"note","body":"` + strings.Repeat("é", 301) + `"}`, header: ctl}); rec.Code != 400 || !strings.Contains(rec.Body.String(), "301 characters") {
		t.Fatalf("update too long = %d %s", rec.Code, rec.Body)
	}
	for _, r := range []req{{path: "/api/v1/templates/7"}, {method: http.MethodPut, path: "/api/v1/templates/7", body: body}, {method: http.MethodPost, path: "/api/v1/templates/7/archive"}, {path: "/api/v1/templates/x"}} {
		r.header = ctl
		if rec := f.tplDo(r); rec.Code != 404 {
			t.Errorf("%s %s = %d", r.method, r.path, rec.Code)
		}
	}

	// Preview: with a read key, against chosen leads or the newest.
	rec = f.tplDo(req{method: http.MethodPost, path: "/api/v1/templates/preview", body: `{"body":"Hi {{first_name}}","kind":"note"}`, header: read})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"previews":[]`) {
		t.Fatalf("preview without leads = %d %s", rec.Code, rec.Body)
	}
	f.tplLead("ann-lee", "Ann", "Lee", "ACME")
	f.tplLead("bo-ray", "Bo", "Ray", "")
	rec = f.tplDo(req{method: http.MethodPost, path: "/api/v1/templates/preview", body: `{"body":"At {{company}}","kind":"note","lead_ids":[1,2]}`, header: read})
	var out struct{ Previews []campaigns.TextPreview }
	json.Unmarshal(rec.Body.Bytes(), &out)
	if rec.Code != 200 || len(out.Previews) != 2 || out.Previews[0].Text != "At ACME" || out.Previews[0].Chars != 7 || out.Previews[0].Limit != 300 ||
		out.Previews[0].Problem != "" || !strings.Contains(out.Previews[1].Problem, "Bo has no company") {
		t.Fatalf("preview = %d %s", rec.Code, rec.Body)
	}
	rec = f.tplDo(req{method: http.MethodPost, path: "/api/v1/templates/preview", body: `{"body":"Hi {{first_name}}"}`, header: read})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"limit":8000`) || !strings.Contains(rec.Body.String(), `"text":"Hi Bo"`) {
		t.Fatalf("preview newest as message = %d %s", rec.Code, rec.Body)
	}
	for _, bad := range []struct {
		body, want string
		code       int
	}{
		{`{"body":"Hi","kind":"fax"}`, "kind must be", 400},
		{`{"body":"Hi {{x"}`, "{{", 400},
		{`{"body":"Hi","lead_ids":[` + strings.Repeat("1,", 20) + `1]}`, "at most 20 leads", 400},
		{`{"body":"Hi","lead_ids":["a"]}`, "lead_ids", 400},
		{`{"body":"Hi","lead_ids":[42]}`, "42", 404},
	} {
		rec := f.tplDo(req{method: http.MethodPost, path: "/api/v1/templates/preview", body: bad.body, header: read})
		if rec.Code != bad.code || !strings.Contains(rec.Body.String(), bad.want) {
			t.Errorf("bad preview %s = %d %s", bad.body, rec.Code, rec.Body)
		}
	}

	if rec := f.tplDo(req{method: http.MethodPost, path: "/api/v1/templates/1/archive", header: ctl}); rec.Code != 200 || !strings.Contains(rec.Body.String(), "archived_at") {
		t.Fatalf("archive = %d %s", rec.Code, rec.Body)
	}
	if rec := f.tplDo(req{path: "/api/v1/templates", header: read}); !strings.Contains(rec.Body.String(), `"templates":[]`) {
		t.Fatalf("list after archive = %s", rec.Body)
	}
	if rec := f.tplDo(req{path: "/api/v1/templates?archived=1", header: read}); !strings.Contains(rec.Body.String(), "Thank you") {
		t.Fatalf("archived list = %s", rec.Body)
	}
}
