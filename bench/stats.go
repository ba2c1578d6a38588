//go:build linux

package main

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// series is one figure measured once per run.
type series []float64

// median is the middle value (the mean of the two middle values for an
// even count); 0 for an empty series.
func (s series) median() float64 {
	if len(s) == 0 {
		return 0
	}
	c := slices.Clone(s)
	slices.Sort(c)
	m := len(c) / 2
	if len(c)%2 == 1 {
		return c[m]
	}
	return (c[m-1] + c[m]) / 2
}

func (s series) min() float64 {
	if len(s) == 0 {
		return 0
	}
	return slices.Min(s)
}

func (s series) max() float64 {
	if len(s) == 0 {
		return 0
	}
	return slices.Max(s)
}

// fmtWith prints "median [min–max]" with f formatting each number; the
// bracket is left out for a single run.
func (s series) fmtWith(f func(float64) string) string {
	if len(s) <= 1 {
		return f(s.median())
	}
	return fmt.Sprintf("%s [%s–%s]", f(s.median()), f(s.min()), f(s.max()))
}

// durations turns a series of seconds into formatted durations.
func (s series) fmtDur() string {
	return s.fmtWith(func(x float64) string { return fmtDur(secs(x)) })
}

// secs converts seconds to a Duration.
func secs(x float64) time.Duration { return time.Duration(x * float64(time.Second)) }

// latencies summarises commit latencies of one window.
type latencies struct {
	count         int
	p50, p99, max time.Duration
}

// summarize computes count, p50, p99 and max (nearest-rank percentiles).
func summarize(ls []time.Duration) latencies {
	if len(ls) == 0 {
		return latencies{}
	}
	c := slices.Clone(ls)
	slices.Sort(c)
	return latencies{count: len(c), p50: percentile(c, 50), p99: percentile(c, 99), max: c[len(c)-1]}
}

// percentile returns the nearest-rank p-th percentile of sorted values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}
