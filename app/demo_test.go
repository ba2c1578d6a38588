package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"parley/automation"
)

// syncBuffer is a writer the test reads while Parley writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestDemoSendsInvitesOnTheTestSite: parley demo starts the test site and
// a seeded Parley, whose demo account starts inviting the sample leads on
// its own, in a real browser; then it stops cleanly and leaves the data
// folder it named.
func TestDemoSendsInvitesOnTheTestSite(t *testing.T) {
	if _, err := automation.FindBrowser(os.Getenv); err != nil {
		t.Skipf("the demo needs a browser: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, Env{Args: []string{"demo", "--no-browser", "--addr", "127.0.0.1:0"}, Stdout: &out, Stderr: &errb,
			Environ: os.Environ(), Version: "test"})
	}()
	siteRe := regexp.MustCompile(`test site at (http://\S+), data in (\S+) \(`)
	var site, dataDir string
	deadline := time.Now().Add(3 * time.Minute)
	invites := 0
	for time.Now().Before(deadline) {
		select {
		case code := <-done:
			t.Fatalf("parley demo ended early with %d: %s %s", code, out.String(), errb.String())
		case <-time.After(time.Second):
		}
		if site == "" {
			if m := siteRe.FindStringSubmatch(out.String()); m != nil {
				site, dataDir = m[1], m[2]
				t.Cleanup(func() { os.RemoveAll(dataDir) })
			}
			continue
		}
		resp, err := http.Get(site + "/_sitetest/state")
		if err != nil {
			continue
		}
		var st struct{ Invites []json.RawMessage }
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		json.Unmarshal(b, &st)
		if invites = len(st.Invites); invites >= 2 {
			break
		}
	}
	if invites < 2 {
		t.Fatalf("the demo sent %d invites in 3 minutes:\n%s\n%s", invites, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "Parley is running at http://127.0.0.1:") {
		t.Errorf("stdout: %s", out.String())
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("parley demo exited %d: %s", code, errb.String())
		}
	case <-time.After(time.Minute):
		t.Fatal("parley demo did not stop")
	}
	if _, err := os.Stat(dataDir + "/parley.db"); err != nil {
		t.Errorf("the demo's data folder: %v", err)
	}
}
