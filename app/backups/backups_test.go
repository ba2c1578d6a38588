package backups

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"parley/app/clocktest"
	"parley/app/config"
	"parley/app/model"
	"parley/storage"
	"parley/storage/storagetest"
)

var t0 = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

type fixture struct {
	store *storage.Store
	paths config.Paths
	clock *clocktest.Clock
	svc   *Service
}

func newFixture(t *testing.T, o Options) *fixture {
	t.Helper()
	clock := clocktest.New(t0)
	store := storagetest.Open(t, clock)
	paths := config.Paths{Root: filepath.Dir(store.Path())}
	if err := paths.Ensure(); err != nil {
		t.Fatal(err)
	}
	o.Store, o.Paths, o.Clock = store, paths, clock
	svc, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{store: store, paths: paths, clock: clock, svc: svc}
}

func (f *fixture) events(t *testing.T, typ string) []model.Event {
	t.Helper()
	var out []model.Event
	f.store.View(func(tx *storage.Tx) error {
		evs, _ := tx.EventsAfter(0, 1000)
		for _, e := range evs {
			if e.Type == typ {
				out = append(out, e)
			}
		}
		return nil
	})
	return out
}

func (f *fixture) audits(t *testing.T) []model.AuditRecord {
	t.Helper()
	var out []model.AuditRecord
	f.store.View(func(tx *storage.Tx) error { out, _ = tx.RecentAudit(0, 100); return nil })
	return out
}

func TestRunWritesVerifiedSnapshotAndRecordsIt(t *testing.T) {
	f := newFixture(t, Options{})
	run, err := f.svc.Run(context.Background(), Request{Trigger: model.TriggerManual, Actor: "dashboard", RequestID: "req-1", PeerIP: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	if run.ID == 0 || run.Outcome != model.BackupOK || run.Size == 0 || len(run.SHA256) != 64 {
		t.Fatalf("run = %+v", run)
	}
	if run.Path != filepath.Join("backups", "parley-20261203T090000Z.db") {
		t.Fatalf("path %q is not relative to the data dir", run.Path)
	}
	abs := f.paths.Abs(run.Path)
	if sum, _ := storage.FileSHA256(abs); sum != run.SHA256 {
		t.Fatal("file does not match the recorded checksum")
	}
	if recorded, _ := storage.ReadChecksumFile(abs); recorded != run.SHA256 {
		t.Fatal(".sha256 file does not match")
	}
	var m model.SnapshotManifest
	b, _ := os.ReadFile(abs + ".manifest.json")
	if err := json.Unmarshal(b, &m); err != nil || m.SHA256 != run.SHA256 || m.SchemaVersion != len(storage.Schema()) || m.Size != run.Size || m.File != filepath.Base(abs) {
		t.Fatalf("manifest = %+v %v", m, err)
	}
	if _, err := storage.Verify(abs, 0); err != nil {
		t.Fatalf("snapshot does not verify: %v", err)
	}
	if evs := f.events(t, model.EventBackupCompleted); len(evs) != 1 || evs[0].RequestID != "req-1" {
		t.Fatalf("events = %+v", evs)
	}
	if a := f.audits(t); len(a) != 1 || a[0].Action != "backup_created" || a[0].Outcome != model.OutcomeSuccess || a[0].Actor != "dashboard" || a[0].PeerIP != "127.0.0.1" {
		t.Fatalf("audit = %+v", a)
	}
	st, _ := f.svc.Status()
	if st.LastOK == nil || st.LastOK.ID != run.ID || st.LastFailure != nil {
		t.Fatalf("status = %+v", st)
	}
}

func TestRunDestinations(t *testing.T) {
	f := newFixture(t, Options{})
	ctx := context.Background()
	dir := t.TempDir()
	run, err := f.svc.Run(ctx, Request{Trigger: model.TriggerCLI, Dest: dir})
	if err != nil || filepath.Dir(run.Path) != dir {
		t.Fatalf("directory destination: %+v %v", run, err)
	}
	file := filepath.Join(dir, "mine.db")
	run, err = f.svc.Run(ctx, Request{Trigger: model.TriggerCLI, Dest: file})
	if err != nil || run.Path != file {
		t.Fatalf("file destination: %+v %v", run, err)
	}
	newDir := filepath.Join(dir, "new") + string(filepath.Separator)
	if run, err = f.svc.Run(ctx, Request{Trigger: model.TriggerCLI, Dest: newDir}); err != nil || filepath.Dir(run.Path) != filepath.Clean(newDir) {
		t.Fatalf("new directory destination: %+v %v", run, err)
	}
	if _, err := f.svc.Run(ctx, Request{Trigger: model.TriggerCLI, Dest: file}); model.ErrorCode(err) != model.CodeConflict || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("existing file: %v", err)
	}
	if _, err := f.svc.Run(ctx, Request{Trigger: model.TriggerCLI, Dest: "relative.db"}); model.ErrorCode(err) != model.CodeInvalid {
		t.Fatalf("relative path: %v", err)
	}
	// Two backups in the same second get distinct names.
	a, _ := f.svc.Run(ctx, Request{Trigger: model.TriggerManual})
	b, _ := f.svc.Run(ctx, Request{Trigger: model.TriggerManual})
	if a.Path == b.Path || !strings.HasSuffix(b.Path, "-2.db") {
		t.Fatalf("same-second names: %s %s", a.Path, b.Path)
	}
}

func TestFailedBackupIsRecordedAnnouncedAndClearedBySuccess(t *testing.T) {
	f := newFixture(t, Options{})
	blocker := filepath.Join(t.TempDir(), "file")
	os.WriteFile(blocker, nil, 0o600)
	run, err := f.svc.Run(context.Background(), Request{Trigger: model.TriggerScheduled, Dest: filepath.Join(blocker, "x.db")})
	if err == nil || model.ErrorCode(err) != model.CodeUnavailable {
		t.Fatalf("err = %v", err)
	}
	if run.ID == 0 || run.Outcome != model.BackupFailed || !strings.Contains(run.Error, blocker) {
		t.Fatalf("run = %+v", run)
	}
	if evs := f.events(t, model.EventBackupFailed); len(evs) != 1 {
		t.Fatalf("backup.failed events = %d", len(evs))
	}
	if a := f.audits(t); len(a) != 1 || a[0].Outcome != model.OutcomeFailure {
		t.Fatalf("audit = %+v", a)
	}
	st, _ := f.svc.Status()
	if st.LastFailure == nil || st.LastFailure.ID != run.ID {
		t.Fatalf("status after failure = %+v", st)
	}
	if _, err := f.svc.Run(context.Background(), Request{Trigger: model.TriggerManual}); err != nil {
		t.Fatal(err)
	}
	st, _ = f.svc.Status()
	if st.LastFailure != nil || st.LastOK == nil {
		t.Fatalf("a success did not clear the failure: %+v", st)
	}
}

func TestOneBackupAtATime(t *testing.T) {
	f := newFixture(t, Options{})
	f.svc.mu.Lock()
	_, err := f.svc.Run(context.Background(), Request{Trigger: model.TriggerManual})
	f.svc.mu.Unlock()
	if model.ErrorCode(err) != model.CodeConflict || !strings.Contains(err.Error(), "already running") {
		t.Fatalf("err = %v", err)
	}
}

func TestRetentionKeepsNewestAndSparesSafetyCopies(t *testing.T) {
	f := newFixture(t, Options{Keep: 3})
	safety := filepath.Join(f.paths.Backups(), "pre-restore-20260101T000000Z.db")
	os.WriteFile(safety, []byte("x"), 0o600)
	var runs []model.BackupRun
	for range 5 {
		f.clock.Advance(time.Hour)
		run, err := f.svc.Run(context.Background(), Request{Trigger: model.TriggerScheduled})
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, run)
	}
	left, _ := filepath.Glob(filepath.Join(f.paths.Backups(), "parley-*"))
	if len(left) != 9 { // 3 snapshots × (db, sha256, manifest)
		t.Fatalf("files left: %v", left)
	}
	for i, r := range runs {
		_, statErr := os.Stat(f.paths.Abs(r.Path))
		if kept := i >= 2; kept != (statErr == nil) {
			t.Errorf("run %d kept=%v, file err %v", i, kept, statErr)
		}
	}
	if _, err := os.Stat(safety); err != nil {
		t.Error("retention deleted a pre-restore copy")
	}
	f.store.View(func(tx *storage.Tx) error {
		for i, r := range runs {
			got, _ := tx.BackupRun(r.ID)
			if pruned := !got.PrunedAt.IsZero(); pruned != (i < 2) {
				t.Errorf("run %d pruned=%v", i, pruned)
			}
		}
		return nil
	})
	if evs := f.events(t, model.EventBackupPruned); len(evs) != 2 {
		t.Errorf("backup.pruned events = %d, want 2", len(evs))
	}
}

func TestInterruptedBackupIsRecordedAtStart(t *testing.T) {
	f := newFixture(t, Options{})
	tmp := filepath.Join(f.paths.Backups(), ".parley-20261203T080000Z.db.tmp-123")
	os.WriteFile(tmp, []byte("partial"), 0o600)
	svc, err := New(Options{Store: f.store, Paths: f.paths, Clock: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Error("temp file not removed")
	}
	st, _ := svc.Status()
	if st.LastFailure == nil || !strings.Contains(st.LastFailure.Error, "interrupted") || st.LastFailure.Path != filepath.Join("backups", "parley-20261203T080000Z.db") {
		t.Fatalf("status = %+v", st.LastFailure)
	}
	if len(f.events(t, model.EventBackupFailed)) != 1 {
		t.Error("no backup.failed event")
	}
}

func TestNextDue(t *testing.T) {
	f := newFixture(t, Options{Interval: 6 * time.Hour, StartDelay: time.Minute, RetryDelay: 30 * time.Minute})
	started := f.svc.started
	ok := &model.BackupRun{FinishedAt: started.Add(-2 * time.Hour)}
	failed := &model.BackupRun{FinishedAt: started.Add(2 * time.Hour)}
	oldOK := &model.BackupRun{FinishedAt: started.Add(-48 * time.Hour)}
	cases := []struct {
		name string
		st   Status
		want time.Time
	}{
		{"never backed up: shortly after start", Status{}, started.Add(time.Minute)},
		{"recent success: one interval later", Status{LastOK: ok}, ok.FinishedAt.Add(6 * time.Hour)},
		{"overdue: after the start delay", Status{LastOK: oldOK}, started.Add(time.Minute)},
		{"failure: retry later", Status{LastOK: oldOK, LastFailure: failed}, failed.FinishedAt.Add(30 * time.Minute)},
	}
	for _, c := range cases {
		if got := f.svc.nextDue(c.st); !got.Equal(c.want) {
			t.Errorf("%s: next due %v, want %v", c.name, got, c.want)
		}
	}
	off := &Service{o: Options{}}
	if !off.nextDue(Status{}).IsZero() {
		t.Error("schedule off but next due set")
	}
}

func TestScheduleRunsAndRetries(t *testing.T) {
	f := newFixture(t, Options{Interval: time.Hour, StartDelay: time.Minute, RetryDelay: 10 * time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- f.svc.Serve(ctx) }()
	step := func(d time.Duration, wantRuns uint64) {
		t.Helper()
		waitFor(t, func() bool { return f.clock.Waiters() > 0 })
		f.clock.Advance(d)
		waitFor(t, func() bool { st, _ := f.svc.Status(); return st.Runs == wantRuns })
	}
	step(time.Minute, 1) // first backup shortly after start
	step(time.Hour, 2)   // then every interval
	// Break the backups folder: the next scheduled run fails and is retried.
	os.RemoveAll(f.paths.Backups())
	os.WriteFile(f.paths.Backups(), nil, 0o600)
	step(time.Hour, 3)
	st, _ := f.svc.Status()
	if st.LastFailure == nil || st.LastFailure.Trigger != model.TriggerScheduled {
		t.Fatalf("status = %+v", st)
	}
	os.Remove(f.paths.Backups())
	step(10*time.Minute, 4)
	st, _ = f.svc.Status()
	if st.LastFailure != nil || st.LastOK.Trigger != model.TriggerScheduled {
		t.Fatalf("retry did not succeed: %+v", st)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
		time.Sleep(2 * time.Millisecond)
	}
}
