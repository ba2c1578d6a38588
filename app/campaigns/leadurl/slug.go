package leadurl

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// profileURL is the prefix of every canonical public profile URL.
const profileURL = "https://www.linkedin.com/in/"

// maxKeyLen bounds a slug or lead id, in characters. LinkedIn caps chosen
// profile names at 100; generated ones from long names run longer, so
// twice that. The bound also keeps every canonical URL, even fully
// percent-encoded, shorter than maxInputLen, so that it parses again.
const maxKeyLen = 200

// profileFromSlug decodes and checks the path segment after /in/.
func profileFromSlug(seg string) (Profile, error) {
	slug, err := decodeSlug(seg)
	if err != nil {
		return Profile{}, err
	}
	return newProfile(slug)
}

// decodeSlug percent-decodes one path segment and checks that it can be a
// profile name: letters of any script, digits, hyphens and underscores.
// Combining marks count with letters, because scripts such as Devanagari
// write vowels with marks that NFC does not fold into the letter.
func decodeSlug(seg string) (string, error) {
	s, err := url.PathUnescape(seg)
	if err != nil {
		return "", invalid("the profile name has a broken %%-escape (a %% not followed by two hex digits)")
	}
	if !utf8.ValidString(s) {
		return "", invalid("the profile name has %%-escapes that do not spell readable text")
	}
	s = norm.NFC.String(s)
	hasAlnum := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			hasAlnum = true
		case unicode.Is(unicode.M, r) || r == '-' || r == '_':
		default:
			return "", invalid("the profile name contains %s; it may have only letters, digits, - and _", describe(r))
		}
	}
	if !hasAlnum {
		return "", invalid("the profile name %q has no letters or digits", brief(s))
	}
	return s, nil
}

// newProfile builds the profile for a decoded, checked slug. The key is
// lower-cased because LinkedIn treats profile names case-insensitively;
// NFC runs again because lower-casing can leave a letter and a combining
// mark that compose.
func newProfile(slug string) (Profile, error) {
	key := norm.NFC.String(strings.ToLower(slug))
	if utf8.RuneCountInString(key) > maxKeyLen {
		return Profile{}, invalid("the profile name is longer than %d characters, too long to be real", maxKeyLen)
	}
	shown := key
	if isMemberID(slug) {
		// A member id only opens the profile in its original case.
		shown = slug
	}
	return Profile{Kind: KindProfile, Key: key, URL: profileURL + url.PathEscape(shown) + "/"}, nil
}

// isMemberID reports whether slug is a member id (ACoAA…) rather than a
// chosen name. LinkedIn writes these into /in/ links shared from its apps
// and some exports. They stand for the same person as the vanity name, but
// nothing offline links the two; we keep their case in the URL so that it
// still opens, while the key stays lower-case like every other slug.
func isMemberID(slug string) bool {
	if len(slug) < 30 || !(strings.HasPrefix(slug, "ACoAA") || strings.HasPrefix(slug, "ACwAA")) {
		return false
	}
	for _, c := range []byte(slug) {
		if !isASCIIAlnum(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// describe names a rejected character so that a person can find it in a
// cell: invisible ones by name, the rest quoted.
func describe(r rune) string {
	switch {
	case r == ' ' || r == '\u00A0':
		return "a space"
	case r == '/':
		return "a slash (written as %2F)"
	case r == utf8.RuneError:
		return "an unreadable character"
	case unicode.IsSpace(r):
		return "a line break or tab"
	case !unicode.IsPrint(r):
		return fmt.Sprintf("an invisible character (U+%04X)", r)
	}
	return fmt.Sprintf("the character %q", r)
}
