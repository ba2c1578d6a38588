package accounts

import (
	"strings"
	"testing"
	"time"

	"parley/app/clocktest"
	"parley/app/model"
	"parley/app/runtime"
	"parley/storage"
	"parley/storage/storagetest"
)

var t0 = time.Date(2026, 12, 3, 23, 30, 0, 0, time.UTC)

func fixture(t *testing.T) (*Service, *storage.Store) {
	store := storagetest.Open(t, clocktest.New(t0))
	return New(store), store
}

var who = model.Origin{Actor: "alice", AuthMethod: "session", PeerIP: "127.0.0.1", RequestID: "r1"}

func TestCreateEditArchive(t *testing.T) {
	s, store := fixture(t)
	in := Defaults("Europe/Rome", t0)
	in.Name = "  Anna – sales  "
	in.WorkDays = []time.Weekday{time.Friday, time.Monday, time.Monday}
	a, err := s.Create(in, who)
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != 1 || a.Name != "Anna – sales" || a.TimeZone != "Europe/Rome" || len(a.WorkDays) != 2 || a.WorkDays[0] != time.Monday {
		t.Fatalf("account = %+v", a)
	}
	// Warm-up defaults to today in the account's zone: 23:30 UTC is
	// already the 4th in Rome.
	if got := a.WarmupStart.Format("2006-01-02"); got != "2026-12-04" {
		t.Fatalf("warm-up start = %s", got)
	}
	in.Limits.InvitesPerDay = 18
	in.WorkStart = "8:05"
	a, err = s.Update(a.ID, in, who)
	if err != nil || a.Limits.InvitesPerDay != 18 || a.WorkStart != "08:05" {
		t.Fatalf("update = %+v %v", a, err)
	}
	if _, err := s.Archive(a.ID, who); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(a.ID, in, who); model.ErrorCode(err) != model.CodeConflict {
		t.Fatalf("editing an archived account = %v", err)
	}
	if _, err := s.Archive(a.ID, who); model.ErrorCode(err) != model.CodeConflict {
		t.Fatalf("archiving twice = %v", err)
	}
	if list, _ := s.List(false); len(list) != 0 {
		t.Fatalf("active list = %+v", list)
	}
	if list, _ := s.List(true); len(list) != 1 {
		t.Fatalf("full list = %+v", list)
	}
	if _, err := s.Get(99); model.ErrorCode(err) != model.CodeNotFound {
		t.Fatalf("missing = %v", err)
	}
	store.View(func(tx *storage.Tx) error {
		evs, _ := tx.RecentEvents(3)
		if evs[0].Type != model.EventAccountArchived || evs[1].Type != model.EventAccountUpdated || evs[2].Type != model.EventAccountCreated {
			t.Errorf("events = %v", evs)
		}
		recs, _ := tx.RecentAudit(0, 3)
		if recs[0].Action != "account_archived" || recs[0].Actor != "alice" || recs[0].RequestID != "r1" {
			t.Errorf("audit = %+v", recs[0])
		}
		return nil
	})
}

func TestValidationNamesTheFieldAndTheFix(t *testing.T) {
	s, _ := fixture(t)
	cases := []struct {
		edit func(*Input)
		want string
	}{
		{func(in *Input) { in.Name = " " }, "Name"},
		{func(in *Input) { in.Name = strings.Repeat("x", 81) }, "Name"},
		{func(in *Input) { in.TimeZone = "Mars/Olympus" }, "IANA time zone"},
		{func(in *Input) { in.TimeZone = "" }, "Time zone"},
		{func(in *Input) { in.WorkDays = nil }, "at least one day"},
		{func(in *Input) { in.WorkDays = []time.Weekday{9} }, "not a day of the week"},
		{func(in *Input) { in.WorkStart = "9am" }, "like 09:00"},
		{func(in *Input) { in.WorkStart, in.WorkEnd = "18:00", "09:00" }, "must be after the start"},
		{func(in *Input) { in.Type = "gold" }, "free, premium or sales_navigator"},
		{func(in *Input) { in.Limits.InvitesPerDay = 21 }, "compliance ceiling of 20"},
		{func(in *Input) { in.Limits.InvitesPerWeek = 101 }, "compliance ceiling of 100"},
		{func(in *Input) { in.Limits.MessagesPerDay = 41 }, "compliance ceiling of 40"},
		{func(in *Input) { in.Limits.VisitsPerDay = -1 }, "cannot be negative"},
		{func(in *Input) { in.Limits.InvitesPerDay, in.Limits.InvitesPerWeek = 20, 10 }, "more than the 10 per week"},
		{func(in *Input) { in.WarmupStart = "03/12/2026" }, "date like"},
		{func(in *Input) { in.Notes = strings.Repeat("n", 2001) }, "2000 characters"},
	}
	for _, c := range cases {
		in := Defaults("Europe/Rome", t0)
		in.Name = "Anna"
		c.edit(&in)
		_, err := s.Create(in, who)
		if model.ErrorCode(err) != model.CodeInvalid || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want %q, got %v", c.want, err)
		}
	}
	if list, _ := s.List(true); len(list) != 0 {
		t.Fatal("invalid input stored an account")
	}
	// Zero turns an action off and is valid.
	in := Defaults("America/New_York", t0)
	in.Name, in.Limits = "Quiet", model.Limits{}
	if _, err := s.Create(in, who); err != nil {
		t.Fatal(err)
	}
}

// TestCeilingsOffAllowHigherLimitsWithinLinkedInsOwn: with enforcement
// turned off (audited by the runtime) limits above the ceilings are
// accepted, up to what LinkedIn itself allows; turning it back on refuses
// them again.
func TestCeilingsOffAllowHigherLimitsWithinLinkedInsOwn(t *testing.T) {
	s, store := fixture(t)
	rt := runtime.New(runtime.Options{Store: store})
	st, _ := rt.Settings()
	st.EnforceCeilings = false
	if err := rt.SaveSettings(st, who); err != nil {
		t.Fatal(err)
	}
	in := Defaults("Europe/Rome", t0)
	in.Name = "Fast"
	in.Limits.InvitesPerDay, in.Limits.InvitesPerWeek = 30, 150
	a, err := s.Create(in, who)
	if err != nil {
		t.Fatalf("ceilings off, 30/day: %v", err)
	}
	in.Limits.InvitesPerWeek = 201
	if _, err := s.Update(a.ID, in, who); model.ErrorCode(err) != model.CodeInvalid || !strings.Contains(err.Error(), "more than LinkedIn itself allows") {
		t.Fatalf("201/week with ceilings off = %v; want refused", err)
	}
	st.EnforceCeilings = true
	if err := rt.SaveSettings(st, who); err != nil {
		t.Fatal(err)
	}
	in.Limits.InvitesPerWeek = 150
	if _, err := s.Update(a.ID, in, who); model.ErrorCode(err) != model.CodeInvalid || !strings.Contains(err.Error(), "compliance ceiling of 20") {
		t.Fatalf("30/day with ceilings on = %v; want refused", err)
	}
}
