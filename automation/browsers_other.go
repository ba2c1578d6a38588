//go:build !linux && !darwin && !windows

package automation

import (
	"errors"
	"path/filepath"
)

var lookPathNames = []string{"chromium", "chromium-browser", "chrome"}

func systemBrowsers(func(string) string) []string { return nil }

// Playwright publishes no browser builds for these systems.
var playwrightChromiumGlobs []string

func browserCache(getenv func(string) string) string {
	if x := getenv("XDG_CACHE_HOME"); x != "" {
		return x
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".cache")
	}
	return ""
}

// driverCache is empty: playwright-go has no default driver folder here
// (set PLAYWRIGHT_DRIVER_PATH).
func driverCache(func(string) string) string { return "" }

func installedVersion(string) (string, error) {
	return "", errors.New("not used here: the browser answers --version")
}

// noDisplay says why a browser window cannot be shown here ("" when it can).
func noDisplay(getenv func(string) string) string {
	if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return "this computer has no desktop session for a browser window (neither DISPLAY nor WAYLAND_DISPLAY is set)"
	}
	return ""
}
