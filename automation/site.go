package automation

import (
	"context"
	"errors"
	"fmt"
	"time"

	"parley/app/model"
)

// Session is the account a Site acts for.
type Session struct {
	AccountID uint64
	Name      string
}

// Profile is what a profile page shows.
type Profile struct {
	Name     string `json:"name"`
	Headline string `json:"headline,omitempty"`
	Company  string `json:"company,omitempty"`
	// Degree is 1 for a connection, 2 or 3 otherwise (0: unknown).
	Degree int `json:"degree"`
	// Pending: an invite from this account is waiting for an answer.
	Pending bool `json:"pending,omitempty"`
}

// Connection states of a lead as the account sees it.
const (
	ConnNone      = "none"      // no invite, not connected
	ConnPending   = "pending"   // an invite is waiting
	ConnConnected = "connected" // a 1st-degree connection
)

// Invite results.
const (
	InviteSent             = "sent"
	InviteAlreadyConnected = "already_connected"
)

// InviteResult is a verified invite.
type InviteResult struct {
	Outcome string `json:"outcome"`
	// WithNote is false when the invite went without its note (none was
	// given, or LinkedIn's note quota dialog forced it).
	WithNote bool `json:"with_note"`
}

// Reply is a lead who answered in a conversation.
type Reply struct {
	ProfileURL string    `json:"profile_url"`
	At         time.Time `json:"at"`
}

// CanaryReport says which actions the selector pack still finds.
type CanaryReport struct {
	// Broken maps an action (invite, message, ...) to what is missing.
	Broken map[string]string `json:"broken,omitempty"`
}

// Site is LinkedIn as the runtime sees it. Every method verifies its
// result on the page before returning: an action that returns nil has
// happened. Implementations return *Error (or wrap one) to say how a
// failure should be handled; any other error counts as transient.
//
// Sends (SendInvite, SendMessage, Withdraw) are never retried blindly:
// before a send is tried again the runtime asks Connection or
// MessageSent whether the first try already went through.
type Site interface {
	VisitProfile(ctx context.Context, s Session, profileURL string) (Profile, error)
	SendInvite(ctx context.Context, s Session, profileURL, note string) (InviteResult, error)
	Connection(ctx context.Context, s Session, profileURL string) (string, error)
	SendMessage(ctx context.Context, s Session, profileURL, text string) error
	MessageSent(ctx context.Context, s Session, profileURL, text string) (bool, error)
	Withdraw(ctx context.Context, s Session, profileURL string) error
	// SentInvites lists the profiles the account's pending invitations
	// went to, from LinkedIn's sent-invitations page: one page read checks
	// many invites at once. The list may hold only the newest invitations
	// (LinkedIn pages it), so a profile missing from it is checked with
	// Connection before it counts as accepted.
	SentInvites(ctx context.Context, s Session) ([]string, error)
	Inbox(ctx context.Context, s Session, since time.Time) ([]Reply, error)
	Canary(ctx context.Context, s Session) (CanaryReport, error)
}

// Error is a classified failure of a Site action.
type Error struct {
	// Class is one of the model.ErrClass values.
	Class  string
	Action string
	Msg    string
	// RetryAfter, when set, is how long LinkedIn asked to wait.
	RetryAfter time.Duration
	// NotSent: a send failed before anything irreversible happened (the
	// page never loaded, the button was never clicked), so it may be tried
	// again without asking the site first whether it went out.
	NotSent bool
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s (%s)", e.Action, e.Msg, e.Class) }

// Errorf returns a classified error.
func Errorf(class, action, format string, args ...any) *Error {
	return &Error{Class: class, Action: action, Msg: fmt.Sprintf(format, args...)}
}

// NotSent reports whether err says a send certainly did not happen; any
// other failure of a send leaves its fate unknown.
func NotSent(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.NotSent
}

// Describe is an error from a Site in words for a person: the site's own
// message for a classified error, a generic one otherwise.
func Describe(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Msg != "" {
		return e.Msg
	}
	return model.PublicMessage(err)
}

// ClassOf says how an error from a Site should be handled; unclassified
// errors are transient.
func ClassOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Class != "" {
		return e.Class
	}
	return model.ErrClassTransient
}
