package security

import (
	"fmt"
	"strings"

	"parley/app/model"
	"parley/storage"
)

// SetPassword sets a user's password for an administrator (the CLI). A
// missing user is created (as the owner when it is the first one). Every
// session of that user ends.
func (s *Service) SetPassword(name, password, actor string, m Meta) error {
	name = strings.TrimSpace(name)
	if err := CheckUserName(name); err != nil {
		return err
	}
	if err := CheckPassword(password); err != nil {
		return err
	}
	hash, err := s.hash(password)
	if err != nil {
		return err
	}
	var ended []string
	err = s.o.Store.Update(func(tx *storage.Tx) error {
		u, ok, err := tx.User(name)
		if err != nil {
			return err
		}
		created := !ok
		if created {
			u = model.User{Name: name, Role: model.RoleAdmin, CreatedAt: tx.Now()}
			if owner, _ := pendingOwner(tx); tx.UserCount() == 0 || owner != nil {
				u.Role = model.RoleOwner
				if owner != nil {
					// The first-run owner was never set up: this user
					// replaces it.
					if err := tx.DeleteUser(owner.Name); err != nil {
						return err
					}
				}
			}
		}
		u.PasswordHash, u.PasswordChangedAt = hash, tx.Now()
		if err := tx.PutUser(u); err != nil {
			return err
		}
		if owner, _ := pendingOwner(tx); owner == nil {
			if err := tx.ReplaceSetupTokens(model.SetupToken{}); err != nil {
				return err
			}
		}
		sessions, err := tx.UserSessions(u.Name)
		if err != nil {
			return err
		}
		for _, sess := range sessions {
			ended = append(ended, sess.LoginID)
			if err := tx.DeleteSession(sess); err != nil {
				return err
			}
		}
		return s.audit(tx, m, Record{Action: ActPasswordChange, Actor: actor, AuthMethod: methodFor(actor), Target: "user:" + u.Name,
			Details: map[string]string{"created": fmt.Sprint(created), "sessions_ended": fmt.Sprint(len(sessions))}})
	})
	if err != nil {
		return err
	}
	for _, id := range ended {
		s.Streams.End(id)
	}
	return nil
}

// ChangePassword is a signed-in user changing their own password. The
// current password is checked (failures count towards the lockout), every
// other session of the user ends and the current one gets a new id, which
// is returned as the new cookie token.
func (s *Service) ChangePassword(user, current, next, loginID string, m Meta) (string, error) {
	if _, err := s.checkPassword(user, current, m, MethodPassword); err != nil {
		if model.ErrorCode(err) == model.CodeUnauthorized {
			return "", model.Errorf(model.CodeInvalid, "The current password is wrong.")
		}
		return "", err
	}
	if err := CheckPassword(next); err != nil {
		return "", err
	}
	hash, err := s.hash(next)
	if err != nil {
		return "", err
	}
	var token string
	var ended []string
	err = s.o.Store.Update(func(tx *storage.Tx) error {
		u, ok, err := tx.User(user)
		if err != nil || !ok {
			return fmt.Errorf("security: user %s vanished: %v", user, err)
		}
		u.PasswordHash, u.PasswordChangedAt = hash, tx.Now()
		if err := tx.PutUser(u); err != nil {
			return err
		}
		sessions, err := tx.UserSessions(user)
		if err != nil {
			return err
		}
		var csrf string
		for _, sess := range sessions {
			if sess.LoginID == loginID {
				csrf = sess.CSRF
			} else {
				ended = append(ended, sess.LoginID)
			}
			if err := tx.DeleteSession(sess); err != nil {
				return err
			}
		}
		if err := s.audit(tx, m, Record{Action: ActPasswordChange, Actor: user, AuthMethod: MethodSession, Target: "user:" + user,
			Details: map[string]string{"other_sessions_ended": fmt.Sprint(len(ended))}}); err != nil {
			return err
		}
		// A new id for the current login: no fixation across a privilege
		// change. The CSRF token carries over so the open page keeps
		// working.
		var sess model.Session
		token, sess, err = s.openSession(tx, user, m, loginID, csrf)
		if err != nil {
			return err
		}
		return s.audit(tx, m, Record{Action: ActSessionRenewed, Actor: user, AuthMethod: MethodSession, Target: "session:" + sess.ID[:12],
			Details: map[string]string{"reason": "password change"}})
	})
	if err != nil {
		return "", err
	}
	for _, id := range ended {
		s.Streams.End(id)
	}
	return token, nil
}

// Unlock clears the lockout of a user name and/or an IP address.
func (s *Service) Unlock(user, ip, actor string, m Meta) error {
	if user == "" && ip == "" {
		return model.Errorf(model.CodeInvalid, "Name a user (--user) or an IP address (--ip) to unlock.")
	}
	return s.o.Store.Update(func(tx *storage.Tx) error {
		for _, key := range []string{userLockKey(user), ipLockKey(ip)} {
			if strings.HasSuffix(key, ":") {
				continue
			}
			if err := tx.PutLockout(model.Lockout{Key: key}); err != nil {
				return err
			}
			if err := s.audit(tx, m, Record{Action: ActUnlock, Actor: actor, AuthMethod: methodFor(actor), Target: key}); err != nil {
				return err
			}
		}
		return nil
	})
}

// HasUser reports whether a user exists.
func (s *Service) HasUser(name string) bool {
	ok := false
	s.o.Store.View(func(tx *storage.Tx) error {
		_, ok, _ = tx.User(name)
		return nil
	})
	return ok
}
