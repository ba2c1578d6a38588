package dnc

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// fold returns s with case folded, compatibility forms (full-width
// letters, ligatures, superscripts) replaced by plain ones and accents
// dropped, so that spellings a person reads as the same compare equal.
// Company names and job titles are typed by hand in many tools, so
// "Société Générale" and "SOCIETE GENERALE" must be one company.
func fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = norm.NFKD.String(s)
	// Folding can leave letters that decompose further (İ becomes i and a
	// combining dot), hence the second decomposition. It also turns small
	// Cherokee letters into capitals and capitals into small ones, so
	// lower-casing after it is what makes folding twice change nothing.
	s = norm.NFKD.String(strings.ToLower(cases.Fold().String(s)))
	s = strings.Map(func(r rune) rune {
		if unicode.In(r, unicode.Mn, unicode.Me) {
			return -1
		}
		return r
	}, s)
	return norm.NFC.String(s)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// isWordRune reports the characters words are made of. Spacing marks
// count, because scripts such as Devanagari write vowels with them.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mc, r)
}

// isJoiner reports characters that vanish from a company name without
// splitting it: dots (A.C.M.E., S.p.A.), apostrophes (McDonald's) and
// invisible format characters (soft hyphens, zero-width spaces).
func isJoiner(r rune) bool {
	switch r {
	case '.', '\'', '`', '\u2018', '\u2019', '\u02BC', '\u00B7':
		return true
	}
	return r >= utf8.RuneSelf && unicode.Is(unicode.Cf, r)
}

// legalForms are the legal forms dropped from the end of a company name,
// after dots are removed (so "S.p.A." is "spa"). Only whole last words go,
// and never the only word left.
var legalForms = map[string]bool{
	"inc": true, "incorporated": true, "llc": true, "llp": true, "lp": true,
	"ltd": true, "limited": true, "ltda": true, "plc": true,
	"corp": true, "corporation": true, "co": true, "company": true,
	"gmbh": true, "ag": true, "kg": true, "se": true,
	"sa": true, "sarl": true, "sas": true, "srl": true, "spa": true,
	"bv": true, "nv": true, "oy": true, "oyj": true, "ab": true, "as": true, "asa": true, "aps": true,
	"kk": true, "pty": true, "pte": true, "pvt": true,
}

// companyKey is the comparable form of a company name: folded, with dots
// and apostrophes removed, any other punctuation or symbol turned into a
// space, spaces collapsed and legal forms dropped from the end. It is ""
// when the name has no letter or digit.
func companyKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range fold(s) {
		switch {
		case isWordRune(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		case isJoiner(r):
		default:
			space = true
		}
	}
	key := b.String()
	for {
		i := strings.LastIndexByte(key, ' ')
		if i < 0 || !legalForms[key[i+1:]] {
			return key
		}
		key = key[:i]
	}
}

// titleKey is the comparable form of a job title or a title keyword:
// folded, with runs of white space and control characters made one space,
// invisible format characters dropped, and no space at either end.
// Punctuation stays, so "c++" and "vp, sales" keep their meaning.
func titleKey(s string) string {
	f := fold(s)
	if isCleanTitle(f) {
		return f
	}
	var b strings.Builder
	b.Grow(len(f))
	space := false
	for _, r := range f {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = true
		case r >= utf8.RuneSelf && unicode.Is(unicode.Cf, r):
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isCleanTitle spares the usual ASCII title a second copy.
func isCleanTitle(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || c < ' ' || c == 0x7F || c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' ') {
			return false
		}
	}
	return true
}
