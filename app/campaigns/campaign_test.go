package campaigns

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"parley/app/campaigns/sequence"
	"parley/app/model"
	"parley/storage"
)

// world is a campaign fixture: two sender accounts, a list of leads, a
// note template and a message template.
type world struct {
	s        *Service
	store    *storage.Store
	advance  func(time.Duration)
	accounts []model.Account
	list     model.List
	leads    []model.Lead
	note     model.Template
	msg      model.Template
}

func newWorld(t *testing.T, leads int) *world {
	t.Helper()
	s, store, clock := fixture(t)
	w := &world{s: s, store: store, advance: clock.Advance}
	err := store.Update(func(tx *storage.Tx) error {
		var err error
		for _, name := range []string{"Rome desk", "Tokyo desk"} {
			a, err := tx.CreateAccount(model.Account{Name: name, TimeZone: "Europe/Rome", WorkDays: []time.Weekday{1, 2, 3, 4, 5},
				WorkStart: "09:00", WorkEnd: "17:00", Type: model.AccountPremium, Limits: model.DefaultLimits(), CreatedAt: tx.Now()})
			if err != nil {
				return err
			}
			w.accounts = append(w.accounts, a)
		}
		w.list, err = tx.CreateList("Q1")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range leads {
		l, err := s.CreateLead(LeadInput{ProfileURL: fmt.Sprintf("linkedin.com/in/lead-%d", i), FirstName: fmt.Sprintf("Ann%d", i),
			LastName: "Lee", Company: fmt.Sprintf("Co %d", i%3), Title: "Head of Sales", Email: fmt.Sprintf("ann%d@co%d.example", i, i%3),
			Custom: map[string]string{"industry": "retail"}, List: "Q1"}, who)
		if err != nil {
			t.Fatal(err)
		}
		w.leads = append(w.leads, l)
	}
	if w.note, err = s.CreateTemplate(TemplateInput{Name: "Hello note", Kind: model.TextNote, Body: "Hi {{first_name}}, saw {{company|your team}} is growing."}, who); err != nil {
		t.Fatal(err)
	}
	if w.msg, err = s.CreateTemplate(TemplateInput{Name: "Thanks", Kind: model.TextMessage, Body: "Thanks for connecting, {{first_name}}! How are things at {{company}}?"}, who); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) twoStep(approval bool) CampaignInput {
	return CampaignInput{Name: "Q1 outreach", AccountIDs: []uint64{w.accounts[0].ID}, Source: model.LeadSource{Kind: model.SourceList, ListID: w.list.ID},
		Steps: []model.Step{
			{Kind: model.StepInvite, Variants: []model.Variant{{TemplateID: w.note.ID}}},
			{Kind: model.StepWaitAccept, WaitDays: 14, OnTimeout: model.TimeoutWithdraw},
			{Kind: model.StepMessage, DelayDays: 2, Variants: []model.Variant{{TemplateID: w.msg.ID}}, Approval: approval},
			{Kind: model.StepFollowUp, DelayDays: 4, Variants: []model.Variant{{TemplateID: w.msg.ID}}},
		}}
}

func (w *world) lead(t *testing.T, id uint64) model.Lead {
	t.Helper()
	d, err := w.s.Lead(id)
	if err != nil {
		t.Fatal(err)
	}
	return d.Lead
}

func TestCampaignLimitsNeverExceedTheAccounts(t *testing.T) {
	w := newWorld(t, 1)
	in := w.twoStep(false)
	a, err := w.s.CreateCampaign(in, who)
	if err != nil {
		t.Fatal(err)
	}
	// Limits left empty take the whole free share of the account, for the
	// actions the steps take (no visit step: no visits).
	if a.Limits.InvitesPerDay != 15 || a.Limits.MessagesPerDay != 20 || a.Limits.VisitsPerDay != 0 {
		t.Fatalf("limits = %+v", a.Limits)
	}
	// A draft reserves nothing: a second draft gets the same free share.
	in.Name = "Second"
	second, err := w.s.CreateCampaign(in, who)
	if err != nil || second.Limits.InvitesPerDay != 15 {
		t.Fatalf("second draft = %+v, %v", second.Limits, err)
	}
	// Once the first runs, the second cannot be activated with its share,
	// nor can a new campaign take more than what is left.
	if _, _, err := w.s.SetCampaignState(a.ID, model.CampaignActive, who); err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.s.SetCampaignState(second.ID, model.CampaignActive, who); err == nil || !strings.Contains(err.Error(), "other campaigns already use 15") {
		t.Fatalf("second activation = %v", err)
	}
	in.Name = "Third"
	in.Limits = model.CampaignLimits{InvitesPerDay: 1}
	if _, err := w.s.CreateCampaign(in, who); err == nil || !strings.Contains(err.Error(), "other campaigns already use 15") {
		t.Fatalf("over-allocation = %v", err)
	}
	in.Limits = model.CampaignLimits{InvitesPerDay: 16}
	in.AccountIDs = []uint64{w.accounts[1].ID}
	if _, err := w.s.CreateCampaign(in, who); err == nil || !strings.Contains(err.Error(), "more than sender account") {
		t.Fatalf("above account = %v", err)
	}
	// Lower the first campaign (paused to change it; a paused campaign
	// keeps its share); the second then fits in what is left.
	if _, _, err := w.s.SetCampaignState(a.ID, model.CampaignPaused, who); err != nil {
		t.Fatal(err)
	}
	first := w.twoStep(false)
	first.Limits = model.CampaignLimits{InvitesPerDay: 10, MessagesPerDay: 10}
	if _, err := w.s.UpdateCampaign(a.ID, first, who); err != nil {
		t.Fatal(err)
	}
	in.Name, in.AccountIDs, in.Limits = "Second", []uint64{w.accounts[0].ID}, model.CampaignLimits{InvitesPerDay: 5, MessagesPerDay: 10}
	if _, err := w.s.UpdateCampaign(second.ID, in, who); err != nil {
		t.Fatalf("fits: %v", err)
	}
	if _, _, err := w.s.SetCampaignState(second.ID, model.CampaignActive, who); err != nil {
		t.Fatalf("activate second: %v", err)
	}
	// Archiving a campaign frees its share.
	if _, _, err := w.s.SetCampaignState(a.ID, model.CampaignArchived, who); err != nil {
		t.Fatal(err)
	}
	in.Name, in.Limits = "Fourth", model.CampaignLimits{InvitesPerDay: 10}
	if _, err := w.s.CreateCampaign(in, who); err != nil {
		t.Fatalf("after archive: %v", err)
	}
}

func TestCampaignValidation(t *testing.T) {
	w := newWorld(t, 0)
	base := w.twoStep(false)
	cases := []struct {
		edit func(*CampaignInput)
		want string
	}{
		{func(in *CampaignInput) { in.Name = " " }, "1 to 80"},
		{func(in *CampaignInput) { in.Source = model.LeadSource{} }, "where the campaign's leads come from"},
		{func(in *CampaignInput) { in.Source = model.LeadSource{Kind: model.SourceList, ListID: 99} }, "list 99 does not exist"},
		{func(in *CampaignInput) { in.Source = model.LeadSource{Kind: model.SourceFilter, Filter: "state=bogus"} }, "not a lead state"},
		{func(in *CampaignInput) { in.Source = model.LeadSource{Kind: model.SourceFilter, Filter: "cursor=x"} }, "selects every lead"},
		{func(in *CampaignInput) { in.AccountIDs = []uint64{42} }, "account 42 does not exist"},
		{func(in *CampaignInput) { in.Steps[0].Variants[0].TemplateID = w.msg.ID }, "needs a note template"},
		{func(in *CampaignInput) { in.Steps[2].Variants[0].TemplateID = 77 }, "template 77 does not exist"},
		{func(in *CampaignInput) { in.Steps = in.Steps[1:] }, "step 1"},
	}
	for i, c := range cases {
		in := base
		in.Steps = append([]model.Step(nil), base.Steps...)
		for j := range in.Steps {
			in.Steps[j].Variants = append([]model.Variant(nil), base.Steps[j].Variants...)
		}
		c.edit(&in)
		if _, err := w.s.CreateCampaign(in, who); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("case %d: err = %v, want %q", i, err, c.want)
		}
	}
	// A draft without accounts is fine; activating it is not.
	in := base
	in.AccountIDs = nil
	c, err := w.s.CreateCampaign(in, who)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.s.SetCampaignState(c.ID, model.CampaignActive, who); err == nil || !strings.Contains(err.Error(), "no sender account") {
		t.Fatalf("activate without account = %v", err)
	}
	if _, _, err := w.s.SetCampaignState(c.ID, model.CampaignPaused, who); err == nil || !strings.Contains(err.Error(), "cannot become paused") {
		t.Fatalf("draft -> paused = %v", err)
	}
}

// TestSequenceProgression runs a lead through the two-step campaign with a
// fake clock: invite, accepted after 3 days, message D days later,
// follow-up, done; and a second lead whose reply stops the sequence.
func TestSequenceProgression(t *testing.T) {
	w := newWorld(t, 2)
	c, err := w.s.CreateCampaign(w.twoStep(false), who)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.s.SetCampaignState(c.ID, model.CampaignActive, who); err != nil {
		t.Fatal(err)
	}
	a, b := w.leads[0].ID, w.leads[1].ID
	for _, id := range []uint64{a, b} {
		if l := w.lead(t, id); l.State != model.LeadQueued || l.CampaignID != c.ID || l.AccountID != w.accounts[0].ID {
			t.Fatalf("enrolled lead = %+v", l)
		}
	}
	send := func(id uint64) Send {
		t.Helper()
		sd, err := w.s.PrepareSend(c.ID, id, who)
		if err != nil {
			t.Fatalf("prepare %d: %v", id, err)
		}
		return sd
	}
	record := func(id uint64, sd Send, kind string) {
		t.Helper()
		if _, err := w.s.RecordOutcome(c.ID, id, sequence.Outcome{Kind: kind, Step: sd.Action.Step, Variant: sd.Variant, WithNote: sd.Text != ""}, who); err != nil {
			t.Fatalf("record %s for %d: %v", kind, id, err)
		}
	}
	// Invites: both leads, with the rendered note.
	for _, id := range []uint64{a, b} {
		sd := send(id)
		if sd.Action.Kind != sequence.ActInvite || !strings.HasPrefix(sd.Text, "Hi Ann") || sd.Variant != "A" {
			t.Fatalf("invite = %+v", sd)
		}
		record(id, sd, sequence.Invited)
	}
	if l := w.lead(t, a); l.State != model.LeadInvited {
		t.Fatalf("after invite: %s", l.State)
	}
	// Accepted after 3 days.
	w.advance(72 * time.Hour)
	for _, id := range []uint64{a, b} {
		if _, err := w.s.RecordOutcome(c.ID, id, sequence.Outcome{Kind: sequence.Accepted}, who); err != nil {
			t.Fatal(err)
		}
	}
	if l := w.lead(t, a); l.State != model.LeadConnected {
		t.Fatalf("after acceptance: %s", l.State)
	}
	// The message waits 2 days after acceptance.
	w.advance(47 * time.Hour)
	if sd := send(a); sd.Ready() || sd.Action.Kind != sequence.ActWait {
		t.Fatalf("before the delay: %+v", sd)
	}
	w.advance(time.Hour)
	sd := send(a)
	if sd.Action.Kind != sequence.ActMessage || sd.Text != "Thanks for connecting, Ann0! How are things at Co 0?" {
		t.Fatalf("message = %+v", sd)
	}
	record(a, sd, sequence.Messaged)
	record(b, send(b), sequence.Messaged)
	// Lead b replies: its sequence stops for good.
	if _, err := w.s.RecordOutcome(c.ID, b, sequence.Outcome{Kind: sequence.Replied}, who); err != nil {
		t.Fatal(err)
	}
	if l := w.lead(t, b); l.State != model.LeadReplied || !l.Replied {
		t.Fatalf("after reply: %+v", l)
	}
	// Follow-up after 4 more days, only for lead a.
	w.advance(4 * 24 * time.Hour)
	if _, err := w.s.PrepareSend(c.ID, b, who); err == nil || !strings.Contains(err.Error(), "replied") {
		t.Fatalf("replied lead prepared: %v", err)
	}
	sd = send(a)
	if sd.Action.Kind != sequence.ActMessage || sd.Action.StepKind != model.StepFollowUp {
		t.Fatalf("follow-up = %+v", sd)
	}
	record(a, sd, sequence.Messaged)
	e, _, err := enrolmentOf(w.store, c.ID, a)
	if err != nil || e.Status != model.EnrolDone || len(e.History) != 4 {
		t.Fatalf("done enrolment = %+v, %v", e, err)
	}
	ci, _ := w.s.Campaign(c.ID)
	if ci.Counts.ByStatus[model.EnrolDone] != 1 || ci.Counts.ByStatus[model.EnrolReplied] != 1 || ci.Counts.Outcomes["messaged"] != 3 {
		t.Fatalf("counts = %+v", ci.Counts)
	}
	// The lead's timeline shows the journey.
	d, _ := w.s.Lead(a)
	var types []string
	for _, ev := range d.Timeline {
		types = append(types, ev.Type)
	}
	for _, want := range []string{"campaign.enrolled", "lead.invited", "lead.connected", "lead.messaged"} {
		if !strings.Contains(strings.Join(types, " "), want) {
			t.Errorf("timeline %v lacks %s", types, want)
		}
	}
}

func enrolmentOf(store *storage.Store, campaignID, leadID uint64) (e model.Enrolment, ok bool, err error) {
	err = store.View(func(tx *storage.Tx) error {
		e, ok, err = tx.Enrolment(campaignID, leadID)
		return err
	})
	return e, ok, err
}

// TestApprovalGate: nothing in approval mode is sent until a human
// approves it; edits are checked; rejection takes the lead out.
func TestApprovalGate(t *testing.T) {
	w := newWorld(t, 3)
	in := w.twoStep(true)
	in.Steps = append([]model.Step{}, in.Steps[2])
	in.Steps[0].DelayDays = 0
	in.Name = "Connections"
	c, err := w.s.CreateCampaign(in, who)
	if err != nil {
		t.Fatal(err)
	}
	// The leads are already connections: they go straight to messaging.
	for _, l := range w.leads {
		if _, err := w.s.Transition(l.ID, model.LeadConnected, "met at a fair", who); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := w.s.SetCampaignState(c.ID, model.CampaignActive, who); err != nil {
		t.Fatal(err)
	}
	items, pending, err := w.s.Approvals(0, 10)
	if err != nil || pending != 3 || len(items) != 3 || items[0].Text != "Thanks for connecting, Ann0! How are things at Co 0?" || items[0].Problem != "" {
		t.Fatalf("queue = %+v (%d), %v", items, pending, err)
	}
	a, b, d := items[0], items[1], items[2]
	sd, err := w.s.PrepareSend(c.ID, a.LeadID, who)
	if err != nil || sd.Ready() || !sd.Action.NeedsApproval {
		t.Fatalf("unapproved send = %+v, %v", sd, err)
	}
	// Edits follow the same rules as templates.
	if _, err := w.s.EditApproval(a.ID, "  ", who); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("empty edit = %v", err)
	}
	if _, err := w.s.EditApproval(a.ID, "Hi {{first_name}}", who); err == nil || !strings.Contains(err.Error(), "variable") {
		t.Fatalf("variable edit = %v", err)
	}
	if _, err := w.s.EditApproval(a.ID, "Thanks Ann, great to be connected.", who); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Approve(a.ID, who); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Approve(a.ID, who); err == nil || !strings.Contains(err.Error(), "already approved") {
		t.Fatalf("double approve = %v", err)
	}
	sd, err = w.s.PrepareSend(c.ID, a.LeadID, who)
	if err != nil || !sd.Ready() || sd.Text != "Thanks Ann, great to be connected." || sd.ApprovalID != a.ID {
		t.Fatalf("approved send = %+v, %v", sd, err)
	}
	// Reject one, approve the rest in one go.
	if _, err := w.s.RejectApproval(b.ID, "not the right person", who); err != nil {
		t.Fatal(err)
	}
	if l := w.lead(t, b.LeadID); l.State != model.LeadSkipped {
		t.Fatalf("rejected lead = %s", l.State)
	}
	if _, err := w.s.PrepareSend(c.ID, b.LeadID, who); err == nil {
		t.Fatal("rejected lead prepared a send")
	}
	n, left, err := w.s.ApproveAll(c.ID, who)
	if err != nil || n != 1 || left != 0 {
		t.Fatalf("approve all = %d, %d, %v", n, left, err)
	}
	if sd, err := w.s.PrepareSend(c.ID, d.LeadID, who); err != nil || !sd.Ready() {
		t.Fatalf("approved-all send = %+v, %v", sd, err)
	}
	if _, pending, _ := w.s.Approvals(0, 10); pending != 0 {
		t.Fatalf("queue left %d", pending)
	}
}

// TestDraftWithMissingValueNeedsAnEdit: a lead without a value for a
// variable gets a draft that cannot be approved until edited.
func TestDraftWithMissingValueNeedsAnEdit(t *testing.T) {
	w := newWorld(t, 0)
	l, err := w.s.CreateLead(LeadInput{ProfileURL: "linkedin.com/in/no-company", FirstName: "Bo", List: "Q1"}, who)
	if err != nil {
		t.Fatal(err)
	}
	lists, _ := w.s.Lists()
	in := w.twoStep(true)
	in.Source.ListID = lists[0].ID
	in.Steps = []model.Step{in.Steps[2]}
	c, err := w.s.CreateCampaign(in, who)
	if err != nil {
		t.Fatal(err)
	}
	w.s.Transition(l.ID, model.LeadConnected, "", who)
	if _, _, err := w.s.SetCampaignState(c.ID, model.CampaignActive, who); err != nil {
		t.Fatal(err)
	}
	items, _, _ := w.s.Approvals(c.ID, 10)
	if len(items) != 1 || !strings.Contains(items[0].Problem, "company") {
		t.Fatalf("draft = %+v", items)
	}
	if _, err := w.s.Approve(items[0].ID, who); err == nil || !strings.Contains(err.Error(), "edit the text") {
		t.Fatalf("approve with problem = %v", err)
	}
	if n, left, _ := w.s.ApproveAll(0, who); n != 0 || left != 1 {
		t.Fatalf("approve all = %d, %d", n, left)
	}
	if _, err := w.s.EditApproval(items[0].ID, "Thanks for connecting, Bo!", who); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.Approve(items[0].ID, who); err != nil {
		t.Fatal(err)
	}
}

// TestDoNotContactAtEnrolmentAndBeforeSend: a rule blacklists matching
// leads (showing the rule), blocks enrolment, and a rule added after
// enrolment still stops the send.
func TestDoNotContactAtEnrolmentAndBeforeSend(t *testing.T) {
	w := newWorld(t, 6)
	_, res, err := w.s.AddDNC(model.DNCCompany, "co 0, inc.", "customer", who)
	if err != nil || res.Blacklisted != 2 {
		t.Fatalf("add company rule = %+v, %v", res, err)
	}
	if l := w.lead(t, w.leads[0].ID); l.State != model.LeadBlacklisted || !strings.Contains(l.BlockedBy, "co 0") {
		t.Fatalf("blacklisted = %+v", l)
	}
	if _, _, err := w.s.AddDNC(model.DNCCompany, "Co 0", "", who); err == nil || !strings.Contains(err.Error(), "already has") {
		t.Fatalf("duplicate rule = %v", err)
	}
	c, err := w.s.CreateCampaign(w.twoStep(false), who)
	if err != nil {
		t.Fatal(err)
	}
	if _, r, err := w.s.SetCampaignState(c.ID, model.CampaignActive, who); err != nil || r == nil || r.Enrolled != 4 {
		t.Fatalf("activate = %+v, %v", r, err)
	}
	ci, _ := w.s.Campaign(c.ID)
	if got := ci.Counts.Enrolled(); got != 4 {
		t.Fatalf("enrolled %d, want 4 (2 blacklisted)", got)
	}
	// A domain rule added after enrolment stops the next send.
	target := w.leads[1]
	if _, _, err := w.s.AddDNC(model.DNCProfile, "https://www.linkedin.com/in/lead-4/", "", who); err != nil {
		t.Fatal(err)
	}
	// Lead 4 was enrolled; the profile rule blacklisted it and ended its sequence at once.
	if e, _, _ := enrolmentOf(w.store, c.ID, w.leads[4].ID); e.Status != model.EnrolExited {
		t.Fatalf("enrolment after rule = %+v", e)
	}
	// A rule that exists when the send is prepared but was not applied to
	// this lead yet (written straight to storage, as an import in another
	// process would) is caught by the check right before sending.
	w.store.Update(func(tx *storage.Tx) error {
		_, err := tx.CreateDNC(model.DNCEntry{Kind: model.DNCDomain, Value: "co1.example", CreatedAt: tx.Now()})
		return err
	})
	if _, err := w.s.PrepareSend(c.ID, target.ID, who); err == nil || !strings.Contains(err.Error(), "do-not-contact") {
		t.Fatalf("send to blocked domain = %v", err)
	}
	if l := w.lead(t, target.ID); l.State != model.LeadBlacklisted || !strings.Contains(l.BlockedBy, "co1.example") {
		t.Fatalf("lead after send check = %+v", l)
	}
	// Export and re-import of the list.
	var buf bytes.Buffer
	if err := w.s.ExportDNC(&buf); err != nil {
		t.Fatal(err)
	}
	w2 := newWorld(t, 0)
	r, err := w2.s.ImportDNC(&buf, who)
	if err != nil || r.Added != 3 || len(r.Rejects) != 0 {
		t.Fatalf("re-import = %+v, %v", r, err)
	}
}

// TestErasureTombstoneBlocksReimport: erasure removes personal data, keeps
// a tombstone, and a later import skips the person unless overridden.
func TestErasureTombstoneBlocksReimport(t *testing.T) {
	w := newWorld(t, 2)
	l := w.leads[0]
	if _, err := w.s.AddNote(l.ID, "Called Ann0 on her mobile", who); err != nil {
		t.Fatal(err)
	}
	p, err := w.s.PersonExport(l.ID, who)
	if err != nil || p.Lead.Email == "" || len(p.Notes) != 1 {
		t.Fatalf("person export = %+v, %v", p, err)
	}
	if err := w.s.Erase(l.ID, "asked by e-mail", who); err != nil {
		t.Fatal(err)
	}
	after := w.lead(t, l.ID)
	raw, _ := json.Marshal(after)
	for _, pii := range []string{"Ann0", "lead-0", "ann0@", "retail", "Co 0"} {
		if strings.Contains(string(raw), pii) {
			t.Errorf("erased lead still holds %q: %s", pii, raw)
		}
	}
	d, _ := w.s.Lead(l.ID)
	if after.State != model.LeadErased || len(d.Notes) != 0 {
		t.Fatalf("erased = %+v, notes %d", after, len(d.Notes))
	}
	if err := w.s.Erase(l.ID, "", who); err == nil {
		t.Fatal("erased twice")
	}
	if _, err := w.s.AddNote(l.ID, "Ann0 called back", who); err == nil || !strings.Contains(err.Error(), "was erased") {
		t.Fatalf("note on erased lead = %v", err)
	}
	if _, err := w.s.ApplyBulk(Bulk{IDs: []uint64{l.ID}, Action: "tag", Tag: "vip"}, who); err == nil || !strings.Contains(err.Error(), "was erased") {
		t.Fatalf("tag on erased lead = %v", err)
	}
	csvFile := "LinkedIn URL,First Name\nhttps://www.linkedin.com/in/lead-0/,Ann\nhttps://www.linkedin.com/in/new-one/,Neo\n"
	run, err := w.s.Import(t.Context(), strings.NewReader(csvFile), ImportOptions{List: "again"}, who)
	if err != nil || run.Imported != 1 || run.Skipped != 1 {
		t.Fatalf("re-import = %+v, %v", run, err)
	}
	run, err = w.s.Import(t.Context(), strings.NewReader(csvFile), ImportOptions{List: "again", AllowErased: true, Duplicates: DuplicatesMerge}, who)
	if err != nil || run.Imported != 1 {
		t.Fatalf("override = %+v, %v", run, err)
	}
	// Every step is in the audit trail, with no personal data in it.
	w.store.View(func(tx *storage.Tx) error {
		recs, _, err := tx.SearchAudit(storage.AuditFilter{}, 0, 100, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, r := range recs {
			actions = append(actions, r.Action)
			if b, _ := json.Marshal(r); strings.Contains(string(b), "Ann0") {
				t.Errorf("audit holds a name: %s", b)
			}
		}
		for _, want := range []string{"person_exported", "person_erased"} {
			if !strings.Contains(strings.Join(actions, " "), want) {
				t.Errorf("audit %v lacks %s", actions, want)
			}
		}
		return nil
	})
}

func TestRetentionPurgesInactiveLeads(t *testing.T) {
	w := newWorld(t, 3)
	if n, err := w.s.PurgeInactive(who); err != nil || n != 0 {
		t.Fatalf("retention off purged %d, %v", n, err)
	}
	st := DefaultSettings()
	st.RetentionDays = 10
	if err := w.s.SaveSettings(st, who); err == nil || !strings.Contains(err.Error(), "30 or more") {
		t.Fatalf("short retention = %v", err)
	}
	st.RetentionDays = 30
	if err := w.s.SaveSettings(st, who); err != nil {
		t.Fatal(err)
	}
	w.advance(20 * 24 * time.Hour)
	if _, err := w.s.AddNote(w.leads[2].ID, "still talking", who); err != nil {
		t.Fatal(err)
	}
	var jobID uint64
	w.store.Update(func(tx *storage.Tx) error {
		j, err := tx.CreateJob(model.Job{AccountID: w.accounts[0].ID, Kind: model.JobVisit, LeadID: w.leads[0].ID, State: model.JobQueued,
			Due: tx.Now(), Result: "visited " + w.leads[0].Name(), CreatedAt: tx.Now()})
		jobID = j.ID
		return err
	})
	w.advance(11 * 24 * time.Hour)
	n, err := w.s.PurgeInactive(who)
	if err != nil || n != 2 {
		t.Fatalf("purged %d, %v", n, err)
	}
	w.store.View(func(tx *storage.Tx) error {
		if j, err := tx.Job(jobID); err != nil || j.Result != storage.ErasedText {
			t.Errorf("a purged lead's job still says %q (%v)", j.Result, err)
		}
		return nil
	})
	if l := w.lead(t, w.leads[0].ID); l.State != model.LeadErased || l.Email != "" {
		t.Fatalf("purged lead = %+v", l)
	}
	if l := w.lead(t, w.leads[2].ID); l.State == model.LeadErased {
		t.Fatal("active lead purged")
	}
	// Retention keeps no tombstone: the person may be imported again.
	if _, err := w.s.CreateLead(LeadInput{ProfileURL: "linkedin.com/in/lead-0"}, who); err != nil {
		t.Fatalf("re-add after retention: %v", err)
	}
}

func TestExportLeadsNeutralisesFormulas(t *testing.T) {
	w := newWorld(t, 2)
	if _, err := w.s.CreateLead(LeadInput{ProfileURL: "linkedin.com/in/tricky", FirstName: "Tom", Company: "+ACME", Custom: map[string]string{"phone": "+44 20 7946 0000"}}, who); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := w.s.ExportLeads(&buf, Query{}, FormatCSV, "", who)
	if err != nil || n != 3 {
		t.Fatalf("export = %d, %v", n, err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := strings.Join(rows[0], ",")
	if !strings.HasPrefix(head, "id,profile_url,first_name") || !strings.Contains(head, "custom:industry") || !strings.Contains(head, "custom:phone") {
		t.Fatalf("header = %s", head)
	}
	if rows[1][5] != "'+ACME" {
		t.Fatalf("company cell = %q", rows[1][5])
	}
	buf.Reset()
	n, err = w.s.ExportLeads(&buf, Query{Text: "ann"}, FormatJSON, "q=ann", who)
	var got []model.Lead
	if err != nil || n != 2 || json.Unmarshal(buf.Bytes(), &got) != nil || len(got) != 2 || got[0].State != model.LeadNew {
		t.Fatalf("json export = %d, %v, %s", n, err, buf.String())
	}
	buf.Reset()
	if n, _ := w.s.ExportLeads(&buf, Query{Text: "nobody"}, FormatJSON, "", who); n != 0 || buf.String() != "[]\n" {
		t.Fatalf("empty json = %q", buf.String())
	}
}

func TestForecastOfACampaign(t *testing.T) {
	w := newWorld(t, 40)
	c, err := w.s.CreateCampaign(w.twoStep(false), who)
	if err != nil {
		t.Fatal(err)
	}
	res, in, err := w.s.Forecast(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if in.NotEnrolled != 40 || len(res.Steps) != 4 || res.Finish.IsZero() || !strings.Contains(res.Summary, "finishes around") {
		t.Fatalf("forecast = %+v (input %+v)", res, in)
	}
}

func TestRetentionRunsOnItsOwn(t *testing.T) {
	s, _, clock := fixture(t)
	if _, err := s.CreateLead(LeadInput{ProfileURL: "linkedin.com/in/old-one", FirstName: "Old"}, who); err != nil {
		t.Fatal(err)
	}
	st := DefaultSettings()
	st.RetentionDays = 30
	if err := s.SaveSettings(st, who); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.ServeRetention(ctx, clock, slog.New(slog.DiscardHandler)) }()
	waitFor := func(n int) {
		for clock.Waiters() < n {
			time.Sleep(time.Millisecond)
		}
	}
	waitFor(1)
	clock.Advance(31 * 24 * time.Hour) // the first run is due a minute after start
	waitFor(1)                         // it ran and went back to sleep
	p, err := s.Search(Query{State: model.LeadErased})
	if err != nil || len(p.Rows) != 1 {
		t.Fatalf("erased rows = %+v, %v", p.Rows, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestNoteQuotaFallsBackToNoNote: a free account has 5 invite notes a
// month; after that its invites go without a note, and the quota comes
// back the next month (in the account's time zone).
func TestNoteQuotaFallsBackToNoNote(t *testing.T) {
	w := newWorld(t, 7)
	w.store.Update(func(tx *storage.Tx) error {
		a := w.accounts[0]
		a.Type = model.AccountFree
		return tx.PutAccount(a)
	})
	in := w.twoStep(false)
	c, err := w.s.CreateCampaign(in, who)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := w.s.SetCampaignState(c.ID, model.CampaignActive, who); err != nil {
		t.Fatal(err)
	}
	for i, l := range w.leads[:6] {
		sd, err := w.s.PrepareSend(c.ID, l.ID, who)
		if err != nil {
			t.Fatal(err)
		}
		if withNote := i < 5; (sd.Text != "") != withNote || (sd.NoNote != "") == withNote {
			t.Fatalf("invite %d: text %q, no-note %q", i+1, sd.Text, sd.NoNote)
		}
		if i == 5 && !strings.Contains(sd.NoNote, "used this month's 5 invite notes (a free account)") {
			t.Fatalf("no-note reason = %q", sd.NoNote)
		}
		if _, err := w.s.RecordOutcome(c.ID, l.ID, sequence.Outcome{Kind: sequence.Invited, Step: sd.Action.Step, Variant: sd.Variant, WithNote: sd.Text != ""}, who); err != nil {
			t.Fatal(err)
		}
	}
	// t0 is 3 Dec; the quota returns on 1 Jan in Rome.
	w.advance(29 * 24 * time.Hour) // 1 Jan 2027, 10:00 in Rome
	if sd, err := w.s.PrepareSend(c.ID, w.leads[6].ID, who); err != nil || sd.Text == "" {
		t.Fatalf("next month = %+v, %v", sd, err)
	}
}
