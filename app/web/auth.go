package web

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"parley/app/model"
	"parley/app/security"
)

const authKey = "auth"

// newLimits builds the per-IP token buckets for each rate-limit class.
func newLimits(clock model.Clock) map[class]*security.Limiter {
	return map[class]*security.Limiter{
		classLogin:   security.NewLimiter(6*time.Second, 10, clock),        // 10 at once, then 10 a minute
		classAPI:     security.NewLimiter(50*time.Millisecond, 100, clock), // 20 a second
		classControl: security.NewLimiter(500*time.Millisecond, 10, clock), // 2 a second
	}
}

// signInRequired is answered with a redirect to the login page (pages), an
// HX-Redirect (htmx) or 401 JSON (API).
type signInRequired struct{ reason string }

func (e *signInRequired) Error() string { return "sign-in required: " + e.reason }

// guard enforces a route's rate limit and permission and, for cookie
// sessions, the CSRF token. It stores the caller's Auth for handlers.
func (s *Server) guard(rt route) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if lim := s.limits[rt.class]; lim != nil {
				if ok, wait := lim.Allow(c.RealIP()); !ok {
					s.o.Security.AuditNoisy(s.meta(c), security.Record{Action: security.ActRateLimited, Target: c.Request().URL.Path})
					return model.TooMany(wait, "Too many requests. Wait %d second(s) and try again.", int(wait.Seconds()))
				}
			}
			if keyInQuery(c.Request().URL.Query()) {
				// Keys in URLs end up in histories, proxies and logs.
				return model.Errorf(model.CodeUnauthorized, "API keys are accepted only in the Authorization: Bearer header, never in the address.")
			}
			auth, err := s.authenticate(c, rt.perm)
			if err != nil {
				return err
			}
			if auth != nil {
				c.Set(authKey, *auth)
			}
			return next(c)
		}
	}
}

func keyInQuery(q url.Values) bool {
	for _, k := range []string{"api_key", "apikey", "key", "token", "access_token", "auth"} {
		if q.Has(k) {
			return true
		}
	}
	return false
}

// authenticate resolves the caller for a route's permission. API routes
// take Bearer keys and (when enabled) Basic auth; every route takes the
// session cookie.
func (s *Server) authenticate(c echo.Context, perm Perm) (*security.Auth, error) {
	r := c.Request()
	api := perm == PermAPIRead || perm == PermAPIControl
	if h := r.Header.Get("Authorization"); h != "" && api {
		scheme, cred, _ := strings.Cut(h, " ")
		var auth security.Auth
		var err error
		switch {
		case strings.EqualFold(scheme, "Bearer"):
			auth, err = s.o.Security.AuthenticateAPIKey(strings.TrimSpace(cred), s.meta(c))
		case strings.EqualFold(scheme, "Basic") && s.o.Config.APIBasicAuth:
			user, pw, ok := r.BasicAuth()
			if !ok {
				return nil, &signInRequired{"malformed basic credentials"}
			}
			auth, err = s.o.Security.AuthenticateBasic(user, pw, s.meta(c))
		default:
			return nil, &signInRequired{"unsupported authorization scheme"}
		}
		if err != nil {
			if model.ErrorCode(err) == model.CodeTooMany {
				return nil, err
			}
			return nil, &signInRequired{err.Error()}
		}
		return s.authorize(c, perm, auth)
	}
	sess, err := s.sessions.Get(r, s.cookie)
	if err != nil {
		if perm == PermPublic {
			return nil, nil
		}
		if errors.Is(err, security.ErrNoSession) {
			return nil, &signInRequired{"no session"}
		}
		return nil, err
	}
	// A rotated session id goes out as the new cookie before the response.
	if err := sess.Save(r, c.Response()); err != nil {
		return nil, err
	}
	auth := security.Auth{
		User: sess.Values[security.ValueUser].(string), Method: security.MethodSession, Scope: model.ScopeControl,
		SessionID: sess.ID, LoginID: sess.Values[security.ValueLoginID].(string), CSRF: sess.Values[security.ValueCSRF].(string),
	}
	if perm != PermPublic {
		if err := s.checkCSRF(c, auth); err != nil {
			return nil, err
		}
	}
	return s.authorize(c, perm, auth)
}

func (s *Server) authorize(c echo.Context, perm Perm, auth security.Auth) (*security.Auth, error) {
	if perm == PermAPIControl && !auth.CanControl() {
		s.o.Security.AuditNoisy(s.meta(c), security.Record{Action: security.ActAuthzFail, Actor: auth.User, AuthMethod: auth.Method,
			Target: c.Request().URL.Path, Details: map[string]string{"scope": auth.Scope}})
		return nil, model.Errorf(model.CodeForbidden, "This API key has the read scope; this request needs a control key.")
	}
	return &auth, nil
}

// checkCSRF: a state-changing request authenticated by the session cookie
// must come from Parley's own pages (Sec-Fetch-Site: same-origin, or an
// exact Origin match) and carry the session's synchronizer token, in the
// X-CSRF-Token header (htmx, scripts) or the csrf_token form field.
func (s *Server) checkCSRF(c echo.Context, auth security.Auth) error {
	r := c.Request()
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	site, origin := r.Header.Get("Sec-Fetch-Site"), r.Header.Get("Origin")
	sameOrigin := site == "same-origin" || (site == "" && origin == s.origin(r))
	why := fmt.Sprintf("not same-origin (Sec-Fetch-Site %q, Origin %q)", site, origin)
	if sameOrigin {
		// Only now read a form body (an upload may be large).
		token := r.Header.Get("X-CSRF-Token")
		if ct := r.Header.Get("Content-Type"); token == "" && (strings.HasPrefix(ct, "application/x-www-form-urlencoded") || strings.HasPrefix(ct, "multipart/form-data")) {
			token = c.FormValue("csrf_token")
		}
		if token != "" && subtle.ConstantTimeCompare([]byte(token), []byte(auth.CSRF)) == 1 {
			return nil
		}
		why = "missing or wrong CSRF token"
	}
	s.o.Security.AuditNoisy(s.meta(c), security.Record{Action: security.ActCSRF, Actor: auth.User, AuthMethod: security.MethodSession,
		Target: r.URL.Path, Details: map[string]string{"why": truncate(why, 160)}})
	return model.Errorf(model.CodeForbidden, "This request could not be verified (its security token is missing or stale). Reload the page and try again.")
}

// authOf returns the caller stored by guard.
func authOf(c echo.Context) security.Auth {
	a, _ := c.Get(authKey).(security.Auth)
	return a
}

// signedIn reports whether the request has a valid session (for public
// pages that behave differently when signed in).
func (s *Server) signedIn(c echo.Context) bool {
	return authOf(c).Method == security.MethodSession
}

// safeNext keeps redirects after sign-in on this site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if next == "" || err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/"
	}
	if strings.HasPrefix(u.Path, "/login") || strings.HasPrefix(u.Path, "/setup") || strings.HasPrefix(u.Path, "/api/") {
		return "/"
	}
	return u.RequestURI()
}
