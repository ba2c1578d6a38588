package csvin

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// cleanCell trims a value and removes what must never reach storage: byte
// order marks, NUL and other control characters. Line breaks inside a value
// become "\n", and so does a vertical tab (the in-cell line break of Excel
// for Mac and FileMaker). Bytes that are not UTF-8, as in a Windows-1252
// row pasted into a UTF-8 file past the sniffed start, are read as
// Windows-1252 rather than turned into replacement characters.
func cleanCell(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x7F || (c < 0x20 && c != '\t' && c != '\n') {
			return strings.TrimSpace(cleanSlow(s))
		}
	}
	return strings.TrimSpace(s)
}

// cleanSlow handles values with non-ASCII or control characters. Most of
// them (names with accents) need no change and are returned as they are.
func cleanSlow(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, needsCleaning) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			r = charmap.Windows1252.DecodeByte(s[i])
		}
		i += n
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
			b.WriteByte('\n')
		case r == '\v':
			b.WriteByte('\n')
		case needsCleaning(r):
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func needsCleaning(r rune) bool {
	return r == '\r' || r == '\v' || r == '\f' || r == '\uFEFF' || isStrayControl(r)
}

// SafeCell reports whether a spreadsheet would show s as plain text. A value
// that starts with = + - or @, possibly after white space, or that starts
// with a tab or carriage return, may be run as a formula when the file is
// opened: "=HYPERLINK(...)" in a lead list is an attack on whoever opens the
// export. A plain number such as "-12.5" is safe, since it reads as the same
// number either way.
func SafeCell(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == '\t' || s[0] == '\r' {
		return false
	}
	t := strings.TrimLeft(s, " \t\r\n")
	if t == "" {
		return true
	}
	switch t[0] {
	case '=', '@':
		return false
	case '+', '-':
		return isPlainNumber(t)
	}
	return true
}

// isPlainNumber reports a sign followed by decimal digits with at most one
// decimal point, such as "-3" or "+0.25".
func isPlainNumber(s string) bool {
	digits, dot := 0, false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// NeutraliseCell makes a value safe to write to a CSV file that people open
// in a spreadsheet: when SafeCell(s) is false it prefixes a single quote,
// which spreadsheets take as "this is text" and do not show.
func NeutraliseCell(s string) string {
	if SafeCell(s) {
		return s
	}
	return "'" + s
}

// SplitTags splits a tags cell on commas, semicolons and vertical bars,
// trims each tag, drops empty ones and keeps the first spelling of tags that
// differ only in case. It returns nil when there is no tag.
func SplitTags(s string) []string {
	var tags []string
	seen := make(map[string]bool)
	for part := range strings.FieldsFuncSeq(s, isTagSeparator) {
		t := strings.TrimSpace(part)
		key := strings.ToLower(t)
		if t == "" || seen[key] {
			continue
		}
		seen[key] = true
		tags = append(tags, t)
	}
	return tags
}

func isTagSeparator(r rune) bool { return r == ',' || r == ';' || r == '|' }
