package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"parley/app/model"
	"parley/views/pages"
)

func (s *Server) sessionsPage(c echo.Context) error {
	return s.renderSessions(c, http.StatusOK, nil, "")
}

func (s *Server) renderSessions(c echo.Context, status int, flash *pages.Flash, pwErr string) error {
	a := authOf(c)
	list, err := s.o.Security.Sessions(a.User, a.LoginID)
	if err != nil {
		return err
	}
	opts := s.o.Security.Options()
	v := pages.SessionsView{Now: s.o.Clock.Now(), User: a.User, IdleTimeout: opts.IdleTimeout, MaxAge: opts.AbsoluteTimeout, Flash: flash, PasswordError: pwErr}
	for _, sess := range list {
		v.Sessions = append(v.Sessions, pages.SessionRow{
			LoginID: sess.LoginID, CreatedAt: sess.CreatedAt, LastSeen: sess.LastSeen,
			PeerIP: sess.PeerIP, UserAgent: sess.UserAgent, Current: sess.Current,
		})
	}
	return s.render(c, status, pages.Sessions(s.layout(c, "Sessions", "sessions"), v))
}

func (s *Server) revokeSession(c echo.Context) error {
	a := authOf(c)
	id := c.FormValue("login_id")
	if id == a.LoginID {
		return model.Errorf(model.CodeInvalid, "To end this session, use Sign out.")
	}
	if err := s.o.Security.RevokeSession(a.User, id, s.meta(c)); err != nil {
		return err
	}
	return s.renderSessions(c, http.StatusOK, &pages.Flash{Kind: "ok", Text: "That session is signed out."}, "")
}

func (s *Server) revokeOtherSessions(c echo.Context) error {
	a := authOf(c)
	n, err := s.o.Security.RevokeOtherSessions(a.User, a.LoginID, s.meta(c))
	if err != nil {
		return err
	}
	return s.renderSessions(c, http.StatusOK, &pages.Flash{Kind: "ok", Text: plural(n, "other session") + " signed out."}, "")
}

// changePassword checks the current password, sets the new one, signs out
// every other session and gives this one a new id (cookie).
func (s *Server) changePassword(c echo.Context) error {
	a := authOf(c)
	next := c.FormValue("password")
	if next != c.FormValue("confirm") {
		return s.renderSessions(c, http.StatusBadRequest, nil, "The two new passwords differ.")
	}
	token, err := s.o.Security.ChangePassword(a.User, c.FormValue("current"), next, a.LoginID, s.meta(c))
	if err != nil {
		if status := s.statusOf(err); status < 500 {
			if wait := model.RetryAfter(err); wait > 0 {
				c.Response().Header().Set("Retry-After", retryAfter(wait))
			}
			return s.renderSessions(c, status, nil, model.PublicMessage(err))
		}
		return err
	}
	if err := s.sessions.Issue(c.Request(), c.Response(), token); err != nil {
		return err
	}
	return s.renderSessions(c, http.StatusOK, &pages.Flash{Kind: "ok", Text: "Password changed. Every other session is signed out."}, "")
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return itoa(n) + " " + what + "s"
}
