package campaigns

import (
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"parley/app/model"
	"parley/storage"
)

// TestErasureScrubsJobsAndScreenshots: erasing a person clears what their
// jobs say about them (results, errors, action logs naming their profile)
// and deletes the screenshots and page copies of those jobs; another
// person's jobs and files stay.
func TestErasureScrubsJobsAndScreenshots(t *testing.T) {
	w := newWorld(t, 2)
	dir := t.TempDir()
	s := w.s.WithEvidence(dir, slog.New(slog.DiscardHandler))
	shot := func(lead int) string {
		return "account-1/20261204T101500.000Z-failed-invite-" + string(rune('a'+lead)) + ".png"
	}
	var jobIDs [2]uint64
	err := w.store.Update(func(tx *storage.Tx) error {
		for i, l := range w.leads[:2] {
			j, err := tx.CreateJob(model.Job{AccountID: w.accounts[0].ID, Kind: model.JobInvite, LeadID: l.ID, State: model.JobQueued,
				Due: tx.Now(), LastError: "the invite to " + l.Name() + " could not be confirmed", CreatedAt: tx.Now()})
			if err != nil {
				return err
			}
			j.AddAttempt(model.JobAttempt{Started: tx.Now(), Failed: true, Outcome: "failed: " + l.Name(), Evidence: shot(i),
				Steps: []model.JobStep{{What: "loaded " + l.ProfileURL}, {What: "read the profile of " + l.Name()}}})
			if err := tx.PutJob(j); err != nil {
				return err
			}
			jobIDs[i] = j.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		for _, ext := range []string{".png", ".html"} {
			p := filepath.Join(dir, filepath.FromSlash(strings.TrimSuffix(shot(i), ".png")+ext))
			os.MkdirAll(filepath.Dir(p), 0o700)
			if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	erased, kept := w.leads[0], w.leads[1]
	if err := s.Erase(erased.ID, "asked by e-mail", who); err != nil {
		t.Fatal(err)
	}
	w.store.View(func(tx *storage.Tx) error {
		j, err := tx.Job(jobIDs[0])
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(j)
		for _, pii := range []string{erased.FirstName, "lead-0", "failed-invite-a"} {
			if strings.Contains(string(raw), pii) {
				t.Errorf("the erased person's job still holds %q: %s", pii, raw)
			}
		}
		if len(j.Attempts) != 1 || !j.Attempts[0].Failed || j.LastError != storage.ErasedText {
			t.Errorf("the job lost more than the person: %+v", j)
		}
		other, _ := tx.Job(jobIDs[1])
		if raw, _ := json.Marshal(other); !strings.Contains(string(raw), kept.FirstName) || other.Attempts[0].Evidence == "" {
			t.Errorf("another person's job was scrubbed: %s", raw)
		}
		return nil
	})
	for i, want := range []bool{true, false} {
		for _, ext := range []string{".png", ".html"} {
			_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(strings.TrimSuffix(shot(i), ".png")+ext)))
			if gone := os.IsNotExist(err); gone != want {
				t.Errorf("lead %d's %s deleted = %v; want %v", i, ext, gone, want)
			}
		}
	}
}
