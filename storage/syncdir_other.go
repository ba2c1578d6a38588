//go:build !windows

package storage

import "os"

// SyncDir fsyncs a directory so a rename inside it survives a crash.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
