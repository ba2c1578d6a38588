package runtime

import (
	"slices"
	"time"

	"parley/app/model"
)

// minutes parses "HH:MM" (already validated when the account was saved).
func minutes(s string) int {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0
	}
	return t.Hour()*60 + t.Minute()
}

// workingHours reports whether now is inside the account's working days
// and hours in its own time zone; if not, next is when they begin again.
// Hours that end before they start run past midnight.
func workingHours(a model.Account, now time.Time) (in bool, next time.Time) {
	loc := zone(a)
	local := now.In(loc)
	start, end := minutes(a.WorkStart), minutes(a.WorkEnd)
	if len(a.WorkDays) == 0 || start == end {
		return false, time.Time{}
	}
	open := func(day time.Time) (time.Time, time.Time) {
		s := time.Date(day.Year(), day.Month(), day.Day(), start/60, start%60, 0, 0, loc)
		e := time.Date(day.Year(), day.Month(), day.Day(), end/60, end%60, 0, 0, loc)
		if end < start {
			e = e.AddDate(0, 0, 1)
		}
		return s, e
	}
	// A shift that started yesterday may still run (overnight hours).
	for d := -1; d <= 8; d++ {
		day := local.AddDate(0, 0, d)
		if !slices.Contains(a.WorkDays, day.Weekday()) {
			continue
		}
		s, e := open(day)
		if !local.Before(s) && local.Before(e) {
			return true, time.Time{}
		}
		if s.After(local) {
			return false, s.UTC()
		}
	}
	return false, time.Time{}
}
