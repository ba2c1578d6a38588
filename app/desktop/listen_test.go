package desktop

import (
	"net"
	"strings"
	"testing"
)

func TestListenFallsBackOnlyWhenAllowed(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	addr := busy.Addr().String()

	ln, err := Listen(addr, true)
	if err != nil {
		t.Fatalf("fallback: %v", err)
	}
	if ln.Addr().String() == addr || !strings.HasPrefix(ln.Addr().String(), "127.0.0.1:") {
		t.Fatalf("fallback address %s", ln.Addr())
	}
	ln.Close()

	_, err = Listen(addr, false)
	if err == nil || !strings.Contains(err.Error(), "already in use") || !strings.Contains(err.Error(), "--addr") {
		t.Fatalf("no fallback: %v", err)
	}
	if _, err := Listen("256.0.0.1:1", true); err == nil || strings.Contains(err.Error(), "already in use") {
		t.Fatalf("bad address: %v", err)
	}
}

func TestOpenBrowserRefusesNonHTTP(t *testing.T) {
	for _, u := range []string{"file:///etc/passwd", "javascript:alert(1)", "::"} {
		if err := OpenBrowser(u); err == nil {
			t.Errorf("OpenBrowser(%q) accepted", u)
		}
	}
}
