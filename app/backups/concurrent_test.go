package backups

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"parley/app/config"
	"parley/app/model"
	"parley/storage"
)

// TestSnapshotUnderLoadRestoresToAConsistentState: 8 goroutines commit
// continuously while backups are taken; each snapshot is then restored into
// a fresh data directory and its contents compared with the live database.
// The restored event log must be an exact prefix of the live one, and each
// writer's counter must be a value the live counter passed through.
func TestSnapshotUnderLoadRestoresToAConsistentState(t *testing.T) {
	f := newFixture(t, Options{Keep: 10})
	const writers = 8
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 1; !stop.Load(); n++ {
				err := f.store.Update(func(tx *storage.Tx) error {
					if _, err := tx.AppendEvent(model.Event{Type: "test.write", Subject: fmt.Sprintf("w%d:%d", w, n)}); err != nil {
						return err
					}
					return tx.PutSetting(fmt.Sprintf("writer-%d", w), n)
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	// Let the writers get going, and keep writing between backups, so each
	// snapshot really races with commits even on a loaded machine.
	committed := func() uint64 {
		var n uint64
		f.store.View(func(tx *storage.Tx) error { n = tx.EventCount(); return nil })
		return n
	}
	waitBeyond := func(n uint64) {
		deadline := time.Now().Add(30 * time.Second)
		for committed() <= n {
			if time.Now().After(deadline) {
				t.Fatal("writers made no progress")
			}
			time.Sleep(time.Millisecond)
		}
	}
	waitBeyond(writers * 2)
	var runs []model.BackupRun
	for range 3 {
		waitBeyond(committed())
		run, err := f.svc.Run(context.Background(), Request{Trigger: model.TriggerManual})
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, run)
	}
	stop.Store(true)
	wg.Wait()

	live := map[uint64]model.Event{}
	liveCounters := map[string]int{}
	f.store.View(func(tx *storage.Tx) error {
		evs, err := tx.EventsAfter(0, 1_000_000)
		for _, e := range evs {
			live[e.Seq] = e
		}
		for w := range writers {
			var n int
			tx.GetSetting(fmt.Sprintf("writer-%d", w), &n)
			liveCounters[fmt.Sprintf("writer-%d", w)] = n
		}
		return err
	})

	for _, run := range runs {
		paths := config.Paths{Root: t.TempDir()}
		paths.Ensure()
		if _, err := Restore(RestoreOptions{Paths: paths, File: f.paths.Abs(run.Path)}); err != nil {
			t.Fatal(err)
		}
		restored, err := storage.Open(storage.Options{Path: paths.DB(), ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		restored.View(func(tx *storage.Tx) error {
			evs, _ := tx.EventsAfter(0, 1_000_000)
			if len(evs) < 2 || evs[len(evs)-1].Type != model.EventDBRestored {
				t.Fatalf("restored log does not end with the restore: %d events", len(evs))
			}
			writes := map[string]int{}
			for _, e := range evs[:len(evs)-1] {
				l, ok := live[e.Seq]
				if !ok || l.Type != e.Type || l.Subject != e.Subject || !l.At.Equal(e.At) {
					t.Fatalf("restored event %d = %+v, live has %+v", e.Seq, e, l)
				}
				if e.Type == "test.write" {
					var w, n int
					fmt.Sscanf(e.Subject, "w%d:%d", &w, &n)
					writes[fmt.Sprintf("writer-%d", w)] = n
				}
			}
			for w := range writers {
				key := fmt.Sprintf("writer-%d", w)
				var n int
				tx.GetSetting(key, &n)
				// The counter and the event were committed together, so the
				// snapshot holds both or neither.
				if n != writes[key] || n > liveCounters[key] {
					t.Errorf("%s: counter %d, last event %d, live %d", key, n, writes[key], liveCounters[key])
				}
			}
			return nil
		})
		if rep, _ := restored.VerifyAudit(); !rep.OK() {
			t.Errorf("restored audit chain: %+v", rep)
		}
		restored.Close()
	}
	if len(live) < writers*2 {
		t.Fatalf("writers made little progress: %d events", len(live))
	}
}
