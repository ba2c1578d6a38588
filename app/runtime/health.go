package runtime

import (
	"parley/app/model"
	"parley/storage"
)

// Health periods.
const (
	PeriodHour = "hour"
	PeriodDay  = "day"
)

// Health returns up to n of an account's newest health snapshots of a
// period (PeriodHour or PeriodDay), oldest first.
func (r *Runtime) Health(accountID uint64, period string, n int) ([]model.HealthSnapshot, error) {
	if period != PeriodHour && period != PeriodDay {
		return nil, model.Errorf(model.CodeInvalid, "period must be %q or %q", PeriodHour, PeriodDay)
	}
	n = min(max(n, 1), 24*31)
	var out []model.HealthSnapshot
	err := r.store.View(func(tx *storage.Tx) error {
		if _, err := tx.Account(accountID); err != nil {
			return err
		}
		var err error
		out, err = tx.HealthSnapshots(accountID, period, n)
		return err
	})
	return out, err
}
