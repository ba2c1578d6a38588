// Package backups takes checksummed snapshots of the database (on demand,
// on a schedule and from the CLI), records every attempt in backup_runs,
// applies retention and restores a snapshot in place of the live database.
package backups

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"parley/app/config"
	"parley/app/model"
	"parley/storage"
)

// Options configure a Service.
type Options struct {
	Store  *storage.Store
	Paths  config.Paths
	Clock  model.Clock
	Logger *slog.Logger
	// Interval between scheduled snapshots; 0 turns the schedule off.
	Interval time.Duration
	// Keep is how many snapshots retention leaves in the backups folder.
	Keep int
	// StartDelay postpones an overdue scheduled backup after start so that
	// starting Parley stays fast (default 1 minute).
	StartDelay time.Duration
	// RetryDelay is the wait after a failed scheduled backup (default 30
	// minutes, never more than Interval).
	RetryDelay time.Duration
	// OnFailure, when set, is told about every failed backup (the runtime
	// opens an incident for it).
	OnFailure func(run model.BackupRun)
}

// Service runs backups. One backup runs at a time.
type Service struct {
	o       Options
	mu      sync.Mutex
	running atomic.Bool
	started time.Time
}

// Request describes one backup.
type Request struct {
	Trigger string
	Actor   string
	// Dest is a directory or a file name; empty means the backups folder.
	Dest      string
	RequestID string
	PeerIP    string
}

// New returns a service and marks runs left "running" by a crash as failed.
func New(o Options) (*Service, error) {
	if o.Clock == nil {
		o.Clock = model.SystemClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Keep <= 0 {
		o.Keep = 14
	}
	if o.StartDelay <= 0 {
		o.StartDelay = time.Minute
	}
	if o.RetryDelay <= 0 {
		o.RetryDelay = 30 * time.Minute
	}
	if o.Interval > 0 && o.RetryDelay > o.Interval {
		o.RetryDelay = o.Interval
	}
	s := &Service{o: o, started: o.Clock.Now()}
	return s, s.failInterrupted()
}

// Run takes one snapshot now and records the attempt, whatever its outcome.
func (s *Service) Run(ctx context.Context, req Request) (model.BackupRun, error) {
	if !s.mu.TryLock() {
		return model.BackupRun{}, model.Errorf(model.CodeConflict, "a backup is already running; wait for it to finish")
	}
	defer s.mu.Unlock()
	s.running.Store(true)
	defer s.running.Store(false)

	dest, inBackups, err := s.destination(req.Dest)
	if err != nil {
		return model.BackupRun{}, err
	}
	// The run is recorded once it has an outcome. Recording "running"
	// first would put that half-finished record inside the snapshot itself,
	// and a restored copy would then report its own backup as interrupted.
	run := model.BackupRun{
		Trigger: req.Trigger, Actor: req.Actor, StartedAt: s.o.Clock.Now(), Path: s.o.Paths.Rel(dest),
	}
	res, snapErr := s.o.Store.SnapshotToFile(dest)
	run.FinishedAt = s.o.Clock.Now()
	if snapErr != nil {
		run.Outcome = model.BackupFailed
		run.Error = describeFailure(snapErr)
		run.Duration = run.FinishedAt.Sub(run.StartedAt)
		s.o.Logger.Error("backup failed", "run", run.ID, "trigger", run.Trigger, "error", snapErr)
		if run.ID, err = s.finish(run, req, model.EventBackupFailed); err != nil {
			s.o.Logger.Error("backup failure could not be recorded", "error", err)
		}
		if s.o.OnFailure != nil {
			s.o.OnFailure(run)
		}
		return run, model.Wrap(model.CodeUnavailable, snapErr, "the backup failed: %s", run.Error)
	}
	run.Outcome = model.BackupOK
	run.Size, run.SHA256, run.Duration = res.Size, res.SHA256, res.Duration
	if run.ID, err = s.finish(run, req, model.EventBackupCompleted); err != nil {
		return run, fmt.Errorf("backups: record result: %w", err)
	}
	s.o.Logger.Info("backup written", "run", run.ID, "path", res.Path, "bytes", res.Size, "sha256", res.SHA256, "duration", res.Duration)
	if inBackups {
		if err := s.prune(ctx); err != nil {
			s.o.Logger.Warn("backup retention failed", "error", err)
		}
	}
	return run, nil
}

// finish stores the run with its outcome, event and audit record in one
// transaction and returns the run's id.
func (s *Service) finish(run model.BackupRun, req Request, eventType string) (uint64, error) {
	err := s.o.Store.Update(func(tx *storage.Tx) error {
		var err error
		if run.ID, err = tx.CreateBackupRun(run); err != nil {
			return err
		}
		data, _ := json.Marshal(map[string]any{
			"run": run.ID, "trigger": run.Trigger, "path": run.Path, "size": run.Size,
			"sha256": run.SHA256, "error": run.Error,
		})
		if _, err := tx.AppendEvent(model.Event{Type: eventType, Subject: fmt.Sprintf("backup_run:%d", run.ID), RequestID: req.RequestID, Data: data}); err != nil {
			return err
		}
		outcome := model.OutcomeSuccess
		if run.Outcome != model.BackupOK {
			outcome = model.OutcomeFailure
		}
		_, err = tx.AppendAudit(model.AuditRecord{
			Category: "data", Action: "backup_created", Actor: orDefault(req.Actor, model.ActorSystem),
			PeerIP: req.PeerIP, RequestID: req.RequestID, Target: run.Path, Outcome: outcome,
			Details: map[string]string{"trigger": run.Trigger, "sha256": run.SHA256, "error": run.Error},
		})
		return err
	})
	return run.ID, err
}

// destination resolves a requested destination. Files are never
// overwritten: an existing file name is refused.
func (s *Service) destination(dest string) (path string, inBackups bool, err error) {
	name := func(dir string) string {
		base := "parley-" + s.o.Clock.Now().Format(storage.FileTimeLayout)
		p := filepath.Join(dir, base+".db")
		for i := 2; exists(p); i++ {
			p = filepath.Join(dir, fmt.Sprintf("%s-%d.db", base, i))
		}
		return p
	}
	if dest == "" {
		return name(s.o.Paths.Backups()), true, nil
	}
	if !filepath.IsAbs(dest) {
		return "", false, model.Errorf(model.CodeInvalid, "backup destination %q must be an absolute path", dest)
	}
	if fi, err := os.Stat(dest); err == nil {
		if fi.IsDir() {
			return name(dest), sameDir(dest, s.o.Paths.Backups()), nil
		}
		return "", false, model.Errorf(model.CodeConflict, "%s already exists; choose a new file name or a directory", dest)
	}
	if strings.HasSuffix(dest, string(filepath.Separator)) || strings.HasSuffix(dest, "/") {
		return name(dest), sameDir(dest, s.o.Paths.Backups()), nil
	}
	return dest, false, nil
}

// failInterrupted records a failed run for every snapshot temp file left in
// the backups folder: Parley stopped (or crashed) while writing it. The
// temp file is deleted; the failure shows on the dashboard like any other.
func (s *Service) failInterrupted() error {
	leftovers, _ := filepath.Glob(filepath.Join(s.o.Paths.Backups(), ".*.db.tmp-*"))
	for _, tmp := range leftovers {
		fi, err := os.Stat(tmp)
		if err != nil {
			continue
		}
		final := strings.TrimPrefix(filepath.Base(tmp), ".")
		final = final[:strings.Index(final, ".tmp-")]
		run := model.BackupRun{
			Trigger: model.TriggerScheduled, Actor: model.ActorSystem, StartedAt: fi.ModTime().UTC(),
			FinishedAt: fi.ModTime().UTC(), Path: s.o.Paths.Rel(filepath.Join(s.o.Paths.Backups(), final)),
			Outcome: model.BackupFailed, Error: "interrupted: Parley stopped before this backup finished",
		}
		if _, err := s.finish(run, Request{Actor: model.ActorSystem}, model.EventBackupFailed); err != nil {
			return fmt.Errorf("backups: record interrupted backup: %w", err)
		}
		os.Remove(tmp)
		s.o.Logger.Warn("found an interrupted backup; recorded it as failed", "file", tmp)
	}
	return nil
}

// prune deletes the oldest snapshots in the backups folder beyond Keep.
// Only Parley's own parley-*.db files are touched; pre-migration and
// pre-restore copies are kept until the operator removes them.
func (s *Service) prune(context.Context) error {
	dir := s.o.Paths.Backups()
	matches, err := filepath.Glob(filepath.Join(dir, "parley-*.db"))
	if err != nil || len(matches) <= s.o.Keep {
		return err
	}
	sort.Sort(sort.Reverse(sort.StringSlice(matches)))
	doomed := matches[s.o.Keep:]
	pruned := map[string]bool{}
	var errs []error
	for _, p := range doomed {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		os.Remove(p + ".sha256")
		os.Remove(p + ".manifest.json")
		pruned[s.o.Paths.Rel(p)] = true
	}
	if len(pruned) > 0 {
		err := s.o.Store.Update(func(tx *storage.Tx) error {
			var names []string
			for before := uint64(0); ; {
				runs, err := tx.BackupRuns(before, 200)
				if err != nil || len(runs) == 0 {
					break
				}
				for _, r := range runs {
					if pruned[r.Path] && r.PrunedAt.IsZero() {
						r.PrunedAt = tx.Now()
						if err := tx.PutBackupRun(r); err != nil {
							return err
						}
					}
				}
				before = runs[len(runs)-1].ID
			}
			for p := range pruned {
				names = append(names, p)
			}
			sort.Strings(names)
			data, _ := json.Marshal(map[string]any{"deleted": names, "keep": s.o.Keep})
			_, err := tx.AppendEvent(model.Event{Type: model.EventBackupPruned, Data: data})
			return err
		})
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func describeFailure(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%s %s: %v", pe.Op, pe.Path, pe.Err)
	}
	return err.Error()
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

func sameDir(a, b string) bool {
	return filepath.Clean(a) == filepath.Clean(b)
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
