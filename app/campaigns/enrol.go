package campaigns

import (
	"fmt"
	"net/url"

	"parley/app/campaigns/dnc"
	"parley/app/campaigns/sequence"
	"parley/app/model"
	"parley/storage"
)

// enrolBatch leads are enrolled per transaction.
const enrolBatch = 500

// EnrolResult counts what an enrolment did.
type EnrolResult struct {
	Enrolled    int `json:"enrolled"`
	Blacklisted int `json:"blacklisted"`
	// InOtherCampaign are leads left out because another campaign's
	// sequence is running for them.
	InOtherCampaign int `json:"in_other_campaign"`
	// Skipped are the other leads left out: not new or connected, or
	// already in this campaign.
	Skipped int `json:"skipped"`
}

// EnrolSource enrols the campaign's source leads that are new (or already
// connected) and in no other running sequence. Leads matching the
// do-not-contact list are blacklisted instead.
func (s *Service) EnrolSource(campaignID uint64, o model.Origin) (EnrolResult, error) {
	var c model.Campaign
	var q Query
	err := s.store.View(func(tx *storage.Tx) (err error) {
		if c, err = tx.Campaign(campaignID); err != nil {
			return err
		}
		if err := canEnrol(c); err != nil {
			return err
		}
		q, err = sourceQuery(c.Source)
		return err
	})
	if err != nil {
		return EnrolResult{}, err
	}
	var candidates []uint64
	err = s.store.View(func(tx *storage.Tx) error {
		return scanQuery(tx, q, func(r *storage.LeadRow) bool {
			// Every source lead that could be contacted is looked at, so
			// the result can say why some were left out.
			if r.State != model.LeadBlacklisted && r.State != model.LeadErased && r.CampaignID != c.ID {
				candidates = append(candidates, r.ID)
			}
			return true
		})
	})
	if err != nil {
		return EnrolResult{}, err
	}
	return s.enrol(campaignID, candidates, o)
}

// EnrolLeads enrols chosen leads (a bulk action on the leads page).
func (s *Service) EnrolLeads(campaignID uint64, leadIDs []uint64, o model.Origin) (EnrolResult, error) {
	if len(leadIDs) == 0 {
		return EnrolResult{}, model.Errorf(model.CodeInvalid, "select at least one lead")
	}
	return s.enrol(campaignID, leadIDs, o)
}

func sourceQuery(src model.LeadSource) (Query, error) {
	switch src.Kind {
	case model.SourceList:
		return Query{ListID: src.ListID}, nil
	case model.SourceTag:
		return Query{Tag: src.Tag}, nil
	case model.SourceFilter:
		v, err := url.ParseQuery(src.Filter)
		if err != nil {
			return Query{}, model.Errorf(model.CodeInvalid, "the saved filter is not valid")
		}
		return ParseQuery(v)
	}
	return Query{}, model.Errorf(model.CodeInvalid, "the campaign has no lead source")
}

// scanQuery calls fn with every row matching q in id order (q's order,
// cursor and limit are ignored).
func scanQuery(tx *storage.Tx, q Query, fn func(*storage.LeadRow) bool) error {
	text, tag := lowerTrim(q.Text), lowerTrim(q.Tag)
	var row storage.LeadRow
	var ferr error
	tx.ScanLeadRows(storage.OrderOldest, nil, func(_, raw []byte) bool {
		if ferr = storage.LeadRowOf(raw, &row); ferr != nil {
			return false
		}
		if (q.State != "" && row.State != q.State) || (q.Replied != nil && row.Replied != *q.Replied) || !row.Matches(text) || !q.matches(&row, tag) {
			return true
		}
		return fn(&row)
	})
	return ferr
}

func (s *Service) enrol(campaignID uint64, leadIDs []uint64, o model.Origin) (EnrolResult, error) {
	var res EnrolResult
	for start := 0; start < len(leadIDs); start += enrolBatch {
		batch := leadIDs[start:min(start+enrolBatch, len(leadIDs))]
		err := s.store.Update(func(tx *storage.Tx) error {
			r, err := enrolTx(tx, campaignID, batch, o)
			if err == nil {
				res.Enrolled += r.Enrolled
				res.Blacklisted += r.Blacklisted
				res.InOtherCampaign += r.InOtherCampaign
				res.Skipped += r.Skipped
			}
			return err
		})
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

func enrolTx(tx *storage.Tx, campaignID uint64, leadIDs []uint64, o model.Origin) (EnrolResult, error) {
	var res EnrolResult
	c, err := tx.Campaign(campaignID)
	if err != nil {
		return res, err
	}
	if err := canEnrol(c); err != nil {
		return res, err
	}
	m, err := matcher(tx)
	if err != nil {
		return res, err
	}
	next := tx.CampaignCounts(c.ID).Enrolled()
	var touched []uint64
	for _, id := range leadIDs {
		l, err := tx.Lead(id)
		if err != nil {
			return res, err
		}
		switch why := enrollable(tx, l, c.ID); why {
		case "":
		case "other":
			res.InOtherCampaign++
			continue
		default:
			res.Skipped++
			continue
		}
		if rule, hit := m.Match(l); hit {
			l.BlockedBy = dnc.Describe(rule)
			if err := moveLead(tx, &l, model.LeadBlacklisted, dncReason(rule), o, nil); err != nil {
				return res, err
			}
			res.Blacklisted++
			continue
		}
		e := model.Enrolment{CampaignID: c.ID, LeadID: l.ID, AccountID: c.AccountIDs[next%len(c.AccountIDs)],
			Status: model.EnrolActive, EnrolledAt: tx.Now(), UpdatedAt: tx.Now()}
		next++
		if l.State == model.LeadConnected {
			if err := sequence.Record(c.Steps, &e, sequence.Outcome{Kind: sequence.AlreadyConnected, At: tx.Now()}); err != nil {
				return res, err
			}
		} else {
			if err := model.CheckTransition(l.State, model.LeadQueued); err != nil {
				return res, err
			}
			l.State, l.StateAt = model.LeadQueued, tx.Now()
		}
		l.CampaignID, l.AccountID, l.UpdatedAt = c.ID, e.AccountID, tx.Now()
		if err := tx.SaveLead(l); err != nil {
			return res, err
		}
		if err := tx.PutEnrolment(e); err != nil {
			return res, err
		}
		if err := prepareStep(tx, c, e, l, o); err != nil {
			return res, err
		}
		touched = append(touched, l.ID)
		res.Enrolled++
	}
	if len(touched) == 0 {
		return res, nil
	}
	ev, err := tx.AppendEvent(campaignEvent("campaign.enrolled", c, o, map[string]any{"count": len(touched), "leads": idList(touched), "to": model.LeadQueued}))
	if err != nil {
		return res, err
	}
	for _, id := range touched {
		if err := tx.IndexLeadEvent(id, ev.Seq); err != nil {
			return res, err
		}
	}
	return res, audit(tx, o, "campaign", "campaign_enrol", fmt.Sprintf("campaign:%d", c.ID), map[string]string{"count": fmt.Sprint(len(touched)), "leads": idList(touched)})
}

func canEnrol(c model.Campaign) error {
	if c.State != model.CampaignActive && c.State != model.CampaignPaused {
		return model.Errorf(model.CodeConflict, "campaign %q is %s; activate it before adding leads", c.Name, c.State)
	}
	if len(c.AccountIDs) == 0 {
		return model.Errorf(model.CodeConflict, "campaign %q has no sender account", c.Name)
	}
	return nil
}

// enrollable says why a lead cannot join ("" when it can): only new or
// already-connected leads in no running sequence ("other") and never in
// this campaign before ("this"; "state" for the rest).
func enrollable(tx *storage.Tx, l model.Lead, campaignID uint64) string {
	enrols, err := tx.LeadEnrolments(l.ID)
	if err != nil {
		return "state"
	}
	for _, e := range enrols {
		switch {
		case e.CampaignID == campaignID:
			return "this"
		case e.Status == model.EnrolActive:
			return "other"
		}
	}
	if l.State != model.LeadNew && l.State != model.LeadConnected {
		return "state"
	}
	return ""
}

func matcher(tx *storage.Tx) (*dnc.Matcher, error) {
	entries, err := tx.DNCEntries()
	if err != nil {
		return nil, err
	}
	return dnc.NewMatcher(entries), nil
}

// endEnrolments ends every active enrolment of a campaign; queued leads
// that never heard from it become new again.
func endEnrolments(tx *storage.Tx, c model.Campaign, reason string, o model.Origin) error {
	var active []model.Enrolment
	if err := tx.Enrolments(c.ID, 0, func(e model.Enrolment) bool {
		if e.Status == model.EnrolActive {
			active = append(active, e)
		}
		return true
	}); err != nil {
		return err
	}
	for _, e := range active {
		if err := exitEnrolment(tx, e, reason, o); err != nil {
			return err
		}
	}
	return nil
}

// exitEnrolments ends a lead's active enrolments (the lead was
// blacklisted, skipped or erased).
func exitEnrolments(tx *storage.Tx, leadID uint64, reason string, o model.Origin) error {
	enrols, err := tx.LeadEnrolments(leadID)
	if err != nil {
		return err
	}
	for _, e := range enrols {
		if e.Status == model.EnrolActive {
			if err := exitEnrolment(tx, e, reason, o); err != nil {
				return err
			}
		}
	}
	return nil
}

func exitEnrolment(tx *storage.Tx, e model.Enrolment, reason string, o model.Origin) error {
	e.Status, e.Reason, e.UpdatedAt = model.EnrolExited, reason, tx.Now()
	if err := tx.PutEnrolment(e); err != nil {
		return err
	}
	if err := cancelDrafts(tx, e, reason); err != nil {
		return err
	}
	l, err := tx.Lead(e.LeadID)
	if err != nil {
		return err
	}
	if l.State == model.LeadQueued {
		return moveLead(tx, &l, model.LeadNew, reason, o, nil)
	}
	return nil
}

// cancelDrafts rejects a lead's pending drafts in a campaign.
func cancelDrafts(tx *storage.Tx, e model.Enrolment, reason string) error {
	for step := range e.Step + 1 {
		a, ok, err := tx.StepApproval(e.CampaignID, e.LeadID, step)
		if err != nil {
			return err
		}
		if ok && a.Status == model.ApprovalPending {
			a.Status, a.Reason, a.DecidedBy, a.DecidedAt = model.ApprovalRejected, reason, "parley", tx.Now()
			if _, err := tx.PutApproval(a); err != nil {
				return err
			}
		}
	}
	return nil
}
