package storage

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"parley/app/model"
)

// Migration moves the schema from Version-1 to Version. Up runs inside the
// transaction that also bumps the version, so a failed step changes nothing.
type Migration struct {
	Version int
	Name    string
	Up      func(tx *bolt.Tx) error
}

// Schema is the ordered list of migrations; its length is the schema
// version this build writes. Append only: never edit a released step.
func Schema() []Migration {
	return []Migration{
		{Version: 1, Name: "initial buckets: meta, events, audit, settings, backup_runs", Up: migrateV1},
		{Version: 2, Name: "security: users, sessions, api keys, lockouts, setup tokens", Up: migrateV2},
		{Version: 3, Name: "sender accounts", Up: migrateV3},
		{Version: 4, Name: "leads, lists, notes, timelines", Up: migrateV4},
		{Version: 5, Name: "CSV imports", Up: migrateV5},
		{Version: 6, Name: "templates, campaigns, enrolments, approvals, do-not-contact list", Up: migrateV6},
		{Version: 7, Name: "per-account usage counters (invite-note quota)", Up: migrateV7},
		{Version: 8, Name: "worker runtime: per-account job queues, controls, incidents, health", Up: migrateV8},
	}
}

func migrateV1(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketMeta, bucketEvents, bucketAudit, bucketSettings, bucketBackupRuns} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// migrate brings the database to the newest schema. Before touching a
// database that already holds data it writes a checksummed snapshot to
// snapshotDir; if that fails, nothing is migrated.
func (s *Store) migrate(schema []Migration, snapshotDir string) error {
	for i, m := range schema {
		if m.Version != i+1 {
			return fmt.Errorf("storage: migration %q has version %d, want %d", m.Name, m.Version, i+1)
		}
	}
	var current int
	if err := s.db.View(func(tx *bolt.Tx) error {
		current, _ = readSchemaVersion(tx)
		return nil
	}); err != nil {
		return fmt.Errorf("storage: read schema version: %w", err)
	}
	latest := len(schema)
	if current > latest {
		return &SchemaError{Path: s.path, Found: current, Supported: latest}
	}
	if current == latest {
		return nil
	}

	var snap *model.BackupRun
	if current > 0 {
		run, err := s.preMigrationSnapshot(snapshotDir, current, latest)
		if err != nil {
			return err
		}
		snap = &run
	}

	started := s.clock.Now()
	err := s.db.Update(func(b *bolt.Tx) error {
		for _, m := range schema[current:] {
			if err := m.Up(b); err != nil {
				return fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
			}
		}
		meta, err := b.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if current == 0 {
			if err := meta.Put(keyCreatedAt, []byte(started.Format(time.RFC3339))); err != nil {
				return err
			}
		}
		if err := meta.Put(keySchemaVersion, itob(uint64(latest))); err != nil {
			return err
		}
		tx := &Tx{b: b, now: started}
		if snap != nil && b.Bucket(bucketBackupRuns) != nil {
			if _, err := tx.CreateBackupRun(*snap); err != nil {
				return err
			}
		}
		if b.Bucket(bucketEvents) == nil {
			return nil
		}
		data, _ := json.Marshal(map[string]int{"from": current, "to": latest})
		_, err = tx.AppendEvent(model.Event{Type: model.EventDBMigrated, Data: data})
		return err
	})
	if err != nil {
		return fmt.Errorf("storage: migrate %s from version %d to %d: %w", s.path, current, latest, err)
	}
	s.log.Info("database migrated", "from", current, "to", latest, "path", s.path)
	return nil
}

func (s *Store) preMigrationSnapshot(dir string, from, to int) (model.BackupRun, error) {
	if dir == "" {
		return model.BackupRun{}, fmt.Errorf("storage: migration from version %d to %d needs a snapshot directory", from, to)
	}
	now := s.clock.Now()
	name := fmt.Sprintf("pre-migration-v%d-to-v%d-%s.db", from, to, now.Format(FileTimeLayout))
	res, err := s.SnapshotToFile(filepath.Join(dir, name))
	if err != nil {
		return model.BackupRun{}, fmt.Errorf("storage: snapshot before migrating from version %d to %d failed, nothing was changed: %w", from, to, err)
	}
	return model.BackupRun{
		Trigger:    model.TriggerPreMigration,
		Actor:      model.ActorSystem,
		StartedAt:  now,
		FinishedAt: s.clock.Now(),
		Duration:   res.Duration,
		Path:       s.RelPath(res.Path),
		Size:       res.Size,
		SHA256:     res.SHA256,
		Outcome:    model.BackupOK,
	}, nil
}
