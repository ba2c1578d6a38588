//go:build linux

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// coldStartGoal is the goal for the time to /healthz with the database.
const coldStartGoal = 50 * time.Millisecond

// dataDirWithDB returns <work>/data holding a copy of the generated
// database as parley.db, making it on first use.
func dataDirWithDB(ctx context.Context, e *env) (string, error) {
	dir := filepath.Join(e.work, "data")
	db := filepath.Join(dir, "parley.db")
	if _, err := os.Stat(db); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("data directory: %w", err)
	}
	progress("copying the database to %s", db)
	if err := copyFile(ctx, e.dbPath, db); err != nil {
		return "", err
	}
	return dir, nil
}

// coldStart starts parley on dataDir, waits for /healthz and stops it.
func coldStart(ctx context.Context, bin, dataDir string) (time.Duration, error) {
	p, err := startParley(ctx, bin, dataDir)
	if err != nil {
		return 0, err
	}
	if err := p.stop(); err != nil {
		return 0, err
	}
	return p.ready, nil
}

// emptyStart is a cold start on a fresh, empty data directory.
func emptyStart(ctx context.Context, e *env, i int) (time.Duration, error) {
	dir := filepath.Join(e.work, fmt.Sprintf("empty-%d", i))
	defer os.RemoveAll(dir)
	return coldStart(ctx, e.binary, dir)
}

// benchColdStart times starting the real binary until /healthz answers,
// with the database, with an empty data directory and `parley --version`.
func benchColdStart(ctx context.Context, e *env) (*section, error) {
	if err := ensureBinary(ctx, e); err != nil {
		return nil, fmt.Errorf("coldstart: %w", err)
	}
	dataDir, err := dataDirWithDB(ctx, e)
	if err != nil {
		return nil, fmt.Errorf("coldstart: %w", err)
	}
	if err := warmRead(ctx, filepath.Join(dataDir, "parley.db")); err != nil {
		return nil, err
	}
	var version, empty, full series
	for run := 0; run <= e.cfg.runs; run++ {
		warm := run == 0
		v, err := timeVersion(ctx, e.binary)
		if err != nil {
			return nil, fmt.Errorf("coldstart: parley --version: %w", err)
		}
		em, err := emptyStart(ctx, e, run)
		if err != nil {
			return nil, fmt.Errorf("coldstart: empty data directory: %w", err)
		}
		fu, err := coldStart(ctx, e.binary, dataDir)
		if err != nil {
			return nil, fmt.Errorf("coldstart: with the database: %w", err)
		}
		progress("coldstart run %d/%d%s: --version %s, empty %s, database %s", run, e.cfg.runs,
			map[bool]string{true: " (warm-up)"}[warm], fmtDur(v), fmtDur(em), fmtDur(fu))
		if !warm {
			version = append(version, v.Seconds())
			empty = append(empty, em.Seconds())
			full = append(full, fu.Seconds())
		}
	}

	s := &section{name: "coldstart", title: "coldstart: cold start to /healthz ready",
		intro: fmt.Sprintf("`parley --data-dir DIR --addr 127.0.0.1:0 --no-browser` with PARLEY_BACKUP_INTERVAL=0, timed from just before cmd.Start "+
			"to the first 200 from GET /healthz (polled about every 1 ms after the %q line); then SIGTERM and wait. "+
			"\"Cold\" means a new process; the database file is in the page cache.", readyLine+"URL")}
	s.add("baseline: `parley --version` (process start cost)", version.fmtDur())
	s.add("baseline: fresh, empty data directory: ready", empty.fmtDur())
	s.goal(fmt.Sprintf("%s database: ready (median)", fmtMB(e.db.txSize)), full.fmtDur(), "<= "+fmtDur(coldStartGoal),
		check(secs(full.median()) <= coldStartGoal))
	s.add(fmt.Sprintf("%s database: ready, worst run", fmtMB(e.db.txSize)), fmtDur(secs(full.max())))
	s.add("ratio database / empty data directory (medians)", fmtRatio(full.median()/empty.median()))
	s.add("ratio database / `parley --version` (medians)", fmtRatio(full.median()/version.median()))
	return s, nil
}
