package runtime

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"parley/app/model"
	"parley/storage"
)

func (s *sim) today(accountID uint64) model.HealthSnapshot {
	s.t.Helper()
	if err := s.rt.SnapshotHealth(); err != nil {
		s.t.Fatal(err)
	}
	hs, err := s.rt.Health(accountID, PeriodDay, 1)
	if err != nil || len(hs) != 1 {
		s.t.Fatalf("Health = %v, %v", hs, err)
	}
	return hs[0]
}

func (s *sim) healthEvents() []map[string]any {
	s.t.Helper()
	var out []map[string]any
	s.store.View(func(tx *storage.Tx) error {
		es, err := tx.RecentEvents(1000)
		for _, e := range es {
			if e.Type == "account.health_changed" {
				var d map[string]any
				json.Unmarshal(e.Data, &d)
				out = append(out, d)
			}
		}
		return err
	})
	return out
}

// TestHealthRunWhereEverythingFailedIsRed: a day of nothing but failures
// is RED with the rule that says so, and the change is announced.
func TestHealthRunWhereEverythingFailedIsRed(t *testing.T) {
	s := newSim(t, Options{}, always("A", 6))
	a := s.accounts[0]
	perm := siteErr(model.ErrClassPermanent, "invite")
	s.site.FailNext(a.ID, "invite", perm, perm, perm, perm, perm, perm)
	s.site.FailNext(a.ID, "inbox", siteErr(model.ErrClassPermanent, "inbox"))
	s.site.FailNext(a.ID, "canary", siteErr(model.ErrClassPermanent, "canary"))
	s.run(2*time.Hour, 5*time.Minute, nil)
	h := s.today(a.ID)
	if h.Level != model.HealthRed || !strings.HasPrefix(h.Rule, "all ") || h.Succeeded[model.JobInvite] != 0 || h.Failed[model.JobInvite] != 6 {
		t.Fatalf("today = %+v; want RED because every attempt failed", h)
	}
	if h.ErrorRate != 1 || h.DeadLetters != 8 {
		t.Errorf("error rate %v, dead letters %d; want 1 and 8", h.ErrorRate, h.DeadLetters)
	}
	if st := s.status(a.ID); st.Health != model.HealthRed || st.HealthRule != h.Rule {
		t.Errorf("status health = %q (%q); want the snapshot's level and rule", st.Health, st.HealthRule)
	}
	ev := s.healthEvents()
	if len(ev) != 1 || ev[0]["to"] != model.HealthRed || ev[0]["rule"] != h.Rule {
		t.Fatalf("health events = %v; want one change to RED", ev)
	}
	// Snapshotting again without a change announces nothing new.
	s.today(a.ID)
	if len(s.healthEvents()) != 1 {
		t.Error("an unchanged level was announced again")
	}
}

// TestHealthGoodDayIsGreenAndHoursAddUp: a day that went well is GREEN;
// the hourly snapshots add up to the daily one.
func TestHealthGoodDayIsGreenAndHoursAddUp(t *testing.T) {
	s := newSim(t, Options{}, always("A", 4))
	a := s.accounts[0]
	s.run(3*time.Hour, 5*time.Minute, nil)
	h := s.today(a.ID)
	if h.Level != model.HealthGreen || h.Attempted[model.JobInvite] != 4 || h.Succeeded[model.JobInvite] != 4 || h.ErrorRate != 0 {
		t.Fatalf("today = %+v; want GREEN with 4 invites", h)
	}
	if h.LimitUse <= 0 || h.PendingRatio != 1 {
		t.Errorf("limit use %v, pending ratio %v; want >0 and 1 (no invite accepted yet)", h.LimitUse, h.PendingRatio)
	}
	hours, err := s.rt.Health(a.ID, PeriodHour, 48)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, hh := range hours {
		if hh.Period != PeriodHour || hh.Start.Minute() != 0 {
			t.Fatalf("hour snapshot %+v", hh)
		}
		sum += hh.Attempted[model.JobInvite]
	}
	if sum != 4 {
		t.Errorf("hourly invites add up to %d; want 4", sum)
	}
	if len(s.healthEvents()) != 0 {
		t.Error("a healthy account's first snapshot was announced")
	}
	if _, err := s.rt.Health(a.ID, "week", 3); model.ErrorCode(err) != model.CodeInvalid {
		t.Errorf("period week = %v; want invalid", err)
	}
	if _, err := s.rt.Health(999, PeriodDay, 3); model.ErrorCode(err) != model.CodeNotFound {
		t.Errorf("unknown account = %v; want not found", err)
	}
}

// TestHealthChallengeIsRed: a checkpoint makes the day RED at once.
func TestHealthChallengeIsRed(t *testing.T) {
	s := newSim(t, Options{}, always("A", 2))
	a := s.accounts[0]
	s.site.FailNext(a.ID, "invite", siteErr(model.ErrClassChallenge, "invite"))
	s.round()
	if h := s.today(a.ID); h.Level != model.HealthRed || h.Challenges != 1 || !strings.Contains(h.Rule, "challenged") {
		t.Fatalf("today = %+v; want RED for the challenge", h)
	}
}

func TestHealthRules(t *testing.T) {
	base := func(f func(*model.HealthSnapshot)) model.HealthSnapshot {
		h := model.HealthSnapshot{}
		f(&h)
		return h
	}
	for _, c := range []struct {
		name                   string
		h                      model.HealthSnapshot
		tried, failed, invited int
		level, rule            string
	}{
		{"idle", base(func(*model.HealthSnapshot) {}), 0, 0, 0, model.HealthGreen, "no activity"},
		{"all good", base(func(*model.HealthSnapshot) {}), 10, 0, 5, model.HealthGreen, "10 of 10 attempts succeeded"},
		{"one failure of two", base(func(h *model.HealthSnapshot) { h.ErrorRate = 0.5 }), 2, 1, 0, model.HealthGreen, "1 of 2"},
		{"two of two failed", base(func(h *model.HealthSnapshot) { h.ErrorRate = 1 }), 2, 2, 0, model.HealthYellow, "the only 2"},
		{"three of three failed", base(func(h *model.HealthSnapshot) { h.ErrorRate = 1 }), 3, 3, 0, model.HealthRed, "all 3 attempts failed"},
		{"half failed", base(func(h *model.HealthSnapshot) { h.ErrorRate = 0.5 }), 10, 5, 0, model.HealthRed, "50% of 10"},
		{"a quarter failed", base(func(h *model.HealthSnapshot) { h.ErrorRate = 0.25 }), 20, 5, 0, model.HealthYellow, "25% of 20"},
		{"a dead letter", base(func(h *model.HealthSnapshot) { h.DeadLetters = 1 }), 10, 1, 0, model.HealthYellow, "1 job(s) failed for good"},
		{"dead-letter burst", base(func(h *model.HealthSnapshot) { h.DeadLetters = 5 }), 50, 5, 0, model.HealthRed, "5 jobs failed for good"},
		{"challenge", base(func(h *model.HealthSnapshot) { h.Challenges = 1 }), 1, 0, 0, model.HealthRed, "challenged"},
		{"ignored invites", base(func(h *model.HealthSnapshot) { h.AcceptanceRate = 0.1 }), 10, 0, 40, model.HealthYellow, "only 10% of 40 invites"},
		{"too few invites to judge", base(func(h *model.HealthSnapshot) { h.AcceptanceRate = 0 }), 10, 0, 19, model.HealthGreen, "succeeded"},
		{"pending pile", base(func(h *model.HealthSnapshot) { h.AcceptanceRate = 0.2; h.PendingRatio = 0.8 }), 10, 0, 40, model.HealthYellow, "80% of the invites"},
	} {
		level, rule := grade(c.h, c.tried, c.failed, c.invited)
		if level != c.level || !strings.Contains(rule, c.rule) {
			t.Errorf("%s: %s %q; want %s containing %q", c.name, level, rule, c.level, c.rule)
		}
	}
}
