package web

import (
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

// post sends a signed-in form, a second apart so the control rate limit
// (two a second) never gets in the way of a long scenario.
func (f *fixture) campPost(path string, form url.Values) (int, string, string) {
	f.t.Helper()
	f.clock.Advance(time.Second)
	rec := f.do(req{method: http.MethodPost, path: path, session: true, body: form.Encode()})
	return rec.Code, rec.Body.String(), rec.Header().Get("Location")
}

func (f *fixture) campPage(path string) (int, string) {
	rec := f.do(req{path: path, session: true})
	return rec.Code, rec.Body.String()
}

func campContains(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

// campaignWorld makes, through HTTP where routes exist, an account, a
// list of three leads, and a note and a message template.
func campaignWorld(t *testing.T) (f *fixture, note, msg model.Template) {
	f = newFixture(t)
	f.signIn()
	if code, _, _ := f.campPost("/accounts", accountFormValues()); code != http.StatusSeeOther {
		t.Fatalf("account = %d", code)
	}
	for _, p := range []struct{ slug, name, company string }{{"ada", "Ada Lovelace", "Analytical"}, {"grace", "Grace Hopper", "Navy"}, {"alan", "Alan Turing", "Bletchley"}} {
		f.clock.Advance(time.Second)
		body := fmt.Sprintf(`{"profile_url":"https://www.linkedin.com/in/%s/","full_name":%q,"company":%q,"list":"Fair 2026","tags":["fair"]}`, p.slug, p.name, p.company)
		if rec := f.do(req{method: http.MethodPost, path: "/api/v1/leads", session: true, body: body}); rec.Code != http.StatusCreated {
			t.Fatalf("lead = %d %s", rec.Code, rec.Body)
		}
	}
	// The template routes belong to another area; the service stands in.
	o := model.Origin{Actor: "test"}
	var err error
	if note, err = f.srv.o.Campaigns.CreateTemplate(campaigns.TemplateInput{Name: "Fair note", Kind: model.TextNote, Body: "Hi {{first_name}}, we met at the fair."}, o); err != nil {
		t.Fatal(err)
	}
	if msg, err = f.srv.o.Campaigns.CreateTemplate(campaigns.TemplateInput{Name: "Thanks message", Kind: model.TextMessage, Body: "Thanks for connecting, {{first_name|there}}!"}, o); err != nil {
		t.Fatal(err)
	}
	return f, note, msg
}

// twoStepForm is the quick start with templates picked and approval on
// the message, as the browser sends it.
func twoStepForm(note, msg model.Template) url.Values {
	return url.Values{
		"name": {"Fair follow-up"}, "account_ids": {"1"}, "source_kind": {"list"}, "source_list": {"1"},
		"limit_invites": {""}, "limit_messages": {""}, "limit_visits": {""},
		"s0.kind": {"invite"}, "s0.v0.key": {"A"}, "s0.v0.template": {fmt.Sprint(note.ID)}, "s0.v0.weight": {"1"},
		"s1.kind": {"wait_accept"}, "s1.wait": {"14"}, "s1.timeout": {"withdraw"},
		"s2.kind": {"message"}, "s2.delay": {"2"}, "s2.v0.key": {"A"}, "s2.v0.template": {fmt.Sprint(msg.ID)}, "s2.v0.weight": {"1"}, "s2.approval": {"1"},
		"op": {"save"},
	}
}

// TestCampaignNewcomerPath: the two-step campaign with a template and an
// approval step, built, saved, activated and forecast from the UI alone.
func TestCampaignNewcomerPath(t *testing.T) {
	f, note, msg := campaignWorld(t)
	_, body := f.campPage("/campaigns")
	campContains(t, "empty list", body, "No campaigns yet", `href="/campaigns/new"`)

	code, body := f.campPage("/campaigns/new")
	if code != 200 {
		t.Fatalf("new = %d", code)
	}
	campContains(t, "new form", body, "Start from the two-step template", "Anna", "15 invites a day (80 a week)", "Fair 2026 (3 leads)", "Leave a field blank to take the free share")

	// Quick start fills the three rows; what was typed stays.
	code, body, _ = f.campPost("/campaigns", url.Values{"name": {"Fair follow-up"}, "account_ids": {"1"}, "source_kind": {"list"}, "source_list": {"1"}, "op": {"quickstart"}})
	if code != 200 {
		t.Fatalf("quickstart = %d", code)
	}
	campContains(t, "quick start", body, `value="Fair follow-up"`, "Step 1: Connection invite", "Step 2: Wait for acceptance", "Step 3: First message",
		`name="s1.wait" value="14"`, `name="s2.delay" value="2"`, `name="s0.v0.template"`, `name="s2.v0.template"`, "Fair note", "Thanks message", "Added the two-step template")
	if strings.Contains(body, "Start from the two-step template") {
		t.Error("the quick start is still offered with steps in the form")
	}

	code, _, loc := f.campPost("/campaigns", twoStepForm(note, msg))
	if code != http.StatusSeeOther || loc != "/campaigns/1?saved=1" {
		t.Fatalf("save = %d %q", code, loc)
	}
	_, body = f.campPage(loc)
	campContains(t, "draft page", body, "Campaign saved.", "draft", "Activate", "Archive",
		"Send a connection invite with a note", "Wait up to 14 days for acceptance, then withdraw the invite",
		"Message 2 days after acceptance — needs approval", `href="/approvals?campaign=1"`, `href="/leads?campaign=1"`,
		"List “Fair 2026” (3 leads)", `href="/leads?list=1"`, "30% of invites are accepted", "(assumed until 20 invites are sent)")
	if strings.Contains(body, "Enrol new leads") {
		t.Error("a draft offers enrolment")
	}

	code, _, loc = f.campPost("/campaigns/1/state", url.Values{"to": {"active"}})
	if code != http.StatusSeeOther || !strings.Contains(loc, "enrolled=3") {
		t.Fatalf("activate = %d %q", code, loc)
	}
	_, body = f.campPage(loc)
	campContains(t, "active page", body, "The campaign is active.", "Enrolled 3 leads.", "finishes around", "Pause", "Complete",
		"Enrol new leads from the source", "In the sequence", "What happens next", "Ada Lovelace")
	if strings.Contains(body, `>Activate<`) {
		t.Error("an active campaign offers Activate")
	}
	_, body = f.campPage("/campaigns")
	campContains(t, "list", body, `href="/campaigns/1"`, "Fair follow-up", "active", "Anna", "finishes around")

	// Enrolling again finds nobody new.
	code, _, loc = f.campPost("/campaigns/1/enrol", nil)
	if code != http.StatusSeeOther {
		t.Fatalf("enrol = %d", code)
	}
	_, body = f.campPage(loc)
	campContains(t, "enrol again", body, "No leads were enrolled")
}

func TestCampaignEnrolResultInFlash(t *testing.T) {
	f, note, msg := campaignWorld(t)
	o := model.Origin{Actor: "test"}
	if _, _, err := f.srv.o.Campaigns.AddDNC(model.DNCCompany, "Globex", "", o); err != nil {
		t.Fatal(err)
	}
	// A lead on the do-not-contact list, added after the rule.
	if rec := f.do(req{method: http.MethodPost, path: "/api/v1/leads", session: true, body: `{"profile_url":"linkedin.com/in/hank","full_name":"Hank Scorpio","company":"Globex","list":"Fair 2026"}`}); rec.Code != 201 {
		t.Fatalf("lead = %d %s", rec.Code, rec.Body)
	}
	// Ada is already a connection, in another running sequence: skipped.
	if _, err := f.srv.o.Campaigns.Transition(1, model.LeadConnected, "met at the fair", o); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.o.Campaigns.CreateCampaign(campaigns.CampaignInput{Name: "Other", AccountIDs: []uint64{1}, Source: model.LeadSource{Kind: model.SourceTag, Tag: "nobody"},
		Steps: []model.Step{{Kind: model.StepMessage, Variants: []model.Variant{{TemplateID: msg.ID}}}}, Limits: model.CampaignLimits{MessagesPerDay: 5}}, o); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.srv.o.Campaigns.SetCampaignState(1, model.CampaignActive, o); err != nil {
		t.Fatal(err)
	}
	if r, err := f.srv.o.Campaigns.EnrolLeads(1, []uint64{1}, o); err != nil || r.Enrolled != 1 {
		t.Fatal(r, err)
	}
	form := twoStepForm(note, msg)
	if code, body, _ := f.campPost("/campaigns", form); code != http.StatusSeeOther {
		t.Fatalf("save = %d %s", code, body)
	}
	code, _, loc := f.campPost("/campaigns/2/state", url.Values{"to": {"active"}})
	if code != http.StatusSeeOther {
		t.Fatalf("activate = %d", code)
	}
	_, body := f.campPage(loc)
	campContains(t, "flash", body, "Enrolled 2 leads; 1 was on the do-not-contact list and was blacklisted; 1 is already in another campaign.")
}

func TestCampaignStepsEditor(t *testing.T) {
	f, _, _ := campaignWorld(t)
	base := url.Values{"name": {"Editor"}, "account_ids": {"1"}, "source_kind": {"tag"}, "source_tag": {"fair"}, "limit_invites": {"7"}}
	with := func(extra url.Values) url.Values {
		v := url.Values{}
		for k, x := range base {
			v[k] = x
		}
		for k, x := range extra {
			v[k] = x
		}
		return v
	}
	code, body, _ := f.campPost("/campaigns", with(url.Values{"op": {"add_step"}, "new_kind": {"message"}}))
	if code != 200 {
		t.Fatalf("add step = %d", code)
	}
	campContains(t, "added message", body, "Step 1: First message", `name="s0.delay" value="2"`, `name="s0.v0.key" value="A"`,
		`value="Editor"`, `value="fair"`, `name="limit_invites" value="7"`, "Step 1 added")
	// Add a variant: keys are filled in.
	step := url.Values{"s0.kind": {"message"}, "s0.delay": {"3"}, "s0.v0.key": {"A"}, "s0.v0.template": {"2"}, "s0.v0.weight": {"70"}}
	code, body, _ = f.campPost("/campaigns", with(campMerge(step, url.Values{"op": {"add_variant.0"}})))
	if code != 200 {
		t.Fatalf("add variant = %d", code)
	}
	campContains(t, "two variants", body, `name="s0.v1.key" value="B"`, `name="s0.v0.weight" value="70"`, `name="s0.delay" value="3"`)
	// Remove A: B keeps its key.
	two := campMerge(step, url.Values{"s0.v1.key": {"B"}, "s0.v1.template": {""}, "s0.v1.weight": {"30"}})
	_, body, _ = f.campPost("/campaigns", with(campMerge(two, url.Values{"op": {"remove_variant.0.0"}})))
	campContains(t, "removed A", body, `name="s0.v0.key" value="B"`, `name="s0.v0.weight" value="30"`)
	if strings.Contains(body, `name="s0.v1.key"`) {
		t.Error("variant not removed")
	}
	// Add a visit, move it up, remove the message.
	_, body, _ = f.campPost("/campaigns", with(campMerge(step, url.Values{"op": {"add_step"}, "new_kind": {"visit"}})))
	campContains(t, "visit added", body, "Step 2: Visit the profile")
	withVisit := campMerge(step, url.Values{"s1.kind": {"visit"}})
	_, body, _ = f.campPost("/campaigns", with(campMerge(withVisit, url.Values{"op": {"up.1"}})))
	campContains(t, "moved", body, "Step 1: Visit the profile", "Step 2: First message", `name="s1.delay" value="3"`)
	_, body, _ = f.campPost("/campaigns", with(campMerge(withVisit, url.Values{"op": {"remove_step.0"}})))
	campContains(t, "removed", body, "Step 1: Visit the profile")
	if strings.Contains(body, "Step 2:") {
		t.Error("step not removed")
	}
	// Nothing was saved by any of this.
	if list, _ := f.srv.o.Campaigns.Campaigns(true); len(list) != 0 {
		t.Fatalf("the editor saved %d campaigns", len(list))
	}
	// Buttons that do not fit the form.
	for op, want := range map[string]string{"up.0": "cannot move up", "remove_step.7": "no longer in the form", "remove_variant.0.5": "no longer in the form", "explode": "not understood", "up.x": "not understood"} {
		code, body, _ := f.campPost("/campaigns", with(campMerge(step, url.Values{"op": {op}})))
		if code != 400 || !strings.Contains(body, want) || !strings.Contains(body, `value="Editor"`) {
			t.Errorf("op %s = %d, want 400 with %q", op, code, want)
		}
	}
	if code, body, _ := f.campPost("/campaigns", with(url.Values{"op": {"add_step"}, "new_kind": {"teleport"}})); code != 400 || !strings.Contains(body, "not a step kind") {
		t.Errorf("bad kind = %d", code)
	}
}

func campMerge(a, b url.Values) url.Values {
	out := url.Values{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func TestCampaignFormValidation(t *testing.T) {
	f, note, msg := campaignWorld(t)
	form := twoStepForm(note, msg)
	form.Set("s2.v0.template", "")
	form.Set("name", "Keep me")
	code, body, _ := f.campPost("/campaigns", form)
	if code != 400 {
		t.Fatalf("missing template = %d", code)
	}
	campContains(t, "missing template", body, "Step 3 (message), variant A has no template: pick a template or remove the row", `value="Keep me"`, `name="s1.wait" value="14"`, `name="s2.approval" value="1" checked`)

	form = twoStepForm(note, msg)
	form.Set("limit_invites", "50")
	code, body, _ = f.campPost("/campaigns", form)
	if code != 400 {
		t.Fatalf("over the share = %d", code)
	}
	campContains(t, "over the share", body, "50 invites a day is more than sender account", "Anna", "(15 a day)", `name="limit_invites" value="50"`)

	form.Set("limit_invites", "lots")
	if code, body, _ := f.campPost("/campaigns", form); code != 400 || !strings.Contains(body, "Invites a day: &#34;lots&#34; is not a whole number") {
		t.Errorf("not a number = %d", code)
	}
	// The service's own rule, with the step named.
	form = twoStepForm(note, msg)
	for _, k := range []string{"s2.v0.key", "s2.v0.template", "s2.v0.weight"} {
		form.Del(k)
	}
	if code, body, _ := f.campPost("/campaigns", form); code != 400 || !strings.Contains(body, "Step 3 (message): needs at least one template.") {
		t.Errorf("no template row = %d", code)
	}
	form = twoStepForm(note, msg)
	form.Set("s0.v0.template", "")
	if code, body, _ := f.campPost("/campaigns", form); code != 400 || !strings.Contains(body, "remove the row to send the invite without a note") {
		t.Errorf("blank note = %d", code)
	}
	form = twoStepForm(note, msg)
	form.Del("source_kind")
	if code, body, _ := f.campPost("/campaigns", form); code != 400 || !strings.Contains(body, "Choose where the campaign") {
		t.Errorf("no source = %d", code)
	}
	form = twoStepForm(note, msg)
	form.Set("source_list", "")
	if code, body, _ := f.campPost("/campaigns", form); code != 400 || !strings.Contains(body, "Choose the list") {
		t.Errorf("no list = %d", code)
	}
	// A note template on the message step.
	form = twoStepForm(note, msg)
	form.Set("s2.v0.template", fmt.Sprint(note.ID))
	if code, body, _ := f.campPost("/campaigns", form); code != 400 || !strings.Contains(body, "is a note template; this step needs a message template") {
		t.Errorf("wrong kind = %d", code)
	}
	// A pasted leads-page address works as a saved filter; blank limits
	// take the free share for the actions the steps take (no visit step:
	// no visits).
	form = twoStepForm(note, msg)
	form.Set("source_kind", "filter")
	form.Set("source_filter", "http://127.0.0.1:7450/leads?tag=fair&state=new")
	form.Set("limit_invites", "5")
	if code, body, _ := f.campPost("/campaigns", form); code != http.StatusSeeOther {
		t.Fatalf("filter = %d %s", code, body)
	}
	ci, err := f.srv.o.Campaigns.Campaign(1)
	if err != nil || ci.Source.Filter != "state=new&tag=fair" || ci.Limits != (model.CampaignLimits{InvitesPerDay: 5, MessagesPerDay: 20}) {
		t.Fatalf("saved %+v %+v %v", ci.Source, ci.Limits, err)
	}
	_, body = f.campPage("/campaigns/1")
	campContains(t, "filter source", body, "Leads matching the saved filter state=new&amp;tag=fair", `href="/leads?state=new&amp;tag=fair"`)
	// The edit form shows the saved values, and once the first campaign
	// runs, a second one sees what it takes (drafts reserve nothing).
	_, body = f.campPage("/campaigns/1/edit")
	campContains(t, "edit form", body, `name="limit_invites" value="5"`, `value="state=new&amp;tag=fair"`, "no other campaign uses it")
	if _, _, err := f.srv.o.Campaigns.SetCampaignState(1, model.CampaignActive, model.Origin{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	_, body = f.campPage("/campaigns/new")
	campContains(t, "second form", body, "other campaigns use 5 invites, 20 messages, 0 visits")
}

func TestCampaignStates(t *testing.T) {
	f, note, msg := campaignWorld(t)
	if code, _, _ := f.campPost("/campaigns", url.Values{"name": {"Empty"}, "source_kind": {"tag"}, "source_tag": {"x"}}); code != http.StatusSeeOther {
		t.Fatalf("empty campaign = %d", code)
	}
	code, body, _ := f.campPost("/campaigns/1/state", url.Values{"to": {"active"}})
	if code != 400 || !strings.Contains(body, "has no sender account") {
		t.Fatalf("activate without account = %d", code)
	}
	code, body, _ = f.campPost("/campaigns/1/state", url.Values{"to": {"paused"}})
	if code != 409 || !strings.Contains(body, "A campaign that is draft cannot become paused; it can become active or archived.") {
		t.Fatalf("draft to paused = %d", code)
	}
	for _, to := range []string{"dancing", ""} {
		if code, _, _ := f.campPost("/campaigns/1/state", url.Values{"to": {to}}); code != 400 {
			t.Errorf("to=%q = %d", to, code)
		}
	}
	if code, body, _ := f.campPost("/campaigns/1/enrol", nil); code != 409 || !strings.Contains(body, "activate it before adding leads") {
		t.Errorf("enrol draft = %d", code)
	}

	if code, _, _ := f.campPost("/campaigns", twoStepForm(note, msg)); code != http.StatusSeeOther {
		t.Fatal("save")
	}
	f.campPost("/campaigns/2/state", url.Values{"to": {"active"}})
	// Running: the form warns and the service refuses.
	_, body = f.campPage("/campaigns/2/edit")
	campContains(t, "running edit", body, "Pause it on its page before saving changes")
	if code, body, _ := f.campPost("/campaigns/2", twoStepForm(note, msg)); code != 409 || !strings.Contains(body, "pause it before changing it") {
		t.Errorf("edit running = %d", code)
	}
	code, _, loc := f.campPost("/campaigns/2/state", url.Values{"to": {"paused"}})
	if code != http.StatusSeeOther {
		t.Fatalf("pause = %d", code)
	}
	_, body = f.campPage(loc)
	campContains(t, "paused", body, "Campaign paused", "Resume", "Edit")
	// Leads are enrolled: steps keep their shape, texts may change.
	_, body = f.campPage("/campaigns/2/edit")
	campContains(t, "locked edit", body, "3 leads are already in this sequence")
	if strings.Contains(body, `value="add_step"`) || strings.Contains(body, `value="remove_step.0"`) {
		t.Error("shape buttons offered on a locked sequence")
	}
	form := twoStepForm(note, msg)
	for _, k := range []string{"s2.kind", "s2.delay", "s2.v0.key", "s2.v0.template", "s2.v0.weight", "s2.approval"} {
		form.Del(k)
	}
	if code, body, _ := f.campPost("/campaigns/2", form); code != 409 || !strings.Contains(body, "; create a new campaign for a different sequence.") || !strings.Contains(body, `name="s1.wait" value="14"`) {
		t.Errorf("reshape = %d", code)
	}
	form = twoStepForm(note, msg)
	form.Set("s2.delay", "5")
	if code, _, _ := f.campPost("/campaigns/2", form); code != http.StatusSeeOther {
		t.Errorf("change delay = %d", code)
	}
	_, body = f.campPage("/campaigns/2")
	campContains(t, "new delay", body, "Message 5 days after acceptance")

	code, _, loc = f.campPost("/campaigns/2/state", url.Values{"to": {"completed"}})
	if code != http.StatusSeeOther {
		t.Fatalf("complete = %d", code)
	}
	_, body = f.campPage(loc)
	campContains(t, "completed", body, "Campaign completed", "Archive")
	code, body, _ = f.campPost("/campaigns/2/state", url.Values{"to": {"active"}})
	if code != 409 || !strings.Contains(body, "it can only become archived") {
		t.Errorf("reactivate = %d", code)
	}
	f.campPost("/campaigns/2/state", url.Values{"to": {"archived"}})
	_, body = f.campPage("/campaigns")
	if strings.Contains(body, "Fair follow-up") {
		t.Error("archived campaign listed")
	}
	_, body = f.campPage("/campaigns?archived=1")
	campContains(t, "archived list", body, "Fair follow-up", "Hide archived campaigns")
}

func TestCampaignPagesErrors(t *testing.T) {
	f, _, _ := campaignWorld(t)
	for path, want := range map[string]int{"/campaigns/99": 404, "/campaigns/99/edit": 404, "/campaigns/abc": 400, "/campaigns/0/edit": 400} {
		if code, _ := f.campPage(path); code != want {
			t.Errorf("%s = %d, want %d", path, code, want)
		}
	}
	if code, _, _ := f.campPost("/campaigns/99", url.Values{"op": {"save"}}); code != 404 {
		t.Errorf("save unknown = %d", code)
	}
	if code, _, _ := f.campPost("/campaigns/99/state", url.Values{"to": {"active"}}); code != 404 {
		t.Errorf("state unknown = %d", code)
	}
	// Without a session, pages send the visitor to sign in.
	if rec := f.do(req{path: "/campaigns"}); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
		t.Errorf("anonymous = %d", rec.Code)
	}
}

func TestCampaignsAPI(t *testing.T) {
	f, note, msg := campaignWorld(t)
	read, _, _ := f.sec.CreateAPIKey("r", model.ScopeRead, "cli", security.Meta{})
	ctl, _, _ := f.sec.CreateAPIKey("c", model.ScopeControl, "cli", security.Meta{})
	call := func(method, path, key, body string) (int, string, http.Header) {
		f.clock.Advance(time.Second)
		h := map[string]string{}
		if key != "" {
			h["Authorization"] = "Bearer " + key
		}
		rec := f.do(req{method: method, path: path, header: h, body: body})
		return rec.Code, rec.Body.String(), rec.Header()
	}
	if code, _, _ := call("GET", "/api/v1/campaigns", "", ""); code != 401 {
		t.Fatalf("no key = %d", code)
	}
	if code, body, _ := call("GET", "/api/v1/campaigns", read, ""); code != 200 || body != "{\"campaigns\":[]}\n" {
		t.Fatalf("empty list = %d %s", code, body)
	}
	in := fmt.Sprintf(`{"name":"API campaign","account_ids":[1],"source":{"kind":"list","list_id":1},
		"steps":[{"kind":"invite","variants":[{"template_id":%d}]},{"kind":"wait_accept","wait_days":14,"on_timeout":"withdraw"},
		{"kind":"message","delay_days":2,"approval":true,"variants":[{"key":"A","template_id":%d,"weight":50},{"key":"B","template_id":%d,"weight":50}]}],
		"limits":{"invites_per_day":0,"messages_per_day":0,"visits_per_day":0}}`, note.ID, msg.ID, msg.ID)
	if code, _, _ := call("POST", "/api/v1/campaigns", read, in); code != 403 {
		t.Fatalf("create with read key = %d", code)
	}
	code, body, h := call("POST", "/api/v1/campaigns", ctl, in)
	if code != 201 || h.Get("Location") != "/api/v1/campaigns/1" {
		t.Fatalf("create = %d %s", code, body)
	}
	var got struct {
		ID       uint64               `json:"id"`
		State    string               `json:"state"`
		Limits   model.CampaignLimits `json:"limits"`
		Sequence []string             `json:"sequence"`
		Steps    []model.Step         `json:"steps"`
		Counts   struct {
			ByStatus map[string]int `json:"by_status"`
		} `json:"counts"`
		Enrol *campaigns.EnrolResult `json:"enrol"`
	}
	json.Unmarshal([]byte(body), &got)
	if got.State != "draft" || got.Limits.InvitesPerDay != 15 || len(got.Sequence) != 3 || got.Steps[0].Variants[0].Key != "A" ||
		got.Sequence[2] != "Message 2 days after acceptance (2 variants: A 50%, B 50%) — needs approval" {
		t.Fatalf("created %+v", got)
	}
	for name, bad := range map[string]string{
		"unknown field": `{"name":"x","colour":"red"}`,
		"bad JSON":      `{"name":`,
		"wrong type":    `{"name":5}`,
	} {
		code, body, _ := call("POST", "/api/v1/campaigns", ctl, bad)
		if code != 400 {
			t.Errorf("%s = %d %s", name, code, body)
		}
		if name == "unknown field" && !strings.Contains(body, "colour") {
			t.Errorf("unknown field not named: %s", body)
		}
	}
	if code, body, _ := call("POST", "/api/v1/campaigns", ctl, `{"name":"No source","account_ids":[1]}`); code != 400 || !strings.Contains(body, "choose where the campaign") {
		t.Errorf("no source = %d %s", code, body)
	}
	if code, body, _ := call("GET", "/api/v1/campaigns/1", read, ""); code != 200 || !strings.Contains(body, `"sequence":["Send a connection invite with a note"`) {
		t.Errorf("get = %d %s", code, body)
	}
	for path, want := range map[string]int{"/api/v1/campaigns/abc": 400, "/api/v1/campaigns/99": 404, "/api/v1/campaigns/99/forecast": 404} {
		if code, _, _ := call("GET", path, read, ""); code != want {
			t.Errorf("%s = %d", path, code)
		}
	}
	upd := strings.Replace(in, "API campaign", "API campaign v2", 1)
	if code, body, _ := call("PUT", "/api/v1/campaigns/1", ctl, upd); code != 200 || !strings.Contains(body, "API campaign v2") {
		t.Errorf("put = %d %s", code, body)
	}
	if code, _, _ := call("PUT", "/api/v1/campaigns/99", ctl, upd); code != 404 {
		t.Errorf("put unknown = %d", code)
	}
	code, body, _ = call("POST", "/api/v1/campaigns/1/state", ctl, `{"to":"paused"}`)
	if code != 409 || !strings.Contains(body, "cannot become paused") {
		t.Errorf("bad transition = %d %s", code, body)
	}
	if code, body, _ := call("POST", "/api/v1/campaigns/1/state", ctl, `{"to":"active","why":"x"}`); code != 400 || !strings.Contains(body, "why") {
		t.Errorf("unknown state field = %d %s", code, body)
	}
	code, body, _ = call("POST", "/api/v1/campaigns/1/state", ctl, `{"to":"active"}`)
	got.Enrol = nil
	json.Unmarshal([]byte(body), &got)
	if code != 200 || got.State != "active" || got.Enrol == nil || got.Enrol.Enrolled != 3 || got.Counts.ByStatus["active"] != 3 {
		t.Fatalf("activate = %d %s", code, body)
	}
	if code, body, _ := call("POST", "/api/v1/campaigns/1/enrol", ctl, ""); code != 200 || body != "{\"enrolled\":0,\"blacklisted\":0,\"in_other_campaign\":0,\"skipped\":0}\n" {
		t.Errorf("enrol = %d %s", code, body)
	}
	code, body, _ = call("GET", "/api/v1/campaigns/1/forecast", read, "")
	var fc forecastJSON
	if err := json.Unmarshal([]byte(body), &fc); err != nil || code != 200 {
		t.Fatalf("forecast = %d %s", code, body)
	}
	if !strings.Contains(fc.Summary, "finishes around") || fc.Finish == nil || fc.Beyond || len(fc.Steps) != 3 || fc.Steps[0].Waiting != 3 ||
		fc.Steps[0].Kind != "invite" || fc.Steps[0].Done == nil || fc.Assumptions.AcceptRate != 0.3 || fc.Assumptions.AcceptRateMeasured {
		t.Fatalf("forecast %+v", fc)
	}
	if code, body, _ := call("GET", "/api/v1/campaigns", read, ""); code != 200 || !strings.Contains(body, "API campaign v2") {
		t.Errorf("list = %d", code)
	}
	call("POST", "/api/v1/campaigns/1/state", ctl, `{"to":"archived"}`)
	if _, body, _ := call("GET", "/api/v1/campaigns", read, ""); strings.Contains(body, "API campaign") {
		t.Error("archived listed")
	}
	if _, body, _ := call("GET", "/api/v1/campaigns?archived=1", read, ""); !strings.Contains(body, `"state":"archived"`) {
		t.Error("archived not listed with archived=1")
	}
}
