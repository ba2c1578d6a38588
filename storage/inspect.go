package storage

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// CorruptError reports a database file that cannot be used as it is.
type CorruptError struct {
	Path   string
	Reason string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("%s is damaged: %s", e.Path, e.Reason)
}

// SchemaError reports a database written by a newer Parley.
type SchemaError struct {
	Path      string
	Found     int
	Supported int
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("%s has schema version %d, but this Parley supports up to version %d: run a newer Parley, or restore a backup made with this version",
		e.Path, e.Found, e.Supported)
}

// Info describes a database file without changing it.
type Info struct {
	Size          int64
	SchemaVersion int
	// Parley is false for a valid bbolt file that Parley did not create.
	Parley bool
}

// Inspect opens path read-only and checks what can be checked cheaply: that
// it is a bbolt file, that it is not truncated (every page the metadata
// claims lies inside the file) and which schema version it carries. It never
// writes. A full page-by-page check is Verify.
func Inspect(path string, lockTimeout time.Duration) (info Info, err error) {
	size, err := fileSize(path)
	if err != nil {
		return info, fmt.Errorf("storage: inspect %s: %w", path, err)
	}
	if size == 0 {
		return info, &CorruptError{Path: path, Reason: "the file is empty"}
	}
	info.Size = size
	err = withFaultRecovery(path, func() error {
		db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: lockTimeout})
		if err != nil {
			return openError(path, err)
		}
		defer db.Close()
		return db.View(func(tx *bolt.Tx) error {
			if need := tx.Size(); need > size {
				return &CorruptError{Path: path, Reason: fmt.Sprintf(
					"the file is truncated: it has %d bytes but its metadata needs %d", size, need)}
			}
			info.SchemaVersion, info.Parley = readSchemaVersion(tx)
			return nil
		})
	})
	return info, err
}

// Verify runs Inspect and then bbolt's full consistency check (tx.Check)
// over every page. It returns a CorruptError naming the first problems.
func Verify(path string, lockTimeout time.Duration) (Info, error) {
	info, err := Inspect(path, lockTimeout)
	if err != nil {
		return info, err
	}
	err = withFaultRecovery(path, func() error {
		db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: lockTimeout})
		if err != nil {
			return openError(path, err)
		}
		defer db.Close()
		return db.View(func(tx *bolt.Tx) error { return checkTx(path, tx) })
	})
	return info, err
}

// Check runs bbolt's consistency check on the open store inside one read
// transaction. It is slow on big databases; run it in the background.
func (s *Store) Check() error {
	return withFaultRecovery(s.path, func() error {
		return s.db.View(func(tx *bolt.Tx) error { return checkTx(s.path, tx) })
	})
}

func checkTx(path string, tx *bolt.Tx) error {
	var problems []string
	for err := range tx.Check() {
		if len(problems) < 5 {
			problems = append(problems, err.Error())
		}
	}
	if len(problems) > 0 {
		return &CorruptError{Path: path, Reason: "consistency check failed: " + strings.Join(problems, "; ")}
	}
	return nil
}

// readSchemaVersion returns the schema version and whether the file looks
// like a Parley database. A file with no buckets at all is a fresh one.
func readSchemaVersion(tx *bolt.Tx) (int, bool) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		empty := true
		_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return errStop })
		return 0, empty
	}
	return int(btoi(meta.Get(keySchemaVersion))), true
}

var errStop = errors.New("stop")

// withFaultRecovery turns panics and memory faults raised while reading a
// damaged file into a CorruptError instead of crashing the process.
func withFaultRecovery(path string, fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		if r := recover(); r != nil {
			err = &CorruptError{Path: path, Reason: fmt.Sprintf("reading it failed (%v)", r)}
		}
	}()
	if _, statErr := os.Stat(path); statErr != nil {
		return fmt.Errorf("storage: %w", statErr)
	}
	return fn()
}
