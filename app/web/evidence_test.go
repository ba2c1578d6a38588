package web

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"parley/app/model"
	"parley/storage"
)

// TestEvidenceLinkedAndServed: an incident that names evidence links the
// screenshot and the page copy; the screenshot is served as an image, the
// page copy as plain text that cannot run, and nothing outside evidence/
// (nor anything else in it) is served.
func TestEvidenceLinkedAndServed(t *testing.T) {
	f := newFixture(t)
	f.signIn()
	dir := filepath.Join(f.paths.Evidence(), "account-1")
	os.MkdirAll(dir, 0o700)
	os.WriteFile(filepath.Join(dir, "20261204T101500.000Z-checkpoint.png"), []byte("\x89PNG\r\n\x1a\nfake"), 0o600)
	os.WriteFile(filepath.Join(dir, "20261204T101500.000Z-checkpoint.html"), []byte("<script>alert(1)</script><h1>Security check</h1>"), 0o600)
	var in model.Incident
	f.store.Update(func(tx *storage.Tx) (err error) {
		in, err = tx.CreateIncident(model.Incident{Severity: model.Sev2, Kind: "account_challenge", State: model.IncidentOpen,
			Title:    "A met a LinkedIn checkpoint and was quarantined: LinkedIn asks for a security check (evidence: account-1/20261204T101500.000Z-checkpoint.png)",
			OpenedAt: tx.Now(), UpdatedAt: tx.Now()})
		return err
	})
	body := f.do(req{path: "/incidents/" + itoa(int(in.ID)), session: true}).Body.String()
	if !strings.Contains(body, `href="/evidence/account-1/20261204T101500.000Z-checkpoint.png"`) || !strings.Contains(body, `href="/evidence/account-1/20261204T101500.000Z-checkpoint.html"`) {
		t.Fatal("the incident page does not link its evidence")
	}
	rec := f.do(req{path: "/evidence/account-1/20261204T101500.000Z-checkpoint.png", session: true})
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("screenshot = %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	rec = f.do(req{path: "/evidence/account-1/20261204T101500.000Z-checkpoint.html", session: true})
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain") || !strings.Contains(rec.Body.String(), "<script>") {
		t.Fatalf("page copy = %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	os.WriteFile(filepath.Join(f.paths.Evidence(), "notes.txt"), []byte("x"), 0o600)
	for _, p := range []string{"/evidence/../parley.db", "/evidence/%2e%2e/parley.db", "/evidence/notes.txt", "/evidence/account-1/missing.png", "/evidence/"} {
		if rec := f.do(req{path: p, session: true}); rec.Code != http.StatusNotFound {
			t.Errorf("%s = %d; want 404", p, rec.Code)
		}
	}
	if rec := f.do(req{path: "/evidence/account-1/20261204T101500.000Z-checkpoint.png"}); rec.Code == http.StatusOK {
		t.Error("evidence was served without a session")
	}
}
