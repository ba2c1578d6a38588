package storage

import (
	"encoding/json"

	bolt "go.etcd.io/bbolt"

	"parley/app/model"
)

// CorruptAuditHeadForTest points the audit chain head past the last record
// so every AppendAudit fails. Only tests of fail-closed behaviour use it.
func CorruptAuditHeadForTest(s *Store) {
	s.db.Update(func(b *bolt.Tx) error {
		head, _ := (&Tx{b: b}).AuditHead()
		head.Seq += 100
		v, _ := json.Marshal(head)
		return b.Bucket(bucketMeta).Put(keyAuditHead, v)
	})
}

// RepairAuditHeadForTest undoes CorruptAuditHeadForTest.
func RepairAuditHeadForTest(s *Store) {
	s.db.Update(func(b *bolt.Tx) error {
		head, _ := (&Tx{b: b}).AuditHead()
		head.Seq -= 100
		v, _ := json.Marshal(model.AuditHead{Seq: head.Seq, Hash: head.Hash})
		return b.Bucket(bucketMeta).Put(keyAuditHead, v)
	})
}
