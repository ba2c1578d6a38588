package runtime

import (
	"fmt"
	"time"

	"parley/app/campaigns"
	"parley/app/campaigns/sequence"
	"parley/app/model"
	"parley/automation"
	"parley/storage"
)

// claimed is a job taken for a turn, with what it needs to run.
type claimed struct {
	job  model.Job
	acct model.Account
	lead model.Lead
	send campaigns.Send
	// reconcile: an earlier attempt was in flight when it was cut off, so
	// the site is asked whether it went through before anything is sent.
	reconcile bool
	// since is where an inbox check starts reading.
	since time.Time
	// trace is this attempt's action log; started is when it began.
	trace   *automation.Trace
	started time.Time
}

// markInbox remembers when an account's inbox was last read.
const markInbox = "inbox"

// claimCandidates bounds the due jobs one claim looks through.
const claimCandidates = 64

// claim takes the account's next runnable job under a lease, reserving its
// budget in the same transaction. With no job it says why.
func (r *Runtime) claim(accountID uint64) (*claimed, *Block, error) {
	if r.site == nil {
		return nil, noBrowser, nil
	}
	if b := r.signedOut(accountID); b != nil {
		return nil, b, nil
	}
	var cl *claimed
	var block *Block
	// Claims and completions of accounts acting at the same moment share
	// durable commits (storage.Group).
	err := r.store.Group(func(tx *storage.Tx) error {
		cl, block = nil, nil
		a, err := tx.Account(accountID)
		if err != nil {
			return err
		}
		if a.Archived() {
			block = &Block{Code: BlockPaused, Reason: "archived"}
			return nil
		}
		now := tx.Now()
		if block, err = gate(tx, a, now); err != nil || block != nil {
			return err
		}
		st, err := ReadSettings(tx)
		if err != nil {
			return err
		}
		// The earliest due job usually runs: try it alone first, and look
		// further down the queue (decoding up to claimCandidates jobs) only
		// when something holds it back.
		tried := map[uint64]bool{}
		for _, limit := range []int{1, claimCandidates} {
			var due []model.Job
			if err := tx.DueJobs(a.ID, now, func(j model.Job) bool {
				if !tried[j.ID] {
					due = append(due, j)
				}
				return len(due) < limit
			}); err != nil {
				return err
			}
			for _, j := range due {
				tried[j.ID] = true
				var b *Block
				cl, b, err = r.tryClaim(tx, a, j, st)
				if err != nil || cl != nil {
					return err
				}
				if block == nil {
					block = b
				}
			}
			if len(due) < limit {
				break // the queue has no more due jobs
			}
		}
		if block == nil {
			block = nothingDue(tx, a.ID)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return cl, block, nil
}

func nothingDue(tx *storage.Tx, accountID uint64) *Block {
	next := tx.NextDue(accountID)
	if next.IsZero() {
		return &Block{Code: BlockNothingDue, Reason: "nothing due"}
	}
	return &Block{Code: BlockNothingDue, Until: next, Reason: "nothing due until " + next.Format("Mon 02 Jan 15:04 UTC")}
}

// tryClaim claims j when nothing stops it; otherwise it says why (a nil
// block and nil claim: j was settled without running, try the next).
func (r *Runtime) tryClaim(tx *storage.Tx, a model.Account, j model.Job, st Settings) (*claimed, *Block, error) {
	now := tx.Now()
	var c *model.Campaign
	if j.CampaignID != 0 {
		camp, err := tx.Campaign(j.CampaignID)
		if err != nil {
			return nil, nil, err
		}
		if b, err := campaignOpen(tx, camp, now); err != nil || b != nil {
			return nil, b, err
		}
		c = &camp
	}
	if b, err := degradedBlock(tx, a.ID, j.Kind); err != nil || b != nil {
		return nil, b, err
	}
	cl := &claimed{job: j, acct: a, reconcile: j.InFlight}
	if j.Kind == model.JobCheckInbox {
		cl.since = tx.AccountMark(markInbox, a.ID)
		if cl.since.IsZero() {
			cl.since = now.AddDate(0, 0, -7)
		}
	}
	var counters []string
	if !cl.reconcile { // a reconciliation checks before it spends anything
		var b *Block
		if counters, b = checkBudget(tx, a, c, j.Kind, st, now); b != nil {
			return nil, b, nil
		}
	}
	if c != nil {
		l, err := tx.Lead(j.LeadID)
		if err != nil {
			return nil, nil, err
		}
		cl.lead = l
	}
	if c != nil && j.Kind != model.JobCheckAccept && j.Kind != model.JobAdvance {
		send, refused, err := campaigns.PrepareSendTx(tx, j.CampaignID, j.LeadID, schedulerOrigin)
		if err != nil {
			return nil, nil, err
		}
		if refused != nil {
			return nil, nil, r.settle(tx, j, "not sent: "+model.PublicMessage(refused))
		}
		if jobKindOf(send.Action.Kind) != j.Kind && !cl.reconcile {
			// The lead moved on (connected, waiting for approval): plan again.
			return nil, nil, r.PlanEnrolment(tx, j.CampaignID, j.LeadID)
		}
		cl.send = send
	}
	if err := reserve(tx, a.ID, counters); err != nil {
		return nil, nil, err
	}
	j.State, j.Attempt, j.LeaseUntil, j.AttemptID = model.JobRunning, j.Attempt+1, now.Add(r.opts.Lease), newAttemptID()
	if !cl.reconcile {
		j.Reserved = counters // a reconciliation keeps what the lost attempt held
	}
	j.InFlight = model.IsSend(j.Kind)
	if err := tx.PutJob(j); err != nil {
		return nil, nil, err
	}
	// The dashboard shows "running" from this event on.
	if _, err := tx.AppendEvent(jobEvent("job.started", j, nil)); err != nil {
		return nil, nil, err
	}
	cl.job = j
	return cl, nil, nil
}

// degradedBlock says why a kind of job is stopped on an account (nil when
// it is not).
func degradedBlock(tx *storage.Tx, accountID uint64, kind string) (*Block, error) {
	d, ok, err := tx.Degraded(accountID, kind)
	if err != nil || !ok {
		return nil, err
	}
	return &Block{Code: BlockDegraded, Reason: fmt.Sprintf("%s stopped: LinkedIn's page changed (%s); patch the selector pack, then resolve incident %d",
		kindWords(kind), d.What, d.IncidentID)}, nil
}

// settle finishes a queued job that turned out to have nothing to do.
func (r *Runtime) settle(tx *storage.Tx, j model.Job, result string) error {
	j.State, j.FinishedAt, j.Result = model.JobDone, tx.Now(), result
	if err := tx.PutJob(j); err != nil {
		return err
	}
	if err := tx.DropJobKeyFor(j); err != nil {
		return err
	}
	_, err := tx.AppendEvent(jobEvent("job.done", j, nil))
	return err
}

func jobKindOf(act string) string {
	switch act {
	case sequence.ActVisit:
		return model.JobVisit
	case sequence.ActInvite:
		return model.JobInvite
	case sequence.ActMessage:
		return model.JobMessage
	case sequence.ActWithdraw:
		return model.JobWithdraw
	}
	return ""
}

func jobEvent(typ string, j model.Job, extra map[string]any) model.Event {
	data := map[string]any{"job": j.ID, "account": j.AccountID, "kind": j.Kind, "attempt": j.Attempt}
	if j.LeadID != 0 {
		data["lead"], data["campaign"] = j.LeadID, j.CampaignID
	}
	// A lead's job speaks of the person ("invited Jane Doe"): its words
	// stay in the job record, which erasure scrubs, not in the append-only
	// log. Account jobs (inbox, canary) keep theirs.
	if j.Result != "" && j.LeadID == 0 {
		data["result"] = j.Result
	}
	if j.LastError != "" {
		data["error_class"] = j.ErrorClass
		if j.LeadID == 0 {
			data["error"] = j.LastError
		}
	}
	for k, v := range extra {
		data[k] = v
	}
	e := event(typ, schedulerOrigin, data)
	e.Subject = fmt.Sprintf("account:%d", j.AccountID)
	return e
}
