//go:build linux

package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"

	"parley/storage"
)

// copier is one way of copying or hashing the database, timed per run.
type copier struct {
	label string
	// once runs one copy and returns what it cost.
	once  func(ctx context.Context) (cost, error)
	bytes int64
	mbps  series // MB/s per measured run
	secs  series // wall seconds per measured run
	cpu   series // CPU seconds (user+system) per measured run
}

// cost is what one copy took: wall time, CPU time and bytes processed.
type cost struct {
	wall, cpu time.Duration
	bytes     int64
}

// measure runs c once; warm-up runs are not recorded.
func (c *copier) measure(ctx context.Context, warm bool) error {
	k, err := c.once(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", c.label, err)
	}
	if !warm {
		c.bytes = k.bytes
		c.mbps = append(c.mbps, rate(k.bytes, k.wall))
		c.secs = append(c.secs, k.wall.Seconds())
		c.cpu = append(c.cpu, k.cpu.Seconds())
	}
	progress("  %s: %s in %s (%.0f MB/s, CPU %s)%s", c.label, fmtMB(k.bytes), fmtDur(k.wall), rate(k.bytes, k.wall), fmtDur(k.cpu),
		map[bool]string{true: " [warm-up]"}[warm])
	return nil
}

func (c *copier) value() string {
	return fmt.Sprintf("%s MB/s; %s wall, %s CPU for %s",
		c.mbps.fmtWith(func(x float64) string { return fmt.Sprintf("%.0f", x) }), c.secs.fmtDur(), c.cpu.fmtDur(), fmtMB(c.bytes))
}

// pairedRatio is a/b per run (the runs were interleaved), formatted as
// "ratio of medians (per run: min–max)".
func pairedRatio(a, b *copier) (float64, string) {
	r := a.mbps.median() / b.mbps.median()
	per := make(series, min(len(a.mbps), len(b.mbps)))
	for i := range per {
		per[i] = a.mbps[i] / b.mbps[i]
	}
	if len(per) <= 1 {
		return r, fmtRatio(r)
	}
	return r, fmt.Sprintf("%s (per run: %s–%s)", fmtRatio(r), fmtRatio(per.min()), fmtRatio(per.max()))
}

// selfCPU is the CPU time this process has used so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchSnapshot compares SnapshotToFile with cp+sync, sha256sum and a naive
// MultiWriter copy, all on the same file with a warm page cache.
func benchSnapshot(ctx context.Context, e *env) (*section, error) {
	src := e.dbPath
	out := filepath.Join(e.work, "snapshot-out")
	if err := os.MkdirAll(out, 0o700); err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	defer os.RemoveAll(out)
	size, alloc, err := fileSizes(src)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	if err := warmRead(ctx, src); err != nil {
		return nil, err
	}

	store, err := storage.Open(storage.Options{Path: src, SnapshotDir: filepath.Join(e.work, "backups")})
	if err != nil {
		return nil, fmt.Errorf("snapshot: open store: %w", err)
	}
	snap := &copier{label: "Parley SnapshotToFile", once: func(context.Context) (cost, error) {
		dest := filepath.Join(out, "parley-snapshot.db")
		defer removeSnapshot(dest)
		t0, c0 := time.Now(), selfCPU()
		res, err := store.SnapshotToFile(dest)
		return cost{time.Since(t0), selfCPU() - c0, res.Size}, err
	}}
	// cp skips the holes bbolt leaves at the end of the file, so it
	// processes the allocated bytes; sha256sum reads every byte.
	cpBytes := min(size, alloc)
	cp := &copier{label: "cp SRC DST && sync DST", once: func(ctx context.Context) (cost, error) {
		dst := filepath.Join(out, "cp-copy.db")
		defer os.Remove(dst)
		t0 := time.Now()
		cpuCp, err := runQuiet(ctx, "cp", src, dst)
		if err != nil {
			return cost{}, err
		}
		cpuSync, err := runQuiet(ctx, "sync", dst)
		return cost{time.Since(t0), cpuCp + cpuSync, cpBytes}, err
	}}
	sum := &copier{label: "sha256sum SRC", once: func(ctx context.Context) (cost, error) {
		t0 := time.Now()
		cpu, err := runQuiet(ctx, "sha256sum", src)
		return cost{time.Since(t0), cpu, size}, err
	}}

	// Interleave the three, rotating the order each run, so drift on a
	// shared machine hits them alike. Run 0 is the warm-up.
	trio := []*copier{snap, cp, sum}
	for run := 0; run <= e.cfg.runs; run++ {
		progress("snapshot run %d/%d%s", run, e.cfg.runs, map[bool]string{true: " (warm-up)"}[run == 0])
		for i := range trio {
			if err := trio[(i+run)%len(trio)].measure(ctx, run == 0); err != nil {
				store.Close()
				return nil, fmt.Errorf("snapshot: %w", err)
			}
		}
	}
	if err := store.Close(); err != nil {
		return nil, fmt.Errorf("snapshot: close store: %w", err)
	}

	naive, closeNaive, err := multiWriterCopier(src, out)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	for run := 0; run <= e.cfg.runs; run++ {
		if err := naive.measure(ctx, run == 0); err != nil {
			closeNaive()
			return nil, fmt.Errorf("snapshot: %w", err)
		}
	}
	if err := closeNaive(); err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}

	s := &section{name: "snapshot", title: "snapshot: snapshot throughput",
		intro: fmt.Sprintf("Same database file, page cache warm (read once before, plus one warm-up run of each). "+
			"Throughput is computed over the bytes each tool processed: the snapshot writes only the used pages (tx.Size() = %s); "+
			"the file is %s with %s allocated (bbolt grows files in steps, leaving a sparse tail that cp skips); sha256sum reads all %s.",
			fmtMB(snap.bytes), fmtMB(size), fmtMB(alloc), fmtMB(size))}
	s.add("(a) Parley `store.SnapshotToFile(dest)`: copy + parallel SHA-256 + fsync + rename + .sha256 + manifest", snap.value())
	s.add("(b) baseline `cp SRC DST && sync DST`", cp.value())
	s.add("(c) baseline `sha256sum SRC`", sum.value())
	s.add("(d) contrast: bbolt `tx.WriteTo(io.MultiWriter(file, sha256.New()))` + fsync", naive.value())
	snapCp, snapCpText := pairedRatio(snap, cp)
	snapSum, snapSumText := pairedRatio(snap, sum)
	s.goal("ratio snapshot / (cp+sync), MB/s over MB/s", snapCpText, ">= 0.6x", check(snapCp >= 0.6))
	s.goal("ratio snapshot / sha256sum, MB/s over MB/s", snapSumText, ">= 2x", check(snapSum >= 2))
	s.add("ratio MultiWriter / (cp+sync), MB/s over MB/s", fmtRatio(naive.mbps.median()/cp.mbps.median()))
	s.add("ratio snapshot / MultiWriter, MB/s over MB/s", fmtRatio(snap.mbps.median()/naive.mbps.median()))
	s.note("Ratios are ratios of the median throughputs; (a), (b) and (c) ran interleaved, so their per-run ratios are shown too. " +
		"(d) ran after the store was closed, opening the file read-only with bbolt, so its ratio is not paired. " +
		"CPU is user+system time: of the cp, sync and sha256sum processes, and of this whole process for (a) and (d).")
	return s, nil
}

// multiWriterCopier opens src with bbolt (read-only, the store must be
// closed) and returns the naive copier: tx.WriteTo through an
// io.MultiWriter that feeds the file and SHA-256 in turn, then fsync.
func multiWriterCopier(src, out string) (*copier, func() error, error) {
	db, err := bolt.Open(src, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return nil, nil, fmt.Errorf("open %s with bbolt: %w", src, err)
	}
	closeDB := func() error {
		if err := db.Close(); err != nil {
			return fmt.Errorf("close bbolt: %w", err)
		}
		return nil
	}
	c := &copier{label: "bbolt WriteTo(MultiWriter(file, sha256)) + fsync", once: func(ctx context.Context) (cost, error) {
		dest := filepath.Join(out, "multiwriter.db")
		defer os.Remove(dest)
		t0, c0 := time.Now(), selfCPU()
		f, err := os.Create(dest)
		if err != nil {
			return cost{}, err
		}
		defer f.Close()
		h := sha256.New()
		var n int64
		err = db.View(func(tx *bolt.Tx) error {
			var werr error
			n, werr = tx.WriteTo(ctxWriter{ctx, io.MultiWriter(f, h)})
			return werr
		})
		if err == nil {
			_ = h.Sum(nil)
			err = f.Sync()
		}
		if err == nil {
			err = f.Close()
		}
		return cost{time.Since(t0), selfCPU() - c0, n}, err
	}}
	return c, closeDB, nil
}

// runQuiet runs a command, discarding its output, and returns the CPU
// time it used; a failure carries the command's stderr.
func runQuiet(ctx context.Context, name string, args ...string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr limitedBuffer
	cmd.Stdout = io.Discard
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("%s: %w: %s", name, err, stderr.String())
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}
