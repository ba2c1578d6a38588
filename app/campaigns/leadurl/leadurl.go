// Package leadurl turns the many forms of a LinkedIn profile URL that people
// paste or export into one canonical key, so that an imported lead can be
// recognised as a duplicate of one already known.
//
// Parse works offline: it never follows redirects, so forms that only
// LinkedIn can resolve (lnkd.in short links, member-number links) are
// refused with a message telling the person what to paste instead.
package leadurl

import (
	"strings"
	"unicode"
)

// Kind says what sort of profile reference a Profile is.
type Kind string

// Kinds of profile reference. They are never merged: nothing available
// offline ties a Sales Navigator lead id to a public /in/ name.
const (
	// KindProfile is a public profile, linkedin.com/in/<slug>, including the
	// legacy /pub/ form and the mobile-lite /mwlite/in/ form.
	KindProfile Kind = "profile"
	// KindSalesNav is a Sales Navigator lead, linkedin.com/sales/lead/<id>,...
	// or linkedin.com/sales/people/<id>,...
	KindSalesNav Kind = "sales_nav"
)

// Profile is a normalised reference to one person on LinkedIn.
type Profile struct {
	Kind Kind
	// Key is the canonical identity: for profiles the lower-cased,
	// percent-decoded, NFC-normalised slug; for Sales Navigator the lead id
	// (the part before the first comma), whose case matters.
	Key string
	// URL is the canonical address: https://www.linkedin.com/in/<slug>/ for
	// profiles, https://www.linkedin.com/sales/lead/<id> for Sales Navigator.
	URL string
}

// maxInputLen bounds the work done on one spreadsheet cell. Real profile
// URLs, tracking parameters included, stay far below it.
const maxInputLen = 4096

// Parse normalises raw, one cell of a spreadsheet or one pasted line. Its
// error is a coded model error (invalid) whose message says in plain words
// why raw is not a LinkedIn profile URL, for the person fixing the sheet.
func Parse(raw string) (Profile, error) {
	s := unwrap(raw)
	if s == "" {
		return Profile{}, invalid("the cell is empty; paste the person's profile URL, like %s", example)
	}
	if len(s) > maxInputLen {
		return Profile{}, invalid("the text is too long to be a profile URL")
	}
	addr, err := splitAddress(s)
	if err != nil {
		return Profile{}, err
	}
	return route(pathSegments(addr.path))
}

// example shows the expected shape in messages.
const example = "https://www.linkedin.com/in/jane-doe/"

// wrappers are the pairs people wrap URLs in: CSV quoting, angle brackets
// from e-mail and Markdown, smart quotes from word processors.
var wrappers = [][2]string{
	{`"`, `"`}, {`'`, `'`}, {"<", ">"}, {"\u201c", "\u201d"}, {"\u2018", "\u2019"},
}

// unwrap strips surrounding blanks and any number of matching wrappers, so
// that `"<https://…>"` and `""https://…""` (doubled CSV quotes) both work.
// Only matched pairs go: a stray quote is more likely a typo to report.
func unwrap(s string) string {
	for {
		s = strings.TrimFunc(s, isBlank)
		stripped := false
		for _, w := range wrappers {
			if len(s) >= len(w[0])+len(w[1]) && strings.HasPrefix(s, w[0]) && strings.HasSuffix(s, w[1]) {
				s = s[len(w[0]) : len(s)-len(w[1])]
				stripped = true
				break
			}
		}
		if !stripped {
			return s
		}
	}
}

// isBlank also covers the invisible characters that ride along with copied
// text: a byte-order mark at the start of a CSV file, zero-width spaces and
// direction marks from right-to-left interfaces.
func isBlank(r rune) bool {
	switch r {
	case '\uFEFF', '\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u2060':
		return true
	}
	return unicode.IsSpace(r)
}

// pathSegments splits a raw path, still percent-encoded, into its
// non-empty segments. Splitting before decoding keeps an encoded slash
// (%2F) inside its segment, where the slug check refuses it. Empty
// segments are dropped because doubled slashes come from joining strings
// in spreadsheets, not from LinkedIn.
func pathSegments(path string) []string {
	var segs []string
	for seg := range strings.SplitSeq(path, "/") {
		if seg != "" {
			segs = append(segs, seg)
		}
	}
	return segs
}
