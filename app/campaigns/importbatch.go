package campaigns

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"parley/app/model"
	"parley/storage"
)

// commit stores the pending rows and rejections in one transaction with a
// progress event, then reports progress.
func (im *importer) commit() error {
	if len(im.batch) == 0 && len(im.rejects) == 0 {
		return nil
	}
	run := im.run_
	err := im.s.store.Update(func(tx *storage.Tx) error {
		run = im.run_
		var touched []uint64
		inBatch := map[string]int{}
		for _, r := range im.batch {
			key := string(r.profile.Kind) + ":" + r.profile.Key
			if first, dup := inBatch[key]; dup && im.opts.Duplicates == DuplicatesSkip {
				run.Skipped++
				if err := tx.AddImportReject(run.ID, model.ImportReject{Line: r.line, Reason: fmt.Sprintf("same person as line %d", first), Profile: r.profile.URL, Skipped: true}); err != nil {
					return err
				}
				continue
			}
			inBatch[key] = r.line
			id, outcome, err := im.store(tx, r)
			if err != nil {
				return fmt.Errorf("line %d: %w", r.line, err)
			}
			switch outcome {
			case "imported":
				run.Imported++
			case "updated":
				run.Updated++
			default:
				run.Skipped++
				if err := tx.AddImportReject(run.ID, model.ImportReject{Line: r.line, Reason: outcome, Profile: r.profile.URL, Skipped: true}); err != nil {
					return err
				}
			}
			if id != 0 {
				touched = append(touched, id)
			}
		}
		run.BytesRead = im.counter.n
		for _, rej := range im.rejects {
			run.Rejected++
			if err := tx.AddImportReject(run.ID, rej); err != nil {
				return err
			}
		}
		if err := tx.PutImport(run); err != nil {
			return err
		}
		e, err := tx.AppendEvent(importEvent("import.progress", run, im.o))
		if err != nil {
			return err
		}
		for _, id := range touched {
			if err := tx.IndexLeadEvent(id, e.Seq); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	im.run_, im.batch, im.rejects = run, im.batch[:0], im.rejects[:0]
	if im.opts.Progress != nil {
		im.opts.Progress(run)
	}
	return nil
}

// store creates or merges one lead; outcome is "imported", "updated" or
// the reason it was skipped.
func (im *importer) store(tx *storage.Tx, r row) (uint64, string, error) {
	if !im.opts.AllowErased {
		erased, err := tx.IsErased(r.profile.Key)
		if err != nil {
			return 0, "", err
		}
		if erased {
			return 0, "this person asked to be erased; import with the override to add them again", nil
		}
	}
	if id := tx.LeadIDByProfile(string(r.profile.Kind), r.profile.Key); id != 0 {
		existing, err := tx.Lead(id)
		if err != nil {
			return 0, "", err
		}
		if im.opts.Duplicates == DuplicatesSkip {
			if existing.Source == im.source() {
				return 0, "same person as an earlier row of this file", nil
			}
			return 0, fmt.Sprintf("already a lead (%d); kept as it was", existing.ID), nil
		}
		if err := fill(&existing, onlyMissing(existing, r.in)); err != nil {
			return 0, "", err
		}
		if !contains(existing.Lists, im.list.ID) {
			existing.Lists = append(existing.Lists, im.list.ID)
		}
		existing.UpdatedAt = tx.Now()
		return existing.ID, "updated", tx.SaveLead(existing)
	}
	l := model.Lead{ProfileURL: r.profile.URL, ProfileKind: string(r.profile.Kind), ProfileKey: r.profile.Key,
		State: model.LeadNew, Lists: []uint64{im.list.ID}, Source: im.source(),
		CreatedAt: tx.Now(), UpdatedAt: tx.Now(), StateAt: tx.Now()}
	if err := fill(&l, r.in); err != nil {
		return 0, "", err
	}
	l, err := tx.CreateLead(l)
	return l.ID, "imported", err
}

// source is the Source of the leads this import creates.
func (im *importer) source() string { return "import:" + strconv.FormatUint(im.run_.ID, 10) }

// onlyMissing keeps the fields the existing lead does not have yet, so a
// merge never overwrites what is known; tags and custom fields are added.
func onlyMissing(l model.Lead, in LeadInput) LeadInput {
	keep := func(have, v string) string {
		if have != "" {
			return ""
		}
		return v
	}
	out := LeadInput{
		FirstName: keep(l.FirstName, in.FirstName), LastName: keep(l.LastName, in.LastName),
		FullName: keep(l.FullName, in.FullName), Company: keep(l.Company, in.Company), Title: keep(l.Title, in.Title),
		Email: keep(l.Email, in.Email), Location: keep(l.Location, in.Location), Tags: in.Tags,
	}
	for k, v := range in.Custom {
		if l.Custom[k] == "" {
			if out.Custom == nil {
				out.Custom = map[string]string{}
			}
			out.Custom[k] = v
		}
	}
	return out
}

// finish records the outcome. Errors after some batches committed leave
// those batches in place and say how far the import got.
func (im *importer) finish(err error) (model.ImportRun, error) {
	run := im.run_
	run.Status = model.ImportDone
	if im.counter != nil {
		run.BytesRead = im.counter.n
	}
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		run.Status, run.Error = model.ImportCancelled, fmt.Sprintf("cancelled after %d rows", run.Rows)
	case err != nil:
		run.Status, run.Error = model.ImportFailed, model.PublicMessage(err)
	}
	uerr := im.s.store.Update(func(tx *storage.Tx) error {
		run.FinishedAt = tx.Now()
		if err := tx.PutImport(run); err != nil {
			return err
		}
		_, err := tx.AppendEvent(importEvent("import.finished", run, im.o))
		return err
	})
	im.run_ = run
	if uerr != nil {
		return run, uerr
	}
	if run.Status == model.ImportFailed {
		return run, err
	}
	return run, nil
}

// RecoverImports marks imports left running by a crash as failed; their
// committed batches stay.
func (s *Service) RecoverImports() error {
	return s.store.Update(func(tx *storage.Tx) error {
		runs, err := tx.Imports(50)
		if err != nil {
			return err
		}
		for _, r := range runs {
			if r.Status != model.ImportRunning {
				continue
			}
			r.Status, r.Error, r.FinishedAt = model.ImportFailed, fmt.Sprintf("interrupted after %d rows: Parley stopped; the leads imported until then are kept", r.Rows), tx.Now()
			if err := tx.PutImport(r); err != nil {
				return err
			}
			if _, err := tx.AppendEvent(importEvent("import.finished", r, model.Origin{})); err != nil {
				return err
			}
		}
		return nil
	})
}

// ImportRun returns a stored run.
func (s *Service) ImportRun(id uint64) (model.ImportRun, error) {
	var r model.ImportRun
	err := s.store.View(func(tx *storage.Tx) (err error) {
		r, err = tx.Import(id)
		return err
	})
	return r, err
}

// Imports lists recent runs, newest first.
func (s *Service) Imports(limit int) ([]model.ImportRun, error) {
	var out []model.ImportRun
	err := s.store.View(func(tx *storage.Tx) (err error) {
		out, err = tx.Imports(limit)
		return err
	})
	return out, err
}

// ImportRejects calls fn for every refused or skipped row of an import.
func (s *Service) ImportRejects(id uint64, fn func(model.ImportReject) error) error {
	return s.store.View(func(tx *storage.Tx) error { return tx.ImportRejects(id, fn) })
}
