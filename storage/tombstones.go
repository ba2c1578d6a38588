package storage

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

var keyTombstoneSalt = []byte("tombstone_salt")

// tombstoneKey is a salted SHA-256 of a profile key: it recognises a person
// who asked to be erased without keeping anything that identifies them. The
// salt is random per installation.
func (t *Tx) tombstoneKey(profileKey string, create bool) ([]byte, error) {
	meta := t.b.Bucket(bucketMeta)
	salt := meta.Get(keyTombstoneSalt)
	if salt == nil {
		if !create {
			return nil, nil
		}
		salt = make([]byte, 32)
		if _, err := rand.Read(salt); err != nil {
			return nil, err
		}
		if err := meta.Put(keyTombstoneSalt, salt); err != nil {
			return nil, err
		}
	}
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(profileKey))
	return []byte(hex.EncodeToString(h.Sum(nil))), nil
}

// AddTombstone remembers that the person with profileKey was erased.
func (t *Tx) AddTombstone(profileKey string) error {
	k, err := t.tombstoneKey(profileKey, true)
	if err != nil {
		return err
	}
	v, _ := json.Marshal(map[string]time.Time{"erased_at": t.now})
	return t.b.Bucket(bucketLeadTombstones).Put(k, v)
}

// IsErased reports whether the person with profileKey was erased.
func (t *Tx) IsErased(profileKey string) (bool, error) {
	k, err := t.tombstoneKey(profileKey, false)
	if err != nil || k == nil {
		return false, err
	}
	return t.b.Bucket(bucketLeadTombstones).Get(k) != nil, nil
}
