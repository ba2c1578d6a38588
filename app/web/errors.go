package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"parley/app/model"
	"parley/views/pages"
)

// handleError is the one error handler. It maps coded errors to statuses,
// logs only internal errors (with the correlation id) and answers with a
// page, an htmx fragment or JSON. Users never see a raw Go error.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		s.log.Error("error after response started", "error", err, "request_id", RequestID(c.Request().Context()))
		return
	}
	status, title, msg := s.classify(err, c)
	v := pages.ErrorView{Status: status, Title: title, Message: msg, RequestID: RequestID(c.Request().Context())}
	req := c.Request()
	var rerr error
	switch {
	case req.Method == http.MethodHead:
		rerr = c.NoContent(status)
	case strings.HasPrefix(req.URL.Path, "/api/") || wantsJSON(req):
		rerr = c.JSON(status, map[string]any{"error": map[string]any{
			"status": status, "message": msg, "request_id": v.RequestID,
		}})
	case req.Header.Get("HX-Request") == "true":
		rerr = s.render(c, status, pages.ErrorFragment(v))
	default:
		rerr = s.render(c, status, pages.Error(s.layout(c, title, ""), v))
	}
	if rerr != nil {
		s.log.Error("rendering the error response failed", "error", rerr, "request_id", v.RequestID)
	}
}

func (s *Server) classify(err error, c echo.Context) (int, string, string) {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		msg, _ := he.Message.(string)
		switch he.Code {
		case http.StatusNotFound:
			return he.Code, "Not found", "There is no page at this address."
		case http.StatusMethodNotAllowed:
			return he.Code, "Method not allowed", "This address does not accept that kind of request."
		case http.StatusRequestEntityTooLarge:
			return he.Code, "Too large", "The request is too large."
		}
		if he.Code >= 500 {
			s.log.Error("internal error", "error", err, "request_id", RequestID(c.Request().Context()))
			return he.Code, "Something went wrong", model.PublicMessage(nil)
		}
		if msg == "" {
			msg = http.StatusText(he.Code)
		}
		return he.Code, http.StatusText(he.Code), msg
	}
	code := model.ErrorCode(err)
	status := map[model.Code]int{
		model.CodeInvalid:      http.StatusBadRequest,
		model.CodeNotFound:     http.StatusNotFound,
		model.CodeConflict:     http.StatusConflict,
		model.CodeUnauthorized: http.StatusUnauthorized,
		model.CodeForbidden:    http.StatusForbidden,
		model.CodeUnavailable:  http.StatusServiceUnavailable,
	}[code]
	if status == 0 {
		s.log.Error("internal error", "error", err, "path", c.Request().URL.Path, "request_id", RequestID(c.Request().Context()))
		return http.StatusInternalServerError, "Something went wrong", model.PublicMessage(err)
	}
	return status, http.StatusText(status), model.PublicMessage(err)
}

func wantsJSON(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html")
}
