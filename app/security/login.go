package security

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"parley/app/model"
	"parley/storage"
)

// ErrBadCredentials is the one answer to every failed login, whether the
// user exists or not.
var ErrBadCredentials = model.Errorf(model.CodeUnauthorized, "Wrong user name or password.")

// Login is a successful sign-in: the cookie token (shown once) and the
// session it opened.
type Login struct {
	Token   string
	Session model.Session
}

// Login checks a user name and password and opens a session. Five failures
// within LockWindow for one user or from one IP lock it; a locked user or
// IP is refused even with the right password.
func (s *Service) Login(name, password string, m Meta) (Login, error) {
	user, err := s.checkPassword(name, password, m, MethodPassword)
	if err != nil {
		return Login{}, err
	}
	var res Login
	err = s.o.Store.Update(func(tx *storage.Tx) error {
		res.Token, res.Session, err = s.openSession(tx, user.Name, m, "", "")
		if err != nil {
			return err
		}
		return s.audit(tx, m, Record{Action: ActLoginSuccess, Actor: user.Name, AuthMethod: MethodPassword, Target: "user:" + user.Name})
	})
	if err != nil {
		return Login{}, fmt.Errorf("security: login: %w", err)
	}
	return res, nil
}

// AuthenticateBasic checks HTTP Basic credentials for the API, under the
// same lockout as the login form. Successes are not audited (they happen on
// every request); failures are.
func (s *Service) AuthenticateBasic(name, password string, m Meta) (Auth, error) {
	user, err := s.checkPassword(name, password, m, MethodBasic)
	if err != nil {
		return Auth{}, err
	}
	return Auth{User: user.Name, Method: MethodBasic, Scope: model.ScopeControl}, nil
}

// checkPassword verifies credentials and applies the lockout rules,
// recording failures and locks with their audit records.
func (s *Service) checkPassword(name, password string, m Meta, method string) (model.User, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 64 || len(password) > 4*MaxPasswordLen || !utf8.ValidString(name) {
		s.failLogin(name, m, method)
		return model.User{}, ErrBadCredentials
	}
	if wait, err := s.lockedFor(name, m.PeerIP); err != nil {
		return model.User{}, err
	} else if wait > 0 {
		s.AuditNoisy(m, Record{Action: ActLoginFail, Actor: name, AuthMethod: method, Target: "user:" + name, Details: map[string]string{"reason": "locked"}})
		return model.User{}, lockedError(wait)
	}
	var user model.User
	var found bool
	if err := s.o.Store.View(func(tx *storage.Tx) (err error) {
		user, found, err = tx.User(name)
		return err
	}); err != nil {
		return user, fmt.Errorf("security: login: %w", err)
	}
	var hash string
	if found && user.PasswordHash != "" {
		hash = user.PasswordHash
	} else {
		hash = s.dummyHash()
	}
	ok, stale := s.verify(password, hash)
	if !ok || !found || user.PasswordHash == "" {
		if wait := s.failLogin(name, m, method); wait > 0 {
			return model.User{}, lockedError(wait)
		}
		return model.User{}, ErrBadCredentials
	}
	if err := s.o.Store.Update(func(tx *storage.Tx) error {
		// Re-check: a lock may have landed while the hash was computed.
		if until := lockUntil(tx, name, m.PeerIP); until.After(tx.Now()) {
			return lockedError(until.Sub(tx.Now()))
		}
		return tx.PutLockout(model.Lockout{Key: userLockKey(name)})
	}); err != nil {
		return model.User{}, err
	}
	if stale {
		s.rehash(user.Name, password)
	}
	return user, nil
}

// failLogin records a failure for the user name and the peer IP (and a
// lock when one is reached) with its audit records. It returns how long
// the caller is now locked out, if a lock was just set.
func (s *Service) failLogin(name string, m Meta, method string) time.Duration {
	var wait time.Duration
	var lockedKeys []string
	err := s.o.Store.Update(func(tx *storage.Tx) error {
		now := tx.Now()
		lockedKeys = lockedKeys[:0]
		for _, key := range []string{userLockKey(name), ipLockKey(m.PeerIP)} {
			l, err := tx.Lockout(key)
			if err != nil {
				return err
			}
			if locked := s.registerFailure(&l, now); locked {
				wait = max(wait, l.LockedUntil.Sub(now))
				lockedKeys = append(lockedKeys, key)
				if err := s.audit(tx, m, Record{Action: ActLoginLock, Actor: actorName(name), AuthMethod: method, Target: key,
					Details: map[string]string{"until": l.LockedUntil.Format(time.RFC3339), "lock": fmt.Sprint(l.Locks)}}); err != nil {
					return err
				}
			}
			if err := tx.PutLockout(l); err != nil {
				return err
			}
		}
		return s.audit(tx, m, Record{Action: ActLoginFail, Actor: actorName(name), AuthMethod: method, Target: "user:" + actorName(name), Outcome: model.OutcomeFailure})
	})
	if err != nil {
		s.o.Logger.Error("recording a failed login failed", "error", err)
	} else if s.o.OnLock != nil {
		for _, key := range lockedKeys {
			s.o.OnLock(key)
		}
	}
	return wait
}

// registerFailure adds a failure inside the window and locks when the
// threshold is reached. Each lock doubles the previous one (capped); the
// count starts over a day after the last lock ended, or at a successful
// sign-in.
func (s *Service) registerFailure(l *model.Lockout, now time.Time) bool {
	kept := l.Failures[:0]
	for _, f := range l.Failures {
		if now.Sub(f) < s.o.LockWindow {
			kept = append(kept, f)
		}
	}
	l.Failures = append(kept, now)
	if len(l.Failures) < s.o.LockThreshold {
		return false
	}
	if !l.LockedUntil.IsZero() && now.Sub(l.LockedUntil) > 24*time.Hour {
		l.Locks = 0
	}
	d := s.o.LockBase
	for i := 0; i < l.Locks && d < s.o.LockMax; i++ {
		d *= 2
	}
	d = min(d, s.o.LockMax)
	l.LockedUntil = now.Add(d)
	l.Locks++
	l.LastLock = now
	l.Failures = nil
	return true
}

// lockedFor says how long the user name or the IP is still locked.
func (s *Service) lockedFor(name, ip string) (time.Duration, error) {
	var wait time.Duration
	err := s.o.Store.View(func(tx *storage.Tx) error {
		if until := lockUntil(tx, name, ip); until.After(tx.Now()) {
			wait = until.Sub(tx.Now())
		}
		return nil
	})
	return wait, err
}

func lockUntil(tx *storage.Tx, name, ip string) time.Time {
	var until time.Time
	for _, key := range []string{userLockKey(name), ipLockKey(ip)} {
		if l, err := tx.Lockout(key); err == nil && l.LockedUntil.After(until) {
			until = l.LockedUntil
		}
	}
	return until
}

func lockedError(wait time.Duration) error {
	mins := int(wait.Round(time.Minute).Minutes())
	if mins < 1 {
		mins = 1
	}
	return model.TooMany(wait, "Too many failed sign-ins. Try again in %d minute(s), or ask the operator to run parley admin unlock.", mins)
}

func userLockKey(name string) string { return "user:" + strings.ToLower(strings.TrimSpace(name)) }
func ipLockKey(ip string) string     { return "ip:" + ip }

// actorName keeps audit records readable when someone types garbage.
func actorName(name string) string {
	if name == "" {
		return "anonymous"
	}
	if utf8.RuneCountInString(name) > 64 || !utf8.ValidString(name) {
		return "(invalid name)"
	}
	return name
}

func (s *Service) rehash(name, password string) {
	h, err := s.hash(password)
	if err != nil {
		return
	}
	err = s.o.Store.Update(func(tx *storage.Tx) error {
		u, ok, err := tx.User(name)
		if err != nil || !ok {
			return err
		}
		u.PasswordHash = h
		return tx.PutUser(u)
	})
	if err != nil {
		s.o.Logger.Warn("upgrading a password hash failed", "error", err)
	}
}
