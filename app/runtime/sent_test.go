package runtime

import (
	"strings"
	"testing"
	"time"

	"parley/app/model"
	"parley/storage"
)

// TestAcceptanceChecksReadTheSentInvitations: one read of the
// sent-invitations page answers the acceptance checks of every pending
// invite; only a lead no longer listed is checked on its profile, and the
// one who accepted moves on. A page that cannot be read falls back to the
// profile.
func TestAcceptanceChecksReadTheSentInvitations(t *testing.T) {
	s := newSim(t, Options{AcceptEvery: 6 * time.Hour}, always("A", 5))
	a := s.accounts[0]
	s.run(4*time.Hour, 5*time.Minute, nil)
	if n := s.invitesBy(a.ID); n != 5 {
		t.Fatalf("%d invites sent; want 5", n)
	}
	accepted := s.leads[a.ID][0]
	s.site.Connect(a.ID, accepted.ProfileURL)
	checks := s.site.Checks[a.ID]
	s.run(5*time.Hour, 5*time.Minute, nil)
	if st := s.lead(accepted.ID).State; st != model.LeadConnected && st != model.LeadMessaged {
		t.Fatalf("the lead who accepted is %s", st)
	}
	for _, l := range s.leads[a.ID][1:] {
		if st := s.lead(l.ID).State; st != model.LeadInvited {
			t.Errorf("%s is %s; want still invited", l.Name(), st)
		}
	}
	if n := s.site.Checks[a.ID] - checks; n != 1 {
		t.Errorf("%d profiles checked; want 1 (the lead no longer on the sent-invitations page)", n)
	}
	reads := s.site.SentReads[a.ID]
	if reads < 1 || reads > 2 {
		t.Errorf("the sent invitations were read %d times for 5 checks; want once or twice", reads)
	}
	var logged bool
	s.store.View(func(tx *storage.Tx) error {
		jobs, _, err := tx.RecentJobs(0, 50, func(j model.Job) bool { return j.Kind == model.JobCheckAccept && j.State == model.JobDone })
		for _, j := range jobs {
			for _, at := range j.Attempts {
				for _, st := range at.Steps {
					logged = logged || strings.HasPrefix(st.What, "the sent invitations read ")
				}
			}
		}
		return err
	})
	if !logged {
		t.Error("no acceptance check says it was answered by an earlier read")
	}

	// The page cannot be read: each check visits the profile instead.
	for range 8 {
		s.site.FailNext(a.ID, "sent", siteErr(model.ErrClassSelector, "sent"))
	}
	checks = s.site.Checks[a.ID]
	s.run(7*time.Hour, 5*time.Minute, nil)
	if n := s.site.Checks[a.ID] - checks; n < 4 {
		t.Errorf("%d profiles checked while the page could not be read; want the 4 pending ones", n)
	}
	for _, l := range s.leads[a.ID][1:] {
		if st := s.lead(l.ID).State; st != model.LeadInvited {
			t.Errorf("%s is %s; want still invited", l.Name(), st)
		}
	}
}
