package web

import (
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"parley/automation/browser"
)

// fakeBrowserTools points the probe at a fake browser and Node.js (shell
// scripts printing their versions) and an empty driver folder.
func fakeBrowserTools(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("uses shell scripts")
	}
	bin := t.TempDir()
	for name, out := range map[string]string{"chromium": "Chromium 148.0.7778.167", "node": "v22.1.0"} {
		if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\necho '"+out+"'\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("PARLEY_BROWSER_PATH", filepath.Join(bin, "chromium"))
	t.Setenv("PLAYWRIGHT_NODEJS_PATH", filepath.Join(bin, "node"))
	t.Setenv("PLAYWRIGHT_DRIVER_PATH", filepath.Join(bin, "driver"))
}

// TestBrowserPanel: Settings → Browser shows the probe in plain words and
// the saved sessions by account, and names a session others can read.
func TestBrowserPanel(t *testing.T) {
	fakeBrowserTools(t)
	f := newFixture(t)
	if rec := f.do(req{path: "/settings/browser"}); rec.Code != http.StatusSeeOther {
		t.Fatalf("signed out: %d", rec.Code)
	}
	f.signIn()
	a := f.sender("Anna")
	dir := f.paths.BrowserProfiles()
	os.WriteFile(browser.StateFile(dir, a.ID), []byte(`{"cookies":[{"name":"li_at","value":"never-shown"}]}`), 0o600)

	rec := f.do(req{path: "/settings/browser", session: true})
	body := unescaped(rec.Body.String())
	if rec.Code != http.StatusOK {
		t.Fatalf("%d %s", rec.Code, body)
	}
	for _, want := range []string{
		"Browser sessions can start.", `href="/settings/browser">Browser</a>`,
		"Chromium 148.0.7778.167 at ", "(set by PARLEY_BROWSER_PATH)",
		"Node.js</dt>", "v22.1.0 at ",
		`<span class="pill warn">on first use</span>`, "from the npm registry",
		"<td>Anna</td>", "account-1.json", `<span class="pill ok">only you</span>`,
		"Deleting an account's file logs that account out",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("panel lacks %q", want)
		}
	}
	if strings.Contains(body, "never-shown") {
		t.Error("the panel shows a saved session's content")
	}
	if m := inlineHandler.FindString(body); m != "" || strings.Contains(strings.ToLower(body), "<style") {
		t.Errorf("inline style or handler %q", m)
	}
	for _, tag := range inlineScript.FindAllString(body, -1) {
		if !strings.Contains(tag, " src=") {
			t.Errorf("inline script %s", tag)
		}
	}

	os.Chmod(browser.StateFile(dir, a.ID), 0o644)
	t.Setenv("PARLEY_BROWSER_PATH", filepath.Join(t.TempDir(), "gone"))
	body = unescaped(f.do(req{path: "/settings/browser", session: true}).Body.String())
	for _, want := range []string{
		"Browser sessions cannot start yet", `<span class="pill bad">missing</span>`, "point PARLEY_BROWSER_PATH at the browser's executable",
		"Last option: Playwright's own Chromium", "Other users of this computer can read:", "chmod -R go-rwx " + dir,
		`<span class="pill bad">other users too (-rw-r--r--)</span>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("panel with problems lacks %q", want)
		}
	}
}
