package storage

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"parley/app/model"
)

const controlVersion = 1

func pauseKey(scope string, id uint64) []byte {
	if scope == model.ScopeGlobal {
		return []byte("pause:global")
	}
	return []byte("pause:" + scope + ":" + strconv.FormatUint(id, 10))
}

func quarantineKey(accountID uint64) []byte {
	return []byte("quarantine:" + strconv.FormatUint(accountID, 10))
}

func paceKey(accountID uint64) []byte { return []byte("pace:" + strconv.FormatUint(accountID, 10)) }

func markKey(name string, accountID uint64) []byte {
	return []byte("mark:" + name + ":" + strconv.FormatUint(accountID, 10))
}

// AccountMark is a time remembered for an account (e.g. "inbox", the
// start of its last inbox check); zero when never set.
func (t *Tx) AccountMark(name string, accountID uint64) time.Time {
	v := t.b.Bucket(bucketControls).Get(markKey(name, accountID))
	if len(v) != 8 {
		return time.Time{}
	}
	return keyTime(v)
}

// SetAccountMark remembers a time for an account.
func (t *Tx) SetAccountMark(name string, accountID uint64, at time.Time) error {
	return t.b.Bucket(bucketControls).Put(markKey(name, accountID), timeKey(at))
}

func noteKey(name string, accountID uint64) []byte {
	return []byte("note:" + name + ":" + strconv.FormatUint(accountID, 10))
}

// AccountNote is a short value remembered for an account (e.g. "health",
// the last health level announced); empty when never set.
func (t *Tx) AccountNote(name string, accountID uint64) string {
	return string(t.b.Bucket(bucketControls).Get(noteKey(name, accountID)))
}

// SetAccountNote remembers a short value for an account.
func (t *Tx) SetAccountNote(name string, accountID uint64, v string) error {
	return t.b.Bucket(bucketControls).Put(noteKey(name, accountID), []byte(v))
}

// Pause reads the pause of a scope (global: id 0) and whether there is one.
func (t *Tx) Pause(scope string, id uint64) (model.Pause, bool, error) {
	var p model.Pause
	v := t.b.Bucket(bucketControls).Get(pauseKey(scope, id))
	if v == nil {
		return p, false, nil
	}
	_, err := decode(v, controlVersion, &p)
	return p, err == nil, err
}

// PutPause stores a pause.
func (t *Tx) PutPause(p model.Pause) error {
	v, err := encode(controlVersion, p)
	if err != nil {
		return err
	}
	return t.b.Bucket(bucketControls).Put(pauseKey(p.Scope, p.ID), v)
}

// DeletePause lifts a pause.
func (t *Tx) DeletePause(scope string, id uint64) error {
	return t.b.Bucket(bucketControls).Delete(pauseKey(scope, id))
}

// Pauses lists every stored pause.
func (t *Tx) Pauses() ([]model.Pause, error) {
	var out []model.Pause
	c := t.b.Bucket(bucketControls).Cursor()
	prefix := []byte("pause:")
	for k, v := c.Seek(prefix); k != nil && len(k) > len(prefix) && string(k[:len(prefix)]) == string(prefix); k, v = c.Next() {
		var p model.Pause
		if _, err := decode(v, controlVersion, &p); err != nil {
			return nil, fmt.Errorf("storage: pause %s: %w", k, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// Quarantine reads an account's quarantine and whether there is one.
func (t *Tx) Quarantine(accountID uint64) (model.Quarantine, bool, error) {
	var q model.Quarantine
	v := t.b.Bucket(bucketControls).Get(quarantineKey(accountID))
	if v == nil {
		return q, false, nil
	}
	_, err := decode(v, controlVersion, &q)
	return q, err == nil, err
}

// PutQuarantine stores a quarantine.
func (t *Tx) PutQuarantine(q model.Quarantine) error {
	v, err := encode(controlVersion, q)
	if err != nil {
		return err
	}
	return t.b.Bucket(bucketControls).Put(quarantineKey(q.AccountID), v)
}

func degradedKey(accountID uint64, kind string) []byte {
	return []byte("degraded:" + strconv.FormatUint(accountID, 10) + ":" + kind)
}

// Degraded reads the degradation of one kind of job on an account.
func (t *Tx) Degraded(accountID uint64, kind string) (model.Degradation, bool, error) {
	var d model.Degradation
	v := t.b.Bucket(bucketControls).Get(degradedKey(accountID, kind))
	if v == nil {
		return d, false, nil
	}
	_, err := decode(v, controlVersion, &d)
	return d, err == nil, err
}

// PutDegraded stores a degradation.
func (t *Tx) PutDegraded(d model.Degradation) error {
	v, err := encode(controlVersion, d)
	if err != nil {
		return err
	}
	return t.b.Bucket(bucketControls).Put(degradedKey(d.AccountID, d.Kind), v)
}

// Degradations lists every degradation.
func (t *Tx) Degradations() ([]model.Degradation, error) {
	var out []model.Degradation
	prefix := []byte("degraded:")
	c := t.b.Bucket(bucketControls).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var d model.Degradation
		if _, err := decode(v, controlVersion, &d); err != nil {
			return nil, fmt.Errorf("storage: degradation %s: %w", k, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// DeleteDegraded lifts a degradation.
func (t *Tx) DeleteDegraded(accountID uint64, kind string) error {
	return t.b.Bucket(bucketControls).Delete(degradedKey(accountID, kind))
}

// DeleteQuarantine lifts an account's quarantine.
func (t *Tx) DeleteQuarantine(accountID uint64) error {
	return t.b.Bucket(bucketControls).Delete(quarantineKey(accountID))
}

// NextActionAt is the earliest time the account may act again (the
// randomised pause after its previous action); zero when it may act now.
func (t *Tx) NextActionAt(accountID uint64) time.Time {
	v := t.b.Bucket(bucketControls).Get(paceKey(accountID))
	if len(v) != 8 {
		return time.Time{}
	}
	return keyTime(v)
}

// SetNextActionAt stores the end of the account's pause between actions.
func (t *Tx) SetNextActionAt(accountID uint64, at time.Time) error {
	return t.b.Bucket(bucketControls).Put(paceKey(accountID), timeKey(at))
}
