package csvin

import (
	"bytes"
	"unicode"

	"parley/app/model"
)

// Signatures of files people upload by mistake instead of a CSV export.
var (
	sigZip = []byte("PK\x03\x04")                       // .xlsx, .ods, .numbers, .zip
	sigOLE = []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") // .xls and other old Office files
)

// checkText rejects files that cannot be a CSV export: nothing but white
// space, or binary data. raw is the sample as read, text the same sample
// decoded to UTF-8.
func checkText(raw, text []byte) error {
	if len(bytes.TrimFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' })) == 0 {
		return model.Errorf(model.CodeInvalid, "The file is empty. Export the lead list again and upload the new file.")
	}
	if bytes.HasPrefix(raw, sigZip) || bytes.HasPrefix(raw, sigOLE) {
		return model.Errorf(model.CodeInvalid,
			`This is a spreadsheet workbook (such as .xlsx or .xls), not a CSV file. Open it in your spreadsheet app, save it as "CSV UTF-8 (Comma delimited)" and upload that file.`)
	}
	if looksBinary(text) {
		return model.Errorf(model.CodeInvalid,
			"This file is not a CSV file: it contains binary data. Export the list as CSV (comma-separated values) and upload that file.")
	}
	return nil
}

// looksBinary reports NUL characters, or control characters making up more
// than 1% of the text. A few stray controls occur in real exports (a
// vertical tab for a line break in a cell, say); those are cleaned out of
// the cells instead of rejecting the whole file.
func looksBinary(text []byte) bool {
	if bytes.IndexByte(text, 0) >= 0 {
		return true
	}
	controls, runes := 0, 0
	for _, r := range string(text) {
		runes++
		if isStrayControl(r) {
			controls++
		}
	}
	return controls*100 > runes
}

// isStrayControl reports control characters that have no place in a cell:
// C0 and C1 controls except tab, line breaks, vertical tab and form feed,
// and DEL.
func isStrayControl(r rune) bool {
	switch r {
	case '\t', '\n', '\r', '\v', '\f':
		return false
	}
	return r < 0x20 || (r >= 0x7F && r <= 0x9F)
}
