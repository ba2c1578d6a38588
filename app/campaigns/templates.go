package campaigns

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"parley/app/campaigns/tmpl"
	"parley/app/model"
	"parley/storage"
)

// TemplateInput is a template as typed in the form or sent to the API.
type TemplateInput struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	Body string `json:"body"`
}

func (in TemplateInput) check(tx *storage.Tx) (TemplateInput, error) {
	in.Name = strings.TrimSpace(in.Name)
	if n := utf8.RuneCountInString(in.Name); n < 1 || n > 80 {
		return in, model.Errorf(model.CodeInvalid, "a template name has 1 to 80 characters")
	}
	if in.Kind != model.TextNote && in.Kind != model.TextMessage {
		return in, model.Errorf(model.CodeInvalid, "kind must be %q (connection note, up to %d characters) or %q", model.TextNote, model.NoteMaxChars, model.TextMessage)
	}
	st, err := readSettings(tx)
	if err != nil {
		return in, err
	}
	err = tmpl.Validate(in.Body, in.Kind, st.MessageMaxChars, tx.LeadFields())
	return in, err
}

// CreateTemplate validates and stores a new template.
func (s *Service) CreateTemplate(in TemplateInput, o model.Origin) (model.Template, error) {
	var t model.Template
	err := s.store.Update(func(tx *storage.Tx) error {
		in, err := in.check(tx)
		if err != nil {
			return err
		}
		t, err = tx.CreateTemplate(model.Template{Name: in.Name, Kind: in.Kind, Body: in.Body, CreatedAt: tx.Now(), UpdatedAt: tx.Now()})
		if err != nil {
			return err
		}
		_, err = tx.AppendEvent(leadEvent("template.created", o, map[string]any{"template": t.ID, "name": t.Name}))
		return err
	})
	return t, err
}

// UpdateTemplate replaces a template's name, kind and text. Drafts already
// waiting for approval keep the text they were drafted with.
func (s *Service) UpdateTemplate(id uint64, in TemplateInput, o model.Origin) (model.Template, error) {
	var t model.Template
	err := s.store.Update(func(tx *storage.Tx) error {
		var err error
		if t, err = tx.Template(id); err != nil {
			return err
		}
		if in, err = in.check(tx); err != nil {
			return err
		}
		if in.Kind != t.Kind {
			if users := campaignsUsing(tx, id); len(users) > 0 {
				return model.Errorf(model.CodeConflict, "template %q is used by %s; a %s cannot become a %s while in use", t.Name, strings.Join(users, ", "), t.Kind, in.Kind)
			}
		}
		t.Name, t.Kind, t.Body, t.UpdatedAt = in.Name, in.Kind, in.Body, tx.Now()
		if err := tx.PutTemplate(t); err != nil {
			return err
		}
		_, err = tx.AppendEvent(leadEvent("template.updated", o, map[string]any{"template": t.ID, "name": t.Name}))
		return err
	})
	return t, err
}

// ArchiveTemplate hides a template from new steps; campaigns using it keep
// working.
func (s *Service) ArchiveTemplate(id uint64, o model.Origin) (model.Template, error) {
	var t model.Template
	err := s.store.Update(func(tx *storage.Tx) error {
		var err error
		if t, err = tx.Template(id); err != nil {
			return err
		}
		if !t.ArchivedAt.IsZero() {
			return nil
		}
		t.ArchivedAt = tx.Now()
		if err := tx.PutTemplate(t); err != nil {
			return err
		}
		_, err = tx.AppendEvent(leadEvent("template.archived", o, map[string]any{"template": t.ID, "name": t.Name}))
		return err
	})
	return t, err
}

// campaignsUsing names the unarchived campaigns whose steps use a template.
func campaignsUsing(tx *storage.Tx, templateID uint64) []string {
	all, _ := tx.Campaigns()
	var out []string
	for _, c := range all {
		if c.State == model.CampaignArchived {
			continue
		}
		for _, st := range c.Steps {
			for _, v := range st.Variants {
				if v.TemplateID == templateID {
					out = append(out, fmt.Sprintf("campaign %q", c.Name))
				}
			}
		}
	}
	return out
}

// Templates returns the templates, archived ones only when asked.
func (s *Service) Templates(withArchived bool) ([]model.Template, error) {
	var out []model.Template
	err := s.store.View(func(tx *storage.Tx) error {
		all, err := tx.Templates()
		for _, t := range all {
			if withArchived || t.ArchivedAt.IsZero() {
				out = append(out, t)
			}
		}
		return err
	})
	return out, err
}

// Template returns one template.
func (s *Service) Template(id uint64) (model.Template, error) {
	var t model.Template
	err := s.store.View(func(tx *storage.Tx) (err error) {
		t, err = tx.Template(id)
		return err
	})
	return t, err
}

// TextPreview is a text rendered for one real lead.
type TextPreview struct {
	LeadID  uint64 `json:"lead_id"`
	Lead    string `json:"lead"`
	Text    string `json:"text"`
	Chars   int    `json:"chars"`
	Limit   int    `json:"limit"`
	Problem string `json:"problem,omitempty"`
}

// LeadFields returns the custom field names leads have had (the variables
// templates may use besides the standard ones).
func (s *Service) LeadFields() []string {
	var out []string
	s.store.View(func(tx *storage.Tx) error { out = tx.LeadFields(); return nil })
	return out
}

// PreviewTemplate renders a body (saved or not) against the given leads,
// or against the newest few leads when none are given. A body that could
// not be saved (unknown variable, bad syntax) is refused with the same
// message saving would give.
func (s *Service) PreviewTemplate(body, kind string, leadIDs []uint64) ([]TextPreview, error) {
	if kind != model.TextNote && kind != model.TextMessage {
		kind = model.TextMessage
	}
	var out []TextPreview
	err := s.store.View(func(tx *storage.Tx) error {
		st, err := readSettings(tx)
		if err != nil {
			return err
		}
		if err := tmpl.Validate(body, kind, st.MessageMaxChars, tx.LeadFields()); err != nil {
			return err
		}
		t, err := tmpl.Parse(body)
		if err != nil {
			return err
		}
		if len(leadIDs) == 0 {
			tx.ScanLeadRows(storage.OrderNewest, nil, func(key, raw []byte) bool {
				var r storage.LeadRow
				if storage.LeadRowOf(raw, &r) == nil {
					leadIDs = append(leadIDs, r.ID)
				}
				return len(leadIDs) < 5
			})
		}
		for _, id := range leadIDs {
			l, err := tx.Lead(id)
			if err != nil {
				return err
			}
			r := tmpl.Preview(t, kind, st.MessageMaxChars, l)
			p := TextPreview{LeadID: l.ID, Lead: l.Name(), Text: r.Text, Chars: r.Chars, Limit: r.Limit}
			if r.Err != nil {
				p.Problem = model.PublicMessage(r.Err)
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}
