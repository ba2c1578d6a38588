package logging

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"gopkg.in/natefinch/lumberjack.v2"
)

// Options configure New.
type Options struct {
	Level slog.Level
	// Stderr receives human-readable logs at StderrLevel or above; nil
	// means none (CLI commands keep stderr for their one-line result).
	Stderr      io.Writer
	StderrJSON  bool
	StderrLevel slog.Level
	// File is the log file (JSON lines, rotated); empty means none.
	File     string
	MaxMB    int
	MaxFiles int
	Redactor *Redactor
}

// New builds the process logger: one redacting handler in front of every
// sink. The returned closer closes the log file.
func New(o Options) (*slog.Logger, io.Closer, error) {
	hopts := &slog.HandlerOptions{Level: o.Level}
	var sinks []slog.Handler
	var closer io.Closer = nopCloser{}
	if o.Stderr != nil {
		sopts := &slog.HandlerOptions{Level: max(o.Level, o.StderrLevel)}
		if o.StderrJSON {
			sinks = append(sinks, slog.NewJSONHandler(o.Stderr, sopts))
		} else {
			sinks = append(sinks, slog.NewTextHandler(o.Stderr, sopts))
		}
	}
	if o.File != "" {
		if err := os.MkdirAll(filepath.Dir(o.File), 0o700); err != nil {
			return nil, nil, err
		}
		lj := &lumberjack.Logger{Filename: o.File, MaxSize: o.MaxMB, MaxBackups: o.MaxFiles, Compress: true}
		// lumberjack creates new files 0600 and keeps the mode on rotation.
		sinks = append(sinks, slog.NewJSONHandler(lj, hopts))
		closer = lj
	}
	r := o.Redactor
	if r == nil {
		r = NewRedactor()
	}
	return slog.New(NewHandler(slog.NewMultiHandler(sinks...), r)), closer, nil
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }
