package linkedin

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/mxschmitt/playwright-go"

	"parley/automation"
	"parley/automation/browser"
	"parley/automation/selectors"
	"parley/automation/sitetest"
)

// TestSignInThroughTheLoginWindow: the login window opens on the site's
// sign-in page; a person signs in (here the test types, as the person
// would); the driver sees the signed-in page, the session is saved, and
// the account's jobs then run signed in with it.
func TestSignInThroughTheLoginWindow(t *testing.T) {
	b, err := automation.FindBrowser(os.Getenv)
	if err != nil {
		t.Skipf("sign-in test needs a browser: %v", err)
	}
	site := sitetest.New(sitetest.Options{})
	base, stop, err := site.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	site.AddAccount(sitetest.Account{Email: "anna@example.com", Password: "correct horse", Name: "Anna Rossi"})
	site.AddProfile(sitetest.Profile{Slug: "ada-lovelace", FirstName: "Ada", LastName: "Lovelace", Headline: "Analyst", Company: "Engines", Degree: 2})
	dir := t.TempDir()
	pool, err := browser.Open(browser.Options{Dir: dir, Browser: b, Headless: true, LoginPoll: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	pack, _ := selectors.Default()
	d, err := New(Options{BaseURL: base, Contexts: pool, Pack: pack, Keystroke: time.Millisecond, Think: time.Nanosecond, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}

	// Before signing in, a job lands on the sign-in page: login needed.
	_, err = d.VisitProfile(context.Background(), anna, profileURL("ada-lovelace"))
	if class, _ := classOf(err); class != "login_needed" {
		t.Fatalf("visit before signing in: %v; want login needed", err)
	}

	typed := false
	person := func(page playwright.Page) (bool, error) {
		if ok, err := d.SignedIn(page); ok || err != nil {
			return ok, err
		}
		if typed {
			return false, nil
		}
		if n, _ := page.GetByRole("button", playwright.PageGetByRoleOptions{Name: "Sign in", Exact: playwright.Bool(true)}).Count(); n == 0 {
			return false, nil // the page is still loading
		}
		typed = true
		page.GetByRole("textbox", playwright.PageGetByRoleOptions{Name: "Email or phone"}).Fill("anna@example.com")
		page.Locator("#password").Fill("correct horse")
		return false, page.GetByRole("button", playwright.PageGetByRoleOptions{Name: "Sign in", Exact: playwright.Bool(true)}).Click()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := pool.LoginWindow(ctx, anna.AccountID, d.LoginURL(), person); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(browser.StateFile(dir, anna.AccountID)); err != nil {
		t.Fatalf("no saved session: %v", err)
	}
	p, err := d.VisitProfile(context.Background(), anna, profileURL("ada-lovelace"))
	if err != nil || p.Name != "Ada Lovelace" {
		t.Fatalf("visit after signing in = %+v, %v", p, err)
	}
}
