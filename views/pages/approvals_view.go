package pages

import (
	"fmt"
	"time"

	"parley/app/model"
)

// ApprovalsView is the approvals queue.
type ApprovalsView struct {
	Items []ApprovalRow
	// Pending is the length of the whole queue, every campaign; InCampaign
	// the drafts of the filtered campaign.
	Pending    int
	InCampaign int
	// Campaign is the campaign filter (0: all); CampaignName its name.
	Campaign     uint64
	CampaignName string
	// Campaigns are the choices of the filter.
	Campaigns []ApprovalCampaign
	// Limit is the most drafts the page shows at once.
	Limit int
	Flash *Flash
	Error string
}

// ApprovalCampaign is a campaign in the queue's filter.
type ApprovalCampaign struct {
	ID   uint64
	Name string
}

// ApprovalRow is one draft in the queue.
type ApprovalRow struct {
	ID           uint64
	LeadID       uint64
	LeadName     string
	Company      string
	CampaignID   uint64
	CampaignName string
	// Step is 1-based; Kind the step's kind (invite, message, follow_up).
	Step    int
	Kind    string
	Variant string
	// Text is shown in the textarea: the draft, or what was typed when
	// saving it failed. Original is the stored draft.
	Text     string
	Original string
	Edited   bool
	Chars    int
	Limit    int
	// Problem says why the draft cannot be approved as it is.
	Problem   string
	CreatedAt time.Time
	// Error is the message of the action just refused on this draft.
	Error string
}

// apprStepLabel names a step's text mid-sentence: "connection note".
func apprStepLabel(kind string) string {
	switch kind {
	case model.StepInvite:
		return "connection note"
	case model.StepFollowUp:
		return "follow-up message"
	}
	return "message"
}

// apprPath is an approval's action address. The fragment brings the
// browser back to the draft when the queue is shown again with an error
// next to it (and after a redirect, which keeps it).
func apprPath(id uint64, action string) string {
	return fmt.Sprintf("/approvals/%d/%s#approval-%d", id, action, id)
}

// apprCampaignLabel names the filtered campaign.
func apprCampaignLabel(v ApprovalsView) string {
	if v.CampaignName != "" {
		return v.CampaignName
	}
	return fmt.Sprintf("campaign %d", v.Campaign)
}

// apprCampaignValue is the hidden campaign field of the queue's forms.
func apprCampaignValue(campaign uint64) string {
	if campaign == 0 {
		return ""
	}
	return fmt.Sprint(campaign)
}

func apprDrafts(n int) string {
	if n == 1 {
		return "1 draft"
	}
	return fmt.Sprintf("%d drafts", n)
}
