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
)

// approvalQueue builds a running campaign whose only step is a message in
// approval mode, for three connected leads: Ann (ACME) and Cy (Initech)
// get ready drafts, Bo has no company so his draft needs an edit. It
// returns the campaign and the leads.
func (f *fixture) approvalQueue() (model.Campaign, []model.Lead) {
	f.t.Helper()
	who := model.Origin{Actor: "test"}
	svc := f.srv.o.Campaigns
	in := accounts.Defaults("Europe/Rome", f.clock.Now())
	in.Name = "Anna"
	acct, err := f.srv.o.Accounts.Create(in, who)
	if err != nil {
		f.t.Fatal(err)
	}
	leads := []model.Lead{f.tplLead("ann", "Ann", "Lee", "ACME"), f.tplLead("bo", "Bo", "Ray", ""), f.tplLead("cy", "Cy", "Poe", "Initech")}
	tp, err := svc.CreateTemplate(campaigns.TemplateInput{Name: "Thanks", Kind: model.TextMessage, Body: "Thanks for connecting, {{first_name}}! How are things at {{company}}?"}, who)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, l := range leads {
		// Through the API, with the session, as the dashboard's scripts would.
		rec := f.tplDo(req{method: http.MethodPost, path: fmt.Sprintf("/api/v1/leads/%d/state", l.ID), body: `{"state":"connected","reason":"met at a fair"}`, session: true})
		if rec.Code != 200 {
			f.t.Fatalf("connect lead %d = %d %s", l.ID, rec.Code, rec.Body)
		}
	}
	lists, err := svc.Lists()
	if err != nil || len(lists) != 1 {
		f.t.Fatalf("lists = %v, %v", lists, err)
	}
	c, err := svc.CreateCampaign(campaigns.CampaignInput{Name: "Q1 outreach", AccountIDs: []uint64{acct.ID},
		Source: model.LeadSource{Kind: model.SourceList, ListID: lists[0].ID},
		Steps:  []model.Step{{Kind: model.StepMessage, Variants: []model.Variant{{Key: "A", TemplateID: tp.ID, Weight: 1}}, Approval: true}},
	}, who)
	if err != nil {
		f.t.Fatal(err)
	}
	if c, _, err = svc.SetCampaignState(c.ID, model.CampaignActive, who); err != nil {
		f.t.Fatal(err)
	}
	return c, leads
}

func TestApprovalsThroughTheUI(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	body := f.tplDo(req{path: "/approvals", session: true}).Body.String()
	wantBody(t, "empty queue", body, "Nothing waits for approval. Steps in approval mode put their drafted notes and messages here.")
	if strings.Contains(body, "Approve all") {
		t.Fatal("approve-all button on an empty queue")
	}

	c, _ := f.approvalQueue()
	items, _, _ := f.srv.o.Campaigns.Approvals(0, 10)
	if len(items) != 3 {
		t.Fatalf("drafts = %+v", items)
	}
	ann, bo := items[0], items[1]
	body = f.tplDo(req{path: "/approvals", session: true}).Body.String()
	wantBody(t, "queue", body, "<title>Approvals (3) · Parley</title>", "3 waiting", "Approve all that are ready",
		`href="/leads/1"`, "Ann Lee", "ACME", `href="/campaigns/1"`, "Q1 outreach", "step 1, message", "variant A",
		"Thanks for connecting, Ann! How are things at ACME?", "51 / 8000 characters",
		"Cannot be approved as it is: Bo has no company", `action="/approvals/2/edit#approval-2"`, `formaction="/approvals/2/approve#approval-2"`, `action="/approvals/2/reject#approval-2"`)
	if strings.Index(body, "Ann Lee") > strings.Index(body, "Cy Poe") {
		t.Fatal("queue is not oldest first")
	}

	// Bo's draft cannot be approved as it is; the refusal shows next to it.
	form := url.Values{"text": {bo.Text}, "original": {bo.Text}, "campaign": {""}}
	rec := f.tplDo(req{method: http.MethodPost, path: "/approvals/2/approve", session: true, body: form.Encode()})
	if rec.Code != 400 {
		t.Fatalf("approve with a problem = %d", rec.Code)
	}
	wantBody(t, "refused approve", rec.Body.String(), "edit the text first")
	// A variable left in an edit is refused, and the typed text kept.
	form.Set("text", "Thanks {{first_name}}, great to meet you")
	rec = f.tplDo(req{method: http.MethodPost, path: "/approvals/2/edit", session: true, body: form.Encode()})
	if rec.Code != 400 {
		t.Fatalf("edit with a variable = %d", rec.Code)
	}
	wantBody(t, "refused edit", rec.Body.String(), "Not saved: the text still has a {{variable}}", "Thanks {{first_name}}, great to meet you", `id="approval-2"`)

	// Saving the draft unchanged does not clear its problem.
	form.Set("text", bo.Text+"\r\n")
	rec = f.tplDo(req{method: http.MethodPost, path: "/approvals/2/edit", session: true, body: form.Encode()})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/approvals?done=unchanged#approval-2" {
		t.Fatalf("unchanged edit = %d %s", rec.Code, rec.Header().Get("Location"))
	}
	wantBody(t, "unchanged", f.tplDo(req{path: "/approvals?done=unchanged", session: true}).Body.String(), "Nothing saved: the text is the same", "Cannot be approved as it is: Bo")

	// Approve all approves the two ready drafts and says one is left.
	rec = f.tplDo(req{method: http.MethodPost, path: "/approvals/approve-all", session: true, body: "campaign="})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/approvals?approved=2&done=all&left=1" {
		t.Fatalf("approve all = %d %s", rec.Code, rec.Header().Get("Location"))
	}
	body = f.tplDo(req{path: rec.Header().Get("Location"), session: true}).Body.String()
	wantBody(t, "after approve all", body, "Approved 2 drafts. 1 draft still needs an edit before it can be approved.", "1 waiting", "Bo Ray")
	if strings.Contains(body, "Ann Lee") {
		t.Fatal("approved draft still in the queue")
	}
	// Approving an already approved draft: a clear conflict.
	rec = f.tplDo(req{method: http.MethodPost, path: fmt.Sprintf("/approvals/%d/approve", ann.ID), session: true, body: "campaign=1"})
	if rec.Code != 409 || !strings.Contains(rec.Body.String(), "already approved by alice") {
		t.Fatalf("approve twice = %d", rec.Code)
	}

	// Edit Bo's draft in the box and approve it in one go, from the
	// campaign's filtered queue: the filter is kept.
	form = url.Values{"text": {"Thanks for connecting, Bo!\r\nHow is the new job?"}, "original": {bo.Text}, "campaign": {"1"}}
	rec = f.tplDo(req{method: http.MethodPost, path: "/approvals/2/approve", session: true, body: form.Encode()})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/approvals?campaign=1&done=approved" {
		t.Fatalf("edit and approve = %d %s %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	if _, pending, _ := f.srv.o.Campaigns.Approvals(0, 10); pending != 0 {
		t.Fatalf("pending = %d", pending)
	}
	sd, err := f.srv.o.Campaigns.PrepareSend(c.ID, bo.LeadID, model.Origin{Actor: "test"})
	if err != nil || sd.Text != "Thanks for connecting, Bo!\nHow is the new job?" {
		t.Fatalf("send = %+v, %v", sd, err)
	}
	wantBody(t, "emptied queue", f.tplDo(req{path: "/approvals?campaign=1&done=approved", session: true}).Body.String(), "Draft approved.", "Nothing waits for approval")
}

// TestApprovalsEditRejectAndFilter: saving an edit, rejecting with a
// reason, the campaign filter and bad input.
func TestApprovalsEditRejectAndFilter(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	f.approvalQueue()
	form := url.Values{"text": {"Thanks for connecting, Bo!"}, "campaign": {"1"}}
	rec := f.tplDo(req{method: http.MethodPost, path: "/approvals/2/edit", session: true, body: form.Encode()})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/approvals?campaign=1&done=saved#approval-2" {
		t.Fatalf("edit = %d %s", rec.Code, rec.Header().Get("Location"))
	}
	body := f.tplDo(req{path: "/approvals?campaign=1&done=saved", session: true}).Body.String()
	wantBody(t, "after edit", body, "Edit saved.", "Thanks for connecting, Bo!</textarea>", "edited", "Showing 3 drafts of Q1 outreach",
		`<option value="1" selected>Q1 outreach</option>`, `name="campaign" value="1"`, "Approve all of this campaign that are ready")
	if strings.Contains(body, "Cannot be approved as it is: Bo") {
		t.Fatal("edited draft still shows its problem")
	}

	rec = f.tplDo(req{method: http.MethodPost, path: "/approvals/3/reject", session: true, body: "reason=not+the+right+person&campaign=1"})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/approvals?campaign=1&done=rejected" {
		t.Fatalf("reject = %d %s", rec.Code, rec.Header().Get("Location"))
	}
	wantBody(t, "after reject", f.tplDo(req{path: "/approvals?done=rejected", session: true}).Body.String(), "Draft rejected.", "2 waiting")
	d, err := f.srv.o.Campaigns.Lead(3)
	if err != nil || d.Lead.State != model.LeadSkipped {
		t.Fatalf("rejected lead = %+v, %v", d.Lead.State, err)
	}

	// Another campaign's filter: nothing there, but the others are named.
	wantBody(t, "other campaign", f.tplDo(req{path: "/approvals?campaign=7", session: true}).Body.String(), "Nothing from campaign 7 waits for approval. 2 drafts of other campaigns do", `href="/approvals"`)
	rec = f.tplDo(req{path: "/approvals?campaign=abc", session: true})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "campaign must be a campaign number, not &#34;abc&#34;") {
		t.Fatalf("bad filter = %d", rec.Code)
	}
	rec = f.tplDo(req{method: http.MethodPost, path: "/approvals/approve-all", session: true, body: "campaign=x"})
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "campaign must be a campaign number") {
		t.Fatalf("bad approve-all = %d", rec.Code)
	}
	rec = f.tplDo(req{method: http.MethodPost, path: "/approvals/approve-all", session: true, body: "campaign=7"})
	if loc := rec.Header().Get("Location"); rec.Code != http.StatusSeeOther || loc != "/approvals?approved=0&campaign=7&done=all&left=0" {
		t.Fatalf("approve-all of another campaign = %d %s", rec.Code, loc)
	}
	wantBody(t, "nothing approved", f.tplDo(req{path: "/approvals?approved=0&campaign=7&done=all&left=0", session: true}).Body.String(), "Nothing was ready to approve.")

	for _, p := range []string{"/approvals/99/approve", "/approvals/99/edit", "/approvals/99/reject", "/approvals/abc/approve"} {
		if rec := f.tplDo(req{method: http.MethodPost, path: p, session: true, body: "text=hi"}); rec.Code != 404 {
			t.Errorf("%s = %d", p, rec.Code)
		}
	}
	// A rejected draft cannot be edited.
	if rec := f.tplDo(req{method: http.MethodPost, path: "/approvals/3/edit", session: true, body: "text=hello"}); rec.Code != 409 || !strings.Contains(rec.Body.String(), "already rejected") {
		t.Fatalf("edit a rejected draft = %d", rec.Code)
	}
	// Without a session the forms go to the sign-in page.
	if rec := f.tplDo(req{method: http.MethodPost, path: "/approvals/1/approve"}); rec.Code == http.StatusSeeOther && rec.Header().Get("Location") != "/login" {
		t.Fatalf("anonymous approve = %d %s", rec.Code, rec.Header().Get("Location"))
	} else if rec.Code < 300 {
		t.Fatalf("anonymous approve = %d", rec.Code)
	}
}

func TestApprovalsAPI(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	read, ctl := f.tplKeys()
	if rec := f.tplDo(req{path: "/api/v1/approvals"}); rec.Code != 401 {
		t.Fatalf("no key = %d", rec.Code)
	}
	rec := f.tplDo(req{path: "/api/v1/approvals", header: read})
	if rec.Code != 200 || rec.Body.String() != `{"approvals":[],"pending":0}`+"\n" {
		t.Fatalf("empty = %d %q", rec.Code, rec.Body)
	}
	f.approvalQueue()
	rec = f.tplDo(req{path: "/api/v1/approvals?campaign=1&limit=2", header: read})
	var q struct {
		Pending   int                      `json:"pending"`
		Approvals []campaigns.ApprovalItem `json:"approvals"`
	}
	json.Unmarshal(rec.Body.Bytes(), &q)
	if rec.Code != 200 || q.Pending != 3 || len(q.Approvals) != 2 || q.Approvals[0].LeadName != "Ann Lee" || q.Approvals[0].CampaignName != "Q1 outreach" ||
		q.Approvals[0].Limit != 8000 || q.Approvals[0].Status != model.ApprovalPending || !strings.Contains(q.Approvals[1].Problem, "no company") {
		t.Fatalf("queue = %d %s", rec.Code, rec.Body)
	}
	for _, bad := range []struct{ path, want string }{
		{"/api/v1/approvals?limit=0", "limit must be a number from 1 to 500"},
		{"/api/v1/approvals?limit=501", "limit must be"},
		{"/api/v1/approvals?campaign=x", "campaign must be a campaign number"},
	} {
		if rec := f.tplDo(req{path: bad.path, header: read}); rec.Code != 400 || !strings.Contains(rec.Body.String(), bad.want) {
			t.Errorf("%s = %d %s", bad.path, rec.Code, rec.Body)
		}
	}

	if rec := f.tplDo(req{method: http.MethodPost, path: "/api/v1/approvals/2/edit", body: `{"text":"Hi Bo"}`, header: read}); rec.Code != 403 {
		t.Fatalf("edit with a read key = %d", rec.Code)
	}
	for _, bad := range []struct {
		path, body, want string
		code             int
	}{
		{"/api/v1/approvals/2/edit", `{"text":"  "}`, "empty", 400},
		{"/api/v1/approvals/2/edit", `{"text":"` + strings.Repeat("a", 8001) + `"}`, "shorten it by 1", 400},
		{"/api/v1/approvals/2/edit", `{"txt":"Hi"}`, "does not know", 400},
		{"/api/v1/approvals/2/edit", ``, "body", 400},
		{"/api/v1/approvals/2/approve", ``, "edit the text first", 400},
		{"/api/v1/approvals/9/approve", ``, "", 404},
		{"/api/v1/approvals/x/reject", ``, "no draft", 404},
		{"/api/v1/approvals/approve-all", `{"campaign":"one"}`, "campaign", 400},
	} {
		rec := f.tplDo(req{method: http.MethodPost, path: bad.path, body: bad.body, header: ctl})
		if rec.Code != bad.code || !strings.Contains(rec.Body.String(), bad.want) {
			t.Errorf("%s %.30s = %d %s", bad.path, bad.body, rec.Code, rec.Body)
		}
	}
	rec = f.tplDo(req{method: http.MethodPost, path: "/api/v1/approvals/2/edit", body: `{"text":"Thanks for connecting, Bo!"}`, header: ctl})
	var a model.Approval
	json.Unmarshal(rec.Body.Bytes(), &a)
	if rec.Code != 200 || !a.Edited || a.Text != "Thanks for connecting, Bo!" {
		t.Fatalf("edit = %d %s", rec.Code, rec.Body)
	}
	rec = f.tplDo(req{method: http.MethodPost, path: "/api/v1/approvals/2/approve", header: ctl})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"status":"approved"`) {
		t.Fatalf("approve = %d %s", rec.Code, rec.Body)
	}
	if rec := f.tplDo(req{method: http.MethodPost, path: "/api/v1/approvals/2/approve", header: ctl}); rec.Code != 409 {
		t.Fatalf("approve twice = %d", rec.Code)
	}
	rec = f.tplDo(req{method: http.MethodPost, path: "/api/v1/approvals/3/reject", header: ctl})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"status":"rejected"`) || !strings.Contains(rec.Body.String(), "draft rejected by") {
		t.Fatalf("reject without a body = %d %s", rec.Code, rec.Body)
	}
	rec = f.tplDo(req{method: http.MethodPost, path: "/api/v1/approvals/approve-all", body: `{"campaign":1}`, header: ctl})
	if rec.Code != 200 || rec.Body.String() != `{"approved":1,"left":0}`+"\n" {
		t.Fatalf("approve all = %d %s", rec.Code, rec.Body)
	}
	if rec := f.tplDo(req{method: http.MethodPost, path: "/api/v1/approvals/approve-all", header: ctl}); rec.Code != 200 || !strings.Contains(rec.Body.String(), `"approved":0`) {
		t.Fatalf("approve all without a body = %d %s", rec.Code, rec.Body)
	}
	if rec := f.tplDo(req{path: "/api/v1/approvals", header: read}); !strings.Contains(rec.Body.String(), `"pending":0`) {
		t.Fatalf("after = %s", rec.Body)
	}
	if !strings.Contains(f.auditActions(), "approval_approved_all") || !strings.Contains(f.auditActions(), "approval_rejected") {
		t.Fatal("not audited")
	}

	// A template a campaign uses cannot change kind.
	rec = f.tplDo(req{method: http.MethodPut, path: "/api/v1/templates/1", body: `{"name":"Thanks","kind":"note","body":"Hi {{first_name}}"}`, header: ctl})
	if rec.Code != 409 || !strings.Contains(rec.Body.String(), "Q1 outreach") {
		t.Fatalf("kind change in use = %d %s", rec.Code, rec.Body)
	}
}
