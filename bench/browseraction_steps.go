//go:build linux

package main

import (
	"context"
	"fmt"
	"slices"

	"parley/automation"
)

// actionKind is one driver action and its baseline: the same page loads,
// clicks and post-condition done with bare playwright calls and fixed
// locators on one reused page. Both return an error when the action did
// not do what it should.
type actionKind struct {
	name string
	// what says what both sides do, for the report.
	what string
	// before prepares the site for the run's iterations (untimed).
	before func(ctx context.Context, w *actionWorld, run int) error
	driver func(ctx context.Context, w *actionWorld, run, i int) error
	bare   func(w *actionWorld, run, i int) error
}

// actionKinds run in this order each run: invite, connection check,
// sent invitations and withdraw act on the same targets one after the
// other.
var actionKinds = []actionKind{
	{"visit profile", "`VisitProfile` of a 2nd-degree profile / goto, read name, headline, company, degree and the Pending button", nil, driverVisit, bareVisit},
	{"send invite with a note", "`SendInvite` to a fresh 2nd-degree profile / goto, Connect, Add a note, Fill, Send, wait for Pending", nil, driverInvite, bareInvite},
	{"connection check", "`Connection` of a profile just invited / goto, read the degree and see Pending", nil, driverConnection, bareConnection},
	{"sent invitations read", fmt.Sprintf("`SentInvites` with the run's %d invites pending / goto the sent-invitations page, read every profile link", actionIters), nil, driverSent, bareSent},
	{"withdraw", "`Withdraw` of that invite / goto, Pending, Withdraw, wait for Connect", nil, driverWithdraw, bareWithdraw},
	{"send message", "`SendMessage` to a fresh 1st-degree profile / goto, Message, Fill, Send, wait for the message in the thread", nil, driverMessage, bareMessage},
	{"inbox read", fmt.Sprintf("`Inbox` with %d new replies / goto the inbox, read it, goto and read each new conversation", inboxThreads), prepareInbox, driverInbox, bareInbox},
	{"canary", "`Canary` / goto the feed, see the Me menu and the navigation, goto the inbox, see its list", nil, driverCanary, bareCanary},
}

func driverVisit(ctx context.Context, w *actionWorld, run, i int) error {
	p, err := w.driver.VisitProfile(ctx, w.sess, linkedInURL(visitSlug))
	if err == nil && (p.Name != w.names[visitSlug] || p.Degree != 2 || p.Pending) {
		err = fmt.Errorf("read %+v", p)
	}
	return err
}

func driverInvite(ctx context.Context, w *actionWorld, run, i int) error {
	res, err := w.driver.SendInvite(ctx, w.sess, linkedInURL(targetSlug("invite", driverSide, run, i)), actionNote)
	if err == nil && (res.Outcome != automation.InviteSent || !res.WithNote) {
		err = fmt.Errorf("invite result %+v", res)
	}
	return err
}

func driverConnection(ctx context.Context, w *actionWorld, run, i int) error {
	c, err := w.driver.Connection(ctx, w.sess, linkedInURL(targetSlug("invite", driverSide, run, i)))
	if err == nil && c != automation.ConnPending {
		err = fmt.Errorf("connection %q, want pending", c)
	}
	return err
}

func driverSent(ctx context.Context, w *actionWorld, run, i int) error {
	sent, err := w.driver.SentInvites(ctx, w.sess)
	if err != nil {
		return err
	}
	return wantSent(sent, driverSide, run, linkedInURL)
}

func driverWithdraw(ctx context.Context, w *actionWorld, run, i int) error {
	return w.driver.Withdraw(ctx, w.sess, linkedInURL(targetSlug("invite", driverSide, run, i)))
}

func driverMessage(ctx context.Context, w *actionWorld, run, i int) error {
	return w.driver.SendMessage(ctx, w.sess, linkedInURL(targetSlug("message", driverSide, run, i)), actionMessage)
}

func driverInbox(ctx context.Context, w *actionWorld, run, i int) error {
	replies, err := w.driver.Inbox(ctx, w.sess, w.since)
	if err != nil {
		return err
	}
	var got []string
	for _, r := range replies {
		got = append(got, r.ProfileURL)
	}
	return wantInbox(got, driverSide, linkedInURL)
}

func driverCanary(ctx context.Context, w *actionWorld, run, i int) error {
	rep, err := w.driver.Canary(ctx, w.sess)
	if err == nil && len(rep.Broken) > 0 {
		err = fmt.Errorf("canary found broken actions: %v", rep.Broken)
	}
	return err
}

// wantInbox checks that the inbox gave exactly the conversations that
// have a new reply.
func wantInbox(got []string, side int, addr func(string) string) error {
	var want []string
	for k := range inboxThreads {
		want = append(want, addr(inboxSlug(side, k)))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return fmt.Errorf("inbox replies from %v, want %v", got, want)
	}
	return nil
}

// wantSent checks that the sent invitations are exactly the run's
// invites (those of earlier runs were withdrawn).
func wantSent(got []string, side, run int, addr func(string) string) error {
	var want []string
	for i := range actionIters {
		want = append(want, addr(targetSlug("invite", side, run, i)))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		return fmt.Errorf("sent invitations to %v, want %v", got, want)
	}
	return nil
}
