package web

import (
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/model"
	"parley/automation"
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
	// ShowWindow moves the account's work into a visible browser window
	// (show) or back into the shared headless browser.
	ShowWindow(accountID uint64, show bool) error
}

// accountSession is the LinkedIn session part of the account page.
func (s *Server) accountSession(id uint64) *pages.AccountSession {
	v := &pages.AccountSession{Now: s.o.Clock.Now(), NoDisplay: automation.NoDisplay(os.Getenv)}
	if a, err := s.o.Accounts.Get(id); err == nil {
		v.ShowBrowser = a.ShowBrowser
	}
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

// windowInput is the browser-window switch of an account.
type windowInput struct {
	Show *bool `json:"show"`
}

// showWindow switches the account between a visible window and the shared
// headless browser: the browser first (a computer without a desktop
// refuses), then the stored choice, which is audited.
func (s *Server) showWindow(c echo.Context, id uint64, show bool) (model.Account, error) {
	a, err := s.o.Accounts.Get(id)
	if err != nil {
		return a, err
	}
	if a.Archived() {
		return a, model.Errorf(model.CodeConflict, "account %q is archived and cannot be changed", a.Name)
	}
	if s.o.LinkedIn != nil {
		if err := s.o.LinkedIn.ShowWindow(id, show); err != nil {
			return a, err
		}
	}
	return s.o.Accounts.ShowBrowser(id, show, s.originOf(c))
}

// windowForm: POST /accounts/:id/window with show=yes|no.
func (s *Server) windowForm(c echo.Context) error {
	id, err := accountID(c)
	if err != nil {
		return err
	}
	var show bool
	switch c.FormValue("show") {
	case "yes":
		show = true
	case "no":
	default:
		return model.Errorf(model.CodeInvalid, "show must be yes or no")
	}
	if _, err := s.showWindow(c, id, show); err != nil {
		return err
	}
	done := "window-hidden"
	if show {
		done = "window-shown"
	}
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/accounts/%d?session=%s", id, done))
}

// apiWindow: PUT /api/v1/accounts/:id/window {"show": true|false} → the account.
func (s *Server) apiWindow(c echo.Context) error {
	id, err := accountID(c)
	if err != nil {
		return err
	}
	var in windowInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Show == nil {
		return model.Errorf(model.CodeInvalid, `say "show": true (a visible window) or false (headless)`)
	}
	a, err := s.showWindow(c, id, *in.Show)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

// sessionNotice words the outcome of a session action for the page.
func sessionNotice(v string) string {
	switch v {
	case "window-shown":
		return "This account now works in a visible browser window, from its next action on."
	case "window-hidden":
		return "This account works in the background again (no window), from its next action on."
	case "signing-in":
		return "A browser window opened on LinkedIn's sign-in page. Sign in there; Parley closes it once you are in."
	case "signed-out":
		return "Signed out: the saved LinkedIn session of this account is deleted."
	}
	return ""
}
