package storage

import (
	"fmt"

	"parley/app/model"
)

const eventVersion = 1

// AppendEvent adds e to the append-only event log in this transaction and
// returns it with its sequence number and time filled in.
func (t *Tx) AppendEvent(e model.Event) (model.Event, error) {
	if e.Type == "" {
		return e, fmt.Errorf("storage: append event: empty type")
	}
	b := t.appendOnly(bucketEvents)
	seq, err := b.NextSequence()
	if err != nil {
		return e, fmt.Errorf("storage: append event: %w", err)
	}
	e.Seq = seq
	if e.At.IsZero() {
		e.At = t.now
	}
	e.At = e.At.UTC()
	val, err := encode(eventVersion, e)
	if err != nil {
		return e, fmt.Errorf("storage: append event %s: %w", e.Type, err)
	}
	if err := b.Put(itob(seq), val); err != nil {
		return e, fmt.Errorf("storage: append event %s: %w", e.Type, err)
	}
	t.appended = true
	return e, nil
}

// EventsAfter returns up to limit events with a sequence above after, oldest
// first. Consumers keep their own cursor (the last Seq they handled).
func (t *Tx) EventsAfter(after uint64, limit int) ([]model.Event, error) {
	c := t.b.Bucket(bucketEvents).Cursor()
	var out []model.Event
	for k, v := c.Seek(itob(after + 1)); k != nil && len(out) < limit; k, v = c.Next() {
		var e model.Event
		if _, err := decode(v, eventVersion, &e); err != nil {
			return out, fmt.Errorf("storage: event %d: %w", btoi(k), err)
		}
		out = append(out, e)
	}
	return out, nil
}

// RecentEvents returns up to limit of the newest events, newest first.
func (t *Tx) RecentEvents(limit int) ([]model.Event, error) {
	c := t.b.Bucket(bucketEvents).Cursor()
	var out []model.Event
	for k, v := c.Last(); k != nil && len(out) < limit; k, v = c.Prev() {
		var e model.Event
		if _, err := decode(v, eventVersion, &e); err != nil {
			return out, fmt.Errorf("storage: event %d: %w", btoi(k), err)
		}
		out = append(out, e)
	}
	return out, nil
}

// EventCount is the number of events ever appended.
func (t *Tx) EventCount() uint64 { return t.b.Bucket(bucketEvents).Sequence() }
