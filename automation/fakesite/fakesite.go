// Package fakesite is a deterministic, scriptable automation.Site for
// tests of the runtime: it keeps LinkedIn's side of things in memory (who
// is connected, pending, messaged, replied), records every send, and
// fails on demand. With a journal file every send is written down (and
// synced) before the call returns, so a test can kill the process and
// count the sends afterwards.
package fakesite

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"parley/automation"
)

// Call is one send the site received.
type Call struct {
	Action    string    `json:"action"` // invite, message, withdraw
	AccountID uint64    `json:"account_id"`
	Profile   string    `json:"profile"`
	Text      string    `json:"text,omitempty"`
	At        time.Time `json:"at"`
}

type key struct {
	account uint64
	profile string
}

// Site is the fake. The zero value is not usable; call New.
type Site struct {
	mu      sync.Mutex
	now     func() time.Time
	conn    map[key]string
	msgs    map[key][]string
	replies map[uint64][]automation.Reply
	calls   []Call
	fail    map[string][]error
	broken  map[string]string
	journal *os.File
	// AfterSend, when set, runs after a send is recorded and before the
	// call returns (a crash test blocks here).
	AfterSend func(Call)
	// Visits counts profile visits per account, Checks the connection
	// checks of a profile, SentReads the reads of the sent invitations.
	Visits, Checks, SentReads map[uint64]int
}

// New returns an empty site whose clock is now.
func New(now func() time.Time) *Site {
	return &Site{now: now, conn: map[key]string{}, msgs: map[key][]string{}, replies: map[uint64][]automation.Reply{},
		fail: map[string][]error{}, broken: map[string]string{},
		Visits: map[uint64]int{}, Checks: map[uint64]int{}, SentReads: map[uint64]int{}}
}

// Open returns a site that journals its sends to path, after replaying the
// sends already journalled there.
func Open(path string, now func() time.Time) (*Site, error) {
	s := New(now)
	if f, err := os.Open(path); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			var c Call
			if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
				f.Close()
				return nil, fmt.Errorf("fakesite: journal %s: %w", path, err)
			}
			s.apply(c)
		}
		f.Close()
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	s.journal = f
	return s, nil
}

// Close closes the journal.
func (s *Site) Close() error {
	if s.journal == nil {
		return nil
	}
	return s.journal.Close()
}

func (s *Site) apply(c Call) {
	k := key{c.AccountID, c.Profile}
	switch c.Action {
	case "invite":
		if s.conn[k] != automation.ConnConnected {
			s.conn[k] = automation.ConnPending
		}
	case "message":
		s.msgs[k] = append(s.msgs[k], c.Text)
	case "withdraw":
		if s.conn[k] == automation.ConnPending {
			s.conn[k] = automation.ConnNone
		}
	}
	s.calls = append(s.calls, c)
}

func (s *Site) record(c Call) error {
	c.At = s.now()
	s.apply(c)
	if s.journal != nil {
		b, _ := json.Marshal(c)
		if _, err := s.journal.Write(append(b, '\n')); err != nil {
			return err
		}
		if err := s.journal.Sync(); err != nil {
			return err
		}
	}
	return nil
}

// FailNext makes the next calls of action (visit, invite, connection,
// message, message_sent, withdraw, inbox, canary) for the account fail
// with errs, one per call. Account 0 means any account. "invite_after"
// fails an invite after it was sent, as a timeout would.
func (s *Site) FailNext(accountID uint64, action string, errs ...error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := fmt.Sprintf("%d:%s", accountID, action)
	s.fail[k] = append(s.fail[k], errs...)
}

func (s *Site) scripted(accountID uint64, action string) error {
	for _, k := range []string{fmt.Sprintf("%d:%s", accountID, action), "0:" + action} {
		if errs := s.fail[k]; len(errs) > 0 {
			s.fail[k] = errs[1:]
			return errs[0]
		}
	}
	return nil
}

// notSent marks a scripted failure that happens before a send as one that
// certainly sent nothing, as a careful driver reports it.
func notSent(err error) error {
	if e, ok := err.(*automation.Error); ok {
		c := *e
		c.NotSent = true
		return &c
	}
	return err
}

// Connect makes the lead a connection of the account (an accepted invite
// or an existing connection).
func (s *Site) Connect(accountID uint64, profile string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conn[key{accountID, profile}] = automation.ConnConnected
}

// ReplyFrom makes the lead answer the account.
func (s *Site) ReplyFrom(accountID uint64, profile string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.replies[accountID] = append(s.replies[accountID], automation.Reply{ProfileURL: profile, At: at})
}

// Break makes the canary report action as broken.
func (s *Site) Break(action, what string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.broken[action] = what
}

// Calls returns every send received so far.
func (s *Site) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// VisitProfile implements automation.Site.
func (s *Site) VisitProfile(ctx context.Context, ss automation.Session, profile string) (automation.Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.scripted(ss.AccountID, "visit"); err != nil {
		return automation.Profile{}, err
	}
	s.Visits[ss.AccountID]++
	p := automation.Profile{Name: profile, Degree: 2}
	switch s.conn[key{ss.AccountID, profile}] {
	case automation.ConnConnected:
		p.Degree = 1
	case automation.ConnPending:
		p.Pending = true
	}
	return p, nil
}

// SendInvite implements automation.Site.
func (s *Site) SendInvite(ctx context.Context, ss automation.Session, profile, note string) (automation.InviteResult, error) {
	s.mu.Lock()
	if err := s.scripted(ss.AccountID, "invite"); err != nil {
		s.mu.Unlock()
		return automation.InviteResult{}, notSent(err)
	}
	k := key{ss.AccountID, profile}
	switch s.conn[k] {
	case automation.ConnConnected:
		s.mu.Unlock()
		return automation.InviteResult{Outcome: automation.InviteAlreadyConnected}, nil
	case automation.ConnPending:
		s.mu.Unlock()
		return automation.InviteResult{}, automation.Errorf("permanent", "invite", "an invite to %s is already pending", profile)
	}
	c := Call{Action: "invite", AccountID: ss.AccountID, Profile: profile, Text: note}
	err := s.record(c)
	if err == nil {
		// "invite_after": the invite went out, then the call failed (a
		// timeout while the page confirmed it).
		err = s.scripted(ss.AccountID, "invite_after")
	}
	after := s.AfterSend
	s.mu.Unlock()
	if err != nil {
		return automation.InviteResult{}, err
	}
	if after != nil {
		after(c)
	}
	return automation.InviteResult{Outcome: automation.InviteSent, WithNote: note != ""}, nil
}

// Connection implements automation.Site.
func (s *Site) Connection(ctx context.Context, ss automation.Session, profile string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.scripted(ss.AccountID, "connection"); err != nil {
		return "", err
	}
	s.Checks[ss.AccountID]++
	if c := s.conn[key{ss.AccountID, profile}]; c != "" {
		return c, nil
	}
	return automation.ConnNone, nil
}

// SendMessage implements automation.Site.
func (s *Site) SendMessage(ctx context.Context, ss automation.Session, profile, text string) error {
	s.mu.Lock()
	if err := s.scripted(ss.AccountID, "message"); err != nil {
		s.mu.Unlock()
		return notSent(err)
	}
	if s.conn[key{ss.AccountID, profile}] != automation.ConnConnected {
		s.mu.Unlock()
		return automation.Errorf("permanent", "message", "%s is not a connection", profile)
	}
	c := Call{Action: "message", AccountID: ss.AccountID, Profile: profile, Text: text}
	err := s.record(c)
	after := s.AfterSend
	s.mu.Unlock()
	if err == nil && after != nil {
		after(c)
	}
	return err
}

// MessageSent implements automation.Site.
func (s *Site) MessageSent(ctx context.Context, ss automation.Session, profile, text string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.scripted(ss.AccountID, "message_sent"); err != nil {
		return false, err
	}
	for _, m := range s.msgs[key{ss.AccountID, profile}] {
		if m == text {
			return true, nil
		}
	}
	return false, nil
}

// Withdraw implements automation.Site.
func (s *Site) Withdraw(ctx context.Context, ss automation.Session, profile string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.scripted(ss.AccountID, "withdraw"); err != nil {
		return err
	}
	if s.conn[key{ss.AccountID, profile}] != automation.ConnPending {
		return nil // nothing pending: already withdrawn or answered
	}
	return s.record(Call{Action: "withdraw", AccountID: ss.AccountID, Profile: profile})
}

// SentInvites implements automation.Site: the profiles with an invite
// from the account still pending, in profile order.
func (s *Site) SentInvites(ctx context.Context, ss automation.Session) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.scripted(ss.AccountID, "sent"); err != nil {
		return nil, err
	}
	s.SentReads[ss.AccountID]++
	out := []string{}
	for k, c := range s.conn {
		if k.account == ss.AccountID && c == automation.ConnPending {
			out = append(out, k.profile)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Inbox implements automation.Site.
func (s *Site) Inbox(ctx context.Context, ss automation.Session, since time.Time) ([]automation.Reply, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.scripted(ss.AccountID, "inbox"); err != nil {
		return nil, err
	}
	var out []automation.Reply
	for _, r := range s.replies[ss.AccountID] {
		if !r.At.Before(since) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Canary implements automation.Site.
func (s *Site) Canary(ctx context.Context, ss automation.Session) (automation.CanaryReport, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.scripted(ss.AccountID, "canary"); err != nil {
		return automation.CanaryReport{}, err
	}
	r := automation.CanaryReport{Broken: map[string]string{}}
	for a, w := range s.broken {
		r.Broken[a] = w
	}
	return r, nil
}

var _ automation.Site = (*Site)(nil)
