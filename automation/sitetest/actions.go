package sitetest

import (
	"errors"
	"time"
)

// Refusals of an action, as codes in the JSON answers of the site's API.
var (
	errNotFound       = errors.New("not_found")
	errPending        = errors.New("already_pending")
	errConnected      = errors.New("already_connected")
	errNotPending     = errors.New("not_pending")
	errNotConnected   = errors.New("not_connected")
	errWeeklyLimit    = errors.New("weekly_limit")
	errNoteQuota      = errors.New("note_quota")
	errResendBlocked  = errors.New("resend_blocked")
	errNoteTooLong    = errors.New("note_too_long")
	errEmptyMessage   = errors.New("empty_message")
	errMessageTooLong = errors.New("message_too_long")
)

// resendWait is how long LinkedIn refuses a new invite after a withdrawal.
const resendWait = 21 * 24 * time.Hour

// maxNote and maxMessage are LinkedIn's limits in characters.
const (
	maxNote    = 300
	maxMessage = 8000
)

// invite sends an invitation or says why LinkedIn refuses it. Nothing is
// recorded when it refuses.
func (s *Site) invite(email, slug, note string) (Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.profiles[slug]
	if !ok {
		return p, errNotFound
	}
	if len([]rune(note)) > maxNote {
		return p, errNoteTooLong
	}
	k := pair{email, slug}
	switch s.relation(k) {
	case RelationPending:
		return p, errPending
	case RelationConnected:
		return p, errConnected
	}
	a := s.acct(email)
	if a.weeklyLimit {
		return p, errWeeklyLimit
	}
	if at, ok := s.withdrawnAt[k]; ok && s.now().Sub(at) < resendWait {
		return p, errResendBlocked
	}
	if note != "" {
		if a.noteQuota == 0 {
			return p, errNoteQuota
		}
		if a.noteQuota > 0 {
			a.noteQuota--
		}
	}
	s.relations[k] = RelationPending
	s.invites = append(s.invites, Invite{Account: email, Slug: slug, Note: note, At: s.now()})
	return p, nil
}

// withdraw takes back a pending invitation.
func (s *Site) withdraw(email, slug string) (Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.profiles[slug]
	if !ok {
		return p, errNotFound
	}
	k := pair{email, slug}
	if s.relation(k) != RelationPending {
		return p, errNotPending
	}
	s.relations[k] = RelationNone
	s.withdrawnAt[k] = s.now()
	s.withdrawn = append(s.withdrawn, Withdrawal{Account: email, Slug: slug, At: s.now()})
	return p, nil
}

// send writes a message from the account into a thread of its own.
func (s *Site) send(email, thread, text string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	slug, ok := s.threadMember(email, thread)
	if !ok {
		return errNotFound
	}
	switch n := len([]rune(text)); {
	case n == 0:
		return errEmptyMessage
	case n > maxMessage:
		return errMessageTooLong
	}
	k := pair{email, slug}
	if s.relation(k) != RelationConnected {
		return errNotConnected
	}
	s.addMessage(k, text, false)
	return nil
}

// threadMember finds the member of one of the account's threads.
func (s *Site) threadMember(email, thread string) (string, bool) {
	for _, slug := range s.order {
		if ThreadID(email, slug) == thread {
			return slug, true
		}
	}
	return "", false
}
