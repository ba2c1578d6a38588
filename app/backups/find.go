package backups

import (
	"os"
	"path/filepath"
	"sort"

	"parley/app/config"
	"parley/storage"
)

// NewestGood returns the newest snapshot in the backups folder whose
// content still matches its .sha256 file. It checks at most a few files,
// newest first, because it runs while the operator waits.
func NewestGood(p config.Paths) (string, bool) {
	matches, _ := filepath.Glob(filepath.Join(p.Backups(), "*.db"))
	type cand struct {
		path string
		mod  int64
	}
	var cands []cand
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && fi.Mode().IsRegular() {
			cands = append(cands, cand{m, fi.ModTime().UnixNano()})
		}
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].mod > cands[j].mod })
	for i, c := range cands {
		if i == 5 {
			break
		}
		want, err := storage.ReadChecksumFile(c.path)
		if err != nil {
			continue
		}
		if got, err := storage.FileSHA256(c.path); err == nil && got == want {
			return c.path, true
		}
	}
	return "", false
}
