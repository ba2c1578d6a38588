package security

import (
	"errors"
	"strings"
	"testing"
	"time"

	"parley/app/clocktest"
	"parley/app/model"
	"parley/storage"
	"parley/storage/storagetest"
)

var t0 = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

// cheap keeps tests fast; the production parameters are tested once in
// TestPasswordHashing.
var cheap = argonParams{memory: 64, time: 1, threads: 1}

type fixture struct {
	svc   *Service
	store *storage.Store
	clock *clocktest.Clock
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clock := clocktest.New(t0)
	store := storagetest.Open(t, clock)
	return &fixture{svc: New(Options{Store: store, Clock: clock, HashMemoryKiB: cheap.memory, HashPasses: cheap.time}), store: store, clock: clock}
}

var meta = Meta{PeerIP: "127.0.0.1", UserAgent: "test", RequestID: "req-1"}

func (f *fixture) user(t *testing.T, name, pw string) {
	t.Helper()
	if err := f.svc.SetPassword(name, pw, model.ActorCLI, meta); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) actions(t *testing.T) []string {
	t.Helper()
	var out []string
	f.store.View(func(tx *storage.Tx) error {
		recs, _ := tx.RecentAudit(0, 1000)
		for i := len(recs) - 1; i >= 0; i-- {
			out = append(out, recs[i].Action)
		}
		return nil
	})
	return out
}

func (f *fixture) lastAudit(t *testing.T) model.AuditRecord {
	t.Helper()
	var r model.AuditRecord
	f.store.View(func(tx *storage.Tx) error {
		recs, _ := tx.RecentAudit(0, 1)
		r = recs[0]
		return nil
	})
	return r
}

func TestPasswordHashing(t *testing.T) {
	h, err := hashPassword("correct horse battery", defaultArgon)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash = %s", h)
	}
	if ok, stale, _ := verifyPassword("correct horse battery", h, defaultArgon); !ok || stale {
		t.Fatalf("verify = %v %v", ok, stale)
	}
	if ok, _, _ := verifyPassword("correct horse batterY", h, defaultArgon); ok {
		t.Fatal("wrong password accepted")
	}
	// Unicode: the same password in another normalisation form matches.
	composed, decomposed := "caf\u00e9-pässwörd", "cafe\u0301-pa\u0308sswo\u0308rd"
	h2, _ := hashPassword(composed, cheap)
	if ok, stale, _ := verifyPassword(decomposed, h2, defaultArgon); !ok || !stale {
		t.Fatalf("NFKC: ok=%v stale=%v", ok, stale)
	}
	// Long passwords are never truncated: a change at the very end counts.
	long := strings.Repeat("x", 1000)
	h3, _ := hashPassword(long+"a", cheap)
	if ok, _, _ := verifyPassword(long+"b", h3, defaultArgon); ok {
		t.Fatal("long password truncated")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$aa$bb", "$argon2id$v=19$m=x$a$b", "$argon2id$v=19$m=1,t=1,p=1$!!$bb"} {
		if _, _, err := verifyPassword("x", bad, defaultArgon); err == nil {
			t.Errorf("parsed %q", bad)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	for pw, ok := range map[string]bool{
		"short":                               false,
		"12345678":                            true,
		"        ":                            false,
		"пароль12":                            true, // 8 Cyrillic/ASCII characters, 14 bytes
		"密码密码密码密码":                            true,
		strings.Repeat("a", MaxPasswordLen):   true,
		strings.Repeat("a", MaxPasswordLen+1): false,
		"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8":    false,
	} {
		if err := CheckPassword(pw); (err == nil) != ok {
			t.Errorf("CheckPassword(%q) = %v", pw[:min(len(pw), 20)], err)
		}
	}
}

func TestLoginSuccessAndFailure(t *testing.T) {
	f := newFixture(t)
	f.user(t, "alice", "s3cret-pass")
	res, err := f.svc.Login("Alice", "s3cret-pass", meta)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(res.Token, prefixSession) || res.Session.ID != tokenHash(res.Token) || res.Session.CSRF == "" {
		t.Fatalf("login = %+v", res)
	}
	acts := f.actions(t)
	if acts[len(acts)-2] != ActSessionCreated || acts[len(acts)-1] != ActLoginSuccess {
		t.Fatalf("audit = %v", acts)
	}
	// The token itself is never stored.
	f.store.View(func(tx *storage.Tx) error {
		if _, ok, _ := tx.Session(res.Token); ok {
			t.Error("raw token usable as a key")
		}
		return nil
	})

	_, errWrong := f.svc.Login("alice", "wrong-pass", meta)
	_, errUnknown := f.svc.Login("mallory", "wrong-pass", meta)
	if errWrong == nil || errUnknown == nil || errWrong.Error() != errUnknown.Error() || model.ErrorCode(errWrong) != model.CodeUnauthorized {
		t.Fatalf("failures differ: %v / %v", errWrong, errUnknown)
	}
	if a := f.lastAudit(t); a.Action != ActLoginFail || a.Outcome != model.OutcomeFailure || a.PeerIP != "127.0.0.1" || a.RequestID != "req-1" {
		t.Fatalf("audit = %+v", a)
	}
	for _, in := range [][2]string{{"", "x"}, {strings.Repeat("n", 200), "x"}, {"alice", strings.Repeat("p", 5000)}} {
		if _, err := f.svc.Login(in[0], in[1], meta); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("login(%q...) = %v", in[0][:min(len(in[0]), 8)], err)
		}
	}
}

func TestLockoutPerUserAndPerIP(t *testing.T) {
	f := newFixture(t)
	f.user(t, "alice", "s3cret-pass")
	other := Meta{PeerIP: "10.0.0.9"}
	for i := range 5 {
		_, err := f.svc.Login("alice", "nope", Meta{PeerIP: "10.0.0." + string(rune('1'+i))})
		if i < 4 && model.ErrorCode(err) != model.CodeUnauthorized {
			t.Fatalf("attempt %d: %v", i, err)
		}
		if i == 4 && model.ErrorCode(err) != model.CodeTooMany {
			t.Fatalf("fifth failure did not lock: %v", err)
		}
	}
	// Locked: even the right password, from any IP, gets 429 with a wait.
	_, err := f.svc.Login("alice", "s3cret-pass", other)
	if model.ErrorCode(err) != model.CodeTooMany || model.RetryAfter(err) != 15*time.Minute {
		t.Fatalf("locked login = %v (retry %v)", err, model.RetryAfter(err))
	}
	acts := f.actions(t)
	if !contains(acts, ActLoginLock) {
		t.Fatalf("no lock record: %v", acts)
	}
	// The lock survives a restart: a new service on the same store.
	restarted := New(Options{Store: f.store, Clock: f.clock, HashMemoryKiB: cheap.memory, HashPasses: cheap.time})
	if _, err := restarted.Login("alice", "s3cret-pass", other); model.ErrorCode(err) != model.CodeTooMany {
		t.Fatalf("after restart = %v", err)
	}
	// It ends after its period; the next lock doubles.
	f.clock.Advance(16 * time.Minute)
	for range 5 {
		f.svc.Login("alice", "nope", Meta{PeerIP: "10.1.1.1"})
	}
	// 10.1.1.1 failed 5 times too: both keys are locked; the user's lock is
	// the second one (30 min), the IP's the first (15 min).
	_, err = f.svc.Login("alice", "s3cret-pass", other)
	if model.RetryAfter(err) != 30*time.Minute {
		t.Fatalf("second lock wait = %v", model.RetryAfter(err))
	}
	// Unlock is the escape hatch.
	if err := f.svc.Unlock("alice", "10.1.1.1", model.ActorCLI, meta); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Login("alice", "s3cret-pass", Meta{PeerIP: "10.1.1.1"}); err != nil {
		t.Fatalf("after unlock = %v", err)
	}
	if a := f.lastAudit(t); a.Action != ActLoginSuccess {
		t.Fatalf("last = %s", a.Action)
	}
}

func TestIPLockoutAcrossUsers(t *testing.T) {
	f := newFixture(t)
	f.user(t, "alice", "s3cret-pass")
	attacker := Meta{PeerIP: "192.0.2.7"}
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		f.svc.Login(name, "guess", attacker)
	}
	if _, err := f.svc.Login("alice", "s3cret-pass", attacker); model.ErrorCode(err) != model.CodeTooMany {
		t.Fatalf("locked IP = %v", err)
	}
	if _, err := f.svc.Login("alice", "s3cret-pass", meta); err != nil {
		t.Fatalf("another IP is not affected: %v", err)
	}
}

func TestLockDoublingIsCapped(t *testing.T) {
	f := newFixture(t)
	l := model.Lockout{Key: "user:x"}
	var waits []time.Duration
	now := t0
	for range 10 {
		for range 5 {
			f.svc.registerFailure(&l, now)
		}
		waits = append(waits, l.LockedUntil.Sub(now))
		now = l.LockedUntil.Add(time.Minute)
	}
	if waits[0] != 15*time.Minute || waits[1] != 30*time.Minute || waits[2] != time.Hour || waits[9] != 24*time.Hour {
		t.Fatalf("waits = %v", waits)
	}
	// A day without locks starts over.
	for range 5 {
		f.svc.registerFailure(&l, now.Add(48*time.Hour))
	}
	if d := l.LockedUntil.Sub(now.Add(48 * time.Hour)); d != 15*time.Minute {
		t.Fatalf("after a quiet day: %v", d)
	}
}

func TestSessionTimeoutsWithFakeClock(t *testing.T) {
	f := newFixture(t)
	f.user(t, "alice", "s3cret-pass")
	f.svc.o.RotateEvery = 24 * time.Hour // isolate the timeouts

	// Idle: 30 minutes without a request ends the session.
	res, _ := f.svc.Login("alice", "s3cret-pass", meta)
	f.clock.Advance(29 * time.Minute)
	if _, err := f.svc.Authenticate(res.Token, meta); err != nil {
		t.Fatalf("29 min idle: %v", err)
	}
	f.clock.Advance(29 * time.Minute)
	if _, err := f.svc.Authenticate(res.Token, meta); err != nil {
		t.Fatalf("activity must extend the idle timeout: %v", err)
	}
	f.clock.Advance(31 * time.Minute)
	if _, err := f.svc.Authenticate(res.Token, meta); !errors.Is(err, ErrNoSession) {
		t.Fatalf("31 min idle: %v", err)
	}
	if a := f.lastAudit(t); a.Action != ActSessionExpired || a.Details["reason"] != "idle timeout" {
		t.Fatalf("audit = %+v", a)
	}

	// Absolute: 12 hours after login, even when active.
	res, _ = f.svc.Login("alice", "s3cret-pass", meta)
	for range 12 * 4 {
		f.clock.Advance(15 * time.Minute)
		if _, err := f.svc.Authenticate(res.Token, meta); err != nil {
			t.Fatalf("active session ended early at %v: %v", f.clock.Now().Sub(t0), err)
		}
	}
	f.clock.Advance(time.Minute)
	if _, err := f.svc.Authenticate(res.Token, meta); !errors.Is(err, ErrNoSession) {
		t.Fatalf("past 12 h: %v", err)
	}
}

func TestRotationWithGraceWindow(t *testing.T) {
	f := newFixture(t)
	f.user(t, "alice", "s3cret-pass")
	res, _ := f.svc.Login("alice", "s3cret-pass", meta)
	f.clock.Advance(16 * time.Minute)
	a, err := f.svc.Authenticate(res.Token, meta)
	if err != nil || a.NewToken == "" || a.NewToken == res.Token || a.LoginID != res.Session.ID || a.CSRF != res.Session.CSRF {
		t.Fatalf("rotation = %+v %v", a, err)
	}
	// In-flight requests with the old cookie still work for the grace window
	// and do not rotate again.
	old, err := f.svc.Authenticate(res.Token, meta)
	if err != nil || old.NewToken != "" || old.SessionID != tokenHash(a.NewToken) {
		t.Fatalf("grace = %+v %v", old, err)
	}
	f.clock.Advance(2 * time.Minute)
	if _, err := f.svc.Authenticate(res.Token, meta); !errors.Is(err, ErrNoSession) {
		t.Fatalf("old id after grace: %v", err)
	}
	if _, err := f.svc.Authenticate(a.NewToken, meta); err != nil {
		t.Fatalf("new id: %v", err)
	}
	if !contains(f.actions(t), ActSessionRenewed) {
		t.Fatal("rotation not audited")
	}
	// The janitor removes the dead id.
	f.svc.sweep()
	f.store.View(func(tx *storage.Tx) error {
		if _, ok, _ := tx.Session(res.Session.ID); ok {
			t.Error("rotated-away record not swept")
		}
		return nil
	})
}

func TestLogoutAndRevocation(t *testing.T) {
	f := newFixture(t)
	f.user(t, "alice", "s3cret-pass")
	a, _ := f.svc.Login("alice", "s3cret-pass", meta)
	b, _ := f.svc.Login("alice", "s3cret-pass", Meta{PeerIP: "127.0.0.2"})
	c, _ := f.svc.Login("alice", "s3cret-pass", Meta{PeerIP: "127.0.0.3"})
	ended := make(chan struct{})
	f.svc.Streams.Add(b.Session.LoginID, func() { close(ended) })

	list, _ := f.svc.Sessions("alice", a.Session.LoginID)
	if len(list) != 3 || list[0].Current == list[1].Current && list[1].Current == list[2].Current {
		t.Fatalf("sessions = %+v", list)
	}
	if err := f.svc.RevokeSession("alice", b.Session.LoginID, meta); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ended:
	default:
		t.Fatal("revoking did not end the session's stream")
	}
	if _, err := f.svc.Authenticate(b.Token, meta); !errors.Is(err, ErrNoSession) {
		t.Fatal("revoked session still works")
	}
	if err := f.svc.RevokeSession("bob", a.Session.LoginID, meta); model.ErrorCode(err) != model.CodeNotFound {
		t.Fatalf("revoking another user's session: %v", err)
	}
	n, _ := f.svc.RevokeOtherSessions("alice", a.Session.LoginID, meta)
	if n != 1 {
		t.Fatalf("revoked %d others", n)
	}
	if _, err := f.svc.Authenticate(c.Token, meta); !errors.Is(err, ErrNoSession) {
		t.Fatal("other session still works")
	}
	if err := f.svc.Logout(a.Token, meta); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Authenticate(a.Token, meta); !errors.Is(err, ErrNoSession) {
		t.Fatal("replayed cookie after logout works")
	}
	if err := f.svc.Logout(a.Token, meta); err != nil {
		t.Fatal("second logout should be harmless")
	}
}

func TestChangePasswordRevokesOthersAndRotates(t *testing.T) {
	f := newFixture(t)
	f.user(t, "alice", "s3cret-pass")
	a, _ := f.svc.Login("alice", "s3cret-pass", meta)
	b, _ := f.svc.Login("alice", "s3cret-pass", meta)
	if _, err := f.svc.ChangePassword("alice", "wrong", "new-pass-123", a.Session.LoginID, meta); model.ErrorCode(err) != model.CodeInvalid {
		t.Fatalf("wrong current password: %v", err)
	}
	if _, err := f.svc.ChangePassword("alice", "s3cret-pass", "short", a.Session.LoginID, meta); model.ErrorCode(err) != model.CodeInvalid {
		t.Fatalf("weak new password: %v", err)
	}
	tok, err := f.svc.ChangePassword("alice", "s3cret-pass", "new-pass-123", a.Session.LoginID, meta)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Authenticate(a.Token, meta); !errors.Is(err, ErrNoSession) {
		t.Fatal("old id of the current session survived the password change")
	}
	if _, err := f.svc.Authenticate(b.Token, meta); !errors.Is(err, ErrNoSession) {
		t.Fatal("other session survived the password change")
	}
	cur, err := f.svc.Authenticate(tok, meta)
	if err != nil || cur.CSRF != a.Session.CSRF || cur.LoginID != a.Session.LoginID {
		t.Fatalf("new id = %+v %v", cur, err)
	}
	if _, err := f.svc.Login("alice", "new-pass-123", meta); err != nil {
		t.Fatal(err)
	}
}

func TestFirstRunSetup(t *testing.T) {
	f := newFixture(t)
	if !f.svc.NeedsSetup() == true && f.svc.NeedsSetup() {
		t.Fatal()
	}
	tok, err := f.svc.EnsureOwner(meta)
	if err != nil || !strings.HasPrefix(tok, prefixSetup) {
		t.Fatalf("token = %q %v", tok, err)
	}
	if !f.svc.NeedsSetup() {
		t.Fatal("setup not pending")
	}
	// No default credentials: the owner cannot sign in before setup.
	if _, err := f.svc.Login(DefaultOwner, "", meta); err == nil {
		t.Fatal("owner signed in without a password")
	}
	// A restart issues a new link; the old one stops working.
	tok2, _ := f.svc.EnsureOwner(meta)
	if _, err := f.svc.SetupUser(tok); err == nil {
		t.Fatal("old link still works")
	}
	if u, err := f.svc.SetupUser(tok2); err != nil || u != DefaultOwner {
		t.Fatalf("SetupUser = %q %v", u, err)
	}
	if _, err := f.svc.CompleteSetup(tok2, "owner name", "long-enough", meta); model.ErrorCode(err) != model.CodeInvalid {
		t.Fatalf("bad name: %v", err)
	}
	if _, err := f.svc.CompleteSetup(tok2, "ops", "short", meta); model.ErrorCode(err) != model.CodeInvalid {
		t.Fatalf("short password: %v", err)
	}
	login, err := f.svc.CompleteSetup(tok2, "ops", "long-enough", meta)
	if err != nil || login.Token == "" {
		t.Fatalf("complete = %+v %v", login, err)
	}
	// Single use.
	if _, err := f.svc.CompleteSetup(tok2, "ops", "long-enough", meta); model.ErrorCode(err) != model.CodeForbidden {
		t.Fatalf("reuse = %v", err)
	}
	if f.svc.NeedsSetup() || f.svc.HasUser(DefaultOwner) || !f.svc.HasUser("ops") {
		t.Fatal("owner not renamed and set up")
	}
	if tok, _ := f.svc.EnsureOwner(meta); tok != "" {
		t.Fatal("a set-up installation issued a setup link")
	}
	if _, err := f.svc.Login("ops", "long-enough", meta); err != nil {
		t.Fatal(err)
	}
}

func TestSetupLinkExpires(t *testing.T) {
	f := newFixture(t)
	tok, _ := f.svc.EnsureOwner(meta)
	f.clock.Advance(16 * time.Minute)
	if _, err := f.svc.CompleteSetup(tok, "admin", "long-enough", meta); model.ErrorCode(err) != model.CodeForbidden || !strings.Contains(err.Error(), "set-password") {
		t.Fatalf("expired link = %v", err)
	}
}

func TestCLISetPasswordReplacesPendingOwner(t *testing.T) {
	f := newFixture(t)
	tok, _ := f.svc.EnsureOwner(meta)
	if err := f.svc.SetPassword("root", "long-enough", model.ActorCLI, meta); err != nil {
		t.Fatal(err)
	}
	if f.svc.NeedsSetup() || f.svc.HasUser(DefaultOwner) {
		t.Fatal("pending owner not replaced")
	}
	if _, err := f.svc.SetupUser(tok); err == nil {
		t.Fatal("setup link still works after set-password")
	}
	if a := f.lastAudit(t); a.Action != ActPasswordChange || a.Actor != model.ActorCLI || a.AuthMethod != MethodCLI {
		t.Fatalf("audit = %+v", a)
	}
	for _, r := range f.auditRecords(t) {
		for _, v := range r.Details {
			if strings.Contains(v, "long-enough") {
				t.Fatal("password in audit record")
			}
		}
	}
}

func (f *fixture) auditRecords(t *testing.T) []model.AuditRecord {
	var out []model.AuditRecord
	f.store.View(func(tx *storage.Tx) error { out, _ = tx.RecentAudit(0, 1000); return nil })
	return out
}

func TestAPIKeys(t *testing.T) {
	f := newFixture(t)
	secret, key, err := f.svc.CreateAPIKey("nightly export", model.ScopeRead, "alice", meta)
	if err != nil {
		t.Fatal(err)
	}
	if len(secret) < len(prefixAPIKey)+22 || key.Hash == secret || !strings.HasPrefix(secret, key.Prefix) {
		t.Fatalf("key = %q %+v", secret, key)
	}
	a, err := f.svc.AuthenticateAPIKey(secret, meta)
	if err != nil || a.Scope != model.ScopeRead || a.CanControl() || a.KeyID != key.ID {
		t.Fatalf("auth = %+v %v", a, err)
	}
	keys, _ := f.svc.APIKeys()
	if len(keys) != 1 || !keys[0].LastUsedAt.Equal(t0) {
		t.Fatalf("last used = %+v", keys)
	}
	for _, bad := range []string{"", "prl_k_nope", secret + "x", "Bearer " + secret} {
		if _, err := f.svc.AuthenticateAPIKey(bad, meta); !errors.Is(err, ErrBadKey) {
			t.Errorf("accepted %q", bad)
		}
	}
	if err := f.svc.RevokeAPIKey(key.ID, "alice", meta); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.AuthenticateAPIKey(secret, meta); !errors.Is(err, ErrBadKey) {
		t.Fatal("revoked key works")
	}
	if err := f.svc.RevokeAPIKey(key.ID, "alice", meta); model.ErrorCode(err) != model.CodeConflict {
		t.Fatalf("double revoke = %v", err)
	}
	if _, _, err := f.svc.CreateAPIKey("", model.ScopeRead, "alice", meta); model.ErrorCode(err) != model.CodeInvalid {
		t.Fatal("nameless key accepted")
	}
	if _, _, err := f.svc.CreateAPIKey("x", "admin", "alice", meta); model.ErrorCode(err) != model.CodeInvalid {
		t.Fatal("unknown scope accepted")
	}
	for _, r := range f.auditRecords(t) {
		if strings.Contains(r.Target+r.Details["prefix"]+r.Details["name"], secret) {
			t.Fatal("secret in audit")
		}
	}
	if !contains(f.actions(t), ActAPIKeyCreated) || !contains(f.actions(t), ActAPIKeyRevoked) {
		t.Fatal("key lifecycle not audited")
	}
}

func TestBasicAuthUsesLockout(t *testing.T) {
	f := newFixture(t)
	f.user(t, "alice", "s3cret-pass")
	if a, err := f.svc.AuthenticateBasic("alice", "s3cret-pass", meta); err != nil || a.Method != MethodBasic {
		t.Fatalf("basic = %+v %v", a, err)
	}
	for range 5 {
		f.svc.AuthenticateBasic("alice", "bad", meta)
	}
	if _, err := f.svc.AuthenticateBasic("alice", "s3cret-pass", meta); model.ErrorCode(err) != model.CodeTooMany {
		t.Fatalf("locked basic = %v", err)
	}
}

// TestFailClosedWhenAuditCannotBeWritten: if the audit record of a login
// cannot be written, no session is created.
func TestFailClosedWhenAuditCannotBeWritten(t *testing.T) {
	f := newFixture(t)
	f.user(t, "alice", "s3cret-pass")
	breakAuditChain(t, f.store)
	if _, err := f.svc.Login("alice", "s3cret-pass", meta); err == nil {
		t.Fatal("login succeeded without its audit record")
	}
	f.store.View(func(tx *storage.Tx) error {
		if list, _ := tx.UserSessions("alice"); len(list) != 0 {
			t.Fatalf("session created: %+v", list)
		}
		return nil
	})
	repairAuditChain(t, f.store)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestOnLockHearsEachLock: the lockout hook hears every lock once, after
// it is stored, and nothing for a failure that does not lock.
func TestOnLockHearsEachLock(t *testing.T) {
	f := newFixture(t)
	var heard []string
	f.svc.o.OnLock = func(target string) { heard = append(heard, target) }
	f.user(t, "alice", "s3cret-pass")
	attacker := Meta{PeerIP: "192.0.2.7"}
	for range 4 {
		f.svc.Login("alice", "guess", attacker)
	}
	if len(heard) != 0 {
		t.Fatalf("heard %v before any lock", heard)
	}
	f.svc.Login("alice", "guess", attacker)
	if len(heard) != 2 || heard[0] != "user:alice" || heard[1] != "ip:192.0.2.7" {
		t.Fatalf("heard %v; want the user and the IP locked", heard)
	}
}
