//go:build freebsd || openbsd || netbsd

package desktop

func openCommand(u string) (string, []string) { return "xdg-open", []string{u} }
