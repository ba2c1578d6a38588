package security

import (
	"strings"
	"sync"
	"time"

	"parley/app/model"
	"parley/storage"
)

// Audit actions (OWASP logging vocabulary where one exists).
const (
	ActLoginSuccess   = "authn_login_success"
	ActLoginFail      = "authn_login_fail"
	ActLoginLock      = "authn_login_lock"
	ActUnlock         = "authn_unlock"
	ActPasswordChange = "authn_password_change"
	ActSetupLink      = "authn_setup_link_created"
	ActSessionCreated = "session_created"
	ActSessionRenewed = "session_renewed"
	ActSessionExpired = "session_expired"
	ActSessionRevoked = "session_revoked"
	ActAPIKeyCreated  = "apikey_created"
	ActAPIKeyRevoked  = "apikey_revoked"
	ActAuthzFail      = "authz_fail"
	ActIPDenied       = "access_ip_denied"
	ActHostDenied     = "access_host_denied"
	ActCSRF           = "malicious_csrf"
	ActRateLimited    = "access_rate_limited"
)

// Auth methods recorded in the audit trail.
const (
	MethodPassword = "password"
	MethodSession  = "session"
	MethodAPIKey   = "api_key"
	MethodBasic    = "basic"
	MethodSetup    = "setup_link"
	MethodCLI      = "cli"
)

// Record is an audit entry before the store stamps and chains it.
type Record struct {
	Action     string
	Actor      string
	AuthMethod string
	Target     string
	Outcome    string
	Details    map[string]string
}

// category is the part of the action before the first underscore:
// authn, session, apikey, authz, access, malicious.
func category(action string) string {
	c, _, _ := strings.Cut(action, "_")
	return c
}

func (s *Service) audit(tx *storage.Tx, m Meta, r Record) error {
	if r.Outcome == "" {
		r.Outcome = model.OutcomeSuccess
	}
	if r.Actor == "" {
		r.Actor = "anonymous"
	}
	_, err := tx.AppendAudit(model.AuditRecord{
		Category: category(r.Action), Action: r.Action, Actor: r.Actor, AuthMethod: r.AuthMethod,
		PeerIP: m.PeerIP, RequestID: m.RequestID, Target: r.Target, Outcome: r.Outcome, Details: r.Details,
	})
	return err
}

// AuditNoisy records an event an attacker can trigger at will (refused
// IPs, hosts, CSRF, authorization failures, bad keys). At most one record
// per action and peer per minute is written, so the audit trail cannot be
// used to fill the disk; the rest are only logged.
func (s *Service) AuditNoisy(m Meta, r Record) {
	if r.Outcome == "" {
		r.Outcome = model.OutcomeFailure
	}
	s.o.Logger.Warn("security event", "action", r.Action, "peer", m.PeerIP, "target", r.Target, "request_id", m.RequestID)
	if !s.noisy.allow(r.Action+"|"+m.PeerIP, s.o.Clock.Now()) {
		return
	}
	if err := s.o.Store.Update(func(tx *storage.Tx) error { return s.audit(tx, m, r) }); err != nil {
		s.o.Logger.Error("audit record could not be written", "action", r.Action, "error", err)
	}
}

// throttle allows one event per key per period.
type throttle struct {
	mu     sync.Mutex
	period time.Duration
	last   map[string]time.Time
}

func newThrottle(period time.Duration) *throttle {
	return &throttle{period: period, last: map[string]time.Time{}}
}

func (t *throttle) allow(key string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if last, ok := t.last[key]; ok && now.Sub(last) < t.period {
		return false
	}
	if len(t.last) > 10000 {
		for k, v := range t.last {
			if now.Sub(v) >= t.period {
				delete(t.last, k)
			}
		}
	}
	t.last[key] = now
	return true
}
