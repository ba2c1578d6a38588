//go:build linux

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// fileSizes returns a file's size and the bytes allocated to it on disk
// (less than the size when the file has holes).
func fileSizes(path string) (size, alloc int64, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, 0, fmt.Errorf("stat: %w", err)
	}
	size, alloc = fi.Size(), fi.Size()
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		alloc = st.Blocks * 512
	}
	return size, alloc, nil
}

// copyFile copies src to dst and fsyncs dst, so its dirty pages are not
// written back in the middle of a later measurement.
func copyFile(ctx context.Context, src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	defer func() {
		if cerr := out.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("copy: close %s: %w", dst, cerr)
		}
		if err != nil {
			os.Remove(dst)
		}
	}()
	if _, err := io.Copy(out, ctxReader{ctx, in}); err != nil {
		return fmt.Errorf("copy %s to %s: %w", src, dst, err)
	}
	if err := out.Sync(); err != nil {
		return fmt.Errorf("copy: sync %s: %w", dst, err)
	}
	return nil
}

// warmRead reads the whole file so its pages sit in the page cache.
func warmRead(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("warm-up read: %w", err)
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	for {
		_, err := f.Read(buf)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("warm-up read %s: %w", path, err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// removeSnapshot deletes a snapshot and the files SnapshotToFile writes
// beside it.
func removeSnapshot(path string) {
	for _, p := range []string{path, path + ".sha256", path + ".manifest.json"} {
		os.Remove(p)
	}
}

// ctxReader stops a copy when ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// ctxWriter stops a copy when ctx ends (or its deadline passes).
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// removeIfExists deletes path, warning about anything but a missing file.
func removeIfExists(path string) {
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		progress("warning: %v", err)
	}
}
