package sitetest

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestProfileTopCard(t *testing.T) {
	s, _ := newSite(t, Options{})
	c := newClient(t, s).as(s, alice)

	anna := c.page("/in/anna-schmidt/")
	contains(t, "2nd-degree profile", anna,
		`<title>Anna Schmidt | LinkedIn</title>`,
		`class="artdeco-card pv-top-card"`,
		`<h1 class="text-heading-xlarge inline t-24 v-align-middle break-words">Anna Schmidt</h1>`,
		`<span class="visually-hidden">2nd degree connection</span>`,
		`<span class="dist-value" aria-hidden="true">· 2nd</span>`,
		"Head of Talent at Nordwind", "Nordwind GmbH", "Berlin, Germany",
		`aria-label="Invite Anna Schmidt to connect"`,
		`<span class="artdeco-button__text">Connect</span>`,
		`aria-label="More actions"`,
		`aria-label="More profiles for you"`,
		`aria-label="Invite Clara Dubois to connect"`, // another member's button, as on LinkedIn
	)
	lacks(t, "2nd-degree profile", anna, `aria-label="Message Anna Schmidt"`, `Pending, click to withdraw`)

	ben := c.page("/in/ben-mueller/")
	contains(t, "1st-degree profile", ben, `· 1st`, `aria-label="Message Ben Müller"`,
		`data-href="/messaging/thread/`+ThreadID(alice, "ben-mueller")+`/"`)
	lacks(t, "1st-degree profile", ben, `aria-label="Invite Ben Müller to connect"`)

	contains(t, "3rd-degree profile", c.page("/in/clara-dubois/"), `· 3rd`, `3rd degree connection`)
	contains(t, "apostrophes and ampersands", c.page("/in/dirk-o-neil/"), "Dirk O'Neil</h1>", "Harbour & Co")

	redirectsTo(t, c.get("/in/anna-schmidt"), "/in/anna-schmidt/")
	if r := c.get("/in/nobody/"); r.status != http.StatusNotFound || !strings.Contains(r.body, "This page doesn't exist") {
		t.Fatalf("unknown profile: %d", r.status)
	}
}

func TestInviteDialogs(t *testing.T) {
	s, _ := newSite(t, Options{})
	c := newClient(t, s).as(s, alice)

	d := c.page("/preload/custom-invite/?vanityName=anna-schmidt")
	contains(t, "invite dialog", d,
		`role="dialog" aria-modal="true" aria-labelledby="send-invite-modal"`,
		`<h2 id="send-invite-modal" class="t-20">Add a note to your invitation?</h2>`,
		`aria-label="Dismiss"`,
		`<span class="artdeco-button__text">Add a note</span>`,
		`<span class="artdeco-button__text">Send without a note</span>`,
		`action="/voyager/api/relationships/invite" data-api`,
		`name="slug" value="anna-schmidt"`,
		"Personalize your invitation to Anna Schmidt")

	n := c.page("/preload/custom-invite/?vanityName=anna-schmidt&step=note")
	contains(t, "note dialog", n,
		`<label for="custom-message"`, `>Message</label>`,
		`<textarea id="custom-message" name="message"`, `maxlength="300"`,
		`<span class="artdeco-button__text">Send</span>`,
		`<span class="artdeco-button__text">Cancel</span>`)

	if r := c.get("/preload/custom-invite/?vanityName=nobody"); r.status != http.StatusNotFound {
		t.Fatalf("dialog for an unknown member: %d", r.status)
	}
}

func TestInviteWithoutNote(t *testing.T) {
	s, clk := newSite(t, Options{})
	c := newClient(t, s).as(s, alice)

	status, res := c.invite("anna-schmidt", "")
	if status != http.StatusOK || res.Code != "sent" || !res.Refresh || res.Toast != "Your invitation to Anna Schmidt was sent." {
		t.Fatalf("invite: %d %+v", status, res)
	}
	want := []Invite{{Account: alice, Slug: "anna-schmidt", At: clk.Now()}}
	if got := s.Invites(); len(got) != 1 || got[0] != want[0] {
		t.Fatalf("Invites() = %+v", got)
	}
	if r := s.Relation(alice, "anna-schmidt"); r != RelationPending {
		t.Fatalf("relation %s", r)
	}
	if r := s.Relation(bob, "anna-schmidt"); r != RelationNone {
		t.Fatalf("bob's relation changed too: %s", r)
	}
	p := c.page("/in/anna-schmidt/")
	contains(t, "pending profile", p,
		`aria-label="Pending, click to withdraw invitation sent to Anna Schmidt"`,
		`<span class="artdeco-button__text">Pending</span>`)
	lacks(t, "pending profile", p, `aria-label="Invite Anna Schmidt to connect"`)

	// A second click (a stale page, a retry) sends nothing more.
	status, res = c.invite("anna-schmidt", "")
	if status != http.StatusConflict || res.Code != "already_pending" || !res.Refresh {
		t.Fatalf("second invite: %d %+v", status, res)
	}
	status, res = c.invite("ben-mueller", "")
	if status != http.StatusConflict || res.Code != "already_connected" {
		t.Fatalf("invite to a connection: %d %+v", status, res)
	}
	if status, _ := c.invite("nobody", ""); status != http.StatusNotFound {
		t.Fatalf("invite to nobody: %d", status)
	}
	if n := len(s.Invites()); n != 1 {
		t.Fatalf("%d invites, want exactly 1", n)
	}
}

func TestInviteWithNote(t *testing.T) {
	s, _ := newSite(t, Options{})
	c := newClient(t, s).as(s, alice)

	if status, res := c.invite("anna-schmidt", strings.Repeat("é", 301)); status != http.StatusUnprocessableEntity || res.Code != "note_too_long" {
		t.Fatalf("301-char note: %d %+v", status, res)
	}
	note := "Hi Anna, we met at the Berlin meetup. " + strings.Repeat("ü", 262) // 300 characters
	if status, res := c.invite("anna-schmidt", note); status != http.StatusOK {
		t.Fatalf("300-char note: %d %+v", status, res)
	}
	got := s.Invites()
	if len(got) != 1 || got[0].Note != note {
		t.Fatalf("Invites() = %+v", got)
	}
}

func TestSentInvitationsAndWithdraw(t *testing.T) {
	s, clk := newSite(t, Options{})
	c := newClient(t, s).as(s, alice)
	contains(t, "no invitations", c.page("/mynetwork/invitation-manager/sent/"), "No pending invitations", "People (0)")

	c.invite("anna-schmidt", "")
	clk.Add(3 * 24 * time.Hour)
	c.invite("clara-dubois", "Bonjour")
	list := c.page("/mynetwork/invitation-manager/sent/")
	contains(t, "sent invitations", list, "People (2)",
		`aria-label="Withdraw invitation sent to Anna Schmidt"`,
		`aria-label="Withdraw invitation sent to Clara Dubois"`,
		`<span class="artdeco-button__text">Withdraw</span>`,
		">Sent 3 days ago</time>", ">Sent today</time>")
	if strings.Index(list, "Clara Dubois") > strings.Index(list, "Anna Schmidt") {
		t.Error("the newest invitation is not first")
	}

	d := c.page("/preload/withdraw-invite/?vanityName=anna-schmidt")
	contains(t, "withdraw dialog", d, `role="dialog"`, ">Withdraw invitation</h2>",
		"you won't be able to resend to Anna Schmidt for up to 3 weeks",
		`action="/voyager/api/relationships/withdraw"`,
		`<span class="artdeco-button__text">Withdraw</span>`, `<span class="artdeco-button__text">Cancel</span>`)

	status, res := c.api("/voyager/api/relationships/withdraw", url.Values{"slug": {"anna-schmidt"}})
	if status != http.StatusOK || res.Code != "withdrawn" || !res.Refresh {
		t.Fatalf("withdraw: %d %+v", status, res)
	}
	if w := s.Withdrawn(); len(w) != 1 || w[0].Slug != "anna-schmidt" || w[0].Account != alice || !w[0].At.Equal(clk.Now()) {
		t.Fatalf("Withdrawn() = %+v", w)
	}
	if r := s.Relation(alice, "anna-schmidt"); r != RelationNone {
		t.Fatalf("relation after withdraw: %s", r)
	}
	if status, res := c.api("/voyager/api/relationships/withdraw", url.Values{"slug": {"anna-schmidt"}}); status != http.StatusConflict || res.Code != "not_pending" {
		t.Fatalf("second withdraw: %d %+v", status, res)
	}
	contains(t, "profile after withdraw", c.page("/in/anna-schmidt/"), `aria-label="Invite Anna Schmidt to connect"`)
	lacks(t, "list after withdraw", c.page("/mynetwork/invitation-manager/sent/"), "Anna Schmidt")

	// LinkedIn refuses a new invitation for three weeks after a withdrawal.
	if status, res := c.invite("anna-schmidt", ""); status != http.StatusTooManyRequests || res.Code != "resend_blocked" || !strings.Contains(res.Toast, "3 weeks") {
		t.Fatalf("re-invite at once: %d %+v", status, res)
	}
	clk.Add(resendWait)
	if status, _ := c.invite("anna-schmidt", ""); status != http.StatusOK {
		t.Fatalf("re-invite after 3 weeks: %d", status)
	}
	if n := len(s.Invites()); n != 3 {
		t.Fatalf("%d invites, want 3", n)
	}
}

func TestLayouts(t *testing.T) {
	s, _ := newSite(t, Options{Layout: LayoutAlt})
	c := newClient(t, s).as(s, alice)

	anna := c.page("/in/anna-schmidt/")
	top := topCard(t, anna)
	contains(t, "alt: connect in the More menu", top,
		`aria-label="More actions" aria-haspopup="menu"`,
		`role="menu"`,
		`<div role="menuitem" tabindex="-1" class="artdeco-dropdown__item" data-modal="/preload/custom-invite/?vanityName=anna-schmidt">`,
		`<span class="display-flex t-normal">Connect</span>`)
	lacks(t, "alt: no Connect button in the top card", top, `aria-label="Invite Anna Schmidt to connect"`)
	contains(t, "alt: dialogs go into a shadow root", anna, `<div id="interop-outlet"`, `data-layout="alt"`)

	c.invite("anna-schmidt", "")
	contains(t, "alt: pending in the More menu", topCard(t, c.page("/in/anna-schmidt/")),
		`role="menuitem" tabindex="-1" class="artdeco-dropdown__item" data-modal="/preload/withdraw-invite/?vanityName=anna-schmidt" aria-label="Pending, click to withdraw invitation sent to Anna Schmidt"`)
	contains(t, "alt: Message is a link", topCard(t, c.page("/in/ben-mueller/")),
		`<a class="artdeco-button artdeco-button--2 artdeco-button--primary pvs-profile-actions__action message-anywhere-button" href="/messaging/thread/`)

	// An account can be switched, as LinkedIn's A/B tests do.
	s.SetLayout(alice, LayoutClassic)
	top = topCard(t, c.page("/in/clara-dubois/"))
	contains(t, "classic", top, `<button type="button" class="artdeco-button artdeco-button--2 artdeco-button--primary pvs-profile-actions__action" data-modal="/preload/custom-invite/?vanityName=clara-dubois" aria-label="Invite Clara Dubois to connect">`)
	lacks(t, "classic: no Connect menu item", top, `<span class="display-flex t-normal">Connect</span>`)
	contains(t, "classic: dialogs in the page", c.page("/in/clara-dubois/"), `<div id="artdeco-modal-outlet">`)
	contains(t, "bob keeps alt", topCard(t, newClient(t, s).as(s, bob).page("/in/clara-dubois/")), `<span class="display-flex t-normal">Connect</span>`)
}

// topCard cuts the top card out of a profile page.
func topCard(t *testing.T, page string) string {
	t.Helper()
	i := strings.Index(page, `class="artdeco-card pv-top-card"`)
	j := strings.Index(page, `class="scaffold-layout__aside`)
	if i < 0 || j < i {
		t.Fatal("no top card")
	}
	return page[i:j]
}

// TestConcurrentInvitesSendOnce races double clicks from many tabs: each
// member gets exactly one invitation.
func TestConcurrentInvitesSendOnce(t *testing.T) {
	s, _ := newSite(t, Options{})
	c := newClient(t, s).as(s, alice)
	c.page("/feed/")
	csrf := c.cookie(csrfCookie)
	var wg sync.WaitGroup
	for range 8 {
		for _, slug := range []string{"anna-schmidt", "clara-dubois", "dirk-o-neil"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest(http.MethodPost, c.base.String()+"/voyager/api/relationships/invite", strings.NewReader("slug="+slug))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set(csrfHeader, csrf)
				res, err := c.http.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				res.Body.Close()
			}()
		}
	}
	wg.Wait()
	if n := len(s.Invites()); n != 3 {
		t.Fatalf("%d invites, want 3", n)
	}
}
