package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"parley/app/backups"
	"parley/app/model"
	"parley/storage"
	"parley/views/pages"
)

const backupsPerPage = 20

func (s *Server) backupsPage(c echo.Context) error {
	v, err := s.backupsView(c.QueryParam("before"))
	if err != nil {
		return err
	}
	if id := c.QueryParam("run"); id != "" {
		v.Flash = s.runFlash(id)
	}
	return s.render(c, http.StatusOK, pages.Backups(s.layout(c, "Backups", "backups"), v))
}

// backupNow takes a snapshot. htmx gets the refreshed history with a flash;
// a plain form post is redirected (Post/Redirect/Get) to show the result.
func (s *Server) backupNow(c echo.Context) error {
	run, err := s.o.Backups.Run(c.Request().Context(), backups.Request{
		Trigger: model.TriggerManual, Actor: model.ActorDashboard,
		RequestID: RequestID(c.Request().Context()), PeerIP: c.RealIP(),
	})
	if err != nil && run.ID == 0 && model.ErrorCode(err) != model.CodeConflict {
		return err
	}
	if c.Request().Header.Get("HX-Request") != "true" {
		if run.ID == 0 {
			return err
		}
		return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/backups?run=%d", run.ID))
	}
	v, verr := s.backupsView("")
	if verr != nil {
		return verr
	}
	switch {
	case model.ErrorCode(err) == model.CodeConflict:
		v.Flash = &pages.Flash{Kind: "warn", Text: model.PublicMessage(err)}
	default:
		v.Flash = flashFor(run)
	}
	return s.render(c, http.StatusOK, pages.BackupRuns(v))
}

func (s *Server) backupsView(beforeParam string) (pages.BackupsView, error) {
	v := pages.BackupsView{Now: s.o.Clock.Now(), Dir: s.o.Config.Paths.Backups(), DataDir: s.o.Config.Paths.Root}
	var before uint64
	if beforeParam != "" {
		n, err := strconv.ParseUint(beforeParam, 10, 64)
		if err != nil {
			return v, model.Errorf(model.CodeInvalid, "“before” must be a backup run number")
		}
		before = n
	}
	err := s.o.Store.View(func(tx *storage.Tx) error {
		runs, err := tx.BackupRuns(before, backupsPerPage+1)
		if err != nil {
			return err
		}
		if len(runs) > backupsPerPage {
			runs = runs[:backupsPerPage]
			v.NextBefore = runs[len(runs)-1].ID
		}
		v.Runs = runs
		return nil
	})
	if err != nil {
		return v, err
	}
	v.Summary, err = s.backupSummary()
	return v, err
}

func (s *Server) runFlash(param string) *pages.Flash {
	id, err := strconv.ParseUint(param, 10, 64)
	if err != nil {
		return nil
	}
	var run model.BackupRun
	if s.o.Store.View(func(tx *storage.Tx) error { run, err = tx.BackupRun(id); return err }) != nil {
		return nil
	}
	return flashFor(run)
}

func flashFor(run model.BackupRun) *pages.Flash {
	if run.Outcome == model.BackupOK {
		return &pages.Flash{Kind: "ok", Text: fmt.Sprintf("Backup %d written to %s.", run.ID, run.Path)}
	}
	return &pages.Flash{Kind: "bad", Text: fmt.Sprintf("Backup %d failed: %s", run.ID, run.Error)}
}
