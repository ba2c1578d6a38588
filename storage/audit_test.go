package storage

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"parley/app/model"
)

// appendAudits appends n records, 100 per transaction (the chain must
// hold within a transaction and across them).
func appendAudits(t *testing.T, s *Store, n int) {
	t.Helper()
	for start := 0; start < n; start += 100 {
		err := s.Update(func(tx *Tx) error {
			for i := start; i < min(start+100, n); i++ {
				if _, err := tx.AppendAudit(model.AuditRecord{
					Category: "backup", Action: "backup_created", Actor: model.ActorCLI,
					Outcome: model.OutcomeSuccess, Target: "run", Details: map[string]string{"i": string(rune('a' + i%26))},
				}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditChainVerifies(t *testing.T) {
	s := openTemp(t, Options{})
	rep, err := s.VerifyAudit()
	if err != nil || !rep.OK() || rep.Records != 0 {
		t.Fatalf("empty chain: %+v %v", rep, err)
	}
	appendAudits(t, s, 2500) // more than one verification page
	rep, err = s.VerifyAudit()
	if err != nil || !rep.OK() || rep.Records != 2500 || rep.Head.Seq != 2500 {
		t.Fatalf("chain: %+v %v", rep, err)
	}
	s.View(func(tx *Tx) error {
		recs, _ := tx.RecentAudit(0, 2)
		if recs[0].Seq != 2500 || recs[0].PrevHash != recs[1].Hash || recs[0].Hash == "" {
			t.Errorf("records not linked: %+v", recs)
		}
		older, _ := tx.RecentAudit(recs[1].Seq, 1)
		if len(older) != 1 || older[0].Seq != 2498 {
			t.Errorf("paging: %+v", older)
		}
		return nil
	})
}

func TestAuditRequiresFields(t *testing.T) {
	s := openTemp(t, Options{})
	err := s.Update(func(tx *Tx) error {
		_, err := tx.AppendAudit(model.AuditRecord{Category: "x", Action: "y"})
		return err
	})
	if err == nil {
		t.Fatal("incomplete record accepted")
	}
}

func TestAuditTamperingIsDetected(t *testing.T) {
	cases := []struct {
		name    string
		tamper  func(b *bolt.Bucket) error
		brokeAt uint64
		problem string
	}{
		{"edited record", func(b *bolt.Bucket) error {
			v := append([]byte(nil), b.Get(itob(5))...)
			return b.Put(itob(5), []byte(strings.Replace(string(v), `"actor":"cli"`, `"actor":"eve"`, 1)))
		}, 5, "does not match its hash"},
		{"deleted record", func(b *bolt.Bucket) error { return b.Delete(itob(4)) }, 4, "missing"},
		{"rehashed record", func(b *bolt.Bucket) error {
			// An attacker who recomputes the edited record's own hash still
			// breaks the link from the next record.
			r, _, _ := decodeAudit(b.Get(itob(6)))
			r.Actor, r.Hash = "eve", ""
			rec, _ := json.Marshal(r)
			val, _ := encode(auditVersion, auditEntry{Hash: sha(rec), Rec: rec})
			return b.Put(itob(6), val)
		}, 7, "does not point at"},
		{"deleted tail", func(b *bolt.Bucket) error { return b.Delete(itob(10)) }, 10, "removed from the end"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := openTemp(t, Options{})
			appendAudits(t, s, 10)
			if err := s.db.Update(func(tx *bolt.Tx) error { return c.tamper(tx.Bucket(bucketAudit)) }); err != nil {
				t.Fatal(err)
			}
			rep, err := s.VerifyAudit()
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() || rep.BrokenAt != c.brokeAt || !strings.Contains(rep.Problem, c.problem) {
				t.Fatalf("report = %+v, want broken at %d with %q", rep, c.brokeAt, c.problem)
			}
		})
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
