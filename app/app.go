// Package app is the composition root: it parses the command line, loads
// the configuration and wires storage, services and edges together.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"parley/app/cli"
	"parley/app/config"
	"parley/app/logging"
)

// Env is everything the process hands to Parley; tests build their own.
type Env struct {
	Args       []string
	Stdin      io.Reader
	Stdout     io.Writer
	Stderr     io.Writer
	Environ    []string
	Executable string
	Version    string
	// OpenBrowser opens the dashboard; nil uses the desktop default.
	OpenBrowser func(url string) error
}

// Main runs one invocation and returns the process exit status. Failures
// print exactly one line to stderr.
func Main(ctx context.Context, env Env) int {
	err := run(ctx, env)
	if err == nil {
		return 0
	}
	fmt.Fprintln(env.Stderr, "parley: "+oneLine(err.Error()))
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

func run(ctx context.Context, env Env) error {
	cmd, err := parseArgs(env.Args)
	if err != nil {
		return err
	}
	switch cmd.name {
	case "help":
		usage(env.Stdout, env.Version)
		return nil
	case "version":
		fmt.Fprintf(env.Stdout, "parley %s\n", env.Version)
		return nil
	}
	if cmd.name == "demo" {
		flags, stop, err := prepareDemo(ctx, env)
		if err != nil {
			return err
		}
		defer stop()
		for k, v := range flags {
			cmd.flags[k] = v
		}
	}
	cfg, values, err := config.Load(config.Source{
		Flags: cmd.flags, Environ: env.Environ, Executable: env.Executable, Portable: cmd.portable,
	})
	if err != nil {
		return err
	}
	if cmd.name == "serve" || cmd.name == "demo" || cmd.portable {
		if err := cfg.Paths.Ensure(); err != nil {
			return err
		}
	}
	switch cmd.name {
	case "serve":
		return serve(ctx, env, cfg, runtimeTuning{})
	case "demo":
		return serve(ctx, env, cfg, demoTuning)
	}

	// CLI commands log to the file only: stderr is for their one-line result.
	redactor := logging.NewRedactor(cfg.Secrets()...)
	log, closer, lerr := cliLogger(cfg, redactor)
	if lerr != nil {
		log = slog.New(slog.DiscardHandler)
	}
	defer closer.Close()
	c := cli.Context{Config: cfg, Values: values, Logger: log, Stdout: env.Stdout, Version: env.Version}
	switch cmd.name {
	case "backup":
		return cli.Backup(ctx, c, cmd.backupPath)
	case "restore":
		return cli.Restore(ctx, c, cmd.restoreFile)
	case "doctor":
		return cli.Doctor(ctx, c)
	case "import":
		a := cmd.importArgs
		return cli.Import(ctx, c, cli.ImportArgs{File: a.file, List: a.list, Duplicates: a.duplicates})
	case "admin":
		a := cmd.admin
		return cli.Admin(ctx, c, cli.AdminArgs{
			Action: a.action, User: a.user, IP: a.ip, Name: a.name, Scope: a.scope,
			PasswordStdin: a.passwordStdin, Stdin: env.Stdin, Stderr: env.Stderr,
		})
	case "pause":
		return cli.Pause(ctx, c, cmd.control)
	case "resume":
		return cli.Resume(ctx, c, cmd.control)
	case "status":
		return cli.Status(ctx, c, cmd.control)
	case "selectors":
		return cli.Selectors(c, cmd.selectors)
	}
	return usageError{"unknown command " + cmd.name}
}

func cliLogger(cfg config.Config, r *logging.Redactor) (*slog.Logger, io.Closer, error) {
	log, closer, err := logging.New(logging.Options{
		Level: cfg.LogLevel, File: cfg.Paths.LogFile(), MaxMB: cfg.LogMaxMB, MaxFiles: cfg.LogMaxFiles, Redactor: r,
	})
	if err != nil {
		return nil, io.NopCloser(nil), err
	}
	return log, closer, nil
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\r", " ")
	return strings.ReplaceAll(s, "\n", " ")
}
