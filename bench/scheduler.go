//go:build linux

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"parley/app/clocktest"
	"parley/app/model"
	appruntime "parley/app/runtime"
	"parley/automation/fakesite"
	"parley/storage"
)

const (
	schedAccounts = 10
	schedJobs     = 100_000
	// schedJobsBase is the baseline queue, measured in the same run.
	schedJobsBase = 1_000
	schedGoal     = 20 * time.Millisecond
	// schedIdleRounds and schedBusyRounds are the rounds per measured run
	// in which nothing may run, and in which every account runs a job.
	schedIdleRounds = 200
	schedBusyRounds = 40
	// schedBusyStep is how far the clock moves between busy rounds: past
	// the longest pause after an action (240 s, doubled past the soft
	// limit).
	schedBusyStep = 10 * time.Minute
)

// schedStart is when the simulated clock starts (a Monday, 06:00 UTC).
var schedStart = time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)

// schedWorld is a real store with accounts and queued jobs, and the
// runtime scheduling them on the fake site.
type schedWorld struct {
	jobs     int
	clock    *clocktest.Clock
	store    *storage.Store
	rt       *appruntime.Runtime
	accounts []uint64
	// kinds counts the jobs enqueued, to alternate their kinds.
	kinds int
	built time.Duration
}

// newSchedWorld builds a store in dir with schedAccounts accounts that
// may act at any hour and jobs queued jobs spread over them, all due.
func newSchedWorld(dir string, jobs int) (*schedWorld, error) {
	t0 := time.Now()
	w := &schedWorld{jobs: jobs, clock: clocktest.New(schedStart)}
	store, err := storage.Open(storage.Options{
		Path:        filepath.Join(dir, "parley.db"),
		SnapshotDir: filepath.Join(dir, "backups"),
		Clock:       w.clock,
	})
	if err != nil {
		return nil, err
	}
	w.store = store
	err = store.Update(func(tx *storage.Tx) error {
		for i := range schedAccounts {
			a, err := tx.CreateAccount(model.Account{
				Name: fmt.Sprintf("Sender %d", i+1), TimeZone: "UTC",
				WorkDays:  []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday},
				WorkStart: "00:00", WorkEnd: "23:59", Limits: model.DefaultLimits(), Type: model.AccountPremium,
			})
			if err != nil {
				return err
			}
			w.accounts = append(w.accounts, a.ID)
		}
		return nil
	})
	if err != nil {
		store.Close()
		return nil, err
	}
	// The backlog is due over the day before the start, earliest first,
	// the accounts taking turns; 10k jobs per commit.
	const perCommit = 10_000
	step := 24 * time.Hour / time.Duration(jobs)
	for from := 0; from < jobs; from += perCommit {
		err := store.Update(func(tx *storage.Tx) error {
			for i := from; i < min(from+perCommit, jobs); i++ {
				if err := w.enqueue(tx, w.accounts[i%schedAccounts], schedStart.Add(-24*time.Hour+time.Duration(i)*step)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			store.Close()
			return nil, err
		}
	}
	w.rt = appruntime.New(appruntime.Options{Store: store, Site: fakesite.New(w.clock.Now), Clock: w.clock, Seed: 1})
	w.built = time.Since(t0)
	return w, nil
}

// enqueue adds one job for account, due at due; kinds alternate per
// account between a profile visit (budgeted: 40 a day) and an acceptance
// check (not budgeted), both account-wide jobs without a campaign.
func (w *schedWorld) enqueue(tx *storage.Tx, account uint64, due time.Time) error {
	kind := model.JobVisit
	if w.kinds/schedAccounts%2 == 1 {
		kind = model.JobCheckAccept
	}
	w.kinds++
	_, err := tx.CreateJob(model.Job{AccountID: account, Kind: kind, State: model.JobQueued, Due: due})
	return err
}

// pace sets every account's next action to at (zero: free to act now).
func (w *schedWorld) pace(at time.Time) error {
	return w.store.Update(func(tx *storage.Tx) error {
		for _, id := range w.accounts {
			if err := tx.SetNextActionAt(id, at); err != nil {
				return err
			}
		}
		return nil
	})
}

// counts are the jobs queued and done (all accounts).
func (w *schedWorld) counts() (queued, done int) {
	w.store.View(func(tx *storage.Tx) error {
		queued, done = tx.JobCount(0, model.JobQueued), tx.JobCount(0, model.JobDone)
		return nil
	})
	return queued, done
}

// round times one runtime round and returns its wall time, the CPU time
// the process used meanwhile, and how many jobs it completed.
func (w *schedWorld) round(ctx context.Context) (wall, cpu time.Duration, ran int, err error) {
	_, before := w.counts()
	c0, t0 := selfCPU(), time.Now()
	err = w.rt.Round(ctx)
	wall, cpu = time.Since(t0), selfCPU()-c0
	_, after := w.counts()
	return wall, cpu, after - before, err
}

// refill enqueues one job due now for each account, untimed, so the queue
// keeps its size after a round that ran one job per account.
func (w *schedWorld) refill() error {
	return w.store.Update(func(tx *storage.Tx) error {
		for _, id := range w.accounts {
			if err := w.enqueue(tx, id, tx.Now()); err != nil {
				return err
			}
		}
		return nil
	})
}

// schedSamples are round times, pooled over the measured runs.
type schedSamples struct {
	idle, busy []time.Duration
	// idleCPU and busyCPU are the process CPU time of those rounds.
	idleCPU, busyCPU time.Duration
	// ran counts the jobs the busy rounds completed.
	ran int
}

// benchScheduler measures runtime.Round at 100k queued jobs against the
// same rounds at 1k jobs, interleaved round by round.
func benchScheduler(ctx context.Context, e *env) (*section, error) {
	sec := &section{name: "scheduler", title: "scheduler: runtime round time with 100k queued jobs across 10 accounts",
		intro: fmt.Sprintf("A real store (bbolt, every commit synced with fdatasync) with %d accounts that may act at any hour (every day, 00:00–23:59 UTC, default limits) "+
			"and %d queued jobs spread evenly over them, all due (profile visits and acceptance checks, alternating); "+
			"the baseline is the same world with %d jobs, measured in the same process, its rounds interleaved with the big world's. "+
			"The runtime is `runtime.New` with the fake site (`fakesite.New`), a fake clock and the default options (2 accounts at once, 60 jobs per turn at most); "+
			"each figure is the wall time of one `Runtime.Round(ctx)`. "+
			"(a) Scheduling only: every account is paced (`tx.SetNextActionAt` a year ahead), so a round looks for expired leases (a read transaction; it writes only when one expired), "+
			"checks every account's periodic jobs and the pauses, and runs every account's gate, which stops at the pacing: nothing is claimed; %d rounds per run, the clock 1 s on between rounds. "+
			"(b) Scheduling and execution: no account is paced, so every round claims and completes one job per account on the fake site "+
			"(each account then pauses 1–4 min, or double past the soft limit); the clock moves %d min between rounds and one job per account is enqueued after each round (untimed) "+
			"to keep the queue's size; %d rounds per run. Both worlds are built once; the first round of each world is a warm-up, and so is the first run.",
			schedAccounts, schedJobs, schedJobsBase, schedIdleRounds, int(schedBusyStep.Minutes()), schedBusyRounds),
	}
	var worlds [2]*schedWorld
	defer func() {
		for _, w := range worlds {
			if w != nil {
				w.store.Close()
			}
		}
	}()
	for i, n := range []int{schedJobs, schedJobsBase} {
		dir := filepath.Join(e.work, fmt.Sprintf("scheduler-%d", n))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
		w, err := newSchedWorld(dir, n)
		if err != nil {
			return nil, fmt.Errorf("build the %d-job world: %w", n, err)
		}
		worlds[i] = w
		progress("scheduler: %d jobs enqueued in %s", n, fmtDur(w.built))
		// Warm-up: the first round plans each account's inbox check and
		// selector canary.
		if err := w.pace(schedStart.AddDate(1, 0, 0)); err != nil {
			return nil, err
		}
		if _, _, _, err := w.round(ctx); err != nil {
			return nil, fmt.Errorf("warm-up round: %w", err)
		}
	}

	var samples [2]schedSamples
	var empty []time.Duration                // empty store.Update on the big world
	for run := 0; run <= e.cfg.runs; run++ { // run 0 is the warm-up
		measured := run > 0
		// (a) every account paced: nothing may run.
		for _, w := range worlds {
			if err := w.pace(w.clock.Now().AddDate(1, 0, 0)); err != nil {
				return nil, err
			}
		}
		for r := range schedIdleRounds {
			for k := range worlds {
				i := (k + r) % 2 // alternate which world goes first
				w := worlds[i]
				w.clock.Advance(time.Second)
				d, cpu, ran, err := w.round(ctx)
				if err != nil {
					return nil, fmt.Errorf("%d jobs, paced round: %w", w.jobs, err)
				}
				if ran != 0 {
					return nil, fmt.Errorf("%d jobs, paced round: %d jobs ran, want none", w.jobs, ran)
				}
				if measured {
					samples[i].idle = append(samples[i].idle, d)
					samples[i].idleCPU += cpu
				}
			}
			t0 := time.Now()
			if err := worlds[0].store.Update(func(*storage.Tx) error { return nil }); err != nil {
				return nil, err
			}
			if measured {
				empty = append(empty, time.Since(t0))
			}
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
		}
		// (b) no account paced: every round runs one job per account.
		for _, w := range worlds {
			if err := w.pace(time.Time{}); err != nil {
				return nil, err
			}
		}
		for r := range schedBusyRounds {
			for k := range worlds {
				i := (k + r) % 2
				w := worlds[i]
				d, cpu, ran, err := w.round(ctx)
				if err != nil {
					return nil, fmt.Errorf("%d jobs, round: %w", w.jobs, err)
				}
				if ran != schedAccounts {
					return nil, fmt.Errorf("%d jobs, round %d: %d jobs ran, want one per account (%d)", w.jobs, r, ran, schedAccounts)
				}
				if err := w.refill(); err != nil {
					return nil, err
				}
				w.clock.Advance(schedBusyStep)
				if measured {
					samples[i].busy = append(samples[i].busy, d)
					samples[i].busyCPU += cpu
					samples[i].ran += ran
				}
			}
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
		}
		label := "warm-up"
		if measured {
			label = "run"
		}
		big, small := summarize(samples[0].idle), summarize(samples[1].idle)
		progress("scheduler %s %d: so far, paced rounds p50/p99 %s/%s (%d jobs), %s/%s (%d jobs); running rounds p50 %s, %s",
			label, run, fmtDur(big.p50), fmtDur(big.p99), schedJobs, fmtDur(small.p50), fmtDur(small.p99), schedJobsBase,
			fmtDur(summarize(samples[0].busy).p50), fmtDur(summarize(samples[1].busy).p50))
	}
	for _, w := range worlds {
		if q, _ := w.counts(); q < w.jobs {
			return nil, fmt.Errorf("%d-job world: only %d jobs queued at the end", w.jobs, q)
		}
	}

	lat := func(l latencies) string {
		return fmt.Sprintf("p50 %s, p99 %s, max %s", fmtDur(l.p50), fmtDur(l.p99), fmtDur(l.max))
	}
	ratio := func(a, b latencies) string {
		return fmt.Sprintf("p50 %s, p99 %s", fmtRatio(float64(a.p50)/float64(b.p50)), fmtRatio(float64(a.p99)/float64(b.p99)))
	}
	ia, ib := summarize(samples[0].idle), summarize(samples[1].idle)
	ba, bb := summarize(samples[0].busy), summarize(samples[1].busy)
	ec := summarize(empty)
	sec.add("setup: accounts and jobs enqueued (10k jobs per commit), 100k / 1k", fmt.Sprintf("%s / %s", fmtDur(worlds[0].built), fmtDur(worlds[1].built)))
	sec.goal(fmt.Sprintf("(a) round, every account paced, %d jobs (%d rounds)", schedJobs, ia.count), lat(ia),
		"p99 < 20 ms", check(ia.p99 < schedGoal))
	sec.add(fmt.Sprintf("(a) baseline: same round, %d jobs (%d rounds)", schedJobsBase, ib.count), lat(ib))
	sec.add(fmt.Sprintf("(a) ratio %d / %d jobs", schedJobs, schedJobsBase), ratio(ia, ib))
	meanCPU := func(total time.Duration, rounds int) string { return fmtDur(total / time.Duration(max(rounds, 1))) }
	sec.add(fmt.Sprintf("(a) CPU time per round (process user + system, mean), %d / %d jobs", schedJobs, schedJobsBase),
		fmt.Sprintf("%s / %s", meanCPU(samples[0].idleCPU, ia.count), meanCPU(samples[1].idleCPU, ib.count)))
	sec.add(fmt.Sprintf("(a) for scale: an empty `store.Update` (one durable commit) on the %d-job store, between the rounds (%d)", schedJobs, ec.count), lat(ec))
	sec.goal(fmt.Sprintf("(b) round running one job per account on the fake site, %d jobs (%d rounds, %d jobs run)", schedJobs, ba.count, samples[0].ran), lat(ba),
		"p99 < 20 ms", check(ba.p99 < schedGoal))
	sec.add(fmt.Sprintf("(b) baseline: same round, %d jobs (%d rounds, %d jobs run)", schedJobsBase, bb.count, samples[1].ran), lat(bb))
	sec.add(fmt.Sprintf("(b) ratio %d / %d jobs", schedJobs, schedJobsBase), ratio(ba, bb))
	sec.add(fmt.Sprintf("(b) CPU time per round (process user + system, mean), %d / %d jobs", schedJobs, schedJobsBase),
		fmt.Sprintf("%s / %s", meanCPU(samples[0].busyCPU, ba.count), meanCPU(samples[1].busyCPU, bb.count)))
	sec.add(fmt.Sprintf("(b) round time per job run, %d jobs (p50 / %d accounts)", schedJobs, schedAccounts), fmtDur(ba.p50/schedAccounts))
	sec.note("p50, p99 and max are over every measured round of every run, pooled (nearest rank). CPU time is the whole process's user + system time during the rounds (getrusage), so it includes the kernel's work for the syncs.")
	sec.note("A round that finds nothing to do makes no durable commit: expired leases, periodic jobs and pauses are looked for in read transactions, and `store.Update` runs only when one needs a change; compare row (a) with the empty `store.Update`.")
	sec.note("In (b) each job is claimed in one transaction and completed in another (the runtime's claim and completion), both through `store.Group`, so the claims and completions of the accounts acting at the same moment (2 at once) share durable commits; the fake site answers at once, so (b) is the runtime's own cost of running jobs, not LinkedIn's.")
	return sec, nil
}
