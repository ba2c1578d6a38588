package automation

import (
	"errors"
	"path/filepath"
)

var lookPathNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge"}

func systemBrowsers(func(string) string) []string {
	return []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium", "/usr/bin/google-chrome", "/opt/google/chrome/chrome"}
}

// playwrightChromiumGlobs find Playwright's own Chromium downloads inside
// PlaywrightBrowsersDir (older releases used chrome-linux).
var playwrightChromiumGlobs = []string{"chromium-*/chrome-linux64/chrome", "chromium-*/chrome-linux-arm64/chrome", "chromium-*/chrome-linux/chrome"}

// browserCache is where Playwright (Node.js) caches browsers.
func browserCache(getenv func(string) string) string {
	if x := getenv("XDG_CACHE_HOME"); x != "" {
		return x
	}
	return homeCache(getenv)
}

// driverCache is where playwright-go caches its driver: $HOME/.cache,
// whatever XDG_CACHE_HOME says.
func driverCache(getenv func(string) string) string { return homeCache(getenv) }

func homeCache(getenv func(string) string) string {
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".cache")
	}
	return ""
}

func installedVersion(string) (string, error) {
	return "", errors.New("not used on Linux: the browser answers --version")
}

// noDisplay says why a browser window cannot be shown here ("" when it can).
func noDisplay(getenv func(string) string) string {
	if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
		return "this computer has no desktop session for a browser window (neither DISPLAY nor WAYLAND_DISPLAY is set)"
	}
	return ""
}
