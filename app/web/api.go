package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/backups"
	"parley/app/integrity"
	"parley/app/model"
	"parley/app/runtime"
	"parley/storage"
)

type statusResponse struct {
	Version       string            `json:"version"`
	StartedAt     time.Time         `json:"started_at"`
	UptimeSeconds int64             `json:"uptime_seconds"`
	SchemaVersion int               `json:"schema_version"`
	DatabaseBytes int64             `json:"database_bytes"`
	Events        uint64            `json:"events"`
	AuditRecords  uint64            `json:"audit_records"`
	SetupPending  bool              `json:"setup_pending"`
	Backups       backupsStatus     `json:"backups"`
	Integrity     *integrity.Result `json:"integrity,omitempty"`
	// Runtime is the job runtime at a glance: global pause, ceilings,
	// every account's state and why-idle line, open incidents, dead letters.
	Runtime *runtime.Status `json:"runtime,omitempty"`
}

type backupsStatus struct {
	LastOK      *model.BackupRun `json:"last_ok"`
	LastFailure *model.BackupRun `json:"last_failure"`
	NextDue     time.Time        `json:"next_due,omitzero"`
	Running     bool             `json:"running"`
}

// apiStatus: GET /api/v1/status — what the dashboard shows, as JSON.
func (s *Server) apiStatus(c echo.Context) error {
	now := s.o.Clock.Now()
	r := statusResponse{Version: s.o.Version, StartedAt: s.o.StartedAt, UptimeSeconds: int64(now.Sub(s.o.StartedAt).Seconds()), SetupPending: s.o.Security.NeedsSetup()}
	err := s.o.Store.View(func(tx *storage.Tx) error {
		r.SchemaVersion, r.DatabaseBytes, r.Events = tx.SchemaVersion(), tx.Size(), tx.EventCount()
		head, err := tx.AuditHead()
		r.AuditRecords = head.Seq
		return err
	})
	if err != nil {
		return err
	}
	st, err := s.o.Backups.Status()
	if err != nil {
		return err
	}
	r.Backups = backupsStatus{LastOK: st.LastOK, LastFailure: st.LastFailure, NextDue: st.NextDue, Running: st.Running}
	if s.o.Integrity != nil {
		res := s.o.Integrity()
		r.Integrity = &res
	}
	if s.o.Runtime != nil {
		rs, err := s.o.Runtime.Status()
		if err != nil {
			return err
		}
		r.Runtime = &rs
	}
	return c.JSON(http.StatusOK, r)
}

type backupsResponse struct {
	Runs       []model.BackupRun `json:"runs"`
	NextBefore uint64            `json:"next_before,omitempty"`
}

// apiBackups: GET /api/v1/backups?before=&limit=
func (s *Server) apiBackups(c echo.Context) error {
	limit := 50
	if l := c.QueryParam("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			return model.Errorf(model.CodeInvalid, "limit must be a number from 1 to 500")
		}
		limit = n
	}
	var before uint64
	if b := c.QueryParam("before"); b != "" {
		n, err := strconv.ParseUint(b, 10, 64)
		if err != nil {
			return model.Errorf(model.CodeInvalid, "before must be a backup run number")
		}
		before = n
	}
	var res backupsResponse
	err := s.o.Store.View(func(tx *storage.Tx) error {
		runs, err := tx.BackupRuns(before, limit+1)
		if len(runs) > limit {
			runs = runs[:limit]
			res.NextBefore = runs[limit-1].ID
		}
		res.Runs = runs
		return err
	})
	if err != nil {
		return err
	}
	if res.Runs == nil {
		res.Runs = []model.BackupRun{}
	}
	return c.JSON(http.StatusOK, res)
}

// apiBackupNow: POST /api/v1/backups (control) takes a snapshot into the
// backups folder and answers with the recorded run.
func (s *Server) apiBackupNow(c echo.Context) error {
	run, err := s.o.Backups.Run(c.Request().Context(), backups.Request{
		Trigger: model.TriggerManual, Actor: authOf(c).User,
		RequestID: RequestID(c.Request().Context()), PeerIP: c.RealIP(),
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, run)
}
