package leadurl

import (
	"net/url"
	"strings"
)

// salesLeadURL is where every Sales Navigator lead id is anchored; the
// comma-separated parts after the id only record how the lead was found.
const salesLeadURL = "https://www.linkedin.com/sales/lead/"

// route reads the path segments of a LinkedIn address. Everything after
// the part that identifies the person (detail pages, language suffixes)
// is ignored, as are the query and fragment, which carry only tracking.
func route(segs []string) (Profile, error) {
	// The mobile-lite site serves the ordinary paths under /mwlite/.
	if len(segs) > 0 && strings.EqualFold(segs[0], "mwlite") {
		segs = segs[1:]
	}
	if len(segs) == 0 {
		return Profile{}, invalid("the address is LinkedIn's home page, not a person's profile; paste the profile URL, like %s", example)
	}
	switch strings.ToLower(segs[0]) {
	case "in":
		if len(segs) < 2 {
			return Profile{}, invalid("the address stops at /in/ and is missing the profile name after it, like %s", example)
		}
		return profileFromSlug(segs[1])
	case "pub":
		return legacyProfile(segs[1:])
	case "sales":
		return salesLead(segs[1:])
	case "profile":
		return Profile{}, invalid("this is an old profile link with a member number, which cannot be matched offline; open it in a browser and paste the linkedin.com/in/ address it leads to")
	}
	return Profile{}, notAProfile(strings.ToLower(segs[0]))
}

// pages names the LinkedIn sections people most often paste by mistake,
// by the first path segment, so the message can say what the link is.
var pages = map[string]string{
	"company":     "a company page",
	"showcase":    "a company showcase page",
	"school":      "a school page",
	"edu":         "a school page",
	"jobs":        "a job posting or job search",
	"feed":        "a post in the feed",
	"posts":       "a post",
	"pulse":       "an article",
	"newsletters": "a newsletter",
	"events":      "an event page",
	"groups":      "a group page",
	"search":      "a search results page",
	"messaging":   "a message thread",
	"mynetwork":   "the My Network page",
	"authwall":    "LinkedIn's sign-in page",
	"login":       "LinkedIn's sign-in page",
	"signup":      "LinkedIn's sign-up page",
	"checkpoint":  "LinkedIn's sign-in page",
}

// notAProfile explains a LinkedIn address outside /in/, /pub/ and /sales/.
func notAProfile(first string) error {
	what, ok := pages[first]
	if !ok {
		what = "a LinkedIn page"
	}
	return invalid("the address is %s, not a person's profile; a profile URL has /in/ after linkedin.com, like %s", what, example)
}

// legacyProfile maps the public profile form LinkedIn used until about
// 2015, /pub/<name>/<a>/<b>/<c>, to the /in/ slug it now redirects to:
// <name>-<c><b><a>. The codes are hexadecimal groups of the member's
// public id written in reverse order, so joining them reversed restores
// the id; for example /pub/krzysztof-marzec/a7/576/b50 redirects to
// /in/krzysztof-marzec-b50576a7. We assume LinkedIn never dropped leading
// zeros from a group, as no zero-padding is visible in known redirects.
func legacyProfile(segs []string) (Profile, error) {
	if len(segs) > 0 && strings.EqualFold(segs[0], "dir") {
		return Profile{}, notAProfile("search")
	}
	if len(segs) < 4 {
		return Profile{}, invalid("this old /pub/ profile link is incomplete; it needs a name and three short codes, like /pub/jane-doe/12/345/678")
	}
	codes := make([]string, 3)
	for i, seg := range segs[1:4] {
		if !isPubCode(seg) {
			return Profile{}, invalid("this old /pub/ profile link has %q where a short code of letters and digits belongs", brief(seg))
		}
		codes[2-i] = strings.ToLower(seg)
	}
	name, err := decodeSlug(segs[0])
	if err != nil {
		return Profile{}, err
	}
	return newProfile(name + "-" + strings.Join(codes, ""))
}

// isPubCode reports whether seg is one of the three short codes of a /pub/
// link: one to three ASCII letters or digits.
func isPubCode(seg string) bool {
	if len(seg) == 0 || len(seg) > 3 {
		return false
	}
	for _, c := range []byte(seg) {
		if !isASCIIAlnum(c) {
			return false
		}
	}
	return true
}

// salesLead reads /sales/lead/<id>,... and /sales/people/<id>,... The id
// is kept exactly as written: it is base64-like and its case matters.
func salesLead(segs []string) (Profile, error) {
	kind := ""
	if len(segs) > 0 {
		kind = strings.ToLower(segs[0])
	}
	switch kind {
	case "lead", "people":
	case "search":
		return Profile{}, notAProfile("search")
	case "company", "account", "accounts":
		return Profile{}, notAProfile("company")
	default:
		return Profile{}, invalid("the address is a Sales Navigator page but not a lead; a lead URL looks like https://www.linkedin.com/sales/lead/ACwAAA…")
	}
	if len(segs) < 2 {
		return Profile{}, invalid("the Sales Navigator link is missing the lead id after /sales/%s/", kind)
	}
	// Exports often percent-encode the commas, so decode before cutting.
	decoded, err := url.PathUnescape(segs[1])
	if err != nil {
		return Profile{}, invalid("the Sales Navigator link has a broken %%-escape (a %% not followed by two hex digits)")
	}
	id, _, _ := strings.Cut(decoded, ",")
	if id == "" {
		return Profile{}, invalid("the Sales Navigator link is missing the lead id after /sales/%s/", kind)
	}
	if len(id) > maxKeyLen {
		return Profile{}, invalid("the Sales Navigator lead id is longer than %d characters, too long to be real", maxKeyLen)
	}
	for _, r := range id {
		if r > 0x7F || !isASCIIAlnum(byte(r)) && r != '-' && r != '_' {
			return Profile{}, invalid("the Sales Navigator lead id contains %s; it should be letters, digits, - and _ only", describe(r))
		}
	}
	return Profile{Kind: KindSalesNav, Key: id, URL: salesLeadURL + id}, nil
}

func isASCIIAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
