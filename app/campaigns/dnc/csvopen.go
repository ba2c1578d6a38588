package dnc

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"parley/app/campaigns/csvin"
	"parley/app/model"
)

// columns are the positions of the columns ReadCSV uses; -1 for none.
type columns struct{ kind, value, note int }

// Header names of the columns, lower-case.
var columnNames = map[string]string{
	"kind": "kind", "type": "kind",
	"value":   "value",
	"note":    "note",
	"comment": "note",
}

// source is an opened rules file and how to read its rows.
type source struct {
	in   *csvin.Reader
	cols columns
	// single is a file of values only, read under a header row that
	// openRules adds; shift is the line that row takes.
	single bool
	shift  int
	// title is true when the first row of a single-column file names the
	// column instead of holding a value.
	title bool
	// pending is a row already read by openRules.
	pending *csvin.Record
}

// openRules opens data as a file with a kind/value header, or else as a
// single column of values. csvin always takes the first row as a header
// (refusing one that looks like data), so a file of values is opened a
// second time with a header row put in front of it.
func openRules(data []byte) (*source, error) {
	if isBlank(data) {
		return nil, invalid("the file is empty; put one rule per line, under the header row kind,value,note")
	}
	in, headerErr := csvin.Open(bytes.NewReader(data), csvin.Options{})
	if headerErr != nil && model.ErrorCode(headerErr) != model.CodeInvalid {
		return nil, fmt.Errorf("dnc: %w", headerErr)
	}
	if headerErr == nil {
		if isRuleRow(in.Headers()) {
			return nil, errRuleNotHeader
		}
		cols, found, err := findColumns(in.Headers())
		if err != nil || found {
			return &source{in: in, cols: cols}, err
		}
	}
	values, err := csvin.Open(bytes.NewReader(withHeaderRow(data)), csvin.Options{})
	if err != nil {
		if headerErr != nil {
			return nil, headerErr // the same refusal as the first time
		}
		return nil, err
	}
	src := &source{in: values, cols: columns{kind: -1, value: 0, note: -1}, single: true, shift: 1}
	if headerErr == nil {
		src.title = !recognisable(in.Headers()[0])
		return src, nil
	}
	// csvin refused the first row as a header: see whether it holds a value.
	first, err := values.Next()
	switch {
	case err == io.EOF:
		return nil, headerErr
	case err != nil:
		return nil, fmt.Errorf("dnc: %w", err)
	case first.Err == nil && recognisable(first.Values[0]):
		src.pending = &first
		return src, nil
	case first.Values != nil && (recognisable(first.Values[0]) || startsWithKind(first.Values[0])):
		return nil, errRuleNotHeader
	}
	return nil, headerErr
}

// errRuleNotHeader refuses a file whose first row is a rule with a kind or
// a note, which cannot be read without the header row.
var errRuleNotHeader = invalid("the first row holds a rule, not column names; start the file with the header row kind,value,note")

// isRuleRow spots a rule with a kind taken for the header row, such as
// company,Acme,note, and tells it from column names such as Domain,Note.
func isRuleRow(cells []string) bool {
	if len(cells) < 2 || !slices.Contains(Kinds(), strings.ToLower(cells[0])) {
		return false
	}
	second := strings.ToLower(cells[1])
	if slices.Contains(Kinds(), second) || columnNames[second] != "" {
		return false
	}
	_, err := Normalize(strings.ToLower(cells[0]), cells[1])
	return err == nil
}

// startsWithKind spots a rule row given where the header row belongs:
// its first cell is a kind. csvin read it with the delimiter it chose for
// a single column, so the kind may still have a ; or tab after it.
func startsWithKind(cell string) bool {
	cell = strings.ToLower(cell)
	for _, k := range Kinds() {
		if rest, ok := strings.CutPrefix(cell, k); ok && (rest == "" || rest[0] == ';' || rest[0] == '\t') {
			return true
		}
	}
	return false
}

// findColumns finds the kind, value and note columns of a header; found
// reports a value column. A header with no value column is fine only when
// it is the single column of a list of values, which may have any name.
func findColumns(headers []string) (cols columns, found bool, err error) {
	cols = columns{kind: -1, value: -1, note: -1}
	seen := make(map[string]string)
	for i, h := range headers {
		name, ok := columnNames[strings.ToLower(h)]
		if !ok {
			continue
		}
		if other, dup := seen[name]; dup {
			return cols, false, invalid("the header has both a %s and a %s column; keep one of them", other, h)
		}
		seen[name] = h
		switch name {
		case "kind":
			cols.kind = i
		case "value":
			cols.value = i
		case "note":
			cols.note = i
		}
	}
	if cols.value < 0 && (len(headers) > 1 || len(seen) > 0) {
		return cols, false, invalid("the file has no value column (its columns are %s); start the file with the header row kind,value,note", brief(strings.Join(headers, ", ")))
	}
	return cols, cols.value >= 0, nil
}

// isBlank reports a file with nothing but white space and byte order
// marks; the NULs are the high bytes of UTF-16 white space.
func isBlank(data []byte) bool {
	return len(bytes.Trim(data, " \t\r\n\v\f\x00\xEF\xBB\xBF\xFE\xFF")) == 0
}

// withHeaderRow puts a header row in front of data, after any byte order
// mark and in the same encoding, so that csvin reads the first row as a
// row. csvin knows UTF-16 only by its byte order mark; without one, ASCII
// reads the same in UTF-8 and Windows-1252.
func withHeaderRow(data []byte) []byte {
	const header = "value\n"
	var bom, row []byte
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		bom, row = data[:3], []byte(header)
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		bom, row = data[:2], utf16(header, false)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		bom, row = data[:2], utf16(header, true)
	default:
		row = []byte(header)
	}
	out := make([]byte, 0, len(data)+len(row))
	out = append(append(append(out, bom...), row...), data[len(bom):]...)
	return out
}

// utf16 encodes ASCII text as UTF-16.
func utf16(ascii string, bigEndian bool) []byte {
	out := make([]byte, 0, 2*len(ascii))
	for _, c := range []byte(ascii) {
		if bigEndian {
			out = append(out, 0, c)
		} else {
			out = append(out, c, 0)
		}
	}
	return out
}
