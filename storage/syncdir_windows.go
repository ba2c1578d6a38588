//go:build windows

package storage

// SyncDir is a no-op on Windows: directories cannot be opened for fsync
// there, and NTFS journals the rename itself.
func SyncDir(dir string) error { return nil }
