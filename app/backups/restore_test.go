package backups

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"parley/app/clocktest"
	"parley/app/config"
	"parley/app/model"
	"parley/storage"
)

// restoreFixture is a data directory with a live database holding the
// setting "marker"="live", and a snapshot taken when it was "snapshot".
type restoreFixture struct {
	paths    config.Paths
	snapshot string
	clock    *clocktest.Clock
}

func newRestoreFixture(t *testing.T) *restoreFixture {
	t.Helper()
	paths := config.Paths{Root: t.TempDir()}
	paths.Ensure()
	clock := clocktest.New(t0)
	s, err := storage.Open(storage.Options{Path: paths.DB(), Clock: clock, SnapshotDir: paths.Backups()})
	if err != nil {
		t.Fatal(err)
	}
	s.Update(func(tx *storage.Tx) error { return tx.PutSetting("marker", "snapshot") })
	res, err := s.SnapshotToFile(filepath.Join(t.TempDir(), "snap.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.Update(func(tx *storage.Tx) error { return tx.PutSetting("marker", "live") })
	s.Close()
	return &restoreFixture{paths: paths, snapshot: res.Path, clock: clock}
}

func (f *restoreFixture) restore(file string) (RestoreResult, error) {
	return Restore(RestoreOptions{Paths: f.paths, File: file, Clock: f.clock})
}

func marker(t *testing.T, path string) string {
	t.Helper()
	s, err := storage.Open(storage.Options{Path: path, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var m string
	s.View(func(tx *storage.Tx) error { _, err := tx.GetSetting("marker", &m); return err })
	return m
}

func TestRestoreReplacesAndKeepsThePrevious(t *testing.T) {
	f := newRestoreFixture(t)
	res, err := f.restore(f.snapshot)
	if err != nil {
		t.Fatal(err)
	}
	if got := marker(t, f.paths.DB()); got != "snapshot" {
		t.Fatalf("live database holds %q after restore", got)
	}
	if res.PreRestore == "" || marker(t, res.PreRestore) != "live" {
		t.Fatalf("previous database not kept: %+v", res)
	}
	if want, _ := storage.ReadChecksumFile(res.PreRestore); want == "" {
		t.Fatal("pre-restore copy has no checksum file")
	} else if got, _ := storage.FileSHA256(res.PreRestore); got != want {
		t.Fatal("pre-restore checksum does not match")
	}
	s, err := storage.Open(storage.Options{Path: f.paths.DB(), ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.View(func(tx *storage.Tx) error {
		evs, _ := tx.RecentEvents(1)
		if evs[0].Type != model.EventDBRestored {
			t.Errorf("last event = %s", evs[0].Type)
		}
		audit, _ := tx.RecentAudit(0, 1)
		if len(audit) != 1 || audit[0].Action != "db_restored" || audit[0].Actor != model.ActorCLI {
			t.Errorf("audit = %+v", audit)
		}
		runs, _ := tx.BackupRuns(0, 1)
		if len(runs) != 1 || runs[0].Trigger != model.TriggerPreRestore || !strings.HasPrefix(runs[0].Path, "backups") {
			t.Errorf("runs = %+v", runs)
		}
		return nil
	})
	if rep, _ := s.VerifyAudit(); !rep.OK() {
		t.Errorf("audit chain after restore: %+v", rep)
	}
	leftovers, _ := filepath.Glob(filepath.Join(f.paths.Root, ".restore-*"))
	if len(leftovers) != 0 {
		t.Errorf("temp files left: %v", leftovers)
	}
}

func TestRestoreIntoEmptyDataDir(t *testing.T) {
	f := newRestoreFixture(t)
	os.Remove(f.paths.DB())
	res, err := f.restore(f.snapshot)
	if err != nil {
		t.Fatal(err)
	}
	if res.PreRestore != "" || marker(t, f.paths.DB()) != "snapshot" {
		t.Fatalf("res = %+v", res)
	}
}

// TestRestoreRefusesBadFiles: every refused file leaves the live database
// byte for byte as it was, and creates no pre-restore copy.
func TestRestoreRefusesBadFiles(t *testing.T) {
	withChecksum := func(t *testing.T, data []byte) string {
		p := filepath.Join(t.TempDir(), "candidate.db")
		os.WriteFile(p, data, 0o600)
		sum, _ := storage.FileSHA256(p)
		storage.WriteChecksumFile(p, sum)
		return p
	}
	cases := []struct {
		name string
		file func(t *testing.T, f *restoreFixture) string
		want string
	}{
		{"missing checksum file", func(t *testing.T, f *restoreFixture) string {
			os.Remove(f.snapshot + ".sha256")
			return f.snapshot
		}, "no checksum file"},
		{"flipped byte", func(t *testing.T, f *restoreFixture) string {
			data, _ := os.ReadFile(f.snapshot)
			data[len(data)/2] ^= 0xFF
			os.WriteFile(f.snapshot, data, 0o600)
			return f.snapshot
		}, "damaged or was changed"},
		{"not a bbolt file", func(t *testing.T, f *restoreFixture) string {
			return withChecksum(t, bytes.Repeat([]byte("this is a text file\n"), 500))
		}, "damaged"},
		{"truncated", func(t *testing.T, f *restoreFixture) string {
			data, _ := os.ReadFile(f.snapshot)
			return withChecksum(t, data[:len(data)/2])
		}, "truncated"},
		{"empty", func(t *testing.T, f *restoreFixture) string { return withChecksum(t, nil) }, "empty"},
		{"newer schema", func(t *testing.T, f *restoreFixture) string {
			data, _ := os.ReadFile(f.snapshot)
			p := withChecksum(t, data)
			db, _ := bolt.Open(p, 0o600, nil)
			db.Update(func(tx *bolt.Tx) error {
				return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte{0, 0, 0, 0, 0, 0, 0, 99})
			})
			db.Close()
			sum, _ := storage.FileSHA256(p)
			storage.WriteChecksumFile(p, sum)
			return p
		}, fmt.Sprintf("schema version 99, but this Parley supports up to version %d", len(storage.Schema()))},
		{"foreign bbolt", func(t *testing.T, f *restoreFixture) string {
			p := filepath.Join(t.TempDir(), "other.db")
			db, _ := bolt.Open(p, 0o600, nil)
			db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("x")); return err })
			db.Close()
			sum, _ := storage.FileSHA256(p)
			storage.WriteChecksumFile(p, sum)
			return p
		}, "not a Parley database"},
		{"directory", func(t *testing.T, f *restoreFixture) string { return t.TempDir() }, "is a directory"},
		{"missing file", func(t *testing.T, f *restoreFixture) string { return filepath.Join(t.TempDir(), "nope.db") }, "cannot read"},
		{"the live database", func(t *testing.T, f *restoreFixture) string { return f.paths.DB() }, "live database itself"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newRestoreFixture(t)
			before, _ := os.ReadFile(f.paths.DB())
			_, err := f.restore(c.file(t, f))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if model.ErrorCode(err) == model.CodeInternal {
				t.Errorf("refusal is not a coded error: %v", err)
			}
			after, _ := os.ReadFile(f.paths.DB())
			if !bytes.Equal(before, after) {
				t.Fatal("the live database changed")
			}
			if pre, _ := filepath.Glob(filepath.Join(f.paths.Backups(), "pre-restore-*")); len(pre) != 0 {
				t.Fatalf("pre-restore copy made for a refused file: %v", pre)
			}
			if tmp, _ := filepath.Glob(filepath.Join(f.paths.Root, ".restore-*")); len(tmp) != 0 {
				t.Fatalf("temp files left: %v", tmp)
			}
		})
	}
}

func TestRestoreRefusesWhileRunning(t *testing.T) {
	f := newRestoreFixture(t)
	live, err := storage.Open(storage.Options{Path: f.paths.DB(), SnapshotDir: f.paths.Backups()})
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	_, err = Restore(RestoreOptions{Paths: f.paths, File: f.snapshot, LockTimeout: 50 * time.Millisecond,
		Running: func() (string, bool) { return "http://127.0.0.1:7450", true }})
	if model.ErrorCode(err) != model.CodeConflict || !strings.Contains(err.Error(), "Parley is running") || !strings.Contains(err.Error(), "http://127.0.0.1:7450") {
		t.Fatalf("err = %v", err)
	}
}

func TestRestoreOverDamagedLiveDatabase(t *testing.T) {
	f := newRestoreFixture(t)
	os.WriteFile(f.paths.DB(), []byte("garbage that was a database"), 0o600)
	res, err := f.restore(f.snapshot)
	if err != nil {
		t.Fatal(err)
	}
	if marker(t, f.paths.DB()) != "snapshot" {
		t.Fatal("not restored")
	}
	if kept, _ := os.ReadFile(res.PreRestore); string(kept) != "garbage that was a database" {
		t.Fatal("the damaged file was not kept for inspection")
	}
	// A running instance announced by the control channel still blocks.
	os.WriteFile(f.paths.DB(), []byte("garbage again"), 0o600)
	_, err = Restore(RestoreOptions{Paths: f.paths, File: f.snapshot, Running: func() (string, bool) { return "http://x", true }})
	if model.ErrorCode(err) != model.CodeConflict {
		t.Fatalf("err = %v", err)
	}
}

func TestNewestGood(t *testing.T) {
	paths := config.Paths{Root: t.TempDir()}
	paths.Ensure()
	if _, ok := NewestGood(paths); ok {
		t.Fatal("found a snapshot in an empty folder")
	}
	write := func(name, content string, mod int64) string {
		p := filepath.Join(paths.Backups(), name)
		os.WriteFile(p, []byte(content), 0o600)
		sum, _ := storage.FileSHA256(p)
		storage.WriteChecksumFile(p, sum)
		ts := t0.Add(timeSeconds(mod))
		os.Chtimes(p, ts, ts)
		return p
	}
	older := write("parley-a.db", "old", 1)
	newer := write("parley-b.db", "new", 2)
	if got, ok := NewestGood(paths); !ok || got != newer {
		t.Fatalf("NewestGood = %s", got)
	}
	os.WriteFile(newer, []byte("changed"), 0o600)
	if got, ok := NewestGood(paths); !ok || got != older {
		t.Fatalf("NewestGood with a damaged newest = %s", got)
	}
}

func timeSeconds(n int64) time.Duration { return time.Duration(n) * time.Second }
