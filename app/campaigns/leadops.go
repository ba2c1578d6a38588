package campaigns

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"parley/app/model"
	"parley/storage"
)

// LeadDetail is everything the lead page shows.
type LeadDetail struct {
	Lead       model.Lead
	Notes      []model.LeadNote
	Timeline   []model.Event
	Lists      []model.List
	Enrolments []model.Enrolment
}

// Lead returns a lead with its notes, timeline, lists and enrolments.
func (s *Service) Lead(id uint64) (LeadDetail, error) {
	var d LeadDetail
	err := s.store.View(func(tx *storage.Tx) (err error) {
		d, err = leadDetail(tx, id, 200)
		return err
	})
	return d, err
}

func leadDetail(tx *storage.Tx, id uint64, events int) (LeadDetail, error) {
	var d LeadDetail
	var err error
	if d.Lead, err = tx.Lead(id); err != nil {
		return d, err
	}
	if d.Notes, err = tx.LeadNotes(id); err != nil {
		return d, err
	}
	if d.Timeline, err = tx.LeadTimeline(id, events); err != nil {
		return d, err
	}
	if d.Enrolments, err = tx.LeadEnrolments(id); err != nil {
		return d, err
	}
	all, err := tx.Lists()
	for _, l := range all {
		if contains(d.Lead.Lists, l.ID) {
			d.Lists = append(d.Lists, l)
		}
	}
	return d, err
}

// AddNote records a manual note on a lead.
func (s *Service) AddNote(id uint64, text string, o model.Origin) (model.LeadNote, error) {
	text = strings.TrimSpace(text)
	if n := utf8.RuneCountInString(text); n < 1 || n > 5000 {
		return model.LeadNote{}, model.Errorf(model.CodeInvalid, "a note has 1 to 5000 characters")
	}
	var note model.LeadNote
	err := s.store.Update(func(tx *storage.Tx) error {
		l, err := tx.Lead(id)
		if err != nil {
			return err
		}
		if l.State == model.LeadErased {
			return errErasedLead
		}
		if note, err = tx.AddLeadNote(model.LeadNote{LeadID: id, At: tx.Now(), Author: actorOf(o), Text: text}); err != nil {
			return err
		}
		l.UpdatedAt = tx.Now()
		if err := tx.SaveLead(l); err != nil {
			return err
		}
		_, err = tx.AppendLeadEvent(id, leadEvent("lead.note", o, map[string]any{"note": note.Seq}))
		return err
	})
	return note, err
}

// Lists returns every list with its size.
func (s *Service) Lists() ([]ListInfo, error) {
	var out []ListInfo
	err := s.store.View(func(tx *storage.Tx) error {
		lists, err := tx.Lists()
		for _, l := range lists {
			out = append(out, ListInfo{List: l, Size: tx.ListSize(l.ID)})
		}
		return err
	})
	return out, err
}

// ListInfo is a list with its member count.
type ListInfo struct {
	model.List
	Size int `json:"size"`
}

// Counts returns the number of leads per state.
func (s *Service) Counts() map[model.LeadState]uint64 {
	var c map[model.LeadState]uint64
	s.store.View(func(tx *storage.Tx) error { c = tx.LeadCounts(); return nil })
	return c
}

// Bulk is an action on a selection of leads.
type Bulk struct {
	IDs    []uint64 `json:"ids"`
	Action string   `json:"action"` // tag, untag, list, campaign, blacklist, delete
	Tag    string   `json:"tag"`
	List   string   `json:"list"`
	// Campaign receives the leads for the "campaign" action.
	Campaign uint64 `json:"campaign"`
}

// maxBulk bounds one bulk action (one transaction).
const maxBulk = 1000

// ApplyBulk applies one action to every selected lead in one transaction:
// all of them change, or none. Deleting and blacklisting are audited.
func (s *Service) ApplyBulk(b Bulk, o model.Origin) (int, error) {
	if len(b.IDs) == 0 {
		return 0, model.Errorf(model.CodeInvalid, "select at least one lead")
	}
	if len(b.IDs) > maxBulk {
		return 0, model.Errorf(model.CodeInvalid, "select at most %d leads at a time", maxBulk)
	}
	tag := strings.TrimSpace(b.Tag)
	switch b.Action {
	case "tag", "untag":
		if tag == "" || len(tag) > 64 {
			return 0, model.Errorf(model.CodeInvalid, "give a tag of 1 to 64 characters")
		}
	case "list", "blacklist", "delete":
	case "campaign":
		if b.Campaign == 0 {
			return 0, model.Errorf(model.CodeInvalid, "choose the campaign to add the leads to")
		}
		// Enrolment skips leads that cannot join (already in a sequence,
		// not new) rather than refusing the whole selection.
		r, err := s.EnrolLeads(b.Campaign, b.IDs, o)
		return r.Enrolled, err
	default:
		return 0, model.Errorf(model.CodeInvalid, "unknown action %q: use tag, untag, list, campaign, blacklist or delete", b.Action)
	}
	err := s.store.Update(func(tx *storage.Tx) error {
		var list model.List
		if b.Action == "list" {
			var err error
			if list, err = ensureList(tx, b.List); err != nil {
				return err
			}
		}
		for _, id := range b.IDs {
			if err := s.bulkOne(tx, id, b.Action, tag, list, o); err != nil {
				return fmt.Errorf("lead %d: %w", id, err)
			}
		}
		if b.Action == "delete" || b.Action == "blacklist" {
			return audit(tx, o, "lead", "lead_bulk_"+b.Action, "leads", map[string]string{"count": fmt.Sprint(len(b.IDs)), "ids": idList(b.IDs)})
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(b.IDs), nil
}

func (s *Service) bulkOne(tx *storage.Tx, id uint64, action, tag string, list model.List, o model.Origin) error {
	l, err := tx.Lead(id)
	if err != nil {
		return err
	}
	if l.State == model.LeadErased && action != "delete" {
		return errErasedLead
	}
	switch action {
	case "delete":
		if err := forgetEnrolments(tx, id); err != nil {
			return err
		}
		if err := tx.DeleteLead(id); err != nil {
			return err
		}
		// No profile URL in the event: the log keeps no trace of who it was.
		_, err := tx.AppendEvent(leadEvent("lead.deleted", o, map[string]any{"lead": id}))
		return err
	case "blacklist":
		if l.State == model.LeadBlacklisted {
			return nil
		}
		l.BlockedBy = "marked by " + actorOf(o)
		if err := moveLead(tx, &l, model.LeadBlacklisted, "blacklisted by hand", o, nil); err != nil {
			return err
		}
		return exitEnrolments(tx, id, "blacklisted by "+actorOf(o), o)
	case "tag":
		l.Tags = mergeTags(l.Tags, []string{tag})
	case "untag":
		var kept []string
		for _, t := range l.Tags {
			if !strings.EqualFold(t, tag) {
				kept = append(kept, t)
			}
		}
		l.Tags = kept
	case "list":
		if contains(l.Lists, list.ID) {
			return nil
		}
		l.Lists = append(l.Lists, list.ID)
	}
	l.UpdatedAt = tx.Now()
	if err := tx.SaveLead(l); err != nil {
		return err
	}
	_, err = tx.AppendLeadEvent(id, leadEvent("lead."+action, o, map[string]any{"tag": tag, "list": list.Name}))
	return err
}

// errErasedLead refuses adding anything to an erased lead: its personal
// data stays gone.
var errErasedLead = model.Errorf(model.CodeConflict, "this person was erased; nothing can be added to the lead")

// forgetEnrolments removes a lead's enrolments and drafts (the lead is
// being deleted).
func forgetEnrolments(tx *storage.Tx, leadID uint64) error {
	drafts, err := tx.LeadApprovals(leadID)
	if err != nil {
		return err
	}
	for _, a := range drafts {
		if err := tx.DeleteApproval(a.ID); err != nil {
			return err
		}
	}
	enrols, err := tx.LeadEnrolments(leadID)
	if err != nil {
		return err
	}
	for _, e := range enrols {
		if err := tx.DeleteEnrolment(e.CampaignID, leadID); err != nil {
			return err
		}
	}
	return nil
}

func idList(ids []uint64) string {
	var b strings.Builder
	for i, id := range ids {
		if i == 20 {
			fmt.Fprintf(&b, " and %d more", len(ids)-20)
			break
		}
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, id)
	}
	return b.String()
}
