package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// Perm is the permission a route requires. Every route declares one; a
// test fails on any route without it (deny by default).
type Perm int

// Permissions. Public routes answer anyone who passes the Host and IP
// checks; the others are enforced by the authentication layer.
const (
	PermNone Perm = iota
	PermPublic
	PermSession
	PermAPIRead
	PermAPIControl
)

func (p Perm) String() string {
	return [...]string{"none", "public", "session", "api-read", "api-control"}[p]
}

type route struct {
	method string
	path   string
	perm   Perm
	h      echo.HandlerFunc
}

// routes is the one route table.
func (s *Server) routes() []route {
	return []route{
		{http.MethodGet, "/healthz", PermPublic, s.healthz},
		{http.MethodHead, "/healthz", PermPublic, s.healthz},
		{http.MethodGet, "/assets/*", PermPublic, echo.WrapHandler(s.assets)},
		{http.MethodHead, "/assets/*", PermPublic, echo.WrapHandler(s.assets)},
		{http.MethodGet, "/favicon.ico", PermPublic, s.favicon},

		{http.MethodGet, "/", PermSession, s.dashboard},
		{http.MethodGet, "/backups", PermSession, s.backupsPage},
		{http.MethodPost, "/backups", PermSession, s.backupNow},
	}
}

// RoutePerms maps "METHOD PATH" to the declared permission of every route
// registered on the router.
func (s *Server) RoutePerms() map[string]Perm {
	m := map[string]Perm{}
	for _, r := range s.routes() {
		m[r.method+" "+r.path] = r.perm
	}
	return m
}

func (s *Server) router() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	// The client IP is the TCP peer. Echo's default would trust
	// X-Forwarded-For from anyone.
	e.IPExtractor = echo.ExtractIPDirect()
	e.HTTPErrorHandler = s.handleError
	e.Pre(s.requestID, s.securityHeaders, s.checkHost)
	e.Use(s.accessLog, s.recoverPanics, s.checkOrigin, s.limitBody)
	for _, r := range s.routes() {
		if r.perm == PermNone {
			panic("web: route " + r.method + " " + r.path + " has no permission")
		}
		e.Add(r.method, r.path, r.h)
	}
	return e
}

func (s *Server) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

func (s *Server) favicon(c echo.Context) error {
	return c.Redirect(http.StatusMovedPermanently, s.assets.URL("icon.svg"))
}
