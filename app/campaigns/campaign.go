package campaigns

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"parley/app/campaigns/sequence"
	"parley/app/model"
	"parley/storage"
)

// CampaignInput is a campaign as edited in the form or sent to the API.
type CampaignInput struct {
	Name       string               `json:"name"`
	AccountIDs []uint64             `json:"account_ids"`
	Source     model.LeadSource     `json:"source"`
	Steps      []model.Step         `json:"steps"`
	Limits     model.CampaignLimits `json:"limits"`
}

// CampaignInfo is a campaign with its enrolment counts.
type CampaignInfo struct {
	model.Campaign
	Counts storage.CampaignCounts `json:"counts"`
}

// CreateCampaign stores a draft campaign. Limits left at zero, for actions
// the steps take, get the share of the accounts' limits no other campaign
// uses.
func (s *Service) CreateCampaign(in CampaignInput, o model.Origin) (model.Campaign, error) {
	var c model.Campaign
	err := s.store.Update(func(tx *storage.Tx) error {
		c = model.Campaign{State: model.CampaignDraft, CreatedAt: tx.Now(), StateAt: tx.Now()}
		if err := applyInput(tx, &c, in, false); err != nil {
			return err
		}
		c.UpdatedAt = tx.Now()
		var err error
		if c, err = tx.CreateCampaign(c); err != nil {
			return err
		}
		_, err = tx.AppendEvent(campaignEvent("campaign.created", c, o, nil))
		return err
	})
	return c, err
}

// UpdateCampaign changes a draft or paused campaign. Once leads are
// enrolled, texts, delays, approvals and limits may change but the steps
// themselves (their number, kinds and order) may not.
func (s *Service) UpdateCampaign(id uint64, in CampaignInput, o model.Origin) (model.Campaign, error) {
	var c model.Campaign
	err := s.store.Update(func(tx *storage.Tx) error {
		var err error
		if c, err = tx.Campaign(id); err != nil {
			return err
		}
		switch c.State {
		case model.CampaignActive:
			return model.Errorf(model.CodeConflict, "campaign %q is running; pause it before changing it", c.Name)
		case model.CampaignCompleted, model.CampaignArchived:
			return model.Errorf(model.CodeConflict, "campaign %q is %s and can no longer change", c.Name, c.State)
		}
		if enrolled := tx.CampaignCounts(id).Enrolled(); enrolled > 0 && !sameShape(c.Steps, in.Steps) {
			return model.Errorf(model.CodeConflict, "%d leads are already in this sequence: you can change texts, delays, approvals and limits, but not add, remove or reorder steps; create a new campaign for a different sequence", enrolled)
		}
		if err := applyInput(tx, &c, in, c.State != model.CampaignDraft); err != nil {
			return err
		}
		c.UpdatedAt = tx.Now()
		if err := tx.PutCampaign(c); err != nil {
			return err
		}
		_, err = tx.AppendEvent(campaignEvent("campaign.updated", c, o, nil))
		return err
	})
	return c, err
}

func sameShape(a, b []model.Step) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Kind != b[i].Kind {
			return false
		}
	}
	return true
}

// applyInput validates in and copies it onto c. strict applies the rules
// a running campaign must meet (see checkRunnable).
func applyInput(tx *storage.Tx, c *model.Campaign, in CampaignInput, strict bool) error {
	name := strings.TrimSpace(in.Name)
	if n := utf8.RuneCountInString(name); n < 1 || n > 80 {
		return model.Errorf(model.CodeInvalid, "a campaign name has 1 to 80 characters")
	}
	accounts, err := campaignAccounts(tx, in.AccountIDs)
	if err != nil {
		return err
	}
	src, err := checkSource(tx, in.Source)
	if err != nil {
		return err
	}
	steps := sequence.Normalize(in.Steps)
	if len(steps) > 0 {
		if err := sequence.Validate(steps); err != nil {
			return err
		}
		if err := checkStepTemplates(tx, steps, c.Steps); err != nil {
			return err
		}
	}
	limits := in.Limits
	if len(accounts) > 0 {
		limits = fillFreeShare(tx, c.ID, accounts, steps, limits)
	}
	c.Name, c.AccountIDs, c.Source, c.Steps, c.Limits = name, ids(accounts), src, steps, limits
	if err := checkAllocation(tx, *c, accounts); err != nil {
		return err
	}
	if strict {
		return checkRunnable(tx, *c)
	}
	return nil
}

func ids(accounts []model.Account) []uint64 {
	out := make([]uint64, len(accounts))
	for i, a := range accounts {
		out[i] = a.ID
	}
	return out
}

func campaignAccounts(tx *storage.Tx, idList []uint64) ([]model.Account, error) {
	var out []model.Account
	seen := map[uint64]bool{}
	for _, id := range idList {
		if seen[id] {
			continue
		}
		seen[id] = true
		a, err := tx.Account(id)
		if err != nil {
			return nil, err
		}
		if a.Archived() {
			return nil, model.Errorf(model.CodeInvalid, "sender account %q is archived; pick another", a.Name)
		}
		out = append(out, a)
	}
	if len(out) > 20 {
		return nil, model.Errorf(model.CodeInvalid, "a campaign has at most 20 sender accounts")
	}
	return out, nil
}

func checkSource(tx *storage.Tx, src model.LeadSource) (model.LeadSource, error) {
	switch src.Kind {
	case model.SourceList:
		l, err := listByID(tx, src.ListID)
		if err != nil {
			return src, err
		}
		return model.LeadSource{Kind: src.Kind, ListID: l.ID}, nil
	case model.SourceTag:
		tag := strings.TrimSpace(src.Tag)
		if tag == "" || len(tag) > 64 {
			return src, model.Errorf(model.CodeInvalid, "give the tag whose leads the campaign takes (1 to 64 characters)")
		}
		return model.LeadSource{Kind: src.Kind, Tag: tag}, nil
	case model.SourceFilter:
		v, err := url.ParseQuery(strings.TrimPrefix(strings.TrimSpace(src.Filter), "?"))
		if err != nil {
			return src, model.Errorf(model.CodeInvalid, "the saved filter is not a valid query string (copy it from the leads page address)")
		}
		if _, err := ParseQuery(v); err != nil {
			return src, err
		}
		f := FilterString(v)
		if f == "" {
			return src, model.Errorf(model.CodeInvalid, "the saved filter selects every lead; add at least one condition")
		}
		return model.LeadSource{Kind: src.Kind, Filter: f}, nil
	case "":
		return src, model.Errorf(model.CodeInvalid, "choose where the campaign's leads come from: a list, a tag or a saved filter")
	}
	return src, model.Errorf(model.CodeInvalid, "lead source %q is unknown: use list, tag or filter", src.Kind)
}

func listByID(tx *storage.Tx, id uint64) (model.List, error) {
	lists, err := tx.Lists()
	if err != nil {
		return model.List{}, err
	}
	for _, l := range lists {
		if l.ID == id {
			return l, nil
		}
	}
	return model.List{}, model.Errorf(model.CodeInvalid, "list %d does not exist; pick one of your lists", id)
}

// checkStepTemplates makes sure every variant names a template of the
// right kind. Archived templates may stay where they already were.
func checkStepTemplates(tx *storage.Tx, steps, before []model.Step) error {
	had := map[uint64]bool{}
	for _, st := range before {
		for _, v := range st.Variants {
			had[v.TemplateID] = true
		}
	}
	for i, st := range steps {
		for _, v := range st.Variants {
			t, err := tx.Template(v.TemplateID)
			if err != nil {
				return model.Errorf(model.CodeInvalid, "step %d, variant %s: template %d does not exist", i+1, v.Key, v.TemplateID)
			}
			if t.Kind != st.TextKind() {
				return model.Errorf(model.CodeInvalid, "step %d (%s), variant %s: template %q is a %s template; this step needs a %s template", i+1, st.Kind, v.Key, t.Name, t.Kind, st.TextKind())
			}
			if !t.ArchivedAt.IsZero() && !had[t.ID] {
				return model.Errorf(model.CodeInvalid, "step %d, variant %s: template %q is archived", i+1, v.Key, t.Name)
			}
		}
	}
	return nil
}

// allocated sums the limits of the other running (active or paused)
// campaigns that use an account. Drafts reserve nothing: their share is
// checked again when they are activated.
func allocated(tx *storage.Tx, except uint64, accountID uint64) model.CampaignLimits {
	var sum model.CampaignLimits
	all, _ := tx.Campaigns()
	for _, c := range all {
		if c.ID == except || (c.State != model.CampaignActive && c.State != model.CampaignPaused) || !contains(c.AccountIDs, accountID) {
			continue
		}
		sum.InvitesPerDay += c.Limits.InvitesPerDay
		sum.MessagesPerDay += c.Limits.MessagesPerDay
		sum.VisitsPerDay += c.Limits.VisitsPerDay
	}
	return sum
}

// fillFreeShare gives every limit left at 0, for an action the steps take,
// the share of the accounts' limits no other campaign uses.
func fillFreeShare(tx *storage.Tx, campaignID uint64, accounts []model.Account, steps []model.Step, l model.CampaignLimits) model.CampaignLimits {
	free := freeShare(tx, campaignID, accounts)
	uses := map[string]bool{}
	for _, st := range steps {
		uses[st.Kind] = true
	}
	if l.InvitesPerDay == 0 && uses[model.StepInvite] {
		l.InvitesPerDay = free.InvitesPerDay
	}
	if l.MessagesPerDay == 0 && (uses[model.StepMessage] || uses[model.StepFollowUp]) {
		l.MessagesPerDay = free.MessagesPerDay
	}
	if l.VisitsPerDay == 0 && uses[model.StepVisit] {
		l.VisitsPerDay = free.VisitsPerDay
	}
	return l
}

// Allocated sums, per sender account, the daily limits of the live
// campaigns other than except (the numbers a new share must fit beside).
func (s *Service) Allocated(except uint64) (map[uint64]model.CampaignLimits, error) {
	out := map[uint64]model.CampaignLimits{}
	err := s.store.View(func(tx *storage.Tx) error {
		accounts, err := tx.Accounts(true)
		for _, a := range accounts {
			out[a.ID] = allocated(tx, except, a.ID)
		}
		return err
	})
	return out, err
}

// freeShare is the part of every account's limits no other campaign has
// taken (the smallest across the accounts).
func freeShare(tx *storage.Tx, campaignID uint64, accounts []model.Account) model.CampaignLimits {
	var free model.CampaignLimits
	for i, a := range accounts {
		used := allocated(tx, campaignID, a.ID)
		f := model.CampaignLimits{
			InvitesPerDay:  max(a.Limits.InvitesPerDay-used.InvitesPerDay, 0),
			MessagesPerDay: max(a.Limits.MessagesPerDay-used.MessagesPerDay, 0),
			VisitsPerDay:   max(a.Limits.VisitsPerDay-used.VisitsPerDay, 0),
		}
		if i == 0 {
			free = f
			continue
		}
		free.InvitesPerDay = min(free.InvitesPerDay, f.InvitesPerDay)
		free.MessagesPerDay = min(free.MessagesPerDay, f.MessagesPerDay)
		free.VisitsPerDay = min(free.VisitsPerDay, f.VisitsPerDay)
	}
	return free
}

// checkAllocation refuses limits that, added to the other live campaigns
// of any of the accounts, exceed that account's own limits.
func checkAllocation(tx *storage.Tx, c model.Campaign, accounts []model.Account) error {
	l := c.Limits
	if l.InvitesPerDay < 0 || l.MessagesPerDay < 0 || l.VisitsPerDay < 0 {
		return model.Errorf(model.CodeInvalid, "campaign limits cannot be negative")
	}
	for _, a := range accounts {
		used := allocated(tx, c.ID, a.ID)
		for _, x := range []struct {
			what             string
			mine, used, have int
		}{
			{"invites", l.InvitesPerDay, used.InvitesPerDay, a.Limits.InvitesPerDay},
			{"messages", l.MessagesPerDay, used.MessagesPerDay, a.Limits.MessagesPerDay},
			{"profile visits", l.VisitsPerDay, used.VisitsPerDay, a.Limits.VisitsPerDay},
		} {
			if x.mine+x.used > x.have {
				if x.used == 0 {
					return model.Errorf(model.CodeInvalid, "%d %s a day is more than sender account %q allows (%d a day); lower the campaign limit or raise the account's", x.mine, x.what, a.Name, x.have)
				}
				return model.Errorf(model.CodeInvalid, "sender account %q allows %d %s a day and its other campaigns already use %d; this campaign can have at most %d", a.Name, x.have, x.what, x.used, max(x.have-x.used, 0))
			}
		}
	}
	return nil
}

// checkRunnable holds the rules for a campaign that may act: an account,
// steps, a limit for every action the steps take.
func checkRunnable(tx *storage.Tx, c model.Campaign) error {
	if len(c.AccountIDs) == 0 {
		return model.Errorf(model.CodeInvalid, "campaign %q has no sender account; add one", c.Name)
	}
	if len(c.Steps) == 0 {
		return model.Errorf(model.CodeInvalid, "campaign %q has no steps; add at least one", c.Name)
	}
	for i, st := range c.Steps {
		var limit int
		var what string
		switch st.Kind {
		case model.StepVisit:
			limit, what = c.Limits.VisitsPerDay, "profile visits"
		case model.StepInvite:
			limit, what = c.Limits.InvitesPerDay, "invites"
		case model.StepMessage, model.StepFollowUp:
			limit, what = c.Limits.MessagesPerDay, "messages"
		default:
			continue
		}
		if limit == 0 {
			return model.Errorf(model.CodeInvalid, "step %d sends %s but the campaign's limit for %s is 0 a day; give it a share of the account limits", i+1, what, what)
		}
	}
	return nil
}

// SetCampaignState moves a campaign through draft → active ⇄ paused →
// completed → archived. Activating checks everything a running campaign
// needs and enrols its leads (the result says how many); completing or
// archiving ends every active enrolment. Audited: it changes who gets
// contacted.
func (s *Service) SetCampaignState(id uint64, to string, o model.Origin) (model.Campaign, *EnrolResult, error) {
	var c model.Campaign
	err := s.store.Update(func(tx *storage.Tx) error {
		var err error
		if c, err = tx.Campaign(id); err != nil {
			return err
		}
		from := c.State
		if from == to {
			return nil
		}
		if err := model.CheckCampaignTransition(from, to); err != nil {
			return err
		}
		if to == model.CampaignActive {
			accounts, err := campaignAccounts(tx, c.AccountIDs)
			if err != nil {
				return err
			}
			if err := checkAllocation(tx, c, accounts); err != nil {
				return err
			}
			if err := checkRunnable(tx, c); err != nil {
				return err
			}
		}
		c.State, c.StateAt, c.UpdatedAt = to, tx.Now(), tx.Now()
		if err := tx.PutCampaign(c); err != nil {
			return err
		}
		if to == model.CampaignCompleted || to == model.CampaignArchived {
			if err := endEnrolments(tx, c, "campaign "+to, o); err != nil {
				return err
			}
		}
		if _, err := tx.AppendEvent(campaignEvent("campaign."+to, c, o, map[string]any{"from": from})); err != nil {
			return err
		}
		return audit(tx, o, "campaign", "campaign_"+to, fmt.Sprintf("campaign:%d", c.ID), map[string]string{"from": from, "name": c.Name})
	})
	if err != nil || c.State != model.CampaignActive {
		return c, nil, err
	}
	r, err := s.EnrolSource(id, o)
	return c, &r, err
}

// Campaign returns a campaign with its counts.
func (s *Service) Campaign(id uint64) (CampaignInfo, error) {
	var ci CampaignInfo
	err := s.store.View(func(tx *storage.Tx) error {
		c, err := tx.Campaign(id)
		if err != nil {
			return err
		}
		ci.Campaign = c
		ci.Counts = tx.CampaignCounts(id)
		return nil
	})
	return ci, err
}

// Campaigns lists campaigns (archived ones only when asked) with counts.
func (s *Service) Campaigns(withArchived bool) ([]CampaignInfo, error) {
	var out []CampaignInfo
	err := s.store.View(func(tx *storage.Tx) error {
		all, err := tx.Campaigns()
		for _, c := range all {
			if c.State == model.CampaignArchived && !withArchived {
				continue
			}
			ci := CampaignInfo{Campaign: c}
			ci.Counts = tx.CampaignCounts(c.ID)
			out = append(out, ci)
		}
		return err
	})
	return out, err
}

func campaignEvent(typ string, c model.Campaign, o model.Origin, data map[string]any) model.Event {
	if data == nil {
		data = map[string]any{}
	}
	data["campaign"], data["name"] = c.ID, c.Name
	e := leadEvent(typ, o, data)
	e.Subject = fmt.Sprintf("campaign:%d", c.ID)
	return e
}
