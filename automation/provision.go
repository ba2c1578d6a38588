package automation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/mxschmitt/playwright-go"
)

// BrowserEnv names the setting that points Parley at a browser executable.
const BrowserEnv = "PARLEY_BROWSER_PATH"

// ErrNoBrowser means no Chromium-family browser was found.
var ErrNoBrowser = errors.New("no Chromium, Chrome or Edge found: install one (Debian: apt-get install chromium) or set " + BrowserEnv)

// How a browser was found (Browser.Source).
const (
	SourceEnv    = BrowserEnv
	SourceSystem = "system"
	// SourcePlaywright is a Chromium that Playwright downloaded earlier
	// (the last option, used only when the system has no browser).
	SourcePlaywright = "playwright download"
)

// Browser is the browser executable Parley will drive.
type Browser struct {
	Path string
	// Source says how it was found: SourceEnv, SourceSystem or
	// SourcePlaywright.
	Source string
}

// FindBrowser returns PARLEY_BROWSER_PATH when set, else the first system
// Chromium, Chrome or Edge in the usual places for this OS, else a
// Chromium that Playwright downloaded earlier. It never downloads.
func FindBrowser(getenv func(string) string) (Browser, error) {
	if p := getenv(BrowserEnv); p != "" {
		if fi, err := os.Stat(p); err != nil || fi.IsDir() {
			return Browser{}, fmt.Errorf("%s=%s is not a browser executable", BrowserEnv, p)
		}
		return Browser{Path: p, Source: BrowserEnv}, nil
	}
	for _, name := range lookPathNames {
		if p, err := exec.LookPath(name); err == nil {
			return Browser{Path: p, Source: "system"}, nil
		}
	}
	for _, p := range systemBrowsers(getenv) {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return Browser{Path: p, Source: SourceSystem}, nil
		}
	}
	if p := PlaywrightChromium(getenv); p != "" {
		return Browser{Path: p, Source: SourcePlaywright}, nil
	}
	return Browser{}, ErrNoBrowser
}

// PlaywrightBrowsersDir is where Playwright keeps the browsers it
// downloads: PLAYWRIGHT_BROWSERS_PATH, else ms-playwright in the user's
// cache folder ("" when there is none).
func PlaywrightBrowsersDir(getenv func(string) string) string {
	if p := getenv("PLAYWRIGHT_BROWSERS_PATH"); p != "" && p != "0" {
		return p
	}
	if c := browserCache(getenv); c != "" {
		return filepath.Join(c, "ms-playwright")
	}
	return ""
}

// PlaywrightChromium is the newest Chromium in PlaywrightBrowsersDir, or
// "" when Playwright has downloaded none.
func PlaywrightChromium(getenv func(string) string) string {
	dir := PlaywrightBrowsersDir(getenv)
	if dir == "" {
		return ""
	}
	var found []string
	for _, pattern := range playwrightChromiumGlobs {
		m, _ := filepath.Glob(filepath.Join(dir, pattern))
		found = append(found, m...)
	}
	// chromium-<revision>: the highest revision is the newest download.
	slices.SortFunc(found, func(a, b string) int { return strings.Compare(revisionKey(b), revisionKey(a)) })
	for _, p := range found {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	return ""
}

// revisionKey makes chromium-999 sort below chromium-1248.
func revisionKey(path string) string {
	rel := filepath.ToSlash(path)
	i := strings.Index(rel, "/chromium-")
	if i < 0 {
		return rel
	}
	rev, _, _ := strings.Cut(rel[i+len("/chromium-"):], "/")
	return fmt.Sprintf("%012s", rev)
}

// BrowserVersion is the browser's own version line, such as "Chromium
// 148.0.7778.167". It runs the executable with --version (bounded by a
// timeout), except on Windows, where that would open a window; there it
// reads the version folder next to the executable.
func BrowserVersion(ctx context.Context, path string) (string, error) {
	if runtime.GOOS == "windows" {
		return installedVersion(path)
	}
	return versionLine(ctx, path, "--version")
}

// versionLine runs path with args and returns the first line it prints
// on stdout. Whatever it prints on stderr is ignored (Debian's chromium
// wrapper script, for one, prints shell noise there).
func versionLine(ctx context.Context, path string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.WaitDelay = time.Second
	out, err := cmd.Output()
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	line = strings.TrimSpace(line)
	if err != nil && line == "" {
		return "", fmt.Errorf("%s %s: %w", path, strings.Join(args, " "), err)
	}
	if line == "" {
		return "", fmt.Errorf("%s %s printed nothing", path, strings.Join(args, " "))
	}
	return line, nil
}

// NodeVersion runs node --version ("v20.20.2").
func NodeVersion(ctx context.Context, node string) (string, error) {
	return versionLine(ctx, node, "--version")
}

// InstallDriver makes sure the playwright driver is present: the npm
// playwright-core package (downloaded once into the user cache), run by
// the Node.js on PATH when there is one, so no Node.js download is needed.
// Browsers are never downloaded here.
//
// No logger or output writers are handed to playwright-go: it keeps them
// in package variables that its running connections read, so setting
// them while another session runs would race.
func InstallDriver(log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if os.Getenv("PLAYWRIGHT_NODEJS_PATH") == "" {
		if node, err := exec.LookPath("node"); err == nil {
			// playwright-go reads this from the process environment.
			os.Setenv("PLAYWRIGHT_NODEJS_PATH", node)
		}
	}
	if dir := DriverDir(os.Getenv); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "package", "cli.js")); err != nil {
			log.Info("fetching the playwright driver (npm playwright-core) from the npm registry", "dir", dir)
		}
	}
	err := playwright.Install(&playwright.RunOptions{SkipInstallBrowsers: true, Verbose: false})
	if err != nil {
		return fmt.Errorf("installing the playwright driver (npm playwright-core) failed: %w", err)
	}
	return nil
}

// DriverVersion is the version of the playwright driver (npm
// playwright-core) this build's playwright-go needs, such as "1.64.1".
func DriverVersion() string {
	d, err := playwright.NewDriver(&playwright.RunOptions{Verbose: false})
	if err != nil {
		return ""
	}
	return d.Version
}

// DriverDir is the folder playwright-go keeps its driver in:
// PLAYWRIGHT_DRIVER_PATH, else <cache>/ms-playwright-go/<DriverVersion>
// ("" when this system has no default).
func DriverDir(getenv func(string) string) string {
	if d := getenv("PLAYWRIGHT_DRIVER_PATH"); d != "" {
		return d
	}
	if c := driverCache(getenv); c != "" {
		return filepath.Join(c, "ms-playwright-go", DriverVersion())
	}
	return ""
}

// LaunchArgs are the flags for a quiet, sane Chromium: no background
// traffic, no updater, no sync, no first-run UI. They hide nothing from
// the sites Parley visits. The sandbox is only turned off when running as
// root, where Chromium refuses to start with it.
func LaunchArgs() []string {
	args := []string{"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"}
	if os.Geteuid() == 0 {
		args = append(args, "--no-sandbox")
	}
	return args
}

// LaunchOptions launches browser b, headless or visible.
func LaunchOptions(b Browser, headless bool) playwright.BrowserTypeLaunchOptions {
	return playwright.BrowserTypeLaunchOptions{
		ExecutablePath: playwright.String(b.Path),
		Headless:       playwright.Bool(headless),
		Args:           LaunchArgs(),
	}
}

// NoDisplay says why this computer cannot show a browser window (a Linux
// server without a desktop session), or "" when it can.
func NoDisplay(getenv func(string) string) string { return noDisplay(getenv) }
