package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"parley/automation"
)

// MinNodeMajor is the oldest Node.js that driver runs on (its engines field).
const MinNodeMajor = 20

// Status is how one piece stands.
type Status int

// Statuses, from fine to blocking.
const (
	// Ready: present and usable.
	Ready Status = iota
	// Later: usable, but something happens on first use (a download), or
	// worth knowing.
	Later
	// Missing: browser sessions cannot start until it is fixed.
	Missing
)

func (s Status) String() string { return [...]string{"ready", "later", "missing"}[s] }

// Piece is one thing a browser session needs, in plain words.
type Piece struct {
	Status Status
	// Path is where it is (or where it will be, for the driver).
	Path string
	// How says how it was found, in words ("PARLEY_BROWSER_PATH", "on
	// this system", ...).
	How string
	// Version is what the piece says about itself ("Chromium 148.0...",
	// "v20.20.2", "1.64.1"); Want is the version Parley needs, if any.
	Version, Want string
	// Problem says what is wrong or what will happen; Fix is the exact
	// step that repairs it. Both are empty when all is well.
	Problem, Fix string
}

// Report is what Probe found.
type Report struct {
	Browser, Node, Driver Piece
	// Root: Parley runs as root, where Chromium refuses its sandbox, so it
	// starts with --no-sandbox.
	Root bool
	// Fallback describes Playwright's own browser download, the last
	// option; it is set only when no browser was found.
	Fallback string
}

// OK reports whether browser sessions can start (the driver may still be
// fetched on first use).
func (r Report) OK() bool {
	return r.Browser.Status != Missing && r.Node.Status != Missing && r.Driver.Status != Missing
}

// Probe looks for everything a browser session needs: the browser, the
// Node.js that runs the playwright driver, and the driver. It runs the
// browser's and Node.js's --version and reads files; it never downloads
// or launches a browser. getenv is os.Getenv outside tests.
func Probe(ctx context.Context, getenv func(string) string) Report {
	r := Report{Root: runtime.GOOS != "windows" && os.Geteuid() == 0}
	b, err := automation.FindBrowser(getenv)
	r.Browser = browserPiece(ctx, b, err, getenv)
	driverDir := automation.DriverDir(getenv)
	r.Driver = driverPiece(driverDir, getenv)
	r.Node = nodePiece(ctx, driverDir, getenv)
	if r.Browser.Status == Missing {
		r.Fallback = fallback(r, getenv)
	}
	return r
}

func browserPiece(ctx context.Context, b automation.Browser, err error, getenv func(string) string) Piece {
	if err != nil {
		p := Piece{Status: Missing, Problem: err.Error()}
		switch {
		case errors.Is(err, automation.ErrNoBrowser):
			p.Problem = "no Chromium, Google Chrome or Microsoft Edge was found"
			p.Fix = installFix()
		default: // PARLEY_BROWSER_PATH names something else
			p.Path = getenv(automation.BrowserEnv)
			p.Fix = fmt.Sprintf("point %s at the browser's executable file, or remove the setting so Parley looks for one itself", automation.BrowserEnv)
		}
		return p
	}
	p := Piece{Status: Ready, Path: b.Path}
	switch b.Source {
	case automation.SourceEnv:
		p.How = "set by " + automation.BrowserEnv
	case automation.SourcePlaywright:
		p.How = "downloaded earlier by Playwright (no system browser was found)"
	default:
		p.How = "installed on this system"
	}
	v, err := automation.BrowserVersion(ctx, b.Path)
	if err != nil {
		p.Status = Missing
		p.Problem = "it does not start: " + err.Error()
		p.Fix = "reinstall it, or " + installFix()
		return p
	}
	p.Version = v
	return p
}

// installFix is the way to get a browser on this system.
func installFix() string {
	how := "install Chromium or Google Chrome"
	switch runtime.GOOS {
	case "linux":
		how = "install Chromium (Debian and Ubuntu: sudo apt-get install chromium; Fedora: sudo dnf install chromium)"
	case "darwin":
		how = "install Google Chrome or Chromium into /Applications"
	case "windows":
		how = "install Google Chrome (Microsoft Edge, which Windows includes, works too)"
	}
	return how + ", or set " + automation.BrowserEnv + " to the executable of a Chromium-family browser"
}

// cliJS is the driver's entry point.
func cliJS(dir string, getenv func(string) string) string {
	if p := getenv("PLAYWRIGHT_CLI_PATH"); p != "" {
		return p
	}
	return filepath.Join(dir, "package", "cli.js")
}

func driverPiece(dir string, getenv func(string) string) Piece {
	want := automation.DriverVersion()
	p := Piece{Path: dir, Want: want, How: "npm package playwright-core"}
	if dir == "" {
		p.Status, p.Problem = Missing, "this system has no default folder for the playwright driver"
		p.Fix = "set PLAYWRIGHT_DRIVER_PATH to a folder Parley may write to"
		return p
	}
	cli := cliJS(dir, getenv)
	pkg, err := os.ReadFile(filepath.Join(filepath.Dir(cli), "package.json"))
	if _, serr := os.Stat(cli); serr != nil || err != nil {
		p.Status = Later
		p.Problem = fmt.Sprintf("not installed yet: Parley fetches playwright-core %s (about 14 MB unpacked) from the npm registry (%s) into this folder the first time it starts a browser", want, npmRegistry(getenv))
		p.Fix = "nothing to do on a machine that reaches the npm registry; otherwise set PLAYWRIGHT_GO_NPM_REGISTRY to a mirror, or copy this folder from a machine where Parley ran"
		return p
	}
	var meta struct{ Version string }
	json.Unmarshal(pkg, &meta)
	p.Version = meta.Version
	if meta.Version != want {
		p.Status = Missing
		p.Problem = fmt.Sprintf("this folder holds playwright-core %q, Parley needs %s", meta.Version, want)
		p.Fix = "delete the folder (Parley fetches the right version again), or point PLAYWRIGHT_DRIVER_PATH elsewhere"
		return p
	}
	p.Status = Ready
	return p
}

func npmRegistry(getenv func(string) string) string {
	if r := getenv("PLAYWRIGHT_GO_NPM_REGISTRY"); r != "" {
		return r
	}
	return "registry.npmjs.org"
}

// nodePiece finds the Node.js that will run the driver, in the order
// InstallDriver and playwright-go use: PLAYWRIGHT_NODEJS_PATH, node on
// the PATH, the Node.js downloaded into the driver folder.
func nodePiece(ctx context.Context, driverDir string, getenv func(string) string) Piece {
	var p Piece
	if env := getenv("PLAYWRIGHT_NODEJS_PATH"); env != "" {
		p.Path, p.How = env, "set by PLAYWRIGHT_NODEJS_PATH"
	} else if onPath, err := exec.LookPath("node"); err == nil {
		p.Path, p.How = onPath, "installed on this system"
	} else if own := filepath.Join(driverDir, nodeExe()); driverDir != "" && fileExists(own) {
		p.Path, p.How = own, "downloaded with the driver"
	}
	p.Want = fmt.Sprintf("%d or newer", MinNodeMajor)
	if p.Path == "" {
		p.Status = Later
		p.Problem = "Node.js was not found: the first start also downloads Node.js (about 30 MB) from nodejs.org into the driver folder"
		p.Fix = "to avoid that download, " + nodeFix()
		return p
	}
	v, err := automation.NodeVersion(ctx, p.Path)
	if err != nil {
		p.Status, p.Problem, p.Fix = Missing, "it does not start: "+err.Error(), nodeFix()
		return p
	}
	p.Version = v
	if major(v) < MinNodeMajor {
		p.Status = Missing
		p.Problem = fmt.Sprintf("Node.js %s is too old for the driver (it needs %d or newer)", v, MinNodeMajor)
		p.Fix = nodeFix()
		return p
	}
	p.Status = Ready
	return p
}

func nodeFix() string {
	if runtime.GOOS == "linux" {
		return fmt.Sprintf("install Node.js %d or newer (Debian 13 and Ubuntu 24.04: sudo apt-get install nodejs; elsewhere nodejs.org), or set PLAYWRIGHT_NODEJS_PATH to its node executable", MinNodeMajor)
	}
	return fmt.Sprintf("install Node.js %d or newer from nodejs.org, or set PLAYWRIGHT_NODEJS_PATH to its node executable", MinNodeMajor)
}

func nodeExe() string {
	if runtime.GOOS == "windows" {
		return "node.exe"
	}
	return "node"
}

// major is 20 for "v20.20.2", 0 when unreadable.
func major(v string) int {
	s, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(v), "v"), ".")
	n, _ := strconv.Atoi(s)
	return n
}

// fallback describes Playwright's own Chromium download, with a command
// that works with what was found: the driver's own CLI when it is
// installed, npx otherwise.
func fallback(r Report, getenv func(string) string) string {
	cmd := fmt.Sprintf("npx playwright-core@%s install chromium", automation.DriverVersion())
	if r.Driver.Status == Ready {
		node := r.Node.Path
		if node == "" {
			node = "node"
		}
		cmd = fmt.Sprintf("%q %q install chromium", node, cliJS(r.Driver.Path, getenv))
	}
	return fmt.Sprintf("Last option, only on a machine that can reach Playwright's download servers: let Playwright download its own Chromium (about 170 MB) with %s. "+
		"It lands in %s, where Parley finds it without further settings. A browser installed the usual way is better: it gets security updates.",
		cmd, orDefault(automation.PlaywrightBrowsersDir(getenv), "Playwright's cache folder"))
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}
