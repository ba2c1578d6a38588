package dnc

import (
	"strings"
	"unicode"

	"golang.org/x/net/idna"
)

// maxDomainLen is the longest domain name DNS allows, in its xn-- form.
const maxDomainLen = 253

// normalizeDomain reads the domain out of what people paste for a domain
// rule (acme.com, @acme.com, jane@acme.com, mailto:jane@acme.com,
// https://www.acme.com/about) and returns it lower-case, without www. in
// front or a dot at the end. Internationalised domains are returned in
// Unicode, which people can read; their xn-- form gives the same value.
func normalizeDomain(value string) (string, error) {
	s := strings.TrimFunc(value, func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) })
	if s == "" {
		return "", invalid("the domain is empty; enter one like acme.com")
	}
	if len(s) >= len("mailto:") && strings.EqualFold(s[:len("mailto:")], "mailto:") {
		s = s[len("mailto:"):]
	}
	if _, rest, ok := strings.Cut(s, "://"); ok {
		s = rest
	}
	if end := strings.IndexAny(s, "/?#"); end >= 0 {
		s = s[:end]
	}
	if at := strings.LastIndexByte(s, '@'); at >= 0 {
		s = s[at+1:]
		if s == "" {
			return "", invalid("there is no domain after the @; enter one like acme.com")
		}
	}
	if host, port, ok := strings.Cut(s, ":"); ok && isDigits(port) {
		s = host
	}
	d, err := domainName(s)
	if err != nil {
		return "", err
	}
	if rest, ok := strings.CutPrefix(d, "www."); ok && strings.Contains(rest, ".") {
		d = rest
	}
	return d, nil
}

// emailDomain is the normalised domain of an e-mail address, or "" when
// the address has none.
func emailDomain(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return ""
	}
	d, err := domainName(strings.TrimSpace(email[at+1:]))
	if err != nil {
		return ""
	}
	return d
}

// domainName checks a host name and returns its canonical form.
func domainName(host string) (string, error) {
	host = strings.TrimSuffix(host, ".")
	if strings.ContainsFunc(host, unicode.IsSpace) {
		return "", invalid("%q has a space in it, so it is not a domain; enter one like acme.com", brief(host))
	}
	if isASCII(host) {
		host = strings.ToLower(host)
		if !strings.Contains(host, "xn--") {
			return host, checkLabels(host, host)
		}
	}
	a, err := idna.Lookup.ToASCII(host)
	if err != nil {
		return "", notADomain(host)
	}
	if err := checkLabels(a, host); err != nil {
		return "", err
	}
	u, err := idna.Lookup.ToUnicode(a)
	if err != nil {
		return "", notADomain(host)
	}
	return u, nil
}

// checkLabels checks the xn-- form of a domain: at least two labels of
// letters, digits and hyphens, none empty, longer than 63 characters or
// starting or ending with a hyphen, and a top-level domain that is not a
// number (which would make it an IP address). shown is what the person
// wrote, for the message.
func checkLabels(d, shown string) error {
	if !strings.Contains(d, ".") {
		if d == "" {
			return invalid("the domain is empty; enter one like acme.com")
		}
		return invalid("%q has no dot, so it is not a domain; enter one like acme.com", brief(shown))
	}
	if len(d) > maxDomainLen {
		return invalid("the domain is longer than %d characters, too long to be real", maxDomainLen)
	}
	labels := strings.Split(d, ".")
	for _, l := range labels {
		if l == "" {
			return invalid("%q has two dots in a row or a dot at the start; enter a domain like acme.com", brief(shown))
		}
		if len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' || !isLDH(l) {
			return notADomain(shown)
		}
	}
	if isDigits(labels[len(labels)-1]) {
		return invalid("%q is an IP address, not a domain; enter a domain like acme.com", brief(shown))
	}
	return nil
}

func notADomain(shown string) error {
	return invalid("%q is not a domain; a domain is words of letters, digits and hyphens joined by dots, like acme.com", brief(shown))
}

// isLDH reports a label of lower-case letters, digits and hyphens.
func isLDH(l string) bool {
	for i := 0; i < len(l); i++ {
		if c := l[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// isDigits reports a non-empty string of ASCII digits.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
