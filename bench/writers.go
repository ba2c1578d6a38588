//go:build linux

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"parley/app/model"
	"parley/storage"
)

const (
	// writerCount goroutines commit concurrently.
	writerCount = 4
	// baselineWindow is how long writers run without a snapshot.
	baselineWindow = 3 * time.Second
	// p99Goal and stallGoal are the goals during a snapshot.
	p99Goal   = 20 * time.Millisecond
	stallGoal = time.Second
)

// commitRec is one timed commit.
type commitRec struct {
	start time.Time
	took  time.Duration
}

// window is the outcome of writers committing for one window.
type window struct {
	lat     latencies
	elapsed time.Duration
}

func (w window) perSecond() float64 { return float64(w.lat.count) / w.elapsed.Seconds() }

// newWindow summarises the commits of one window.
func newWindow(recs []commitRec, elapsed time.Duration) window {
	return window{summarize(tookOf(recs, time.Time{}, time.Time{})), elapsed}
}

// tookOf returns the latencies of the commits that started in [from, to);
// a zero bound is open.
func tookOf(recs []commitRec, from, to time.Time) []time.Duration {
	var out []time.Duration
	for _, r := range recs {
		if (from.IsZero() || !r.start.Before(from)) && (to.IsZero() || r.start.Before(to)) {
			out = append(out, r.took)
		}
	}
	return out
}

// splitAt divides commits into those that finished before t and those
// still running at t or started after it.
func splitAt(recs []commitRec, t time.Time) (before, after []time.Duration) {
	for _, r := range recs {
		if r.start.Add(r.took).Before(t) {
			before = append(before, r.took)
		} else {
			after = append(after, r.took)
		}
	}
	return before, after
}

// runWriters runs writerCount goroutines that call commit in a loop until
// stop closes, timing every call. It returns every commit and the time
// from the first start until every writer has stopped.
func runWriters(stop <-chan struct{}, commit func(writer, n int) error) ([]commitRec, time.Duration, error) {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		all   []commitRec
		first error
	)
	t0 := time.Now()
	for w := range writerCount {
		wg.Go(func() {
			var mine []commitRec
			defer func() {
				mu.Lock()
				all = append(all, mine...)
				mu.Unlock()
			}()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				c0 := time.Now()
				err := commit(w, n)
				mine = append(mine, commitRec{c0, time.Since(c0)})
				if err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("writer %d: %w", w, err)
					}
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	return all, time.Since(t0), first
}

// writersRun is one measured run: baseline, then during a snapshot.
type writersRun struct {
	base, during window
	snapTook     time.Duration
	// copyPart are the commits that finished while the snapshot was still
	// copying; flushPart those in flight when its last byte was written or
	// started after.
	copyPart, flushPart []time.Duration
	// copyTook is the copy phase, fsyncTook from the last byte written to
	// the rename (zero when not observed).
	copyTook, fsyncTook time.Duration
}

// benchWriters measures fsynced commit latency with and without a
// SnapshotToFile running; the bbolt contrast runs first, on a copy of the
// untouched database.
func benchWriters(ctx context.Context, e *env) (*section, error) {
	c, err := contrastRemap(ctx, e)
	if err != nil {
		return nil, fmt.Errorf("writers: contrast: %w", err)
	}
	if err := warmRead(ctx, e.dbPath); err != nil {
		return nil, err
	}
	store, err := storage.Open(storage.Options{Path: e.dbPath, SnapshotDir: filepath.Join(e.work, "backups")})
	if err != nil {
		return nil, fmt.Errorf("writers: open store: %w", err)
	}
	defer func() {
		if store != nil {
			store.Close()
		}
	}()
	sizeBefore, usedBefore := dbSizes(store, e.dbPath)

	commit := func(w, n int) error {
		data, _ := json.Marshal(map[string]int{"writer": w, "n": n})
		return store.Update(func(tx *storage.Tx) error {
			_, err := tx.AppendEvent(model.Event{Type: "bench.commit", Subject: fmt.Sprintf("writer:%d", w), Data: data})
			return err
		})
	}
	outDir := filepath.Join(e.work, "writers-out")
	if err := os.MkdirAll(outDir, 0o700); err != nil {
		return nil, fmt.Errorf("writers: %w", err)
	}
	defer os.RemoveAll(outDir)
	var runs []writersRun
	for run := 0; run <= e.cfg.runs; run++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		warm := run == 0
		r, err := writersOnce(store, commit, filepath.Join(outDir, "snapshot.db"))
		if err != nil {
			return nil, fmt.Errorf("writers: %w", err)
		}
		progress("writers run %d/%d%s: baseline n=%d p99=%s max=%s | during n=%d p99=%s max=%s (snapshot %s: copy %s, fsync %s)",
			run, e.cfg.runs, map[bool]string{true: " (warm-up)"}[warm], r.base.lat.count, fmtDur(r.base.lat.p99), fmtDur(r.base.lat.max),
			r.during.lat.count, fmtDur(r.during.lat.p99), fmtDur(r.during.lat.max), fmtDur(r.snapTook), fmtDur(r.copyTook), fmtDur(r.fsyncTook))
		if !warm {
			runs = append(runs, r)
		}
	}
	sizeAfter, usedAfter := dbSizes(store, e.dbPath)
	err = store.Close()
	store = nil
	if err != nil {
		return nil, fmt.Errorf("writers: close store: %w", err)
	}

	s := writersSection(runs)
	c.addRows(s, secs(pickRuns(runs, func(r writersRun) float64 { return r.during.lat.max.Seconds() }).max()))
	s.note("Over this benchmark's Parley windows (warm-up included) the used pages (tx.Size()) went from %s to %s and the file from %s to %s: "+
		"pages freed while a snapshot's read transaction is open cannot be reused, so commits during a snapshot take new pages at the end of the file.",
		fmtMB(usedBefore), fmtMB(usedAfter), fmtMB(sizeBefore), fmtMB(sizeAfter))
	return s, nil
}

// dbSizes returns the file size and the used bytes (tx.Size()) of the
// open store (zero when unknown).
func dbSizes(store *storage.Store, path string) (file, used int64) {
	file, _, _ = fileSizes(path)
	_ = store.View(func(tx *storage.Tx) error { used = tx.Size(); return nil })
	return file, used
}

// writersOnce runs the baseline window, then writers during one snapshot.
func writersOnce(store *storage.Store, commit func(int, int) error, dest string) (r writersRun, err error) {
	stop := make(chan struct{})
	timer := time.AfterFunc(baselineWindow, func() { close(stop) })
	recs, elapsed, err := runWriters(stop, commit)
	timer.Stop()
	if err != nil {
		return r, fmt.Errorf("baseline: %w", err)
	}
	r.base = newWindow(recs, elapsed)

	stop = make(chan struct{})
	watch := watchTempFile(dest, stop)
	var snapErr error
	var res storage.SnapshotResult
	t0 := time.Now()
	go func() {
		defer close(stop)
		res, snapErr = store.SnapshotToFile(dest)
		r.snapTook = time.Since(t0)
	}()
	recs, elapsed, err = runWriters(stop, commit)
	samples := <-watch
	removeSnapshot(dest)
	if snapErr != nil {
		return r, fmt.Errorf("snapshot: %w", snapErr)
	}
	if err != nil {
		return r, fmt.Errorf("during snapshot: %w", err)
	}
	r.during = newWindow(recs, elapsed)
	if copied := reachedSize(samples, res.Size); !copied.IsZero() {
		r.copyTook = copied.Sub(t0)
		r.copyPart, r.flushPart = splitAt(recs, copied)
		if renamed := renamedAt(samples); renamed.After(copied) {
			r.fsyncTook = renamed.Sub(copied)
		}
	}
	return r, nil
}
