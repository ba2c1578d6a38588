package storage

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback waits until the previous range has reached the disk, then
// asks the kernel to begin writing this one (sync_file_range). Keeping one
// range in flight bounds how much snapshot data queues in front of the
// commits' own fsyncs. It is only a hint: durability comes from the final
// fsync.
func startWriteback(f *os.File, off, n int64) {
	fd := int(f.Fd())
	if off > 0 {
		_ = unix.SyncFileRange(fd, 0, off, unix.SYNC_FILE_RANGE_WAIT_BEFORE|unix.SYNC_FILE_RANGE_WRITE|unix.SYNC_FILE_RANGE_WAIT_AFTER)
	}
	_ = unix.SyncFileRange(fd, off, n, unix.SYNC_FILE_RANGE_WRITE)
}
