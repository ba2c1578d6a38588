package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Paths derives every file and folder Parley uses from one root, so the
// whole data folder can move (another computer, another drive letter).
type Paths struct {
	Root string
}

// DB is the bbolt database.
func (p Paths) DB() string { return filepath.Join(p.Root, "parley.db") }

// Backups holds snapshots and their .sha256 and manifest files.
func (p Paths) Backups() string { return filepath.Join(p.Root, "backups") }

// Logs holds parley.log and its rotations.
func (p Paths) Logs() string { return filepath.Join(p.Root, "logs") }

// LogFile is the current log file.
func (p Paths) LogFile() string { return filepath.Join(p.Logs(), "parley.log") }

// Evidence holds screenshots and page copies kept when LinkedIn pushed
// back on an account (linked from its incident).
func (p Paths) Evidence() string { return filepath.Join(p.Root, "evidence") }

// BrowserProfiles holds one browser profile per LinkedIn account. They
// contain session cookies and are treated as secrets.
func (p Paths) BrowserProfiles() string { return filepath.Join(p.Root, "browser") }

// Plugins is the plugin directory.
func (p Paths) Plugins() string { return filepath.Join(p.Root, "plugins") }

// DotEnv is the data directory's .env file.
func (p Paths) DotEnv() string { return filepath.Join(p.Root, ".env") }

// TLS holds the self-signed certificate and its key.
func (p Paths) TLS() string { return filepath.Join(p.Root, "tls") }

// Instance records the running instance's URLs and pid.
func (p Paths) Instance() string { return filepath.Join(p.Root, "instance.json") }

// ControlToken is the secret of the local control channel (0600).
func (p Paths) ControlToken() string { return filepath.Join(p.Root, "control.token") }

// Rel expresses path relative to the root when it lies inside it.
func (p Paths) Rel(path string) string {
	rel, err := filepath.Rel(p.Root, path)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return path
	}
	return rel
}

// Abs resolves a path stored relative to the root.
func (p Paths) Abs(path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(p.Root, path)
}

// Ensure creates the data directory and its folders with owner-only
// permissions and proves that the root is writable.
func (p Paths) Ensure() error {
	for _, dir := range []string{p.Root, p.Backups(), p.Logs(), p.BrowserProfiles(), p.Plugins(), p.Imports()} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return notWritable(p.Root, err)
		}
		if runtime.GOOS != "windows" {
			if fi, err := os.Stat(dir); err == nil && fi.Mode().Perm() != 0o700 {
				if err := os.Chmod(dir, 0o700); err != nil {
					return fmt.Errorf("cannot make %s private (chmod 700): %v", dir, err)
				}
			}
		}
	}
	probe, err := os.CreateTemp(p.Root, ".write-test-*")
	if err != nil {
		return notWritable(p.Root, err)
	}
	probe.Close()
	return os.Remove(probe.Name())
}

func notWritable(root string, err error) error {
	var pe *os.PathError
	detail := err.Error()
	if errors.As(err, &pe) {
		detail = pe.Err.Error()
	}
	return fmt.Errorf("the data directory %s is not usable (%s); choose another with --data-dir or fix its permissions", root, detail)
}

// Imports holds uploaded CSV files until they are imported.
func (p Paths) Imports() string { return filepath.Join(p.Root, "imports") }
