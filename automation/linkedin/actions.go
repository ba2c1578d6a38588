package linkedin

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mxschmitt/playwright-go"

	"parley/app/model"
	"parley/automation"
)

// profile loads a profile and reads its top card; the name must be there.
func (t *tab) profile(ctx context.Context, profileURL string) (automation.Profile, error) {
	if err := t.visit(ctx, profileURL); err != nil {
		return automation.Profile{}, err
	}
	if _, err := t.find(ctx, "profile.name", ""); err != nil {
		return automation.Profile{}, err
	}
	p := automation.Profile{
		Name:     t.text("profile.name", ""),
		Headline: t.text("profile.headline", ""),
		Company:  t.text("profile.company", ""),
		Degree:   degree(t.text("profile.degree", "")),
	}
	if p.Name == "" {
		return p, t.missing("profile.name")
	}
	if p.Degree != 1 {
		// A connection has no invite waiting; looking would open More.
		p.Pending = t.pending(p.Name)
	}
	t.trace.Step("read the profile of %s (%s)", p.Name, connState(p))
	return p, nil
}

// pending says whether the profile shows an invitation waiting for an
// answer: a Pending button on the top card, or (in layouts that move it)
// a Pending item under More, which it opens and closes again unless a
// dialog is open.
func (t *tab) pending(name string) bool {
	if t.visible("profile.pending", name) {
		return true
	}
	if n, _ := t.page.Locator(`[role=dialog]:visible, [role=alertdialog]:visible`).Count(); n > 0 {
		// A dialog is open (LinkedIn's answer to the last click, perhaps
		// the weekly-limit one): opening More and pressing Escape would
		// dismiss it unread.
		return false
	}
	more := t.locate("profile.more", "")
	if more == nil || more.Click() != nil {
		return false
	}
	defer t.page.Keyboard().Press("Escape")
	menu := t.page.Locator("[role=menu]:visible").First()
	if menu.WaitFor(playwright.LocatorWaitForOptions{State: playwright.WaitForSelectorStateVisible, Timeout: playwright.Float(2000)}) != nil {
		return false
	}
	return t.visible("profile.pending", name)
}

// VisitProfile implements automation.Site.
func (d *Driver) VisitProfile(ctx context.Context, s automation.Session, profileURL string) (_ automation.Profile, err error) {
	t, err := d.open(ctx, s, "visit")
	if err != nil {
		return automation.Profile{}, err
	}
	defer t.close(&err)
	return t.profile(ctx, profileURL)
}

// Connection implements automation.Site.
func (d *Driver) Connection(ctx context.Context, s automation.Session, profileURL string) (_ string, err error) {
	t, err := d.open(ctx, s, "connection")
	if err != nil {
		return "", err
	}
	defer t.close(&err)
	p, err := t.profile(ctx, profileURL)
	switch {
	case err != nil:
		return "", err
	case p.Degree == 1:
		return automation.ConnConnected, nil
	case p.Pending:
		return automation.ConnPending, nil
	}
	return automation.ConnNone, nil
}

// SendInvite implements automation.Site: Connect (or More → Connect),
// with the note when there is one and LinkedIn allows it, then it checks
// that the profile says Pending.
func (d *Driver) SendInvite(ctx context.Context, s automation.Session, profileURL, note string) (_ automation.InviteResult, err error) {
	t, err := d.open(ctx, s, "invite")
	if err != nil {
		return automation.InviteResult{}, err
	}
	defer t.close(&err)
	p, err := t.profile(ctx, profileURL)
	if err != nil {
		return automation.InviteResult{}, err
	}
	if p.Degree == 1 {
		return automation.InviteResult{Outcome: automation.InviteAlreadyConnected}, nil
	}
	if p.Pending {
		e := automation.Errorf(model.ErrClassPermanent, "invite", "an invite to %s is already pending", p.Name)
		e.NotSent = true
		return automation.InviteResult{}, e
	}
	// Connect is a button on the top card, or under More.
	connect := t.locate("profile.connect", p.Name)
	if connect == nil {
		more, err := t.find(ctx, "profile.more", "")
		if err != nil {
			return automation.InviteResult{}, t.missing("profile.connect")
		}
		if err := t.click(more, "More"); err != nil {
			return automation.InviteResult{}, notSent(err)
		}
		if connect, err = t.findWithin(ctx, "profile.more_connect", p.Name, 5*time.Second); err != nil {
			return automation.InviteResult{}, t.missing("profile.connect")
		}
	}
	if err := t.click(connect, "Connect"); err != nil {
		return automation.InviteResult{}, notSent(err)
	}
	withNote := false
	if note != "" {
		add, err := t.find(ctx, "invite.add_note", "")
		if err != nil {
			return automation.InviteResult{}, err
		}
		if err := t.click(add, "Add a note"); err != nil {
			return automation.InviteResult{}, notSent(err)
		}
		field, quota, err := t.noteOrQuota(ctx)
		if err != nil {
			return automation.InviteResult{}, err
		}
		if quota {
			// The free personalised invitations are used up: the invite
			// goes without its note (the campaign's rule for free accounts).
			d.o.Logger.Info("note quota reached; sending the invite without a note", "account", s.AccountID)
			t.trace.Step("LinkedIn says the free personalised invitations are used up: sending without the note")
		} else {
			if err := t.typeText(field, note); err != nil {
				return automation.InviteResult{}, notSent(err)
			}
			send, err := t.find(ctx, "invite.send", "")
			if err != nil {
				return automation.InviteResult{}, err
			}
			if err := t.click(send, "Send"); err != nil {
				return automation.InviteResult{}, err
			}
			withNote = true
		}
	}
	if !withNote {
		send, err := t.find(ctx, "invite.send_without_note", "")
		if err != nil {
			return automation.InviteResult{}, err
		}
		if err := t.click(send, "Send without a note"); err != nil {
			return automation.InviteResult{}, err
		}
	}
	// Verify: the profile now says Pending (or LinkedIn pushed back).
	deadline := time.Now().Add(d.o.Timeout)
	for {
		if err := t.pushback(); err != nil {
			return automation.InviteResult{}, err
		}
		if t.pending(p.Name) {
			t.trace.Step("verified: the profile says Pending")
			return automation.InviteResult{Outcome: automation.InviteSent, WithNote: withNote}, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			// Its fate is unknown: the runtime asks Connection before
			// anything is sent again.
			return automation.InviteResult{}, automation.Errorf(model.ErrClassTransient, "invite",
				"the invite to %s could not be confirmed: the profile does not say Pending", p.Name)
		}
		time.Sleep(poll)
	}
}

// noteOrQuota waits for the note field, or for the dialog that says the
// free personalised invitations are used up.
func (t *tab) noteOrQuota(ctx context.Context) (playwright.Locator, bool, error) {
	deadline := time.Now().Add(t.d.o.Timeout)
	for {
		if t.visible("invite.quota", "") {
			return nil, true, nil
		}
		if f := t.locate("invite.note", ""); f != nil {
			return f, false, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, false, err
		}
		if time.Now().After(deadline) {
			return nil, false, t.missing("invite.note")
		}
		time.Sleep(poll)
	}
}

// notSent marks an error that happened before anything was sent.
func notSent(err error) error {
	if e, ok := err.(*automation.Error); ok {
		e.NotSent = true
	}
	return err
}

// openThread goes from a profile to its conversation.
func (t *tab) openThread(ctx context.Context, profileURL string) (automation.Profile, error) {
	p, err := t.profile(ctx, profileURL)
	if err != nil {
		return p, err
	}
	btn := t.locate("profile.message", p.Name)
	if btn == nil {
		if p.Degree != 1 {
			e := automation.Errorf(model.ErrClassPermanent, t.action, "%s is not a connection of this account; only connections can be messaged", p.Name)
			e.NotSent = true
			return p, e
		}
		return p, t.missing("profile.message")
	}
	if err := t.click(btn, "Message"); err != nil {
		return p, notSent(err)
	}
	if _, err := t.find(ctx, "message.composer", ""); err != nil {
		return p, err
	}
	return p, t.pushback()
}

// sentTexts are the texts this account sent in the open conversation.
func (t *tab) sentTexts(other string) []string {
	items, err := t.page.Locator(t.cssOf("message.item")).All()
	if err != nil {
		return nil
	}
	var out []string
	for _, it := range items {
		who, _ := it.Locator(".msg-s-message-group__name").InnerText()
		body, _ := it.Locator(".msg-s-event-listitem__body").InnerText()
		if strings.TrimSpace(who) == other {
			continue
		}
		out = append(out, strings.Join(strings.Fields(body), " "))
	}
	return out
}

// cssOf is an element's first CSS strategy.
func (t *tab) cssOf(key string) string {
	el, _ := t.d.o.Pack.Element(key)
	for _, s := range el.Strategies {
		if s.CSS != "" {
			return s.CSS
		}
	}
	return key
}

func sameText(a, b string) bool {
	return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
}

// SendMessage implements automation.Site: it types the message into the
// conversation, sends it and checks that it is in the thread.
func (d *Driver) SendMessage(ctx context.Context, s automation.Session, profileURL, text string) (err error) {
	t, err := d.open(ctx, s, "message")
	if err != nil {
		return err
	}
	defer t.close(&err)
	p, err := t.openThread(ctx, profileURL)
	if err != nil {
		return err
	}
	before := len(t.sentTexts(p.Name))
	box, err := t.find(ctx, "message.composer", "")
	if err != nil {
		return err
	}
	if err := t.typeText(box, text); err != nil {
		return notSent(err)
	}
	send, err := t.find(ctx, "message.send", "")
	if err != nil {
		return err
	}
	if err := t.click(send, "Send"); err != nil {
		return err
	}
	deadline := time.Now().Add(d.o.Timeout)
	for {
		sent := t.sentTexts(p.Name)
		if len(sent) > before && sameText(sent[len(sent)-1], text) {
			t.trace.Step("verified: the message is in the conversation")
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return automation.Errorf(model.ErrClassTransient, "message", "the message to %s could not be confirmed in the conversation", p.Name)
		}
		time.Sleep(poll)
	}
}

// MessageSent implements automation.Site.
func (d *Driver) MessageSent(ctx context.Context, s automation.Session, profileURL, text string) (_ bool, err error) {
	t, err := d.open(ctx, s, "message_sent")
	if err != nil {
		return false, err
	}
	defer t.close(&err)
	p, err := t.openThread(ctx, profileURL)
	if err != nil {
		return false, err
	}
	for _, sent := range t.sentTexts(p.Name) {
		if sameText(sent, text) {
			t.trace.Step("the message is in the conversation")
			return true, nil
		}
	}
	t.trace.Step("the message is not in the conversation")
	return false, nil
}

// Withdraw implements automation.Site: Pending → Withdraw, then it checks
// that the profile offers Connect again.
func (d *Driver) Withdraw(ctx context.Context, s automation.Session, profileURL string) (err error) {
	t, err := d.open(ctx, s, "withdraw")
	if err != nil {
		return err
	}
	defer t.close(&err)
	p, err := t.profile(ctx, profileURL)
	if err != nil {
		return err
	}
	pending := t.locate("profile.pending", p.Name)
	if pending == nil && p.Pending {
		// It is under More: open the menu again and take the item.
		if more := t.locate("profile.more", ""); more != nil && more.Click() == nil {
			pending, _ = t.findWithin(ctx, "profile.pending", p.Name, 2*time.Second)
		}
	}
	if pending == nil {
		e := automation.Errorf(model.ErrClassPermanent, "withdraw", "there is no pending invite to %s to withdraw", p.Name)
		e.NotSent = true
		return e
	}
	if err := t.click(pending, "Pending"); err != nil {
		return notSent(err)
	}
	confirm, err := t.find(ctx, "withdraw.confirm", "")
	if err != nil {
		return err
	}
	if err := t.click(confirm, "Withdraw"); err != nil {
		return err
	}
	deadline := time.Now().Add(d.o.Timeout)
	for t.pending(p.Name) {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return automation.Errorf(model.ErrClassTransient, "withdraw", "withdrawing the invite to %s could not be confirmed", p.Name)
		}
		time.Sleep(poll)
	}
	t.trace.Step("verified: the invite is no longer pending")
	return nil
}

// connState is a profile's connection state in words.
func connState(p automation.Profile) string {
	switch {
	case p.Degree == 1:
		return "a connection"
	case p.Pending:
		return "invite pending"
	case p.Degree > 1:
		return fmt.Sprintf("degree %d, not connected", p.Degree)
	}
	return "not connected"
}

// SentInvites implements automation.Site: the profiles of the invitations
// on LinkedIn's sent-invitations page (its first page: the newest ones).
func (d *Driver) SentInvites(ctx context.Context, s automation.Session) (_ []string, err error) {
	t, err := d.open(ctx, s, "sent")
	if err != nil {
		return nil, err
	}
	defer t.close(&err)
	if err := t.visit(ctx, "/mynetwork/invitation-manager/sent/"); err != nil {
		return nil, err
	}
	if _, err := t.find(ctx, "sent.page", ""); err != nil {
		return nil, err
	}
	links, err := t.page.Locator(t.cssOf("sent.invitation")).All()
	if err != nil {
		return nil, automation.Errorf(model.ErrClassTransient, "sent", "the sent invitations could not be read: %s", brief(err))
	}
	out := []string{}
	for _, l := range links {
		href, err := l.GetAttribute("href")
		if err != nil || href == "" {
			return nil, t.missing("sent.invitation")
		}
		out = append(out, canonical(href))
	}
	t.trace.Step("%d invitations pending on the sent-invitations page", len(out))
	return out, nil
}
