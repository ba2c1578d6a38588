package storage

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// WriteChecksumFile writes path.sha256 in the format sha256sum -c reads:
// "<hex>  <file name>", so `cd backups && sha256sum -c NAME.sha256` works.
func WriteChecksumFile(path, sum string) error {
	line := sum + "  " + filepath.Base(path) + "\n"
	if err := WriteFileAtomic(path+".sha256", []byte(line)); err != nil {
		return fmt.Errorf("storage: write checksum for %s: %w", path, err)
	}
	return nil
}

// ReadChecksumFile returns the hex SHA-256 recorded in path.sha256.
func ReadChecksumFile(path string) (string, error) {
	f, err := os.Open(path + ".sha256")
	if err != nil {
		if os.IsNotExist(err) {
			return "", fmt.Errorf("no checksum file %s.sha256 beside it", filepath.Base(path))
		}
		return "", err
	}
	defer f.Close()
	line, err := bufio.NewReader(io.LimitReader(f, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	sum, ok := parseChecksumLine(line)
	if !ok {
		return "", fmt.Errorf("%s.sha256 is not a sha256sum line", filepath.Base(path))
	}
	return sum, nil
}

// parseChecksumLine reads the hash from a "<hex>  <name>" line.
func parseChecksumLine(line string) (string, bool) {
	fields := strings.Fields(line)
	if len(fields) < 1 || len(fields[0]) != 64 {
		return "", false
	}
	if _, err := hex.DecodeString(fields[0]); err != nil {
		return "", false
	}
	return strings.ToLower(fields[0]), true
}

// FileSHA256 hashes a whole file.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// CopyFileSync copies src to dst (0600), hashing on the way, and fsyncs
// dst. It returns the SHA-256 of the bytes written.
func CopyFileSync(src, dst string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	hw := newHashingWriter(out)
	_, cerr := io.Copy(hw, in)
	sum, herr := hw.Close()
	if cerr == nil {
		cerr = herr
	}
	if cerr == nil {
		cerr = out.Sync()
	}
	if err := out.Close(); cerr == nil {
		cerr = err
	}
	if cerr != nil {
		os.Remove(dst)
		return "", cerr
	}
	return sum, nil
}

// writeFileAtomic writes data to a temp file beside path, fsyncs it and
// renames it over path, so readers see the old or the new file, never half.
func WriteFileAtomic(path string, data []byte) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}
