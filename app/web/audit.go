package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/model"
	"parley/storage"
	"parley/views/pages"
)

// auditCategories lists the categories of the audit trail for the filter.
var auditCategories = []string{"access", "apikey", "authn", "authz", "data", "malicious", "session"}

const auditPageSize = 50

func (s *Server) auditPage(c echo.Context) error {
	v := pages.AuditView{Categories: auditCategories, Filter: pages.AuditFilter{
		Category: c.QueryParam("category"), Actor: c.QueryParam("actor"), Since: c.QueryParam("since"), Until: c.QueryParam("until"),
	}}
	f, before, err := auditQuery(c, true)
	status := http.StatusOK
	if err != nil {
		v.Error, status = model.PublicMessage(err), http.StatusBadRequest
	} else if v.Records, v.NextBefore, err = s.searchAudit(f, before, auditPageSize); err != nil {
		return err
	}
	if v.NextBefore != 0 {
		q := c.QueryParams()
		q.Set("before", strconv.FormatUint(v.NextBefore, 10))
		v.NextQuery = q.Encode()
	}
	return s.render(c, status, pages.Audit(s.layout(c, "Audit", "audit"), v))
}

type auditResponse struct {
	Records    []model.AuditRecord `json:"records"`
	NextBefore uint64              `json:"next_before,omitempty"`
}

// apiAudit: GET /api/v1/audit?category=&action=&actor=&since=&until=&before=&limit=
// (times RFC 3339 or YYYY-MM-DD, UTC).
func (s *Server) apiAudit(c echo.Context) error {
	f, before, err := auditQuery(c, false)
	if err != nil {
		return err
	}
	limit := 100
	if l := c.QueryParam("limit"); l != "" {
		if limit, err = strconv.Atoi(l); err != nil || limit < 1 || limit > 1000 {
			return model.Errorf(model.CodeInvalid, "limit must be a number from 1 to 1000")
		}
	}
	recs, next, err := s.searchAudit(f, before, limit)
	if err != nil {
		return err
	}
	if recs == nil {
		recs = []model.AuditRecord{}
	}
	return c.JSON(http.StatusOK, auditResponse{Records: recs, NextBefore: next})
}

func (s *Server) searchAudit(f storage.AuditFilter, before uint64, limit int) (recs []model.AuditRecord, next uint64, err error) {
	err = s.o.Store.View(func(tx *storage.Tx) error {
		recs, next, err = tx.SearchAudit(f, before, limit, 20000)
		return err
	})
	return recs, next, err
}

func auditQuery(c echo.Context, page bool) (storage.AuditFilter, uint64, error) {
	q := c.QueryParams()
	f := storage.AuditFilter{Category: q.Get("category"), Action: q.Get("action"), Actor: q.Get("actor")}
	var err error
	if f.Since, err = parseWhen(q, "since", false); err != nil {
		return f, 0, err
	}
	if f.Until, err = parseWhen(q, "until", true); err != nil {
		return f, 0, err
	}
	var before uint64
	if b := q.Get("before"); b != "" {
		if before, err = strconv.ParseUint(b, 10, 64); err != nil {
			return f, 0, model.Errorf(model.CodeInvalid, "before must be a record number")
		}
	}
	return f, before, nil
}

// parseWhen reads the date or time in the query parameter name.
func parseWhen(q url.Values, name string, end bool) (time.Time, error) {
	return model.ParseWhen(q.Get(name), name, end)
}
