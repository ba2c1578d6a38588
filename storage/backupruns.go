package storage

import (
	"fmt"

	"parley/app/model"
)

const backupRunVersion = 1

// CreateBackupRun stores a new run and returns its id.
func (t *Tx) CreateBackupRun(r model.BackupRun) (uint64, error) {
	id, err := t.b.Bucket(bucketBackupRuns).NextSequence()
	if err != nil {
		return 0, fmt.Errorf("storage: create backup run: %w", err)
	}
	r.ID = id
	return id, t.PutBackupRun(r)
}

// PutBackupRun overwrites the run with r.ID.
func (t *Tx) PutBackupRun(r model.BackupRun) error {
	if r.ID == 0 {
		return fmt.Errorf("storage: put backup run: missing id")
	}
	val, err := encode(backupRunVersion, r)
	if err != nil {
		return fmt.Errorf("storage: put backup run %d: %w", r.ID, err)
	}
	if err := t.b.Bucket(bucketBackupRuns).Put(itob(r.ID), val); err != nil {
		return fmt.Errorf("storage: put backup run %d: %w", r.ID, err)
	}
	return nil
}

// BackupRun returns the run with id.
func (t *Tx) BackupRun(id uint64) (model.BackupRun, error) {
	var r model.BackupRun
	v := t.b.Bucket(bucketBackupRuns).Get(itob(id))
	if v == nil {
		return r, model.Errorf(model.CodeNotFound, "backup run %d does not exist", id)
	}
	if _, err := decode(v, backupRunVersion, &r); err != nil {
		return r, fmt.Errorf("storage: backup run %d: %w", id, err)
	}
	return r, nil
}

// BackupRuns returns up to limit runs with an id below before (0 = from the
// newest), newest first.
func (t *Tx) BackupRuns(before uint64, limit int) ([]model.BackupRun, error) {
	c := t.b.Bucket(bucketBackupRuns).Cursor()
	k, v := lastBefore(c, before)
	var out []model.BackupRun
	for ; k != nil && len(out) < limit; k, v = c.Prev() {
		var r model.BackupRun
		if _, err := decode(v, backupRunVersion, &r); err != nil {
			return out, fmt.Errorf("storage: backup run %d: %w", btoi(k), err)
		}
		out = append(out, r)
	}
	return out, nil
}

// BackupRunCount is the number of runs ever recorded.
func (t *Tx) BackupRunCount() uint64 { return t.b.Bucket(bucketBackupRuns).Sequence() }
