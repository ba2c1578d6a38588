package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"parley/app/model"
)

// Controls: pause, resume, quarantine and lift a quarantine. The forms of
// the dashboard and the JSON API call the same runtime methods, which
// check, change and audit in one transaction.

// controlDone answers a control form: htmx gets the refreshed runtime
// panel, a plain form goes back where it came from.
func (s *Server) controlDone(c echo.Context) error {
	if c.Request().Header.Get("HX-Request") == "true" {
		return s.runtimeFragment(c)
	}
	return c.Redirect(http.StatusSeeOther, safeNext(c.FormValue("next")))
}

// pauseForm: POST /control/pause (scope, id, for, reason).
func (s *Server) pauseForm(c echo.Context) error {
	rt, err := s.rt()
	if err != nil {
		return err
	}
	id, err := formID(c, "id")
	if err != nil {
		return err
	}
	req, err := pauseInput{Scope: c.FormValue("scope"), ID: id, For: c.FormValue("for"), Reason: c.FormValue("reason")}.request()
	if err != nil {
		return err
	}
	if _, err := rt.Pause(req, s.originOf(c)); err != nil {
		return err
	}
	return s.controlDone(c)
}

// resumeForm: POST /control/resume (scope, id).
func (s *Server) resumeForm(c echo.Context) error {
	rt, err := s.rt()
	if err != nil {
		return err
	}
	id, err := formID(c, "id")
	if err != nil {
		return err
	}
	req, err := pauseInput{Scope: c.FormValue("scope"), ID: id}.request()
	if err != nil {
		return err
	}
	if err := rt.Resume(req.Scope, req.ID, s.originOf(c)); err != nil {
		return err
	}
	return s.controlDone(c)
}

// quarantineForm: POST /control/quarantine (account_id, reason).
func (s *Server) quarantineForm(c echo.Context) error {
	rt, err := s.rt()
	if err != nil {
		return err
	}
	id, reason, err := quarantineInput(c.FormValue("account_id"), c.FormValue("reason"))
	if err != nil {
		return err
	}
	if err := rt.Quarantine(id, reason, s.originOf(c)); err != nil {
		return err
	}
	return s.controlDone(c)
}

// unquarantineForm: POST /control/unquarantine (account_id).
func (s *Server) unquarantineForm(c echo.Context) error {
	rt, err := s.rt()
	if err != nil {
		return err
	}
	id, _, err := quarantineInput(c.FormValue("account_id"), "")
	if err != nil {
		return err
	}
	if err := rt.Unquarantine(id, s.originOf(c)); err != nil {
		return err
	}
	return s.controlDone(c)
}

func quarantineInput(id, reason string) (uint64, string, error) {
	if strings.TrimSpace(id) == "" {
		return 0, "", model.Errorf(model.CodeInvalid, "account_id is required: say which account")
	}
	n, err := parseUint(id, "account_id")
	if err != nil {
		return 0, "", err
	}
	r, err := reasonText(reason, "reason")
	return n, r, err
}

// apiPause: POST /api/v1/control/pause {"scope","id","for","reason"} →
// the pause now in force.
func (s *Server) apiPause(c echo.Context) error {
	rt, err := s.rt()
	if err != nil {
		return err
	}
	var in pauseInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	req, err := in.request()
	if err != nil {
		return err
	}
	p, err := rt.Pause(req, s.originOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// apiResume: POST /api/v1/control/resume {"scope","id"}.
func (s *Server) apiResume(c echo.Context) error {
	rt, err := s.rt()
	if err != nil {
		return err
	}
	var in struct {
		Scope string `json:"scope"`
		ID    uint64 `json:"id"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	req, err := pauseInput{Scope: in.Scope, ID: in.ID}.request()
	if err != nil {
		return err
	}
	if err := rt.Resume(req.Scope, req.ID, s.originOf(c)); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"scope": req.Scope, "id": req.ID, "paused": false})
}

type quarantineBody struct {
	AccountID uint64 `json:"account_id"`
	Reason    string `json:"reason"`
}

// apiQuarantine: POST /api/v1/control/quarantine {"account_id","reason"}
// → the account's status.
func (s *Server) apiQuarantine(c echo.Context) error {
	rt, err := s.rt()
	if err != nil {
		return err
	}
	var in quarantineBody
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.AccountID == 0 {
		return model.Errorf(model.CodeInvalid, "account_id is required: say which account")
	}
	reason, err := reasonText(in.Reason, "reason")
	if err != nil {
		return err
	}
	if err := rt.Quarantine(in.AccountID, reason, s.originOf(c)); err != nil {
		return err
	}
	return s.apiAccountStatus(c, in.AccountID)
}

// apiUnquarantine: POST /api/v1/control/unquarantine {"account_id"}.
func (s *Server) apiUnquarantine(c echo.Context) error {
	rt, err := s.rt()
	if err != nil {
		return err
	}
	var in struct {
		AccountID uint64 `json:"account_id"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.AccountID == 0 {
		return model.Errorf(model.CodeInvalid, "account_id is required: say which account")
	}
	if err := rt.Unquarantine(in.AccountID, s.originOf(c)); err != nil {
		return err
	}
	return s.apiAccountStatus(c, in.AccountID)
}

// apiAccountStatus answers with an account's runtime status; an archived
// account has none, so it gets a plain confirmation.
func (s *Server) apiAccountStatus(c echo.Context, id uint64) error {
	st, err := s.o.Runtime.AccountStatus(id)
	if model.ErrorCode(err) == model.CodeNotFound {
		return c.JSON(http.StatusOK, map[string]any{"account_id": id})
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}
