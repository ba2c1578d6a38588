package runtime

import (
	"fmt"
	"strconv"

	"parley/app/campaigns"
	"parley/app/model"
	"parley/storage"
)

// Settings are the runtime's settings an operator changes from the
// dashboard or the API. They live in the database.
type Settings struct {
	// EnforceCeilings keeps every account under the compliance ceilings.
	// Turning it off is audited and shown as a warning on every page.
	EnforceCeilings bool `json:"enforce_ceilings"`
	// PauseMinSeconds and PauseMaxSeconds bound the randomised pause
	// between two actions of one account.
	PauseMinSeconds int `json:"pause_min_seconds"`
	PauseMaxSeconds int `json:"pause_max_seconds"`
	// SoftLimitPercent of a daily limit doubles the pause after it.
	SoftLimitPercent int `json:"soft_limit_percent"`
	// MaxAttempts is a job's retry budget before it is dead-lettered.
	MaxAttempts int `json:"max_attempts"`
	// JobRetentionDays keeps finished jobs that long.
	JobRetentionDays int `json:"job_retention_days"`
	// EvidenceRetentionDays keeps screenshots and page copies that long,
	// unless an open incident names them.
	EvidenceRetentionDays int `json:"evidence_retention_days"`

	// Warmup comes from the outreach settings.
	Warmup model.Warmup `json:"-"`
}

const settingRuntime = "runtime"

// DefaultSettings are conservative.
func DefaultSettings() Settings {
	return Settings{EnforceCeilings: true, PauseMinSeconds: 60, PauseMaxSeconds: 240, SoftLimitPercent: 80,
		MaxAttempts: 5, JobRetentionDays: 30, EvidenceRetentionDays: 90, Warmup: model.DefaultWarmup()}
}

// Validate checks each field and says how to fix it.
func (s Settings) Validate() error {
	switch {
	case s.PauseMinSeconds < 5 || s.PauseMinSeconds > 3600:
		return model.Errorf(model.CodeInvalid, "the shortest pause between actions must be 5 to 3600 seconds")
	case s.PauseMaxSeconds < s.PauseMinSeconds || s.PauseMaxSeconds > 7200:
		return model.Errorf(model.CodeInvalid, "the longest pause between actions must be at least the shortest (%d s) and at most 7200 s", s.PauseMinSeconds)
	case s.SoftLimitPercent < 50 || s.SoftLimitPercent > 100:
		return model.Errorf(model.CodeInvalid, "the soft limit must be 50 to 100 percent of the daily limit")
	case s.MaxAttempts < 1 || s.MaxAttempts > 20:
		return model.Errorf(model.CodeInvalid, "a job may be tried 1 to 20 times")
	case s.JobRetentionDays < 1 || s.JobRetentionDays > 3650:
		return model.Errorf(model.CodeInvalid, "finished jobs are kept 1 to 3650 days")
	case s.EvidenceRetentionDays < 1 || s.EvidenceRetentionDays > 3650:
		return model.Errorf(model.CodeInvalid, "screenshots and page copies are kept 1 to 3650 days")
	}
	return nil
}

// ReadSettings reads the runtime settings in tx.
func ReadSettings(tx *storage.Tx) (Settings, error) {
	st := DefaultSettings()
	if _, err := tx.GetSetting(settingRuntime, &st); err != nil {
		return st, err
	}
	out, err := campaigns.ReadSettings(tx)
	st.Warmup = out.Warmup
	return st, err
}

// Settings returns the runtime settings.
func (r *Runtime) Settings() (Settings, error) {
	var st Settings
	err := r.store.View(func(tx *storage.Tx) (err error) {
		st, err = ReadSettings(tx)
		return err
	})
	return st, err
}

// SaveSettings validates and stores the runtime settings; each change is
// audited, turning the compliance ceilings off most of all.
func (r *Runtime) SaveSettings(st Settings, o model.Origin) error {
	if err := st.Validate(); err != nil {
		return err
	}
	return r.store.Update(func(tx *storage.Tx) error {
		prev, err := ReadSettings(tx)
		if err != nil {
			return err
		}
		if err := tx.PutSetting(settingRuntime, st); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(event("settings.runtime_updated", o, map[string]any{"settings": st})); err != nil {
			return err
		}
		action := "runtime_settings_changed"
		if prev.EnforceCeilings != st.EnforceCeilings {
			action = "compliance_ceilings_enforced"
			if !st.EnforceCeilings {
				action = "compliance_ceilings_disabled"
			}
		}
		return audit(tx, o, "control", action, "settings:runtime", map[string]string{
			"enforce_ceilings": fmt.Sprintf("%t -> %t", prev.EnforceCeilings, st.EnforceCeilings),
			"pause_seconds":    fmt.Sprintf("%d-%d -> %d-%d", prev.PauseMinSeconds, prev.PauseMaxSeconds, st.PauseMinSeconds, st.PauseMaxSeconds),
			"soft_limit":       strconv.Itoa(prev.SoftLimitPercent) + "% -> " + strconv.Itoa(st.SoftLimitPercent) + "%",
			"max_attempts":     fmt.Sprintf("%d -> %d", prev.MaxAttempts, st.MaxAttempts),
			"retention_days":   fmt.Sprintf("jobs %d, evidence %d -> jobs %d, evidence %d", prev.JobRetentionDays, prev.EvidenceRetentionDays, st.JobRetentionDays, st.EvidenceRetentionDays),
		})
	})
}
