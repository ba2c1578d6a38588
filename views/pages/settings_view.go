package pages

import "time"

// SettingsView is the outreach settings page.
type SettingsView struct {
	// Form holds the values as typed (or as stored).
	Form SettingsForm
	// RetentionDays is the stored retention setting (what "Run retention
	// now" uses), and Cutoff the last-change date it purges before.
	RetentionDays int
	Cutoff        time.Time
	// MaxMessage is LinkedIn's message limit, the form's maximum.
	MaxMessage int
	Error      string
	Flash      *Flash
}

// SettingsForm is the settings form's fields as text, so a bad value is
// shown again as it was typed.
type SettingsForm struct {
	MessageMaxChars, RetentionDays, WarmupStart, WarmupStep string
}
