package security

import (
	"crypto/subtle"
	"fmt"
	"strings"
	"unicode/utf8"

	"parley/app/model"
	"parley/storage"
)

// ErrBadKey answers every unusable API key (unknown, malformed, revoked).
var ErrBadKey = model.Errorf(model.CodeUnauthorized, "The API key is not valid.")

// CreateAPIKey makes a key for scripts. The returned secret is shown once;
// only its SHA-256 is stored.
func (s *Service) CreateAPIKey(name, scope, actor string, m Meta) (string, model.APIKey, error) {
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n < 1 || n > 64 {
		return "", model.APIKey{}, model.Errorf(model.CodeInvalid, "Give the key a name of 1 to 64 characters, e.g. “nightly export”.")
	}
	if scope != model.ScopeRead && scope != model.ScopeControl {
		return "", model.APIKey{}, model.Errorf(model.CodeInvalid, "The scope must be read or control.")
	}
	secret := newToken(prefixAPIKey)
	key := model.APIKey{Name: name, Scope: scope, Prefix: secret[:len(prefixAPIKey)+6], Hash: tokenHash(secret), CreatedBy: actor}
	err := s.o.Store.Update(func(tx *storage.Tx) error {
		key.CreatedAt = tx.Now()
		id, err := tx.CreateAPIKey(key)
		if err != nil {
			return err
		}
		key.ID = id
		return s.audit(tx, m, Record{Action: ActAPIKeyCreated, Actor: actor, AuthMethod: methodFor(actor), Target: fmt.Sprintf("apikey:%d", id),
			Details: map[string]string{"name": name, "scope": scope, "prefix": key.Prefix}})
	})
	if err != nil {
		return "", model.APIKey{}, fmt.Errorf("security: create api key: %w", err)
	}
	return secret, key, nil
}

// RevokeAPIKey stops a key from working.
func (s *Service) RevokeAPIKey(id uint64, actor string, m Meta) error {
	err := s.o.Store.Update(func(tx *storage.Tx) error {
		key, ok, err := tx.APIKey(id)
		if err != nil {
			return err
		}
		if !ok {
			return model.Errorf(model.CodeNotFound, "API key %d does not exist.", id)
		}
		if !key.RevokedAt.IsZero() {
			return model.Errorf(model.CodeConflict, "API key %d is already revoked.", id)
		}
		key.RevokedAt, key.RevokedBy = tx.Now(), actor
		if err := tx.PutAPIKey(key); err != nil {
			return err
		}
		return s.audit(tx, m, Record{Action: ActAPIKeyRevoked, Actor: actor, AuthMethod: methodFor(actor), Target: fmt.Sprintf("apikey:%d", id),
			Details: map[string]string{"name": key.Name}})
	})
	return err
}

// APIKeys lists every key, newest first (hashes included; never secrets).
func (s *Service) APIKeys() ([]model.APIKey, error) {
	var out []model.APIKey
	err := s.o.Store.View(func(tx *storage.Tx) (err error) {
		out, err = tx.APIKeys()
		return err
	})
	return out, err
}

// AuthenticateAPIKey checks a key from an Authorization: Bearer header.
// Its last-used time is refreshed at most once a minute.
func (s *Service) AuthenticateAPIKey(secret string, m Meta) (Auth, error) {
	if !strings.HasPrefix(secret, prefixAPIKey) || len(secret) > 128 {
		return Auth{}, s.badKey(m, "malformed")
	}
	hash := tokenHash(secret)
	var key model.APIKey
	var found bool
	if err := s.o.Store.View(func(tx *storage.Tx) (err error) {
		key, found, err = tx.APIKeyByHash(hash)
		return err
	}); err != nil {
		return Auth{}, fmt.Errorf("security: api key: %w", err)
	}
	if !found || subtle.ConstantTimeCompare([]byte(key.Hash), []byte(hash)) != 1 {
		return Auth{}, s.badKey(m, "unknown")
	}
	if !key.RevokedAt.IsZero() {
		return Auth{}, s.badKey(m, "revoked")
	}
	now := s.o.Clock.Now()
	if s.used.allow(fmt.Sprint(key.ID), now) {
		err := s.o.Store.Update(func(tx *storage.Tx) error {
			cur, ok, err := tx.APIKey(key.ID)
			if err != nil || !ok {
				return err
			}
			cur.LastUsedAt = now
			return tx.PutAPIKey(cur)
		})
		if err != nil {
			s.o.Logger.Warn("recording API key use failed", "error", err)
		}
	}
	return Auth{User: "apikey:" + key.Name, Method: MethodAPIKey, Scope: key.Scope, KeyID: key.ID}, nil
}

func (s *Service) badKey(m Meta, reason string) error {
	s.AuditNoisy(m, Record{Action: ActLoginFail, AuthMethod: MethodAPIKey, Target: "api", Details: map[string]string{"reason": reason}})
	return ErrBadKey
}

func methodFor(actor string) string {
	if actor == model.ActorCLI {
		return MethodCLI
	}
	return MethodSession
}
