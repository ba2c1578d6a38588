package desktop

import (
	"errors"
	"fmt"
	"net"
	"syscall"
)

// Listen binds addr. When fallback is true and the port is taken, it binds
// a free port on the same host instead, so a double-clicked Parley starts
// even when another program holds the default port.
func Listen(addr string, fallback bool) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	if !isAddrInUse(err) {
		return nil, fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	if !fallback {
		return nil, fmt.Errorf("%s is already in use by another program; choose another with --addr (port 0 picks a free one)", addr)
	}
	host, _, _ := net.SplitHostPort(addr)
	ln, err2 := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err2 != nil {
		return nil, fmt.Errorf("cannot listen on %s (in use) nor on a free port: %w", addr, err2)
	}
	return ln, nil
}

func isAddrInUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE) || isWindowsAddrInUse(err)
}
