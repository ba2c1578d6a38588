package security

import (
	"testing"
	"time"

	"parley/app/clocktest"
	"parley/app/config"
)

func TestLimiter(t *testing.T) {
	clock := clocktest.New(t0)
	l := NewLimiter(6*time.Second, 3, clock)
	for i := range 3 {
		if ok, _ := l.Allow("10.0.0.1"); !ok {
			t.Fatalf("burst request %d refused", i)
		}
	}
	ok, wait := l.Allow("10.0.0.1")
	if ok || wait != 6*time.Second {
		t.Fatalf("over the burst: ok=%v wait=%v", ok, wait)
	}
	if ok, _ := l.Allow("10.0.0.2"); !ok {
		t.Fatal("another IP is limited too")
	}
	clock.Advance(6 * time.Second)
	if ok, _ := l.Allow("10.0.0.1"); !ok {
		t.Fatal("no token after the interval")
	}
	// A refused request does not consume the next token.
	for range 10 {
		l.Allow("10.0.0.1")
	}
	clock.Advance(6 * time.Second)
	if ok, _ := l.Allow("10.0.0.1"); !ok {
		t.Fatal("refusals used up tokens")
	}
}

func TestIPPolicy(t *testing.T) {
	prefixes, err := config.ParsePrefixes("192.168.1.0/24, 10.0.0.7 ,2001:db8::/32")
	if err != nil {
		t.Fatal(err)
	}
	p := NewIPPolicy(prefixes)
	for ip, want := range map[string]bool{
		"127.0.0.1": true, "::1": true, "127.5.5.5": true,
		"192.168.1.20": true, "192.168.2.1": false, "10.0.0.7": true, "10.0.0.8": false,
		"::ffff:192.168.1.9": true, "2001:db8::1": true, "2001:db9::1": false, "not-an-ip": false, "": false,
	} {
		if got := p.Allowed(ip); got != want {
			t.Errorf("Allowed(%q) = %v", ip, got)
		}
	}
	if _, err := config.ParsePrefixes("10.0.0.0/33"); err == nil {
		t.Error("bad CIDR accepted")
	}
	if _, err := config.ParsePrefixes("example.com"); err == nil {
		t.Error("host name accepted")
	}
	if len(IPNets(prefixes)) != 3 {
		t.Error("IPNets lost ranges")
	}
}
