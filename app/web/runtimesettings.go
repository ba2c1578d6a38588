package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"parley/app/model"
	"parley/app/runtime"
	"parley/views/pages"
)

const ceilingsUnconfirmed = "Turning the compliance ceilings off needs the box “I understand the risk” ticked; nothing was changed"

// runtimeSettingsPage: GET /settings/runtime
func (s *Server) runtimeSettingsPage(c echo.Context) error {
	rt, err := s.rt()
	if err != nil {
		return err
	}
	st, err := rt.Settings()
	if err != nil {
		return err
	}
	v := pages.RuntimeSettingsView{Form: runtimeSettingsForm(st)}
	if c.QueryParams().Has("saved") {
		v.Flash = &pages.Flash{Kind: "ok", Text: "Runtime settings saved."}
	}
	return s.renderRuntimeSettings(c, http.StatusOK, v)
}

func (s *Server) renderRuntimeSettings(c echo.Context, status int, v pages.RuntimeSettingsView) error {
	st, err := s.o.Runtime.Settings()
	if err != nil {
		return err
	}
	v.Enforced, v.Ceilings = st.EnforceCeilings, model.CeilingLimits()
	return s.render(c, status, pages.RuntimeSettings(s.layout(c, "Runtime settings", "settings"), v))
}

func runtimeSettingsForm(st runtime.Settings) pages.RuntimeSettingsForm {
	return pages.RuntimeSettingsForm{EnforceCeilings: st.EnforceCeilings,
		PauseMinSeconds: fmt.Sprint(st.PauseMinSeconds), PauseMaxSeconds: fmt.Sprint(st.PauseMaxSeconds),
		SoftLimitPercent: fmt.Sprint(st.SoftLimitPercent), MaxAttempts: fmt.Sprint(st.MaxAttempts),
		JobRetentionDays: fmt.Sprint(st.JobRetentionDays), EvidenceRetentionDays: fmt.Sprint(st.EvidenceRetentionDays)}
}

// saveRuntimeSettings: POST /settings/runtime. Turning the ceilings off
// needs the confirmation box; a bad value shows the form again as typed.
func (s *Server) saveRuntimeSettings(c echo.Context) error {
	rt, err := s.rt()
	if err != nil {
		return err
	}
	form := pages.RuntimeSettingsForm{EnforceCeilings: c.FormValue("enforce_ceilings") == "on",
		PauseMinSeconds: c.FormValue("pause_min_seconds"), PauseMaxSeconds: c.FormValue("pause_max_seconds"),
		SoftLimitPercent: c.FormValue("soft_limit_percent"), MaxAttempts: c.FormValue("max_attempts"),
		JobRetentionDays: c.FormValue("job_retention_days"), EvidenceRetentionDays: c.FormValue("evidence_retention_days")}
	prev, err := rt.Settings()
	if err != nil {
		return err
	}
	st := prev
	st.EnforceCeilings = form.EnforceCeilings
	err = firstErr(
		wholeNumber(form.PauseMinSeconds, "The shortest pause", &st.PauseMinSeconds),
		wholeNumber(form.PauseMaxSeconds, "The longest pause", &st.PauseMaxSeconds),
		wholeNumber(form.SoftLimitPercent, "The soft limit", &st.SoftLimitPercent),
		wholeNumber(form.MaxAttempts, "The number of tries", &st.MaxAttempts),
		wholeNumber(form.JobRetentionDays, "The job retention", &st.JobRetentionDays),
		wholeNumber(form.EvidenceRetentionDays, "The evidence retention", &st.EvidenceRetentionDays),
	)
	if err == nil && prev.EnforceCeilings && !st.EnforceCeilings && c.FormValue("confirm_ceilings_off") != "yes" {
		err = model.Errorf(model.CodeInvalid, ceilingsUnconfirmed)
	}
	if err == nil {
		err = rt.SaveSettings(st, s.originOf(c))
	}
	if err != nil {
		if status := s.statusOf(err); status < 500 {
			return s.renderRuntimeSettings(c, status, pages.RuntimeSettingsView{Form: form, Error: capitalise(model.PublicMessage(err)) + "."})
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/settings/runtime?saved=1")
}

// apiRuntimeSettings: GET /api/v1/runtime/settings
func (s *Server) apiRuntimeSettings(c echo.Context) error {
	rt, err := s.rt()
	if err != nil {
		return err
	}
	st, err := rt.Settings()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// apiSaveRuntimeSettings: PUT /api/v1/runtime/settings. Fields left out
// keep their value; turning the ceilings off is audited as such.
func (s *Server) apiSaveRuntimeSettings(c echo.Context) error {
	rt, err := s.rt()
	if err != nil {
		return err
	}
	st, err := rt.Settings()
	if err != nil {
		return err
	}
	if err := decodeJSON(c, &st); err != nil {
		return err
	}
	if err := rt.SaveSettings(st, s.originOf(c)); err != nil {
		return err
	}
	if st, err = rt.Settings(); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}
