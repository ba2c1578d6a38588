package storage

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"parley/app/model"
)

func schemaWith(extra ...Migration) []Migration { return append(Schema(), extra...) }

var migrationAddWidgets = Migration{Version: 2, Name: "widgets", Up: func(tx *bolt.Tx) error {
	b, err := tx.CreateBucket([]byte("widgets"))
	if err != nil {
		return err
	}
	return b.Put([]byte("w1"), []byte(`{"v":1}`))
}}

func seedV1(t *testing.T, path string) {
	t.Helper()
	s, err := Open(Options{Path: path, migrations: Schema()})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(tx *Tx) error { return tx.PutSetting("kept", "yes") }); err != nil {
		t.Fatal(err)
	}
	s.Close()
}

func TestMigrationV1CreatesBuckets(t *testing.T) {
	// Migration 1 on an empty bbolt file: every bucket of the tree exists.
	path := filepath.Join(t.TempDir(), "parley.db")
	db, _ := bolt.Open(path, 0o600, nil)
	if err := db.Update(migrateV1); err != nil {
		t.Fatal(err)
	}
	db.View(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketEvents, bucketAudit, bucketSettings, bucketBackupRuns} {
			if tx.Bucket(b) == nil {
				t.Errorf("bucket %s missing", b)
			}
		}
		return nil
	})
	// Running it again is harmless (CreateBucketIfNotExists).
	if err := db.Update(migrateV1); err != nil {
		t.Fatalf("second run: %v", err)
	}
	db.Close()
}

func TestMigrationSnapshotsFirstAndRecordsEverything(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "parley.db")
	snapDir := filepath.Join(dir, "backups")
	seedV1(t, path)

	s := openTemp(t, Options{Path: path, SnapshotDir: snapDir, migrations: schemaWith(migrationAddWidgets)})
	s.View(func(tx *Tx) error {
		if v, _ := readSchemaVersion(tx.b); v != 2 {
			t.Errorf("version = %d, want 2", v)
		}
		if tx.b.Bucket([]byte("widgets")).Get([]byte("w1")) == nil {
			t.Error("migration 2 did not run")
		}
		var kept string
		if ok, _ := tx.GetSetting("kept", &kept); !ok || kept != "yes" {
			t.Error("existing data lost in migration")
		}
		runs, _ := tx.BackupRuns(0, 10)
		if len(runs) != 1 || runs[0].Trigger != model.TriggerPreMigration || runs[0].Outcome != model.BackupOK {
			t.Fatalf("backup runs = %+v", runs)
		}
		if filepath.IsAbs(runs[0].Path) || !strings.HasPrefix(runs[0].Path, "backups") {
			t.Errorf("run path %q is not relative to the data dir", runs[0].Path)
		}
		evs, _ := tx.RecentEvents(1)
		var data map[string]int
		json.Unmarshal(evs[0].Data, &data)
		if evs[0].Type != model.EventDBMigrated || data["from"] != 1 || data["to"] != 2 {
			t.Errorf("last event = %+v %s", evs[0], evs[0].Data)
		}
		return nil
	})

	matches, _ := filepath.Glob(filepath.Join(snapDir, "pre-migration-v1-to-v2-*.db"))
	if len(matches) != 1 {
		t.Fatalf("pre-migration snapshots = %v", matches)
	}
	want, err := ReadChecksumFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := FileSHA256(matches[0]); got != want {
		t.Fatalf("snapshot checksum %s != recorded %s", got, want)
	}
	info, err := Verify(matches[0], 0)
	if err != nil || info.SchemaVersion != 1 {
		t.Fatalf("snapshot = %+v, %v; want a valid version-1 database", info, err)
	}
	if _, err := os.Stat(matches[0] + ".manifest.json"); err != nil {
		t.Errorf("manifest missing: %v", err)
	}
}

func TestFailedMigrationChangesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "parley.db")
	seedV1(t, path)
	broken := Migration{Version: 2, Name: "broken", Up: func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucket([]byte("half")); err != nil {
			return err
		}
		return errors.New("boom")
	}}
	_, err := Open(Options{Path: path, SnapshotDir: filepath.Join(dir, "backups"), migrations: schemaWith(broken)})
	if err == nil || !strings.Contains(err.Error(), "boom") || !strings.Contains(err.Error(), "from version 1 to 2") {
		t.Fatalf("Open = %v", err)
	}
	s := openTemp(t, Options{Path: path})
	s.View(func(tx *Tx) error {
		if v, _ := readSchemaVersion(tx.b); v != 1 {
			t.Errorf("version = %d after failed migration", v)
		}
		if tx.b.Bucket([]byte("half")) != nil {
			t.Error("half-applied migration left a bucket")
		}
		return nil
	})
}

func TestMigrationWithoutSnapshotDirRefuses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "parley.db")
	seedV1(t, path)
	_, err := Open(Options{Path: path, migrations: schemaWith(migrationAddWidgets)})
	if err == nil || !strings.Contains(err.Error(), "snapshot directory") {
		t.Fatalf("Open = %v", err)
	}
}

func TestNewerSchemaRefusedNamingBothVersions(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "parley.db")
	s, err := Open(Options{Path: path, SnapshotDir: dir, migrations: schemaWith(migrationAddWidgets)})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(Options{Path: path, SnapshotDir: dir, migrations: Schema()})
	var se *SchemaError
	if !errors.As(err, &se) || se.Found != 2 || se.Supported != 1 {
		t.Fatalf("Open = %v, want SchemaError 2 > 1", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "schema version 2") || !strings.Contains(msg, "up to version 1") {
		t.Fatalf("message does not name both versions: %s", msg)
	}
}

func TestMisnumberedSchemaRejected(t *testing.T) {
	bad := schemaWith(Migration{Version: 3, Name: "skips two", Up: migrateV1})
	_, err := Open(Options{Path: filepath.Join(t.TempDir(), "p.db"), migrations: bad})
	if err == nil || !strings.Contains(err.Error(), "want 2") {
		t.Fatalf("Open = %v", err)
	}
}
