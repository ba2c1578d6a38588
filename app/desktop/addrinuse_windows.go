package desktop

import (
	"errors"
	"syscall"
)

// WSAEADDRINUSE is Winsock's "address already in use".
const wsaeaddrinuse syscall.Errno = 10048

func isWindowsAddrInUse(err error) bool { return errors.Is(err, wsaeaddrinuse) }
