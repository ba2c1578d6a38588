package leadurl

import (
	"strings"
	"testing"

	"parley/app/model"
)

// rejected holds inputs that are not profile URLs and a word or phrase the
// message must contain, so the person fixing the sheet learns why.
var rejected = []struct {
	name string
	in   string
	word string
}{
	// Not a URL at all.
	{"empty", "", "empty"},
	{"blank", " \t ", "empty"},
	{"empty quotes", `""`, "empty"},
	{"a name", "Jane Doe", "not a web address"},
	{"bare slug", "jane-doe", "not a web address"},
	{"spreadsheet placeholder", "#N/A", "not a web address"},
	{"spreadsheet formula", `=HYPERLINK("https://www.linkedin.com/in/jane-doe","Jane")`, "not a web address"},
	{"bare path", "/in/jane-doe", "missing linkedin.com"},
	{"path without slash", "in/jane-doe", "not a web address"},
	{"e-mail address", "jane.doe@example.com", "e-mail"},
	{"mailto link", "mailto:jane.doe@example.com", "mailto"},
	{"ftp", "ftp://www.linkedin.com/in/jane-doe", "http"},
	{"scheme without slashes", "https:www.linkedin.com/in/jane-doe", "//"},
	{"no top-level domain", "https://linkedin/in/jane-doe", "not a web address"},
	{"IPv6 literal", "http://[::1]/in/jane-doe", "not a web address"},
	{"too long", "https://www.linkedin.com/in/" + strings.Repeat("a", maxInputLen), "too long"},

	// Wrong host.
	{"look-alike suffix", "https://linkedin.com.evil.com/in/jane-doe", "linkedin.com.evil.com"},
	{"look-alike prefix", "https://evil-linkedin.com/in/jane-doe", "evil-linkedin.com"},
	{"wrong top-level domain", "https://linkedin.co/in/jane-doe", "not to linkedin.com"},
	{"country top-level domain", "www.linkedin.co.uk/in/jane-doe", "not to linkedin.com"},
	{"three-letter subdomain", "https://abc.linkedin.com/in/jane-doe", "not to linkedin.com"},
	{"redirector", "https://www.google.com/url?q=https://www.linkedin.com/in/jane-doe", "www.google.com"},
	{"short link", "https://lnkd.in/dQw4w9Wg", "short links"},
	{"user-info", "https://user:secret@www.linkedin.com/in/jane-doe", "user name"},
	{"user-info hiding the host", "https://www.linkedin.com@evil.com/in/jane-doe", "user name"},
	{"other port", "https://www.linkedin.com:8080/in/jane-doe", "port"},
	{"http port on https", "https://www.linkedin.com:80/in/jane-doe", "port"},

	// LinkedIn pages that are not a person.
	{"home page", "https://www.linkedin.com/", "home page"},
	{"company", "https://www.linkedin.com/company/acme-corp/", "company"},
	{"company on mobile-lite", "https://www.linkedin.com/mwlite/company/acme-corp", "company"},
	{"school", "https://www.linkedin.com/school/stanford-university/", "school"},
	{"job", "https://www.linkedin.com/jobs/view/3791234567/", "job"},
	{"feed update", "https://www.linkedin.com/feed/update/urn:li:activity:7123456789012345678/", "post"},
	{"post", "https://www.linkedin.com/posts/jane-doe_hiring-activity-7123456789012345678-AbCd", "post"},
	{"article", "https://www.linkedin.com/pulse/why-we-hire-jane-doe/", "article"},
	{"people search", "https://www.linkedin.com/search/results/people/?keywords=jane%20doe", "search"},
	{"group", "https://www.linkedin.com/groups/12345/", "group"},
	{"sign-in wall", "https://www.linkedin.com/authwall?trk=gf&sessionRedirect=https%3A%2F%2Fwww.linkedin.com%2Fin%2Fjane-doe", "sign-in"},
	{"unknown section", "https://www.linkedin.com/help/linkedin", "/in/"},
	{"member number", "https://www.linkedin.com/profile/view?id=12345678", "member number"},

	// Broken profile links.
	{"in without slug", "https://www.linkedin.com/in/", "missing the profile name"},
	{"in without slash", "linkedin.com/in", "missing the profile name"},
	{"space", "https://www.linkedin.com/in/jane doe", "space"},
	{"encoded space", "https://www.linkedin.com/in/jane-doe%20", "space"},
	{"encoded slash", "https://www.linkedin.com/in/jane%2Fdoe", "slash"},
	{"broken escape", "https://www.linkedin.com/in/jane%zzdoe", "%-escape"},
	{"escape of no text", "https://www.linkedin.com/in/jane%FFdoe", "readable"},
	{"only hyphens", "https://www.linkedin.com/in/---", "no letters or digits"},
	{"full stop from a sentence", "https://www.linkedin.com/in/jane-doe.", "'.'"},
	{"slug too long", "https://www.linkedin.com/in/" + strings.Repeat("a", maxKeyLen+1), "too long"},
	{"line break inside", "https://www.linkedin.com/in/jane\ndoe", "line break"},
	{"pub directory", "https://www.linkedin.com/pub/dir/Jane/Doe", "search"},
	{"pub incomplete", "https://www.linkedin.com/pub/jane-doe/12/345", "incomplete"},
	{"pub long code", "https://www.linkedin.com/pub/jane-doe/12/3456/78", "short code"},

	// Sales Navigator pages that are not a lead.
	{"sales search", "https://www.linkedin.com/sales/search/people?query=abc", "search"},
	{"sales account", "https://www.linkedin.com/sales/company/1234", "company"},
	{"sales list", "https://www.linkedin.com/sales/lists/people/7012345", "not a lead"},
	{"sales lead without id", "https://www.linkedin.com/sales/lead/", "lead id"},
	{"sales lead with empty id", "https://www.linkedin.com/sales/lead/,NAME_SEARCH,abc", "lead id"},
	{"sales lead id too long", "https://www.linkedin.com/sales/lead/" + strings.Repeat("A", maxKeyLen+1), "too long"},
	{"sales lead id with a plus", "https://www.linkedin.com/sales/lead/ACwAA+hZ0Zk,NAME_SEARCH", "'+'"},
}

func TestParseRejects(t *testing.T) {
	for _, tc := range rejected {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %+v, want an error", tc.in, got)
			}
			if code := model.ErrorCode(err); code != model.CodeInvalid {
				t.Errorf("code = %q, want %q", code, model.CodeInvalid)
			}
			msg := model.PublicMessage(err)
			if !strings.Contains(msg, tc.word) {
				t.Errorf("message %q does not mention %q", msg, tc.word)
			}
			if got != (Profile{}) {
				t.Errorf("got %+v alongside the error, want the zero Profile", got)
			}
		})
	}
}
