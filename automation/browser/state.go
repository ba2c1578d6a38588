package browser

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mxschmitt/playwright-go"
)

// StateFile is the saved storage state (cookies and local storage) of
// one account: <dir>/account-<ID>.json. It holds session cookies: it is a
// secret, written 0600 and never logged.
func StateFile(dir string, accountID uint64) string {
	return filepath.Join(dir, fmt.Sprintf("account-%d.json", accountID))
}

// writeState saves the context's storage state to the account's file
// atomically: a private temporary file in the same folder, synced, then
// renamed over the old one, so a crash leaves the old state or the new,
// never half of one.
func writeState(dir string, accountID uint64, c playwright.BrowserContext) (err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, fmt.Sprintf(".account-%d-*.tmp", accountID)) // created 0600
	if err != nil {
		return err
	}
	name := tmp.Name()
	tmp.Close()
	defer func() {
		if err != nil {
			os.Remove(name)
		}
	}()
	// The driver writes its own JSON (so nothing it saves is lost in a
	// translation); it truncates the file, which keeps the 0600 mode.
	if _, err := c.StorageState(playwright.BrowserContextStorageStateOptions{Path: &name}); err != nil {
		return err
	}
	if err := syncFile(name); err != nil {
		return err
	}
	if err := os.Rename(name, StateFile(dir, accountID)); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes the rename durable (best effort: not every system can
// sync a folder).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Saved is one account's saved session.
type Saved struct {
	AccountID uint64
	Path      string
	SavedAt   time.Time
	// Private: only the owner can read it (mode 0600 or stricter; always
	// true on Windows, where the mode says nothing).
	Private bool
	Mode    fs.FileMode
}

// Sessions describes the sessions folder: its saved sessions and whether
// everything in it is private.
type Sessions struct {
	Dir string
	// Exists is false before the first start created the folder.
	Exists bool
	// DirMode is the folder's mode; DirPrivate is true when it is 0700
	// or stricter (always on Windows).
	DirMode    fs.FileMode
	DirPrivate bool
	Saved      []Saved
	// Exposed lists the entries other users can read (files other than
	// the saved sessions included), each with its mode.
	Exposed []string
}

// OK reports whether the folder and every file in it are private.
func (s Sessions) OK() bool { return !s.Exists || (s.DirPrivate && len(s.Exposed) == 0) }

// ListSessions reads the sessions folder without opening any file.
func ListSessions(dir string) (Sessions, error) {
	s := Sessions{Dir: dir}
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	if !fi.IsDir() {
		return s, fmt.Errorf("%s is not a folder", dir)
	}
	s.Exists, s.DirMode, s.DirPrivate = true, fi.Mode().Perm(), private(fi.Mode())
	entries, err := os.ReadDir(dir)
	if err != nil {
		return s, err
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		if !private(info.Mode()) {
			s.Exposed = append(s.Exposed, fmt.Sprintf("%s (mode %v)", filepath.Join(dir, e.Name()), info.Mode().Perm()))
		}
		if id, ok := accountOf(e.Name()); ok && info.Mode().IsRegular() {
			s.Saved = append(s.Saved, Saved{AccountID: id, Path: filepath.Join(dir, e.Name()), SavedAt: info.ModTime(),
				Private: private(info.Mode()), Mode: info.Mode().Perm()})
		}
	}
	slices.SortFunc(s.Saved, func(a, b Saved) int { return cmp.Compare(a.AccountID, b.AccountID) })
	return s, nil
}

// private: no access for group and others (modes mean nothing on Windows,
// where the data folder's ACL protects the files).
func private(m fs.FileMode) bool { return runtime.GOOS == "windows" || m.Perm()&0o077 == 0 }

// accountOf parses "account-<ID>.json".
func accountOf(name string) (uint64, bool) {
	rest, ok := strings.CutPrefix(name, "account-")
	if !ok {
		return 0, false
	}
	num, ok := strings.CutSuffix(rest, ".json")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseUint(num, 10, 64)
	return id, err == nil && id > 0
}
