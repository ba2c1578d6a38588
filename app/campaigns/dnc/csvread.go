package dnc

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"parley/app/campaigns/csvin"
	"parley/app/model"
)

// Limits on a rules file.
const (
	MaxFileBytes = 16 << 20
	MaxRows      = 100_000
)

// Row is one rule read from a file. The note is kept whole, however long:
// a rule is never refused over its note.
type Row struct {
	Line  int    `json:"line"`  // physical line where the row starts, counting from 1
	Kind  string `json:"kind"`  // one of the model.DNC* kinds
	Value string `json:"value"` // as Normalize returns it
	Note  string `json:"note,omitempty"`
}

// Reject is a row of a file that gives no rule, and why, in plain words.
type Reject struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// ReadCSV reads a rules file (see the package comment for its forms). Rows
// that cannot be used come back as rejects, in line order, and reading goes
// on. The error is for a file that cannot be read at all (empty, binary, no
// value column, too large); it is a coded invalid error with a message for
// the person who uploaded it, except when r itself fails.
func ReadCSV(r io.Reader) ([]Row, []Reject, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("dnc: read file: %w", err)
	}
	if len(data) > MaxFileBytes {
		return nil, nil, invalid("the file is larger than %d MB; split it into smaller files", MaxFileBytes>>20)
	}
	src, err := openRules(data)
	if err != nil {
		return nil, nil, err
	}
	return src.read()
}

// next returns the next record, the pending one first.
func (s *source) next() (csvin.Record, error) {
	if s.pending != nil {
		rec := *s.pending
		s.pending = nil
		return rec, nil
	}
	return s.in.Next()
}

func (s *source) read() ([]Row, []Reject, error) {
	var rows []Row
	var rejects []Reject
	seen := make(map[string]int) // kind and value → line of the first
	for first := true; ; first = false {
		rec, err := s.next()
		if err == io.EOF {
			return rows, rejects, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("dnc: %w", err)
		}
		if first && s.title {
			continue
		}
		if len(rows)+len(rejects) == MaxRows {
			return nil, nil, invalid("the file has more than %d rules; split it into smaller files", MaxRows)
		}
		line := rec.Line - s.shift
		row, reason := s.rule(rec)
		if reason == "" {
			key := row.Kind + "\x00" + row.Value
			if at, dup := seen[key]; dup {
				reason = fmt.Sprintf("same rule as line %d", at)
			} else {
				seen[key] = line
				row.Line = line
				rows = append(rows, row)
				continue
			}
		}
		rejects = append(rejects, Reject{Line: line, Reason: reason})
	}
}

// rule reads one record; reason says why it gives no rule.
func (s *source) rule(rec csvin.Record) (row Row, reason string) {
	if rec.Err != nil {
		if s.single && rec.Values != nil {
			// csvin read the row but found more values than columns.
			return row, "the line has several values separated by commas, but the file has no header row; " +
				"give one profile URL, e-mail address or domain per line, or start the file with the header row kind,value,note " +
				`(a value with a comma in it goes in double quotes)`
		}
		return row, model.PublicMessage(rec.Err)
	}
	cell := func(i int) string {
		if i < 0 || i >= len(rec.Values) {
			return ""
		}
		return unneutralise(rec.Values[i])
	}
	value, note := cell(s.cols.value), cell(s.cols.note)
	if value == "" {
		return row, "the value is empty; put the profile URL, company, domain or title keyword in the value column"
	}
	kind, err := rowKind(cell(s.cols.kind), value)
	if err == nil {
		row.Value, err = Normalize(kind, value)
	}
	if err != nil {
		return row, model.PublicMessage(err)
	}
	row.Kind, row.Note = kind, note
	return row, ""
}

// unneutralise undoes csvin.NeutraliseCell, so that a note written as
// "'=SUM(A1)" to keep spreadsheets from running it reads back as it was.
func unneutralise(s string) string {
	if rest, ok := strings.CutPrefix(s, "'"); ok && !csvin.SafeCell(rest) {
		return rest
	}
	return s
}

// rowKind is the kind a row names, or the one its value shows when the
// kind cell is empty.
func rowKind(cell, value string) (string, error) {
	if cell == "" {
		return inferKind(value)
	}
	kind := strings.ToLower(cell)
	if !slices.Contains(Kinds(), kind) {
		return "", invalid("%q is not a kind of rule; use %s", brief(cell), kindList)
	}
	return kind, nil
}
