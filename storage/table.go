package storage

import (
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"parley/app/model"
)

// table stores records of one type by a uint64 id in one bucket, as
// versioned JSON, with an optional unique, case-insensitive name index.
type table[T any] struct {
	bucket  []byte
	version int
	noun    string // "template", for messages
	id      func(*T) *uint64
	// byName, when set, keeps name(record) unique in that bucket.
	byName []byte
	name   func(*T) string
}

func (tb table[T]) create(t *Tx, v T) (T, error) {
	id, err := t.b.Bucket(tb.bucket).NextSequence()
	if err != nil {
		return v, fmt.Errorf("storage: create %s: %w", tb.noun, err)
	}
	*tb.id(&v) = id
	return v, tb.put(t, v)
}

// put stores v, keeping the name index in step (a name taken by another
// record is a conflict).
func (tb table[T]) put(t *Tx, v T) error {
	id := *tb.id(&v)
	if id == 0 {
		return fmt.Errorf("storage: put %s: missing id", tb.noun)
	}
	if tb.byName != nil {
		idx := t.b.Bucket(tb.byName)
		key := []byte(strings.ToLower(tb.name(&v)))
		if other := idx.Get(key); other != nil && btoi(other) != id {
			return model.Errorf(model.CodeConflict, "a %s called %q already exists", tb.noun, tb.name(&v))
		}
		if prev, err := tb.get(t, id); err == nil {
			if err := idx.Delete([]byte(strings.ToLower(tb.name(&prev)))); err != nil {
				return err
			}
		}
		if err := idx.Put(key, itob(id)); err != nil {
			return err
		}
	}
	val, err := encode(tb.version, v)
	if err != nil {
		return fmt.Errorf("storage: put %s %d: %w", tb.noun, id, err)
	}
	return t.b.Bucket(tb.bucket).Put(itob(id), val)
}

func (tb table[T]) get(t *Tx, id uint64) (T, error) {
	var v T
	raw := t.b.Bucket(tb.bucket).Get(itob(id))
	if raw == nil {
		return v, model.Errorf(model.CodeNotFound, "%s %d does not exist", tb.noun, id)
	}
	if _, err := decode(raw, tb.version, &v); err != nil {
		return v, fmt.Errorf("storage: %s %d: %w", tb.noun, id, err)
	}
	return v, nil
}

// delete removes a record and its name.
func (tb table[T]) delete(t *Tx, id uint64) error {
	v, err := tb.get(t, id)
	if err != nil {
		return err
	}
	if tb.byName != nil {
		if err := t.b.Bucket(tb.byName).Delete([]byte(strings.ToLower(tb.name(&v)))); err != nil {
			return err
		}
	}
	return t.b.Bucket(tb.bucket).Delete(itob(id))
}

// each calls fn with every record in id order until fn returns false.
func (tb table[T]) each(t *Tx, fn func(T) bool) error {
	c := t.b.Bucket(tb.bucket).Cursor()
	for k, raw := c.First(); k != nil; k, raw = c.Next() {
		var v T
		if _, err := decode(raw, tb.version, &v); err != nil {
			return fmt.Errorf("storage: %s %d: %w", tb.noun, btoi(k), err)
		}
		if !fn(v) {
			return nil
		}
	}
	return nil
}

// all returns every record in id order.
func (tb table[T]) all(t *Tx) ([]T, error) {
	var out []T
	err := tb.each(t, func(v T) bool { out = append(out, v); return true })
	return out, err
}

func createBuckets(tx *bolt.Tx, names ...[]byte) error {
	for _, name := range names {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}
