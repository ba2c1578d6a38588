package csvin

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"parley/app/model"
)

// rowParser parses the bytes of one record with encoding/csv. One csv.Reader
// is reused for every row by feeding it each record in turn; it is replaced
// after an error because it may then hold unread bytes of the bad row.
type rowParser struct {
	delim byte
	src   recordSource
	csv   *csv.Reader
}

func newRowParser(delim byte) *rowParser {
	p := &rowParser{delim: delim}
	p.reset()
	return p
}

func (p *rowParser) reset() {
	p.src.b = nil
	p.csv = csv.NewReader(&p.src)
	p.csv.Comma = rune(p.delim)
	p.csv.FieldsPerRecord = -1
	p.csv.ReuseRecord = true
	p.csv.LazyQuotes = false
	// Hand-typed files often put a space after the comma and before a
	// quote. With a tab delimiter this would swallow empty cells, and the
	// splitter mirrors the same rule (see splitter.trimLeading).
	p.csv.TrimLeadingSpace = p.delim != '\t'
}

// parse splits one record into cells. The returned slice is reused by the
// next call; the strings are not.
func (p *rowParser) parse(data []byte) ([]string, error) {
	p.src.b = data
	start := p.csv.InputOffset()
	cells, err := p.csv.Read()
	// The splitter and encoding/csv must agree on where the record ends;
	// if they do not, the quoting is wrong and the row is rejected rather
	// than letting its tail bleed into the next row.
	if err == nil && p.csv.InputOffset()-start != int64(len(data)) {
		err = errUnbalanced
	}
	if err != nil {
		p.reset()
		return nil, quotingError(err)
	}
	return cells, nil
}

// recordSource is the io.Reader the csv.Reader reads: the current record,
// then io.EOF until the next record is set.
type recordSource struct{ b []byte }

func (s *recordSource) Read(p []byte) (int, error) {
	if len(s.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.b)
	s.b = s.b[n:]
	return n, nil
}

// errUnbalanced: encoding/csv ended the record before the splitter did.
var errUnbalanced = errors.New("record ends early")

// quotingError explains a parse failure to the person who made the file.
func quotingError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return model.Errorf(model.CodeInvalid,
			`A value in this row has a " in the middle but does not start with one. Put the whole value in quotes and double the inner quote ("").`)
	case errors.Is(err, csv.ErrQuote), errors.Is(err, errUnbalanced):
		return model.Errorf(model.CodeInvalid,
			`A quoted value in this row is followed by other text before the next delimiter, or its closing quote is missing.`)
	}
	return model.Errorf(model.CodeInvalid, "This row could not be read as CSV.")
}

// tooManyValues rejects a row with non-empty cells beyond the header.
func tooManyValues(got, columns int) error {
	return model.Errorf(model.CodeInvalid,
		"This row has %d values but the header has only %d columns. Check for an unquoted delimiter inside a value.", got, columns)
}

// problem is why the splitter gave up on a record.
type problem int

const (
	problemNone     problem = iota
	problemTooLong          // longer than MaxLineBytes
	problemUnclosed         // a quoted value never closes
)

func (p problem) err(limit int) error {
	switch p {
	case problemTooLong:
		return model.Errorf(model.CodeInvalid, "This row is longer than %s, the most one row may have, so it was skipped.", sizeWords(limit))
	case problemUnclosed:
		return model.Errorf(model.CodeInvalid,
			`A quoted value that starts on this line is never closed (or is longer than %s), so the line was skipped. Look for a stray " character.`, sizeWords(limit))
	}
	return nil
}

// sizeWords writes a byte count the way people say it.
func sizeWords(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
