package storage

import (
	"bytes"
	"fmt"
	"time"

	"parley/app/model"
)

const healthVersion = 1

// healthKey orders an account's snapshots by period, then start time.
func healthKey(accountID uint64, period string, start []byte) []byte {
	k := append(itob(accountID), period...)
	k = append(k, 0)
	return append(k, start...)
}

// PutHealth stores (or replaces) an account's snapshot for its period.
func (t *Tx) PutHealth(h model.HealthSnapshot) error {
	v, err := encode(healthVersion, h)
	if err != nil {
		return err
	}
	return t.b.Bucket(bucketHealth).Put(healthKey(h.AccountID, h.Period, timeKey(h.Start)), v)
}

// HealthSnapshots returns up to n of an account's newest snapshots of a
// period ("hour" or "day"), oldest first.
func (t *Tx) HealthSnapshots(accountID uint64, period string, n int) ([]model.HealthSnapshot, error) {
	prefix := healthKey(accountID, period, nil)
	c := t.b.Bucket(bucketHealth).Cursor()
	var out []model.HealthSnapshot
	// Seek past the prefix's last key, then walk back.
	end := append(append([]byte(nil), prefix...), bytes.Repeat([]byte{0xff}, 8)...)
	k, v := c.Seek(end)
	if k == nil {
		k, v = c.Last()
	} else if !bytes.Equal(k, end) {
		k, v = c.Prev()
	}
	for ; k != nil && bytes.HasPrefix(k, prefix) && len(out) < n; k, v = c.Prev() {
		var h model.HealthSnapshot
		if _, err := decode(v, healthVersion, &h); err != nil {
			return nil, fmt.Errorf("storage: health snapshot %x: %w", k, err)
		}
		out = append(out, h)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}

// DeleteHealthBefore removes an account's snapshots of a period that
// started before the cut-off and returns how many it removed.
func (t *Tx) DeleteHealthBefore(accountID uint64, period string, cutoff time.Time) (int, error) {
	prefix := healthKey(accountID, period, nil)
	before := timeKey(cutoff)
	c := t.b.Bucket(bucketHealth).Cursor()
	n := 0
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && bytes.Compare(k[len(prefix):], before) < 0; k, _ = c.Seek(prefix) {
		if err := c.Delete(); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
