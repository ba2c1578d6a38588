package runtime

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"parley/app/model"
	"parley/automation"
	"parley/storage"
)

// Serve runs rounds until ctx ends, then lets running jobs finish (or
// records them as interrupted) before it returns.
func (r *Runtime) Serve(ctx context.Context) error {
	// Any job still running belongs to a Parley that stopped: recover it
	// before the first round.
	if err := r.recoverLeases(true); err != nil {
		return err
	}
	if err := r.planAll(); err != nil {
		return err
	}
	janitorAt, healthAt := time.Time{}, time.Time{}
	for {
		if err := r.Round(ctx); err != nil && ctx.Err() == nil {
			r.log.Error("scheduler round failed", "error", err)
		}
		if now := r.clock.Now(); !now.Before(healthAt) {
			if err := r.SnapshotHealth(); err != nil {
				r.log.Warn("health snapshot failed", "error", err)
			}
			healthAt = now.Add(healthEvery)
		}
		if now := r.clock.Now(); now.After(janitorAt) {
			if n, err := r.Janitor(); err != nil {
				r.log.Warn("janitor failed", "error", err)
			} else if n > 0 {
				r.log.Info("old finished jobs removed", "jobs", n)
			}
			if n, err := r.PruneEvidence(); err != nil {
				r.log.Warn("evidence retention failed", "error", err)
			} else if n > 0 {
				r.log.Info("old evidence files removed", "files", n)
			}
			janitorAt = now.Add(time.Hour)
		}
		select {
		case <-ctx.Done():
			r.running.Wait()
			return nil
		case <-r.clock.After(r.opts.Tick):
		case <-r.wake:
		}
	}
}

// healthEvery is how often the health snapshots are brought up to date.
const healthEvery = 5 * time.Minute

// planAll makes sure every enrolment of a running campaign has its job
// (enrolments made before the queue existed, or by an older version).
// Planning is idempotent: an enrolment keeps the job it has.
func (r *Runtime) planAll() error {
	return r.store.Update(func(tx *storage.Tx) error {
		cs, err := tx.Campaigns()
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.State != model.CampaignActive {
				continue
			}
			if err := r.PlanCampaign(tx, c.ID); err != nil {
				return err
			}
		}
		return nil
	})
}

// Round gives every account that may act one turn, least recently served
// first, at most Concurrency at once, and waits for the turns to end.
func (r *Runtime) Round(ctx context.Context) error {
	if err := r.recoverLeases(false); err != nil {
		return err
	}
	accounts, err := r.prepareRound()
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.round++
	round := r.round
	slices.SortStableFunc(accounts, func(a, b uint64) int { return int(r.turns[a] - r.turns[b]) })
	r.mu.Unlock()
	sem := make(chan struct{}, r.opts.Concurrency)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for _, id := range accounts {
		if ctx.Err() != nil {
			break
		}
		r.mu.Lock()
		_, busy := r.busy[id]
		r.mu.Unlock()
		if busy || !r.mayAct(id) {
			continue
		}
		sem <- struct{}{}
		r.mu.Lock()
		r.turns[id] = round
		r.mu.Unlock()
		wg.Add(1)
		r.running.Add(1)
		go func() {
			defer func() { <-sem; wg.Done(); r.running.Done() }()
			if err := r.turn(ctx, id); err != nil {
				mu.Lock()
				first = err
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return first
}

// mayAct is a cheap read-only look before a turn takes a write lock.
func (r *Runtime) mayAct(accountID uint64) bool {
	if r.site == nil || r.signedOut(accountID) != nil {
		return false
	}
	r.mu.Lock()
	held := r.clock.Now().Before(r.holds[accountID])
	r.mu.Unlock()
	if held {
		return false
	}
	ok := false
	r.store.View(func(tx *storage.Tx) error {
		a, err := tx.Account(accountID)
		if err != nil {
			return err
		}
		now := tx.Now()
		if b, err := gate(tx, a, now); err != nil || b != nil {
			return err
		}
		next := tx.NextDue(accountID)
		ok = !next.IsZero() && !next.After(now)
		return nil
	})
	return ok
}

// holdFor bounds how long an account whose due jobs are all held back (a
// used-up budget, a paused campaign) skips its turns; a control, a newly
// planned job or Wake ends the hold sooner.
const holdFor = time.Minute

// hold spares an account whose claim found nothing runnable the write
// transaction of a claim in the next rounds.
func (r *Runtime) hold(accountID uint64, b *Block) {
	if b == nil {
		return
	}
	until := r.clock.Now().Add(holdFor)
	if !b.Until.IsZero() && b.Until.Before(until) {
		until = b.Until
	}
	r.mu.Lock()
	r.holds[accountID] = until
	r.mu.Unlock()
}

// unhold ends an account's hold (account 0: every hold).
func (r *Runtime) unhold(accountID uint64) {
	r.mu.Lock()
	if accountID == 0 {
		clear(r.holds)
	} else {
		delete(r.holds, accountID)
	}
	r.mu.Unlock()
}

// turn runs up to MaxJobsPerRun jobs of one account, ending at the first
// job that loaded a LinkedIn page (the account then pauses).
func (r *Runtime) turn(ctx context.Context, accountID uint64) error {
	for range r.opts.MaxJobsPerRun {
		if ctx.Err() != nil {
			return nil
		}
		cl, block, err := r.claim(accountID)
		if err != nil {
			return err
		}
		if cl == nil {
			r.hold(accountID, block)
			return nil
		}
		res, err := r.run(ctx, cl)
		if err != nil {
			return err
		}
		if res.touched {
			return nil
		}
	}
	return nil
}

// run executes one claimed job, extending its lease while it runs, and
// records the result or the failure.
func (r *Runtime) run(ctx context.Context, cl *claimed) (res result, err error) {
	r.mu.Lock()
	r.busy[cl.acct.ID] = cl.job
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.busy, cl.acct.ID)
		r.mu.Unlock()
	}()
	cl.trace, cl.started = automation.NewTrace(), r.clock.Now()
	if cl.reconcile {
		cl.trace.Step("an earlier try was cut off while sending: asking LinkedIn whether it went through before anything is sent")
	}
	jctx, stop := context.WithCancel(automation.WithTrace(context.WithoutCancel(ctx), cl.trace))
	defer stop()
	go r.keepLease(jctx, cl)
	var werr error
	func() {
		defer func() {
			if p := recover(); p != nil {
				werr = fmt.Errorf("the job panicked: %v", p)
			}
		}()
		res, werr = r.execute(jctx, cl)
	}()
	log := r.log.With("job_id", cl.job.ID, "kind", cl.job.Kind, "account", cl.acct.ID)
	if werr != nil {
		log.Warn("job failed", "error", werr)
		return result{touched: true}, r.fail(cl, werr)
	}
	log.Debug("job done", "result", res.text)
	return res, r.complete(cl, res)
}

// keepLease extends a running job's lease until ctx ends.
func (r *Runtime) keepLease(ctx context.Context, cl *claimed) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.clock.After(r.opts.Lease / 3):
		}
		r.store.Update(func(tx *storage.Tx) error {
			j, mine, err := ours(tx, cl)
			if err != nil || !mine {
				return err
			}
			j.LeaseUntil = tx.Now().Add(r.opts.Lease)
			return tx.PutJob(j)
		})
	}
}

// prepareRound lifts pauses that ran out, makes sure every active account
// has its periodic jobs, and returns the active accounts.
func (r *Runtime) prepareRound() ([]uint64, error) {
	var ids []uint64
	var needJobs []uint64
	var expired []model.Pause
	err := r.store.View(func(tx *storage.Tx) error {
		accounts, err := tx.Accounts(false)
		if err != nil {
			return err
		}
		for _, a := range accounts {
			ids = append(ids, a.ID)
			for _, kind := range []string{model.JobCheckInbox, model.JobCanary} {
				if _, ok := tx.JobKey(storage.AccountJobKey(kind, a.ID)); !ok {
					needJobs = append(needJobs, a.ID)
					break
				}
			}
		}
		pauses, err := tx.Pauses()
		for _, p := range pauses {
			if !p.Active(tx.Now()) {
				expired = append(expired, p)
			}
		}
		return err
	})
	if err != nil || len(needJobs) == 0 && len(expired) == 0 {
		return ids, err
	}
	return ids, r.store.Update(func(tx *storage.Tx) error {
		for _, id := range needJobs {
			for _, kind := range []string{model.JobCheckInbox, model.JobCanary} {
				if err := r.planAccountJob(tx, id, kind, tx.Now()); err != nil {
					return err
				}
			}
		}
		for _, p := range expired {
			if err := r.liftPause(tx, p, schedulerOrigin, "its time ran out"); err != nil {
				return err
			}
		}
		return nil
	})
}

// recoverLeases returns jobs whose lease ran out to the queue (all running
// jobs at start). A send that was in flight keeps InFlight, so its next
// claim reconciles with the site before anything is sent again.
func (r *Runtime) recoverLeases(all bool) error {
	if !all {
		// Most rounds find nothing: look in a read transaction first so
		// they cost no durable commit.
		expired := false
		if err := r.store.View(func(tx *storage.Tx) error {
			stale, err := tx.ExpiredLeases(tx.Now(), 1)
			expired = len(stale) > 0
			return err
		}); err != nil || !expired {
			return err
		}
	}
	return r.store.Update(func(tx *storage.Tx) error {
		var stale []model.Job
		var err error
		if all {
			err = tx.RunningJobs(func(j model.Job) bool { stale = append(stale, j); return true })
		} else {
			stale, err = tx.ExpiredLeases(tx.Now(), 100)
		}
		if err != nil {
			return err
		}
		for _, j := range stale {
			r.mu.Lock()
			_, live := r.busy[j.AccountID]
			r.mu.Unlock()
			if live && !all {
				continue // its worker is still on it; the lease catches up
			}
			if !j.InFlight {
				// An in-flight send keeps its reservation until
				// reconciliation says whether it went out.
				if err := release(tx, j.AccountID, j.Reserved); err != nil {
					return err
				}
				j.Reserved = nil
			}
			j.State, j.Due, j.LeaseUntil = model.JobQueued, tx.Now(), time.Time{}
			j.LastError = "the worker stopped before finishing (lease expired)"
			if err := tx.PutJob(j); err != nil {
				return err
			}
			if _, err := tx.AppendEvent(jobEvent("job.recovered", j, map[string]any{"in_flight": j.InFlight})); err != nil {
				return err
			}
		}
		return nil
	})
}

// Janitor removes finished jobs older than the retention setting and
// returns how many it removed.
func (r *Runtime) Janitor() (int, error) {
	total := 0
	for {
		n := 0
		err := r.store.Update(func(tx *storage.Tx) error {
			st, err := ReadSettings(tx)
			if err != nil {
				return err
			}
			n, err = tx.DeleteFinishedJobs(tx.Now().AddDate(0, 0, -st.JobRetentionDays), 1000)
			return err
		})
		total += n
		if err != nil || n < 1000 {
			return total, err
		}
	}
}
