// Package format renders numbers, sizes, durations and times for views.
package format

import (
	"fmt"
	"time"
)

// Bytes renders a size with a binary unit: 1.4 MiB.
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// Duration renders a duration for people: 850 ms, 3.2 s, 4 min, 2 h 5 min.
func Duration(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		h := int(d.Hours())
		if m := int(d.Minutes()) % 60; m != 0 {
			return fmt.Sprintf("%d h %d min", h, m)
		}
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d days", int(d.Hours()/24))
}

// ISO is the machine-readable UTC time for <time datetime>.
func ISO(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Time is the server-side rendering of a time (UTC); app.js replaces it
// with the viewer's local time.
func Time(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format("2 Jan 2006 15:04 UTC")
}

// Relative says how far t is from now in words: "in 3 h", "5 min ago".
func Relative(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := t.Sub(now)
	switch {
	case d >= 0 && d < time.Minute:
		return "in under a minute"
	case d > -time.Minute && d < 0:
		return "just now"
	case d > 0:
		return "in " + Duration(d)
	}
	return Duration(-d) + " ago"
}

// Ago says how long ago a past time t was: "just now", "5 min ago". A time
// at or a little after now (clock skew) is "just now", never "in …".
func Ago(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	if d := now.Sub(t); d >= time.Minute {
		return Duration(d) + " ago"
	}
	return "just now"
}

// Short abbreviates a hash for tables.
func Short(h string) string {
	if len(h) > 12 {
		return h[:12] + "…"
	}
	return h
}
