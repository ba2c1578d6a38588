package storage

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"parley/app/model"
)

const auditVersion = 1

// auditEntry is the stored form of an audit record. Rec holds the exact
// bytes that were hashed, so the chain stays verifiable even after the
// record type gains fields in a later version.
type auditEntry struct {
	Hash string          `json:"hash"`
	Rec  json.RawMessage `json:"rec"`
}

// AppendAudit adds r to the hash-chained audit trail in this transaction.
// The guarded action must be written in the same transaction, so that if
// this fails the action does not happen (fail closed).
func (t *Tx) AppendAudit(r model.AuditRecord) (model.AuditRecord, error) {
	if r.Category == "" || r.Action == "" || r.Actor == "" || r.Outcome == "" {
		return r, fmt.Errorf("storage: append audit: category, action, actor and outcome are required")
	}
	b := t.appendOnly(bucketAudit)
	head, err := t.AuditHead()
	if err != nil {
		return r, err
	}
	seq, err := b.NextSequence()
	if err != nil {
		return r, fmt.Errorf("storage: append audit: %w", err)
	}
	if seq != head.Seq+1 {
		return r, fmt.Errorf("storage: append audit: sequence %d does not follow head %d", seq, head.Seq)
	}
	r.Seq = seq
	if r.At.IsZero() {
		r.At = t.now
	}
	r.At = r.At.UTC()
	r.PrevHash = head.Hash
	r.Hash = ""
	rec, err := json.Marshal(r)
	if err != nil {
		return r, fmt.Errorf("storage: append audit: %w", err)
	}
	sum := sha256.Sum256(rec)
	r.Hash = hex.EncodeToString(sum[:])
	val, err := encode(auditVersion, auditEntry{Hash: r.Hash, Rec: rec})
	if err != nil {
		return r, fmt.Errorf("storage: append audit: %w", err)
	}
	if err := b.Put(itob(seq), val); err != nil {
		return r, fmt.Errorf("storage: append audit: %w", err)
	}
	headVal, _ := json.Marshal(model.AuditHead{Seq: seq, Hash: r.Hash})
	if err := t.b.Bucket(bucketMeta).Put(keyAuditHead, headVal); err != nil {
		return r, fmt.Errorf("storage: append audit: %w", err)
	}
	return r, nil
}

// AuditHead returns the newest record's sequence and hash (zero when empty).
func (t *Tx) AuditHead() (model.AuditHead, error) {
	var h model.AuditHead
	v := t.b.Bucket(bucketMeta).Get(keyAuditHead)
	if v == nil {
		return h, nil
	}
	if err := json.Unmarshal(v, &h); err != nil {
		return h, fmt.Errorf("storage: audit head: %w", err)
	}
	return h, nil
}

// RecentAudit returns up to limit audit records with a sequence below
// before (0 = from the newest), newest first.
func (t *Tx) RecentAudit(before uint64, limit int) ([]model.AuditRecord, error) {
	c := t.b.Bucket(bucketAudit).Cursor()
	k, v := lastBefore(c, before)
	var out []model.AuditRecord
	for ; k != nil && len(out) < limit; k, v = c.Prev() {
		r, _, err := decodeAudit(v)
		if err != nil {
			return out, fmt.Errorf("storage: audit record %d: %w", btoi(k), err)
		}
		out = append(out, r)
	}
	return out, nil
}

func decodeAudit(v []byte) (model.AuditRecord, auditEntry, error) {
	var e auditEntry
	var r model.AuditRecord
	if _, err := decode(v, auditVersion, &e); err != nil {
		return r, e, err
	}
	if err := json.Unmarshal(e.Rec, &r); err != nil {
		return r, e, err
	}
	r.Hash = e.Hash
	return r, e, nil
}

// AuditReport is the result of verifying the audit chain.
type AuditReport struct {
	Records uint64          `json:"records"`
	Head    model.AuditHead `json:"head"`
	// BrokenAt is the sequence of the first record that fails verification
	// (0 when the chain is intact); Problem says what is wrong with it.
	BrokenAt uint64 `json:"broken_at"`
	Problem  string `json:"problem"`
}

// OK reports whether the chain verified.
func (r AuditReport) OK() bool { return r.BrokenAt == 0 && r.Problem == "" }

// VerifyAudit walks the whole audit chain, a page at a time so no read
// transaction stays open for long, and names the first broken record.
func (s *Store) VerifyAudit() (AuditReport, error) {
	const page = 1000
	var rep AuditReport
	var prevHash string
	next := uint64(1)
	for {
		done := false
		err := s.View(func(tx *Tx) error {
			c := tx.b.Bucket(bucketAudit).Cursor()
			n := 0
			for k, v := c.Seek(itob(next)); ; k, v = c.Next() {
				if k == nil {
					done = true
					return nil
				}
				if n == page {
					return nil
				}
				n++
				seq := btoi(k)
				if problem := verifyAuditEntry(seq, next, prevHash, v); problem != "" {
					rep.BrokenAt, rep.Problem = min(seq, next), problem
					done = true
					return nil
				}
				_, e, _ := decodeAudit(v)
				prevHash = e.Hash
				rep.Records++
				next = seq + 1
			}
		})
		if err != nil {
			return rep, err
		}
		if done {
			break
		}
	}
	if err := s.View(func(tx *Tx) error {
		h, err := tx.AuditHead()
		rep.Head = h
		return err
	}); err != nil {
		return rep, err
	}
	if rep.OK() && (rep.Head.Seq != rep.Records || rep.Head.Hash != prevHash) {
		rep.BrokenAt = rep.Records + 1
		if rep.Head.Seq <= rep.Records {
			rep.BrokenAt = rep.Head.Seq
		}
		rep.Problem = fmt.Sprintf("the chain ends at record %d but the recorded head is record %d: records were removed from the end", rep.Records, rep.Head.Seq)
	}
	return rep, nil
}

func verifyAuditEntry(seq, want uint64, prevHash string, v []byte) string {
	if seq != want {
		return fmt.Sprintf("record %d is missing (next stored record is %d)", want, seq)
	}
	r, e, err := decodeAudit(v)
	if err != nil {
		return "record cannot be decoded: " + err.Error()
	}
	sum := sha256.Sum256(e.Rec)
	if hex.EncodeToString(sum[:]) != e.Hash {
		return "record content does not match its hash (edited)"
	}
	if r.Seq != seq {
		return fmt.Sprintf("record claims sequence %d but is stored as %d", r.Seq, seq)
	}
	if r.PrevHash != prevHash {
		return "record does not point at the hash of the record before it"
	}
	return ""
}

// AuditFilter selects audit records. Empty fields match everything.
type AuditFilter struct {
	Category string
	Action   string
	// Actor matches case-insensitively anywhere in the actor.
	Actor string
	Since time.Time
	Until time.Time
}

func (f AuditFilter) match(r model.AuditRecord) bool {
	switch {
	case f.Category != "" && r.Category != f.Category:
		return false
	case f.Action != "" && r.Action != f.Action:
		return false
	case f.Actor != "" && !strings.Contains(strings.ToLower(r.Actor), strings.ToLower(f.Actor)):
		return false
	case !f.Since.IsZero() && r.At.Before(f.Since):
		return false
	case !f.Until.IsZero() && !r.At.Before(f.Until):
		return false
	}
	return true
}

// SearchAudit returns up to limit records matching f with a sequence below
// before (0 = newest), newest first, and the cursor for the next page (0
// when there is none). It examines at most scanLimit records per call so a
// rare filter cannot hold a read transaction for long; next is then the
// place to continue from.
func (t *Tx) SearchAudit(f AuditFilter, before uint64, limit, scanLimit int) ([]model.AuditRecord, uint64, error) {
	c := t.b.Bucket(bucketAudit).Cursor()
	k, v := lastBefore(c, before)
	var out []model.AuditRecord
	scanned := 0
	for ; k != nil; k, v = c.Prev() {
		if len(out) == limit || scanned == scanLimit {
			return out, btoi(k) + 1, nil
		}
		scanned++
		r, _, err := decodeAudit(v)
		if err != nil {
			return out, 0, fmt.Errorf("storage: audit record %d: %w", btoi(k), err)
		}
		if !f.Since.IsZero() && r.At.Before(f.Since) {
			return out, 0, nil // records are in time order: nothing older matches
		}
		if f.match(r) {
			out = append(out, r)
		}
	}
	return out, 0, nil
}
