// Package security guards the dashboard and the API: users and argon2id
// passwords, the first-run setup link, server-side sessions (behind a
// gorilla/sessions Store), API keys, lockout after failed logins, per-IP
// rate limits, the trusted-IP policy and the security audit trail. Every
// guarded change commits together with its audit record (fail closed).
package security

import (
	"context"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"parley/app/model"
	"parley/storage"
)

// Options configure a Service. Zero values take the defaults.
type Options struct {
	Store  *storage.Store
	Clock  model.Clock
	Logger *slog.Logger

	IdleTimeout     time.Duration // 30 min
	AbsoluteTimeout time.Duration // 12 h
	RotateEvery     time.Duration // 15 min
	RotationGrace   time.Duration // 60 s: old id keeps working for in-flight requests

	LockThreshold int           // 5 failures...
	LockWindow    time.Duration // ...within 15 min lock the user or IP
	LockBase      time.Duration // first lock 15 min, doubling
	LockMax       time.Duration // capped at 24 h

	SetupTTL time.Duration // 15 min

	// OnLock, when set, is told after a failed sign-in locks a user or an
	// IP (the runtime turns repeated lockouts into an incident).
	OnLock func(target string)

	// HashMemoryKiB and HashPasses tune argon2id (defaults: OWASP's 19 MiB
	// and 2 passes). Stored hashes keep their own parameters and are
	// upgraded at the next sign-in.
	HashMemoryKiB uint32
	HashPasses    uint32

	argon argonParams
}

// Service implements authentication and its audit trail.
type Service struct {
	o         Options
	dummyHash func() string
	hashSlots chan struct{}
	seen      *throttle
	used      *throttle
	noisy     *throttle
	// Streams ends a login's long-lived responses (SSE) when it ends.
	Streams *Streams
}

// Meta describes where a request came from, for sessions and the audit
// trail.
type Meta struct {
	PeerIP    string
	UserAgent string
	RequestID string
}

// New returns a service with defaults filled in.
func New(o Options) *Service {
	if o.Clock == nil {
		o.Clock = model.SystemClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.IdleTimeout, 30*time.Minute)
	def(&o.AbsoluteTimeout, 12*time.Hour)
	def(&o.RotateEvery, 15*time.Minute)
	def(&o.RotationGrace, time.Minute)
	def(&o.LockWindow, 15*time.Minute)
	def(&o.LockBase, 15*time.Minute)
	def(&o.LockMax, 24*time.Hour)
	def(&o.SetupTTL, 15*time.Minute)
	if o.LockThreshold <= 0 {
		o.LockThreshold = 5
	}
	o.argon = defaultArgon
	if o.HashMemoryKiB > 0 {
		o.argon.memory = o.HashMemoryKiB
	}
	if o.HashPasses > 0 {
		o.argon.time = o.HashPasses
	}
	s := &Service{
		o:         o,
		hashSlots: make(chan struct{}, 2),
		seen:      newThrottle(time.Minute),
		used:      newThrottle(time.Minute),
		noisy:     newThrottle(time.Minute),
		Streams:   NewStreams(),
	}
	// Unknown users are checked against this hash so that a failed login
	// takes as long whether or not the user exists. It is made on first
	// use, not at start: hashing takes tens of milliseconds and ~19 MiB.
	s.dummyHash = sync.OnceValue(func() string {
		h, _ := s.hash("parley-dummy-password")
		return h
	})
	return s
}

// Options returns the effective options (timeouts for cookies and pages).
func (s *Service) Options() Options { return s.o }

// hash runs argon2id with bounded concurrency: each hash takes ~19 MiB.
func (s *Service) hash(pw string) (string, error) {
	s.hashSlots <- struct{}{}
	defer s.releaseSlot()
	return hashPassword(pw, s.o.argon)
}

// releaseSlot frees a hashing slot and, when no other hash runs, hands the
// hash's memory back to the operating system: sign-ins are rare, and an
// idle Parley should not keep 19 MiB per sign-in resident.
func (s *Service) releaseSlot() {
	<-s.hashSlots
	if len(s.hashSlots) == 0 {
		debug.FreeOSMemory()
	}
}

func (s *Service) verify(pw, phc string) (ok, stale bool) {
	s.hashSlots <- struct{}{}
	defer s.releaseSlot()
	ok, stale, err := verifyPassword(pw, phc, s.o.argon)
	if err != nil {
		s.o.Logger.Error("stored password hash is unreadable", "error", err)
		return false, false
	}
	return ok, stale
}

// Serve runs the janitor: expired sessions and stale lockouts are removed
// every few minutes.
func (s *Service) Serve(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.o.Clock.After(5 * time.Minute):
		}
		if err := s.sweep(); err != nil {
			s.o.Logger.Error("session janitor failed", "error", err)
		}
	}
}
