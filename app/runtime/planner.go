package runtime

import (
	"time"

	"parley/app/campaigns"
	"parley/app/campaigns/sequence"
	"parley/app/model"
	"parley/storage"
)

// PlanEnrolment implements storage.Planner: it makes the queue hold
// exactly the job the enrolment needs next, or none.
func (r *Runtime) PlanEnrolment(tx *storage.Tx, campaignID, leadID uint64) error {
	key := storage.EnrolmentJobKey(campaignID, leadID)
	kind, due, step, accountID, err := r.nextJob(tx, campaignID, leadID)
	if err != nil {
		return err
	}
	id, had := tx.JobKey(key)
	if had {
		j, err := tx.Job(id)
		if err != nil {
			return err
		}
		switch j.State {
		case model.JobRunning, model.JobDead:
			// The worker plans again when it finishes; a dead letter
			// holds the lead until a person retries or cancels it.
			return nil
		case model.JobQueued:
			if j.InFlight {
				// A send of unknown fate is reconciled as it is before
				// anything else is planned for the lead.
				return nil
			}
			if kind == "" {
				return r.dropJob(tx, j, key)
			}
			if j.Attempt > 0 && j.Kind == kind && j.Due.After(due) {
				due = j.Due // a retry keeps its backoff
			}
			if j.Kind == kind && j.Due.Equal(due) && j.Step == step && j.AccountID == accountID {
				return nil
			}
			r.unhold(accountID)
			j.Kind, j.Due, j.Step, j.AccountID = kind, due, step, accountID
			return tx.PutJob(j)
		}
	}
	if kind == "" {
		if had {
			return tx.DropJobKey(key)
		}
		return nil
	}
	r.unhold(accountID) // a new job may be runnable at once
	j, err := tx.CreateJob(model.Job{AccountID: accountID, Kind: kind, CampaignID: campaignID, LeadID: leadID,
		Step: step, State: model.JobQueued, Due: due})
	if err != nil {
		return err
	}
	return tx.SetJobKey(key, j.ID)
}

// dropJob deletes a queued job that is no longer needed: it never ran, so
// nothing about it is worth keeping.
func (r *Runtime) dropJob(tx *storage.Tx, j model.Job, key string) error {
	j.State, j.FinishedAt, j.Result = model.JobCancelled, tx.Now(), "no longer needed"
	if err := tx.PutJob(j); err != nil {
		return err
	}
	return tx.DropJobKey(key)
}

// nextJob decides the job kind and due time an enrolment needs next.
func (r *Runtime) nextJob(tx *storage.Tx, campaignID, leadID uint64) (kind string, due time.Time, step int, accountID uint64, err error) {
	act, c, e, _, err := campaigns.NextTx(tx, campaignID, leadID)
	if err != nil {
		if model.ErrorCode(err) == model.CodeNotFound {
			return "", time.Time{}, 0, 0, nil
		}
		return "", time.Time{}, 0, 0, err
	}
	if c.State != model.CampaignActive || e.Status != model.EnrolActive && act.Outcome == "" {
		return "", time.Time{}, 0, 0, nil
	}
	now := tx.Now()
	due = act.At
	if due.IsZero() || due.Before(now) {
		due = now
	}
	switch act.Kind {
	case sequence.ActVisit:
		kind = model.JobVisit
	case sequence.ActInvite:
		kind = model.JobInvite
	case sequence.ActMessage:
		kind = model.JobMessage
	case sequence.ActWithdraw:
		kind = model.JobWithdraw
	case sequence.ActConnected, sequence.ActDone, sequence.ActExit:
		if act.Outcome == "" {
			return "", time.Time{}, 0, 0, nil
		}
		kind = model.JobAdvance
	case sequence.ActWait:
		if act.At.IsZero() {
			return "", time.Time{}, 0, 0, nil // waits for a person or an outside event
		}
		switch act.StepKind {
		case model.StepWaitAccept:
			kind = model.JobCheckAccept
			if next := now.Add(r.opts.AcceptEvery); next.Before(due) {
				due = next
			}
		case model.StepVisit:
			kind = model.JobVisit
		case model.StepInvite:
			kind = model.JobInvite
		default:
			kind = model.JobMessage
		}
	}
	if act.NeedsApproval && act.Kind != sequence.ActWait {
		a, ok, err := tx.StepApproval(c.ID, leadID, act.Step)
		if err != nil {
			return "", time.Time{}, 0, 0, err
		}
		if !ok || a.Status != model.ApprovalApproved {
			return "", time.Time{}, 0, 0, nil // nothing is sent before a person approves it
		}
	}
	return kind, due, act.Step, e.AccountID, nil
}

// PlanCampaign implements storage.Planner: a campaign that starts,
// pauses or ends re-plans all its enrolments.
func (r *Runtime) PlanCampaign(tx *storage.Tx, campaignID uint64) error {
	var ids []uint64
	if err := tx.Enrolments(campaignID, 0, func(e model.Enrolment) bool {
		ids = append(ids, e.LeadID)
		return true
	}); err != nil {
		return err
	}
	for _, id := range ids {
		if err := r.PlanEnrolment(tx, campaignID, id); err != nil {
			return err
		}
	}
	return nil
}
