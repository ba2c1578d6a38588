package main

import (
	"strings"
	"testing"
	"time"

	"github.com/mxschmitt/playwright-go"

	"parley/automation/browsertest"
)

// browserSession starts the system browser (skipping without one).
func browserSession(t *testing.T) (playwright.Browser, func()) { return browsertest.Launch(t) }

// openMenu opens the menu under the user's name (admin pages, sign out).
func openMenu(page playwright.Page) error {
	if open, _ := page.Locator("details.menu[open]").Count(); open > 0 {
		return nil
	}
	return page.Locator("details.menu > summary").Click()
}

// clickNav follows a navigation link by its name (which may carry a count
// badge), opening the menu first when the link lives there.
func clickNav(page playwright.Page, name string) error {
	link := page.GetByRole("navigation").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: name})
	if visible, _ := link.IsVisible(); !visible {
		if err := openMenu(page); err != nil {
			return err
		}
	}
	return link.Click()
}

// cspProbe records Content-Security-Policy violations and console errors
// in the page, before any of the page's own scripts run.
const cspProbe = `window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});`

// TestBrowserWalkthroughHasNoCSPViolations signs in with a real headless
// Chromium, clicks through every page, uses the htmx and live-update
// features, signs out, and asserts that the strict CSP blocked nothing and
// no script failed.
func TestBrowserWalkthroughHasNoCSPViolations(t *testing.T) {
	browser, stop := browserSession(t)
	defer stop()
	dir := t.TempDir()
	p := start(t, dir)
	signIn(t, dir, p.url) // sets the admin password

	ctx, err := browser.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	page, err := ctx.NewPage()
	if err != nil {
		t.Fatal(err)
	}
	page.SetDefaultTimeout(15000)
	var consoleErrors []string
	page.On("console", func(m playwright.ConsoleMessage) {
		if m.Type() == "error" || strings.Contains(m.Text(), "Content Security Policy") {
			consoleErrors = append(consoleErrors, "console "+m.Type()+" at "+page.URL()+": "+m.Text())
		}
	})
	page.On("pageerror", func(err error) { consoleErrors = append(consoleErrors, "page error at "+page.URL()+": "+err.Error()) })
	if err := page.AddInitScript(playwright.Script{Content: playwright.String(cspProbe)}); err != nil {
		t.Fatal(err)
	}
	var violations []string
	collect := func(where string) {
		v, err := page.Evaluate(`window.__violations || []`)
		if err != nil {
			t.Fatalf("%s: %v", where, err)
		}
		for _, x := range v.([]any) {
			violations = append(violations, where+": "+x.(string))
		}
	}
	must := func(err error, what string) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	// Signing in from the redirect.
	_, err = page.Goto(p.url + "/backups")
	must(err, "open /backups")
	if !strings.Contains(page.URL(), "/login?next=") {
		t.Fatalf("not sent to sign in: %s", page.URL())
	}
	collect("login")
	must(page.Locator("input[name=username]").Fill("admin"), "fill user")
	must(page.Locator("input[name=password]").Fill(e2ePassword), "fill password")
	must(page.GetByRole("button", playwright.PageGetByRoleOptions{Name: "Sign in"}).Click(), "sign in")
	if err := page.WaitForURL("**/backups"); err != nil {
		html, _ := page.Content()
		t.Fatalf("after sign-in: %s\n%s", page.URL(), html)
	}
	collect("backups")

	// htmx: Back up now swaps the history in place and says so.
	must(page.GetByRole("button", playwright.PageGetByRoleOptions{Name: "Back up now"}).Click(), "back up now")
	must(page.GetByText("written to backups").WaitFor(), "backup flash")
	collect("backups after htmx")

	// Every page of the navigation.
	for _, nav := range []struct{ link, heading string }{
		{"Dashboard", "Dashboard"}, {"Leads", "Leads"}, {"Campaigns", "Campaigns"}, {"Approvals", "Approvals"}, {"Templates", "Templates"},
		{"Do not contact", "Do not contact"}, {"Accounts", "Sender accounts"}, {"Audit", "Audit trail"}, {"Sessions", "Sessions"},
		{"API keys", "API keys"}, {"Backups", "Backups"}, {"Settings", "Outreach settings"},
	} {
		must(clickNav(page, nav.link), "nav "+nav.link)
		must(page.GetByRole("heading", playwright.PageGetByRoleOptions{Name: nav.heading, Level: playwright.Int(1)}).WaitFor(), "heading "+nav.heading)
		collect(nav.link)
	}

	// Forms: a sender account is added (the time zone is prefilled from the
	// browser), an API key is created and shown once, the audit filter works.
	must(clickNav(page, "Accounts"), "accounts")
	must(page.GetByRole("link", playwright.PageGetByRoleOptions{Name: "Add account"}).Click(), "add account")
	if zone, _ := page.Locator("input[name=time_zone]").InputValue(); zone == "" {
		t.Error("time zone not prefilled from the browser")
	}
	must(page.Locator("input[name=name]").Fill("Anna – sales"), "account name")
	must(page.GetByRole("button", playwright.PageGetByRoleOptions{Name: "Save"}).Click(), "save account")
	must(page.GetByText("Account saved.").WaitFor(), "account saved")
	collect("account saved")
	must(clickNav(page, "API keys"), "api keys")
	must(page.Locator("input[name=name]").Fill("browser test"), "key name")
	must(page.GetByRole("button", playwright.PageGetByRoleOptions{Name: "Create key"}).Click(), "create key")
	must(page.GetByText("shown only once").WaitFor(), "key shown")
	collect("api key created")
	must(clickNav(page, "Audit"), "audit")
	_, err = page.Locator("select[name=category]").SelectOption(playwright.SelectOptionValues{Values: &[]string{"apikey"}})
	must(err, "category")
	must(page.GetByRole("button", playwright.PageGetByRoleOptions{Name: "Filter"}).Click(), "filter")
	must(page.GetByText("apikey_created").First().WaitFor(), "filtered audit")
	collect("audit filtered")

	// Live updates: a backup made elsewhere appears on the open dashboard.
	must(clickNav(page, "Dashboard"), "dashboard")
	rows := page.Locator("#activity tr")
	before, _ := rows.Count()
	time.Sleep(300 * time.Millisecond) // let the event stream connect
	if code, _, errOut := runCLI(t, env(), "--data-dir", dir, "--backup"); code != 0 {
		t.Fatalf("backup: %s", errOut)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if n, _ := rows.Count(); n > before {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the dashboard did not update live")
		}
		time.Sleep(100 * time.Millisecond)
	}
	collect("dashboard live")

	// Signing out lands on the sign-in page; the dashboard is then closed.
	must(openMenu(page), "open the menu")
	must(page.GetByRole("button", playwright.PageGetByRoleOptions{Name: "Sign out"}).Click(), "sign out")
	must(page.WaitForURL("**/login"), "after sign-out")
	_, err = page.Goto(p.url + "/")
	must(err, "open / after sign-out")
	if !strings.Contains(page.URL(), "/login") {
		t.Fatalf("dashboard reachable after sign-out: %s", page.URL())
	}
	collect("after sign-out")

	if len(violations) > 0 {
		t.Errorf("CSP violations:\n%s", strings.Join(violations, "\n"))
	}
	if len(consoleErrors) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(consoleErrors, "\n"))
	}
}
