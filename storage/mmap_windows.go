//go:build windows

package storage

// initialMmapSize keeps bbolt's default on Windows, where mapping a region
// also grows the file to that size: a 1 GiB map would turn a small database
// on a USB stick into a 1 GiB file. Writers may stall if the map must grow
// during a snapshot; docs/RUNBOOK.md mentions it.
func initialMmapSize(fileSize int64) int { return 0 }
