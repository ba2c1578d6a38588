package automation

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"

	"github.com/mxschmitt/playwright-go"
)

// BrowserEnv names the setting that points Parley at a browser executable.
const BrowserEnv = "PARLEY_BROWSER_PATH"

// ErrNoBrowser means no Chromium-family browser was found.
var ErrNoBrowser = errors.New("no Chromium, Chrome or Edge found: install one (Debian: apt-get install chromium) or set " + BrowserEnv)

// Browser is the browser executable Parley will drive.
type Browser struct {
	Path string
	// Source says how it was found: "PARLEY_BROWSER_PATH" or "system".
	Source string
}

// FindBrowser returns PARLEY_BROWSER_PATH when set, else the first system
// Chromium, Chrome or Edge in the usual places for this OS.
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
			return Browser{Path: p, Source: "system"}, nil
		}
	}
	return Browser{}, ErrNoBrowser
}

// InstallDriver makes sure the playwright driver is present: the npm
// playwright-core package (downloaded once into the user cache), run by
// the Node.js on PATH when there is one, so no Node.js download is needed.
// Browsers are never downloaded here.
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
	err := playwright.Install(&playwright.RunOptions{SkipInstallBrowsers: true, Verbose: false, Logger: log, Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		return fmt.Errorf("installing the playwright driver (npm playwright-core) failed: %w", err)
	}
	return nil
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
