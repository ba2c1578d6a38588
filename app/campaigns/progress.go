package campaigns

import (
	"fmt"
	"strings"
	"time"

	"parley/app/campaigns/dnc"
	"parley/app/campaigns/sequence"
	"parley/app/campaigns/tmpl"
	"parley/app/model"
	"parley/storage"
)

// outcomeStates is the lead state each sequence outcome leads to ("" for
// none).
var outcomeStates = map[string]model.LeadState{
	sequence.Invited:          model.LeadInvited,
	sequence.Accepted:         model.LeadConnected,
	sequence.AlreadyConnected: model.LeadConnected,
	sequence.Messaged:         model.LeadMessaged,
	sequence.Replied:          model.LeadReplied,
	sequence.Withdrawn:        model.LeadWithdrawn,
}

// RecordOutcome records what happened to an enrolled lead (the runtime
// calls it after verifying an action on LinkedIn): the enrolment moves on,
// the lead changes state, and the next step's text is drafted for approval
// when the step asks for it — all in one transaction.
func (s *Service) RecordOutcome(campaignID, leadID uint64, out sequence.Outcome, o model.Origin) (model.Enrolment, error) {
	var e model.Enrolment
	err := s.store.Update(func(tx *storage.Tx) (err error) {
		e, err = RecordOutcomeTx(tx, campaignID, leadID, out, o)
		return err
	})
	return e, err
}

// RecordOutcomeTx is RecordOutcome inside the caller's transaction (the
// runtime completes the job in the same one).
func RecordOutcomeTx(tx *storage.Tx, campaignID, leadID uint64, out sequence.Outcome, o model.Origin) (model.Enrolment, error) {
	var e model.Enrolment
	err := func() error {
		c, err := tx.Campaign(campaignID)
		if err != nil {
			return err
		}
		var ok bool
		if e, ok, err = tx.Enrolment(campaignID, leadID); err != nil {
			return err
		}
		if !ok {
			return model.Errorf(model.CodeNotFound, "lead %d is not in campaign %q", leadID, c.Name)
		}
		if out.At.IsZero() {
			out.At = tx.Now()
		}
		step := e.Step
		if err := sequence.Record(c.Steps, &e, out); err != nil {
			return err
		}
		e.UpdatedAt = tx.Now()
		if err := tx.PutEnrolment(e); err != nil {
			return err
		}
		if err := tx.CountOutcome(c.ID, out.Kind); err != nil {
			return err
		}
		if out.Kind == sequence.Invited && out.WithNote {
			if err := countNote(tx, e.AccountID); err != nil {
				return err
			}
		}
		l, err := tx.Lead(leadID)
		if err != nil {
			return err
		}
		data := map[string]any{"campaign": c.ID, "step": step + 1, "outcome": out.Kind}
		if out.Variant != "" {
			data["variant"] = out.Variant
		}
		if to := outcomeStates[out.Kind]; to != "" && (to != l.State || to == model.LeadMessaged) {
			err = moveLead(tx, &l, to, out.Reason, o, data)
		} else {
			l.UpdatedAt = tx.Now()
			if err = tx.SaveLead(l); err == nil {
				_, err = tx.AppendLeadEvent(l.ID, leadEvent("lead."+out.Kind, o, data))
			}
		}
		if err != nil {
			return err
		}
		if e.Status != model.EnrolActive {
			if err := cancelDrafts(tx, e, "the sequence ended: "+e.Status); err != nil {
				return err
			}
			if e.Status == model.EnrolExited && l.State == model.LeadQueued {
				return moveLead(tx, &l, model.LeadNew, e.Reason, o, nil)
			}
			return nil
		}
		return prepareStep(tx, c, e, l, o)
	}()
	return e, err
}

// Next says what the sequence will do next for an enrolled lead, in plain
// words, without changing anything.
func (s *Service) Next(campaignID, leadID uint64) (sequence.Action, error) {
	var act sequence.Action
	err := s.store.View(func(tx *storage.Tx) error {
		c, e, l, err := enrolled(tx, campaignID, leadID)
		if err != nil {
			return err
		}
		act = sequence.Next(c.Steps, e, facts(l), tx.Now())
		return nil
	})
	return act, err
}

func enrolled(tx *storage.Tx, campaignID, leadID uint64) (model.Campaign, model.Enrolment, model.Lead, error) {
	c, err := tx.Campaign(campaignID)
	if err != nil {
		return c, model.Enrolment{}, model.Lead{}, err
	}
	e, ok, err := tx.Enrolment(campaignID, leadID)
	if err == nil && !ok {
		err = model.Errorf(model.CodeNotFound, "lead %d is not in campaign %q", leadID, c.Name)
	}
	if err != nil {
		return c, e, model.Lead{}, err
	}
	l, err := tx.Lead(leadID)
	return c, e, l, err
}

func facts(l model.Lead) sequence.Facts {
	connected := l.State == model.LeadConnected || l.State == model.LeadMessaged || l.State == model.LeadReplied
	return sequence.Facts{Connected: connected, Replied: l.Replied}
}

// Send is an action cleared to run right now, with its final text.
type Send struct {
	Action     sequence.Action `json:"action"`
	AccountID  uint64          `json:"account_id"`
	Text       string          `json:"text,omitempty"`
	Variant    string          `json:"variant,omitempty"`
	TemplateID uint64          `json:"template_id,omitempty"`
	ApprovalID uint64          `json:"approval_id,omitempty"`
	// NoNote says why an invite that has a note goes without one.
	NoNote string `json:"no_note,omitempty"`
}

// Ready reports whether the action should run now.
func (s Send) Ready() bool {
	switch s.Action.Kind {
	case sequence.ActVisit, sequence.ActInvite, sequence.ActMessage, sequence.ActWithdraw:
		return true
	}
	return false
}

// PrepareSend is the last check before the runtime acts for a lead: the
// campaign must be running, the lead must not be on the do-not-contact
// list (checked again now, whatever happened at enrolment), a step in
// approval mode must have an approved text, and the text must render
// completely within LinkedIn's limits. A do-not-contact match blacklists
// the lead and ends its sequence; a text that cannot be rendered puts the
// lead in review. Either way nothing is sent.
func (s *Service) PrepareSend(campaignID, leadID uint64, o model.Origin) (Send, error) {
	var send Send
	var refused error
	err := s.store.Update(func(tx *storage.Tx) (err error) {
		send, refused, err = PrepareSendTx(tx, campaignID, leadID, o)
		return err
	})
	if err != nil {
		return Send{}, err
	}
	return send, refused
}

// PrepareSendTx is PrepareSend inside the caller's transaction. refused
// says why nothing may be sent (its changes, such as a blacklisting, are
// still to be committed); err is a failure that must roll back.
func PrepareSendTx(tx *storage.Tx, campaignID, leadID uint64, o model.Origin) (send Send, refused error, err error) {
	err = func() error {
		c, e, l, err := enrolled(tx, campaignID, leadID)
		if err != nil {
			return err
		}
		if c.State != model.CampaignActive {
			refused = model.Errorf(model.CodeConflict, "campaign %q is %s; nothing is sent", c.Name, c.State)
			return nil
		}
		if e.Status != model.EnrolActive {
			refused = model.Errorf(model.CodeConflict, "lead %d's sequence in %q is %s", leadID, c.Name, e.Status)
			return nil
		}
		m, err := matcher(tx)
		if err != nil {
			return err
		}
		if rule, hit := m.Match(l); hit {
			l.BlockedBy = dnc.Describe(rule)
			reason := dncReason(rule)
			if err := moveLead(tx, &l, model.LeadBlacklisted, reason, o, map[string]any{"campaign": c.ID, "checked": "before sending"}); err != nil {
				return err
			}
			refused = model.Errorf(model.CodeConflict, "not sent: %s is %s", l.Name(), reason)
			return exitEnrolments(tx, l.ID, reason, o)
		}
		send = Send{Action: sequence.Next(c.Steps, e, facts(l), tx.Now()), AccountID: e.AccountID}
		if send.Action.Kind != sequence.ActInvite && send.Action.Kind != sequence.ActMessage {
			return nil
		}
		st := c.Steps[send.Action.Step]
		if !st.HasText() {
			return nil
		}
		if st.Approval {
			a, ok, err := tx.StepApproval(c.ID, l.ID, send.Action.Step)
			if err != nil {
				return err
			}
			if !ok || a.Status != model.ApprovalApproved {
				send.Action = sequence.Action{Kind: sequence.ActWait, Step: send.Action.Step, StepKind: st.Kind, NeedsApproval: true,
					Reason: "waiting for approval of the drafted " + st.TextKind()}
				if !ok {
					return prepareStep(tx, c, e, l, o)
				}
				return nil
			}
			send.Text, send.Variant, send.TemplateID, send.ApprovalID = a.Text, a.Variant, a.TemplateID, a.ID
		} else {
			d, err := draft(tx, c, send.Action.Step, l)
			if err != nil {
				return err
			}
			if d.problem != nil {
				return toReview(tx, c, e, l, d.problem, o, &refused)
			}
			send.Text, send.Variant, send.TemplateID = d.text, d.variant.Key, d.variant.TemplateID
		}
		settings, err := readSettings(tx)
		if err != nil {
			return err
		}
		if err := tmpl.CheckText(st.TextKind(), send.Text, settings.MessageMaxChars); err != nil {
			return toReview(tx, c, e, l, err, o, &refused)
		}
		if st.Kind == model.StepInvite {
			send.NoNote, err = noteQuotaUsed(tx, e.AccountID)
			if send.NoNote != "" {
				send.Text = ""
			}
		}
		return err
	}()
	if err != nil {
		return Send{}, nil, err
	}
	return send, refused, nil
}

// toReview ends a lead's sequence because its text cannot be sent and
// asks a human to look at it.
func toReview(tx *storage.Tx, c model.Campaign, e model.Enrolment, l model.Lead, problem error, o model.Origin, refused *error) error {
	reason := fmt.Sprintf("the text for step %d of %q cannot be sent: %s", e.Step+1, c.Name, model.PublicMessage(problem))
	*refused = model.Errorf(model.CodeConflict, "not sent: %s", reason)
	if err := exitEnrolment(tx, e, reason, o); err != nil {
		return err
	}
	if l, err := tx.Lead(l.ID); err == nil && model.CanTransition(l.State, model.LeadReviewRequired) {
		return moveLead(tx, &l, model.LeadReviewRequired, reason, o, map[string]any{"campaign": c.ID})
	}
	return nil
}

type drafted struct {
	variant model.Variant
	text    string
	problem error
}

// draft renders the variant of a step chosen for the lead.
func draft(tx *storage.Tx, c model.Campaign, step int, l model.Lead) (drafted, error) {
	st := c.Steps[step]
	var d drafted
	if len(st.Variants) == 0 {
		return d, nil
	}
	d.variant = sequence.PickVariant(st.Variants, c.ID, l.ID, step)
	t, err := tx.Template(d.variant.TemplateID)
	if err != nil {
		return d, err
	}
	settings, err := readSettings(tx)
	if err != nil {
		return d, err
	}
	parsed, err := tmpl.Parse(t.Body)
	if err != nil {
		d.problem = err
		return d, nil
	}
	r := tmpl.Preview(parsed, st.TextKind(), settings.MessageMaxChars, l)
	d.text, d.problem = r.Text, r.Err
	return d, nil
}

// prepareStep drafts the lead's current step for approval when the step
// asks for it and no draft exists yet.
func prepareStep(tx *storage.Tx, c model.Campaign, e model.Enrolment, l model.Lead, o model.Origin) error {
	if e.Status != model.EnrolActive || e.Step >= len(c.Steps) {
		return nil
	}
	st := c.Steps[e.Step]
	if !st.Approval || !st.HasText() {
		return nil
	}
	if a, ok, err := tx.StepApproval(c.ID, l.ID, e.Step); err != nil || (ok && a.Status != model.ApprovalRejected) {
		return err
	}
	d, err := draft(tx, c, e.Step, l)
	if err != nil {
		return err
	}
	a := model.Approval{CampaignID: c.ID, LeadID: l.ID, Step: e.Step, Kind: st.Kind, Variant: d.variant.Key,
		TemplateID: d.variant.TemplateID, Text: d.text, Status: model.ApprovalPending, CreatedAt: tx.Now()}
	if d.problem != nil {
		a.Reason = model.PublicMessage(d.problem)
	}
	if a, err = tx.PutApproval(a); err != nil {
		return err
	}
	_, err = tx.AppendLeadEvent(l.ID, leadEvent("approval.drafted", o, map[string]any{"approval": a.ID, "campaign": c.ID, "step": e.Step + 1}))
	return err
}

// noteCounter names the counter of invite notes an account sent in the
// month of t, in the account's time zone.
func noteCounter(a model.Account, t time.Time) string {
	loc, err := time.LoadLocation(a.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	return "notes:" + t.In(loc).Format("2006-01")
}

// noteQuotaUsed says why the account must send its next invite without a
// note ("" while it still has notes this month).
func noteQuotaUsed(tx *storage.Tx, accountID uint64) (string, error) {
	a, err := tx.Account(accountID)
	if err != nil {
		return "", err
	}
	quota := model.NoteQuotaPerMonth(a.Type)
	if quota == 0 || tx.AccountUsage(a.ID, noteCounter(a, tx.Now())) < quota {
		return "", nil
	}
	return fmt.Sprintf("%s has used this month's %d invite notes (a %s account); the invite goes without a note", a.Name, quota, strings.ReplaceAll(a.Type, "_", " ")), nil
}

func countNote(tx *storage.Tx, accountID uint64) error {
	a, err := tx.Account(accountID)
	if err != nil {
		return err
	}
	return tx.AddAccountUsage(a.ID, noteCounter(a, tx.Now()), 1)
}

// NextTx is what the sequence does next for an enrolled lead, read in the
// caller's transaction (the runtime's planner uses it), with the records
// it was decided from.
func NextTx(tx *storage.Tx, campaignID, leadID uint64) (sequence.Action, model.Campaign, model.Enrolment, model.Lead, error) {
	c, e, l, err := enrolled(tx, campaignID, leadID)
	if err != nil {
		return sequence.Action{}, c, e, l, err
	}
	return sequence.Next(c.Steps, e, facts(l), tx.Now()), c, e, l, nil
}
