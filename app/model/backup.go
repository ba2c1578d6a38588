package model

import "time"

// Backup triggers: who or what asked for a snapshot.
const (
	TriggerManual       = "manual"
	TriggerScheduled    = "scheduled"
	TriggerCLI          = "cli"
	TriggerPreMigration = "pre-migration"
	TriggerPreRestore   = "pre-restore"
)

// Backup outcomes.
const (
	BackupRunning = "running"
	BackupOK      = "ok"
	BackupFailed  = "failed"
)

// BackupRun is one row of backup_runs: every snapshot attempt, successful or
// not, so that a failing backup is never silent.
type BackupRun struct {
	ID         uint64        `json:"id"`
	Trigger    string        `json:"trigger"`
	Actor      string        `json:"actor,omitempty"`
	StartedAt  time.Time     `json:"started_at"`
	FinishedAt time.Time     `json:"finished_at"`
	Duration   time.Duration `json:"duration_ns"`
	// Path is relative to the data directory when the file lives inside it,
	// so that moving the data folder (a new USB drive letter) breaks nothing.
	Path     string    `json:"path,omitempty"`
	Size     int64     `json:"size"`
	SHA256   string    `json:"sha256,omitempty"`
	Outcome  string    `json:"outcome"`
	Error    string    `json:"error,omitempty"`
	PrunedAt time.Time `json:"pruned_at,omitzero"`
}

// SnapshotManifest is written beside every snapshot as NAME.manifest.json.
type SnapshotManifest struct {
	V             int       `json:"v"`
	File          string    `json:"file"`
	AppVersion    string    `json:"app_version"`
	SchemaVersion int       `json:"schema_version"`
	AuditHead     AuditHead `json:"audit_head"`
	CreatedAt     time.Time `json:"created_at"`
	Size          int64     `json:"size"`
	SHA256        string    `json:"sha256"`
}
