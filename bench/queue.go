//go:build linux

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"parley/app/model"
	"parley/storage"
)

const (
	// queueWorkers is the concurrent configuration of the queue benchmark.
	queueWorkers = 8
	// queueGoal1 and queueGoal8 are the goals for Parley's queue against
	// goqite, in cycles/s over cycles/s, at 1 and queueWorkers workers.
	queueGoal1 = 1.2
	queueGoal8 = 4.0
)

// queueResult is one measured queue run: cycles completed in a time, and
// for grouped commits the number of commits they took.
type queueResult struct {
	cycles  int
	elapsed time.Duration
	commits int
	// ops is how many operations the commits applied (grouped commits).
	ops int
	// emptyReceives counts goqite receives that found nothing to claim.
	emptyReceives int
}

func (r queueResult) perSecond() float64 { return float64(r.cycles) / r.elapsed.Seconds() }

// queueRunner runs cycles of enqueue -> claim -> complete with a number of
// workers on a fresh queue in dir.
type queueRunner struct {
	name string
	run  func(ctx context.Context, dir string, workers, cycles int) (queueResult, error)
}

// benchQueue compares Parley's bbolt job queue with goqite on SQLite:
// the same cycle (enqueue one job, claim one, complete it), durably
// committed, by 1 worker and by queueWorkers workers.
func benchQueue(ctx context.Context, e *env) (*section, error) {
	total := e.cfg.queueCycles
	per8 := max(total/queueWorkers, 1)
	sec := &section{name: "queue", title: "queue: enqueue → claim → complete, Parley (bbolt) vs goqite (SQLite)",
		intro: fmt.Sprintf("One cycle enqueues a job, claims the earliest due job and completes it, every step a durable commit "+
			"(bbolt's default fdatasync; SQLite in WAL mode with synchronous=FULL). Nothing is pre-filled. "+
			"1 worker runs %d cycles; %d workers run %d cycles each (`-queue-cycles %d` sets the total). "+
			"Every run uses fresh database files; Parley and goqite alternate within each run. "+
			"Parley: `store.Update` with `tx.CreateJob`, then one `store.Update` that completes the previous job (`tx.PutJob`, state done) "+
			"and claims the next (`tx.DueJobs` + `tx.PutJob`, state running, 1 min lease); with %d workers each worker has its own account "+
			"and a single committer goroutine applies every operation pending on its channel in one `store.Update`, answering each worker after the commit. "+
			"goqite %s on %s (pure Go): `Send`, `Receive`, `Delete`, each its own transaction, one queue shared by the workers.",
			total, queueWorkers, per8, total, queueWorkers, goqiteVersion, sqliteDriverVersion),
	}

	parley1 := queueRunner{"parley", func(ctx context.Context, dir string, _, cycles int) (queueResult, error) {
		return runParleySerial(ctx, dir, cycles)
	}}
	parley8 := queueRunner{"parley", runParleyGrouped}
	ungrouped := queueRunner{"parley-ungrouped", runParleyUngrouped}
	goqite := queueRunner{"goqite", runGoqite}

	type config struct {
		workers, cycles int
		runners         []queueRunner
	}
	configs := []config{
		{1, total, []queueRunner{parley1, goqite}},
		{queueWorkers, per8, []queueRunner{parley8, goqite, ungrouped}},
	}
	// results[config][runner] is one series of cycles/s per measured run.
	results := make([][]series, len(configs))
	opsPerCommit := make([][]series, len(configs))
	empty := make([]int, len(configs))
	for ci, c := range configs {
		results[ci] = make([]series, len(c.runners))
		opsPerCommit[ci] = make([]series, len(c.runners))
		for run := 0; run <= e.cfg.runs; run++ { // run 0 is the warm-up
			for k := range c.runners {
				// Alternate which system goes first from run to run.
				ri := k
				if run%2 == 1 {
					ri = len(c.runners) - 1 - k
				}
				r := c.runners[ri]
				dir, err := os.MkdirTemp(e.work, "queue-")
				if err != nil {
					return nil, err
				}
				res, err := r.run(ctx, dir, c.workers, c.cycles)
				os.RemoveAll(dir)
				if err != nil {
					return nil, fmt.Errorf("%s, %d worker(s): %w", r.name, c.workers, err)
				}
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				label := "run"
				if run == 0 {
					label = "warm-up"
				} else {
					results[ci][ri] = append(results[ci][ri], res.perSecond())
					if res.commits > 0 {
						opsPerCommit[ci][ri] = append(opsPerCommit[ci][ri], float64(res.ops)/float64(res.commits))
					}
					empty[ci] += res.emptyReceives
				}
				progress("queue %s %d worker(s) %s: %d cycles in %s, %.0f cycles/s", r.name, c.workers, label, res.cycles, fmtDur(res.elapsed), res.perSecond())
			}
		}
	}

	perSec := func(x float64) string { return fmt.Sprintf("%.0f", x) }
	// pairedRatios are the per-run ratios of runner a over runner b.
	pairedRatios := func(a, b series) series {
		var out series
		for i := range min(len(a), len(b)) {
			out = append(out, a[i]/b[i])
		}
		return out
	}
	for ci, c := range configs {
		n := c.cycles * c.workers
		p, g := results[ci][0], results[ci][1]
		wl := fmt.Sprintf("%d worker", c.workers)
		if c.workers > 1 {
			wl += "s"
		}
		sec.add(fmt.Sprintf("Parley bbolt queue, %s (%d cycles), cycles/s", wl, n), p.fmtWith(perSec))
		sec.add(fmt.Sprintf("baseline goqite on SQLite, %s (%d cycles), cycles/s", wl, n), g.fmtWith(perSec))
		goal, want := queueGoal1, "≥ 1.2x"
		if c.workers > 1 {
			goal, want = queueGoal8, "≥ 4x"
		}
		ratio := p.median() / g.median()
		sec.goal(fmt.Sprintf("ratio Parley / goqite, %s, cycles/s over cycles/s", wl),
			fmt.Sprintf("%s (per run: %s)", fmtRatio(ratio), pairedRatios(p, g).fmtWith(fmtRatio)), want, check(ratio >= goal))
		if c.workers > 1 {
			sec.add(fmt.Sprintf("Parley, %s: operations (enqueue, or complete + claim) per grouped commit", wl),
				opsPerCommit[ci][0].fmtWith(func(x float64) string { return fmt.Sprintf("%.2f", x) }))
			u := results[ci][2]
			sec.add(fmt.Sprintf("contrast: Parley, %s, each calling `store.Update` itself (no committer), cycles/s", wl), u.fmtWith(perSec))
			sec.add(fmt.Sprintf("ratio grouped / ungrouped Parley, %s", wl), fmtRatio(p.median()/u.median()))
		}
	}
	sec.note("Ratios are ratios of the median throughputs; the runs of each configuration are interleaved, so per-run ratios are shown too (min–max).")
	sec.note("Parley makes 2 commits per cycle (enqueue; complete previous + claim next), goqite 3 (Send; Receive; Delete). " +
		"A bbolt commit syncs twice (data pages, then the meta page); a SQLite WAL commit with synchronous=FULL syncs the WAL once.")
	if n := empty[len(empty)-1]; n > 0 {
		sec.note("goqite receives that found no visible message and were retried (measured runs, %d workers): %d.", queueWorkers, n)
	}
	sec.note("goqite's database: `journal_mode(WAL)`, `synchronous(FULL)`, `busy_timeout(10000)`, `_txlock=immediate`, and the table and index of goqite's schema_sqlite.sql; the `database/sql` pool is left unbounded.")
	return sec, nil
}

// openQueueStore opens a fresh Parley store in dir.
func openQueueStore(dir string) (*storage.Store, error) {
	return storage.Open(storage.Options{
		Path:        filepath.Join(dir, "parley.db"),
		SnapshotDir: filepath.Join(dir, "backups"),
		Clock:       model.SystemClock{},
	})
}

// enqueueJob stores one visit job for account, due now.
func enqueueJob(tx *storage.Tx, account uint64, now time.Time) error {
	_, err := tx.CreateJob(model.Job{AccountID: account, Kind: model.JobVisit, State: model.JobQueued, Due: now})
	return err
}

// completeAndClaim completes prev (when it is not nil) and claims the
// account's earliest due job, all in tx. It returns the claimed job, or
// nil when none is due.
func completeAndClaim(tx *storage.Tx, account uint64, prev *model.Job, now time.Time) (*model.Job, error) {
	if prev != nil {
		j := *prev
		j.State = model.JobDone
		j.FinishedAt = now
		if err := tx.PutJob(j); err != nil {
			return nil, err
		}
	}
	var claimed *model.Job
	err := tx.DueJobs(account, now, func(j model.Job) bool {
		claimed = &j
		return false
	})
	if err != nil || claimed == nil {
		return nil, err
	}
	claimed.State = model.JobRunning
	claimed.Attempt++
	claimed.LeaseUntil = now.Add(time.Minute)
	if err := tx.PutJob(*claimed); err != nil {
		return nil, err
	}
	return claimed, nil
}

// checkDone verifies that every account has exactly want done jobs and
// nothing left queued or running.
func checkDone(store *storage.Store, accounts, want int) error {
	return store.View(func(tx *storage.Tx) error {
		for a := 1; a <= accounts; a++ {
			done, queued, running := tx.JobCount(uint64(a), model.JobDone), tx.JobCount(uint64(a), model.JobQueued), tx.JobCount(uint64(a), model.JobRunning)
			if done != want || queued != 0 || running != 0 {
				return fmt.Errorf("account %d: %d done (want %d), %d queued, %d running", a, done, want, queued, running)
			}
		}
		return nil
	})
}

// parleyWorker runs cycles for one account through do, which commits
// either an enqueue (claim false) or a complete + claim (claim true).
func parleyWorker(ctx context.Context, account uint64, cycles int, do func(account uint64, claim bool, prev *model.Job) (*model.Job, error)) error {
	var prev *model.Job
	for range cycles {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if _, err := do(account, false, nil); err != nil {
			return err
		}
		j, err := do(account, true, prev)
		if err != nil {
			return err
		}
		if j == nil {
			return errors.New("no due job to claim right after enqueueing one")
		}
		prev = j
	}
	// Complete the last claimed job (claims nothing: the queue is empty).
	_, err := do(account, true, prev)
	return err
}

// runParleySerial is one worker, one store.Update per step.
func runParleySerial(ctx context.Context, dir string, cycles int) (queueResult, error) {
	store, err := openQueueStore(dir)
	if err != nil {
		return queueResult{}, err
	}
	defer store.Close()
	commits := 0
	do := func(account uint64, claim bool, prev *model.Job) (*model.Job, error) {
		var out *model.Job
		commits++
		return out, store.Update(func(tx *storage.Tx) error {
			var err error
			now := time.Now()
			if !claim {
				return enqueueJob(tx, account, now)
			}
			out, err = completeAndClaim(tx, account, prev, now)
			return err
		})
	}
	t0 := time.Now()
	err = parleyWorker(ctx, 1, cycles, do)
	res := queueResult{cycles: cycles, elapsed: time.Since(t0), commits: commits}
	if err != nil {
		return res, err
	}
	return res, checkDone(store, 1, cycles)
}

// runParleyUngrouped is several workers, each calling store.Update
// itself (bbolt runs one writer at a time).
func runParleyUngrouped(ctx context.Context, dir string, workers, cycles int) (queueResult, error) {
	store, err := openQueueStore(dir)
	if err != nil {
		return queueResult{}, err
	}
	defer store.Close()
	do := func(account uint64, claim bool, prev *model.Job) (*model.Job, error) {
		var out *model.Job
		return out, store.Update(func(tx *storage.Tx) error {
			var err error
			now := time.Now()
			if !claim {
				return enqueueJob(tx, account, now)
			}
			out, err = completeAndClaim(tx, account, prev, now)
			return err
		})
	}
	t0 := time.Now()
	err = runWorkers(workers, func(w int) error { return parleyWorker(ctx, uint64(w+1), cycles, do) })
	res := queueResult{cycles: workers * cycles, elapsed: time.Since(t0), commits: workers * (2*cycles + 1)}
	if err != nil {
		return res, err
	}
	return res, checkDone(store, workers, cycles)
}

// runWorkers runs fn(0..n-1) concurrently and returns the first error.
func runWorkers(n int, fn func(w int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() { errs[w] = fn(w) })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// queueOp is one worker's pending step for the committer.
type queueOp struct {
	account uint64
	claim   bool
	prev    *model.Job
	reply   chan queueReply
}

type queueReply struct {
	job *model.Job
	err error
}

// committer applies queue operations in grouped commits: it waits for one
// operation, takes every other one already pending, applies them all in
// one store.Update and answers each after the commit. Operations arriving
// during a commit wait for the next one, so the group grows with the load
// and a lone worker never waits for a timer.
type committer struct {
	store   *storage.Store
	ops     chan queueOp
	commits int
	applied int // operations applied by the commits
}

func (c *committer) loop() {
	batch := make([]queueOp, 0, cap(c.ops))
	replies := make([]queueReply, 0, cap(c.ops))
	for op := range c.ops {
		batch = append(batch[:0], op)
	drain:
		for {
			select {
			case op, ok := <-c.ops:
				if !ok {
					break drain
				}
				batch = append(batch, op)
			default:
				break drain
			}
		}
		replies = replies[:0]
		err := c.store.Update(func(tx *storage.Tx) error {
			replies = replies[:0]
			now := time.Now()
			for _, op := range batch {
				var r queueReply
				if op.claim {
					r.job, r.err = completeAndClaim(tx, op.account, op.prev, now)
				} else {
					r.err = enqueueJob(tx, op.account, now)
				}
				if r.err != nil {
					return r.err
				}
				replies = append(replies, r)
			}
			return nil
		})
		c.commits++
		c.applied += len(batch)
		for i, op := range batch {
			if err != nil {
				op.reply <- queueReply{err: err}
				continue
			}
			op.reply <- replies[i]
		}
	}
}

// runParleyGrouped is several workers, one account each, whose steps a
// single committer goroutine commits in groups.
func runParleyGrouped(ctx context.Context, dir string, workers, cycles int) (queueResult, error) {
	store, err := openQueueStore(dir)
	if err != nil {
		return queueResult{}, err
	}
	defer store.Close()
	c := &committer{store: store, ops: make(chan queueOp, workers)}
	done := make(chan struct{})
	go func() { c.loop(); close(done) }()
	t0 := time.Now()
	err = runWorkers(workers, func(w int) error {
		reply := make(chan queueReply, 1)
		return parleyWorker(ctx, uint64(w+1), cycles, func(account uint64, claim bool, prev *model.Job) (*model.Job, error) {
			c.ops <- queueOp{account: account, claim: claim, prev: prev, reply: reply}
			r := <-reply
			return r.job, r.err
		})
	})
	elapsed := time.Since(t0)
	close(c.ops)
	<-done
	res := queueResult{cycles: workers * cycles, elapsed: elapsed, commits: c.commits, ops: c.applied}
	if err != nil {
		return res, err
	}
	return res, checkDone(store, workers, cycles)
}
