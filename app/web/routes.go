package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// Perm is the permission a route requires. Every route declares one; a
// test fails on any route without it (deny by default).
type Perm int

// Permissions.
const (
	PermNone Perm = iota
	// PermPublic answers anyone who passes the IP and Host checks.
	PermPublic
	// PermSession needs a signed-in browser session.
	PermSession
	// PermAPIRead needs an API key (read or control), Basic auth when
	// enabled, or a session.
	PermAPIRead
	// PermAPIControl needs a control-scope key, Basic auth or a session.
	PermAPIControl
)

func (p Perm) String() string {
	return [...]string{"none", "public", "session", "api-read", "api-control"}[p]
}

// class groups routes under one per-IP rate limit.
type class int

const (
	classNone class = iota
	classLogin
	classAPI
	classControl
)

type route struct {
	method string
	path   string
	perm   Perm
	class  class
	h      echo.HandlerFunc
}

// routes is the one route table; each area of the product adds its part.
func (s *Server) routes() []route {
	var all []route
	for _, part := range [][]route{s.coreRoutes(), s.templateRoutes(), s.campaignRoutes(), s.approvalRoutes(), s.dncRoutes(), s.outreachRoutes(), s.runtimeRoutes(), s.browserRoutes()} {
		all = append(all, part...)
	}
	return all
}

func (s *Server) coreRoutes() []route {
	get, head, post := http.MethodGet, http.MethodHead, http.MethodPost
	return []route{
		{get, "/healthz", PermPublic, classNone, s.healthz},
		{head, "/healthz", PermPublic, classNone, s.healthz},
		{get, "/assets/*", PermPublic, classNone, echo.WrapHandler(s.assets)},
		{head, "/assets/*", PermPublic, classNone, echo.WrapHandler(s.assets)},
		{get, "/favicon.ico", PermPublic, classNone, s.favicon},

		{get, "/login", PermPublic, classNone, s.loginPage},
		{post, "/login", PermPublic, classLogin, s.loginForm},
		{get, "/setup", PermPublic, classNone, s.setupPage},
		{post, "/setup", PermPublic, classLogin, s.setupForm},
		{post, "/logout", PermSession, classNone, s.logout},

		{get, "/", PermSession, classNone, s.dashboard},
		{get, "/events", PermSession, classNone, s.eventStream},
		{get, "/backups", PermSession, classNone, s.backupsPage},
		{post, "/backups", PermSession, classControl, s.backupNow},
		{get, "/audit", PermSession, classNone, s.auditPage},
		{get, "/sessions", PermSession, classNone, s.sessionsPage},
		{post, "/sessions/revoke", PermSession, classControl, s.revokeSession},
		{post, "/sessions/revoke-others", PermSession, classControl, s.revokeOtherSessions},
		{post, "/account/password", PermSession, classLogin, s.changePassword},
		{get, "/leads", PermSession, classNone, s.leadsPage},
		{get, "/leads/new", PermSession, classNone, s.newLeadPage},
		{post, "/leads", PermSession, classControl, s.createLead},
		{post, "/leads/bulk", PermSession, classControl, s.bulkLeads},
		{get, "/leads/import", PermSession, classNone, s.importPage},
		{post, "/leads/import", PermSession, classControl, s.uploadImport},
		{post, "/leads/import/start", PermSession, classControl, s.startImport},
		{get, "/imports/:id", PermSession, classNone, s.importRunPage},
		{get, "/imports/:id/events", PermSession, classNone, s.importEvents},
		{get, "/imports/:id/rejects.csv", PermSession, classNone, s.importRejectsCSV},
		{post, "/imports/:id/cancel", PermSession, classControl, s.cancelImport},
		{get, "/leads/:id", PermSession, classNone, s.leadPage},
		{post, "/leads/:id/state", PermSession, classControl, s.moveLead},
		{post, "/leads/:id/notes", PermSession, classControl, s.addLeadNote},
		{get, "/accounts", PermSession, classNone, s.accountsPage},
		{get, "/accounts/new", PermSession, classNone, s.newAccountPage},
		{post, "/accounts", PermSession, classControl, s.saveAccount},
		{get, "/accounts/:id", PermSession, classNone, s.editAccountPage},
		{post, "/accounts/:id", PermSession, classControl, s.saveAccount},
		{post, "/accounts/:id/archive", PermSession, classControl, s.archiveAccount},
		{get, "/evidence/*", PermSession, classNone, s.evidenceFile},
		{post, "/accounts/:id/login", PermSession, classControl, s.loginAccount},
		{post, "/accounts/:id/logout", PermSession, classControl, s.logoutAccount},
		{post, "/accounts/:id/window", PermSession, classControl, s.windowForm},
		{get, "/api-keys", PermSession, classNone, s.apiKeysPage},
		{post, "/api-keys", PermSession, classControl, s.createAPIKey},
		{post, "/api-keys/:id/revoke", PermSession, classControl, s.revokeAPIKey},

		{post, "/api/v1/auth/login", PermPublic, classLogin, s.apiLogin},
		{post, "/api/v1/auth/logout", PermSession, classAPI, s.apiLogout},
		{get, "/api/v1/status", PermAPIRead, classAPI, s.apiStatus},
		{get, "/api/v1/audit", PermAPIRead, classAPI, s.apiAudit},
		{get, "/api/v1/events", PermAPIRead, classAPI, s.eventStream},
		{get, "/api/v1/backups", PermAPIRead, classAPI, s.apiBackups},
		{post, "/api/v1/backups", PermAPIControl, classControl, s.apiBackupNow},
		{get, "/api/v1/leads", PermAPIRead, classAPI, s.apiLeads},
		{post, "/api/v1/leads", PermAPIControl, classControl, s.apiCreateLead},
		{post, "/api/v1/leads/bulk", PermAPIControl, classControl, s.apiBulkLeads},
		{get, "/api/v1/leads/:id", PermAPIRead, classAPI, s.apiLead},
		{post, "/api/v1/leads/:id/state", PermAPIControl, classControl, s.apiMoveLead},
		{post, "/api/v1/leads/:id/notes", PermAPIControl, classControl, s.apiLeadNote},
		{get, "/api/v1/lists", PermAPIRead, classAPI, s.apiLists},
		{post, "/api/v1/imports", PermAPIControl, classControl, s.apiImport},
		{get, "/api/v1/imports", PermAPIRead, classAPI, s.apiImports},
		{get, "/api/v1/imports/:id", PermAPIRead, classAPI, s.apiImportRun},
		{get, "/api/v1/imports/:id/rejects.csv", PermAPIRead, classAPI, s.importRejectsCSV},
		{get, "/api/v1/accounts", PermAPIRead, classAPI, s.apiAccounts},
		{post, "/api/v1/accounts", PermAPIControl, classControl, s.apiSaveAccount},
		{get, "/api/v1/accounts/:id", PermAPIRead, classAPI, s.apiAccount},
		{http.MethodPut, "/api/v1/accounts/:id", PermAPIControl, classControl, s.apiSaveAccount},
		{post, "/api/v1/accounts/:id/archive", PermAPIControl, classControl, s.apiArchiveAccount},
		{http.MethodPut, "/api/v1/accounts/:id/window", PermAPIControl, classControl, s.apiWindow},
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
	e.IPExtractor = s.ipExtractor()
	e.HTTPErrorHandler = s.handleError
	// Before routing, so 404/405 answers, static files and event streams
	// get the same treatment as every page.
	e.Pre(s.requestID, s.securityHeaders, s.checkClientIP, s.checkHost)
	e.Use(s.accessLog, s.recoverPanics, s.limitBody, s.checkOrigin)
	for _, r := range s.routes() {
		if r.perm == PermNone {
			panic("web: route " + r.method + " " + r.path + " has no permission")
		}
		e.Add(r.method, r.path, r.h, s.guard(r))
	}
	return e
}

func (s *Server) healthz(c echo.Context) error {
	return c.String(http.StatusOK, "ok\n")
}

func (s *Server) favicon(c echo.Context) error {
	return c.Redirect(http.StatusMovedPermanently, s.assets.URL("icon.svg"))
}
