package runtime

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"parley/app/model"
	"parley/storage"
)

// TestPruneEvidence: screenshots and page copies past the evidence
// retention are deleted, except those an open incident names; recent ones
// and other files stay.
func TestPruneEvidence(t *testing.T) {
	dir := t.TempDir()
	s := newSim(t, Options{EvidenceDir: dir}, always("A", 1))
	now := s.clock.Now()
	old, recent := now.AddDate(0, 0, -91), now.AddDate(0, 0, -89)
	files := map[string]time.Time{
		"account-1/20260801T100000.000Z-failed-invite.png":  old,
		"account-1/20260801T100000.000Z-failed-invite.html": old,
		"account-1/20260802T100000.000Z-checkpoint.png":     old, // named by an open incident
		"account-1/20260802T100000.000Z-checkpoint.html":    old, // its page copy
		"account-2/20260905T100000.000Z-captcha.png":        recent,
		"account-2/notes.txt":                               old, // not evidence
	}
	for name, at := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}
	err := s.store.Update(func(tx *storage.Tx) error {
		_, err := tx.CreateIncident(model.Incident{Severity: model.Sev2, Kind: "account_challenge", State: model.IncidentOpen,
			Title: "LinkedIn asks for a security check (evidence: account-1/20260802T100000.000Z-checkpoint.png)", OpenedAt: now})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.rt.PruneEvidence()
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("deleted %d files; want the 2 old ones no open incident names", n)
	}
	for name := range files {
		_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name)))
		gone := os.IsNotExist(err)
		if want := name == "account-1/20260801T100000.000Z-failed-invite.png" || name == "account-1/20260801T100000.000Z-failed-invite.html"; gone != want {
			t.Errorf("%s deleted = %v; want %v", name, gone, want)
		}
	}
	// A shorter retention takes the recent one too; a bad one is refused.
	st, _ := s.rt.Settings()
	st.EvidenceRetentionDays = 0
	if err := s.rt.SaveSettings(st, operator); model.ErrorCode(err) != model.CodeInvalid {
		t.Fatalf("evidence retention 0 = %v; want refused", err)
	}
	st.EvidenceRetentionDays = 30
	if err := s.rt.SaveSettings(st, operator); err != nil {
		t.Fatal(err)
	}
	if n, err := s.rt.PruneEvidence(); err != nil || n != 1 {
		t.Fatalf("with 30 days: deleted %d (%v); want 1", n, err)
	}
}
