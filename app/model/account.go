package model

import "time"

// Account types; the type decides the monthly personalised-note quota.
const (
	AccountFree           = "free"
	AccountPremium        = "premium"
	AccountSalesNavigator = "sales_navigator"
)

// Limits are an account's daily and weekly caps per action. They are
// settings here; the runtime enforces them.
type Limits struct {
	InvitesPerDay     int `json:"invites_per_day"`
	InvitesPerWeek    int `json:"invites_per_week"`
	MessagesPerDay    int `json:"messages_per_day"`
	VisitsPerDay      int `json:"visits_per_day"`
	WithdrawalsPerDay int `json:"withdrawals_per_day"`
}

// DefaultLimits are conservative on purpose.
func DefaultLimits() Limits {
	return Limits{InvitesPerDay: 15, InvitesPerWeek: 80, MessagesPerDay: 20, VisitsPerDay: 40, WithdrawalsPerDay: 10}
}

// CeilingLimits are the compliance ceilings: settings above them are
// refused.
func CeilingLimits() Limits {
	return Limits{InvitesPerDay: 20, InvitesPerWeek: 100, MessagesPerDay: 40, VisitsPerDay: 80, WithdrawalsPerDay: 20}
}

// Account is a LinkedIn sender account. Parley never stores its password:
// the person signs in by hand in a browser window.
type Account struct {
	ID       uint64 `json:"id"`
	Name     string `json:"name"`
	TimeZone string `json:"time_zone"`
	// WorkDays are the days Parley may act, in the account's time zone.
	WorkDays []time.Weekday `json:"work_days"`
	// WorkStart and WorkEnd are "HH:MM" in the account's time zone.
	WorkStart   string    `json:"work_start"`
	WorkEnd     string    `json:"work_end"`
	Type        string    `json:"type"`
	Limits      Limits    `json:"limits"`
	WarmupStart time.Time `json:"warmup_start,omitzero"`
	Notes       string    `json:"notes,omitempty"`
	// ShowBrowser runs the account's LinkedIn work in a visible browser
	// window instead of the shared headless one (to watch it work).
	ShowBrowser bool      `json:"show_browser,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	ArchivedAt  time.Time `json:"archived_at,omitzero"`
}

// Archived reports whether the account was archived.
func (a Account) Archived() bool { return !a.ArchivedAt.IsZero() }

// Event types of accounts.
const (
	EventAccountCreated  = "account.created"
	EventAccountUpdated  = "account.updated"
	EventAccountArchived = "account.archived"
)
