package storage_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"parley/app/clocktest"
	"parley/app/model"
	"parley/storage"
	"parley/storage/storagetest"
)

// TestGroupCommitsConcurrentWritersTogether: many writers at once all get
// their writes, in fewer commits than calls, and the events hook fires.
func TestGroupCommitsConcurrentWritersTogether(t *testing.T) {
	s := storagetest.Open(t, clocktest.New(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)))
	var base uint64
	s.View(func(tx *storage.Tx) error { base = tx.EventCount(); return nil })
	var hooks atomic.Int64
	s.OnEvents(func() { hooks.Add(1) })
	const writers, each = 16, 40
	var runs atomic.Int64 // how many times the functions ran
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				err := s.Group(func(tx *storage.Tx) error {
					runs.Add(1)
					if err := tx.AddAccountUsage(uint64(w+1), "n", 1); err != nil {
						return err
					}
					_, err := tx.AppendEvent(model.Event{Type: "test.write", Subject: fmt.Sprintf("%d/%d", w, i)})
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	s.View(func(tx *storage.Tx) error {
		for w := range writers {
			if n := tx.AccountUsage(uint64(w+1), "n"); n != each {
				t.Errorf("writer %d: %d writes stored, want %d", w, n, each)
			}
		}
		if n := tx.EventCount() - base; n != writers*each {
			t.Errorf("%d events, want %d", n, writers*each)
		}
		return nil
	})
	if runs.Load() != writers*each {
		t.Errorf("functions ran %d times for %d calls with no failure", runs.Load(), writers*each)
	}
	if h := hooks.Load(); h == 0 || h >= writers*each {
		t.Errorf("the events hook fired %d times for %d calls; want at least once and fewer (shared commits)", h, writers*each)
	}
}

// TestGroupIsolatesAFailure: one failing call in a group fails alone; the
// others are committed (run again alone) and the failing call wrote
// nothing.
func TestGroupIsolatesAFailure(t *testing.T) {
	s := storagetest.Open(t, clocktest.New(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)))
	boom := errors.New("boom")
	var wg sync.WaitGroup
	errs := make([]error, 12)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Group(func(tx *storage.Tx) error {
				if err := tx.AddAccountUsage(uint64(i+1), "n", 1); err != nil {
					return err
				}
				if i == 5 {
					return boom
				}
				return nil
			})
		}()
	}
	wg.Wait()
	s.View(func(tx *storage.Tx) error {
		for i, err := range errs {
			n := tx.AccountUsage(uint64(i+1), "n")
			if i == 5 {
				if !errors.Is(err, boom) || n != 0 {
					t.Errorf("failing call: err %v, %d writes kept; want boom and none", err, n)
				}
				continue
			}
			if err != nil || n != 1 {
				t.Errorf("call %d: err %v, %d writes; want one write", i, err, n)
			}
		}
		return nil
	})
}
