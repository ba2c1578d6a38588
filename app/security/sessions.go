package security

import (
	"fmt"
	"sort"
	"time"

	"parley/app/model"
	"parley/storage"
)

// ErrNoSession means the cookie names no valid session (unknown, revoked
// or expired). Pages answer it with a redirect to the login page.
var ErrNoSession = model.Errorf(model.CodeUnauthorized, "Please sign in.")

// Auth is who a request acts for and how it proved it.
type Auth struct {
	User   string
	Method string
	// Scope is read or control; sessions and passwords have control.
	Scope string
	// Session fields (Method == session).
	SessionID string
	LoginID   string
	CSRF      string
	// NewToken is set when the session id was rotated: the caller must
	// send it as the new cookie.
	NewToken string
	// KeyID is the API key used (Method == api_key).
	KeyID uint64
}

// CanControl reports whether the caller may change state.
func (a Auth) CanControl() bool { return a.Scope == model.ScopeControl }

// openSession creates a session record and returns its cookie token. A
// fresh login gets a fresh login id and CSRF token; a rotation keeps them.
func (s *Service) openSession(tx *storage.Tx, user string, m Meta, loginID, csrf string) (string, model.Session, error) {
	token := newToken(prefixSession)
	now := tx.Now()
	sess := model.Session{
		ID: tokenHash(token), User: user, CreatedAt: now, LastSeen: now, RotatedAt: now,
		PeerIP: m.PeerIP, UserAgent: truncate(m.UserAgent, 256), CSRF: csrf,
	}
	if loginID == "" {
		sess.CSRF = newToken("")
		if err := s.audit(tx, m, Record{Action: ActSessionCreated, Actor: user, AuthMethod: MethodPassword, Target: "session:" + sess.ID[:12]}); err != nil {
			return "", sess, err
		}
		loginID = sess.ID
	}
	sess.LoginID = loginID
	return token, sess, tx.PutSession(sess)
}

// Authenticate resolves a session cookie. It enforces the idle and
// absolute timeouts, honours the grace window of a rotated id, refreshes
// last-seen at most once a minute and rotates the id every RotateEvery.
func (s *Service) Authenticate(token string, m Meta) (Auth, error) {
	if len(token) > 128 || token == "" {
		return Auth{}, ErrNoSession
	}
	id := tokenHash(token)
	var sess model.Session
	var found bool
	if err := s.o.Store.View(func(tx *storage.Tx) (err error) {
		sess, found, err = tx.Session(id)
		return err
	}); err != nil {
		return Auth{}, fmt.Errorf("security: session: %w", err)
	}
	if !found {
		return Auth{}, ErrNoSession
	}
	now := s.o.Clock.Now()
	if sess.ReplacedBy != "" {
		return s.graceAuth(sess, now)
	}
	if reason := s.expired(sess, now); reason != "" {
		s.expire(sess, reason, m)
		return Auth{}, ErrNoSession
	}
	auth := Auth{User: sess.User, Method: MethodSession, Scope: model.ScopeControl, SessionID: sess.ID, LoginID: sess.LoginID, CSRF: sess.CSRF}
	switch {
	case now.Sub(sess.RotatedAt) >= s.o.RotateEvery:
		newTok, err := s.rotate(sess, m)
		if err != nil {
			return Auth{}, err
		}
		if newTok != "" {
			auth.NewToken, auth.SessionID = newTok, tokenHash(newTok)
		}
	case s.seen.allow(sess.ID, now) && now.Sub(sess.LastSeen) >= time.Minute:
		err := s.o.Store.Update(func(tx *storage.Tx) error {
			cur, ok, err := tx.Session(sess.ID)
			if err != nil || !ok {
				return err
			}
			cur.LastSeen, cur.PeerIP = now, m.PeerIP
			return tx.PutSession(cur)
		})
		if err != nil {
			return Auth{}, fmt.Errorf("security: session: %w", err)
		}
	}
	return auth, nil
}

// graceAuth accepts a rotated-away id until its grace window ends, acting
// as the session that replaced it.
func (s *Service) graceAuth(old model.Session, now time.Time) (Auth, error) {
	if now.After(old.GraceUntil) {
		return Auth{}, ErrNoSession
	}
	var cur model.Session
	var found bool
	s.o.Store.View(func(tx *storage.Tx) (err error) {
		cur, found, err = tx.Session(old.ReplacedBy)
		return err
	})
	if !found || cur.ReplacedBy != "" || s.expired(cur, now) != "" {
		return Auth{}, ErrNoSession
	}
	return Auth{User: cur.User, Method: MethodSession, Scope: model.ScopeControl, SessionID: cur.ID, LoginID: cur.LoginID, CSRF: cur.CSRF}, nil
}

func (s *Service) expired(sess model.Session, now time.Time) string {
	switch {
	case now.Sub(sess.LastSeen) > s.o.IdleTimeout:
		return "idle timeout"
	case now.Sub(sess.CreatedAt) > s.o.AbsoluteTimeout:
		return "absolute timeout"
	}
	return ""
}

func (s *Service) expire(sess model.Session, reason string, m Meta) {
	err := s.o.Store.Update(func(tx *storage.Tx) error {
		if _, ok, _ := tx.Session(sess.ID); !ok {
			return nil
		}
		if err := tx.DeleteSession(sess); err != nil {
			return err
		}
		return s.audit(tx, m, Record{Action: ActSessionExpired, Actor: sess.User, AuthMethod: MethodSession,
			Target: "session:" + sess.ID[:12], Details: map[string]string{"reason": reason}})
	})
	if err != nil {
		s.o.Logger.Error("expiring a session failed", "error", err)
	}
	s.Streams.End(sess.LoginID)
}

// rotate issues a new id for a live session; the old id stays valid for
// RotationGrace. Two requests racing to rotate produce one new id: the
// loser sees ReplacedBy set and keeps using the old id's grace.
func (s *Service) rotate(old model.Session, m Meta) (string, error) {
	var token string
	err := s.o.Store.Update(func(tx *storage.Tx) error {
		cur, ok, err := tx.Session(old.ID)
		if err != nil || !ok || cur.ReplacedBy != "" {
			return err
		}
		tok, next, err := s.openSession(tx, cur.User, m, cur.LoginID, cur.CSRF)
		if err != nil {
			return err
		}
		next.CreatedAt = cur.CreatedAt
		if err := tx.PutSession(next); err != nil {
			return err
		}
		cur.ReplacedBy, cur.GraceUntil = next.ID, tx.Now().Add(s.o.RotationGrace)
		if err := tx.PutSession(cur); err != nil {
			return err
		}
		token = tok
		return s.audit(tx, m, Record{Action: ActSessionRenewed, Actor: cur.User, AuthMethod: MethodSession, Target: "session:" + next.ID[:12]})
	})
	if err != nil {
		return "", fmt.Errorf("security: rotate session: %w", err)
	}
	return token, nil
}

// Logout ends the session the token belongs to (with any ids it was
// rotated from) and every stream it has open.
func (s *Service) Logout(token string, m Meta) error {
	auth, err := s.Authenticate(token, m)
	if err != nil {
		return nil // already gone: logging out is idempotent
	}
	return s.endLogin(auth.User, auth.LoginID, auth.User, "logout", m)
}

// SessionInfo is a session as the Sessions page shows it.
type SessionInfo struct {
	model.Session
	Current bool
}

// Sessions lists a user's live sessions, most recently used first.
func (s *Service) Sessions(user, currentLogin string) ([]SessionInfo, error) {
	var out []SessionInfo
	now := s.o.Clock.Now()
	err := s.o.Store.View(func(tx *storage.Tx) error {
		list, err := tx.UserSessions(user)
		for _, sess := range list {
			if sess.ReplacedBy == "" && s.expired(sess, now) == "" {
				out = append(out, SessionInfo{Session: sess, Current: sess.LoginID == currentLogin})
			}
		}
		return err
	})
	sort.Slice(out, func(i, j int) bool { return out[i].LastSeen.After(out[j].LastSeen) })
	return out, err
}

// RevokeSession ends one of user's sessions, named by its login id.
func (s *Service) RevokeSession(user, loginID string, m Meta) error {
	return s.endLogin(user, loginID, user, "revoked", m)
}

// RevokeOtherSessions ends every session of user except keepLogin.
func (s *Service) RevokeOtherSessions(user, keepLogin string, m Meta) (int, error) {
	logins := map[string]bool{}
	err := s.o.Store.View(func(tx *storage.Tx) error {
		list, err := tx.UserSessions(user)
		for _, sess := range list {
			if sess.LoginID != keepLogin {
				logins[sess.LoginID] = true
			}
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	for id := range logins {
		if err := s.endLogin(user, id, user, "revoked", m); err != nil {
			return 0, err
		}
	}
	return len(logins), nil
}

// endLogin deletes every record of one login (its current id and the ids
// it was rotated from), audits it and ends its streams.
func (s *Service) endLogin(user, loginID, actor, reason string, m Meta) error {
	found := false
	err := s.o.Store.Update(func(tx *storage.Tx) error {
		list, err := tx.UserSessions(user)
		if err != nil {
			return err
		}
		for _, sess := range list {
			if sess.LoginID != loginID {
				continue
			}
			found = true
			if err := tx.DeleteSession(sess); err != nil {
				return err
			}
		}
		if !found {
			return nil
		}
		return s.audit(tx, m, Record{Action: ActSessionRevoked, Actor: actor, AuthMethod: MethodSession,
			Target: "session:" + loginID[:min(12, len(loginID))], Details: map[string]string{"reason": reason, "user": user}})
	})
	if err != nil {
		return fmt.Errorf("security: end session: %w", err)
	}
	if !found {
		return model.Errorf(model.CodeNotFound, "That session does not exist any more.")
	}
	s.Streams.End(loginID)
	return nil
}

// sweep deletes sessions past their timeouts or grace windows and
// lockouts that no longer matter.
func (s *Service) sweep() error {
	now := s.o.Clock.Now()
	var dead []model.Session
	err := s.o.Store.View(func(tx *storage.Tx) error {
		return tx.ForEachSession(func(sess model.Session) error {
			if (sess.ReplacedBy != "" && now.After(sess.GraceUntil)) || (sess.ReplacedBy == "" && s.expired(sess, now) != "") {
				dead = append(dead, sess)
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	for _, sess := range dead {
		if sess.ReplacedBy != "" {
			err = s.o.Store.Update(func(tx *storage.Tx) error { return tx.DeleteSession(sess) })
		} else {
			s.expire(sess, s.expired(sess, now), Meta{})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
