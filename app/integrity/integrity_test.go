package integrity

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parley/app/clocktest"
	"parley/app/model"
	"parley/storage"
)

func TestCheckerReportsHealthyAndDamagedDatabases(t *testing.T) {
	clock := clocktest.New(time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC))
	path := filepath.Join(t.TempDir(), "parley.db")
	s, err := storage.Open(storage.Options{Path: path, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(strings.Repeat("lead data ", 100))
	s.Update(func(tx *storage.Tx) error {
		for range 3000 {
			if _, err := tx.AppendEvent(model.Event{Type: "fill", Data: payload}); err != nil {
				return err
			}
		}
		return nil
	})
	c := &Checker{Store: s, Clock: clock, Logger: slog.New(slog.DiscardHandler), Delay: time.Minute}
	if got := c.Result(); got.State != StateChecking {
		t.Fatalf("before the first check: %+v", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- c.Serve(ctx) }()
	for clock.Waiters() == 0 {
		time.Sleep(time.Millisecond)
	}
	clock.Advance(time.Minute)
	for c.Result().State == StateChecking {
		time.Sleep(time.Millisecond)
	}
	if got := c.Result(); got.State != StateOK || !got.CheckedAt.Equal(clock.Now()) {
		t.Fatalf("healthy: %+v", got)
	}
	cancel()
	<-done
	var used int64
	s.View(func(tx *storage.Tx) error { used = tx.Size(); return nil })
	s.Close()

	// Overwrite a few data pages in the middle of the file with zeros: the
	// file still opens (its metadata is intact) but the check fails.
	f, _ := os.OpenFile(path, os.O_RDWR, 0)
	zero := make([]byte, 4*4096)
	f.WriteAt(zero, (used/2/4096)*4096)
	f.Close()
	s, err = storage.Open(storage.Options{Path: path, Clock: clock, ReadOnly: false})
	if err != nil {
		t.Skipf("damaged file no longer opens (%v); the open path reports it instead", err)
	}
	defer s.Close()
	c = &Checker{Store: s, Clock: clock, Logger: slog.New(slog.DiscardHandler)}
	got := c.CheckNow()
	if got.State != StateFailed || got.Detail == "" {
		t.Fatalf("damaged: %+v", got)
	}
	s.View(func(tx *storage.Tx) error {
		evs, _ := tx.RecentEvents(1)
		if evs[0].Type != model.EventIntegrityFailed {
			t.Errorf("last event = %s", evs[0].Type)
		}
		return nil
	})
}
