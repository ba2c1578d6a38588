package storage

import "os"

// writebackEvery is how much a snapshot writes before asking the kernel to
// flush it. Without it, hundreds of MB sit dirty in the page cache until the
// final fsync, and every commit that lands during that fsync waits for the
// whole flush (measured: 230-300 ms stalls on a 500 MB snapshot). Small
// ranges with one in flight keep the disk queue short for the commits'
// own fsyncs (docs/BENCHMARKS.md).
const writebackEvery = 1 << 20

// writebackFile writes sequentially to f and flushes it range by range as
// it goes, so the final fsync has little left to do.
type writebackFile struct {
	f       *os.File
	off     int64
	flushed int64
}

func (w *writebackFile) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.off += int64(n)
	if w.off-w.flushed >= writebackEvery {
		startWriteback(w.f, w.flushed, w.off-w.flushed)
		w.flushed = w.off
	}
	return n, err
}
