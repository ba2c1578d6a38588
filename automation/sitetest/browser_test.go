package sitetest

import (
	"strings"
	"sync"
	"testing"

	"github.com/mxschmitt/playwright-go"

	"parley/automation/browsertest"
)

// browserSession starts the system browser (skipping without one).
func browserSession(t *testing.T) (playwright.Browser, func()) { return browsertest.Launch(t) }

func exact(name string) playwright.LocatorGetByRoleOptions {
	return playwright.LocatorGetByRoleOptions{Name: name, Exact: playwright.Bool(true)}
}

func named(name string) playwright.LocatorGetByRoleOptions {
	return playwright.LocatorGetByRoleOptions{Name: name}
}

// browserPage is a fresh browser context and page on a site, with a
// check for external requests, script errors and console errors.
type browserPage struct {
	t    *testing.T
	page playwright.Page
	body playwright.Locator
	mu   sync.Mutex
	bad  []string
	// refusals: the site is expected to refuse calls (4xx), which
	// Chromium logs as console errors.
	refusals bool
}

func newBrowserPage(t *testing.T, browser playwright.Browser, base string, cookies ...playwright.OptionalCookie) *browserPage {
	t.Helper()
	ctx, err := browser.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ctx.Close() })
	if len(cookies) > 0 {
		if err := ctx.AddCookies(cookies); err != nil {
			t.Fatal(err)
		}
	}
	page, err := ctx.NewPage()
	if err != nil {
		t.Fatal(err)
	}
	page.SetDefaultTimeout(10000)
	bp := &browserPage{t: t, page: page, body: page.Locator("body")}
	page.On("request", func(r playwright.Request) {
		if u := r.URL(); !strings.HasPrefix(u, base+"/") && !strings.HasPrefix(u, "data:") {
			bp.problem("external request: " + u)
		}
	})
	page.On("pageerror", func(err error) { bp.problem("page error: " + err.Error()) })
	page.On("console", func(m playwright.ConsoleMessage) {
		if m.Type() == "error" && !bp.refused(m.Text()) {
			bp.problem("console error: " + m.Text())
		}
	})
	t.Cleanup(func() {
		bp.mu.Lock()
		defer bp.mu.Unlock()
		if len(bp.bad) > 0 {
			t.Errorf("problems in the browser:\n%s", strings.Join(bp.bad, "\n"))
		}
	})
	return bp
}

func (bp *browserPage) refused(msg string) bool {
	bp.mu.Lock()
	defer bp.mu.Unlock()
	return bp.refusals && strings.HasPrefix(msg, "Failed to load resource: the server responded with a status of 4")
}

func (bp *browserPage) problem(p string) {
	bp.mu.Lock()
	defer bp.mu.Unlock()
	bp.bad = append(bp.bad, p)
}

// must fails the test with the page's URL and HTML.
func (bp *browserPage) must(err error, what string) {
	bp.t.Helper()
	if err != nil {
		html, _ := bp.page.Content()
		bp.t.Fatalf("%s: %v\nat %s\n%s", what, err, bp.page.URL(), html)
	}
}

func (bp *browserPage) open(url string) {
	bp.t.Helper()
	_, err := bp.page.Goto(url)
	bp.must(err, "open "+url)
}

// alert waits for a toast containing text.
func (bp *browserPage) alert(text string) {
	bp.t.Helper()
	bp.must(bp.body.GetByRole("alert").Filter(playwright.LocatorFilterOptions{HasText: text}).WaitFor(), "toast "+text)
}

// TestBrowser drives the site with a real headless Chromium the way the
// LinkedIn driver will: every element is found by its role and accessible
// name, so this proves the accessible structure.
func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	browser, stop := browserSession(t)
	defer stop()
	t.Run("smoke", func(t *testing.T) { browserSmoke(t, browser) })
	t.Run("german and failures", func(t *testing.T) { browserGermanFailures(t, browser) })
}

// browserSmoke signs in through the page, invites with a note in both
// layouts (the alt layout's dialog lives in a shadow root), withdraws,
// and messages a connection.
func browserSmoke(t *testing.T, browser playwright.Browser) {
	s, _ := newSite(t, Options{})
	base, stopSite, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer stopSite()
	bp := newBrowserPage(t, browser, base)
	page, main, must := bp.page, bp.body, bp.must

	// Sign in through the page, as the human does in the visible window.
	bp.open(base + "/feed/")
	must(page.WaitForURL("**/login?session_redirect=*"), "sent to sign in")
	must(page.GetByLabel("Email or phone").Fill(alice), "email")
	must(page.GetByLabel("Password", playwright.PageGetByLabelOptions{Exact: playwright.Bool(true)}).Fill(alicePW), "password")
	must(main.GetByRole("button", exact("Sign in")).Click(), "sign in")
	must(page.WaitForURL("**/feed/"), "back on the feed")
	nav := main.GetByRole("navigation", exact("Primary Navigation"))
	must(nav.GetByRole("button", named("Alice Archer")).WaitFor(), "the Me menu names the member")

	// Classic layout: Connect, Add a note, Send, then Pending.
	bp.open(base + "/in/anna-schmidt/")
	card := page.Locator(".pv-top-card")
	must(card.GetByRole("heading", playwright.LocatorGetByRoleOptions{Name: "Anna Schmidt", Level: playwright.Int(1)}).WaitFor(), "profile heading")
	must(card.GetByRole("button", exact("Invite Anna Schmidt to connect")).Click(), "Connect")
	dialog := main.GetByRole("dialog", exact("Add a note to your invitation?"))
	must(dialog.GetByRole("button", exact("Add a note")).Click(), "Add a note")
	must(main.GetByRole("dialog").GetByRole("textbox", exact("Message")).Fill("Hi Anna, we met at the Berlin meetup."), "write the note")
	must(main.GetByRole("dialog").GetByRole("button", exact("Send")).Click(), "Send")
	must(card.GetByRole("button", exact("Pending, click to withdraw invitation sent to Anna Schmidt")).WaitFor(), "Pending")
	bp.alert("Your invitation to Anna Schmidt was sent.")
	if n, _ := main.GetByRole("dialog").Count(); n != 0 {
		t.Fatal("the dialog is still open")
	}
	if inv := s.Invites(); len(inv) != 1 || inv[0].Slug != "anna-schmidt" || inv[0].Note != "Hi Anna, we met at the Berlin meetup." {
		t.Fatalf("Invites() = %+v", inv)
	}

	// Message a 1st-degree connection and see it in the thread.
	bp.open(base + "/in/ben-mueller/")
	must(card.GetByRole("button", exact("Message Ben Müller")).Click(), "Message")
	must(page.WaitForURL("**/messaging/thread/**"), "the thread")
	composer := main.GetByRole("textbox", exact("Write a message…"))
	must(composer.Fill("Hello Ben, shall we talk on Friday?"), "write the message")
	must(main.GetByRole("button", exact("Send")).Click(), "Send")
	sent := main.GetByRole("list", exact("Messages")).GetByRole("listitem").Filter(playwright.LocatorFilterOptions{HasText: "Hello Ben, shall we talk on Friday?"})
	must(sent.WaitFor(), "the message in the thread")
	if m := s.Messages(); len(m) != 1 || m[0].Slug != "ben-mueller" || m[0].Text != "Hello Ben, shall we talk on Friday?" {
		t.Fatalf("Messages() = %+v", m)
	}
	if text, _ := composer.InnerText(); strings.TrimSpace(text) != "" {
		t.Fatalf("the composer still holds %q", text)
	}

	// Alt layout: More, Connect, the dialog in a shadow root, Pending in
	// the menu; then withdraw from there.
	s.SetLayout(alice, LayoutAlt)
	bp.open(base + "/in/clara-dubois/")
	if n, _ := card.GetByRole("button", named("Invite Clara Dubois to connect")).Count(); n != 0 {
		t.Fatal("alt layout shows a Connect button")
	}
	more := card.GetByRole("button", exact("More actions"))
	must(more.Click(), "More")
	must(card.GetByRole("menuitem", exact("Connect")).Click(), "More → Connect")
	must(dialog.GetByRole("button", exact("Add a note")).Click(), "Add a note (alt)")
	must(main.GetByRole("dialog").GetByRole("textbox", exact("Message")).Fill("Bonjour Clara !"), "write the note (alt)")
	must(main.GetByRole("dialog").GetByRole("button", exact("Send")).Click(), "Send (alt)")
	bp.alert("Your invitation to Clara Dubois was sent.")
	inShadow, err := page.Evaluate(`() => { const h = document.getElementById("interop-outlet"); return !!(h && h.shadowRoot) }`)
	must(err, "look for the shadow root")
	if inShadow != true {
		t.Fatal("the alt layout's dialog was not rendered in a shadow root")
	}
	must(more.Click(), "More again")
	must(card.GetByRole("menuitem", exact("Pending, click to withdraw invitation sent to Clara Dubois")).Click(), "Pending in the menu")
	withdraw := main.GetByRole("dialog", exact("Withdraw invitation"))
	must(withdraw.GetByRole("button", exact("Withdraw")).Click(), "Withdraw")
	bp.alert("Invitation withdrawn")
	must(more.Click(), "More after withdrawing")
	must(card.GetByRole("menuitem", exact("Connect")).WaitFor(), "Connect is back")
	if inv, w := s.Invites(), s.Withdrawn(); len(inv) != 2 || inv[1].Note != "Bonjour Clara !" || len(w) != 1 || w[0].Slug != "clara-dubois" {
		t.Fatalf("Invites() = %+v, Withdrawn() = %+v", inv, w)
	}
}

// browserGermanFailures uses a minted session cookie (as the demo does),
// the German labels, and the scripted failures' dialogs and redirects.
func browserGermanFailures(t *testing.T, browser playwright.Browser) {
	s, _ := newSite(t, Options{Locale: "de"})
	base, stopSite, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer stopSite()
	ck := s.SessionCookie(alice)
	bp := newBrowserPage(t, browser, base, playwright.OptionalCookie{Name: ck.Name, Value: ck.Value, URL: playwright.String(base)})
	bp.mu.Lock()
	bp.refusals = true
	bp.mu.Unlock()
	page, main, must := bp.page, bp.body, bp.must
	card := page.Locator(".pv-top-card")

	// Note quota: "Notiz hinzufügen" shows the upsell, which can still
	// send without a note.
	s.NoteQuota(alice, 0)
	bp.open(base + "/in/anna-schmidt/")
	must(card.GetByRole("button", exact("Laden Sie Anna Schmidt ein, sich mit Ihnen zu vernetzen")).Click(), "Vernetzen")
	must(main.GetByRole("dialog", exact("Möchten Sie Ihrer Einladung eine Notiz hinzufügen?")).GetByRole("button", exact("Notiz hinzufügen")).Click(), "Notiz hinzufügen")
	upsell := main.GetByRole("dialog", exact("Keine kostenlosen personalisierten Einladungen mehr"))
	must(upsell.GetByRole("button", exact("Ohne Notiz senden")).Click(), "Ohne Notiz senden")
	must(card.GetByRole("button", exact("Ausstehend, klicken Sie, um die an Anna Schmidt gesendete Einladung zurückzuziehen")).WaitFor(), "Ausstehend")
	if inv := s.Invites(); len(inv) != 1 || inv[0].Note != "" {
		t.Fatalf("Invites() = %+v", inv)
	}

	// Weekly limit: the dialog instead of an invitation.
	s.WeeklyLimit(alice)
	bp.open(base + "/in/clara-dubois/")
	must(card.GetByRole("button", exact("Laden Sie Clara Dubois ein, sich mit Ihnen zu vernetzen")).Click(), "Vernetzen")
	must(main.GetByRole("dialog").GetByRole("button", exact("Ohne Notiz senden")).Click(), "Ohne Notiz senden")
	limit := main.GetByRole("dialog", exact("Sie haben das wöchentliche Einladungslimit erreicht"))
	must(limit.GetByRole("button", exact("Verstanden")).Click(), "Verstanden")
	must(limit.WaitFor(playwright.LocatorWaitForOptions{State: playwright.WaitForSelectorStateDetached}), "the dialog closes")
	must(card.GetByRole("button", exact("Laden Sie Clara Dubois ein, sich mit Ihnen zu vernetzen")).WaitFor(), "still Vernetzen")
	if n := len(s.Invites()); n != 1 {
		t.Fatalf("%d invites, want 1", n)
	}

	// A checkpoint: the next page load lands on the challenge.
	s.Checkpoint(alice)
	bp.open(base + "/feed/")
	must(page.WaitForURL("**/checkpoint/challenge/**"), "the challenge")
	must(main.GetByRole("heading", exact("Kurze Sicherheitsüberprüfung")).WaitFor(), "challenge heading")
	frame := page.FrameLocator(`iframe[title="Sicherheitsüberprüfung"]`)
	must(frame.GetByRole("button", playwright.FrameLocatorGetByRoleOptions{Name: "Bestätigen", Exact: playwright.Bool(true)}).WaitFor(), "the captcha")
	s.Clear(alice)

	// An unexpected logout while a page is open: the next click goes to
	// the sign-in page and comes back here after it.
	bp.open(base + "/in/dirk-o-neil/")
	s.ExpireSession(alice)
	must(card.GetByRole("button", exact("Laden Sie Dirk O'Neil ein, sich mit Ihnen zu vernetzen")).Click(), "Vernetzen after logout")
	must(page.WaitForURL("**/login?session_redirect=%2Fin%2Fdirk-o-neil%2F"), "sent to sign in")
	must(page.GetByLabel("E-Mail oder Telefon").Fill(alice), "email")
	must(page.GetByLabel("Passwort", playwright.PageGetByLabelOptions{Exact: playwright.Bool(true)}).Fill(alicePW), "password")
	must(main.GetByRole("button", exact("Einloggen")).Click(), "Einloggen")
	must(page.WaitForURL("**/in/dirk-o-neil/"), "back on the profile")
	if n := len(s.Invites()); n != 1 {
		t.Fatalf("%d invites, want 1", n)
	}
}
