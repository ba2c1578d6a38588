package automation

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var lookPathNames = []string{"chrome.exe", "msedge.exe"}

func systemBrowsers(getenv func(string) string) []string {
	var out []string
	for _, root := range []string{getenv("ProgramFiles"), getenv("ProgramFiles(x86)"), getenv("LocalAppData")} {
		if root == "" {
			continue
		}
		out = append(out,
			filepath.Join(root, "Google", "Chrome", "Application", "chrome.exe"),
			filepath.Join(root, "Microsoft", "Edge", "Application", "msedge.exe"),
			filepath.Join(root, "Chromium", "Application", "chrome.exe"))
	}
	return out
}

// playwrightChromiumGlobs find Playwright's own Chromium downloads inside
// PlaywrightBrowsersDir.
var playwrightChromiumGlobs = []string{"chromium-*/chrome-win64/chrome.exe", "chromium-*/chrome-win/chrome.exe"}

// browserCache is where Playwright (Node.js) caches browsers.
func browserCache(getenv func(string) string) string { return getenv("LocalAppData") }

// driverCache is where playwright-go caches its driver: the user's
// AppData\Local, derived from the home folder.
func driverCache(getenv func(string) string) string {
	if h := getenv("USERPROFILE"); h != "" {
		return filepath.Join(h, "AppData", "Local")
	}
	return ""
}

var versionDir = regexp.MustCompile(`^\d+\.\d+\.\d+\.\d+$`)

// installedVersion reads the version of a Chrome or Edge install from the
// version folder next to its executable (chrome.exe --version would open
// a window instead of answering).
func installedVersion(path string) (string, error) {
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		return "", err
	}
	var versions []string
	for _, e := range entries {
		if e.IsDir() && versionDir.MatchString(e.Name()) {
			versions = append(versions, e.Name())
		}
	}
	if len(versions) == 0 {
		return "", errors.New("no version folder next to " + path)
	}
	slices.SortFunc(versions, compareVersions)
	return strings.TrimSuffix(filepath.Base(path), ".exe") + " " + versions[len(versions)-1], nil
}

func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range min(len(pa), len(pb)) {
		x, _ := strconv.Atoi(pa[i])
		y, _ := strconv.Atoi(pb[i])
		if x != y {
			return x - y
		}
	}
	return len(pa) - len(pb)
}

// noDisplay says why a browser window cannot be shown here: it always can.
func noDisplay(func(string) string) string { return "" }
