package app

import (
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"parley/app/accounts"
	"parley/app/clocktest"
	"parley/app/model"
	"parley/automation"
	"parley/automation/browser"
	"parley/storage/storagetest"
)

// TestAccountWindowSwitch: an account switched to a visible window works
// in a browser of its own from the next start on (the pool here keeps even
// that one headless), the others stay in the shared headless browser, and
// a computer without a desktop session refuses a window or a sign-in with
// the reason.
func TestAccountWindowSwitch(t *testing.T) {
	b, err := automation.FindBrowser(os.Getenv)
	if err != nil {
		t.Skipf("the window switch needs a browser: %v", err)
	}
	store := storagetest.Open(t, clocktest.New(time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)))
	svc := accounts.New(store)
	who := model.Origin{Actor: "alice", AuthMethod: "session"}
	in := accounts.Defaults("UTC", time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC))
	in.Name = "Anna"
	anna, err := svc.Create(in, who)
	if err != nil {
		t.Fatal(err)
	}
	in.Name = "Ben"
	ben, err := svc.Create(in, who)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ShowBrowser(anna.ID, true, who); err != nil {
		t.Fatal(err)
	}
	pool, err := browser.Open(browser.Options{Dir: t.TempDir(), Browser: b, Headless: true, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	ls := &linkedInSessions{ctx: t.Context(), pool: pool, store: store, log: slog.New(slog.DiscardHandler), signing: map[uint64]bool{}}

	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	for what, err := range map[string]error{"window": ls.ShowWindow(ben.ID, true), "sign-in": ls.StartLogin(ben.ID, who)} {
		if model.ErrorCode(err) != model.CodeConflict || !strings.Contains(err.Error(), "no desktop session") {
			t.Errorf("%s without a desktop: %v; want a conflict that says why", what, err)
		}
	}
	if err := ls.ShowWindow(ben.ID, false); err != nil {
		t.Errorf("going back to headless needs no desktop: %v", err)
	}

	t.Setenv("DISPLAY", ":0")
	if err := ls.showWindows(); err != nil {
		t.Fatal(err)
	}
	ac, err := pool.Context(t.Context(), anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	bc, err := pool.Context(t.Context(), ben.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ac.Browser() == bc.Browser() {
		t.Fatal("the account switched to a window works in the shared headless browser")
	}
	if err := ls.ShowWindow(anna.ID, false); err != nil {
		t.Fatal(err)
	}
	ac, _ = pool.Context(t.Context(), anna.ID)
	if ac.Browser() != bc.Browser() {
		t.Fatal("switched back, the account does not work in the shared browser")
	}
}
