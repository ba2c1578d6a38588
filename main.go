// Command parley is a local-first LinkedIn outreach workstation: one
// executable that serves a dashboard on localhost and keeps everything in
// one bbolt file.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	_ "time/tzdata" // IANA zones on systems without them (Windows)

	"parley/app"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

func main() {
	// SIGHUP is what closing the terminal sends; on Windows, closing the
	// console arrives as SIGTERM.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	exe, _ := os.Executable()
	code := app.Main(ctx, app.Env{
		Args:       os.Args[1:],
		Stdin:      os.Stdin,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		Environ:    os.Environ(),
		Executable: exe,
		Version:    buildVersion(),
	})
	stop()
	os.Exit(code)
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}
