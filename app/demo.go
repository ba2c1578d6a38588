package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"parley/app/campaigns"
	"parley/app/config"
	"parley/app/model"
	"parley/app/runtime"
	"parley/automation/browser"
	"parley/automation/sitetest"
	"parley/storage"
)

// The demo: Parley against the built-in LinkedIn-like site, with a fresh
// data folder, a signed-in sender account, sample leads and a running
// campaign, so a newcomer watches it work end to end without a LinkedIn
// account. Nothing in it touches LinkedIn.

const (
	demoEmail = "demo.sender@example.com"
	demoLeads = 50
)

// demoPeople are the sample leads (first names, last names, companies).
var (
	demoFirst   = []string{"Ada", "Grace", "Alan", "Katherine", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Radia"}
	demoLast    = []string{"Lovelace", "Hopper", "Turing", "Johnson", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Perlman"}
	demoCompany = []string{"Analytical Engines", "Cobol Works", "Enigma Labs", "Orbit Math", "Kernel Co", "Apollo Systems", "Unix Tools", "CLU Partners", "Plan Nine", "Spanning Trees"}
)

// demoTuning makes the demo move within minutes: short pauses between
// actions and frequent acceptance and inbox checks.
var demoTuning = runtimeTuning{AcceptEvery: 20 * time.Second, InboxEvery: 20 * time.Second}

// prepareDemo starts the demo site, makes a fresh data folder with the
// demo world in it and returns the flags that point Parley at both.
func prepareDemo(ctx context.Context, env Env) (flags map[string]string, stop func(), err error) {
	dir, err := os.MkdirTemp("", "parley-demo-")
	if err != nil {
		return nil, nil, fmt.Errorf("the demo cannot make its data folder: %v", err)
	}
	site := sitetest.New(sitetest.Options{})
	base, stopSite, err := site.Start()
	if err != nil {
		return nil, nil, fmt.Errorf("the demo site cannot start: %v", err)
	}
	site.AddAccount(sitetest.Account{Email: demoEmail, Password: "not used: the demo account is signed in already", Name: "Demo Sender"})
	for i := range demoLeads {
		site.AddProfile(demoProfile(i))
	}
	cfg, _, err := config.Load(config.Source{Flags: map[string]string{"PARLEY_DATA_DIR": dir}, Environ: env.Environ, Executable: env.Executable})
	if err == nil {
		err = cfg.Paths.Ensure()
	}
	if err == nil {
		err = seedDemo(cfg, site, base)
	}
	if err != nil {
		stopSite()
		return nil, nil, err
	}
	dctx, cancel := context.WithCancel(ctx)
	go demoLinkedIn(dctx, site)
	fmt.Fprintf(env.Stdout, "Demo: a LinkedIn-like test site at %s, data in %s (delete it when done).\n", base, dir)
	return map[string]string{"PARLEY_DATA_DIR": dir, "LINKEDIN_BASE_URL": base}, func() { cancel(); stopSite() }, nil
}

func demoProfile(i int) sitetest.Profile {
	f, l, c := demoFirst[i%len(demoFirst)], demoLast[(i/len(demoFirst)+i)%len(demoLast)], demoCompany[i%len(demoCompany)]
	return sitetest.Profile{Slug: fmt.Sprintf("demo-%02d", i+1), FirstName: f, LastName: l, Company: c,
		Headline: "Engineer at " + c, Location: "Europe", Degree: 2 + i%2}
}

// seedDemo writes the demo world: the sender account (signed in to the
// demo site), templates, the sample leads and an active campaign.
func seedDemo(cfg config.Config, site *sitetest.Site, base string) error {
	store, err := storage.Open(storage.Options{Path: cfg.Paths.DB(), Clock: model.SystemClock{}, SnapshotDir: cfg.Paths.Backups()})
	if err != nil {
		return err
	}
	defer store.Close()
	who := model.Origin{Actor: model.ActorSystem, AuthMethod: "demo"}
	var acct model.Account
	err = store.Update(func(tx *storage.Tx) (err error) {
		acct, err = tx.CreateAccount(model.Account{Name: "Demo Sender", TimeZone: "UTC", WorkStart: "00:00", WorkEnd: "23:59",
			WorkDays: []time.Weekday{0, 1, 2, 3, 4, 5, 6}, Type: model.AccountPremium, Limits: model.DefaultLimits(),
			WarmupStart: tx.Now().AddDate(0, -3, 0), CreatedAt: tx.Now(), Notes: "The demo account, signed in to the demo site."})
		if err != nil {
			return err
		}
		st := runtime.DefaultSettings()
		st.PauseMinSeconds, st.PauseMaxSeconds = 5, 10
		return tx.PutSetting("runtime", st)
	})
	if err != nil {
		return err
	}
	if err := demoSession(cfg, site, base, acct.ID); err != nil {
		return err
	}
	svc := campaigns.New(store)
	note, err := svc.CreateTemplate(campaigns.TemplateInput{Name: "Demo note", Kind: model.TextNote, Body: "Hi {{first_name}}, I enjoyed your work at {{company}}. Glad to connect!"}, who)
	if err != nil {
		return err
	}
	msg, err := svc.CreateTemplate(campaigns.TemplateInput{Name: "Demo message", Kind: model.TextMessage, Body: "Thanks for connecting, {{first_name}}! How are things at {{company}}?"}, who)
	if err != nil {
		return err
	}
	for i := range demoLeads {
		p := demoProfile(i)
		if _, err := svc.CreateLead(campaigns.LeadInput{ProfileURL: "https://www.linkedin.com/in/" + p.Slug + "/", FirstName: p.FirstName,
			LastName: p.LastName, Company: p.Company, Title: p.Headline, List: "Demo leads"}, who); err != nil {
			return err
		}
	}
	var listID uint64
	if err := store.View(func(tx *storage.Tx) error { l, _, err := tx.ListByName("Demo leads"); listID = l.ID; return err }); err != nil {
		return err
	}
	c, err := svc.CreateCampaign(campaigns.CampaignInput{Name: "Demo campaign", AccountIDs: []uint64{acct.ID},
		Source: model.LeadSource{Kind: model.SourceList, ListID: listID}, Steps: []model.Step{
			{Kind: model.StepInvite, Variants: []model.Variant{{TemplateID: note.ID}}},
			{Kind: model.StepWaitAccept, WaitDays: 14, OnTimeout: model.TimeoutWithdraw},
			{Kind: model.StepMessage, Variants: []model.Variant{{TemplateID: msg.ID}}},
		}}, who)
	if err != nil {
		return err
	}
	_, _, err = svc.SetCampaignState(c.ID, model.CampaignActive, who)
	return err
}

// demoSession saves a signed-in session of the demo site for the account,
// as the login window would after a person signed in.
func demoSession(cfg config.Config, site *sitetest.Site, base string, accountID uint64) error {
	ck := site.SessionCookie(demoEmail)
	state := map[string]any{"cookies": []map[string]any{{
		"name": ck.Name, "value": ck.Value, "domain": "127.0.0.1", "path": "/", "expires": -1,
		"httpOnly": true, "secure": false, "sameSite": "Lax"}}, "origins": []any{}}
	b, err := json.Marshal(state)
	if err != nil {
		return err
	}
	path := browser.StateFile(cfg.Paths.BrowserProfiles(), accountID)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

// demoLinkedIn plays the other side: invitees accept a little later, and
// one in three answers the message.
func demoLinkedIn(ctx context.Context, site *sitetest.Site) {
	replied := map[string]bool{}
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		now := time.Now()
		for _, inv := range site.Invites() {
			if now.Sub(inv.At) > 15*time.Second && site.Relation(inv.Account, inv.Slug) == sitetest.RelationPending {
				site.Accept(inv.Account, inv.Slug)
			}
		}
		for i, m := range site.Messages() {
			if now.Sub(m.At) > 20*time.Second && !replied[m.Slug] && i%3 == 0 {
				replied[m.Slug] = true
				site.Reply(m.Account, m.Slug, "Thanks for reaching out! Happy to talk next week.")
			}
		}
	}
}
