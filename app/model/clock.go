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
