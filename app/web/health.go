package web

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"parley/app/model"
	"parley/app/runtime"
	"parley/views/pages"
)

// healthWindow is how many snapshots the page and the API show by default.
func healthWindow(period string) int {
	if period == runtime.PeriodHour {
		return 48
	}
	return 30
}

// healthQuery reads ?period=day|hour (default day) and ?n= (1–744).
func healthQuery(c echo.Context) (period string, n int, err error) {
	period = c.QueryParam("period")
	if period == "" {
		period = runtime.PeriodDay
	}
	if period != runtime.PeriodDay && period != runtime.PeriodHour {
		return "", 0, model.Errorf(model.CodeInvalid, "period must be day or hour, not %q", truncate(period, 20))
	}
	n, err = queryInt(c, "n", healthWindow(period), 1, 24*31)
	return period, n, err
}

// healthPage: GET /accounts/:id/health[?period=day|hour] — charts of the
// account's health snapshots.
func (s *Server) healthPage(c echo.Context) error {
	rt, err := s.rt()
	if err != nil {
		return err
	}
	id, err := accountID(c)
	if err != nil {
		return err
	}
	period, n, err := healthQuery(c)
	if err != nil {
		return err
	}
	a, err := s.o.Accounts.Get(id)
	if err != nil {
		return err
	}
	snaps, err := rt.Health(id, period, n)
	if err != nil {
		return err
	}
	v := pages.HealthView{Account: pages.AccountRef{ID: a.ID, Name: a.Name}, Period: period, Snapshots: snaps}
	if st, err := rt.AccountStatus(id); err == nil {
		v.Level, v.Rule = st.Health, st.HealthRule
	} else if len(snaps) > 0 {
		// An archived account has no live status; its last snapshot says
		// how it ended.
		v.Level, v.Rule = snaps[len(snaps)-1].Level, snaps[len(snaps)-1].Rule
	}
	return s.render(c, http.StatusOK, pages.Health(s.layout(c, fmt.Sprintf("Health of %s", a.Name), "accounts"), v))
}

// apiHealth: GET /api/v1/accounts/:id/health?period=day|hour&n=30
func (s *Server) apiHealth(c echo.Context) error {
	rt, err := s.rt()
	if err != nil {
		return err
	}
	id, err := accountID(c)
	if err != nil {
		return err
	}
	period, n, err := healthQuery(c)
	if err != nil {
		return err
	}
	snaps, err := rt.Health(id, period, n)
	if err != nil {
		return err
	}
	if snaps == nil {
		snaps = []model.HealthSnapshot{}
	}
	return c.JSON(http.StatusOK, map[string]any{"account_id": id, "period": period, "snapshots": snaps})
}
