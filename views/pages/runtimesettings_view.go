package pages

import "parley/app/model"

// RuntimeSettingsView is the runtime settings page.
type RuntimeSettingsView struct {
	// Form holds the values as typed (or as stored).
	Form RuntimeSettingsForm
	// Enforced is the stored state of the compliance ceilings.
	Enforced bool
	// Ceilings are the compliance ceilings, for the explanation.
	Ceilings model.Limits
	Error    string
	Flash    *Flash
}

// RuntimeSettingsForm is the form's fields as text, so a bad value is
// shown again as it was typed.
type RuntimeSettingsForm struct {
	EnforceCeilings                                                                                          bool
	PauseMinSeconds, PauseMaxSeconds, SoftLimitPercent, MaxAttempts, JobRetentionDays, EvidenceRetentionDays string
}
