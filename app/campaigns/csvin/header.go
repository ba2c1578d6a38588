package csvin

import (
	"fmt"
	"io"
	"strings"

	"parley/app/model"
)

// readHeader takes the first row that is not blank as the header.
func (r *Reader) readHeader() error {
	for {
		raw, err := r.split.next()
		if err == io.EOF {
			return model.Errorf(model.CodeInvalid,
				"The file has no header row: every line is empty. Export the lead list again and upload the new file.")
		}
		if err != nil {
			return fmt.Errorf("csvin: read header: %w", err)
		}
		switch raw.problem {
		case problemTooLong:
			return model.Errorf(model.CodeInvalid,
				"The first row (line %d) is longer than %s, so it cannot be a header row. Check that this is a CSV export of a lead list.",
				raw.line, sizeWords(r.opts.MaxLineBytes))
		case problemUnclosed:
			return model.Errorf(model.CodeInvalid,
				`A quoted name in the header row (line %d) is never closed. Look for a stray " character in the first row.`, raw.line)
		}
		cells, err := r.parser.parse(raw.data)
		if err != nil {
			return model.Errorf(model.CodeInvalid, "The header row (line %d) could not be read. %s", raw.line, model.PublicMessage(err))
		}
		names := make([]string, len(cells))
		blank := true
		for i, c := range cells {
			names[i] = cleanCell(c)
			blank = blank && names[i] == ""
		}
		if !blank {
			return r.setHeaders(names)
		}
	}
}

// setHeaders checks the header names and fills Headers and Mapping.
func (r *Reader) setHeaders(names []string) error {
	if len(names) > r.opts.MaxColumns {
		return model.Errorf(model.CodeInvalid,
			"The header row has %d columns; at most %d are supported. Delete the columns you do not need and upload the file again.",
			len(names), r.opts.MaxColumns)
	}
	for _, n := range names {
		if looksLikeData(n) {
			return model.Errorf(model.CodeInvalid,
				`The first row looks like a lead, not column names (it contains "%s"). Add a header row with names such as "LinkedIn URL", "First Name" and "Company", then upload the file again.`,
				shorten(n, 60))
		}
	}
	seen := make(map[string]int, len(names))
	for i, n := range names {
		if n == "" {
			continue
		}
		key := strings.ToLower(n)
		if j, dup := seen[key]; dup {
			return model.Errorf(model.CodeInvalid,
				`The header has two columns named "%s" (columns %d and %d). Rename one of them and upload the file again.`,
				shorten(n, 60), j+1, i+1)
		}
		seen[key] = i
	}
	r.mapping = proposeMapping(names)
	r.headers = names
	for i, n := range names {
		if n == "" {
			r.headers[i] = fmt.Sprintf("column %d", i+1)
		}
	}
	return nil
}

// looksLikeData spots a header cell that is really a lead's value: a web
// address or an email address never names a column.
func looksLikeData(s string) bool {
	l := strings.ToLower(s)
	if strings.Contains(l, "://") || strings.HasPrefix(l, "www.") || strings.Contains(l, "linkedin.com/") {
		return true
	}
	at := strings.IndexByte(l, '@')
	return at > 0 && !strings.ContainsAny(l, " \t") && strings.Contains(l[at+1:], ".")
}

// shorten cuts s to at most n characters for quoting in a message.
func shorten(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i] + "…"
		}
		n--
	}
	return s
}
