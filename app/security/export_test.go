package security

import (
	"testing"

	"parley/storage"
)

// breakAuditChain makes every audit append fail by corrupting the chain
// head; repairAuditChain undoes it so the cleanup checks pass.
func breakAuditChain(t *testing.T, s *storage.Store) {
	t.Helper()
	if err := s.Update(func(tx *storage.Tx) error { return tx.PutSetting("_", nil) }); err != nil {
		t.Fatal(err)
	}
	storage.CorruptAuditHeadForTest(s)
}

func repairAuditChain(t *testing.T, s *storage.Store) {
	t.Helper()
	storage.RepairAuditHeadForTest(s)
}
