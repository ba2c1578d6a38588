package runtime

import (
	"slices"
	"strings"
	"testing"
	"time"

	"parley/app/model"
	"parley/storage"
)

// TestDeadLetterAfterRetryBudget: transient failures back off and retry;
// after MaxAttempts the job is a dead letter with its reason, the budget
// is given back each time, and a person's retry sends it once.
func TestDeadLetterAfterRetryBudget(t *testing.T) {
	s := newSim(t, Options{}, always("A", 1))
	a := s.accounts[0]
	fail := siteErr(model.ErrClassTransient, "invite")
	s.site.FailNext(a.ID, "invite", fail, fail, fail, fail, fail)
	job := func() model.Job {
		var j model.Job
		s.store.View(func(tx *storage.Tx) error {
			id, _ := tx.JobKey(storage.EnrolmentJobKey(s.campaigns[a.ID].ID, s.leads[a.ID][0].ID))
			j, _ = tx.Job(id)
			return nil
		})
		return j
	}
	// Each failure moves the job's due time by its backoff; the account's
	// other jobs (inbox, canary) and its pacing share the rounds, so run
	// rounds until the next attempt has happened.
	var dues []time.Duration
	for attempt := 1; attempt <= 5; attempt++ {
		for range 20 {
			before := s.clock.Now()
			s.round()
			j := job()
			if j.Attempt == attempt && j.State != model.JobRunning {
				if j.State == model.JobQueued {
					if j.InFlight || j.ErrorClass != model.ErrClassTransient || j.LastError != "scripted transient failure" {
						t.Fatalf("after attempt %d: %+v; want a queued retry that is not in flight, with the site's reason", attempt, j)
					}
					dues = append(dues, j.Due.Sub(before))
				}
				break
			}
			s.clock.Advance(5 * time.Minute)
		}
		if j := job(); j.State == model.JobQueued {
			s.clock.Set(j.Due)
		}
	}
	if len(dues) != 4 {
		t.Fatalf("retries = %d (%v); want 4 before the 5th failure dead-letters it", len(dues), dues)
	}
	for i := 1; i < len(dues); i++ {
		if dues[i] <= dues[i-1] {
			t.Errorf("backoff did not grow: %v", dues)
		}
	}
	dead, _ := s.rt.DeadLetters(0, 10)
	if len(dead) != 1 || dead[0].Attempt != 5 || dead[0].ErrorClass != model.ErrClassTransient || dead[0].LastError == "" {
		t.Fatalf("dead letters = %+v", dead)
	}
	s.store.View(func(tx *storage.Tx) error {
		if n := tx.AccountUsage(a.ID, "invites:d:"+s.clock.Now().Format("2006-01-02")); n != 0 {
			t.Errorf("failed invites still hold %d of the budget", n)
		}
		return nil
	})
	if s.invitesBy(a.ID) != 0 {
		t.Fatal("a failed invite reached the site")
	}
	// The dead letter holds the lead: no new job is planned around it.
	s.clock.Advance(time.Hour)
	s.round()
	if s.invitesBy(a.ID) != 0 {
		t.Fatal("a dead letter was planned again")
	}
	// The append-only log does not name the person (the job record, which
	// erasure scrubs, does); the lead's timeline says a job failed.
	s.store.View(func(tx *storage.Tx) error {
		events, err := tx.RecentEvents(1000)
		failed := 0
		for _, e := range events {
			if strings.Contains(string(e.Data), s.leads[a.ID][0].Name()) {
				t.Errorf("event %s names the person: %s", e.Type, e.Data)
			}
			if e.Type == "lead.job_failed" {
				failed++
			}
		}
		if failed != 1 {
			t.Errorf("%d lead.job_failed events; want 1", failed)
		}
		return err
	})
	// Each try is in the job's action log, numbered, failed, with why.
	if n := len(dead[0].Attempts); n != 5 {
		t.Fatalf("the dead letter logged %d tries; want 5", n)
	}
	for i, at := range dead[0].Attempts {
		if at.N != i+1 || !at.Failed || at.Outcome != "failed (transient): scripted transient failure" || at.Started.IsZero() {
			t.Errorf("try %d logged as %+v", i+1, at)
		}
	}
	if err := s.rt.RetryJob(dead[0].ID, operator); err != nil {
		t.Fatal(err)
	}
	if err := s.rt.RetryJob(dead[0].ID, operator); model.ErrorCode(err) != model.CodeConflict {
		t.Fatalf("a second retry = %v; want a conflict", err)
	}
	s.clock.Advance(time.Minute)
	s.round()
	if s.invitesBy(a.ID) != 1 {
		t.Fatalf("after the retry %d invites went out; want 1", s.invitesBy(a.ID))
	}
	if len(s.audits("job_retried")) != 1 {
		t.Error("the retry was not audited")
	}
	// The log keeps the latest tries: the 6th, which worked, and 4 before it.
	var j model.Job
	s.store.View(func(tx *storage.Tx) (err error) { j, err = tx.Job(dead[0].ID); return err })
	if n := len(j.Attempts); n != model.MaxJobAttemptsKept {
		t.Fatalf("the log holds %d tries; want the latest %d", n, model.MaxJobAttemptsKept)
	}
	if last := j.Attempts[len(j.Attempts)-1]; last.N != 6 || last.Failed || !strings.HasPrefix(last.Outcome, "invited ") || j.Attempts[0].N != 2 {
		t.Fatalf("log after the retry = %+v", j.Attempts)
	}
}

// TestAmbiguousSendIsReconciledNotRepeated: the site took the invite but
// the call failed; the retry asks the site first and records the invite
// without sending it again.
func TestAmbiguousSendIsReconciledNotRepeated(t *testing.T) {
	s := newSim(t, Options{}, always("A", 1))
	a := s.accounts[0]
	l := s.leads[a.ID][0]
	s.site.FailNext(a.ID, "invite_after", siteErr(model.ErrClassTransient, "invite"))
	// The retry shares the account's turns with its inbox check and
	// canary, so give it an hour of rounds.
	s.run(time.Hour, 10*time.Minute, nil)
	if n := s.invitesBy(a.ID); n != 1 {
		t.Fatalf("the site received %d invites; want exactly 1", n)
	}
	if st := s.lead(l.ID).State; st != model.LeadInvited {
		t.Fatalf("lead is %s; want invited (recorded on reconciliation)", st)
	}
	// The job's log shows the failed try, then the reconciliation.
	var inv []model.Job
	s.store.View(func(tx *storage.Tx) (err error) {
		inv, _, err = tx.RecentJobs(0, 10, func(j model.Job) bool { return j.Kind == model.JobInvite && j.LeadID == l.ID })
		return err
	})
	if len(inv) != 1 || len(inv[0].Attempts) != 2 {
		t.Fatalf("invite jobs = %+v; want one with two tries logged", inv)
	}
	first, second := inv[0].Attempts[0], inv[0].Attempts[1]
	if !first.Failed || second.Failed || second.Outcome != "the invite was already sent (found on reconciliation)" ||
		len(second.Steps) == 0 || !strings.Contains(second.Steps[0].What, "asking LinkedIn whether it went through") {
		t.Fatalf("tries = %+v / %+v", first, second)
	}
	// The unknown-fate send kept its budget; nothing was counted twice
	// beyond that one conservative unit.
	s.store.View(func(tx *storage.Tx) error {
		if n := tx.AccountUsage(a.ID, "invites:d:"+s.clock.Now().Format("2006-01-02")); n != 1 {
			t.Errorf("invite budget used = %d; want 1", n)
		}
		return nil
	})
}

// TestChallengeQuarantinesAndKeepsTheJob: a checkpoint stops the account,
// opens an incident, and the lead's job waits (no attempt spent) until a
// person lifts the quarantine.
func TestChallengeQuarantinesAndKeepsTheJob(t *testing.T) {
	s := newSim(t, Options{}, always("A", 1), always("B", 1))
	a, b := s.accounts[0], s.accounts[1]
	s.site.FailNext(a.ID, "invite", siteErr(model.ErrClassChallenge, "invite"))
	s.site.FailNext(b.ID, "invite", siteErr(model.ErrClassChallenge, "invite"))
	s.round()
	st := s.status(a.ID)
	if st.State != BlockQuarantined {
		t.Fatalf("A = %+v; want quarantined", st)
	}
	s.store.View(func(tx *storage.Tx) error {
		open, _ := tx.OpenIncidents()
		if len(open) != 1 || open[0].Severity != model.Sev1 || len(open[0].AccountIDs) == 0 {
			t.Errorf("incidents = %+v; want one SEV-1 (two accounts challenged within a day)", open)
		}
		return nil
	})
	if len(s.audits("account_quarantined")) != 2 {
		t.Errorf("quarantines audited: %d; want 2", len(s.audits("account_quarantined")))
	}
	if err := s.rt.Unquarantine(a.ID, operator); err != nil {
		t.Fatal(err)
	}
	s.clock.Advance(10 * time.Minute)
	s.round()
	if s.invitesBy(a.ID) != 1 || s.invitesBy(b.ID) != 0 {
		t.Fatalf("after lifting A: A sent %d, B (still quarantined) %d", s.invitesBy(a.ID), s.invitesBy(b.ID))
	}
	in, _ := s.rt.Incidents(10)
	if _, err := s.rt.ResolveIncident(in[0].ID, "", operator); model.ErrorCode(err) != model.CodeInvalid {
		t.Fatalf("resolving without a note = %v; want invalid", err)
	}
	got, err := s.rt.ResolveIncident(in[0].ID, "checked both accounts by hand", operator)
	if err != nil || got.State != model.IncidentResolved || len(got.Timeline) < 2 {
		t.Fatalf("ResolveIncident = %+v, %v", got, err)
	}
	if len(s.audits("incident_resolved")) != 1 {
		t.Error("resolving was not audited")
	}
}

// TestRepeatedAuthAnomaliesAreSev1: one lockout is the audit trail's
// business; three within an hour are a SEV-1 incident, and more add to it.
func TestRepeatedAuthAnomaliesAreSev1(t *testing.T) {
	s := newSim(t, Options{}, always("A", 1))
	for i := range 2 {
		if err := s.rt.AuthAnomaly("sign-in locked for ip:10.0.0.9"); err != nil {
			t.Fatal(err)
		}
		s.clock.Advance(10 * time.Minute)
		if in, _ := s.rt.Incidents(10); len(in) != 0 {
			t.Fatalf("after %d lockouts: %+v; want no incident yet", i+1, in)
		}
	}
	s.rt.AuthAnomaly("sign-in locked for user:admin")
	s.rt.AuthAnomaly("sign-in locked for ip:10.0.0.9")
	in, _ := s.rt.Incidents(10)
	if len(in) != 1 || in[0].Severity != model.Sev1 || in[0].Kind != "auth_anomaly" || len(in[0].Timeline) != 2 {
		t.Fatalf("incidents = %+v; want one SEV-1 auth anomaly with two entries", in)
	}
}

// TestSessionsLostTogetherAreSev1: two accounts signed out of LinkedIn
// within a day are one SEV-1 incident.
func TestSessionsLostTogetherAreSev1(t *testing.T) {
	s := newSim(t, Options{}, always("A", 1), always("B", 1))
	a, b := s.accounts[0], s.accounts[1]
	s.site.FailNext(a.ID, "invite", siteErr(model.ErrClassLogin, "invite"))
	s.round()
	s.clock.Advance(3 * time.Hour)
	s.site.FailNext(b.ID, "inbox", siteErr(model.ErrClassLogin, "inbox"))
	s.run(time.Hour, 5*time.Minute, nil)
	if st := s.status(b.ID); st.State != BlockLogin {
		t.Fatalf("B = %+v; want login needed", st)
	}
	in, _ := s.rt.Incidents(10)
	if len(in) != 1 || in[0].Severity != model.Sev1 || in[0].Kind != "login_needed" || len(in[0].AccountIDs) != 2 {
		t.Fatalf("incidents = %+v; want one SEV-1 naming both accounts", in)
	}
}

// TestReplyAfterTheLastMessageCounts: a lead who answers after the last
// message of the sequence went out (the enrolment is complete) is still
// marked replied.
func TestReplyAfterTheLastMessageCounts(t *testing.T) {
	acct := always("A", 1)
	acct.steps = func(note, msg uint64) []model.Step {
		return []model.Step{
			{Kind: model.StepInvite, Variants: []model.Variant{{TemplateID: note}}},
			{Kind: model.StepWaitAccept, WaitDays: 14, OnTimeout: model.TimeoutWithdraw},
			{Kind: model.StepMessage, Variants: []model.Variant{{TemplateID: msg}}},
		}
	}
	s := newSim(t, Options{}, acct)
	a, l := s.accounts[0], s.leads[s.accounts[0].ID][0]
	s.run(time.Hour, 10*time.Minute, nil)
	s.site.Connect(a.ID, l.ProfileURL)
	s.run(48*time.Hour, 30*time.Minute, nil)
	if st := s.lead(l.ID).State; st != model.LeadMessaged {
		t.Fatalf("lead is %s; want messaged", st)
	}
	s.site.ReplyFrom(a.ID, l.ProfileURL, s.clock.Now())
	s.run(4*time.Hour, 30*time.Minute, nil)
	if got := s.lead(l.ID); got.State != model.LeadReplied || !got.Replied {
		t.Fatalf("lead is %s (replied %v); want replied", got.State, got.Replied)
	}
}

// TestSelectorFailureDegradesOnlyThatAction: when the page no longer
// matches the selector pack, invites stop on that account (the job waits,
// no dead letter), its other work and the other accounts carry on, and
// resolving the incident brings invites back.
func TestSelectorFailureDegradesOnlyThatAction(t *testing.T) {
	s := newSim(t, Options{}, always("A", 2), always("B", 1))
	a, b := s.accounts[0], s.accounts[1]
	s.site.FailNext(a.ID, "invite", siteErr(model.ErrClassSelector, "invite"))
	s.run(2*time.Hour, 10*time.Minute, nil)
	if s.invitesBy(a.ID) != 0 || s.invitesBy(b.ID) != 1 {
		t.Fatalf("invites: A %d, B %d; want A stopped, B going", s.invitesBy(a.ID), s.invitesBy(b.ID))
	}
	if dead, _ := s.rt.DeadLetters(0, 10); len(dead) != 0 {
		t.Fatalf("dead letters %+v; a changed page is not the lead's fault", dead)
	}
	st := s.status(a.ID)
	if !slices.ContainsFunc(st.Held, func(h string) bool { return strings.Contains(h, "invites stopped") }) && !strings.Contains(st.Text, "invites stopped") {
		t.Fatalf("A's status = %q held %v; want why invites stopped", st.Text, st.Held)
	}
	in, _ := s.rt.Incidents(10)
	if len(in) != 1 || in[0].Severity != model.Sev3 || in[0].Kind != "selector_degraded" {
		t.Fatalf("incidents = %+v; want one SEV-3", in)
	}
	if _, err := s.rt.ResolveIncident(in[0].ID, "patched selectors.json", operator); err != nil {
		t.Fatal(err)
	}
	s.run(2*time.Hour, 10*time.Minute, nil)
	if s.invitesBy(a.ID) != 2 {
		t.Fatalf("after resolving, A sent %d invites; want 2", s.invitesBy(a.ID))
	}
}

// TestCanaryDegradesTheBrokenAction: a broken element found by the canary
// stops the action that needs it.
func TestCanaryDegradesTheBrokenAction(t *testing.T) {
	s := newSim(t, Options{}, always("A", 1))
	a := s.accounts[0]
	s.site.Break("message", "the message field")
	s.run(time.Hour, 10*time.Minute, nil)
	s.store.View(func(tx *storage.Tx) error {
		if _, ok, _ := tx.Degraded(a.ID, model.JobMessage); !ok {
			t.Error("messages were not stopped after the canary found them broken")
		}
		if _, ok, _ := tx.Degraded(a.ID, model.JobInvite); ok {
			t.Error("invites were stopped too")
		}
		return nil
	})
}
