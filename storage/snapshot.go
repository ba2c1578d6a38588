package storage

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	bolt "go.etcd.io/bbolt"

	"parley/app/model"
)

// FileTimeLayout is the UTC timestamp used in snapshot file names.
const FileTimeLayout = "20060102T150405Z"

// SnapshotResult describes a snapshot written to disk.
type SnapshotResult struct {
	Path     string
	Size     int64
	SHA256   string
	Duration time.Duration
	Manifest model.SnapshotManifest
}

// SnapshotToFile writes a consistent copy of the live database to dest
// while the store keeps serving reads and writes. The copy goes to a temp
// file in the same directory, is fsynced and renamed into place, and is
// followed by dest.sha256 (sha256sum -c compatible) and dest.manifest.json.
func (s *Store) SnapshotToFile(dest string) (res SnapshotResult, err error) {
	start := time.Now()
	dir, base := filepath.Split(dest)
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return res, fmt.Errorf("storage: snapshot: create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return res, fmt.Errorf("storage: snapshot: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()

	var manifest model.SnapshotManifest
	defer lowIOPriority()()
	err = s.db.View(func(b *bolt.Tx) error {
		hw := newHashingWriter(&writebackFile{f: tmp})
		n, werr := b.WriteTo(hw)
		sum, cerr := hw.Close()
		if werr != nil {
			return werr
		}
		if cerr != nil {
			return cerr
		}
		head, herr := (&Tx{b: b}).AuditHead()
		if herr != nil {
			return herr
		}
		version, _ := readSchemaVersion(b)
		manifest = model.SnapshotManifest{
			V: 1, File: base, AppVersion: s.appVersion, SchemaVersion: version,
			AuditHead: head, CreatedAt: s.clock.Now(), Size: n, SHA256: sum,
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("storage: snapshot to %s: %w", dest, err)
	}
	if err = tmp.Sync(); err != nil {
		return res, fmt.Errorf("storage: snapshot: sync: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return res, fmt.Errorf("storage: snapshot: close: %w", err)
	}
	if err = os.Rename(tmp.Name(), dest); err != nil {
		return res, fmt.Errorf("storage: snapshot: %w", err)
	}
	if err = WriteChecksumFile(dest, manifest.SHA256); err != nil {
		return res, err
	}
	mb, _ := json.MarshalIndent(manifest, "", "  ")
	if err = WriteFileAtomic(dest+".manifest.json", append(mb, '\n')); err != nil {
		return res, fmt.Errorf("storage: snapshot manifest: %w", err)
	}
	if err = SyncDir(dir); err != nil {
		return res, fmt.Errorf("storage: snapshot: %w", err)
	}
	return SnapshotResult{
		Path: dest, Size: manifest.Size, SHA256: manifest.SHA256,
		Duration: time.Since(start), Manifest: manifest,
	}, nil
}

// Chunk sizes of the hashing pipeline: big reads amortise system calls, and
// a few chunks in flight let hashing overlap the file writes.
const (
	hashChunkSize  = 128 << 10
	hashChunkCount = 8
)

// hashingWriter writes to a file and hashes the same bytes in a second
// goroutine, so SHA-256 does not sit on the copy's critical path the way it
// would behind an io.MultiWriter.
type hashingWriter struct {
	f    io.Writer
	h    hash.Hash
	cur  []byte
	work chan []byte
	free chan []byte
	done chan struct{}
	err  error
}

func newHashingWriter(f io.Writer) *hashingWriter {
	w := &hashingWriter{
		f:    f,
		h:    sha256.New(),
		work: make(chan []byte, hashChunkCount),
		free: make(chan []byte, hashChunkCount),
		done: make(chan struct{}),
	}
	for range hashChunkCount - 1 {
		w.free <- make([]byte, 0, hashChunkSize)
	}
	w.cur = make([]byte, 0, hashChunkSize)
	go func() {
		defer close(w.done)
		for c := range w.work {
			w.h.Write(c)
			w.free <- c[:0]
			// Hashing never blocks, so without a yield it would keep its
			// P until the scheduler preempts it (10 ms), and commits
			// waiting for a P would see that as latency.
			runtime.Gosched()
		}
	}()
	return w
}

func (w *hashingWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		if w.err != nil {
			return written, w.err
		}
		n := copy(w.cur[len(w.cur):cap(w.cur)], p)
		w.cur = w.cur[:len(w.cur)+n]
		p = p[n:]
		written += n
		if len(w.cur) == cap(w.cur) {
			w.flush()
		}
	}
	return written, w.err
}

// ReadFrom fills chunks straight from r, saving a copy and letting the
// source be read in large blocks (tx.WriteTo uses io.CopyN).
func (w *hashingWriter) ReadFrom(r io.Reader) (int64, error) {
	var total int64
	for w.err == nil {
		n, err := r.Read(w.cur[len(w.cur):cap(w.cur)])
		w.cur = w.cur[:len(w.cur)+n]
		total += int64(n)
		if len(w.cur) == cap(w.cur) {
			w.flush()
		}
		if err == io.EOF {
			return total, w.err
		}
		if err != nil {
			return total, err
		}
	}
	return total, w.err
}

func (w *hashingWriter) flush() {
	if len(w.cur) == 0 || w.err != nil {
		return
	}
	c := w.cur
	w.work <- c
	if _, err := w.f.Write(c); err != nil {
		w.err = err
	}
	w.cur = <-w.free
	runtime.Gosched()
}

// Close flushes the last chunk, waits for the hash and returns it in hex.
func (w *hashingWriter) Close() (string, error) {
	w.flush()
	close(w.work)
	<-w.done
	if w.err != nil {
		return "", w.err
	}
	return hex.EncodeToString(w.h.Sum(nil)), nil
}
