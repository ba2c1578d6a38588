package linkedin

import (
	"context"
	"strings"
	"testing"
	"time"

	"parley/app/campaigns"
	"parley/app/clocktest"
	"parley/app/model"
	"parley/app/runtime"
	"parley/automation/sitetest"
	"parley/storage"
	"parley/storage/storagetest"
)

// TestCampaignEndToEnd: a real campaign through the real runtime and this
// driver, on the LinkedIn-like site in Chromium: enrol → invite with a
// note → accepted → message → the reply stops the sequence. The site
// receives each send exactly once.
func TestCampaignEndToEnd(t *testing.T) {
	w := newWorld(t, sitetest.Options{})
	// The runtime's clock is a fake that starts days before the site's
	// real one, so its cursors stay behind what the site stamps.
	clock := clocktest.New(time.Now().UTC().Add(-10 * 24 * time.Hour).Truncate(time.Minute))
	store := storagetest.Open(t, clock)
	rt := runtime.New(runtime.Options{Store: store, Site: w.driver, Clock: clock, Seed: 1})
	acct, lead := buildCampaign(t, store)
	state := func() model.LeadState {
		var l model.Lead
		store.View(func(tx *storage.Tx) (err error) { l, err = tx.Lead(lead.ID); return err })
		return l.State
	}
	// until runs rounds, the fake clock moving on, until the lead reaches a
	// state (or fails the test).
	until := func(want model.LeadState, step time.Duration, rounds int) {
		t.Helper()
		for range rounds {
			if err := rt.Round(context.Background()); err != nil {
				t.Fatalf("round: %v", err)
			}
			if state() == want {
				return
			}
			clock.Advance(step)
		}
		st, _ := rt.AccountStatus(acct.ID)
		t.Fatalf("the lead is %s, not %s; the account says: %s", state(), want, st.Text)
	}

	until(model.LeadInvited, 5*time.Minute, 20)
	if inv := w.site.Invites(); len(inv) != 1 || inv[0].Note != "Hi Ada, glad to connect." {
		t.Fatalf("the site received %+v", inv)
	}
	if err := w.site.Accept("anna@example.com", "ada-lovelace"); err != nil {
		t.Fatal(err)
	}
	until(model.LeadMessaged, 2*time.Hour, 40)
	if msgs := w.site.Messages(); len(msgs) != 1 || msgs[0].Text != "Thanks Ada! How is Analytical Engines?" {
		t.Fatalf("the site received %+v", msgs)
	}
	if err := w.site.Reply("anna@example.com", "ada-lovelace", "Very well, thank you!"); err != nil {
		t.Fatal(err)
	}
	until(model.LeadReplied, 30*time.Minute, 40)
	// Nothing was sent twice along the way.
	if len(w.site.Invites()) != 1 || len(w.site.Messages()) != 1 {
		t.Fatalf("sends: %d invites, %d messages; want 1 and 1", len(w.site.Invites()), len(w.site.Messages()))
	}
	// Each send's job keeps the driver's action log: the steps it took on
	// the page, ending with the check that it happened.
	for kind, verified := range map[string]string{model.JobInvite: "verified: the profile says Pending", model.JobMessage: "verified: the message is in the conversation"} {
		var jobs []model.Job
		store.View(func(tx *storage.Tx) (err error) {
			jobs, _, err = tx.RecentJobs(0, 10, func(j model.Job) bool { return j.Kind == kind })
			return err
		})
		if len(jobs) != 1 || len(jobs[0].Attempts) != 1 {
			t.Fatalf("%s jobs = %+v; want one, tried once", kind, jobs)
		}
		a := jobs[0].Attempts[0]
		if a.Failed || len(a.Steps) < 4 || a.Steps[len(a.Steps)-1].What != verified || a.TookMS <= 0 {
			t.Errorf("%s log = %+v; want steps ending with %q", kind, a, verified)
		}
	}
}

// buildCampaign makes Anna's account, the templates, Ada as a lead and an
// active campaign (invite with a note, wait, message) in store.
func buildCampaign(t *testing.T, store *storage.Store) (model.Account, model.Lead) {
	t.Helper()
	svc := campaigns.New(store)
	who := model.Origin{Actor: "alice", AuthMethod: "session", PeerIP: "127.0.0.1"}
	var acct model.Account
	if err := store.Update(func(tx *storage.Tx) (err error) {
		acct, err = tx.CreateAccount(model.Account{Name: "Anna", TimeZone: "UTC", WorkStart: "00:00", WorkEnd: "23:59",
			WorkDays: []time.Weekday{0, 1, 2, 3, 4, 5, 6}, Type: model.AccountPremium, Limits: model.DefaultLimits(), CreatedAt: tx.Now()})
		return err
	}); err != nil || acct.ID != anna.AccountID {
		t.Fatalf("account %d: %v", acct.ID, err)
	}
	note, err := svc.CreateTemplate(campaigns.TemplateInput{Name: "note", Kind: model.TextNote, Body: "Hi {{first_name}}, glad to connect."}, who)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := svc.CreateTemplate(campaigns.TemplateInput{Name: "msg", Kind: model.TextMessage, Body: "Thanks {{first_name}}! How is {{company}}?"}, who)
	if err != nil {
		t.Fatal(err)
	}
	lead, err := svc.CreateLead(campaigns.LeadInput{ProfileURL: "https://www.linkedin.com/in/ada-lovelace/", FirstName: "Ada", LastName: "Lovelace",
		Company: "Analytical Engines", List: "fair"}, who)
	if err != nil {
		t.Fatal(err)
	}
	var listID uint64
	store.View(func(tx *storage.Tx) error { l, _, err := tx.ListByName("fair"); listID = l.ID; return err })
	c, err := svc.CreateCampaign(campaigns.CampaignInput{Name: "fair", AccountIDs: []uint64{acct.ID},
		Source: model.LeadSource{Kind: model.SourceList, ListID: listID}, Steps: []model.Step{
			{Kind: model.StepInvite, Variants: []model.Variant{{TemplateID: note.ID}}},
			{Kind: model.StepWaitAccept, WaitDays: 14, OnTimeout: model.TimeoutWithdraw},
			{Kind: model.StepMessage, Variants: []model.Variant{{TemplateID: msg.ID}}},
		}}, who)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.SetCampaignState(c.ID, model.CampaignActive, who); err != nil {
		t.Fatal(err)
	}

	return acct, lead
}

// TestRedesignStopsOnlyTheBrokenAction: through the real runtime, a
// redesigned messaging page stops inbox checks on that account (SEV-3
// incident naming the element) while its invites go on.
func TestRedesignStopsOnlyTheBrokenAction(t *testing.T) {
	w := newWorld(t, sitetest.Options{})
	w.site.SetLayout("anna@example.com", sitetest.LayoutRedesign)
	clock := clocktest.New(time.Now().UTC().Add(-10 * 24 * time.Hour).Truncate(time.Minute))
	store := storagetest.Open(t, clock)
	rt := runtime.New(runtime.Options{Store: store, Site: w.driver, Clock: clock, Seed: 1})
	_, lead := buildCampaign(t, store)
	invited, stopped := false, false
	for range 40 {
		if err := rt.Round(context.Background()); err != nil {
			t.Fatal(err)
		}
		store.View(func(tx *storage.Tx) error {
			l, err := tx.Lead(lead.ID)
			invited = l.State == model.LeadInvited
			_, stopped, _ = tx.Degraded(anna.AccountID, model.JobCheckInbox)
			return err
		})
		if invited && stopped {
			break
		}
		clock.Advance(5 * time.Minute)
	}
	if !invited || len(w.site.Invites()) != 1 {
		t.Fatalf("the invite did not go out beside the broken inbox (invited %v, %d invites)", invited, len(w.site.Invites()))
	}
	store.View(func(tx *storage.Tx) error {
		d, ok, err := tx.Degraded(anna.AccountID, model.JobCheckInbox)
		if err != nil || !ok || !strings.Contains(d.What, "inbox.page") {
			t.Errorf("inbox checks degraded = %+v %v %v; want stopped, naming inbox.page", d, ok, err)
		}
		if _, ok, _ := tx.Degraded(anna.AccountID, model.JobInvite); ok {
			t.Error("invites were stopped too")
		}
		open, err := tx.OpenIncidents()
		if err != nil || len(open) != 1 || open[0].Severity != model.Sev3 {
			t.Errorf("incidents = %+v; want one SEV-3", open)
		}
		return err
	})
}
