package model

import "time"

// Clock is the source of time for anything that schedules or expires. The
// real one wraps package time; tests inject a fake they can advance.
type Clock interface {
	Now() time.Time
	// After behaves like time.After but follows the clock's notion of time.
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the wall clock, always in UTC.
type SystemClock struct{}

// Now returns the current time in UTC.
func (SystemClock) Now() time.Time { return time.Now().UTC() }

// After waits for d on the wall clock.
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// ParseWhen reads a date (YYYY-MM-DD, UTC) or an RFC 3339 time given for
// the field name; "" is the zero time. A date that ends a range (end) means
// the end of that day.
func ParseWhen(v, name string, end bool) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, Errorf(CodeInvalid, "%s must be a date (YYYY-MM-DD) or an RFC 3339 time", name)
	}
	if end {
		t = t.Add(24 * time.Hour)
	}
	return t, nil
}
