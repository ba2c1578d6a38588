package runtime

import (
	"strings"
	"sync"
	"testing"
	"time"

	"parley/app/model"
	"parley/storage"
)

// always is an account that may work at any hour of any day.
func always(name string, leads int) simAccount {
	return simAccount{name: name, zone: "UTC", days: weekdays(0, 1, 2, 3, 4, 5, 6), start: "00:00", end: "23:59", leads: leads}
}

func (s *sim) audits(action string) []model.AuditRecord {
	s.t.Helper()
	var out []model.AuditRecord
	s.store.View(func(tx *storage.Tx) (err error) {
		out, _, err = tx.SearchAudit(storage.AuditFilter{Category: "control", Action: action}, 0, 1000, 100000)
		return err
	})
	return out
}

func (s *sim) invitesBy(accountID uint64) int {
	n := 0
	for _, c := range s.site.Calls() {
		if c.AccountID == accountID && c.Action == "invite" {
			n++
		}
	}
	return n
}

// TestFiftyIdenticalPausesMakeOneTransition: checking, changing and
// auditing are one transaction, so concurrent identical calls pause once.
func TestFiftyIdenticalPausesMakeOneTransition(t *testing.T) {
	s := newSim(t, Options{}, always("A", 1))
	a := s.accounts[0]
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, conflicts := 0, 0
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.rt.Pause(PauseRequest{Scope: model.ScopeAccount, ID: a.ID, Reason: "lunch"}, operator)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case model.ErrorCode(err) == model.CodeConflict:
				conflicts++
			default:
				t.Errorf("Pause: %v", err)
			}
		}()
	}
	wg.Wait()
	if ok != 1 || conflicts != 49 {
		t.Fatalf("%d pauses succeeded and %d conflicted; want 1 and 49", ok, conflicts)
	}
	recs := s.audits("paused")
	if len(recs) != 1 || recs[0].Actor != "alice" || recs[0].RequestID != "req-1" || recs[0].PeerIP != "127.0.0.1" || recs[0].Target != "account:1" {
		t.Fatalf("audit = %+v; want one record with actor, origin and correlation id", recs)
	}
}

// TestControlsTakeEffectWithinOneRound: pause, resume, quarantine and
// campaign pause each change what the very next round does, for that scope
// only.
func TestControlsTakeEffectWithinOneRound(t *testing.T) {
	s := newSim(t, Options{Concurrency: 2}, always("A", 30), always("B", 30))
	a, b := s.accounts[0], s.accounts[1]
	step := func() { s.clock.Advance(5 * time.Minute); s.round() }
	step()
	if s.invitesBy(a.ID) != 1 || s.invitesBy(b.ID) != 1 {
		t.Fatalf("first round: %d and %d invites; want 1 each", s.invitesBy(a.ID), s.invitesBy(b.ID))
	}
	if _, err := s.rt.Pause(PauseRequest{Scope: model.ScopeAccount, ID: a.ID}, operator); err != nil {
		t.Fatal(err)
	}
	step()
	if s.invitesBy(a.ID) != 1 || s.invitesBy(b.ID) != 2 {
		t.Fatalf("after pausing A: %d and %d invites; A must stop, B must go on", s.invitesBy(a.ID), s.invitesBy(b.ID))
	}
	if err := s.rt.Resume(model.ScopeAccount, a.ID, operator); err != nil {
		t.Fatal(err)
	}
	step()
	if s.invitesBy(a.ID) != 2 {
		t.Fatalf("after resuming A: %d invites; want 2", s.invitesBy(a.ID))
	}
	if err := s.rt.Quarantine(b.ID, "testing", operator); err != nil {
		t.Fatal(err)
	}
	step()
	if s.invitesBy(b.ID) != 3 || s.invitesBy(a.ID) != 3 {
		t.Fatalf("after quarantining B: A %d, B %d invites", s.invitesBy(a.ID), s.invitesBy(b.ID))
	}
	if err := s.rt.Unquarantine(b.ID, operator); err != nil {
		t.Fatal(err)
	}
	if _, err := s.rt.Pause(PauseRequest{Scope: model.ScopeCampaign, ID: s.campaigns[a.ID].ID}, operator); err != nil {
		t.Fatal(err)
	}
	step()
	if s.invitesBy(a.ID) != 3 || s.invitesBy(b.ID) != 4 {
		t.Fatalf("after pausing A's campaign and lifting B's quarantine: A %d, B %d", s.invitesBy(a.ID), s.invitesBy(b.ID))
	}
	if st := s.status(a.ID); len(st.Held) != 1 || !strings.Contains(st.Held[0], "is paused by alice") {
		t.Errorf("A's status = %+v", st)
	}
	// A global pause for 10 minutes stops everyone, then lifts itself.
	if err := s.rt.Resume(model.ScopeCampaign, s.campaigns[a.ID].ID, operator); err != nil {
		t.Fatal(err)
	}
	if _, err := s.rt.Pause(PauseRequest{Scope: model.ScopeGlobal, For: 10 * time.Minute}, operator); err != nil {
		t.Fatal(err)
	}
	step()
	if s.invitesBy(a.ID) != 3 || s.invitesBy(b.ID) != 4 {
		t.Fatalf("a global pause let %d and %d invites through", s.invitesBy(a.ID)-3, s.invitesBy(b.ID)-4)
	}
	if st := s.status(b.ID); st.State != BlockGlobalPause || !strings.Contains(st.Text, "all accounts are paused by alice until") {
		t.Errorf("B's status during the global pause = %+v", st)
	}
	step()
	if s.invitesBy(a.ID) != 4 || s.invitesBy(b.ID) != 5 {
		t.Fatalf("the global pause did not lift after its time: %d and %d invites", s.invitesBy(a.ID), s.invitesBy(b.ID))
	}
	if len(s.audits("resumed")) != 3 {
		t.Errorf("resumes audited: %d; want 3 (account, campaign, and the expired global pause)", len(s.audits("resumed")))
	}
}

// TestRoundsAreFair: with one worker slot and three busy accounts, no
// account gets a second turn before every other ready account had one.
func TestRoundsAreFair(t *testing.T) {
	s := newSim(t, Options{Concurrency: 1}, always("A", 20), always("B", 20), always("C", 20))
	for range 12 {
		s.clock.Advance(5 * time.Minute)
		s.round()
		lo, hi := 1<<30, 0
		for _, a := range s.accounts {
			n := s.invitesBy(a.ID)
			lo, hi = min(lo, n), max(hi, n)
		}
		if hi-lo > 0 {
			t.Fatalf("after a round invites per account differ by %d (%d..%d): an account waited while another took more", hi-lo, lo, hi)
		}
	}
	if s.invitesBy(s.accounts[0].ID) != 12 {
		t.Fatalf("each account sent %d invites in 12 rounds; want 12", s.invitesBy(s.accounts[0].ID))
	}
}

// TestMaxJobsPerRunBoundsATurn: jobs that need no page (sequence
// advances) run back to back, but never more than MaxJobsPerRun a turn.
func TestMaxJobsPerRunBoundsATurn(t *testing.T) {
	s := newSim(t, Options{MaxJobsPerRun: 3}, always("A", 10))
	a := s.accounts[0]
	// Make every lead a connection: each enrolment's first job is then an
	// advance (skip the invite), which needs no page.
	if err := s.store.Update(func(tx *storage.Tx) error {
		for _, l := range s.leads[a.ID] {
			l, err := tx.Lead(l.ID)
			if err != nil {
				return err
			}
			l.State = model.LeadConnected
			if err := tx.SaveLead(l); err != nil {
				return err
			}
			if err := s.rt.PlanEnrolment(tx, s.campaigns[a.ID].ID, l.ID); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	s.round()
	var advanced int
	s.store.View(func(tx *storage.Tx) error {
		advanced = tx.JobCount(a.ID, model.JobDone)
		return nil
	})
	if advanced != 3 {
		t.Fatalf("one turn finished %d jobs; want MaxJobsPerRun = 3", advanced)
	}
}
