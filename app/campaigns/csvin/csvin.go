// Package csvin reads lead lists from CSV files exported by spreadsheets and
// CRMs. It streams: memory is bounded by Options.MaxLineBytes and a few
// fixed buffers, never by the size of the file.
//
// Open sniffs the first 64 KiB for the encoding and the delimiter, reads the
// header row and proposes a Field for each column. Next then returns one
// Record per row. A row that cannot be read (too long, bad quoting, more
// values than columns) comes back with Record.Err set and reading goes on,
// so an import can report every bad line at once instead of stopping at the
// first one.
package csvin

import (
	"bufio"
	"fmt"
	"io"
	"slices"
)

// Field is a standard lead field a column can be imported into. Columns that
// are not standard map to CustomField(name).
type Field string

// Standard fields.
const (
	FieldProfileURL Field = "profile_url"
	FieldFirstName  Field = "first_name"
	FieldLastName   Field = "last_name"
	FieldFullName   Field = "full_name"
	FieldCompany    Field = "company"
	FieldTitle      Field = "title"
	FieldEmail      Field = "email"
	FieldLocation   Field = "location"
	FieldTags       Field = "tags"
	FieldIgnore     Field = "" // column not imported
)

// customPrefix marks a field that is kept under the column's own name.
const customPrefix = "custom:"

// CustomField is the field for a non-standard column with the normalised
// (snake_case) name.
func CustomField(name string) Field { return Field(customPrefix + name) }

// IsCustom reports whether f is a custom column.
func (f Field) IsCustom() bool {
	return len(f) > len(customPrefix) && string(f[:len(customPrefix)]) == customPrefix
}

// CustomName returns the normalised column name of a custom field ("" for
// standard fields).
func (f Field) CustomName() string {
	if !f.IsCustom() {
		return ""
	}
	return string(f[len(customPrefix):])
}

// Defaults for Options.
const (
	DefaultMaxLineBytes = 1 << 20
	DefaultMaxColumns   = 200
)

// sniffSize is how much of the file Open looks at before deciding on the
// encoding and delimiter. It is also the size of the read buffer.
const sniffSize = 64 << 10

// Options tune Open. The zero value uses the defaults.
type Options struct {
	// MaxLineBytes is the longest record accepted, in bytes after decoding
	// to UTF-8 (default 1 MiB). A longer row is rejected and reading goes
	// on; it also bounds the memory a Reader uses.
	MaxLineBytes int
	// MaxColumns is the most columns the header may have (default 200).
	MaxColumns int
}

func (o Options) withDefaults() Options {
	if o.MaxLineBytes <= 0 {
		o.MaxLineBytes = DefaultMaxLineBytes
	}
	if o.MaxColumns <= 0 {
		o.MaxColumns = DefaultMaxColumns
	}
	return o
}

// Record is one row of the file.
type Record struct {
	// Line is the 1-based physical line where the row starts.
	Line int
	// Values has one trimmed value per header column; cells missing at the
	// end of the row are "". When Err is set, Values holds what could be
	// read (nil when the row could not be parsed at all).
	Values []string
	// Err says in plain words why the row cannot be imported. It is a
	// model.CodeInvalid error about "this row"; callers add the line.
	Err error
}

// Reader streams the records of one CSV file. It is not safe for concurrent
// use.
type Reader struct {
	opts     Options
	encoding string
	delim    rune
	headers  []string
	mapping  []Field
	split    *splitter
	parser   *rowParser
	err      error // sticky: io.EOF or the read error that stopped the reader
}

// Open sniffs the start of r (at most 64 KiB), decides on the encoding and
// the delimiter and reads the header row. Errors a person can fix (empty
// file, binary file, no usable header) are model.CodeInvalid; a failure to
// read r is returned wrapped and uncoded.
//
// Header names are trimmed. An empty name becomes "column N" (N counting
// from 1) and maps to FieldIgnore, so the column is shown but not imported
// unless someone chooses to. Two columns with the same name (ignoring case)
// are an error, because a value could not be told apart from the other
// column's later on.
func Open(r io.Reader, opts Options) (*Reader, error) {
	opts = opts.withDefaults()
	in := bufio.NewReaderSize(r, sniffSize)
	sample, err := in.Peek(sniffSize)
	complete := err == io.EOF
	if err != nil && !complete {
		return nil, fmt.Errorf("csvin: read start of file: %w", err)
	}
	enc := detectEncoding(sample, complete)
	text := enc.decodeSample(sample, complete)
	if err := checkText(sample, text); err != nil {
		return nil, err
	}
	delim := sniffDelimiter(text, complete)
	src, err := enc.stream(in)
	if err != nil {
		return nil, fmt.Errorf("csvin: skip byte order mark: %w", err)
	}
	rd := &Reader{
		opts:     opts,
		encoding: enc.name,
		delim:    rune(delim),
		split:    newSplitter(src, delim, opts.MaxLineBytes),
		parser:   newRowParser(delim),
	}
	if err := rd.readHeader(); err != nil {
		return nil, err
	}
	return rd, nil
}

// Encoding names the detected encoding: "UTF-8", "UTF-8 (BOM)", "UTF-16LE",
// "UTF-16BE" or "Windows-1252".
func (r *Reader) Encoding() string { return r.encoding }

// Delimiter returns the detected delimiter: ',', ';' or '\t'.
func (r *Reader) Delimiter() rune { return r.delim }

// Headers returns the column names as in the file, trimmed, with empty
// names replaced by "column N".
func (r *Reader) Headers() []string { return slices.Clone(r.headers) }

// Mapping proposes a field for each header column, in column order. It is a
// proposal: the caller may let a person change it.
func (r *Reader) Mapping() []Field { return slices.Clone(r.mapping) }

// Next returns the next row. Blank lines, and rows whose cells are all
// empty, are skipped. A row that cannot be imported is returned with
// Record.Err set and the next call continues after it. At the end Next
// returns io.EOF; a failure to read the underlying reader is returned as an
// error too, and every later call returns the same error.
func (r *Reader) Next() (Record, error) {
	for r.err == nil {
		raw, err := r.split.next()
		if err != nil {
			if err != io.EOF {
				err = fmt.Errorf("csvin: read line %d: %w", raw.line, err)
			}
			r.err = err
			break
		}
		if raw.problem != problemNone {
			return Record{Line: raw.line, Err: raw.problem.err(r.opts.MaxLineBytes)}, nil
		}
		rec, blank := r.record(raw)
		if !blank {
			return rec, nil
		}
	}
	return Record{}, r.err
}

// record turns a raw record into a Record; blank reports a row with no
// values at all, which the caller skips like an empty line (spreadsheets
// export empty rows as ",,,").
func (r *Reader) record(raw rawRecord) (rec Record, blank bool) {
	rec.Line = raw.line
	cells, err := r.parser.parse(raw.data)
	if err != nil {
		rec.Err = err
		return rec, false
	}
	rec.Values = make([]string, len(r.headers))
	extra := 0
	blank = true
	for i, c := range cells {
		v := cleanCell(c)
		if v == "" {
			continue
		}
		blank = false
		if i < len(rec.Values) {
			rec.Values[i] = v
		} else {
			extra = i + 1
		}
	}
	if extra > 0 {
		rec.Err = tooManyValues(extra, len(r.headers))
	}
	return rec, blank
}
