package runtime

import (
	"strings"
	"testing"
	"time"

	"parley/app/model"
	"parley/automation/fakesite"
	"parley/storage"
)

// TestWhyIdle: every state an account can be in has its plain-words line,
// computed with the scheduler's own checks.
func TestWhyIdle(t *testing.T) {
	rome := simAccount{name: "Rome", zone: "Europe/Rome", days: monFri, start: "09:00", end: "17:30", leads: 3}
	cases := []struct {
		name  string
		setup func(s *sim, a model.Account)
		state string
		text  string
	}{
		{"outside working hours", func(s *sim, a model.Account) {
			s.clock.Set(time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)) // Saturday
		}, BlockHours, "outside working hours (resumes Mon 09:00 Europe/Rome)"},
		{"ready", func(s *sim, a model.Account) {}, "ready", "ready"},
		{"waiting between actions", func(s *sim, a model.Account) {
			s.round()
		}, BlockPacing, "waiting (next action in "},
		{"daily invite limit", func(s *sim, a model.Account) {
			s.usage(a, "invites:d:2026-11-30", 15)
			s.deferAccountJobs(a, time.Hour)
		}, BlockDaily, "daily invites limit reached (15 of 15); resets at 00:00 Europe/Rome"},
		{"weekly limit", func(s *sim, a model.Account) {
			s.usage(a, "invites:w:2026-W49", 80)
			s.deferAccountJobs(a, time.Hour)
		}, BlockWeekly, "weekly invites limit reached (80 of 80); resets Monday 00:00 Europe/Rome"},
		{"warm-up limit", func(s *sim, a model.Account) {
			s.setAccount(a, func(a *model.Account) { a.WarmupStart = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC) })
			s.usage(a, "invites:d:2026-11-30", 6)
			s.deferAccountJobs(a, time.Hour)
		}, BlockWarmup, "warm-up limit reached (6 invites today, more each day)"},
		{"paused until", func(s *sim, a model.Account) {
			if _, err := s.rt.Pause(PauseRequest{Scope: model.ScopeAccount, ID: a.ID, For: 2 * time.Hour}, operator); err != nil {
				s.t.Fatal(err)
			}
		}, BlockPaused, "paused by alice until Mon 12:00 UTC"},
		{"quarantined", func(s *sim, a model.Account) {
			if err := s.rt.Quarantine(a.ID, "a warning banner on LinkedIn", operator); err != nil {
				s.t.Fatal(err)
			}
		}, BlockQuarantined, "quarantined because a warning banner on LinkedIn"},
		{"login needed", func(s *sim, a model.Account) {
			s.store.Update(func(tx *storage.Tx) error {
				return s.rt.quarantineForSite(tx, a, model.ErrClassLogin, "the sign-in page appeared")
			})
		}, BlockLogin, "login needed: the sign-in page appeared"},
		{"nothing due", func(s *sim, a model.Account) {
			if _, _, err := s.svc.SetCampaignState(s.campaigns[a.ID].ID, model.CampaignCompleted, operator); err != nil {
				s.t.Fatal(err)
			}
			s.deferAccountJobs(a, 90*time.Minute)
		}, BlockNothingDue, "waiting (next action in 1 h 30 min)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSim(t, Options{}, rome)
			s.clock.Set(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)) // Monday 11:00 in Rome
			a := s.accounts[0]
			s.rt.prepareRound()
			tc.setup(s, a)
			st := s.status(a.ID)
			if st.State != tc.state || !strings.Contains(st.Text, tc.text) {
				t.Fatalf("status = %q: %q; want %q containing %q", st.State, st.Text, tc.state, tc.text)
			}
		})
	}
	t.Run("running", func(t *testing.T) {
		s := newSim(t, Options{}, always("A", 1))
		a := s.accounts[0]
		s.site.AfterSend = func(c fakesite.Call) {
			st := s.status(a.ID)
			if st.State != "running" || !strings.Contains(st.Text, "send_invite for L0 Doe") {
				t.Errorf("status while sending = %q: %q", st.State, st.Text)
			}
		}
		s.round()
		if s.invitesBy(a.ID) != 1 {
			t.Fatal("the invite was not sent")
		}
	})
}

func (s *sim) usage(a model.Account, counter string, n int) {
	s.t.Helper()
	if err := s.store.Update(func(tx *storage.Tx) error { return tx.AddAccountUsage(a.ID, counter, n) }); err != nil {
		s.t.Fatal(err)
	}
}

func (s *sim) setAccount(a model.Account, fn func(*model.Account)) {
	s.t.Helper()
	if err := s.store.Update(func(tx *storage.Tx) error {
		a, err := tx.Account(a.ID)
		if err != nil {
			return err
		}
		fn(&a)
		return tx.PutAccount(a)
	}); err != nil {
		s.t.Fatal(err)
	}
}

// deferAccountJobs moves the account's inbox check and canary later, so
// that only campaign jobs are due.
func (s *sim) deferAccountJobs(a model.Account, d time.Duration) {
	s.t.Helper()
	err := s.store.Update(func(tx *storage.Tx) error {
		for _, kind := range []string{model.JobCheckInbox, model.JobCanary} {
			id, _ := tx.JobKey(storage.AccountJobKey(kind, a.ID))
			j, err := tx.Job(id)
			if err != nil {
				return err
			}
			j.Due = tx.Now().Add(d)
			if err := tx.PutJob(j); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.t.Fatal(err)
	}
}

// TestNotSignedInWaits: an account without a LinkedIn session does
// nothing and says how to sign in; once it has one it acts.
func TestNotSignedInWaits(t *testing.T) {
	signed := map[uint64]bool{}
	s := newSim(t, Options{SignedIn: func(id uint64) bool { return signed[id] }}, always("A", 1))
	a := s.accounts[0]
	s.run(time.Hour, 10*time.Minute, nil)
	if s.invitesBy(a.ID) != 0 {
		t.Fatal("an account without a session sent an invite")
	}
	if st := s.status(a.ID); st.State != BlockLogin || !strings.Contains(st.Text, "press Log in") {
		t.Fatalf("status = %q %q; want login needed with how to sign in", st.State, st.Text)
	}
	signed[a.ID] = true
	s.run(time.Hour, 10*time.Minute, nil)
	if s.invitesBy(a.ID) != 1 {
		t.Fatalf("after signing in: %d invites; want 1", s.invitesBy(a.ID))
	}
}
