package campaigns

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"parley/app/campaigns/csvin"
	"parley/app/campaigns/leadurl"
	"parley/app/model"
	"parley/storage"
)

// Duplicate rules of an import.
const (
	DuplicatesSkip  = "skip"
	DuplicatesMerge = "merge"
)

// ImportOptions configure one CSV import.
type ImportOptions struct {
	// File is the name shown in reports.
	File string
	// List receives every imported or merged lead (created if missing).
	List string
	// Duplicates: skip (default) keeps an existing lead as it is; merge
	// fills its empty fields and adds tags and the list.
	Duplicates string
	// Mapping overrides the reader's proposed column mapping.
	Mapping []csvin.Field
	// AllowErased re-imports people who asked to be erased (explicit).
	AllowErased bool
	// BatchSize rows commit together (default 1000).
	BatchSize int
	// Progress is called after every committed batch.
	Progress func(model.ImportRun)
	// Started is called once the run is recorded, with its id.
	Started func(model.ImportRun)
	// Size is the file's size in bytes, when known, for progress.
	Size int64
}

// Preview describes a file before it is imported: what was detected and
// the proposed mapping, for the mapping step.
type Preview struct {
	Encoding  string
	Delimiter string
	Headers   []string
	Mapping   []csvin.Field
	Sample    [][]string
}

// PreviewCSV reads the start of a file for the mapping step.
func PreviewCSV(r io.Reader, rows int) (Preview, error) {
	rd, err := csvin.Open(r, csvin.Options{})
	if err != nil {
		return Preview{}, err
	}
	p := Preview{Encoding: rd.Encoding(), Delimiter: delimiterName(rd.Delimiter()), Headers: rd.Headers(), Mapping: rd.Mapping()}
	for len(p.Sample) < rows {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return p, model.Wrap(model.CodeInvalid, err, "the file could not be read")
		}
		if rec.Err == nil {
			p.Sample = append(p.Sample, rec.Values)
		}
	}
	return p, nil
}

func delimiterName(r rune) string {
	switch r {
	case '\t':
		return "tab"
	case ';':
		return "semicolon"
	}
	return "comma"
}

// row is a parsed line waiting for its batch.
type row struct {
	line    int
	profile leadurl.Profile
	in      LeadInput
}

// Import reads a CSV file row by row and stores its leads in batches: a
// crash or cancellation leaves every committed batch whole and no lead
// half-written. Bad rows are recorded with their line and reason and never
// stop the import. The returned run is also stored (imports page, API).
func (s *Service) Import(ctx context.Context, r io.Reader, opts ImportOptions, o model.Origin) (model.ImportRun, error) {
	counter := &countingReader{r: r}
	rd, err := csvin.Open(counter, csvin.Options{})
	if err != nil {
		return model.ImportRun{}, err
	}
	mapping := opts.Mapping
	if mapping == nil {
		mapping = rd.Mapping()
	}
	if err := checkMapping(rd.Headers(), mapping); err != nil {
		return model.ImportRun{}, err
	}
	if opts.Duplicates == "" {
		opts.Duplicates = DuplicatesSkip
	}
	if opts.Duplicates != DuplicatesSkip && opts.Duplicates != DuplicatesMerge {
		return model.ImportRun{}, model.Errorf(model.CodeInvalid, "duplicates must be skip or merge")
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 1000
	}
	imp := &importer{s: s, opts: opts, o: o, mapping: mapping, headers: rd.Headers(), counter: counter}
	if err := imp.start(rd); err != nil {
		return model.ImportRun{}, err
	}
	if opts.Started != nil {
		opts.Started(imp.run_)
	}
	err = imp.run(ctx, rd)
	return imp.finish(err)
}

func checkMapping(headers []string, mapping []csvin.Field) error {
	if len(mapping) != len(headers) {
		return model.Errorf(model.CodeInvalid, "the mapping has %d columns but the file has %d", len(mapping), len(headers))
	}
	seen := map[csvin.Field]bool{}
	for i, f := range mapping {
		if f == csvin.FieldIgnore || f.IsCustom() {
			continue
		}
		if seen[f] {
			return model.Errorf(model.CodeInvalid, "two columns are mapped to %s (the second is %q)", f, headers[i])
		}
		seen[f] = true
	}
	if !seen[csvin.FieldProfileURL] {
		return model.Errorf(model.CodeInvalid, "no column holds LinkedIn profile URLs (columns: %s); map the right one to profile_url", strings.Join(headers, ", "))
	}
	return nil
}

type importer struct {
	s       *Service
	opts    ImportOptions
	o       model.Origin
	mapping []csvin.Field
	headers []string
	run_    model.ImportRun
	list    model.List
	batch   []row
	rejects []model.ImportReject
	counter *countingReader
}

// countingReader counts the bytes the CSV reader has consumed.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (im *importer) start(rd *csvin.Reader) error {
	return im.s.store.Update(func(tx *storage.Tx) error {
		name := strings.TrimSpace(im.opts.List)
		if name == "" {
			name = "Import " + tx.Now().Format("2006-01-02 15:04")
		}
		var err error
		if im.list, err = ensureList(tx, name); err != nil {
			return err
		}
		im.run_, err = tx.CreateImport(model.ImportRun{
			File: im.opts.File, ListID: im.list.ID, ListName: im.list.Name, Duplicates: im.opts.Duplicates, Actor: actorOf(im.o),
			StartedAt: tx.Now(), Status: model.ImportRunning, Encoding: rd.Encoding(), Delimiter: delimiterName(rd.Delimiter()),
			BytesTotal: im.opts.Size,
		})
		if err != nil {
			return err
		}
		_, err = tx.AppendEvent(importEvent("import.started", im.run_, im.o))
		return err
	})
}

func importEvent(typ string, r model.ImportRun, o model.Origin) model.Event {
	data, _ := json.Marshal(r)
	return model.Event{Type: typ, Subject: fmt.Sprintf("import:%d", r.ID), RequestID: o.RequestID, Data: data}
}

func (im *importer) run(ctx context.Context, rd *csvin.Reader) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return im.commit()
		}
		if err != nil {
			return model.Wrap(model.CodeInvalid, err, "reading the file stopped at line %d", rec.Line)
		}
		im.run_.Rows++
		if rec.Err != nil {
			im.reject(rec.Line, rec.Err.Error(), "")
		} else if r, reason := im.parse(rec); reason != "" {
			im.reject(rec.Line, reason, r.in.ProfileURL)
		} else {
			im.batch = append(im.batch, r)
		}
		if len(im.batch)+len(im.rejects) >= im.opts.BatchSize {
			if err := im.commit(); err != nil {
				return err
			}
		}
	}
}

func (im *importer) reject(line int, reason, profile string) {
	im.rejects = append(im.rejects, model.ImportReject{Line: line, Reason: reason, Profile: trim(profile, 200)})
}

// parse turns a record into a lead input, or says why the row is refused.
func (im *importer) parse(rec csvin.Record) (row, string) {
	r := row{line: rec.Line}
	for i, f := range im.mapping {
		v := rec.Values[i]
		if v == "" || f == csvin.FieldIgnore {
			continue
		}
		if formulaLike(v) {
			return r, fmt.Sprintf("column %q holds a spreadsheet formula (%s); formulas are not imported", im.headers[i], trim(v, 30))
		}
		if utf8.RuneCountInString(v) > maxField {
			return r, fmt.Sprintf("column %q is longer than %d characters", im.headers[i], maxField)
		}
		switch f {
		case csvin.FieldProfileURL:
			r.in.ProfileURL = v
		case csvin.FieldFirstName:
			r.in.FirstName = v
		case csvin.FieldLastName:
			r.in.LastName = v
		case csvin.FieldFullName:
			r.in.FullName = v
		case csvin.FieldCompany:
			r.in.Company = v
		case csvin.FieldTitle:
			r.in.Title = v
		case csvin.FieldEmail:
			r.in.Email = v
		case csvin.FieldLocation:
			r.in.Location = v
		case csvin.FieldTags:
			r.in.Tags = csvin.SplitTags(v)
		default:
			if r.in.Custom == nil {
				r.in.Custom = map[string]string{}
			}
			r.in.Custom[f.CustomName()] = v
		}
	}
	if r.in.ProfileURL == "" {
		return r, "no LinkedIn profile URL in this row"
	}
	p, err := leadurl.Parse(r.in.ProfileURL)
	if err != nil {
		return r, model.PublicMessage(err)
	}
	if r.in.Email != "" && !strings.Contains(r.in.Email, "@") {
		return r, fmt.Sprintf("%q is not an e-mail address", trim(r.in.Email, 60))
	}
	r.profile = p
	return r, ""
}

// formulaLike reports cells a spreadsheet would run: "=…" and "@…", and a
// leading + or - followed by a call, a pipe (DDE) or a sheet reference.
// Phone numbers such as "+49 30 1234" stay importable.
func formulaLike(v string) bool {
	if csvin.SafeCell(v) {
		return false
	}
	t := strings.TrimLeft(v, " \t\r\n")
	return t == "" || t[0] == '=' || t[0] == '@' || strings.ContainsAny(t, "(|!")
}
