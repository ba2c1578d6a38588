package campaigns

import (
	"fmt"

	"parley/app/model"
	"parley/storage"
)

// Settings are the outreach settings an operator can change from the
// dashboard or the API. They live in the database (settings bucket), so
// they travel with backups.
type Settings struct {
	// MessageMaxChars bounds messages and follow-ups (LinkedIn's own limit
	// is 8000 characters).
	MessageMaxChars int `json:"message_max_chars"`
	// RetentionDays purges the personal data of leads with no activity for
	// that many days; 0 keeps them forever (the default).
	RetentionDays int `json:"retention_days"`
	// Warmup is how new sender accounts' daily limits grow.
	Warmup model.Warmup `json:"warmup"`
}

const settingOutreach = "outreach"

// DefaultSettings are used until an operator saves others.
func DefaultSettings() Settings {
	return Settings{MessageMaxChars: model.DefaultMessageMaxChars, Warmup: model.DefaultWarmup()}
}

// Validate checks each field and says how to fix it.
func (st Settings) Validate() error {
	switch {
	case st.MessageMaxChars < 100 || st.MessageMaxChars > model.DefaultMessageMaxChars:
		return model.Errorf(model.CodeInvalid, "the message limit must be 100 to %d characters (LinkedIn allows %d)", model.DefaultMessageMaxChars, model.DefaultMessageMaxChars)
	case st.RetentionDays < 0 || st.RetentionDays > 3650:
		return model.Errorf(model.CodeInvalid, "retention must be 0 (keep forever) to 3650 days")
	case st.RetentionDays > 0 && st.RetentionDays < 30:
		return model.Errorf(model.CodeInvalid, "retention shorter than 30 days would erase leads in the middle of a campaign; use 30 or more, or 0 to keep them")
	case st.Warmup.StartPerDay < 1 || st.Warmup.StartPerDay > 20:
		return model.Errorf(model.CodeInvalid, "warm-up must start at 1 to 20 actions a day")
	case st.Warmup.StepPerDay < 0 || st.Warmup.StepPerDay > 10:
		return model.Errorf(model.CodeInvalid, "warm-up may grow by 0 to 10 actions a day")
	}
	return nil
}

func readSettings(tx *storage.Tx) (Settings, error) {
	st := DefaultSettings()
	_, err := tx.GetSetting(settingOutreach, &st)
	return st, err
}

// Settings returns the current outreach settings.
func (s *Service) Settings() (Settings, error) {
	var st Settings
	err := s.store.View(func(tx *storage.Tx) (err error) {
		st, err = readSettings(tx)
		return err
	})
	return st, err
}

// SaveSettings validates and stores the outreach settings (audited: the
// retention setting erases personal data).
func (s *Service) SaveSettings(st Settings, o model.Origin) error {
	if err := st.Validate(); err != nil {
		return err
	}
	return s.store.Update(func(tx *storage.Tx) error {
		prev, err := readSettings(tx)
		if err != nil {
			return err
		}
		if err := tx.PutSetting(settingOutreach, st); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(leadEvent("settings.outreach_updated", o, map[string]any{"settings": st})); err != nil {
			return err
		}
		return audit(tx, o, "settings", "outreach_settings_changed", "settings:outreach", map[string]string{
			"message_max_chars": fmt.Sprintf("%d -> %d", prev.MessageMaxChars, st.MessageMaxChars),
			"retention_days":    fmt.Sprintf("%d -> %d", prev.RetentionDays, st.RetentionDays),
			"warmup":            fmt.Sprintf("%d+%d -> %d+%d", prev.Warmup.StartPerDay, prev.Warmup.StepPerDay, st.Warmup.StartPerDay, st.Warmup.StepPerDay),
		})
	})
}

// ReadSettings reads the outreach settings in the caller's transaction.
func ReadSettings(tx *storage.Tx) (Settings, error) { return readSettings(tx) }
