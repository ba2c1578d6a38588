// Package pages holds one templ component per page, each taking one view
// model built by its handler. Templates do no I/O.
package pages

import (
	"time"

	"parley/app/model"
)

// DashboardView is the dashboard's view model.
type DashboardView struct {
	Now           time.Time
	Version       string
	DataDir       string
	Portable      bool
	StartedAt     time.Time
	DBSize        int64
	SchemaVersion int
	CreatedAt     time.Time
	Events        uint64
	RecentEvents  []model.Event
	AuditRecords  uint64
	AuditHead     string
	Backups       BackupSummary
	Integrity     Integrity
	// Runtime is the live part: incidents, pauses, account cards.
	Runtime RuntimePanel
}

// BackupSummary is the backup state shown on the dashboard.
type BackupSummary struct {
	LastOK      *model.BackupRun
	LastFailure *model.BackupRun
	NextDue     time.Time
	Running     bool
	Runs        uint64
	Interval    time.Duration
	Keep        int
}

// Integrity is the result of the background database check.
type Integrity struct {
	// State is checking, ok or failed.
	State     string
	Detail    string
	CheckedAt time.Time
}

// BackupsView is the backups page's view model.
type BackupsView struct {
	Now        time.Time
	Runs       []model.BackupRun
	NextBefore uint64
	Dir        string
	DataDir    string
	Summary    BackupSummary
	// Flash is a message about the action just taken.
	Flash *Flash
}

// Flash is a one-off message after an action.
type Flash struct {
	Kind, Text string
}

// ErrorView is the error page's view model.
type ErrorView struct {
	Status    int
	Title     string
	Message   string
	RequestID string
}

// LoginView is the sign-in page's view model.
type LoginView struct {
	Next         string
	User         string
	Error        string
	SetupPending bool
}

// SetupView is the first-run page's view model.
type SetupView struct {
	Token string
	User  string
	Error string
	// Invalid explains why the link does not work (the form is hidden).
	Invalid string
}

// SessionRow is one sign-in on the Sessions page.
type SessionRow struct {
	LoginID   string
	CreatedAt time.Time
	LastSeen  time.Time
	PeerIP    string
	UserAgent string
	Current   bool
}

// SessionsView is the Sessions page's view model.
type SessionsView struct {
	Now           time.Time
	User          string
	Sessions      []SessionRow
	IdleTimeout   time.Duration
	MaxAge        time.Duration
	Flash         *Flash
	PasswordError string
}

// APIKeysView is the API keys page's view model.
type APIKeysView struct {
	Keys []model.APIKey
	// NewKey is the secret of a key just created: shown once, never again.
	NewKey     string
	NewKeyName string
	Flash      *Flash
	Error      string
	BasicAuth  bool
	// BaseURL is this Parley's address, for the example command.
	BaseURL string
}

// AuditFilter is the Audit page's filter form.
type AuditFilter struct {
	Category string
	Actor    string
	Since    string
	Until    string
}

// AuditView is the Audit page's view model.
type AuditView struct {
	Records    []model.AuditRecord
	Filter     AuditFilter
	Categories []string
	NextBefore uint64
	// NextQuery is the query string of the next page (filter + cursor).
	NextQuery string
	Error     string
}

// AccountsView is the accounts list.
type AccountsView struct {
	Accounts []model.Account
	Flash    *Flash
	Archived bool
}

// AccountFormView is the add/edit account form.
type AccountFormView struct {
	// ID is 0 for a new account.
	ID    uint64
	Form  AccountValues
	Error string
	// Zones are suggestions for the time zone field.
	Zones    []string
	Ceilings model.Limits
	// Session is the account's LinkedIn session (nil for a new account).
	Session *AccountSession
	// Notice is a message about the last action on the page.
	Notice string
}

// AccountSession says whether an account is signed in to LinkedIn.
type AccountSession struct {
	// Browser is false when no browser is set up on this computer.
	Browser  bool
	SignedIn bool
	// SavedAt is when the session was last saved.
	SavedAt time.Time
	// Signing: a sign-in window is open.
	Signing bool
	Now     time.Time
	// ShowBrowser: the account works in a visible window.
	ShowBrowser bool
	// NoDisplay says why this computer cannot show a window ("" when it can).
	NoDisplay string
}

// AccountValues holds the form's values as typed.
type AccountValues struct {
	Name, TimeZone, WorkStart, WorkEnd, Type, WarmupStart, Notes string
	WorkDays                                                     [7]bool
	Limits                                                       model.Limits
}

// LeadsView is the leads list.
type LeadsView struct {
	Rows   []LeadRow
	Next   string
	Filter LeadFilter
	Lists  []ListOption
	States []StateCount
	Flash  *Flash
	Error  string
	// Query is the current filter as a query string (for the next page).
	Query string
	// Campaigns and Accounts fill the filter selects (archived ones too:
	// their leads keep the ids).
	Campaigns []LeadFilterOption
	Accounts  []LeadFilterOption
	// Enrol are the campaigns the "add to campaign" action can use
	// (active or paused).
	Enrol []LeadFilterOption
	// ExportQuery is the current filter for the export links (no cursor).
	ExportQuery string
}

// LeadFilterOption is a campaign or account in a select.
type LeadFilterOption struct {
	ID   uint64
	Name string
	// Note is shown after the name ("archived", "paused").
	Note string
}

// LeadRow is one line of the leads table.
type LeadRow struct {
	ID        uint64
	Name      string
	Title     string
	Company   string
	State     model.LeadState
	Tags      []string
	Lists     []string
	UpdatedAt time.Time
	Profile   string
}

// LeadFilter is the filter form as typed.
type LeadFilter struct {
	Text, State, List, Campaign, Account, Tag, Order, Replied, From, To string
}

// ListOption is a list in a select.
type ListOption struct {
	ID   uint64
	Name string
	Size int
}

// StateCount is a state with its number of leads.
type StateCount struct {
	State model.LeadState
	Count uint64
}

// LeadView is the lead detail page.
type LeadView struct {
	Lead     model.Lead
	Lists    []string
	Notes    []model.LeadNote
	Timeline []model.Event
	// Next are the states the lead may be moved to by hand.
	Next  []model.LeadState
	Flash *Flash
	Error string
	// Enrolments are the lead's campaigns, newest first.
	Enrolments []LeadEnrolment
	// EraseReason and EraseError keep the erase form as it was sent.
	EraseReason string
	EraseError  string
}

// LeadEnrolment is the lead's place in one campaign.
type LeadEnrolment struct {
	CampaignID   uint64
	CampaignName string
	Status       string
	// Step is the index of the next step (0-based) of Steps; StepKind its
	// kind ("" when every step is done).
	Step     int
	Steps    int
	StepKind string
	Reason   string
	Enrolled time.Time
	Updated  time.Time
}

// LeadFormView is the add-a-lead form.
type LeadFormView struct {
	ProfileURL, FirstName, LastName, Company, Title, Email, Location, Tags, List string
	Error                                                                        string
}

// ImportUploadView is the first import step.
type ImportUploadView struct {
	Imports    []model.ImportRun
	List       string
	Duplicates string
	Error      string
}

// ImportMapView is the column-mapping step.
type ImportMapView struct {
	Token      string
	File       string
	List       string
	Duplicates string
	Encoding   string
	Delimiter  string
	Columns    []ImportColumn
	Sample     [][]string
	Error      string
}

// ImportColumn is one column of the file with its proposed field.
type ImportColumn struct {
	Index   int
	Header  string
	Field   string
	Options [][2]string // value, label
}

// ImportRunView is an import's progress and report.
type ImportRunView struct {
	Run     model.ImportRun
	Rejects []model.ImportReject
	More    bool
}
