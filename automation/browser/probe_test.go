package browser

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"parley/automation"
)

// env is a getenv over a map.
func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// script writes an executable shell script that prints out.
func script(t *testing.T, dir, name, out string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("uses shell scripts")
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\necho 'noise' >&2\necho '"+out+"'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// driverFolder lays out an installed driver of the given version.
func driverFolder(t *testing.T, version string) string {
	t.Helper()
	dir := t.TempDir()
	pkg := filepath.Join(dir, "package")
	os.MkdirAll(pkg, 0o755)
	os.WriteFile(filepath.Join(pkg, "cli.js"), []byte("// cli"), 0o644)
	os.WriteFile(filepath.Join(pkg, "package.json"), []byte(`{"name":"playwright-core","version":"`+version+`"}`), 0o644)
	return dir
}

// TestProbeFindsEverything: browser, Node.js and driver are reported with
// where they are, how they were found and their versions.
func TestProbeFindsEverything(t *testing.T) {
	bin := t.TempDir()
	want := automation.DriverVersion()
	r := Probe(t.Context(), env(map[string]string{
		automation.BrowserEnv:    script(t, bin, "chromium", "Chromium 148.0.7778.167 built on Debian"),
		"PLAYWRIGHT_NODEJS_PATH": script(t, bin, "node", "v22.1.0"),
		"PLAYWRIGHT_DRIVER_PATH": driverFolder(t, want),
	}))
	if !r.OK() || r.Fallback != "" {
		t.Fatalf("report = %+v", r)
	}
	if b := r.Browser; b.Status != Ready || b.Version != "Chromium 148.0.7778.167 built on Debian" || b.How != "set by PARLEY_BROWSER_PATH" {
		t.Errorf("browser = %+v", b)
	}
	if n := r.Node; n.Status != Ready || n.Version != "v22.1.0" || n.How != "set by PLAYWRIGHT_NODEJS_PATH" {
		t.Errorf("node = %+v", n)
	}
	if d := r.Driver; d.Status != Ready || d.Version != want || d.Want != want || d.Problem != "" {
		t.Errorf("driver = %+v", d)
	}
	if want != "1.64.1" {
		t.Logf("note: playwright-go now wants driver %s (the docs say 1.64.1)", want)
	}
}

// TestProbeExplainsWhatIsMissing: each missing or wrong piece comes with
// what is wrong and the exact fix; the driver and Node.js downloads are
// "later", not failures; an old Node.js or another driver version block.
func TestProbeExplainsWhatIsMissing(t *testing.T) {
	bin := t.TempDir()
	r := Probe(t.Context(), env(map[string]string{
		automation.BrowserEnv:    filepath.Join(bin, "nothing-here"),
		"PLAYWRIGHT_NODEJS_PATH": script(t, bin, "node", "v18.19.0"),
		"PLAYWRIGHT_DRIVER_PATH": t.TempDir(),
	}))
	if r.OK() {
		t.Fatal("OK without a browser")
	}
	if b := r.Browser; b.Status != Missing || !strings.Contains(b.Fix, "point PARLEY_BROWSER_PATH at the browser's executable") {
		t.Errorf("browser = %+v", b)
	}
	if n := r.Node; n.Status != Missing || !strings.Contains(n.Problem, "too old") || !strings.Contains(n.Fix, "Node.js 20 or newer") {
		t.Errorf("node = %+v", n)
	}
	if d := r.Driver; d.Status != Later || !strings.Contains(d.Problem, "from the npm registry (registry.npmjs.org)") || !strings.Contains(d.Problem, "first time") {
		t.Errorf("driver = %+v", d)
	}
	if !strings.Contains(r.Fallback, "Last option") || !strings.Contains(r.Fallback, "npx playwright-core@"+automation.DriverVersion()+" install chromium") {
		t.Errorf("fallback = %q", r.Fallback)
	}

	other := Probe(t.Context(), env(map[string]string{"PLAYWRIGHT_DRIVER_PATH": driverFolder(t, "1.2.3")}))
	if d := other.Driver; d.Status != Missing || !strings.Contains(d.Problem, `"1.2.3"`) || !strings.Contains(d.Fix, "delete the folder") {
		t.Errorf("driver of another version = %+v", d)
	}
}

// TestNoBrowserAnywhere: the fix names the package to install and the
// setting, and the fallback is described as the last option.
func TestNoBrowserAnywhere(t *testing.T) {
	p := browserPiece(t.Context(), automation.Browser{}, automation.ErrNoBrowser, env(nil))
	if p.Status != Missing || !strings.Contains(p.Fix, automation.BrowserEnv) {
		t.Fatalf("piece = %+v", p)
	}
	if runtime.GOOS == "linux" && !strings.Contains(p.Fix, "apt-get install chromium") {
		t.Errorf("fix = %q", p.Fix)
	}
	r := Report{Browser: p, Driver: Piece{Status: Ready, Path: "/drv"}, Node: Piece{Status: Ready, Path: "/usr/bin/node"}}
	if f := fallback(r, env(map[string]string{"PLAYWRIGHT_BROWSERS_PATH": "/pw"})); !strings.Contains(f, `"/usr/bin/node" "`+filepath.Join("/drv", "package", "cli.js")+`" install chromium`) || !strings.Contains(f, "/pw") {
		t.Errorf("fallback with the driver installed = %q", f)
	}
}

// TestPlaywrightChromiumIsTheLastPlace: a Chromium that Playwright
// downloaded is found, the newest revision first.
func TestPlaywrightChromiumIsTheLastPlace(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("Linux layout")
	}
	dir := t.TempDir()
	for _, rev := range []string{"999", "1248"} {
		exe := filepath.Join(dir, "chromium-"+rev, "chrome-linux64", "chrome")
		os.MkdirAll(filepath.Dir(exe), 0o755)
		os.WriteFile(exe, nil, 0o755)
	}
	got := automation.PlaywrightChromium(env(map[string]string{"PLAYWRIGHT_BROWSERS_PATH": dir}))
	if want := filepath.Join(dir, "chromium-1248", "chrome-linux64", "chrome"); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if got := automation.PlaywrightChromium(env(map[string]string{"HOME": t.TempDir()})); got != "" {
		t.Fatalf("empty cache: %q", got)
	}
}

// TestListSessions: saved sessions are listed by account, and any entry
// that other users can read is named.
func TestListSessions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes")
	}
	root := t.TempDir()
	dir := filepath.Join(root, "browser")
	if s, err := ListSessions(dir); err != nil || s.Exists || !s.OK() {
		t.Fatalf("missing folder: %+v %v", s, err)
	}
	os.Mkdir(dir, 0o700)
	os.WriteFile(StateFile(dir, 12), []byte("{}"), 0o600)
	os.WriteFile(StateFile(dir, 3), []byte("{}"), 0o600)
	os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o600)
	s, err := ListSessions(dir)
	if err != nil || !s.OK() || len(s.Saved) != 2 || s.Saved[0].AccountID != 3 || s.Saved[1].AccountID != 12 {
		t.Fatalf("%+v %v", s, err)
	}
	if time.Since(s.Saved[0].SavedAt) > time.Minute {
		t.Errorf("saved at %v", s.Saved[0].SavedAt)
	}
	os.Chmod(StateFile(dir, 3), 0o644)
	os.Chmod(dir, 0o755)
	s, _ = ListSessions(dir)
	if s.OK() || s.DirPrivate || len(s.Exposed) != 1 || !strings.Contains(s.Exposed[0], "account-3.json (mode -rw-r--r--)") {
		t.Fatalf("%+v", s)
	}
	if _, err := ListSessions(StateFile(dir, 3)); err == nil {
		t.Error("a file taken for the folder")
	}
	if _, ok := accountOf("account-0.json"); ok {
		t.Error("account 0")
	}
}
