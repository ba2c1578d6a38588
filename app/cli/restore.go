package cli

import (
	"context"
	"errors"
	"fmt"

	"parley/app/backups"
	"parley/app/control"
	"parley/app/model"
)

// Restore replaces the database with a verified snapshot. It refuses while
// Parley is running.
func Restore(ctx context.Context, c Context, file string) error {
	running := func() (string, bool) {
		client, err := control.Connect(ctx, c.Config.Paths)
		if err != nil {
			return "", false
		}
		return client.Instance.URL, true
	}
	res, err := backups.Restore(backups.RestoreOptions{
		Paths: c.Config.Paths, File: file, Logger: c.Logger, AppVersion: c.Version, Running: running,
	})
	if err != nil {
		if model.ErrorCode(err) == model.CodeInternal {
			return err
		}
		return errors.New(model.PublicMessage(err))
	}
	fmt.Fprintf(c.Stdout, "Restored %s into %s (schema version %d, sha256 %s).\n", res.File, c.Config.Paths.DB(), res.SchemaVersion, res.SHA256)
	if res.PreRestore != "" {
		fmt.Fprintf(c.Stdout, "The database it replaced is kept as %s.\n", res.PreRestore)
	}
	return nil
}
