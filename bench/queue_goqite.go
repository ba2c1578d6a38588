//go:build linux

package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"time"

	"maragu.dev/goqite"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver, registered as "sqlite"

	"parley/app/model"
)

// The baseline's versions (kept in step with go.mod).
const (
	goqiteVersion       = "maragu.dev/goqite v0.4.0"
	sqliteDriverVersion = "modernc.org/sqlite v1.62.0"
)

// goqiteSchema is goqite's schema_sqlite.sql (v0.4.0); goqite ships it but
// only creates it in its own tests.
const goqiteSchema = `
create table goqite (
  id text primary key default ('m_' || lower(hex(randomblob(16)))),
  created text not null default (strftime('%Y-%m-%dT%H:%M:%fZ')),
  updated text not null default (strftime('%Y-%m-%dT%H:%M:%fZ')),
  queue text not null,
  body blob not null,
  timeout text not null default (strftime('%Y-%m-%dT%H:%M:%fZ')),
  received integer not null default 0,
  priority integer not null default 0
) strict;

create trigger goqite_updated_timestamp after update on goqite begin
  update goqite set updated = strftime('%Y-%m-%dT%H:%M:%fZ') where id = old.id;
end;

create index goqite_queue_priority_created_idx on goqite (queue, priority desc, created);
`

// goqiteDSN opens path in WAL mode with full syncs; writers wait for the
// lock instead of failing, and take it when their transaction begins.
func goqiteDSN(path string) string {
	return "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(10000)&_txlock=immediate"
}

// openGoqite creates a fresh goqite queue in dir; maxConns limits the
// connection pool (0: database/sql's default, no limit).
func openGoqite(ctx context.Context, dir string, maxConns int) (*sql.DB, *goqite.Queue, error) {
	db, err := sql.Open("sqlite", goqiteDSN(filepath.Join(dir, "goqite.db")))
	if err != nil {
		return nil, nil, err
	}
	if maxConns > 0 {
		db.SetMaxOpenConns(maxConns)
		db.SetMaxIdleConns(maxConns)
	}
	var mode string
	var sync int
	if err := db.QueryRowContext(ctx, "pragma journal_mode").Scan(&mode); err != nil {
		db.Close()
		return nil, nil, err
	}
	if err := db.QueryRowContext(ctx, "pragma synchronous").Scan(&sync); err != nil {
		db.Close()
		return nil, nil, err
	}
	if mode != "wal" || sync != 2 {
		db.Close()
		return nil, nil, fmt.Errorf("sqlite: journal_mode %q, synchronous %d; want wal, 2 (FULL)", mode, sync)
	}
	if _, err := db.ExecContext(ctx, goqiteSchema); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("create goqite schema: %w", err)
	}
	q := goqite.New(goqite.NewOpts{DB: db, Name: "jobs", Timeout: time.Minute})
	return db, q, nil
}

// goqiteSession is a goqite queue shared by the workers.
type goqiteSession struct {
	db      *sql.DB
	q       *goqite.Queue
	workers int
	commits atomic.Int64
	empty   atomic.Int64
}

func openGoqiteSession(ctx context.Context, dir string, workers, maxConns int) (queueSession, error) {
	db, q, err := openGoqite(ctx, dir, maxConns)
	if err != nil {
		return nil, err
	}
	return &goqiteSession{db: db, q: q, workers: workers}, nil
}

// run makes every worker do n cycles of Send, Receive, Delete. The body
// is a JSON job like the record Parley stores.
func (s *goqiteSession) run(ctx context.Context, n int, _ bool) (time.Duration, error) {
	t0 := time.Now()
	err := runWorkers(s.workers, func(w int) error {
		for range n {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			now := time.Now().UTC()
			body, err := json.Marshal(model.Job{AccountID: uint64(w + 1), Kind: model.JobVisit, State: model.JobQueued, Due: now, CreatedAt: now, UpdatedAt: now})
			if err != nil {
				return err
			}
			if err := s.q.Send(ctx, goqite.Message{Body: body}); err != nil {
				return fmt.Errorf("send: %w", err)
			}
			s.commits.Add(1)
			var m *goqite.Message
			for m == nil {
				if m, err = s.q.Receive(ctx); err != nil {
					return fmt.Errorf("receive: %w", err)
				}
				if m == nil { // another worker took the message meanwhile
					s.empty.Add(1) // a transaction that changed nothing
				}
			}
			s.commits.Add(1)
			if err := s.q.Delete(ctx, m.ID); err != nil {
				return fmt.Errorf("delete: %w", err)
			}
			s.commits.Add(1)
		}
		return nil
	})
	return time.Since(t0), err
}

func (s *goqiteSession) close() (queueCounts, error) {
	if s.db == nil {
		return queueCounts{}, nil
	}
	c := queueCounts{commits: s.commits.Load(), ops: s.commits.Load(), emptyReceives: s.empty.Load()}
	var left int
	err := s.db.QueryRow("select count(*) from goqite").Scan(&left)
	if err == nil && left != 0 {
		err = fmt.Errorf("%d messages left in the queue", left)
	}
	if cerr := s.db.Close(); err == nil {
		err = cerr
	}
	s.db = nil
	return c, err
}
