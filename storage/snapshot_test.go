package storage

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestHashingWriterMatchesSHA256(t *testing.T) {
	for _, size := range []int{0, 1, hashChunkSize - 1, hashChunkSize, hashChunkSize + 1, 5*hashChunkSize + 12345} {
		data := make([]byte, size)
		rand.Read(data)
		want := sha256.Sum256(data)
		for _, mode := range []string{"write", "readfrom"} {
			var out bytes.Buffer
			w := newHashingWriter(&out)
			if mode == "write" {
				for p := data; len(p) > 0; {
					n := min(len(p), 7777)
					w.Write(p[:n])
					p = p[n:]
				}
			} else {
				w.ReadFrom(io.LimitReader(bytes.NewReader(data), int64(size)))
			}
			sum, err := w.Close()
			if err != nil || sum != hex.EncodeToString(want[:]) {
				t.Errorf("%s %d bytes: sum %s err %v", mode, size, sum, err)
			}
			if !bytes.Equal(out.Bytes(), data) {
				t.Errorf("%s %d bytes: written bytes differ", mode, size)
			}
		}
	}
}

type failingWriter struct{ after int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.after -= len(p); f.after < 0 {
		return 0, fmt.Errorf("disk full")
	}
	return len(p), nil
}

func TestHashingWriterReportsWriteErrors(t *testing.T) {
	w := newHashingWriter(&failingWriter{after: hashChunkSize})
	w.Write(make([]byte, 3*hashChunkSize))
	if _, err := w.Close(); err == nil {
		t.Fatal("write error lost")
	}
}

// TestSnapshotWhileWriting takes snapshots while 8 goroutines commit
// continuously, then opens each snapshot and checks it is a consistent
// point-in-time copy: every writer's keys form an unbroken prefix 1..n.
func TestSnapshotWhileWriting(t *testing.T) {
	s := openTemp(t, Options{})
	const writers = 8
	s.db.Update(func(tx *bolt.Tx) error {
		for w := range writers {
			tx.CreateBucketIfNotExists([]byte(fmt.Sprintf("w%d", w)))
		}
		return nil
	})
	var stop atomic.Bool
	var wg sync.WaitGroup
	var written [writers]atomic.Uint64
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := []byte(fmt.Sprintf("w%d", w))
			for i := uint64(1); !stop.Load(); i++ {
				err := s.db.Update(func(tx *bolt.Tx) error {
					return tx.Bucket(name).Put(itob(i), bytes.Repeat([]byte{byte(i)}, 512))
				})
				if err != nil {
					t.Error(err)
					return
				}
				written[w].Store(i)
			}
		}()
	}
	// Wait for every writer to be committing, and for fresh commits between
	// snapshots, so each snapshot really races with writes (a loaded
	// machine can otherwise finish all three before the first commit).
	progress := func(w int, beyond uint64) {
		deadline := time.Now().Add(30 * time.Second)
		for written[w].Load() <= beyond {
			if time.Now().After(deadline) {
				t.Fatalf("writer %d made no progress", w)
			}
			time.Sleep(time.Millisecond)
		}
	}
	for w := range writers {
		progress(w, 0)
	}
	dir := t.TempDir()
	var snaps []SnapshotResult
	for i := range 3 {
		progress(0, written[0].Load())
		res, err := s.SnapshotToFile(filepath.Join(dir, fmt.Sprintf("snap-%d.db", i)))
		if err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, res)
	}
	stop.Store(true)
	wg.Wait()

	for _, snap := range snaps {
		if got, _ := FileSHA256(snap.Path); got != snap.SHA256 {
			t.Fatalf("%s: file hash %s, reported %s", snap.Path, got, snap.SHA256)
		}
		if recorded, err := ReadChecksumFile(snap.Path); err != nil || recorded != snap.SHA256 {
			t.Fatalf("checksum file: %s %v", recorded, err)
		}
		if _, err := Verify(snap.Path, 0); err != nil {
			t.Fatalf("snapshot fails verification: %v", err)
		}
		db, err := bolt.Open(snap.Path, 0o600, &bolt.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		db.View(func(tx *bolt.Tx) error {
			for w := range writers {
				b := tx.Bucket([]byte(fmt.Sprintf("w%d", w)))
				var n uint64
				b.ForEach(func(k, v []byte) error {
					n++
					if btoi(k) != n || len(v) != 512 || v[0] != byte(n) {
						t.Errorf("writer %d: key %d at position %d: snapshot is not consistent", w, btoi(k), n)
					}
					return nil
				})
				if n > written[w].Load() {
					t.Errorf("writer %d: snapshot holds %d keys, more than were written", w, n)
				}
			}
			return nil
		})
		db.Close()
	}
}

func TestSnapshotChecksumFileWorksWithSha256sum(t *testing.T) {
	bin, err := exec.LookPath("sha256sum")
	if err != nil {
		t.Skip("sha256sum not installed")
	}
	s := openTemp(t, Options{})
	dir := t.TempDir()
	res, err := s.SnapshotToFile(filepath.Join(dir, "parley-x.db"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-c", filepath.Base(res.Path)+".sha256")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sha256sum -c: %v\n%s", err, out)
	}
	// A flipped byte is caught by the same check.
	f, _ := os.OpenFile(res.Path, os.O_RDWR, 0)
	f.WriteAt([]byte{0xFF}, res.Size/2)
	f.Close()
	cmd = exec.Command(bin, "-c", filepath.Base(res.Path)+".sha256")
	cmd.Dir = dir
	if err := cmd.Run(); err == nil {
		t.Fatal("sha256sum -c accepted a modified snapshot")
	}
	if got, _ := FileSHA256(res.Path); got == res.SHA256 {
		t.Fatal("FileSHA256 did not notice the flipped byte")
	}
}

func TestSnapshotFailureLeavesNoFile(t *testing.T) {
	s := openTemp(t, Options{})
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	os.WriteFile(blocker, nil, 0o600)
	if _, err := s.SnapshotToFile(filepath.Join(blocker, "x.db")); err == nil {
		t.Fatal("snapshot into a path under a regular file succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("left files behind: %v", entries)
	}
}
