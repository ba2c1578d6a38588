package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/campaigns"
	"parley/app/model"
	"parley/views/pages"
)

// outreachRoutes are the pages and API of outreach settings, exports and personal-data requests.
func (s *Server) outreachRoutes() []route {
	get, post := http.MethodGet, http.MethodPost
	return []route{
		{get, "/settings", PermSession, classNone, s.settingsPage},
		{post, "/settings", PermSession, classControl, s.saveSettings},
		{post, "/settings/retention/run", PermSession, classControl, s.runRetention},
		{get, "/leads/export", PermSession, classNone, s.exportLeads},
		{get, "/leads/:id/export.json", PermSession, classNone, s.exportPerson},
		{post, "/leads/:id/erase", PermSession, classControl, s.eraseLead},

		{get, "/api/v1/settings/outreach", PermAPIRead, classAPI, s.apiSettings},
		{http.MethodPut, "/api/v1/settings/outreach", PermAPIControl, classControl, s.apiSaveSettings},
		{post, "/api/v1/retention/run", PermAPIControl, classControl, s.apiRunRetention},
		{get, "/api/v1/leads/export", PermAPIRead, classAPI, s.exportLeads},
		{get, "/api/v1/leads/:id/export", PermAPIRead, classAPI, s.apiExportPerson},
		{post, "/api/v1/leads/:id/erase", PermAPIControl, classControl, s.apiEraseLead},
	}
}

func (s *Server) settingsPage(c echo.Context) error {
	st, err := s.o.Campaigns.Settings()
	if err != nil {
		return err
	}
	v := pages.SettingsView{Form: settingsForm(st)}
	q := c.QueryParams()
	switch {
	case q.Has("saved"):
		v.Flash = &pages.Flash{Kind: "ok", Text: "Settings saved."}
	case q.Has("purged"):
		v.Flash = &pages.Flash{Kind: "ok", Text: purgedText(q.Get("purged"))}
	}
	return s.renderSettings(c, http.StatusOK, v)
}

func purgedText(n string) string {
	switch n {
	case "0":
		return "Retention ran: no lead was inactive long enough, nothing was erased."
	case "1":
		return "Retention ran: the personal data of 1 inactive lead was erased."
	}
	n = truncate(n, 9)
	if _, err := strconv.Atoi(n); err != nil {
		n = "some"
	}
	return "Retention ran: the personal data of " + n + " inactive leads was erased."
}

func (s *Server) renderSettings(c echo.Context, status int, v pages.SettingsView) error {
	st, err := s.o.Campaigns.Settings()
	if err != nil {
		return err
	}
	v.MaxMessage, v.RetentionDays = model.DefaultMessageMaxChars, st.RetentionDays
	v.Cutoff = s.o.Clock.Now().Add(-time.Duration(st.RetentionDays) * 24 * time.Hour)
	return s.render(c, status, pages.Settings(s.layout(c, "Settings", "settings"), v))
}

func settingsForm(st campaigns.Settings) pages.SettingsForm {
	return pages.SettingsForm{MessageMaxChars: fmt.Sprint(st.MessageMaxChars), RetentionDays: fmt.Sprint(st.RetentionDays),
		WarmupStart: fmt.Sprint(st.Warmup.StartPerDay), WarmupStep: fmt.Sprint(st.Warmup.StepPerDay)}
}

// saveSettings: POST /settings. Each field must be a whole number; the
// service checks the ranges.
func (s *Server) saveSettings(c echo.Context) error {
	form := pages.SettingsForm{MessageMaxChars: c.FormValue("message_max_chars"), RetentionDays: c.FormValue("retention_days"),
		WarmupStart: c.FormValue("warmup_start"), WarmupStep: c.FormValue("warmup_step")}
	var st campaigns.Settings
	err := firstErr(
		wholeNumber(form.MessageMaxChars, "The message length limit", &st.MessageMaxChars),
		wholeNumber(form.RetentionDays, "The retention", &st.RetentionDays),
		wholeNumber(form.WarmupStart, "The warm-up start", &st.Warmup.StartPerDay),
		wholeNumber(form.WarmupStep, "The daily warm-up step", &st.Warmup.StepPerDay),
	)
	if err == nil {
		err = s.o.Campaigns.SaveSettings(st, s.originOf(c))
	}
	if err != nil {
		if status := s.statusOf(err); status < 500 {
			return s.renderSettings(c, status, pages.SettingsView{Form: form, Error: capitalise(model.PublicMessage(err)) + "."})
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/settings?saved=1")
}

func wholeNumber(s, what string, dst *int) error {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return model.Errorf(model.CodeInvalid, "%s must be a whole number; %q is not", what, truncate(s, 20))
	}
	*dst = n
	return nil
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.TrimSuffix(s[1:], ".")
}

// runRetention: POST /settings/retention/run
func (s *Server) runRetention(c echo.Context) error {
	n, err := s.o.Campaigns.PurgeInactive(s.originOf(c))
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/settings?purged=%d", n))
}

// apiSettings: GET /api/v1/settings/outreach
func (s *Server) apiSettings(c echo.Context) error {
	st, err := s.o.Campaigns.Settings()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// apiSaveSettings: PUT /api/v1/settings/outreach. Fields left out keep
// their current value.
func (s *Server) apiSaveSettings(c echo.Context) error {
	st, err := s.o.Campaigns.Settings()
	if err != nil {
		return err
	}
	if err := decodeJSON(c, &st); err != nil {
		return err
	}
	if err := s.o.Campaigns.SaveSettings(st, s.originOf(c)); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}

// apiRunRetention: POST /api/v1/retention/run
func (s *Server) apiRunRetention(c echo.Context) error {
	n, err := s.o.Campaigns.PurgeInactive(s.originOf(c))
	if err != nil {
		return err
	}
	st, err := s.o.Campaigns.Settings()
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int{"purged": n, "retention_days": st.RetentionDays})
}

// exportLeads: GET /leads/export and /api/v1/leads/export — the leads
// matching the filter of the leads page, as a CSV or JSON download.
func (s *Server) exportLeads(c echo.Context) error {
	p := c.QueryParams()
	format := p.Get("format")
	if format == "" {
		format = campaigns.FormatCSV
	}
	if format != campaigns.FormatCSV && format != campaigns.FormatJSON {
		return model.Errorf(model.CodeInvalid, "format must be csv or json, not %q", truncate(format, 20))
	}
	q, err := campaigns.ParseQuery(p)
	if err != nil {
		return err
	}
	ctype := "text/csv; charset=utf-8"
	if format == campaigns.FormatJSON {
		ctype = "application/json"
	}
	w := &download{c: c, name: "parley-leads-" + s.o.Clock.Now().Format("2006-01-02") + "." + format, ctype: ctype}
	_, err = s.o.Campaigns.ExportLeads(w, q, format, campaigns.FilterString(p), s.originOf(c))
	return err
}

// exportPerson: GET /leads/:id/export.json — everything held about one
// person, as a download (a data-subject access request).
func (s *Server) exportPerson(c echo.Context) error {
	id, err := pathID(c, "lead")
	if err != nil {
		return err
	}
	p, err := s.o.Campaigns.PersonExport(id, s.originOf(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="parley-person-%d-%s.json"`, id, s.o.Clock.Now().Format("2006-01-02")))
	return c.JSONPretty(http.StatusOK, p, "  ")
}

// apiExportPerson: GET /api/v1/leads/:id/export
func (s *Server) apiExportPerson(c echo.Context) error {
	id, err := pathID(c, "lead")
	if err != nil {
		return err
	}
	p, err := s.o.Campaigns.PersonExport(id, s.originOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

const eraseUnconfirmed = "Tick “I understand this cannot be undone” to erase this person; nothing was changed."

// eraseLead: POST /leads/:id/erase (reason, confirm). Without the ticked
// box nothing happens.
func (s *Server) eraseLead(c echo.Context) error {
	id, err := pathID(c, "lead")
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(c.FormValue("reason"))
	if c.FormValue("confirm") != "yes" {
		return s.renderLeadErase(c, http.StatusBadRequest, reason, eraseUnconfirmed)
	}
	if err := s.o.Campaigns.Erase(id, reason, s.originOf(c)); err != nil {
		if status := s.statusOf(err); status < 500 && status != http.StatusNotFound {
			return s.renderLeadErase(c, status, reason, model.PublicMessage(err))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/leads/%d?erased=1", id))
}

// apiEraseLead: POST /api/v1/leads/:id/erase {"reason","confirm":true}
func (s *Server) apiEraseLead(c echo.Context) error {
	id, err := pathID(c, "lead")
	if err != nil {
		return err
	}
	var in struct {
		Reason  string `json:"reason"`
		Confirm bool   `json:"confirm"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if !in.Confirm {
		return model.Errorf(model.CodeInvalid, "erasing cannot be undone: send \"confirm\": true to erase lead %d", id)
	}
	if err := s.o.Campaigns.Erase(id, strings.TrimSpace(in.Reason), s.originOf(c)); err != nil {
		return err
	}
	d, err := s.o.Campaigns.Lead(id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d.Lead)
}
