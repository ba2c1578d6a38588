package security

import (
	"context"
	"net"
	"net/http"
	"strings"

	"github.com/gorilla/sessions"
)

// Session value keys set by SessionStore.
const (
	ValueUser    = "user"
	ValueCSRF    = "csrf"
	ValueLoginID = "login_id"
	valueToken   = "token" // a new cookie token to send (login, rotation)
)

// CookieName is the session cookie's name: with TLS it carries the
// __Host- prefix, which browsers only accept over HTTPS with Path=/ and no
// Domain (no other site or subdomain can plant or read it).
func CookieName(tls bool) string {
	if tls {
		return "__Host-parley_session"
	}
	return "parley_session"
}

// SessionStore is the gorilla/sessions Store for dashboard logins, backed
// by the server-side records in bbolt. The cookie holds only the random
// session token; everything else stays on the server, so a session can be
// listed, expired and revoked (a CookieStore could do none of that).
type SessionStore struct {
	svc *Service
	tls bool
}

// NewSessionStore returns the store; tls marks cookies Secure.
func NewSessionStore(svc *Service, tls bool) *SessionStore { return &SessionStore{svc: svc, tls: tls} }

func (st *SessionStore) options() *sessions.Options {
	return &sessions.Options{
		Path: "/", HttpOnly: true, Secure: st.tls, SameSite: http.SameSiteStrictMode,
		MaxAge: int(st.svc.o.AbsoluteTimeout.Seconds()),
	}
}

// Get returns the request's session, cached for the request.
func (st *SessionStore) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(st, name)
}

// New resolves the cookie into a session. Without a valid cookie it
// returns a new, empty session and ErrNoSession.
func (st *SessionStore) New(r *http.Request, name string) (*sessions.Session, error) {
	sess := sessions.NewSession(st, name)
	sess.Options = st.options()
	sess.IsNew = true
	c, err := r.Cookie(name)
	if err != nil {
		return sess, ErrNoSession
	}
	auth, err := st.svc.Authenticate(c.Value, MetaFrom(r))
	if err != nil {
		return sess, err
	}
	sess.IsNew = false
	sess.ID = auth.SessionID
	sess.Values[ValueUser] = auth.User
	sess.Values[ValueCSRF] = auth.CSRF
	sess.Values[ValueLoginID] = auth.LoginID
	if auth.NewToken != "" {
		sess.Values[valueToken] = auth.NewToken
	}
	return sess, nil
}

// Save writes the cookie. A negative MaxAge ends the session on the server
// and expires the cookie (logout); a new token (login, rotation) is sent
// as the cookie; otherwise nothing is written.
func (st *SessionStore) Save(r *http.Request, w http.ResponseWriter, sess *sessions.Session) error {
	if sess.Options != nil && sess.Options.MaxAge < 0 {
		if c, err := r.Cookie(sess.Name()); err == nil {
			if err := st.svc.Logout(c.Value, MetaFrom(r)); err != nil {
				return err
			}
		}
		http.SetCookie(w, sessions.NewCookie(sess.Name(), "", sess.Options))
		return nil
	}
	if tok, ok := sess.Values[valueToken].(string); ok && tok != "" {
		http.SetCookie(w, sessions.NewCookie(sess.Name(), tok, st.options()))
		delete(sess.Values, valueToken)
	}
	return nil
}

// Issue starts a browser session for a fresh login: it sends token as the
// cookie through the store.
func (st *SessionStore) Issue(r *http.Request, w http.ResponseWriter, token string) error {
	sess := sessions.NewSession(st, CookieName(st.tls))
	sess.Options = st.options()
	sess.Values[valueToken] = token
	return st.Save(r, w, sess)
}

// MetaFrom extracts audit metadata from a request. Web middleware stores
// the resolved client IP and request id in the request context.
func MetaFrom(r *http.Request) Meta {
	m := Meta{UserAgent: r.UserAgent()}
	if v, ok := r.Context().Value(metaKey{}).(Meta); ok {
		m.PeerIP, m.RequestID = v.PeerIP, v.RequestID
	} else if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		m.PeerIP = strings.Trim(host, "[]")
	}
	return m
}

type metaKey struct{}

// WithMeta stores the client IP and request id in r's context.
func WithMeta(r *http.Request, peerIP, requestID string) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), metaKey{}, Meta{PeerIP: peerIP, RequestID: requestID}))
}
