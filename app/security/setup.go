package security

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"parley/app/model"
	"parley/storage"
)

// DefaultOwner is the user created at first start.
const DefaultOwner = "admin"

// EnsureOwner runs at every start. On a fresh database it creates the
// owner account without a password. While the owner has no password it
// issues a new one-time setup token (valid SetupTTL; any earlier link stops
// working) and returns it; otherwise it returns "".
func (s *Service) EnsureOwner(m Meta) (string, error) {
	var token string
	err := s.o.Store.Update(func(tx *storage.Tx) error {
		if tx.UserCount() == 0 {
			if err := tx.PutUser(model.User{Name: DefaultOwner, Role: model.RoleOwner, CreatedAt: tx.Now()}); err != nil {
				return err
			}
		}
		owner, err := pendingOwner(tx)
		if err != nil || owner == nil {
			if err == nil {
				err = tx.ReplaceSetupTokens(model.SetupToken{})
			}
			return err
		}
		token = newToken(prefixSetup)
		if err := tx.ReplaceSetupTokens(model.SetupToken{Hash: tokenHash(token), User: owner.Name, ExpiresAt: tx.Now().Add(s.o.SetupTTL)}); err != nil {
			return err
		}
		return s.audit(tx, m, Record{Action: ActSetupLink, Actor: model.ActorSystem, Target: "user:" + owner.Name,
			Details: map[string]string{"expires": tx.Now().Add(s.o.SetupTTL).Format("2006-01-02T15:04:05Z07:00")}})
	})
	if err != nil {
		return "", fmt.Errorf("security: first-run setup: %w", err)
	}
	return token, nil
}

// NeedsSetup reports whether no user can sign in yet.
func (s *Service) NeedsSetup() bool {
	needs := false
	s.o.Store.View(func(tx *storage.Tx) error {
		owner, err := pendingOwner(tx)
		needs = err == nil && owner != nil
		return nil
	})
	return needs
}

// pendingOwner returns the owner if it still has no password.
func pendingOwner(tx *storage.Tx) (*model.User, error) {
	users, err := tx.Users()
	if err != nil {
		return nil, err
	}
	for i := range users {
		if users[i].Role == model.RoleOwner && users[i].PasswordHash == "" {
			return &users[i], nil
		}
	}
	return nil, nil
}

// SetupUser returns the user a setup token may configure, or an error
// saying why the link does not work.
func (s *Service) SetupUser(token string) (string, error) {
	var user string
	err := s.o.Store.View(func(tx *storage.Tx) error {
		u, err := setupOwner(tx, token)
		user = u.Name
		return err
	})
	return user, err
}

// setupOwner returns the owner a live, unused setup token belongs to.
func setupOwner(tx *storage.Tx, token string) (model.User, error) {
	st, ok, err := tx.SetupToken(tokenHash(token))
	if err != nil {
		return model.User{}, err
	}
	if !ok || !tx.Now().Before(st.ExpiresAt) {
		return model.User{}, errSetupLink
	}
	u, ok, err := tx.User(st.User)
	if err != nil {
		return model.User{}, err
	}
	if !ok || u.PasswordHash != "" {
		return model.User{}, errSetupLink
	}
	return u, nil
}

var errSetupLink = model.Errorf(model.CodeForbidden,
	"This setup link has expired or was already used. Restart Parley for a new link, or run: parley admin set-password --user admin --password-stdin")

// CompleteSetup sets the owner's name and password through the one-time
// link, consumes the link and signs the owner in.
func (s *Service) CompleteSetup(token, name, password string, m Meta) (Login, error) {
	if _, err := s.SetupUser(token); err != nil {
		return Login{}, err
	}
	name = strings.TrimSpace(name)
	if err := CheckUserName(name); err != nil {
		return Login{}, err
	}
	if err := CheckPassword(password); err != nil {
		return Login{}, err
	}
	hash, err := s.hash(password)
	if err != nil {
		return Login{}, err
	}
	var res Login
	err = s.o.Store.Update(func(tx *storage.Tx) error {
		// Checked again inside the transaction: the link is single use.
		owner, err := setupOwner(tx, token)
		if err != nil {
			return err
		}
		if !strings.EqualFold(owner.Name, name) {
			if _, taken, _ := tx.User(name); taken {
				return model.Errorf(model.CodeConflict, "The user name %q is taken.", name)
			}
			if err := tx.DeleteUser(owner.Name); err != nil {
				return err
			}
		}
		owner.Name, owner.PasswordHash, owner.PasswordChangedAt = name, hash, tx.Now()
		if err := tx.PutUser(owner); err != nil {
			return err
		}
		if err := tx.ReplaceSetupTokens(model.SetupToken{}); err != nil {
			return err
		}
		if err := s.audit(tx, m, Record{Action: ActPasswordChange, Actor: name, AuthMethod: MethodSetup, Target: "user:" + name,
			Details: map[string]string{"reason": "first-run setup"}}); err != nil {
			return err
		}
		res.Token, res.Session, err = s.openSession(tx, name, m, "", "")
		return err
	})
	return res, err
}

// CheckUserName says what is wrong with a user name.
func CheckUserName(name string) error {
	n := utf8.RuneCountInString(name)
	if n < 1 || n > 64 {
		return model.Errorf(model.CodeInvalid, "The user name must have 1 to 64 characters.")
	}
	for _, r := range name {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-@", r)) {
			return model.Errorf(model.CodeInvalid, "The user name may contain letters, digits and . _ - @ only.")
		}
	}
	return nil
}
