package storage

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"parley/app/model"
)

// DefaultLockTimeout is how long Open waits for another process to release
// the database before reporting ErrLocked.
const DefaultLockTimeout = 500 * time.Millisecond

// ErrLocked means another process (normally a running Parley) holds the
// database open.
var ErrLocked = errors.New("the database is in use by another Parley process")

// Options configure Open.
type Options struct {
	// Path of the database file; created when missing.
	Path string
	// LockTimeout bounds the wait for the file lock (DefaultLockTimeout).
	LockTimeout time.Duration
	// Clock stamps events and records (model.SystemClock).
	Clock model.Clock
	// Logger receives storage diagnostics (discarded when nil).
	Logger *slog.Logger
	// SnapshotDir receives the checksummed snapshot taken automatically
	// before any migration runs. Required when a migration is pending.
	SnapshotDir string
	// AppVersion is written into snapshot manifests.
	AppVersion string
	// ReadOnly opens with a shared lock and never migrates.
	ReadOnly bool

	// migrations replaces the schema for tests of the migration machinery.
	migrations []Migration
}

// Store is the open database. It is safe for concurrent use.
type Store struct {
	db         *bolt.DB
	path       string
	clock      model.Clock
	log        *slog.Logger
	appVersion string
	latest     int
	onEvents   atomic.Pointer[func()]
	planner    atomic.Pointer[Planner]
	group      grouper
}

// Planner keeps the job queue in step with the campaigns. Update calls it
// just before a transaction commits, inside that transaction, for every
// enrolment, approval and campaign the transaction changed, so that a job
// is planned (or dropped) together with the change that causes it.
type Planner interface {
	PlanEnrolment(tx *Tx, campaignID, leadID uint64) error
	PlanCampaign(tx *Tx, campaignID uint64) error
}

// SetPlanner installs the planner (the runtime does, at start).
func (s *Store) SetPlanner(p Planner) { s.planner.Store(&p) }

// Open validates, opens and migrates the database at opts.Path.
//
// A file that is damaged or truncated yields *CorruptError, a file from a
// newer Parley *SchemaError, and a file held by another process ErrLocked.
func Open(opts Options) (*Store, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = DefaultLockTimeout
	}
	if opts.Clock == nil {
		opts.Clock = model.SystemClock{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	schema := opts.migrations
	if schema == nil {
		schema = Schema()
	}

	size, err := fileSize(opts.Path)
	if err != nil {
		return nil, fmt.Errorf("storage: open %s: %w", opts.Path, err)
	}
	if size > 0 {
		info, err := Inspect(opts.Path, opts.LockTimeout)
		if err != nil {
			return nil, err
		}
		if !info.Parley {
			return nil, &CorruptError{Path: opts.Path, Reason: "it is a bbolt database, but not one written by Parley"}
		}
		if info.SchemaVersion > len(schema) {
			return nil, &SchemaError{Path: opts.Path, Found: info.SchemaVersion, Supported: len(schema)}
		}
	}

	db, err := bolt.Open(opts.Path, 0o600, &bolt.Options{
		Timeout:         opts.LockTimeout,
		ReadOnly:        opts.ReadOnly,
		InitialMmapSize: initialMmapSize(size),
		FreelistType:    bolt.FreelistMapType,
	})
	if err != nil {
		return nil, openError(opts.Path, err)
	}
	s := &Store{
		db:         db,
		path:       opts.Path,
		clock:      opts.Clock,
		log:        opts.Logger,
		appVersion: opts.AppVersion,
		latest:     len(schema),
	}
	if opts.ReadOnly {
		return s, nil
	}
	if err := s.migrate(schema, opts.SnapshotDir); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// Close releases the database. It waits for open transactions to finish.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("storage: close: %w", err)
	}
	return nil
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Clock is the clock the store stamps records with.
func (s *Store) Clock() model.Clock { return s.clock }

// LatestSchema is the schema version this build writes.
func (s *Store) LatestSchema() int { return s.latest }

// Update runs fn in one read-write transaction: all of fn's writes commit
// together or not at all. If it appended events, the event hook runs
// after the commit.
func (s *Store) Update(fn func(*Tx) error) error {
	var appended bool
	err := s.db.Update(func(b *bolt.Tx) error {
		tx := &Tx{b: b, now: s.clock.Now()}
		err := fn(tx)
		if p := s.planner.Load(); err == nil && p != nil {
			err = tx.plan(*p)
		}
		if err == nil {
			err = tx.flushCounts()
		}
		appended = tx.appended
		return err
	})
	if err == nil && appended {
		if hook := s.onEvents.Load(); hook != nil {
			(*hook)()
		}
	}
	return err
}

// OnEvents sets a function called after every commit that appended
// events (the live-update hub uses it instead of polling). It must not
// block.
func (s *Store) OnEvents(fn func()) { s.onEvents.Store(&fn) }

// View runs fn in a read-only transaction. Keep it short: an open read
// transaction stops bbolt from reusing pages.
func (s *Store) View(fn func(*Tx) error) error {
	return s.db.View(func(b *bolt.Tx) error { return fn(&Tx{b: b, now: s.clock.Now()}) })
}

// Tx is a transaction with Parley's typed accessors.
type Tx struct {
	b        *bolt.Tx
	now      time.Time
	appended bool
	// deltas are counter changes (lead states, list sizes) gathered during
	// the transaction and written once before it commits, so a batch of a
	// thousand leads updates each counter once, not a thousand times.
	deltas map[counterKey]int64
	// changed are the enrolments and campaigns to plan jobs for before
	// the transaction commits.
	changed         map[[2]uint64]bool
	changedCampaign map[uint64]bool
}

// changedEnrolment notes an enrolment whose next job must be planned.
func (t *Tx) changedEnrolment(campaignID, leadID uint64) {
	if t.changed == nil {
		t.changed = map[[2]uint64]bool{}
	}
	t.changed[[2]uint64{campaignID, leadID}] = true
}

// plan runs the planner until nothing changed is left unplanned.
func (t *Tx) plan(p Planner) error {
	for len(t.changed) > 0 || len(t.changedCampaign) > 0 {
		camps, encs := t.changedCampaign, t.changed
		t.changedCampaign, t.changed = nil, nil
		for id := range camps {
			if err := p.PlanCampaign(t, id); err != nil {
				return err
			}
		}
		for k := range encs {
			if camps[k[0]] {
				continue // planned with its campaign
			}
			if err := p.PlanEnrolment(t, k[0], k[1]); err != nil {
				return err
			}
		}
	}
	return nil
}

type counterKey struct {
	bucket string
	key    string
}

// addCount changes a uint64 counter by delta when the transaction commits.
func (t *Tx) addCount(bucket []byte, key []byte, delta int64) {
	if t.deltas == nil {
		t.deltas = map[counterKey]int64{}
	}
	t.deltas[counterKey{string(bucket), string(key)}] += delta
}

// count reads a counter, pending changes included (never below 0).
func (t *Tx) count(bucket []byte, key []byte) uint64 {
	n := int64(btoi(t.b.Bucket(bucket).Get(key))) + t.deltas[counterKey{string(bucket), string(key)}]
	return uint64(max(n, 0))
}

// flushCounts writes the pending counter changes.
func (t *Tx) flushCounts() error {
	for k, d := range t.deltas {
		if d == 0 {
			continue
		}
		b := t.b.Bucket([]byte(k.bucket))
		n := int64(btoi(b.Get([]byte(k.key)))) + d
		if err := b.Put([]byte(k.key), itob(uint64(max(n, 0)))); err != nil {
			return fmt.Errorf("storage: counter %s/%x: %w", k.bucket, k.key, err)
		}
	}
	t.deltas = nil
	return nil
}

// appendOnly returns a bucket whose new keys mostly sort after the existing
// ones (sequence numbers, times, new IDs). Its pages are split nearly full
// instead of at bbolt's default half, which halves their size on disk and
// the bytes each commit writes.
func (t *Tx) appendOnly(name []byte) *bolt.Bucket {
	b := t.b.Bucket(name)
	b.FillPercent = appendFill
	return b
}

// appendFill leaves a little room so that an update that grows a value does
// not split a page at once.
const appendFill = 0.9

// Now is the time the transaction started, from the store's clock.
func (t *Tx) Now() time.Time { return t.now }

// Size is the size in bytes of the database as seen by this transaction.
func (t *Tx) Size() int64 { return t.b.Size() }

func fileSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if fi.IsDir() {
		return 0, fmt.Errorf("%s is a directory, not a database file", path)
	}
	return fi.Size(), nil
}

func openError(path string, err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return ErrLocked
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrVersionMismatch), errors.Is(err, berrors.ErrChecksum):
		return &CorruptError{Path: path, Reason: "it is not a valid bbolt database (" + err.Error() + ")"}
	}
	return fmt.Errorf("storage: open %s: %w", path, err)
}

// RelPath expresses p relative to the directory that holds the database
// (the data directory) when p lies inside it, so stored paths survive the
// data folder moving to another drive; other paths stay absolute.
func (s *Store) RelPath(p string) string {
	root, err := filepath.Abs(filepath.Dir(s.path))
	if err != nil {
		return p
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return abs
	}
	return rel
}

// AbsPath resolves a path stored by RelPath.
func (s *Store) AbsPath(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(filepath.Dir(s.path), p)
}

// SchemaVersion is the schema version stored in the database.
func (t *Tx) SchemaVersion() int {
	v, _ := readSchemaVersion(t.b)
	return v
}

// CreatedAt is when the database was first created.
func (t *Tx) CreatedAt() time.Time {
	b := t.b.Bucket(bucketMeta)
	if b == nil {
		return time.Time{}
	}
	at, _ := time.Parse(time.RFC3339, string(b.Get(keyCreatedAt)))
	return at
}
