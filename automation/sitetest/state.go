package sitetest

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
)

// Relation is how an account and a member are related, as the account
// sees it. The values match automation.ConnNone/ConnPending/ConnConnected.
type Relation string

// Relations between an account and a member.
const (
	RelationNone      Relation = "none"
	RelationPending   Relation = "pending"
	RelationConnected Relation = "connected"
)

// Profile is a member with a public profile page at /in/{Slug}/.
type Profile struct {
	Slug      string
	FirstName string
	LastName  string
	Headline  string
	Company   string
	Location  string
	// Degree is the distance to every account until an invite and its
	// acceptance change it: 1 means already connected, 2 or 3 not.
	Degree int
}

// Name is the member's full name as LinkedIn shows it.
func (p Profile) Name() string { return strings.TrimSpace(p.FirstName + " " + p.LastName) }

// Account is a member who can sign in.
type Account struct {
	Email    string
	Password string
	Name     string
}

// Invite is an invitation that was actually sent.
type Invite struct {
	Account string    `json:"account"` // the sender's email
	Slug    string    `json:"slug"`
	Note    string    `json:"note,omitempty"`
	At      time.Time `json:"at"`
}

// Message is one message of a conversation between an account and a member.
type Message struct {
	Account string    `json:"account"`
	Slug    string    `json:"slug"`
	Thread  string    `json:"thread"`
	Text    string    `json:"text"`
	At      time.Time `json:"at"`
	// FromMember is true for a reply written by the member (see Reply).
	FromMember bool `json:"from_member,omitempty"`
	seq        int
}

// Withdrawal is an invitation that was withdrawn.
type Withdrawal struct {
	Account string    `json:"account"`
	Slug    string    `json:"slug"`
	At      time.Time `json:"at"`
}

// pair is an account (lower-case email) and a member slug.
type pair struct{ email, slug string }

func key(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// ThreadID is the id of the conversation between the account and the
// member, as in /messaging/thread/{id}/. Like LinkedIn's it is opaque,
// stable and ends in "==".
func ThreadID(email, slug string) string {
	sum := sha256.Sum256([]byte(key(email) + "\n" + slug))
	return "2-" + base64.URLEncoding.EncodeToString(sum[:16])
}

// AddProfile adds a member, or replaces the one with the same slug.
func (s *Site) AddProfile(p Profile) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.profiles[p.Slug]; !ok {
		s.order = append(s.order, p.Slug)
	}
	s.profiles[p.Slug] = p
}

// AddAccount adds a member who can sign in, or replaces the one with the
// same email.
func (s *Site) AddAccount(a Account) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acct(a.Email).account = &a
}

// Relation says how the account and the member are related.
func (s *Site) Relation(email, slug string) Relation {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.relation(pair{key(email), slug})
}

// Invites returns every invitation sent, oldest first.
func (s *Site) Invites() []Invite {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Invite(nil), s.invites...)
}

// Messages returns every message an account sent, oldest first (replies
// from members are in Conversation).
func (s *Site) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages {
		if !m.FromMember {
			out = append(out, m)
		}
	}
	return out
}

// Conversation returns the whole conversation between the account and the
// member, replies included, oldest first.
func (s *Site) Conversation(email, slug string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conversation(pair{key(email), slug})
}

// Withdrawn returns every withdrawn invitation, oldest first.
func (s *Site) Withdrawn() []Withdrawal {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Withdrawal(nil), s.withdrawn...)
}

// Accept makes the member accept the account's pending invitation.
func (s *Site) Accept(email, slug string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := pair{key(email), slug}
	if _, ok := s.profiles[slug]; !ok {
		return fmt.Errorf("sitetest: accept: no profile %q", slug)
	}
	if r := s.relation(k); r != RelationPending {
		return fmt.Errorf("sitetest: accept: %s and %s are %s, not pending", email, slug, r)
	}
	s.relations[k] = RelationConnected
	return nil
}

// Reply makes the member write to the account; the conversation shows as
// unread until the account opens it.
func (s *Site) Reply(email, slug, text string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := pair{key(email), slug}
	if _, ok := s.profiles[slug]; !ok {
		return fmt.Errorf("sitetest: reply: no profile %q", slug)
	}
	if r := s.relation(k); r != RelationConnected {
		return fmt.Errorf("sitetest: reply: %s and %s are %s, not connected", email, slug, r)
	}
	s.addMessage(k, text, true)
	return nil
}

// relation is Relation with s.mu held.
func (s *Site) relation(k pair) Relation {
	if r, ok := s.relations[k]; ok {
		return r
	}
	if p, ok := s.profiles[k.slug]; ok && p.Degree == 1 {
		return RelationConnected
	}
	return RelationNone
}

// degree is the distance shown on the profile, with s.mu held.
func (s *Site) degree(k pair) int {
	if s.relation(k) == RelationConnected {
		return 1
	}
	if d := s.profiles[k.slug].Degree; d == 3 {
		return 3
	}
	return 2
}

func (s *Site) conversation(k pair) []Message {
	var out []Message
	for _, m := range s.messages {
		if m.Account == k.email && m.Slug == k.slug {
			out = append(out, m)
		}
	}
	return out
}

func (s *Site) addMessage(k pair, text string, fromMember bool) Message {
	s.seq++
	m := Message{Account: k.email, Slug: k.slug, Thread: ThreadID(k.email, k.slug), Text: text, At: s.now(), FromMember: fromMember, seq: s.seq}
	s.messages = append(s.messages, m)
	return m
}
