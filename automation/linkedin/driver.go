// Package linkedin is the LinkedIn driver: automation.Site on real
// Chromium through playwright-go. Every element is found through the
// selector pack (role and accessible name in the page's language first,
// CSS last); every action verifies its result on the page before it
// returns (the button now says Pending, the message is in the thread); an
// empty extraction where data is expected is an error, never a silent
// success. When LinkedIn pushes back (a checkpoint, a captcha, the weekly
// invitation limit, a restricted account, an unexpected sign-out) the
// driver stops, keeps a screenshot and a trimmed copy of the page as
// evidence, and returns an error that makes the runtime quarantine the
// account and call a person. It never tries to get past any of them.
package linkedin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mxschmitt/playwright-go"

	"parley/app/model"
	"parley/automation"
	"parley/automation/selectors"
)

// BaseURLEnv points the driver at another LinkedIn, for tests and the
// demo (the sitetest site).
const BaseURLEnv = "LINKEDIN_BASE_URL"

// DefaultBaseURL is LinkedIn.
const DefaultBaseURL = "https://www.linkedin.com"

// Contexts gives each account its own browser context, restored from
// its saved session (automation/browser's Pool).
type Contexts interface {
	Context(ctx context.Context, accountID uint64) (playwright.BrowserContext, error)
	Save(accountID uint64) error
}

// Options configure a Driver.
type Options struct {
	BaseURL  string
	Contexts Contexts
	Pack     *selectors.Pack
	// EvidenceDir keeps screenshots and page copies of pushbacks and
	// failures (in the data folder).
	EvidenceDir string
	Clock       model.Clock
	Logger      *slog.Logger
	// Keystroke is the pause between typed characters (default 60 ms): a
	// person's pace, out of respect for the site, not to hide anything.
	Keystroke time.Duration
	// Think is the average pause before each click and before typing, the
	// time a person takes to read the page and find the next button
	// (default 1.2 s; each pause is drawn from half to one and a half
	// times it). Like Keystroke it keeps the pace of a person; the limits
	// of the runtime are what keep an account safe.
	Think time.Duration
	// Timeout bounds each wait for a page or an element (default 30 s).
	Timeout time.Duration
}

// Driver implements automation.Site.
type Driver struct {
	o Options
}

var _ automation.Site = (*Driver)(nil)

// New returns a driver.
func New(o Options) (*Driver, error) {
	if o.Contexts == nil || o.Pack == nil {
		return nil, errors.New("linkedin: a driver needs browser contexts and a selector pack")
	}
	if o.BaseURL == "" {
		o.BaseURL = DefaultBaseURL
	}
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	if o.Clock == nil {
		o.Clock = model.SystemClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Keystroke <= 0 {
		o.Keystroke = 60 * time.Millisecond
	}
	if o.Think <= 0 {
		o.Think = 1200 * time.Millisecond
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	return &Driver{o: o}, nil
}

// tab is one page of an account's context, used for one action.
type tab struct {
	d      *Driver
	s      automation.Session
	page   playwright.Page
	action string
	lang   string
	// trace is the job's action log (nil outside a job).
	trace *automation.Trace
	// kept: evidence of this action's failure is already on disk.
	kept bool
	// ctx is the action's context (it ends the pauses early).
	ctx context.Context
}

// open starts an action on a fresh page of the account's context.
func (d *Driver) open(ctx context.Context, s automation.Session, action string) (*tab, error) {
	bc, err := d.o.Contexts.Context(ctx, s.AccountID)
	if err != nil {
		return nil, automation.Errorf(model.ErrClassTransient, action, "the browser could not be started: %s", brief(err))
	}
	page, err := bc.NewPage()
	if err != nil {
		return nil, automation.Errorf(model.ErrClassTransient, action, "the browser could not open a page: %s", brief(err))
	}
	// Both defaults: playwright-go does not apply the first to page loads.
	page.SetDefaultTimeout(float64(d.o.Timeout.Milliseconds()))
	page.SetDefaultNavigationTimeout(float64(d.o.Timeout.Milliseconds()))
	t := &tab{d: d, s: s, page: page, action: action, lang: "en", trace: automation.TraceOf(ctx), ctx: ctx}
	t.trace.Step("opened a browser tab for %s", action)
	return t, nil
}

// close ends the action and saves the account's session. When the action
// failed (*errp is set) it first keeps a screenshot and a copy of the page
// and names them in the error, so the job and any incident link them.
func (t *tab) close(errp *error) {
	if errp != nil && *errp != nil && !t.kept {
		if rel := t.evidence("failed-" + t.action); rel != "" {
			var e *automation.Error
			if errors.As(*errp, &e) {
				e.Msg += " " + automation.EvidenceNote(rel)
			}
		}
	}
	// Saved while the page is still open: the save reads the site's
	// storage from it (with no page of the site open, Playwright opens a
	// hidden one: about 110 ms more per action, measured).
	if err := t.d.o.Contexts.Save(t.s.AccountID); err != nil {
		t.d.o.Logger.Warn("the browser session could not be saved", "account", t.s.AccountID, "error", err)
	}
	t.page.Close()
}

// target maps a LinkedIn address (a lead's profile URL) onto the base URL.
func (d *Driver) target(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" {
		return "", fmt.Errorf("%q is not a LinkedIn address", raw)
	}
	p := u.EscapedPath()
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return d.o.BaseURL + p, nil
}

// visit loads a page, then checks that LinkedIn did not push back.
func (t *tab) visit(ctx context.Context, raw string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	to, err := t.d.target(raw)
	if err != nil {
		return automation.Errorf(model.ErrClassPermanent, t.action, "%v", err)
	}
	resp, err := t.page.Goto(to, playwright.PageGotoOptions{WaitUntil: playwright.WaitUntilStateDomcontentloaded})
	if err != nil {
		t.trace.Fail("loading %s failed", to)
		// Loading a page sends nothing: every send loads its page first.
		e := automation.Errorf(model.ErrClassTransient, t.action, "the page %s did not load: %s", to, brief(err))
		e.NotSent = true
		return e
	}
	t.trace.Step("loaded %s", to)
	if lang, err := t.page.Locator("html").GetAttribute("lang"); err == nil && lang != "" {
		t.lang = strings.ToLower(strings.SplitN(lang, "-", 2)[0])
	}
	if err := t.pushback(); err != nil {
		return err
	}
	if resp != nil && resp.Status() == http.StatusNotFound {
		// LinkedIn answers a removed or mistyped profile with "This page
		// doesn't exist": retrying cannot help, and nothing was sent.
		t.trace.Fail("LinkedIn says %s does not exist (404)", to)
		e := automation.Errorf(model.ErrClassPermanent, t.action, "LinkedIn says the page %s does not exist (404): the profile was removed or its address is wrong", raw)
		e.NotSent = true
		return e
	}
	return nil
}

// pushback looks for every way LinkedIn stops an account.
func (t *tab) pushback() error {
	u, _ := url.Parse(t.page.URL())
	path := ""
	if u != nil {
		path = u.Path
	}
	switch {
	case strings.HasPrefix(path, "/checkpoint/challenge"):
		return t.stop(model.ErrClassChallenge, "checkpoint", "LinkedIn asks for a security check (checkpoint) before going on")
	case strings.HasPrefix(path, "/checkpoint/restricted"):
		return t.stop(model.ErrClassChallenge, "restricted", "LinkedIn has restricted the account")
	case path == "/login" || strings.HasPrefix(path, "/uas/login") || strings.HasPrefix(path, "/authwall") || strings.HasPrefix(path, "/checkpoint/lg"):
		return t.stop(model.ErrClassLogin, "signed-out", "LinkedIn signed the account out (the session expired or was ended); sign in again from the account page")
	}
	if n, _ := t.page.Locator(`iframe[src*="captcha" i], iframe[title*="captcha" i], #captcha-internal`).Count(); n > 0 {
		return t.stop(model.ErrClassChallenge, "captcha", "LinkedIn shows a captcha")
	}
	if t.visible("pushback.weekly_limit", "") {
		return t.stop(model.ErrClassChallenge, "weekly-limit", "LinkedIn says the weekly invitation limit is reached")
	}
	return nil
}

// stop keeps evidence of a pushback and returns the error that stops the
// account. Nothing was sent.
func (t *tab) stop(class, kind, msg string) error {
	t.trace.Fail("%s", msg)
	if where := t.evidence(kind); where != "" {
		msg += " " + automation.EvidenceNote(where)
	}
	e := automation.Errorf(class, t.action, "%s", msg)
	e.NotSent = true
	return e
}

// poll is the pause between two looks for something that is not on the
// page yet.
const poll = 25 * time.Millisecond

// maxDOM bounds the page copy kept as evidence.
const maxDOM = 256 << 10

// scriptTags are removed from the page copy (they are noise, and large).
var scriptTags = regexp.MustCompile(`(?is)<script\b.*?</script>`)

// evidence writes a screenshot and a trimmed page copy and returns the
// screenshot's path relative to the evidence folder ("" when none could be
// written).
func (t *tab) evidence(kind string) string {
	if t.d.o.EvidenceDir == "" {
		return ""
	}
	dir := filepath.Join(t.d.o.EvidenceDir, fmt.Sprintf("account-%d", t.s.AccountID))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.d.o.Logger.Warn("evidence folder", "error", err)
		return ""
	}
	base := t.d.o.Clock.Now().UTC().Format("20060102T150405.000Z") + "-" + kind
	shot := filepath.Join(dir, base+".png")
	if _, err := t.page.Screenshot(playwright.PageScreenshotOptions{Path: playwright.String(shot), FullPage: playwright.Bool(true)}); err != nil {
		t.d.o.Logger.Warn("evidence screenshot", "error", err)
		shot = ""
	} else {
		os.Chmod(shot, 0o600)
	}
	if html, err := t.page.Content(); err == nil {
		html = scriptTags.ReplaceAllString(html, "")
		if len(html) > maxDOM {
			html = html[:maxDOM] + "\n<!-- trimmed -->"
		}
		os.WriteFile(filepath.Join(dir, base+".html"), []byte(html), 0o600)
	}
	t.kept = true
	rel := path.Join(fmt.Sprintf("account-%d", t.s.AccountID), base+".png")
	if shot == "" {
		rel = path.Join(fmt.Sprintf("account-%d", t.s.AccountID), base+".html")
	}
	t.trace.Keep(rel)
	return rel
}

// locate returns the first of the element's selectors that matches a
// visible element now (nil when none does).
func (t *tab) locate(key, name string) playwright.Locator {
	el, ok := t.d.o.Pack.Element(key)
	if !ok {
		return nil
	}
	for _, sel := range el.Selectors(t.lang, name) {
		loc := t.page.Locator(sel).First()
		if ok, _ := loc.IsVisible(); ok {
			return loc
		}
	}
	return nil
}

func (t *tab) visible(key, name string) bool { return t.locate(key, name) != nil }

// find waits (up to the timeout) for the element; a missing element is a
// selector error naming it, which degrades only this action.
func (t *tab) find(ctx context.Context, key, name string) (playwright.Locator, error) {
	return t.findWithin(ctx, key, name, t.d.o.Timeout)
}

func (t *tab) findWithin(ctx context.Context, key, name string, wait time.Duration) (playwright.Locator, error) {
	deadline := time.Now().Add(wait)
	for {
		if loc := t.locate(key, name); loc != nil {
			t.trace.Step("found %s", t.what(key))
			return loc, nil
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if time.Now().After(deadline) {
			return nil, t.missing(key)
		}
		time.Sleep(poll)
	}
}

// what names a pack element in words.
func (t *tab) what(key string) string {
	if el, _ := t.d.o.Pack.Element(key); el.What != "" {
		return el.What
	}
	return key
}

// missing is the selector error for an element not found.
func (t *tab) missing(key string) error {
	what := t.what(key)
	t.trace.Fail("%s was not found (selector pack element %q)", what, key)
	e := automation.Errorf(model.ErrClassSelector, t.action, "%s was not found on %s (selector pack element %q); LinkedIn may have changed the page", what, t.page.URL(), key)
	e.NotSent = true
	return e
}

// text reads an element's text (empty when it is missing).
func (t *tab) text(key, name string) string {
	loc := t.locate(key, name)
	if loc == nil {
		return ""
	}
	s, err := loc.InnerText()
	if err != nil {
		return ""
	}
	return strings.Join(strings.Fields(s), " ")
}

// think pauses as a person does before acting on a page; it ends early
// when ctx does.
func (t *tab) think(ctx context.Context) {
	d := t.d.o.Think/2 + rand.N(t.d.o.Think+1)
	if d < time.Millisecond {
		return
	}
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// click clicks a found element after a person's pause.
func (t *tab) click(loc playwright.Locator, what string) error {
	t.think(t.ctx)
	if err := loc.Click(); err != nil {
		t.trace.Fail("clicking %s failed", what)
		return automation.Errorf(model.ErrClassTransient, t.action, "clicking %s failed: %s", what, brief(err))
	}
	t.trace.Step("clicked %s", what)
	return nil
}

// typeText types at a person's pace.
func (t *tab) typeText(loc playwright.Locator, text string) error {
	t.think(t.ctx)
	if err := loc.Click(); err != nil {
		return automation.Errorf(model.ErrClassTransient, t.action, "the text field could not be focused: %s", brief(err))
	}
	delay := float64(t.d.o.Keystroke.Milliseconds())
	if err := loc.PressSequentially(text, playwright.LocatorPressSequentiallyOptions{Delay: &delay}); err != nil {
		t.trace.Fail("typing failed")
		return automation.Errorf(model.ErrClassTransient, t.action, "typing failed: %s", brief(err))
	}
	t.trace.Step("typed %d characters", utf8.RuneCountInString(text))
	return nil
}

// brief is a browser error in one line for a person: playwright's own
// prefixes and its call log (the steps it tried, several lines) left out.
func brief(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\nCall log:")
	if i := strings.LastIndex(s, "playwright: "); i >= 0 {
		s = s[i+len("playwright: "):]
	}
	return strings.Join(strings.Fields(s), " ")
}

// degree reads 1, 2 or 3 from the degree badge (0: none shown).
func degree(s string) int {
	for _, r := range s {
		if r >= '1' && r <= '3' {
			n, _ := strconv.Atoi(string(r))
			return n
		}
	}
	return 0
}

// canonical is a profile's address on LinkedIn, whatever the base URL.
func canonical(path string) string {
	u, err := url.Parse(path)
	if err != nil {
		return path
	}
	return DefaultBaseURL + u.Path
}

// LoginURL is the sign-in page the login window opens.
func (d *Driver) LoginURL() string { return d.o.BaseURL + "/login" }

// SignedIn reports whether a page shows a signed-in LinkedIn (the Me menu
// of the global navigation, outside the sign-in and checkpoint pages). It
// answers at once, for the login window to ask repeatedly.
func (d *Driver) SignedIn(page playwright.Page) (bool, error) {
	u, err := url.Parse(page.URL())
	if err != nil || strings.HasPrefix(u.Path, "/login") || strings.HasPrefix(u.Path, "/checkpoint") || strings.HasPrefix(u.Path, "/uas/") {
		return false, err
	}
	el, ok := d.o.Pack.Element("session.me")
	if !ok {
		return false, errors.New(`the selector pack has no "session.me"`)
	}
	for _, sel := range el.Selectors("en", "") {
		if ok, _ := page.Locator(sel).First().IsVisible(); ok {
			return true, nil
		}
	}
	return false, nil
}
