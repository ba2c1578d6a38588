//go:build linux

package main

import (
	"os"
	"path/filepath"
	"time"
)

// watchInterval is how often watchTempFile looks at the temp file.
const watchInterval = 2 * time.Millisecond

// sizeSample is the size of a snapshot's temp file at one moment.
type sizeSample struct {
	at   time.Time
	size int64
}

// watchTempFile samples, until stop closes, the size of the temp file that
// SnapshotToFile writes before renaming it to dest ("."+base+".tmp-*" in
// the same directory), recording each change and, with size -1, when the
// file disappears (the rename after its fsync). It lets the benchmark tell
// the copy phase from the fsync that follows without touching Parley's
// code. The samples arrive on the channel once stop closes.
func watchTempFile(dest string, stop <-chan struct{}) <-chan []sizeSample {
	out := make(chan []sizeSample, 1)
	pattern := filepath.Join(filepath.Dir(dest), "."+filepath.Base(dest)+".tmp-*")
	go func() {
		var samples []sizeSample
		last := int64(-1)
		tick := time.NewTicker(watchInterval)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				out <- samples
				return
			case <-tick.C:
			}
			matches, _ := filepath.Glob(pattern)
			if len(matches) == 0 && last >= 0 {
				last = -1
				samples = append(samples, sizeSample{time.Now(), -1})
			}
			if len(matches) != 1 {
				continue
			}
			fi, err := os.Stat(matches[0])
			if err != nil || fi.Size() == last {
				continue
			}
			last = fi.Size()
			samples = append(samples, sizeSample{time.Now(), last})
		}
	}()
	return out
}

// renamedAt is when the temp file was seen gone after it had existed
// (zero if never).
func renamedAt(samples []sizeSample) time.Time {
	for i, s := range samples {
		if s.size < 0 && i > 0 {
			return s.at
		}
	}
	return time.Time{}
}

// reachedSize is when the samples first show size bytes (zero if never).
func reachedSize(samples []sizeSample, size int64) time.Time {
	for _, s := range samples {
		if s.size >= size {
			return s.at
		}
	}
	return time.Time{}
}
