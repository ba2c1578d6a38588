package cli

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"parley/automation/browser"
)

// fakeTools points Parley at a fake browser and a fake Node.js (shell
// scripts printing versions) and at an empty driver folder, so the
// doctor's browser lines do not depend on this machine.
func fakeTools(t *testing.T) (bin string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("uses shell scripts")
	}
	bin = t.TempDir()
	write := func(name, out string) string {
		p := filepath.Join(bin, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\necho '"+out+"'\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	t.Setenv("PARLEY_BROWSER_PATH", write("chromium", "Chromium 148.0.7778.167"))
	t.Setenv("PLAYWRIGHT_NODEJS_PATH", write("node", "v22.1.0"))
	t.Setenv("PLAYWRIGHT_DRIVER_PATH", filepath.Join(bin, "driver"))
	return bin
}

func (w *world) doctor() (string, error) {
	w.t.Helper()
	w.out.Reset()
	err := Doctor(context.Background(), w.c)
	return w.out.String(), err
}

func wantLines(t *testing.T, out string, want ...string) {
	t.Helper()
	for _, s := range want {
		if !strings.Contains(out, s) {
			t.Errorf("doctor output lacks %q:\n%s", s, out)
		}
	}
}

// TestDoctorBrowserReady: the browser, Node.js and the saved sessions are
// ok lines; a driver not fetched yet is a warning that says it will be,
// and does not fail the doctor.
func TestDoctorBrowserReady(t *testing.T) {
	w := newWorld(t)
	bin := fakeTools(t)
	os.WriteFile(browser.StateFile(w.paths.BrowserProfiles(), 1), []byte("{}"), 0o600)
	out, err := w.doctor()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	wantLines(t, out,
		"  ok    browser          Chromium 148.0.7778.167 at "+filepath.Join(bin, "chromium")+" (set by PARLEY_BROWSER_PATH)",
		"  ok    browser          Node.js v22.1.0 at "+filepath.Join(bin, "node"),
		"  warn  browser          playwright driver: not installed yet: Parley fetches playwright-core",
		"from the npm registry (registry.npmjs.org) into this folder the first time it starts a browser",
		"  ok    browser sessions 1 saved, readable only by you (folder 0700, files 0600): "+w.paths.BrowserProfiles(),
		"All checks passed.")
}

// TestDoctorNoBrowser: a missing browser fails with the fix.
func TestDoctorNoBrowser(t *testing.T) {
	w := newWorld(t)
	fakeTools(t)
	t.Setenv("PARLEY_BROWSER_PATH", filepath.Join(t.TempDir(), "gone"))
	out, err := w.doctor()
	if err == nil {
		t.Fatalf("doctor passed without a browser:\n%s", out)
	}
	wantLines(t, out, "  FAIL  browser          PARLEY_BROWSER_PATH=", "point PARLEY_BROWSER_PATH at the browser's executable")
}

// TestDoctorExposedSessions: a saved session other users can read fails
// with the command that fixes it.
func TestDoctorExposedSessions(t *testing.T) {
	w := newWorld(t)
	fakeTools(t)
	dir := w.paths.BrowserProfiles()
	file := browser.StateFile(dir, 2)
	os.WriteFile(file, []byte("{}"), 0o600)
	os.Chmod(file, 0o644)
	out, err := w.doctor()
	if err == nil {
		t.Fatalf("doctor passed:\n%s", out)
	}
	wantLines(t, out, "  FAIL  browser sessions readable by other users: "+file+" (mode -rw-r--r--)", "run chmod -R go-rwx "+dir)
	os.Chmod(file, 0o600)
	os.Chmod(dir, 0o750)
	out, _ = w.doctor()
	wantLines(t, out, "  FAIL  browser sessions "+dir+" is readable by other users (mode -rwxr-x---)")
}
