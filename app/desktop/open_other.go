//go:build !linux && !darwin && !windows && !freebsd && !openbsd && !netbsd

package desktop

func openCommand(u string) (string, []string) { return "", nil }
