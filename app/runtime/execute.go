package runtime

import (
	"context"
	"fmt"
	"time"

	"parley/app/campaigns/sequence"
	"parley/app/model"
	"parley/automation"
)

// result is what a job's work on the site came to.
type result struct {
	outcome *sequence.Outcome
	text    string
	// touched: the job loaded a LinkedIn page, so the account pauses after.
	touched bool
	// unspent: the budget reserved for the job was not used.
	unspent bool
	// resend: reconciliation found the send did not happen; queue it again.
	resend  bool
	replies []automation.Reply
	// checkedAt is when an inbox check began reading.
	checkedAt time.Time
	broken    map[string]string
}

// execute does a claimed job's work on the site. It touches no storage.
func (r *Runtime) execute(ctx context.Context, cl *claimed) (result, error) {
	s := automation.Session{AccountID: cl.acct.ID, Name: cl.acct.Name}
	url := cl.lead.ProfileURL
	now := r.clock.Now()
	res, err := r.work(ctx, s, cl, url, now)
	if res.outcome != nil {
		// The outcome is for the step the job acted on (the sequence
		// refuses an outcome for any other step).
		res.outcome.Step = cl.job.Step
		if cl.send.Action.Kind != "" {
			res.outcome.Step = cl.send.Action.Step
		}
	}
	return res, err
}

func (r *Runtime) work(ctx context.Context, s automation.Session, cl *claimed, url string, now time.Time) (result, error) {
	res := result{touched: cl.job.Kind != model.JobAdvance}
	switch cl.job.Kind {
	case model.JobVisit:
		p, err := r.site.VisitProfile(ctx, s, url)
		if err != nil {
			return res, err
		}
		res.outcome = &sequence.Outcome{Kind: sequence.Visited, At: now}
		res.text = "visited " + nameOr(p.Name, cl.lead.Name())
	case model.JobInvite:
		return r.invite(ctx, s, cl, url, now)
	case model.JobMessage:
		if cl.reconcile {
			sent, err := r.site.MessageSent(ctx, s, url, cl.send.Text)
			if err != nil {
				return res, err
			}
			if !sent {
				return result{touched: true, resend: true, text: "the earlier try did not send the message; sending it again"}, nil
			}
			res.text = "the message was already sent (found on reconciliation)"
		} else {
			if err := r.site.SendMessage(ctx, s, url, cl.send.Text); err != nil {
				return res, err
			}
			res.text = "messaged " + cl.lead.Name()
		}
		res.outcome = &sequence.Outcome{Kind: sequence.Messaged, At: now, Variant: cl.send.Variant}
	case model.JobWithdraw:
		r.forgetSent(s.AccountID)
		if cl.reconcile {
			st, err := r.site.Connection(ctx, s, url)
			if err != nil {
				return res, err
			}
			if st == automation.ConnPending {
				return result{touched: true, resend: true, text: "the invite is still pending; withdrawing it again"}, nil
			}
		} else if err := r.site.Withdraw(ctx, s, url); err != nil {
			return res, err
		}
		res.outcome = &sequence.Outcome{Kind: sequence.Withdrawn, At: now}
		res.text = "withdrew the invite to " + cl.lead.Name()
	case model.JobCheckAccept:
		pending, read, err := r.sentPending(ctx, s, url)
		if err != nil {
			return result{touched: true}, err
		}
		if pending {
			// Still on the sent-invitations page: not accepted, and no
			// profile visit needed.
			res.touched = read
			res.text = cl.lead.Name() + " has not accepted yet (the invite is on the sent-invitations page)"
			return res, nil
		}
		st, err := r.site.Connection(ctx, s, url)
		if err != nil {
			return res, err
		}
		res.text = cl.lead.Name() + " has not accepted yet"
		if st == automation.ConnConnected {
			res.outcome = &sequence.Outcome{Kind: sequence.Accepted, At: now}
			res.text = cl.lead.Name() + " accepted the invite"
		}
	case model.JobCheckInbox:
		replies, err := r.site.Inbox(ctx, s, cl.since)
		if err != nil {
			return res, err
		}
		res.replies, res.checkedAt = replies, now
		res.text = fmt.Sprintf("inbox checked: %d recent replies", len(replies))
	case model.JobCanary:
		rep, err := r.site.Canary(ctx, s)
		if err != nil {
			return res, err
		}
		res.broken = rep.Broken
		res.text = "selector canary passed"
		if len(rep.Broken) > 0 {
			res.text = fmt.Sprintf("selector canary: %d actions degraded", len(rep.Broken))
		}
	case model.JobAdvance:
		res.text = "sequence advanced"
	default:
		return res, automation.Errorf(model.ErrClassPermanent, cl.job.Kind, "unknown job kind")
	}
	return res, nil
}

// invite sends (or reconciles) a connection invite.
func (r *Runtime) invite(ctx context.Context, s automation.Session, cl *claimed, url string, now time.Time) (result, error) {
	res := result{touched: true}
	withNote := cl.send.Text != ""
	if cl.reconcile {
		st, err := r.site.Connection(ctx, s, url)
		if err != nil {
			return res, err
		}
		switch st {
		case automation.ConnNone:
			return result{touched: true, resend: true, text: "the earlier try did not send the invite; sending it again"}, nil
		case automation.ConnConnected:
			res.outcome = &sequence.Outcome{Kind: sequence.AlreadyConnected, At: now}
			res.text = cl.lead.Name() + " is already a connection"
			return res, nil
		}
		res.outcome = &sequence.Outcome{Kind: sequence.Invited, At: now, WithNote: withNote, Variant: cl.send.Variant}
		res.text = "the invite was already sent (found on reconciliation)"
		return res, nil
	}
	out, err := r.site.SendInvite(ctx, s, url, cl.send.Text)
	if err != nil {
		return res, err
	}
	if out.Outcome == automation.InviteAlreadyConnected {
		res.unspent = true
		res.outcome = &sequence.Outcome{Kind: sequence.AlreadyConnected, At: now}
		res.text = cl.lead.Name() + " is already a connection"
		return res, nil
	}
	res.outcome = &sequence.Outcome{Kind: sequence.Invited, At: now, WithNote: out.WithNote, Variant: cl.send.Variant}
	res.text = "invited " + cl.lead.Name()
	if cl.send.NoNote != "" {
		res.text += " (" + cl.send.NoNote + ")"
	}
	return res, nil
}

func nameOr(a, b string) string {
	if b != "" {
		return b
	}
	return a
}
