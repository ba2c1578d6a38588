//go:build linux

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
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
	// queueSlices is how many slices each measured run is cut into; the
	// systems take turns slice by slice, so a burst of disk latency from
	// another tenant of the machine lands on both of them.
	queueSlices = 10
)

// queueCounts is what a queue session counted while it ran.
type queueCounts struct {
	// commits are durable commits (bbolt Update, SQLite transactions).
	commits int64
	// ops are the operations those commits applied: for Parley an
	// enqueue, or a complete + claim; for goqite one call.
	ops int64
	// emptyReceives are goqite receives that found nothing to claim.
	emptyReceives int64
}

// queueSession is one system's queue, opened fresh for a measured run.
type queueSession interface {
	// run makes every worker do n cycles and returns the wall time; last
	// says it is the run's final slice (Parley then completes each
	// worker's last claimed job inside the timing).
	run(ctx context.Context, n int, last bool) (time.Duration, error)
	// close checks that every job was completed exactly once, closes the
	// database and returns the counts.
	close() (queueCounts, error)
}

// queueRunner opens sessions of one system and configuration.
type queueRunner struct {
	name string
	open func(ctx context.Context, dir string, workers int) (queueSession, error)
}

// queueRun is one measured run of one runner.
type queueRun struct {
	cycles  int
	elapsed time.Duration
	counts  queueCounts
}

func (r queueRun) perSecond() float64 { return float64(r.cycles) / r.elapsed.Seconds() }

// benchQueue compares Parley's bbolt job queue with goqite on SQLite:
// the same cycle (enqueue one job, claim one, complete it), durably
// committed, by 1 worker and by queueWorkers workers.
func benchQueue(ctx context.Context, e *env) (*section, error) {
	total := e.cfg.queueCycles
	per8 := max(total/queueWorkers, 1)
	sec := &section{name: "queue", title: "queue: enqueue → claim → complete, Parley (bbolt) vs goqite (SQLite)",
		intro: fmt.Sprintf("One cycle enqueues a job, claims the earliest due job and completes it, every step a durable commit "+
			"(bbolt fdatasyncs every commit; SQLite runs in WAL mode with synchronous=FULL, which fsyncs the WAL at every commit). "+
			"Nothing is pre-filled. 1 worker runs %d cycles; %d workers run %d cycles each (`-queue-cycles %d` sets the total). "+
			"Each measured run opens fresh database files for every system, cuts the cycles into %d slices and lets the systems take turns slice by slice "+
			"(the order reversed every slice), so the systems share the machine's bursts of disk latency; a system's figure is its cycles over the sum of its slices' wall time. "+
			"Parley, through the storage API the runtime uses: one `store.Update` with `tx.CreateJob`, then one `store.Update` that completes the previous job "+
			"(`tx.PutJob`, state done) and claims the account's earliest due job (`tx.DueJobs` + `tx.PutJob`, state running, 1 min lease). "+
			"With %d workers each worker has its own account and calls `store.Group`, the group commit the runtime uses for its claims and completions: "+
			"calls made while a commit is being written share the next one (no fixed delay; a group waits at most 200 µs for as many calls as the previous group had), "+
			"and each caller returns only after its commit. "+
			"goqite %s on %s (pure Go), configured as goqite's README shows it (one connection): `Send`, `Receive`, `Delete`, each its own transaction, one queue shared by the workers.",
			total, queueWorkers, per8, total, queueSlices, queueWorkers, goqiteVersion, sqliteDriverVersion),
	}

	parleyDirect := queueRunner{"parley", openParleyDirect}
	parleyGrouped := queueRunner{"parley", openParleyGrouped}
	ungrouped := queueRunner{"parley-ungrouped", openParleyDirect}
	goqite1 := queueRunner{"goqite", func(ctx context.Context, dir string, workers int) (queueSession, error) {
		return openGoqiteSession(ctx, dir, workers, 1)
	}}
	goqitePool := queueRunner{"goqite-pool", func(ctx context.Context, dir string, workers int) (queueSession, error) {
		return openGoqiteSession(ctx, dir, workers, 0)
	}}

	type config struct {
		workers, cycles int // cycles per worker
		runners         []queueRunner
	}
	// The first runner is Parley, the second the goqite baseline.
	configs := []config{
		{1, total, []queueRunner{parleyDirect, goqite1}},
		{queueWorkers, per8, []queueRunner{parleyGrouped, goqite1, goqitePool, ungrouped}},
	}
	// runs[config][runner] are the measured runs.
	runs := make([][][]queueRun, len(configs))
	for ci, c := range configs {
		runs[ci] = make([][]queueRun, len(c.runners))
		for run := 0; run <= e.cfg.runs; run++ { // run 0 is the warm-up
			res, err := queueRound(ctx, e.work, c.workers, c.cycles, c.runners)
			if err != nil {
				return nil, err
			}
			label := "run"
			if run == 0 {
				label = "warm-up"
			}
			for ri, r := range c.runners {
				progress("queue %d worker(s) %s: %s %d cycles in %s, %.0f cycles/s, %d commits",
					c.workers, label, r.name, res[ri].cycles, fmtDur(res[ri].elapsed), res[ri].perSecond(), res[ri].counts.commits)
				if run > 0 {
					runs[ci][ri] = append(runs[ci][ri], res[ri])
				}
			}
		}
	}

	perSec := func(x float64) string { return fmt.Sprintf("%.0f", x) }
	twoDigits := func(x float64) string { return fmt.Sprintf("%.2f", x) }
	rates := func(rs []queueRun) series {
		var s series
		for _, r := range rs {
			s = append(s, r.perSecond())
		}
		return s
	}
	perCycle := func(rs []queueRun, f func(queueCounts) int64) series {
		var s series
		for _, r := range rs {
			s = append(s, float64(f(r.counts))/float64(r.cycles))
		}
		return s
	}
	// pairedRatios are the per-run ratios of a over b.
	pairedRatios := func(a, b series) series {
		var out series
		for i := range min(len(a), len(b)) {
			out = append(out, a[i]/b[i])
		}
		return out
	}
	commitsOf := func(c queueCounts) int64 { return c.commits }
	for ci, c := range configs {
		n := c.cycles * c.workers
		p, g := rates(runs[ci][0]), rates(runs[ci][1])
		wl := fmt.Sprintf("%d worker", c.workers)
		if c.workers > 1 {
			wl += "s"
		}
		sec.add(fmt.Sprintf("Parley bbolt queue, %s (%d cycles), cycles/s", wl, n), p.fmtWith(perSec))
		sec.add(fmt.Sprintf("baseline goqite on SQLite, %s (%d cycles), cycles/s", wl, n), g.fmtWith(perSec))
		base, baseName := g, "goqite"
		if c.workers > 1 {
			gp := rates(runs[ci][2])
			sec.add(fmt.Sprintf("baseline goqite with `database/sql`'s default pool (no connection limit), %s, cycles/s", wl), gp.fmtWith(perSec))
			if gp.median() > g.median() {
				base, baseName = gp, "goqite with the default pool"
			}
		}
		goal, want := queueGoal1, "≥ 1.2x"
		if c.workers > 1 {
			goal, want = queueGoal8, "≥ 4x"
		}
		ratio := p.median() / base.median()
		figure := fmt.Sprintf("ratio Parley / goqite, %s, cycles/s over cycles/s", wl)
		if c.workers > 1 {
			figure = fmt.Sprintf("ratio Parley / faster goqite configuration (%s), %s, cycles/s over cycles/s", baseName, wl)
		}
		sec.goal(figure, fmt.Sprintf("%s (per run: %s)", fmtRatio(ratio), pairedRatios(p, base).fmtWith(fmtRatio)), want, check(ratio >= goal))
		sec.add(fmt.Sprintf("durable commits per cycle, %s: Parley / goqite (counted)", wl),
			fmt.Sprintf("%s / %s", perCycle(runs[ci][0], commitsOf).fmtWith(twoDigits), perCycle(runs[ci][1], commitsOf).fmtWith(twoDigits)))
		if c.workers > 1 {
			var opc series
			for _, r := range runs[ci][0] {
				opc = append(opc, float64(r.counts.ops)/float64(r.counts.commits))
			}
			sec.add(fmt.Sprintf("Parley, %s: operations (enqueue, or complete + claim) per grouped commit (counted)", wl), opc.fmtWith(twoDigits))
			u := rates(runs[ci][3])
			sec.add(fmt.Sprintf("contrast: Parley, %s, each calling `store.Update` itself (no group commit), cycles/s", wl), u.fmtWith(perSec))
			sec.add(fmt.Sprintf("ratio grouped / ungrouped Parley, %s", wl), fmtRatio(p.median()/u.median()))
			var empty int64
			for _, rs := range runs[ci][1:3] {
				for _, r := range rs {
					empty += r.counts.emptyReceives
				}
			}
			if empty > 0 {
				sec.note("goqite receives that found no visible message and were retried (%s, measured runs, both pool settings): %d; each is a transaction that changed nothing (not counted as a commit above).", wl, empty)
			}
		}
	}
	sec.note("Ratios are ratios of the median throughputs; per-run ratios (the systems measured in the same run) are shown too, median [min–max].")
	sec.note("Parley makes 2 commits per cycle at 1 worker (enqueue; complete the previous job + claim the next, as a worker loop does), goqite 3 (Send; Receive; Delete). " +
		"A bbolt commit syncs twice (`fdatasync` after the data pages, again after the meta page); a SQLite WAL commit with synchronous=FULL syncs the WAL once (`fsync`). " +
		"Every worker waits for its commit's sync before its next step, on both sides.")
	sec.note("At %d workers the goal is judged against the faster of the two goqite pool settings (medians). Parley's %d workers each work their own account's queue (Parley queues are per account); goqite's share one queue, as goqite has no per-account claim.", queueWorkers, queueWorkers)
	sec.note("The runtime (app/runtime) claims and completes jobs through `store.Group`, the path measured here; the ungrouped contrast is the same workers calling `store.Update`.")
	sec.note("goqite's database: `journal_mode(WAL)`, `synchronous(FULL)`, `busy_timeout(10000)`, `_txlock=immediate`, the table, trigger and index of goqite's schema_sqlite.sql, and `SetMaxOpenConns(1)`, `SetMaxIdleConns(1)` as in goqite's README (the contrast leaves the pool unbounded).")
	return sec, nil
}

// queueRound runs one measured run: every runner opens a fresh queue,
// then they take turns slice by slice (forward, then backward), and the
// queues are checked and closed. It returns one result per runner.
func queueRound(ctx context.Context, work string, workers, cycles int, runners []queueRunner) ([]queueRun, error) {
	sessions := make([]queueSession, len(runners))
	out := make([]queueRun, len(runners))
	defer func() {
		for _, s := range sessions {
			if s != nil {
				s.close()
			}
		}
	}()
	for i, r := range runners {
		dir, err := os.MkdirTemp(work, "queue-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		if sessions[i], err = r.open(ctx, dir, workers); err != nil {
			return nil, fmt.Errorf("%s, %d worker(s): open: %w", r.name, workers, err)
		}
	}
	slices := min(queueSlices, cycles)
	for s := range slices {
		// Spread the cycles over the slices (the first ones take the rest).
		n := cycles / slices
		if s < cycles%slices {
			n++
		}
		for k := range runners {
			i := k
			if s%2 == 1 {
				i = len(runners) - 1 - k
			}
			d, err := sessions[i].run(ctx, n, s == slices-1)
			if err != nil {
				return nil, fmt.Errorf("%s, %d worker(s): %w", runners[i].name, workers, err)
			}
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			out[i].elapsed += d
			out[i].cycles += n * workers
		}
	}
	for i, s := range sessions {
		counts, err := s.close()
		sessions[i] = nil
		if err != nil {
			return nil, fmt.Errorf("%s, %d worker(s): %w", runners[i].name, workers, err)
		}
		out[i].counts = counts
	}
	return out, nil
}

// openQueueStore opens a fresh Parley store in dir.
func openQueueStore(dir string) (*storage.Store, error) {
	return storage.Open(storage.Options{
		Path:        filepath.Join(dir, "parley.db"),
		SnapshotDir: filepath.Join(dir, "backups"),
		Clock:       model.SystemClock{},
	})
}

// queueStep is one step of a Parley worker: an enqueue (claim false) or
// the completion of prev (when not nil) and the claim of the next job.
type queueStep struct {
	account uint64
	claim   bool
	prev    *model.Job
}

// apply does the step in tx and returns the claimed job, or nil.
func (st queueStep) apply(tx *storage.Tx) (*model.Job, error) {
	now := tx.Now()
	if !st.claim {
		_, err := tx.CreateJob(model.Job{AccountID: st.account, Kind: model.JobVisit, State: model.JobQueued, Due: now})
		return nil, err
	}
	if st.prev != nil {
		j := *st.prev
		j.State = model.JobDone
		j.FinishedAt = now
		j.LeaseUntil = time.Time{}
		if err := tx.PutJob(j); err != nil {
			return nil, err
		}
	}
	var claimed *model.Job
	err := tx.DueJobs(st.account, now, func(j model.Job) bool {
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

// parleySession is a Parley store with one account per worker; commit
// makes one step durable.
type parleySession struct {
	store   *storage.Store
	workers int
	// prev is each worker's claimed, not yet completed job.
	prev   []*model.Job
	done   int // cycles each worker has finished
	commit func(queueStep) (*model.Job, error)
	stop   func() queueCounts
}

// openParleyDirect is Parley with every worker calling store.Update
// itself (bbolt runs one writer at a time).
func openParleyDirect(_ context.Context, dir string, workers int) (queueSession, error) {
	store, err := openQueueStore(dir)
	if err != nil {
		return nil, err
	}
	var commits atomic.Int64
	s := &parleySession{store: store, workers: workers, prev: make([]*model.Job, workers)}
	s.commit = func(st queueStep) (*model.Job, error) {
		var out *model.Job
		err := store.Update(func(tx *storage.Tx) (err error) {
			out, err = st.apply(tx)
			return err
		})
		if err == nil {
			commits.Add(1)
		}
		return out, err
	}
	s.stop = func() queueCounts { n := commits.Load(); return queueCounts{commits: n, ops: n} }
	return s, nil
}

// openParleyGrouped is Parley with every worker calling store.Group, the
// group commit the runtime uses for claims and completions.
func openParleyGrouped(_ context.Context, dir string, workers int) (queueSession, error) {
	store, err := openQueueStore(dir)
	if err != nil {
		return nil, err
	}
	s := &parleySession{store: store, workers: workers, prev: make([]*model.Job, workers)}
	s.commit = func(st queueStep) (*model.Job, error) {
		var out *model.Job
		err := store.Group(func(tx *storage.Tx) (err error) {
			out, err = st.apply(tx)
			return err
		})
		return out, err
	}
	s.stop = func() queueCounts {
		commits, calls := store.GroupStats()
		return queueCounts{commits: commits, ops: calls}
	}
	return s, nil
}

func (s *parleySession) run(ctx context.Context, n int, last bool) (time.Duration, error) {
	t0 := time.Now()
	err := runWorkers(s.workers, func(w int) error {
		account := uint64(w + 1)
		for range n {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if _, err := s.commit(queueStep{account: account}); err != nil {
				return err
			}
			j, err := s.commit(queueStep{account: account, claim: true, prev: s.prev[w]})
			if err != nil {
				return err
			}
			if j == nil {
				return errors.New("no due job to claim right after enqueueing one")
			}
			s.prev[w] = j
		}
		if last && s.prev[w] != nil {
			// Complete the last claimed job (claims nothing: the queue is empty).
			if _, err := s.commit(queueStep{account: account, claim: true, prev: s.prev[w]}); err != nil {
				return err
			}
			s.prev[w] = nil
		}
		return nil
	})
	s.done += n
	return time.Since(t0), err
}

func (s *parleySession) close() (queueCounts, error) {
	if s.store == nil {
		return queueCounts{}, nil
	}
	counts := s.stop()
	err := s.store.View(func(tx *storage.Tx) error {
		for a := 1; a <= s.workers; a++ {
			done, queued, running := tx.JobCount(uint64(a), model.JobDone), tx.JobCount(uint64(a), model.JobQueued), tx.JobCount(uint64(a), model.JobRunning)
			if done != s.done || queued != 0 || running != 0 {
				return fmt.Errorf("account %d: %d done (want %d), %d queued, %d running", a, done, s.done, queued, running)
			}
		}
		return nil
	})
	if cerr := s.store.Close(); err == nil {
		err = cerr
	}
	s.store = nil
	return counts, err
}

// runWorkers runs fn(0..n-1) concurrently and returns the errors joined.
func runWorkers(n int, fn func(w int) error) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for w := range n {
		wg.Go(func() { errs[w] = fn(w) })
	}
	wg.Wait()
	return errors.Join(errs...)
}
