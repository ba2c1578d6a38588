package model

import "time"

// Lead is a person Parley may contact. Identity is the normalised
// LinkedIn profile reference (ProfileKind + ProfileKey); the canonical URL
// is kept for display and for the browser.
type Lead struct {
	ID          uint64            `json:"id"`
	ProfileURL  string            `json:"profile_url"`
	ProfileKind string            `json:"profile_kind"`
	ProfileKey  string            `json:"profile_key"`
	FirstName   string            `json:"first_name,omitempty"`
	LastName    string            `json:"last_name,omitempty"`
	FullName    string            `json:"full_name,omitempty"`
	Company     string            `json:"company,omitempty"`
	Title       string            `json:"title,omitempty"`
	Email       string            `json:"email,omitempty"`
	Location    string            `json:"location,omitempty"`
	Tags        []string          `json:"tags,omitempty"`
	Custom      map[string]string `json:"custom,omitempty"`
	Lists       []uint64          `json:"lists,omitempty"`
	State       LeadState         `json:"state"`
	StateAt     time.Time         `json:"state_at"`
	CampaignID  uint64            `json:"campaign_id,omitempty"`
	AccountID   uint64            `json:"account_id,omitempty"`
	Replied     bool              `json:"replied,omitempty"`
	// BlockedBy names the do-not-contact rule that blacklisted the lead.
	BlockedBy string `json:"blocked_by,omitempty"`
	// Source says where the lead came from, e.g. "import:12".
	Source    string    `json:"source,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Name is the display name: the full name, else first + last.
func (l Lead) Name() string {
	if l.FullName != "" {
		return l.FullName
	}
	switch {
	case l.FirstName != "" && l.LastName != "":
		return l.FirstName + " " + l.LastName
	case l.FirstName != "":
		return l.FirstName
	}
	return l.LastName
}

// List is a named group of leads (an import target, a segment).
type List struct {
	ID        uint64    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// LeadNote is a manual note on a lead.
type LeadNote struct {
	Seq    uint64    `json:"seq"`
	LeadID uint64    `json:"lead_id"`
	At     time.Time `json:"at"`
	Author string    `json:"author"`
	Text   string    `json:"text"`
}

// Import statuses.
const (
	ImportRunning   = "running"
	ImportDone      = "done"
	ImportFailed    = "failed"
	ImportCancelled = "cancelled"
)

// ImportRun records one CSV import and its outcome.
type ImportRun struct {
	ID         uint64    `json:"id"`
	File       string    `json:"file"`
	ListID     uint64    `json:"list_id"`
	ListName   string    `json:"list"`
	Duplicates string    `json:"duplicates"`
	Actor      string    `json:"actor"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	Status     string    `json:"status"`
	Error      string    `json:"error,omitempty"`
	Encoding   string    `json:"encoding"`
	Delimiter  string    `json:"delimiter"`
	Rows       int       `json:"rows"`
	// BytesRead of BytesTotal is how far through the file the import is.
	BytesRead  int64 `json:"bytes_read"`
	BytesTotal int64 `json:"bytes_total,omitempty"`
	Imported   int   `json:"imported"`
	Updated    int   `json:"updated"`
	Skipped    int   `json:"skipped"`
	Rejected   int   `json:"rejected"`
}

// ImportReject is one row an import refused (or skipped), with why.
type ImportReject struct {
	Line    int    `json:"line"`
	Reason  string `json:"reason"`
	Profile string `json:"profile,omitempty"`
	// Skipped is true for rows that were not errors (duplicates kept as
	// they were); false for rejected rows.
	Skipped bool `json:"skipped,omitempty"`
}
