package storage

import (
	"bytes"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"parley/app/model"
)

// Buckets of schema version 2 (security).
var (
	bucketUsers          = []byte("users")
	bucketSessions       = []byte("sessions")
	bucketSessionsByUser = []byte("sessions_by_user")
	bucketAPIKeys        = []byte("api_keys")
	bucketAPIKeysByHash  = []byte("api_keys_by_hash")
	bucketLockouts       = []byte("lockouts")
	bucketSetupTokens    = []byte("setup_tokens")
)

func migrateV2(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketUsers, bucketSessions, bucketSessionsByUser, bucketAPIKeys, bucketAPIKeysByHash, bucketLockouts, bucketSetupTokens} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

const securityVersion = 1

func (t *Tx) put(bucket []byte, key []byte, v any) error {
	val, err := encode(securityVersion, v)
	if err != nil {
		return fmt.Errorf("storage: %s: %w", bucket, err)
	}
	if err := t.b.Bucket(bucket).Put(key, val); err != nil {
		return fmt.Errorf("storage: %s: %w", bucket, err)
	}
	return nil
}

func (t *Tx) get(bucket []byte, key []byte, v any) (bool, error) {
	raw := t.b.Bucket(bucket).Get(key)
	if raw == nil {
		return false, nil
	}
	if _, err := decode(raw, securityVersion, v); err != nil {
		return true, fmt.Errorf("storage: %s %q: %w", bucket, key, err)
	}
	return true, nil
}

// userKey normalises user names: they are case-insensitive.
func userKey(name string) []byte { return []byte(strings.ToLower(name)) }

// User returns the user called name (case-insensitive).
func (t *Tx) User(name string) (model.User, bool, error) {
	var u model.User
	ok, err := t.get(bucketUsers, userKey(name), &u)
	return u, ok, err
}

// PutUser creates or replaces a user.
func (t *Tx) PutUser(u model.User) error {
	if u.Name == "" {
		return fmt.Errorf("storage: put user: empty name")
	}
	return t.put(bucketUsers, userKey(u.Name), u)
}

// Users lists every user.
func (t *Tx) Users() ([]model.User, error) {
	var out []model.User
	err := t.b.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
		var u model.User
		if _, err := decode(v, securityVersion, &u); err != nil {
			return fmt.Errorf("storage: user %q: %w", k, err)
		}
		out = append(out, u)
		return nil
	})
	return out, err
}

// UserCount is the number of users. (Bucket.Stats does not see writes of
// the current transaction, so this counts keys.)
func (t *Tx) UserCount() int {
	n := 0
	c := t.b.Bucket(bucketUsers).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		n++
	}
	return n
}

// Session returns the session with id.
func (t *Tx) Session(id string) (model.Session, bool, error) {
	var s model.Session
	ok, err := t.get(bucketSessions, []byte(id), &s)
	return s, ok, err
}

// PutSession creates or replaces a session and its per-user index entry.
func (t *Tx) PutSession(s model.Session) error {
	if s.ID == "" || s.User == "" {
		return fmt.Errorf("storage: put session: id and user are required")
	}
	if err := t.put(bucketSessions, []byte(s.ID), s); err != nil {
		return err
	}
	return t.b.Bucket(bucketSessionsByUser).Put(sessionIndexKey(s.User, s.ID), nil)
}

// DeleteSession removes a session and its index entry.
func (t *Tx) DeleteSession(s model.Session) error {
	if err := t.b.Bucket(bucketSessions).Delete([]byte(s.ID)); err != nil {
		return err
	}
	return t.b.Bucket(bucketSessionsByUser).Delete(sessionIndexKey(s.User, s.ID))
}

// UserSessions lists the sessions of one user.
func (t *Tx) UserSessions(user string) ([]model.Session, error) {
	prefix := append(userKey(user), 0)
	c := t.b.Bucket(bucketSessionsByUser).Cursor()
	var out []model.Session
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		s, ok, err := t.Session(string(k[len(prefix):]))
		if err != nil {
			return out, err
		}
		if ok {
			out = append(out, s)
		}
	}
	return out, nil
}

// ForEachSession calls fn for every session (for the janitor).
func (t *Tx) ForEachSession(fn func(model.Session) error) error {
	return t.b.Bucket(bucketSessions).ForEach(func(k, v []byte) error {
		var s model.Session
		if _, err := decode(v, securityVersion, &s); err != nil {
			return fmt.Errorf("storage: session: %w", err)
		}
		return fn(s)
	})
}

func sessionIndexKey(user, id string) []byte {
	return append(append(userKey(user), 0), id...)
}

// CreateAPIKey stores a new key and returns its id.
func (t *Tx) CreateAPIKey(k model.APIKey) (uint64, error) {
	id, err := t.b.Bucket(bucketAPIKeys).NextSequence()
	if err != nil {
		return 0, err
	}
	k.ID = id
	if err := t.PutAPIKey(k); err != nil {
		return 0, err
	}
	return id, t.b.Bucket(bucketAPIKeysByHash).Put([]byte(k.Hash), itob(id))
}

// PutAPIKey replaces the key with k.ID.
func (t *Tx) PutAPIKey(k model.APIKey) error {
	if k.ID == 0 || k.Hash == "" {
		return fmt.Errorf("storage: put api key: id and hash are required")
	}
	return t.put(bucketAPIKeys, itob(k.ID), k)
}

// APIKey returns the key with id.
func (t *Tx) APIKey(id uint64) (model.APIKey, bool, error) {
	var k model.APIKey
	ok, err := t.get(bucketAPIKeys, itob(id), &k)
	return k, ok, err
}

// APIKeyByHash finds a key by the SHA-256 of its secret.
func (t *Tx) APIKeyByHash(hash string) (model.APIKey, bool, error) {
	id := t.b.Bucket(bucketAPIKeysByHash).Get([]byte(hash))
	if id == nil {
		return model.APIKey{}, false, nil
	}
	return t.APIKey(btoi(id))
}

// APIKeys lists every key, newest first.
func (t *Tx) APIKeys() ([]model.APIKey, error) {
	c := t.b.Bucket(bucketAPIKeys).Cursor()
	var out []model.APIKey
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		var key model.APIKey
		if _, err := decode(v, securityVersion, &key); err != nil {
			return out, fmt.Errorf("storage: api key %d: %w", btoi(k), err)
		}
		out = append(out, key)
	}
	return out, nil
}

// Lockout returns the lockout state for key ("user:NAME" or "ip:ADDR").
func (t *Tx) Lockout(key string) (model.Lockout, error) {
	l := model.Lockout{Key: key}
	_, err := t.get(bucketLockouts, []byte(key), &l)
	return l, err
}

// PutLockout stores a lockout state; an empty one is deleted.
func (t *Tx) PutLockout(l model.Lockout) error {
	if len(l.Failures) == 0 && l.LockedUntil.IsZero() && l.Locks == 0 {
		return t.b.Bucket(bucketLockouts).Delete([]byte(l.Key))
	}
	return t.put(bucketLockouts, []byte(l.Key), l)
}

// SetupToken returns the first-run token with hash.
func (t *Tx) SetupToken(hash string) (model.SetupToken, bool, error) {
	var s model.SetupToken
	ok, err := t.get(bucketSetupTokens, []byte(hash), &s)
	return s, ok, err
}

// ReplaceSetupTokens deletes every setup token and stores s (if its hash
// is set): only the newest link works.
func (t *Tx) ReplaceSetupTokens(s model.SetupToken) error {
	if err := t.b.DeleteBucket(bucketSetupTokens); err != nil {
		return err
	}
	if _, err := t.b.CreateBucket(bucketSetupTokens); err != nil {
		return err
	}
	if s.Hash == "" {
		return nil
	}
	return t.put(bucketSetupTokens, []byte(s.Hash), s)
}

// DeleteUser removes a user record (sessions are removed by the caller).
func (t *Tx) DeleteUser(name string) error { return t.b.Bucket(bucketUsers).Delete(userKey(name)) }
