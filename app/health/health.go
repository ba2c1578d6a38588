// Package health examines a database the way `parley doctor` reports it:
// page consistency, the audit chain and the state of backups. The running
// instance answers the same examination over the control channel.
package health

import (
	"time"

	"parley/app/backups"
	"parley/app/model"
	"parley/storage"
)

// Report is the result of Examine.
type Report struct {
	// IntegrityError is empty when bbolt's full check passed.
	IntegrityError string              `json:"integrity_error"`
	Audit          storage.AuditReport `json:"audit"`
	SchemaVersion  int                 `json:"schema_version"`
	LastOK         *model.BackupRun    `json:"last_ok,omitempty"`
	LastFailure    *model.BackupRun    `json:"last_failure,omitempty"`
	Took           time.Duration       `json:"took_ns"`
}

// Examine checks store; it only reads.
func Examine(store *storage.Store) (Report, error) {
	start := time.Now()
	var r Report
	if err := store.Check(); err != nil {
		r.IntegrityError = err.Error()
	}
	audit, err := store.VerifyAudit()
	if err != nil {
		return r, err
	}
	r.Audit = audit
	err = store.View(func(tx *storage.Tx) error {
		r.SchemaVersion = tx.SchemaVersion()
		var err error
		r.LastOK, r.LastFailure, err = backups.LastRuns(tx)
		return err
	})
	r.Took = time.Since(start)
	return r, err
}
