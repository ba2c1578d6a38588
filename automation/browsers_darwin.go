package automation

import (
	"errors"
	"path/filepath"
)

var lookPathNames = []string{"chromium"}

func systemBrowsers(func(string) string) []string {
	return []string{
		"/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
		"/Applications/Chromium.app/Contents/MacOS/Chromium",
		"/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
	}
}

// playwrightChromiumGlobs find Playwright's own Chromium downloads inside
// PlaywrightBrowsersDir.
var playwrightChromiumGlobs = []string{
	"chromium-*/chrome-mac*/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
	"chromium-*/chrome-mac*/Chromium.app/Contents/MacOS/Chromium",
}

// browserCache is where Playwright (Node.js) caches browsers.
func browserCache(getenv func(string) string) string { return caches(getenv) }

// driverCache is where playwright-go caches its driver.
func driverCache(getenv func(string) string) string { return caches(getenv) }

func caches(getenv func(string) string) string {
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, "Library", "Caches")
	}
	return ""
}

func installedVersion(string) (string, error) {
	return "", errors.New("not used on macOS: the browser answers --version")
}

// noDisplay says why a browser window cannot be shown here: it always can.
func noDisplay(func(string) string) string { return "" }
