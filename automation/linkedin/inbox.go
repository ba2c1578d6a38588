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

// inboxDepth bounds the conversations one inbox check opens.
const inboxDepth = 40

// Inbox implements automation.Site: the conversations with activity since
// the cursor, opened one by one, and the messages in them written by the
// other member since then.
func (d *Driver) Inbox(ctx context.Context, s automation.Session, since time.Time) (_ []automation.Reply, err error) {
	t, err := d.open(ctx, s, "inbox")
	if err != nil {
		return nil, err
	}
	defer t.close(&err)
	if err := t.visit(ctx, "/messaging/"); err != nil {
		return nil, err
	}
	if _, err := t.find(ctx, "inbox.page", ""); err != nil {
		return nil, err
	}
	items, err := t.page.Locator(t.cssOf("inbox.conversation")).All()
	if err != nil {
		return nil, automation.Errorf(model.ErrClassTransient, "inbox", "the conversation list could not be read: %s", brief(err))
	}
	var threads []string
	for _, it := range items {
		at := timeAttr(it.Locator("time").First())
		if !at.IsZero() && at.Before(since) {
			break // the list is newest first
		}
		href, err := it.Locator("a").First().GetAttribute("href")
		if err != nil || href == "" {
			return nil, t.missing("inbox.conversation")
		}
		threads = append(threads, href)
		if len(threads) == inboxDepth {
			break
		}
	}
	t.trace.Step("%d conversations with activity since %s", len(threads), since.UTC().Format(time.RFC3339))
	var replies []automation.Reply
	for _, th := range threads {
		if err := t.visit(ctx, th); err != nil {
			return nil, err
		}
		link, err := t.find(ctx, "message.thread_profile", "")
		if err != nil {
			return nil, err
		}
		href, _ := link.GetAttribute("href")
		name := t.page.Locator(".msg-entity-lockup__entity-title").First()
		other, _ := name.InnerText()
		other = strings.TrimSpace(other)
		if href == "" || other == "" {
			return nil, t.missing("message.thread_profile")
		}
		msgs, err := t.page.Locator(t.cssOf("message.item")).All()
		if err != nil {
			return nil, automation.Errorf(model.ErrClassTransient, "inbox", "the conversation could not be read: %s", brief(err))
		}
		var last time.Time
		for _, m := range msgs {
			who, _ := m.Locator(".msg-s-message-group__name").InnerText()
			if strings.TrimSpace(who) != other {
				continue
			}
			if at := timeAttr(m.Locator("time").First()); !at.Before(since) && at.After(last) {
				last = at
			}
		}
		if !last.IsZero() {
			replies = append(replies, automation.Reply{ProfileURL: canonical(href), At: last})
		}
	}
	t.trace.Step("%d replies found", len(replies))
	return replies, nil
}

// timeAttr reads a <time datetime> (zero when missing or unreadable).
func timeAttr(loc playwright.Locator) time.Time {
	if n, _ := loc.Count(); n == 0 {
		return time.Time{}
	}
	v, err := loc.GetAttribute("datetime", playwright.LocatorGetAttributeOptions{Timeout: playwright.Float(1000)})
	if err != nil {
		return time.Time{}
	}
	at, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}
	}
	return at
}

// Canary implements automation.Site: it loads the pages every action
// starts from and checks the pack's canary elements on them; each missing
// element is reported against the action that needs it.
func (d *Driver) Canary(ctx context.Context, s automation.Session) (_ automation.CanaryReport, err error) {
	t, err := d.open(ctx, s, "canary")
	if err != nil {
		return automation.CanaryReport{}, err
	}
	defer t.close(&err)
	rep := automation.CanaryReport{Broken: map[string]string{}}
	for _, page := range []string{"/feed/", "/messaging/"} {
		if err := t.visit(ctx, page); err != nil {
			return rep, err
		}
		for _, key := range d.o.Pack.Keys() {
			el := d.o.Pack.Elements[key]
			if !el.Canary || !pageOf(key, page) {
				continue
			}
			if _, err := t.findWithin(ctx, key, "", 5*time.Second); err != nil {
				if _, seen := rep.Broken[el.Action]; !seen {
					rep.Broken[el.Action] = fmt.Sprintf("%s (%s) is missing on %s", el.What, key, page)
				}
			}
		}
	}
	t.trace.Step("%d actions missing an element", len(rep.Broken))
	return rep, nil
}

// pageOf says on which canary page an element lives.
func pageOf(key, page string) bool {
	switch {
	case strings.HasPrefix(key, "session."):
		return page == "/feed/"
	case strings.HasPrefix(key, "inbox."):
		return page == "/messaging/"
	}
	return false
}
