// Package cli implements Parley's one-shot commands (--backup, --restore,
// doctor, import, admin, pause, resume, status). Each prints its result to
// stdout and returns an error whose text is the one line shown on stderr.
package cli

import (
	"io"
	"log/slog"

	"parley/app/config"
)

// Context is what every command receives.
type Context struct {
	Config  config.Config
	Values  []config.Value
	Logger  *slog.Logger
	Stdout  io.Writer
	Version string
}
