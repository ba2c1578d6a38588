package campaigns

import (
	"fmt"
	"strings"

	"parley/app/campaigns/tmpl"
	"parley/app/model"
	"parley/storage"
)

// ApprovalItem is a draft with what the queue shows beside it.
type ApprovalItem struct {
	model.Approval
	LeadName     string `json:"lead_name"`
	Company      string `json:"company,omitempty"`
	CampaignName string `json:"campaign_name"`
	Chars        int    `json:"chars"`
	Limit        int    `json:"limit"`
	// Problem says why the text cannot be approved as it is.
	Problem string `json:"problem,omitempty"`
}

// PendingApprovals is the length of the approvals queue.
func (s *Service) PendingApprovals() int {
	n := 0
	s.store.View(func(tx *storage.Tx) error { n = tx.PendingApprovalCount(); return nil })
	return n
}

// Approvals returns pending drafts, oldest first, optionally of one
// campaign, and how many are pending (in that campaign, or in all).
func (s *Service) Approvals(campaignID uint64, limit int) ([]ApprovalItem, int, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var out []ApprovalItem
	var pending int
	err := s.store.View(func(tx *storage.Tx) error {
		settings, err := readSettings(tx)
		if err != nil {
			return err
		}
		names := map[uint64]string{}
		var ierr error
		err = tx.PendingApprovals(func(a model.Approval) bool {
			if campaignID != 0 && a.CampaignID != campaignID {
				return true
			}
			pending++
			if len(out) == limit {
				return true // keep counting
			}
			var item ApprovalItem
			if item, ierr = approvalItem(tx, a, settings, names); ierr != nil {
				return false
			}
			out = append(out, item)
			return true
		})
		if err == nil {
			err = ierr
		}
		return err
	})
	return out, pending, err
}

func approvalItem(tx *storage.Tx, a model.Approval, settings Settings, names map[uint64]string) (ApprovalItem, error) {
	item := ApprovalItem{Approval: a, Chars: tmpl.Count(a.Text)}
	kind := model.TextMessage
	if a.Kind == model.StepInvite {
		kind = model.TextNote
	}
	item.Limit = tmpl.Limit(kind, settings.MessageMaxChars)
	l, err := tx.Lead(a.LeadID)
	if err != nil {
		return item, err
	}
	item.LeadName, item.Company = l.Name(), l.Company
	if _, ok := names[a.CampaignID]; !ok {
		c, err := tx.Campaign(a.CampaignID)
		if err != nil {
			return item, err
		}
		names[a.CampaignID] = c.Name
	}
	item.CampaignName = names[a.CampaignID]
	if a.Reason != "" && !a.Edited {
		item.Problem = a.Reason
	} else if err := tmpl.CheckText(kind, a.Text, settings.MessageMaxChars); err != nil {
		item.Problem = model.PublicMessage(err)
	}
	return item, nil
}

func textKind(stepKind string) string {
	if stepKind == model.StepInvite {
		return model.TextNote
	}
	return model.TextMessage
}

// pendingApproval loads an approval that still waits for a decision.
func pendingApproval(tx *storage.Tx, id uint64) (model.Approval, error) {
	a, err := tx.Approval(id)
	if err != nil {
		return a, err
	}
	if a.Status != model.ApprovalPending {
		return a, model.Errorf(model.CodeConflict, "this draft was already %s by %s", a.Status, a.DecidedBy)
	}
	return a, nil
}

// EditApproval replaces a pending draft's text (it must pass the same
// rules as a rendered template).
func (s *Service) EditApproval(id uint64, text string, o model.Origin) (model.Approval, error) {
	var a model.Approval
	err := s.store.Update(func(tx *storage.Tx) error {
		var err error
		if a, err = pendingApproval(tx, id); err != nil {
			return err
		}
		settings, err := readSettings(tx)
		if err != nil {
			return err
		}
		text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
		if a.Reason != "" && !a.Edited && text == a.Text {
			return model.Errorf(model.CodeInvalid, "the text is unchanged and still has a problem: %s", a.Reason)
		}
		if strings.Contains(text, "{{") {
			return model.Errorf(model.CodeInvalid, "the text still has a {{variable}}; write the words you want sent")
		}
		if err := tmpl.CheckText(textKind(a.Kind), text, settings.MessageMaxChars); err != nil {
			return err
		}
		a.Text, a.Edited, a.Reason = text, true, ""
		if a, err = tx.PutApproval(a); err != nil {
			return err
		}
		_, err = tx.AppendLeadEvent(a.LeadID, leadEvent("approval.edited", o, map[string]any{"approval": a.ID, "campaign": a.CampaignID}))
		return err
	})
	return a, err
}

// Approve clears one draft for sending.
func (s *Service) Approve(id uint64, o model.Origin) (model.Approval, error) {
	var a model.Approval
	err := s.store.Update(func(tx *storage.Tx) (err error) {
		a, err = approveTx(tx, id, o)
		if err != nil {
			return err
		}
		return audit(tx, o, "campaign", "approval_approved", fmt.Sprintf("approval:%d", a.ID), map[string]string{"lead": fmt.Sprint(a.LeadID), "campaign": fmt.Sprint(a.CampaignID)})
	})
	return a, err
}

func approveTx(tx *storage.Tx, id uint64, o model.Origin) (model.Approval, error) {
	a, err := pendingApproval(tx, id)
	if err != nil {
		return a, err
	}
	settings, err := readSettings(tx)
	if err != nil {
		return a, err
	}
	if a.Reason != "" && !a.Edited {
		return a, model.Errorf(model.CodeInvalid, "this draft cannot be approved as it is: %s; edit the text first", a.Reason)
	}
	if err := tmpl.CheckText(textKind(a.Kind), a.Text, settings.MessageMaxChars); err != nil {
		return a, err
	}
	a.Status, a.DecidedBy, a.DecidedAt = model.ApprovalApproved, actorOf(o), tx.Now()
	if a, err = tx.PutApproval(a); err != nil {
		return a, err
	}
	_, err = tx.AppendLeadEvent(a.LeadID, leadEvent("approval.approved", o, map[string]any{"approval": a.ID, "campaign": a.CampaignID}))
	return a, err
}

// ApproveAll approves every pending draft (of one campaign, or all) that
// can be sent as it is; drafts with a problem stay in the queue.
func (s *Service) ApproveAll(campaignID uint64, o model.Origin) (approved, left int, err error) {
	err = s.store.Update(func(tx *storage.Tx) error {
		var ids []uint64
		if err := tx.PendingApprovals(func(a model.Approval) bool {
			if campaignID == 0 || a.CampaignID == campaignID {
				ids = append(ids, a.ID)
			}
			return true
		}); err != nil {
			return err
		}
		var done []uint64
		for _, id := range ids {
			if _, err := approveTx(tx, id, o); err != nil {
				if model.ErrorCode(err) == model.CodeInvalid {
					left++
					continue
				}
				return err
			}
			done = append(done, id)
		}
		approved = len(done)
		if approved == 0 {
			return nil
		}
		return audit(tx, o, "campaign", "approval_approved_all", fmt.Sprintf("campaign:%d", campaignID), map[string]string{"count": fmt.Sprint(approved), "approvals": idList(done)})
	})
	return approved, left, err
}

// RejectApproval refuses a draft: the lead leaves the campaign and is
// marked skipped, so nobody contacts them with that text.
func (s *Service) RejectApproval(id uint64, reason string, o model.Origin) (model.Approval, error) {
	var a model.Approval
	err := s.store.Update(func(tx *storage.Tx) error {
		var err error
		if a, err = pendingApproval(tx, id); err != nil {
			return err
		}
		reason = strings.TrimSpace(reason)
		if reason == "" {
			reason = "draft rejected by " + actorOf(o)
		}
		a.Status, a.Reason, a.DecidedBy, a.DecidedAt = model.ApprovalRejected, trim(reason, 200), actorOf(o), tx.Now()
		if a, err = tx.PutApproval(a); err != nil {
			return err
		}
		e, ok, err := tx.Enrolment(a.CampaignID, a.LeadID)
		if err != nil {
			return err
		}
		if ok && e.Status == model.EnrolActive {
			if err := exitEnrolment(tx, e, a.Reason, o); err != nil {
				return err
			}
		}
		l, err := tx.Lead(a.LeadID)
		if err != nil {
			return err
		}
		if model.CanTransition(l.State, model.LeadSkipped) {
			if err := moveLead(tx, &l, model.LeadSkipped, a.Reason, o, map[string]any{"approval": a.ID, "campaign": a.CampaignID}); err != nil {
				return err
			}
		}
		return audit(tx, o, "campaign", "approval_rejected", fmt.Sprintf("approval:%d", a.ID), map[string]string{"lead": fmt.Sprint(a.LeadID), "campaign": fmt.Sprint(a.CampaignID)})
	})
	return a, err
}
