package storage

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"parley/app/clocktest"
	"parley/app/model"
)

var t0 = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)

// openTemp opens a store in a temp dir and checks it on cleanup. (The
// storagetest package does the same for other packages; it cannot be used
// here without an import cycle.)
func openTemp(t *testing.T, opts Options) *Store {
	t.Helper()
	if opts.Path == "" {
		opts.Path = filepath.Join(t.TempDir(), "parley.db")
	}
	if opts.SnapshotDir == "" {
		opts.SnapshotDir = filepath.Join(filepath.Dir(opts.Path), "backups")
	}
	if opts.Clock == nil {
		opts.Clock = clocktest.New(t0)
	}
	s, err := Open(opts)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Check(); err != nil && !errors.Is(err, berrors.ErrDatabaseNotOpen) {
			t.Errorf("consistency check: %v", err)
		}
		s.Close()
	})
	return s
}

func TestFreshDatabaseHasLatestSchema(t *testing.T) {
	s := openTemp(t, Options{})
	err := s.View(func(tx *Tx) error {
		v, parley := readSchemaVersion(tx.b)
		if v != len(Schema()) || !parley {
			t.Errorf("schema version = %d (parley %v), want %d", v, parley, len(Schema()))
		}
		for _, b := range [][]byte{bucketMeta, bucketEvents, bucketAudit, bucketSettings, bucketBackupRuns} {
			if tx.b.Bucket(b) == nil {
				t.Errorf("bucket %s missing", b)
			}
		}
		evs, err := tx.RecentEvents(10)
		if err != nil {
			return err
		}
		if len(evs) != 1 || evs[0].Type != model.EventDBMigrated {
			t.Errorf("events = %+v, want one db.migrated", evs)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A fresh database has nothing to protect: no pre-migration snapshot.
	if entries, _ := os.ReadDir(filepath.Join(filepath.Dir(s.Path()), "backups")); len(entries) != 0 {
		t.Errorf("fresh database produced snapshot files: %v", entries)
	}
}

func TestReopenDoesNotMigrateAgain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "parley.db")
	s := openTemp(t, Options{Path: path})
	s.Close()
	s2 := openTemp(t, Options{Path: path})
	s2.View(func(tx *Tx) error {
		if n := tx.EventCount(); n != 1 {
			t.Errorf("event count after reopen = %d, want 1", n)
		}
		return nil
	})
}

func TestSettingsRoundTrip(t *testing.T) {
	s := openTemp(t, Options{})
	type pref struct{ Keep int }
	if err := s.Update(func(tx *Tx) error { return tx.PutSetting("backup", pref{Keep: 9}) }); err != nil {
		t.Fatal(err)
	}
	s.View(func(tx *Tx) error {
		var p pref
		ok, err := tx.GetSetting("backup", &p)
		if err != nil || !ok || p.Keep != 9 {
			t.Errorf("GetSetting = %v %v %+v", ok, err, p)
		}
		ok, err = tx.GetSetting("missing", &p)
		if ok || err != nil {
			t.Errorf("missing setting = %v %v", ok, err)
		}
		return nil
	})
}

func TestEventsAppendAndPage(t *testing.T) {
	clock := clocktest.New(t0)
	s := openTemp(t, Options{Clock: clock})
	for i := range 25 {
		clock.Advance(time.Second)
		err := s.Update(func(tx *Tx) error {
			_, err := tx.AppendEvent(model.Event{Type: "test.n", Subject: string(rune('a' + i))})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	s.View(func(tx *Tx) error {
		page, err := tx.EventsAfter(5, 10)
		if err != nil || len(page) != 10 || page[0].Seq != 6 || page[9].Seq != 15 {
			t.Errorf("EventsAfter(5,10) = %d events from %v, err %v", len(page), page, err)
		}
		if !page[0].At.Equal(t0.Add(5 * time.Second)) {
			t.Errorf("event time = %v", page[0].At)
		}
		recent, _ := tx.RecentEvents(3)
		if len(recent) != 3 || recent[0].Seq != 26 {
			t.Errorf("RecentEvents = %+v", recent)
		}
		return nil
	})
	if err := s.Update(func(tx *Tx) error { _, err := tx.AppendEvent(model.Event{}); return err }); err == nil {
		t.Error("event without type accepted")
	}
}

func TestBackupRunsPaging(t *testing.T) {
	s := openTemp(t, Options{})
	for i := range 7 {
		s.Update(func(tx *Tx) error {
			_, err := tx.CreateBackupRun(model.BackupRun{Trigger: model.TriggerManual, Size: int64(i)})
			return err
		})
	}
	s.View(func(tx *Tx) error {
		first, _ := tx.BackupRuns(0, 3)
		if len(first) != 3 || first[0].ID != 7 || first[2].ID != 5 {
			t.Errorf("first page = %+v", first)
		}
		next, _ := tx.BackupRuns(first[2].ID, 10)
		if len(next) != 4 || next[0].ID != 4 || next[3].ID != 1 {
			t.Errorf("second page = %+v", next)
		}
		if _, err := tx.BackupRun(99); model.ErrorCode(err) != model.CodeNotFound {
			t.Errorf("missing run: %v", err)
		}
		return nil
	})
}

func TestOpenRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	s := openTemp(t, Options{Path: good})
	s.Update(func(tx *Tx) error {
		for range 200 {
			if _, err := tx.AppendEvent(model.Event{Type: "fill", Data: json.RawMessage(`"` + strings.Repeat("x", 2000) + `"`)}); err != nil {
				return err
			}
		}
		return nil
	})
	var needed int64
	s.View(func(tx *Tx) error { needed = tx.Size(); return nil })
	s.Close()
	goodBytes, _ := os.ReadFile(good)
	if int64(len(goodBytes)) < needed {
		t.Fatalf("file %d bytes, metadata needs %d", len(goodBytes), needed)
	}

	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o600)
		return p
	}
	foreign := filepath.Join(dir, "foreign.db")
	fdb, _ := bolt.Open(foreign, 0o600, nil)
	fdb.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("other")); return err })
	fdb.Close()

	cases := []struct {
		name, path, want string
	}{
		{"truncated", write("trunc.db", goodBytes[:needed/2]), "truncated"},
		{"random bytes", write("random.db", []byte(strings.Repeat("not a database ", 2000))), "not a valid bbolt database"},
		{"tiny", write("tiny.db", []byte("x")), "damaged"},
		{"foreign bbolt", foreign, "not one written by Parley"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, _ := os.ReadFile(c.path)
			_, err := Open(Options{Path: c.path, SnapshotDir: dir})
			var ce *CorruptError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Open = %v, want CorruptError containing %q", err, c.want)
			}
			after, _ := os.ReadFile(c.path)
			if string(before) != string(after) {
				t.Fatal("Open changed a file it refused")
			}
		})
	}
	t.Run("directory", func(t *testing.T) {
		if _, err := Open(Options{Path: dir}); err == nil || !strings.Contains(err.Error(), "directory") {
			t.Fatalf("Open(dir) = %v", err)
		}
	})
}

func TestOpenReportsLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "parley.db")
	openTemp(t, Options{Path: path})
	_, err := Open(Options{Path: path, LockTimeout: 50 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second open = %v, want ErrLocked", err)
	}
}

func TestRelPath(t *testing.T) {
	s := openTemp(t, Options{})
	root := filepath.Dir(s.Path())
	if got := s.RelPath(filepath.Join(root, "backups", "a.db")); got != filepath.Join("backups", "a.db") {
		t.Errorf("inside = %q", got)
	}
	outside := filepath.Join(filepath.Dir(root), "elsewhere", "a.db")
	if got := s.RelPath(outside); got != outside {
		t.Errorf("outside = %q", got)
	}
	if got := s.AbsPath(filepath.Join("backups", "a.db")); got != filepath.Join(root, "backups", "a.db") {
		t.Errorf("AbsPath = %q", got)
	}
}
