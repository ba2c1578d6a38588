package sitetest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSignInThroughTheForm(t *testing.T) {
	s, _ := newSite(t, Options{})
	c := newClient(t, s)

	r := c.get("/in/anna-schmidt/")
	redirectsTo(t, r, "/login?session_redirect=%2Fin%2Fanna-schmidt%2F")
	login := c.page(r.location)
	contains(t, "login", login,
		`<label for="username" class="form__label--floating">Email or phone</label>`,
		`<label for="password" class="form__label--floating">Password</label>`,
		`name="session_key"`, `name="session_password"`, `type="password"`,
		`aria-label="Sign in">Sign in</button>`,
		`name="session_redirect" value="/in/anna-schmidt/"`)

	for _, tc := range []struct{ email, password, want string }{
		{"", "x", "Please enter an email address"},
		{"nobody@example.com", alicePW, "Couldn't find a LinkedIn account"},
		{alice, "wrong", "Wrong email or password"},
	} {
		r := c.postForm("/checkpoint/lg/login-submit", url.Values{"session_key": {tc.email}, "session_password": {tc.password}}, false)
		if r.status != http.StatusOK {
			t.Fatalf("%q/%q: %d", tc.email, tc.password, r.status)
		}
		contains(t, "failed sign-in", r.body, tc.want, `aria-invalid="true"`, `role="alert"`)
	}
	if c.cookie(sessionCookie) != "" {
		t.Fatal("a failed sign-in set a session")
	}

	r = c.postForm("/checkpoint/lg/login-submit", url.Values{
		"session_key": {"  ALICE@example.com "}, "session_password": {alicePW}, "session_redirect": {"/in/anna-schmidt/"},
	}, false)
	redirectsTo(t, r, "/in/anna-schmidt/")
	contains(t, "profile after sign-in", c.page("/in/anna-schmidt/"), "<h1", "Anna Schmidt</h1>")

	feed := c.page("/feed/")
	contains(t, "feed", feed,
		`<nav class="global-nav__nav" aria-label="Primary Navigation">`,
		`role="img" aria-label="Alice Archer"`, // the Me button's photo names the member
		`<span class="global-nav__primary-link-text">Me</span>`,
		`class="global-nav__me-name t-16 t-black t-bold">Alice Archer</div>`,
		"Welcome, Alice Archer!")
	redirectsTo(t, c.get("/login"), "/feed/")
	redirectsTo(t, c.get("/"), "/feed/")
}

func TestSignInIgnoresForeignRedirects(t *testing.T) {
	s, _ := newSite(t, Options{})
	c := newClient(t, s)
	for _, next := range []string{"https://evil.example/", "//evil.example/", "javascript:alert(1)"} {
		r := c.postForm("/checkpoint/lg/login-submit", url.Values{"session_key": {alice}, "session_password": {alicePW}, "session_redirect": {next}}, false)
		redirectsTo(t, r, "/feed/")
	}
}

func TestSignOut(t *testing.T) {
	s, _ := newSite(t, Options{})
	c := newClient(t, s).as(s, alice)
	c.page("/feed/")
	redirectsTo(t, c.get("/m/logout/"), "/login")
	redirectsTo(t, c.get("/feed/"), "/login?session_redirect=")
}

func TestSessionCookieOfUnknownEmailIsUseless(t *testing.T) {
	s, _ := newSite(t, Options{})
	c := newClient(t, s).as(s, "stranger@example.com")
	redirectsTo(t, c.get("/feed/"), "/login")
}

func TestAPIRequiresCSRFToken(t *testing.T) {
	s, _ := newSite(t, Options{})
	c := newClient(t, s).as(s, alice)
	c.page("/in/anna-schmidt/")
	if c.cookie(csrfCookie) == "" || !strings.HasPrefix(c.cookie(csrfCookie), "ajax:") {
		t.Fatalf("JSESSIONID = %q", c.cookie(csrfCookie))
	}
	r := c.postForm("/voyager/api/relationships/invite", url.Values{"slug": {"anna-schmidt"}}, false)
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "csrf_check_failed") {
		t.Fatalf("without csrf-token: %d %s", r.status, r.body)
	}
	if len(s.Invites()) != 0 {
		t.Fatal("an invite went out without the CSRF token")
	}
}
