// Package pages holds one templ component per page, each taking one view
// model built by its handler. Templates do no I/O.
package pages

import (
	"time"

	"parley/app/model"
)

// DashboardView is the dashboard's view model.
type DashboardView struct {
	Now           time.Time
	Version       string
	DataDir       string
	Portable      bool
	StartedAt     time.Time
	DBSize        int64
	SchemaVersion int
	CreatedAt     time.Time
	Events        uint64
	RecentEvents  []model.Event
	AuditRecords  uint64
	AuditHead     string
	Backups       BackupSummary
	Integrity     Integrity
}

// BackupSummary is the backup state shown on the dashboard.
type BackupSummary struct {
	LastOK      *model.BackupRun
	LastFailure *model.BackupRun
	NextDue     time.Time
	Running     bool
	Runs        uint64
	Interval    time.Duration
	Keep        int
}

// Integrity is the result of the background database check.
type Integrity struct {
	// State is checking, ok or failed.
	State     string
	Detail    string
	CheckedAt time.Time
}

// BackupsView is the backups page's view model.
type BackupsView struct {
	Now        time.Time
	Runs       []model.BackupRun
	NextBefore uint64
	Dir        string
	DataDir    string
	Summary    BackupSummary
	// Flash is a message about the action just taken.
	Flash *Flash
}

// Flash is a one-off message after an action.
type Flash struct {
	Kind, Text string
}

// ErrorView is the error page's view model.
type ErrorView struct {
	Status    int
	Title     string
	Message   string
	RequestID string
}
