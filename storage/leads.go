package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"parley/app/model"
)

// Buckets of schema version 4 (leads and lists).
var (
	bucketLeads          = []byte("leads")
	bucketLeadsByKey     = []byte("leads_by_key")
	bucketRowsByID       = []byte("lead_rows")
	bucketRowsByName     = []byte("lead_rows_by_name")
	bucketRowsByUpdated  = []byte("lead_rows_by_updated")
	bucketLists          = []byte("lists")
	bucketListsByName    = []byte("lists_by_name")
	bucketListMembers    = []byte("list_members")
	bucketLeadNotes      = []byte("lead_notes")
	bucketLeadTimeline   = []byte("lead_timeline")
	bucketLeadCounts     = []byte("lead_counts")
	bucketLeadTombstones = []byte("lead_tombstones")
)

func migrateV4(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketLeads, bucketLeadsByKey, bucketRowsByID, bucketRowsByName, bucketRowsByUpdated,
		bucketLists, bucketListsByName, bucketListMembers, bucketLeadNotes, bucketLeadTimeline, bucketLeadCounts, bucketLeadTombstones} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

const leadVersion = 1

// LeadOrder names an index leads can be listed in.
type LeadOrder int

// Orders of the leads list.
const (
	OrderNewest LeadOrder = iota
	OrderOldest
	OrderName
	OrderUpdated
	// OrderStale lists the least recently changed leads first.
	OrderStale
)

func leadKey(l model.Lead) []byte { return []byte(l.ProfileKind + ":" + l.ProfileKey) }

func nameKey(l model.Lead) []byte {
	n := strings.ToLower(l.Name())
	if len(n) > 48 {
		n = n[:48]
	}
	return append(append([]byte(n), 0), itob(l.ID)...)
}

func updatedKey(l model.Lead) []byte {
	return append(itob(uint64(l.UpdatedAt.UnixNano())), itob(l.ID)...)
}

// CreateLead stores a new lead; a lead with the same profile already
// existing is a conflict.
func (t *Tx) CreateLead(l model.Lead) (model.Lead, error) {
	if l.ProfileKey == "" || l.ProfileKind == "" {
		return l, fmt.Errorf("storage: create lead: no profile key")
	}
	if id := t.b.Bucket(bucketLeadsByKey).Get(leadKey(l)); id != nil {
		return l, model.Errorf(model.CodeConflict, "lead %d already has the profile %s", btoi(id), l.ProfileURL)
	}
	id, err := t.b.Bucket(bucketLeads).NextSequence()
	if err != nil {
		return l, fmt.Errorf("storage: create lead: %w", err)
	}
	l.ID = id
	if err := t.writeLead(l); err != nil {
		return l, err
	}
	t.countLists(nil, l.Lists)
	t.countState(l.State, +1)
	return l, nil
}

// SaveLead replaces a lead and keeps every index in step.
func (t *Tx) SaveLead(l model.Lead) error {
	prev, err := t.Lead(l.ID)
	if err != nil {
		return err
	}
	if err := t.unindexLead(prev); err != nil {
		return err
	}
	if !bytes.Equal(leadKey(prev), leadKey(l)) {
		if id := t.b.Bucket(bucketLeadsByKey).Get(leadKey(l)); id != nil {
			return model.Errorf(model.CodeConflict, "lead %d already has the profile %s", btoi(id), l.ProfileURL)
		}
	}
	if err := t.writeLead(l); err != nil {
		return err
	}
	t.countLists(prev.Lists, l.Lists)
	if prev.State != l.State {
		t.countState(prev.State, -1)
		t.countState(l.State, +1)
	}
	return nil
}

func (t *Tx) writeLead(l model.Lead) error {
	val, err := encode(leadVersion, l)
	if err != nil {
		return fmt.Errorf("storage: lead %d: %w", l.ID, err)
	}
	row := rowOf(l)
	id := itob(l.ID)
	for _, w := range []struct {
		bucket   *bolt.Bucket
		key, val []byte
	}{
		{t.appendOnly(bucketLeads), id, val},
		{t.b.Bucket(bucketLeadsByKey), leadKey(l), id},
		{t.appendOnly(bucketRowsByID), id, row},
		{t.b.Bucket(bucketRowsByName), nameKey(l), row},
		{t.appendOnly(bucketRowsByUpdated), updatedKey(l), row},
	} {
		if err := w.bucket.Put(w.key, w.val); err != nil {
			return fmt.Errorf("storage: lead %d: %w", l.ID, err)
		}
	}
	if len(l.Custom) > 0 {
		if err := noteFields(t.b.Bucket(bucketLeadFields), l); err != nil {
			return err
		}
	}
	members := t.appendOnly(bucketListMembers)
	for _, list := range l.Lists {
		if err := members.Put(append(itob(list), id...), nil); err != nil {
			return err
		}
	}
	return nil
}

// countLists adjusts the list sizes for a lead moving from the lists in
// before to those in after (written when the transaction commits).
func (t *Tx) countLists(before, after []uint64) {
	for _, id := range before {
		if !containsID(after, id) {
			t.addCount(bucketListCounts, itob(id), -1)
		}
	}
	for _, id := range after {
		if !containsID(before, id) {
			t.addCount(bucketListCounts, itob(id), +1)
		}
	}
}

func containsID(ids []uint64, id uint64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func (t *Tx) unindexLead(l model.Lead) error {
	for _, d := range []struct{ bucket, key []byte }{
		{bucketLeadsByKey, leadKey(l)},
		{bucketRowsByName, nameKey(l)},
		{bucketRowsByUpdated, updatedKey(l)},
	} {
		if err := t.b.Bucket(d.bucket).Delete(d.key); err != nil {
			return err
		}
	}
	for _, list := range l.Lists {
		if err := t.b.Bucket(bucketListMembers).Delete(append(itob(list), itob(l.ID)...)); err != nil {
			return err
		}
	}
	return nil
}

// DeleteLead removes a lead with its notes and timeline index.
func (t *Tx) DeleteLead(id uint64) error {
	l, err := t.Lead(id)
	if err != nil {
		return err
	}
	if err := t.unindexLead(l); err != nil {
		return err
	}
	for _, b := range [][]byte{bucketLeads, bucketRowsByID} {
		if err := t.b.Bucket(b).Delete(itob(id)); err != nil {
			return err
		}
	}
	for _, b := range [][]byte{bucketLeadNotes, bucketLeadTimeline} {
		if err := deletePrefix(t.b.Bucket(b), itob(id)); err != nil {
			return err
		}
	}
	t.countLists(l.Lists, nil)
	t.countState(l.State, -1)
	return nil
}

func deletePrefix(b *bolt.Bucket, prefix []byte) error {
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// EachLeadRaw calls fn with every lead's id and stored record (valid only
// during the call) in id order until fn returns false; callers filter on the
// raw bytes before decoding the few they need with Lead.
func (t *Tx) EachLeadRaw(fn func(id uint64, raw []byte) bool) {
	c := t.b.Bucket(bucketLeads).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if !fn(btoi(k), v) {
			return
		}
	}
}

// Lead returns the lead with id.
func (t *Tx) Lead(id uint64) (model.Lead, error) {
	var l model.Lead
	v := t.b.Bucket(bucketLeads).Get(itob(id))
	if v == nil {
		return l, model.Errorf(model.CodeNotFound, "lead %d does not exist", id)
	}
	if _, err := decode(v, leadVersion, &l); err != nil {
		return l, fmt.Errorf("storage: lead %d: %w", id, err)
	}
	return l, nil
}

// LeadIDByProfile returns the id of the lead with a normalised profile
// reference, 0 when there is none (one index read, nothing decoded).
func (t *Tx) LeadIDByProfile(kind, key string) uint64 {
	return btoi(t.b.Bucket(bucketLeadsByKey).Get([]byte(kind + ":" + key)))
}

// LeadByProfile finds a lead by its normalised profile reference.
func (t *Tx) LeadByProfile(kind, key string) (model.Lead, bool, error) {
	id := t.b.Bucket(bucketLeadsByKey).Get([]byte(kind + ":" + key))
	if id == nil {
		return model.Lead{}, false, nil
	}
	l, err := t.Lead(btoi(id))
	return l, err == nil, err
}

// ScanLeadRows walks the compact rows in an order, starting after the
// cursor (nil = from the start), calling fn with each row's key and its raw
// bytes (valid only during the call) until fn returns false.
func (t *Tx) ScanLeadRows(order LeadOrder, after []byte, fn func(key, row []byte) bool) {
	bucket, reverse := bucketRowsByID, true
	switch order {
	case OrderOldest:
		reverse = false
	case OrderName:
		bucket, reverse = bucketRowsByName, false
	case OrderUpdated:
		bucket = bucketRowsByUpdated
	case OrderStale:
		bucket, reverse = bucketRowsByUpdated, false
	}
	c := t.b.Bucket(bucket).Cursor()
	var k, v []byte
	switch {
	case after == nil && reverse:
		k, v = c.Last()
	case after == nil:
		k, v = c.First()
	case reverse:
		if k, v = c.Seek(after); k == nil {
			k, v = c.Last()
		} else if bytes.Equal(k, after) || bytes.Compare(k, after) > 0 {
			k, v = c.Prev()
		}
	default:
		if k, v = c.Seek(after); k != nil && bytes.Equal(k, after) {
			k, v = c.Next()
		}
	}
	for ; k != nil; k, v = step(c, reverse) {
		if !fn(k, v) {
			return
		}
	}
}

func step(c *bolt.Cursor, reverse bool) ([]byte, []byte) {
	if reverse {
		return c.Prev()
	}
	return c.Next()
}

// LeadRowOf decodes a raw row handed out by ScanLeadRows.
func LeadRowOf(raw []byte, r *LeadRow) error { return decodeRow(raw, r) }

// PeekLeadRow reads state, replied flag and search text from a raw row
// without decoding it (the text is only valid during the scan callback).
func PeekLeadRow(raw []byte) (model.LeadState, bool, []byte, bool) { return peekRow(raw) }

// LeadCounts returns how many leads are in each state.
func (t *Tx) LeadCounts() map[model.LeadState]uint64 {
	out := map[model.LeadState]uint64{}
	for _, s := range model.LeadStates() {
		if n := t.count(bucketLeadCounts, []byte(s)); n > 0 {
			out[s] = n
		}
	}
	return out
}

func (t *Tx) countState(s model.LeadState, delta int) {
	t.addCount(bucketLeadCounts, []byte(s), int64(delta))
}

// AppendLeadEvent appends e to the event log and to the lead's timeline.
func (t *Tx) AppendLeadEvent(leadID uint64, e model.Event) (model.Event, error) {
	if e.Subject == "" {
		e.Subject = fmt.Sprintf("lead:%d", leadID)
	}
	e, err := t.AppendEvent(e)
	if err != nil {
		return e, err
	}
	return e, t.b.Bucket(bucketLeadTimeline).Put(append(itob(leadID), itob(e.Seq)...), nil)
}

// LeadTimeline returns up to limit of a lead's events, newest first.
func (t *Tx) LeadTimeline(leadID uint64, limit int) ([]model.Event, error) {
	prefix := itob(leadID)
	c := t.b.Bucket(bucketLeadTimeline).Cursor()
	k, _ := c.Seek(itob(leadID + 1))
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	events := t.b.Bucket(bucketEvents)
	var out []model.Event
	for ; k != nil && bytes.HasPrefix(k, prefix) && len(out) < limit; k, _ = c.Prev() {
		v := events.Get(k[8:])
		if v == nil {
			continue
		}
		var e model.Event
		if _, err := decode(v, eventVersion, &e); err != nil {
			return out, err
		}
		out = append(out, e)
	}
	return out, nil
}

// AddLeadNote stores a note on a lead.
func (t *Tx) AddLeadNote(n model.LeadNote) (model.LeadNote, error) {
	b := t.b.Bucket(bucketLeadNotes)
	seq, err := b.NextSequence()
	if err != nil {
		return n, err
	}
	n.Seq = seq
	val, err := json.Marshal(n)
	if err != nil {
		return n, err
	}
	return n, b.Put(append(itob(n.LeadID), itob(seq)...), val)
}

// DeleteLeadNotes removes every note of a lead (erasure).
func (t *Tx) DeleteLeadNotes(leadID uint64) error {
	return deletePrefix(t.b.Bucket(bucketLeadNotes), itob(leadID))
}

// LeadNotes returns a lead's notes, newest first.
func (t *Tx) LeadNotes(leadID uint64) ([]model.LeadNote, error) {
	prefix := itob(leadID)
	c := t.b.Bucket(bucketLeadNotes).Cursor()
	var out []model.LeadNote
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var n model.LeadNote
		if err := json.Unmarshal(v, &n); err != nil {
			return out, err
		}
		out = append([]model.LeadNote{n}, out...)
	}
	return out, nil
}

// CreateList stores a list; names are unique, case-insensitively.
func (t *Tx) CreateList(name string) (model.List, error) {
	key := []byte(strings.ToLower(name))
	if id := t.b.Bucket(bucketListsByName).Get(key); id != nil {
		return model.List{}, model.Errorf(model.CodeConflict, "a list called %q already exists", name)
	}
	id, err := t.b.Bucket(bucketLists).NextSequence()
	if err != nil {
		return model.List{}, err
	}
	l := model.List{ID: id, Name: name, CreatedAt: t.now}
	val, _ := json.Marshal(l)
	if err := t.b.Bucket(bucketLists).Put(itob(id), val); err != nil {
		return l, err
	}
	return l, t.b.Bucket(bucketListsByName).Put(key, itob(id))
}

// ListByName finds a list by name (case-insensitive).
func (t *Tx) ListByName(name string) (model.List, bool, error) {
	id := t.b.Bucket(bucketListsByName).Get([]byte(strings.ToLower(name)))
	if id == nil {
		return model.List{}, false, nil
	}
	var l model.List
	err := json.Unmarshal(t.b.Bucket(bucketLists).Get(id), &l)
	return l, err == nil, err
}

// Lists returns every list in creation order.
func (t *Tx) Lists() ([]model.List, error) {
	var out []model.List
	err := t.b.Bucket(bucketLists).ForEach(func(_, v []byte) error {
		var l model.List
		if err := json.Unmarshal(v, &l); err != nil {
			return err
		}
		out = append(out, l)
		return nil
	})
	return out, err
}

// ListSize is a list's member count (kept as a counter, so it costs one
// read however large the list).
func (t *Tx) ListSize(id uint64) int { return int(t.count(bucketListCounts, itob(id))) }
