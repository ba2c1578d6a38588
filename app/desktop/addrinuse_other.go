//go:build !windows

package desktop

func isWindowsAddrInUse(error) bool { return false }
