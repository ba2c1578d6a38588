package runtime

import (
	"slices"
	"testing"
	"time"

	"parley/app/model"
	"parley/automation/fakesite"
	"parley/storage"
)

// TestSimulatedWeek runs three accounts in three time zones through a week
// of rounds (one a minute) with acceptances, replies, transient failures,
// a permanent failure and a LinkedIn challenge, and checks every promise
// the runtime makes about limits, hours, warm-up and isolation.
func TestSimulatedWeek(t *testing.T) {
	if testing.Short() {
		t.Skip("a simulated week takes a few seconds")
	}
	s := newSim(t, Options{Concurrency: 2},
		simAccount{name: "Rome", zone: "Europe/Rome", days: monFri, start: "09:00", end: "17:30", leads: 120},
		simAccount{name: "New York", zone: "America/New_York", days: monFri, start: "09:00", end: "17:00", leads: 120},
		simAccount{name: "Tokyo", zone: "Asia/Tokyo", days: weekdays(time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday),
			start: "10:00", end: "18:00", leads: 120, warmupStart: monday},
	)
	rome, ny, tokyo := s.account("Rome"), s.account("New York"), s.account("Tokyo")
	// New York's invites fail three times in a row on Tuesday (transient),
	// and one of its profile checks fails for good.
	tuesdayNY := time.Date(2026, 12, 1, 10, 0, 0, 0, zone(ny))
	// Rome meets a checkpoint on Wednesday at 11:00 Rome time.
	wednesdayRome := time.Date(2026, 12, 2, 11, 0, 0, 0, zone(rome))
	var quarantinedAt time.Time
	seen := map[string]bool{}
	world := func(now time.Time) {
		// LinkedIn's side: two in five invitees accept a day later, one
		// in five of the messaged reply an hour later.
		for _, c := range s.site.Calls() {
			k := c.Action + c.Profile
			switch {
			case c.Action == "invite" && now.Sub(c.At) > 24*time.Hour && !seen[k]:
				seen[k] = true
				if hash(c.Profile)%5 < 2 {
					s.site.Connect(c.AccountID, c.Profile)
				}
			case c.Action == "message" && now.Sub(c.At) > time.Hour && !seen[k]:
				seen[k] = true
				if hash(c.Profile)%5 == 0 {
					s.site.ReplyFrom(c.AccountID, c.Profile, now)
				}
			}
		}
		if !seen["ny-fail"] && !now.Before(tuesdayNY) {
			seen["ny-fail"] = true
			s.site.FailNext(ny.ID, "invite", siteErr(model.ErrClassTransient, "invite"), siteErr(model.ErrClassTransient, "invite"), siteErr(model.ErrClassTransient, "invite"))
			s.site.FailNext(ny.ID, "connection", siteErr(model.ErrClassPermanent, "connection"))
		}
		if !seen["rome-challenge"] && !now.Before(wednesdayRome) {
			seen["rome-challenge"] = true
			s.site.FailNext(rome.ID, "invite", siteErr(model.ErrClassChallenge, "invite"))
		}
		// Parley restarts on Thursday morning (UTC): a new runtime over the
		// same database recovers what the old one held and carries on
		// under the same counters.
		if !seen["restart"] && !now.Before(time.Date(2026, 12, 3, 6, 0, 0, 0, time.UTC)) {
			seen["restart"] = true
			s.rt = New(Options{Store: s.store, Site: s.site, Clock: s.clock, Concurrency: 2, Seed: 99})
			if err := s.rt.recoverLeases(true); err != nil {
				t.Fatal(err)
			}
			if err := s.rt.planAll(); err != nil {
				t.Fatal(err)
			}
		}
		if quarantinedAt.IsZero() && s.status(rome.ID).State == BlockQuarantined {
			quarantinedAt = now
		}
		// A person looks at Rome the next morning and lifts the quarantine.
		if !quarantinedAt.IsZero() && !seen["rome-lifted"] && now.Sub(quarantinedAt) > 20*time.Hour {
			seen["rome-lifted"] = true
			if err := s.rt.Unquarantine(rome.ID, operator); err != nil {
				t.Fatal(err)
			}
		}
	}
	s.run(7*24*time.Hour, 2*time.Minute, world)

	calls := s.site.Calls()
	if len(calls) < 100 {
		t.Fatalf("only %d sends in a week; the runtime barely ran", len(calls))
	}
	type dayKey struct {
		account uint64
		action  string
		day     string
	}
	perDay := map[dayKey]int{}
	perWeek := map[uint64]int{}
	for _, c := range calls {
		a := s.accountByID(c.AccountID)
		local := c.At.In(zone(a))
		if in, _ := workingHours(a, c.At); !in {
			t.Errorf("%s sent a %s at %s, outside its working hours", a.Name, c.Action, local.Format(time.RFC1123))
		}
		perDay[dayKey{a.ID, c.Action, local.Format("2006-01-02")}]++
		if c.Action == "invite" {
			perWeek[a.ID]++
		}
	}
	limits := model.DefaultLimits()
	for k, n := range perDay {
		a := s.accountByID(k.account)
		max := map[string]int{"invite": limits.InvitesPerDay, "message": limits.MessagesPerDay, "withdraw": limits.WithdrawalsPerDay}[k.action]
		if day, _ := time.ParseInLocation("2006-01-02", k.day, zone(a)); !a.WarmupStart.IsZero() {
			max = min(max, model.DefaultWarmup().Cap(a.WarmupStart, day, max))
		}
		if n > max {
			t.Errorf("%s sent %d %ss on %s; the limit is %d", a.Name, n, k.action, k.day, max)
		}
	}
	for id, n := range perWeek {
		if n > limits.InvitesPerWeek {
			t.Errorf("%s sent %d invites in the week; the limit is %d", s.accountByID(id).Name, n, limits.InvitesPerWeek)
		}
	}
	// Every invite and message went out exactly once.
	sent := map[string]int{}
	for _, c := range calls {
		if c.Action != "withdraw" {
			sent[c.Action+"|"+c.Profile+"|"+c.Text]++
		}
	}
	for k, n := range sent {
		if n > 1 {
			t.Errorf("sent %d times: %s", n, k)
		}
	}
	// Warm-up: Tokyo's invites grow day by day from 5 and never pass the ramp.
	var tokyoDays []int
	for d := range 5 {
		day := monday.In(zone(tokyo)).AddDate(0, 0, d).Format("2006-01-02")
		tokyoDays = append(tokyoDays, perDay[dayKey{tokyo.ID, "invite", day}])
	}
	if tokyoDays[0] != 5 || !slices.IsSorted(tokyoDays) || tokyoDays[4] <= tokyoDays[0] {
		t.Errorf("Tokyo's invites per day = %v; want the warm-up ramp 5, 6, 7, ...", tokyoDays)
	}
	// Rome's challenge quarantined Rome alone, opened an incident, and the
	// others kept working that day.
	if quarantinedAt.IsZero() {
		t.Fatal("Rome was never quarantined after its checkpoint")
	}
	wed := wednesdayRome.In(zone(ny)).Format("2006-01-02")
	if perDay[dayKey{ny.ID, "invite", wed}] == 0 && perDay[dayKey{ny.ID, "message", wed}] == 0 {
		t.Error("New York sent nothing on the day Rome was quarantined")
	}
	var incidents []model.Incident
	s.store.View(func(tx *storage.Tx) (err error) { incidents, err = tx.RecentIncidents(50); return err })
	var challengeIncident bool
	for _, in := range incidents {
		if in.Kind == "account_challenge" && in.Severity == model.Sev2 && slices.Equal(in.AccountIDs, []uint64{rome.ID}) {
			challengeIncident = true
		}
		if in.Kind == "account_challenge" && !slices.Contains(in.AccountIDs, rome.ID) {
			t.Errorf("another account was caught up in Rome's challenge: %+v", in)
		}
	}
	if !challengeIncident {
		t.Errorf("no SEV-2 incident for Rome's challenge among %+v", incidents)
	}
	for _, a := range []model.Account{ny, tokyo} {
		if st := s.status(a.ID); st.State == BlockQuarantined {
			t.Errorf("%s is quarantined: %s", a.Name, st.Text)
		}
	}
	// New York's transient failures were retried; its permanent failure is
	// a dead letter with its reason.
	dead, _ := s.rt.DeadLetters(0, 10)
	if len(dead) != 1 || dead[0].AccountID != ny.ID || dead[0].ErrorClass != model.ErrClassPermanent || dead[0].LastError == "" {
		t.Errorf("dead letters = %+v; want New York's one permanent failure", dead)
	}
	// Acceptances led to messages, replies stopped sequences.
	var replied, messaged int
	for _, l := range s.allLeads() {
		switch s.lead(l.ID).State {
		case model.LeadReplied:
			replied++
		case model.LeadMessaged:
			messaged++
		}
	}
	t.Logf("after a week: %d messaged, %d replied", messaged, replied)
	if replied == 0 || messaged == 0 {
		s.store.View(func(tx *storage.Tx) error {
			for _, a := range s.accounts {
				id, ok := tx.JobKey(storage.AccountJobKey(model.JobCheckInbox, a.ID))
				j, _ := tx.Job(id)
				t.Logf("%s: inbox job planned %v: %+v; inbox read up to %s", a.Name, ok, j, tx.AccountMark(markInbox, a.ID))
			}
			return nil
		})
		t.Errorf("after a week: %d messaged, %d replied; the sequence did not run end to end", messaged, replied)
	}
	// The budget counters agree with what the site saw.
	s.store.View(func(tx *storage.Tx) error {
		for k, n := range perDay {
			if k.action != "invite" {
				continue
			}
			if got := tx.AccountUsage(k.account, "invites:d:"+k.day); got < n {
				t.Errorf("usage counter for %d invites on %s = %d, below the %d sent", k.account, k.day, got, n)
			}
		}
		return nil
	})
}

func (s *sim) accountByID(id uint64) model.Account {
	for _, a := range s.accounts {
		if a.ID == id {
			return a
		}
	}
	s.t.Fatalf("no account %d", id)
	return model.Account{}
}

func (s *sim) allLeads() []model.Lead {
	var out []model.Lead
	for _, ls := range s.leads {
		out = append(out, ls...)
	}
	return out
}

func hash(s string) int {
	h := 0
	for _, c := range s {
		h = h*31 + int(c)
	}
	if h < 0 {
		h = -h
	}
	return h
}

var _ = fakesite.Call{}
