package storage

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"parley/app/model"
)

// Buckets of schema version 5 (CSV imports, list sizes).
var (
	bucketImports       = []byte("imports")
	bucketImportRejects = []byte("import_rejects")
	bucketListCounts    = []byte("list_counts")
)

// migrateV5 adds the import buckets and the list-size counters, counting
// the members of existing lists.
func migrateV5(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketImports, bucketImportRejects, bucketListCounts} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	counts := map[uint64]uint64{}
	tx.Bucket(bucketListMembers).ForEach(func(k, _ []byte) error {
		counts[btoi(k[:8])]++
		return nil
	})
	for id, n := range counts {
		if err := tx.Bucket(bucketListCounts).Put(itob(id), itob(n)); err != nil {
			return err
		}
	}
	return nil
}

const importVersion = 1

// CreateImport stores a new import run and returns it with its id.
func (t *Tx) CreateImport(r model.ImportRun) (model.ImportRun, error) {
	id, err := t.b.Bucket(bucketImports).NextSequence()
	if err != nil {
		return r, err
	}
	r.ID = id
	return r, t.PutImport(r)
}

// PutImport replaces an import run.
func (t *Tx) PutImport(r model.ImportRun) error {
	val, err := encode(importVersion, r)
	if err != nil {
		return err
	}
	return t.b.Bucket(bucketImports).Put(itob(r.ID), val)
}

// Import returns an import run.
func (t *Tx) Import(id uint64) (model.ImportRun, error) {
	var r model.ImportRun
	v := t.b.Bucket(bucketImports).Get(itob(id))
	if v == nil {
		return r, model.Errorf(model.CodeNotFound, "import %d does not exist", id)
	}
	_, err := decode(v, importVersion, &r)
	return r, err
}

// Imports returns up to limit runs, newest first.
func (t *Tx) Imports(limit int) ([]model.ImportRun, error) {
	c := t.b.Bucket(bucketImports).Cursor()
	var out []model.ImportRun
	for k, v := c.Last(); k != nil && len(out) < limit; k, v = c.Prev() {
		var r model.ImportRun
		if _, err := decode(v, importVersion, &r); err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

// AddImportReject records a refused or skipped row of an import.
func (t *Tx) AddImportReject(importID uint64, r model.ImportReject) error {
	key := binary.BigEndian.AppendUint32(itob(importID), uint32(r.Line))
	val, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return t.b.Bucket(bucketImportRejects).Put(key, val)
}

// ImportRejects calls fn for each recorded row of an import in line order.
func (t *Tx) ImportRejects(importID uint64, fn func(model.ImportReject) error) error {
	prefix := itob(importID)
	c := t.b.Bucket(bucketImportRejects).Cursor()
	for k, v := c.Seek(prefix); len(k) == 12 && string(k[:8]) == string(prefix); k, v = c.Next() {
		var r model.ImportReject
		if err := json.Unmarshal(v, &r); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// IndexLeadEvent adds an existing event to a lead's timeline (one batch
// event shared by every lead the batch touched).
func (t *Tx) IndexLeadEvent(leadID, seq uint64) error {
	return t.b.Bucket(bucketLeadTimeline).Put(append(itob(leadID), itob(seq)...), nil)
}

// ScrubImportRejects blanks the profile URL in every recorded import row
// that names it (erasure) and returns how many it changed.
func (t *Tx) ScrubImportRejects(profileURL string) (int, error) {
	if profileURL == "" {
		return 0, nil
	}
	b := t.b.Bucket(bucketImportRejects)
	needle := []byte(profileURL)
	var hits [][]byte
	b.ForEach(func(k, v []byte) error {
		if bytes.Contains(v, needle) {
			hits = append(hits, append([]byte(nil), k...))
		}
		return nil
	})
	for _, k := range hits {
		var r model.ImportReject
		if err := json.Unmarshal(b.Get(k), &r); err != nil {
			return 0, err
		}
		if r.Profile != profileURL {
			continue
		}
		r.Profile = "(erased)"
		val, err := json.Marshal(r)
		if err != nil {
			return 0, err
		}
		if err := b.Put(k, val); err != nil {
			return 0, err
		}
	}
	return len(hits), nil
}
