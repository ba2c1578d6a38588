package model

import (
	"encoding/json"
	"time"
)

// Event types known so far. Later features add their own; consumers must
// ignore types they do not know.
const (
	EventAppStarted      = "app.started"
	EventDBMigrated      = "db.migrated"
	EventDBRestored      = "db.restored"
	EventBackupCompleted = "backup.completed"
	EventBackupFailed    = "backup.failed"
	EventBackupPruned    = "backup.pruned"
	EventIntegrityFailed = "db.integrity_failed"
)

// Event is one entry of the append-only domain event log. It is written in
// the same transaction as the change it describes.
type Event struct {
	Seq       uint64          `json:"seq"`
	Type      string          `json:"type"`
	At        time.Time       `json:"at"`
	Subject   string          `json:"subject,omitempty"`
	RequestID string          `json:"request_id,omitempty"`
	Data      json.RawMessage `json:"data,omitempty"`
}
