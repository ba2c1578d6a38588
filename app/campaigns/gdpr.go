package campaigns

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"parley/app/campaigns/dnc"
	"parley/app/model"
	"parley/storage"
)

// PersonData is everything Parley holds about one person (a data-subject
// access request).
type PersonData struct {
	ExportedAt time.Time         `json:"exported_at"`
	Lead       model.Lead        `json:"lead"`
	Lists      []model.List      `json:"lists"`
	Notes      []model.LeadNote  `json:"notes"`
	Timeline   []model.Event     `json:"timeline"`
	Enrolments []model.Enrolment `json:"enrolments"`
	Texts      []model.Approval  `json:"drafted_texts"`
	DNCMatch   string            `json:"do_not_contact_rule,omitempty"`
	Campaigns  map[uint64]string `json:"campaign_names,omitempty"`
	Accounts   map[uint64]string `json:"sender_account_names,omitempty"`
}

// PersonExport gathers everything held about one lead. Audited.
func (s *Service) PersonExport(leadID uint64, o model.Origin) (PersonData, error) {
	var p PersonData
	err := s.store.Update(func(tx *storage.Tx) error {
		d, err := leadDetail(tx, leadID, 10000)
		if err != nil {
			return err
		}
		p = PersonData{ExportedAt: tx.Now(), Lead: d.Lead, Lists: d.Lists, Notes: d.Notes, Timeline: d.Timeline,
			Campaigns: map[uint64]string{}, Accounts: map[uint64]string{}}
		if p.Enrolments, err = tx.LeadEnrolments(leadID); err != nil {
			return err
		}
		if p.Texts, err = tx.LeadApprovals(leadID); err != nil {
			return err
		}
		for _, e := range p.Enrolments {
			if c, err := tx.Campaign(e.CampaignID); err == nil {
				p.Campaigns[c.ID] = c.Name
			}
			if a, err := tx.Account(e.AccountID); err == nil {
				p.Accounts[a.ID] = a.Name
			}
		}
		m, err := matcher(tx)
		if err != nil {
			return err
		}
		if rule, hit := m.Match(p.Lead); hit {
			p.DNCMatch = dnc.Describe(rule)
		}
		return audit(tx, o, "lead", "person_exported", fmt.Sprintf("lead:%d", leadID), nil)
	})
	return p, err
}

// Erase removes a person's personal data: the lead keeps only its id,
// state "erased", dates and campaign ids; notes and drafted texts are
// deleted, import reports forget the profile, running sequences end. A
// salted hash of the profile is kept so a later import cannot add the
// person again without the explicit override. Audited.
func (s *Service) Erase(leadID uint64, reason string, o model.Origin) error {
	var files []string
	err := s.store.Update(func(tx *storage.Tx) error {
		l, err := tx.Lead(leadID)
		if err != nil {
			return err
		}
		if l.State == model.LeadErased {
			return model.Errorf(model.CodeConflict, "lead %d was already erased", leadID)
		}
		if err := tx.AddTombstone(l.ProfileKey); err != nil {
			return err
		}
		if err := scrub(tx, l, o, "erased on request"); err != nil {
			return err
		}
		if files, err = tx.ScrubLeadJobs(map[uint64]bool{l.ID: true}); err != nil {
			return err
		}
		return audit(tx, o, "lead", "person_erased", fmt.Sprintf("lead:%d", leadID), map[string]string{"reason": trim(reason, 200)})
	})
	if err == nil {
		s.removeEvidence(files)
	}
	return err
}

// scrub removes a lead's personal data and marks it erased.
func scrub(tx *storage.Tx, l model.Lead, o model.Origin, why string) error {
	if err := exitEnrolments(tx, l.ID, why, o); err != nil {
		return err
	}
	drafts, err := tx.LeadApprovals(l.ID)
	if err != nil {
		return err
	}
	for _, a := range drafts {
		a.Text = ""
		if a.Status == model.ApprovalPending {
			a.Status, a.Reason, a.DecidedBy, a.DecidedAt = model.ApprovalRejected, why, "parley", tx.Now()
		}
		if _, err := tx.PutApproval(a); err != nil {
			return err
		}
	}
	if err := tx.DeleteLeadNotes(l.ID); err != nil {
		return err
	}
	if _, err := tx.ScrubImportRejects(l.ProfileURL); err != nil {
		return err
	}
	from := l.State
	if err := model.CheckTransition(from, model.LeadErased); err != nil {
		return err
	}
	erased := model.Lead{ID: l.ID, ProfileKind: "erased", ProfileKey: fmt.Sprint(l.ID), FullName: "Erased person",
		State: model.LeadErased, StateAt: tx.Now(), CampaignID: l.CampaignID, AccountID: l.AccountID, Replied: l.Replied,
		Source: l.Source, CreatedAt: l.CreatedAt, UpdatedAt: tx.Now()}
	if err := tx.SaveLead(erased); err != nil {
		return err
	}
	_, err = tx.AppendLeadEvent(l.ID, leadEvent(model.LeadErased.EventType(), o, map[string]any{"from": from, "reason": why}))
	return err
}

// retentionBatch leads are purged per transaction.
const retentionBatch = 200

// PurgeInactive removes the personal data of leads with no change for the
// retention period (the setting retention_days; 0 = never). No tombstone
// is kept: the person did not ask to be forgotten, so a later import may
// add them again. Each batch is audited. It returns how many leads it
// purged.
func (s *Service) PurgeInactive(o model.Origin) (int, error) {
	st, err := s.Settings()
	if err != nil || st.RetentionDays == 0 {
		return 0, err
	}
	purged := 0
	for {
		n := 0
		var files []string
		err := s.store.Update(func(tx *storage.Tx) error {
			cutoff := tx.Now().Add(-time.Duration(st.RetentionDays) * 24 * time.Hour)
			var stale []uint64
			var row storage.LeadRow
			tx.ScanLeadRows(storage.OrderStale, nil, func(_, raw []byte) bool {
				if storage.LeadRowOf(raw, &row) != nil || !row.UpdatedAt.Before(cutoff) {
					return false
				}
				if row.State != model.LeadErased {
					stale = append(stale, row.ID)
				}
				return len(stale) < retentionBatch
			})
			for _, id := range stale {
				l, err := tx.Lead(id)
				if err != nil {
					return err
				}
				if err := scrub(tx, l, o, fmt.Sprintf("inactive for more than %d days (retention)", st.RetentionDays)); err != nil {
					return err
				}
			}
			n = len(stale)
			if n == 0 {
				return nil
			}
			set := map[uint64]bool{}
			for _, id := range stale {
				set[id] = true
			}
			if files, err = tx.ScrubLeadJobs(set); err != nil {
				return err
			}
			return audit(tx, o, "lead", "retention_purge", "leads", map[string]string{"count": fmt.Sprint(n), "ids": idList(stale), "retention_days": fmt.Sprint(st.RetentionDays)})
		})
		if err == nil {
			s.removeEvidence(files)
		}
		purged += n
		if err != nil || n < retentionBatch {
			return purged, err
		}
	}
}

// removeEvidence deletes the screenshots (and the page copies beside them)
// of an erased person's jobs. The records naming them are already
// scrubbed; a file that cannot be deleted is logged by name only.
func (s *Service) removeEvidence(files []string) {
	if s.evidence == "" {
		return
	}
	for _, f := range files {
		if !filepath.IsLocal(f) {
			continue
		}
		for _, rel := range []string{f, model.PageCopy(f)} {
			p := filepath.Join(s.evidence, filepath.FromSlash(rel))
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				s.log.Warn("an erased person's screenshot could not be deleted", "file", p, "error", err)
			}
		}
	}
}
