package sitetest

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// sourceFS is the package's Go source, for checks over the code.
func sourceFS(t *testing.T) fs.FS {
	t.Helper()
	return os.DirFS(".")
}

func TestStart(t *testing.T) {
	s, _ := newSite(t, Options{})
	base, stop, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("base URL %q", base)
	}
	res, err := http.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(b), "Email or phone") {
		t.Fatalf("GET /login: %d", res.StatusCode)
	}
	stop()
	stop() // twice is fine
	if _, err := http.Get(base + "/login"); err == nil {
		t.Fatal("still serving after stop")
	}
}

func TestSlowPages(t *testing.T) {
	const delay = 150 * time.Millisecond
	s, _ := newSite(t, Options{SlowPages: delay})
	c := newClient(t, s).as(s, alice)
	for _, p := range []string{"/login", "/feed/", "/in/anna-schmidt/"} {
		start := time.Now()
		c.get(p)
		if d := time.Since(start); d < delay {
			t.Errorf("%s took %s, want at least %s", p, d, delay)
		}
	}
	start := time.Now()
	c.invite("anna-schmidt", "")
	if d := time.Since(start); d < delay {
		t.Errorf("the invite call took %s, want at least %s", d, delay)
	}
	start = time.Now()
	c.page("/static/site.js")
	if d := time.Since(start); d >= delay {
		t.Errorf("a static file took %s; only pages are slow", d)
	}
	if len(s.Invites()) != 1 {
		t.Fatal("the slow invite was not sent")
	}
}

func TestNewRejectsUnknownOptions(t *testing.T) {
	for _, opts := range []Options{{Layout: "modern"}, {Locale: "it"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New(%+v) did not panic", opts)
				}
			}()
			New(opts)
		}()
	}
}

func TestStateEndpoint(t *testing.T) {
	s, _ := newSite(t, Options{})
	c := newClient(t, s).as(s, alice)
	c.invite("anna-schmidt", "Hi")
	var st stateView
	if err := json.Unmarshal([]byte(c.page("/_sitetest/state")), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Invites) != 1 || st.Relations[alice+" anna-schmidt"] != RelationPending {
		t.Fatalf("state %+v", st)
	}
	if strings.Contains(c.page("/_sitetest/state"), alicePW) {
		t.Fatal("the state shows a password")
	}
}
