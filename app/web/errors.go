package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

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
	var sr *signInRequired
	if errors.As(err, &sr) {
		s.answerSignIn(c, sr)
		return
	}
	if wait := model.RetryAfter(err); wait > 0 {
		c.Response().Header().Set("Retry-After", retryAfter(wait))
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

// answerSignIn sends an unauthenticated caller where it can sign in: API
// clients get 401 with WWW-Authenticate (API only: the HTML UI never asks
// for Basic auth), htmx requests an HX-Redirect so an expired session
// mid-page lands on the login page instead of breaking it, pages a redirect.
func (s *Server) answerSignIn(c echo.Context, sr *signInRequired) {
	r := c.Request()
	id := RequestID(r.Context())
	var err error
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/"):
		h := c.Response().Header()
		h.Add("WWW-Authenticate", `Bearer realm="parley"`)
		if s.o.Config.APIBasicAuth {
			h.Add("WWW-Authenticate", `Basic realm="parley-api", charset="UTF-8"`)
		}
		msg := "Send an API key (Authorization: Bearer KEY) or sign in."
		if strings.HasPrefix(sr.reason, "The API key") {
			msg = sr.reason
		}
		err = c.JSON(http.StatusUnauthorized, map[string]any{"error": map[string]any{"status": 401, "message": msg, "request_id": id}})
	case r.Header.Get("HX-Request") == "true":
		next := "/"
		if u, perr := url.Parse(r.Header.Get("HX-Current-URL")); perr == nil {
			next = safeNext(u.RequestURI())
		}
		c.Response().Header().Set("HX-Redirect", "/login?next="+url.QueryEscape(next))
		err = c.NoContent(http.StatusUnauthorized)
	case r.Method == http.MethodGet:
		err = c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(safeNext(r.URL.RequestURI())))
	default:
		err = c.Redirect(http.StatusSeeOther, "/login")
	}
	if err != nil {
		s.log.Error("answering an unauthenticated request failed", "error", err, "request_id", id)
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
	status := s.statusOf(err)
	if status == http.StatusInternalServerError {
		s.log.Error("internal error", "error", err, "path", c.Request().URL.Path, "request_id", RequestID(c.Request().Context()))
		return http.StatusInternalServerError, "Something went wrong", model.PublicMessage(err)
	}
	return status, http.StatusText(status), model.PublicMessage(err)
}

func wantsJSON(r *http.Request) bool {
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html")
}

// statusOf maps an error's code to its HTTP status.
func (s *Server) statusOf(err error) int {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he.Code
	}
	if status, ok := map[model.Code]int{
		model.CodeInvalid:      http.StatusBadRequest,
		model.CodeNotFound:     http.StatusNotFound,
		model.CodeConflict:     http.StatusConflict,
		model.CodeUnauthorized: http.StatusUnauthorized,
		model.CodeForbidden:    http.StatusForbidden,
		model.CodeUnavailable:  http.StatusServiceUnavailable,
		model.CodeTooMany:      http.StatusTooManyRequests,
	}[model.ErrorCode(err)]; ok {
		return status
	}
	return http.StatusInternalServerError
}

func retryAfter(d time.Duration) string {
	secs := int(d.Seconds())
	if d > time.Duration(secs)*time.Second {
		secs++
	}
	return strconv.Itoa(max(secs, 1))
}
