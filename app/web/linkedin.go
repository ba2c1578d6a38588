package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/model"
	"parley/views/pages"
)

// LinkedInSessions signs accounts in and out of LinkedIn. The person signs
// in in a browser window Parley opens; Parley never sees the password.
type LinkedInSessions interface {
	// Session says whether the account has a saved session, since when,
	// and whether a sign-in window is open for it.
	Session(accountID uint64) (signedIn bool, savedAt time.Time, signing bool)
	// StartLogin opens the sign-in window and returns at once; the session
	// is saved when the person has signed in.
	StartLogin(accountID uint64, o model.Origin) error
	// LogOut forgets the account's saved session.
	LogOut(accountID uint64, o model.Origin) error
}

// accountSession is the LinkedIn session part of the account page.
func (s *Server) accountSession(id uint64) *pages.AccountSession {
	v := &pages.AccountSession{Now: s.o.Clock.Now()}
	if s.o.LinkedIn == nil {
		return v
	}
	v.Browser = true
	v.SignedIn, v.SavedAt, v.Signing = s.o.LinkedIn.Session(id)
	return v
}

// loginAccount: POST /accounts/:id/login opens the sign-in window.
func (s *Server) loginAccount(c echo.Context) error {
	return s.sessionAction(c, func(id uint64, o model.Origin) error { return s.o.LinkedIn.StartLogin(id, o) }, "signing-in")
}

// logoutAccount: POST /accounts/:id/logout forgets the saved session.
func (s *Server) logoutAccount(c echo.Context) error {
	return s.sessionAction(c, func(id uint64, o model.Origin) error { return s.o.LinkedIn.LogOut(id, o) }, "signed-out")
}

func (s *Server) sessionAction(c echo.Context, act func(uint64, model.Origin) error, done string) error {
	id, err := accountID(c)
	if err != nil {
		return err
	}
	if _, err := s.o.Accounts.Get(id); err != nil {
		return err
	}
	if s.o.LinkedIn == nil {
		return model.Errorf(model.CodeUnavailable, "no browser is set up on this computer; Settings → Browser says what to install")
	}
	if err := act(id, s.originOf(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/accounts/%d?session=%s", id, done))
}

// sessionNotice words the outcome of a session action for the page.
func sessionNotice(v string) string {
	switch v {
	case "signing-in":
		return "A browser window opened on LinkedIn's sign-in page. Sign in there; Parley closes it once you are in."
	case "signed-out":
		return "Signed out: the saved LinkedIn session of this account is deleted."
	}
	return ""
}
