package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/model"
	"parley/views/pages"
)

func (s *Server) loginPage(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if s.signedIn(c) {
		return c.Redirect(http.StatusSeeOther, next)
	}
	v := pages.LoginView{Next: next, SetupPending: s.o.Security.NeedsSetup()}
	return s.render(c, http.StatusOK, pages.Login(s.layout(c, "Sign in", ""), v))
}

// loginForm is the HTML form's sign-in; it shares the service with
// POST /api/v1/auth/login.
func (s *Server) loginForm(c echo.Context) error {
	v := pages.LoginView{Next: safeNext(c.FormValue("next")), User: c.FormValue("username")}
	res, err := s.o.Security.Login(v.User, c.FormValue("password"), s.meta(c))
	if err != nil {
		status := s.statusOf(err)
		if status >= 500 {
			return err
		}
		if wait := model.RetryAfter(err); wait > 0 {
			c.Response().Header().Set("Retry-After", retryAfter(wait))
		}
		v.Error = model.PublicMessage(err)
		v.SetupPending = s.o.Security.NeedsSetup()
		return s.render(c, status, pages.Login(s.layout(c, "Sign in", ""), v))
	}
	if err := s.sessions.Issue(c.Request(), c.Response(), res.Token); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, v.Next)
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	User      string    `json:"user"`
	CSRFToken string    `json:"csrf_token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// apiLogin: POST /api/v1/auth/login {"username","password"} → 200 with the
// session cookie and the CSRF token scripts send as X-CSRF-Token; 401; or
// 429 with Retry-After.
func (s *Server) apiLogin(c echo.Context) error {
	var req loginRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	res, err := s.o.Security.Login(req.Username, req.Password, s.meta(c))
	if err != nil {
		return err
	}
	if err := s.sessions.Issue(c.Request(), c.Response(), res.Token); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, loginResponse{
		User: res.Session.User, CSRFToken: res.Session.CSRF,
		ExpiresAt: res.Session.CreatedAt.Add(s.o.Security.Options().AbsoluteTimeout),
	})
}

// logout ends the session on the server, expires the cookie, asks the
// browser to drop cookies and storage, and ends the session's streams.
func (s *Server) logout(c echo.Context) error {
	if err := s.endSession(c); err != nil {
		return err
	}
	if c.Request().Header.Get("HX-Request") == "true" {
		c.Response().Header().Set("HX-Redirect", "/login")
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}

func (s *Server) apiLogout(c echo.Context) error {
	if err := s.endSession(c); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]bool{"signed_out": true})
}

func (s *Server) endSession(c echo.Context) error {
	sess, err := s.sessions.Get(c.Request(), s.cookie)
	if err != nil {
		return err
	}
	sess.Options.MaxAge = -1
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	c.Response().Header().Set("Clear-Site-Data", `"cache", "cookies", "storage"`)
	return nil
}

func (s *Server) setupPage(c echo.Context) error {
	token := c.QueryParam("code")
	v := pages.SetupView{Token: token}
	status := http.StatusOK
	if user, err := s.o.Security.SetupUser(token); err != nil {
		v.Invalid, status = model.PublicMessage(err), s.statusOf(err)
	} else {
		v.User = user
	}
	return s.render(c, status, pages.Setup(s.layout(c, "Set up", ""), v))
}

func (s *Server) setupForm(c echo.Context) error {
	v := pages.SetupView{Token: c.FormValue("code"), User: c.FormValue("username")}
	pw := c.FormValue("password")
	if pw != c.FormValue("confirm") {
		v.Error = "The two passwords differ."
		return s.render(c, http.StatusBadRequest, pages.Setup(s.layout(c, "Set up", ""), v))
	}
	res, err := s.o.Security.CompleteSetup(v.Token, v.User, pw, s.meta(c))
	if err != nil {
		status := s.statusOf(err)
		if status >= 500 {
			return err
		}
		if status == http.StatusForbidden {
			v.Invalid = model.PublicMessage(err)
		} else {
			v.Error = model.PublicMessage(err)
		}
		return s.render(c, status, pages.Setup(s.layout(c, "Set up", ""), v))
	}
	if err := s.sessions.Issue(c.Request(), c.Response(), res.Token); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/")
}
