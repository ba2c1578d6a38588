package sitetest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestCheckpoint(t *testing.T) {
	s, _ := newSite(t, Options{})
	c := newClient(t, s).as(s, alice)
	c.page("/feed/")
	s.Checkpoint(alice)

	r := c.get("/in/anna-schmidt/")
	redirectsTo(t, r, "/checkpoint/challenge/")
	challenge := r.location
	redirectsTo(t, c.get("/feed/"), challenge) // it stays until passed
	page := c.page(challenge)
	contains(t, "challenge", page,
		"<title>Security Verification | LinkedIn</title>",
		"Let's do a quick security check",
		`<iframe id="captcha-internal" class="challenge-dialog__iframe" title="Security verification" src="`+challenge+`/captcha">`)
	frame := c.page(challenge + "/captcha")
	contains(t, "captcha frame", frame, `target="_top"`, ">Verify</button>")

	// Nothing is sent while the account is held; the script is told where to go.
	status, res := c.invite("anna-schmidt", "")
	if status != http.StatusForbidden || res.Code != "challenge" || res.Redirect != challenge {
		t.Fatalf("invite at a checkpoint: %d %+v", status, res)
	}
	if status, _ := c.message(ThreadID(alice, "ben-mueller"), "Hi"); status != http.StatusForbidden {
		t.Fatalf("message at a checkpoint: %d", status)
	}
	if r := c.get("/preload/custom-invite/?vanityName=anna-schmidt"); r.status != http.StatusForbidden || !strings.Contains(r.body, `"redirect":"`+challenge) {
		t.Fatalf("dialog at a checkpoint: %d %s", r.status, r.body)
	}
	if len(s.Invites())+len(s.Messages()) != 0 {
		t.Fatal("something was sent at a checkpoint")
	}
	// Other accounts are not affected.
	newClient(t, s).as(s, bob).page("/in/anna-schmidt/")

	// A human passes the challenge.
	redirectsTo(t, c.postForm(challenge+"/verify", nil, false), "/feed/")
	c.page("/in/anna-schmidt/")
	redirectsTo(t, c.get(challenge), "/feed/")

	s.Checkpoint(alice)
	redirectsTo(t, c.get("/feed/"), "/checkpoint/challenge/")
	s.Clear(alice)
	c.page("/feed/")
}

func TestWeeklyLimit(t *testing.T) {
	s, _ := newSite(t, Options{})
	c := newClient(t, s).as(s, alice)
	s.WeeklyLimit(alice)

	for _, note := range []string{"", "with a note"} {
		status, res := c.invite("anna-schmidt", note)
		if status != http.StatusTooManyRequests || res.Code != "weekly_limit" || res.Modal != "/preload/weekly-limit/" {
			t.Fatalf("invite at the weekly limit: %d %+v", status, res)
		}
	}
	d := c.page("/preload/weekly-limit/")
	contains(t, "weekly limit dialog", d, `role="dialog"`, ">You've reached the weekly invitation limit</h2>",
		"Please wait until next week", `<span class="artdeco-button__text">Got it</span>`)
	if n := len(s.Invites()); n != 0 {
		t.Fatalf("%d invites sent at the weekly limit", n)
	}
	if r := s.Relation(alice, "anna-schmidt"); r != RelationNone {
		t.Fatalf("relation %s", r)
	}
	contains(t, "profile", c.page("/in/anna-schmidt/"), `aria-label="Invite Anna Schmidt to connect"`)
	s.Clear(alice)
	if status, _ := c.invite("anna-schmidt", ""); status != http.StatusOK {
		t.Fatalf("after the limit is cleared: %d", status)
	}
}

func TestRestrict(t *testing.T) {
	s, _ := newSite(t, Options{})
	c := newClient(t, s).as(s, alice)
	redirectsTo(t, c.get("/checkpoint/restricted/"), "/feed/")
	s.Restrict(alice)

	redirectsTo(t, c.get("/messaging/"), "/checkpoint/restricted/")
	contains(t, "restricted page", c.page("/checkpoint/restricted/"),
		"<title>Account restricted | LinkedIn</title>", "<h1 class=\"restricted-dialog__heading\">Your account has been restricted</h1>")
	if status, res := c.invite("anna-schmidt", ""); status != http.StatusForbidden || res.Code != "restricted" || res.Redirect != "/checkpoint/restricted/" {
		t.Fatalf("invite while restricted: %d %+v", status, res)
	}
	if len(s.Invites()) != 0 {
		t.Fatal("a restricted account sent an invite")
	}
	s.Clear(alice)
	c.page("/messaging/")
}

func TestExpireSession(t *testing.T) {
	s, _ := newSite(t, Options{})
	c := newClient(t, s).as(s, alice)
	other := newClient(t, s).as(s, alice) // a second browser of the same account
	c.page("/feed/")
	s.ExpireSession(alice)

	r := c.get("/in/anna-schmidt/?trk=feed")
	redirectsTo(t, r, "/login?session_redirect=%2Fin%2Fanna-schmidt%2F%3Ftrk%3Dfeed")
	redirectsTo(t, other.get("/feed/"), "/login?session_redirect=")

	req, _ := http.NewRequest(http.MethodPost, c.base.String()+"/voyager/api/relationships/invite", strings.NewReader("slug=anna-schmidt"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(csrfHeader, c.cookie(csrfCookie))
	req.Header.Set("Referer", c.base.String()+"/in/anna-schmidt/")
	res := c.do(req)
	if res.status != http.StatusUnauthorized || !strings.Contains(res.body, `"redirect":"/login?session_redirect=%2Fin%2Fanna-schmidt%2F"`) {
		t.Fatalf("invite after logout: %d %s", res.status, res.body)
	}
	if len(s.Invites()) != 0 {
		t.Fatal("an invite went out without a session")
	}

	// Signing in again lands where the member was.
	login := c.page(r.location)
	contains(t, "login", login, `name="session_redirect" value="/in/anna-schmidt/?trk=feed"`)
	r = c.postForm("/checkpoint/lg/login-submit", url.Values{"session_key": {alice}, "session_password": {alicePW}, "session_redirect": {"/in/anna-schmidt/?trk=feed"}}, false)
	redirectsTo(t, r, "/in/anna-schmidt/?trk=feed")
	c.page("/in/anna-schmidt/?trk=feed")
}

func TestNoteQuota(t *testing.T) {
	s, _ := newSite(t, Options{})
	c := newClient(t, s).as(s, alice)
	s.NoteQuota(alice, 1)

	contains(t, "note step with quota left", c.page("/preload/custom-invite/?vanityName=anna-schmidt&step=note"), `name="message"`)
	if status, _ := c.invite("anna-schmidt", "Hello Anna"); status != http.StatusOK {
		t.Fatalf("first personalized invite: %d", status)
	}

	quota := c.page("/preload/custom-invite/?vanityName=clara-dubois&step=note")
	contains(t, "note step without quota", quota, `role="dialog"`,
		">No free personalized invitations left</h2>",
		"You've used all your free personalized invitations for this month.",
		`<span class="artdeco-button__text">Send without a note</span>`,
		"Try Premium for free")
	lacks(t, "note step without quota", quota, `name="message"`)

	status, res := c.invite("clara-dubois", "Bonjour Clara")
	if status != http.StatusForbidden || res.Code != "note_quota" || res.Modal != "/preload/custom-invite/?step=quota&vanityName=clara-dubois" {
		t.Fatalf("personalized invite beyond the quota: %d %+v", status, res)
	}
	if status, _ := c.invite("clara-dubois", ""); status != http.StatusOK {
		t.Fatalf("invite without a note beyond the quota: %d", status)
	}
	got := s.Invites()
	if len(got) != 2 || got[0].Note != "Hello Anna" || got[1].Note != "" {
		t.Fatalf("Invites() = %+v", got)
	}
	// Another account is not limited; lifting the quota works.
	if status, _ := newClient(t, s).as(s, bob).invite("clara-dubois", "Hi"); status != http.StatusOK {
		t.Fatalf("bob's personalized invite: %d", status)
	}
	s.NoteQuota(alice, -1)
	if status, _ := c.invite("dirk-o-neil", "Hi Dirk"); status != http.StatusOK {
		t.Fatalf("after lifting the quota: %d", status)
	}
}

func TestScriptedFailuresBeforeTheAccountExists(t *testing.T) {
	s, _ := newSite(t, Options{})
	s.Restrict("carol@example.com")
	s.AddAccount(Account{Email: "Carol@Example.com", Password: "x", Name: "Carol"})
	redirectsTo(t, newClient(t, s).as(s, "carol@example.com").get("/feed/"), "/checkpoint/restricted/")
}
