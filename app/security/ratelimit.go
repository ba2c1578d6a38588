package security

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"parley/app/model"
)

// Limiter is a per-IP token bucket (golang.org/x/time/rate) for one class
// of endpoints. Idle buckets are forgotten.
type Limiter struct {
	mu      sync.Mutex
	every   time.Duration
	burst   int
	clock   model.Clock
	buckets map[string]*bucket
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewLimiter allows burst requests at once and one more every interval.
func NewLimiter(every time.Duration, burst int, clock model.Clock) *Limiter {
	if clock == nil {
		clock = model.SystemClock{}
	}
	return &Limiter{every: every, burst: burst, clock: clock, buckets: map[string]*bucket{}}
}

// Allow takes a token for ip. When none is left it returns false and how
// long until the next one.
func (l *Limiter) Allow(ip string) (bool, time.Duration) {
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[ip]
	if !ok {
		if len(l.buckets) > 10000 {
			l.forget(now)
		}
		b = &bucket{lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.buckets[ip] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, time.Duration(math.Ceil(d.Seconds())) * time.Second
	}
	return true, 0
}

func (l *Limiter) forget(now time.Time) {
	for ip, b := range l.buckets {
		if now.Sub(b.seen) > 10*time.Minute {
			delete(l.buckets, ip)
		}
	}
}
