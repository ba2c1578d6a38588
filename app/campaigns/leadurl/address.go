package leadurl

import (
	"strings"

	"parley/app/model"
)

// address is a URL cut into the parts Parse cares about. It is cut by hand
// rather than with net/url because people leave out the scheme, and
// because url.Parse decodes the path before it is split, which would turn
// an encoded slash inside a slug into a path separator.
type address struct {
	scheme string // "http", "https", or "" when the person left it out
	host   string // lower-cased, without a trailing dot
	port   string
	path   string // raw: still percent-encoded, without query or fragment
}

// splitAddress cuts s into an address and checks that it names a LinkedIn
// host on its default port.
func splitAddress(s string) (address, error) {
	var a address
	rest := s
	if i := strings.Index(rest, "://"); i > 0 && isScheme(rest[:i]) {
		a.scheme = strings.ToLower(rest[:i])
		rest = rest[i+len("://"):]
		if a.scheme != "http" && a.scheme != "https" {
			return a, invalid("only http:// and https:// links can be profile URLs, not %s://", brief(a.scheme))
		}
	} else if r, ok := strings.CutPrefix(rest, "//"); ok {
		rest = r // protocol-relative, as copied from HTML source
	} else if scheme, ok := opaqueScheme(rest); ok {
		if scheme == "http" || scheme == "https" {
			return a, invalid("the address is missing the // after %s:; it should look like %s", scheme, example)
		}
		return a, invalid("this is a %s: link, not a web address; paste the person's profile URL, like %s", brief(scheme), example)
	} else if strings.HasPrefix(rest, "/") {
		return a, invalid("the address starts with / and is missing linkedin.com; paste the full profile URL, like %s", example)
	}

	authority := rest
	if end := strings.IndexAny(rest, "/?#"); end >= 0 {
		authority, rest = rest[:end], rest[end:]
	} else {
		rest = ""
	}
	if end := strings.IndexAny(rest, "?#"); end >= 0 {
		rest = rest[:end]
	}
	a.path = rest

	if strings.Contains(authority, "@") {
		if a.scheme == "" && a.path == "" {
			return a, invalid("this looks like an e-mail address, not a profile URL; paste the person's profile URL, like %s", example)
		}
		return a, invalid("the address has a user name or password before an @; paste the profile URL as LinkedIn shows it")
	}
	a.host, a.port, _ = strings.Cut(authority, ":")
	a.host = strings.TrimSuffix(strings.ToLower(a.host), ".")
	if !isHostName(a.host) {
		return a, invalid("this is not a web address; paste the person's full profile URL, like %s", example)
	}
	if err := checkHost(a.host); err != nil {
		return a, err
	}
	return a, checkPort(a.scheme, a.port)
}

// isScheme reports whether s has the syntax of a URL scheme (RFC 3986).
func isScheme(s string) bool {
	for i, c := range []byte(s) {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return s != ""
}

// opaqueScheme finds a scheme without "//" (mailto:, tel:, or a mistyped
// "https:linkedin.com"). A host with a port ("linkedin.com:443") is not
// one: its name has a dot and a digit follows the colon.
func opaqueScheme(s string) (string, bool) {
	i := strings.IndexByte(s, ':')
	if i <= 0 || !isScheme(s[:i]) || strings.Contains(s[:i], ".") {
		return "", false
	}
	if i+1 < len(s) && '0' <= s[i+1] && s[i+1] <= '9' {
		return "", false
	}
	return strings.ToLower(s[:i]), true
}

// isHostName reports whether h is a plausible DNS name: letters, digits,
// hyphens and dots, with at least one dot and no empty label. Anything
// else (spaces, a bare word, an internationalised look-alike) means the
// cell holds something other than a web address.
func isHostName(h string) bool {
	if !strings.Contains(h, ".") {
		return false
	}
	for label := range strings.SplitSeq(h, ".") {
		if label == "" {
			return false
		}
		for _, c := range []byte(label) {
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// checkHost accepts linkedin.com, www., the mobile hosts and any two-letter
// country subdomain. Matching whole names, never prefixes or substrings, is
// what refuses linkedin.com.evil.com and evil-linkedin.com.
func checkHost(host string) error {
	if host == "lnkd.in" || host == "www.lnkd.in" {
		return invalid("lnkd.in short links cannot be resolved offline; paste the full profile URL, like %s", example)
	}
	if host == "linkedin.com" {
		return nil
	}
	if sub, ok := strings.CutSuffix(host, ".linkedin.com"); ok {
		switch {
		case sub == "www" || sub == "m" || sub == "touch.www":
			return nil
		case len(sub) == 2 && isLower(sub[0]) && isLower(sub[1]):
			return nil
		}
	}
	return invalid("the address points to %s, not to linkedin.com", brief(host))
}

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }

// checkPort allows only the scheme's own port. Without a scheme either
// default is fine: the person evidently did not care which one.
func checkPort(scheme, port string) error {
	switch {
	case port == "":
		return nil
	case port == "443" && scheme != "http", port == "80" && scheme != "https":
		return nil
	}
	return invalid("the address names port %s; LinkedIn profile URLs have no port number", brief(port))
}

// invalid builds the error Parse returns: coded invalid, so the message
// is shown to the person who supplied the cell.
func invalid(format string, args ...any) error {
	return model.Errorf(model.CodeInvalid, format, args...)
}

// brief shortens text quoted back in a message, so garbage in a cell
// cannot turn a message into a wall of text.
func brief(s string) string {
	const limit = 60
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return s[:cut] + "…"
}
