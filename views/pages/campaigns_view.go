package pages

import (
	"fmt"
	"slices"
	"time"

	"parley/app/model"
)

// CampaignsView is the campaigns list.
type CampaignsView struct {
	Rows     []CampaignRow
	Archived bool
	Flash    *Flash
}

// CampaignRow is one line of the campaigns table.
type CampaignRow struct {
	ID       uint64
	Name     string
	State    string
	Accounts []string
	Enrolled int
	Active   int
	Replied  int
	Done     int
	// Forecast is the forecast's summary sentence (active and paused
	// campaigns only).
	Forecast string
}

// CampaignView is a campaign's page.
type CampaignView struct {
	Campaign model.Campaign
	Flash    *Flash
	Error    string
	// Transitions are the state changes allowed now, in button order.
	Transitions []CampaignTransition
	Editable    bool
	CanEnrol    bool
	Accounts    []CampaignAccount
	Source      CampaignSource
	// Sequence is one plain line per step.
	Sequence    []string
	Forecast    CampaignForecast
	ByStatus    []CampaignCount
	Enrolled    int
	NeedsReview bool // some step needs approval
	// Upcoming says what happens next for a few enrolled leads.
	Upcoming []CampaignNext
}

// CampaignTransition is one state button.
type CampaignTransition struct {
	To, Label, Help string
}

// CampaignAccount is a sender account with its limits and, on the form,
// what the other campaigns already use of them.
type CampaignAccount struct {
	ID       uint64
	Name     string
	Archived bool
	Limits   model.Limits
	// Used is the other live campaigns' share of the account's limits.
	Used     model.CampaignLimits
	Selected bool
}

// CampaignSource describes where the leads come from.
type CampaignSource struct {
	Text string
	// Link opens the leads page filtered the same way.
	Link string
}

// CampaignForecast is the forecast as the page shows it.
type CampaignForecast struct {
	Summary string
	Beyond  bool
	Steps   []CampaignStepForecast
	Notes   []string
	// Assumptions in words, with where each figure comes from.
	AcceptRate, AcceptAfter, ReplyRate string
	AcceptMeasured, ReplyMeasured      bool
	NotEnrolled                        int
}

// CampaignStepForecast is the forecast of one step.
type CampaignStepForecast struct {
	Number     int
	Line       string
	Waiting    int
	Leads      string
	Done       string
	Bottleneck string
}

// CampaignCount is a label with a number.
type CampaignCount struct {
	Label string
	Count int
}

// CampaignNext is what the sequence does next for one lead.
type CampaignNext struct {
	LeadID uint64
	Name   string
	What   string
	At     time.Time
}

// CampaignFormView is the add/edit campaign form with its steps editor.
type CampaignFormView struct {
	// ID is 0 for a new campaign.
	ID    uint64
	State string
	Form  CampaignValues
	Error string
	// Notice says what the last editor button did (nothing is saved yet).
	Notice           string
	Accounts         []CampaignAccount
	Lists            []ListOption
	NoteTemplates    []TemplateOption
	MessageTemplates []TemplateOption
	// Enrolled leads lock the steps' number, kinds and order.
	Enrolled int
	// NextKind is the kind the "Add step" select proposes.
	NextKind string
}

// TemplateOption is a template in a select.
type TemplateOption struct {
	ID       uint64
	Name     string
	Archived bool
}

// CampaignValues holds the form's values as typed.
type CampaignValues struct {
	Name       string
	AccountIDs []uint64
	SourceKind string
	ListID     string
	Tag        string
	Filter     string
	// Limits are typed text; blank takes the free share.
	Invites, Messages, Visits string
	Steps                     []StepValues
}

// StepValues is one row of the steps editor.
type StepValues struct {
	Kind      string
	Delay     string
	Wait      string
	OnTimeout string
	Approval  bool
	Variants  []VariantValues
}

// VariantValues is one template row of a step.
type VariantValues struct {
	Key, TemplateID, Weight string
}

// HasAccount reports whether the account is ticked.
func (v CampaignValues) HasAccount(id uint64) bool {
	return slices.Contains(v.AccountIDs, id)
}

// StepKinds are the kinds of step in the order they usually come.
var StepKinds = []string{model.StepVisit, model.StepInvite, model.StepWaitAccept, model.StepMessage, model.StepFollowUp}

func stepKindLabel(kind string) string {
	switch kind {
	case model.StepVisit:
		return "Visit the profile"
	case model.StepInvite:
		return "Connection invite"
	case model.StepWaitAccept:
		return "Wait for acceptance"
	case model.StepMessage:
		return "First message"
	case model.StepFollowUp:
		return "Follow-up"
	}
	return kind
}

func stepKindHelp(kind string) string {
	switch kind {
	case model.StepVisit:
		return "Looks at the lead's profile, so your name shows in their visitors. Only as the first step; it counts against the daily profile-visit limit."
	case model.StepInvite:
		return "Sends a connection invite. Pick a note template to add a personal note (up to 300 characters); with no template the invite goes without a note. Free accounts may send only 5 notes a month; after that invites go without one."
	case model.StepWaitAccept:
		return "Waits for the lead to accept, up to the number of days you give (1 to 90). When time runs out Parley either withdraws the invite and stops, or just stops and leaves the invite pending. Must come right after the invite."
	case model.StepMessage:
		return "The first message, sent the given number of days after the lead accepts (or after the previous step when the campaign sends no invite). Leads who are already connections get it at once."
	case model.StepFollowUp:
		return "Sent the given number of days after the previous message, only if the lead has not replied. Up to five follow-ups."
	}
	return "Parley does not know this kind of step; remove it."
}

// stepTakesTemplates: invites (optional note) and messages.
func stepTakesTemplates(kind string) bool {
	return kind == model.StepInvite || kind == model.StepMessage || kind == model.StepFollowUp
}

func stepHasDelay(kind string) bool { return kind == model.StepMessage || kind == model.StepFollowUp }

func campaignStateClass(state string) string {
	switch state {
	case model.CampaignActive:
		return "ok"
	case model.CampaignPaused:
		return "warn"
	}
	return "muted"
}

func campaignFormAction(id uint64) string {
	if id == 0 {
		return "/campaigns"
	}
	return fmt.Sprintf("/campaigns/%d", id)
}

func (v CampaignFormView) templatesFor(kind string) []TemplateOption {
	if kind == model.StepInvite {
		return v.NoteTemplates
	}
	return v.MessageTemplates
}

func campaignLimitsText(l model.Limits) string {
	return fmt.Sprintf("%d invites a day (%d a week), %d messages, %d profile visits", l.InvitesPerDay, l.InvitesPerWeek, l.MessagesPerDay, l.VisitsPerDay)
}

func campaignUsedText(u model.CampaignLimits) string {
	if u == (model.CampaignLimits{}) {
		return "no other campaign uses it"
	}
	return fmt.Sprintf("other campaigns use %d invites, %d messages, %d visits", u.InvitesPerDay, u.MessagesPerDay, u.VisitsPerDay)
}
