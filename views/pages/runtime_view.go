package pages

import (
	"fmt"
	"strings"
	"time"

	"parley/app/model"
)

// RuntimePanel is the dashboard's live part: open incidents, the global
// pause and one card per sender account. It is re-rendered on its own
// (GET /dashboard/runtime) whenever the runtime announces a change.
type RuntimePanel struct {
	// Available is false when no runtime is running (no panel is shown).
	Available bool
	Now       time.Time
	// CSRFToken goes into the panel's forms (the fragment has no layout).
	CSRFToken       string
	Paused          *model.Pause
	EnforceCeilings bool
	Incidents       []IncidentRow
	DeadLetters     int
	CampaignPauses  []CampaignPause
	Accounts        []AccountCard
}

// CampaignPause is a paused campaign named for people.
type CampaignPause struct {
	ID    uint64
	Name  string
	By    string
	Until time.Time
}

// AccountCard is one sender account on the dashboard.
type AccountCard struct {
	ID       uint64
	Name     string
	TimeZone string
	// State is the runtime's code (running, ready, paused, ...); Text the
	// plain-words line that says what the account does or why it is idle.
	State   string
	Text    string
	Until   time.Time
	Queued  int
	Dead    int
	NextDue time.Time
	Usage   []UsageBar
	Held    []string
	// Health is GREEN, YELLOW, RED or empty (no snapshot yet).
	Health     string
	HealthRule string
	// Pause and Quarantine are set while they hold.
	Pause      *model.Pause
	Quarantine *model.Quarantine
}

// UsageBar is one budget's use today (or this week).
type UsageBar struct {
	Label  string
	Used   int
	Limit  int
	Weekly bool
	// Warmup: the warm-up ramp, not the account's setting, sets the limit.
	Warmup bool
}

// IncidentRow is an incident with the names of its accounts.
type IncidentRow struct {
	model.Incident
	Accounts []AccountRef
	// Evidence are the screenshots the incident names (paths under
	// /evidence/); each has a page copy beside it (.html).
	Evidence []string
}

// AccountRef names an account for a link.
type AccountRef struct {
	ID   uint64
	Name string
}

// usageLevel says how full a budget is: ok, warn (past 80 %) or bad (used up).
func usageLevel(u UsageBar) string {
	switch {
	case u.Limit <= 0 || u.Used >= u.Limit:
		return "bad"
	case u.Used*100 >= u.Limit*80:
		return "warn"
	}
	return "ok"
}

// usageWidth is the filled share of a usage bar in percent (0..100).
func usageWidth(u UsageBar) string {
	if u.Limit <= 0 {
		return "0"
	}
	return fmt.Sprint(min(100, u.Used*100/u.Limit))
}

func usageFigure(u UsageBar) string {
	if u.Limit <= 0 {
		return "off"
	}
	return fmt.Sprintf("%d / %d", u.Used, u.Limit)
}

// stateWords is a short label for a runtime state code.
func stateWords(state string) string {
	switch state {
	case "running":
		return "running"
	case "ready":
		return "ready"
	case "paused_global":
		return "all paused"
	case "nothing_due":
		return "waiting"
	case "no_browser":
		return "no browser"
	case "action_degraded":
		return "action stopped"
	}
	return strings.ReplaceAll(state, "_", " ")
}

// stateKind is the pill colour of a state.
func stateKind(state string) string {
	switch state {
	case "running", "ready":
		return "ok"
	case "quarantined", "login_needed":
		return "bad"
	case "action_degraded":
		return "bad"
	case "paused", "paused_global", "no_browser", "daily_limit", "weekly_limit", "warmup_limit", "campaign_limit", "campaign_paused":
		return "warn"
	}
	return "muted"
}

// healthKind is the pill colour of a health level.
func healthKind(level string) string {
	switch level {
	case model.HealthGreen:
		return "ok"
	case model.HealthYellow:
		return "warn"
	case model.HealthRed:
		return "bad"
	}
	return "muted"
}

// severityKind is the pill colour of an incident severity.
func severityKind(sev string) string {
	switch sev {
	case model.Sev1:
		return "bad"
	case model.Sev2:
		return "warn"
	}
	return "muted"
}

func incidentURL(id uint64) string { return fmt.Sprintf("/incidents/%d", id) }

func accountHealthURL(id uint64) string { return fmt.Sprintf("/accounts/%d/health", id) }

// PauseChoices are the durations offered by the pause forms.
var PauseChoices = []struct{ Value, Label string }{
	{"", "until resumed"}, {"1h", "for 1 hour"}, {"4h", "for 4 hours"}, {"24h", "for a day"}, {"168h", "for a week"},
}

// runtimeEventLabels name the runtime's events in the activity list.
var runtimeEventLabels = map[string]string{
	"job.started":                     "Job started",
	"job.done":                        "Job done",
	"job.retry":                       "Job failed, will retry",
	"job.dead":                        "Job failed for good (dead letter)",
	"job.retried":                     "Dead letter sent back to the queue",
	"job.cancelled":                   "Job cancelled",
	"job.recovered":                   "Interrupted job recovered",
	"control.paused":                  "Paused",
	"control.resumed":                 "Resumed",
	"account.quarantined":             "Account quarantined",
	"account.unquarantined":           "Quarantine lifted",
	"account.health_changed":          "Account health changed",
	"account.action_degraded":         "Action stopped: the page changed",
	"account.action_restored":         "Action running again",
	"account.linkedin_signed_in":      "Signed in to LinkedIn",
	"account.linkedin_signed_out":     "Signed out of LinkedIn",
	"account.linkedin_sign_in_failed": "LinkedIn sign-in did not finish",
	"incident.opened":                 "Incident opened",
	"incident.escalated":              "Incident escalated",
	"incident.acknowledged":           "Incident acknowledged",
	"incident.resolved":               "Incident resolved",
	"settings.runtime_updated":        "Runtime settings changed",
}

// runtimeEventDetail summarises a runtime event's data in a few words.
func runtimeEventDetail(e model.Event, d map[string]any) string {
	str := func(k string) string { v, _ := d[k].(string); return v }
	num := func(k string) string {
		if v, ok := d[k].(float64); ok {
			return fmt.Sprint(uint64(v))
		}
		return ""
	}
	var parts []string
	add := func(s string) {
		if s != "" {
			parts = append(parts, s)
		}
	}
	switch {
	case strings.HasPrefix(e.Type, "job."):
		add(str("kind"))
		if j := num("job"); j != "" {
			add("job " + j)
		}
		add(str("result"))
		add(str("error"))
	case strings.HasPrefix(e.Type, "incident."):
		add(str("severity"))
		add(str("title"))
		add(str("note"))
	case e.Type == "account.health_changed":
		add(str("name"))
		if from := str("from"); from != "" {
			add(from + " → " + str("to"))
		} else {
			add(str("to"))
		}
		add(str("rule"))
	default:
		add(e.Subject)
		add(str("reason"))
	}
	if a := str("actor"); a != "" && !strings.HasPrefix(e.Type, "job.") {
		add("by " + a)
	}
	return strings.Join(parts, " · ")
}
