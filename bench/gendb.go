//go:build linux

package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"parley/storage"
)

// fillBucket is the extra bucket that brings the database to its size.
const fillBucket = "bench_fill"

// fillBatch is how many values one fill transaction writes at most.
const fillBatch = 3000

// dbInfo describes the generated database.
type dbInfo struct {
	values    int
	txSize    int64 // bytes of used pages, what a snapshot writes
	fileSize  int64 // st_size, larger: bbolt grows the file in steps
	allocSize int64 // bytes allocated on disk (st_blocks)
	took      time.Duration
}

// generateDB creates a Parley database at path holding about target bytes:
// storage.Open creates and migrates it, bbolt fills an extra bucket with
// JSON-like values, and storage.Open then checks the result opens.
func generateDB(ctx context.Context, path string, target int64) (dbInfo, error) {
	start := time.Now()
	var info dbInfo
	progress("generating a %s database at %s", fmtMB(target), path)
	store, err := storage.Open(storage.Options{Path: path, SnapshotDir: filepath.Join(filepath.Dir(path), "backups")})
	if err != nil {
		return info, fmt.Errorf("create with storage.Open: %w", err)
	}
	if err := store.Close(); err != nil {
		return info, fmt.Errorf("close new store: %w", err)
	}

	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout: time.Second, FreelistType: bolt.FreelistMapType, InitialMmapSize: int(target + target/4),
	})
	if err != nil {
		return info, fmt.Errorf("open with bbolt for filling: %w", err)
	}
	// Durability does not matter while filling; one Sync at the end writes
	// everything back so no dirty pages disturb the later measurements.
	db.NoSync = true
	rng := rand.New(rand.NewPCG(1, 2))
	var size int64
	nextReport := target / 10
	for size < target {
		if err := ctx.Err(); err != nil {
			db.Close()
			return info, err
		}
		// Size the last batches from the bytes per value so far, so the
		// file ends close to the target.
		batch := fillBatch
		if info.values > 0 {
			perValue := size / int64(info.values)
			batch = int(min(int64(fillBatch), (target-size)/perValue+1))
		}
		err := db.Update(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists([]byte(fillBucket))
			if err != nil {
				return err
			}
			b.FillPercent = 1 // sequential keys: pack pages full
			for range batch {
				info.values++
				key := make([]byte, 8)
				binary.BigEndian.PutUint64(key, uint64(info.values))
				if err := b.Put(key, fillValue(rng, info.values)); err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil {
			err = db.View(func(tx *bolt.Tx) error { size = tx.Size(); return nil })
		}
		if err != nil {
			db.Close()
			return info, fmt.Errorf("fill: %w", err)
		}
		if size >= nextReport {
			progress("generated %s of %s", fmtMB(size), fmtMB(target))
			nextReport += target / 10
		}
	}
	db.NoSync = false
	if err := db.Sync(); err != nil {
		db.Close()
		return info, fmt.Errorf("sync filled database: %w", err)
	}
	if err := db.Close(); err != nil {
		return info, fmt.Errorf("close filled database: %w", err)
	}

	store, err = storage.Open(storage.Options{Path: path, SnapshotDir: filepath.Join(filepath.Dir(path), "backups")})
	if err != nil {
		return info, fmt.Errorf("reopen with storage.Open: %w", err)
	}
	err = store.View(func(tx *storage.Tx) error { info.txSize = tx.Size(); return nil })
	if cerr := store.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close store: %w", cerr)
	}
	if err != nil {
		return info, err
	}
	if info.fileSize, info.allocSize, err = fileSizes(path); err != nil {
		return info, err
	}
	info.took = time.Since(start)
	progress("database ready: %d values, %s used, file %s, in %s", info.values, fmtMB(info.txSize), fmtMB(info.fileSize), fmtDur(info.took))
	return info, nil
}

var (
	firstNames = strings.Fields("Ada Grace Alan Linus Margaret Dennis Barbara Ken Frances Edsger Radia John Hedy Tim Karen Donald")
	lastNames  = strings.Fields("Lovelace Hopper Turing Torvalds Hamilton Ritchie Liskov Thompson Allen Dijkstra Perlman Backus Lamarr Berners-Lee Jones Knuth")
	companies  = strings.Fields("Acme Globex Initech Umbrella Hooli Stark Wayne Wonka Cyberdyne Soylent Tyrell Aperture")
	statuses   = strings.Fields("new contacted replied meeting declined archived")
	words      = strings.Fields("thanks for connecting I noticed your team is hiring engineers and wanted to share " +
		"how we helped similar companies reduce onboarding time by half would you be open to a short call " +
		"next week following up on my previous note about the platform migration happy to send a case study " +
		"congrats on the new role looking forward to hearing from you best regards")
)

// fillValue returns a new JSON-like record of 2-4 KiB for id; values differ
// in length and content.
func fillValue(rng *rand.Rand, id int) []byte {
	n := 2048 + rng.IntN(2048)
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	b := make([]byte, 0, n)
	b = fmt.Appendf(b, `{"id":%d,"name":"%s %s","company":"%s","status":"%s","score":%d,"notes":"`,
		id, pick(firstNames), pick(lastNames), pick(companies), pick(statuses), rng.IntN(1000))
	for len(b) < n-2 {
		b = append(b, pick(words)...)
		b = append(b, ' ')
	}
	b = append(b[:n-2], `"}`...)
	return b
}
