package linkedin

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mxschmitt/playwright-go"

	"parley/app/model"
	"parley/automation"
	"parley/automation/browsertest"
	"parley/automation/selectors"
	"parley/automation/sitetest"
)

// world is the driver against the LinkedIn-like test site in a real
// headless Chromium.
type world struct {
	t       *testing.T
	site    *sitetest.Site
	base    string
	driver  *Driver
	browser playwright.Browser
	evid    string
	cs      *contexts
	pack    *selectors.Pack
}

// contexts gives each account a context signed in to the test site.
type contexts struct {
	w   *world
	mu  sync.Mutex
	byA map[uint64]playwright.BrowserContext
}

func (c *contexts) Context(_ context.Context, accountID uint64) (playwright.BrowserContext, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if bc, ok := c.byA[accountID]; ok {
		return bc, nil
	}
	bc, err := c.w.browser.NewContext()
	if err != nil {
		return nil, err
	}
	ck := c.w.site.SessionCookie(email(accountID))
	if err := bc.AddCookies([]playwright.OptionalCookie{{Name: ck.Name, Value: ck.Value, URL: playwright.String(c.w.base)}}); err != nil {
		return nil, err
	}
	c.byA[accountID] = bc
	return bc, nil
}

func (c *contexts) Save(uint64) error { return nil }

func email(accountID uint64) string {
	return map[uint64]string{1: "anna@example.com", 2: "ben@example.com"}[accountID]
}

var (
	anna = automation.Session{AccountID: 1, Name: "Anna"}
	ben  = automation.Session{AccountID: 2, Name: "Ben"}
)

func profileURL(slug string) string { return "https://www.linkedin.com/in/" + slug + "/" }

// The driver tests share one browser (started by the first of them).
var (
	browserOnce sync.Once
	sharedB     playwright.Browser
	stopShared  func()
)

func newWorld(t *testing.T, opts sitetest.Options) *world {
	t.Helper()
	if _, err := automation.FindBrowser(os.Getenv); err != nil {
		t.Skipf("driver tests need a browser: %v", err)
	}
	browserOnce.Do(func() { sharedB, stopShared = browsertest.Launch(t) })
	if sharedB == nil {
		t.Fatal("the shared browser did not start")
	}
	site := sitetest.New(opts)
	base, stop, err := site.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	site.AddAccount(sitetest.Account{Email: "anna@example.com", Password: "x", Name: "Anna Rossi"})
	site.AddAccount(sitetest.Account{Email: "ben@example.com", Password: "x", Name: "Ben Okafor"})
	site.AddProfile(sitetest.Profile{Slug: "ada-lovelace", FirstName: "Ada", LastName: "Lovelace", Headline: "Analyst at Engines", Company: "Analytical Engines", Location: "London", Degree: 2})
	site.AddProfile(sitetest.Profile{Slug: "grace-hopper", FirstName: "Grace", LastName: "Hopper", Headline: "Rear Admiral", Company: "US Navy", Degree: 1})
	pack, err := selectors.Default()
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, site: site, base: base, browser: sharedB, evid: t.TempDir(), pack: pack}
	cs := &contexts{w: w, byA: map[uint64]playwright.BrowserContext{}}
	w.cs = cs
	t.Cleanup(func() {
		for _, bc := range cs.byA {
			bc.Close()
		}
	})
	w.driver, err = New(Options{BaseURL: base, Contexts: cs, Pack: pack, EvidenceDir: w.evid, Keystroke: time.Millisecond, Think: time.Nanosecond, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestMain(m *testing.M) {
	code := m.Run()
	if stopShared != nil {
		stopShared()
	}
	os.Exit(code)
}

func classOf(err error) (string, bool) {
	var e *automation.Error
	if errors.As(err, &e) {
		return e.Class, e.NotSent
	}
	return "", false
}

// TestVisitInviteMessageWithdrawInbox: each action does what it says and
// the site received exactly that.
func TestVisitInviteMessageWithdrawInbox(t *testing.T) {
	w := newWorld(t, sitetest.Options{})
	ctx := context.Background()
	p, err := w.driver.VisitProfile(ctx, anna, profileURL("ada-lovelace"))
	if err != nil || p.Name != "Ada Lovelace" || p.Headline != "Analyst at Engines" || p.Company != "Analytical Engines" || p.Degree != 2 || p.Pending {
		t.Fatalf("VisitProfile = %+v, %v", p, err)
	}
	res, err := w.driver.SendInvite(ctx, anna, profileURL("ada-lovelace"), "Hi Ada, glad to connect.")
	if err != nil || res.Outcome != automation.InviteSent || !res.WithNote {
		t.Fatalf("SendInvite = %+v, %v", res, err)
	}
	if inv := w.site.Invites(); len(inv) != 1 || inv[0].Note != "Hi Ada, glad to connect." || inv[0].Slug != "ada-lovelace" {
		t.Fatalf("the site received %+v", inv)
	}
	if c, err := w.driver.Connection(ctx, anna, profileURL("ada-lovelace")); c != automation.ConnPending || err != nil {
		t.Fatalf("Connection = %s, %v", c, err)
	}
	if _, err := w.driver.SendInvite(ctx, anna, profileURL("ada-lovelace"), ""); err == nil {
		t.Fatal("a second invite to a pending profile was not refused")
	} else if class, notSent := classOf(err); class != model.ErrClassPermanent || !notSent {
		t.Fatalf("second invite: %v (%s)", err, class)
	}
	if sent, err := w.driver.SentInvites(ctx, anna); err != nil || len(sent) != 1 || sent[0] != profileURL("ada-lovelace") {
		t.Fatalf("SentInvites = %v, %v", sent, err)
	}
	// Ben's context is his own: Ada is not pending for him.
	if c, _ := w.driver.Connection(ctx, ben, profileURL("ada-lovelace")); c != automation.ConnNone {
		t.Fatalf("Ben sees %s", c)
	}
	if sent, err := w.driver.SentInvites(ctx, ben); err != nil || len(sent) != 0 {
		t.Fatalf("Ben's SentInvites = %v, %v", sent, err)
	}
	if err := w.driver.Withdraw(ctx, anna, profileURL("ada-lovelace")); err != nil {
		t.Fatal(err)
	}
	if len(w.site.Withdrawn()) != 1 {
		t.Fatal("the site has no withdrawal")
	}

	// Messages go to connections only, and are confirmed in the thread.
	if err := w.driver.SendMessage(ctx, anna, profileURL("grace-hopper"), "Thanks Grace! How is the Navy?"); err != nil {
		t.Fatal(err)
	}
	if ok, err := w.driver.MessageSent(ctx, anna, profileURL("grace-hopper"), "Thanks Grace!  How is the Navy?"); !ok || err != nil {
		t.Fatalf("MessageSent = %v, %v", ok, err)
	}
	if ok, _ := w.driver.MessageSent(ctx, anna, profileURL("grace-hopper"), "something else"); ok {
		t.Fatal("MessageSent found a message that was never sent")
	}
	if msgs := w.site.Messages(); len(msgs) != 1 || msgs[0].Text != "Thanks Grace! How is the Navy?" {
		t.Fatalf("the site received %+v", msgs)
	}
	err = w.driver.SendMessage(ctx, anna, profileURL("ada-lovelace"), "hello")
	if class, notSent := classOf(err); class != model.ErrClassPermanent || !notSent {
		t.Fatalf("messaging a non-connection: %v", err)
	}

	since := time.Now().Add(-time.Minute)
	if err := w.site.Reply("anna@example.com", "grace-hopper", "Busy, but happy to talk!"); err != nil {
		t.Fatal(err)
	}
	replies, err := w.driver.Inbox(ctx, anna, since)
	if err != nil || len(replies) != 1 || replies[0].ProfileURL != profileURL("grace-hopper") {
		t.Fatalf("Inbox = %+v, %v", replies, err)
	}
	if replies, _ := w.driver.Inbox(ctx, anna, time.Now().Add(time.Hour)); len(replies) != 0 {
		t.Fatalf("Inbox after the cursor = %+v", replies)
	}
	if rep, err := w.driver.Canary(ctx, anna); err != nil || len(rep.Broken) != 0 {
		t.Fatalf("Canary = %+v, %v", rep, err)
	}
}

// TestInviteLayoutsAndQuota: Connect under More, the German interface,
// and the note quota that sends the invite without its note.
func TestInviteLayoutsAndQuota(t *testing.T) {
	w := newWorld(t, sitetest.Options{Layout: sitetest.LayoutAlt, Locale: "de"})
	ctx := context.Background()
	res, err := w.driver.SendInvite(ctx, anna, profileURL("ada-lovelace"), "Hallo Ada")
	if err != nil || res.Outcome != automation.InviteSent || !res.WithNote {
		t.Fatalf("alt layout, German: %+v, %v", res, err)
	}
	w.site.NoteQuota("ben@example.com", 0)
	res, err = w.driver.SendInvite(ctx, ben, profileURL("ada-lovelace"), "Hallo Ada")
	if err != nil || res.Outcome != automation.InviteSent || res.WithNote {
		t.Fatalf("note quota: %+v, %v; want sent without the note", res, err)
	}
	if inv := w.site.Invites(); len(inv) != 2 || inv[1].Note != "" {
		t.Fatalf("the site received %+v", inv)
	}
	if res, err := w.driver.SendInvite(ctx, anna, profileURL("grace-hopper"), ""); err != nil || res.Outcome != automation.InviteAlreadyConnected {
		t.Fatalf("invite to a connection = %+v, %v", res, err)
	}
}

// TestPushbackStopsAndKeepsEvidence: every way LinkedIn stops an account
// is an error that quarantines it, with a screenshot, and nothing is sent.
func TestPushbackStopsAndKeepsEvidence(t *testing.T) {
	w := newWorld(t, sitetest.Options{})
	ctx := context.Background()
	for _, c := range []struct {
		name   string
		script func()
		class  string
	}{
		{"checkpoint", func() { w.site.Checkpoint("anna@example.com") }, model.ErrClassChallenge},
		{"restricted", func() { w.site.Restrict("anna@example.com") }, model.ErrClassChallenge},
		{"weekly limit", func() { w.site.WeeklyLimit("anna@example.com") }, model.ErrClassChallenge},
		{"signed out", func() { w.site.ExpireSession("anna@example.com") }, model.ErrClassLogin},
	} {
		w.site.Clear("anna@example.com")
		c.script()
		_, err := w.driver.SendInvite(ctx, anna, profileURL("ada-lovelace"), "")
		class, notSent := classOf(err)
		if class != c.class || !notSent || !strings.Contains(err.Error(), "evidence: ") {
			t.Errorf("%s: %v (class %q, not sent %v)", c.name, err, class, notSent)
		}
		if c.name == "signed out" {
			break // the session is gone for good
		}
	}
	if n := len(w.site.Invites()); n != 0 {
		t.Fatalf("%d invites went out while LinkedIn pushed back", n)
	}
	shots, _ := filepath.Glob(filepath.Join(w.evid, "account-1", "*.png"))
	if len(shots) < 4 {
		t.Fatalf("%d screenshots kept; want one per pushback", len(shots))
	}
	if fi, err := os.Stat(shots[0]); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("evidence file mode: %v %v", fi.Mode(), err)
	}
}

// TestActionLogAndFailureScreenshot: an action notes each step it takes
// with its timing in the job's trace; a failed action keeps a screenshot
// and names it in its error and in the trace.
func TestActionLogAndFailureScreenshot(t *testing.T) {
	w := newWorld(t, sitetest.Options{Layout: sitetest.LayoutAlt})
	tr := automation.NewTrace()
	ctx := automation.WithTrace(context.Background(), tr)
	if _, err := w.driver.SendInvite(ctx, anna, profileURL("ada-lovelace"), "Hi Ada"); err != nil {
		t.Fatal(err)
	}
	a := tr.Attempt(time.Now(), "invited", false)
	want := []string{
		"opened a browser tab for invite", "loaded " + w.base + "/in/ada-lovelace/",
		"read the profile of Ada Lovelace (degree 2, not connected)", "clicked More", "found Connect in the More menu",
		"clicked Connect", "clicked Add a note", "typed 6 characters", "clicked Send", "verified: the profile says Pending",
	}
	i := 0
	var lastAt int64
	for _, st := range a.Steps {
		if st.Failed || st.AtMS < lastAt || st.TookMS < 0 {
			t.Errorf("step %+v: failed, or out of order", st)
		}
		lastAt = st.AtMS
		if i < len(want) && strings.HasPrefix(st.What, want[i]) {
			i++
		}
	}
	if i != len(want) {
		t.Fatalf("the log is missing %q; it has:\n%+v", want[i], a.Steps)
	}
	if a.Evidence != "" || a.TookMS < lastAt {
		t.Fatalf("a successful action: evidence %q, took %d ms, last step at %d ms", a.Evidence, a.TookMS, lastAt)
	}

	// A profile that does not exist is a permanent failure, with evidence.
	_, err := w.driver.VisitProfile(ctx, anna, profileURL("nobody-here"))
	if class, notSent := classOf(err); class != model.ErrClassPermanent || !notSent || !strings.Contains(err.Error(), "does not exist (404)") {
		t.Fatalf("visiting a missing profile: %v (class %q); want a permanent error that sent nothing", err, class)
	}

	// A page LinkedIn changed: the name is not where the pack says.
	broken := *w.pack
	broken.Elements = maps.Clone(w.pack.Elements)
	el := broken.Elements["profile.name"]
	el.Strategies = []selectors.Strategy{{CSS: "main .pv-top-card .no-such-name"}}
	broken.Elements["profile.name"] = el
	d, err := New(Options{BaseURL: w.base, Contexts: w.cs, Pack: &broken, EvidenceDir: w.evid, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	tr = automation.NewTrace()
	_, err = d.VisitProfile(automation.WithTrace(context.Background(), tr), anna, profileURL("ada-lovelace"))
	if class, _ := classOf(err); class != model.ErrClassSelector {
		t.Fatalf("visiting with a broken pack: %v (class %q); want a selector error", err, class)
	}
	a = tr.Attempt(time.Now(), err.Error(), true)
	if a.Evidence == "" || !strings.HasSuffix(a.Evidence, "-failed-visit.png") || !strings.Contains(err.Error(), automation.EvidenceNote(a.Evidence)) {
		t.Fatalf("evidence %q, error %v; want the failure screenshot named in both", a.Evidence, err)
	}
	for _, f := range []string{a.Evidence, strings.TrimSuffix(a.Evidence, ".png") + ".html"} {
		if fi, err := os.Stat(filepath.Join(w.evid, filepath.FromSlash(f))); err != nil || fi.Size() == 0 {
			t.Errorf("evidence %s: %v", f, err)
		}
	}
	last := a.Steps[len(a.Steps)-1]
	if !last.Failed || !strings.Contains(last.What, `"profile.name"`) {
		t.Fatalf("last step %+v; want the failed search for the name", last)
	}
}

// TestHumanPace: the driver pauses before each click and types key by key
// at the configured pace (lower bounds only: a busy machine is slower,
// never faster).
func TestHumanPace(t *testing.T) {
	w := newWorld(t, sitetest.Options{})
	d, err := New(Options{BaseURL: w.base, Contexts: w.cs, Pack: w.pack, Keystroke: 20 * time.Millisecond, Think: 300 * time.Millisecond, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	tr := automation.NewTrace()
	if _, err := d.SendInvite(automation.WithTrace(context.Background(), tr), anna, profileURL("ada-lovelace"), "Hello Ada!"); err != nil {
		t.Fatal(err)
	}
	clicks, typed := 0, false
	for _, st := range tr.Attempt(time.Now(), "", false).Steps {
		switch {
		case strings.HasPrefix(st.What, "clicked "):
			clicks++
			if st.TookMS < 150 {
				t.Errorf("%q came %d ms after the step before; want a pause of at least 150 ms", st.What, st.TookMS)
			}
		case st.What == "typed 10 characters":
			typed = true
			if st.TookMS < 150+9*20 {
				t.Errorf("typing 10 characters took %d ms; want at least the pause and 9 gaps of 20 ms", st.TookMS)
			}
		}
	}
	if clicks < 3 || !typed {
		t.Fatalf("%d clicks, typed %v: the invite did not go through the dialog", clicks, typed)
	}
}

// TestSlowPages: a slow LinkedIn is waited for; one slower than the
// timeout is a transient failure that certainly sent nothing.
func TestSlowPages(t *testing.T) {
	w := newWorld(t, sitetest.Options{SlowPages: 1500 * time.Millisecond})
	ctx := context.Background()
	if p, err := w.driver.VisitProfile(ctx, anna, profileURL("ada-lovelace")); err != nil || p.Name != "Ada Lovelace" {
		t.Fatalf("a slow profile: %+v, %v", p, err)
	}
	d, err := New(Options{BaseURL: w.base, Contexts: w.cs, Pack: w.pack, Think: time.Nanosecond, Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.SendInvite(ctx, anna, profileURL("ada-lovelace"), "")
	if class, notSent := classOf(err); class != model.ErrClassTransient || !notSent || !strings.Contains(err.Error(), "did not load") {
		t.Fatalf("a page slower than the timeout: %v (class %q, not sent %v)", err, class, notSent)
	}
	if n := len(w.site.Invites()); n != 0 {
		t.Fatalf("%d invites went out", n)
	}
}

// TestCanaryCatchesARedesign: a page the pack no longer matches is reported
// against the action that needs it, for that account only.
func TestCanaryCatchesARedesign(t *testing.T) {
	w := newWorld(t, sitetest.Options{})
	w.site.SetLayout("anna@example.com", sitetest.LayoutRedesign)
	rep, err := w.driver.Canary(context.Background(), anna)
	if err != nil || len(rep.Broken) != 1 || !strings.Contains(rep.Broken["inbox"], `inbox.page`) {
		t.Fatalf("Canary on the redesign = %+v, %v; want inbox broken, naming inbox.page", rep, err)
	}
	if rep, err := w.driver.Canary(context.Background(), ben); err != nil || len(rep.Broken) != 0 {
		t.Fatalf("Canary for Ben, on the classic layout = %+v, %v", rep, err)
	}
}

// TestFrenchInterface: every action on the classic layout in French, found
// by the French accessible names.
func TestFrenchInterface(t *testing.T) {
	w := newWorld(t, sitetest.Options{Locale: "fr"})
	ctx := context.Background()
	if p, err := w.driver.VisitProfile(ctx, anna, profileURL("ada-lovelace")); err != nil || p.Name != "Ada Lovelace" || p.Degree != 2 {
		t.Fatalf("VisitProfile = %+v, %v", p, err)
	}
	if res, err := w.driver.SendInvite(ctx, anna, profileURL("ada-lovelace"), "Bonjour Ada"); err != nil || !res.WithNote {
		t.Fatalf("SendInvite = %+v, %v", res, err)
	}
	if sent, err := w.driver.SentInvites(ctx, anna); err != nil || len(sent) != 1 {
		t.Fatalf("SentInvites = %v, %v", sent, err)
	}
	if err := w.driver.Withdraw(ctx, anna, profileURL("ada-lovelace")); err != nil {
		t.Fatal(err)
	}
	if err := w.driver.SendMessage(ctx, anna, profileURL("grace-hopper"), "Merci Grace !"); err != nil {
		t.Fatal(err)
	}
	if rep, err := w.driver.Canary(ctx, anna); err != nil || len(rep.Broken) != 0 {
		t.Fatalf("Canary = %+v, %v", rep, err)
	}
	if len(w.site.Invites()) != 1 || len(w.site.Withdrawn()) != 1 || len(w.site.Messages()) != 1 {
		t.Fatalf("the site received %d invites, %d withdrawals, %d messages; want 1 each", len(w.site.Invites()), len(w.site.Withdrawn()), len(w.site.Messages()))
	}
}

func TestBriefBrowserErrors(t *testing.T) {
	err := errors.New("Frame.Goto https://www.linkedin.com/messaging/: playwright: net::ERR_NAME_NOT_RESOLVED at https://www.linkedin.com/messaging/\nCall log:\n  - navigating to \"https://www.linkedin.com/messaging/\", waiting until \"domcontentloaded\"")
	if got, want := brief(err), "net::ERR_NAME_NOT_RESOLVED at https://www.linkedin.com/messaging/"; got != want {
		t.Fatalf("brief = %q; want %q", got, want)
	}
	if got := brief(errors.New("timeout:\n  30000ms exceeded")); got != "timeout: 30000ms exceeded" {
		t.Fatalf("brief = %q", got)
	}
}
