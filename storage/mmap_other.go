//go:build !windows

package storage

// initialMmapSize maps well beyond the current file so that the map rarely
// has to grow: growing the map waits for every open read transaction, and a
// snapshot is a long read transaction, so a remap during a snapshot would
// stall all writers for its whole duration. On unix the mapping is virtual
// address space only; the file does not grow with it.
func initialMmapSize(fileSize int64) int {
	const floor = 1 << 30
	want := 2 * fileSize
	if want < floor {
		return floor
	}
	return int(want)
}
