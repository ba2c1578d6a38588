package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"parley/app/backups"
	"parley/app/control"
	"parley/app/model"
	"parley/storage"
)

// Backup writes a snapshot to dest (a directory or a file name; empty
// means the data directory's backups folder). When a running Parley holds
// the database, it asks that instance over the control channel.
func Backup(ctx context.Context, c Context, dest string) error {
	if dest != "" {
		abs, err := filepath.Abs(dest)
		if err != nil {
			return fmt.Errorf("backup destination %q: %v", dest, err)
		}
		if os.IsPathSeparator(dest[len(dest)-1]) {
			abs += string(filepath.Separator)
		}
		dest = abs
	}
	p := c.Config.Paths
	if _, err := os.Stat(p.DB()); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("there is no database at %s yet; start Parley once, or pass the right --data-dir", p.DB())
	}

	store, err := storage.Open(storage.Options{
		Path: p.DB(), Logger: c.Logger, SnapshotDir: p.Backups(), AppVersion: c.Version,
	})
	if errors.Is(err, storage.ErrLocked) {
		return backupThroughInstance(ctx, c, dest)
	}
	if err != nil {
		return fmt.Errorf("cannot open the database: %v", err)
	}
	defer store.Close()
	svc, err := backups.New(backups.Options{Store: store, Paths: p, Logger: c.Logger, Keep: c.Config.BackupKeep})
	if err != nil {
		return err
	}
	run, err := svc.Run(ctx, backups.Request{Trigger: model.TriggerCLI, Actor: model.ActorCLI, Dest: dest})
	if err != nil {
		return errors.New(model.PublicMessage(err))
	}
	fmt.Fprintf(c.Stdout, "Backup written: %s (%d bytes, sha256 %s)\n", p.Abs(run.Path), run.Size, run.SHA256)
	return nil
}

func backupThroughInstance(ctx context.Context, c Context, dest string) error {
	client, err := control.Connect(ctx, c.Config.Paths)
	if err != nil {
		return fmt.Errorf("the database is in use by another process and no running Parley answers for %s", c.Config.Paths.Root)
	}
	res, err := client.Backup(ctx, dest)
	if err != nil {
		return fmt.Errorf("the running Parley could not write the backup: %v", err)
	}
	fmt.Fprintf(c.Stdout, "Backup written by the running Parley: %s (%d bytes, sha256 %s)\n", c.Config.Paths.Abs(res.Path), res.Size, res.SHA256)
	return nil
}
