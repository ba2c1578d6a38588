package runtime

import (
	"maps"
	"math"
	"slices"
	"time"

	"parley/app/campaigns"
	"parley/app/campaigns/leadurl"
	"parley/app/campaigns/sequence"
	"parley/app/model"
	"parley/automation"
	"parley/storage"
)

// ours reloads a running job and reports whether this attempt still owns
// it (a recovered lease belongs to the next attempt).
func ours(tx *storage.Tx, cl *claimed) (model.Job, bool, error) {
	j, err := tx.Job(cl.job.ID)
	if err != nil {
		return j, false, err
	}
	return j, j.State == model.JobRunning && j.AttemptID == cl.job.AttemptID, nil
}

// complete records a job's result: the job, the lead's outcome, its event
// and the next job, in one transaction.
func (r *Runtime) complete(cl *claimed, res result) error {
	return r.store.Group(func(tx *storage.Tx) error {
		j, mine, err := ours(tx, cl)
		if err != nil || !mine {
			return err
		}
		now := tx.Now()
		if res.resend {
			// Reconciliation showed the send never happened: give back
			// what the lost attempt held and queue it again as a plain
			// send, which reserves its budget anew.
			if err := release(tx, j.AccountID, j.Reserved); err != nil {
				return err
			}
			j.Reserved = nil
			j.State, j.InFlight, j.Due, j.Result = model.JobQueued, false, now, res.text
			j.AddAttempt(cl.trace.Attempt(cl.started, res.text, false))
			j.LeaseUntil, j.Attempt = time.Time{}, max(j.Attempt-1, 0)
			if err := tx.PutJob(j); err != nil {
				return err
			}
			return r.pace(tx, cl, res)
		}
		if res.unspent {
			if err := release(tx, j.AccountID, j.Reserved); err != nil {
				return err
			}
		}
		j.State, j.FinishedAt, j.InFlight, j.Result, j.LeaseUntil = model.JobDone, now, false, res.text, time.Time{}
		j.AddAttempt(cl.trace.Attempt(cl.started, res.text, false))
		if err := tx.PutJob(j); err != nil {
			return err
		}
		if err := tx.DropJobKeyFor(j); err != nil {
			return err
		}
		if err := r.recordResult(tx, cl, j, res); err != nil {
			return err
		}
		if err := countStat(tx, j, "ok"); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(jobEvent("job.done", j, nil)); err != nil {
			return err
		}
		return r.pace(tx, cl, res)
	})
}

// recordResult applies a finished job to the campaign (or the account)
// and plans what comes next.
func (r *Runtime) recordResult(tx *storage.Tx, cl *claimed, j model.Job, res result) error {
	switch {
	case j.CampaignID != 0:
		out := res.outcome
		if j.Kind == model.JobAdvance {
			act, _, _, _, err := campaigns.NextTx(tx, j.CampaignID, j.LeadID)
			if err != nil {
				return err
			}
			if act.Outcome != "" {
				out = &sequence.Outcome{Kind: act.Outcome, At: act.At, Reason: act.Reason, Step: act.Step}
			}
		}
		if out != nil {
			_, err := campaigns.RecordOutcomeTx(tx, j.CampaignID, j.LeadID, *out, schedulerOrigin)
			if err == nil {
				err = bump(tx, j.AccountID, outcomeStat(out.Kind))
			}
			if err != nil {
				if model.ErrorCode(err) != model.CodeConflict {
					return err
				}
				r.log.Error("outcome not recorded", "job", j.ID, "outcome", out.Kind, "error", err)
				if model.IsSend(j.Kind) {
					// Never send twice: a send the sequence cannot take in
					// ends the lead's sequence instead of being planned again.
					if err := exitLead(tx, j, "the "+j.Kind+" went out but could not be recorded: "+model.PublicMessage(err), schedulerOrigin); err != nil {
						return err
					}
				}
			}
		}
		return r.PlanEnrolment(tx, j.CampaignID, j.LeadID)
	case j.Kind == model.JobCheckInbox:
		if err := r.recordReplies(tx, j.AccountID, res.replies); err != nil {
			return err
		}
		if err := tx.SetAccountMark(markInbox, j.AccountID, res.checkedAt); err != nil {
			return err
		}
		return r.planAccountJob(tx, j.AccountID, j.Kind, tx.Now().Add(r.opts.InboxEvery))
	case j.Kind == model.JobCanary:
		for _, action := range slices.Sorted(maps.Keys(res.broken)) {
			if err := r.degrade(tx, cl.acct, kindsOfAction(action), "the selector canary: "+res.broken[action]); err != nil {
				return err
			}
		}
		return r.planAccountJob(tx, j.AccountID, j.Kind, tx.Now().Add(r.opts.CanaryEvery))
	}
	return nil
}

// recordReplies stops the sequences of leads who answered the account.
func (r *Runtime) recordReplies(tx *storage.Tx, accountID uint64, replies []automation.Reply) error {
	for _, rep := range replies {
		p, err := leadurl.Parse(rep.ProfileURL)
		if err != nil {
			continue
		}
		l, ok, err := tx.LeadByProfile(string(p.Kind), p.Key)
		if err != nil {
			return err
		}
		if !ok || l.Replied {
			continue
		}
		ens, err := tx.LeadEnrolments(l.ID)
		if err != nil {
			return err
		}
		ours, active := false, false
		for _, e := range ens {
			ours = ours || e.AccountID == accountID
			active = active || e.AccountID == accountID && e.Status == model.EnrolActive
		}
		if ours && !active {
			// The sequence ended (its last message went out) before the
			// answer came: the lead still replied.
			if err := campaigns.MarkRepliedTx(tx, l.ID, rep.At, schedulerOrigin); err != nil {
				return err
			}
			if err := bump(tx, accountID, outcomeStat(sequence.Replied)); err != nil {
				return err
			}
			continue
		}
		for _, e := range ens {
			if e.AccountID != accountID || e.Status != model.EnrolActive {
				continue
			}
			_, err := campaigns.RecordOutcomeTx(tx, e.CampaignID, l.ID, sequence.Outcome{Kind: sequence.Replied, At: rep.At}, schedulerOrigin)
			if err == nil {
				err = bump(tx, accountID, outcomeStat(sequence.Replied))
			}
			if err != nil && model.ErrorCode(err) != model.CodeConflict {
				return err
			}
		}
	}
	return nil
}

// planAccountJob keeps one queued job of an account-wide kind.
func (r *Runtime) planAccountJob(tx *storage.Tx, accountID uint64, kind string, due time.Time) error {
	key := storage.AccountJobKey(kind, accountID)
	if id, ok := tx.JobKey(key); ok {
		if j, err := tx.Job(id); err == nil && !j.Finished() {
			return nil
		}
	}
	j, err := tx.CreateJob(model.Job{AccountID: accountID, Kind: kind, State: model.JobQueued, Due: due})
	if err != nil {
		return err
	}
	return tx.SetJobKey(key, j.ID)
}

// pace starts the account's randomised pause after a job that loaded a
// page; past the soft limit the pause doubles.
func (r *Runtime) pace(tx *storage.Tx, cl *claimed, res result) error {
	if !res.touched {
		return nil
	}
	st, err := ReadSettings(tx)
	if err != nil {
		return err
	}
	lo, hi := time.Duration(st.PauseMinSeconds)*time.Second, time.Duration(st.PauseMaxSeconds)*time.Second
	d := r.randDuration(lo, hi)
	if softLimited(tx, cl.acct, cl.job.Kind, st, tx.Now()) {
		d *= 2
	}
	return tx.SetNextActionAt(cl.acct.ID, tx.Now().Add(d))
}

// fail records a failed attempt: a retry after a backoff, a dead letter,
// or, when LinkedIn pushed back, a quarantined account.
func (r *Runtime) fail(cl *claimed, cause error) error {
	class := automation.ClassOf(cause)
	return r.store.Group(func(tx *storage.Tx) error {
		j, mine, err := ours(tx, cl)
		if err != nil || !mine {
			return err
		}
		now := tx.Now()
		st, err := ReadSettings(tx)
		if err != nil {
			return err
		}
		// A send whose fate is unknown keeps its budget (it may have
		// happened) and is reconciled before it is tried again. Everything
		// else gives the budget back.
		if !j.InFlight || automation.NotSent(cause) {
			if err := release(tx, j.AccountID, j.Reserved); err != nil {
				return err
			}
			j.Reserved, j.InFlight = nil, false
		}
		j.LastError, j.ErrorClass, j.LeaseUntil = automation.Describe(cause), class, time.Time{}
		j.AddAttempt(cl.trace.Attempt(cl.started, "failed ("+class+"): "+j.LastError, true))
		if err := countStat(tx, j, "fail"); err != nil {
			return err
		}
		switch class {
		case model.ErrClassChallenge, model.ErrClassLogin:
			// Not the lead's fault: the job waits, the account stops.
			j.State, j.Due, j.Attempt = model.JobQueued, now, max(j.Attempt-1, 0)
			if err := tx.PutJob(j); err != nil {
				return err
			}
			if err := r.quarantineForSite(tx, cl.acct, class, j.LastError); err != nil {
				return err
			}
		case model.ErrClassSelector:
			// The page changed, not the lead: this kind of job stops on
			// this account (the job waits, no attempt spent) until a person
			// patches the selector pack and resolves the incident.
			j.State, j.Due, j.Attempt = model.JobQueued, now, max(j.Attempt-1, 0)
			if err := tx.PutJob(j); err != nil {
				return err
			}
			if err := r.degrade(tx, cl.acct, []string{j.Kind}, j.LastError); err != nil {
				return err
			}
		case model.ErrClassPermanent:
			if err := r.deadLetter(tx, j); err != nil {
				return err
			}
		default:
			if j.Attempt >= st.MaxAttempts {
				if err := r.deadLetter(tx, j); err != nil {
					return err
				}
				break
			}
			j.State, j.Due = model.JobQueued, now.Add(r.backoff(j.Attempt, class, cause))
			if err := tx.PutJob(j); err != nil {
				return err
			}
			if _, err := tx.AppendEvent(jobEvent("job.retry", j, map[string]any{"due": j.Due})); err != nil {
				return err
			}
		}
		return r.pace(tx, cl, result{touched: true})
	})
}

// backoff is exponential with ±20% jitter: from 1 minute (transient) or
// 30 minutes (rate-limited, or what LinkedIn asked for), capped.
func (r *Runtime) backoff(attempt int, class string, cause error) time.Duration {
	base, ceiling := time.Minute, time.Hour
	if class == model.ErrClassRateLimited {
		base, ceiling = 30*time.Minute, 24*time.Hour
	}
	d := time.Duration(float64(base) * math.Pow(2, float64(max(attempt-1, 0))))
	d = min(d, ceiling)
	if e, ok := cause.(*automation.Error); ok && e.RetryAfter > d {
		d = e.RetryAfter
	}
	return r.randDuration(d*8/10, d*12/10)
}

// deadLetter gives up on a job; the reason stays visible and a person may
// retry or cancel it.
func (r *Runtime) deadLetter(tx *storage.Tx, j model.Job) error {
	j.State, j.FinishedAt = model.JobDead, tx.Now()
	if err := tx.PutJob(j); err != nil {
		return err
	}
	if _, err := tx.AppendEvent(jobEvent("job.dead", j, nil)); err != nil {
		return err
	}
	if j.LeadID != 0 {
		if _, err := tx.AppendLeadEvent(j.LeadID, event("lead.job_failed", schedulerOrigin, map[string]any{
			"job": j.ID, "kind": j.Kind, "campaign": j.CampaignID, "error_class": j.ErrorClass})); err != nil {
			return err
		}
	}
	return r.deadLetterBurst(tx, j)
}

func countStat(tx *storage.Tx, j model.Job, how string) error {
	return bump(tx, j.AccountID, j.Kind+":"+how)
}
