package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/accounts"
	"parley/app/model"
	"parley/views/pages"
)

// commonZones are suggestions for the time zone field; any IANA name works.
var commonZones = []string{
	"Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Rome", "Europe/Madrid",
	"Europe/Amsterdam", "Europe/Brussels", "Europe/Zurich", "Europe/Vienna", "Europe/Stockholm", "Europe/Oslo",
	"Europe/Copenhagen", "Europe/Helsinki", "Europe/Warsaw", "Europe/Prague", "Europe/Athens", "Europe/Istanbul",
	"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Toronto",
	"America/Mexico_City", "America/Sao_Paulo", "America/Buenos_Aires", "Asia/Dubai", "Asia/Kolkata",
	"Asia/Singapore", "Asia/Hong_Kong", "Asia/Shanghai", "Asia/Tokyo", "Asia/Seoul", "Australia/Sydney",
	"Australia/Melbourne", "Pacific/Auckland", "Africa/Johannesburg", "Africa/Lagos", "UTC",
}

func (s *Server) originOf(c echo.Context) model.Origin {
	a, m := authOf(c), s.meta(c)
	return model.Origin{Actor: a.User, AuthMethod: a.Method, PeerIP: m.PeerIP, RequestID: m.RequestID}
}

func (s *Server) accountsPage(c echo.Context) error {
	archived := c.QueryParam("archived") == "1"
	list, err := s.o.Accounts.List(archived)
	if err != nil {
		return err
	}
	v := pages.AccountsView{Accounts: list, Archived: archived}
	if id := c.QueryParam("saved"); id != "" {
		v.Flash = &pages.Flash{Kind: "ok", Text: "Account saved."}
	}
	return s.render(c, http.StatusOK, pages.Accounts(s.layout(c, "Accounts", "accounts"), v))
}

func (s *Server) newAccountPage(c echo.Context) error {
	in := accounts.Defaults("", s.o.Clock.Now())
	return s.renderAccountForm(c, http.StatusOK, 0, in, "")
}

func (s *Server) editAccountPage(c echo.Context) error {
	id, err := accountID(c)
	if err != nil {
		return err
	}
	a, err := s.o.Accounts.Get(id)
	if err != nil {
		return err
	}
	return s.renderAccountForm(c, http.StatusOK, id, inputOf(a), "")
}

// accountPageExtras adds the LinkedIn session and the notice of the last
// session action to an existing account's page.
func (s *Server) accountPageExtras(c echo.Context, v *pages.AccountFormView) {
	if v.ID == 0 {
		return
	}
	v.Session = s.accountSession(v.ID)
	v.Notice = sessionNotice(c.QueryParam("session"))
}

func (s *Server) renderAccountForm(c echo.Context, status int, id uint64, in accounts.Input, msg string) error {
	v := pages.AccountFormView{ID: id, Error: msg, Zones: commonZones, Ceilings: model.CeilingLimits(), Form: pages.AccountValues{
		Name: in.Name, TimeZone: in.TimeZone, WorkStart: in.WorkStart, WorkEnd: in.WorkEnd, Type: in.Type,
		WarmupStart: in.WarmupStart, Notes: in.Notes, Limits: in.Limits,
	}}
	for _, d := range in.WorkDays {
		if d >= 0 && d < 7 {
			v.Form.WorkDays[d] = true
		}
	}
	title := "Add account"
	if id != 0 {
		title = "Edit account"
	}
	s.accountPageExtras(c, &v)
	return s.render(c, status, pages.AccountForm(s.layout(c, title, "accounts"), v))
}

// saveAccount handles both the add form (no id) and the edit form.
func (s *Server) saveAccount(c echo.Context) error {
	in, err := accountForm(c)
	var id uint64
	if c.Param("id") != "" {
		if id, err = accountID(c); err != nil {
			return err
		}
	}
	if err == nil {
		if id == 0 {
			_, err = s.o.Accounts.Create(in, s.originOf(c))
		} else {
			_, err = s.o.Accounts.Update(id, in, s.originOf(c))
		}
	}
	if err != nil {
		if status := s.statusOf(err); status < 500 && status != http.StatusNotFound {
			return s.renderAccountForm(c, status, id, in, model.PublicMessage(err))
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/accounts?saved=1")
}

func (s *Server) archiveAccount(c echo.Context) error {
	id, err := accountID(c)
	if err != nil {
		return err
	}
	if _, err := s.o.Accounts.Archive(id, s.originOf(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/accounts?saved=1")
}

// accountForm reads the HTML form. Numbers that are not numbers become
// -1 so validation names the field.
func accountForm(c echo.Context) (accounts.Input, error) {
	num := func(name string) int {
		n, err := strconv.Atoi(c.FormValue(name))
		if err != nil {
			return -1
		}
		return n
	}
	in := accounts.Input{
		Name: c.FormValue("name"), TimeZone: c.FormValue("time_zone"), WorkStart: c.FormValue("work_start"),
		WorkEnd: c.FormValue("work_end"), Type: c.FormValue("type"), WarmupStart: c.FormValue("warmup_start"),
		Notes: c.FormValue("notes"),
		Limits: model.Limits{
			InvitesPerDay: num("invites_per_day"), InvitesPerWeek: num("invites_per_week"), MessagesPerDay: num("messages_per_day"),
			VisitsPerDay: num("visits_per_day"), WithdrawalsPerDay: num("withdrawals_per_day"),
		},
	}
	form, err := c.FormParams()
	if err != nil {
		return in, model.Errorf(model.CodeInvalid, "the form could not be read")
	}
	for _, d := range form["work_days"] {
		n, err := strconv.Atoi(d)
		if err != nil {
			return in, model.Errorf(model.CodeInvalid, "Working days: %q is not a day", d)
		}
		in.WorkDays = append(in.WorkDays, time.Weekday(n))
	}
	return in, nil
}

func inputOf(a model.Account) accounts.Input {
	return accounts.Input{
		Name: a.Name, TimeZone: a.TimeZone, WorkDays: a.WorkDays, WorkStart: a.WorkStart, WorkEnd: a.WorkEnd,
		Type: a.Type, Limits: a.Limits, WarmupStart: a.WarmupStart.Format("2006-01-02"), Notes: a.Notes,
	}
}

func accountID(c echo.Context) (uint64, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil || id == 0 {
		return 0, model.Errorf(model.CodeNotFound, "there is no account %q", c.Param("id"))
	}
	return id, nil
}

// API: GET /api/v1/accounts[?archived=1]
func (s *Server) apiAccounts(c echo.Context) error {
	list, err := s.o.Accounts.List(c.QueryParam("archived") == "1")
	if err != nil {
		return err
	}
	if list == nil {
		list = []model.Account{}
	}
	return c.JSON(http.StatusOK, map[string]any{"accounts": list})
}

// API: GET /api/v1/accounts/:id
func (s *Server) apiAccount(c echo.Context) error {
	id, err := accountID(c)
	if err != nil {
		return err
	}
	a, err := s.o.Accounts.Get(id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// API: POST /api/v1/accounts (create) and PUT /api/v1/accounts/:id.
func (s *Server) apiSaveAccount(c echo.Context) error {
	var in accounts.Input
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if c.Param("id") == "" {
		a, err := s.o.Accounts.Create(in, s.originOf(c))
		if err != nil {
			return err
		}
		c.Response().Header().Set("Location", fmt.Sprintf("/api/v1/accounts/%d", a.ID))
		return c.JSON(http.StatusCreated, a)
	}
	id, err := accountID(c)
	if err != nil {
		return err
	}
	a, err := s.o.Accounts.Update(id, in, s.originOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// API: POST /api/v1/accounts/:id/archive
func (s *Server) apiArchiveAccount(c echo.Context) error {
	id, err := accountID(c)
	if err != nil {
		return err
	}
	a, err := s.o.Accounts.Archive(id, s.originOf(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}
