// Package storagetest opens real, temporary bbolt databases for tests and
// checks their consistency when the test ends.
package storagetest

import (
	"path/filepath"
	"testing"

	"parley/app/model"
	"parley/storage"
)

// Open creates a fresh database in a temp dir. On cleanup it runs bbolt's
// full consistency check (tx.Check) and the audit chain verification, then
// closes the store; any problem fails the test.
func Open(t testing.TB, clock model.Clock) *storage.Store {
	t.Helper()
	s := OpenIn(t, t.TempDir(), clock)
	t.Cleanup(func() { CheckAndClose(t, s) })
	return s
}

// OpenIn opens (or creates) parley.db in dir, for tests that close and
// reopen a database (a restart, a killed process); closing it is theirs.
func OpenIn(t testing.TB, dir string, clock model.Clock) *storage.Store {
	t.Helper()
	s, err := storage.Open(storage.Options{
		Path:        filepath.Join(dir, "parley.db"),
		Clock:       clock,
		SnapshotDir: filepath.Join(dir, "backups"),
		AppVersion:  "test",
	})
	if err != nil {
		t.Fatalf("storagetest: open: %v", err)
	}
	return s
}

// CheckAndClose verifies s (pages and audit chain) and closes it.
func CheckAndClose(t testing.TB, s *storage.Store) {
	t.Helper()
	if err := s.Check(); err != nil {
		t.Errorf("storagetest: consistency check: %v", err)
	}
	if rep, err := s.VerifyAudit(); err != nil {
		t.Errorf("storagetest: verify audit: %v", err)
	} else if !rep.OK() {
		t.Errorf("storagetest: audit chain broken at %d: %s", rep.BrokenAt, rep.Problem)
	}
	if err := s.Close(); err != nil {
		t.Errorf("storagetest: close: %v", err)
	}
}
