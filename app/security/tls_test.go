package security

import (
	"crypto/x509"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestSelfSignedCertificate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tls")
	hosts := []string{"localhost", "127.0.0.1", "::1", "parley.lan"}
	cfg, err := TLSConfig("", "", dir, hosts, t0)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(cfg.Certificates[0].Certificate[0])
	if err := leaf.VerifyHostname("parley.lan"); err != nil {
		t.Fatal(err)
	}
	if err := leaf.VerifyHostname("127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(filepath.Join(dir, "key.pem")); fi.Mode().Perm() != 0o600 {
		t.Fatalf("key mode %v", fi.Mode().Perm())
	}
	// Reused while valid...
	again, _ := TLSConfig("", "", dir, hosts, t0.Add(24*time.Hour))
	if string(again.Certificates[0].Certificate[0]) != string(cfg.Certificates[0].Certificate[0]) {
		t.Fatal("certificate regenerated needlessly")
	}
	// ...renewed near expiry or for a new host name.
	renewed, _ := TLSConfig("", "", dir, hosts, t0.Add(340*24*time.Hour))
	if string(renewed.Certificates[0].Certificate[0]) == string(cfg.Certificates[0].Certificate[0]) {
		t.Fatal("expiring certificate kept")
	}
	more, _ := TLSConfig("", "", dir, append(hosts, "desk.local"), t0.Add(340*24*time.Hour))
	leaf, _ = x509.ParseCertificate(more.Certificates[0].Certificate[0])
	if leaf.VerifyHostname("desk.local") != nil {
		t.Fatal("new host not covered")
	}
	if _, err := TLSConfig("/nope/cert.pem", "/nope/key.pem", dir, hosts, t0); err == nil {
		t.Fatal("missing operator certificate accepted")
	}
}
