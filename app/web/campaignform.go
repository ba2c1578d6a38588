package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"parley/app/campaigns"
	"parley/app/campaigns/sequence"
	"parley/app/model"
	"parley/views/pages"
)

// The campaign form. Its steps editor works without JavaScript: every
// editor button submits the whole form with an op, the server applies the
// change to what was typed and renders the form again; only "save" stores.

func (s *Server) newCampaignPage(c echo.Context) error {
	return s.renderCampaignForm(c, http.StatusOK, 0, pages.CampaignValues{SourceKind: model.SourceList}, "", "")
}

func (s *Server) editCampaignPage(c echo.Context) error {
	id, err := campaignID(c)
	if err != nil {
		return err
	}
	ci, err := s.o.Campaigns.Campaign(id)
	if err != nil {
		return err
	}
	return s.renderCampaignForm(c, http.StatusOK, id, campaignValues(ci.Campaign), "", "")
}

// campaignFormPost serves both forms (no id: new) for the editor's ops
// and for saving.
func (s *Server) campaignFormPost(c echo.Context) error {
	var id uint64
	if c.Param("id") != "" {
		var err error
		if id, err = campaignID(c); err != nil {
			return err
		}
		if _, err := s.o.Campaigns.Campaign(id); err != nil {
			return err
		}
	}
	form, err := c.FormParams()
	if err != nil {
		return model.Errorf(model.CodeInvalid, "the form could not be read; reload the page and try again")
	}
	v := readCampaignForm(form)
	op := form.Get("op")
	if op != "" && op != "save" {
		notice, err := applyEditorOp(&v, op, form.Get("new_kind"))
		if err != nil {
			return s.renderCampaignForm(c, http.StatusBadRequest, id, v, sentence(model.PublicMessage(err)), "")
		}
		return s.renderCampaignForm(c, http.StatusOK, id, v, "", notice)
	}
	fillVariantKeys(&v)
	in, err := s.campaignInput(id, v)
	if err == nil {
		var saved model.Campaign
		if id == 0 {
			saved, err = s.o.Campaigns.CreateCampaign(in, s.originOf(c))
		} else {
			saved, err = s.o.Campaigns.UpdateCampaign(id, in, s.originOf(c))
		}
		if err == nil {
			return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/campaigns/%d?saved=1", saved.ID))
		}
	}
	if status := s.statusOf(err); status < 500 && status != http.StatusNotFound {
		return s.renderCampaignForm(c, status, id, v, sentence(model.PublicMessage(err)), "")
	}
	return err
}

// maxFormSteps bounds what a posted form may carry; the sequence rules
// (sequence.MaxSteps) say the rest.
const maxFormSteps = 20

// readCampaignForm reads the form as typed, numbers left as text.
func readCampaignForm(f url.Values) pages.CampaignValues {
	v := pages.CampaignValues{
		Name: f.Get("name"), SourceKind: f.Get("source_kind"), ListID: f.Get("source_list"), Tag: f.Get("source_tag"),
		Filter: f.Get("source_filter"), Invites: f.Get("limit_invites"), Messages: f.Get("limit_messages"), Visits: f.Get("limit_visits"),
	}
	for _, raw := range f["account_ids"] {
		if id, err := strconv.ParseUint(raw, 10, 64); err == nil && !slices.Contains(v.AccountIDs, id) {
			v.AccountIDs = append(v.AccountIDs, id)
		}
	}
	for i := 0; i < maxFormSteps && f.Has(fmt.Sprintf("s%d.kind", i)); i++ {
		p := fmt.Sprintf("s%d.", i)
		st := pages.StepValues{Kind: f.Get(p + "kind"), Delay: f.Get(p + "delay"), Wait: f.Get(p + "wait"),
			OnTimeout: f.Get(p + "timeout"), Approval: f.Get(p+"approval") != ""}
		for j := 0; j < 2*sequence.MaxVariants && f.Has(fmt.Sprintf("%sv%d.key", p, j)); j++ {
			q := fmt.Sprintf("%sv%d.", p, j)
			st.Variants = append(st.Variants, pages.VariantValues{Key: f.Get(q + "key"), TemplateID: f.Get(q + "template"), Weight: f.Get(q + "weight")})
		}
		v.Steps = append(v.Steps, st)
	}
	return v
}

// campaignValues fills the form from a stored campaign.
func campaignValues(c model.Campaign) pages.CampaignValues {
	v := pages.CampaignValues{Name: c.Name, AccountIDs: c.AccountIDs, SourceKind: c.Source.Kind, Tag: c.Source.Tag, Filter: c.Source.Filter,
		Invites: strconv.Itoa(c.Limits.InvitesPerDay), Messages: strconv.Itoa(c.Limits.MessagesPerDay), Visits: strconv.Itoa(c.Limits.VisitsPerDay)}
	if c.Source.ListID != 0 {
		v.ListID = strconv.FormatUint(c.Source.ListID, 10)
	}
	for _, st := range c.Steps {
		sv := pages.StepValues{Kind: st.Kind, OnTimeout: st.OnTimeout, Approval: st.Approval}
		if st.Kind == model.StepMessage || st.Kind == model.StepFollowUp {
			sv.Delay = strconv.Itoa(st.DelayDays)
		}
		if st.Kind == model.StepWaitAccept {
			sv.Wait = strconv.Itoa(st.WaitDays)
		}
		for _, va := range st.Variants {
			sv.Variants = append(sv.Variants, pages.VariantValues{Key: va.Key, TemplateID: strconv.FormatUint(va.TemplateID, 10), Weight: strconv.Itoa(va.Weight)})
		}
		v.Steps = append(v.Steps, sv)
	}
	return v
}

// newStepValues is a fresh step row with sensible defaults.
func newStepValues(kind string) pages.StepValues {
	st := pages.StepValues{Kind: kind}
	switch kind {
	case model.StepWaitAccept:
		st.Wait, st.OnTimeout = "14", model.TimeoutWithdraw
	case model.StepMessage:
		st.Delay, st.Variants = "2", []pages.VariantValues{{}}
	case model.StepFollowUp:
		st.Delay, st.Variants = "4", []pages.VariantValues{{}}
	}
	return st
}

// applyEditorOp applies one steps-editor button to the typed form and
// says what it did.
func applyEditorOp(v *pages.CampaignValues, op, newKind string) (string, error) {
	name, args, _ := strings.Cut(op, ".")
	var idx []int
	for _, a := range strings.Split(args, ".") {
		if a == "" {
			continue
		}
		n, err := strconv.Atoi(a)
		if err != nil || n < 0 {
			return "", model.Errorf(model.CodeInvalid, "the form's button %q is not understood; reload the page", truncate(op, 40))
		}
		idx = append(idx, n)
	}
	step := func() (int, error) {
		if len(idx) == 0 || idx[0] >= len(v.Steps) {
			return 0, model.Errorf(model.CodeInvalid, "that step is no longer in the form; check the steps and try again")
		}
		return idx[0], nil
	}
	switch name {
	case "refresh":
		return "Accounts, lists and templates reloaded. Nothing is saved yet.", nil
	case "quickstart":
		if len(v.Steps) > 0 {
			return "", model.Errorf(model.CodeInvalid, "the quick start only fills an empty sequence; remove the steps first")
		}
		invite := newStepValues(model.StepInvite)
		invite.Variants = []pages.VariantValues{{}}
		v.Steps = []pages.StepValues{invite, newStepValues(model.StepWaitAccept), newStepValues(model.StepMessage)}
		return "Added the two-step template: invite with a note, wait up to 14 days, message 2 days after acceptance. Pick the note and message templates, then Save.", nil
	case "add_step":
		if !slices.Contains(pages.StepKinds, newKind) {
			return "", model.Errorf(model.CodeInvalid, "%q is not a step kind; pick one from the list", truncate(newKind, 20))
		}
		if len(v.Steps) >= sequence.MaxSteps {
			return "", model.Errorf(model.CodeInvalid, "a sequence has at most %d steps", sequence.MaxSteps)
		}
		v.Steps = append(v.Steps, newStepValues(newKind))
		return fmt.Sprintf("Step %d added. Nothing is saved yet.", len(v.Steps)), nil
	case "remove_step":
		i, err := step()
		if err != nil {
			return "", err
		}
		v.Steps = append(v.Steps[:i], v.Steps[i+1:]...)
		return fmt.Sprintf("Step %d removed. Nothing is saved yet.", i+1), nil
	case "up":
		i, err := step()
		if err != nil || i == 0 {
			return "", model.Errorf(model.CodeInvalid, "that step cannot move up")
		}
		v.Steps[i-1], v.Steps[i] = v.Steps[i], v.Steps[i-1]
		return fmt.Sprintf("Step %d moved up. Nothing is saved yet.", i+1), nil
	case "add_variant":
		i, err := step()
		if err != nil {
			return "", err
		}
		if len(v.Steps[i].Variants) >= sequence.MaxVariants {
			return "", model.Errorf(model.CodeInvalid, "a step has at most %d templates", sequence.MaxVariants)
		}
		v.Steps[i].Variants = append(v.Steps[i].Variants, pages.VariantValues{})
		return fmt.Sprintf("Template row added to step %d. Nothing is saved yet.", i+1), nil
	case "remove_variant":
		i, err := step()
		if err != nil {
			return "", err
		}
		if len(idx) < 2 || idx[1] >= len(v.Steps[i].Variants) {
			return "", model.Errorf(model.CodeInvalid, "that template row is no longer in the form; check step %d and try again", i+1)
		}
		vs := v.Steps[i].Variants
		v.Steps[i].Variants = append(vs[:idx[1]:idx[1]], vs[idx[1]+1:]...)
		return fmt.Sprintf("Template row removed from step %d. Nothing is saved yet.", i+1), nil
	}
	return "", model.Errorf(model.CodeInvalid, "the form's button %q is not understood; reload the page", truncate(op, 40))
}

// fillVariantKeys names new template rows the way the service will (A, B,
// … skipping letters taken), so the form shows the keys saved.
func fillVariantKeys(v *pages.CampaignValues) {
	steps := make([]model.Step, len(v.Steps))
	for i, st := range v.Steps {
		for _, va := range st.Variants {
			steps[i].Variants = append(steps[i].Variants, model.Variant{Key: va.Key, Weight: 1})
		}
	}
	for i, st := range sequence.Normalize(steps) {
		for j := range st.Variants {
			v.Steps[i].Variants[j].Key = st.Variants[j].Key
		}
	}
}

// campaignInput turns the typed form into the service's input. A number
// that is not a number is refused naming the field; a blank limit takes
// the free share of the chosen accounts.
func (s *Server) campaignInput(id uint64, v pages.CampaignValues) (campaigns.CampaignInput, error) {
	in := campaigns.CampaignInput{Name: v.Name, AccountIDs: v.AccountIDs, Source: model.LeadSource{Kind: v.SourceKind}}
	switch v.SourceKind {
	case model.SourceList:
		n, err := strconv.ParseUint(v.ListID, 10, 64)
		if err != nil || n == 0 {
			return in, model.Errorf(model.CodeInvalid, "choose the list whose leads the campaign takes")
		}
		in.Source.ListID = n
	case model.SourceTag:
		in.Source.Tag = v.Tag
	case model.SourceFilter:
		f := strings.TrimSpace(v.Filter)
		if _, after, ok := strings.Cut(f, "?"); ok {
			f = after // a whole leads-page address was pasted
		}
		in.Source.Filter = f
	}
	num := func(field, text string) (int, bool, error) {
		text = strings.TrimSpace(text)
		if text == "" {
			return 0, true, nil
		}
		n, err := strconv.Atoi(text)
		if err != nil {
			return 0, false, model.Errorf(model.CodeInvalid, "%s: %q is not a whole number", field, truncate(text, 20))
		}
		return n, false, nil
	}
	var err error
	if in.Limits.InvitesPerDay, _, err = num("Invites a day", v.Invites); err != nil {
		return in, err
	}
	if in.Limits.MessagesPerDay, _, err = num("Messages a day", v.Messages); err != nil {
		return in, err
	}
	if in.Limits.VisitsPerDay, _, err = num("Profile visits a day", v.Visits); err != nil {
		return in, err
	}
	// A blank (or 0) limit takes the free share: the service fills it for
	// every action the steps take.
	for i, sv := range v.Steps {
		st := model.Step{Kind: sv.Kind, Approval: sv.Approval}
		where := fmt.Sprintf("Step %d", i+1)
		if st.DelayDays, _, err = num(where+": days", sv.Delay); err != nil {
			return in, err
		}
		if st.Kind == model.StepWaitAccept {
			st.OnTimeout = sv.OnTimeout
			if st.WaitDays, _, err = num(where+": wait days", sv.Wait); err != nil {
				return in, err
			}
		}
		for _, va := range sv.Variants {
			var t uint64
			if strings.TrimSpace(va.TemplateID) == "" {
				fix := "pick a template or remove the row"
				if st.Kind == model.StepInvite {
					fix = "pick a note template, or remove the row to send the invite without a note"
				}
				return in, model.Errorf(model.CodeInvalid, "%s (%s), variant %s has no template: %s", where, strings.ReplaceAll(sv.Kind, "_", " "), va.Key, fix)
			}
			if t, err = strconv.ParseUint(va.TemplateID, 10, 64); err != nil {
				return in, model.Errorf(model.CodeInvalid, "%s: pick a template from the list", where)
			}
			w, _, err := num(where+", variant "+va.Key+": weight", va.Weight)
			if err != nil {
				return in, err
			}
			st.Variants = append(st.Variants, model.Variant{Key: va.Key, TemplateID: t, Weight: w})
		}
		in.Steps = append(in.Steps, st)
	}
	return in, nil
}

// renderCampaignForm shows the form with what was typed, the choices
// (accounts with their limits, lists, templates) and a message.
func (s *Server) renderCampaignForm(c echo.Context, status int, id uint64, form pages.CampaignValues, msg, notice string) error {
	fillVariantKeys(&form)
	v := pages.CampaignFormView{ID: id, Form: form, Error: msg, Notice: notice, NextKind: nextStepKind(form.Steps)}
	if id != 0 {
		ci, err := s.o.Campaigns.Campaign(id)
		if err != nil {
			return err
		}
		v.State, v.Enrolled = ci.State, ci.Counts.Enrolled()
	}
	accts, err := s.o.Accounts.List(true)
	if err != nil {
		return err
	}
	use, err := s.o.Campaigns.Allocated(id)
	if err != nil {
		return err
	}
	for _, a := range accts {
		if a.Archived() && !form.HasAccount(a.ID) {
			continue
		}
		v.Accounts = append(v.Accounts, pages.CampaignAccount{ID: a.ID, Name: a.Name, Archived: a.Archived(), Limits: a.Limits, Used: use[a.ID]})
	}
	lists, err := s.o.Campaigns.Lists()
	if err != nil {
		return err
	}
	for _, l := range lists {
		v.Lists = append(v.Lists, pages.ListOption{ID: l.ID, Name: l.Name, Size: l.Size})
	}
	tmpls, err := s.o.Campaigns.Templates(true)
	if err != nil {
		return err
	}
	for _, t := range tmpls {
		o := pages.TemplateOption{ID: t.ID, Name: t.Name, Archived: !t.ArchivedAt.IsZero()}
		if t.Kind == model.TextNote {
			v.NoteTemplates = append(v.NoteTemplates, o)
		} else {
			v.MessageTemplates = append(v.MessageTemplates, o)
		}
	}
	title := "New campaign"
	if id != 0 {
		title = "Edit campaign"
	}
	return s.render(c, status, pages.CampaignForm(s.layout(c, title, "campaigns"), v))
}

// nextStepKind proposes the step that usually follows the last one.
func nextStepKind(steps []pages.StepValues) string {
	if len(steps) == 0 {
		return model.StepInvite
	}
	switch steps[len(steps)-1].Kind {
	case model.StepVisit:
		return model.StepInvite
	case model.StepInvite:
		return model.StepWaitAccept
	case model.StepWaitAccept:
		return model.StepMessage
	}
	return model.StepFollowUp
}
