package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"parley/app/backups"
	"parley/app/control"
	"parley/app/health"
	"parley/automation/browser"
	"parley/storage"
)

// Doctor checks the installation and prints one line per check. It
// returns an error (exit status 1) when any check fails.
func Doctor(ctx context.Context, c Context) error {
	d := &doctor{c: c}
	p := c.Config.Paths
	fmt.Fprintf(c.Stdout, "Parley %s doctor — data directory %s\n\n", c.Version, p.Root)

	d.check("configuration", func() (string, error) {
		return fmt.Sprintf("%d settings resolved", len(c.Values)), nil
	})
	for _, w := range c.Config.Warnings {
		d.warn("configuration", w)
	}
	d.check("data directory", func() (string, error) { return checkDataDir(p.Root) })
	d.browserChecks(ctx, p.BrowserProfiles())

	client, running := control.Connect(ctx, p)
	if running == nil {
		d.info("instance", fmt.Sprintf("Parley is running at %s (pid %d); the database is examined by it", client.Instance.URL, client.Instance.PID))
	} else {
		d.info("instance", "Parley is not running")
	}

	var rep health.Report
	var repErr error
	switch {
	case running == nil:
		rep, repErr = client.Health(ctx)
	default:
		if _, err := os.Stat(p.DB()); errors.Is(err, os.ErrNotExist) {
			d.info("database", "no database yet; it is created on the first start")
			return d.result()
		}
		rep, repErr = examineFile(p.DB())
	}
	d.check("database", func() (string, error) {
		if repErr != nil {
			return "", repErr
		}
		if rep.IntegrityError != "" {
			return "", errors.New(rep.IntegrityError + "; restore the newest good snapshot with parley --restore FILE")
		}
		return fmt.Sprintf("consistent, schema version %d (checked in %s)", rep.SchemaVersion, rep.Took.Round(time.Millisecond)), nil
	})
	if repErr != nil {
		return d.result()
	}
	d.check("audit trail", func() (string, error) {
		if !rep.Audit.OK() {
			return "", fmt.Errorf("chain broken at record %d: %s", rep.Audit.BrokenAt, rep.Audit.Problem)
		}
		return fmt.Sprintf("%d records, chain intact", rep.Audit.Records), nil
	})
	d.check("backups", func() (string, error) {
		if rep.LastFailure != nil {
			return "", fmt.Errorf("the last backup failed at %s: %s", rep.LastFailure.FinishedAt.Format(time.RFC3339), rep.LastFailure.Error)
		}
		if rep.LastOK == nil {
			return "none yet; run parley --backup or wait for the schedule", nil
		}
		age := time.Since(rep.LastOK.FinishedAt).Round(time.Minute)
		if iv := c.Config.BackupInterval; iv > 0 && age > 2*iv+time.Hour {
			return "", fmt.Errorf("the newest backup is %s old, more than twice the %s interval", age, iv)
		}
		return fmt.Sprintf("last written %s ago: %s", age, p.Abs(rep.LastOK.Path)), nil
	})
	d.check("newest snapshot", func() (string, error) {
		if good, ok := backups.NewestGood(p); ok {
			return "checksum verified: " + good, nil
		}
		if rep.LastOK == nil {
			return "no snapshots yet", nil
		}
		return "", fmt.Errorf("no snapshot in %s matches its .sha256 file", p.Backups())
	})
	return d.result()
}

// examineFile checks a database that no process holds open.
func examineFile(path string) (health.Report, error) {
	if _, err := storage.Verify(path, storage.DefaultLockTimeout); err != nil {
		var ce *storage.CorruptError
		if errors.As(err, &ce) {
			return health.Report{IntegrityError: err.Error()}, nil
		}
		return health.Report{}, err
	}
	store, err := storage.Open(storage.Options{Path: path, ReadOnly: true})
	if err != nil {
		return health.Report{}, err
	}
	defer store.Close()
	return health.Examine(store)
}

func checkDataDir(root string) (string, error) {
	fi, err := os.Stat(root)
	if err != nil {
		return "", fmt.Errorf("%s does not exist; it is created on the first start", root)
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("%s is not a directory", root)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("%s is readable by other users (mode %v); run chmod 700 %s", root, fi.Mode().Perm(), root)
	}
	probe, err := os.CreateTemp(root, ".doctor-*")
	if err != nil {
		return "", fmt.Errorf("%s is not writable: %v", root, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	return "present, private and writable", nil
}

// browserChecks reports what browser sessions need (browser, Node.js,
// playwright driver) and whether the saved sessions are private. Only a
// missing or broken piece fails; a driver that is fetched on first use is
// a warning.
func (d *doctor) browserChecks(ctx context.Context, dir string) {
	r := browser.Probe(ctx, os.Getenv)
	d.check("browser", func() (string, error) {
		b := r.Browser
		if b.Status == browser.Missing {
			return "", fmt.Errorf("%s; %s. %s", b.Problem, b.Fix, r.Fallback)
		}
		return fmt.Sprintf("%s at %s (%s)", b.Version, b.Path, b.How), nil
	})
	d.piece("Node.js", r.Node, func() string {
		return fmt.Sprintf("Node.js %s at %s (%s) runs the playwright driver", r.Node.Version, r.Node.Path, r.Node.How)
	})
	d.piece("playwright driver", r.Driver, func() string {
		return fmt.Sprintf("playwright driver %s in %s", r.Driver.Version, r.Driver.Path)
	})
	if r.Root {
		d.info("browser", "Parley runs as root, so Chromium starts without its sandbox (--no-sandbox); run Parley as a normal user to keep the sandbox")
	}
	d.check("browser sessions", func() (string, error) { return checkSessions(dir) })
}

// piece prints one line for p: ok, a warning (something happens on first
// use) or a failure with its fix.
func (d *doctor) piece(what string, p browser.Piece, ok func() string) {
	switch p.Status {
	case browser.Later:
		d.warn("browser", fmt.Sprintf("%s: %s (%s)", what, p.Problem, p.Fix))
	default:
		d.check("browser", func() (string, error) {
			if p.Status == browser.Missing {
				return "", fmt.Errorf("%s: %s; %s", what, p.Problem, p.Fix)
			}
			return ok(), nil
		})
	}
}

// checkSessions: the saved browser sessions hold LinkedIn session cookies,
// so the folder must be 0700 and everything in it 0600.
func checkSessions(dir string) (string, error) {
	s, err := browser.ListSessions(dir)
	switch {
	case err != nil:
		return "", err
	case !s.Exists:
		return "no saved sessions yet; " + dir + " is created on the first start", nil
	case !s.DirPrivate:
		return "", fmt.Errorf("%s is readable by other users (mode %v) and holds LinkedIn session cookies; run chmod -R go-rwx %s", dir, s.DirMode, dir)
	case len(s.Exposed) > 0:
		return "", fmt.Errorf("readable by other users: %s; these hold LinkedIn session cookies: run chmod -R go-rwx %s", strings.Join(s.Exposed, ", "), dir)
	}
	return fmt.Sprintf("%d saved, readable only by you (folder 0700, files 0600): %s", len(s.Saved), dir), nil
}

type doctor struct {
	c        Context
	problems int
}

func (d *doctor) check(name string, fn func() (string, error)) {
	msg, err := fn()
	if err != nil {
		d.problems++
		fmt.Fprintf(d.c.Stdout, "  FAIL  %-16s %v\n", name, err)
		return
	}
	fmt.Fprintf(d.c.Stdout, "  ok    %-16s %s\n", name, msg)
}

func (d *doctor) warn(name, msg string) { fmt.Fprintf(d.c.Stdout, "  warn  %-16s %s\n", name, msg) }
func (d *doctor) info(name, msg string) { fmt.Fprintf(d.c.Stdout, "  info  %-16s %s\n", name, msg) }

func (d *doctor) result() error {
	if d.problems > 0 {
		return fmt.Errorf("doctor found %d problem(s); see the FAIL lines above", d.problems)
	}
	fmt.Fprintln(d.c.Stdout, "\nAll checks passed.")
	return nil
}
