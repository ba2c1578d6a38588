package model

import (
	"path"
	"strings"
	"time"
)

// Job kinds. The first five act for one lead of a campaign; check_inbox and
// selector_canary act for a whole account; advance records a step that needs
// no work on LinkedIn.
const (
	JobVisit       = "visit_profile"
	JobInvite      = "send_invite"
	JobCheckAccept = "check_acceptance"
	JobMessage     = "send_message"
	JobWithdraw    = "withdraw_invite"
	JobCheckInbox  = "check_inbox"
	JobCanary      = "selector_canary"
	JobAdvance     = "advance"
)

// JobKinds lists every kind, for validation and the UI.
var JobKinds = []string{JobVisit, JobInvite, JobCheckAccept, JobMessage, JobWithdraw, JobCheckInbox, JobCanary, JobAdvance}

// IsSend reports whether a job kind changes something on LinkedIn that must
// never happen twice: it is reconciled, not retried blindly.
func IsSend(kind string) bool {
	return kind == JobInvite || kind == JobMessage || kind == JobWithdraw
}

// Job states.
const (
	JobQueued    = "queued"    // waiting for its due time
	JobRunning   = "running"   // claimed under a lease
	JobDone      = "done"      // finished (Result says how)
	JobDead      = "dead"      // gave up after its retry budget or a permanent error
	JobCancelled = "cancelled" // cancelled by a person or made moot by the campaign
)

// Error classes decide how a failed job is retried.
const (
	ErrClassTransient   = "transient"    // network hiccup, page not loaded: retry soon
	ErrClassRateLimited = "rate_limited" // LinkedIn asked to slow down: retry much later
	ErrClassPermanent   = "permanent"    // retrying cannot help: dead-letter now
	ErrClassChallenge   = "challenge"    // checkpoint, captcha, restriction: stop the account
	ErrClassLogin       = "login_needed" // the LinkedIn session is gone: a person must sign in
	ErrClassSelector    = "selector"     // the page no longer matches the selector pack
)

// Job is one unit of work for one sender account.
type Job struct {
	ID         uint64 `json:"id"`
	AccountID  uint64 `json:"account_id"`
	Kind       string `json:"kind"`
	CampaignID uint64 `json:"campaign_id,omitempty"`
	LeadID     uint64 `json:"lead_id,omitempty"`
	// Step is the campaign step the job was planned for.
	Step  int       `json:"step"`
	State string    `json:"state"`
	Due   time.Time `json:"due"`
	// Attempt counts the times the job was claimed.
	Attempt int `json:"attempt"`
	// LeaseUntil is when a running job's claim expires unless extended.
	LeaseUntil time.Time `json:"lease_until,omitzero"`
	// AttemptID names the claim; InFlight is set, in a committed
	// transaction, just before a send acts on LinkedIn. A job found
	// in flight after a crash is reconciled before anything is re-sent.
	AttemptID string `json:"attempt_id,omitempty"`
	InFlight  bool   `json:"in_flight,omitempty"`
	// Reserved are the usage counters the claim took budget from; a
	// failure gives them back.
	Reserved   []string  `json:"reserved,omitempty"`
	LastError  string    `json:"last_error,omitempty"`
	ErrorClass string    `json:"error_class,omitempty"`
	Result     string    `json:"result,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	// Attempts is the action log of the job's latest tries, oldest first.
	Attempts []JobAttempt `json:"attempts,omitempty"`
}

// JobAttempt is the action log of one try of a job: what was done on the
// site, step by step, how long each step took and how the try ended.
type JobAttempt struct {
	N       int       `json:"n"`
	Started time.Time `json:"started"`
	TookMS  int64     `json:"took_ms"`
	Steps   []JobStep `json:"steps,omitempty"`
	// Outcome is the try's result or error in words.
	Outcome string `json:"outcome"`
	Failed  bool   `json:"failed,omitempty"`
	// Evidence is the screenshot kept when the try failed, relative to the
	// data folder's evidence directory.
	Evidence string `json:"evidence,omitempty"`
}

// PageCopy names the trimmed copy of the page kept beside an evidence
// screenshot: "account-1/…-checkpoint.png" → "account-1/…-checkpoint.html".
func PageCopy(screenshot string) string {
	return strings.TrimSuffix(screenshot, path.Ext(screenshot)) + ".html"
}

// JobStep is one step of an attempt. AtMS counts from the attempt's start.
type JobStep struct {
	AtMS   int64  `json:"at_ms"`
	TookMS int64  `json:"took_ms"`
	What   string `json:"what"`
	Failed bool   `json:"failed,omitempty"`
}

// Bounds of a job's action log: the latest attempts, each with its first
// steps (the rest are counted in a last step).
const (
	MaxJobAttemptsKept = 5
	MaxJobSteps        = 60
)

// AddAttempt appends an attempt's log, numbered after the one before it,
// keeping the latest few.
func (j *Job) AddAttempt(a JobAttempt) {
	a.N = 1
	if n := len(j.Attempts); n > 0 {
		a.N = j.Attempts[n-1].N + 1
	}
	j.Attempts = append(j.Attempts, a)
	if n := len(j.Attempts) - MaxJobAttemptsKept; n > 0 {
		j.Attempts = append([]JobAttempt(nil), j.Attempts[n:]...)
	}
}

// Finished reports whether the job has left the queue for good.
func (j Job) Finished() bool {
	return j.State == JobDone || j.State == JobDead || j.State == JobCancelled
}

// Pause scopes.
const (
	ScopeGlobal   = "global"
	ScopeAccount  = "account"
	ScopeCampaign = "campaign"
)

// Pause stops work in one scope until it is resumed or Until passes.
type Pause struct {
	Scope  string    `json:"scope"`
	ID     uint64    `json:"id,omitempty"`
	By     string    `json:"by"`
	Reason string    `json:"reason,omitempty"`
	At     time.Time `json:"at"`
	Until  time.Time `json:"until,omitzero"`
}

// Active reports whether the pause still holds at now.
func (p Pause) Active(now time.Time) bool { return p.Until.IsZero() || now.Before(p.Until) }

// Quarantine stops an account until a person lifts it.
type Quarantine struct {
	AccountID  uint64    `json:"account_id"`
	Reason     string    `json:"reason"`
	By         string    `json:"by"`
	At         time.Time `json:"at"`
	IncidentID uint64    `json:"incident_id,omitempty"`
	// LoginNeeded: the cause is a lost LinkedIn session.
	LoginNeeded bool `json:"login_needed,omitempty"`
}

// Degradation stops one kind of job on one account because LinkedIn's
// page no longer matches the selector pack; the other kinds carry on.
// Resolving its incident lifts it.
type Degradation struct {
	AccountID  uint64    `json:"account_id"`
	Kind       string    `json:"kind"`
	What       string    `json:"what"`
	IncidentID uint64    `json:"incident_id"`
	At         time.Time `json:"at"`
}

// Incident severities.
const (
	Sev1 = "SEV-1"
	Sev2 = "SEV-2"
	Sev3 = "SEV-3"
)

// Incident states.
const (
	IncidentOpen         = "open"
	IncidentAcknowledged = "acknowledged"
	IncidentResolved     = "resolved"
)

// Incident is something a person must look at.
type Incident struct {
	ID         uint64          `json:"id"`
	Severity   string          `json:"severity"`
	Kind       string          `json:"kind"`
	Title      string          `json:"title"`
	AccountIDs []uint64        `json:"account_ids,omitempty"`
	State      string          `json:"state"`
	Timeline   []IncidentEntry `json:"timeline"`
	OpenedAt   time.Time       `json:"opened_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
	ResolvedAt time.Time       `json:"resolved_at,omitzero"`
}

// IncidentEntry is one line of an incident's timeline.
type IncidentEntry struct {
	At   time.Time `json:"at"`
	By   string    `json:"by"`
	What string    `json:"what"`
}

// Health levels.
const (
	HealthGreen  = "GREEN"
	HealthYellow = "YELLOW"
	HealthRed    = "RED"
)

// HealthSnapshot is an account's activity over one hour or one day.
type HealthSnapshot struct {
	AccountID uint64 `json:"account_id"`
	// Period is "hour" or "day"; Start is its first instant (UTC for
	// hours, local midnight for days).
	Period    string         `json:"period"`
	Start     time.Time      `json:"start"`
	Attempted map[string]int `json:"attempted"`
	Succeeded map[string]int `json:"succeeded"`
	Failed    map[string]int `json:"failed"`
	// Rates are fractions 0..1 over the period's outcomes.
	AcceptanceRate float64 `json:"acceptance_rate"`
	PendingRatio   float64 `json:"pending_ratio"`
	ReplyRate      float64 `json:"reply_rate"`
	ErrorRate      float64 `json:"error_rate"`
	Challenges     int     `json:"challenges"`
	DeadLetters    int     `json:"dead_letters"`
	// LimitUse is the share of the daily invite limit used (0..1).
	LimitUse float64 `json:"limit_use"`
	Level    string  `json:"level"`
	Rule     string  `json:"rule"`
}
