package format

import (
	"testing"
	"time"
)

func TestFormats(t *testing.T) {
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	cases := [][2]string{
		{Bytes(0), "0 B"},
		{Bytes(1023), "1023 B"},
		{Bytes(1536), "1.5 KiB"},
		{Bytes(500 << 20), "500.0 MiB"},
		{Duration(850 * time.Millisecond), "850 ms"},
		{Duration(3200 * time.Millisecond), "3.2 s"},
		{Duration(4 * time.Minute), "4 min"},
		{Duration(2*time.Hour + 5*time.Minute), "2 h 5 min"},
		{Duration(6 * time.Hour), "6 h"},
		{Duration(72 * time.Hour), "3 days"},
		{Relative(now.Add(30*time.Second), now), "in under a minute"},
		{Relative(now.Add(-30*time.Second), now), "just now"},
		{Relative(now.Add(3*time.Hour), now), "in 3 h"},
		{Relative(now.Add(-5*time.Minute), now), "5 min ago"},
		{Relative(time.Time{}, now), "never"},
		{Ago(now, now), "just now"},
		{Ago(now.Add(2*time.Second), now), "just now"},
		{Ago(now.Add(-90*time.Minute), now), "1 h 30 min ago"},
		{Ago(time.Time{}, now), "never"},
		{Time(now), "3 Dec 2026 09:00 UTC"},
		{Time(time.Time{}), "never"},
		{ISO(now.In(time.FixedZone("x", 3600))), "2026-12-03T09:00:00Z"},
		{Short("0123456789abcdef"), "0123456789ab…"},
		{Short("abc"), "abc"},
	}
	for _, c := range cases {
		if got, want := c[0], c[1]; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
