package model

import (
	"strings"
	"time"
)

// Text kinds decide the length limit a template is checked against.
const (
	TextNote    = "note"    // connection-invite note
	TextMessage = "message" // message or follow-up to a connection
)

// NoteMaxChars is LinkedIn's limit for a connection-invite note, counted
// in Unicode code points.
const NoteMaxChars = 300

// DefaultMessageMaxChars is the message length limit unless the setting
// messages.max_chars says otherwise.
const DefaultMessageMaxChars = 8000

// Template is a reusable note or message text with {{variables}}.
type Template struct {
	ID         uint64    `json:"id"`
	Name       string    `json:"name"`
	Kind       string    `json:"kind"`
	Body       string    `json:"body"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	ArchivedAt time.Time `json:"archived_at,omitzero"`
}

// Campaign states.
const (
	CampaignDraft     = "draft"
	CampaignActive    = "active"
	CampaignPaused    = "paused"
	CampaignCompleted = "completed"
	CampaignArchived  = "archived"
)

// campaignTransitions is the table of allowed campaign state changes.
var campaignTransitions = map[string][]string{
	CampaignDraft:     {CampaignActive, CampaignArchived},
	CampaignActive:    {CampaignPaused, CampaignCompleted, CampaignArchived},
	CampaignPaused:    {CampaignActive, CampaignCompleted, CampaignArchived},
	CampaignCompleted: {CampaignArchived},
	CampaignArchived:  {},
}

// CheckCampaignTransition returns a coded error when a campaign may not
// move from one state to another.
func CheckCampaignTransition(from, to string) error {
	if _, ok := campaignTransitions[to]; !ok {
		return Errorf(CodeInvalid, "%q is not a campaign state", to)
	}
	next := campaignTransitions[from]
	for _, s := range next {
		if s == to {
			return nil
		}
	}
	switch len(next) {
	case 0:
		return Errorf(CodeConflict, "a campaign that is %s cannot become %s: %s is final", from, to, from)
	case 1:
		return Errorf(CodeConflict, "a campaign that is %s cannot become %s; it can only become %s", from, to, next[0])
	}
	return Errorf(CodeConflict, "a campaign that is %s cannot become %s; it can become %s or %s", from, to, strings.Join(next[:len(next)-1], ", "), next[len(next)-1])
}

// Lead sources of a campaign.
const (
	SourceList   = "list"
	SourceTag    = "tag"
	SourceFilter = "filter"
)

// LeadSource says which leads a campaign enrols.
type LeadSource struct {
	Kind   string `json:"kind"`
	ListID uint64 `json:"list_id,omitempty"`
	Tag    string `json:"tag,omitempty"`
	// Filter is a saved leads-page query string (e.g. "q=cto&state=new").
	Filter string `json:"filter,omitempty"`
}

// Step kinds of a sequence.
const (
	StepVisit      = "visit"       // visit the profile
	StepInvite     = "invite"      // connection invite, with or without a note
	StepWaitAccept = "wait_accept" // wait for acceptance up to WaitDays
	StepMessage    = "message"     // first message, DelayDays after acceptance
	StepFollowUp   = "follow_up"   // DelayDays after the previous message, only without a reply
)

// What happens when an invite is not accepted in time.
const (
	TimeoutWithdraw = "withdraw"
	TimeoutExit     = "exit"
)

// Variant is one text of a step with its share of the sends.
type Variant struct {
	// Key names the variant in records ("A", "B", ...).
	Key        string `json:"key"`
	TemplateID uint64 `json:"template_id"`
	Weight     int    `json:"weight"`
}

// Step is one stage of a campaign's sequence.
type Step struct {
	Kind string `json:"kind"`
	// Variants of the text (invite notes, messages). An invite without
	// variants is sent without a note.
	Variants []Variant `json:"variants,omitempty"`
	// DelayDays before a message (after acceptance, or after the previous
	// step or enrolment when there is no invite; not for leads found
	// already connected) or a follow-up (after the previous message).
	DelayDays int `json:"delay_days,omitempty"`
	// WaitDays and OnTimeout belong to wait_accept.
	WaitDays  int    `json:"wait_days,omitempty"`
	OnTimeout string `json:"on_timeout,omitempty"`
	// Approval holds drafted texts for a human before they are sent.
	Approval bool `json:"approval,omitempty"`
}

// HasText reports whether the step sends a text from templates.
func (s Step) HasText() bool {
	return (s.Kind == StepInvite && len(s.Variants) > 0) || s.Kind == StepMessage || s.Kind == StepFollowUp
}

// TextKind is the length rule the step's texts follow.
func (s Step) TextKind() string {
	if s.Kind == StepInvite {
		return TextNote
	}
	return TextMessage
}

// CampaignLimits are a campaign's daily share of each sender account's
// limits. Across all campaigns of an account they never add up to more
// than the account's own limits.
type CampaignLimits struct {
	InvitesPerDay  int `json:"invites_per_day"`
	MessagesPerDay int `json:"messages_per_day"`
	VisitsPerDay   int `json:"visits_per_day"`
}

// Campaign is an outreach sequence run by one or more sender accounts.
type Campaign struct {
	ID         uint64         `json:"id"`
	Name       string         `json:"name"`
	State      string         `json:"state"`
	AccountIDs []uint64       `json:"account_ids"`
	Source     LeadSource     `json:"source"`
	Steps      []Step         `json:"steps"`
	Limits     CampaignLimits `json:"limits"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
	StateAt    time.Time      `json:"state_at"`
}

// Enrolment statuses.
const (
	EnrolActive  = "active"  // working through the steps
	EnrolDone    = "done"    // every step done
	EnrolReplied = "replied" // stopped by a reply
	EnrolExited  = "exited"  // left early; Reason says why
)

// Enrolment is one lead's progress through one campaign.
type Enrolment struct {
	CampaignID uint64 `json:"campaign_id"`
	LeadID     uint64 `json:"lead_id"`
	AccountID  uint64 `json:"account_id"`
	Status     string `json:"status"`
	// Step is the index of the next step to do.
	Step int `json:"step"`
	// DueAt is when the next step may run (zero: as soon as possible; a
	// first step that is a message waits its delay after enrolment).
	DueAt time.Time `json:"due_at,omitzero"`
	// InvitedAt, AcceptedAt and LastMessageAt drive the waits.
	InvitedAt     time.Time `json:"invited_at,omitzero"`
	AcceptedAt    time.Time `json:"accepted_at,omitzero"`
	LastMessageAt time.Time `json:"last_message_at,omitzero"`
	Reason        string    `json:"reason,omitempty"`
	History       []StepRun `json:"history,omitempty"`
	EnrolledAt    time.Time `json:"enrolled_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// StepRun records a step done for a lead, with the variant its text used.
type StepRun struct {
	Step    int       `json:"step"`
	Kind    string    `json:"kind,omitempty"`
	At      time.Time `json:"at"`
	Variant string    `json:"variant,omitempty"`
	// WithNote is false for an invite sent without a note (also when the
	// note quota was used up).
	WithNote bool   `json:"with_note,omitempty"`
	Outcome  string `json:"outcome,omitempty"`
}

// Approval statuses.
const (
	ApprovalPending  = "pending"
	ApprovalApproved = "approved"
	ApprovalRejected = "rejected"
)

// Approval is a drafted note or message waiting for (or given) a human's
// decision. Nothing drafted in approval mode is sent unless Approved.
type Approval struct {
	ID         uint64    `json:"id"`
	CampaignID uint64    `json:"campaign_id"`
	LeadID     uint64    `json:"lead_id"`
	Step       int       `json:"step"`
	Kind       string    `json:"kind"`
	Variant    string    `json:"variant,omitempty"`
	TemplateID uint64    `json:"template_id,omitempty"`
	Text       string    `json:"text"`
	Edited     bool      `json:"edited,omitempty"`
	Status     string    `json:"status"`
	Reason     string    `json:"reason,omitempty"`
	DecidedBy  string    `json:"decided_by,omitempty"`
	DecidedAt  time.Time `json:"decided_at,omitzero"`
	CreatedAt  time.Time `json:"created_at"`
}

// Do-not-contact rule kinds.
const (
	DNCProfile = "profile" // one person, by LinkedIn profile URL
	DNCCompany = "company" // everyone at a company, by name
	DNCDomain  = "domain"  // everyone whose e-mail is at a domain
	DNCTitle   = "title"   // a keyword in the job title
)

// DNCEntry is a do-not-contact rule.
type DNCEntry struct {
	ID        uint64    `json:"id"`
	Kind      string    `json:"kind"`
	Value     string    `json:"value"`
	Note      string    `json:"note,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Warmup is how a new sender account's daily limits grow: StartPerDay on
// the warm-up start date, StepPerDay more each day after, up to the
// account's own limit.
type Warmup struct {
	StartPerDay int `json:"start_per_day"`
	StepPerDay  int `json:"step_per_day"`
}

// DefaultWarmup starts at 5 a day and adds 1 a day.
func DefaultWarmup() Warmup { return Warmup{StartPerDay: 5, StepPerDay: 1} }

// Cap is the warm-up limit on day (a date in the account's zone; only its
// calendar date counts) for an account that started warming up on start,
// never above limit. Before the start date the cap is StartPerDay.
func (w Warmup) Cap(start, day time.Time, limit int) int {
	if start.IsZero() {
		return limit
	}
	d0 := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
	d1 := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	days := max(int(d1.Sub(d0).Hours()/24), 0)
	return min(w.StartPerDay+days*w.StepPerDay, limit)
}

// NoteQuotaPerMonth is how many personalised invite notes LinkedIn allows
// an account type a month; 0 means no separate quota.
func NoteQuotaPerMonth(accountType string) int {
	if accountType == AccountFree {
		return 5
	}
	return 0
}
