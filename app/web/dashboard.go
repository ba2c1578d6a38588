package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"parley/app/integrity"
	"parley/storage"
	"parley/views/pages"
)

func (s *Server) dashboard(c echo.Context) error {
	v := pages.DashboardView{
		Now:       s.o.Clock.Now(),
		Version:   s.o.Version,
		DataDir:   s.o.Config.Paths.Root,
		Portable:  s.o.Config.Portable,
		StartedAt: s.o.StartedAt,
	}
	err := s.o.Store.View(func(tx *storage.Tx) error {
		v.DBSize = tx.Size()
		v.SchemaVersion = tx.SchemaVersion()
		v.CreatedAt = tx.CreatedAt()
		v.Events = tx.EventCount()
		head, err := tx.AuditHead()
		if err != nil {
			return err
		}
		v.AuditRecords, v.AuditHead = head.Seq, head.Hash
		v.RecentEvents, err = tx.RecentEvents(10)
		return err
	})
	if err != nil {
		return err
	}
	if v.Backups, err = s.backupSummary(); err != nil {
		return err
	}
	if v.Runtime, err = s.runtimePanel(authOf(c).CSRF); err != nil {
		return err
	}
	if s.o.Integrity != nil {
		r := s.o.Integrity()
		v.Integrity = pages.Integrity{State: r.State, Detail: r.Detail, CheckedAt: r.CheckedAt}
	} else {
		v.Integrity = pages.Integrity{State: integrity.StateChecking}
	}
	return s.render(c, http.StatusOK, pages.Dashboard(s.layout(c, "Dashboard", "dashboard"), v))
}

func (s *Server) backupSummary() (pages.BackupSummary, error) {
	st, err := s.o.Backups.Status()
	if err != nil {
		return pages.BackupSummary{}, err
	}
	return pages.BackupSummary{
		LastOK: st.LastOK, LastFailure: st.LastFailure, NextDue: st.NextDue, Runs: st.Runs, Running: st.Running,
		Interval: s.o.Config.BackupInterval, Keep: s.o.Config.BackupKeep,
	}, nil
}
