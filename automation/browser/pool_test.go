package browser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mxschmitt/playwright-go"

	"parley/automation"
)

// testBrowser is the system browser; without one the test is skipped
// with the fix.
func testBrowser(t *testing.T) automation.Browser {
	t.Helper()
	b, err := automation.FindBrowser(os.Getenv)
	if err != nil {
		t.Skipf("browser test skipped: %v (Debian: apt-get install chromium, or run scripts/ensure-browser.sh)", err)
	}
	return b
}

// syncBuffer collects log output written from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// openPool opens a headless pool on dir that is closed when the test ends;
// its debug log goes to logs.
func openPool(t *testing.T, dir string, logs io.Writer) *Pool {
	t.Helper()
	if logs == nil {
		logs = io.Discard
	}
	p, err := Open(Options{Dir: dir, Browser: testBrowser(t), Headless: true, LoginPoll: 50 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

const cookieName = "li_session"

// signInSite is a tiny site with a sign-in form that sets a session
// cookie: /login (the form), /signin?user=NAME (signs in at once), /feed
// (the signed-in page, else a redirect to /login) and /whoami.
func signInSite(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	setCookie := func(w http.ResponseWriter, user string) {
		http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "token-" + user, Path: "/", HttpOnly: true,
			Expires: time.Now().Add(24 * time.Hour), SameSite: http.SameSiteLaxMode})
	}
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>Sign in</title><form method="post" action="/login">`+
			`<label>Email <input name="user"></label><label>Password <input name="password" type="password"></label>`+
			`<button type="submit">Sign in</button></form>`)
	})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		setCookie(w, r.FormValue("user"))
		http.Redirect(w, r, "/feed", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /signin", func(w http.ResponseWriter, r *http.Request) {
		setCookie(w, r.URL.Query().Get("user"))
		http.Redirect(w, r, "/feed", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /feed", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(cookieName)
		if err != nil {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		fmt.Fprintf(w, `<!doctype html><title>Feed</title><h1 id="me">Signed in as %s</h1>`, strings.TrimPrefix(c.Value, "token-"))
	})
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(cookieName); err == nil {
			fmt.Fprint(w, strings.TrimPrefix(c.Value, "token-"))
			return
		}
		fmt.Fprint(w, "nobody")
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// visit opens url in a new page of the account's context and returns the
// page's text.
func visit(t *testing.T, p *Pool, id uint64, url string) string {
	t.Helper()
	c, err := p.Context(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	page, err := c.NewPage()
	if err != nil {
		t.Fatal(err)
	}
	defer page.Close()
	if _, err := page.Goto(url); err != nil {
		t.Fatal(err)
	}
	text, err := page.Locator("body").InnerText()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(text)
}

func checkPrivate(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v, want 0600", path, fi.Mode().Perm())
	}
}

// noTempFiles: the atomic writes left nothing behind.
func noTempFiles(t *testing.T, dir string) {
	t.Helper()
	if m, _ := filepath.Glob(filepath.Join(dir, ".account-*")); len(m) > 0 {
		t.Errorf("temporary files left behind: %v", m)
	}
}

// TestSessionSurvivesRestart: a session saved by one pool is restored by
// the next; the file is private and its content never reaches the log.
func TestSessionSurvivesRestart(t *testing.T) {
	t.Parallel()
	site := signInSite(t)
	dir := t.TempDir()
	logs := &syncBuffer{}
	p := openPool(t, dir, logs)
	if got := visit(t, p, 1, site.URL+"/signin?user=anna"); got != "Signed in as anna" {
		t.Fatalf("after signing in: %q", got)
	}
	if err := p.Save(1); err != nil {
		t.Fatal(err)
	}
	checkPrivate(t, StateFile(dir, 1))
	noTempFiles(t, dir)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}

	p2 := openPool(t, dir, logs)
	if got := visit(t, p2, 1, site.URL+"/whoami"); got != "anna" {
		t.Fatalf("after reopening, the site sees %q, want anna", got)
	}
	if err := p2.Close(); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "token-anna") {
		t.Errorf("the session cookie reached the log:\n%s", logs)
	}
	if !strings.Contains(logs.String(), "browser session saved") {
		t.Errorf("no save logged:\n%s", logs)
	}
}

// TestAccountsAreIsolated: one account's cookies are not in another's
// context, though both run in the same browser.
func TestAccountsAreIsolated(t *testing.T) {
	t.Parallel()
	site := signInSite(t)
	p := openPool(t, t.TempDir(), nil)
	visit(t, p, 1, site.URL+"/signin?user=anna")
	if got := visit(t, p, 2, site.URL+"/whoami"); got != "nobody" {
		t.Fatalf("account 2 is signed in as %q", got)
	}
	c1, _ := p.Context(t.Context(), 1)
	c2, _ := p.Context(t.Context(), 2)
	if c1 == c2 || c1.Browser() != c2.Browser() {
		t.Fatal("want two contexts in one shared browser")
	}
	cookies, err := c2.Cookies()
	if err != nil {
		t.Fatal(err)
	}
	if len(cookies) != 0 {
		t.Fatalf("account 2 has cookies %v", cookies)
	}
	if got := visit(t, p, 1, site.URL+"/whoami"); got != "anna" {
		t.Fatalf("account 1 lost its session: %q", got)
	}
}

// TestForgetLogsOut: Forget deletes the saved session and drops the open
// context; the next context starts signed out.
func TestForgetLogsOut(t *testing.T) {
	t.Parallel()
	site := signInSite(t)
	dir := t.TempDir()
	p := openPool(t, dir, nil)
	visit(t, p, 1, site.URL+"/signin?user=anna")
	if err := p.Save(1); err != nil {
		t.Fatal(err)
	}
	if err := p.Forget(1); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(StateFile(dir, 1)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the saved session is still there: %v", err)
	}
	if got := visit(t, p, 1, site.URL+"/whoami"); got != "nobody" {
		t.Fatalf("after Forget the site still sees %q", got)
	}
	if err := p.Forget(7); err != nil { // nothing saved: fine
		t.Fatal(err)
	}
}

// TestLoginWindow: the window opens on the login page, the "user" (the
// test, from inside signedIn) types into the form, and once the signed-in
// page shows, the session is saved and the account's context has it.
func TestLoginWindow(t *testing.T) {
	t.Parallel()
	site := signInSite(t)
	dir := t.TempDir()
	p := openPool(t, dir, nil)
	typed := false
	signedIn := func(page playwright.Page) (bool, error) {
		if !typed && strings.HasSuffix(page.URL(), "/login") {
			typed = true
			if err := page.GetByLabel("Email").Fill("bruno"); err != nil {
				return false, err
			}
			if err := page.GetByLabel("Password").Fill("typed by the user"); err != nil {
				return false, err
			}
			return false, page.GetByRole("button", playwright.PageGetByRoleOptions{Name: "Sign in"}).Click()
		}
		n, err := page.Locator("#me").Count()
		return n > 0, err
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := p.LoginWindow(ctx, 3, site.URL+"/login", signedIn); err != nil {
		t.Fatal(err)
	}
	checkPrivate(t, StateFile(dir, 3))
	if got := visit(t, p, 3, site.URL+"/whoami"); got != "bruno" {
		t.Fatalf("after the login window the site sees %q", got)
	}
	p.mu.Lock()
	shown := p.browsers[visible]
	p.mu.Unlock()
	if shown != nil {
		t.Error("the login window's browser is still running")
	}
}

// TestLoginWindowEnds: closing the window, running out of time and the
// pool closing each end the wait with their own error; meanwhile jobs
// cannot use the account.
func TestLoginWindowEnds(t *testing.T) {
	t.Parallel()
	site := signInSite(t)
	dir := t.TempDir()
	p := openPool(t, dir, nil)

	closeIt := func(page playwright.Page) (bool, error) { return false, page.Close() }
	if err := p.LoginWindow(t.Context(), 1, site.URL+"/login", closeIt); !errors.Is(err, ErrWindowClosed) {
		t.Fatalf("closed window: %v", err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Second)
	defer cancel()
	var busy error
	never := func(playwright.Page) (bool, error) {
		if busy == nil {
			_, busy = p.Context(t.Context(), 1)
		}
		return false, nil
	}
	if err := p.LoginWindow(ctx, 1, site.URL+"/login", never); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("timeout: %v", err)
	}
	if !errors.Is(busy, ErrSigningIn) {
		t.Fatalf("Context during the login window: %v", busy)
	}
	if _, err := os.Stat(StateFile(dir, 1)); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("an unfinished sign-in saved a session")
	}

	go func() {
		time.Sleep(300 * time.Millisecond)
		p.Close()
	}()
	if err := p.LoginWindow(t.Context(), 1, site.URL+"/login", func(playwright.Page) (bool, error) { return false, nil }); !errors.Is(err, ErrClosed) {
		t.Fatalf("pool closed: %v", err)
	}
}

// TestConcurrentContexts: many goroutines asking for a handful of
// accounts get one context per account, all in one browser.
func TestConcurrentContexts(t *testing.T) {
	t.Parallel()
	p := openPool(t, t.TempDir(), nil)
	const accounts, callers = 4, 16
	got := make([]playwright.BrowserContext, callers)
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for i := range callers {
		wg.Go(func() {
			c, err := p.Context(t.Context(), uint64(i%accounts+1))
			if err != nil {
				errs <- err
				return
			}
			got[i] = c
			errs <- p.Save(uint64(i%accounts + 1))
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	distinct := map[playwright.BrowserContext]bool{}
	for i, c := range got {
		distinct[c] = true
		if c != got[i%accounts] {
			t.Errorf("caller %d got another context for account %d", i, i%accounts+1)
		}
		if c.Browser() != got[0].Browser() {
			t.Error("more than one browser")
		}
	}
	if len(distinct) != accounts {
		t.Errorf("%d contexts for %d accounts", len(distinct), accounts)
	}
}

// TestCloseIsCleanAndIdempotent: Close saves what is open, closes the
// browser, and can be called again; the pool refuses work afterwards.
func TestCloseIsCleanAndIdempotent(t *testing.T) {
	t.Parallel()
	site := signInSite(t)
	dir := t.TempDir()
	p := openPool(t, dir, nil)
	visit(t, p, 5, site.URL+"/signin?user=carla")
	c, _ := p.Context(t.Context(), 5)
	b := c.Browser()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if b.IsConnected() {
		t.Error("the browser still runs after Close")
	}
	checkPrivate(t, StateFile(dir, 5)) // saved on close
	noTempFiles(t, dir)
	if _, err := p.Context(t.Context(), 5); !errors.Is(err, ErrClosed) {
		t.Fatalf("Context after Close: %v", err)
	}
	if err := p.Save(5); err != nil {
		t.Fatalf("Save after Close: %v", err)
	}
}

// TestUnreadableSessionSaysWhatToDo: a damaged saved session is reported
// with the way out, without its content.
func TestUnreadableSessionSaysWhatToDo(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(StateFile(dir, 9), []byte(`{"cookies": [secret-garbage`), 0o600); err != nil {
		t.Fatal(err)
	}
	p := openPool(t, dir, nil)
	_, err := p.Context(t.Context(), 9)
	if err == nil || !strings.Contains(err.Error(), "log the account in again") || strings.Contains(err.Error(), "secret-garbage") {
		t.Fatalf("err = %v", err)
	}
	if err := p.Forget(9); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Context(t.Context(), 9); err != nil {
		t.Fatalf("after Forget: %v", err)
	}
}

// TestSetVisibleMovesTheSession: an account switched to visible runs in a
// browser of its own (here headless too, by Options.Headless), keeps its
// session, and that browser closes when the account switches back.
func TestSetVisibleMovesTheSession(t *testing.T) {
	t.Parallel()
	site := signInSite(t)
	p := openPool(t, t.TempDir(), nil)
	visit(t, p, 1, site.URL+"/signin?user=anna")
	shared, _ := p.Context(t.Context(), 1)
	if err := p.SetVisible(1, true); err != nil {
		t.Fatal(err)
	}
	if got := visit(t, p, 1, site.URL+"/whoami"); got != "anna" {
		t.Fatalf("after the switch the site sees %q", got)
	}
	shown, _ := p.Context(t.Context(), 1)
	if shown.Browser() == shared.Browser() {
		t.Fatal("a visible account runs in the shared headless browser")
	}
	if err := p.SetVisible(1, false); err != nil {
		t.Fatal(err)
	}
	if shown.Browser().IsConnected() {
		t.Error("the visible browser still runs with nothing in it")
	}
	if got := visit(t, p, 1, site.URL+"/whoami"); got != "anna" {
		t.Fatalf("back in the shared browser the site sees %q", got)
	}
}
