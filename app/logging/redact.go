// Package logging configures Parley's slog loggers: a redacting handler in
// front of every sink (stderr and a rotated file in the data directory).
package logging

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"sync"
)

// Mask replaces every redacted value.
const Mask = "[REDACTED]"

// tokenPatterns match credentials by shape, whatever attribute carries them.
var tokenPatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}`),
	regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}`), // JWT
	regexp.MustCompile(`\bsk-[A-Za-z0-9_-]{16,}`),                                      // OpenAI-style keys
	regexp.MustCompile(`\b(ghp|gho|ghs|github_pat|xox[abp])_[A-Za-z0-9_]{16,}`),
	regexp.MustCompile(`\b\d{6,12}:[A-Za-z0-9_-]{30,}`), // Telegram bot tokens
	regexp.MustCompile(`\bpk_(live|test)_[A-Za-z0-9]{16,}|\bsk_(live|test)_[A-Za-z0-9]{16,}`),
	regexp.MustCompile(`\bprl_[A-Za-z0-9_-]{16,}`), // Parley's own keys and tokens
}

// keyValuePattern catches key=value pairs in free text and query strings.
var keyValuePattern = regexp.MustCompile(`(?i)\b(password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?token|auth|session|csrf[_-]?token)=([^&\s"']+)`)

// userinfoPattern catches credentials in URLs (scheme://user:pass@host).
var userinfoPattern = regexp.MustCompile(`(://[^/\s:@]+):[^/\s@]+@`)

// sensitiveKey reports attribute names whose values are always secret.
func sensitiveKey(key string) bool {
	k := strings.ToLower(key)
	for _, s := range []string{"password", "passwd", "secret", "token", "api_key", "apikey", "authorization", "cookie", "private_key", "credential"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// Redactor scrubs secrets from text: known secret values (registered as
// they become known) and anything shaped like a credential.
type Redactor struct {
	mu     sync.RWMutex
	values []string
}

// NewRedactor returns a redactor that knows the given secret values.
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{}
	r.Add(secrets...)
	return r
}

// Add registers more secret values. Very short values are ignored: masking
// every "a" in every line would hide more than it protects.
func (r *Redactor) Add(secrets ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range secrets {
		if len(s) >= 6 {
			r.values = append(r.values, s)
		}
	}
}

// String returns s with every secret replaced by Mask.
func (r *Redactor) String(s string) string {
	r.mu.RLock()
	for _, v := range r.values {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, Mask)
		}
	}
	r.mu.RUnlock()
	for _, p := range tokenPatterns {
		s = p.ReplaceAllString(s, Mask)
	}
	s = keyValuePattern.ReplaceAllString(s, "$1="+Mask)
	s = userinfoPattern.ReplaceAllString(s, "$1:"+Mask+"@")
	return s
}

// Handler is a slog.Handler that redacts the message and every attribute
// before passing the record on.
type Handler struct {
	next slog.Handler
	r    *Redactor
}

// NewHandler puts a redactor in front of next.
func NewHandler(next slog.Handler, r *Redactor) *Handler { return &Handler{next: next, r: r} }

// Enabled defers to the wrapped handler.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

// Handle redacts and forwards the record.
func (h *Handler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.String(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs redacts the attributes once, up front.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = h.attr(a)
	}
	return &Handler{next: h.next.WithAttrs(clean), r: h.r}
}

// WithGroup forwards the group.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{next: h.next.WithGroup(name), r: h.r}
}

func (h *Handler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	if sensitiveKey(a.Key) && v.Kind() != slog.KindGroup {
		return slog.String(a.Key, Mask)
	}
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.r.String(v.String()))
	case slog.KindGroup:
		group := v.Group()
		clean := make([]any, len(group))
		for i, g := range group {
			clean[i] = h.attr(g)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, h.r.String(err.Error()))
		}
		return slog.String(a.Key, h.r.String(v.String()))
	}
	return slog.Attr{Key: a.Key, Value: v}
}
