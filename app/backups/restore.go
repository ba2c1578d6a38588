package backups

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"parley/app/config"
	"parley/app/model"
	"parley/storage"
)

// RestoreOptions configure Restore.
type RestoreOptions struct {
	Paths       config.Paths
	File        string
	Clock       model.Clock
	Logger      *slog.Logger
	AppVersion  string
	LockTimeout time.Duration
	// Running reports a live Parley instance using this data directory
	// (its URL), for when the lock alone cannot tell.
	Running func() (string, bool)
}

// RestoreResult says what Restore did.
type RestoreResult struct {
	File          string
	SHA256        string
	SchemaVersion int
	// PreRestore is where the replaced database was kept ("" when there
	// was none).
	PreRestore string
}

// Restore replaces the live database with a snapshot, after proving the
// snapshot is intact: its .sha256 must match, bbolt's full check must pass
// and its schema must not be newer than this build. The replaced database
// is kept as backups/pre-restore-<UTC time>.db. Any failed check leaves
// the live database untouched.
func Restore(o RestoreOptions) (res RestoreResult, err error) {
	if o.Clock == nil {
		o.Clock = model.SystemClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	src, err := filepath.Abs(o.File)
	if err != nil {
		return res, model.Wrap(model.CodeInvalid, err, "cannot use %s", o.File)
	}
	res.File = src
	fi, err := os.Stat(src)
	if err != nil {
		return res, model.Errorf(model.CodeInvalid, "cannot read %s: %v", src, errors.Unwrap(err))
	}
	if fi.IsDir() {
		return res, model.Errorf(model.CodeInvalid, "%s is a directory; give the snapshot file", src)
	}
	live := o.Paths.DB()
	if liveFi, err := os.Stat(live); err == nil && os.SameFile(fi, liveFi) {
		return res, model.Errorf(model.CodeInvalid, "%s is the live database itself", src)
	}
	want, err := storage.ReadChecksumFile(src)
	if err != nil {
		return res, model.Errorf(model.CodeInvalid, "refusing %s: %v (create one with sha256sum only if you trust the file)", filepath.Base(src), err)
	}

	// Hold the live database's lock while checking and copying, so a
	// Parley starting meanwhile waits instead of opening a file in flux.
	unlock, err := lockLive(live, o)
	if err != nil {
		return res, err
	}
	defer func() { unlock() }()

	tmp := filepath.Join(o.Paths.Root, fmt.Sprintf(".restore-%d.db", time.Now().UnixNano()))
	got, err := storage.CopyFileSync(src, tmp)
	if err != nil {
		return res, model.Wrap(model.CodeUnavailable, err, "cannot copy %s into the data directory", src)
	}
	keepTmp := false
	defer func() {
		if !keepTmp {
			os.Remove(tmp)
		}
	}()
	if got != want {
		return res, model.Errorf(model.CodeInvalid, "refusing %s: its SHA-256 is %s but %s.sha256 says %s; the file is damaged or was changed",
			filepath.Base(src), got, filepath.Base(src), want)
	}
	res.SHA256 = got
	info, err := storage.Verify(tmp, o.LockTimeout)
	if err != nil {
		return res, model.Errorf(model.CodeInvalid, "refusing %s: %s", filepath.Base(src), reason(err))
	}
	if !info.Parley || info.SchemaVersion == 0 {
		return res, model.Errorf(model.CodeInvalid, "refusing %s: it is not a Parley database", filepath.Base(src))
	}
	if latest := len(storage.Schema()); info.SchemaVersion > latest {
		return res, model.Errorf(model.CodeInvalid, "refusing %s: it has schema version %d, but this Parley supports up to version %d; restore it with a newer Parley",
			filepath.Base(src), info.SchemaVersion, latest)
	}
	res.SchemaVersion = info.SchemaVersion

	now := o.Clock.Now()
	if _, err := os.Stat(live); err == nil {
		res.PreRestore, err = preserve(live, o.Paths, now)
		if err != nil {
			return res, model.Wrap(model.CodeUnavailable, err, "cannot keep a copy of the current database, nothing was changed")
		}
	}
	unlock()
	unlock = func() {}
	if err := os.Rename(tmp, live); err != nil {
		return res, model.Wrap(model.CodeUnavailable, err, "cannot put the restored database in place, nothing was changed")
	}
	keepTmp = true
	if err := storage.SyncDir(o.Paths.Root); err != nil {
		o.Logger.Warn("restore: fsync of the data directory failed", "error", err)
	}
	if err := recordRestore(o, res, now); err != nil {
		return res, fmt.Errorf("the database was restored, but recording the restore failed: %w", err)
	}
	return res, nil
}

// lockLive takes a shared lock on the live database (none exists when the
// file is missing). A running Parley holds the exclusive lock, so this
// fails fast with a message that says so.
func lockLive(live string, o RestoreOptions) (func(), error) {
	running := func() error {
		msg := "Parley is running with this data directory"
		if o.Running != nil {
			if url, ok := o.Running(); ok {
				msg += " at " + url
			}
		}
		return model.Errorf(model.CodeConflict, "%s; stop it first, then run parley --restore again", msg)
	}
	if _, err := os.Stat(live); errors.Is(err, os.ErrNotExist) {
		return func() {}, nil
	}
	timeout := o.LockTimeout
	if timeout <= 0 {
		timeout = storage.DefaultLockTimeout
	}
	db, err := bolt.Open(live, 0o600, &bolt.Options{ReadOnly: true, Timeout: timeout})
	if err == nil {
		return func() { db.Close() }, nil
	}
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, running()
	}
	// The live file is damaged (often the reason for restoring). Its lock
	// cannot be taken through bbolt; rely on the instance file instead.
	if o.Running != nil {
		if _, ok := o.Running(); ok {
			return nil, running()
		}
	}
	return func() {}, nil
}

// preserve keeps the live database as backups/pre-restore-<time>.db with
// its checksum file: a hard link when the file system allows it (instant),
// otherwise a copy (FAT-formatted USB sticks have no hard links).
func preserve(live string, p config.Paths, now time.Time) (string, error) {
	if err := os.MkdirAll(p.Backups(), 0o700); err != nil {
		return "", err
	}
	dest := filepath.Join(p.Backups(), "pre-restore-"+now.Format(storage.FileTimeLayout)+".db")
	for i := 2; exists(dest); i++ {
		dest = filepath.Join(p.Backups(), fmt.Sprintf("pre-restore-%s-%d.db", now.Format(storage.FileTimeLayout), i))
	}
	var sum string
	var err error
	if err = os.Link(live, dest); err == nil {
		sum, err = storage.FileSHA256(dest)
	} else {
		sum, err = storage.CopyFileSync(live, dest)
	}
	if err != nil {
		os.Remove(dest)
		return "", err
	}
	if err := storage.WriteChecksumFile(dest, sum); err != nil {
		return "", err
	}
	return dest, storage.SyncDir(p.Backups())
}

// recordRestore opens the restored database (migrating it if it is older)
// and writes the restore into its event log, audit trail and backup_runs.
func recordRestore(o RestoreOptions, res RestoreResult, at time.Time) error {
	s, err := storage.Open(storage.Options{
		Path: o.Paths.DB(), Clock: o.Clock, Logger: o.Logger,
		SnapshotDir: o.Paths.Backups(), AppVersion: o.AppVersion, LockTimeout: o.LockTimeout,
	})
	if err != nil {
		return err
	}
	defer s.Close()
	return s.Update(func(tx *storage.Tx) error {
		if res.PreRestore != "" {
			fi, _ := os.Stat(res.PreRestore)
			sum, _ := storage.ReadChecksumFile(res.PreRestore)
			var size int64
			if fi != nil {
				size = fi.Size()
			}
			if _, err := tx.CreateBackupRun(model.BackupRun{
				Trigger: model.TriggerPreRestore, Actor: model.ActorCLI, StartedAt: at, FinishedAt: o.Clock.Now(),
				Path: o.Paths.Rel(res.PreRestore), Size: size, SHA256: sum, Outcome: model.BackupOK,
			}); err != nil {
				return err
			}
		}
		data, _ := json.Marshal(map[string]any{"file": res.File, "sha256": res.SHA256, "pre_restore": o.Paths.Rel(res.PreRestore)})
		if _, err := tx.AppendEvent(model.Event{Type: model.EventDBRestored, Data: data}); err != nil {
			return err
		}
		_, err := tx.AppendAudit(model.AuditRecord{
			Category: "data", Action: "db_restored", Actor: model.ActorCLI, Target: res.File,
			Outcome: model.OutcomeSuccess, Details: map[string]string{"sha256": res.SHA256, "pre_restore": o.Paths.Rel(res.PreRestore)},
		})
		return err
	})
}

func reason(err error) string {
	var ce *storage.CorruptError
	if errors.As(err, &ce) {
		return "it is damaged: " + ce.Reason
	}
	return err.Error()
}
