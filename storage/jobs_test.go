package storage_test

import (
	"testing"
	"time"

	"parley/app/clocktest"
	"parley/app/model"
	"parley/storage"
	"parley/storage/storagetest"
)

// TestJobIndexesFollowState: a job is in exactly one index for its state,
// due jobs come out per account in due order, and the janitor removes
// finished jobs with their keys.
func TestJobIndexesFollowState(t *testing.T) {
	clock := clocktest.New(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	s := storagetest.Open(t, clock)
	now := clock.Now()
	var a1, a2, later model.Job
	err := s.Update(func(tx *storage.Tx) (err error) {
		if later, err = tx.CreateJob(model.Job{AccountID: 1, Kind: model.JobInvite, State: model.JobQueued, Due: now.Add(time.Hour)}); err != nil {
			return err
		}
		if a1, err = tx.CreateJob(model.Job{AccountID: 1, CampaignID: 7, LeadID: 9, Kind: model.JobVisit, State: model.JobQueued, Due: now}); err != nil {
			return err
		}
		if a2, err = tx.CreateJob(model.Job{AccountID: 2, Kind: model.JobVisit, State: model.JobQueued, Due: now.Add(-time.Minute)}); err != nil {
			return err
		}
		return tx.SetJobKey(storage.EnrolmentJobKey(7, 9), a1.ID)
	})
	if err != nil {
		t.Fatal(err)
	}
	due := func(account uint64) []uint64 {
		var ids []uint64
		s.View(func(tx *storage.Tx) error {
			return tx.DueJobs(account, clock.Now(), func(j model.Job) bool { ids = append(ids, j.ID); return true })
		})
		return ids
	}
	if got := due(1); len(got) != 1 || got[0] != a1.ID {
		t.Fatalf("account 1 due = %v, want [%d] (the later job is not due)", got, a1.ID)
	}
	if got := due(2); len(got) != 1 || got[0] != a2.ID {
		t.Fatalf("account 2 due = %v, want [%d]", got, a2.ID)
	}
	s.View(func(tx *storage.Tx) error {
		if n := tx.JobCount(1, model.JobQueued); n != 2 {
			t.Errorf("queued count for account 1 = %d, want 2", n)
		}
		if next := tx.NextDue(1); !next.Equal(now) {
			t.Errorf("NextDue = %v, want %v", next, now)
		}
		return nil
	})
	// Run a1 under a lease, then let the lease expire.
	err = s.Update(func(tx *storage.Tx) error {
		a1.State, a1.LeaseUntil = model.JobRunning, now.Add(time.Minute)
		return tx.PutJob(a1)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := due(1); len(got) != 0 {
		t.Fatalf("a running job is still due: %v", got)
	}
	clock.Advance(2 * time.Minute)
	s.View(func(tx *storage.Tx) error {
		exp, err := tx.ExpiredLeases(clock.Now(), 10)
		if err != nil || len(exp) != 1 || exp[0].ID != a1.ID {
			t.Errorf("ExpiredLeases = %v, %v; want job %d", exp, err, a1.ID)
		}
		return nil
	})
	// Dead-letter it; then the janitor removes it after the cutoff.
	err = s.Update(func(tx *storage.Tx) error {
		a1.State, a1.FinishedAt = model.JobDead, clock.Now()
		return tx.PutJob(a1)
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(func(tx *storage.Tx) error {
		dead, _ := tx.DeadJobs(0, 10)
		if len(dead) != 1 || tx.DeadJobCount() != 1 || tx.JobCount(1, model.JobRunning) != 0 {
			t.Errorf("dead = %v (count %d), running = %d", dead, tx.DeadJobCount(), tx.JobCount(1, model.JobRunning))
		}
		exp, _ := tx.ExpiredLeases(clock.Now().Add(time.Hour), 10)
		if len(exp) != 0 {
			t.Errorf("a dead job still has a lease: %v", exp)
		}
		return nil
	})
	err = s.Update(func(tx *storage.Tx) error {
		n, err := tx.DeleteFinishedJobs(clock.Now().Add(time.Second), 10)
		if err == nil && n != 1 {
			t.Errorf("janitor removed %d jobs, want 1", n)
		}
		if _, ok := tx.JobKey(storage.EnrolmentJobKey(7, 9)); ok {
			t.Error("the janitor left the removed job's key")
		}
		if _, err := tx.Job(a1.ID); model.ErrorCode(err) != model.CodeNotFound {
			t.Errorf("removed job still readable: %v", err)
		}
		if tx.DeadJobCount() != 0 {
			t.Error("the dead-letter index still lists the removed job")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if later.ID == 0 {
		t.Fatal("the later job was not created")
	}
}
