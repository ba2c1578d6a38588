package runtime

import (
	"context"
	"fmt"
	"testing"
	"time"

	"parley/app/campaigns"
	"parley/app/clocktest"
	"parley/app/model"
	"parley/automation"
	"parley/automation/fakesite"
	"parley/storage"
	"parley/storage/storagetest"
)

var operator = model.Origin{Actor: "alice", AuthMethod: "session", PeerIP: "127.0.0.1", RequestID: "req-1"}

// monday is the first day of the simulated week (a Monday, UTC midnight).
var monday = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

// sim is a world for the runtime: real bbolt, the real campaign services,
// a fake clock and a fake LinkedIn.
type sim struct {
	t        *testing.T
	clock    *clocktest.Clock
	store    *storage.Store
	rt       *Runtime
	site     *fakesite.Site
	svc      *campaigns.Service
	accounts []model.Account
	// leads per account id, and the campaign of each account.
	leads     map[uint64][]model.Lead
	campaigns map[uint64]model.Campaign
}

type simAccount struct {
	name, zone   string
	days         []time.Weekday
	start, end   string
	warmupStart  time.Time
	limits       model.Limits
	leads        int
	steps        func(note, msg uint64) []model.Step
	campaignOpts func(*campaigns.CampaignInput)
}

func weekdays(ds ...time.Weekday) []time.Weekday { return ds }

var monFri = weekdays(time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday)

func fullSequence(note, msg uint64) []model.Step {
	return []model.Step{
		{Kind: model.StepInvite, Variants: []model.Variant{{TemplateID: note}}},
		{Kind: model.StepWaitAccept, WaitDays: 3, OnTimeout: model.TimeoutWithdraw},
		{Kind: model.StepMessage, DelayDays: 0, Variants: []model.Variant{{TemplateID: msg}}},
		{Kind: model.StepFollowUp, DelayDays: 2, Variants: []model.Variant{{TemplateID: msg}}},
	}
}

func newSim(t *testing.T, opts Options, accts ...simAccount) *sim {
	t.Helper()
	clock := clocktest.New(monday)
	return newSimOn(t, opts, storagetest.Open(t, clock), clock, fakesite.New(clock.Now), accts...)
}

// newSimOn builds the world of newSim on a given store and site.
func newSimOn(t *testing.T, opts Options, store *storage.Store, clock *clocktest.Clock, site *fakesite.Site, accts ...simAccount) *sim {
	t.Helper()
	opts.Store, opts.Site, opts.Clock = store, site, clock
	if opts.Seed == 0 {
		opts.Seed = 42
	}
	s := &sim{t: t, clock: clock, store: store, rt: New(opts), site: site, svc: campaigns.New(store),
		leads: map[uint64][]model.Lead{}, campaigns: map[uint64]model.Campaign{}}
	note, err := s.svc.CreateTemplate(campaigns.TemplateInput{Name: "note", Kind: model.TextNote, Body: "Hi {{first_name}}, glad to connect."}, operator)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := s.svc.CreateTemplate(campaigns.TemplateInput{Name: "msg", Kind: model.TextMessage, Body: "Thanks {{first_name}}! How is {{company}}?"}, operator)
	if err != nil {
		t.Fatal(err)
	}
	for i, sa := range accts {
		var a model.Account
		err := store.Update(func(tx *storage.Tx) (err error) {
			limits := sa.limits
			if limits == (model.Limits{}) {
				limits = model.DefaultLimits()
			}
			a, err = tx.CreateAccount(model.Account{Name: sa.name, TimeZone: sa.zone, WorkDays: sa.days, WorkStart: sa.start, WorkEnd: sa.end,
				Type: model.AccountPremium, Limits: limits, WarmupStart: sa.warmupStart, CreatedAt: tx.Now()})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		s.accounts = append(s.accounts, a)
		list := fmt.Sprintf("list-%d", i)
		for j := range sa.leads {
			l, err := s.svc.CreateLead(campaigns.LeadInput{ProfileURL: fmt.Sprintf("linkedin.com/in/a%d-lead-%d", i, j),
				FirstName: fmt.Sprintf("L%d", j), LastName: "Doe", Company: "Co", List: list}, operator)
			if err != nil {
				t.Fatal(err)
			}
			s.leads[a.ID] = append(s.leads[a.ID], l)
		}
		if sa.steps == nil {
			sa.steps = fullSequence
		}
		var listID uint64
		store.View(func(tx *storage.Tx) error {
			ls, _, err := tx.ListByName(list)
			listID = ls.ID
			return err
		})
		in := campaigns.CampaignInput{Name: "campaign " + sa.name, AccountIDs: []uint64{a.ID},
			Source: model.LeadSource{Kind: model.SourceList, ListID: listID}, Steps: sa.steps(note.ID, msg.ID)}
		if sa.campaignOpts != nil {
			sa.campaignOpts(&in)
		}
		c, err := s.svc.CreateCampaign(in, operator)
		if err != nil {
			t.Fatal(err)
		}
		if c, _, err = s.svc.SetCampaignState(c.ID, model.CampaignActive, operator); err != nil {
			t.Fatal(err)
		}
		s.campaigns[a.ID] = c
	}
	return s
}

// round runs one scheduler round and fails the test on an error.
func (s *sim) round() {
	s.t.Helper()
	if err := s.rt.Round(context.Background()); err != nil {
		s.t.Fatalf("round at %s: %v", s.clock.Now(), err)
	}
}

// run advances the clock by step and runs a round until d has passed,
// calling each (if set) before every round.
func (s *sim) run(d, step time.Duration, each func(now time.Time)) {
	s.t.Helper()
	end := s.clock.Now().Add(d)
	for s.clock.Now().Before(end) {
		if each != nil {
			each(s.clock.Now())
		}
		s.round()
		s.clock.Advance(step)
	}
}

func (s *sim) status(accountID uint64) AccountStatus {
	s.t.Helper()
	st, err := s.rt.AccountStatus(accountID)
	if err != nil {
		s.t.Fatal(err)
	}
	return st
}

func (s *sim) lead(id uint64) model.Lead {
	s.t.Helper()
	var l model.Lead
	if err := s.store.View(func(tx *storage.Tx) (err error) { l, err = tx.Lead(id); return err }); err != nil {
		s.t.Fatal(err)
	}
	return l
}

func (s *sim) account(name string) model.Account {
	for _, a := range s.accounts {
		if a.Name == name {
			return a
		}
	}
	s.t.Fatalf("no account %q", name)
	return model.Account{}
}

func siteErr(class, action string) error {
	return automation.Errorf(class, action, "scripted %s failure", class)
}
