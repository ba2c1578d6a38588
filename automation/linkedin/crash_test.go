package linkedin

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mxschmitt/playwright-go"

	"parley/app/clocktest"
	"parley/app/model"
	"parley/app/runtime"
	"parley/automation/browsertest"
	"parley/automation/selectors"
	"parley/automation/sitetest"
	"parley/storage"
	"parley/storage/storagetest"
)

// The crash test runs this package's test binary again as a child: a
// Parley that sends an invite through the driver and is killed with
// SIGKILL after the site recorded it and before the runtime heard back.
const (
	crashDirEnv    = "PARLEY_DRIVER_CRASH_DIR"
	crashCookieEnv = "PARLEY_DRIVER_CRASH_COOKIE"
)

// crashStart is the runtime's (fake) time in both processes.
var crashStart = time.Now().UTC().Add(-10 * 24 * time.Hour).Truncate(time.Minute)

// cookieContexts signs every account in with one session cookie.
type cookieContexts struct {
	browser playwright.Browser
	base    string
	cookie  string
	mu      sync.Mutex
	bc      playwright.BrowserContext
}

func (c *cookieContexts) Context(context.Context, uint64) (playwright.BrowserContext, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bc != nil {
		return c.bc, nil
	}
	bc, err := c.browser.NewContext()
	if err == nil {
		err = bc.AddCookies([]playwright.OptionalCookie{{Name: "li_at", Value: c.cookie, URL: playwright.String(c.base)}})
	}
	c.bc = bc
	return bc, err
}

func (c *cookieContexts) Save(uint64) error { return nil }

// TestDriverCrashChild is the child of TestKilledMidInviteNeverInvitesTwice.
func TestDriverCrashChild(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("runs only as the child of TestKilledMidInviteNeverInvitesTwice")
	}
	browser, _ := browsertest.Launch(t) // the parent kills this process
	clock := clocktest.New(crashStart)
	store := storagetest.OpenIn(t, dir, clock)
	pack, _ := selectors.Default()
	base := os.Getenv(BaseURLEnv)
	d, err := New(Options{BaseURL: base, Contexts: &cookieContexts{browser: browser, base: base, cookie: os.Getenv(crashCookieEnv)},
		Pack: pack, Keystroke: time.Millisecond, Think: time.Nanosecond, Timeout: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	rt := runtime.New(runtime.Options{Store: store, Site: d, Clock: clock, Seed: 3})
	rt.Round(context.Background())
	t.Fatal("the round ended; the invite should have hung until the kill")
}

// TestKilledMidInviteNeverInvitesTwice: Parley is killed (SIGKILL) after
// LinkedIn recorded the invite and before Parley recorded it; the next
// Parley reconciles through the driver (the profile says Pending), records
// the invite, and LinkedIn receives it exactly once.
func TestKilledMidInviteNeverInvitesTwice(t *testing.T) {
	if os.Getenv(crashDirEnv) != "" {
		t.Skip("child")
	}
	sent, release := make(chan sitetest.Invite, 1), make(chan struct{})
	w := newWorld(t, sitetest.Options{AfterInvite: func(inv sitetest.Invite) {
		sent <- inv
		<-release // the child never hears back
	}})
	defer close(release)
	dir := t.TempDir()
	clock := clocktest.New(crashStart)
	{
		store := storagetest.OpenIn(t, dir, clock)
		runtime.New(runtime.Options{Store: store, Clock: clock}) // plans the jobs
		buildCampaign(t, store)
		if err := store.Close(); err != nil {
			t.Fatal(err)
		}
	}
	ck := w.site.SessionCookie("anna@example.com")
	cmd := exec.Command(os.Args[0], "-test.run=^TestDriverCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, crashCookieEnv+"="+ck.Value, BaseURLEnv+"="+w.base)
	out, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			log.WriteString(sc.Text() + "\n")
		}
	}()
	select {
	case <-sent:
	case <-time.After(3 * time.Minute):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the child never sent the invite:\n%s%s", log.String(), stderr.String())
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on unix
		t.Fatal(err)
	}
	cmd.Wait()

	// The next Parley: the same database, this process's browser.
	clock.Advance(5 * time.Minute) // the dead process's lease has run out
	store := storagetest.OpenIn(t, dir, clock)
	t.Cleanup(func() { storagetest.CheckAndClose(t, store) })
	rt := runtime.New(runtime.Options{Store: store, Site: w.driver, Clock: clock, Seed: 4})
	var lead model.Lead
	for range 10 {
		if err := rt.Round(context.Background()); err != nil {
			t.Fatal(err)
		}
		store.View(func(tx *storage.Tx) (err error) { lead, err = tx.Lead(1); return err })
		if lead.State == model.LeadInvited {
			break
		}
		clock.Advance(5 * time.Minute)
	}
	if lead.State != model.LeadInvited {
		t.Fatalf("the lead is %s; want invited (recorded by reconciliation)", lead.State)
	}
	if inv := w.site.Invites(); len(inv) != 1 {
		t.Fatalf("LinkedIn received %d invites; want exactly 1", len(inv))
	}
}
