package runtime

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"parley/app/model"
	"parley/automation"
	"parley/storage"
)

// PruneEvidence deletes the screenshots and page copies the site kept
// that are older than the evidence retention, except those an open
// incident names (the person working on it still needs them). It returns
// how many files it deleted.
func (r *Runtime) PruneEvidence() (int, error) {
	dir := r.opts.EvidenceDir
	if dir == "" {
		return 0, nil
	}
	var days int
	keep := map[string]bool{}
	err := r.store.View(func(tx *storage.Tx) error {
		st, err := ReadSettings(tx)
		if err != nil {
			return err
		}
		days = st.EvidenceRetentionDays
		open, err := tx.OpenIncidents()
		for _, in := range open {
			texts := []string{in.Title}
			for _, e := range in.Timeline {
				texts = append(texts, e.What)
			}
			for _, f := range automation.EvidenceIn(texts...) {
				keep[filepath.FromSlash(f)] = true
				// The page copy goes with its screenshot.
				keep[filepath.FromSlash(model.PageCopy(f))] = true
			}
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	cutoff := r.clock.Now().AddDate(0, 0, -days)
	n := 0
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		if ext := filepath.Ext(path); ext != ".png" && ext != ".html" {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil || keep[rel] {
			return err
		}
		info, err := d.Info()
		if err != nil || !info.ModTime().Before(cutoff) {
			return err
		}
		if err := os.Remove(path); err != nil {
			return err
		}
		n++
		return nil
	})
	return n, err
}
