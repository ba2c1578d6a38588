package backups

import (
	"context"
	"time"

	"parley/app/model"
	"parley/storage"
)

// Status summarises backups for the dashboard and its failure banner.
type Status struct {
	LastOK *model.BackupRun
	// LastFailure is set only when it is newer than LastOK: a failure that a
	// later success has not cleared.
	LastFailure *model.BackupRun
	// NextDue is when the schedule will run next (zero when it is off).
	NextDue time.Time
	Runs    uint64
	// Running is true while a backup is being written.
	Running bool
}

// Status reads the newest runs and computes when the next scheduled
// backup is due.
func (s *Service) Status() (Status, error) {
	var st Status
	err := s.o.Store.View(func(tx *storage.Tx) error {
		var err error
		st.Runs = tx.BackupRunCount()
		st.LastOK, st.LastFailure, err = LastRuns(tx)
		return err
	})
	st.NextDue = s.nextDue(st)
	st.Running = s.running.Load()
	return st, err
}

// LastRuns finds the newest successful regular backup and, if newer than
// it, the newest failure (pre-migration and pre-restore copies do not
// count as backups here).
func LastRuns(tx *storage.Tx) (lastOK, lastFailure *model.BackupRun, err error) {
	for before := uint64(0); ; {
		runs, err := tx.BackupRuns(before, 50)
		if err != nil || len(runs) == 0 {
			return lastOK, lastFailure, err
		}
		for i := range runs {
			r := runs[i]
			switch {
			case r.Outcome == model.BackupOK && r.Trigger != model.TriggerPreMigration && r.Trigger != model.TriggerPreRestore:
				return &r, lastFailure, nil
			case r.Outcome == model.BackupFailed && lastFailure == nil:
				lastFailure = &r
			}
		}
		before = runs[len(runs)-1].ID
	}
}

func (s *Service) nextDue(st Status) time.Time {
	if s.o.Interval <= 0 {
		return time.Time{}
	}
	due := s.started.Add(s.o.StartDelay)
	if st.LastOK != nil {
		due = st.LastOK.FinishedAt.Add(s.o.Interval)
	}
	if st.LastFailure != nil {
		if retry := st.LastFailure.FinishedAt.Add(s.o.RetryDelay); retry.After(due) {
			due = retry
		}
	}
	if earliest := s.started.Add(s.o.StartDelay); due.Before(earliest) {
		due = earliest
	}
	return due
}

// Serve runs scheduled backups until ctx ends. A failed scheduled backup
// is retried after RetryDelay; each failure is recorded and announced.
func (s *Service) Serve(ctx context.Context) error {
	if s.o.Interval <= 0 {
		<-ctx.Done()
		return nil
	}
	for {
		st, err := s.Status()
		if err != nil {
			s.o.Logger.Error("backup schedule: cannot read backup runs", "error", err)
			st = Status{}
		}
		wait := st.NextDue.Sub(s.o.Clock.Now())
		if err != nil {
			wait = s.o.RetryDelay
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.o.Clock.After(wait):
		}
		if _, err := s.Run(ctx, Request{Trigger: model.TriggerScheduled, Actor: model.ActorScheduler}); err != nil && model.ErrorCode(err) == model.CodeConflict {
			// Someone pressed "Back up now" at the same moment; that run
			// counts, the schedule moves on from it.
			continue
		}
	}
}
