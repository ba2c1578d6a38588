package sitetest

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is a fake clock tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const (
	alice   = "alice@example.com"
	alicePW = "correct horse battery"
	bob     = "bob@example.com"
	bobPW   = "staple"
)

// newSite is a site with two accounts and four members: anna (2nd), ben
// (already a connection), clara (3rd) and dirk (2nd).
func newSite(t *testing.T, opts Options) (*Site, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 4, 10, 30, 0, 0, time.UTC)} // a Wednesday
	if opts.Clock == nil {
		opts.Clock = c.Now
	}
	s := New(opts)
	s.AddAccount(Account{Email: alice, Password: alicePW, Name: "Alice Archer"})
	s.AddAccount(Account{Email: bob, Password: bobPW, Name: "Bob Baker"})
	s.AddProfile(Profile{Slug: "anna-schmidt", FirstName: "Anna", LastName: "Schmidt", Headline: "Head of Talent at Nordwind", Company: "Nordwind GmbH", Location: "Berlin, Germany", Degree: 2})
	s.AddProfile(Profile{Slug: "ben-mueller", FirstName: "Ben", LastName: "Müller", Headline: "CTO at Kiel Labs", Company: "Kiel Labs", Location: "Kiel, Germany", Degree: 1})
	s.AddProfile(Profile{Slug: "clara-dubois", FirstName: "Clara", LastName: "Dubois", Headline: "Recruiter", Company: "Lumière SA", Location: "Lyon, France", Degree: 3})
	s.AddProfile(Profile{Slug: "dirk-o-neil", FirstName: "Dirk", LastName: "O'Neil", Headline: "Sales at Harbour & Co", Company: "Harbour & Co", Location: "Hamburg, Germany", Degree: 2})
	return s, c
}

// client is a browser without JavaScript: a cookie jar, no automatic
// redirects, and the csrf-token header on API calls as site.js sends it.
type client struct {
	t    *testing.T
	base *url.URL
	http *http.Client
}

type resp struct {
	status   int
	body     string // with HTML entities decoded, for plain assertions
	location string
	header   http.Header
}

func newClient(t *testing.T, s *Site) *client {
	t.Helper()
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	base, _ := url.Parse(srv.URL)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &client{t: t, base: base, http: hc}
}

// as signs the client in with a minted session.
func (c *client) as(s *Site, email string) *client {
	ck := s.SessionCookie(email)
	c.http.Jar.SetCookies(c.base, []*http.Cookie{&ck})
	return c
}

func (c *client) do(req *http.Request) resp {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{status: res.StatusCode, body: html.UnescapeString(string(b)), location: res.Header.Get("Location"), header: res.Header}
}

func (c *client) get(path string) resp {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base.String()+path, nil)
	return c.do(req)
}

// page gets a page and fails unless it is served.
func (c *client) page(path string) string {
	c.t.Helper()
	r := c.get(path)
	if r.status != http.StatusOK {
		c.t.Fatalf("GET %s: %d (location %q)\n%s", path, r.status, r.location, r.body)
	}
	return r.body
}

func (c *client) postForm(path string, form url.Values, csrf bool) resp {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base.String()+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if csrf {
		req.Header.Set(csrfHeader, c.cookie(csrfCookie))
	}
	return c.do(req)
}

// api calls the site's API as site.js does and decodes the answer.
func (c *client) api(path string, form url.Values) (int, result) {
	c.t.Helper()
	if c.cookie(csrfCookie) == "" {
		c.get("/login") // the first response hands out JSESSIONID
	}
	r := c.postForm(path, form, true)
	var res result
	if err := json.Unmarshal([]byte(r.body), &res); err != nil {
		c.t.Fatalf("POST %s: %d, not JSON: %v\n%s", path, r.status, err, r.body)
	}
	return r.status, res
}

func (c *client) invite(slug, note string) (int, result) {
	c.t.Helper()
	return c.api("/voyager/api/relationships/invite", url.Values{"slug": {slug}, "message": {note}})
}

func (c *client) message(thread, text string) (int, result) {
	c.t.Helper()
	return c.api("/voyager/api/messaging/conversations/"+thread+"/events", url.Values{"text": {text}})
}

func (c *client) cookie(name string) string {
	for _, ck := range c.http.Jar.Cookies(c.base) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

func contains(t *testing.T, where, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q", where, w)
		}
	}
}

func lacks(t *testing.T, where, body string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			t.Errorf("%s: should not contain %q", where, u)
		}
	}
}

// redirectsTo fails unless r is a redirect to a location starting with prefix.
func redirectsTo(t *testing.T, r resp, prefix string) {
	t.Helper()
	if r.status < 300 || r.status > 399 || !strings.HasPrefix(r.location, prefix) {
		t.Fatalf("want a redirect to %s, got %d %q", prefix, r.status, r.location)
	}
}
