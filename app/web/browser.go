package web

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	"github.com/labstack/echo/v4"

	"parley/automation/browser"
	"parley/views/pages"
)

// browserRoutes are the Settings → Browser panel.
func (s *Server) browserRoutes() []route {
	return []route{
		{http.MethodGet, "/settings/browser", PermSession, classNone, s.browserPage},
	}
}

// browserPage: GET /settings/browser. It shows the provisioning probe (it
// runs the browser's and Node.js's --version, downloads nothing) and the
// saved sessions, without reading them.
func (s *Server) browserPage(c echo.Context) error {
	r := browser.Probe(c.Request().Context(), os.Getenv)
	v := pages.BrowserView{
		Ready: r.OK(), Root: r.Root, Fallback: r.Fallback,
		Pieces: []pages.BrowserPiece{
			browserPiece("Browser", r.Browser, r.Browser.Version),
			browserPiece("Node.js", r.Node, r.Node.Version),
			browserPiece("Playwright driver", r.Driver, r.Driver.Version),
		},
		SessionsDir: s.o.Config.Paths.BrowserProfiles(),
	}
	sessions, err := browser.ListSessions(v.SessionsDir)
	if err != nil {
		v.SessionsError = err.Error()
	}
	v.SessionsExist, v.Exposed = sessions.Exists, sessions.Exposed
	names, err := s.accountNames()
	if err != nil {
		return err
	}
	for _, saved := range sessions.Saved {
		name, ok := names[saved.AccountID]
		if !ok {
			name = fmt.Sprintf("account #%d (not in Parley any more)", saved.AccountID)
		}
		v.Sessions = append(v.Sessions, pages.BrowserSession{Account: name, File: filepath.Base(saved.Path),
			SavedAt: saved.SavedAt, Private: saved.Private, Mode: saved.Mode.String()})
	}
	return s.render(c, http.StatusOK, pages.BrowserSettings(s.layout(c, "Browser", "settings"), v))
}

// browserPiece puts one probed piece in plain words.
func browserPiece(name string, p browser.Piece, what string) pages.BrowserPiece {
	out := pages.BrowserPiece{Name: name, How: p.How, Problem: p.Problem, Fix: p.Fix}
	switch p.Status {
	case browser.Ready:
		out.Kind, out.Label = "ok", "ready"
	case browser.Later:
		out.Kind, out.Label = "warn", "on first use"
	default:
		out.Kind, out.Label = "bad", "missing"
	}
	if p.Path != "" {
		if p.Status == browser.Ready && what != "" {
			out.What = what + " at " + p.Path
		} else {
			out.What = p.Path
		}
	}
	return out
}
