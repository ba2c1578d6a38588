package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"parley/app/campaigns"
	"parley/app/control"
	"parley/app/model"
	"parley/storage"
)

// ImportArgs are the options of parley import FILE.
type ImportArgs struct {
	File       string
	List       string
	Duplicates string
}

// Import imports a CSV file: through the running instance when there is
// one, else on the database directly. It prints a summary and the first
// rows that were not imported, and fails only if the import itself failed.
func Import(ctx context.Context, c Context, a ImportArgs) error {
	if a.File == "" {
		return errors.New("import needs a file: parley import FILE --list NAME")
	}
	path, err := filepath.Abs(a.File)
	if err != nil {
		return err
	}
	if fi, err := os.Stat(path); err != nil || fi.IsDir() {
		return fmt.Errorf("cannot read %s", a.File)
	}
	p := c.Config.Paths
	store, err := storage.Open(storage.Options{Path: p.DB(), Logger: c.Logger, SnapshotDir: p.Backups(), AppVersion: c.Version})
	if errors.Is(err, storage.ErrLocked) {
		client, cerr := control.Connect(ctx, p)
		if cerr != nil {
			return fmt.Errorf("the database is in use by another process and no running Parley answers for %s", p.Root)
		}
		res, err := client.Import(ctx, control.ImportRequest{Path: path, List: a.List, Duplicates: a.Duplicates})
		if err != nil {
			return err
		}
		return printImport(c, res.Run, res.Rejects)
	}
	if err != nil {
		return fmt.Errorf("cannot open the database: %v", err)
	}
	defer store.Close()
	run, rejects, err := ImportFile(ctx, campaigns.New(store), path, a, model.Origin{Actor: model.ActorCLI, AuthMethod: "cli", PeerIP: "local"})
	if err != nil {
		return err
	}
	return printImport(c, run, rejects)
}

// maxRejectsPrinted bounds the rows listed on the terminal.
const maxRejectsPrinted = 50

// ImportFile runs one import of a local file and returns the run with its
// first rejected rows (the control channel uses it too).
func ImportFile(ctx context.Context, svc *campaigns.Service, path string, a ImportArgs, o model.Origin) (model.ImportRun, []model.ImportReject, error) {
	f, err := os.Open(path)
	if err != nil {
		return model.ImportRun{}, nil, fmt.Errorf("cannot read %s: %v", path, err)
	}
	defer f.Close()
	var size int64
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	run, err := svc.Import(ctx, f, campaigns.ImportOptions{File: filepath.Base(path), List: a.List, Duplicates: a.Duplicates, Size: size}, o)
	if err != nil && run.ID == 0 {
		// Refused before it started (no URL column, not a CSV…): a coded
		// error whose message says why.
		return run, nil, err
	}
	var rejects []model.ImportReject
	svc.ImportRejects(run.ID, func(r model.ImportReject) error {
		if len(rejects) == maxRejectsPrinted {
			return errStop
		}
		rejects = append(rejects, r)
		return nil
	})
	return run, rejects, nil
}

var errStop = errors.New("stop")

func printImport(c Context, run model.ImportRun, rejects []model.ImportReject) error {
	fmt.Fprintf(c.Stdout, "Import #%d of %s into the list %q: %d imported, %d updated, %d skipped, %d rejected (%d rows, %s).\n",
		run.ID, run.File, run.ListName, run.Imported, run.Updated, run.Skipped, run.Rejected, run.Rows, run.Encoding)
	for _, r := range rejects {
		kind := "rejected"
		if r.Skipped {
			kind = "skipped"
		}
		fmt.Fprintf(c.Stdout, "  line %d %s: %s\n", r.Line, kind, r.Reason)
	}
	if n := run.Skipped + run.Rejected; n > len(rejects) {
		fmt.Fprintf(c.Stdout, "  … and %d more: download them from the import's page (/imports/%d).\n", n-len(rejects), run.ID)
	}
	if run.Status != model.ImportDone {
		return fmt.Errorf("the import %s: %s", run.Status, run.Error)
	}
	return nil
}
