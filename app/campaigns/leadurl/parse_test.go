package leadurl

import (
	"strings"
	"testing"
)

// inProfile is the expected result for an ASCII slug.
func inProfile(slug string) Profile {
	return Profile{Kind: KindProfile, Key: slug, URL: "https://www.linkedin.com/in/" + slug + "/"}
}

// salesNav is the expected result for a Sales Navigator lead id.
func salesNav(id string) Profile {
	return Profile{Kind: KindSalesNav, Key: id, URL: "https://www.linkedin.com/sales/lead/" + id}
}

const leadID = "ACwAAAhZ0ZkB3x9Qn_Lk-7TqLbK4mP2sVwXyZ12"

// accepted holds real-world forms of profile URLs and what each must
// normalise to. Many forms of jane-doe share one key: that is the point.
var accepted = []struct {
	name string
	in   string
	want Profile
}{
	// Schemes, hosts and case.
	{"canonical", "https://www.linkedin.com/in/jane-doe/", inProfile("jane-doe")},
	{"no trailing slash", "https://www.linkedin.com/in/jane-doe", inProfile("jane-doe")},
	{"http", "http://www.linkedin.com/in/jane-doe", inProfile("jane-doe")},
	{"no scheme, bare host", "linkedin.com/in/jane-doe", inProfile("jane-doe")},
	{"no scheme, www", "www.linkedin.com/in/jane-doe/", inProfile("jane-doe")},
	{"protocol-relative", "//www.linkedin.com/in/jane-doe", inProfile("jane-doe")},
	{"all upper case", "HTTPS://WWW.LINKEDIN.COM/IN/JANE-DOE/", inProfile("jane-doe")},
	{"mixed case slug", "https://www.linkedin.com/in/Jane-Doe-4B1A2C3", inProfile("jane-doe-4b1a2c3")},
	{"German subdomain", "https://de.linkedin.com/in/jane-doe", inProfile("jane-doe")},
	{"UK subdomain with originalSubdomain", "https://uk.linkedin.com/in/jane-doe?originalSubdomain=uk", inProfile("jane-doe")},
	{"India subdomain", "https://in.linkedin.com/in/jane-doe", inProfile("jane-doe")},
	{"Brazil subdomain, upper case", "https://BR.LinkedIn.com/in/jane-doe", inProfile("jane-doe")},
	{"mobile", "https://m.linkedin.com/in/jane-doe", inProfile("jane-doe")},
	{"touch", "https://touch.www.linkedin.com/in/jane-doe", inProfile("jane-doe")},
	{"host with trailing dot", "https://www.linkedin.com./in/jane-doe", inProfile("jane-doe")},
	{"default https port", "https://www.linkedin.com:443/in/jane-doe", inProfile("jane-doe")},
	{"default http port", "http://linkedin.com:80/in/jane-doe", inProfile("jane-doe")},
	{"no scheme with port", "linkedin.com:443/in/jane-doe", inProfile("jane-doe")},

	// Wrapping from spreadsheets, mail and word processors.
	{"surrounding blanks", "  \thttps://www.linkedin.com/in/jane-doe  ", inProfile("jane-doe")},
	{"line breaks", "\r\nhttps://www.linkedin.com/in/jane-doe\r\n", inProfile("jane-doe")},
	{"CSV quotes", `"https://www.linkedin.com/in/jane-doe/"`, inProfile("jane-doe")},
	{"doubled CSV quotes", `""https://www.linkedin.com/in/jane-doe/""`, inProfile("jane-doe")},
	{"single quotes", `'https://www.linkedin.com/in/jane-doe'`, inProfile("jane-doe")},
	{"angle brackets", "<https://www.linkedin.com/in/jane-doe/>", inProfile("jane-doe")},
	{"quoted angle brackets", `" <https://www.linkedin.com/in/jane-doe> "`, inProfile("jane-doe")},
	{"smart quotes", "\u201chttps://www.linkedin.com/in/jane-doe\u201d", inProfile("jane-doe")},
	{"byte-order mark", "\uFEFFhttps://www.linkedin.com/in/jane-doe", inProfile("jane-doe")},
	{"no-break and zero-width spaces", "\u00A0\u200Bhttps://www.linkedin.com/in/jane-doe\u200B", inProfile("jane-doe")},

	// Trailing paths, queries and fragments.
	{"experience details", "https://www.linkedin.com/in/jane-doe/details/experience/", inProfile("jane-doe")},
	{"recent activity", "https://www.linkedin.com/in/jane-doe/recent-activity/all/", inProfile("jane-doe")},
	{"contact info overlay", "https://www.linkedin.com/in/jane-doe/overlay/contact-info/", inProfile("jane-doe")},
	{"language suffix", "https://www.linkedin.com/in/jane-doe/de", inProfile("jane-doe")},
	{"trk parameter", "https://www.linkedin.com/in/jane-doe?trk=public_profile_browsemap", inProfile("jane-doe")},
	{"utm parameters", "https://www.linkedin.com/in/jane-doe/?utm_source=share&utm_medium=member_desktop", inProfile("jane-doe")},
	{"fragment", "https://www.linkedin.com/in/jane-doe/#experience", inProfile("jane-doe")},
	{"query holding a URL", "linkedin.com/in/jane-doe?redirect=https://example.com/", inProfile("jane-doe")},
	{"doubled slashes", "https://www.linkedin.com//in//jane-doe//", inProfile("jane-doe")},
	{"many trailing slashes", "https://www.linkedin.com/in/jane-doe///", inProfile("jane-doe")},
	{"underscore", "https://www.linkedin.com/in/jane_doe", inProfile("jane_doe")},
	{"digits only", "https://www.linkedin.com/in/123456", inProfile("123456")},
	{"mobile-lite", "https://www.linkedin.com/mwlite/in/jane-doe", inProfile("jane-doe")},
	{"mobile-lite upper case", "https://www.linkedin.com/MWLITE/IN/Jane-Doe/", inProfile("jane-doe")},

	// Unicode slugs.
	{"percent-encoded umlauts", "https://de.linkedin.com/in/j%C3%BCrgen-m%C3%BCller-123",
		Profile{KindProfile, "jürgen-müller-123", "https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller-123/"}},
	{"lower-case hex escapes", "https://www.linkedin.com/in/j%c3%bcrgen-m%c3%bcller-123",
		Profile{KindProfile, "jürgen-müller-123", "https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller-123/"}},
	{"upper-case Ü escaped", "https://www.linkedin.com/in/J%C3%9CRGEN-M%C3%9CLLER-123",
		Profile{KindProfile, "jürgen-müller-123", "https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller-123/"}},
	{"raw umlauts from the address bar", "https://www.linkedin.com/in/Jürgen-Müller-123/",
		Profile{KindProfile, "jürgen-müller-123", "https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller-123/"}},
	{"decomposed umlauts", "https://www.linkedin.com/in/ju%CC%88rgen-mu%CC%88ller-123",
		Profile{KindProfile, "jürgen-müller-123", "https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller-123/"}},
	{"Cyrillic", "https://ru.linkedin.com/in/%D0%98%D0%B2%D0%B0%D0%BD-%D0%BF%D0%B5%D1%82%D1%80%D0%BE%D0%B2",
		Profile{KindProfile, "иван-петров", "https://www.linkedin.com/in/%D0%B8%D0%B2%D0%B0%D0%BD-%D0%BF%D0%B5%D1%82%D1%80%D0%BE%D0%B2/"}},
	{"Chinese", "https://cn.linkedin.com/in/%E7%8E%8B%E4%BC%9F-1a2b3c",
		Profile{KindProfile, "王伟-1a2b3c", "https://www.linkedin.com/in/%E7%8E%8B%E4%BC%9F-1a2b3c/"}},
	{"Devanagari with vowel signs", "https://in.linkedin.com/in/प्रिया-शर्मा",
		Profile{KindProfile, "प्रिया-शर्मा", "https://www.linkedin.com/in/%E0%A4%AA%E0%A5%8D%E0%A4%B0%E0%A4%BF%E0%A4%AF%E0%A4%BE-%E0%A4%B6%E0%A4%B0%E0%A5%8D%E0%A4%AE%E0%A4%BE/"}},
	{"member id keeps its case in the URL", "https://www.linkedin.com/in/ACoAABcD3fGhIjKlMnOpQrStUvWxYz0123456789",
		Profile{KindProfile, "acoaabcd3fghijklmnopqrstuvwxyz0123456789", "https://www.linkedin.com/in/ACoAABcD3fGhIjKlMnOpQrStUvWxYz0123456789/"}},

	{"longest slug, fully encoded", "https://www.linkedin.com/in/" + strings.Repeat("%C3%9C", maxKeyLen),
		Profile{KindProfile, strings.Repeat("ü", maxKeyLen), "https://www.linkedin.com/in/" + strings.Repeat("%C3%BC", maxKeyLen) + "/"}},

	// Legacy /pub/ links.
	{"pub with country host and trk", "https://sy.linkedin.com/pub/krzysztof-marzec/a7/576/b50?trk=biz_employee_pub", inProfile("krzysztof-marzec-b50576a7")},
	{"pub digits", "http://www.linkedin.com/pub/jane-doe/12/345/678", inProfile("jane-doe-67834512")},
	{"pub upper case codes", "linkedin.com/pub/John-Smith/1A/2B3/4C5/", inProfile("john-smith-4c52b31a")},
	{"pub with language suffix", "https://www.linkedin.com/pub/jane-doe/2/b45/6c/en", inProfile("jane-doe-6cb452")},

	// Sales Navigator.
	{"sales lead", "https://www.linkedin.com/sales/lead/" + leadID + ",NAME_SEARCH,Xy7Q", salesNav(leadID)},
	{"sales people", "https://www.linkedin.com/sales/people/" + leadID + ",NAME_SEARCH", salesNav(leadID)},
	{"sales lead without commas", "www.linkedin.com/sales/lead/" + leadID, salesNav(leadID)},
	{"sales lead with encoded commas", "https://www.linkedin.com/sales/lead/" + leadID + "%2CNAME_SEARCH%2CXy7Q", salesNav(leadID)},
	{"sales lead with query", "https://www.linkedin.com/sales/lead/" + leadID + ",OUT_OF_NETWORK,abc?_ntb=a1B2", salesNav(leadID)},
	{"sales path upper case", "HTTPS://WWW.LINKEDIN.COM/SALES/LEAD/" + leadID + ",NAME_SEARCH", salesNav(leadID)},
}

func TestParseAccepts(t *testing.T) {
	for _, tc := range accepted {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", tc.in, got, tc.want)
			}
		})
	}
}

// TestParseIdempotent checks that the canonical URL is itself accepted and
// normalises to the very same Profile, so stored URLs can be re-imported.
func TestParseIdempotent(t *testing.T) {
	for _, tc := range accepted {
		t.Run(tc.name, func(t *testing.T) {
			first, err := Parse(tc.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			again, err := Parse(first.URL)
			if err != nil {
				t.Fatalf("Parse(%q) (its own URL): %v", first.URL, err)
			}
			if again != first {
				t.Errorf("Parse(%q)\n got %+v\nwant %+v", first.URL, again, first)
			}
		})
	}
}

// TestKindsNeverMerge guards the rule that a Sales Navigator id used as an
// /in/ slug is still a different kind of reference.
func TestKindsNeverMerge(t *testing.T) {
	sales, err := Parse("https://www.linkedin.com/sales/lead/" + leadID)
	if err != nil {
		t.Fatal(err)
	}
	public, err := Parse("https://www.linkedin.com/in/" + leadID)
	if err != nil {
		t.Fatal(err)
	}
	if sales.Kind == public.Kind {
		t.Errorf("both parsed as %q", sales.Kind)
	}
}
