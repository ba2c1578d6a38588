package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"

	"parley/app/backups"
	"parley/app/control"
	"parley/app/health"
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
