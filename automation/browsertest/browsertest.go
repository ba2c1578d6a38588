// Package browsertest starts the system's Chromium through playwright for
// tests. Without a browser the test is skipped with the fix; CI installs
// one (scripts/ensure-browser.sh), so there the tests run.
package browsertest

import (
	"os"
	"testing"

	"github.com/mxschmitt/playwright-go"

	"parley/automation"
)

// Launch starts a headless browser for t and returns it with the function
// that stops it.
func Launch(t testing.TB) (playwright.Browser, func()) {
	t.Helper()
	b, err := automation.FindBrowser(os.Getenv)
	if err != nil {
		t.Skipf("browser test skipped: %v (run scripts/ensure-browser.sh)", err)
	}
	if err := automation.InstallDriver(nil); err != nil {
		t.Fatalf("%v", err)
	}
	pw, err := playwright.Run(&playwright.RunOptions{Verbose: false})
	if err != nil {
		t.Fatalf("starting playwright: %v", err)
	}
	browser, err := pw.Chromium.Launch(automation.LaunchOptions(b, true))
	if err != nil {
		pw.Stop()
		t.Fatalf("launching %s: %v", b.Path, err)
	}
	return browser, func() { browser.Close(); pw.Stop() }
}
