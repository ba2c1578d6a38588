//go:build linux

package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

const (
	// bigValue is what each contrast writer commits: large enough that
	// the file quickly grows past the end of the memory map.
	bigValue = 256 << 10
	// remapMargin is the room left at the end of the map before the
	// snapshot starts: a few dozen big commits use it up.
	remapMargin = 2 << 20
	// contrastLimit bounds the contrast's snapshot (and so its stall).
	contrastLimit = 2 * time.Minute
	bigBucket     = "bench_big"
)

// contrast is the outcome of the no-InitialMmapSize run.
type contrast struct {
	lat                 latencies
	snapTook            time.Duration
	mapBefore, mapAfter int64
	prefilled           int64
}

// contrastRemap opens a copy of the database with bbolt and
// InitialMmapSize 0, fills it to a few MB short of its memory map, then
// times writers committing 256 KiB values during a tx.WriteTo + SHA-256
// snapshot: the first commit that needs a bigger map waits for the
// snapshot's read transaction, and every other writer waits behind it.
func contrastRemap(ctx context.Context, e *env) (c contrast, err error) {
	path := filepath.Join(e.work, "contrast.db")
	dest := filepath.Join(e.work, "contrast-snapshot.db")
	progress("writers contrast: copying the database to %s", path)
	if err := copyFile(ctx, e.dbPath, path); err != nil {
		return c, err
	}
	defer removeIfExists(path)
	defer removeIfExists(dest)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, FreelistType: bolt.FreelistMapType, InitialMmapSize: 0})
	if err != nil {
		return c, fmt.Errorf("open with bbolt: %w", err)
	}
	defer func() {
		if cerr := db.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close bbolt: %w", cerr)
		}
	}()

	val := make([]byte, bigValue)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range val {
		val[i] = byte('a' + rng.IntN(26))
	}
	put := func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte(bigBucket))
		if err != nil {
			return err
		}
		id, err := b.NextSequence()
		if err != nil {
			return err
		}
		return b.Put(binary.BigEndian.AppendUint64(nil, id), val)
	}
	if c.prefilled, err = fillToMapEdge(ctx, db, path, put); err != nil {
		return c, err
	}
	if c.mapBefore, err = mappedSize(path); err != nil {
		return c, err
	}

	progress("writers contrast: %d writers x 256 KiB commits during a bbolt snapshot (map %s)", writerCount, fmtMB(c.mapBefore))
	snapCtx, cancel := context.WithTimeout(ctx, contrastLimit)
	defer cancel()
	ready, stop := make(chan struct{}), make(chan struct{})
	var snapErr error
	go func() {
		defer close(stop)
		t0 := time.Now()
		snapErr = snapshotHashed(snapCtx, db, dest, ready)
		c.snapTook = time.Since(t0)
	}()
	select { // a snapshot that fails to start closes stop instead
	case <-ready:
	case <-stop:
	}
	ls, _, werr := runWriters(stop, func(int, int) error { return db.Update(put) })
	if snapErr != nil {
		return c, fmt.Errorf("snapshot: %w", snapErr)
	}
	if werr != nil {
		return c, werr
	}
	c.lat = summarize(tookOf(ls, time.Time{}, time.Time{}))
	if c.mapAfter, err = mappedSize(path); err != nil {
		return c, err
	}
	progress("  contrast n=%d p99=%s max=%s (snapshot %s, map %s -> %s)",
		c.lat.count, fmtDur(c.lat.p99), fmtDur(c.lat.max), fmtDur(c.snapTook), fmtMB(c.mapBefore), fmtMB(c.mapAfter))
	return c, nil
}

// fillToMapEdge commits values with put (without fsync) until less than
// remapMargin is left between the used pages and the end of the memory
// map, and returns the bytes it added.
func fillToMapEdge(ctx context.Context, db *bolt.DB, path string, put func(*bolt.Tx) error) (int64, error) {
	db.NoSync = true
	var start, used int64
	for i := 0; ; i++ {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if err := db.View(func(tx *bolt.Tx) error { used = tx.Size(); return nil }); err != nil {
			return 0, err
		}
		if i == 0 {
			start = used
		}
		mapped, err := mappedSize(path)
		if err != nil {
			return 0, err
		}
		// Each value takes 65 pages plus some branch and leaf pages.
		n := (mapped - used - remapMargin) / (bigValue + 16<<10)
		if n <= 0 {
			break
		}
		if i > 100000 {
			return 0, errors.New("prefill: the database does not approach its map size")
		}
		if err := db.Update(func(tx *bolt.Tx) error {
			for range min(n, 64) {
				if err := put(tx); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return 0, fmt.Errorf("prefill: %w", err)
		}
	}
	db.NoSync = false
	if err := db.Sync(); err != nil {
		return 0, fmt.Errorf("prefill: sync: %w", err)
	}
	progress("writers contrast: prefilled %s to reach the end of the memory map", fmtMB(used-start))
	return used - start, nil
}

// snapshotHashed writes the database to dest in one read transaction
// (tx.WriteTo through an io.MultiWriter that also feeds SHA-256, the same
// work as Parley's snapshot) and fsyncs it; ready closes once the
// transaction is open.
func snapshotHashed(ctx context.Context, db *bolt.DB, dest string, ready chan<- struct{}) error {
	f, err := os.Create(dest)
	if err != nil {
		return err
	}
	defer f.Close()
	err = db.View(func(tx *bolt.Tx) error {
		close(ready)
		_, err := tx.WriteTo(ctxWriter{ctx, io.MultiWriter(f, sha256.New())})
		return err
	})
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// mappedSize is the size of this process's memory mappings of path, read
// from /proc/self/maps (bbolt maps the database file once).
func mappedSize(path string) (int64, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return 0, err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0, fmt.Errorf("mapped size: %w", err)
	}
	defer f.Close()
	var total int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || strings.Join(fields[5:], " ") != abs {
			continue
		}
		lo, hi, _ := strings.Cut(fields[0], "-")
		a, err1 := strconv.ParseUint(lo, 16, 64)
		b, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil {
			return 0, fmt.Errorf("mapped size: bad line %q", sc.Text())
		}
		total += int64(b - a)
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("mapped size: %w", err)
	}
	if total == 0 {
		return 0, fmt.Errorf("mapped size: %s is not mapped", abs)
	}
	return total, nil
}

// addRows reports the contrast; parleyMax is Parley's worst stall.
func (c contrast) addRows(s *section, parleyMax time.Duration) {
	grew := "the map did not grow during the snapshot"
	if c.mapAfter > c.mapBefore {
		grew = fmt.Sprintf("the map grew from %s to %s", fmtMB(c.mapBefore), fmtMB(c.mapAfter))
	}
	s.add("contrast (one run): bbolt with InitialMmapSize 0, 4 writers committing 256 KiB values during a tx.WriteTo + SHA-256 snapshot: commits, p99",
		fmt.Sprintf("%d, %s", c.lat.count, fmtDur(c.lat.p99)))
	s.add("contrast: max commit latency (stall)", fmt.Sprintf("%s (snapshot took %s; %s)", fmtDur(c.lat.max), fmtDur(c.snapTook), grew))
	if parleyMax > 0 {
		s.add("ratio contrast max / Parley max during snapshot", fmtRatio(c.lat.max.Seconds()/parleyMax.Seconds()))
	}
	s.note("Contrast setup: a copy of the database opened directly with bbolt (InitialMmapSize 0), filled without fsync by %s of 256 KiB values so that less than %s is left before the end of its memory map; "+
		"the snapshot is tx.WriteTo(io.MultiWriter(file, sha256.New())) plus fsync, bounded to %s. Growing the map needs bbolt's mmap lock, which the snapshot's read transaction holds until it ends, so the stall lasts as long as the rest of the snapshot's copy.",
		fmtMB(c.prefilled), fmtMB(remapMargin), fmtDur(contrastLimit))
}
