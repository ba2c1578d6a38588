//go:build linux

package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/mxschmitt/playwright-go"
)

// Fixed locators of the bare side: the classic layout in English.
const (
	topCard       = "main .pv-top-card"
	connectButton = topCard + ` .pvs-profile-actions button[aria-label$=" to connect"]`
	pendingButton = topCard + ` .pvs-profile-actions button[aria-label^="Pending, "]`
)

var domLoaded = playwright.PageGotoOptions{WaitUntil: playwright.WaitUntilStateDomcontentloaded}

func (w *actionWorld) load(path string) error {
	if _, err := w.page.Goto(w.base+path, domLoaded); err != nil {
		return fmt.Errorf("load %s: %w", path, err)
	}
	return nil
}

func (w *actionWorld) click(css string) error {
	if err := w.page.Locator(css).First().Click(); err != nil {
		return fmt.Errorf("click %s: %w", css, err)
	}
	return nil
}

func (w *actionWorld) fill(css, text string) error {
	if err := w.page.Locator(css).First().Fill(text); err != nil {
		return fmt.Errorf("fill %s: %w", css, err)
	}
	return nil
}

func (w *actionWorld) waitVisible(css string) error {
	if err := w.page.Locator(css).First().WaitFor(playwright.LocatorWaitForOptions{State: playwright.WaitForSelectorStateVisible}); err != nil {
		return fmt.Errorf("wait for %s: %w", css, err)
	}
	return nil
}

func (w *actionWorld) text(css string) (string, error) {
	s, err := w.page.Locator(css).First().InnerText()
	if err != nil {
		return "", fmt.Errorf("read %s: %w", css, err)
	}
	return s, nil
}

// steps runs bare steps in order and stops at the first error.
func steps(fs ...func() error) error {
	for _, f := range fs {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

func bareVisit(w *actionWorld, run, i int) error {
	var name string
	var pending bool
	err := steps(
		func() error { return w.load("/in/" + visitSlug + "/") },
		func() (err error) { name, err = w.text(topCard + " h1"); return err },
		func() (err error) { _, err = w.text(topCard + " .text-body-medium"); return err },
		func() (err error) { _, err = w.text(topCard + " .pv-text-details__right-panel-item-text"); return err },
		func() (err error) { _, err = w.text(topCard + " .distance-badge .visually-hidden"); return err },
		func() (err error) { pending, err = w.page.Locator(pendingButton).First().IsVisible(); return err },
	)
	if err == nil && (name != w.names[visitSlug] || pending) {
		err = fmt.Errorf("read %q, pending %v", name, pending)
	}
	return err
}

func bareInvite(w *actionWorld, run, i int) error {
	return steps(
		func() error { return w.load("/in/" + targetSlug("invite", bareSide, run, i) + "/") },
		func() error { return w.click(connectButton) },
		func() error { return w.click(`[role=dialog] button[data-modal*="step=note"]`) },
		func() error { return w.fill("[role=dialog] textarea[name=message]", actionNote) },
		func() error { return w.click("[role=dialog] form:has(textarea) button[type=submit]") },
		func() error { return w.waitVisible(pendingButton) },
	)
}

func bareConnection(w *actionWorld, run, i int) error {
	var pending bool
	err := steps(
		func() error { return w.load("/in/" + targetSlug("invite", bareSide, run, i) + "/") },
		func() (err error) { _, err = w.text(topCard + " h1"); return err },
		func() (err error) { _, err = w.text(topCard + " .distance-badge .visually-hidden"); return err },
		func() (err error) { pending, err = w.page.Locator(pendingButton).First().IsVisible(); return err },
	)
	if err == nil && !pending {
		err = fmt.Errorf("%s does not show Pending", targetSlug("invite", bareSide, run, i))
	}
	return err
}

func bareSent(w *actionWorld, run, i int) error {
	if err := steps(
		func() error { return w.load("/mynetwork/invitation-manager/sent/") },
		func() error { return w.waitVisible(".mn-invitation-manager") },
	); err != nil {
		return err
	}
	links, err := w.page.Locator(".invitation-card a.invitation-card__title-link").All()
	if err != nil {
		return err
	}
	var got []string
	for _, l := range links {
		href, err := l.GetAttribute("href")
		if err != nil {
			return err
		}
		got = append(got, w.base+href)
	}
	return wantSent(got, bareSide, run, func(slug string) string { return w.base + "/in/" + slug + "/" })
}

func bareWithdraw(w *actionWorld, run, i int) error {
	return steps(
		func() error { return w.load("/in/" + targetSlug("invite", bareSide, run, i) + "/") },
		func() error { return w.click(pendingButton) },
		func() error { return w.click(`[role=dialog] form[action$="/withdraw"] button[type=submit]`) },
		func() error { return w.waitVisible(connectButton) },
	)
}

func bareMessage(w *actionWorld, run, i int) error {
	sent := w.page.Locator(".msg-s-message-list__event .msg-s-event-listitem__body", playwright.PageLocatorOptions{HasText: actionMessage})
	return steps(
		func() error { return w.load("/in/" + targetSlug("message", bareSide, run, i) + "/") },
		func() error { return w.click(topCard + " .message-anywhere-button") },
		// The button navigates by script; the composer's script is ready
		// at DOMContentLoaded, the condition every page load waits for.
		func() error {
			return w.page.WaitForURL("**/messaging/thread/**", playwright.PageWaitForURLOptions{WaitUntil: playwright.WaitUntilStateDomcontentloaded})
		},
		func() error { return w.fill(".msg-form__contenteditable", actionMessage) },
		func() error { return w.click(".msg-form__send-button") },
		func() error {
			return sent.First().WaitFor(playwright.LocatorWaitForOptions{State: playwright.WaitForSelectorStateVisible})
		},
	)
}

// bareInbox reads what the driver's Inbox reads, with fixed locators:
// the conversations newer than the cursor, then in each the other
// member's messages and their times.
func bareInbox(w *actionWorld, run, i int) error {
	if err := steps(func() error { return w.load("/messaging/") }, func() error { return w.waitVisible(".msg-conversations-container") }); err != nil {
		return err
	}
	items, err := w.page.Locator(".msg-conversation-listitem").All()
	if err != nil {
		return err
	}
	var threads []string
	for _, it := range items {
		if at, err := datetime(it.Locator("time").First()); err != nil || at.Before(w.since) {
			break
		}
		href, err := it.Locator("a").First().GetAttribute("href")
		if err != nil {
			return err
		}
		threads = append(threads, href)
	}
	var got []string
	for _, th := range threads {
		if err := w.load(th); err != nil {
			return err
		}
		href, err := w.page.Locator(".msg-thread__link-to-profile").First().GetAttribute("href")
		if err != nil {
			return err
		}
		other, err := w.text(".msg-entity-lockup__entity-title")
		if err != nil {
			return err
		}
		msgs, err := w.page.Locator(".msg-s-message-list__event").All()
		if err != nil {
			return err
		}
		var last time.Time
		for _, m := range msgs {
			who, _ := m.Locator(".msg-s-message-group__name").InnerText()
			if strings.TrimSpace(who) != strings.TrimSpace(other) {
				continue
			}
			if at, err := datetime(m.Locator("time").First()); err == nil && !at.Before(w.since) && at.After(last) {
				last = at
			}
		}
		if !last.IsZero() {
			got = append(got, w.base+href)
		}
	}
	return wantInbox(got, bareSide, func(slug string) string { return w.base + "/in/" + slug + "/" })
}

func datetime(loc playwright.Locator) (time.Time, error) {
	v, err := loc.GetAttribute("datetime")
	if err != nil {
		return time.Time{}, err
	}
	return time.Parse(time.RFC3339, v)
}

func bareCanary(w *actionWorld, run, i int) error {
	return steps(
		func() error { return w.load("/feed/") },
		func() error { return w.waitVisible(".global-nav__primary-link-me-menu-trigger") },
		func() error { return w.waitVisible("nav.global-nav__nav") },
		func() error { return w.load("/messaging/") },
		func() error { return w.waitVisible(".msg-conversations-container") },
	)
}
