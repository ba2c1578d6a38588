package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"parley/app/model"
)

func schemaWith(extra ...Migration) []Migration { return append(Schema(), extra...) }

// next is the version a test migration appended to the schema gets.
var next = len(Schema()) + 1

var migrationAddWidgets = Migration{Version: next, Name: "widgets", Up: func(tx *bolt.Tx) error {
	b, err := tx.CreateBucket([]byte("widgets"))
	if err != nil {
		return err
	}
	return b.Put([]byte("w1"), []byte(`{"v":1}`))
}}

func seedCurrent(t *testing.T, path string) {
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
	seedCurrent(t, path)

	s := openTemp(t, Options{Path: path, SnapshotDir: snapDir, migrations: schemaWith(migrationAddWidgets)})
	s.View(func(tx *Tx) error {
		if v, _ := readSchemaVersion(tx.b); v != next {
			t.Errorf("version = %d, want %d", v, next)
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
		if evs[0].Type != model.EventDBMigrated || data["from"] != next-1 || data["to"] != next {
			t.Errorf("last event = %+v %s", evs[0], evs[0].Data)
		}
		return nil
	})

	matches, _ := filepath.Glob(filepath.Join(snapDir, fmt.Sprintf("pre-migration-v%d-to-v%d-*.db", next-1, next)))
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
	if err != nil || info.SchemaVersion != next-1 {
		t.Fatalf("snapshot = %+v, %v; want a valid version-%d database", info, err, next-1)
	}
	if _, err := os.Stat(matches[0] + ".manifest.json"); err != nil {
		t.Errorf("manifest missing: %v", err)
	}
}

func TestFailedMigrationChangesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "parley.db")
	seedCurrent(t, path)
	broken := Migration{Version: next, Name: "broken", Up: func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucket([]byte("half")); err != nil {
			return err
		}
		return errors.New("boom")
	}}
	_, err := Open(Options{Path: path, SnapshotDir: filepath.Join(dir, "backups"), migrations: schemaWith(broken)})
	if err == nil || !strings.Contains(err.Error(), "boom") || !strings.Contains(err.Error(), fmt.Sprintf("from version %d to %d", next-1, next)) {
		t.Fatalf("Open = %v", err)
	}
	s := openTemp(t, Options{Path: path})
	s.View(func(tx *Tx) error {
		if v, _ := readSchemaVersion(tx.b); v != next-1 {
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
	seedCurrent(t, path)
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
	if !errors.As(err, &se) || se.Found != next || se.Supported != next-1 {
		t.Fatalf("Open = %v, want SchemaError %d > %d", err, next, next-1)
	}
	if msg := err.Error(); !strings.Contains(msg, fmt.Sprintf("schema version %d", next)) || !strings.Contains(msg, fmt.Sprintf("up to version %d", next-1)) {
		t.Fatalf("message does not name both versions: %s", msg)
	}
}

func TestMisnumberedSchemaRejected(t *testing.T) {
	bad := schemaWith(Migration{Version: next + 1, Name: "skips one", Up: migrateV1})
	_, err := Open(Options{Path: filepath.Join(t.TempDir(), "p.db"), migrations: bad})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("want %d", next)) {
		t.Fatalf("Open = %v", err)
	}
}

// TestEachMigrationFromItsPredecessor: a database at version N-1 holding
// data gains version N's buckets, keeps its data and gets a pre-migration
// snapshot. Every migration must appear here.
func TestEachMigrationFromItsPredecessor(t *testing.T) {
	adds := map[int][][]byte{
		2: {bucketUsers, bucketSessions, bucketSessionsByUser, bucketAPIKeys, bucketAPIKeysByHash, bucketLockouts, bucketSetupTokens},
		3: {bucketAccounts},
		4: {bucketLeads, bucketLeadsByKey, bucketRowsByID, bucketRowsByName, bucketRowsByUpdated, bucketLists, bucketListsByName,
			bucketListMembers, bucketLeadNotes, bucketLeadTimeline, bucketLeadCounts, bucketLeadTombstones},
		5: {bucketImports, bucketImportRejects, bucketListCounts},
		6: append(campaignDomainBucketList, bucketLeadFields),
		7: {bucketAccountUsage},
		8: {bucketJobs, bucketJobQueue, bucketJobLeases, bucketJobFinished, bucketJobDead, bucketJobKeys, bucketJobCounts,
			bucketControls, bucketIncidents, bucketIncidentOpen, bucketHealth},
	}
	if len(adds) != len(Schema())-1 {
		t.Fatalf("migrations 2..%d need a case here", len(Schema()))
	}
	for v := 2; v <= len(Schema()); v++ {
		t.Run(fmt.Sprint("v", v), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "parley.db")
			s, err := Open(Options{Path: path, SnapshotDir: dir, migrations: Schema()[:v-1]})
			if err != nil {
				t.Fatal(err)
			}
			s.Update(func(tx *Tx) error { return tx.PutSetting("kept", "yes") })
			s.Close()
			s = openTemp(t, Options{Path: path, SnapshotDir: filepath.Join(dir, "backups"), migrations: Schema()[:v]})
			s.View(func(tx *Tx) error {
				for _, b := range adds[v] {
					if tx.b.Bucket(b) == nil {
						t.Errorf("bucket %s missing after migration %d", b, v)
					}
				}
				var kept string
				if ok, _ := tx.GetSetting("kept", &kept); !ok {
					t.Error("data lost")
				}
				return nil
			})
			if m, _ := filepath.Glob(filepath.Join(dir, "backups", fmt.Sprintf("pre-migration-v%d-to-v%d-*.db", v-1, v))); len(m) != 1 {
				t.Fatalf("snapshots = %v", m)
			}
		})
	}
}
